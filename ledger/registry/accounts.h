// Accounts: who may sign. An account has an id, one role, the Ed25519 key its transactions and
// signed requests verify under, and the last transaction nonce it used; a park account also
// has a name and a GB/T 2260 region code (docs/registry-rules.md §Accounts, §Roles).
//
// Invariant: an account's record ("a/<id>") is written only by account.create, the key
// changes and, for its nonce, the pipeline's signer directory (AccountSigners), so the key a
// signature is checked against is always the one the log last set.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/status.h"
#include "ledger/log/state.h"
#include "ledger/log/tx_types.h"

namespace carbonledger {

enum class Role { kRegistry, kPark, kProjectOwner, kTrader, kCertifier, kAuditor };

// The role names, in the order of Role: "registry", "park", "project_owner", "trader",
// "certifier", "auditor".
inline constexpr const char* kRoles[] = {"registry", "park",      "project_owner",
                                         "trader",   "certifier", "auditor"};
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
bool IsValidRole(std::string_view role);

struct Account {
  std::string id;
  Role role = Role::kTrader;
  PublicKey public_key{};
  uint64_t nonce = 0;               // the last transaction nonce used
  uint64_t created_seq = 0;         // the entry that created it
  std::optional<uint64_t> key_seq;  // the entry that last changed its key
  std::string name;                 // parks: required; others: optional
  std::string region;               // parks only: GB/T 2260 code
};

// The state key of an account: "a/<id>".
std::string AccountKey(std::string_view id);
// The park index: "ap/<id>" for every account of role park, so listing parks reads parks only.
inline constexpr std::string_view kParkIndexPrefix = "ap/";
std::string ParkIndexKey(std::string_view id);

// The pending key replacement of an account ("ak/<id>"): proposed by the operator's
// account.replace_key, applied by another registry account's account.confirm_key.
std::string PendingKeyKey(std::string_view id);

// The account `id`, or nullopt when there is none; Corruption when its record is malformed.
Result<std::optional<Account>> FindAccount(const StateReader& state, std::string_view id);

// How the log learns signers: accounts in state, and the genesis body's operator.
SignerDirectory AccountSigners();

}  // namespace carbonledger
