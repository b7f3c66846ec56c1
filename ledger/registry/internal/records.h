// Registry state: the records the registry rules keep (docs/registry-rules.md §State) and the
// one place that replaces blocks. Private to the ledger library.
//
// The invariant kept here: every serial number ever issued lies in exactly one current block
// ("rb/", keyed by instrument and last serial, so the block holding serial s is the first key
// at or after s), and every current block that can still move is indexed exactly once: by
// holder for selection ("rh/" active, "rz/" frozen) and, for GECs, by generation month ("re/").
// Supersede() is the only function that changes current blocks, and it keeps all of this.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/canonical_json.h"
#include "crypto/status.h"
#include "ledger/log/state.h"
#include "ledger/log/tx_types.h"
#include "ledger/registry/queries.h"

namespace carbonledger::registry {

inline constexpr std::string_view kGec = "GEC";
inline constexpr std::string_view kCcer = "CCER";
inline constexpr std::string_view kCic = "CIC";
inline constexpr uint64_t kMaxUnits = uint64_t(kMaxSafeInteger);  // largest serial and quantity

bool IsInstrument(std::string_view s);

// Statuses (queries.h §BlockView).
inline constexpr std::string_view kActive = "active";
inline constexpr std::string_view kFrozen = "frozen";
inline constexpr std::string_view kClaimed = "claimed";
inline constexpr std::string_view kRetired = "retired";
inline constexpr std::string_view kExpired = "expired";
inline constexpr std::string_view kCancelled = "cancelled";

// ---- Months: an index year*12 + (month-1), so month arithmetic is integer arithmetic.
std::optional<int> ParseMonth(std::string_view text);  // "YYYY-MM", year 1000..9999
std::string FormatMonth(int month);                    // "YYYY-MM"
std::string CompactMonth(int month);                   // "YYYYMM" (key order = time order)
int HoursInMonth(int month);
// The calendar month of an acceptance time in China Standard Time (UTC+8).
int AcceptanceMonth(uint64_t accepted_ms);

// A vintage: GEC generation month, or a credit's year ("YYYY" = its 12 months) or monitoring
// period ("YYYY-MM/YYYY-MM", at most 120 months). Months inclusive.
struct Vintage {
  int from = 0, to = 0;
};
std::optional<Vintage> ParseVintage(std::string_view instrument, std::string_view text);
// Selection order key: from-month then to-month, "YYYYMMYYYYMM".
std::string VintageKey(const Vintage& v);
inline constexpr int kMaxPeriodMonths = 120;

// The GEC validity window from the genesis config (gec_validity_months): a certificate of
// generation month m may move or be claimed while the acceptance month <= m + validity - 1.
Result<int> GecValidityMonths(const StateReader& state);
inline int FirstValidMonth(int now_month, int validity) { return now_month - validity + 1; }

// ---- Blocks.
struct Block {
  std::string id;  // "B<seq>.<k>"
  std::string instrument;
  uint64_t first = 0, last = 0;
  std::string holder;
  std::string status;
  std::string issuance;   // "I<seq>.<op>"
  std::string vintage;    // as issued
  std::string generator;  // GEC only
  std::string parent;     // empty for an issued block
  uint64_t seq = 0;
  std::string event;
  std::string ref;  // claim or retirement id

  uint64_t quantity() const { return last - first + 1; }
  int month() const;  // GEC generation month
};
nlohmann::json BlockToJson(const Block& b);
Result<Block> BlockFromJson(const nlohmann::json& j);

// Block ids of one entry: "B<seq>.0", "B<seq>.1", ... in creation order.
class BlockIds {
 public:
  explicit BlockIds(uint64_t seq) : seq_(seq) {}
  std::string Next() { return "B" + std::to_string(seq_) + "." + std::to_string(next_++); }

 private:
  uint64_t seq_;
  uint64_t next_ = 0;
};

// ---- Keys (docs/registry-rules.md §State).
std::string Hex16(uint64_t v);
std::string GeneratorKey(std::string_view id);  // rg/<id>
std::string ProjectKey(std::string_view id);    // rp/<id>
// rpv/<project>/<from YYYY-MM>: the periods a project's credits were issued for, so that no
// two issuances of one project cover the same month.
std::string ProjectPeriodPrefix(std::string_view project);
std::string ProjectPeriodKey(std::string_view project, int from_month);
std::string IssuanceKey(std::string_view id);                      // ri/<id>
std::string TotalsKey(std::string_view instrument);                // rt/<inst>
std::string GenerationKey(std::string_view generator, int month);  // ru/<gen>/<YYYY-MM>
std::string BlockKey(std::string_view instrument, uint64_t last);  // rb/<inst>/<last hex16>
std::string BlockPrefix(std::string_view instrument);              // rb/<inst>/
std::string VersionKey(std::string_view block_id);                 // rv/<id>
std::string HoldingPrefix(std::string_view holder, std::string_view instrument);  // rh/<h>/<i>/
std::string FrozenPrefix(std::string_view holder, std::string_view instrument);   // rz/<h>/<i>/
std::string ValidityMonthPrefix(int month, std::string_view generator);  // re/<YYYYMM>/<gen>/
inline constexpr const char* kValidityPrefix = "re/";
std::string ClaimKey(std::string_view id);       // rc/<id>
std::string RetirementKey(std::string_view id);  // rr/<id>
std::string AcceptanceKey(std::string_view id);  // ra/<retirement id>
// ry/<park>/<year>/<c|r>/<id>: the park-year index of claims (c) and retirements (r).
std::string ParkYearPrefix(std::string_view park, int64_t year);
std::string ParkYearKey(std::string_view park, int64_t year, char kind, std::string_view id);

// An index entry ("rh/", "rz/", "re/"): first serial from the key's last 16 hex digits, last
// serial from the decimal value.
struct IndexedRange {
  uint64_t first = 0, last = 0;
};
Result<IndexedRange> ParseIndexEntry(const std::string& key, const std::string& value);

// ---- Records.
// Per instrument. Serials are allocated consecutively from 1, so next_serial = issued + 1 (it is
// not stored: after the last serial 2^53-1 it would leave the JSON integer range).
struct Totals {
  uint64_t issued = 0, held = 0, frozen = 0, claimed = 0, retired = 0, expired = 0, cancelled = 0,
           issuances = 0, next_serial = 1;
};
Result<Totals> LoadTotals(const StateReader& state, std::string_view instrument);
Status SaveTotals(StateTxn& txn, std::string_view instrument, const Totals& t);

// The uniqueness record of one generator and generation month: every instrument that the
// month's generation could back checks it (docs/registry-rules.md §Double counting).
// The generator-month index: what backs each MWh of one generator's month. A month backs GECs
// or one credit project's credits, never both; from ledger format 3 it also records the
// credits issued for it, so that GEC MWh + credit t (at most 1 t per MWh) never pass the
// month's capacity x hours (docs/registry-rules.md §Double counting).
struct Generation {
  uint64_t gec = 0;       // MWh of GEC issued for the month and not cancelled
  uint64_t frozen = 0;    // of which frozen
  std::string ccer;       // the credit project (CCER or CIC) the month is reserved for / issued to
  uint64_t credit_t = 0;  // format 3: the month's share of that project's issuance, in t
  std::string credit_issuance;  // format 3: the issuance ("I<seq>.<op>") the share belongs to
};
Result<Generation> LoadGeneration(const StateReader& state, std::string_view generator, int month);
Status SaveGeneration(StateTxn& txn, std::string_view generator, int month, const Generation& g);

// A required record, or NotFound(reason) naming it.
Result<nlohmann::json> RequireRecord(const StateReader& state, const std::string& key,
                                     const std::string& reason, const std::string& what);

// ---- Current blocks.
Result<std::optional<Block>> LoadCurrentBlock(const StateReader& state, std::string_view instrument,
                                              uint64_t serial);
// The current blocks meeting [first, last], in serial order (reads only those, and at most
// max_blocks + 1 of them).
Result<std::vector<Block>> CurrentBlocksIn(const StateReader& state, std::string_view instrument,
                                           uint64_t first, uint64_t last,
                                           size_t max_blocks = SIZE_MAX);
// Ends `old` (archived under rv/, unindexed) and makes `successors` current (indexed by their
// status). Either may be absent: an issuance has no old block.
Status Supersede(StateTxn& txn, const Block* old, const std::vector<Block>& successors);

}  // namespace carbonledger::registry
