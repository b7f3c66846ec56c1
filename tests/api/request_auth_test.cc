#include "api/request_auth.h"

#include <catch2/catch.hpp>

#include "crypto/encoding.h"
#include "tests/support/server_fixture.h"

using namespace carbonledger;
using testing::ServerFixture;

TEST_CASE("signed request headers parse strictly", "[api][auth]") {
  SigningKey k = SigningKey::Generate();
  SignedHeaders h = SignRequest("GET", "/v1/accounts/park-a", "", "", "park-a", k, 1700000000,
                                "abcdefghijklmnop");
  CHECK(h.content_digest == "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:");
  auto p = ParseSignatureHeaders(h.signature_input, h.signature);
  REQUIRE(p.ok());
  CHECK(p->account == "park-a");
  CHECK(p->created == 1700000000);
  CHECK(p->nonce == "abcdefghijklmnop");
  // The signature covers the RFC 9421 signature base.
  std::string base = SignatureBase("GET", "/v1/accounts/park-a", "", h.content_digest, p->params);
  CHECK(base.rfind("\"@method\": GET\n\"@path\": /v1/accounts/park-a\n\"@query\": ?\n", 0) == 0);
  CHECK(VerifySignature(k.public_key(), base, p->signature));
  auto bad = [&](std::string input, std::string sig) {
    return ParseSignatureHeaders(input, sig).status().reason();
  };
  CHECK(bad("sig2=" + h.signature_input.substr(5), h.signature) == "auth.malformed");
  CHECK(
      bad(R"(sig1=("@method" "@path");created=1;nonce="abcdefghijklmnop";keyid="a";alg="ed25519")",
          h.signature) == "auth.malformed");
  CHECK(
      bad(R"(sig1=("@method" "@path" "@query" "content-digest");created=1;nonce="short";keyid="a";alg="ed25519")",
          h.signature) == "auth.malformed");
  CHECK(
      bad(R"(sig1=("@method" "@path" "@query" "content-digest");created=1;nonce="abcdefghijklmnop";keyid="a";alg="rsa")",
          h.signature) == "auth.malformed");
  CHECK(bad(h.signature_input, "sig1=:AAAA:") == "auth.malformed");
  CHECK(bad(h.signature_input + ";extra=1", h.signature) == "auth.malformed");
}

// The parser accepts exactly the form SignRequest writes. A genuine signature over another
// spelling of the same parameters (a ';' after the last one, `created` with leading zeros) is
// still refused as malformed: one request has one Signature-Input.
TEST_CASE("signed request parameters have one spelling", "[api][auth]") {
  ServerFixture fx;
  fx.CreateAccount("park-a", "park", {{"name", "A"}, {"region", "340000"}});
  const std::string now = std::to_string(std::time(nullptr));
  const std::string components = R"(("@method" "@path" "@query" "content-digest"))";
  const std::string rest = R"(;keyid="park-a";alg="ed25519")";
  auto send = [&](const std::string& params) {
    const std::string digest = ContentDigest("");
    Signature sig =
        fx.key("park-a").Sign(SignatureBase("GET", "/v1/accounts/park-a", "", digest, params));
    auto parsed =
        ParseSignatureHeaders("sig1=" + params, "sig1=:" + Base64Encode(AsBytes(sig)) + ":");
    auto r = fx.http().Get("/v1/accounts/park-a",
                           {{"Content-Digest", digest},
                            {"Signature-Input", "sig1=" + params},
                            {"Signature", "sig1=:" + Base64Encode(AsBytes(sig)) + ":"}});
    REQUIRE(r);
    std::string reason =
        r->status == 200 ? "ok" : nlohmann::json::parse(r->body)["reason"].get<std::string>();
    CHECK(reason == (parsed.ok() ? "ok" : parsed.status().reason()));
    return reason;
  };
  // The canonical form is accepted, so the refusals below are for the spelling alone.
  CHECK(send(components + ";created=" + now + R"(;nonce="spelling-nonce-0001")" + rest) == "ok");
  CHECK(send(components + ";created=" + now + R"(;nonce="spelling-nonce-0002")" + rest + ";") ==
        "auth.malformed");
  CHECK(send(components + ";created=0" + now + R"(;nonce="spelling-nonce-0003")" + rest) ==
        "auth.malformed");
  CHECK(send(components + ";created=00" + now + R"(;nonce="spelling-nonce-0004")" + rest) ==
        "auth.malformed");
  CHECK(send(components + ";;created=" + now + R"(;nonce="spelling-nonce-0005")" + rest) ==
        "auth.malformed");
  CHECK(send(components + ";created=" + now + R"(;;nonce="spelling-nonce-0006")" + rest) ==
        "auth.malformed");
  CHECK(send(components + "created=" + now + R"(;nonce="spelling-nonce-0007")" + rest) ==
        "auth.malformed");
  // created=0 is its one spelling (and long expired).
  auto zero = ParseSignatureHeaders(
      "sig1=" + components + R"(;created=0;nonce="spelling-nonce-0008")" + rest,
      "sig1=:" + Base64Encode(AsBytes(fx.key("park-a").Sign("x"))) + ":");
  REQUIRE(zero.ok());
  CHECK(zero->created == 0);
}

TEST_CASE("a park reads only its own account, auditors read all, certifiers engaged parks",
          "[api][auth][access]") {
  ServerFixture fx;
  fx.CreateAccount("park-a", "park", {{"name", "A"}, {"region", "340000"}});
  fx.CreateAccount("park-b", "park", {{"name", "B"}, {"region", "620000"}});
  fx.CreateAccount("auditor-1", "auditor");
  fx.CreateAccount("cert-1", "certifier");
  CHECK(fx.SignedGet("park-a", "/v1/accounts/park-a")->status == 200);
  auto other = fx.SignedGet("park-a", "/v1/accounts/park-b");
  CHECK(other->status == 403);
  CHECK(nlohmann::json::parse(other->body)["reason"] == "access.denied");
  CHECK(fx.SignedGet("auditor-1", "/v1/accounts/park-b")->status == 200);
  // A certifier reads a park's account only while the park engages it (tests/api/
  // engagement_test.cc has the park-year views).
  auto unengaged = fx.SignedGet("cert-1", "/v1/accounts/park-a");
  CHECK(unengaged->status == 403);
  CHECK(nlohmann::json::parse(unengaged->body)["reason"] == "access.not_engaged");
  REQUIRE(fx.Send("park-a", "certifier.engage", {{"certifier", "cert-1"}, {"year", 2025}}).ok());
  CHECK(fx.SignedGet("cert-1", "/v1/accounts/park-a")->status == 200);
  CHECK(fx.SignedGet("cert-1", "/v1/accounts/park-b")->status == 403);
  CHECK(fx.SignedGet(fx.op(), "/v1/accounts/park-a")->status == 200);
  CHECK(nlohmann::json::parse(fx.SignedGet("park-a", "/v1/accounts/park-a")->body)["region"] ==
        "340000");
}

TEST_CASE("unsigned, stale, replayed and forged requests are refused", "[api][auth]") {
  ServerFixture fx;
  fx.CreateAccount("park-a", "park", {{"name", "A"}, {"region", "340000"}});
  auto reason = [](const httplib::Result& r) {
    REQUIRE(r);
    CHECK(r->status == 401);
    return nlohmann::json::parse(r->body)["reason"].get<std::string>();
  };
  CHECK(reason(fx.http().Get("/v1/accounts/park-a")) == "auth.missing");
  CHECK(reason(fx.SignedGet("park-a", "/v1/accounts/park-a", 301)) == "auth.expired");
  // Within the 300 s window, but created before this server started.
  CHECK(reason(fx.SignedGet("park-a", "/v1/accounts/park-a", 299)) == "auth.before_start");
  CHECK(fx.SignedGet("park-a", "/v1/accounts/park-a", 0, "fixed-nonce-0123456")->status == 200);
  CHECK(reason(fx.SignedGet("park-a", "/v1/accounts/park-a", 0, "fixed-nonce-0123456")) ==
        "auth.replayed");
  // Signed for one path, sent to another.
  SignedHeaders h = SignRequest("GET", "/v1/accounts/park-a", "", "", "park-a", fx.key("park-a"),
                                std::time(nullptr), "nonce-for-forgery-1");
  auto forged = fx.http().Get("/v1/accounts/park-a?x=1", {{"Content-Digest", h.content_digest},
                                                          {"Signature-Input", h.signature_input},
                                                          {"Signature", h.signature}});
  CHECK(reason(forged) == "auth.signature");
  // Signed by a key that is not the account's.
  SignedHeaders wrong =
      SignRequest("GET", "/v1/accounts/park-a", "", "", "park-a", SigningKey::Generate(),
                  std::time(nullptr), "nonce-for-forgery-2");
  CHECK(reason(fx.http().Get("/v1/accounts/park-a", {{"Content-Digest", wrong.content_digest},
                                                     {"Signature-Input", wrong.signature_input},
                                                     {"Signature", wrong.signature}})) ==
        "auth.signature");
  SignedHeaders ghost =
      SignRequest("GET", "/v1/accounts/park-a", "", "", "ghost", SigningKey::Generate(),
                  std::time(nullptr), "nonce-for-forgery-3");
  CHECK(reason(fx.http().Get("/v1/accounts/park-a", {{"Content-Digest", ghost.content_digest},
                                                     {"Signature-Input", ghost.signature_input},
                                                     {"Signature", ghost.signature}})) ==
        "auth.unknown_account");
}
