// Registry queries: read-only views of the registry that the rules in docs/registry-rules.md
// keep in ledger state. Every function takes a StateReader (Ledger::state() on a server, a
// replayed MemoryState in verify tools and tests) and reads only records, never the log.
//
// Instruments are "GEC" (绿证, 1 unit = 1 MWh), "CCER" and "CIC" (碳普惠, 1 unit = 1 tCO2e).
// Units carry serial numbers 1..2^53-1, one counter per instrument, never reused; a block is a
// range [first, last] of one instrument with shared attributes, written "GEC-1-1000" (or
// "GEC-7" for one unit). Each block is one version in a history: a transfer, claim,
// retirement (注销), expiry, freeze or cancellation ends a block and creates its successors,
// which name it as their parent, so the trace of a serial number is its chain of parents.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"
#include "ledger/log/state.h"

namespace carbonledger {

inline constexpr const char* kInstruments[] = {"GEC", "CCER", "CIC"};

// "GEC-1-1000", or "GEC-7" when first == last.
std::string FormatSerials(std::string_view instrument, uint64_t first, uint64_t last);

// What a block's units are: the attributes of the issuance that created them.
struct UnitAttributes {
  std::string issuance;       // "I<seq>.<op>": the issuing entry and operation
  uint64_t issuance_seq = 0;  // entry that issued the units
  std::string vintage;        // GEC: generation month "YYYY-MM"; credits: "YYYY" or
                              // "YYYY-MM/YYYY-MM" (monitoring period, months inclusive)
  std::string generator;      // GEC: the generator; CCER: its linked generator, if any
  std::string technology;     // GEC: wind, solar, hydro, biomass, geothermal, other
  std::string project;        // CCER, CIC
  std::string methodology;    // CCER, CIC
  std::string region;         // GEC: generator province; credits: project region (GB/T 2260)
  std::string valid_through;  // GEC: last month of validity "YYYY-MM"; empty for credits
};

// Statuses: "active" (held, may move), "frozen" (held; GEC of a generator-month reserved for
// CCER, waiting for cancellation), and the final ones "claimed", "retired", "expired",
// "cancelled".
struct BlockView {
  std::string id;  // "B<seq>.<k>": k-th block created by entry seq
  std::string instrument;
  uint64_t first = 0, last = 0;
  std::string holder;
  std::string status;
  std::string event;   // what created this version: issue, transfer, split, claim, retire,
                       // expire, freeze, cancel
  uint64_t seq = 0;    // the entry that created this version
  std::string parent;  // the version it replaced; empty for an issued block
  std::string ref;     // claim id "C<seq>.<op>" or retirement id "R<seq>.<op>", if any
  UnitAttributes attributes;
  bool past_validity = false;  // GEC still active whose validity ended before `as_of`
  uint64_t quantity() const { return last - first + 1; }
};

struct HoldingsOptions {
  uint64_t as_of_ms = 0;       // classify GEC past validity at this time; 0 = do not
  bool include_blocks = true;  // false: aggregates only (reads only the holdings index)
  std::string instrument;      // empty = all instruments
};

struct InstrumentHolding {
  std::string instrument;
  uint64_t held = 0;           // every unit the account holds (active + frozen)
  uint64_t frozen = 0;         // of which frozen
  uint64_t past_validity = 0;  // of which active GEC past validity at as_of (not spendable)
  uint64_t blocks = 0;
  // The blocks: active ones in selection order (oldest vintage first), then frozen ones.
  std::vector<BlockView> block_list;
};

// What an account holds, per instrument (instruments it holds nothing of are omitted).
Result<std::vector<InstrumentHolding>> QueryHoldings(const StateReader& state,
                                                     const std::string& account,
                                                     const HoldingsOptions& options = {});

// A serial number's history, oldest first: the issuance, then every version that contained it
// (transfers, splits, claim, retirement, expiry, freeze, cancellation), each with its entry seq.
struct SerialTrace {
  std::string instrument;
  uint64_t serial = 0;
  UnitAttributes attributes;
  std::vector<BlockView> steps;  // steps.back() is the current block
};
Result<SerialTrace> TraceSerial(const StateReader& state, const std::string& instrument,
                                uint64_t serial);

// One claimed GEC block: what the accounting engine counts as green electricity.
struct ClaimedBlock {
  std::string claim;                           // "C<seq>.<op>"
  uint64_t seq = 0;                            // the claim's entry
  uint64_t first = 0, last = 0, quantity = 0;  // serials and MWh
  std::string generator, technology, region, generation_month;
  std::string issuance;
};

// One retired credit block (a retirement spanning several blocks gives several rows).
struct RetiredBlock {
  std::string retirement;  // "R<seq>.<op>"
  uint64_t seq = 0;
  std::string instrument;                      // CCER or CIC
  uint64_t first = 0, last = 0, quantity = 0;  // serials and tCO2e
  std::string vintage, project, project_region, methodology;
  std::string purpose;  // carbon_neutrality, compliance, voluntary
  std::string beneficiary, retired_by, note;
  int64_t reporting_year = 0;
  std::string issuance;
  // The retirement.accept entry by which the beneficiary took another account's retirement as
  // its own; 0 when it has not, or when the park retired the credits itself (retired_by ==
  // beneficiary, docs/registry-rules.md §retirement.accept).
  uint64_t accepted_seq = 0;
};

struct ParkYear {
  std::string park;
  int64_t year = 0;
  std::vector<ClaimedBlock> claims;       // by entry seq, then serial
  std::vector<RetiredBlock> retirements;  // by entry seq, then serial
  uint64_t claimed_mwh = 0;
  uint64_t retired_ccer = 0, retired_cic = 0;  // tCO2e
};
// The GECs a park claimed and the credits retired for it (as beneficiary) for a reporting year.
// The scope of a park-year's chain (ledger format 4, docs/certification.md §Completeness):
// "<park>/<year>". Every entry that records something about the park-year joins it: its claims,
// the retirements for it, its acceptances, inventories, engagements, assessments and statements.
std::string ParkYearScope(std::string_view park, int64_t year);
Result<ParkYear> QueryParkYear(const StateReader& state, const std::string& park, int64_t year);

// The reporting years with a claim or a retirement for `park` (the park-year index), ascending.
Result<std::vector<int64_t>> ParkYearsWithUnits(const StateReader& state, std::string_view park);

// The entry that registered generator `id` (generator.register) or project `id`
// (project.register); nullopt when there is none.
Result<std::optional<uint64_t>> GeneratorRegistrationSeq(const StateReader& state,
                                                         std::string_view id);
Result<std::optional<uint64_t>> ProjectRegistrationSeq(const StateReader& state,
                                                       std::string_view id);

// Registry-wide totals; issued = held + claimed + retired + expired + cancelled, always
// (frozen is part of held). Expired counts what gec.expire has swept.
struct InstrumentTotals {
  std::string instrument;
  uint64_t issued = 0, held = 0, frozen = 0, claimed = 0, retired = 0, expired = 0, cancelled = 0;
  uint64_t issuances = 0;
  uint64_t next_serial = 1;
};
Result<std::vector<InstrumentTotals>> QueryTotals(const StateReader& state);

// The current block holding one serial number (nullopt when it was never issued).
Result<std::optional<BlockView>> BlockAt(const StateReader& state, const std::string& instrument,
                                         uint64_t serial);

}  // namespace carbonledger
