#include "ledger/log/internal/db.h"

#include <leveldb/write_batch.h>

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"

using namespace carbonledger;

TEST_CASE("LevelDB opens in a temp dir, writes synced and reads back after reopen",
          "[ledger][db]") {
  testing::TempDir dir;
  {
    auto db = OpenDatabase(dir.path());
    REQUIRE(db.ok());
    leveldb::WriteBatch batch;
    batch.Put("a", "1");
    batch.Put("b", "2");
    leveldb::WriteOptions wo;
    wo.sync = true;
    REQUIRE((*db)->db()->Write(wo, &batch).ok());
  }
  auto db = OpenDatabase(dir.path());
  REQUIRE(db.ok());
  std::string v;
  REQUIRE((*db)->db()->Get(Database::ReadOpts(), "b", &v).ok());
  CHECK(v == "2");
  CHECK(FromLevelDB((*db)->db()->Get(Database::ReadOpts(), "zz", &v), "get").code() ==
        Code::kNotFound);
}

TEST_CASE("opening a missing database without create fails with a clear error", "[ledger][db]") {
  testing::TempDir dir;
  DatabaseOptions o;
  o.create_if_missing = false;
  auto db = OpenDatabase(dir.Sub("nope"), o);
  REQUIRE_FALSE(db.ok());
  CHECK(db.status().message().find("nope") != std::string::npos);
}
