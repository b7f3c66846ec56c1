// POST /v1/transactions:batch (docs/api.md §Batch submission) on the real server.
#include <catch2/catch.hpp>

#include "crypto/encoding.h"
#include "ledger/log/transaction.h"
#include "tests/support/server_fixture.h"

using namespace carbonledger;
using namespace carbonledger::testing;

namespace {

std::string NewKeyB64() { return Base64Encode(AsBytes(SigningKey::Generate().public_key())); }

nlohmann::json Envelope(const SignedTransaction& stx) {
  return nlohmann::json::parse(EncodeSubmission(stx));
}

SignedTransaction NewAccount(ServerFixture& fx, const std::string& id,
                             std::optional<uint64_t> nonce = std::nullopt) {
  return fx.Sign(fx.op(), "account.create",
                 {{"account", id}, {"role", "trader"}, {"public_key", NewKeyB64()}}, nonce);
}

httplib::Result PostBatch(ServerFixture& fx, const std::string& body) {
  return fx.http().Post("/v1/transactions:batch", body, "application/json");
}

}  // namespace

TEST_CASE("a mixed batch answers each submission in order, and the good ones are on the log",
          "[api][batch]") {
  ServerFixture fx;
  const uint64_t before = fx.ledger().size();
  SignedTransaction a = NewAccount(fx, "a1");
  SignedTransaction replay = NewAccount(fx, "a-replay", a.tx.nonce);  // a's nonce again
  SignedTransaction c = NewAccount(fx, "a2");
  nlohmann::json float_env = Envelope(NewAccount(fx, "a-float"));
  float_env["tx"]["nonce"] = 2.5;
  nlohmann::json body = {
      {"transactions",
       {Envelope(a), Envelope(replay), 42, {{"tx", 1}}, float_env, Envelope(c), Envelope(a)}}};
  auto r = PostBatch(fx, body.dump());
  REQUIRE(r);
  INFO(r->body);
  REQUIRE(r->status == 200);
  auto results = nlohmann::json::parse(r->body)["results"];
  REQUIRE(results.size() == 7);
  CHECK(results[0]["status"] == 201);
  CHECK(results[0]["duplicate"] == false);
  CHECK(results[1]["reason"] == "nonce.replayed");
  CHECK(results[1]["type"] == std::string(kProblemTypePrefix) + "nonce.replayed");
  CHECK(results[1]["instance"] == "/v1/transactions:batch#/transactions/1");
  CHECK(results[2]["reason"] == "submission.field");
  CHECK(results[3]["reason"] == "submission.field");
  CHECK(results[4]["reason"] == "json.float");
  CHECK(results[5]["status"] == 201);
  // The same signed transaction again: its first entry, no second one.
  CHECK(results[6]["status"] == 200);
  CHECK(results[6]["duplicate"] == true);
  CHECK(results[6]["seq"] == results[0]["seq"]);
  CHECK(fx.ledger().size() == before + 2);
  for (int i : {0, 5}) {
    auto e = fx.ledger().GetEntry(results[i]["seq"].get<uint64_t>());
    REQUIRE(e.ok());
    CHECK(e->entry.tx == (i == 0 ? a : c).tx.canonical);
    CHECK(results[i]["entry_hash"] == Base64Encode(AsBytes(e->leaf_hash)));
  }
  // Each receipt's checkpoint is durable: a single submission of the same answers duplicate.
  auto again = fx.http().Post("/v1/transactions", EncodeSubmission(c), "application/json");
  REQUIRE(again);
  CHECK(again->status == 200);
}

TEST_CASE("one signer's nonces follow one another within a batch", "[api][batch]") {
  ServerFixture fx;
  nlohmann::json txs = nlohmann::json::array();
  for (int i = 0; i < 50; ++i) txs.push_back(Envelope(NewAccount(fx, "n" + std::to_string(i))));
  auto r = PostBatch(fx, nlohmann::json{{"transactions", txs}}.dump());
  REQUIRE(r);
  REQUIRE(r->status == 200);
  auto results = nlohmann::json::parse(r->body)["results"];
  REQUIRE(results.size() == 50);
  for (size_t i = 0; i < results.size(); ++i) {
    INFO(results[i].dump());
    CHECK(results[i]["status"] == 201);
    if (i > 0) CHECK(results[i]["seq"].get<uint64_t>() > results[i - 1]["seq"].get<uint64_t>());
  }
}

TEST_CASE("a batch that is not a batch is refused whole and changes nothing", "[api][batch]") {
  ServerOptions o;
  o.max_batch_body_bytes = 64 * 1024;
  ServerFixture fx(o);
  const uint64_t before = fx.ledger().size();
  const std::string checkpoint = fx.ledger().checkpoint();
  ExpectProblem(PostBatch(fx, R"({"transactions":[]})"), 400, "batch.field");
  ExpectProblem(PostBatch(fx, R"({"transactions":{}})"), 400, "batch.field");
  ExpectProblem(PostBatch(fx, R"({"txs":[1]})"), 400, "batch.field");
  ExpectProblem(PostBatch(fx, R"([1,2])"), 400, "batch.field");
  ExpectProblem(PostBatch(fx, R"({"transactions":[1],"transactions":[2]})"), 400,
                "json.duplicate_key");
  ExpectProblem(PostBatch(fx, "{\"transactions\":[{\"tx\":"), 400, "json.syntax");
  // 257 (small, garbage) entries: too many, before any is looked at.
  nlohmann::json many = nlohmann::json::array();
  for (size_t i = 0; i < kMaxBatchTransactions + 1; ++i) many.push_back(1);
  ExpectProblem(PostBatch(fx, nlohmann::json{{"transactions", many}}.dump()), 413,
                "batch.too_many");
  // Beyond --max-batch-body-bytes: 413 whatever the contents.
  nlohmann::json big = nlohmann::json::array();
  while (big.dump().size() < o.max_batch_body_bytes) big.push_back(Envelope(NewAccount(fx, "b")));
  ExpectProblem(PostBatch(fx, nlohmann::json{{"transactions", big}}.dump()), 413,
                "request.too_large");
  CHECK(fx.ledger().size() == before);
  CHECK(fx.ledger().checkpoint() == checkpoint);
}

TEST_CASE("the batch route has its own body limit, larger than a single submission's",
          "[api][batch]") {
  ServerOptions o;
  o.max_body_bytes = 4096;
  ServerFixture fx(o);
  nlohmann::json txs = nlohmann::json::array();
  for (int i = 0; i < 40; ++i) txs.push_back(Envelope(NewAccount(fx, "l" + std::to_string(i))));
  const std::string body = nlohmann::json{{"transactions", txs}}.dump();
  REQUIRE(body.size() > o.max_body_bytes);
  auto r = PostBatch(fx, body);
  REQUIRE(r);
  CHECK(r->status == 200);
  // The single route keeps --max-body-bytes.
  ExpectProblem(fx.http().Post("/v1/transactions", body, "application/json"), 413,
                "request.too_large");
}
