#include "ledger/rules.h"

#include "crypto/encoding.h"
#include "ledger/rule_sets.h"

namespace carbonledger {

bool IsValidRole(std::string_view role) {
  for (const char* r : kRoles) {
    if (role == r) return true;
  }
  return false;
}

const std::vector<TxRule>& AllRules() {
  static const std::vector<TxRule> rules = [] {
    std::vector<TxRule> all;
    for (auto* set : {&AccountRules, &RegistryRules, &CertificationRules}) {
      for (auto& r : set()) all.push_back(r);
    }
    return all;
  }();
  return rules;
}

const TxRule* FindRule(std::string_view type) {
  for (const TxRule& r : AllRules()) {
    if (type == r.type) return &r;
  }
  return nullptr;
}

std::string AccountKey(std::string_view account) { return "a/" + std::string(account); }

std::string TxIndexKey(const Hash& tx_id) { return "t/" + HexEncode(AsBytes(tx_id)); }

Result<PublicKey> ExpectedSignerKey(const Transaction& tx, uint64_t seq, const StateReader& state) {
  if (seq == 0 || tx.type == "genesis") return GenesisOperatorKey(tx);
  auto account = GetRecord(state, AccountKey(tx.signer));
  if (!account.ok()) return account.status();
  if (!account->has_value()) {
    return Status::Unauthenticated("tx.unknown_signer",
                                   "signer \"" + tx.signer + "\" is not an account of this ledger");
  }
  return DecodePublicKeyField(**account, "public_key");
}

Status ApplyTransaction(const TxContext& ctx, const PublicKey& signer_key, StateTxn& state) {
  const Transaction& tx = ctx.tx;
  if ((ctx.seq == 0) != (tx.type == "genesis")) {
    return Status::Unprocessable("tx.genesis",
                                 "the genesis transaction is entry 0 and only entry 0");
  }
  auto expected = ExpectedSignerKey(tx, ctx.seq, state);
  if (!expected.ok()) return expected.status();
  if (*expected != signer_key) {
    return Status::Unauthenticated("tx.signature",
                                   "signature is not by the current key of \"" + tx.signer + "\"");
  }
  auto existing = state.Get(TxIndexKey(tx.id));
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return Status::Conflict("tx.duplicate", "this transaction is already entry " + **existing);
  }
  const TxRule* rule = FindRule(tx.type);
  if (rule == nullptr) {
    return Status::InvalidArgument("tx.type", "unknown transaction type \"" + tx.type + "\"");
  }

  StateTxn own(state);
  if (tx.type != "genesis") {
    auto account = GetRecord(own, AccountKey(tx.signer));
    if (!account.ok()) return account.status();
    nlohmann::json acct = **account;
    uint64_t last = acct["nonce"].get<uint64_t>();
    if (tx.nonce <= last) {
      return Status::Conflict(
          "nonce.replayed", "nonce " + std::to_string(tx.nonce) + " is not above the last nonce " +
                                std::to_string(last) + " of \"" + tx.signer + "\"");
    }
    const std::string role = acct["role"].get<std::string>();
    if (!rule->roles.empty() &&
        std::find(rule->roles.begin(), rule->roles.end(), role) == rule->roles.end()) {
      return Status::PermissionDenied("tx.role",
                                      "role \"" + role + "\" may not sign \"" + tx.type + "\"");
    }
    acct["nonce"] = tx.nonce;
    if (Status s = PutRecord(own, AccountKey(tx.signer), acct); !s.ok()) return s;
  }
  if (Status s = rule->apply(ctx, own); !s.ok()) return s;
  own.Put(TxIndexKey(tx.id), std::to_string(ctx.seq));
  state.Absorb(own);
  return Status::OK();
}

}  // namespace carbonledger
