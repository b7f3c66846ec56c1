// Checking a carbonledger.bundle/2 (ledger format 4; docs/certification.md §Verifying a bundle
// of format 2). Like bundle/1 it reads nothing but the bundle's bytes and the log key. Unlike
// it, it trusts no table of facts: it derives every claim, retirement and acceptance of the
// park-year from the proven entries themselves, proves that it holds all of them as of the
// statement's checkpoint_size by walking the park-year's chain of links (docs/ledger-format.md
// §Entries), and then requires the bundle's readable `facts` to be exactly what it derived.
#include <algorithm>
#include <set>

#include "accounting/factor_set.h"
#include "accounting/policy_profile.h"
#include "accounting/statement.h"
#include "crypto/canonical_json.h"
#include "crypto/encoding.h"
#include "ledger/certification/bundle.h"
#include "ledger/certification/confidential.h"
#include "ledger/certification/internal/bundle_entries.h"
#include "ledger/certification/internal/bundle_error.h"
#include "ledger/certification/internal/decimal_u64.h"
#include "ledger/certification/internal/facts_json.h"
#include "ledger/certification/internal/status_macros.h"
#include "ledger/certification/park_facts.h"
#include "ledger/certification/reports.h"
#include "ledger/log/merkle.h"

namespace carbonledger::certification {
namespace {

using Json = nlohmann::json;
using Entries = std::map<uint64_t, ProvedEntry>;

std::string Seq(uint64_t s) { return std::to_string(s); }

// An integer member >= 0, or nullopt.
std::optional<uint64_t> U64(const Json& o, const char* k) {
  if (!o.is_object() || !o.contains(k)) return std::nullopt;
  const Json& v = o[k];
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer() && v.get<int64_t>() >= 0) return uint64_t(v.get<int64_t>());
  return std::nullopt;
}

std::string Str(const Json& o, const char* k) {
  return o.is_object() && o.contains(k) && o[k].is_string() ? o[k].get<std::string>() : "";
}

// The entry's note, parsed: what the log wrote beside the transaction (ledger format 4).
Result<Json> NoteOf(const ProvedEntry& e, uint64_t seq) {
  if (e.entry.note.empty()) return Json::object();
  auto note = ParseStrictJson(e.entry.note, JsonLimits{kMaxTransactionBytes, 16});
  if (!note.ok() || !note->is_object()) return BundleError("entry " + Seq(seq) + ": bad note");
  return *note;
}

// The previous entry of `scope` that entry `seq`'s note names, or nullopt when the entry does
// not join the scope.
Result<std::optional<uint64_t>> LinkOf(const ProvedEntry& e, uint64_t, const std::string& scope) {
  auto link = LinkedPrevious(e.entry, scope);
  if (!link.ok()) return BundleError(link.status().message());
  return *link;
}

// The blocks operation `op` of entry `seq` took or issued, from its note: "ops"[op].
Result<Json> NoteOp(const ProvedEntry& e, uint64_t seq, size_t op) {
  CERT_ASSIGN(note, NoteOf(e, seq));
  if (!note.contains("ops") || !note["ops"].is_array() || op >= note["ops"].size() ||
      !note["ops"][op].is_object()) {
    return BundleError("entry " + Seq(seq) + ": its note has no outcome of operation " + Seq(op));
  }
  return note["ops"][op];
}

// "I<s>.<k>" -> (s, k).
std::optional<std::pair<uint64_t, size_t>> ParseIssuance(const std::string& id) {
  const size_t dot = id.find('.');
  if (id.size() < 4 || id[0] != 'I' || dot == std::string::npos) return std::nullopt;
  auto s = ParseDecimalU64(std::string_view(id).substr(1, dot - 1));
  auto k = ParseDecimalU64(std::string_view(id).substr(dot + 1));
  if (!s || !k) return std::nullopt;
  return std::make_pair(*s, size_t(*k));
}

// What the derivation collects besides the facts: every entry it read, which the bundle must
// hold and nothing else.
struct Derivation {
  const Entries& entries;
  std::set<uint64_t> used;
  std::map<std::string, uint64_t> registrations;  // "<type>/<id>" -> its entry

  Result<const ProvedEntry*> Need(uint64_t seq, const std::string& what) {
    auto it = entries.find(seq);
    if (it == entries.end()) return BundleError("the bundle lacks entry " + Seq(seq) + ", " + what);
    used.insert(seq);
    return &it->second;
  }

  // The registration entry of a generator or project: the bundle's one entry of `type` for
  // `id` (an id is registered once in a log).
  Result<const Json*> Registration(const std::string& type, const char* field,
                                   const std::string& id) {
    const std::string key = type + "/" + id;
    for (const auto& [seq, e] : entries) {
      if (e.tx.type == type && Str(e.tx.body, field) == id) {
        registrations[key] = seq;
        used.insert(seq);
        return &e.tx.body;
      }
    }
    return BundleError("the bundle lacks the " + type + " entry of \"" + id + "\"");
  }

  // Provenance: serials [first, last] of `issuance` went from the issuance's recipient to
  // `holder` through the bundle's unit.transfer entries before entry `before`, each signed by
  // the holder of the moment and moving a block that holds them. (That nobody else spent them is
  // the log's own rule, which every replay checks.)
  Status Reached(const std::string& issuance, const std::string& recipient, uint64_t first,
                 uint64_t last, const std::string& holder, uint64_t before, const std::string& of) {
    std::string at = recipient;
    for (const auto& [seq, e] : entries) {
      if (seq >= before) break;
      if (e.tx.type != "unit.transfer" || e.tx.signer != at) continue;
      auto note = NoteOf(e, seq);
      if (!note.ok()) return note.status();
      if (!note->contains("ops") || !(*note)["ops"].is_array()) continue;
      bool moved = false;
      for (const Json& op : (*note)["ops"]) {
        if (!op.is_object() || !op.contains("blocks") || !op["blocks"].is_array()) continue;
        for (const Json& b : op["blocks"]) {
          auto f = U64(b, "first"), l = U64(b, "last");
          if (Str(b, "issuance") == issuance && f && l && *f <= first && last <= *l) moved = true;
        }
      }
      if (!moved) continue;
      used.insert(seq);
      at = Str(e.tx.body, "to");
    }
    if (at != holder) {
      return BundleError(of + ": serials " + Seq(first) + "-" + Seq(last) + " of " + issuance +
                         " do not reach \"" + holder +
                         "\" through the bundle's transfers (they stop at \"" + at + "\")");
    }
    return Status::OK();
  }

  // The issuance `id` of `type` whose serials must hold [first, last]: its op and its note.
  Result<std::pair<Json, Json>> Issuance(const std::string& id, const std::string& type,
                                         uint64_t first, uint64_t last, const std::string& of) {
    auto parsed = ParseIssuance(id);
    if (!parsed) return BundleError(of + " names a malformed issuance \"" + id + "\"");
    CERT_ASSIGN(e, Need(parsed->first, "the " + type + " of " + of));
    const Json& ops = e->tx.body.contains("ops") ? e->tx.body["ops"] : Json();
    if (e->tx.type != type || !ops.is_array() || parsed->second >= ops.size()) {
      return BundleError(id + " is not operation " + Seq(parsed->second) + " of a " + type);
    }
    CERT_ASSIGN(out, NoteOp(*e, parsed->first, parsed->second));
    auto f = U64(out, "first"), l = U64(out, "last");
    if (!f || !l || first < *f || last > *l) {
      return BundleError(of + ": serials " + Seq(first) + "-" + Seq(last) +
                         " are not inside issuance " + id);
    }
    return std::make_pair(ops[parsed->second], out);
  }
};

// The blocks of operation `op` of a claim or retirement entry, each {first, last, issuance}.
Result<std::vector<std::tuple<uint64_t, uint64_t, std::string>>> Blocks(const ProvedEntry& e,
                                                                        uint64_t seq, size_t op) {
  CERT_ASSIGN(out, NoteOp(e, seq, op));
  if (!out.contains("blocks") || !out["blocks"].is_array()) {
    return BundleError("entry " + Seq(seq) + ": operation " + Seq(op) + " names no blocks");
  }
  std::vector<std::tuple<uint64_t, uint64_t, std::string>> blocks;
  for (const Json& b : out["blocks"]) {
    auto f = U64(b, "first"), l = U64(b, "last");
    if (!f || !l || *f == 0 || *f > *l || Str(b, "issuance").empty()) {
      return BundleError("entry " + Seq(seq) + ": a malformed block");
    }
    blocks.emplace_back(*f, *l, Str(b, "issuance"));
  }
  return blocks;
}

size_t OpIndex(const std::string& id) { return std::stoull(id.substr(id.find('.') + 1)); }

template <typename Row>
void SortRows(std::vector<Row>& rows, const std::string Row::*id) {
  std::sort(rows.begin(), rows.end(), [id](const Row& x, const Row& y) {
    return std::make_tuple(x.seq, x.first, OpIndex(x.*id)) <
           std::make_tuple(y.seq, y.first, OpIndex(y.*id));
  });
}

Status DeriveClaim(Derivation& d, ParkYearFacts& f, uint64_t seq, const ProvedEntry& e) {
  if (e.tx.signer != f.park_id) return Status::OK();  // joined the chain for another park-year
  const Json& ops = e.tx.body.contains("ops") ? e.tx.body["ops"] : Json();
  if (!ops.is_array()) return BundleError("entry " + Seq(seq) + " has no ops");
  for (size_t k = 0; k < ops.size(); ++k) {
    if (U64(ops[k], "reporting_year") != std::optional<uint64_t>(uint64_t(f.year))) continue;
    const std::string claim = "C" + Seq(seq) + "." + Seq(k);
    CERT_ASSIGN(blocks, Blocks(e, seq, k));
    for (const auto& [first, last, issuance] : blocks) {
      CERT_ASSIGN(iss, d.Issuance(issuance, "gec.issue", first, last, claim));
      if (Status s = d.Reached(issuance, Str(iss.second, "recipient"), first, last, e.tx.signer,
                               seq, claim);
          !s.ok()) {
        return s;
      }
      const std::string generator = Str(iss.first, "generator");
      CERT_ASSIGN(reg, d.Registration("generator.register", "generator", generator));
      ClaimedBlock c{claim,
                     seq,
                     first,
                     last,
                     last - first + 1,
                     generator,
                     Str(*reg, "technology"),
                     Str(*reg, "region"),
                     Str(iss.first, "month"),
                     issuance};
      f.gec_claims.push_back(std::move(c));
    }
  }
  return Status::OK();
}

Status DeriveRetirement(Derivation& d, ParkYearFacts& f, uint64_t seq, const ProvedEntry& e) {
  const Json& ops = e.tx.body.contains("ops") ? e.tx.body["ops"] : Json();
  if (!ops.is_array()) return BundleError("entry " + Seq(seq) + " has no ops");
  for (size_t k = 0; k < ops.size(); ++k) {
    const Json& op = ops[k];
    if (Str(op, "beneficiary") != f.park_id ||
        U64(op, "reporting_year") != std::optional<uint64_t>(uint64_t(f.year)) ||
        Str(op, "purpose") != "carbon_neutrality") {
      continue;
    }
    const std::string id = "R" + Seq(seq) + "." + Seq(k);
    CERT_ASSIGN(blocks, Blocks(e, seq, k));
    for (const auto& [first, last, issuance] : blocks) {
      CERT_ASSIGN(iss, d.Issuance(issuance, "credit.issue", first, last, id));
      if (Status s =
              d.Reached(issuance, Str(iss.second, "recipient"), first, last, e.tx.signer, seq, id);
          !s.ok()) {
        return s;
      }
      const std::string project = Str(iss.first, "project");
      CERT_ASSIGN(reg, d.Registration("project.register", "project", project));
      RetiredBlock r;
      r.retirement = id;
      r.seq = seq;
      r.instrument = Str(op, "instrument");
      r.first = first;
      r.last = last;
      r.quantity = last - first + 1;
      r.vintage = Str(iss.first, "vintage");
      r.project = project;
      r.project_region = Str(*reg, "region");
      r.purpose = "carbon_neutrality";
      r.beneficiary = f.park_id;
      r.retired_by = e.tx.signer;
      r.reporting_year = f.year;
      r.issuance = issuance;
      f.retirements.push_back(std::move(r));
    }
  }
  return Status::OK();
}

}  // namespace

Result<BundleReport> VerifyBundleV2(std::string_view text, const Json& bundle,
                                    const NamedPublicKey& log_key) {
  // One bundle has one encoding: its canonical JSON (RFC 8785), so no member can be reordered,
  // repeated or added unnoticed.
  CERT_ASSIGN(canonical, CanonicalJson(bundle));
  std::string_view body = text;
  if (body.ends_with("\n")) body.remove_suffix(1);
  if (canonical != body) return BundleError("the bundle is not canonical JSON (RFC 8785)");
  static const std::set<std::string> kRequired = {
      "checkpoint", "entries",      "facts",         "factor_set",    "format",
      "profile",    "statement_id", "statement_seq", "engagement_seq"};
  for (const std::string& k : kRequired) {
    if (!bundle.contains(k)) return BundleError("member " + k + " is missing");
  }
  for (auto it = bundle.begin(); it != bundle.end(); ++it) {
    if (!kRequired.contains(it.key()) && it.key() != "confidential") {
      return BundleError("unknown member " + it.key());
    }
  }
  if (!bundle["checkpoint"].is_string() || !bundle["entries"].is_object() ||
      !bundle["factor_set"].is_string() || !bundle["profile"].is_string() ||
      !U64(bundle, "statement_seq") || !U64(bundle, "engagement_seq")) {
    return BundleError("checkpoint, entries, factor_set, profile, statement_seq, engagement_seq");
  }
  auto cp = OpenCheckpoint(bundle["checkpoint"].get<std::string>(), log_key.name, log_key.key);
  if (!cp.ok()) return BundleError("checkpoint: " + cp.status().message());
  CERT_ASSIGN(entries, ProveEntries(bundle["entries"], *cp));
  for (const auto& [seq, e] : entries) {
    if (e.entry.version != kEntryVersion2) {
      return BundleError("entry " + Seq(seq) + " is not of ledger format 4 (entry version 2)");
    }
  }
  Derivation d{entries, {}, {}};
  CERT_ASSIGN(genesis, d.Need(0, "the genesis"));
  if (genesis->tx.type != "genesis" || U64(genesis->tx.body, "format").value_or(0) < 4) {
    return BundleError("entry 0 is not the genesis of a ledger of format 4 or later");
  }
  // The statement.
  const uint64_t stmt_seq = *U64(bundle, "statement_seq");
  if (Str(bundle, "statement_id") != StatementId(stmt_seq)) {
    return BundleError("statement_id does not name entry " + Seq(stmt_seq));
  }
  CERT_ASSIGN(st, d.Need(stmt_seq, "the statement"));
  if (st->tx.type != "statement.record" || !st->tx.body.contains("statement") ||
      !st->tx.body["statement"].is_object()) {
    return BundleError("entry " + Seq(stmt_seq) + " is not a statement.record");
  }
  const Json& content = st->tx.body["statement"];
  const auto checkpoint_size = U64(st->tx.body, "checkpoint_size");
  const std::string park = Str(content, "park");
  const auto year = U64(content, "year");
  if (!checkpoint_size || park.empty() || !year || !content.contains("inventory")) {
    return BundleError("the statement names no park, year, inventory or checkpoint_size");
  }
  const std::string scope = ParkYearScope(park, int64_t(*year));

  // Completeness: the statement entry names the park-year's previous entry, which names its
  // own, down to the first (prev 0). The log wrote every link and any replay recomputes them,
  // so the walk reaches every entry that ever touched the park-year before the statement.
  std::vector<uint64_t> chain;
  CERT_ASSIGN(link, LinkOf(*st, stmt_seq, scope));
  if (!link) return BundleError("the statement entry does not join the chain of " + scope);
  for (uint64_t prev = *link; prev != 0;) {
    CERT_ASSIGN(e, d.Need(prev, "of the chain of " + scope));
    CERT_ASSIGN(next, LinkOf(*e, prev, scope));
    if (!next) return BundleError("entry " + Seq(prev) + " does not join the chain of " + scope);
    chain.push_back(prev);
    prev = *next;
  }
  std::reverse(chain.begin(), chain.end());

  // The facts, derived.
  ParkYearFacts f;
  f.park_id = park;
  f.year = int(*year);
  CERT_ASSIGN(account, d.Registration("account.create", "account", park));
  if (Str(*account, "role") != "park") return BundleError("\"" + park + "\" is not a park account");
  f.park_region_code = Str(*account, "region");
  uint64_t inventory_seq = 0;
  std::string engaged;
  uint64_t engagement_seq = 0;
  std::map<std::string, uint64_t> acceptances;
  for (uint64_t seq : chain) {
    const ProvedEntry& e = entries.at(seq);
    const std::string& type = e.tx.type;
    const bool by_park = e.tx.signer == park;
    if (type == "certifier.engage" && by_park) {
      engaged = Str(e.tx.body, "certifier");
      engagement_seq = seq;
    } else if (type == "certifier.revoke" && by_park && Str(e.tx.body, "certifier") == engaged) {
      engaged.clear();
      engagement_seq = 0;
    }
    if (seq >= *checkpoint_size) continue;  // after the facts the statement rests on
    if (type == "inventory.record" && by_park) {
      inventory_seq = seq;
    } else if (type == "gec.claim") {
      if (Status s = DeriveClaim(d, f, seq, e); !s.ok()) return s;
    } else if (type == "credit.retire") {
      if (Status s = DeriveRetirement(d, f, seq, e); !s.ok()) return s;
    } else if (type == "retirement.accept" && by_park) {
      acceptances[Str(e.tx.body, "retirement")] = seq;
    }
  }
  for (RetiredBlock& r : f.retirements) {
    if (r.retired_by == park) continue;
    if (auto a = acceptances.find(r.retirement); a != acceptances.end()) r.accepted_seq = a->second;
  }
  SortRows(f.gec_claims, &ClaimedBlock::claim);
  SortRows(f.retirements, &RetiredBlock::retirement);
  if (engaged != st->tx.signer || engagement_seq != *U64(bundle, "engagement_seq")) {
    return BundleError("the statement's signer \"" + st->tx.signer + "\" is not the certifier " +
                       park + " engaged for " + Seq(*year) + " (engagement entry " +
                       Seq(engagement_seq) + ")");
  }
  const auto named_inventory = U64(content["inventory"], "entry_seq");
  if (inventory_seq == 0 || named_inventory != std::optional<uint64_t>(inventory_seq)) {
    return BundleError("the park-year's inventory as of tree size " + Seq(*checkpoint_size) +
                       " is entry " + Seq(inventory_seq) + ", not the one the statement names");
  }
  const ProvedEntry& inv = entries.at(inventory_seq);
  const std::string commitment = Str(inv.tx.body, "commitment");
  if (commitment.empty()) return BundleError("the inventory entry names no commitment");
  f.inventory_entry_seq = inventory_seq;
  f.inventory_entry_hash = HexEncode(AsBytes(merkle::HashLeaf(EncodeEntry(inv.entry))));
  f.inventory_commitment = commitment;

  // Nothing but what the statement rests on.
  for (const auto& [seq, e] : entries) {
    if (!d.used.contains(seq)) {
      return BundleError("entry " + Seq(seq) + " is not one the statement rests on");
    }
  }
  // The readable table is what was derived, exactly.
  Json facts = FactsJson(f);
  facts.erase("previous_year");
  if (facts != bundle["facts"]) {
    return BundleError("facts differ from what the entries say (derived: " + facts.dump() + ")");
  }
  // The data files are the ones the statement names.
  auto factor_bytes = Base64Decode(bundle["factor_set"].get<std::string>());
  auto profile_bytes = Base64Decode(bundle["profile"].get<std::string>());
  if (!factor_bytes.ok() || !profile_bytes.ok()) return BundleError("data files are not base64");
  CERT_ASSIGN(factors, accounting::FactorSet::Parse(*factor_bytes));
  CERT_ASSIGN(profile, accounting::ParsePolicyProfile(*profile_bytes));
  const Json& named_factors = content.contains("factor_set") ? content["factor_set"] : Json();
  const Json& named_profile = content.contains("profile") ? content["profile"] : Json();
  if (Str(named_factors, "sha256") != factors.sha256_hex() ||
      Str(named_profile, "sha256") != profile.sha256_hex()) {
    return BundleError("the bundled factor set or profile is not the one the statement names");
  }
  BundleReport report;
  report.statement_id = StatementId(stmt_seq);
  report.park = park;
  report.year = int64_t(*year);
  report.certifier = st->tx.signer;
  report.verdict = Str(content, "verdict");
  report.tree_size = cp->size;
  report.entries_proved = entries.size();
  report.engagement_seq = engagement_seq;
  report.chain_entries = chain.size();
  // The confidential inventory, when the bundle carries it: the commitment must open, and the
  // statement must be exactly what the engine computes from it, the files and the facts.
  if (!bundle.contains("confidential")) {
    report.recomputed = false;
    return report;
  }
  auto document = OpenAttachment(bundle["confidential"], commitment);
  if (!document.ok()) return BundleError("confidential: " + document.status().message());
  CERT_ASSIGN(content_text, CanonicalJson(content));
  if (Status s = accounting::VerifyStatementContent(content_text, *document, factors, profile,
                                                    f.ForAccounting());
      !s.ok()) {
    return BundleError("recomputation: " + s.message());
  }
  report.recomputed = true;
  return report;
}

}  // namespace carbonledger::certification
