#include "crypto/sha256.h"

#include <catch2/catch.hpp>

#include "crypto/encoding.h"

using namespace carbonledger;

// FIPS 180-4 examples (NIST CSRC "Example Algorithm" SHA-256 vectors).
TEST_CASE("SHA-256 matches the FIPS 180-4 examples", "[crypto][sha256]") {
  CHECK(HexEncode(AsBytes(Sha256("abc"))) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(HexEncode(AsBytes(Sha256(""))) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(HexEncode(AsBytes(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(HexEncode(AsBytes(Sha256(std::string(1000000, 'a')))) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("incremental SHA-256 equals one-shot for every split", "[crypto][sha256]") {
  std::string msg = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  for (size_t cut = 0; cut <= msg.size(); ++cut) {
    Sha256Hasher h;
    h.Update(std::string_view(msg).substr(0, cut)).Update(std::string_view(msg).substr(cut));
    REQUIRE(h.Final() == Sha256(msg));
  }
}

TEST_CASE("a Hash is read back from exactly 32 bytes, in raw, base64 or hex", "[crypto][sha256]") {
  const Hash h = Sha256("abc");
  CHECK(HashFromBytes(AsBytes(h)).value() == h);
  CHECK(HashFromBase64(Base64Encode(AsBytes(h))).value() == h);
  CHECK(HashFromHex(HexEncode(AsBytes(h))).value() == h);
  CHECK(HashFromBytes(AsBytes(h).substr(0, 31)).status().reason() == "hash.length");
  CHECK(HashFromBytes(std::string(AsBytes(h)) + "x").status().reason() == "hash.length");
  CHECK(HashFromBase64(Base64Encode("short")).status().reason() == "hash.length");
  CHECK(HashFromBase64("not base64").status().reason() == "encoding.base64");
  CHECK(HashFromHex("zz").status().reason() == "encoding.hex");
}
