// VerifyLedger: replays a ledger's whole log from its data directory without trusting any
// derived record, and checks every stored byte against the replay: each entry's encoding,
// signature, ledger, nonce and rules (the same pipeline as the live writer, with the same
// TxTypeTable); the hash chain; every stored Merkle node; the signed checkpoint
// (signature, size and root); and the stored state against the rebuilt state, record by
// record. The first failure is reported naming the first bad entry.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "crypto/status.h"
#include "ledger/log/tx_types.h"

namespace leveldb {
class DB;
}

namespace carbonledger {

struct VerifyOptions {
  std::string data_dir;
  // The log's verifier key, from a source the verifier trusts. When absent, the key named
  // in the genesis entry is used (which then proves only internal consistency).
  std::optional<NamedPublicKey> trusted_log_key;
  unsigned threads = 0;  // signature-checking threads; 0 = all cores
  std::function<void(uint64_t done, uint64_t total)> progress;
};

struct VerifyReport {
  uint64_t entries = 0;
  Hash root{};
  std::string checkpoint;
  uint64_t state_records = 0;
  uint64_t tree_nodes = 0;
  // What the replay could not check because the store does not hold the log's confidential
  // data (a mirror's), one line per entry and check ("entry 27: the inventory's commitment and
  // figures"); empty when everything was checked.
  std::vector<std::string> unchecked;
};

Result<VerifyReport> VerifyLedger(const VerifyOptions& options, const TxTypeTable& types);

// The same over an already open database (options.data_dir is ignored). For tools and tests
// that inspect a store they hold open; the ledger must not be writing to it meanwhile.
Result<VerifyReport> VerifyDatabase(leveldb::DB* db, const VerifyOptions& options,
                                    const TxTypeTable& types);

}  // namespace carbonledger
