#include "ledger/log/transaction.h"

#include <catch2/catch.hpp>

#include "crypto/encoding.h"

using namespace carbonledger;

TEST_CASE("a signed transaction round-trips through its submission envelope", "[ledger][tx]") {
  SigningKey k = SigningKey::Generate();
  auto stx = SignTransaction("account.rotate_key", "test/log", "park-a", 7,
                             {{"public_key", "x"}, {"z", {1, 2}}, {"a", true}}, k, 1796256000000);
  REQUIRE(stx.ok());
  // Canonical: keys sorted, no spaces.
  CHECK(stx->tx.canonical ==
        R"({"body":{"a":true,"public_key":"x","z":[1,2]},"ledger":"test/log","nonce":7,)"
        R"("not_after":1796256000000,"signer":"park-a","type":"account.rotate_key"})");
  CHECK(stx->tx.not_after == 1796256000000u);
  CHECK(stx->tx.id == Sha256(stx->tx.canonical));
  CHECK(VerifySignature(k.public_key(), stx->tx.canonical, stx->signature));
  auto back = DecodeSubmission(EncodeSubmission(*stx));
  REQUIRE(back.ok());
  CHECK(back->tx.canonical == stx->tx.canonical);
  CHECK(back->signature == stx->signature);
  // Whitespace and key order in the submission do not change what is signed.
  std::string loose = "{ \"signature\": \"" + Base64Encode(AsBytes(stx->signature)) +
                      "\", \"tx\": {\"type\":\"account.rotate_key\", \"signer\":\"park-a\", "
                      "\"nonce\": 7, \"not_after\": 1796256000000, \"ledger\":\"test/log\", "
                      "\"body\": {\"z\":[1, 2], "
                      "\"public_key\":\"x\", \"a\":true}}}";
  auto parsed = DecodeSubmission(loose);
  REQUIRE(parsed.ok());
  CHECK(parsed->tx.canonical == stx->tx.canonical);
}

TEST_CASE("transaction shape errors name the field", "[ledger][tx]") {
  auto t = [](nlohmann::json j) { return TransactionFromJson(j).status(); };
  nlohmann::json good = {{"type", "x.y"},
                         {"ledger", "l"},
                         {"signer", "a"},
                         {"nonce", 1},
                         {"body", nlohmann::json::object()}};
  CHECK(TransactionFromJson(good).ok());
  auto without = [&](const char* k) {
    nlohmann::json j = good;
    j.erase(k);
    return j;
  };
  CHECK(t(without("type")).message().find("type") != std::string::npos);
  CHECK(t(without("body")).message().find("body") != std::string::npos);
  CHECK(t(without("nonce")).reason() == "tx.nonce");
  nlohmann::json extra = good;
  extra["memo"] = "hi";
  CHECK(t(extra).message().find("memo") != std::string::npos);
  nlohmann::json zero = good;
  zero["nonce"] = 0;
  CHECK(t(zero).reason() == "tx.nonce");
  nlohmann::json neg = good;
  neg["nonce"] = -3;
  CHECK(t(neg).reason() == "tx.nonce");
  for (nlohmann::json bad : {nlohmann::json(0), nlohmann::json(-5), nlohmann::json("soon")}) {
    nlohmann::json j = good;
    j["not_after"] = bad;
    CHECK(t(j).reason() == "tx.not_after");
  }
  nlohmann::json valid_until = good;
  valid_until["not_after"] = 1796256000000;
  CHECK(TransactionFromJson(valid_until)->not_after == 1796256000000u);
  CHECK_FALSE(TransactionFromJson(good)->not_after.has_value());  // format 1: parses, no window
  nlohmann::json signer = good;
  signer["signer"] = "Park A";
  CHECK(t(signer).reason() == "tx.signer");
  nlohmann::json type = good;
  type["type"] = "Bad Type";
  CHECK(t(type).reason() == "tx.type");
  CHECK(TransactionFromCanonical(R"({"body":{}, "ledger":"l","nonce":1,"signer":"a","type":"x"})")
            .status()
            .reason() == "tx.not_canonical");
}

TEST_CASE("account ids are restricted to a safe alphabet", "[ledger][tx]") {
  CHECK(IsValidAccountId("park-hefei.01"));
  CHECK(IsValidAccountId("a"));
  CHECK_FALSE(IsValidAccountId(""));
  CHECK_FALSE(IsValidAccountId("-a"));
  CHECK_FALSE(IsValidAccountId("../etc"));
  CHECK_FALSE(IsValidAccountId("A"));
  CHECK_FALSE(IsValidAccountId(std::string(65, 'a')));
}
