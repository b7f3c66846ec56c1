// Neutrality: whether a park's year is carbon-neutral (碳中和) under a PolicyProfile, from its
// computed inventory and the ledger's facts.
//
// Offsets apply in the order of seed 004 §6.5 (Shanghai T/ standard): first the park's own
// reductions, CCUS and sinks (already in the inventory), then green power and green
// certificates (the accounted view), last retired credits (CCER, carbon inclusive credits) for
// the residual. So credits only ever meet the accounted emissions:
//
//   needed  = max(accounted, 0)
//   cap     = percent × base / 100            (base: gross, accounted or baseline)
//   counted = min(eligible credits, needed, cap)
//   net     = accounted − counted
//
// Invariant: the verdict passes if and only if `reasons` is empty, and `reasons` lists every
// cause of failure (an over-cap residual, too few credits, each ineligible retirement the park
// made or accepted, each GEC claim that does not hold, certificate-backed power beyond the
// claims …), never just the first. A retirement the park has not accepted is listed in
// `retirements` and is never counted nor a reason, whatever it is.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounting/emissions.h"
#include "accounting/inventory.h"
#include "accounting/ledger_facts.h"
#include "accounting/policy_profile.h"
#include "accounting/reason.h"
#include "crypto/status.h"

namespace carbonledger::accounting {

struct RetirementOutcome {
  std::string retirement_id;
  uint64_t first_serial = 0;
  uint64_t last_serial = 0;
  uint64_t entry_seq = 0;
  std::string instrument;
  uint64_t quantity_tco2e = 0;
  RetirementStatus status = RetirementStatus::kOwn;
  bool eligible = false;        // under the profile, for this park and year
  bool counts = false;          // enters eligible_t: eligible, and the park's own or accepted
  std::vector<Reason> reasons;  // why not eligible
};

struct OffsetCap {
  Decimal percent;
  CapBase base = CapBase::kGross;
  Decimal base_t;
  Decimal cap_t;  // percent × base_t / 100, exact; 0 when the base is not positive
};

struct NeutralityResult {
  std::string park_id;
  int year = 0;
  std::string profile_id;
  std::string profile_sha256;
  std::string reading;  // the profile's stated reading, shown wherever the result is
  Decimal gross_t;
  Decimal accounted_t;
  std::optional<OffsetCap> cap;  // absent: the profile has no cap
  std::vector<RetirementOutcome> retirements;
  Decimal eligible_t;  // eligible retirements, tCO2e
  Decimal counted_t;   // credits counted against the residual
  Decimal surplus_t;   // eligible but not counted
  Decimal net_t;       // accounted − counted
  bool net_must_be_at_most_zero = true;
  // "carbon_neutral" when the profile requires net ≤ 0, else "offsets_within_cap".
  std::string claim;
  bool pass = false;
  std::vector<Reason> reasons;
};

// Checks the claim. `result` must be ComputeInventory(inventory, factors, &facts): computed
// with the same facts, so that green power is verified ("neutrality.unverified_attribution"
// otherwise); facts must name the inventory's park and year ("facts.park_mismatch",
// "facts.year_mismatch"); retirements with quantity 0, and accepted ones naming no acceptance
// entry, are "facts.bad_retirement".
Result<NeutralityResult> CheckNeutrality(const Inventory& inventory, const InventoryResult& result,
                                         const PolicyProfile& profile, const LedgerFacts& facts);

// The result as JSON: numbers as decimal strings, the offset order spelled out.
nlohmann::json NeutralityResultToJson(const NeutralityResult& result);

}  // namespace carbonledger::accounting
