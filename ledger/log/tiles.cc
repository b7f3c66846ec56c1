#include "ledger/log/tiles.h"

#include <algorithm>
#include <vector>

#include "ledger/log/ledger.h"

namespace carbonledger {

namespace {
constexpr size_t kHashBytes = sizeof(Hash);
}  // namespace

std::string FormatTileIndex(uint64_t index) {
  std::vector<std::string> groups;
  do {
    std::string g = std::to_string(index % 1000);
    groups.push_back(std::string(3 - g.size(), '0') + g);
    index /= 1000;
  } while (index > 0);
  std::string out;
  for (size_t i = groups.size(); i-- > 0;) {
    if (i > 0) out += "x";
    out += groups[i];
    if (i > 0) out += "/";
  }
  return out;
}

namespace {

// Parses "x001/x234/067" (the whole rest of the path, minus a ".p/W" suffix).
std::optional<uint64_t> ParseIndex(std::string_view s) {
  const std::string_view original = s;
  uint64_t v = 0;
  size_t groups = 0;
  while (!s.empty()) {
    size_t slash = s.find('/');
    std::string_view g = s.substr(0, slash);
    bool last = slash == std::string_view::npos;
    if (!last) {
      if (g.size() != 4 || g[0] != 'x') return std::nullopt;
      g.remove_prefix(1);
    }
    if (g.size() != 3) return std::nullopt;
    for (char c : g) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    const auto group = uint64_t(std::stoi(std::string(g)));
    if (v > (UINT64_MAX - group) / 1000) return std::nullopt;  // v * 1000 + group overflows
    v = v * 1000 + group;
    ++groups;
    if (last) break;
    s.remove_prefix(slash + 1);
    if (s.empty()) return std::nullopt;
  }
  if (groups == 0) return std::nullopt;
  // Canonical: exactly the form FormatTileIndex writes (no leading zero groups).
  if (FormatTileIndex(v) != original) return std::nullopt;
  return v;
}

}  // namespace

std::optional<TilePath> ParseTilePath(std::string_view path) {
  TilePath t;
  if (path.starts_with("entries/")) {
    t.entries = true;
    path.remove_prefix(8);
  } else {
    size_t slash = path.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash > 2) return std::nullopt;
    std::string_view l = path.substr(0, slash);
    for (char c : l) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    if (l.size() > 1 && l[0] == '0') return std::nullopt;
    t.level = std::stoi(std::string(l));
    if (t.level > 63 / kTileHeight) return std::nullopt;
    path.remove_prefix(slash + 1);
  }
  size_t p = path.find(".p/");
  if (p != std::string_view::npos) {
    std::string_view w = path.substr(p + 3);
    if (w.empty() || w.size() > 3 || w[0] == '0') return std::nullopt;
    for (char c : w) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    t.width = uint64_t(std::stoi(std::string(w)));
    if (t.width >= kTileWidth) return std::nullopt;
    path = path.substr(0, p);
  }
  auto index = ParseIndex(path);
  if (!index) return std::nullopt;
  t.index = *index;
  return t;
}

std::string FormatTilePath(const TilePath& t) {
  std::string out = t.entries ? "entries/" : std::to_string(t.level) + "/";
  out += FormatTileIndex(t.index);
  if (t.width != kTileWidth) out += ".p/" + std::to_string(t.width);
  return out;
}

std::vector<TilePath> TreeTiles(uint64_t size) {
  std::vector<TilePath> out;
  auto add_level = [&out](bool entries, int level, uint64_t nodes) {
    for (uint64_t n = 0; n < nodes / kTileWidth; ++n)
      out.push_back({entries, level, n, kTileWidth});
    if (nodes % kTileWidth != 0) {
      out.push_back({entries, level, nodes / kTileWidth, nodes % kTileWidth});
    }
  };
  for (int level = 0; level * kTileHeight < 64 && (size >> (level * kTileHeight)) > 0; ++level) {
    add_level(false, level, size >> (level * kTileHeight));
  }
  add_level(true, 0, size);
  return out;
}

Result<std::string> ReadTile(const Ledger& ledger, const TilePath& t) {
  const uint64_t first = t.index * kTileWidth;
  const uint64_t nodes = t.entries ? ledger.size() : ledger.size() >> (t.level * kTileHeight);
  if (t.index > nodes / kTileWidth || first + t.width > nodes) {
    return Status::NotFound("tile.range", "tile " + FormatTilePath(t) +
                                              " lies beyond the tree of " +
                                              std::to_string(ledger.size()) + " entries");
  }
  std::string body;
  for (uint64_t i = first; i < first + t.width; ++i) {
    if (t.entries) {
      auto e = ledger.GetEntry(i);
      if (!e.ok()) return e.status();
      // docs/ledger-format.md §Transactions bounds an entry so that it fits the uint16 prefix.
      body.push_back(char(e->bytes.size() >> 8));
      body.push_back(char(e->bytes.size() & 0xff));
      body += e->bytes;
    } else {
      auto h = ledger.NodeHash(t.level * kTileHeight, i);
      if (!h.ok()) return h.status();
      body.append(AsBytes(*h));
    }
  }
  return body;
}

Result<std::vector<std::string_view>> SplitEntryBundle(std::string_view bundle) {
  std::vector<std::string_view> entries;
  while (!bundle.empty()) {
    if (bundle.size() < 2) return Status::Corruption("tile.bundle", "a length prefix is cut off");
    const size_t n = size_t(uint8_t(bundle[0])) << 8 | uint8_t(bundle[1]);
    if (bundle.size() - 2 < n) {
      return Status::Corruption("tile.bundle", "entry " + std::to_string(entries.size()) +
                                                   " runs past the end of the bundle");
    }
    entries.push_back(bundle.substr(2, n));
    bundle.remove_prefix(2 + n);
  }
  return entries;
}

Result<std::string_view> TileNodeReader::HashTile(int level, uint64_t index) const {
  auto it = tiles_.find({level, index});
  if (it != tiles_.end()) return std::string_view(it->second);
  const uint64_t nodes = size_ >> (level * kTileHeight);
  const uint64_t width = std::min(kTileWidth, nodes - std::min(nodes, index * kTileWidth));
  if (width == 0) {
    return Status::NotFound("tree.node", "no tile " + std::to_string(level) + "/" +
                                             FormatTileIndex(index) + " in the tree of " +
                                             std::to_string(size_));
  }
  const TilePath path{false, level, index, width};
  auto bytes = fetch_(path);
  if (!bytes.ok()) return bytes.status();
  if (bytes->size() != width * kHashBytes) {
    return Status::Corruption("tile.size", "tile " + FormatTilePath(path) + " holds " +
                                               std::to_string(bytes->size()) + " bytes, not " +
                                               std::to_string(width * kHashBytes));
  }
  return std::string_view(tiles_.emplace(std::pair{level, index}, std::move(*bytes)).first->second);
}

Result<Hash> TileNodeReader::Node(int level, uint64_t index) const {
  if (level < 0 || level > 63 || index >= (size_ >> level)) {
    return Status::NotFound("tree.node", "no complete subtree " + std::to_string(level) + "/" +
                                             std::to_string(index) + " in the tree of " +
                                             std::to_string(size_));
  }
  const int tile_level = level / kTileHeight;
  const int up = level % kTileHeight;  // levels to hash above the tile's own
  const uint64_t first = index << up;  // the subtree's first node at the tile's level
  auto tile = HashTile(tile_level, first / kTileWidth);
  if (!tile.ok()) return tile.status();
  return SubtreeHash(*tile, first % kTileWidth, up);
}

Hash SubtreeHash(std::string_view tile, uint64_t first, int up) {
  std::vector<Hash> row(size_t(1) << up);
  for (size_t i = 0; i < row.size(); ++i) {
    std::copy_n(tile.data() + (first + i) * kHashBytes, kHashBytes, row[i].begin());
  }
  while (row.size() > 1) {
    for (size_t i = 0; i < row.size() / 2; ++i) {
      row[i] = merkle::HashChildren(row[2 * i], row[2 * i + 1]);
    }
    row.resize(row.size() / 2);
  }
  return row[0];
}

}  // namespace carbonledger
