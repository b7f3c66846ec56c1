// LedgerFacts: what the ledger says about one park and one year, filled by the ledger layer
// and handed to the pure accounting functions (green-power attribution, neutrality check,
// statement). The accounting library never reads the ledger itself.
//
// Invariant expected of the filler: every GecBlock is a claim (认领) recorded for this park and
// year, every CreditRetirement a retirement (注销) whose beneficiary is this park and whose
// reporting year is this year, each with the sequence number of the ledger entry that recorded
// it and whose act it is for the park (RetirementStatus). The accounting code re-checks what it
// can (park, year, purpose) and reports every mismatch of a retirement the park made or
// accepted as a reason.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounting/decimal.h"

namespace carbonledger::accounting {

// A block of green electricity certificates (绿证, 1 certificate = 1 MWh) claimed for the park.
struct GecBlock {
  std::string instrument = "GEC";
  std::string first_serial;  // inclusive
  std::string last_serial;   // inclusive
  uint64_t mwh = 0;          // certificates in the block
  std::string generator_id;
  std::string technology;        // "wind", "solar_pv" …
  std::string province;          // GB/T 2260 code of the generator, e.g. "150000"
  std::string generation_month;  // "YYYY-MM"
  uint64_t claim_entry_seq = 0;  // the ledger entry that recorded the claim
};

// Whose act a retirement is for its beneficiary park (docs/accounting.md §What counts): the
// park retired the credits itself; another account retired them for the park and the park
// accepted the retirement (retirement.accept), which makes it the park's own act; or another
// account retired them and the park has not accepted. Only the first two count toward the
// park's neutrality, eligible or not; the third is listed, never counted and never a reason, so
// nobody can fail another park's claim by retiring credits for it.
enum class RetirementStatus { kOwn, kAccepted, kNotAccepted };
inline std::string_view RetirementStatusName(RetirementStatus s) {
  return s == RetirementStatus::kOwn        ? "own"
         : s == RetirementStatus::kAccepted ? "accepted"
                                            : "not_accepted";
}

// A retired block of carbon credits (注销). One retirement spanning several blocks (different
// projects or vintages) is given as several rows with the same retirement_id and their serials.
struct CreditRetirement {
  std::string retirement_id;
  uint64_t first_serial = 0;  // the block's serials, inclusive
  uint64_t last_serial = 0;
  std::string instrument;  // "CCER" or "CIC" (碳普惠减排量, carbon inclusive credit)
  uint64_t quantity_tco2e = 0;
  int vintage = 0;  // the year the reductions happened
  std::string project_id;
  std::string project_region_code;  // GB/T 2260, e.g. "340000" (Anhui)
  std::string purpose;              // "carbon_neutrality", "compliance" or "voluntary"
  std::string beneficiary_park_id;
  int reporting_year = 0;  // the inventory year the retirement is for
  uint64_t entry_seq = 0;
  RetirementStatus status = RetirementStatus::kOwn;
  uint64_t acceptance_entry_seq = 0;  // kAccepted: the retirement.accept entry
};

// The figures of the park's previous-year inventory that the Anhui evaluation compares with
// (change of total CO2, coal use). Make it with PreviousYearOf(InventoryResult).
struct PreviousYear {
  int year = 0;
  Decimal accounted_t;                 // E_park, accounted view
  std::optional<Decimal> coal_use_gj;  // absent when a coal line had no NCV
};

struct LedgerFacts {
  std::string park_id;
  int year = 0;
  std::string park_region_code;  // GB/T 2260 code of the park's location, e.g. "340100"
  std::vector<GecBlock> gec_claims;
  std::vector<CreditRetirement> retirements;
  uint64_t inventory_entry_seq = 0;  // the ledger entry holding the inventory document
  std::string inventory_entry_hash;  // its hash, hex
  // The salted commitment the inventory entry names (ledger format 4, hex), or "" for a
  // public inventory: the statement then names the commitment instead of the document's
  // unsalted content hash, which would let anyone confirm a guessed document.
  std::string inventory_commitment;
  std::optional<PreviousYear> previous_year;
};

}  // namespace carbonledger::accounting
