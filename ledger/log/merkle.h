// The Merkle tree of the ledger: RFC 6962 §2.1 / RFC 9162 §2.1 hashing, tree heads,
// inclusion and consistency proofs. Three pieces that change for different reasons are kept
// apart: the hasher (HashLeaf, HashChildren), storage (NodeReader: hashes of complete
// subtrees, written from Frontier::Append), and the proof algorithms (pure functions over
// sizes and hashes). Verification needs no storage, so a client can run it alone.
//
// Node addressing: node (level, index) is the complete (perfect) subtree covering leaves
// [index << level, (index + 1) << level). Only complete subtrees are ever stored; the hash
// of a tree whose size is not a power of two is folded from the complete subtrees of the
// binary decomposition of its size. See docs/merkle.md.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/sha256.h"
#include "crypto/status.h"

namespace carbonledger::merkle {

// RFC 9162 §2.1.1: the leaf hash, SHA-256(0x00 || entry).
Hash HashLeaf(std::string_view entry);
// RFC 9162 §2.1.1: an interior node's hash, SHA-256(0x01 || left || right).
Hash HashChildren(const Hash& left, const Hash& right);
// RFC 9162 §2.1.1: MTH({}) = SHA-256(""), the root of the empty tree.
Hash EmptyRoot();

// The address of a complete subtree: leaves [index << level, (index + 1) << level).
struct NodeId {
  int level;
  uint64_t index;
  friend bool operator==(const NodeId&, const NodeId&) = default;
};

// Where the hashes of complete subtrees live. Node() answers for every complete subtree of
// the stored tree (NotFound otherwise); it is the only way proof generation touches storage.
class NodeReader {
 public:
  virtual ~NodeReader() = default;
  virtual Result<Hash> Node(int level, uint64_t index) const = 0;
};

// The right border of a tree: the roots of its complete subtrees in the binary decomposition
// of its size, largest first (at most 64 hashes). Appending needs no reads. Invariant:
// hashes()[i] is node (level_i, (size >> level_i) - 1), for the set bits level_i of size in
// decreasing order.
class Frontier {
 public:
  Frontier() = default;
  // Rebuilds the frontier of a stored tree of `size` leaves; reads popcount(size) <= 64 nodes.
  static Result<Frontier> Load(uint64_t size, const NodeReader& reader);

  uint64_t size() const { return size_; }
  // Appends a leaf hash; fills `completed` (cleared first) with every node that becomes
  // complete by this append, the leaf itself (level 0) first, then upward: exactly what a
  // store must persist so that NodeReader can later answer for every complete subtree.
  // Precondition: size() < 2^64 - 1 (a ledger never gets near; violating it aborts).
  void Append(const Hash& leaf_hash, std::vector<std::pair<NodeId, Hash>>* completed);
  // RFC 9162 §2.1.1: MTH of the current tree; EmptyRoot() when size 0.
  Hash Root() const;
  // The border, largest subtree first.
  const std::vector<Hash>& hashes() const { return hashes_; }

 private:
  uint64_t size_ = 0;
  std::vector<Hash> hashes_;
};

// An in-memory NodeReader, filled from Frontier::Append's `completed` output. Nodes of each
// level must arrive in index order (as Append produces them); re-putting a node overwrites it.
class MemoryNodeStore : public NodeReader {
 public:
  // Stores one node. Fails with "node.gap" if index skips past the next unstored index of
  // its level, "node.level" if level is outside [0, 63].
  Status Put(NodeId id, const Hash& hash);
  // Stores every node of one Append's `completed` output, in order.
  Status PutAll(const std::vector<std::pair<NodeId, Hash>>& nodes);
  // NotFound ("node.missing") for a node never stored.
  Result<Hash> Node(int level, uint64_t index) const override;

 private:
  std::vector<std::vector<Hash>> levels_;  // levels_[level][index]
};

// The root of the stored tree's first `size` leaves, from popcount(size) reads.
Result<Hash> RootAt(uint64_t size, const NodeReader& reader);

// RFC 9162 §2.1.3.1: the inclusion proof (audit path) of leaf `index` in the tree of `size`
// leaves, bottom-up. At most 2 * ceil(log2(size)) reads. Fails with "proof.index" unless
// index < size.
Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size, const NodeReader& reader);

// RFC 9162 §2.1.4.1: the consistency proof PROOF(size1, D[size2]). Empty when size1 == 0 or
// size1 == size2. At most 2 * ceil(log2(size2)) + 1 reads. Fails with "proof.range" when
// size1 > size2.
Result<std::vector<Hash>> ConsistencyProof(uint64_t size1, uint64_t size2,
                                           const NodeReader& reader);

// RFC 9162 §2.1.3.2: the root that `proof` implies for leaf `index` in a tree of `size` leaves.
// Fails with "proof.index" unless index < size, "proof.size" when the proof does not have
// exactly the length such a tree needs.
Result<Hash> RootFromInclusionProof(uint64_t index, uint64_t size, const Hash& leaf_hash,
                                    const std::vector<Hash>& proof);

// RFC 9162 §2.1.3.2: OK iff `proof` proves leaf `leaf_hash` at `index` in the tree of `size`
// leaves whose root is `root`. Fails with the reasons above, or "proof.mismatch".
Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                       const std::vector<Hash>& proof, const Hash& root);

// RFC 9162 §2.1.4.2: OK iff `proof` proves that the tree (size1, root1) is a prefix of the tree
// (size2, root2). Fails with "proof.range" when size1 > size2, "proof.size" when the proof has
// the wrong length (it must be empty when size1 == 0 or size1 == size2), "proof.mismatch" when
// a root does not match (for size1 == 0, root1 must be EmptyRoot()).
Status VerifyConsistency(uint64_t size1, uint64_t size2, const std::vector<Hash>& proof,
                         const Hash& root1, const Hash& root2);

}  // namespace carbonledger::merkle
