#include "ledger/certification/certification.h"

#include <cstdio>
#include <map>
#include <set>

#include "accounting/data_files.h"
#include "accounting/emissions.h"
#include "accounting/evaluation.h"
#include "accounting/factor_set.h"
#include "accounting/inventory.h"
#include "accounting/neutrality.h"
#include "accounting/statement.h"
#include "crypto/canonical_json.h"
#include "crypto/encoding.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/entry.h"
#include "ledger/log/ledger.h"
#include "ledger/log/merkle.h"
#include "ledger/log/transaction.h"
#include "ledger/registry/accounts.h"
#include "ledger/registry/internal/records.h"
#include "ledger/registry/queries.h"

namespace carbonledger {
namespace {

#define CERT_ASSIGN(var, expr)                          \
  auto var##_result = (expr);                           \
  if (!var##_result.ok()) return var##_result.status(); \
  auto& var = *var##_result

Status BundleError(const std::string& what) { return Status::Corruption("bundle.invalid", what); }

// A decimal u64 with no sign, spaces or leading zeros; nullopt otherwise.
std::optional<uint64_t> ParseU64(std::string_view s) {
  if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string_view::npos ||
      (s.size() > 1 && s[0] == '0')) {
    return std::nullopt;
  }
  return std::stoull(std::string(s));
}

std::string Seq20(uint64_t seq) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%020llu", static_cast<unsigned long long>(seq));
  return buf;
}

// The year of a credit vintage: "YYYY", or the last month's year of a monitoring period
// "YYYY-MM/YYYY-MM" (docs/accounting.md §On the ledger).
int VintageYear(const std::string& v) {
  std::string year = v.size() >= 15 ? v.substr(8, 4) : v.substr(0, 4);
  return year.size() == 4 && year.find_first_not_of("0123456789") == std::string::npos
             ? std::stoi(year)
             : 0;
}

Result<accounting::FactorSet> DefaultFactors() {
  return accounting::FactorSet::Embedded(accounting::FactorSet::kDefaultVersion);
}

// The transaction of an entry, parsed.
Result<Transaction> EntryTx(const Entry& e) { return TransactionFromCanonical(e.tx); }

// Facts in a self-describing form for bundles: LedgerFacts plus the ids of the claim,
// retirement and issuance operations behind each row.
nlohmann::json FactsJson(const accounting::LedgerFacts& f, const ParkYear& py) {
  nlohmann::json claims = nlohmann::json::array(), retirements = nlohmann::json::array();
  for (size_t i = 0; i < f.gec_claims.size(); ++i) {
    const auto& g = f.gec_claims[i];
    claims.push_back({{"first_serial", g.first_serial},
                      {"last_serial", g.last_serial},
                      {"mwh", g.mwh},
                      {"generator_id", g.generator_id},
                      {"technology", g.technology},
                      {"province", g.province},
                      {"generation_month", g.generation_month},
                      {"claim_entry_seq", g.claim_entry_seq},
                      {"claim", py.claims[i].claim},
                      {"issuance", py.claims[i].issuance}});
  }
  size_t k = 0;
  for (const auto& r : py.retirements) {
    if (r.purpose != "carbon_neutrality") continue;
    const auto& c = f.retirements[k++];
    retirements.push_back({{"retirement_id", c.retirement_id},
                           {"first_serial", c.first_serial},
                           {"last_serial", c.last_serial},
                           {"instrument", c.instrument},
                           {"quantity_tco2e", c.quantity_tco2e},
                           {"vintage", c.vintage},
                           {"vintage_text", r.vintage},
                           {"project_id", c.project_id},
                           {"project_region_code", c.project_region_code},
                           {"purpose", c.purpose},
                           {"beneficiary_park_id", c.beneficiary_park_id},
                           {"reporting_year", c.reporting_year},
                           {"entry_seq", c.entry_seq},
                           {"issuance", r.issuance}});
  }
  nlohmann::json j = {{"park_id", f.park_id},
                      {"year", f.year},
                      {"park_region_code", f.park_region_code},
                      {"gec_claims", claims},
                      {"retirements", retirements},
                      {"inventory_entry_seq", f.inventory_entry_seq},
                      {"inventory_entry_hash", f.inventory_entry_hash}};
  if (f.previous_year) {
    j["previous_year"] = {{"year", f.previous_year->year},
                          {"accounted_t", f.previous_year->accounted_t.ToString()}};
    if (f.previous_year->coal_use_gj) {
      j["previous_year"]["coal_use_gj"] = f.previous_year->coal_use_gj->ToString();
    }
  }
  return j;
}

Result<accounting::LedgerFacts> FactsFromJson(const nlohmann::json& j) {
  try {
    accounting::LedgerFacts f;
    f.park_id = j.at("park_id");
    f.year = j.at("year");
    f.park_region_code = j.at("park_region_code");
    f.inventory_entry_seq = j.at("inventory_entry_seq");
    f.inventory_entry_hash = j.at("inventory_entry_hash");
    for (const auto& g : j.at("gec_claims")) {
      f.gec_claims.push_back({"GEC", g.at("first_serial"), g.at("last_serial"), g.at("mwh"),
                              g.at("generator_id"), g.at("technology"), g.at("province"),
                              g.at("generation_month"), g.at("claim_entry_seq")});
    }
    for (const auto& r : j.at("retirements")) {
      f.retirements.push_back({r.at("retirement_id"), r.at("first_serial"), r.at("last_serial"),
                               r.at("instrument"), r.at("quantity_tco2e"), r.at("vintage"),
                               r.at("project_id"), r.at("project_region_code"), r.at("purpose"),
                               r.at("beneficiary_park_id"), r.at("reporting_year"),
                               r.at("entry_seq")});
    }
    if (j.contains("previous_year")) {
      const auto& p = j["previous_year"];
      accounting::PreviousYear prev;
      prev.year = p.at("year");
      auto t = Decimal::Parse(p.at("accounted_t").get<std::string>());
      if (!t.ok()) return t.status();
      prev.accounted_t = *t;
      if (p.contains("coal_use_gj")) {
        auto c = Decimal::Parse(p["coal_use_gj"].get<std::string>());
        if (!c.ok()) return c.status();
        prev.coal_use_gj = *c;
      }
      f.previous_year = prev;
    }
    return f;
  } catch (const nlohmann::json::exception& e) {
    return BundleError(std::string("facts: ") + e.what());
  }
}

}  // namespace

std::string InventoryKey(std::string_view park, int64_t year) {
  return "inv/" + std::string(park) + "/" + std::to_string(year);
}
std::string StatementId(uint64_t seq) { return "S" + std::to_string(seq); }
std::string StatementKey(std::string_view id) { return "stmt/" + std::string(id); }
std::string ParkStatementKey(std::string_view park, int64_t year, uint64_t seq) {
  return "pstmt/" + std::string(park) + "/" + std::to_string(year) + "/" + Seq20(seq);
}

Result<std::optional<InventoryVersion>> CurrentInventory(const Ledger& ledger,
                                                         const std::string& park, int64_t year) {
  CERT_ASSIGN(record, GetRecord(ledger.state(), InventoryKey(park, year)));
  if (!record.has_value()) return std::optional<InventoryVersion>();
  InventoryVersion v;
  v.seq = (*record)["seq"];
  v.content_sha256 = (*record)["content_sha256"];
  v.versions = (*record)["versions"].get<std::vector<uint64_t>>();
  CERT_ASSIGN(entry, ledger.GetEntry(v.seq));
  CERT_ASSIGN(tx, EntryTx(entry.entry));
  CERT_ASSIGN(doc, CanonicalJson(tx.body["inventory"]));
  v.document = doc;
  return std::optional<InventoryVersion>(std::move(v));
}

namespace {

Result<InventoryVersion> RequireInventory(const Ledger& ledger, const std::string& park,
                                          int64_t year) {
  CERT_ASSIGN(inv, CurrentInventory(ledger, park, year));
  if (!inv.has_value()) {
    return Status::NotFound(
        "inventory.not_found",
        "park \"" + park + "\" has recorded no inventory for " + std::to_string(year));
  }
  return *inv;
}

// The park-year query and the facts built from it (row i of claims is claim block i).
Result<std::pair<accounting::LedgerFacts, ParkYear>> FactsAndRows(const Ledger& ledger,
                                                                  const std::string& park,
                                                                  int64_t year) {
  CERT_ASSIGN(account, GetRecord(ledger.state(), AccountKey(park)));
  if (!account.has_value() || (*account)["role"] != "park") {
    return Status::NotFound("park.unknown", "\"" + park + "\" is not a park account");
  }
  CERT_ASSIGN(inv, RequireInventory(ledger, park, year));
  CERT_ASSIGN(entry, ledger.GetEntry(inv.seq));
  CERT_ASSIGN(py, QueryParkYear(ledger.state(), park, year));
  accounting::LedgerFacts f;
  f.park_id = park;
  f.year = int(year);
  f.park_region_code = (*account)["region"];
  f.inventory_entry_seq = inv.seq;
  f.inventory_entry_hash = HexEncode(AsBytes(entry.leaf_hash));
  for (const ClaimedBlock& c : py.claims) {
    f.gec_claims.push_back({"GEC", std::to_string(c.first), std::to_string(c.last), c.quantity,
                            c.generator, c.technology, c.region, c.generation_month, c.seq});
  }
  for (const RetiredBlock& r : py.retirements) {
    if (r.purpose != "carbon_neutrality") continue;
    f.retirements.push_back({r.retirement, r.first, r.last, r.instrument, r.quantity,
                             VintageYear(r.vintage), r.project, r.project_region, r.purpose,
                             r.beneficiary, int(r.reporting_year), r.seq});
  }
  // Last year's recorded inventory, for the evaluation's year-on-year indicators.
  CERT_ASSIGN(prev, CurrentInventory(ledger, park, year - 1));
  if (prev.has_value()) {
    CERT_ASSIGN(factors, DefaultFactors());
    CERT_ASSIGN(prev_inv, accounting::ParseInventory(prev->document));
    CERT_ASSIGN(prev_result, accounting::ComputeInventory(prev_inv, factors));
    f.previous_year = accounting::PreviousYearOf(prev_result);
  }
  return std::make_pair(std::move(f), std::move(py));
}

}  // namespace

Result<accounting::LedgerFacts> ParkFacts(const Ledger& ledger, const std::string& park,
                                          int64_t year) {
  CERT_ASSIGN(both, FactsAndRows(ledger, park, year));
  return both.first;
}

namespace {

// A park-year computed from the ledger: the current inventory, the facts behind it, and the
// 910-method result with green power attributed from the claims.
struct ComputedParkYear {
  InventoryVersion inv;
  accounting::LedgerFacts facts;
  accounting::FactorSet factors;
  accounting::Inventory parsed;
  accounting::InventoryResult result;
};

Result<ComputedParkYear> ComputeParkYear(const Ledger& ledger, const std::string& park,
                                         int64_t year) {
  CERT_ASSIGN(inv, RequireInventory(ledger, park, year));
  CERT_ASSIGN(facts, ParkFacts(ledger, park, year));
  CERT_ASSIGN(factors, DefaultFactors());
  CERT_ASSIGN(parsed, accounting::ParseInventory(inv.document));
  CERT_ASSIGN(result, accounting::ComputeInventory(parsed, factors, &facts));
  return ComputedParkYear{inv, facts, factors, parsed, result};
}

}  // namespace

Result<nlohmann::json> InventoryReport(const Ledger& ledger, const std::string& park,
                                       int64_t year) {
  CERT_ASSIGN(c, ComputeParkYear(ledger, park, year));
  auto& [inv, facts, factors, parsed, result] = c;
  return nlohmann::json{{"park", park},
                        {"year", year},
                        {"entry_seq", inv.seq},
                        {"entry_hash", facts.inventory_entry_hash},
                        {"content_sha256", inv.content_sha256},
                        {"versions", inv.versions},
                        {"document", nlohmann::json::parse(inv.document)},
                        {"result", accounting::InventoryResultToJson(result)}};
}

Result<nlohmann::json> NeutralityReport(const Ledger& ledger, const std::string& park, int64_t year,
                                        const accounting::PolicyProfile& profile) {
  CERT_ASSIGN(c, ComputeParkYear(ledger, park, year));
  auto& [inv, facts, factors, parsed, result] = c;
  CERT_ASSIGN(n, accounting::CheckNeutrality(parsed, result, profile, facts));
  return nlohmann::json{{"park", park},
                        {"year", year},
                        {"inventory_entry_seq", inv.seq},
                        {"tree_size", ledger.size()},
                        {"factor_set", factors.version()},
                        {"neutrality", accounting::NeutralityResultToJson(n)}};
}

Result<nlohmann::json> EvaluationReport(const Ledger& ledger, const std::string& park,
                                        int64_t year) {
  CERT_ASSIGN(c, ComputeParkYear(ledger, park, year));
  auto& [inv, facts, factors, parsed, result] = c;
  // Assessor points the park declared with its inventory record, if any.
  CERT_ASSIGN(entry, ledger.GetEntry(inv.seq));
  CERT_ASSIGN(tx, EntryTx(entry.entry));
  accounting::AnhuiAssessment assessment;
  bool declared = tx.body.contains("assessment");
  if (declared) {
    CERT_ASSIGN(text, CanonicalJson(tx.body["assessment"]));
    CERT_ASSIGN(a, accounting::ParseAnhuiAssessment(text));
    assessment = a;
  }
  CERT_ASSIGN(eval, accounting::EvaluateAnhui(parsed, result, facts.previous_year, assessment));
  accounting::AnhuiEntryCheck entry_check =
      accounting::CheckAnhuiEntry(result, facts.previous_year, assessment);
  return nlohmann::json{
      {"park", park},
      {"year", year},
      {"inventory_entry_seq", inv.seq},
      {"assessment", declared ? "declared by the park with its inventory"
                              : "none declared: assessor indicators not assessed"},
      {"previous_year_inventory", facts.previous_year.has_value()},
      {"evaluation", accounting::AnhuiEvaluationToJson(eval)},
      {"entry_criteria", accounting::AnhuiEntryCheckToJson(entry_check)}};
}

Result<StatementDraft> DraftStatement(const Ledger& ledger, const std::string& park, int64_t year,
                                      const accounting::PolicyProfile& profile) {
  uint64_t size = ledger.size();
  CERT_ASSIGN(inv, RequireInventory(ledger, park, year));
  CERT_ASSIGN(facts, ParkFacts(ledger, park, year));
  CERT_ASSIGN(factors, DefaultFactors());
  CERT_ASSIGN(content, accounting::BuildStatementContent(inv.document, factors, profile, facts));
  return StatementDraft{nlohmann::json::parse(content), size};
}

Result<nlohmann::json> GetStatement(const Ledger& ledger, const std::string& id) {
  CERT_ASSIGN(record, GetRecord(ledger.state(), StatementKey(id)));
  if (!record.has_value()) {
    return Status::NotFound("statement.not_found", "no statement \"" + id + "\"");
  }
  CERT_ASSIGN(entry, ledger.GetEntry((*record)["seq"]));
  CERT_ASSIGN(tx, EntryTx(entry.entry));
  nlohmann::json out = *record;
  out["statement"] = tx.body["statement"];
  out["entry_hash"] = HexEncode(AsBytes(entry.leaf_hash));
  out["signer_key"] = Base64Encode(AsBytes(entry.entry.signer_key));
  out["signature"] = Base64Encode(AsBytes(entry.entry.signature));
  return out;
}

Result<std::vector<std::string>> ParkStatements(const StateReader& state, const std::string& park,
                                                int64_t year) {
  std::vector<std::string> ids;
  std::string prefix = "pstmt/" + park + "/" + std::to_string(year) + "/";
  Status s = state.Scan(prefix, [&](const std::string&, const std::string& v) {
    ids.push_back(v);
    return true;
  });
  if (!s.ok()) return s;
  return ids;
}

Result<std::vector<ParkSummary>> ListParks(const StateReader& state) {
  std::vector<ParkSummary> parks;
  Status s = state.Scan("a/", [&](const std::string&, const std::string& v) {
    auto account = nlohmann::json::parse(v, nullptr, false);
    if (account.is_object() && account.value("role", "") == "park") {
      parks.push_back(
          {account.value("id", ""), account.value("name", ""), account.value("region", ""), {}});
    }
    return true;
  });
  if (!s.ok()) return s;
  for (ParkSummary& park : parks) {
    std::set<int64_t> years;
    // Keys "<kind>/<park>/<year>" or "<kind>/<park>/<year>/...".
    for (const std::string kind : {"ry/", "inv/", "pstmt/"}) {
      const std::string prefix = kind + park.id + "/";
      s = state.Scan(prefix, [&](const std::string& key, const std::string&) {
        std::string_view rest = std::string_view(key).substr(prefix.size());
        auto year = ParseU64(rest.substr(0, rest.find('/')));
        if (year && *year <= 9999) years.insert(int64_t(*year));
        return true;
      });
      if (!s.ok()) return s;
    }
    park.years.assign(years.begin(), years.end());
  }
  return parks;
}

Result<nlohmann::json> StatementBundle(const Ledger& ledger, const std::string& id) {
  std::string checkpoint = ledger.checkpoint();
  auto body_end = checkpoint.find("\n\n");
  CERT_ASSIGN(cp, ParseCheckpointBody(checkpoint.substr(0, body_end + 1)));
  CERT_ASSIGN(stmt, GetStatement(ledger, id));
  const std::string park = stmt["park"];
  const int64_t year = stmt["year"];
  CERT_ASSIGN(both, FactsAndRows(ledger, park, year));
  const auto& [facts, py] = both;
  if (facts.inventory_entry_seq != stmt["inventory_seq"].get<uint64_t>()) {
    return Status::Conflict("statement.superseded",
                            "the inventory was corrected after statement " + id +
                                "; its bundle can no longer be assembled from current facts");
  }
  // Every entry the statement rests on, each with its inclusion proof at the checkpoint.
  std::set<uint64_t> seqs = {stmt["seq"].get<uint64_t>(), facts.inventory_entry_seq};
  auto issuance_seq = [](const std::string& iss) { return std::stoull(iss.substr(1)); };
  // The registration of each generator and project, for their region and technology.
  auto registration = [&](const std::string& key) -> Status {
    auto rec = GetRecord(ledger.state(), key);
    if (!rec.ok()) return rec.status();
    if (!rec->has_value()) return Status::NotFound("bundle.registration", "no record " + key);
    seqs.insert((**rec)["registered_seq"].get<uint64_t>());
    return Status::OK();
  };
  for (const auto& c : py.claims) {
    seqs.insert(c.seq);
    seqs.insert(issuance_seq(c.issuance));
    if (Status s = registration(registry::GeneratorKey(c.generator)); !s.ok()) return s;
  }
  for (const auto& r : py.retirements) {
    if (r.purpose != "carbon_neutrality") continue;
    seqs.insert(r.seq);
    seqs.insert(issuance_seq(r.issuance));
    if (Status s = registration(registry::ProjectKey(r.project)); !s.ok()) return s;
  }
  nlohmann::json entries = nlohmann::json::object();
  for (uint64_t seq : seqs) {
    CERT_ASSIGN(e, ledger.GetEntry(seq));
    CERT_ASSIGN(proof, ledger.ProveInclusion(seq, cp.size));
    nlohmann::json hashes = nlohmann::json::array();
    for (const Hash& h : proof.hashes) hashes.push_back(Base64Encode(AsBytes(h)));
    entries[std::to_string(seq)] = {{"entry", Base64Encode(e.bytes)}, {"proof", hashes}};
  }
  const nlohmann::json& content = stmt["statement"];
  auto factor_hash = HexDecode(content["factor_set"]["sha256"].get<std::string>());
  auto profile_hash = HexDecode(content["profile"]["sha256"].get<std::string>());
  if (!factor_hash.ok() || !profile_hash.ok() || factor_hash->size() != 32 ||
      profile_hash->size() != 32) {
    return BundleError("statement names no valid factor set or profile hash");
  }
  Hash fh, ph;
  std::copy(factor_hash->begin(), factor_hash->end(), fh.begin());
  std::copy(profile_hash->begin(), profile_hash->end(), ph.begin());
  auto factor_bytes = accounting::DataFileBySha256(fh);
  auto profile_bytes = accounting::DataFileBySha256(ph);
  if (!factor_bytes || !profile_bytes) {
    return Status::NotFound("bundle.data",
                            "the statement's factor set or profile is not one this server ships");
  }
  return nlohmann::json{{"format", "carbonledger.bundle/1"},
                        {"statement_id", id},
                        {"statement_seq", stmt["seq"]},
                        {"checkpoint", checkpoint},
                        {"entries", entries},
                        {"facts", FactsJson(facts, py)},
                        {"factor_set", Base64Encode(*factor_bytes)},
                        {"profile", Base64Encode(*profile_bytes)}};
}

namespace {

// One bundled entry, decoded and proved included in the checkpoint's tree.
struct ProvedEntry {
  Entry entry;
  Transaction tx;
};

Result<std::map<uint64_t, ProvedEntry>> ProveEntries(const nlohmann::json& entries,
                                                     const Checkpoint& cp) {
  std::map<uint64_t, ProvedEntry> out;
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    const std::string& key = it.key();
    if (!ParseU64(key)) {
      return BundleError("entry key \"" + key + "\" is not a sequence number");
    }
    uint64_t seq = *ParseU64(key);
    const nlohmann::json& v = it.value();
    if (!v.is_object() || !v.contains("entry") || !v["entry"].is_string() || !v.contains("proof") ||
        !v["proof"].is_array()) {
      return BundleError("entry " + key + " needs entry and proof");
    }
    auto bytes = Base64Decode(v["entry"].get<std::string>());
    if (!bytes.ok()) return BundleError("entry " + key + " is not base64");
    std::vector<Hash> proof;
    for (const auto& h : v["proof"]) {
      auto b = h.is_string() ? Base64Decode(h.get<std::string>()) : Result<std::string>(Status());
      if (!h.is_string() || !b.ok() || b->size() != 32) {
        return BundleError("entry " + key + " has a malformed proof hash");
      }
      Hash x;
      std::copy(b->begin(), b->end(), x.begin());
      proof.push_back(x);
    }
    if (Status s = merkle::VerifyInclusion(seq, cp.size, merkle::HashLeaf(*bytes), proof, cp.root);
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

// The operation `id` ("C12.0", "R12.1", "I7.0") of a proved entry of `type`.
Result<nlohmann::json> Operation(const std::map<uint64_t, ProvedEntry>& entries,
                                 const std::string& id, const std::string& type) {
  size_t dot = id.find('.');
  auto seq_n =
      dot == std::string::npos ? std::nullopt : ParseU64(std::string_view(id).substr(1, dot - 1));
  auto op_n =
      dot == std::string::npos ? std::nullopt : ParseU64(std::string_view(id).substr(dot + 1));
  if (!seq_n || !op_n) return BundleError("bad operation id " + id);
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

// A claim or retirement op covers the fact's units: by serial range, or by quantity (the sum
// of the fact rows of that operation must equal it).
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

}  // namespace

namespace {
Result<BundleReport> VerifyBundle(std::string_view bundle_json, const NamedPublicKey& log_key);
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

namespace {

Result<BundleReport> VerifyBundle(std::string_view bundle_json, const NamedPublicKey& log_key) {
  CERT_ASSIGN(bundle, ParseStrictJson(bundle_json, JsonLimits{size_t(64) << 20, 64}));
  if (bundle.value("format", "") != "carbonledger.bundle/1") {
    return BundleError("format must be carbonledger.bundle/1");
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
  CERT_ASSIGN(facts, FactsFromJson(bundle["facts"]));
  if (facts.inventory_entry_seq != inv_seq ||
      facts.inventory_entry_hash !=
          HexEncode(AsBytes(merkle::HashLeaf(EncodeEntry(inv->second.entry))))) {
    return BundleError("facts name another inventory entry than the statement");
  }
  std::map<std::string, uint64_t> op_units;  // units per claim/retirement op in the facts
  nlohmann::json fj = bundle["facts"];       // a copy read with non-const access: missing is null
  for (auto& g : fj["gec_claims"]) {
    const std::string claim = g.value("claim", "");
    CERT_ASSIGN(op, Operation(entries, claim, "gec.claim"));
    if (op["$signer"] != facts.park_id || op.value("reporting_year", 0) != facts.year) {
      return BundleError(claim + " is not a claim by " + facts.park_id + " for " +
                         std::to_string(facts.year));
    }
    auto first = ParseU64(g.value("first_serial", ""));
    auto last = ParseU64(g.value("last_serial", ""));
    if (!first || !last) return BundleError(claim + ": bad serials");
    if (Status s = CoversUnits(op, *first, *last, claim); !s.ok()) return s;
    op_units[claim] += g["mwh"].get<uint64_t>();
    if (op.contains("quantity")) op_units[claim + "#q"] = op["quantity"];
    CERT_ASSIGN(iss, Operation(entries, g.value("issuance", ""), "gec.issue"));
    if (iss.value("generator", "") != g["generator_id"] ||
        iss.value("month", "") != g["generation_month"]) {
      return BundleError("claimed block " + g["first_serial"].get<std::string>() +
                         " does not match its issuance's generator and month");
    }
    CERT_ASSIGN(gen, Registration(entries, "generator.register", "generator",
                                  g["generator_id"].get<std::string>()));
    if (gen.value("region", "") != g["province"] ||
        gen.value("technology", "") != g["technology"]) {
      return BundleError("claimed block " + g["first_serial"].get<std::string>() +
                         " does not match its generator's region and technology");
    }
  }
  for (auto& r : fj["retirements"]) {
    const std::string rid = r.value("retirement_id", "");
    CERT_ASSIGN(op, Operation(entries, rid, "credit.retire"));
    if (op.value("beneficiary", "") != facts.park_id ||
        op.value("reporting_year", 0) != facts.year || op.value("purpose", "") != r["purpose"] ||
        op.value("instrument", "") != r["instrument"]) {
      return BundleError(rid + " is not a retirement for " + facts.park_id + " " +
                         std::to_string(facts.year) + " with the stated purpose");
    }
    if (Status s = CoversUnits(op, r["first_serial"], r["last_serial"], rid); !s.ok()) return s;
    op_units[rid] += r["quantity_tco2e"].get<uint64_t>();
    if (op.contains("quantity")) op_units[rid + "#q"] = op["quantity"];
    CERT_ASSIGN(iss, Operation(entries, r.value("issuance", ""), "credit.issue"));
    if (iss.value("project", "") != r["project_id"] ||
        iss.value("vintage", "") != r["vintage_text"] ||
        VintageYear(r["vintage_text"].get<std::string>()) != r["vintage"].get<int>()) {
      return BundleError("retired block of " + rid +
                         " does not match its issuance's project and vintage");
    }
    CERT_ASSIGN(project, Registration(entries, "project.register", "project",
                                      r["project_id"].get<std::string>()));
    if (project.value("region", "") != r["project_region_code"]) {
      return BundleError("retired block of " + rid + " does not match its project's region");
    }
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
  if (Status s =
          accounting::VerifyStatementContent(content_text, inventory_text, factors, profile, facts);
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
  return report;
}

}  // namespace

}  // namespace carbonledger
