#include "ledger/log/merkle.h"

#include <array>
#include <bit>
#include <cstdlib>
#include <string>

namespace carbonledger::merkle {
namespace {

constexpr int kMaxLevels = 64;
constexpr uint8_t kLeafPrefix = 0x00;  // RFC 9162 §2.1.1 domain separation
constexpr uint8_t kNodePrefix = 0x01;

// x >> n, defined as 0 for n >= 64 (a plain shift by 64 is undefined behaviour).
uint64_t ShiftRight(uint64_t x, int n) { return n >= kMaxLevels ? 0 : x >> n; }

// The complete subtrees of the binary decomposition of a range, largest (leftmost) first.
struct Subtrees {
  std::array<Hash, kMaxLevels> hashes;
  int count = 0;
};

// Reads the complete subtrees that decompose leaves [begin, end), one per set bit of
// end - begin. Precondition: begin is a multiple of the largest power of two <= end - begin,
// so every piece is an aligned, stored node (true for begin == 0 and for the right part of a
// node that the tree's end cuts).
Status ReadSubtrees(uint64_t begin, uint64_t end, const NodeReader& reader, Subtrees* out) {
  const uint64_t width = end - begin;
  uint64_t pos = begin;
  for (int level = kMaxLevels - 1; level >= 0; --level) {
    if (((width >> level) & 1) == 0) continue;
    Result<Hash> node = reader.Node(level, pos >> level);
    if (!node.ok()) return node.status();
    out->hashes[out->count++] = *node;
    pos += uint64_t{1} << level;
  }
  return Status::OK();
}

// RFC 9162 §2.1.1 applied to a decomposition: MTH of consecutive complete subtrees of
// strictly decreasing size is the right-to-left fold of HashChildren. Precondition: count >= 1.
Hash FoldRight(const Hash* hashes, int count) {
  Hash h = hashes[count - 1];
  for (int i = count - 2; i >= 0; --i) h = HashChildren(hashes[i], h);
  return h;
}

// The hash of leaves [begin, end) under the precondition of ReadSubtrees; begin < end.
Result<Hash> RangeHash(uint64_t begin, uint64_t end, const NodeReader& reader) {
  Subtrees parts;
  if (Status s = ReadSubtrees(begin, end, reader, &parts); !s.ok()) return s;
  return FoldRight(parts.hashes.data(), parts.count);
}

// Shape of the path from complete node (level, index) to the root of a tree of `size` leaves.
// Below level + inner the path runs inside the tree ("inner" siblings, the topmost of which
// may be cut by the tree's end); from there up it runs along the right border, where only
// left siblings exist ("border" siblings, one per set bit of index >> inner).
struct PathShape {
  int inner;
  int border;
};

PathShape ShapeOfPath(int level, uint64_t index, uint64_t size) {
  const uint64_t last = (size - 1) >> level;  // the node at `level` holding the last leaf
  const int inner = std::bit_width(index ^ last);
  return {inner, std::popcount(ShiftRight(index, inner))};
}

// Appends the siblings on the path from complete node (level, index) to the root of the tree
// of `size` leaves, bottom-up: PATH of RFC 9162 §2.1.3.1 started at `level` instead of 0.
Status AppendPath(int level, uint64_t index, uint64_t size, const NodeReader& reader,
                  std::vector<Hash>* proof) {
  const PathShape shape = ShapeOfPath(level, index, size);
  // Siblings strictly below the fork with the last leaf's path are whole, stored nodes.
  for (int i = 0; i + 1 < shape.inner; ++i) {
    Result<Hash> node = reader.Node(level + i, (index >> i) ^ 1);
    if (!node.ok()) return node.status();
    proof->push_back(*node);
  }
  // At the fork the sibling is the last node of its level; the tree's end may cut it, and then
  // its hash is folded from the complete subtrees of what remains.
  if (shape.inner > 0) {
    const int fork_level = level + shape.inner - 1;
    const uint64_t begin = ((size - 1) >> fork_level) << fork_level;
    Result<Hash> node = RangeHash(begin, size, reader);
    if (!node.ok()) return node.status();
    proof->push_back(*node);
  }
  // Above the fork the path is the right border: a left sibling wherever index has a one bit.
  int l = level + shape.inner;
  for (uint64_t rest = ShiftRight(index, shape.inner); rest != 0; rest >>= 1, ++l) {
    if ((rest & 1) == 0) continue;
    Result<Hash> node = reader.Node(l, rest ^ 1);
    if (!node.ok()) return node.status();
    proof->push_back(*node);
  }
  return Status::OK();
}

// The largest complete subtree ending at leaf size1 - 1: the lowest node of the size1 tree's
// right border. RFC 9162 §2.1.4.1's SUBPROOF descends to it; it is the seed of §2.1.4.2.
NodeId ConsistencySeed(uint64_t size1) {
  const int level = std::countr_zero(size1);
  return {level, (size1 - 1) >> level};
}

size_t InclusionProofSize(uint64_t index, uint64_t size) {
  const PathShape shape = ShapeOfPath(0, index, size);
  return shape.inner + shape.border;
}

// Precondition: 0 < size1 < size2. The seed is omitted when it is the size1 root itself.
size_t ConsistencyProofSize(uint64_t size1, uint64_t size2) {
  const NodeId seed = ConsistencySeed(size1);
  const PathShape shape = ShapeOfPath(seed.level, seed.index, size2);
  return (seed.index != 0 ? 1 : 0) + shape.inner + shape.border;
}

// Right-shifts fn and sn together until fn is odd or zero (RFC 9162 §2.1.3.2 step 4.b.ii).
void ShiftUntilOddOrZero(uint64_t* fn, uint64_t* sn) {
  while (*fn != 0 && (*fn & 1) == 0) {
    *fn >>= 1;
    *sn >>= 1;
  }
}

Status Mismatch(const std::string& what) { return Status::Unprocessable("proof.mismatch", what); }

std::string Str(uint64_t v) { return std::to_string(v); }

}  // namespace

Hash HashLeaf(std::string_view entry) {
  Sha256Hasher h;
  return h.UpdateByte(kLeafPrefix).Update(entry).Final();
}

Hash HashChildren(const Hash& left, const Hash& right) {
  Sha256Hasher h;
  return h.UpdateByte(kNodePrefix).Update(left).Update(right).Final();
}

Hash EmptyRoot() { return Sha256(""); }

// --- Frontier ---------------------------------------------------------------------------

Result<Frontier> Frontier::Load(uint64_t size, const NodeReader& reader) {
  Subtrees parts;
  if (Status s = ReadSubtrees(0, size, reader, &parts); !s.ok()) return s;
  Frontier f;
  f.size_ = size;
  f.hashes_.assign(parts.hashes.begin(), parts.hashes.begin() + parts.count);
  return f;
}

void Frontier::Append(const Hash& leaf_hash, std::vector<std::pair<NodeId, Hash>>* completed) {
  // 2^64 - 1 leaves is out of reach of any ledger; past it size_ would wrap and lie.
  if (size_ == UINT64_MAX) std::abort();
  completed->clear();
  Hash h = leaf_hash;
  uint64_t index = size_;
  int level = 0;
  completed->push_back({{level, index}, h});
  // Each trailing one bit of the old size is a border subtree that the new one now pairs with,
  // exactly as a binary counter carries.
  while ((index & 1) != 0) {
    h = HashChildren(hashes_.back(), h);
    hashes_.pop_back();
    index >>= 1;
    ++level;
    completed->push_back({{level, index}, h});
  }
  hashes_.push_back(h);
  ++size_;
}

Hash Frontier::Root() const {
  if (hashes_.empty()) return EmptyRoot();
  return FoldRight(hashes_.data(), static_cast<int>(hashes_.size()));
}

// --- MemoryNodeStore --------------------------------------------------------------------

Status MemoryNodeStore::Put(NodeId id, const Hash& hash) {
  if (id.level < 0 || id.level >= kMaxLevels) {
    return Status::InvalidArgument(
        "node.level", "node level " + std::to_string(id.level) + " is outside [0, 63]");
  }
  if (static_cast<size_t>(id.level) >= levels_.size()) levels_.resize(id.level + 1);
  std::vector<Hash>& level = levels_[id.level];
  if (id.index < level.size()) {
    level[id.index] = hash;
  } else if (id.index == level.size()) {
    level.push_back(hash);
  } else {
    return Status::InvalidArgument("node.gap",
                                   "node (" + std::to_string(id.level) + ", " + Str(id.index) +
                                       ") skips past the next unstored index " + Str(level.size()));
  }
  return Status::OK();
}

Status MemoryNodeStore::PutAll(const std::vector<std::pair<NodeId, Hash>>& nodes) {
  for (const auto& [id, hash] : nodes) {
    if (Status s = Put(id, hash); !s.ok()) return s;
  }
  return Status::OK();
}

Result<Hash> MemoryNodeStore::Node(int level, uint64_t index) const {
  if (level < 0 || static_cast<size_t>(level) >= levels_.size() || index >= levels_[level].size()) {
    return Status::NotFound("node.missing", "no stored node at level " + std::to_string(level) +
                                                ", index " + Str(index));
  }
  return levels_[level][index];
}

// --- Proof generation -------------------------------------------------------------------

Result<Hash> RootAt(uint64_t size, const NodeReader& reader) {
  if (size == 0) return EmptyRoot();
  return RangeHash(0, size, reader);
}

// RFC 9162 §2.1.3.1. PATH(m, D[n]) recurses on the left-balanced split; in node addressing
// it is the siblings of leaf m's ancestors, bottom-up, skipping levels where the ancestor has
// no right sibling because the tree ends.
Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size, const NodeReader& reader) {
  if (index >= size) {
    return Status::InvalidArgument(
        "proof.index", "leaf index " + Str(index) + " is not below tree size " + Str(size));
  }
  std::vector<Hash> proof;
  proof.reserve(InclusionProofSize(index, size));
  if (Status s = AppendPath(0, index, size, reader, &proof); !s.ok()) return s;
  return proof;
}

// RFC 9162 §2.1.4.1. SUBPROOF(m, D[n], true) descends to the largest complete subtree ending at
// leaf m - 1 (the seed) and then collects the same siblings as an inclusion proof of that
// node in the tree of n leaves; the seed itself is included unless it is the whole m tree
// (m a power of two), whose root the verifier already has.
Result<std::vector<Hash>> ConsistencyProof(uint64_t size1, uint64_t size2,
                                           const NodeReader& reader) {
  if (size1 > size2) {
    return Status::InvalidArgument(
        "proof.range", "tree size " + Str(size1) + " is larger than tree size " + Str(size2));
  }
  std::vector<Hash> proof;
  if (size1 == 0 || size1 == size2) return proof;
  proof.reserve(ConsistencyProofSize(size1, size2));
  const NodeId seed = ConsistencySeed(size1);
  if (seed.index != 0) {
    Result<Hash> node = reader.Node(seed.level, seed.index);
    if (!node.ok()) return node.status();
    proof.push_back(*node);
  }
  if (Status s = AppendPath(seed.level, seed.index, size2, reader, &proof); !s.ok()) return s;
  return proof;
}

// --- Verification -----------------------------------------------------------------------

// RFC 9162 §2.1.3.2, with the proof length checked up front so that a malformed proof is
// reported as such rather than as a root mismatch.
Result<Hash> RootFromInclusionProof(uint64_t index, uint64_t size, const Hash& leaf_hash,
                                    const std::vector<Hash>& proof) {
  if (index >= size) {
    return Status::InvalidArgument(
        "proof.index", "leaf index " + Str(index) + " is not below tree size " + Str(size));
  }
  if (const size_t want = InclusionProofSize(index, size); proof.size() != want) {
    return Status::InvalidArgument(
        "proof.size", "inclusion proof for leaf " + Str(index) + " in tree size " + Str(size) +
                          " has " + Str(proof.size()) + " hashes, want " + Str(want));
  }
  uint64_t fn = index;
  uint64_t sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return Mismatch("inclusion proof is longer than the path");  // unreachable
    if ((fn & 1) != 0 || fn == sn) {
      r = HashChildren(p, r);
      ShiftUntilOddOrZero(&fn, &sn);
    } else {
      r = HashChildren(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Mismatch("inclusion proof is shorter than the path");  // unreachable
  return r;
}

Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                       const std::vector<Hash>& proof, const Hash& root) {
  Result<Hash> computed = RootFromInclusionProof(index, size, leaf_hash, proof);
  if (!computed.ok()) return computed.status();
  if (*computed != root) {
    return Mismatch("inclusion proof for leaf " + Str(index) +
                    " does not lead to the root of tree size " + Str(size));
  }
  return Status::OK();
}

// RFC 9162 §2.1.4.2, with the trivial cases (size1 == 0, size1 == size2) decided first and
// the proof length checked up front.
Status VerifyConsistency(uint64_t size1, uint64_t size2, const std::vector<Hash>& proof,
                         const Hash& root1, const Hash& root2) {
  if (size1 > size2) {
    return Status::InvalidArgument(
        "proof.range", "tree size " + Str(size1) + " is larger than tree size " + Str(size2));
  }
  if (size1 == 0 || size1 == size2) {
    if (!proof.empty()) {
      return Status::InvalidArgument(
          "proof.size", "consistency proof from tree size " + Str(size1) + " to " + Str(size2) +
                            " must be empty, has " + Str(proof.size()) + " hashes");
    }
    if (size1 == 0 && root1 != EmptyRoot())
      return Mismatch("root of tree size 0 is not the empty root");
    if (size1 == size2 && root1 != root2) {
      return Mismatch("roots of the same tree size " + Str(size1) + " differ");
    }
    return Status::OK();
  }
  if (const size_t want = ConsistencyProofSize(size1, size2); proof.size() != want) {
    return Status::InvalidArgument(
        "proof.size", "consistency proof from tree size " + Str(size1) + " to " + Str(size2) +
                          " has " + Str(proof.size()) + " hashes, want " + Str(want));
  }
  // Step 2: when size1 is a power of two the seed is root1 itself, not sent in the proof.
  const bool seed_in_proof = !std::has_single_bit(size1);
  size_t next = seed_in_proof ? 1 : 0;
  Hash fr = seed_in_proof ? proof[0] : root1;
  Hash sr = fr;
  uint64_t fn = size1 - 1;
  uint64_t sn = size2 - 1;
  while ((fn & 1) != 0) {  // step 4: climb to the seed's level
    fn >>= 1;
    sn >>= 1;
  }
  for (; next < proof.size(); ++next) {
    const Hash& c = proof[next];
    if (sn == 0) return Mismatch("consistency proof is longer than the path");  // unreachable
    if ((fn & 1) != 0 || fn == sn) {
      fr = HashChildren(c, fr);
      sr = HashChildren(c, sr);
      ShiftUntilOddOrZero(&fn, &sn);
    } else {
      sr = HashChildren(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Mismatch("consistency proof is shorter than the path");  // unreachable
  if (fr != root1) {
    return Mismatch("consistency proof does not lead to the root of tree size " + Str(size1));
  }
  if (sr != root2) {
    return Mismatch("consistency proof does not lead to the root of tree size " + Str(size2));
  }
  return Status::OK();
}

}  // namespace carbonledger::merkle
