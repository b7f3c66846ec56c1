// Crash recovery: a child process writes to a real ledger and reports every acknowledged
// entry through a pipe; the test kills it with SIGKILL mid-stream, reopens the store, and
// checks that every acknowledged entry is there, unchanged, and that verify-ledger passes.
//
// The test process itself never opens the store: creating, checking and verifying run in
// children too. So every fork is of a single-threaded process — a child of a multi-threaded
// one would inherit LevelDB's process-wide background-thread state without the thread, and
// ThreadSanitizer refuses threads in such a child.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <functional>
#include <random>
#include <sstream>
#include <thread>

#include "crypto/encoding.h"
#include "ledger/certification/transaction_types.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/ledger.h"
#include "ledger/log/merkle.h"
#include "ledger/log/verify.h"
#include "ledger/registry/genesis.h"
#include "tests/support/temp_dir.h"

using namespace carbonledger;

namespace {

// The child: submits account.create transactions from two threads until killed, writing
// "seq leaf_hash_hex\n" for each acknowledged one. Never returns.
[[noreturn]] void WriterChild(const std::string& dir, int fd, int round) {
  auto ledger = Ledger::Open(dir, LedgerTxTypes());
  if (!ledger.ok()) _exit(3);
  auto op = ReadPrivateKeyFile(OperatorKeyPath(dir));
  if (!op.ok()) _exit(4);
  // Two registry signers per round, created by the operator, each driven by one thread.
  auto nonce_of = [&](const std::string& account) -> uint64_t {
    auto rec = GetRecord((*ledger)->state(), "a/" + account);
    return rec.ok() && rec->has_value() ? (**rec)["nonce"].get<uint64_t>() : 0;
  };
  std::vector<SigningKey> keys;
  for (int t = 0; t < 2; ++t) {
    keys.push_back(SigningKey::Generate());
    auto tx =
        SignTransaction("account.create", (*ledger)->origin(), "operator", nonce_of("operator") + 1,
                        {{"account", "w" + std::to_string(round) + "-" + std::to_string(t)},
                         {"role", "registry"},
                         {"public_key", Base64Encode(AsBytes(keys.back().public_key()))}},
                        op->key);
    if (!tx.ok() || !(*ledger)->Submit(*tx).ok()) _exit(5);
  }
  std::mutex out_mu;
  auto work = [&](int t) {
    for (uint64_t i = 1;; ++i) {
      auto tx =
          SignTransaction("account.create", (*ledger)->origin(),
                          "w" + std::to_string(round) + "-" + std::to_string(t), i,
                          {{"account", "m" + std::to_string(round) + "-" + std::to_string(t) + "-" +
                                           std::to_string(i)},
                           {"role", "trader"},
                           {"public_key", Base64Encode(AsBytes(keys[size_t(t)].public_key()))}},
                          keys[size_t(t)]);
      auto r = (*ledger)->Submit(*tx);
      if (!r.ok()) _exit(6);
      // "seq leaf checkpoint-size checkpoint-root": what this acknowledgement promised.
      auto cp = ParseCheckpointBody(r->checkpoint.substr(0, r->checkpoint.find("\n\n") + 1));
      if (!cp.ok()) _exit(8);
      std::string line = std::to_string(r->seq) + " " + HexEncode(AsBytes(r->leaf_hash)) + " " +
                         std::to_string(cp->size) + " " + HexEncode(AsBytes(cp->root)) + "\n";
      std::lock_guard lock(out_mu);
      if (write(fd, line.data(), line.size()) != ssize_t(line.size())) _exit(7);
    }
  };
  std::thread a(work, 0), b(work, 1);
  a.join();
  _exit(0);
}

// Runs `check` in a child process and returns what it found wrong ("" when nothing), or how
// the child died.
std::string InChild(const std::function<std::string()>& check) {
  int fds[2];
  if (pipe(fds) != 0) return "pipe failed";
  const pid_t pid = fork();
  if (pid < 0) return "fork failed";
  if (pid == 0) {
    close(fds[0]);
    std::string out;
    try {
      out = check();
    } catch (const std::exception& e) {
      out = std::string("exception: ") + e.what();
    }
    if (write(fds[1], out.data(), out.size()) != ssize_t(out.size())) _exit(2);
    _exit(0);
  }
  close(fds[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, size_t(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return "checking child died (status " + std::to_string(status) + "): " + out;
  }
  return out;
}

// After a kill: every acknowledged entry ("seq leaf checkpoint-size checkpoint-root" lines) is
// there with its hash, the checkpoint extends every one handed out before the kill, and
// verify-ledger passes.
std::string CheckAfterKill(const std::string& dir, const std::string& acked) {
  auto ledger = Ledger::Open(dir, LedgerTxTypes());
  if (!ledger.ok()) return "reopen: " + ledger.status().ToString();
  std::istringstream lines(acked);
  uint64_t seq, cp_size;
  std::string leaf, cp_root;
  uint64_t newest_size = 0;
  std::string newest_root;
  while (lines >> seq >> leaf >> cp_size >> cp_root) {
    auto e = (*ledger)->GetEntry(seq);
    if (!e.ok()) return "acknowledged entry " + std::to_string(seq) + " is gone";
    if (HexEncode(AsBytes(e->leaf_hash)) != leaf) {
      return "acknowledged entry " + std::to_string(seq) + " changed";
    }
    if (cp_size > newest_size) {
      newest_size = cp_size;
      newest_root = cp_root;
    }
  }
  if (newest_size > 0) {
    auto now = OpenCheckpoint((*ledger)->checkpoint(), (*ledger)->log_key().name,
                              (*ledger)->log_key().key);
    if (!now.ok()) return "checkpoint: " + now.status().ToString();
    if (now->size < newest_size) return "the tree shrank below an acknowledged checkpoint";
    auto proof = (*ledger)->ProveConsistency(newest_size, now->size);
    if (!proof.ok()) return "consistency proof: " + proof.status().ToString();
    auto old_root = HashFromHex(newest_root);
    if (!old_root.ok()) return "bad root in the child's report";
    if (!merkle::VerifyConsistency(newest_size, now->size, proof->hashes, *old_root, now->root)
             .ok()) {
      return "the checkpoint after the restart does not extend the one acknowledged";
    }
  }
  ledger->reset();
  VerifyOptions o;
  o.data_dir = dir;
  auto v = VerifyLedger(o, LedgerTxTypes());
  return v.ok() ? "" : "verify-ledger: " + v.status().ToString();
}

}  // namespace

TEST_CASE("every acknowledged entry survives SIGKILL mid-batch and verify-ledger passes",
          "[ledger][crash][concurrency]") {
  testing::TempDir dir;
  REQUIRE(InChild([&] {
            Status s = InitLedger(dir.path(), GenesisOptions{});
            return s.ok() ? std::string() : s.ToString();
          }) == "");
  std::mt19937 rng(std::random_device{}());
  size_t total_acked = 0;
  for (int round = 0; round < 4; ++round) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      close(fds[0]);
      WriterChild(dir.path(), fds[1], round);
    }
    close(fds[1]);
    std::this_thread::sleep_for(std::chrono::milliseconds(150 + rng() % 250));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    REQUIRE(WIFSIGNALED(status));  // killed, not exited on an error
    std::string acked;
    char buf[4096];
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) acked.append(buf, size_t(n));
    close(fds[0]);
    total_acked += size_t(std::count(acked.begin(), acked.end(), '\n'));
    REQUIRE(InChild([&] { return CheckAfterKill(dir.path(), acked); }) == "");
  }
  CHECK(total_acked > 0);
}
