// Checking a statement bundle offline (docs/certification.md §Verifying a bundle). This is
// client code: it reads nothing but the bundle's bytes and the log key it is given — no ledger,
// no state, no server — so the CLI's verify-statement runs it anywhere.
//
// The checks run in the order of docs/certification.md, each one on values an earlier check has
// authenticated: first the checkpoint's signature, then each entry against the checkpoint's
// root, then the statement and inventory entries, then the facts against the entries, and last
// the recomputation of the statement from the facts and the bundled data files.
#include <map>

#include "accounting/factor_set.h"
#include "accounting/policy_profile.h"
#include "accounting/statement.h"
#include "crypto/canonical_json.h"
#include "crypto/encoding.h"
#include "ledger/certification/bundle.h"
#include "ledger/certification/internal/bundle_entries.h"
#include "ledger/certification/internal/bundle_error.h"
#include "ledger/certification/internal/decimal_u64.h"
#include "ledger/certification/internal/facts_json.h"
#include "ledger/certification/internal/status_macros.h"
#include "ledger/certification/park_facts.h"
#include "ledger/certification/reports.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/entry.h"
#include "ledger/log/merkle.h"
#include "ledger/log/proof.h"
#include "ledger/log/transaction.h"

namespace carbonledger {

namespace certification {

Result<std::map<uint64_t, ProvedEntry>> ProveEntries(const nlohmann::json& entries,
                                                     const Checkpoint& cp) {
  std::map<uint64_t, ProvedEntry> out;
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    const std::string& key = it.key();
    if (!ParseDecimalU64(key)) {
      return BundleError("entry key \"" + key + "\" is not a sequence number");
    }
    uint64_t seq = *ParseDecimalU64(key);
    const nlohmann::json& v = it.value();
    if (!v.is_object() || !v.contains("entry") || !v["entry"].is_string() || !v.contains("proof") ||
        !v["proof"].is_array()) {
      return BundleError("entry " + key + " needs entry and proof");
    }
    auto bytes = Base64Decode(v["entry"].get<std::string>());
    if (!bytes.ok()) return BundleError("entry " + key + " is not base64");
    auto proof = DecodeProofHashes(v["proof"]);
    if (!proof.ok()) return BundleError("entry " + key + " has a malformed proof hash");
    // RFC 9162 §2.1.3.2: the leaf hash and the proof must give the checkpoint's root.
    if (Status s = merkle::VerifyInclusion(seq, cp.size, merkle::HashLeaf(*bytes), *proof, cp.root);
        !s.ok()) {
      return BundleError("entry " + key + " is not included in the checkpoint: " + s.message());
    }
    auto e = DecodeEntry(*bytes);
    if (!e.ok() || e->seq != seq)
      return BundleError("entry " + key + " does not decode as entry " + key);
    auto tx = TransactionFromCanonical(e->tx);
    if (!tx.ok()) return BundleError("entry " + key + ": " + tx.status().message());
    if (!VerifySignature(e->signer_key, e->tx, e->signature)) {
      return BundleError("entry " + key + ": signature does not verify");
    }
    out.emplace(seq, ProvedEntry{std::move(*e), std::move(*tx)});
  }
  return out;
}

}  // namespace certification

namespace {

using certification::BundleError;
using certification::ParseDecimalU64;
using certification::ProvedEntry;
using certification::ProveEntries;

// The operation `id` of a proved entry of `type`, with the entry's signer as "$signer" and
// whether its transaction is of ledger format 1 (no not_after) as "$format1":
// "C<seq>.<op>" names a gec.claim, "R<seq>.<op>" a credit.retire, "I<seq>.<op>" an issuance.
Result<nlohmann::json> Operation(const std::map<uint64_t, ProvedEntry>& entries,
                                 const std::string& id, const std::string& type) {
  const char letter = type.ends_with(".claim") ? 'C' : type.ends_with(".retire") ? 'R' : 'I';
  size_t dot = id.find('.');
  auto seq_n = dot == std::string::npos ? std::nullopt
                                        : ParseDecimalU64(std::string_view(id).substr(1, dot - 1));
  auto op_n = dot == std::string::npos ? std::nullopt
                                       : ParseDecimalU64(std::string_view(id).substr(dot + 1));
  if (!seq_n || !op_n || id[0] != letter) return BundleError("bad operation id " + id);
  uint64_t seq = *seq_n;
  size_t op = *op_n;
  auto it = entries.find(seq);
  if (it == entries.end())
    return BundleError("entry " + std::to_string(seq) + " of " + id + " is missing");
  const Transaction& tx = it->second.tx;
  if (tx.type != type || !tx.body.contains("ops") || !tx.body["ops"].is_array() ||
      op >= tx.body["ops"].size()) {
    return BundleError(id + " is not operation " + std::to_string(op) + " of a " + type + " entry");
  }
  nlohmann::json o = tx.body["ops"][op];
  o["$signer"] = tx.signer;
  o["$format1"] = !tx.not_after.has_value();
  return o;
}

// The registration body of a generator or project among the proved entries (an id is
// registered once in a log, so the proved entry is the registration).
Result<nlohmann::json> Registration(const std::map<uint64_t, ProvedEntry>& entries,
                                    const std::string& type, const std::string& field,
                                    const std::string& id) {
  for (const auto& [seq, e] : entries) {
    if (e.tx.type == type && e.tx.body.value(field, "") == id) return e.tx.body;
  }
  return BundleError("the " + type + " entry of \"" + id + "\" is missing");
}

// A claim or retirement op that names a serial range must cover the row's serials; one that
// names a quantity is checked against the sum of its rows (units per op, below).
Status CoversUnits(const nlohmann::json& op, uint64_t first, uint64_t last, const std::string& id) {
  if (op.contains("first") || op.contains("last")) {
    if (!op.contains("first") || !op.contains("last") || !op["first"].is_number_integer() ||
        !op["last"].is_number_integer()) {
      return BundleError(id + " has a malformed serial range");
    }
    if (first < op["first"].get<uint64_t>() || last > op["last"].get<uint64_t>()) {
      return BundleError(id + " does not cover serials " + std::to_string(first) + "-" +
                         std::to_string(last));
    }
  }
  return Status::OK();
}

// Units per claim or retirement operation: the sum of its rows, and the quantity the operation
// took when it names one ("<id>#q"). They must agree.
using OpUnits = std::map<std::string, uint64_t>;

Status CheckClaim(const std::map<uint64_t, ProvedEntry>& entries, const ParkYearFacts& facts,
                  const ClaimedBlock& g, OpUnits& op_units) {
  CERT_ASSIGN(op, Operation(entries, g.claim, "gec.claim"));
  if (op["$signer"] != facts.park_id || op.value("reporting_year", 0) != facts.year) {
    return BundleError(g.claim + " is not a claim by " + facts.park_id + " for " +
                       std::to_string(facts.year));
  }
  if (Status s = CoversUnits(op, g.first, g.last, g.claim); !s.ok()) return s;
  op_units[g.claim] += g.quantity;
  if (op.contains("quantity")) op_units[g.claim + "#q"] = op["quantity"];
  CERT_ASSIGN(iss, Operation(entries, g.issuance, "gec.issue"));
  if (iss.value("generator", "") != g.generator || iss.value("month", "") != g.generation_month) {
    return BundleError("claimed block " + std::to_string(g.first) +
                       " does not match its issuance's generator and month");
  }
  CERT_ASSIGN(gen, Registration(entries, "generator.register", "generator", g.generator));
  if (gen.value("region", "") != g.region || gen.value("technology", "") != g.technology) {
    return BundleError("claimed block " + std::to_string(g.first) +
                       " does not match its generator's region and technology");
  }
  return Status::OK();
}

// Whose act a retirement row is (docs/accounting.md §What counts): its retired_by is the
// credit.retire entry's signer, and an acceptance is the park's own retirement.accept entry
// naming the retirement. A row without retired_by is from a bundle written before acceptances
// existed, so its retirement must be a ledger format 1 transaction: format 1 counted every
// retirement for the park as the park's own, and so does the recomputation.
Status CheckStanding(const std::map<uint64_t, ProvedEntry>& entries, const ParkYearFacts& facts,
                     const nlohmann::json& op, RetiredBlock& r) {
  const std::string signer = op["$signer"].get<std::string>();
  if (r.retired_by.empty()) {
    if (op["$format1"] != true) return BundleError(r.retirement + " names no retired_by");
    r.retired_by = facts.park_id;
  } else if (r.retired_by != signer) {
    return BundleError(r.retirement + " was retired by \"" + signer + "\", not \"" + r.retired_by +
                       "\"");
  }
  if (r.accepted_seq == 0) return Status::OK();
  auto it = entries.find(r.accepted_seq);
  if (r.retired_by == facts.park_id || it == entries.end() ||
      it->second.tx.type != "retirement.accept" || it->second.tx.signer != facts.park_id ||
      !it->second.tx.body.is_object() ||
      it->second.tx.body.value("retirement", "") != r.retirement) {
    return BundleError("entry " + std::to_string(r.accepted_seq) + " is not " + facts.park_id +
                       "'s retirement.accept of another account's " + r.retirement);
  }
  return Status::OK();
}

Status CheckRetirement(const std::map<uint64_t, ProvedEntry>& entries, const ParkYearFacts& facts,
                       RetiredBlock& r, OpUnits& op_units) {
  CERT_ASSIGN(op, Operation(entries, r.retirement, "credit.retire"));
  if (op.value("beneficiary", "") != facts.park_id || op.value("reporting_year", 0) != facts.year ||
      op.value("purpose", "") != r.purpose || op.value("instrument", "") != r.instrument) {
    return BundleError(r.retirement + " is not a retirement for " + facts.park_id + " " +
                       std::to_string(facts.year) + " with the stated purpose");
  }
  if (Status s = CheckStanding(entries, facts, op, r); !s.ok()) return s;
  if (Status s = CoversUnits(op, r.first, r.last, r.retirement); !s.ok()) return s;
  op_units[r.retirement] += r.quantity;
  if (op.contains("quantity")) op_units[r.retirement + "#q"] = op["quantity"];
  CERT_ASSIGN(iss, Operation(entries, r.issuance, "credit.issue"));
  if (iss.value("project", "") != r.project || iss.value("vintage", "") != r.vintage) {
    return BundleError("retired block of " + r.retirement +
                       " does not match its issuance's project and vintage");
  }
  CERT_ASSIGN(project, Registration(entries, "project.register", "project", r.project));
  if (project.value("region", "") != r.project_region) {
    return BundleError("retired block of " + r.retirement + " does not match its project's region");
  }
  return Status::OK();
}

// From ledger format 3 a statement is recorded only by the certifier the park engaged for the
// year (docs/certification.md §Engagements). The bundled genesis (entry 0) states the format;
// the engagement is the park's own certifier.engage naming the statement's signer and year,
// before the statement. Without the genesis (bundles of format 2 and before) nothing is
// required, but an engagement the bundle names is still checked. Returns its seq, 0 for none.
Result<uint64_t> CheckEngagement(const std::map<uint64_t, ProvedEntry>& entries,
                                 const nlohmann::json& bundle, const nlohmann::json& content,
                                 const ProvedEntry& statement, uint64_t stmt_seq) {
  int64_t format = 0;
  if (auto g = entries.find(0);
      g != entries.end() && g->second.tx.type == "genesis" && g->second.tx.body.is_object() &&
      g->second.tx.body.contains("format") && g->second.tx.body["format"].is_number_integer()) {
    format = g->second.tx.body["format"].get<int64_t>();
  }
  if (!bundle.contains("engagement_seq")) {
    if (format >= 3) {
      return BundleError("the ledger is of format " + std::to_string(format) +
                         " and the bundle names no engagement of the certifier");
    }
    return uint64_t(0);
  }
  if (!bundle["engagement_seq"].is_number_integer() ||
      bundle["engagement_seq"].get<int64_t>() <= 0) {
    return BundleError("engagement_seq must be a sequence number");
  }
  const uint64_t seq = bundle["engagement_seq"].get<uint64_t>();
  auto it = entries.find(seq);
  const std::string park = content.value("park", "");
  if (seq >= stmt_seq || it == entries.end() || it->second.tx.type != "certifier.engage" ||
      it->second.tx.signer != park || !it->second.tx.body.is_object() ||
      it->second.tx.body.value("certifier", "") != statement.tx.signer ||
      it->second.tx.body.value("year", int64_t(0)) != content.value("year", int64_t(-1))) {
    return BundleError("entry " + std::to_string(seq) + " is not " + park +
                       "'s certifier.engage of " + statement.tx.signer +
                       " for the statement's year, before the statement");
  }
  return seq;
}

Result<BundleReport> VerifyBundle(std::string_view bundle_json, const NamedPublicKey& log_key) {
  CERT_ASSIGN(bundle, ParseStrictJson(bundle_json, JsonLimits{size_t(64) << 20, 64}));
  if (bundle.is_object() && bundle.contains("format") &&
      bundle["format"] == "carbonledger.bundle/2") {
    return certification::VerifyBundleV2(bundle_json, bundle, log_key);
  }
  if (bundle.value("format", "") != "carbonledger.bundle/1") {
    return BundleError("format must be carbonledger.bundle/1 or carbonledger.bundle/2");
  }
  for (const char* k : {"checkpoint", "factor_set", "profile"}) {
    if (!bundle.contains(k) || !bundle[k].is_string())
      return BundleError(std::string(k) + " missing");
  }
  if (!bundle.contains("entries") || !bundle["entries"].is_object() || !bundle.contains("facts") ||
      !bundle.contains("statement_seq") || !bundle["statement_seq"].is_number_integer() ||
      bundle["statement_seq"].get<int64_t>() < 0) {
    return BundleError("entries, facts and statement_seq are required");
  }
  // 1. The checkpoint is the log's, signed by the key the verifier trusts.
  auto cp = OpenCheckpoint(bundle["checkpoint"].get<std::string>(), log_key.name, log_key.key);
  if (!cp.ok()) return BundleError("checkpoint: " + cp.status().message());
  // 2. Every entry is in that tree and verifies under its signer key.
  CERT_ASSIGN(entries, ProveEntries(bundle["entries"], *cp));
  for (const auto& [seq, e] : entries) {
    if (e.entry.version != kEntryVersion) {
      // A format 4 entry is checked only as bundle/2 prescribes (no downgrade to this format).
      return BundleError("entry " + std::to_string(seq) +
                         " is of ledger format 4; such bundles are carbonledger.bundle/2");
    }
  }
  uint64_t stmt_seq = bundle["statement_seq"];
  if (bundle.value("statement_id", "") != StatementId(stmt_seq)) {
    return BundleError("statement_id does not name entry " + std::to_string(stmt_seq));
  }
  auto st = entries.find(stmt_seq);
  if (st == entries.end() || st->second.tx.type != "statement.record") {
    return BundleError("statement entry " + std::to_string(stmt_seq) + " is missing");
  }
  // Members of untrusted JSON are read only after checking they exist: nlohmann's const
  // operator[] on a missing member is undefined behaviour, not an exception.
  const nlohmann::json content = st->second.tx.body.value("statement", nlohmann::json::object());
  if (!content.is_object() || !content.contains("inventory") || !content["inventory"].is_object()) {
    return BundleError("statement entry " + std::to_string(stmt_seq) + " names no inventory");
  }
  CERT_ASSIGN(content_text, CanonicalJson(content));
  CERT_ASSIGN(engagement_seq, CheckEngagement(entries, bundle, content, st->second, stmt_seq));
  // 3. The inventory entry the statement names.
  const uint64_t inv_seq = content["inventory"].value("entry_seq", uint64_t(0));
  auto inv = entries.find(inv_seq);
  if (inv == entries.end() || inv->second.tx.type != "inventory.record" ||
      inv->second.tx.signer != content.value("park", "")) {
    return BundleError("the statement's inventory entry " + std::to_string(inv_seq) +
                       " is missing or not the park's");
  }
  CERT_ASSIGN(inventory_text,
              CanonicalJson(inv->second.tx.body.value("inventory", nlohmann::json())));
  // 4. The facts, each against the entries behind it.
  CERT_ASSIGN(facts, certification::FactsFromJson(bundle["facts"]));
  if (facts.inventory_entry_seq != inv_seq ||
      facts.inventory_entry_hash !=
          HexEncode(AsBytes(merkle::HashLeaf(EncodeEntry(inv->second.entry))))) {
    return BundleError("facts name another inventory entry than the statement");
  }
  OpUnits op_units;
  for (const ClaimedBlock& g : facts.gec_claims) {
    if (Status s = CheckClaim(entries, facts, g, op_units); !s.ok()) return s;
  }
  for (RetiredBlock& r : facts.retirements) {
    if (Status s = CheckRetirement(entries, facts, r, op_units); !s.ok()) return s;
  }
  for (const auto& [id, units] : op_units) {
    if (id.ends_with("#q")) continue;
    auto q = op_units.find(id + "#q");
    if (q != op_units.end() && q->second != units) {
      return BundleError(id + " took " + std::to_string(q->second) + " units but the facts list " +
                         std::to_string(units));
    }
  }
  // 5. Recompute the statement from the inventory, the bundled data files and the facts.
  auto factor_bytes = Base64Decode(bundle["factor_set"].get<std::string>());
  auto profile_bytes = Base64Decode(bundle["profile"].get<std::string>());
  if (!factor_bytes.ok() || !profile_bytes.ok()) return BundleError("data files are not base64");
  CERT_ASSIGN(factors, accounting::FactorSet::Parse(*factor_bytes));
  CERT_ASSIGN(profile, accounting::ParsePolicyProfile(*profile_bytes));
  if (Status s = accounting::VerifyStatementContent(content_text, inventory_text, factors, profile,
                                                    facts.ForAccounting());
      !s.ok()) {
    return BundleError("recomputation: " + s.message());
  }
  BundleReport report;
  report.statement_id = StatementId(stmt_seq);
  report.park = facts.park_id;
  report.year = facts.year;
  report.certifier = st->second.tx.signer;
  report.verdict = content.value("verdict", "");
  report.tree_size = cp->size;
  report.entries_proved = entries.size();
  report.engagement_seq = engagement_seq;
  return report;
}

}  // namespace

Result<BundleReport> VerifyStatementBundle(std::string_view bundle_json,
                                           const NamedPublicKey& log_key) {
  // A bundle is untrusted input: a value of the wrong JSON type deep inside it must be a
  // refusal, never a crash.
  try {
    return VerifyBundle(bundle_json, log_key);
  } catch (const std::exception& e) {
    return BundleError(std::string("malformed bundle: ") + e.what());
  }
}

}  // namespace carbonledger
