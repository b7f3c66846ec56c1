// The statement bundle (carbonledger.bundle/1, docs/certification.md §Bundle format): a
// recorded certification statement with everything needed to check it offline — the entries it
// rests on with their inclusion proofs, a signed checkpoint, the facts, the factor set and the
// policy profile. The server builds it (StatementBundle); anyone checks it with nothing but its
// bytes and the log's verifier key (VerifyStatementBundle), never asking the server.
//
// Invariant: a bundle that verifies proves that the log holding the checkpoint contains the
// statement, the inventory it names and every claim, retirement, issuance and registration
// behind its facts, and that the statement is exactly what the accounting engine computes from
// them; any edit to any member makes it fail, naming what.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "crypto/status.h"

namespace carbonledger {

class Ledger;

// The bundle of recorded statement `id` at the log's latest checkpoint. "statement.not_found";
// Conflict "statement.superseded" when the park corrected the inventory after the statement;
// "bundle.registration", "bundle.data" when the server cannot supply what the bundle needs.
// A ledger of format 4 gives a carbonledger.bundle/2; with `include_confidential` (for a reader
// of the park-year's private data) it carries the inventory document and salt.
Result<nlohmann::json> StatementBundle(const Ledger& ledger, const std::string& id,
                                       bool include_confidential = false);

struct BundleReport {
  std::string statement_id;
  std::string park;
  int64_t year = 0;
  std::string certifier;
  std::string verdict;
  uint64_t tree_size = 0;
  uint64_t entries_proved = 0;
  uint64_t engagement_seq = 0;  // the park's certifier.engage entry; 0 when the bundle has none
  uint64_t chain_entries = 0;   // bundle/2: the park-year's entries before the statement
  // Whether the statement was recomputed from the inventory document: always for bundle/1;
  // for bundle/2 only when it carries the confidential inventory (a park's or its certifier's
  // export), since the public bundle holds only the commitment.
  bool recomputed = true;
};
// Checks a bundle against the log's verifier key, obtained from a source the verifier trusts:
// the checkpoint's signature, every entry's inclusion proof and signature, the statement's and
// inventory's entries, each fact against the claim, retirement, issuance and registration
// entries behind it, and a full recomputation of the statement. Corruption "bundle.invalid"
// naming the first check that failed.
Result<BundleReport> VerifyStatementBundle(std::string_view bundle_json,
                                           const NamedPublicKey& log_key);

}  // namespace carbonledger
