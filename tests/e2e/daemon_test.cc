// End-to-end: the real binaries on a temp data dir and an ephemeral loopback port.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "api/wire/request_signature.h"
#include "crypto/encoding.h"
#include "ledger/log/transaction.h"
#include "ledger/registry/genesis.h"
#include "tests/support/bin_path.h"
#include "tests/support/temp_dir.h"
#include "tools/process.h"

using namespace carbonledger;
using namespace carbonledger::process;
using carbonledger::testing::BinPath;
using carbonledger::testing::TempDir;

TEST_CASE("both binaries report their version and the linked library versions", "[e2e]") {
  for (const char* bin : {"carbonledger", "carbonledgerd"}) {
    auto r = Run(BinPath(bin), {"--version"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find(std::string(bin) + " ") == 0);
    CHECK(r.out.find("LevelDB 1.") != std::string::npos);
    CHECK(r.out.find("OpenSSL 3.") != std::string::npos);
    CHECK(r.out.find("libsodium 1.") != std::string::npos);
  }
}

TEST_CASE("carbonledgerd refuses to start without a ledger and says how to make one", "[e2e]") {
  TempDir dir;
  auto r = Run(BinPath("carbonledgerd"), {"--data", dir.Sub("data"), "--listen", "127.0.0.1:0"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("carbonledger init") != std::string::npos);
  CHECK(Run(BinPath("carbonledgerd"), {"--nonsense"}).exit_code == 2);
}

TEST_CASE("the daemon serves, shuts down cleanly on SIGTERM, and keeps its data across restarts",
          "[e2e]") {
  TempDir dir;
  std::string data = dir.Sub("data");
  auto init = Run(BinPath("carbonledger"), {"init", "--data", data, "--origin", "e2e.test/log"});
  INFO(init.out);
  REQUIRE(init.exit_code == 0);
  auto op = ReadPrivateKeyFile(OperatorKeyPath(data));
  REQUIRE(op.ok());

  std::string entry_hash;
  {
    Daemon d(BinPath("carbonledgerd"));
    REQUIRE(d.Start({"--data", data}));
    httplib::Client c("127.0.0.1", d.port());
    auto health = c.Get("/v1/health");
    REQUIRE(health);
    CHECK(health->status == 200);
    CHECK(nlohmann::json::parse(health->body)["status"] == "ok");
    auto tx = SignTransaction("account.create", "e2e.test/log", "operator", 2,
                              {{"account", "park-a"},
                               {"role", "park"},
                               {"public_key", Base64Encode(AsBytes(op->key.public_key()))},
                               {"name", "A"},
                               {"region", "340000"}},
                              op->key);
    auto r = c.Post("/v1/transactions", EncodeSubmission(*tx), "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 201);
    entry_hash = nlohmann::json::parse(r->body)["entry_hash"];
    CHECK(d.Stop(SIGTERM) == 0);
    CHECK(d.log().find("shutting down") != std::string::npos);
  }
  {
    Daemon d(BinPath("carbonledgerd"));
    REQUIRE(d.Start({"--data", data}));
    httplib::Client c("127.0.0.1", d.port());
    auto e = c.Get("/v1/entries/1");
    REQUIRE(e);
    REQUIRE(e->status == 200);
    CHECK(nlohmann::json::parse(e->body)["leaf_hash"] == entry_hash);
    CHECK(d.Stop(SIGINT) == 0);
  }
  auto v = Run(BinPath("carbonledger"),
               {"verify-ledger", "--data", data, "--log-key", LogPublicKeyPath(data)});
  INFO(v.out);
  CHECK(v.exit_code == 0);
  CHECK(v.out.find("OK: 2 entries") == 0);
}

TEST_CASE("a signed read captured before a restart is refused after it (auth.before_start)",
          "[e2e][hostile]") {
  TempDir dir;
  std::string data = dir.Sub("data");
  REQUIRE(Run(BinPath("carbonledger"), {"init", "--data", data, "--origin", "e2e.test/log"})
              .exit_code == 0);
  auto op = ReadPrivateKeyFile(OperatorKeyPath(data));
  REQUIRE(op.ok());
  auto sign = [&](const std::string& nonce) {
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    SignedHeaders h =
        SignRequest("GET", "/v1/accounts/operator", "", "", "operator", op->key, now, nonce);
    return httplib::Headers{{"Content-Digest", h.content_digest},
                            {"Signature-Input", h.signature_input},
                            {"Signature", h.signature}};
  };
  auto reason = [](const httplib::Result& r) {
    return r ? nlohmann::json::parse(r->body).value("reason", std::string()) : std::string("-");
  };
  httplib::Headers captured;
  {
    Daemon d(BinPath("carbonledgerd"));
    REQUIRE(d.Start({"--data", data}));
    httplib::Client c("127.0.0.1", d.port());
    captured = sign("captured-read-0001");
    auto first = c.Get("/v1/accounts/operator", captured);
    REQUIRE(first);
    CHECK(first->status == 200);
    auto again = c.Get("/v1/accounts/operator", captured);
    REQUIRE(again);
    CHECK(again->status == 401);
    CHECK(reason(again) == "auth.replayed");
    CHECK(d.Stop(SIGTERM) == 0);
  }
  // The restarted server starts in a later second than the capture was created in.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  Daemon d(BinPath("carbonledgerd"));
  REQUIRE(d.Start({"--data", data}));
  httplib::Client c("127.0.0.1", d.port());
  auto replay = c.Get("/v1/accounts/operator", captured);
  REQUIRE(replay);
  CHECK(replay->status == 401);
  CHECK(reason(replay) == "auth.before_start");
  // A request signed now is served.
  auto fresh = c.Get("/v1/accounts/operator", sign("fresh-read-000001"));
  REQUIRE(fresh);
  CHECK(fresh->status == 200);
  CHECK(d.Stop(SIGTERM) == 0);
}

TEST_CASE("proofs fetched from the daemon verify offline with the CLI", "[e2e]") {
  TempDir dir;
  std::string data = dir.Sub("data");
  REQUIRE(Run(BinPath("carbonledger"), {"init", "--data", data, "--origin", "e2e.test/log"})
              .exit_code == 0);
  auto op = ReadPrivateKeyFile(OperatorKeyPath(data));
  REQUIRE(op.ok());
  Daemon d(BinPath("carbonledgerd"));
  REQUIRE(d.Start({"--data", data}));
  httplib::Client c("127.0.0.1", d.port());
  auto save = [&](const std::string& name, const std::string& body) {
    std::ofstream(dir.Sub(name)) << body;
    return dir.Sub(name);
  };
  std::string old_cp = save("old.txt", c.Get("/v1/checkpoint")->body);
  for (uint64_t i = 0; i < 6; ++i) {
    auto tx = SignTransaction("account.create", "e2e.test/log", "operator", i + 2,
                              {{"account", "t" + std::to_string(i)},
                               {"role", "trader"},
                               {"public_key", Base64Encode(AsBytes(op->key.public_key()))}},
                              op->key);
    REQUIRE(c.Post("/v1/transactions", EncodeSubmission(*tx), "application/json")->status == 201);
  }
  std::string new_cp = save("new.txt", c.Get("/v1/checkpoint")->body);
  std::string inclusion = save("inc.json", c.Get("/v1/proofs/inclusion?seq=3&tree_size=7")->body);
  std::string consistency = save("con.json", c.Get("/v1/proofs/consistency?from=1&to=7")->body);
  std::string key = LogPublicKeyPath(data);
  auto inc = Run(BinPath("carbonledger"), {"verify-inclusion", "--proof", inclusion, "--checkpoint",
                                           new_cp, "--log-key", key});
  INFO(inc.out);
  CHECK(inc.exit_code == 0);
  auto con = Run(BinPath("carbonledger"), {"verify-consistency", "--proof", consistency, "--old",
                                           old_cp, "--new", new_cp, "--log-key", key});
  INFO(con.out);
  CHECK(con.exit_code == 0);
  // A tampered proof fails offline.
  auto j = nlohmann::json::parse(c.Get("/v1/proofs/inclusion?seq=3&tree_size=7")->body);
  j["leaf_index"] = 4;
  std::string bad = save("bad.json", j.dump());
  CHECK(Run(BinPath("carbonledger"),
            {"verify-inclusion", "--proof", bad, "--checkpoint", new_cp, "--log-key", key})
            .exit_code == 1);
  // Checked against the old checkpoint, the new proof's size does not match.
  CHECK(Run(BinPath("carbonledger"),
            {"verify-inclusion", "--proof", inclusion, "--checkpoint", old_cp, "--log-key", key})
            .exit_code == 1);
  CHECK(d.Stop() == 0);
}
