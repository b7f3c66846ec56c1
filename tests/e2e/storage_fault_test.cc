// Storage faults against the real carbonledgerd: its file writes fail through an LD_PRELOAD
// shim (tests/support/write_fault_shim.c: ENOSPC on write, EIO on fsync), and, where this
// process may mount file systems, on a real tmpfs filled to the last byte. While the fault
// lasts, writes get 503 store.write_failed, /v1/health 503, and reads go on with the same data;
// nothing is acknowledged; once the fault clears the daemon takes writes again without a
// restart; every acknowledgement stands, the checkpoint extends the one before, and
// verify-ledger passes on the data directory.
#include <httplib.h>
#include <sys/mount.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "api/request_auth.h"
#include "crypto/encoding.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/ledger.h"
#include "ledger/log/merkle.h"
#include "ledger/log/proof.h"
#include "ledger/log/transaction.h"
#include "ledger/registry/genesis.h"
#include "tests/support/answer.h"
#include "tests/support/bin_path.h"
#include "tests/support/temp_dir.h"
#include "tools/process.h"

using namespace carbonledger;
using namespace carbonledger::process;
using carbonledger::testing::BinPath;
using carbonledger::testing::HashB64;
using carbonledger::testing::Json;
using carbonledger::testing::TempDir;

namespace {

constexpr const char* kOrigin = "e2e.test/faults";

// One ledger in a data directory, its operator as the client, and what the daemon promised.
class Trial {
 public:
  explicit Trial(std::string data) : data_(std::move(data)) {
    auto init = Run(BinPath("carbonledger"), {"init", "--data", data_, "--origin", kOrigin});
    INFO(init.out);
    REQUIRE(init.exit_code == 0);
    auto op = ReadPrivateKeyFile(OperatorKeyPath(data_));
    REQUIRE(op.ok());
    op_.emplace(std::move(op->key));
    auto log = ReadPrivateKeyFile(LogKeyPath(data_));
    REQUIRE(log.ok());
    log_key_ = {log->name, log->key.public_key()};
  }

  void Connect(int port) {
    http_ = std::make_unique<httplib::Client>("127.0.0.1", port);
    http_->set_read_timeout(30, 0);
  }
  httplib::Client& http() { return *http_; }
  const std::string& data() const { return data_; }

  // The operator's next account.create.
  SignedTransaction Next() {
    ++nonce_;
    auto tx = SignTransaction("account.create", kOrigin, "operator", nonce_,
                              {{"account", "t" + std::to_string(nonce_)},
                               {"role", "trader"},
                               {"public_key", Base64Encode(AsBytes(op_->public_key()))}},
                              *op_);
    REQUIRE(tx.ok());
    return *tx;
  }
  httplib::Result Post(const SignedTransaction& tx) {
    return http_->Post("/v1/transactions", EncodeSubmission(tx), "application/json");
  }
  // Posts and requires 201; remembers the acknowledgement.
  void Accept(const SignedTransaction& tx) {
    auto r = Post(tx);
    REQUIRE(r);
    INFO(r->body);
    REQUIRE(r->status == 201);
    Remember(r);
  }
  void Remember(const httplib::Result& r) {
    auto j = Json(r);
    acks_[j["seq"].get<uint64_t>()] = j["entry_hash"].get<std::string>();
  }
  size_t acks() const { return acks_.size(); }

  httplib::Result SignedGet(const std::string& target) {
    static int counter = 0;
    int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    SignedHeaders h = SignRequestTarget("GET", target, "", "operator", *op_, now,
                                        "fault-nonce-" + std::to_string(1000000 + counter++));
    return http_->Get(target, {{"Content-Digest", h.content_digest},
                               {"Signature-Input", h.signature_input},
                               {"Signature", h.signature}});
  }

  Checkpoint Open(const std::string& note) {
    auto cp = OpenCheckpoint(note, log_key_.name, log_key_.key, kOrigin);
    INFO(note);
    REQUIRE(cp.ok());
    return *cp;
  }

  // A write now is refused with 503 store.write_failed, problem+json, and health says so.
  void ExpectRefused(const SignedTransaction& tx) {
    auto r = Post(tx);
    REQUIRE(r);
    INFO(r->body);
    CHECK(r->status == 503);
    CHECK(r->get_header_value("Content-Type") == "application/problem+json");
    CHECK(r->get_header_value("Retry-After") == "1");
    auto p = nlohmann::json::parse(r->body);
    CHECK(p["type"] == "urn:carbonledger:problem:store.write_failed");
    CHECK(p["status"] == 503);
    auto health = http_->Get("/v1/health");
    REQUIRE(health);
    CHECK(health->status == 503);
    CHECK(Json(health)["status"] == "degraded");
    CHECK(Json(health)["reason"] == "store.write_failed");
  }

  // Every read a client relies on answers 200 with the data acknowledged so far, and the
  // checkpoint is still `checkpoint`.
  void ExpectReads(const std::string& checkpoint) {
    auto note = http_->Get("/v1/checkpoint");
    REQUIRE(note);
    CHECK(note->status == 200);
    CHECK(note->body == checkpoint);
    Checkpoint cp = Open(checkpoint);
    for (const auto& [seq, hash] : acks_) {
      auto e = http_->Get("/v1/entries/" + std::to_string(seq));
      REQUIRE(e);
      REQUIRE(e->status == 200);
      CHECK(Json(e)["leaf_hash"] == hash);
      auto p = http_->Get("/v1/proofs/inclusion?seq=" + std::to_string(seq) +
                          "&tree_size=" + std::to_string(cp.size));
      REQUIRE(p);
      REQUIRE(p->status == 200);
      auto proof = DecodeInclusionProof(Json(p));
      REQUIRE(proof.ok());
      CHECK(
          merkle::VerifyInclusion(seq, cp.size, HashB64(hash), proof->proof.hashes, cp.root).ok());
    }
    auto list = http_->Get("/v1/entries?start=0&limit=5");
    REQUIRE(list);
    CHECK(list->status == 200);
    auto account = SignedGet("/v1/accounts/operator");
    REQUIRE(account);
    CHECK(account->status == 200);
    auto holdings = SignedGet("/v1/accounts/operator/holdings");
    REQUIRE(holdings);
    CHECK(holdings->status == 200);
    auto consistency = http_->Get("/v1/proofs/consistency?from=1&to=" + std::to_string(cp.size));
    REQUIRE(consistency);
    CHECK(consistency->status == 200);
  }

  // Polls /v1/health until 200; false after `seconds`.
  bool WaitHealthy(int seconds = 10) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      auto h = http_->Get("/v1/health");
      if (h && h->status == 200) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  // The checkpoint served now extends `before`: a consistency proof from the daemon, verified
  // here against both signed checkpoints.
  void ExpectExtends(const std::string& before) {
    Checkpoint old_cp = Open(before);
    Checkpoint new_cp = Open(http_->Get("/v1/checkpoint")->body);
    REQUIRE(new_cp.size > old_cp.size);
    auto p = DecodeConsistencyProof(
        Json(http_->Get("/v1/proofs/consistency?from=" + std::to_string(old_cp.size) +
                        "&to=" + std::to_string(new_cp.size))));
    REQUIRE(p.ok());
    CHECK(merkle::VerifyConsistency(old_cp.size, new_cp.size, p->hashes, old_cp.root, new_cp.root)
              .ok());
  }

  // After shutdown: verify-ledger passes, and a fresh daemon (no fault) serves every
  // acknowledged entry unchanged.
  void ExpectDurable(uint64_t expected_entries) {
    auto v = Run(BinPath("carbonledger"),
                 {"verify-ledger", "--data", data_, "--log-key", LogPublicKeyPath(data_)});
    INFO(v.out);
    CHECK(v.exit_code == 0);
    CHECK(v.out.find("OK: " + std::to_string(expected_entries) + " entries") == 0);
    Daemon d(BinPath("carbonledgerd"));
    REQUIRE(d.Start({"--data", data_}));
    Connect(d.port());
    for (const auto& [seq, hash] : acks_) {
      auto e = http_->Get("/v1/entries/" + std::to_string(seq));
      REQUIRE(e);
      REQUIRE(e->status == 200);
      CHECK(Json(e)["leaf_hash"] == hash);
    }
    CHECK(d.Stop() == 0);
  }

 private:
  std::string data_;
  std::optional<SigningKey> op_;
  NamedPublicKey log_key_;
  uint64_t nonce_ = 1;  // genesis used 1
  std::map<uint64_t, std::string> acks_;
  std::unique_ptr<httplib::Client> http_;
};

// carbonledgerd with the shim preloaded, faults switched by `fault_file`.
void PreloadShim(Daemon& d, const std::string& fault_file) {
  const char* asan = std::getenv("ASAN_OPTIONS");
  d.set_env({std::string("LD_PRELOAD=") + CARBONLEDGER_FAULT_SHIM,
             "CARBONLEDGER_FAULT_FILE=" + fault_file,
             std::string("ASAN_OPTIONS=") + (asan != nullptr ? std::string(asan) + ":" : "") +
                 "verify_asan_link_order=0"});
}

void SetFault(const std::string& fault_file, const std::string& word) {
  std::ofstream(fault_file) << word << "\n";
}

}  // namespace

TEST_CASE("daemon on a full disk (ENOSPC): 503, reads served, writes resume without restart",
          "[e2e][faults]") {
  TempDir dir;
  Trial t(dir.Sub("data"));
  const std::string fault = dir.Sub("fault");
  {
    Daemon d(BinPath("carbonledgerd"));
    PreloadShim(d, fault);
    REQUIRE(d.Start({"--data", t.data(), "--store-retry-ms", "100"}));
    t.Connect(d.port());
    for (int i = 0; i < 5; ++i) t.Accept(t.Next());
    const std::string before = t.http().Get("/v1/checkpoint")->body;

    SetFault(fault, "enospc");
    SignedTransaction refused = t.Next();
    t.ExpectRefused(refused);
    t.ExpectReads(before);
    // Retries (every 100 ms) find the disk still full: still refused, still readable.
    std::this_thread::sleep_for(std::chrono::milliseconds(350));
    t.ExpectRefused(refused);
    t.ExpectReads(before);

    std::remove(fault.c_str());
    REQUIRE(t.WaitHealthy());
    // Nothing of the refused transaction was written: it is accepted now as a new entry.
    auto again = t.Post(refused);
    REQUIRE(again);
    CHECK(again->status == 201);
    CHECK(Json(again)["duplicate"] == false);
    CHECK(Json(again)["seq"] == 6);
    t.Remember(again);
    for (int i = 0; i < 3; ++i) t.Accept(t.Next());
    t.ExpectExtends(before);
    auto metrics = t.http().Get("/metrics");
    CHECK(metrics->body.find("carbonledger_store_recoveries_total 1") != std::string::npos);
    CHECK(d.Stop(SIGTERM) == 0);
    INFO(d.log());
    CHECK(d.log().find(R"("msg":"store","reason":"store.write_failed")") != std::string::npos);
    CHECK(d.log().find(R"("writable":true)") != std::string::npos);
  }
  t.ExpectDurable(10);
}

TEST_CASE("daemon whose fsync fails (EIO): 503, then the refused transaction answers its entry",
          "[e2e][faults]") {
  TempDir dir;
  Trial t(dir.Sub("data"));
  const std::string fault = dir.Sub("fault");
  {
    Daemon d(BinPath("carbonledgerd"));
    PreloadShim(d, fault);
    REQUIRE(d.Start({"--data", t.data(), "--store-retry-ms", "100"}));
    t.Connect(d.port());
    for (int i = 0; i < 3; ++i) t.Accept(t.Next());
    const std::string before = t.http().Get("/v1/checkpoint")->body;

    SetFault(fault, "eio");
    SignedTransaction refused = t.Next();
    t.ExpectRefused(refused);
    t.ExpectReads(before);
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    t.ExpectReads(before);

    std::remove(fault.c_str());
    REQUIRE(t.WaitHealthy());
    // Its bytes reached the file before the fsync failed, so the reopened store holds it; the
    // 503 meant "not acknowledged", and resubmitting answers with the entry that exists.
    auto again = t.Post(refused);
    REQUIRE(again);
    INFO(again->body);
    CHECK(again->status == 200);
    CHECK(Json(again)["duplicate"] == true);
    CHECK(Json(again)["seq"] == 4);
    auto entry = t.http().Get("/v1/entries/4");
    REQUIRE(entry);
    CHECK(Json(entry)["leaf_hash"] == Json(again)["entry_hash"]);
    t.Remember(again);
    t.Accept(t.Next());
    t.ExpectExtends(before);
    CHECK(d.Stop(SIGTERM) == 0);
  }
  t.ExpectDurable(6);
}

TEST_CASE("daemon on a real tmpfs filled to the last byte (when mounting is permitted)",
          "[e2e][faults][tmpfs]") {
  TempDir dir;
  const std::string mnt = dir.Sub("mnt");
  std::filesystem::create_directory(mnt);
  if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=8m") != 0) {
    WARN("tmpfs cannot be mounted here (" << std::strerror(errno)
                                          << "): this variant did not run; the LD_PRELOAD "
                                             "variants did");
    return;
  }
  struct Unmount {
    std::string path;
    ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
  } unmount{mnt};
  Trial t(mnt + "/data");
  const std::string filler = mnt + "/filler";
  Daemon d(BinPath("carbonledgerd"));
  REQUIRE(d.Start({"--data", t.data(), "--store-retry-ms", "100"}));
  t.Connect(d.port());
  for (int i = 0; i < 3; ++i) t.Accept(t.Next());

  // Fill the file system: large writes, then smaller ones, down to single bytes.
  {
    FILE* f = std::fopen(filler.c_str(), "wb");
    REQUIRE(f != nullptr);
    std::setvbuf(f, nullptr, _IONBF, 0);
    for (size_t chunk = 1 << 20; chunk > 0; chunk /= 2) {
      std::string bytes(chunk, 'f');
      while (std::fwrite(bytes.data(), 1, chunk, f) == chunk) {
      }
      std::clearerr(f);
    }
    std::fclose(f);
  }
  // Small appends may still fit in the log's last page: write until the store refuses.
  std::string before;
  SignedTransaction refused;
  bool was_refused = false;
  int fitted = 0;
  for (int i = 0; i < 500 && !was_refused; ++i) {
    before = t.http().Get("/v1/checkpoint")->body;
    refused = t.Next();
    auto r = t.Post(refused);
    REQUIRE(r);
    if (r->status == 201) {
      t.Remember(r);
      ++fitted;
    } else {
      INFO(r->body);
      REQUIRE(r->status == 503);
      was_refused = true;
    }
  }
  REQUIRE(was_refused);
  t.ExpectRefused(t.Next());
  t.ExpectReads(before);

  std::filesystem::remove(filler);
  REQUIRE(t.WaitHealthy());
  auto again = t.Post(refused);
  REQUIRE(again);
  CHECK((again->status == 201 || again->status == 200));
  t.Remember(again);
  t.Accept(t.Next());
  t.ExpectExtends(before);
  uint64_t entries = Json(t.http().Get("/v1/health"))["entries"];
  CHECK(d.Stop(SIGTERM) == 0);
  INFO(d.log());
  CHECK(d.log().find("No space left on device") != std::string::npos);  // a real ENOSPC
  WARN("tmpfs: " << fitted << " transactions still fitted after the disk was full; the refused "
                 << "one was " << (again->status == 200 ? "" : "not ") << "on disk after recovery");
  t.ExpectDurable(entries);
}
