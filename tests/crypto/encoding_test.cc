#include "crypto/encoding.h"

#include <catch2/catch.hpp>
#include <random>

using namespace carbonledger;

TEST_CASE("base64 matches RFC 4648 §10 test vectors", "[crypto][encoding]") {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (auto [plain, enc] : vectors) {
    CHECK(Base64Encode(plain) == enc);
    auto d = Base64Decode(enc);
    REQUIRE(d.ok());
    CHECK(*d == plain);
  }
}

TEST_CASE("decoders refuse malformed input", "[crypto][encoding]") {
  CHECK(!Base64Decode("Zg=").ok());       // bad length
  CHECK(!Base64Decode("Zh==").ok());      // non-zero padding bits: non-canonical
  CHECK(!Base64Decode("Z!==").ok());      // outside the alphabet
  CHECK(!Base64Decode("Zg==Zg==").ok());  // padding in the middle
  CHECK(!HexDecode("abc").ok());
  CHECK(!HexDecode("zz").ok());
  CHECK(HexDecode("00FFab").ok());
}

TEST_CASE("hex and base64 round-trip random bytes", "[crypto][encoding]") {
  std::mt19937 rng(7);
  for (int n = 0; n < 200; ++n) {
    std::string bytes(size_t(n), '\0');
    for (auto& c : bytes) c = char(rng());
    REQUIRE(*Base64Decode(Base64Encode(bytes)) == bytes);
    REQUIRE(*HexDecode(HexEncode(bytes)) == bytes);
  }
}
