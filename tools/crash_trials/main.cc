// carbonledger-crash-trials N: kills a real carbonledgerd with SIGKILL while clients write to
// it, N times, and after each kill checks that nothing acknowledged was lost
// (docs/reliability.md §Crash trials):
//   - the store passes verify-ledger (every entry whole, chain, tree, checkpoint, state);
//   - after restart every acknowledged transaction is at the same seq with the same entry hash;
//   - the checkpoint after restart extends (consistency proof) the newest one a client received;
//   - each writer's nonce on the ledger is at least its last acknowledged one.
// Every fifth trial also kills the daemon during startup recovery, and writers rotate their
// keys now and then, so kills land during key rotations too.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <random>
#include <thread>

#include "ledger/certification/transaction_types.h"
#include "ledger/log/verify.h"
#include "ledger/registry/genesis.h"
#include "tools/harness/client.h"
#include "tools/process.h"

namespace carbonledger {
namespace {

using harness::Account;
using harness::Ack;
using harness::SelfDir;

constexpr char kOrigin[] = "crash.trials/log";

class Trials {
 public:
  Trials(std::string dir, uint64_t seed)
      : dir_(std::move(dir)), data_(dir_ + "/data"), rng_(seed) {}

  bool Setup() {
    std::filesystem::create_directories(dir_);
    if (Status s = InitLedger(data_, GenesisOptions{kOrigin, "operator", 24}); !s.ok()) {
      return Fail("init: " + s.ToString());
    }
    auto op = ReadPrivateKeyFile(OperatorKeyPath(data_));
    if (!op.ok()) return Fail(op.status().ToString());
    auto log_key = ParsePublicKey(harness::ReadText(LogPublicKeyPath(data_)));
    if (!log_key.ok()) return Fail(log_key.status().ToString());
    log_key_ = *log_key;
    process::Daemon d(SelfDir() + "/carbonledgerd");
    if (!d.Start({"--data", data_})) return Fail("daemon did not start: " + d.log());
    harness::Client c(d.port(), kOrigin, rng_());
    for (int w = 0; w < 4; ++w) {
      auto a = c.CreateAccount(op->key, uint64_t(w) + 2, "writer-" + std::to_string(w), "registry");
      if (!a.ok()) return Fail("cannot create writers: " + a.status().ToString());
      writers_.push_back(std::move(*a));
    }
    d.Stop();
    return true;
  }

  // One trial: (maybe crash startup), start, check what the last trial acknowledged, write
  // from all writers, SIGKILL at a random moment, verify the store.
  bool Run(int trial) {
    process::Daemon d(SelfDir() + "/carbonledgerd");
    if (trial % 5 == 0) {
      // Kill during startup recovery: the store is being opened and checked.
      d.Spawn({"--data", data_});
      std::this_thread::sleep_for(std::chrono::milliseconds(rng_() % 40));
      d.Stop(SIGKILL);
    }
    if (!d.Start({"--data", data_})) return Fail("restart failed: " + d.log());
    if (!CheckAfterRestart(d.port())) return false;

    harness::AckLog trial_acks;
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (Account& w : writers_) {
      threads.emplace_back([&, port = d.port(), seed = rng_()] {
        // One in twenty a key rotation, so that kills land during rotations too.
        harness::Client c(port, kOrigin, seed);
        while (!stop) {
          auto s = c.SubmitNext(w, 20);
          if (s.outcome == harness::Client::Submitted::kGone) return;  // the daemon is gone
          if (s.outcome == harness::Client::Submitted::kAcked) trial_acks.Add(s.ack, s.head);
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng_() % 500));
    d.Stop(SIGKILL);
    stop = true;
    for (auto& t : threads) t.join();
    last_acks_ = trial_acks.all();
    all_acks_.insert(all_acks_.end(), last_acks_.begin(), last_acks_.end());
    if (trial_acks.newest().size > newest_.size) newest_ = trial_acks.newest();

    VerifyOptions vo;
    vo.data_dir = data_;
    auto v = VerifyLedger(vo, LedgerTxTypes());
    if (!v.ok()) return Fail("verify-ledger: " + v.status().ToString());
    std::cout << "trial " << trial << ": " << last_acks_.size() << " acknowledged, ledger "
              << v->entries << " entries, verify-ledger OK\n";
    return true;
  }

  bool Finish() {
    process::Daemon d(SelfDir() + "/carbonledgerd");
    if (!d.Start({"--data", data_})) return Fail("final restart failed");
    if (!CheckAfterRestart(d.port())) return false;
    // Every acknowledgement of every trial, once more.
    harness::Client c(d.port(), kOrigin, rng_());
    if (Status s = c.CheckAcks(all_acks_); !s.ok()) return Fail(s.ToString());
    if (d.Stop(SIGTERM) != 0) return Fail("clean shutdown failed");
    return true;
  }

  uint64_t total_acks() const { return all_acks_.size(); }

 private:
  bool Fail(const std::string& what) {
    std::cout << "FAILED: " << what << "\n";
    return false;
  }

  // The last trial's acknowledgements are all there, the checkpoint extends the newest one
  // any client received, and each writer knows its current key and nonce.
  bool CheckAfterRestart(int port) {
    harness::Client c(port, kOrigin, rng_());
    for (const Ack& a : last_acks_) {
      if (Status s = c.CheckAck(a); !s.ok()) return Fail(s.ToString());
    }
    auto head = c.CheckCheckpointExtends(log_key_, newest_);
    if (!head.ok()) return Fail("after restart: " + head.status().ToString());
    for (Account& w : writers_) {
      if (Status s = c.ResolveAfterRestart(w); !s.ok()) return Fail(s.ToString());
    }
    last_acks_.clear();
    return true;
  }

  std::string dir_, data_;
  std::mt19937_64 rng_;
  NamedPublicKey log_key_;
  std::vector<Account> writers_;
  std::vector<Ack> last_acks_, all_acks_;
  harness::TreeHead newest_;
};

}  // namespace
}  // namespace carbonledger

int main(int argc, char** argv) {
  using namespace carbonledger;
  if (argc < 2) {
    std::cerr << "usage: carbonledger-crash-trials N [DIR]\n";
    return 2;
  }
  int n = std::atoi(argv[1]);
  std::string dir = argc > 2 ? argv[2]
                             : (std::filesystem::temp_directory_path() /
                                ("carbonledger-crash-" + std::to_string(getpid())))
                                   .string();
  std::filesystem::remove_all(dir);
  Trials t(dir, uint64_t(std::random_device{}()));
  int survived = 0;
  bool ok = t.Setup();
  for (int i = 1; ok && i <= n; ++i) {
    ok = t.Run(i);
    if (ok) ++survived;
  }
  ok = ok && t.Finish();
  std::cout << "crash trials: " << n << " run, " << survived << " survived with zero loss, "
            << t.total_acks() << " acknowledged transactions checked\n";
  if (ok) std::filesystem::remove_all(dir);
  return ok ? 0 : 1;
}
