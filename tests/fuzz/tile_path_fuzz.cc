// Fuzz target: tlog-tiles paths (ledger/log/tiles.h, docs/api.md §Tiles).
//
// Invariants:
//  1. ParseTilePath accepts only the canonical form: an accepted path is exactly
//     "<L>/" or "entries/", then FormatTileIndex(N), then ".p/<W>" for a partial tile.
//  2. Accepted values are in range: L <= 7 (levels up to 63), 1 <= W <= 256.
//  3. Every index formats to a path that parses back to it, as a hash tile and an entry bundle,
//     and FormatTilePath writes the path this target writes.
//  4. SplitEntryBundle accepts exactly the inputs that are a sequence of uint16be-length-prefixed
//     entries: the entries it returns, prefixed again, are the input.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ledger/log/tiles.h"
#include "tests/fuzz/fuzz_util.h"

using namespace carbonledger;

namespace {

std::string Format(const TilePath& t) {
  std::string s = t.entries ? std::string("entries/") : std::to_string(t.level) + "/";
  s += FormatTileIndex(t.index);
  if (t.width != kTileWidth) s += ".p/" + std::to_string(t.width);
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view path = fuzz::AsText(data, size);
  // 1, 2.
  auto t = ParseTilePath(path);
  if (t) {
    FUZZ_CHECK(Format(*t) == path);
    FUZZ_CHECK(FormatTilePath(*t) == path);
    FUZZ_CHECK(t->level >= 0 && t->level * kTileHeight <= 63);
    FUZZ_CHECK(!t->entries || t->level == 0);
    FUZZ_CHECK(t->width >= 1 && t->width <= kTileWidth);
  }
  // 3.
  fuzz::Reader r(data, size);
  TilePath want;
  want.index = r.U64();
  want.level = r.Byte() % 8;
  const uint8_t w = r.Byte();
  want.width = w == 0 ? kTileWidth : w;
  want.entries = r.Byte() & 1;
  if (want.entries) want.level = 0;
  auto back = ParseTilePath(Format(want));
  FUZZ_CHECK(back.has_value());
  FUZZ_CHECK(back->entries == want.entries && back->level == want.level &&
             back->index == want.index && back->width == want.width);
  FUZZ_CHECK(FormatTilePath(want) == Format(want));
  // 4.
  auto entries = SplitEntryBundle(path);
  if (entries.ok()) {
    std::string again;
    for (std::string_view e : *entries) {
      FUZZ_CHECK(e.size() <= 0xffff);
      again.push_back(char(e.size() >> 8));
      again.push_back(char(e.size() & 0xff));
      again += e;
    }
    FUZZ_CHECK(again == path);
  } else {
    FUZZ_CHECK(entries.status().reason() == "tile.bundle");
  }
  return 0;
}
