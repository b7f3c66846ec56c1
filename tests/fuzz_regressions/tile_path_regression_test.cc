// Regression tests for what tests/fuzz/tile_path_fuzz.cc found (docs/reliability.md §Fuzzing).
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "ledger/log/tiles.h"

using namespace carbonledger;

// Found by tile_path_fuzz: ParseTilePath refused the canonical path of every index from
// 18446744073709551000 to 2^64-1 (e.g. "0/x018/x446/x744/x073/x709/x551/615"), because its
// overflow check assumed the next group could be 999. Fixed in ledger/log/tiles.cc (exact check).
TEST_CASE("tile paths of the largest indexes parse back to their index", "[api][tiles][fuzz]") {
  for (uint64_t index : {UINT64_MAX, UINT64_MAX - 615, uint64_t{18446744073709551000u},
                         uint64_t{18446744073709550999u}, uint64_t{18446744073709550000u}}) {
    const std::string path = "0/" + FormatTileIndex(index);
    INFO(path);
    auto t = ParseTilePath(path);
    REQUIRE(t);
    CHECK(t->index == index);
    auto e = ParseTilePath("entries/" + FormatTileIndex(index) + ".p/3");
    REQUIRE(e);
    CHECK(e->index == index);
    CHECK(e->width == 3);
  }
  CHECK(FormatTileIndex(UINT64_MAX) == "x018/x446/x744/x073/x709/x551/615");
  // One past 2^64-1, and far past it, are still refused rather than wrapped.
  for (const char* over :
       {"0/x018/x446/x744/x073/x709/x551/616", "0/x018/x446/x744/x073/x709/x552/000",
        "0/x999/x999/x999/x999/x999/x999/999", "0/x001/x000/x000/x000/x000/x000/x000/000"}) {
    INFO(over);
    CHECK_FALSE(ParseTilePath(over));
  }
}
