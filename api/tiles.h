// Tiles: the log in the C2SP tlog-tiles read layout, so existing tile clients, mirrors and
// witnesses can fetch and audit it without our code (docs/api.md §Tiles).
//
//   /tile/<L>/<N>[.p/<W>]       hashes of tree level 8·L, nodes N·256 … N·256+W−1 (32 bytes each)
//   /tile/entries/<N>[.p/<W>]   entries N·256 … N·256+W−1, each as uint16be length || entry bytes
//
// <N> is written in groups of three digits, all but the last prefixed with "x"
// (1234067 → x001/x234/067). A full tile has W = 256.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace carbonledger {

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

}  // namespace carbonledger
