#include "ledger/certification/reports.h"

#include <map>
#include <set>

#include "accounting/emissions.h"
#include "accounting/evaluation.h"
#include "accounting/evaluation_scheme.h"
#include "accounting/factor_set.h"
#include "accounting/inventory.h"
#include "accounting/neutrality.h"
#include "accounting/statement.h"
#include "crypto/canonical_json.h"
#include "crypto/encoding.h"
#include "ledger/certification/internal/assessment_record.h"
#include "ledger/certification/internal/decimal_u64.h"
#include "ledger/certification/internal/default_factors.h"
#include "ledger/certification/internal/state_keys.h"
#include "ledger/certification/internal/status_macros.h"
#include "ledger/certification/park_facts.h"
#include "ledger/log/ledger.h"
#include "ledger/log/transaction.h"
#include "ledger/registry/accounts.h"
#include "ledger/registry/queries.h"

namespace carbonledger {
namespace {

using certification::DefaultFactors;

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
  accounting::LedgerFacts engine = facts.ForAccounting();
  CERT_ASSIGN(factors, DefaultFactors());
  CERT_ASSIGN(parsed, accounting::ParseInventory(inv.document));
  CERT_ASSIGN(method, LedgerMethod(ledger.state()));
  CERT_ASSIGN(result, accounting::ComputeInventory(parsed, factors, &engine, method));
  return ComputedParkYear{inv, engine, factors, parsed, result};
}

}  // namespace

Result<nlohmann::json> InventoryReport(const Ledger& ledger, const std::string& park,
                                       int64_t year) {
  CERT_ASSIGN(c, ComputeParkYear(ledger, park, year));
  auto& [inv, facts, factors, parsed, result] = c;
  nlohmann::json out = {{"park", park},
                        {"year", year},
                        {"entry_seq", inv.seq},
                        {"entry_hash", facts.inventory_entry_hash},
                        {"content_sha256", inv.content_sha256},
                        {"versions", inv.versions},
                        {"document", nlohmann::json::parse(inv.document)},
                        {"result", accounting::InventoryResultToJson(result)}};
  if (!inv.commitment.empty()) {
    // Ledger format 4: the document is confidential; its reader gets the salt that opens the
    // public commitment (docs/certification.md §Confidential inventories).
    out.erase("content_sha256");
    out["commitment"] = inv.commitment;
    out["salt"] = inv.salt;
  }
  return out;
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
  // Assessor points: from ledger format 4 the engaged certifier's assessment.record for each
  // scheme (docs/certification.md §assessment.record); before, only what an inventory record
  // carried (its body had no such member, so none).
  CERT_ASSIGN(format, LedgerFormat(ledger.state()));
  std::map<std::string, nlohmann::json> recorded;  // scheme -> its asm/ record
  if (format >= 4) {
    for (const std::string& id : accounting::EmbeddedEvaluationSchemeIds()) {
      CERT_ASSIGN(r, GetRecord(ledger.state(), certification::AssessmentKey(park, year, id)));
      if (r.has_value()) recorded[id] = *r;
    }
  } else {
    CERT_ASSIGN(entry, ledger.GetEntry(inv.seq));
    CERT_ASSIGN(tx, TransactionFromCanonical(entry.entry.tx));
    if (tx.body.contains("assessment")) {
      recorded["anhui-2024"] = {{"assessment", tx.body["assessment"]}};
    }
  }
  const bool declared = recorded.contains("anhui-2024");
  accounting::AnhuiAssessment assessment;
  if (declared) {
    CERT_ASSIGN(text, CanonicalJson(recorded["anhui-2024"]["assessment"]));
    CERT_ASSIGN(a, accounting::ParseAnhuiAssessment(text));
    assessment = a;
  }
  CERT_ASSIGN(eval, accounting::EvaluateAnhui(parsed, result, facts.previous_year, assessment));
  accounting::AnhuiEntryCheck entry_check =
      accounting::CheckAnhuiEntry(result, facts.previous_year, assessment);
  // Every shipped scheme (docs/evaluations.md), each with the assessment recorded for it.
  nlohmann::json evaluations = nlohmann::json::array();
  for (const std::string& id : accounting::EmbeddedEvaluationSchemeIds()) {
    CERT_ASSIGN(scheme, accounting::EmbeddedEvaluationScheme(id));
    accounting::Assessment scheme_assessment;
    auto r = recorded.find(id);
    if (r != recorded.end()) {
      CERT_ASSIGN(text, CanonicalJson(r->second["assessment"]));
      CERT_ASSIGN(a, accounting::ParseAssessment(text, scheme));
      scheme_assessment = a;
    }
    CERT_ASSIGN(
        e, accounting::Evaluate(scheme, parsed, result, facts.previous_year, scheme_assessment));
    nlohmann::json j = accounting::EvaluationToJson(e);
    if (r != recorded.end() && r->second.contains("certifier")) {
      j["assessed_by"] = {{"certifier", r->second["certifier"]},
                          {"entry_seq", r->second["seq"]},
                          {"opinion", r->second["opinion"]}};
    }
    evaluations.push_back(std::move(j));
  }
  std::string said = "none recorded: assessor indicators not assessed";
  if (declared && recorded["anhui-2024"].contains("certifier")) {
    said = "recorded by certifier " + recorded["anhui-2024"]["certifier"].get<std::string>() +
           " (entry " + recorded["anhui-2024"]["seq"].dump() + ")";
  } else if (declared) {
    said = "declared by the park with its inventory";
  }
  return nlohmann::json{{"park", park},
                        {"year", year},
                        {"inventory_entry_seq", inv.seq},
                        {"assessment", said},
                        {"previous_year_inventory", facts.previous_year.has_value()},
                        {"evaluation", accounting::AnhuiEvaluationToJson(eval)},
                        {"entry_criteria", accounting::AnhuiEntryCheckToJson(entry_check)},
                        {"evaluations", evaluations}};
}

Result<StatementDraft> DraftStatement(const Ledger& ledger, const std::string& park, int64_t year,
                                      const accounting::PolicyProfile& profile) {
  uint64_t size = ledger.size();
  CERT_ASSIGN(inv, RequireInventory(ledger, park, year));
  CERT_ASSIGN(facts, ParkFacts(ledger, park, year));
  facts.AsOf(size);  // what the statement's bundle will rest on (StatementBundle)
  CERT_ASSIGN(factors, DefaultFactors());
  CERT_ASSIGN(method, LedgerMethod(ledger.state()));
  CERT_ASSIGN(content, accounting::BuildStatementContent(inv.document, factors, profile,
                                                         facts.ForAccounting(), method));
  return StatementDraft{nlohmann::json::parse(content), size};
}

std::string StatementId(uint64_t seq) { return "S" + std::to_string(seq); }

namespace {

// What the ledger recorded about a statement's park-year after the statement's tree size: a
// correction of the inventory it names, claims, retirements and acceptances, and later
// statements. None of it changes the statement or its bundle (both rest on the facts as of
// its checkpoint_size); a reader is shown it beside the verdict.
Result<nlohmann::json> StatementSince(const Ledger& ledger, const nlohmann::json& record) {
  const std::string park = record["park"];
  const int64_t year = record["year"];
  const uint64_t size = record["checkpoint_size"];
  nlohmann::json since = {{"claims", nlohmann::json::array()},
                          {"retirements", nlohmann::json::array()},
                          {"acceptances", nlohmann::json::array()},
                          {"statements", nlohmann::json::array()}};
  // The current version's seq only: a mirror, which holds no confidential document, has it too.
  CERT_ASSIGN(inv, InventoryInState(ledger.state(), park, year, std::nullopt));
  if (inv && nlohmann::json(inv->seq) != record["inventory_seq"]) {
    since["inventory_superseded_by"] = inv->seq;
  }
  CERT_ASSIGN(py, QueryParkYear(ledger.state(), park, year));
  std::map<std::string, nlohmann::json> claims, retirements;
  for (const ClaimedBlock& c : py.claims) {
    if (c.seq < size) continue;
    auto& row =
        claims.try_emplace(c.claim, nlohmann::json{{"claim", c.claim}, {"seq", c.seq}, {"mwh", 0}})
            .first->second;
    row["mwh"] = row["mwh"].get<uint64_t>() + c.quantity;
  }
  for (const RetiredBlock& r : py.retirements) {
    if (r.seq >= size) {
      auto& row = retirements
                      .try_emplace(r.retirement, nlohmann::json{{"retirement", r.retirement},
                                                                {"seq", r.seq},
                                                                {"instrument", r.instrument},
                                                                {"retired_by", r.retired_by},
                                                                {"purpose", r.purpose},
                                                                {"quantity_tco2e", 0}})
                      .first->second;
      row["quantity_tco2e"] = row["quantity_tco2e"].get<uint64_t>() + r.quantity;
    }
    if (r.accepted_seq >= size) {
      nlohmann::json a = {{"retirement", r.retirement}, {"seq", r.accepted_seq}};
      if (since["acceptances"].empty() || since["acceptances"].back() != a) {
        since["acceptances"].push_back(a);
      }
    }
  }
  for (auto& [id, row] : claims) since["claims"].push_back(row);
  for (auto& [id, row] : retirements) since["retirements"].push_back(row);
  CERT_ASSIGN(ids, ParkStatements(ledger.state(), park, year));
  for (const std::string& other : ids) {
    if (other != record["id"] && std::stoull(other.substr(1)) > record["seq"].get<uint64_t>()) {
      since["statements"].push_back(other);
    }
  }
  return since;
}

}  // namespace

Result<nlohmann::json> GetStatement(const Ledger& ledger, const std::string& id) {
  CERT_ASSIGN(record, GetRecord(ledger.state(), certification::StatementKey(id)));
  if (!record.has_value()) {
    return Status::NotFound("statement.not_found", "no statement \"" + id + "\"");
  }
  CERT_ASSIGN(entry, ledger.GetEntry((*record)["seq"]));
  CERT_ASSIGN(tx, TransactionFromCanonical(entry.entry.tx));
  nlohmann::json out = *record;
  out["statement"] = tx.body["statement"];
  out["entry_hash"] = HexEncode(AsBytes(entry.leaf_hash));
  out["signer_key"] = Base64Encode(AsBytes(entry.entry.signer_key));
  out["signature"] = Base64Encode(AsBytes(entry.entry.signature));
  CERT_ASSIGN(since, StatementSince(ledger, *record));
  out["superseded"] = since.contains("inventory_superseded_by");
  out["since"] = std::move(since);
  return out;
}

Result<std::vector<std::string>> ParkStatements(const StateReader& state, const std::string& park,
                                                int64_t year) {
  std::vector<std::string> ids;
  Status s = state.Scan(certification::ParkStatementPrefix(park, year),
                        [&](const std::string&, const std::string& v) {
                          ids.push_back(v);
                          return true;
                        });
  if (!s.ok()) return s;
  return ids;
}

Result<ParkPage> ListParks(const StateReader& state, const std::string& after, size_t limit) {
  ParkPage page;
  std::vector<std::string> ids;
  const std::string prefix(kParkIndexPrefix);
  // The first key after "ap/<after>" is "ap/<after>\0…" or later: seek to it.
  const std::string start = after.empty() ? prefix : prefix + after + std::string(1, '\0');
  Status s = state.ScanFrom(prefix, start, [&](const std::string& key, const std::string&) {
    if (ids.size() == limit) {
      page.more = true;
      return false;
    }
    ids.push_back(key.substr(prefix.size()));
    return true;
  });
  if (!s.ok()) return s;
  auto& parks = page.parks;
  for (const std::string& id : ids) {
    CERT_ASSIGN(account, FindAccount(state, id));
    if (!account.has_value() || account->role != Role::kPark) {
      return Status::Corruption("store.park_index",
                                "park index names \"" + id + "\", which is not a park account");
    }
    parks.push_back({account->id, account->name, account->region, {}});
  }
  for (ParkSummary& park : parks) {
    CERT_ASSIGN(unit_years, ParkYearsWithUnits(state, park.id));
    std::set<int64_t> years(unit_years.begin(), unit_years.end());
    // Keys "inv/<park>/<year>" and "pstmt/<park>/<year>/<seq>".
    for (const char* kind :
         {certification::kInventoryPrefix, certification::kParkStatementPrefix}) {
      const std::string prefix = kind + park.id + "/";
      s = state.Scan(prefix, [&](const std::string& key, const std::string&) {
        std::string_view rest = std::string_view(key).substr(prefix.size());
        auto year = certification::ParseDecimalU64(rest.substr(0, rest.find('/')));
        if (year && *year <= 9999) years.insert(int64_t(*year));
        return true;
      });
      if (!s.ok()) return s;
    }
    park.years.assign(years.begin(), years.end());
  }
  return page;
}

}  // namespace carbonledger
