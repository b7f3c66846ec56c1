// Replay: one entry of a log checked against the rules and applied to the state it implies, the
// step verify-ledger runs for each stored entry and a mirror runs for each entry it fetches
// (docs/mirror.md). It is the live writer's pipeline (ledger/log/pipeline.h, the same
// TxTypeTable) plus what the log itself guarantees about its entries: their seq runs 0, 1, ...,
// their acceptance times never go backwards, their hash chain links each to the one before,
// and each is signed by its signer's current key.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "crypto/sha256.h"
#include "crypto/status.h"
#include "ledger/log/entry.h"
#include "ledger/log/state.h"
#include "ledger/log/transaction.h"
#include "ledger/log/tx_types.h"

namespace carbonledger {

// Where a replay stands: the next entry expected and what the entries so far leave behind.
struct ReplayPosition {
  uint64_t seq = 0;             // the next entry's seq
  Hash chain = ChainGenesis();  // the chain value of the last entry replayed
  uint64_t last_ms = 0;         // the last entry's acceptance time
  LogParams log;                // entry 0's ledger and, after it, the config it wrote
};

// One entry, with the work that needs no state done (possibly on another thread): `tx` is
// TransactionFromCanonical(entry.tx), `signature_ok` whether entry.signature verifies under
// entry.signer_key over entry.tx.
struct ReplayInput {
  const Entry& entry;
  const Hash& leaf;  // LeafHash of the entry bytes
  const Result<Transaction>& tx;
  bool signature_ok = false;
  // The confidential attachment the replaying store holds for the entry (ConfidentialKey), or
  // null when it holds none (a mirror's): the rules then check what they can without it.
  const nlohmann::json* confidential = nullptr;
  // Leaf hashes of earlier entries, for rules that name entries by hash (TxContext::leaf_hash).
  std::function<Result<Hash>(uint64_t seq)> leaf_hash;
};

// Checks `in` as entry `at.seq` and applies it to `state`, advancing `at` (chain, time, log
// parameters): also that the entry's version is its ledger format's and that its note is the
// one the rules imply (docs/ledger-format.md §Entries). On failure `state` and `at` are as they
// were and the Status is Corruption "verify.entry" naming the entry and the rule broken. What
// the rules could not check without the confidential data is appended to `unchecked` ("entry
// 27: …"), when given.
Status ReplayEntry(const TxTypeTable& types, const ReplayInput& in, ReplayPosition& at,
                   StateTxn& state, std::vector<std::string>* unchecked = nullptr);

// Decodes entry bytes and does ReplayInput's state-free checks on this thread.
struct DecodedEntry {
  Status decode;  // entry-level decoding failure
  Entry entry;
  Hash leaf{};
  Result<Transaction> tx = Status::OK();
  bool signature_ok = false;
  ReplayInput input() const { return {entry, leaf, tx, signature_ok, nullptr, {}}; }
};
DecodedEntry DecodeForReplay(std::string_view entry_bytes);

}  // namespace carbonledger
