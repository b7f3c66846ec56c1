// carbonledger-crash-trials N: kills a real carbonledgerd with SIGKILL while clients write to
// it, N times, and after each kill checks that nothing acknowledged was lost
// (docs/reliability.md §Crash trials):
//   - the store passes verify-ledger (every entry whole, chain, tree, checkpoint, state);
//   - after restart every acknowledged transaction is at the same seq with the same entry hash;
//   - the checkpoint after restart extends (consistency proof) the newest one a client received;
//   - each writer's nonce on the ledger is at least its last acknowledged one.
// Every fifth trial also kills the daemon during startup recovery, and writers rotate their
// keys now and then, so kills land during key rotations too.
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "api/request_auth.h"
#include "crypto/encoding.h"
#include "ledger/checkpoint.h"
#include "ledger/genesis.h"
#include "ledger/merkle.h"
#include "ledger/transaction.h"
#include "ledger/verify.h"
#include "tools/process.h"

namespace carbonledger {
namespace {

struct Ack {
  uint64_t seq;
  std::string entry_hash;
};

struct Writer {
  std::string id;
  SigningKey key = SigningKey::Generate();
  std::optional<SigningKey> pending;  // a rotation sent but not acknowledged
  uint64_t nonce = 0;                 // last nonce used
  uint64_t acked_nonce = 0;           // last nonce acknowledged
  uint64_t created = 0;
};

std::string SelfDir() {
  return std::filesystem::canonical("/proc/self/exe").parent_path().string();
}

int64_t Now() { return std::time(nullptr); }

std::string NewNonce(std::mt19937_64& rng) {
  return "crash-" + std::to_string(rng()) + "-" + std::to_string(rng());
}

httplib::Result SignedGet(httplib::Client& c, const std::string& path, const std::string& account,
                          const SigningKey& key, std::mt19937_64& rng) {
  SignedHeaders h = SignRequest("GET", path, "", "", account, key, Now(), NewNonce(rng));
  return c.Get(path, {{"Content-Digest", h.content_digest},
                      {"Signature-Input", h.signature_input},
                      {"Signature", h.signature}});
}

class Trials {
 public:
  Trials(std::string dir, uint64_t seed)
      : dir_(std::move(dir)), data_(dir_ + "/data"), rng_(seed) {}

  bool Setup() {
    std::filesystem::create_directories(dir_);
    if (Status s = InitLedger(data_, GenesisOptions{"crash.trials/log", "operator", 24}); !s.ok()) {
      return Fail("init: " + s.ToString());
    }
    auto op = ReadPrivateKeyFile(OperatorKeyPath(data_));
    if (!op.ok()) return Fail(op.status().ToString());
    process::Daemon d(SelfDir() + "/carbonledgerd");
    if (!d.Start({"--data", data_})) return Fail("daemon did not start: " + d.log());
    httplib::Client c("127.0.0.1", d.port());
    for (int w = 0; w < 4; ++w) {
      writers_.emplace_back();
      writers_.back().id = "writer-" + std::to_string(w);
      auto tx =
          SignTransaction("account.create", "crash.trials/log", "operator", uint64_t(w) + 2,
                          {{"account", writers_.back().id},
                           {"role", "registry"},
                           {"public_key", Base64Encode(AsBytes(writers_.back().key.public_key()))}},
                          op->key);
      auto r = c.Post("/v1/transactions", EncodeSubmission(*tx), "application/json");
      if (!r || r->status != 201) return Fail("cannot create writers");
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
    httplib::Client c("127.0.0.1", d.port());
    if (!CheckAfterRestart(c)) return false;

    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (Writer& w : writers_) threads.emplace_back([&, port = d.port()] { Write(w, port, stop); });
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng_() % 500));
    d.Stop(SIGKILL);
    stop = true;
    for (auto& t : threads) t.join();

    VerifyOptions vo;
    vo.data_dir = data_;
    auto v = VerifyLedger(vo);
    if (!v.ok()) return Fail("verify-ledger: " + v.status().ToString());
    std::cout << "trial " << trial << ": " << trial_acks_ << " acknowledged, ledger " << v->entries
              << " entries, verify-ledger OK\n";
    return true;
  }

  bool Finish() {
    process::Daemon d(SelfDir() + "/carbonledgerd");
    if (!d.Start({"--data", data_})) return Fail("final restart failed");
    httplib::Client c("127.0.0.1", d.port());
    if (!CheckAfterRestart(c)) return false;
    // Every acknowledgement of every trial, once more.
    for (const Ack& a : all_acks_) {
      if (!CheckAck(c, a)) return false;
    }
    if (d.Stop(SIGTERM) != 0) return Fail("clean shutdown failed");
    return true;
  }

  uint64_t total_acks() const { return all_acks_.size(); }

 private:
  bool Fail(const std::string& what) {
    std::cout << "FAILED: " << what << "\n";
    return false;
  }

  bool CheckAck(httplib::Client& c, const Ack& a) {
    auto e = c.Get("/v1/entries/" + std::to_string(a.seq));
    if (!e || e->status != 200)
      return Fail("acknowledged entry " + std::to_string(a.seq) + " is gone");
    if (nlohmann::json::parse(e->body)["leaf_hash"] != a.entry_hash) {
      return Fail("acknowledged entry " + std::to_string(a.seq) + " changed");
    }
    return true;
  }

  bool CheckAfterRestart(httplib::Client& c) {
    for (const Ack& a : last_acks_) {
      if (!CheckAck(c, a)) return false;
    }
    auto note = c.Get("/v1/checkpoint");
    if (!note || note->status != 200) return Fail("no checkpoint after restart");
    auto log_key = ParsePublicKey(ReadText(LogPublicKeyPath(data_)));
    auto now = OpenCheckpoint(note->body, log_key->name, log_key->key);
    if (!now.ok()) return Fail("checkpoint after restart: " + now.status().ToString());
    if (newest_size_ > 0) {
      if (now->size < newest_size_) return Fail("tree shrank below an acknowledged checkpoint");
      auto p = c.Get("/v1/proofs/consistency?from=" + std::to_string(newest_size_) +
                     "&to=" + std::to_string(now->size));
      if (!p || p->status != 200) return Fail("no consistency proof");
      std::vector<Hash> hashes;
      const nlohmann::json proof = nlohmann::json::parse(p->body);  // outlives the loop
      for (const auto& h : proof["hashes"]) {
        auto b = Base64Decode(h.get<std::string>());
        Hash x;
        std::copy(b->begin(), b->end(), x.begin());
        hashes.push_back(x);
      }
      if (!merkle::VerifyConsistency(newest_size_, now->size, hashes, newest_root_, now->root)
               .ok()) {
        return Fail("checkpoint after restart (size " + std::to_string(now->size) +
                    ") is not consistent with the last one acknowledged (size " +
                    std::to_string(newest_size_) + ", root " + Base64Encode(AsBytes(newest_root_)) +
                    ")");
      }
    }
    // Resolve rotations whose acknowledgement was lost, and check nonces kept.
    for (Writer& w : writers_) {
      auto r = SignedGet(c, "/v1/accounts/" + w.id, w.id, w.key, rng_);
      if (r && r->status == 401 && w.pending) {
        r = SignedGet(c, "/v1/accounts/" + w.id, w.id, *w.pending, rng_);
        if (r && r->status == 200) w.key = *w.pending;
      }
      if (!r || r->status != 200) return Fail("cannot read " + w.id + " with any of its keys");
      w.pending.reset();
      uint64_t nonce = nlohmann::json::parse(r->body)["nonce"];
      if (nonce < w.acked_nonce) return Fail(w.id + " lost an acknowledged nonce");
      w.nonce = nonce;
    }
    last_acks_.clear();
    trial_acks_ = 0;
    return true;
  }

  void Write(Writer& w, int port, std::atomic<bool>& stop) {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(5, 0);
    std::mt19937_64 rng(std::hash<std::string>()(w.id) ^ uint64_t(Now()));
    while (!stop) {
      SignedTransaction stx;
      bool rotation = rng() % 20 == 0;
      SigningKey next = SigningKey::Generate();
      nlohmann::json body;
      std::string type;
      if (rotation) {
        type = "account.rotate_key";
        body = {{"public_key", Base64Encode(AsBytes(next.public_key()))}};
        w.pending = next;
      } else {
        type = "account.create";
        body = {{"account", w.id + "-m" + std::to_string(++w.created)},
                {"role", "trader"},
                {"public_key", Base64Encode(AsBytes(next.public_key()))}};
      }
      auto tx = SignTransaction(type, "crash.trials/log", w.id, w.nonce + 1, body, w.key);
      auto r = c.Post("/v1/transactions", EncodeSubmission(*tx), "application/json");
      if (!r) return;  // the daemon is gone
      if (r->status != 201) continue;
      auto receipt = nlohmann::json::parse(r->body);
      w.nonce++;
      w.acked_nonce = w.nonce;
      if (rotation) {
        w.key = next;
        w.pending.reset();
      }
      auto cp = ParseCheckpointBody(receipt["checkpoint"].get<std::string>().substr(
          0, receipt["checkpoint"].get<std::string>().find("\n\n") + 1));
      std::lock_guard lock(mu_);
      Ack a{receipt["seq"], receipt["entry_hash"]};
      last_acks_.push_back(a);
      all_acks_.push_back(a);
      ++trial_acks_;
      if (cp.ok() && cp->size > newest_size_) {
        newest_size_ = cp->size;
        newest_root_ = cp->root;
      }
    }
  }

  static std::string ReadText(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  std::string dir_, data_;
  std::mt19937_64 rng_;
  std::vector<Writer> writers_;
  std::mutex mu_;
  std::vector<Ack> last_acks_, all_acks_;
  uint64_t trial_acks_ = 0;
  uint64_t newest_size_ = 0;
  Hash newest_root_{};
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
