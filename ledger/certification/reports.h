// Reports: what the API and the CLI show of a park-year, computed from the ledger with the
// accounting engine — the inventory result, the neutrality verdict under a policy profile, the
// Anhui evaluation, the statement a certifier would sign now — and the recorded statements and
// the park list (docs/certification.md §Reports).
//
// Invariant: every report names the inventory entry it was computed from, so a reader can tell
// a report on a corrected inventory from one on the version it replaced.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "accounting/policy_profile.h"
#include "crypto/status.h"
#include "ledger/log/state.h"

namespace carbonledger {

class Ledger;

// "park.unknown", "inventory.not_found" (ParkFacts) for all three.
Result<nlohmann::json> InventoryReport(const Ledger& ledger, const std::string& park, int64_t year);
Result<nlohmann::json> NeutralityReport(const Ledger& ledger, const std::string& park, int64_t year,
                                        const accounting::PolicyProfile& profile);
// The park's construction roadmap (roadmap.record; public: a park's targets are its public
// commitment): {"park","base_year","targets","seq"}; NotFound "roadmap.none" when it has none.
Result<nlohmann::json> RoadmapReport(const StateReader& state, const std::string& park);

Result<nlohmann::json> EvaluationReport(const Ledger& ledger, const std::string& park,
                                        int64_t year);

// The statement content a certifier would sign now, and the tree size it was computed at.
struct StatementDraft {
  nlohmann::json content;
  uint64_t checkpoint_size = 0;
};
Result<StatementDraft> DraftStatement(const Ledger& ledger, const std::string& park, int64_t year,
                                      const accounting::PolicyProfile& profile);

// The id of the statement recorded by entry `seq`: "S<seq>".
std::string StatementId(uint64_t seq);
// A recorded statement: its state record with the signed content, the entry's leaf hash, the
// certifier's key and signature, and what the ledger recorded about its park-year since its
// tree size ("since": a correction of its inventory, "inventory_superseded_by"; later claims,
// retirements, acceptances and statements) with "superseded" true once the inventory it names
// was corrected. "statement.not_found".
Result<nlohmann::json> GetStatement(const Ledger& ledger, const std::string& id);
// The ids of a park-year's statements, oldest first.
Result<std::vector<std::string>> ParkStatements(const StateReader& state, const std::string& park,
                                                int64_t year);

// The certifier a park engaged for a reporting year (certifier.engage, docs/certification.md
// §Engagements), as its state record {park, year, certifier, seq}; none when not engaged.
Result<std::optional<nlohmann::json>> CurrentEngagement(const StateReader& state,
                                                        const std::string& park, int64_t year);
// Whether certifier account `certifier` may read `park`'s private data: for one reporting year
// when `year` is given (the park-year views), else for any (the park's account and holdings).
// True when the park engages it for that year (any year); in a ledger of format 2, which has
// no engagements, always true.
Result<bool> CertifierMayRead(const StateReader& state, const std::string& certifier,
                              const std::string& park, std::optional<int64_t> year);

// A park account and the reporting years the ledger holds anything for: GEC claims or credit
// retirements (the registry's park-year index), an inventory or a certification statement.
struct ParkSummary {
  std::string id, name, region;
  std::vector<int64_t> years;  // ascending
};
// Park accounts by id (the explorer's park list; all of it is on the public log): at most
// `limit` parks whose ids come after `after` (empty: from the first), read through the park
// index (kParkIndexPrefix), so a page costs its own parks only. `more` says whether parks
// remain after the page.
struct ParkPage {
  std::vector<ParkSummary> parks;
  bool more = false;
};
inline constexpr size_t kDefaultParkPage = 100, kMaxParkPage = 1000;
Result<ParkPage> ListParks(const StateReader& state, const std::string& after = "",
                           size_t limit = kMaxParkPage);

}  // namespace carbonledger
