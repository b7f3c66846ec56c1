// Reading an HTTP answer in a test: its body as JSON, and a hash the API spells in base64
// (receipts' entry_hash, entries' leaf_hash, proofs). Both REQUIRE what they read to be there.
#pragma once

#include <httplib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "crypto/sha256.h"

namespace carbonledger::testing {

inline nlohmann::json Json(const httplib::Result& r) {
  REQUIRE(r);
  return nlohmann::json::parse(r->body);
}

inline Hash HashB64(const nlohmann::json& v) {
  auto h = HashFromBase64(v.get<std::string>());
  REQUIRE(h.ok());
  return *h;
}

}  // namespace carbonledger::testing
