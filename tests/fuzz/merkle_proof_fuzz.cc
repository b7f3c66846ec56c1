// Fuzz target: Merkle inclusion and consistency proofs (ledger/merkle.h, docs/merkle.md).
//
// Three parts, all driven by one input:
//  1. Arbitrary proofs: fuzzer-chosen sizes, index and proof hashes. VerifyInclusion and
//     VerifyConsistency never crash, refuse with a documented reason, and agree with
//     RootFromInclusionProof (OK exactly when it yields the root).
//  2. Real trees: up to 300 leaves (their data taken from the input) appended through
//     Frontier::Append into a MemoryNodeStore, as the ledger does. For fuzzer-chosen sizes and
//     index, RootAt equals the frontier's root at that size, InclusionProof and
//     ConsistencyProof verify, and a proof with one bit changed, another leaf or another root
//     does not.
//  3. Huge trees: a virtual tree of 2^64 leaves, all the same leaf but one at a fuzzer-chosen
//     position, whose complete subtrees are computed in O(1) (two hashes per level). Proofs
//     for sizes and indices anywhere up to 2^64-1 verify, and moving the odd leaf breaks them;
//     Frontier::Load rebuilds the same root.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ledger/log/merkle.h"
#include "tests/fuzz/fuzz_util.h"

using namespace carbonledger;
using namespace carbonledger::merkle;

namespace {

bool IsProofReason(const std::string& reason) {
  return reason == "proof.index" || reason == "proof.size" || reason == "proof.range" ||
         reason == "proof.mismatch";
}

void ArbitraryProofs(fuzz::Reader& r) {
  const uint8_t shape = r.Byte();
  auto pick_size = [&]() -> uint64_t {
    uint64_t v = r.U64();
    return (shape & 1) != 0 ? v % 1024 : v;  // small sizes half of the time
  };
  const uint64_t index = pick_size();
  const uint64_t size = pick_size();
  const uint64_t size1 = pick_size();
  const uint64_t size2 = pick_size();
  std::vector<Hash> proof(r.Byte() % 140);
  const std::string seed = r.ShortString();
  for (size_t i = 0; i < proof.size(); ++i) proof[i] = Sha256(seed + std::to_string(i));
  const Hash leaf = Sha256("leaf" + seed);
  Hash root = Sha256("root" + seed);

  auto computed = RootFromInclusionProof(index, size, leaf, proof);
  if ((shape & 2) != 0 && computed.ok()) root = *computed;
  Status s = VerifyInclusion(index, size, leaf, proof, root);
  FUZZ_CHECK(s.ok() == (computed.ok() && *computed == root));
  if (!s.ok()) FUZZ_CHECK(IsProofReason(s.reason()));
  if (!computed.ok()) FUZZ_CHECK(IsProofReason(computed.status().reason()));

  const Hash root1 = (shape & 4) != 0 ? EmptyRoot() : root;
  const Hash root2 = (shape & 8) != 0 ? root1 : Sha256("root2" + seed);
  Status c = VerifyConsistency(size1, size2, proof, root1, root2);
  if (!c.ok()) FUZZ_CHECK(IsProofReason(c.reason()));
  if (size1 > size2) FUZZ_CHECK(!c.ok() && c.reason() == "proof.range");
}

void RealTree(fuzz::Reader& r) {
  const size_t n = 1 + r.Byte() % 150 + r.Byte() % 151;  // 1..300 leaves
  const std::string data = r.ShortString();
  std::vector<Hash> leaves;
  std::vector<Hash> roots;  // roots[s]: the frontier's root at size s
  MemoryNodeStore store;
  Frontier frontier;
  std::vector<std::pair<NodeId, Hash>> completed;
  roots.push_back(frontier.Root());
  FUZZ_CHECK(roots[0] == EmptyRoot());
  for (size_t i = 0; i < n; ++i) {
    leaves.push_back(HashLeaf(data + "/" + std::to_string(i)));
    frontier.Append(leaves.back(), &completed);
    FUZZ_CHECK(!completed.empty() && completed.front().first == (NodeId{0, i}));
    FUZZ_CHECK(store.PutAll(completed).ok());
    roots.push_back(frontier.Root());
  }
  const uint64_t size = 1 + r.U64() % n;
  const uint64_t index = r.U64() % size;
  const uint64_t size1 = r.U64() % (size + 1);
  const uint8_t flip = r.Byte();

  auto root = RootAt(size, store);
  FUZZ_CHECK(root.ok() && *root == roots[size]);
  auto loaded = Frontier::Load(size, store);
  FUZZ_CHECK(loaded.ok() && loaded->Root() == roots[size]);

  auto proof = InclusionProof(index, size, store);
  FUZZ_CHECK(proof.ok());
  FUZZ_CHECK(VerifyInclusion(index, size, leaves[index], *proof, roots[size]).ok());
  FUZZ_CHECK(!VerifyInclusion(index, size, leaves[(index + 1) % n], *proof, roots[size]).ok() ||
             n == 1);
  if (size > 1)
    FUZZ_CHECK(!VerifyInclusion(index, size, leaves[index], *proof, roots[size - 1]).ok());
  if (!proof->empty()) {
    std::vector<Hash> bad = *proof;
    bad[flip % bad.size()][(flip / 8) % 32] ^= uint8_t(1 << (flip % 8));
    Status s = VerifyInclusion(index, size, leaves[index], bad, roots[size]);
    FUZZ_CHECK(!s.ok() && s.reason() == "proof.mismatch");
    bad.push_back(Hash{});
    FUZZ_CHECK(VerifyInclusion(index, size, leaves[index], bad, roots[size]).reason() ==
               "proof.size");
  }

  auto consistency = ConsistencyProof(size1, size, store);
  FUZZ_CHECK(consistency.ok());
  FUZZ_CHECK(VerifyConsistency(size1, size, *consistency, roots[size1], roots[size]).ok());
  if (size1 > 0 && size1 < size) {
    FUZZ_CHECK(!VerifyConsistency(size1, size, *consistency, roots[size1 - 1], roots[size]).ok());
    FUZZ_CHECK(!VerifyConsistency(size1, size, *consistency, roots[size1], roots[size - 1]).ok());
    std::vector<Hash> bad = *consistency;
    FUZZ_CHECK(!bad.empty());
    bad[flip % bad.size()][(flip / 8) % 32] ^= uint8_t(1 << (flip % 8));
    FUZZ_CHECK(!VerifyConsistency(size1, size, bad, roots[size1], roots[size]).ok());
  }
  FUZZ_CHECK(ConsistencyProof(size + 1, size, store).status().reason() == "proof.range");
  FUZZ_CHECK(InclusionProof(size, size, store).status().reason() == "proof.index");
}

// A consistent tree of 2^64 leaves: every leaf is `common` except leaf `odd`. The complete
// subtree (level, index) is either all common leaves (uniform_[level]) or the one on the odd
// leaf's path (path_[level]).
class VirtualTree : public NodeReader {
 public:
  VirtualTree(uint64_t odd, const Hash& common, const Hash& odd_leaf) : odd_(odd) {
    uniform_[0] = common;
    path_[0] = odd_leaf;
    for (int level = 0; level < 63; ++level) {
      uniform_[level + 1] = HashChildren(uniform_[level], uniform_[level]);
      path_[level + 1] = ((odd_ >> level) & 1) != 0 ? HashChildren(uniform_[level], path_[level])
                                                    : HashChildren(path_[level], uniform_[level]);
    }
  }
  Result<Hash> Node(int level, uint64_t index) const override {
    FUZZ_CHECK(level >= 0 && level <= 63);
    FUZZ_CHECK(level == 0 || index < (uint64_t{1} << (64 - level)));
    return index == (odd_ >> level) ? path_[level] : uniform_[level];
  }
  Hash Leaf(uint64_t index) const { return index == odd_ ? path_[0] : uniform_[0]; }

 private:
  uint64_t odd_;
  Hash uniform_[64];
  Hash path_[64];
};

void HugeTree(fuzz::Reader& r) {
  const uint64_t odd = r.U64();
  uint64_t size = r.U64();
  if (size == 0) size = UINT64_MAX;
  const uint64_t index = r.U64() % size;
  const uint64_t size1 = r.U64() % (size + (size < UINT64_MAX ? 1 : 0));
  const VirtualTree tree(odd, HashLeaf("common"), HashLeaf("odd"));
  // The same tree with the odd leaf elsewhere.
  const VirtualTree moved(odd ^ (uint64_t{1} << (r.Byte() % 64)), HashLeaf("common"),
                          HashLeaf("odd"));

  auto root = RootAt(size, tree);
  FUZZ_CHECK(root.ok());
  auto loaded = Frontier::Load(size, tree);
  FUZZ_CHECK(loaded.ok() && loaded->size() == size && loaded->Root() == *root);
  FUZZ_CHECK(loaded->hashes().size() == size_t(std::popcount(size)));

  auto proof = InclusionProof(index, size, tree);
  FUZZ_CHECK(proof.ok());
  FUZZ_CHECK(VerifyInclusion(index, size, tree.Leaf(index), *proof, *root).ok());
  auto moved_root = RootAt(size, moved);
  FUZZ_CHECK(moved_root.ok());
  // With the odd leaf inside the tree, moving it changes the root.
  if (odd < size) FUZZ_CHECK(*moved_root != *root);
  if (index == odd) {
    FUZZ_CHECK(!VerifyInclusion(index, size, HashLeaf("common"), *proof, *root).ok());
  }

  auto consistency = ConsistencyProof(size1, size, tree);
  FUZZ_CHECK(consistency.ok());
  auto root1 = RootAt(size1, tree);
  FUZZ_CHECK(root1.ok());
  FUZZ_CHECK(VerifyConsistency(size1, size, *consistency, *root1, *root).ok());
  // An old tree in which the odd leaf sat elsewhere is not a prefix of this one.
  auto moved_root1 = RootAt(size1, moved);
  FUZZ_CHECK(moved_root1.ok());
  if (*moved_root1 != *root1) {
    FUZZ_CHECK(!VerifyConsistency(size1, size, *consistency, *moved_root1, *root).ok());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Reader r(data, size);
  ArbitraryProofs(r);
  RealTree(r);
  HugeTree(r);
  return 0;
}
