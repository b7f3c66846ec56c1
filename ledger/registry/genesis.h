// Genesis: how a ledger begins. Entry 0 is a "genesis" transaction signed by the registry
// operator's key, naming the log's origin, the operator account and key, the checkpoint
// verifier key and the ledger's configuration (docs/ledger-format.md §Genesis).
#pragma once

#include <cstdint>
#include <string>

#include "crypto/ed25519.h"
#include "crypto/status.h"
#include "ledger/log/transaction.h"

namespace carbonledger {

struct GenesisOptions {
  std::string origin = "carbonledger.local/ledger";
  std::string operator_account = "operator";
  uint64_t gec_validity_months = 24;  // national GEC rules of 2024: 2 years incl. the month
  // How far after its acceptance a transaction's not_after may lie (docs/ledger-format.md
  // §Transactions): one day; from kMinTxValiditySeconds (what clients sign for by default,
  // kDefaultTxValidityMs) to kMaxTxValiditySeconds.
  uint64_t max_tx_validity_s = 24 * 60 * 60;
  // The genesis transaction's own not_after (Unix ms); 0: kDefaultTxValidityMs from now.
  uint64_t not_after_ms = 0;
};
inline constexpr uint64_t kMinTxValiditySeconds = kDefaultTxValidityMs / 1000;
inline constexpr uint64_t kMaxTxValiditySeconds = 7 * 24 * 60 * 60;

Result<SignedTransaction> MakeGenesis(const GenesisOptions& options, const SigningKey& operator_key,
                                      const PublicKey& log_key);

// Key files inside a data directory (private keys mode 0600, keys/ mode 0700).
std::string OperatorKeyPath(const std::string& data_dir);   // keys/operator.key
std::string LogPublicKeyPath(const std::string& data_dir);  // keys/log.pub

// Creates a new ledger in `data_dir` (entry 0 applied with the registry's genesis type):
// keys/operator.key, keys/log.key, keys/log.pub and the database with its genesis entry.
// Refuses when a ledger or a key file already exists.
Status InitLedger(const std::string& data_dir, const GenesisOptions& options);

// True when `data_dir` holds a ledger database.
bool LedgerExists(const std::string& data_dir);

}  // namespace carbonledger
