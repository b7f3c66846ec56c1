#include "ledger/log/merkle.h"

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "crypto/encoding.h"

using namespace carbonledger;
using namespace carbonledger::merkle;

namespace {

std::string Hex(const Hash& h) { return HexEncode(AsBytes(h)); }

Hash FromHex(std::string_view hex) {
  Result<Hash> h = HashFromHex(hex);
  REQUIRE(h.ok());
  return *h;
}

std::vector<Hash> FromHexList(std::initializer_list<std::string_view> hexes) {
  std::vector<Hash> out;
  for (std::string_view h : hexes) out.push_back(FromHex(h));
  return out;
}

// The reference: RFC 6962 §2.1 definitions transcribed literally, computing from the list of
// entries. MTH results are memoised by range only to keep the exhaustive tests fast; every
// value is still defined by the recursion alone, never by node storage.
class Reference {
 public:
  explicit Reference(std::vector<std::string> entries) : entries_(std::move(entries)) {}

  // MTH(D[begin:end]).
  Hash Mth(size_t begin, size_t end) {
    auto key = std::make_pair(begin, end);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    Hash h;
    const size_t n = end - begin;
    if (n == 0) {
      h = Sha256("");
    } else if (n == 1) {
      h = Sha256(std::string(1, '\0') + entries_[begin]);
    } else {
      const size_t k = Split(n);
      Sha256Hasher hasher;
      h = hasher.UpdateByte(0x01).Update(Mth(begin, begin + k)).Update(Mth(begin + k, end)).Final();
    }
    cache_.emplace(key, h);
    return h;
  }
  Hash Root(size_t n) { return Mth(0, n); }

  // PATH(m, D[n]).
  std::vector<Hash> Path(size_t m, size_t n) { return Path(m, 0, n); }
  // PROOF(m, D[n]) = SUBPROOF(m, D[n], true).
  std::vector<Hash> Proof(size_t m, size_t n) { return Subproof(m, 0, n, true); }

  Hash LeafHash(size_t i) { return Mth(i, i + 1); }
  const std::string& entry(size_t i) const { return entries_[i]; }

 private:
  // k: the largest power of two smaller than n (n > 1).
  static size_t Split(size_t n) { return std::bit_floor(n - 1); }

  std::vector<Hash> Path(size_t m, size_t begin, size_t end) {
    const size_t n = end - begin;
    if (n == 1) return {};
    const size_t k = Split(n);
    std::vector<Hash> out;
    if (m < k) {
      out = Path(m, begin, begin + k);
      out.push_back(Mth(begin + k, end));
    } else {
      out = Path(m - k, begin + k, end);
      out.push_back(Mth(begin, begin + k));
    }
    return out;
  }

  std::vector<Hash> Subproof(size_t m, size_t begin, size_t end, bool b) {
    const size_t n = end - begin;
    if (m == n) return b ? std::vector<Hash>{} : std::vector<Hash>{Mth(begin, end)};
    const size_t k = Split(n);
    std::vector<Hash> out;
    if (m <= k) {
      out = Subproof(m, begin, begin + k, b);
      out.push_back(Mth(begin + k, end));
    } else {
      out = Subproof(m - k, begin + k, end, false);
      out.push_back(Mth(begin, begin + k));
    }
    return out;
  }

  std::vector<std::string> entries_;
  std::map<std::pair<size_t, size_t>, Hash> cache_;
};

// The leaves of the certificate-transparency reference tree (hex-decoded).
std::vector<std::string> CtLeaves() {
  std::vector<std::string> out;
  for (const char* hex : {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                          "606162636465666768696a6b6c6d6e6f"}) {
    out.push_back(*HexDecode(hex));
  }
  return out;
}

// The CT leaves followed by distinct generated entries.
std::vector<std::string> Entries(size_t n) {
  std::vector<std::string> out = CtLeaves();
  for (size_t i = out.size(); i < n; ++i) out.push_back("entry-" + std::to_string(i));
  out.resize(n);
  return out;
}

// A tree built the way the ledger builds it: Frontier::Append into a MemoryNodeStore.
struct BuiltTree {
  MemoryNodeStore store;
  Frontier frontier;
  std::vector<Hash> roots;                 // roots[s]: Frontier::Root() at size s
  std::vector<std::vector<Hash>> borders;  // borders[s]: Frontier::hashes() at size s

  explicit BuiltTree(const std::vector<std::string>& entries) {
    std::vector<std::pair<NodeId, Hash>> completed;
    roots.push_back(frontier.Root());
    borders.push_back(frontier.hashes());
    for (const std::string& e : entries) {
      frontier.Append(HashLeaf(e), &completed);
      REQUIRE(store.PutAll(completed).ok());
      roots.push_back(frontier.Root());
      borders.push_back(frontier.hashes());
    }
  }
};

// Wraps a NodeReader: counts reads and fails the test on any read of a node that is not a
// complete subtree of the first `limit` leaves (proofs must never look past their tree).
class CountingReader : public NodeReader {
 public:
  CountingReader(const NodeReader& inner, uint64_t limit) : inner_(inner), limit_(limit) {}
  Result<Hash> Node(int level, uint64_t index) const override {
    ++reads_;
    // (index + 1) << level <= limit, written so that it cannot overflow.
    if (level < 0 || level > 63 || index >= (limit_ >> level)) {
      ++out_of_bounds_;
      return Status::NotFound("node.missing", "read outside the tree");
    }
    return inner_.Node(level, index);
  }
  int reads() const { return reads_; }
  int out_of_bounds() const { return out_of_bounds_; }
  void Reset(uint64_t limit) {
    limit_ = limit;
    reads_ = 0;
  }

 private:
  const NodeReader& inner_;
  uint64_t limit_;
  mutable int reads_ = 0;
  mutable int out_of_bounds_ = 0;
};

// A virtual tree of any size up to 2^64 - 1 whose leaves are all the same hash: node
// (level, index) is then c_level with c_0 = leaf, c_{l+1} = HashChildren(c_l, c_l). Lets the
// proof math run at sizes near 2^64 with every node consistent with its children.
class UniformTree : public NodeReader {
 public:
  UniformTree() {
    levels_[0] = HashLeaf("same");
    for (int l = 1; l < 64; ++l) levels_[l] = HashChildren(levels_[l - 1], levels_[l - 1]);
  }
  Result<Hash> Node(int level, uint64_t) const override { return levels_[level]; }
  const Hash& leaf() const { return levels_[0]; }

 private:
  std::array<Hash, 64> levels_;
};

Hash Flip(Hash h, int byte = 0) {
  h[byte] ^= 0x01;
  return h;
}

int Ceil2Log(uint64_t n) { return n <= 1 ? 0 : std::bit_width(n - 1); }

constexpr uint64_t kMaxSize = 300;

}  // namespace

TEST_CASE("leaf, node and empty-tree hashes follow the RFC 6962 prefixes", "[ledger][merkle]") {
  CHECK(Hex(EmptyRoot()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Hex(HashLeaf("")) == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  CHECK(HashLeaf("abc") == Sha256(std::string("\0abc", 4)));
  const Hash a = HashLeaf("a");
  const Hash b = HashLeaf("b");
  CHECK(HashChildren(a, b) == Sha256("\x01" + std::string(AsBytes(a)) + std::string(AsBytes(b))));
  CHECK(HashChildren(a, b) != HashChildren(b, a));
  // Domain separation: a leaf whose entry looks like two child hashes is not that node.
  CHECK(HashLeaf(std::string(AsBytes(a)) + std::string(AsBytes(b))) != HashChildren(a, b));
}

TEST_CASE("the certificate-transparency reference tree has its published roots and proofs",
          "[ledger][merkle]") {
  // Roots by size 0..8 of the tree over CtLeaves() (transparency-dev/merkle testonly).
  const std::vector<Hash> published = FromHexList({
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
  });
  Reference ref(CtLeaves());
  BuiltTree tree(CtLeaves());
  for (size_t size = 0; size <= 8; ++size) {
    INFO("size " << size);
    CHECK(Hex(ref.Root(size)) == Hex(published[size]));
    CHECK(Hex(tree.roots[size]) == Hex(published[size]));
    Result<Hash> root = RootAt(size, tree.store);
    REQUIRE(root.ok());
    CHECK(Hex(*root) == Hex(published[size]));
  }

  struct InclusionCase {
    uint64_t index, size;
    std::vector<Hash> proof;
  };
  const std::vector<InclusionCase> inclusion = {
      {0, 1, {}},
      {0, 2, FromHexList({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"})},
      {1, 2, FromHexList({"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"})},
      {2, 3, FromHexList({"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"})},
      {1, 5,
       FromHexList({"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
      {0, 8,
       FromHexList({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
      {5, 8,
       FromHexList({"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
  };
  for (const InclusionCase& c : inclusion) {
    INFO("inclusion of " << c.index << " in " << c.size);
    CHECK(ref.Path(c.index, c.size) == c.proof);
    Result<std::vector<Hash>> proof = InclusionProof(c.index, c.size, tree.store);
    REQUIRE(proof.ok());
    CHECK(*proof == c.proof);
    CHECK(VerifyInclusion(c.index, c.size, ref.LeafHash(c.index), c.proof, published[c.size]).ok());
  }

  struct ConsistencyCase {
    uint64_t size1, size2;
    std::vector<Hash> proof;
  };
  const std::vector<ConsistencyCase> consistency = {
      {1, 1, {}},
      {1, 8,
       FromHexList({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
      {2, 5,
       FromHexList({"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
      {6, 8,
       FromHexList({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
  };
  for (const ConsistencyCase& c : consistency) {
    INFO("consistency " << c.size1 << " -> " << c.size2);
    CHECK(ref.Proof(c.size1, c.size2) == c.proof);
    Result<std::vector<Hash>> proof = ConsistencyProof(c.size1, c.size2, tree.store);
    REQUIRE(proof.ok());
    CHECK(*proof == c.proof);
    CHECK(
        VerifyConsistency(c.size1, c.size2, c.proof, published[c.size1], published[c.size2]).ok());
  }
}

TEST_CASE("the frontier's root equals the reference root at every size up to 300",
          "[ledger][merkle]") {
  Reference ref(Entries(kMaxSize));
  BuiltTree tree(Entries(kMaxSize));
  for (uint64_t size = 0; size <= kMaxSize; ++size) {
    INFO("size " << size);
    REQUIRE(Hex(tree.roots[size]) == Hex(ref.Root(size)));
    REQUIRE(tree.borders[size].size() == static_cast<size_t>(std::popcount(size)));
    CountingReader reader(tree.store, size);
    Result<Hash> root = RootAt(size, reader);
    REQUIRE(root.ok());
    CHECK(*root == ref.Root(size));
    CHECK(reader.reads() == std::popcount(size));
  }
}

TEST_CASE("loading a frontier from stored nodes reproduces the appended frontier",
          "[ledger][merkle]") {
  BuiltTree tree(Entries(kMaxSize));
  for (uint64_t size = 0; size <= kMaxSize; ++size) {
    INFO("size " << size);
    CountingReader reader(tree.store, size);
    Result<Frontier> loaded = Frontier::Load(size, reader);
    REQUIRE(loaded.ok());
    CHECK(loaded->size() == size);
    CHECK(loaded->hashes() == tree.borders[size]);
    CHECK(loaded->Root() == tree.roots[size]);
    CHECK(reader.reads() == std::popcount(size));
    CHECK(reader.out_of_bounds() == 0);
  }
  // A loaded frontier keeps appending exactly like the original.
  Result<Frontier> loaded = Frontier::Load(100, tree.store);
  REQUIRE(loaded.ok());
  std::vector<std::pair<NodeId, Hash>> completed;
  const std::vector<std::string> entries = Entries(kMaxSize);
  for (uint64_t i = 100; i < kMaxSize; ++i) {
    loaded->Append(HashLeaf(entries[i]), &completed);
    REQUIRE(loaded->Root() == tree.roots[i + 1]);
  }
  CHECK(Frontier::Load(301, tree.store).status().reason() == "node.missing");
}

TEST_CASE("append reports exactly the nodes that become complete, leaf first", "[ledger][merkle]") {
  const std::vector<std::string> entries = Entries(kMaxSize);
  Reference ref(entries);
  Frontier frontier;
  std::vector<std::pair<NodeId, Hash>> completed = {{{9, 9}, Hash{}}};  // cleared by Append
  size_t total = 0;
  for (uint64_t i = 0; i < kMaxSize; ++i) {
    frontier.Append(HashLeaf(entries[i]), &completed);
    INFO("append of leaf " << i);
    // Leaf i completes node (l, i >> l) for l = 0 up to the number of trailing ones of i.
    REQUIRE(completed.size() == static_cast<size_t>(std::countr_one(i)) + 1);
    for (size_t l = 0; l < completed.size(); ++l) {
      const auto& [id, hash] = completed[l];
      REQUIRE(id == NodeId{static_cast<int>(l), i >> l});
      REQUIRE(hash == ref.Mth(id.index << id.level, (id.index + 1) << id.level));
    }
    total += completed.size();
  }
  // Every complete subtree is reported exactly once: n leaves hold floor(n / 2^l) at level l.
  size_t expected = 0;
  for (int l = 0; l < 64; ++l) expected += kMaxSize >> l;
  CHECK(total == expected);
}

TEST_CASE("inclusion proofs equal the RFC 6962 reference and verify for every leaf up to 300",
          "[ledger][merkle]") {
  Reference ref(Entries(kMaxSize));
  BuiltTree tree(Entries(kMaxSize));
  CountingReader reader(tree.store, 0);
  for (uint64_t size = 1; size <= kMaxSize; ++size) {
    const Hash root = ref.Root(size);
    for (uint64_t index = 0; index < size; ++index) {
      reader.Reset(size);
      Result<std::vector<Hash>> proof = InclusionProof(index, size, reader);
      if (!proof.ok() || *proof != ref.Path(index, size)) {
        FAIL("inclusion proof of leaf " << index << " in size " << size
                                        << " differs: " << proof.status().ToString());
      }
      if (reader.reads() > 2 * Ceil2Log(size) + 2) FAIL("too many reads: " << reader.reads());
      Status s = VerifyInclusion(index, size, ref.LeafHash(index), *proof, root);
      if (!s.ok()) FAIL("leaf " << index << " size " << size << ": " << s.ToString());
      Result<Hash> computed = RootFromInclusionProof(index, size, ref.LeafHash(index), *proof);
      if (!computed.ok() || *computed != root) FAIL("root from proof differs");
    }
  }
  CHECK(reader.out_of_bounds() == 0);
}

TEST_CASE("consistency proofs equal the RFC 6962 reference and verify for every pair up to 300",
          "[ledger][merkle]") {
  Reference ref(Entries(kMaxSize));
  BuiltTree tree(Entries(kMaxSize));
  CountingReader reader(tree.store, 0);
  size_t pairs = 0;
  for (uint64_t size2 = 1; size2 <= kMaxSize; ++size2) {
    for (uint64_t size1 = 0; size1 <= size2; ++size1) {
      reader.Reset(size2);
      Result<std::vector<Hash>> proof = ConsistencyProof(size1, size2, reader);
      const std::vector<Hash> want = size1 == 0 ? std::vector<Hash>{} : ref.Proof(size1, size2);
      if (!proof.ok() || *proof != want) {
        FAIL("consistency proof " << size1 << " -> " << size2
                                  << " differs: " << proof.status().ToString());
      }
      if (reader.reads() > 2 * Ceil2Log(size2) + 2) FAIL("too many reads: " << reader.reads());
      Status s = VerifyConsistency(size1, size2, *proof, ref.Root(size1), ref.Root(size2));
      if (!s.ok()) FAIL(size1 << " -> " << size2 << ": " << s.ToString());
      ++pairs;
    }
  }
  CHECK(pairs == (kMaxSize + 1) * (kMaxSize + 2) / 2 - 1);
  CHECK(reader.out_of_bounds() == 0);
}

TEST_CASE("tampering with an inclusion proof's hashes, index, size or leaf fails verification",
          "[ledger][merkle]") {
  Reference ref(Entries(kMaxSize));
  BuiltTree tree(Entries(kMaxSize));
  std::vector<std::string> accepted;
  auto expect_reject = [&](const Status& s, const std::string& what) {
    if (s.ok()) accepted.push_back(what);
  };
  auto expect_size_error = [&](const Status& s, const std::string& what) {
    if (s.reason() != "proof.size") accepted.push_back(what + ": " + s.ToString());
  };
  for (uint64_t size = 1; size <= kMaxSize; ++size) {
    const Hash root = ref.Root(size);
    // Every leaf up to 130 leaves and around powers of two; a stride elsewhere keeps it fast.
    const bool every = size <= 130 || std::has_single_bit(size - 1) || std::has_single_bit(size) ||
                       std::has_single_bit(size + 1);
    for (uint64_t index = 0; index < size; index += every ? 1 : 5) {
      const std::string at = "leaf " + std::to_string(index) + " size " + std::to_string(size);
      const Hash leaf = ref.LeafHash(index);
      std::vector<Hash> proof = *InclusionProof(index, size, tree.store);
      for (size_t i = 0; i < proof.size(); ++i) {
        std::vector<Hash> bad = proof;
        bad[i] = Flip(bad[i], static_cast<int>(i % 32));
        expect_reject(VerifyInclusion(index, size, leaf, bad, root),
                      at + " hash " + std::to_string(i));
      }
      expect_reject(VerifyInclusion(index, size, Flip(leaf), proof, root), at + " leaf");
      expect_reject(VerifyInclusion(index, size, leaf, proof, Flip(root, 31)), at + " root");
      // The same proof claimed for any other leaf of the same tree.
      for (uint64_t other : {index - 1, index + 1, index ^ 1, index ^ 2, size - 1 - index}) {
        if (other >= size || other == index) continue;
        expect_reject(VerifyInclusion(other, size, leaf, proof, root),
                      at + " as index " + std::to_string(other));
      }
      // The same proof claimed for a different tree size, against that tree's real root.
      for (uint64_t other : {size - 1, size + 1, size * 2, size / 2}) {
        if (other <= index || other == size || other > kMaxSize) continue;
        expect_reject(VerifyInclusion(index, other, leaf, proof, ref.Root(other)),
                      at + " as size " + std::to_string(other));
      }
      // A hash added or dropped.
      std::vector<Hash> longer = proof;
      longer.push_back(root);
      expect_size_error(VerifyInclusion(index, size, leaf, longer, root), at + " longer");
      if (!proof.empty()) {
        std::vector<Hash> shorter(proof.begin(), proof.end() - 1);
        expect_size_error(VerifyInclusion(index, size, leaf, shorter, root), at + " shorter");
      }
    }
  }
  INFO("first accepted tampering: " << (accepted.empty() ? "none" : accepted.front()));
  CHECK(accepted.empty());
}

TEST_CASE("tampering with a consistency proof's hashes, sizes or roots fails verification",
          "[ledger][merkle]") {
  Reference ref(Entries(kMaxSize));
  BuiltTree tree(Entries(kMaxSize));
  std::vector<std::string> accepted;
  auto expect_reject = [&](const Status& s, const std::string& what) {
    if (s.ok()) accepted.push_back(what);
  };
  auto expect_size_error = [&](const Status& s, const std::string& what) {
    if (s.reason() != "proof.size") accepted.push_back(what + ": " + s.ToString());
  };
  // Every pair up to 130 leaves, then 2000 random pairs up to 300.
  std::vector<std::pair<uint64_t, uint64_t>> pairs;
  for (uint64_t size2 = 2; size2 <= 130; ++size2) {
    for (uint64_t size1 = 1; size1 < size2; ++size1) pairs.emplace_back(size1, size2);
  }
  std::mt19937_64 rng(6962);
  while (pairs.size() < 130 * 129 / 2 + 2000) {
    const uint64_t a = 1 + rng() % kMaxSize, b = 1 + rng() % kMaxSize;
    if (a != b) pairs.emplace_back(std::min(a, b), std::max(a, b));
  }
  for (const auto& [size1, size2] : pairs) {
    const std::string at = std::to_string(size1) + " -> " + std::to_string(size2);
    const Hash root1 = ref.Root(size1), root2 = ref.Root(size2);
    std::vector<Hash> proof = *ConsistencyProof(size1, size2, tree.store);
    for (size_t i = 0; i < proof.size(); ++i) {
      std::vector<Hash> bad = proof;
      bad[i] = Flip(bad[i], static_cast<int>(i % 32));
      expect_reject(VerifyConsistency(size1, size2, bad, root1, root2),
                    at + " hash " + std::to_string(i));
    }
    expect_reject(VerifyConsistency(size1, size2, proof, Flip(root1), root2), at + " root1");
    expect_reject(VerifyConsistency(size1, size2, proof, root1, Flip(root2)), at + " root2");
    for (uint64_t other : {size1 - 1, size1 + 1}) {
      if (other == 0 || other >= size2) continue;
      expect_reject(VerifyConsistency(other, size2, proof, ref.Root(other), root2),
                    at + " as size1 " + std::to_string(other));
    }
    for (uint64_t other : {size2 - 1, size2 + 1}) {
      if (other <= size1 || other > kMaxSize) continue;
      expect_reject(VerifyConsistency(size1, other, proof, root1, ref.Root(other)),
                    at + " as size2 " + std::to_string(other));
    }
    // Swapping the two trees is never a valid claim.
    expect_reject(VerifyConsistency(size1, size2, proof, root2, root1), at + " roots swapped");
    std::vector<Hash> longer = proof;
    longer.push_back(root2);
    expect_size_error(VerifyConsistency(size1, size2, longer, root1, root2), at + " longer");
    std::vector<Hash> shorter(proof.begin(), proof.end() - 1);
    expect_size_error(VerifyConsistency(size1, size2, shorter, root1, root2), at + " shorter");
  }
  INFO("first accepted tampering: " << (accepted.empty() ? "none" : accepted.front()));
  CHECK(accepted.empty());
}

TEST_CASE("verification rejects impossible arguments with stable reasons", "[ledger][merkle]") {
  Reference ref(Entries(8));
  const Hash leaf = ref.LeafHash(0);
  const Hash root = ref.Root(8);
  const std::vector<Hash> none;

  CHECK(VerifyInclusion(0, 0, leaf, none, EmptyRoot()).reason() == "proof.index");
  CHECK(VerifyInclusion(8, 8, leaf, ref.Path(7, 8), root).reason() == "proof.index");
  CHECK(RootFromInclusionProof(UINT64_MAX, UINT64_MAX, leaf, none).status().reason() ==
        "proof.index");
  CHECK(VerifyInclusion(0, 8, leaf, none, root).reason() == "proof.size");
  CHECK(VerifyInclusion(0, 1, leaf, {root}, leaf).reason() == "proof.size");
  CHECK(VerifyInclusion(0, 1, leaf, none, leaf).ok());
  CHECK(VerifyInclusion(0, 1, leaf, none, root).reason() == "proof.mismatch");
  Status wrong = VerifyInclusion(0, 8, leaf, std::vector<Hash>(3, root), root);
  CHECK(wrong.reason() == "proof.mismatch");
  CHECK(wrong.message().find("leaf 0") != std::string::npos);

  CHECK(VerifyConsistency(9, 8, none, root, root).reason() == "proof.range");
  CHECK(VerifyConsistency(0, 8, none, EmptyRoot(), root).ok());
  CHECK(VerifyConsistency(0, 8, {root}, EmptyRoot(), root).reason() == "proof.size");
  CHECK(VerifyConsistency(0, 8, none, root, root).reason() == "proof.mismatch");
  CHECK(VerifyConsistency(0, 0, none, EmptyRoot(), EmptyRoot()).ok());
  CHECK(VerifyConsistency(8, 8, none, root, root).ok());
  CHECK(VerifyConsistency(8, 8, {root}, root, root).reason() == "proof.size");
  CHECK(VerifyConsistency(8, 8, none, root, ref.Root(7)).reason() == "proof.mismatch");
  CHECK(VerifyConsistency(3, 8, none, ref.Root(3), root).reason() == "proof.size");
  CHECK(VerifyConsistency(4, 8, none, ref.Root(4), root).reason() == "proof.size");

  BuiltTree tree(Entries(8));
  CHECK(InclusionProof(8, 8, tree.store).status().reason() == "proof.index");
  CHECK(InclusionProof(0, 0, tree.store).status().reason() == "proof.index");
  CHECK(ConsistencyProof(9, 8, tree.store).status().reason() == "proof.range");
  CHECK(ConsistencyProof(0, 8, tree.store)->empty());
  CHECK(ConsistencyProof(8, 8, tree.store)->empty());
  // A store that lacks the nodes says so instead of producing a proof.
  Result<std::vector<Hash>> missing = InclusionProof(3, 9, tree.store);
  CHECK(missing.status().code() == Code::kNotFound);
  CHECK(missing.status().reason() == "node.missing");
  CHECK(ConsistencyProof(3, 9, tree.store).status().reason() == "node.missing");
  CHECK(RootAt(9, tree.store).status().reason() == "node.missing");
}

TEST_CASE("the memory node store accepts nodes in index order only", "[ledger][merkle]") {
  MemoryNodeStore store;
  const Hash h = HashLeaf("x");
  CHECK(store.Put({0, 0}, h).ok());
  CHECK(store.Put({0, 2}, h).reason() == "node.gap");
  CHECK(store.Put({64, 0}, h).reason() == "node.level");
  CHECK(store.Put({-1, 0}, h).reason() == "node.level");
  CHECK(store.Put({0, 0}, HashLeaf("y")).ok());
  CHECK(*store.Node(0, 0) == HashLeaf("y"));
  CHECK(store.Node(0, 1).status().reason() == "node.missing");
  CHECK(store.Node(5, 0).status().reason() == "node.missing");
  CHECK(store.Node(-1, 0).status().reason() == "node.missing");
}

TEST_CASE("proofs and verification work at tree sizes near 2^64 without overflow",
          "[ledger][merkle]") {
  UniformTree tree;
  std::mt19937_64 rng(9162);
  std::vector<uint64_t> sizes = {UINT64_MAX,
                                 UINT64_MAX - 1,
                                 uint64_t{1} << 63,
                                 (uint64_t{1} << 63) + 1,
                                 (uint64_t{1} << 63) - 1,
                                 UINT64_MAX >> 1,
                                 0xAAAAAAAAAAAAAAAAull};
  for (int i = 0; i < 20; ++i) sizes.push_back(rng() | (uint64_t{1} << 62));
  for (uint64_t size : sizes) {
    INFO("size " << size);
    CountingReader counted(tree, size);
    Result<Hash> root = RootAt(size, counted);
    REQUIRE(root.ok());
    for (uint64_t index : {uint64_t{0}, size - 1, size / 2, size - 2, rng() % size}) {
      INFO("index " << index);
      counted.Reset(size);
      Result<std::vector<Hash>> proof = InclusionProof(index, size, counted);
      REQUIRE(proof.ok());
      CHECK(counted.reads() <= 2 * Ceil2Log(size) + 2);
      CHECK(VerifyInclusion(index, size, tree.leaf(), *proof, *root).ok());
      if (!proof->empty()) {
        std::vector<Hash> bad = *proof;
        bad.back() = Flip(bad.back());
        CHECK_FALSE(VerifyInclusion(index, size, tree.leaf(), bad, *root).ok());
      }
    }
    for (uint64_t size1 : {uint64_t{1}, size - 1, size / 2 + 1, rng() % size + 1, size}) {
      INFO("size1 " << size1);
      counted.Reset(size);
      Result<std::vector<Hash>> proof = ConsistencyProof(size1, size, counted);
      REQUIRE(proof.ok());
      CHECK(counted.reads() <= 2 * Ceil2Log(size) + 2);
      Result<Hash> root1 = RootAt(size1, tree);
      REQUIRE(root1.ok());
      CHECK(VerifyConsistency(size1, size, *proof, *root1, *root).ok());
    }
    CHECK(counted.out_of_bounds() == 0);
  }
  // A frontier loaded just below the maximum size still appends and agrees with RootAt.
  Result<Frontier> frontier = Frontier::Load(UINT64_MAX - 1, tree);
  REQUIRE(frontier.ok());
  CHECK(frontier->hashes().size() == 63);
  std::vector<std::pair<NodeId, Hash>> completed;
  frontier->Append(tree.leaf(), &completed);
  CHECK(frontier->size() == UINT64_MAX);
  CHECK(completed.size() == 1);
  CHECK(frontier->Root() == *RootAt(UINT64_MAX, tree));
}

TEST_CASE("proof generation reads at most 2 ceil(log2 n) + 2 stored nodes", "[ledger][merkle]") {
  constexpr uint64_t kLeaves = 100000;
  MemoryNodeStore store;
  Frontier frontier;
  std::vector<std::pair<NodeId, Hash>> completed;
  for (uint64_t i = 0; i < kLeaves; ++i) {
    frontier.Append(HashLeaf(std::to_string(i)), &completed);
    REQUIRE(store.PutAll(completed).ok());
  }
  std::mt19937_64 rng(42);
  CountingReader reader(store, 0);
  for (uint64_t size : {uint64_t{1}, uint64_t{2}, uint64_t{3}, uint64_t{7}, uint64_t{300},
                        uint64_t{1023}, uint64_t{1024}, uint64_t{1025}, uint64_t{65535},
                        uint64_t{65536}, uint64_t{65537}, uint64_t{99999}, kLeaves}) {
    const int bound = 2 * Ceil2Log(size) + 2;
    int max_inclusion = 0, max_consistency = 0;
    std::vector<uint64_t> points = {0, size - 1, size / 2, size - 1 - size / 3};
    for (int i = 0; i < 500; ++i) points.push_back(rng() % size);
    for (uint64_t index : points) {
      reader.Reset(size);
      REQUIRE(InclusionProof(index, size, reader).ok());
      max_inclusion = std::max(max_inclusion, reader.reads());
      reader.Reset(size);
      REQUIRE(ConsistencyProof(index + 1, size, reader).ok());
      max_consistency = std::max(max_consistency, reader.reads());
    }
    INFO("size " << size << ": max reads inclusion " << max_inclusion << ", consistency "
                 << max_consistency << ", bound " << bound);
    CHECK(max_inclusion <= bound);
    CHECK(max_consistency <= bound);
  }
  CHECK(reader.out_of_bounds() == 0);
}

// Not part of the suite (hidden tag): throughput and worst-case reads at 1,000,000 entries.
// Run with: ledger_tests "[merkle-bench]"
TEST_CASE("inclusion proofs at a million entries are fast and read few nodes",
          "[.][merkle-bench]") {
  constexpr uint64_t kLeaves = 1000000;
  MemoryNodeStore store;
  Frontier frontier;
  std::vector<std::pair<NodeId, Hash>> completed;
  auto start = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < kLeaves; ++i) {
    frontier.Append(HashLeaf(std::to_string(i)), &completed);
    REQUIRE(store.PutAll(completed).ok());
  }
  auto seconds = [&start] {
    std::chrono::duration<double> d = std::chrono::steady_clock::now() - start;
    start = std::chrono::steady_clock::now();
    return d.count();
  };
  const double append_s = seconds();
  const Hash root = frontier.Root();

  std::mt19937_64 rng(1);
  constexpr int kProofs = 300000;
  size_t hashes = 0;
  for (int i = 0; i < kProofs; ++i) {
    Result<std::vector<Hash>> proof = InclusionProof(rng() % kLeaves, kLeaves, store);
    hashes += proof->size();
  }
  const double inclusion_s = seconds();
  for (int i = 0; i < kProofs; ++i) {
    hashes += ConsistencyProof(1 + rng() % kLeaves, kLeaves, store)->size();
  }
  const double consistency_s = seconds();
  int verified = 0;
  for (int i = 0; i < kProofs / 10; ++i) {
    const uint64_t index = rng() % kLeaves;
    Result<std::vector<Hash>> proof = InclusionProof(index, kLeaves, store);
    verified += VerifyInclusion(index, kLeaves, *store.Node(0, index), *proof, root).ok();
  }
  const double verify_s = seconds();
  CHECK(verified == kProofs / 10);

  // Worst case over every leaf and every size1 of the million-entry tree.
  CountingReader reader(store, kLeaves);
  int max_inclusion = 0, max_consistency = 0;
  for (uint64_t i = 0; i < kLeaves; ++i) {
    reader.Reset(kLeaves);
    (void)InclusionProof(i, kLeaves, reader);
    max_inclusion = std::max(max_inclusion, reader.reads());
    reader.Reset(kLeaves);
    (void)ConsistencyProof(i + 1, kLeaves, reader);
    max_consistency = std::max(max_consistency, reader.reads());
  }
  WARN("1M appends: " << append_s << " s; inclusion proofs/s: " << kProofs / inclusion_s
                      << "; consistency proofs/s: " << kProofs / consistency_s
                      << "; generate+verify/s: " << (kProofs / 10) / verify_s
                      << "; max reads inclusion " << max_inclusion << ", consistency "
                      << max_consistency << " (bound " << 2 * Ceil2Log(kLeaves) + 2 << ")"
                      << "; proof hashes " << hashes);
  CHECK(max_inclusion <= 2 * Ceil2Log(kLeaves) + 2);
  CHECK(max_consistency <= 2 * Ceil2Log(kLeaves) + 2);
}
