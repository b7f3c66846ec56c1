// Signed things expire, and no transaction stops the writer (docs/ledger-format.md
// §Transactions, §Processing order and errors): the validity window (`not_after`, at most the
// ledger's max_tx_validity_s ahead), the replay of a refused transaction once it would succeed,
// and a type whose rule throws ("tx.internal", refused alone, the batch and the writer unharmed).
#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "ledger/certification/transaction_types.h"
#include "ledger/log/verify.h"
#include "tests/ledger/registry_test_util.h"

using namespace carbonledger;
using testing::MonthsAgo;
using testing::RegistryFixture;
using testing::WallMs;

namespace {

// Signs `tx` as `signer` would, whatever its shape (SignTransaction always sets not_after).
SignedTransaction SignRaw(const nlohmann::json& object, const SigningKey& key) {
  auto tx = TransactionFromJson(object);
  REQUIRE(tx.ok());
  return SignedTransaction{*tx, key.Sign(tx->canonical)};
}

uint64_t Nonce(const Ledger& ledger, const std::string& account) {
  auto a = GetRecord(ledger.state(), "a/" + account);
  REQUIRE(a.ok());
  REQUIRE(a->has_value());
  return (**a)["nonce"].get<uint64_t>();
}

// verify-ledger passes on the fixture's data (closed first: LevelDB locks its directory).
void Verifies(RegistryFixture& f) {
  f.Close();
  VerifyOptions o;
  o.data_dir = f.data_dir();
  auto report = VerifyLedger(o, LedgerTxTypes());
  INFO(report.status().ToString());
  CHECK(report.ok());
}

}  // namespace

TEST_CASE("a transaction without not_after is refused by name", "[ledger][validity]") {
  RegistryFixture f;
  const uint64_t size = f.ledger().size();
  nlohmann::json o = {
      {"type", "account.rotate_key"},
      {"ledger", f.ledger().origin()},
      {"signer", "trader"},
      {"nonce", 1},
      {"body", {{"public_key", Base64Encode(AsBytes(SigningKey::Generate().public_key()))}}}};
  auto r = f.ledger().Submit(SignRaw(o, f.key("trader")));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().reason() == "tx.not_after");
  CHECK(f.ledger().size() == size);
  CHECK(Nonce(f.ledger(), "trader") == 0);
}

TEST_CASE("an expired transaction is refused and changes nothing", "[ledger][validity]") {
  RegistryFixture f;
  const uint64_t size = f.ledger().size();
  auto stx =
      SignTransaction("account.rotate_key", f.ledger().origin(), "trader", 1,
                      {{"public_key", Base64Encode(AsBytes(SigningKey::Generate().public_key()))}},
                      f.key("trader"), WallMs() - 1);
  REQUIRE(stx.ok());
  auto r = f.ledger().Submit(*stx);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().reason() == "tx.expired");
  CHECK(r.status().code() == Code::kUnprocessable);
  CHECK(f.ledger().size() == size);
  CHECK(Nonce(f.ledger(), "trader") == 0);
  Verifies(f);
}

TEST_CASE("a validity window beyond the ledger's bound is refused", "[ledger][validity]") {
  GenesisOptions g;
  g.max_tx_validity_s = 3600;  // the smallest bound: clients sign for an hour by default
  RegistryFixture f(g);
  auto sign = [&](uint64_t nonce, uint64_t not_after) {
    auto stx = SignTransaction(
        "account.rotate_key", f.ledger().origin(), "trader", nonce,
        {{"public_key", Base64Encode(AsBytes(SigningKey::Generate().public_key()))}},
        f.key("trader"), not_after);
    REQUIRE(stx.ok());
    return *stx;
  };
  auto far = f.ledger().Submit(sign(1, WallMs() + 7200'000));
  REQUIRE_FALSE(far.ok());
  CHECK(far.status().reason() == "tx.not_after");
  CHECK(far.status().message().find("at most 3600 s") != std::string::npos);
  // Within the bound the same transaction is accepted.
  auto near = f.ledger().Submit(sign(1, WallMs() + 1800'000));
  INFO(near.status().ToString());
  CHECK(near.ok());
  Verifies(f);
}

TEST_CASE("the genesis bounds the validity window to 1 hour .. 7 days", "[ledger][validity]") {
  for (uint64_t seconds : {uint64_t(3599), uint64_t(7 * 24 * 3600 + 1)}) {
    GenesisOptions g;
    g.max_tx_validity_s = seconds;
    testing::TempDir dir;
    Status s = InitLedger(dir.path(), g);
    CHECK(s.reason() == "genesis.max_tx_validity");
  }
}

TEST_CASE("a refused transfer cannot be replayed after its window, once it would succeed",
          "[ledger][validity]") {
  RegistryFixture f;
  // park-a holds nothing: its signed transfer of 500 GECs to trader is refused...
  const uint64_t not_after = WallMs() + 400;
  auto transfer =
      SignTransaction("unit.transfer", f.ledger().origin(), "park-a", 1,
                      {{"to", "trader"}, {"ops", {{{"instrument", "GEC"}, {"quantity", 500}}}}},
                      f.key("park-a"), not_after);
  REQUIRE(transfer.ok());
  auto first = f.ledger().Submit(*transfer);
  REQUIRE_FALSE(first.ok());
  CHECK(first.status().reason() == "holdings.insufficient");
  CHECK(Nonce(f.ledger(), "park-a") == 0);  // a refused transaction uses no nonce

  // ...then park-a is funded. A third party who captured the signed transfer replays it once
  // its window has passed: refused for its own reason, whatever the state now allows.
  f.IssueGec("wind-1", MonthsAgo(3), 1000);
  f.Ok("po", "unit.transfer",
       {{"to", "park-a"}, {"ops", {{{"instrument", "GEC"}, {"quantity", 1000}}}}});
  while (WallMs() <= not_after + 5) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const uint64_t size = f.ledger().size();
  auto replay = f.ledger().Submit(*transfer);
  REQUIRE_FALSE(replay.ok());
  CHECK(replay.status().reason() == "tx.expired");
  CHECK(f.ledger().size() == size);
  CHECK(f.Held("park-a", "GEC") == 1000);
  CHECK(f.Held("trader", "GEC") == 0);
  Verifies(f);
}

namespace {

// A transaction type whose functions throw on demand: a stand-in for a rule's bug.
struct ThrowBody {
  bool throw_in_apply = false;
};

Result<ThrowBody> ValidateThrow(const Transaction& tx) {
  if (tx.body.contains("validate")) {
    // What a careless rule does with untrusted JSON: nlohmann type_error.302.
    (void)tx.body["validate"].get<std::string>();
  }
  ThrowBody b;
  b.throw_in_apply = tx.body.contains("apply");
  return b;
}

Status ApplyThrow(const TxContext& ctx, const ThrowBody& b, StateTxn& state) {
  state.Put("x/" + std::to_string(ctx.seq), "written before the throw");
  if (b.throw_in_apply) throw std::runtime_error("boom");
  return Status::OK();
}

const TxTypeTable& TableWithThrowingType() {
  static const TxTypeTable table = [] {
    std::vector<TxType> types = LedgerTxTypes().types();
    types.emplace_back("test.throw", std::vector<std::string>{}, &ValidateThrow, &ApplyThrow);
    return TxTypeTable(std::move(types), LedgerTxTypes().signers());
  }();
  return table;
}

}  // namespace

TEST_CASE("a rule that throws refuses its transaction alone and the writer lives on",
          "[ledger][validity][internal]") {
  testing::TempDir dir;
  REQUIRE(InitLedger(dir.path(), GenesisOptions{}).ok());
  auto op = ReadPrivateKeyFile(OperatorKeyPath(dir.path()));
  REQUIRE(op.ok());
  std::vector<std::string> logged;
  LedgerOptions o;
  o.data_dir = dir.path();
  o.on_internal_error = [&logged](const Transaction& tx, const Status& s) {
    logged.push_back(tx.type + " " + s.reason());
  };
  auto opened = Ledger::Open(o, TableWithThrowingType());
  REQUIRE(opened.ok());
  Ledger& ledger = **opened;
  auto sign = [&](uint64_t nonce, const std::string& type, nlohmann::json body) {
    auto stx = SignTransaction(type, ledger.origin(), "operator", nonce, std::move(body), op->key);
    REQUIRE(stx.ok());
    return *stx;
  };
  auto account = [&](const std::string& id) {
    return nlohmann::json{
        {"account", id},
        {"role", "trader"},
        {"public_key", Base64Encode(AsBytes(SigningKey::Generate().public_key()))}};
  };
  // Three submissions queued together, so they share one group commit: the throwing one in the
  // middle is refused and the other two are committed.
  std::vector<std::promise<Result<Receipt>>> done(4);
  ledger.SubmitAsync(sign(2, "account.create", account("t-1")),
                     [&](Result<Receipt> r) { done[0].set_value(std::move(r)); });
  ledger.SubmitAsync(sign(3, "test.throw", {{"apply", true}}),
                     [&](Result<Receipt> r) { done[1].set_value(std::move(r)); });
  ledger.SubmitAsync(sign(4, "account.create", account("t-2")),
                     [&](Result<Receipt> r) { done[2].set_value(std::move(r)); });
  ledger.SubmitAsync(sign(5, "test.throw", {{"validate", 7}}),
                     [&](Result<Receipt> r) { done[3].set_value(std::move(r)); });
  auto a = done[0].get_future().get();
  auto thrown = done[1].get_future().get();
  auto b = done[2].get_future().get();
  auto invalid = done[3].get_future().get();
  INFO(a.status().ToString() << " / " << b.status().ToString());
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE_FALSE(thrown.ok());
  CHECK(thrown.status().reason() == "tx.internal");
  CHECK(thrown.status().code() == Code::kInternal);
  CHECK(thrown.status().message().find("test.throw") != std::string::npos);
  REQUIRE_FALSE(invalid.ok());
  CHECK(invalid.status().reason() == "tx.internal");
  CHECK(logged == std::vector<std::string>{"test.throw tx.internal", "test.throw tx.internal"});
  // Nothing of the refused transactions remains: not the write before the throw, not a nonce.
  CHECK(ledger.size() == 3);
  auto written = ledger.state().Get("x/2");
  REQUIRE(written.ok());
  CHECK_FALSE(written->has_value());
  CHECK(Nonce(ledger, "operator") == 4);
  // The writer is alive: a later transaction with the refused one's nonce is accepted.
  auto later = ledger.Submit(sign(5, "test.throw", nlohmann::json::object()));
  INFO(later.status().ToString());
  CHECK(later.ok());
}
