// A mirror's store (ledger/log/mirror.cc): entries signed elsewhere are appended only when they
// replay under verify-ledger's rules and make the tree the log's checkpoint signs; what is
// stored passes verify-ledger; a bad batch changes nothing.
#include <catch2/catch.hpp>

#include "ledger/log/verify.h"
#include "ledger/registry/accounts.h"
#include "tests/support/fork_store.h"
#include "tests/support/inventory_doc.h"
#include "tests/support/ledger_fixture.h"

using namespace carbonledger;
using carbonledger::testing::LedgerFixture;
using carbonledger::testing::TempDir;

namespace {

std::vector<std::string> EntryBytes(const Ledger& l, uint64_t from, uint64_t to) {
  std::vector<std::string> out;
  for (uint64_t seq = from; seq < to; ++seq) {
    auto e = l.GetEntry(seq);
    REQUIRE(e.ok());
    out.push_back(e->bytes);
  }
  return out;
}

// The log's checkpoint over `entries` (the first entries.size() leaves), signed with its key.
std::string SignOver(const std::string& data_dir, const std::string& origin,
                     const std::vector<std::string>& entries) {
  auto key = ReadPrivateKeyFile(LogKeyPath(data_dir));
  REQUIRE(key.ok());
  merkle::Frontier tree;
  std::vector<std::pair<merkle::NodeId, Hash>> completed;
  for (const auto& e : entries) tree.Append(LeafHash(e), &completed);
  return SignCheckpoint(Checkpoint{origin, entries.size(), tree.Root(), {}}, key->name, key->key);
}

}  // namespace

TEST_CASE("a mirror's store takes verified entries in steps and passes verify-ledger", "[mirror]") {
  LedgerFixture fx;
  for (int i = 0; i < 5; ++i) fx.CreateAccount("park-" + std::to_string(i), "certifier");
  Ledger& primary = fx.ledger();
  TempDir dir;
  LedgerOptions lo;
  lo.data_dir = dir.path();
  auto mirror = Ledger::OpenMirror(lo, primary.log_key(), LedgerTxTypes());
  REQUIRE(mirror.ok());
  CHECK((*mirror)->size() == 0);

  const std::string first = SignOver(fx.data_dir(), primary.origin(), EntryBytes(primary, 0, 3));
  REQUIRE((*mirror)->AppendVerified(EntryBytes(primary, 0, 3), first).ok());
  CHECK((*mirror)->size() == 3);
  CHECK((*mirror)->checkpoint() == first);
  REQUIRE(
      (*mirror)->AppendVerified(EntryBytes(primary, 3, primary.size()), primary.checkpoint()).ok());
  CHECK((*mirror)->checkpoint() == primary.checkpoint());
  CHECK(*(*mirror)->RootAt(3) == *primary.RootAt(3));
  auto account = GetRecord((*mirror)->state(), AccountKey("park-4"));
  REQUIRE(account.ok());
  CHECK(account->has_value());

  // Read-only: submissions are refused by name.
  auto refused = (*mirror)->Submit(
      fx.Sign(fx.op(), "account.create", {{"id", "park-x"}, {"role", "certifier"}, {"key", "x"}}));
  CHECK(refused.status().reason() == "mirror.read_only");

  mirror->reset();
  VerifyOptions vo;
  vo.data_dir = dir.path();
  vo.trusted_log_key = primary.log_key();
  auto report = VerifyLedger(vo, LedgerTxTypes());
  INFO(report.status().ToString());
  REQUIRE(report.ok());
  CHECK(report->entries == primary.size());
  CHECK(report->checkpoint == primary.checkpoint());

  // Reopened, it goes on from what it stored.
  auto reopened = Ledger::OpenMirror(lo, primary.log_key(), LedgerTxTypes());
  REQUIRE(reopened.ok());
  CHECK((*reopened)->size() == primary.size());
  fx.CreateAccount("park-5", "certifier");
  CHECK((*reopened)
            ->AppendVerified(EntryBytes(primary, primary.size() - 1, primary.size()),
                             primary.checkpoint())
            .ok());
  // Another log key than the store's genesis names is refused.
  reopened->reset();
  auto other = SigningKey::Generate();
  auto wrong = Ledger::OpenMirror(lo, NamedPublicKey{primary.log_key().name, other.public_key()},
                                  LedgerTxTypes());
  CHECK(wrong.status().reason() == "mirror.log_key");
}

TEST_CASE("a mirror's store refuses entries the rules refuse, or that do not make the signed tree",
          "[mirror]") {
  LedgerFixture fx;
  for (int i = 0; i < 4; ++i) fx.CreateAccount("park-" + std::to_string(i), "certifier");
  Ledger& primary = fx.ledger();
  TempDir dir;
  LedgerOptions lo;
  lo.data_dir = dir.path();
  auto mirror = Ledger::OpenMirror(lo, primary.log_key(), LedgerTxTypes());
  REQUIRE(mirror.ok());
  const auto all = EntryBytes(primary, 0, primary.size());
  const std::vector<std::string> head(all.begin(), all.begin() + 2);
  REQUIRE((*mirror)->AppendVerified(head, SignOver(fx.data_dir(), primary.origin(), head)).ok());
  const std::vector<std::string> rest(all.begin() + 2, all.end());

  SECTION("a signature that does not verify, in a tree the log signed") {
    auto tampered = all;
    auto e = DecodeEntry(tampered[3]);
    REQUIRE(e.ok());
    e->signature[0] ^= 1;
    tampered[3] = EncodeEntry(*e);
    const std::string note = SignOver(fx.data_dir(), primary.origin(), tampered);
    Status s = (*mirror)->AppendVerified(
        std::vector<std::string>(tampered.begin() + 2, tampered.end()), note);
    CHECK(s.reason() == "verify.entry");
    CHECK(s.message().find("entry 3: signature does not verify") != std::string::npos);
  }
  SECTION("a rule refusal: an entry replayed twice") {
    auto replayed = all;
    replayed.push_back(all[3]);
    auto e = DecodeEntry(replayed.back());
    REQUIRE(e.ok());
    e->seq = replayed.size() - 1;
    e->accepted_ms = DecodeEntry(all.back())->accepted_ms;
    replayed.back() = EncodeEntry(*e);
    const std::string note = SignOver(fx.data_dir(), primary.origin(), replayed);
    Status s = (*mirror)->AppendVerified(
        std::vector<std::string>(replayed.begin() + 2, replayed.end()), note);
    CHECK(s.reason() == "verify.entry");
    CHECK(s.message().find("replay refused it") != std::string::npos);
  }
  SECTION("entries that are not the signed tree's") {
    auto forked = all;
    auto e = DecodeEntry(forked.back());
    REQUIRE(e.ok());
    e->accepted_ms += 1;
    forked.back() = EncodeEntry(*e);
    Status s = (*mirror)->AppendVerified(std::vector<std::string>(forked.begin() + 2, forked.end()),
                                         primary.checkpoint());
    CHECK(s.reason() == "mirror.root");
  }
  SECTION("a checkpoint for another size") {
    CHECK((*mirror)->AppendVerified({rest[0]}, primary.checkpoint()).reason() == "mirror.size");
  }
  SECTION("a checkpoint not signed by the log key") {
    auto other = SigningKey::Generate();
    merkle::Frontier tree;
    std::vector<std::pair<merkle::NodeId, Hash>> completed;
    for (const auto& b : all) tree.Append(LeafHash(b), &completed);
    const std::string note = SignCheckpoint(
        Checkpoint{primary.origin(), all.size(), tree.Root(), {}}, primary.log_key().name, other);
    CHECK((*mirror)->AppendVerified(rest, note).reason() == "checkpoint.signature");
  }
  // Nothing of a refused batch is stored.
  CHECK((*mirror)->size() == 2);
  CHECK((*mirror)->checkpoint() == SignOver(fx.data_dir(), primary.origin(), head));
}

TEST_CASE("ForkStore makes a convincing fork: re-signed, internally consistent, one entry moved",
          "[mirror]") {
  LedgerFixture fx;
  for (int i = 0; i < 6; ++i) fx.CreateAccount("park-" + std::to_string(i), "certifier");
  const std::string honest = fx.ledger().checkpoint();
  const uint64_t size = fx.ledger().size();
  fx.Close();
  TempDir dir;
  auto fork = carbonledger::testing::ForkStore(fx.data_dir(), dir.Sub("fork"));
  INFO(fork.status().ToString());
  REQUIRE(fork.ok());
  CHECK(fork->changed_seq >= size / 2);
  CHECK(fork->checkpoint != honest);
  VerifyOptions vo;
  vo.data_dir = dir.Sub("fork");
  auto report = VerifyLedger(vo, LedgerTxTypes());
  INFO(report.status().ToString());
  REQUIRE(report.ok());
  CHECK(report->checkpoint == fork->checkpoint);
  // The log's daemon opens it like its own.
  auto reopened = Ledger::Open(dir.Sub("fork"), LedgerTxTypes());
  REQUIRE(reopened.ok());
  CHECK((*reopened)->size() == size);
}

TEST_CASE("a mirror holds no confidential inventory and says what it could not check",
          "[mirror][confidential]") {
  LedgerFixture fx;
  fx.CreateAccount("park-a", "park", {{"name", "A"}, {"region", "340100"}});
  auto recorded = fx.Send("park-a", "inventory.record",
                          {{"year", 2025}, {"inventory", testing::GasInventory("park-a", 2025)}});
  REQUIRE(recorded.ok());
  Ledger& primary = fx.ledger();
  TempDir dir;
  LedgerOptions lo;
  lo.data_dir = dir.path();
  std::vector<std::string> not_checked;
  {
    auto mirror = Ledger::OpenMirror(lo, primary.log_key(), LedgerTxTypes());
    REQUIRE(mirror.ok());
    REQUIRE((*mirror)
                ->AppendVerified(EntryBytes(primary, 0, primary.size()), primary.checkpoint())
                .ok());
    not_checked = (*mirror)->NotChecked();
    // The mirror has the commitment, not the document.
    auto kept = GetRecord((*mirror)->state(), ConfidentialKey(recorded->seq));
    REQUIRE(kept.ok());
    CHECK_FALSE(kept->has_value());
  }
  const std::string line = "entry " + std::to_string(recorded->seq) +
                           ": the inventory's commitment and figures (document withheld)";
  CHECK(not_checked == std::vector<std::string>{line});
  // verify-ledger over the mirror's store passes and lists the same.
  VerifyOptions o;
  o.data_dir = dir.path();
  auto report = VerifyLedger(o, LedgerTxTypes());
  INFO(report.status().ToString());
  REQUIRE(report.ok());
  CHECK(report->unchecked == std::vector<std::string>{line});
  // Over the primary's own store everything is checked.
  fx.Close();
  VerifyOptions p;
  p.data_dir = fx.data_dir();
  auto full = VerifyLedger(p, LedgerTxTypes());
  REQUIRE(full.ok());
  CHECK(full->unchecked.empty());
}
