#include "ledger/log/tiles.h"

#include <catch2/catch.hpp>
#include <set>

#include "ledger/log/merkle.h"

using namespace carbonledger;

TEST_CASE("tile indexes are written in x-prefixed groups of three digits", "[ledger][tiles]") {
  CHECK(FormatTileIndex(0) == "000");
  CHECK(FormatTileIndex(67) == "067");
  CHECK(FormatTileIndex(1234067) == "x001/x234/067");
  CHECK(FormatTileIndex(1000) == "x001/000");
}

TEST_CASE("tile paths parse only in their canonical form", "[ledger][tiles]") {
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

TEST_CASE("tile paths format as they parse", "[ledger][tiles]") {
  for (const char* path :
       {"0/x001/x234/067", "2/005.p/17", "entries/x001/000.p/1", "entries/000"}) {
    auto t = ParseTilePath(path);
    REQUIRE(t);
    CHECK(FormatTilePath(*t) == path);
  }
}

TEST_CASE("a tree's tiles are the spec's: full ones, then one partial per level",
          "[ledger][tiles]") {
  auto count = [](const std::vector<TilePath>& tiles, bool entries, int level, uint64_t width) {
    return std::count_if(tiles.begin(), tiles.end(), [&](const TilePath& t) {
      return t.entries == entries && t.level == level && t.width == width;
    });
  };
  // c2sp.org/tlog-tiles: "a tree of size 70,000 will be represented by 273 full level 0 tiles, one
  // partial level 0 tile of width 112, one full level 1 tile, one partial level 1 tile of width
  // 17, and one partial level 2 tile of width 1".
  auto t = TreeTiles(70000);
  CHECK(count(t, false, 0, 256) == 273);
  CHECK(count(t, false, 0, 112) == 1);
  CHECK(count(t, false, 1, 256) == 1);
  CHECK(count(t, false, 1, 17) == 1);
  CHECK(count(t, false, 2, 1) == 1);
  CHECK(count(t, true, 0, 256) == 273);
  CHECK(count(t, true, 0, 112) == 1);
  CHECK(t.size() == 2 * 274 + 3);
  // "a tree of size 256 will be represented by a full level 0 tile and a partial level 1 tile of
  // width 1"; and entry bundles as level 0.
  auto s = TreeTiles(256);
  REQUIRE(s.size() == 3);
  CHECK(FormatTilePath(s[0]) == "0/000");
  CHECK(FormatTilePath(s[1]) == "1/000.p/1");
  CHECK(FormatTilePath(s[2]) == "entries/000");
  CHECK(TreeTiles(0).empty());
}

namespace {

// A tree of `n` leaves in memory, and its tiles cut from the stored nodes as a log serves them.
struct MemoryTree {
  explicit MemoryTree(uint64_t n) {
    std::vector<std::pair<merkle::NodeId, Hash>> completed;
    for (uint64_t i = 0; i < n; ++i) {
      frontier.Append(merkle::HashLeaf("entry " + std::to_string(i)), &completed);
      REQUIRE(nodes.PutAll(completed).ok());
      if ((i & (i + 1)) == 0 || i + 1 == n || i % 997 == 0) roots[i + 1] = frontier.Root();
    }
  }
  Result<std::string> Tile(const TilePath& t) {
    ++fetches;
    std::string out;
    for (uint64_t i = 0; i < t.width; ++i) {
      auto h = nodes.Node(t.level * kTileHeight, t.index * kTileWidth + i);
      if (!h.ok()) return h.status();
      out += AsBytes(*h);
    }
    return out;
  }
  merkle::Frontier frontier;
  merkle::MemoryNodeStore nodes;
  std::map<uint64_t, Hash> roots;  // tree size -> root
  int fetches = 0;
};

}  // namespace

TEST_CASE("tiles alone give every root, inclusion and consistency proof of the tree",
          "[ledger][tiles]") {
  MemoryTree tree(70000);
  for (const auto& [size, root] : tree.roots) {
    INFO("size " << size);
    TileNodeReader tiles(size, [&](const TilePath& t) { return tree.Tile(t); });
    auto r = merkle::RootAt(size, tiles);
    REQUIRE(r.ok());
    CHECK(*r == root);
    const uint64_t leaf = size / 3;
    auto from_tiles = merkle::InclusionProof(leaf, size, tiles);
    auto from_nodes = merkle::InclusionProof(leaf, size, tree.nodes);
    REQUIRE(from_tiles.ok());
    CHECK(*from_tiles == *from_nodes);
    auto c = merkle::ConsistencyProof(size / 2, size, tiles);
    REQUIRE(c.ok());
    CHECK(*c == *merkle::ConsistencyProof(size / 2, size, tree.nodes));
  }
  // Each tile is fetched once, at the width the tree gives it.
  tree.fetches = 0;
  TileNodeReader tiles(70000, [&](const TilePath& t) {
    const uint64_t nodes = 70000 >> (t.level * kTileHeight);
    CHECK(t.width == std::min<uint64_t>(256, nodes - t.index * 256));
    return tree.Tile(t);
  });
  for (uint64_t i = 0; i < 70000; i += 101) REQUIRE(tiles.Node(0, i).ok());
  CHECK(tree.fetches == 274);
  CHECK(tiles.Node(0, 70000).status().reason() == "tree.node");
  CHECK(tiles.Node(17, 0).status().reason() == "tree.node");  // 2^17 > 70000
}

TEST_CASE("a tile of the wrong length is refused, and a fetch error is passed on",
          "[ledger][tiles]") {
  TileNodeReader short_tiles(300, [](const TilePath& t) {
    return Result<std::string>(std::string(t.width * 32 - 1, 'x'));
  });
  CHECK(short_tiles.Node(0, 0).status().reason() == "tile.size");
  TileNodeReader failing(300, [](const TilePath&) -> Result<std::string> {
    return Status::Unavailable("client.no_answer", "down");
  });
  CHECK(failing.Node(8, 0).status().reason() == "client.no_answer");
}

TEST_CASE("entry bundles split at their uint16 length prefixes", "[ledger][tiles]") {
  std::string big(300, 'b');
  std::string bundle = std::string(
                           "\x00\x01"
                           "a",
                           3) +
                       "\x01\x2c" + big + std::string("\x00\x00", 2);
  auto e = SplitEntryBundle(bundle);
  REQUIRE(e.ok());
  REQUIRE(e->size() == 3);
  CHECK((*e)[0] == "a");
  CHECK((*e)[1] == big);
  CHECK((*e)[2].empty());
  CHECK(SplitEntryBundle(bundle.substr(0, bundle.size() - 1)).status().reason() == "tile.bundle");
  CHECK(SplitEntryBundle(bundle.substr(0, 10)).status().reason() == "tile.bundle");
}
