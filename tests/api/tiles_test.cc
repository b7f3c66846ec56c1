#include "api/tiles.h"

#include <catch2/catch.hpp>

using namespace carbonledger;

TEST_CASE("tile indexes are written in x-prefixed groups of three digits", "[api][tiles]") {
  CHECK(FormatTileIndex(0) == "000");
  CHECK(FormatTileIndex(67) == "067");
  CHECK(FormatTileIndex(1234067) == "x001/x234/067");
  CHECK(FormatTileIndex(1000) == "x001/000");
}

TEST_CASE("tile paths parse only in their canonical form", "[api][tiles]") {
  auto t = ParseTilePath("0/x001/x234/067");
  REQUIRE(t);
  CHECK_FALSE(t->entries);
  CHECK(t->level == 0);
  CHECK(t->index == 1234067);
  CHECK(t->width == 256);
  auto p = ParseTilePath("2/005.p/17");
  REQUIRE(p);
  CHECK(p->level == 2);
  CHECK(p->index == 5);
  CHECK(p->width == 17);
  auto e = ParseTilePath("entries/x001/000.p/1");
  REQUIRE(e);
  CHECK(e->entries);
  CHECK(e->index == 1000);
  for (const char* bad :
       {"0/5", "0/0005", "0/x000/005", "00/005", "0/005.p/0", "0/005.p/256", "0/005.p/", "0/005/",
        "a/005", "0/x1/005", "entries/5", "9/000", "0/005.p/010", ""}) {
    INFO(bad);
    CHECK_FALSE(ParseTilePath(bad));
  }
}
