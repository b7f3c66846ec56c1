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
#include "ledger/certification/confidential.h"
#include "ledger/certification/park_facts.h"
#include "ledger/certification/reports.h"
#include "ledger/certification/transaction_types.h"
#include "ledger/log/ledger.h"
#include "ledger/log/verify.h"
#include "ledger/registry/accounts.h"
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

namespace {

std::string CopyFixture(const testing::TempDir& dir, const std::string& name) {
  std::filesystem::copy(std::string(CARBONLEDGER_SOURCE_DIR) + "/tests/fixtures/" + name,
                        dir.path(), std::filesystem::copy_options::recursive);
  return dir.path();
}

}  // namespace

TEST_CASE("a format 2 data directory is served and replayed under format 2's rules",
          "[verify][format]") {
  testing::TempDir dir;
  const std::string data = CopyFixture(dir, "ledger-v2");
  const std::string pub = Slurp(data + "/keys/log.pub");
  auto log_key = ParsePublicKey(pub.substr(0, pub.find('\n')));
  REQUIRE(log_key.ok());
  // verify-ledger replays it: format 2's statement.record needed no engagement.
  VerifyOptions o;
  o.data_dir = data;
  o.trusted_log_key = *log_key;
  auto report = VerifyLedger(o, LedgerTxTypes());
  INFO(report.status().ToString());
  REQUIRE(report.ok());
  CHECK(report->entries == 30);
  // The bundle exported by the format 2 build still verifies, and names no engagement.
  auto exported = VerifyStatementBundle(Slurp(data + "/bundle-S29.json"), *log_key);
  INFO(exported.status().ToString());
  REQUIRE(exported.ok());
  CHECK(exported->engagement_seq == 0);

  auto ledger = Ledger::Open(data, LedgerTxTypes());
  INFO(ledger.status().ToString());
  REQUIRE(ledger.ok());
  Ledger& l = **ledger;
  auto format = LedgerFormat(l.state());
  REQUIRE(format.ok());
  CHECK(*format == 2);
  // Certifiers read as the format 2 build let them; a bundle built now carries the genesis,
  // which says format 2, and so needs no engagement.
  auto may = CertifierMayRead(l.state(), "certifier-1", "park-lanzhou", 2025);
  REQUIRE(may.ok());
  CHECK(*may);
  auto rebuilt = StatementBundle(l, "S29");
  REQUIRE(rebuilt.ok());
  CHECK(rebuilt->contains("entries"));
  CHECK((*rebuilt)["entries"].contains("0"));
  auto verified = VerifyStatementBundle(rebuilt->dump(), *log_key);
  INFO(verified.status().ToString());
  CHECK(verified.ok());
  // Format 3's types are refused by name, changing nothing.
  auto park_key = ReadPrivateKeyFile(data + "/keys/park-hefei.key");
  REQUIRE(park_key.ok());
  auto hefei = FindAccount(l.state(), "park-hefei");
  REQUIRE(hefei.ok());
  REQUIRE(hefei->has_value());
  auto tx = SignTransaction("certifier.engage", l.origin(), "park-hefei", (*hefei)->nonce + 1,
                            {{"certifier", "certifier-1"}, {"year", 2025}}, park_key->key);
  REQUIRE(tx.ok());
  auto r = l.Submit(*tx);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().reason() == "ledger.format");
  CHECK(l.size() == 30);
}

TEST_CASE("a format 3 data directory is served and replayed under format 3's rules",
          "[verify][format]") {
  testing::TempDir dir;
  const std::string data = CopyFixture(dir, "ledger-v3");
  const std::string pub = Slurp(data + "/keys/log.pub");
  auto log_key = ParsePublicKey(pub.substr(0, pub.find('\n')));
  REQUIRE(log_key.ok());
  VerifyOptions o;
  o.data_dir = data;
  o.trusted_log_key = *log_key;
  auto report = VerifyLedger(o, LedgerTxTypes());
  INFO(report.status().ToString());
  REQUIRE(report.ok());
  CHECK(report->entries == 31);
  CHECK(report->unchecked.empty());
  // The bundle the format 3 build exported verifies, as bundle/1, recomputed.
  auto exported = VerifyStatementBundle(Slurp(data + "/bundle-S30.json"), *log_key);
  INFO(exported.status().ToString());
  REQUIRE(exported.ok());
  CHECK(exported->verdict == "pass");
  CHECK(exported->recomputed);
  CHECK(exported->engagement_seq == 29);

  auto ledger = Ledger::Open(data, LedgerTxTypes());
  REQUIRE(ledger.ok());
  Ledger& l = **ledger;
  auto format = LedgerFormat(l.state());
  REQUIRE(format.ok());
  CHECK(*format == 3);
  // A bundle built now is still bundle/1, entries of version 1, and verifies.
  auto rebuilt = StatementBundle(l, "S30");
  REQUIRE(rebuilt.ok());
  CHECK((*rebuilt)["format"] == "carbonledger.bundle/1");
  auto verified = VerifyStatementBundle(rebuilt->dump(), *log_key);
  INFO(verified.status().ToString());
  CHECK(verified.ok());
  // The inventory stays readable from its entry.
  auto inv = CurrentInventory(l, "park-hefei", 2025);
  REQUIRE(inv.ok());
  REQUIRE(inv->has_value());
  CHECK_FALSE((*inv)->document.empty());
  CHECK_FALSE((*inv)->content_sha256.empty());
  // Format 4's confidential form is refused by name, changing nothing.
  auto park_key = ReadPrivateKeyFile(data + "/keys/park-hefei.key");
  REQUIRE(park_key.ok());
  auto hefei = FindAccount(l.state(), "park-hefei");
  REQUIRE(hefei.ok());
  REQUIRE(hefei->has_value());
  auto sealed = certification::SealInventory(nlohmann::json::parse((*inv)->document));
  REQUIRE(sealed.ok());
  auto tx = SignTransaction("inventory.record", l.origin(), "park-hefei", (*hefei)->nonce + 1,
                            {{"year", 2025},
                             {"commitment", sealed->commitment},
                             {"supersedes", (*inv)->seq},
                             {"reason", "confidential form"}},
                            park_key->key);
  REQUIRE(tx.ok());
  tx->tx.confidential = sealed->attachment;
  auto r = l.Submit(*tx);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().reason() == "ledger.format");
  CHECK(l.size() == 31);
}
