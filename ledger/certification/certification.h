// Certification: the accounting engine tied to the ledger (docs/accounting.md §On the ledger).
//
// The ledger supplies what the pure accounting functions need for one park and year — the
// current inventory entry, the GEC blocks the park claimed, the credits retired for it — and
// packages a recorded certification statement with everything needed to check it offline: the
// entries it rests on with inclusion proofs, a signed checkpoint, the factor set and profile.
// VerifyStatementBundle checks such a bundle with no access to the server.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "accounting/ledger_facts.h"
#include "accounting/policy_profile.h"
#include "crypto/ed25519.h"
#include "crypto/status.h"
#include "ledger/log/state.h"

namespace carbonledger {

class Ledger;

// State keys of the certification rules.
std::string InventoryKey(std::string_view park, int64_t year);  // "inv/<park>/<year>"
std::string StatementId(uint64_t seq);                          // "S<seq>"
std::string StatementKey(std::string_view id);                  // "stmt/<id>"
std::string ParkStatementKey(std::string_view park, int64_t year, uint64_t seq);

// A park-year's current inventory: its entry and the document (canonical JSON).
struct InventoryVersion {
  uint64_t seq = 0;
  std::string content_sha256;
  std::vector<uint64_t> versions;  // every entry that recorded this park-year, oldest first
  std::string document;
};
Result<std::optional<InventoryVersion>> CurrentInventory(const Ledger& ledger,
                                                         const std::string& park, int64_t year);

// What the ledger says about a park and year, for the accounting engine. Retirements are
// those for the park and year with purpose carbon_neutrality.
Result<accounting::LedgerFacts> ParkFacts(const Ledger& ledger, const std::string& park,
                                          int64_t year);

// Reports for the API and the CLI; each names the inventory entry it used.
Result<nlohmann::json> InventoryReport(const Ledger& ledger, const std::string& park, int64_t year);
Result<nlohmann::json> NeutralityReport(const Ledger& ledger, const std::string& park, int64_t year,
                                        const accounting::PolicyProfile& profile);
Result<nlohmann::json> EvaluationReport(const Ledger& ledger, const std::string& park,
                                        int64_t year);

// The statement content a certifier would sign now, and the tree size it was computed at.
struct StatementDraft {
  nlohmann::json content;
  uint64_t checkpoint_size = 0;
};
Result<StatementDraft> DraftStatement(const Ledger& ledger, const std::string& park, int64_t year,
                                      const accounting::PolicyProfile& profile);

// Recorded statements: one, or those of a park-year.
Result<nlohmann::json> GetStatement(const Ledger& ledger, const std::string& id);
Result<std::vector<std::string>> ParkStatements(const StateReader& state, const std::string& park,
                                                int64_t year);

// A park account and the reporting years the ledger holds anything for: GEC claims or credit
// retirements (the registry's park-year index), an inventory or a certification statement.
struct ParkSummary {
  std::string id, name, region;
  std::vector<int64_t> years;  // ascending
};
// Every park account, by id (the explorer's park list; all of it is on the public log).
Result<std::vector<ParkSummary>> ListParks(const StateReader& state);

// The offline verification bundle of a recorded statement (docs/accounting.md §Bundle).
Result<nlohmann::json> StatementBundle(const Ledger& ledger, const std::string& id);

struct BundleReport {
  std::string statement_id;
  std::string park;
  int64_t year = 0;
  std::string certifier;
  std::string verdict;
  uint64_t tree_size = 0;
  uint64_t entries_proved = 0;
};
// Checks a bundle against the log's verifier key, obtained from a source the verifier trusts:
// the checkpoint's signature, every entry's inclusion proof, the statement's and inventory's
// entries, each fact against the claim, retirement and issuance entries behind it, and a full
// recomputation of the statement. Any edit to any part fails, naming what.
Result<BundleReport> VerifyStatementBundle(std::string_view bundle_json,
                                           const NamedPublicKey& log_key);

}  // namespace carbonledger
