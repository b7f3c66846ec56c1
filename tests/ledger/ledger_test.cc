#include "ledger/log/ledger.h"
#include "ledger/certification/transaction_types.h"

#include <catch2/catch.hpp>
#include <thread>

#include "crypto/encoding.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/merkle.h"
#include "ledger/registry/accounts.h"
#include "tests/support/ledger_fixture.h"

using namespace carbonledger;
using testing::LedgerFixture;

namespace {

std::string NewKeyB64() { return Base64Encode(AsBytes(SigningKey::Generate().public_key())); }

Checkpoint OpenCp(Ledger& l, const std::string& note) {
  auto cp = OpenCheckpoint(note, l.log_key().name, l.log_key().key, l.origin());
  REQUIRE(cp.ok());
  return *cp;
}

}  // namespace

TEST_CASE("a new ledger holds its genesis entry under a signed checkpoint", "[ledger]") {
  LedgerFixture fx;
  Ledger& l = fx.ledger();
  CHECK(l.size() == 1);
  Checkpoint cp = OpenCp(l, l.checkpoint());
  CHECK(cp.size == 1);
  auto e = l.GetEntry(0);
  REQUIRE(e.ok());
  CHECK(cp.root == merkle::HashLeaf(e->bytes));
  CHECK(e->chain == ChainNext(ChainGenesis(), e->leaf_hash));
  auto op = GetRecord(l.state(), AccountKey("operator"));
  REQUIRE(op.ok());
  REQUIRE(op->has_value());
  CHECK((**op)["role"] == "registry");
}

TEST_CASE("an accepted transaction is durable, chained and provably included", "[ledger]") {
  LedgerFixture fx;
  auto r = fx.Send(fx.op(), "account.create",
                   {{"account", "park-hefei"},
                    {"role", "park"},
                    {"public_key", NewKeyB64()},
                    {"name", "Hefei Zero-Carbon Park"},
                    {"region", "340000"}});
  REQUIRE(r.ok());
  CHECK(r->seq == 1);
  CHECK_FALSE(r->duplicate);
  Ledger& l = fx.ledger();
  Checkpoint cp = OpenCp(l, r->checkpoint);
  REQUIRE(cp.size == 2);
  auto proof = l.ProveInclusion(1, 2);
  REQUIRE(proof.ok());
  CHECK(merkle::VerifyInclusion(1, 2, r->leaf_hash, proof->hashes, cp.root).ok());
  auto e0 = l.GetEntry(0), e1 = l.GetEntry(1);
  REQUIRE((e0.ok() && e1.ok()));
  CHECK(e1->chain == ChainNext(e0->chain, e1->leaf_hash));
  CHECK(e1->entry.accepted_ms >= e0->entry.accepted_ms);
  auto park = GetRecord(l.state(), AccountKey("park-hefei"));
  REQUIRE(park->has_value());
  CHECK((**park)["region"] == "340000");
}

TEST_CASE("replayed and out-of-order nonces are refused and change nothing", "[ledger][nonce]") {
  LedgerFixture fx;
  auto first = fx.Sign(fx.op(), "account.create",
                       {{"account", "a1"}, {"role", "trader"}, {"public_key", NewKeyB64()}});
  REQUIRE(fx.ledger().Submit(first).ok());
  // Same nonce, different body: a replay of the nonce.
  auto replay =
      fx.Sign(fx.op(), "account.create",
              {{"account", "a2"}, {"role", "trader"}, {"public_key", NewKeyB64()}}, first.tx.nonce);
  auto r = fx.ledger().Submit(replay);
  CHECK(r.status().reason() == "nonce.replayed");
  CHECK(r.status().code() == Code::kConflict);
  // A lower nonce is refused too.
  auto lower = fx.Sign(fx.op(), "account.create",
                       {{"account", "a3"}, {"role", "trader"}, {"public_key", NewKeyB64()}}, 1);
  CHECK(fx.ledger().Submit(lower).status().reason() == "nonce.replayed");
  CHECK(fx.ledger().size() == 2);
  CHECK_FALSE(GetRecord(fx.ledger().state(), AccountKey("a2"))->has_value());
  // Gaps are allowed: nonces need only increase.
  auto gap = fx.Sign(fx.op(), "account.create",
                     {{"account", "a4"}, {"role", "trader"}, {"public_key", NewKeyB64()}}, 100);
  CHECK(fx.ledger().Submit(gap).ok());
}

TEST_CASE("the same signed transaction submitted twice returns the first result",
          "[ledger][idempotent]") {
  LedgerFixture fx;
  auto tx = fx.Sign(fx.op(), "account.create",
                    {{"account", "a1"}, {"role", "trader"}, {"public_key", NewKeyB64()}});
  auto first = fx.ledger().Submit(tx);
  auto second = fx.ledger().Submit(tx);
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(second->duplicate);
  CHECK(second->seq == first->seq);
  CHECK(second->leaf_hash == first->leaf_hash);
  CHECK(fx.ledger().size() == 2);
  fx.Reopen();
  auto third = fx.ledger().Submit(tx);
  REQUIRE(third.ok());
  CHECK(third->seq == first->seq);
}

TEST_CASE("bad submissions get a specific error and change nothing", "[ledger][errors]") {
  LedgerFixture fx;
  Ledger& l = fx.ledger();
  std::string before = l.checkpoint();
  auto good = fx.Sign(fx.op(), "account.create",
                      {{"account", "a1"}, {"role", "trader"}, {"public_key", NewKeyB64()}});
  std::string env = EncodeSubmission(good);

  CHECK(l.Submit("{not json").status().reason() == "json.syntax");
  CHECK(l.Submit("{\"tx\":{}}").status().reason() == "submission.field");
  // A flipped signature bit.
  SignedTransaction forged = good;
  forged.signature[0] ^= 1;
  CHECK(l.Submit(forged).status().reason() == "tx.signature");
  // Signed by someone who is not an account.
  auto stranger = SignTransaction(
      "account.create", l.origin(), "nobody", 1,
      {{"account", "x"}, {"role", "trader"}, {"public_key", NewKeyB64()}}, SigningKey::Generate());
  REQUIRE(stranger.ok());
  CHECK(l.Submit(*stranger).status().reason() == "tx.unknown_signer");
  // Signed for another ledger.
  auto other = SignTransaction("account.create", "other.example/log", fx.op(), 50,
                               {{"account", "x"}, {"role", "trader"}, {"public_key", NewKeyB64()}},
                               fx.key(fx.op()));
  CHECK(l.Submit(*other).status().reason() == "tx.ledger");
  auto unknown = fx.Sign(fx.op(), "account.teleport", {{"x", 1}});
  CHECK(l.Submit(unknown).status().reason() == "tx.type");
  // Floats are refused before anything else.
  std::string with_float = env;
  with_float.replace(with_float.find("\"nonce\":2"), 9, "\"nonce\":2.0");
  CHECK(l.Submit(with_float).status().reason() == "json.float");
  // Oversized.
  auto big = SignTransaction("account.create", l.origin(), fx.op(), 60,
                             {{"account", "big"},
                              {"role", "trader"},
                              {"public_key", NewKeyB64()},
                              {"name", std::string(kMaxTransactionBytes, 'x')}},
                             fx.key(fx.op()));
  CHECK(big.status().reason() == "tx.too_large");
  // Wrong role: a trader may not create accounts.
  fx.CreateAccount("t1", "trader");
  before = l.checkpoint();
  auto r = fx.Send("t1", "account.create",
                   {{"account", "t2"}, {"role", "trader"}, {"public_key", NewKeyB64()}});
  CHECK(r.status().reason() == "tx.role");
  CHECK(r.status().code() == Code::kPermissionDenied);
  // Missing park fields name the field.
  auto p = fx.Send(fx.op(), "account.create",
                   {{"account", "p1"}, {"role", "park"}, {"public_key", NewKeyB64()}});
  CHECK(p.status().message().find("name") != std::string::npos);
  auto reg = fx.Send(fx.op(), "account.create",
                     {{"account", "p1"},
                      {"role", "park"},
                      {"public_key", NewKeyB64()},
                      {"name", "P"},
                      {"region", "34000"}});
  CHECK(reg.status().reason() == "account.region");
  CHECK(l.checkpoint() == before);
}

TEST_CASE("a rotated key takes effect at once and the old key is refused", "[ledger][keys]") {
  LedgerFixture fx;
  fx.CreateAccount("park-a", "park", {{"name", "A"}, {"region", "340000"}});
  SigningKey old_key = fx.key("park-a");
  SigningKey new_key = SigningKey::Generate();
  auto r = fx.Send("park-a", "account.rotate_key",
                   {{"public_key", Base64Encode(AsBytes(new_key.public_key()))}});
  REQUIRE(r.ok());
  // Still signed with the old key: refused.
  auto stale = fx.Sign("park-a", "account.rotate_key", {{"public_key", NewKeyB64()}});
  CHECK(fx.ledger().Submit(stale).status().reason() == "tx.signature");
  fx.set_key("park-a", new_key);
  const std::string lost = NewKeyB64();
  CHECK(fx.Send("park-a", "account.rotate_key", {{"public_key", lost}}).ok());
  // The operator can propose to replace a lost key, naming it, with a reason; a second registry
  // account confirms it.
  fx.CreateAccount("issuer-2", "registry");
  SigningKey replacement = SigningKey::Generate();
  auto rep = fx.Send(fx.op(), "account.replace_key",
                     {{"account", "park-a"},
                      {"old_public_key", lost},
                      {"public_key", Base64Encode(AsBytes(replacement.public_key()))},
                      {"reason", "key lost"}});
  REQUIRE(rep.ok());
  REQUIRE(fx.Send("issuer-2", "account.confirm_key",
                  {{"account", "park-a"},
                   {"public_key", Base64Encode(AsBytes(replacement.public_key()))}})
              .ok());
  fx.set_key("park-a", replacement);
  CHECK(fx.Send("park-a", "account.rotate_key", {{"public_key", NewKeyB64()}}).ok());
  (void)old_key;
}

TEST_CASE("data and checkpoints survive a restart and stay consistent", "[ledger][restart]") {
  LedgerFixture fx;
  for (int i = 0; i < 20; ++i) fx.CreateAccount("acct-" + std::to_string(i), "trader");
  std::string before = fx.ledger().checkpoint();
  Checkpoint old_cp = OpenCp(fx.ledger(), before);
  fx.Reopen();
  CHECK(fx.ledger().checkpoint() == before);
  for (int i = 20; i < 30; ++i) fx.CreateAccount("acct-" + std::to_string(i), "trader");
  Checkpoint new_cp = OpenCp(fx.ledger(), fx.ledger().checkpoint());
  auto proof = fx.ledger().ProveConsistency(old_cp.size, new_cp.size);
  REQUIRE(proof.ok());
  CHECK(merkle::VerifyConsistency(old_cp.size, new_cp.size, proof->hashes, old_cp.root, new_cp.root)
            .ok());
  CHECK(new_cp.size == 31);
}

TEST_CASE("concurrent submitters all land, in nonce order per signer", "[ledger][concurrency]") {
  LedgerFixture fx;
  const int kThreads = 6, kEach = 40;
  for (int t = 0; t < kThreads; ++t) fx.CreateAccount("reg-" + std::to_string(t), "registry");
  std::vector<std::vector<SignedTransaction>> txs(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kEach; ++i) {
      txs[t].push_back(fx.Sign("reg-" + std::to_string(t), "account.create",
                               {{"account", "m-" + std::to_string(t) + "-" + std::to_string(i)},
                                {"role", "trader"},
                                {"public_key", NewKeyB64()}}));
    }
  }
  std::atomic<int> ok{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < kThreads; ++t) {
    pool.emplace_back([&, t] {
      for (auto& tx : txs[t]) ok += fx.ledger().Submit(tx).ok() ? 1 : 0;
    });
  }
  for (auto& th : pool) th.join();
  CHECK(ok == kThreads * kEach);
  CHECK(fx.ledger().size() == uint64_t(1 + kThreads + kThreads * kEach));
  CHECK(fx.ledger().stats().batches >= 1);
}

TEST_CASE("a full queue refuses submissions with a retryable error and changes nothing",
          "[ledger][backpressure]") {
  LedgerFixture fx;
  fx.Close();
  LedgerOptions o;
  o.data_dir = fx.data_dir();
  o.max_queue = 0;  // every submission finds the queue full
  auto l = Ledger::Open(o, LedgerTxTypes());
  REQUIRE(l.ok());
  auto tx = SignTransaction("account.create", (*l)->origin(), "operator", 2,
                            {{"account", "a1"}, {"role", "trader"}, {"public_key", NewKeyB64()}},
                            fx.key("operator"));
  auto r = (*l)->Submit(*tx);
  CHECK(r.status().code() == Code::kResourceExhausted);
  CHECK(r.status().reason() == "ledger.busy");
  CHECK((*l)->size() == 1);
}
