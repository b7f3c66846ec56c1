// Park facts: what the ledger says about one park and one reporting year — the inventory the
// park recorded, the GEC blocks it claimed and the credits retired for it — the input the
// accounting engine is run on (docs/certification.md §Park facts).
//
// Invariant: every claim row is a GEC block of a gec.claim the park recorded for the year, and
// every retirement row a retired block of a credit.retire whose beneficiary is the park, whose
// reporting year is the year and whose purpose is carbon_neutrality, each with the entry that
// recorded it — whoever signed it; a retirement another account made carries the park's
// retirement.accept entry if the park accepted it (RetiredBlock::accepted_seq). The rows are the
// registry's own (ClaimedBlock, RetiredBlock); ForAccounting() is the one place they are turned
// into the accounting engine's rows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounting/emissions.h"
#include "accounting/ledger_facts.h"
#include "crypto/status.h"
#include "ledger/registry/queries.h"

namespace carbonledger {

class Ledger;

// A park-year's current inventory: its entry and the document (canonical JSON).
struct InventoryVersion {
  uint64_t seq = 0;
  std::string content_sha256;      // "" for a confidential inventory (ledger format 4)
  std::string commitment;          // the salted commitment of a confidential one, hex; else ""
  std::string salt;                // its salt, hex (readers of the document only)
  std::vector<uint64_t> versions;  // every entry that recorded this park-year, oldest first
  std::string document;            // canonical JSON
};
// The document of a confidential inventory comes from the confidential key space: NotFound
// "inventory.withheld" when this store does not hold it (a mirror).
Result<std::optional<InventoryVersion>> CurrentInventory(const Ledger& ledger,
                                                         const std::string& park, int64_t year);
// The same from state alone, for version `seq` of the park-year (the current one when nullopt):
// a confidential inventory's document is in state; a public one's is in its entry, which state
// does not hold, so `document` is then left empty.
Result<std::optional<InventoryVersion>> InventoryInState(const StateReader& state,
                                                         const std::string& park, int64_t year,
                                                         std::optional<uint64_t> seq);
// The current inventory, or NotFound "inventory.not_found".
Result<InventoryVersion> RequireInventory(const Ledger& ledger, const std::string& park,
                                          int64_t year);

// The accounting method a ledger's statements are computed with: version 2 (exact products,
// bounded exports; carbonledger.statement/2, docs/accounting.md) from ledger format 4, version 1
// before, so that statements recorded by older builds recompute byte for byte.
Result<accounting::MethodVersion> LedgerMethod(const StateReader& state);

// The year accounting reads a credit vintage as: "YYYY", or the year of the last month of a
// monitoring period "YYYY-MM/YYYY-MM"; 0 when it is neither.
int VintageYear(std::string_view vintage);

struct ParkYearFacts {
  std::string park_id;
  int year = 0;
  std::string park_region_code;           // the park account's GB/T 2260 region
  std::vector<ClaimedBlock> gec_claims;   // by claim entry, then serial
  std::vector<RetiredBlock> retirements;  // purpose carbon_neutrality only; by entry, then serial
  uint64_t inventory_entry_seq = 0;       // the entry holding the current inventory
  std::string inventory_entry_hash;       // its leaf hash, hex
  std::string inventory_commitment;  // the salted commitment of a confidential inventory, or ""
  std::optional<accounting::PreviousYear> previous_year;  // from last year's inventory, if any

  // The same facts as the accounting engine takes them (docs/certification.md §Row shapes).
  accounting::LedgerFacts ForAccounting() const;

  // The facts as they stood when the log held `size` entries: claims and retirements recorded
  // by entry `size` or later are left out, and an acceptance recorded since is not one yet. A
  // statement computed at a tree size (its checkpoint_size) rests on these facts, and so does
  // its bundle, whatever was recorded after.
  void AsOf(uint64_t size);
};

// Whose act a retirement row is for its beneficiary (docs/accounting.md §What counts): "own"
// when the beneficiary signed it, "accepted" when another account did and the beneficiary
// accepted it, "not_accepted" otherwise.
accounting::RetirementStatus StatusOf(const RetiredBlock& r);

// "park.unknown" when `park` is no park account, "inventory.not_found" when it recorded no
// inventory for `year`. With `inventory_seq`, the facts rest on that version of the park-year's
// inventory (one of its `versions`; a statement names the version it was computed on, which a
// later correction does not change) rather than the current one: "inventory.not_found" when it
// is not one of them.
Result<ParkYearFacts> ParkFacts(const Ledger& ledger, const std::string& park, int64_t year,
                                std::optional<uint64_t> inventory_seq = std::nullopt);
// The same from state alone, on inventory version `inventory_seq` whose entry's leaf hash is
// `inventory_entry_hash` (hex), without previous_year: what statement.record recomputes on.
Result<ParkYearFacts> ParkFactsInState(const StateReader& state, const std::string& park,
                                       int64_t year, uint64_t inventory_seq,
                                       const std::string& inventory_entry_hash);

}  // namespace carbonledger
