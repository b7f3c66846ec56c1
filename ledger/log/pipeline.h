// The pipeline: the one path every transaction takes into the log, in the live writer, in
// Ledger::Create, in verify-ledger's replay and in the tests (docs/architecture.md §Pipeline).
//
//   Admit   pure, any thread: the transaction's place (genesis is entry 0 and only entry 0),
//           its ledger (tx.ledger is this log's origin), its validity window (not_after is
//           present), its type (known to the table), and the type's typed validation of the
//           body.
//   Apply   over a StateTxn, on the one writer (or the replay): the idempotency index, the
//           signer (read once), its signature, the validity window against the entry's
//           acceptance time, nonce and role, then the body's validity, the type's rule, the
//           new nonce and the index record.
//
// The order of the checks is the order of the refusals a client sees: an unknown signer or a
// bad signature is reported before a replayed nonce, which is reported before a wrong role,
// which is reported before a malformed body. Apply either succeeds with every write in `state`
// or fails and leaves `state` as it was.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "crypto/status.h"
#include "ledger/log/state.h"
#include "ledger/log/transaction.h"
#include "ledger/log/tx_types.h"

namespace carbonledger {

// The idempotency index: "t/<hex tx id>" -> the seq of the entry holding the transaction.
std::string TxIndexKey(const Hash& tx_id);

// What Admit learned about a transaction.
struct Admission {
  const TxType* type = nullptr;
  // The typed body, or why it is malformed (reported by Apply after the signer's checks).
  Result<TxType::ValidBody> body = Status::OK();
  uint64_t max_tx_validity_ms = 0;  // from the log's parameters; 0: not bounded (entry 0)
  int64_t format = kLedgerFormat;   // the log's format (entry 0: the format it creates)
};

// `first_entry`: the transaction is to be entry 0 (Ledger::Create, the replay of entry 0).
// Refusals: "tx.genesis", "tx.ledger", "tx.not_after", "tx.type".
Result<Admission> Admit(const TxTypeTable& types, const Transaction& tx, const LogParams& log,
                        bool first_entry);

// Checks a transaction's signature under the signer's current key: OK, or the refusal.
using SignatureCheck = std::function<Status(const PublicKey& current_key)>;

struct Applied {
  // Set when the same transaction is already in the log (nothing was written): its entry.
  std::optional<uint64_t> duplicate_of;
  PublicKey signer_key{};  // the key the signature verified under (the entry records it)
  // The entry's note (ledger format 4, docs/ledger-format.md §Entries): the canonical JSON of
  // the rule's outcome members and "links": [{"prev":<seq or 0>,"scope":"<scope>"},…], the
  // scopes the rule joined, sorted by scope, each with the previous entry that joined it; ""
  // when there is neither.
  std::string note;
  std::vector<std::string> unchecked;  // EntryEffects::unchecked of the rule
};
// The state record of a scope's last entry: "lh/<scope>" -> its seq (decimal).
std::string ScopeHeadKey(std::string_view scope);

// `admission` must be Admit's for ctx.tx. A transaction accepted after its not_after is refused
// with "tx.expired", one whose not_after is further than the log's max_tx_validity after its
// acceptance with "tx.not_after". A type whose functions throw refuses with "tx.internal".
// With `allow_duplicate`, a transaction already in the
// log answers with duplicate_of (the live writer's idempotency); without it, that is a
// Conflict "tx.duplicate" (the replay: no entry may repeat an earlier one).
Result<Applied> Apply(const TxTypeTable& types, const Admission& admission, const TxContext& ctx,
                      const SignatureCheck& signature, bool allow_duplicate, StateTxn& state);

// Admit and Apply for a transaction whose signature is known to verify under `signer_key`, as
// verify-ledger replays an entry: the log's parameters are those the state's config names (for
// entry 0, the transaction's own origin).
// Gives what Apply gave (the note, what could not be checked).
Result<Applied> ApplyTransaction(const TxTypeTable& types, const TxContext& ctx,
                                 const PublicKey& signer_key, StateTxn& state);

// The log's parameters the state's config record names (kConfigKey). A record of another
// ledger format than kLedgerFormat is refused, "ledger.format".
Result<LogParams> ConfiguredParams(const StateReader& state);

}  // namespace carbonledger
