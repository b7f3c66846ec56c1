// The mirror (api/mirror.h) against a real primary served on loopback: it follows across
// tiles, serves the read API read-only, and halts with evidence on a fork or a checkpoint the
// log key did not sign, and stays halted across restarts.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "api/mirror.h"
#include "api/server.h"
#include "crypto/encoding.h"
#include "ledger/log/verify.h"
#include "ledger/registry/accounts.h"
#include "ledger/registry/genesis.h"
#include "tests/support/fork_store.h"
#include "tests/support/ledger_fixture.h"

using namespace carbonledger;
using carbonledger::testing::LedgerFixture;
using carbonledger::testing::TempDir;

namespace {

// An ApiServer on an ephemeral loopback port over `ledger`, served until destroyed.
class Served {
 public:
  explicit Served(Ledger& ledger, const Mirror* mirror = nullptr) {
    ServerOptions o;
    o.port = 0;
    o.log_level = 0;
    o.mirror = mirror;
    server_ = std::make_unique<ApiServer>(o, ledger);
    REQUIRE(server_->Bind().ok());
    thread_ = std::thread([this] { server_->Serve(); });
  }
  ~Served() {
    server_->Stop();
    thread_.join();
  }
  int port() const { return server_->port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }

 private:
  std::unique_ptr<ApiServer> server_;
  std::thread thread_;
};

std::string Read(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("a mirror follows its primary across tiles, serves it read-only, and verifies",
          "[mirror]") {
  LedgerFixture fx;
  for (int i = 0; i < 300; ++i) fx.CreateAccount("park-" + std::to_string(i), "certifier");
  Served primary(fx.ledger());
  TempDir dir;
  {
    auto mirror = Mirror::Open({primary.url(), dir.path(), std::nullopt, {}, 50}, LedgerTxTypes());
    REQUIRE(mirror.ok());
    Status s = (*mirror)->Round();
    INFO(s.ToString());
    REQUIRE(s.ok());
    CHECK((*mirror)->ledger().size() == fx.ledger().size());
    CHECK((*mirror)->ledger().checkpoint() == fx.ledger().checkpoint());

    Served served((*mirror)->ledger(), mirror->get());
    httplib::Client c("127.0.0.1", served.port());
    auto health = c.Get("/v1/health");
    REQUIRE(health);
    CHECK(health->status == 200);
    auto h = nlohmann::json::parse(health->body);
    CHECK(h["status"] == "ok");
    CHECK(h["role"] == "mirror");
    CHECK(h["log_key_source"] == "pinned on first contact");
    CHECK(h["entries"] == fx.ledger().size());
    auto entry = c.Get("/v1/entries/257");
    REQUIRE(entry);
    CHECK(entry->status == 200);
    httplib::Client p("127.0.0.1", primary.port());
    CHECK(entry->body == p.Get("/v1/entries/257")->body);
    CHECK(c.Get("/tile/entries/000")->body == p.Get("/tile/entries/000")->body);
    auto post = c.Post("/v1/transactions", "{}", "application/json");
    REQUIRE(post);
    CHECK(post->status == 403);
    CHECK(post->body.find("mirror.read_only") != std::string::npos);

    // It follows new checkpoints on its own.
    (*mirror)->Start();
    for (int i = 300; i < 310; ++i) fx.CreateAccount("park-" + std::to_string(i), "certifier");
    for (int i = 0; i < 200 && (*mirror)->ledger().size() < fx.ledger().size(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK((*mirror)->ledger().checkpoint() == fx.ledger().checkpoint());
    auto metrics = c.Get("/metrics");
    REQUIRE(metrics);
    CHECK(metrics->body.find("carbonledger_mirror_halted 0") != std::string::npos);
    CHECK(metrics->body.find("carbonledger_mirror_verified_entries " +
                             std::to_string(fx.ledger().size())) != std::string::npos);
  }
  VerifyOptions vo;
  vo.data_dir = dir.path();
  vo.trusted_log_key = fx.ledger().log_key();
  auto report = VerifyLedger(vo, LedgerTxTypes());
  INFO(report.status().ToString());
  REQUIRE(report.ok());
  CHECK(report->checkpoint == fx.ledger().checkpoint());
}

TEST_CASE("a mirror halts on a fork, saves the evidence, keeps serving, and stays halted",
          "[mirror]") {
  LedgerFixture fx;
  for (int i = 0; i < 8; ++i) fx.CreateAccount("park-" + std::to_string(i), "certifier");
  TempDir dir;
  const std::string mirror_dir = dir.Sub("mirror");
  const std::string honest = fx.ledger().checkpoint();
  const NamedPublicKey log_key = fx.ledger().log_key();
  {
    Served primary(fx.ledger());
    auto mirror = Mirror::Open({primary.url(), mirror_dir, log_key, {}, 50}, LedgerTxTypes());
    REQUIRE(mirror.ok());
    REQUIRE((*mirror)->Round().ok());
    CHECK((*mirror)->Health()["log_key_source"] == "command line");
  }
  fx.Close();
  auto fork = carbonledger::testing::ForkStore(fx.data_dir(), dir.Sub("fork"));
  REQUIRE(fork.ok());
  auto forked = Ledger::Open(dir.Sub("fork"), LedgerTxTypes());
  REQUIRE(forked.ok());

  SECTION("the same size, another root") {
    Served primary(**forked);
    auto mirror = Mirror::Open({primary.url(), mirror_dir, log_key, {}, 50}, LedgerTxTypes());
    REQUIRE(mirror.ok());
    Status s = (*mirror)->Round();
    CHECK(s.reason() == "mirror.inconsistent");
    CHECK((*mirror)->halted());
    CHECK((*mirror)->ledger().checkpoint() == honest);
    auto h = (*mirror)->Health();
    CHECK(h["status"] == "halted");
    CHECK(h["reason"] == "mirror.inconsistent");
    const std::string evidence = h["evidence"];
    CHECK(Read(evidence + "/verified.checkpoint") == honest);
    CHECK(Read(evidence + "/received.checkpoint") == fork->checkpoint);
    CHECK(Read(evidence + "/reason.txt").starts_with("mirror.inconsistent\n"));

    Served served((*mirror)->ledger(), mirror->get());
    httplib::Client c("127.0.0.1", served.port());
    auto health = c.Get("/v1/health");
    REQUIRE(health);
    CHECK(health->status == 503);
    CHECK(nlohmann::json::parse(health->body)["status"] == "halted");
    CHECK(c.Get("/checkpoint")->body == honest);
    CHECK(c.Get("/v1/entries/3")->status == 200);
    CHECK(c.Get("/metrics")->body.find("carbonledger_mirror_halted 1") != std::string::npos);
  }
  SECTION("a longer fork: the primary's consistency proof does not verify") {
    // The forked log goes on taking writes: its checkpoint is larger than the verified one.
    auto key = ReadPrivateKeyFile(OperatorKeyPath(dir.Sub("fork")));
    REQUIRE(key.ok());
    auto op = GetRecord((*forked)->state(), AccountKey("operator"));
    REQUIRE(op.ok());
    REQUIRE(op->has_value());
    auto tx = SignTransaction(
        "account.create", (*forked)->origin(), "operator", (**op)["nonce"].get<uint64_t>() + 1,
        {{"account", "park-fork"},
         {"role", "certifier"},
         {"public_key", Base64Encode(AsBytes(SigningKey::Generate().public_key()))}},
        key->key);
    REQUIRE(tx.ok());
    auto receipt = (*forked)->Submit(*tx);
    INFO(receipt.status().ToString());
    REQUIRE(receipt.ok());
    Served primary(**forked);
    auto mirror = Mirror::Open({primary.url(), mirror_dir, log_key, {}, 50}, LedgerTxTypes());
    REQUIRE(mirror.ok());
    CHECK((*mirror)->Round().reason() == "mirror.inconsistent");
    const std::string evidence = (*mirror)->Health()["evidence"];
    CHECK(Read(evidence + "/consistency-proof.json").find("hashes") != std::string::npos);
    CHECK((*mirror)->Health()["detail"].get<std::string>().find("proof.mismatch") !=
          std::string::npos);
  }
  // A restarted mirror stays halted, whatever the primary serves now.
  auto again = Mirror::Open({"http://127.0.0.1:1", mirror_dir, log_key, {}, 50}, LedgerTxTypes());
  REQUIRE(again.ok());
  CHECK((*again)->halted());
  CHECK((*again)->Round().reason() == "mirror.inconsistent");
}

TEST_CASE("a mirror halts on a checkpoint the log key did not sign", "[mirror]") {
  LedgerFixture fx;
  fx.CreateAccount("park-1", "certifier");
  TempDir dir;
  Served primary(fx.ledger());
  auto mirror = Mirror::Open({primary.url(), dir.path(), std::nullopt, {}, 50}, LedgerTxTypes());
  REQUIRE(mirror.ok());
  REQUIRE((*mirror)->Round().ok());
  // An impostor on another port, with the log's origin and another key.
  httplib::Server impostor;
  auto other = SigningKey::Generate();
  const std::string note =
      SignCheckpoint(Checkpoint{fx.ledger().origin(), fx.ledger().size() + 1, Sha256("x"), {}},
                     fx.ledger().log_key().name, other);
  impostor.Get("/checkpoint", [&](const auto&, auto& res) { res.set_content(note, "text/plain"); });
  int port = impostor.bind_to_any_port("127.0.0.1");
  std::thread t([&] { impostor.listen_after_bind(); });
  mirror->reset();
  auto fooled =
      Mirror::Open({"http://127.0.0.1:" + std::to_string(port), dir.path(), std::nullopt, {}, 50},
                   LedgerTxTypes());
  REQUIRE(fooled.ok());
  CHECK((*fooled)->Health()["log_key_source"] == "pinned on first contact");
  CHECK((*fooled)->Round().reason() == "mirror.signature");
  CHECK((*fooled)->ledger().size() == fx.ledger().size());
  impostor.stop();
  t.join();
}
