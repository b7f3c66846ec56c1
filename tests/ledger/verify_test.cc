#include "ledger/log/verify.h"
#include "ledger/certification/transaction_types.h"

#include <leveldb/db.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>

#include "crypto/encoding.h"
#include "ledger/log/internal/batch.h"
#include "ledger/log/internal/db.h"
#include "ledger/log/internal/store_keys.h"
#include "ledger/log/pipeline.h"
#include "tests/support/ledger_fixture.h"

using namespace carbonledger;
using testing::LedgerFixture;

namespace {

// A small ledger with every kind of record: accounts, key rotations, a replaced key.
void Populate(LedgerFixture& fx) {
  for (int i = 0; i < 12; ++i) fx.CreateAccount("acct-" + std::to_string(i), "trader");
  fx.CreateAccount("park-a", "park", {{"name", "A"}, {"region", "340000"}});
  for (int i = 0; i < 3; ++i) {
    SigningKey k = SigningKey::Generate();
    REQUIRE(fx.Send("park-a", "account.rotate_key",
                    {{"public_key", Base64Encode(AsBytes(k.public_key()))}})
                .ok());
    fx.set_key("park-a", k);
  }
}

std::map<std::string, std::string> ReadAll(leveldb::DB* db) {
  std::map<std::string, std::string> all;
  std::unique_ptr<leveldb::Iterator> it(db->NewIterator(Database::ReadOpts()));
  for (it->SeekToFirst(); it->Valid(); it->Next())
    all[it->key().ToString()] = it->value().ToString();
  return all;
}

void Write(leveldb::DB* db, const std::string& key, const std::optional<std::string>& v) {
  leveldb::WriteOptions wo;  // not synced: the test does not crash
  if (v) {
    REQUIRE(db->Put(wo, key, *v).ok());
  } else {
    REQUIRE(db->Delete(wo, key).ok());
  }
}

std::string Describe(const std::string& key) {
  if (key.rfind("e/", 0) == 0 && key.size() == 10) {
    uint64_t seq = 0;
    for (int i = 2; i < 10; ++i) seq = seq << 8 | uint8_t(key[size_t(i)]);
    return "entry record " + std::to_string(seq);
  }
  if (key.rfind("n/", 0) == 0) return "tree node " + HexEncode(key.substr(2));
  return key;
}

}  // namespace

TEST_CASE("verify-ledger passes on an untouched ledger", "[ledger][verify]") {
  LedgerFixture fx;
  Populate(fx);
  uint64_t size = fx.ledger().size();
  fx.Close();
  VerifyOptions o;
  o.data_dir = fx.data_dir();
  auto r = VerifyLedger(o, LedgerTxTypes());
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  CHECK(r->entries == size);
  CHECK(r->state_records > size);  // accounts, tx index, config
  // A log key the verifier trusts that is not the ledger's is refused.
  o.trusted_log_key =
      NamedPublicKey{"carbonledger.local/ledger", SigningKey::Generate().public_key()};
  CHECK(VerifyLedger(o, LedgerTxTypes()).status().reason() == "verify.log_key");
}

TEST_CASE("every flipped byte, deleted record and reordered entry is detected",
          "[ledger][verify][tamper]") {
  LedgerFixture fx;
  Populate(fx);
  fx.Close();
  auto database = OpenDatabase(LedgerDbPath(fx.data_dir()));
  REQUIRE(database.ok());
  leveldb::DB* dir = (*database)->db();  // mutated and verified through one handle
  VerifyOptions o;
  const auto original = ReadAll(dir);
  auto VerifyLedger = [&](const VerifyOptions& opts) {
    return VerifyDatabase(dir, opts, LedgerTxTypes());
  };
  std::mt19937 rng(11);
  int tried = 0, detected = 0;
  auto expect_failure = [&](const std::string& what, const std::string& key,
                            const std::optional<std::string>& mutated) {
    Write(dir, key, mutated);
    auto r = VerifyLedger(o);
    ++tried;
    INFO(what << " of " << Describe(key));
    CHECK_FALSE(r.ok());
    if (!r.ok()) {
      ++detected;
      // Damage to an entry record is reported at that entry.
      if (key.rfind("e/", 0) == 0 && key.size() == 10) {
        CHECK(r.status().message().find("entry " + Describe(key).substr(13)) != std::string::npos);
      }
    }
    auto was = original.find(key);
    Write(dir, key, was == original.end() ? std::nullopt : std::optional(was->second));
  };
  for (const auto& [key, value] : original) {
    // Flip one bit at three offsets: start, middle, end.
    for (size_t off : {size_t(0), value.size() / 2, value.size() - 1}) {
      if (value.empty()) break;
      std::string v = value;
      v[off] = char(v[off] ^ (1 << (rng() % 8)));
      expect_failure("bit flip at " + std::to_string(off), key, v);
    }
    expect_failure("deletion", key, std::nullopt);
    if (!value.empty()) expect_failure("truncation", key, value.substr(0, value.size() - 1));
  }
  // Reorder: swap two entry records.
  auto e3 = original.find(std::string("e/\0\0\0\0\0\0\0\3", 10));
  auto e4 = original.find(std::string("e/\0\0\0\0\0\0\0\4", 10));
  REQUIRE((e3 != original.end() && e4 != original.end()));
  Write(dir, e3->first, e4->second);
  Write(dir, e4->first, e3->second);
  auto swapped = VerifyLedger(o);
  ++tried;
  CHECK(swapped.status().message().find("entry 3") != std::string::npos);
  detected += swapped.ok() ? 0 : 1;
  Write(dir, e3->first, e3->second);
  Write(dir, e4->first, e4->second);
  // An extra record that no entry implies.
  expect_failure("insertion", "s/a/intruder", std::string("{}"));
  expect_failure("insertion", std::string("e/\0\0\0\0\0\0\1\0", 10), original.begin()->second);

  CHECK(detected == tried);
  WARN("record tampering: detected " << detected << " / " << tried);
  REQUIRE(VerifyLedger(o).ok());  // every mutation was undone
}

TEST_CASE("damage to the database files themselves is detected", "[ledger][verify][tamper]") {
  LedgerFixture fx;
  Populate(fx);
  fx.Close();
  const std::string db_dir = LedgerDbPath(fx.data_dir());
  {
    auto db = OpenDatabase(db_dir);
    REQUIRE(db.ok());
    (*db)->db()->CompactRange(nullptr, nullptr);  // move everything into table files
  }
  std::vector<std::string> tables;
  for (auto& f : std::filesystem::directory_iterator(db_dir)) {
    if (f.path().extension() == ".ldb") tables.push_back(f.path().string());
  }
  REQUIRE_FALSE(tables.empty());
  std::mt19937 rng(5);
  VerifyOptions o;
  o.data_dir = fx.data_dir();
  std::map<std::string, std::string> before;
  {
    auto db = OpenDatabase(db_dir);
    REQUIRE(db.ok());
    before = ReadAll((*db)->db());
  }
  int tried = 0, detected = 0, harmless = 0;
  for (int i = 0; i < 24; ++i) {
    const std::string& file = tables[rng() % tables.size()];
    std::fstream io(file, std::ios::in | std::ios::out | std::ios::binary);
    io.seekg(0, std::ios::end);
    auto size = size_t(io.tellg());
    // Data blocks and their checksums: the footer's padding is not data.
    size_t off = rng() % (size - 48);
    io.seekg(std::streamoff(off));
    char c = 0;
    io.read(&c, 1);
    io.seekp(std::streamoff(off));
    char flipped = char(c ^ 0x10);
    io.write(&flipped, 1);
    io.close();
    ++tried;
    auto r = VerifyLedger(o, LedgerTxTypes());
    if (!r.ok()) {
      ++detected;
    } else {
      // LevelDB ignores damage to a table's optional meta blocks (the Bloom filter): then
      // no record may have changed, or the damage went unseen.
      auto db = OpenDatabase(db_dir);
      REQUIRE(db.ok());
      INFO("offset " << off << " of " << file << " passed verification");
      CHECK(ReadAll((*db)->db()) == before);
      ++harmless;
    }
    std::fstream back(file, std::ios::in | std::ios::out | std::ios::binary);
    back.seekp(std::streamoff(off));
    back.write(&c, 1);
  }
  WARN("file byte flips: detected " << detected << ", harmless " << harmless << " / " << tried);
  CHECK(detected + harmless == tried);
  CHECK(detected >= tried * 3 / 4);
}

// A transaction signed for another log, appended with the chain, the tree, the state it would
// imply and a freshly signed checkpoint all recomputed: only the tx.ledger check can find it,
// and the replay runs it exactly as the live writer does.
TEST_CASE("verify-ledger refuses an entry whose transaction names another log",
          "[verify][pipeline]") {
  LedgerFixture fx;
  Populate(fx);
  const uint64_t seq = fx.ledger().size();
  const uint64_t last_ms = fx.ledger().GetEntry(seq - 1)->entry.accepted_ms;
  auto foreign =
      SignTransaction("account.create", "another.example/log", fx.op(), 1000,
                      {{"account", "intruder"},
                       {"role", "trader"},
                       {"public_key", Base64Encode(AsBytes(SigningKey::Generate().public_key()))}},
                      fx.key(fx.op()));
  REQUIRE(foreign.ok());
  // The live path refuses it outright.
  auto live = fx.ledger().Submit(*foreign);
  REQUIRE_FALSE(live.ok());
  CHECK(live.status().reason() == "tx.ledger");
  fx.Close();

  auto database = OpenDatabase(LedgerDbPath(fx.data_dir()));
  REQUIRE(database.ok());
  leveldb::DB* db = (*database)->db();
  {
    std::string last;
    REQUIRE(db->Get(Database::ReadOpts(), keys::Entry(seq - 1), &last).ok());
    Hash chain = *HashFromBytes(std::string_view(last).substr(0, 32));
    class Nodes : public merkle::NodeReader {
     public:
      explicit Nodes(leveldb::DB* db) : db_(db) {}
      Result<Hash> Node(int level, uint64_t index) const override {
        std::string v;
        if (!db_->Get(Database::ReadOpts(), keys::Node(level, index), &v).ok()) {
          return Status::NotFound("test", "node");
        }
        return HashFromBytes(v);
      }

     private:
      leveldb::DB* db_;
    } nodes(db);
    auto frontier = merkle::Frontier::Load(seq, nodes);
    REQUIRE(frontier.ok());

    // The state the entry implies, computed by the pipeline with the origin check left out.
    class DbReader : public StateReader {
     public:
      explicit DbReader(leveldb::DB* db) : db_(db) {}
      Result<std::optional<std::string>> Get(const std::string& key) const override {
        std::string v;
        auto s = db_->Get(Database::ReadOpts(), keys::State(key), &v);
        if (s.IsNotFound()) return std::optional<std::string>();
        return std::optional<std::string>(v);
      }
      Status Scan(const std::string&, const ScanFn&) const override { return Status::OK(); }

     private:
      leveldb::DB* db_;
    } committed(db);
    StateTxn state(committed);
    const TxType* type = LedgerTxTypes().Find("account.create");
    REQUIRE(type != nullptr);
    Admission admission{type, type->ValidateBody(foreign->tx)};
    TxContext ctx{foreign->tx, seq, last_ms + 1};
    auto applied = Apply(
        LedgerTxTypes(), admission, ctx, [](const PublicKey&) { return Status::OK(); }, false,
        state);
    REQUIRE(applied.ok());

    auto log_key = ReadPrivateKeyFile(LogKeyPath(fx.data_dir()));
    REQUIRE(log_key.ok());
    BatchBuilder batch(std::move(*frontier), chain);
    batch.Append(Entry{seq, last_ms + 1, applied->signer_key, foreign->signature,
                       foreign->tx.canonical, kEntryVersion2, applied->note});
    batch.Finish(state, "carbonledger.local/ledger", *log_key);
    leveldb::WriteOptions wo;
    wo.sync = true;
    REQUIRE(db->Write(wo, &batch.batch()).ok());
  }
  VerifyOptions o;
  auto r = VerifyDatabase(db, o, LedgerTxTypes());
  REQUIRE_FALSE(r.ok());
  INFO(r.status().ToString());
  CHECK(r.status().reason() == "verify.entry");
  CHECK(r.status().message().find("entry " + std::to_string(seq) + ":") != std::string::npos);
  CHECK(r.status().message().find("tx.ledger") != std::string::npos);
}
