// Tiles: the log in the C2SP tlog-tiles read layout, so existing tile clients, mirrors and
// witnesses can fetch and audit it without our code (docs/api.md §Tiles). The daemon serves them
// (GET /tile/...) and `carbonledger export-tiles` writes them as files (docs/scale.md §Static
// tiles); both read them through ReadTile.
//
//   /tile/<L>/<N>[.p/<W>]       hashes of tree level 8·L, nodes N·256 … N·256+W−1 (32 bytes each)
//   /tile/entries/<N>[.p/<W>]   entries N·256 … N·256+W−1, each as uint16be length || entry bytes
//
// <N> is written in groups of three digits, all but the last prefixed with "x"
// (1234067 → x001/x234/067). A full tile has W = 256. Every tile, full or partial, is immutable:
// its path fixes which complete subtrees it holds, and those never change.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/status.h"
#include "ledger/log/merkle.h"

namespace carbonledger {

class Ledger;

inline constexpr uint64_t kTileWidth = 256;
inline constexpr int kTileHeight = 8;

struct TilePath {
  bool entries = false;         // an entry bundle rather than a hash tile
  int level = 0;                // tile level L (hash tiles only)
  uint64_t index = 0;           // N
  uint64_t width = kTileWidth;  // W: 256 for a full tile
};

// Parses the part after "/tile/"; nullopt for anything not in the exact canonical form.
std::optional<TilePath> ParseTilePath(std::string_view path);
std::string FormatTileIndex(uint64_t index);  // 1234067 -> "x001/x234/067"
// The canonical part after "/tile/" ("0/x001/067", "entries/005.p/17"); ParseTilePath's inverse.
std::string FormatTilePath(const TilePath& t);

// c2sp.org/tlog-tiles §Partial Tiles: every tile and entry bundle of the tree of `size` leaves.
// At level L: floor(size / 256^(L+1)) full tiles and, when floor(size / 256^L) mod 256 > 0, one
// partial tile of that width; "Empty tiles MUST NOT be served". Entry bundles as level 0. Hash
// tiles come first, lowest level first, then the bundles.
std::vector<TilePath> TreeTiles(uint64_t size);

// The tile's bytes as served: W hashes, or the W entries each prefixed with its uint16be length.
// "tile.range" (NotFound) when the tile lies beyond the ledger's current tree.
Result<std::string> ReadTile(const Ledger& ledger, const TilePath& t);

// The entries of an entry bundle, in order. "tile.bundle" (Corruption) when a length prefix runs
// past the end.
Result<std::vector<std::string_view>> SplitEntryBundle(std::string_view bundle);

// The RFC 6962 hash of the complete subtree whose 2^up bottom nodes are hashes first … first +
// 2^up − 1 of `tile` (its bytes, 32 per hash). Requires first + 2^up ≤ the tile's width and
// up ≤ 8: SubtreeHash(full tile, 0, 8) is the node the tile above holds for it.
Hash SubtreeHash(std::string_view tile, uint64_t first, int up);

// The tree of `size` leaves as a NodeReader over its tiles, so the proof functions of merkle.h
// (RootAt, InclusionProof, ConsistencyProof) run on tiles alone, as an independent tile client
// would. Node (level, index) comes from the tile at level ⌊level/8⌋ that holds its subtree,
// hashed up level mod 8 times (tlog-tiles: "The Merkle Tree levels between those expressed by the
// tile hashes are reconstructed by hashing the leaves"). Each tile is fetched once, with the width
// the tree of `size` gives it. Errors: "tree.node" (NotFound) for a node not complete in this
// tree, "tile.size" (Corruption) for a tile of the wrong length, and whatever `fetch` returns.
class TileNodeReader : public merkle::NodeReader {
 public:
  using Fetch = std::function<Result<std::string>(const TilePath&)>;
  TileNodeReader(uint64_t size, Fetch fetch) : size_(size), fetch_(std::move(fetch)) {}
  Result<Hash> Node(int level, uint64_t index) const override;
  // The hash tile (L, N) at the width this tree gives it, fetched on first use.
  Result<std::string_view> HashTile(int level, uint64_t index) const;

 private:
  uint64_t size_;
  Fetch fetch_;
  mutable std::map<std::pair<int, uint64_t>, std::string> tiles_;
};

}  // namespace carbonledger
