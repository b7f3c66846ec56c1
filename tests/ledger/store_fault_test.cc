// Storage faults: a real ledger whose LevelDB goes through a fault-injecting Env
// (tests/support/fault_env.h). A write that fails — full disk, failing fsync, a compaction that
// runs out of space — is never acknowledged; reads go on; the ledger takes writes again by
// itself once the fault clears; every acknowledgement is on the ledger and verify-ledger passes.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "crypto/encoding.h"
#include "ledger/certification/transaction_types.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/merkle.h"
#include "ledger/log/verify.h"
#include "tests/support/fault_env.h"
#include "tests/support/ledger_fixture.h"

using namespace carbonledger;
using testing::FaultEnv;
using testing::LedgerFixture;

namespace {

using std::chrono::milliseconds;

LedgerOptions FaultyOptions(FaultEnv& env, milliseconds retry = milliseconds(20)) {
  LedgerOptions o;
  o.store_env = &env;
  o.store_retry = retry;
  return o;
}

nlohmann::json NewAccount(const std::string& id, const std::string& role = "trader") {
  return {{"account", id},
          {"role", role},
          {"public_key", Base64Encode(AsBytes(SigningKey::Generate().public_key()))}};
}

// Polls until the ledger takes writes again; false after `limit`.
bool WaitHealthy(const Ledger& ledger, milliseconds limit = milliseconds(5000)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!ledger.health().ok()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return true;
}

void ExpectWriteFailed(const Result<Receipt>& r) {
  INFO((r.ok() ? std::string("acknowledged") : r.status().ToString()));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kUnavailable);
  CHECK(r.status().reason() == "store.write_failed");
}

// The reads a client relies on all answer from the open store.
void ExpectReadsServed(const Ledger& ledger, uint64_t size, const std::string& checkpoint) {
  CHECK(ledger.size() == size);
  CHECK(ledger.checkpoint() == checkpoint);
  for (uint64_t seq = 0; seq < size; ++seq) {
    auto e = ledger.GetEntry(seq);
    INFO(e.status().ToString());
    REQUIRE(e.ok());
    auto proof = ledger.ProveInclusion(seq, size);
    REQUIRE(proof.ok());
    auto cp = OpenCheckpoint(checkpoint, ledger.log_key().name, ledger.log_key().key);
    REQUIRE(cp.ok());
    CHECK(merkle::VerifyInclusion(seq, size, e->leaf_hash, proof->hashes, cp->root).ok());
  }
  auto op = GetRecord(ledger.state(), "a/operator");
  REQUIRE(op.ok());
  CHECK(op->has_value());
}

// The ledger's checkpoint now extends `before` (a consistency proof, verified).
void ExpectExtends(const Ledger& ledger, const std::string& before) {
  auto old_cp = OpenCheckpoint(before, ledger.log_key().name, ledger.log_key().key);
  auto new_cp = OpenCheckpoint(ledger.checkpoint(), ledger.log_key().name, ledger.log_key().key);
  REQUIRE(old_cp.ok());
  REQUIRE(new_cp.ok());
  REQUIRE(new_cp->size >= old_cp->size);
  auto proof = ledger.ProveConsistency(old_cp->size, new_cp->size);
  REQUIRE(proof.ok());
  CHECK(merkle::VerifyConsistency(old_cp->size, new_cp->size, proof->hashes, old_cp->root,
                                  new_cp->root)
            .ok());
}

void ExpectVerifies(LedgerFixture& fx) {
  fx.Close();
  VerifyOptions o;
  o.data_dir = fx.data_dir();
  auto v = VerifyLedger(o, LedgerTxTypes());
  INFO(v.status().ToString());
  CHECK(v.ok());
}

}  // namespace

TEST_CASE("a write refused by a full disk is not acknowledged, reads go on, writes resume",
          "[ledger][faults]") {
  FaultEnv env;
  LedgerFixture fx({}, FaultyOptions(env));
  fx.CreateAccount("t0", "trader");
  const uint64_t size = fx.ledger().size();
  const std::string checkpoint = fx.ledger().checkpoint();

  env.Set(FaultEnv::Fault::kNoSpace);
  SignedTransaction b = fx.Sign(fx.op(), "account.create", NewAccount("t1"));
  ExpectWriteFailed(fx.ledger().Submit(b));
  CHECK(env.injected() > 0);
  CHECK(fx.ledger().health().reason() == "store.write_failed");
  ExpectReadsServed(fx.ledger(), size, checkpoint);

  // Still full: the retries (every 20 ms) find it so, writes stay refused, reads stay served.
  std::this_thread::sleep_for(milliseconds(150));
  SignedTransaction c = fx.Sign(fx.op(), "account.create", NewAccount("t2"));
  ExpectWriteFailed(fx.ledger().Submit(c));
  CHECK(fx.ledger().health().reason() == "store.write_failed");
  ExpectReadsServed(fx.ledger(), size, checkpoint);
  CHECK(fx.ledger().stats().store_recoveries == 0);

  env.Clear();
  REQUIRE(WaitHealthy(fx.ledger()));
  CHECK(fx.ledger().stats().store_failures == 1);
  CHECK(fx.ledger().stats().store_recoveries == 1);
  // Nothing of b reached the disk whole (its torn record is dropped on reopening), so
  // resubmitting it makes a new entry; then c.
  CHECK(fx.ledger().size() == size);
  auto rb = fx.ledger().Submit(b);
  REQUIRE(rb.ok());
  CHECK_FALSE(rb->duplicate);
  CHECK(rb->seq == size);
  auto rc = fx.ledger().Submit(c);
  REQUIRE(rc.ok());
  CHECK(rc->seq == size + 1);
  ExpectExtends(fx.ledger(), checkpoint);
  ExpectVerifies(fx);
}

TEST_CASE("a write whose fsync fails is not acknowledged, and resubmitting it answers its entry",
          "[ledger][faults]") {
  FaultEnv env;
  LedgerFixture fx({}, FaultyOptions(env));
  fx.CreateAccount("t0", "trader");
  const uint64_t size = fx.ledger().size();
  const std::string checkpoint = fx.ledger().checkpoint();

  env.Set(FaultEnv::Fault::kSyncError);
  SignedTransaction b = fx.Sign(fx.op(), "account.create", NewAccount("t1"));
  ExpectWriteFailed(fx.ledger().Submit(b));
  CHECK(fx.ledger().health().reason() == "store.write_failed");
  // Not acknowledged, and not visible either while the store is degraded.
  ExpectReadsServed(fx.ledger(), size, checkpoint);

  env.Clear();
  REQUIRE(WaitHealthy(fx.ledger()));
  // The batch reached the file system before the fsync failed, so the reopened store holds it:
  // what is on disk is the truth, and the same signed transaction answers with that entry.
  CHECK(fx.ledger().size() == size + 1);
  auto again = fx.ledger().Submit(b);
  REQUIRE(again.ok());
  CHECK(again->duplicate);
  CHECK(again->seq == size);
  auto e = fx.ledger().GetEntry(size);
  REQUIRE(e.ok());
  CHECK(e->entry.tx == b.tx.canonical);
  CHECK(again->leaf_hash == e->leaf_hash);
  auto cp =
      OpenCheckpoint(again->checkpoint, fx.ledger().log_key().name, fx.ledger().log_key().key);
  REQUIRE(cp.ok());
  CHECK(cp->size == size + 1);
  ExpectExtends(fx.ledger(), checkpoint);
  ExpectVerifies(fx);
}

TEST_CASE("duplicates inside a batch whose write fails are not acknowledged either",
          "[ledger][faults]") {
  FaultEnv env;
  std::mutex mu;  // before the ledger: its writer may still call `collect` while it closes
  std::vector<Result<Receipt>> results;
  auto collect = [&](Result<Receipt> r) {
    std::lock_guard lock(mu);
    results.push_back(std::move(r));
  };
  LedgerFixture fx({}, FaultyOptions(env, milliseconds(60000)));
  // Hold the writer inside the synced write of a first transaction, so that 50 copies of a
  // second one queue up and are committed as one batch, which then fails.
  env.set_sync_delay(milliseconds(200));
  const uint64_t syncs = env.syncs();
  fx.ledger().SubmitAsync(fx.Sign(fx.op(), "account.create", NewAccount("t0")), collect);
  while (env.syncs() == syncs) std::this_thread::sleep_for(milliseconds(1));
  SignedTransaction tx = fx.Sign(fx.op(), "account.create", NewAccount("t1"));
  for (int i = 0; i < 50; ++i) fx.ledger().SubmitAsync(tx, collect);
  env.Set(FaultEnv::Fault::kNoSpace);
  env.set_sync_delay(milliseconds(0));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    {
      std::lock_guard lock(mu);
      if (results.size() == 51) break;
    }
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(milliseconds(2));
  }
  INFO(results[0].status().ToString());
  CHECK(results[0].ok());  // the first transaction's write was under way before the fault
  for (size_t i = 1; i < results.size(); ++i) ExpectWriteFailed(results[i]);
  env.Clear();
}

TEST_CASE("a disk that fills during a compaction refuses writes the same way, then recovers",
          "[ledger][faults]") {
  FaultEnv env;
  LedgerOptions o = FaultyOptions(env);
  o.store_write_buffer_bytes = 64 << 10;  // LevelDB's smallest memtable: compactions come soon
  LedgerFixture fx({}, o);
  // The write-ahead log's appends still fit; the table a memtable compaction writes does not.
  env.Set(FaultEnv::Fault::kNoSpace, FaultEnv::Files::kAllButLogs);
  std::vector<Receipt> acked;
  bool refused = false;
  for (int i = 0; i < 3000 && !refused; ++i) {
    auto r = fx.Send(fx.op(), "account.create", NewAccount("c" + std::to_string(i)));
    if (r.ok()) {
      acked.push_back(*r);
    } else {
      ExpectWriteFailed(r);
      refused = true;
    }
  }
  INFO(acked.size() << " acknowledged before the compaction failed");
  REQUIRE(refused);
  CHECK(env.injected() > 0);
  const uint64_t size = fx.ledger().size();
  ExpectReadsServed(fx.ledger(), size, fx.ledger().checkpoint());
  for (const Receipt& r : acked) {
    auto e = fx.ledger().GetEntry(r.seq);
    REQUIRE(e.ok());
    CHECK(e->leaf_hash == r.leaf_hash);
  }
  const std::string checkpoint = fx.ledger().checkpoint();

  env.Clear();
  REQUIRE(WaitHealthy(fx.ledger()));
  fx.CreateAccount("after", "trader");
  for (const Receipt& r : acked) {
    auto e = fx.ledger().GetEntry(r.seq);
    REQUIRE(e.ok());
    CHECK(e->leaf_hash == r.leaf_hash);
  }
  ExpectExtends(fx.ledger(), checkpoint);
  ExpectVerifies(fx);
}

TEST_CASE("while a reopening fails reads answer store.unavailable, then everything is back",
          "[ledger][faults]") {
  FaultEnv env;
  LedgerFixture fx({}, FaultyOptions(env));
  fx.CreateAccount("t0", "trader");
  const uint64_t size = fx.ledger().size();
  const std::string checkpoint = fx.ledger().checkpoint();
  env.Set(FaultEnv::Fault::kNoSpace);
  ExpectWriteFailed(fx.Send(fx.op(), "account.create", NewAccount("t1")));
  // The probe file passes now, but reopening needs a table for the log it replays, and tables
  // fail: the store cannot be reopened, and reads say so instead of touching a closed handle.
  env.Set(FaultEnv::Fault::kNoSpace, FaultEnv::Files::kTables);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  Result<StoredEntry> e = fx.ledger().GetEntry(1);
  while (e.ok() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));
    e = fx.ledger().GetEntry(1);
  }
  REQUIRE_FALSE(e.ok());
  CHECK(e.status().code() == Code::kUnavailable);
  CHECK(e.status().reason() == "store.unavailable");
  CHECK(GetRecord(fx.ledger().state(), "a/t0").status().reason() == "store.unavailable");
  CHECK(fx.ledger().checkpoint() == checkpoint);  // kept in memory
  CHECK(fx.ledger().health().reason() == "store.write_failed");
  ExpectWriteFailed(fx.Send(fx.op(), "account.create", NewAccount("t2")));

  env.Clear();
  REQUIRE(WaitHealthy(fx.ledger()));
  ExpectReadsServed(fx.ledger(), size, checkpoint);
  fx.CreateAccount("t3", "trader");
  ExpectExtends(fx.ledger(), checkpoint);
  ExpectVerifies(fx);
}

TEST_CASE("concurrent writers while the store fails and recovers many times: every ack stands",
          "[ledger][faults]") {
  FaultEnv env;
  LedgerFixture fx({}, FaultyOptions(env, milliseconds(5)));
  constexpr int kWriters = 4;
  for (int t = 0; t < kWriters; ++t) fx.CreateAccount("w" + std::to_string(t), "registry");
  const uint64_t setup_size = fx.ledger().size();
  const std::string setup_checkpoint = fx.ledger().checkpoint();
  const std::string origin = fx.ledger().origin();

  struct Ack {
    std::string tx;  // canonical transaction
    Receipt receipt;
  };
  std::mutex mu;
  std::vector<Ack> acks;
  std::atomic<uint64_t> refusals{0}, unexpected{0}, reads{0}, read_refusals{0}, read_errors{0};
  std::atomic<bool> done{false}, faults_over{false};
  std::string last_unexpected;  // under mu (Catch2 assertions are for the test's thread only)

  // Each writer signs and submits its transactions in order until the faults are over,
  // retrying one refused with 503 until it is acknowledged — as a client should: the retry is
  // safe because submission is idempotent.
  auto writer = [&](int t) {
    const std::string signer = "w" + std::to_string(t);
    const SigningKey& key = fx.key(signer);
    for (uint64_t nonce = 1; !faults_over; ++nonce) {
      auto tx =
          SignTransaction("account.create", origin, signer, nonce,
                          NewAccount("m" + std::to_string(t) + "-" + std::to_string(nonce)), key);
      if (!tx.ok()) {
        unexpected++;
        return;
      }
      for (int attempt = 0;; ++attempt) {
        auto r = fx.ledger().Submit(*tx);
        if (r.ok()) {
          std::lock_guard lock(mu);
          acks.push_back({tx->tx.canonical, *r});
          break;
        }
        if (r.status().code() != Code::kUnavailable || attempt > 5000) {
          unexpected++;
          std::lock_guard lock(mu);
          last_unexpected = r.status().ToString();
          return;
        }
        refusals++;
        std::this_thread::sleep_for(milliseconds(1));
      }
    }
  };
  // A reader reads entries, proofs and state throughout. Reads may only be refused while a
  // reopening has failed (store.unavailable); nothing else may go wrong.
  auto reader = [&] {
    while (!done) {
      uint64_t n = fx.ledger().size();
      auto e = fx.ledger().GetEntry(n - 1);
      auto p = fx.ledger().ProveInclusion(n - 1, n);
      auto a = GetRecord(fx.ledger().state(), "a/w0");
      for (const Status& s : {e.status(), p.status(), a.status()}) {
        reads++;
        if (s.ok()) continue;
        if (s.reason() == "store.unavailable") {
          read_refusals++;
          continue;
        }
        read_errors++;
        std::lock_guard lock(mu);
        last_unexpected = s.ToString();
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));  // counts ~ time
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kWriters; ++t) threads.emplace_back(writer, t);
  std::thread read_thread(reader);

  // Faults come and go: a full disk or a failing fsync, each for a few milliseconds.
  std::mt19937 rng(std::random_device{}());
  int toggles = 0;
  for (; toggles < 40; ++toggles) {
    std::this_thread::sleep_for(milliseconds(5 + rng() % 30));
    env.Set(rng() % 2 ? FaultEnv::Fault::kNoSpace : FaultEnv::Fault::kSyncError);
    std::this_thread::sleep_for(milliseconds(5 + rng() % 30));
    env.Clear();
  }
  faults_over = true;
  for (auto& t : threads) t.join();
  done = true;
  read_thread.join();
  Ledger::Stats stats = fx.ledger().stats();
  WARN("fault toggling: " << toggles << " faults, " << env.injected() << " failed file operations, "
                          << stats.store_failures << " failed writes, " << stats.store_recoveries
                          << " recoveries, " << refusals << " submissions refused, "
                          << read_refusals << " of " << reads << " reads refused (store closed), "
                          << acks.size() << " acknowledged");
  INFO(last_unexpected);
  CHECK(unexpected == 0);
  CHECK(read_errors == 0);
  CHECK(env.injected() > 0);
  CHECK(refusals > 0);
  CHECK(stats.store_failures > 0);
  CHECK(stats.store_recoveries > 0);
  REQUIRE(WaitHealthy(fx.ledger()));

  // Every transaction acknowledged is on the ledger exactly once, where its acknowledgement
  // said, and nothing else is (each writer's transactions are sent one after another).
  REQUIRE(!acks.empty());
  CHECK(fx.ledger().size() == setup_size + acks.size());
  std::set<uint64_t> seqs;
  for (const Ack& a : acks) {
    auto e = fx.ledger().GetEntry(a.receipt.seq);
    REQUIRE(e.ok());
    CHECK(e->leaf_hash == a.receipt.leaf_hash);
    CHECK(e->entry.tx == a.tx);
    seqs.insert(a.receipt.seq);
  }
  CHECK(seqs.size() == acks.size());
  ExpectExtends(fx.ledger(), setup_checkpoint);
  ExpectVerifies(fx);
}
