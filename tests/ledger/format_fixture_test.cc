// A data directory written by an earlier version of the product (tests/fixtures/ledger-v1: the
// demo scenario of docs/demo.md, 30 entries, written before the libraries were split) must
// open and pass verify-ledger, and its exported statement bundle must still verify: the
// ledger format is docs/ledger-format.md's, whatever the code's layout.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "crypto/encoding.h"
#include "ledger/certification/bundle.h"
#include "ledger/certification/reports.h"
#include "ledger/certification/transaction_types.h"
#include "ledger/log/ledger.h"
#include "ledger/log/verify.h"
#include "tests/support/temp_dir.h"

using namespace carbonledger;

namespace {

// The fixture is copied first: opening a LevelDB database writes to it.
std::string CopyFixture(const testing::TempDir& dir) {
  std::filesystem::copy(std::string(CARBONLEDGER_SOURCE_DIR) + "/tests/fixtures/ledger-v1",
                        dir.path(), std::filesystem::copy_options::recursive);
  return dir.path();
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

constexpr const char* kRoot = "2h8kuwaFs0YMZIMhsFCoLqYrvvmlRKLRBxMPYXLg9LI=";

}  // namespace

TEST_CASE("a data directory of the previous version opens and verifies", "[verify][format]") {
  testing::TempDir dir;
  const std::string data = CopyFixture(dir);
  const std::string pub = Slurp(data + "/keys/log.pub");
  auto log_key = ParsePublicKey(pub.substr(0, pub.find('\n')));
  REQUIRE(log_key.ok());

  VerifyOptions o;
  o.data_dir = data;
  o.trusted_log_key = *log_key;
  auto report = VerifyLedger(o, LedgerTxTypes());
  INFO(report.status().ToString());
  REQUIRE(report.ok());
  CHECK(report->entries == 30);
  CHECK(Base64Encode(AsBytes(report->root)) == kRoot);

  auto ledger = Ledger::Open(data, LedgerTxTypes());
  REQUIRE(ledger.ok());
  CHECK((*ledger)->size() == 30);
  CHECK((*ledger)->origin() == "carbonledger.local/fixture");
  auto statement = GetStatement(**ledger, "S29");
  REQUIRE(statement.ok());
  CHECK((*statement)["statement"]["verdict"] == "pass");

  auto bundle = VerifyStatementBundle(Slurp(data + "/bundle-S29.json"), *log_key);
  INFO(bundle.status().ToString());
  REQUIRE(bundle.ok());
  CHECK(bundle->statement_id == "S29");
  CHECK(bundle->verdict == "pass");
}
