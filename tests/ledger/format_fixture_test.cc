// A data directory of ledger format 1 (tests/fixtures/ledger-v1: the demo scenario of
// docs/demo.md, 30 entries, written before format 2's validity windows and rules) is refused
// by name, and the statement bundle exported from it still verifies offline
// (docs/ledger-format.md §Format versions).
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

TEST_CASE("a format 1 data directory is refused by name and its bundle still verifies offline",
          "[verify][format]") {
  testing::TempDir dir;
  const std::string data = CopyFixture(dir);
  const std::string pub = Slurp(data + "/keys/log.pub");
  auto log_key = ParsePublicKey(pub.substr(0, pub.find('\n')));
  REQUIRE(log_key.ok());

  // verify-ledger and the service refuse it before replaying or serving anything, naming the
  // format (docs/ledger-format.md §Format versions).
  VerifyOptions o;
  o.data_dir = data;
  o.trusted_log_key = *log_key;
  auto report = VerifyLedger(o, LedgerTxTypes());
  REQUIRE_FALSE(report.ok());
  CHECK(report.status().reason() == "ledger.format");
  CHECK(report.status().message().find("format 1") != std::string::npos);
  auto ledger = Ledger::Open(data, LedgerTxTypes());
  REQUIRE_FALSE(ledger.ok());
  CHECK(ledger.status().reason() == "ledger.format");

  // What was published from it stays verifiable: the entry bytes, proofs and checkpoints are
  // unchanged, and a format 1 transaction (no not_after) still parses.
  auto bundle = VerifyStatementBundle(Slurp(data + "/bundle-S29.json"), *log_key);
  INFO(bundle.status().ToString());
  REQUIRE(bundle.ok());
  CHECK(bundle->statement_id == "S29");
  CHECK(bundle->verdict == "pass");
  CHECK(bundle->tree_size == 30);
  CHECK(Slurp(data + "/bundle-S29.json").find(kRoot) != std::string::npos);
}
