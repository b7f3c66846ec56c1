#include "api/server.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "api/wire/gzip.h"
#include "api/wire/problem.h"
#include "crypto/encoding.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/merkle.h"
#include "ledger/log/proof.h"
#include "tests/support/answer.h"
#include "tests/support/fault_env.h"
#include "tests/support/server_fixture.h"

using namespace carbonledger;
using testing::ExpectProblem;
using testing::HashB64;
using testing::Json;
using testing::ServerFixture;

namespace {

std::string NewKeyB64() { return Base64Encode(AsBytes(SigningKey::Generate().public_key())); }

}  // namespace

TEST_CASE("the server answers /v1/health on an ephemeral loopback port", "[api][server]") {
  ServerFixture fx;
  auto r = fx.http().Get("/v1/health");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(Json(r)["status"] == "ok");
  CHECK(Json(r)["entries"] == 1);
}

TEST_CASE("a posted transaction is acknowledged durable with a checkpoint that includes it",
          "[api][server][concurrency]") {
  ServerFixture fx;
  auto tx = fx.Sign(fx.op(), "account.create",
                    {{"account", "park-a"},
                     {"role", "park"},
                     {"public_key", NewKeyB64()},
                     {"name", "A"},
                     {"region", "340000"}});
  auto r = fx.http().Post("/v1/transactions", EncodeSubmission(tx), "application/json");
  REQUIRE(r);
  CHECK(r->status == 201);
  auto receipt = Json(r);
  CHECK(receipt["seq"] == 1);
  CHECK(receipt["duplicate"] == false);
  auto cp = OpenCheckpoint(receipt["checkpoint"].get<std::string>(), fx.ledger().log_key().name,
                           fx.ledger().log_key().key);
  REQUIRE(cp.ok());
  CHECK(cp->size == 2);

  // Idempotent: the same signed transaction again returns the first result.
  auto again = fx.http().Post("/v1/transactions", EncodeSubmission(tx), "application/json");
  REQUIRE(again);
  CHECK(again->status == 200);
  CHECK(Json(again)["seq"] == 1);
  CHECK(Json(again)["duplicate"] == true);
  CHECK(Json(again)["entry_hash"] == receipt["entry_hash"]);
  CHECK(fx.ledger().size() == 2);

  // The inclusion proof served verifies against the signed checkpoint served.
  auto note = fx.http().Get("/v1/checkpoint");
  REQUIRE(note);
  CHECK(note->get_header_value("Content-Type") == "text/plain; charset=utf-8");
  auto served = OpenCheckpoint(note->body, fx.ledger().log_key().name, fx.ledger().log_key().key);
  REQUIRE(served.ok());
  auto proof = Json(fx.http().Get("/v1/proofs/inclusion?seq=1&tree_size=2"));
  auto decoded = DecodeInclusionProof(proof);
  REQUIRE(decoded.ok());
  const std::vector<Hash>& hashes = decoded->proof.hashes;
  auto entry = Base64Decode(proof["entry"].get<std::string>());
  REQUIRE(entry.ok());
  CHECK(merkle::VerifyInclusion(1, 2, merkle::HashLeaf(*entry), hashes, served->root).ok());
  CHECK(HashB64(proof["leaf_hash"]) == HashB64(receipt["entry_hash"]));
}

TEST_CASE("each error comes back as problem+json with its status and stable type",
          "[api][errors]") {
  ServerFixture fx;
  auto post = [&](const std::string& body) {
    return fx.http().Post("/v1/transactions", body, "application/json");
  };
  ExpectProblem(post("{oops"), 400, "json.syntax");
  ExpectProblem(post(R"({"tx":{},"signature":"AA=="})"), 400, "tx.field");
  auto good = fx.Sign(fx.op(), "account.create",
                      {{"account", "t1"}, {"role", "trader"}, {"public_key", NewKeyB64()}});
  SignedTransaction forged = good;
  forged.signature[5] ^= 1;
  ExpectProblem(post(EncodeSubmission(forged)), 401, "tx.signature");
  REQUIRE(post(EncodeSubmission(good))->status == 201);
  auto replay =
      fx.Sign(fx.op(), "account.create",
              {{"account", "t2"}, {"role", "trader"}, {"public_key", NewKeyB64()}}, good.tx.nonce);
  ExpectProblem(post(EncodeSubmission(replay)), 409, "nonce.replayed");
  fx.CreateAccount("trader-x", "trader");
  auto escalate = fx.Sign("trader-x", "account.create",
                          {{"account", "t3"}, {"role", "registry"}, {"public_key", NewKeyB64()}});
  ExpectProblem(post(EncodeSubmission(escalate)), 403, "tx.role");
  ExpectProblem(post(std::string(70000, ' ')), 413, "request.too_large");
  ExpectProblem(fx.http().Get("/v1/entries/999"), 404, "entry.not_found");
  ExpectProblem(fx.http().Get("/v1/nothing-here"), 404, "route.not_found");
  ExpectProblem(fx.http().Get("/v1/proofs/inclusion?seq=abc"), 400, "query.param");
  ExpectProblem(fx.http().Get("/v1/proofs/inclusion?seq=0&tree_size=99"), 404, "proof.tree_size");
  ExpectProblem(fx.http().Get("/v1/proofs/consistency"), 400, "query.param");
}

TEST_CASE("a store that refuses writes answers 503 store.write_failed and reads are served",
          "[api][errors][faults]") {
  testing::FaultEnv env;
  LedgerOptions lo;
  lo.store_env = &env;
  lo.store_retry = std::chrono::milliseconds(20);
  ServerFixture fx({}, lo);
  fx.CreateAccount("park-a", "park", {{"name", "A"}, {"region", "340000"}});
  const std::string checkpoint = fx.ledger().checkpoint();
  auto post = [&](const SignedTransaction& tx) {
    return fx.http().Post("/v1/transactions", EncodeSubmission(tx), "application/json");
  };

  env.Set(testing::FaultEnv::Fault::kNoSpace);
  auto tx = fx.Sign(fx.op(), "account.create",
                    {{"account", "t1"}, {"role", "trader"}, {"public_key", NewKeyB64()}});
  auto refused = post(tx);
  ExpectProblem(refused, 503, "store.write_failed");
  CHECK(refused->get_header_value("Retry-After") == "1");
  auto health = fx.http().Get("/v1/health");
  REQUIRE(health);
  CHECK(health->status == 503);
  CHECK(Json(health)["status"] == "degraded");
  CHECK(Json(health)["reason"] == "store.write_failed");
  CHECK(Json(health)["entries"] == 2);
  // Reads: checkpoint, entries, proofs, accounts, holdings.
  auto cp = fx.http().Get("/v1/checkpoint");
  REQUIRE(cp);
  CHECK(cp->status == 200);
  CHECK(cp->body == checkpoint);
  CHECK(fx.http().Get("/v1/entries/1")->status == 200);
  CHECK(fx.http().Get("/v1/proofs/inclusion?seq=1")->status == 200);
  CHECK(fx.SignedGet("park-a", "/v1/accounts/park-a")->status == 200);
  CHECK(fx.SignedGet("park-a", "/v1/accounts/park-a/holdings")->status == 200);
  auto metrics = fx.http().Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find("carbonledger_store_writable 0") != std::string::npos);
  CHECK(metrics->body.find("carbonledger_store_write_failures_total 1") != std::string::npos);

  // Space returns: the server takes writes again by itself, without a restart.
  env.Clear();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (fx.http().Get("/v1/health")->status != 200) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto accepted = post(tx);
  REQUIRE(accepted);
  CHECK(accepted->status == 201);
  CHECK(Json(accepted)["seq"] == 2);
  metrics = fx.http().Get("/metrics");
  CHECK(metrics->body.find("carbonledger_store_writable 1") != std::string::npos);
  CHECK(metrics->body.find("carbonledger_store_recoveries_total 1") != std::string::npos);
}

TEST_CASE("entries are listed and consistency proofs served", "[api][server]") {
  ServerFixture fx;
  for (int i = 0; i < 5; ++i) fx.CreateAccount("a" + std::to_string(i), "trader");
  auto list = Json(fx.http().Get("/v1/entries?start=2&limit=2"));
  REQUIRE(list["entries"].size() == 2);
  CHECK(list["entries"][0]["seq"] == 2);
  CHECK(list["entries"][1]["tx"]["type"] == "account.create");
  CHECK(list["tree_size"] == 6);
  auto c = DecodeConsistencyProof(Json(fx.http().Get("/v1/proofs/consistency?from=3&to=6")));
  REQUIRE(c.ok());
  CHECK(merkle::VerifyConsistency(3, 6, c->hashes, *fx.ledger().RootAt(3), *fx.ledger().RootAt(6))
            .ok());
}

TEST_CASE("the log is readable in the C2SP tlog-tiles layout", "[api][tiles]") {
  ServerFixture fx;
  for (int i = 0; i < 299; ++i) fx.CreateAccount("acct-" + std::to_string(i), "trader");
  REQUIRE(fx.ledger().size() == 300);
  // A full level-0 tile: the first 256 leaf hashes.
  auto full = fx.http().Get("/tile/0/000");
  REQUIRE(full);
  REQUIRE(full->status == 200);
  REQUIRE(full->body.size() == 256 * 32);
  CHECK(full->get_header_value("Cache-Control").find("immutable") != std::string::npos);
  for (uint64_t i : {0, 17, 255}) {
    CHECK(full->body.substr(i * 32, 32) == AsBytes(fx.ledger().GetEntry(i)->leaf_hash));
  }
  // The partial tile after it and the matching entry bundle.
  auto partial = fx.http().Get("/tile/0/001.p/44");
  REQUIRE(partial);
  REQUIRE(partial->body.size() == 44 * 32);
  CHECK(partial->body.substr(0, 32) == AsBytes(fx.ledger().GetEntry(256)->leaf_hash));
  auto bundle = fx.http().Get("/tile/entries/001.p/44");
  REQUIRE(bundle);
  std::string_view b = bundle->body;
  for (uint64_t seq = 256; seq < 300; ++seq) {
    REQUIRE(b.size() >= 2);
    size_t len = size_t(uint8_t(b[0])) << 8 | uint8_t(b[1]);
    CHECK(b.substr(2, len) == fx.ledger().GetEntry(seq)->bytes);
    b.remove_prefix(2 + len);
  }
  CHECK(b.empty());
  // The level-1 partial tile holds the hash of the first 256 leaves.
  auto level1 = fx.http().Get("/tile/1/000.p/1");
  REQUIRE(level1);
  CHECK(level1->body == AsBytes(*fx.ledger().NodeHash(8, 0)));
  ExpectProblem(fx.http().Get("/tile/0/001"), 404, "tile.range");
  ExpectProblem(fx.http().Get("/tile/0/001.p/45"), 404, "tile.range");
  ExpectProblem(fx.http().Get("/tile/1/000"), 404, "tile.range");
  ExpectProblem(fx.http().Get("/tile/0/01"), 404, "tile.path");
  ExpectProblem(fx.http().Get("/tile/entries/002"), 404, "tile.range");
  CHECK(fx.http().Get("/checkpoint")->body == fx.ledger().checkpoint());
}

TEST_CASE("tiles are cached long, partial ones too, and entry bundles go gzip when accepted",
          "[api][tiles]") {
  ServerFixture fx;
  for (int i = 0; i < 40; ++i) fx.CreateAccount("acct-" + std::to_string(i), "trader");
  fx.http().set_decompress(false);  // to see the bytes as sent
  const std::string immutable = "public, max-age=31536000, immutable";
  for (const char* path : {"/tile/0/000.p/41", "/tile/0/000.p/7", "/tile/entries/000.p/41"}) {
    auto r = fx.http().Get(path);
    REQUIRE(r);
    INFO(path);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Cache-Control") == immutable);
    CHECK(r->get_header_value("Content-Type") == "application/octet-stream");
  }
  // Errors and the checkpoint are not cached long.
  CHECK(fx.http().Get("/tile/0/000.p/42")->get_header_value("Cache-Control") != immutable);
  CHECK(fx.http().Get("/checkpoint")->get_header_value("Cache-Control") == "no-cache");

  auto plain = fx.http().Get("/tile/entries/000.p/41", {{"Accept-Encoding", "identity"}});
  REQUIRE(plain);
  CHECK_FALSE(plain->has_header("Content-Encoding"));
  CHECK(plain->get_header_value("Vary") == "Accept-Encoding");
  auto gz = fx.http().Get("/tile/entries/000.p/41", {{"Accept-Encoding", "gzip, deflate, br"}});
  REQUIRE(gz);
  CHECK(gz->get_header_value("Content-Encoding") == "gzip");
  CHECK(gz->get_header_value("Vary") == "Accept-Encoding");
  CHECK(gz->body.size() < plain->body.size());
  auto back = Gunzip(gz->body);
  REQUIRE(back.ok());
  CHECK(*back == plain->body);
  auto refused = fx.http().Get("/tile/entries/000.p/41", {{"Accept-Encoding", "gzip;q=0"}});
  CHECK_FALSE(refused->has_header("Content-Encoding"));
  // Hash tiles are random bytes: never compressed.
  auto tile = fx.http().Get("/tile/0/000.p/41", {{"Accept-Encoding", "gzip"}});
  CHECK_FALSE(tile->has_header("Content-Encoding"));
  CHECK(tile->body.size() == 41 * 32);
}

TEST_CASE("metrics count requests by route and status and report commits",
          "[api][metrics][concurrency]") {
  ServerFixture fx;
  fx.http().Get("/v1/health");
  fx.http().Get("/v1/entries/77");
  fx.http().Get("/v1/checkpoint");  // its handler sets no status: httplib's default 200 is counted
  auto m = fx.http().Get("/metrics");
  REQUIRE(m);
  CHECK(m->body.find(
            R"(carbonledger_http_requests_total{route="GET /v1/checkpoint",status="200"} 1)") !=
        std::string::npos);
  CHECK(m->body.find(R"(status="-1")") == std::string::npos);
  CHECK(
      m->body.find(R"(carbonledger_http_requests_total{route="GET /v1/health",status="200"} 1)") !=
      std::string::npos);
  CHECK(m->body.find(
            R"(carbonledger_http_requests_total{route="GET /v1/entries/{seq}",status="404"} 1)") !=
        std::string::npos);
  CHECK(m->body.find("carbonledger_ledger_entries 1") != std::string::npos);
  CHECK(m->body.find("carbonledger_commit_batch_entries_count") != std::string::npos);
}

TEST_CASE("a half-given TLS configuration is refused", "[api][server]") {
  testing::LedgerFixture fx;
  ServerOptions o;
  o.port = 0;
  o.tls_cert_file = "cert.pem";
  ApiServer server(o, fx.ledger());
  CHECK(server.Bind().reason() == "config.tls");
}
