#include "ledger/certification/park_facts.h"

#include <algorithm>

#include "accounting/emissions.h"
#include "accounting/inventory.h"
#include "crypto/canonical_json.h"
#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "ledger/certification/confidential.h"
#include "ledger/certification/internal/default_factors.h"
#include "ledger/certification/internal/state_keys.h"
#include "ledger/certification/internal/status_macros.h"
#include "ledger/log/ledger.h"
#include "ledger/log/transaction.h"
#include "ledger/log/tx_types.h"
#include "ledger/registry/accounts.h"

namespace carbonledger {

using certification::InventoryKey;

Result<std::optional<InventoryVersion>> InventoryInState(const StateReader& state,
                                                         const std::string& park, int64_t year,
                                                         std::optional<uint64_t> seq) {
  CERT_ASSIGN(record, GetRecord(state, InventoryKey(park, year)));
  if (!record.has_value()) return std::optional<InventoryVersion>();
  InventoryVersion v;
  v.seq = (*record)["seq"];
  v.versions = (*record)["versions"].get<std::vector<uint64_t>>();
  if (seq && *seq != v.seq) {
    if (std::find(v.versions.begin(), v.versions.end(), *seq) == v.versions.end()) {
      return Status::NotFound("inventory.not_found", "entry " + std::to_string(*seq) +
                                                         " is no inventory of " + park + " " +
                                                         std::to_string(year));
    }
    v.seq = *seq;
  }
  CERT_ASSIGN(kept, certification::ConfidentialInventory(state, v.seq));
  if (kept.has_value()) {
    // A confidential version (ledger format 4): the commitment is recomputed from what is kept.
    CERT_ASSIGN(doc, CanonicalJson((*kept)["inventory"]));
    CERT_ASSIGN(salt, HexDecode((*kept)["salt"].get<std::string>()));
    v.document = doc;
    v.salt = (*kept)["salt"];
    v.commitment = certification::InventoryCommitment(doc, salt);
  } else if (v.seq == (*record)["seq"] && record->contains("commitment")) {
    v.commitment = (*record)["commitment"];
  } else if (v.seq == (*record)["seq"]) {
    v.content_sha256 = (*record)["content_sha256"];
  }
  return std::optional<InventoryVersion>(std::move(v));
}

namespace {

Result<std::optional<InventoryVersion>> InventoryVersionOf(const Ledger& ledger,
                                                           const std::string& park, int64_t year,
                                                           std::optional<uint64_t> seq) {
  CERT_ASSIGN(v, InventoryInState(ledger.state(), park, year, seq));
  if (!v.has_value() || !v->document.empty()) return v;
  CERT_ASSIGN(entry, ledger.GetEntry(v->seq));
  CERT_ASSIGN(tx, TransactionFromCanonical(entry.entry.tx));
  if (!tx.body.contains("inventory")) {
    return Status::NotFound("inventory.withheld",
                            "the inventory of entry " + std::to_string(v->seq) +
                                " is confidential and this store does not hold it");
  }
  CERT_ASSIGN(doc, CanonicalJson(tx.body["inventory"]));
  v->document = doc;
  if (v->content_sha256.empty()) v->content_sha256 = HexEncode(AsBytes(Sha256(doc)));
  return v;
}

}  // namespace

Result<std::optional<InventoryVersion>> CurrentInventory(const Ledger& ledger,
                                                         const std::string& park, int64_t year) {
  return InventoryVersionOf(ledger, park, year, std::nullopt);
}

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

Result<accounting::MethodVersion> LedgerMethod(const StateReader& state) {
  CERT_ASSIGN(format, LedgerFormat(state));
  return format >= 4 ? accounting::MethodVersion::kV2 : accounting::MethodVersion::kV1;
}

int VintageYear(std::string_view v) {
  std::string_view year = v.size() >= 15 ? v.substr(8, 4) : v.substr(0, 4);
  return year.size() == 4 && year.find_first_not_of("0123456789") == std::string_view::npos
             ? std::stoi(std::string(year))
             : 0;
}

accounting::LedgerFacts ParkYearFacts::ForAccounting() const {
  accounting::LedgerFacts f;
  f.park_id = park_id;
  f.year = year;
  f.park_region_code = park_region_code;
  f.inventory_entry_seq = inventory_entry_seq;
  f.inventory_entry_hash = inventory_entry_hash;
  f.inventory_commitment = inventory_commitment;
  f.previous_year = previous_year;
  for (const ClaimedBlock& c : gec_claims) {
    f.gec_claims.push_back({"GEC", std::to_string(c.first), std::to_string(c.last), c.quantity,
                            c.generator, c.technology, c.region, c.generation_month, c.seq});
  }
  for (const RetiredBlock& r : retirements) {
    f.retirements.push_back({r.retirement, r.first, r.last, r.instrument, r.quantity,
                             VintageYear(r.vintage), r.project, r.project_region, r.purpose,
                             r.beneficiary, int(r.reporting_year), r.seq, StatusOf(r),
                             r.accepted_seq});
  }
  return f;
}

void ParkYearFacts::AsOf(uint64_t size) {
  std::erase_if(gec_claims, [&](const ClaimedBlock& c) { return c.seq >= size; });
  std::erase_if(retirements, [&](const RetiredBlock& r) { return r.seq >= size; });
  for (RetiredBlock& r : retirements) {
    if (r.accepted_seq >= size) r.accepted_seq = 0;
  }
}

accounting::RetirementStatus StatusOf(const RetiredBlock& r) {
  using accounting::RetirementStatus;
  if (r.retired_by == r.beneficiary) return RetirementStatus::kOwn;
  return r.accepted_seq ? RetirementStatus::kAccepted : RetirementStatus::kNotAccepted;
}

Result<ParkYearFacts> ParkFactsInState(const StateReader& state, const std::string& park,
                                       int64_t year, uint64_t inventory_seq,
                                       const std::string& inventory_entry_hash) {
  CERT_ASSIGN(account, FindAccount(state, park));
  if (!account.has_value() || account->role != Role::kPark) {
    return Status::NotFound("park.unknown", "\"" + park + "\" is not a park account");
  }
  CERT_ASSIGN(inv, InventoryInState(state, park, year, inventory_seq));
  if (!inv.has_value()) {
    return Status::NotFound(
        "inventory.not_found",
        "park \"" + park + "\" has recorded no inventory for " + std::to_string(year));
  }
  CERT_ASSIGN(py, QueryParkYear(state, park, year));
  ParkYearFacts f;
  f.park_id = park;
  f.year = int(year);
  f.park_region_code = account->region;
  f.inventory_entry_seq = inventory_seq;
  f.inventory_entry_hash = inventory_entry_hash;
  f.inventory_commitment = inv->commitment;
  f.gec_claims = std::move(py.claims);
  for (RetiredBlock& r : py.retirements) {
    if (r.purpose == "carbon_neutrality") f.retirements.push_back(std::move(r));
  }
  return f;
}

Result<ParkYearFacts> ParkFacts(const Ledger& ledger, const std::string& park, int64_t year,
                                std::optional<uint64_t> inventory_seq) {
  CERT_ASSIGN(account, FindAccount(ledger.state(), park));
  if (!account.has_value() || account->role != Role::kPark) {
    return Status::NotFound("park.unknown", "\"" + park + "\" is not a park account");
  }
  // The inventory's seq and versions only: the facts need no document, so a store without the
  // confidential data (a mirror's) gives them too.
  CERT_ASSIGN(current, InventoryInState(ledger.state(), park, year, std::nullopt));
  if (!current) {
    return Status::NotFound(
        "inventory.not_found",
        "park \"" + park + "\" has recorded no inventory for " + std::to_string(year));
  }
  const InventoryVersion& inv = *current;
  const uint64_t seq = inventory_seq.value_or(inv.seq);
  if (seq != inv.seq &&
      std::find(inv.versions.begin(), inv.versions.end(), seq) == inv.versions.end()) {
    return Status::NotFound("inventory.not_found", "entry " + std::to_string(seq) +
                                                       " is no inventory of " + park + " " +
                                                       std::to_string(year));
  }
  CERT_ASSIGN(entry, ledger.GetEntry(seq));
  CERT_ASSIGN(
      f, ParkFactsInState(ledger.state(), park, year, seq, HexEncode(AsBytes(entry.leaf_hash))));
  // Last year's recorded inventory, for the evaluation's year-on-year indicators (a mirror
  // without the confidential store has none to read).
  auto prev = CurrentInventory(ledger, park, year - 1);
  if (!prev.ok() && prev.status().reason() != "inventory.withheld") return prev.status();
  if (prev.ok() && prev->has_value()) {
    CERT_ASSIGN(factors, certification::DefaultFactors());
    CERT_ASSIGN(prev_inv, accounting::ParseInventory((*prev)->document));
    CERT_ASSIGN(method, LedgerMethod(ledger.state()));
    // Method 2 (ledger format 4) computes last year with last year's facts, as this year's is:
    // its certificate-backed electricity counts at factor 0 only as far as last year's claims
    // cover it (without them every declared certificate-backed MWh of last year counted at 0,
    // claimed or not). Method 1 keeps the old figure.
    std::optional<accounting::LedgerFacts> prev_facts;
    if (method == accounting::MethodVersion::kV2) {
      CERT_ASSIGN(prev_entry, ledger.GetEntry((*prev)->seq));
      CERT_ASSIGN(py, ParkFactsInState(ledger.state(), park, year - 1, (*prev)->seq,
                                       HexEncode(AsBytes(prev_entry.leaf_hash))));
      prev_facts = py.ForAccounting();
    }
    CERT_ASSIGN(prev_result, accounting::ComputeInventory(
                                 prev_inv, factors, prev_facts ? &*prev_facts : nullptr, method));
    f.previous_year = accounting::PreviousYearOf(prev_result);
  }
  return f;
}

}  // namespace carbonledger
