#include "ledger/log/entry.h"

#include <catch2/catch.hpp>
#include <random>
#include <set>

using namespace carbonledger;

namespace {
Entry Sample() {
  Entry e;
  e.seq = 42;
  e.accepted_ms = 1700000000123;
  e.signer_key.fill(7);
  e.signature.fill(9);
  e.tx = R"({"body":{},"ledger":"l","nonce":1,"signer":"a","type":"t"})";
  return e;
}
}  // namespace

TEST_CASE("entries round-trip through their byte encoding", "[ledger][entry]") {
  Entry e = Sample();
  std::string bytes = EncodeEntry(e);
  CHECK(bytes.size() == kEntryHeaderBytes + e.tx.size());
  CHECK(uint8_t(bytes[0]) == kEntryVersion);
  auto back = DecodeEntry(bytes);
  REQUIRE(back.ok());
  CHECK(back->seq == e.seq);
  CHECK(back->accepted_ms == e.accepted_ms);
  CHECK(back->signer_key == e.signer_key);
  CHECK(back->signature == e.signature);
  CHECK(back->tx == e.tx);
}

TEST_CASE("entry decoding refuses truncated, extended and unknown-version bytes",
          "[ledger][entry]") {
  std::string bytes = EncodeEntry(Sample());
  CHECK(DecodeEntry(bytes.substr(0, bytes.size() - 1)).status().reason() == "entry.format");
  CHECK(DecodeEntry(bytes + "x").status().reason() == "entry.format");
  CHECK(DecodeEntry(bytes.substr(0, 10)).status().reason() == "entry.format");
  std::string v2 = bytes;
  v2[0] = 2;
  CHECK(DecodeEntry(v2).status().reason() == "entry.format");
}

TEST_CASE("distinct entries never share bytes or leaf hashes", "[ledger][entry][property]") {
  // Moving bytes between the transaction and fixed fields must change the encoding.
  std::mt19937 rng(3);
  std::set<std::string> seen;
  std::set<Hash> leaves;
  for (int i = 0; i < 2000; ++i) {
    Entry e;
    e.seq = rng() % 4;
    e.accepted_ms = rng() % 4;
    e.signer_key.fill(uint8_t(rng() % 2));
    e.signature.fill(uint8_t(rng() % 2));
    e.tx = std::string(rng() % 3, char('a' + rng() % 2));
    std::string b = EncodeEntry(e);
    auto back = DecodeEntry(b);
    REQUIRE(back.ok());
    REQUIRE(EncodeEntry(*back) == b);  // the encoding is a bijection on what it decodes
    seen.insert(b);
    leaves.insert(LeafHash(b));
  }
  CHECK(seen.size() == leaves.size());
}

TEST_CASE("the chain links each leaf to everything before it", "[ledger][entry]") {
  Hash a = LeafHash("a"), b = LeafHash("b");
  Hash c1 = ChainNext(ChainGenesis(), a);
  Hash c2 = ChainNext(c1, b);
  CHECK(c1 != ChainNext(ChainGenesis(), b));
  CHECK(c2 != ChainNext(ChainNext(ChainGenesis(), b), a));  // order matters
  Sha256Hasher h;
  h.Update(c1).Update(b);
  CHECK(c2 == h.Final());
}
