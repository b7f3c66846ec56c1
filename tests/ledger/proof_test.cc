// The proof JSON codec (ledger/log/proof.h): what Encode* writes Decode* reads back, and
// anything else is "proof.format".
#include "ledger/log/proof.h"

#include <catch2/catch.hpp>

#include "crypto/encoding.h"
#include "ledger/log/merkle.h"

using namespace carbonledger;

namespace {

Hash H(char c) { return Sha256(std::string(1, c)); }

std::string Reason(const Result<EntryProof>& r) { return r.status().reason(); }

EntryProof ProofOf(std::string entry, uint64_t index, uint64_t size, std::vector<Hash> hashes) {
  EntryProof p;
  p.proof.leaf_index = index;
  p.proof.tree_size = size;
  p.proof.hashes = std::move(hashes);
  p.leaf_hash = merkle::HashLeaf(entry);
  p.entry = std::move(entry);
  return p;
}

}  // namespace

TEST_CASE("an inclusion proof round-trips through its JSON", "[ledger][proof]") {
  const EntryProof p = ProofOf("entry bytes", 3, 7, {H('a'), H('b'), H('c')});
  nlohmann::json j = EncodeInclusionProof(p);
  CHECK(j["leaf_index"] == 3);
  CHECK(j["tree_size"] == 7);
  CHECK(j["entry"] == Base64Encode("entry bytes"));
  CHECK(j["leaf_hash"] == Base64Encode(AsBytes(p.leaf_hash)));
  CHECK(j["hashes"].size() == 3);
  auto back = DecodeInclusionProof(j);
  REQUIRE(back.ok());
  CHECK(back->proof.leaf_index == 3);
  CHECK(back->proof.tree_size == 7);
  CHECK(back->proof.hashes == p.proof.hashes);
  CHECK(back->leaf_hash == p.leaf_hash);
  CHECK(back->entry == p.entry);

  // The leaf alone, or the entry alone, is enough.
  nlohmann::json leaf_only = j;
  leaf_only.erase("entry");
  REQUIRE(DecodeInclusionProof(leaf_only).ok());
  CHECK(DecodeInclusionProof(leaf_only)->leaf_hash == p.leaf_hash);
  CHECK_FALSE(DecodeInclusionProof(leaf_only)->entry);
  nlohmann::json entry_only = j;
  entry_only.erase("leaf_hash");
  REQUIRE(DecodeInclusionProof(entry_only).ok());
  CHECK(DecodeInclusionProof(entry_only)->leaf_hash == p.leaf_hash);
}

TEST_CASE("a malformed inclusion proof is proof.format", "[ledger][proof]") {
  const EntryProof p = ProofOf("e", 0, 1, {});
  const nlohmann::json good = EncodeInclusionProof(p);
  auto with = [&](const char* field, nlohmann::json v) {
    nlohmann::json j = good;
    if (v.is_discarded()) {
      j.erase(field);
    } else {
      j[field] = std::move(v);
    }
    return DecodeInclusionProof(j);
  };
  const nlohmann::json gone = nlohmann::json::value_t::discarded;
  CHECK(Reason(DecodeInclusionProof(nlohmann::json::array())) == "proof.format");
  CHECK(Reason(with("leaf_index", -1)) == "proof.format");
  CHECK(Reason(with("tree_size", "1")) == "proof.format");
  CHECK(Reason(with("hashes", gone)) == "proof.format");
  CHECK(Reason(with("hashes", {"AA=="})) == "proof.format");
  CHECK(Reason(with("entry", "not base64!")) == "proof.format");
  CHECK(Reason(with("leaf_hash", Base64Encode(AsBytes(H('x'))))) == "proof.format");
  CHECK(Reason(with("leaf_hash", 7)) == "proof.format");
  nlohmann::json neither = good;
  neither.erase("entry");
  neither.erase("leaf_hash");
  CHECK(DecodeInclusionProof(neither).status().message() == "proof needs leaf_hash or entry");
}

TEST_CASE("a consistency proof round-trips, and the hash list alone too", "[ledger][proof]") {
  ConsistencyProof p{2, 9, {H('x'), H('y')}};
  nlohmann::json j = EncodeConsistencyProof(p);
  CHECK(j ==
        nlohmann::json{{"from", 2},
                       {"to", 9},
                       {"hashes", {Base64Encode(AsBytes(H('x'))), Base64Encode(AsBytes(H('y')))}}});
  auto back = DecodeConsistencyProof(j);
  REQUIRE(back.ok());
  CHECK(back->from == 2);
  CHECK(back->to == 9);
  CHECK(back->hashes == p.hashes);
  CHECK(DecodeConsistencyProof({{"from", 2}, {"hashes", nlohmann::json::array()}})
            .status()
            .reason() == "proof.format");
  CHECK(DecodeProofHashes(EncodeProofHashes(p.hashes)).value() == p.hashes);
  CHECK(DecodeProofHashes(nlohmann::json::object()).status().reason() == "proof.format");
  CHECK(DecodeProofHashes({1}).status().reason() == "proof.format");
}
