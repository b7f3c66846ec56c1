// Rules: what each transaction type means. One place per type validates the body and applies
// it to state; the sequencer, verify-ledger's replay and the tests all run the same rules.
//
// ApplyTransaction is the single path every entry takes: signer lookup, key and nonce checks,
// role check, the type's own rule, then the nonce and idempotency records. A rule either
// succeeds with all its writes or fails with none (its StateTxn is discarded).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "crypto/ed25519.h"
#include "ledger/state.h"
#include "ledger/transaction.h"

namespace carbonledger {

// Account roles (docs/registry-rules.md §Roles).
inline constexpr const char* kRoles[] = {"registry", "park",      "project_owner",
                                         "trader",   "certifier", "auditor"};
bool IsValidRole(std::string_view role);

struct TxContext {
  const Transaction& tx;
  uint64_t seq;
  uint64_t accepted_ms;
};

using ApplyFn = Status (*)(const TxContext& ctx, StateTxn& state);

struct TxRule {
  const char* type;
  std::vector<std::string> roles;  // roles allowed to sign; empty = any account
  ApplyFn apply;
};

// The rule for a type, or nullptr.
const TxRule* FindRule(std::string_view type);
const std::vector<TxRule>& AllRules();

// State keys shared by the rules and by readers (docs/ledger-format.md §State).
std::string AccountKey(std::string_view account);  // "a/<id>"
std::string TxIndexKey(const Hash& tx_id);         // "t/<hex id>" -> seq
inline constexpr const char* kConfigKey = "config";

// The public key an entry's signature must verify under: the signer's current key, or for
// the genesis entry the operator key it names. NotFound/Unauthenticated when there is none.
Result<PublicKey> ExpectedSignerKey(const Transaction& tx, uint64_t seq, const StateReader& state);

// Applies one transaction whose signature has been verified under `signer_key`.
Status ApplyTransaction(const TxContext& ctx, const PublicKey& signer_key, StateTxn& state);

}  // namespace carbonledger
