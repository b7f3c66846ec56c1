#include "api/tiles.h"

#include <vector>

namespace carbonledger {

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

}  // namespace carbonledger
