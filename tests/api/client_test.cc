// The client library (api/client/client.h) against a real server: receipts, problems as
// Status values with the server's reason, signed and unsigned reads, proofs, nonce tracking.
#include "api/client/client.h"

#include <catch2/catch.hpp>

#include "ledger/log/merkle.h"
#include "tests/support/server_fixture.h"

using namespace carbonledger;
using testing::ServerFixture;

namespace {

std::string Url(const ServerFixture& fx) { return "http://127.0.0.1:" + std::to_string(fx.port()); }

}  // namespace

TEST_CASE("the client submits, gets a receipt, and a duplicate is marked", "[api][client]") {
  ServerFixture fx;
  ApiClient c(Url(fx));
  const std::string key = Base64Encode(AsBytes(SigningKey::Generate().public_key()));
  SignedTransaction stx = fx.Sign(fx.op(), "account.create",
                                  {{"account", "park-a"}, {"role", "trader"}, {"public_key", key}});
  auto r = c.Submit(stx);
  REQUIRE(r.ok());
  CHECK(r->seq == 1);
  CHECK_FALSE(r->duplicate);
  CHECK(r->leaf_hash == fx.ledger().GetEntry(1)->leaf_hash);
  CHECK(OpenCheckpoint(r->checkpoint, fx.ledger().log_key().name, fx.ledger().log_key().key).ok());
  auto again = c.Submit(stx);
  REQUIRE(again.ok());
  CHECK(again->duplicate);
  CHECK(again->seq == 1);
}

TEST_CASE("a refusal comes back as the Status of the server's problem", "[api][client]") {
  ServerFixture fx;
  ApiClient c(Url(fx));
  const std::string key = Base64Encode(AsBytes(SigningKey::Generate().public_key()));
  auto stale =
      c.Submit(fx.Sign(fx.op(), "account.create",
                       {{"account", "x"}, {"role", "trader"}, {"public_key", key}}, uint64_t{1}));
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.status().reason() == "nonce.replayed");
  CHECK(stale.status().code() == Code::kConflict);
  CHECK_FALSE(stale.status().message().empty());

  auto unknown = c.GetJson("/v1/entries/99");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().code() == Code::kNotFound);
  CHECK(unknown.status().reason() == "entry.not_found");
}

TEST_CASE("signed reads carry the account's signature and a wrong key is refused",
          "[api][client]") {
  ServerFixture fx;
  ApiClient c(Url(fx));
  auto nonce = c.LastNonce(fx.op(), fx.key(fx.op()));
  REQUIRE(nonce.ok());
  CHECK(*nonce == 1);
  // Each signed request has a new nonce: the same read twice is not a replay.
  CHECK(c.LastNonce(fx.op(), fx.key(fx.op())).ok());
  auto wrong = c.LastNonce(fx.op(), SigningKey::Generate());
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.status().reason() == "auth.signature");
  auto unsigned_read = c.GetJson("/v1/accounts/" + fx.op());
  REQUIRE_FALSE(unsigned_read.ok());
  CHECK(unsigned_read.status().reason() == "auth.missing");
}

TEST_CASE("nonce tracking, SubmitNext reads the nonce once, then counts", "[api][client]") {
  ServerFixture fx;
  ApiClient c(Url(fx));
  REQUIRE(c.Origin().ok());
  CHECK(*c.Origin() == fx.ledger().origin());
  NamedKey op{fx.op(), fx.key(fx.op())};
  for (int i = 0; i < 3; ++i) {
    SigningKey k = SigningKey::Generate();
    auto r = c.SubmitNext(op, "account.create",
                          {{"account", "t" + std::to_string(i)},
                           {"role", "trader"},
                           {"public_key", Base64Encode(AsBytes(k.public_key()))}});
    INFO(r.status().ToString());
    REQUIRE(r.ok());
    CHECK(r->seq == uint64_t(i) + 1);
  }
  CHECK(*c.LastNonce(op.name, op.key) == 4);
}

TEST_CASE("proofs fetched by the client verify against the checkpoint", "[api][client]") {
  ServerFixture fx;
  for (int i = 0; i < 4; ++i) fx.CreateAccount("a" + std::to_string(i), "trader");
  ApiClient c(Url(fx));
  auto note = c.CheckpointNote();
  REQUIRE(note.ok());
  auto cp = OpenCheckpoint(*note, fx.ledger().log_key().name, fx.ledger().log_key().key);
  REQUIRE(cp.ok());
  auto inclusion = c.GetInclusionProof(2, cp->size);
  REQUIRE(inclusion.ok());
  CHECK(inclusion->entry == fx.ledger().GetEntry(2)->bytes);
  CHECK(
      merkle::VerifyInclusion(2, cp->size, inclusion->leaf_hash, inclusion->proof.hashes, cp->root)
          .ok());
  auto consistency = c.GetConsistencyProof(2, cp->size);
  REQUIRE(consistency.ok());
  CHECK(
      merkle::VerifyConsistency(2, cp->size, consistency->hashes, *fx.ledger().RootAt(2), cp->root)
          .ok());
  CHECK(c.GetInclusionProof(0, cp->size + 1).status().reason() == "proof.tree_size");
}

TEST_CASE("no server: client.no_answer", "[api][client]") {
  ApiClientOptions o;
  o.connect_timeout = std::chrono::seconds(2);
  ApiClient c("http://127.0.0.1:1", o);
  auto r = c.Get("/v1/health");
  REQUIRE_FALSE(r.ok());
  CHECK(IsNoAnswer(r.status()));
  CHECK(r.status().code() == Code::kUnavailable);
  CHECK(ApiClient("ftp://127.0.0.1").Get("/v1/health").status().reason() == "client.url");
}
