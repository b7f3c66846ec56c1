// LedgerFixture: a real ledger in a temp dir (InitLedger + Ledger::Open), the operator's key,
// and a client-side nonce counter per account, so tests read as the transactions they send.
#pragma once

#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <string>

#include "crypto/encoding.h"
#include "ledger/certification/confidential.h"
#include "ledger/certification/transaction_types.h"
#include "ledger/log/ledger.h"
#include "ledger/registry/genesis.h"
#include "tests/support/temp_dir.h"

namespace carbonledger::testing {

class LedgerFixture {
 public:
  // `options` are the ledger's (data_dir is filled in).
  explicit LedgerFixture(GenesisOptions genesis = {}, LedgerOptions options = {})
      : genesis_(std::move(genesis)), options_(std::move(options)) {
    options_.data_dir = data_dir_;
    REQUIRE(InitLedger(dir_.path(), genesis_).ok());
    auto op = ReadPrivateKeyFile(OperatorKeyPath(dir_.path()));
    REQUIRE(op.ok());
    keys_.emplace(genesis_.operator_account, op->key);
    nonces_[genesis_.operator_account] = 1;  // the genesis entry used nonce 1
    Reopen();
  }

  Ledger& ledger() { return *ledger_; }
  const std::string& data_dir() const { return data_dir_; }
  const std::string& op() const { return genesis_.operator_account; }
  const SigningKey& key(const std::string& account) { return keys_.at(account); }
  void set_key(const std::string& account, const SigningKey& k) {
    keys_.erase(account);
    keys_.emplace(account, k);
  }

  void Close() { ledger_.reset(); }
  void Reopen() {
    ledger_.reset();
    auto l = Ledger::Open(options_, LedgerTxTypes());
    REQUIRE(l.ok());
    ledger_ = std::move(*l);
  }

  // Whether Sign seals inventory.record documents (the format 4 way); tests of the public form
  // turn it off.
  bool seal_inventories = true;

  // Signs with the account's key and its next nonce (unless `nonce` is given).
  SignedTransaction Sign(const std::string& signer, const std::string& type, nlohmann::json body,
                         std::optional<uint64_t> nonce = std::nullopt) {
    uint64_t n = nonce.value_or(nonces_[signer] + 1);
    if (!nonce) nonces_[signer] = n;
    // Ledger format 4: an inventory document travels beside the transaction, which commits
    // to it (docs/certification.md §Confidential inventories), unless a test sends it public.
    nlohmann::json attachment = nullptr;
    if (seal_inventories) {
      auto sealed = certification::SealInventoryRecordBody(type, std::move(body));
      REQUIRE(sealed.ok());
      body = std::move(sealed->body);
      attachment = std::move(sealed->attachment);
    }
    auto tx =
        SignTransaction(type, ledger_->origin(), signer, n, std::move(body), keys_.at(signer));
    REQUIRE(tx.ok());
    tx->tx.confidential = std::move(attachment);
    return *tx;
  }

  Result<Receipt> Send(const std::string& signer, const std::string& type, nlohmann::json body) {
    return ledger_->Submit(Sign(signer, type, std::move(body)));
  }

  // Creates an account with a fresh key; REQUIREs success.
  void CreateAccount(const std::string& id, const std::string& role, nlohmann::json extra = {}) {
    SigningKey k = SigningKey::Generate();
    nlohmann::json body = {
        {"account", id}, {"role", role}, {"public_key", Base64Encode(AsBytes(k.public_key()))}};
    if (extra.is_object()) body.update(extra);
    auto r = Send(op(), "account.create", body);
    INFO(r.status().ToString());
    REQUIRE(r.ok());
    keys_.emplace(id, k);
  }

 private:
  TempDir dir_;
  std::string data_dir_ = dir_.path();
  GenesisOptions genesis_;
  LedgerOptions options_;
  std::map<std::string, SigningKey> keys_;
  std::map<std::string, uint64_t> nonces_;
  std::unique_ptr<Ledger> ledger_;
};

}  // namespace carbonledger::testing
