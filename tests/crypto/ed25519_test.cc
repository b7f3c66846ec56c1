#include "crypto/ed25519.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "crypto/encoding.h"
#include "tests/support/temp_dir.h"

using namespace carbonledger;

namespace {

struct Rfc8032Vector {
  const char* secret;
  const char* public_key;
  const char* message;
  const char* signature;
};

// RFC 8032 §7.1, TEST 1, TEST 2 and TEST 3.
const Rfc8032Vector kVectors[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9"
     "b46bd25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f1"
     "1d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984d"
     "c6594a7c15e9716ed28dc027beceea1ec40a"},
};

}  // namespace

TEST_CASE("Ed25519 signs and verifies the RFC 8032 §7.1 vectors", "[crypto][ed25519]") {
  for (const auto& v : kVectors) {
    auto key = SigningKey::FromSeed(*HexDecode(v.secret));
    REQUIRE(key.ok());
    CHECK(HexEncode(AsBytes(key->public_key())) == v.public_key);
    std::string msg = *HexDecode(v.message);
    Signature sig = key->Sign(msg);
    CHECK(HexEncode(AsBytes(sig)) == v.signature);
    CHECK(VerifySignature(key->public_key(), msg, sig));
    // A changed message or a flipped signature bit must not verify.
    CHECK_FALSE(VerifySignature(key->public_key(), msg + "x", sig));
    sig[10] ^= 0x01;
    CHECK_FALSE(VerifySignature(key->public_key(), msg, sig));
  }
}

TEST_CASE("key text round-trips and the key id is checked", "[crypto][keys]") {
  auto key = SigningKey::FromSeed(*HexDecode(kVectors[0].secret));
  REQUIRE(key.ok());
  std::string priv = FormatPrivateKey("park-hefei", *key);
  CHECK(priv.rfind("PRIVATE+KEY+park-hefei+", 0) == 0);
  auto parsed = ParsePrivateKey(priv);
  REQUIRE(parsed.ok());
  CHECK(parsed->name == "park-hefei");
  CHECK(parsed->key.public_key() == key->public_key());

  std::string pub = FormatPublicKey("park-hefei", key->public_key());
  auto ppub = ParsePublicKey(pub);
  REQUIRE(ppub.ok());
  CHECK(ppub->key == key->public_key());

  // Renaming the key without recomputing its id is refused.
  std::string renamed = pub;
  renamed.replace(0, 10, "park-wuhu0");
  CHECK(ParsePublicKey(renamed).status().reason() == "key.id");
  CHECK(!IsValidKeyName("a+b"));
  CHECK(!IsValidKeyName("a b"));
  CHECK(!IsValidKeyName(""));
}

TEST_CASE("private key file is created 0600 and never overwritten", "[crypto][keys]") {
  testing::TempDir dir;
  std::string path = dir.Sub("operator.key");
  SigningKey key = SigningKey::Generate();
  REQUIRE(WritePrivateKeyFile(path, "operator", key).ok());
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto back = ReadPrivateKeyFile(path);
  REQUIRE(back.ok());
  CHECK(back->key.public_key() == key.public_key());
  CHECK_FALSE(WritePrivateKeyFile(path, "operator", SigningKey::Generate()).ok());
  CHECK(ReadPrivateKeyFile(path)->key.public_key() == key.public_key());
}
