// Fuzz target: every transaction type's rules (LedgerTxTypes(): the registry's and the
// certification's), driven with arbitrary bodies over a real state in memory that holds a small
// registry like the demo's (docs/demo.md): parks, owners, a trader, a certifier, an auditor, a
// second registry account, generators, a linked and an unlinked credit project, issued, moved,
// claimed and retired units, a retirement another account made for a park, and a park-year's
// engagement of the certifier.
//
// Input: a transaction as JSON, `{"type","signer","body"}` (or a submission `{"tx":{…}}`, so
// the transaction target's seeds serve here too). Its ledger, nonce and validity window are
// set so that it reaches the rules: the world's origin, the signer's next nonce, and a
// not_after one hour after the fixed acceptance time. The signature is taken as valid for the
// signer's current key (verify-ledger's replay does the same: ApplyTransaction).
//
// Invariants:
//  1. No exception escapes a rule, and no rule throws: a refusal is never "tx.internal" (which
//     is how the pipeline reports a rule that threw).
//  2. A refused transaction changes nothing: its StateTxn holds no writes.
//  3. An accepted one writes its signer's nonce and its idempotency record.
//  4. Rules are deterministic: the same transaction over the same state gives the same status
//     and the same writes.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "crypto/canonical_json.h"
#include "ledger/certification/transaction_types.h"
#include "ledger/log/pipeline.h"
#include "ledger/log/state.h"
#include "ledger/registry/accounts.h"
#include "ledger/registry/genesis.h"
#include "tests/fuzz/fuzz_util.h"

using namespace carbonledger;

namespace {

// 2026-02-01T00:00:00Z: after every issued month and vintage, within the GECs' validity.
constexpr uint64_t kAcceptedMs = 1769904000000;
constexpr uint64_t kNotAfterMs = kAcceptedMs + kDefaultTxValidityMs;
const std::string kOrigin = "fuzz.carbonledger/rules";

struct World {
  MemoryState state;
  std::map<std::string, SigningKey> keys;
  uint64_t next_seq = 0;
};

void Setup(World& w, const std::string& signer, const std::string& type, nlohmann::json body) {
  auto record = GetRecord(w.state, AccountKey(signer));
  uint64_t nonce = 1;
  if (record.ok() && record->has_value()) nonce = (**record)["nonce"].get<uint64_t>() + 1;
  const SigningKey& key = w.keys.at(signer);
  auto stx = SignTransaction(type, kOrigin, signer, nonce, std::move(body), key, kNotAfterMs);
  FUZZ_CHECK(stx.ok());
  StateTxn txn(w.state);
  TxContext ctx{stx->tx, w.next_seq, kAcceptedMs};
  Status s = ApplyTransaction(LedgerTxTypes(), ctx, key.public_key(), txn).status();
  if (!s.ok()) std::fprintf(stderr, "setup %s: %s\n", type.c_str(), s.ToString().c_str());
  FUZZ_CHECK(s.ok());
  w.state.Apply(txn);
  ++w.next_seq;
}

void Account(World& w, const std::string& id, const std::string& role,
             nlohmann::json extra = nlohmann::json::object()) {
  w.keys.emplace(id, fuzz::FixedKey(char('A' + w.keys.size())));
  nlohmann::json body = {{"account", id},
                         {"role", role},
                         {"public_key", Base64Encode(AsBytes(w.keys.at(id).public_key()))}};
  body.update(extra);
  Setup(w, "operator", "account.create", body);
}

nlohmann::json Ops(nlohmann::json op) { return {{"ops", nlohmann::json::array({op})}}; }

const World& TheWorld() {
  static const World* world = [] {
    auto* w = new World;
    w->keys.emplace("operator", fuzz::FixedKey('@'));
    GenesisOptions g;
    g.origin = kOrigin;
    g.not_after_ms = kNotAfterMs;
    auto genesis = MakeGenesis(g, w->keys.at("operator"), fuzz::FixedKey('#').public_key());
    FUZZ_CHECK(genesis.ok());
    StateTxn txn(w->state);
    TxContext ctx{genesis->tx, 0, kAcceptedMs};
    FUZZ_CHECK(
        ApplyTransaction(LedgerTxTypes(), ctx, w->keys.at("operator").public_key(), txn).ok());
    w->state.Apply(txn);
    w->next_seq = 1;
    Account(*w, "park-hefei", "park", {{"name", "Hefei"}, {"region", "340100"}});
    Account(*w, "park-lanzhou", "park", {{"name", "Lanzhou"}, {"region", "620100"}});
    Account(*w, "wind-gansu", "project_owner");
    Account(*w, "solar-anhui", "project_owner");
    Account(*w, "forest-anhui", "project_owner");
    Account(*w, "hefei-inclusive", "project_owner");
    Account(*w, "trader-1", "trader");
    Account(*w, "certifier-1", "certifier");
    Account(*w, "auditor-1", "auditor");
    Account(*w, "issuer-2", "registry");
    Setup(*w, "operator", "generator.register",
          {{"generator", "gen-jiuquan-wind"},
           {"owner", "wind-gansu"},
           {"technology", "wind"},
           {"capacity_kw", 100000},
           {"region", "620000"}});
    Setup(*w, "operator", "generator.register",
          {{"generator", "gen-huainan-solar"},
           {"owner", "solar-anhui"},
           {"technology", "solar"},
           {"capacity_kw", 50000},
           {"region", "340000"}});
    Setup(*w, "operator", "project.register",
          {{"project", "ccer-dabie-forest"},
           {"instrument", "CCER"},
           {"owner", "forest-anhui"},
           {"methodology", "CCER-14-001-V01"},
           {"sector", "forestry"},
           {"region", "340000"}});
    Setup(*w, "operator", "project.register",
          {{"project", "ccer-jiuquan-wind"},
           {"instrument", "CCER"},
           {"owner", "wind-gansu"},
           {"methodology", "CCER-01-001-V01"},
           {"sector", "energy"},
           {"region", "620000"},
           {"generator", "gen-jiuquan-wind"}});
    Setup(*w, "operator", "project.register",
          {{"project", "cic-hefei-pv"},
           {"instrument", "CIC"},
           {"owner", "hefei-inclusive"},
           {"methodology", "AH-PHCER-PV-01"},
           {"scenario", "distributed rooftop PV"},
           {"region", "340100"}});
    Setup(*w, "operator", "gec.issue",
          Ops({{"generator", "gen-jiuquan-wind"}, {"month", "2025-03"}, {"quantity", 40000}}));
    Setup(*w, "operator", "gec.issue",
          Ops({{"generator", "gen-huainan-solar"}, {"month", "2025-06"}, {"quantity", 20000}}));
    Setup(*w, "operator", "credit.issue",
          Ops({{"project", "ccer-dabie-forest"}, {"vintage", "2024"}, {"quantity", 5000}}));
    Setup(*w, "operator", "credit.issue",
          Ops({{"project", "cic-hefei-pv"}, {"vintage", "2025"}, {"quantity", 1500}}));
    Setup(*w, "wind-gansu", "unit.transfer",
          {{"to", "park-hefei"}, {"ops", {{{"instrument", "GEC"}, {"quantity", 25000}}}}});
    Setup(*w, "wind-gansu", "unit.transfer",
          {{"to", "trader-1"}, {"ops", {{{"instrument", "GEC"}, {"quantity", 5000}}}}});
    Setup(*w, "forest-anhui", "unit.transfer",
          {{"to", "park-hefei"}, {"ops", {{{"instrument", "CCER"}, {"quantity", 2000}}}}});
    Setup(*w, "hefei-inclusive", "unit.transfer",
          {{"to", "trader-1"}, {"ops", {{{"instrument", "CIC"}, {"quantity", 900}}}}});
    Setup(*w, "park-hefei", "gec.claim", Ops({{"reporting_year", 2025}, {"quantity", 10000}}));
    Setup(*w, "park-hefei", "credit.retire",
          Ops({{"instrument", "CCER"},
               {"quantity", 500},
               {"beneficiary", "park-hefei"},
               {"reporting_year", 2025},
               {"purpose", "carbon_neutrality"}}));
    // R26.0: retired for park-hefei by another account, for retirement.accept to accept.
    Setup(*w, "trader-1", "credit.retire",
          Ops({{"instrument", "CIC"},
               {"quantity", 100},
               {"beneficiary", "park-hefei"},
               {"reporting_year", 2025},
               {"purpose", "carbon_neutrality"}}));
    // park-hefei 2025 engages certifier-1, for statement.record and certifier.revoke to meet.
    Setup(*w, "park-hefei", "certifier.engage", {{"certifier", "certifier-1"}, {"year", 2025}});
    return w;
  }();
  return *world;
}

struct Outcome {
  Status status;
  std::map<std::string, std::optional<std::string>> writes;
};

Outcome Run(const World& w, const Transaction& tx, const PublicKey& key) {
  StateTxn txn(w.state);
  TxContext ctx{tx, w.next_seq, kAcceptedMs};
  Status s = ApplyTransaction(LedgerTxTypes(), ctx, key, txn).status();
  return {s, txn.writes()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const World& w = TheWorld();
  auto parsed = ParseStrictJson(fuzz::AsText(data, size));
  if (!parsed.ok() || !parsed->is_object()) return 0;
  nlohmann::json tx = parsed->contains("tx") ? (*parsed)["tx"] : *parsed;
  if (!tx.is_object()) return 0;
  auto text = [&](const char* field, const char* fallback) {
    auto it = tx.find(field);
    return it != tx.end() && it->is_string() ? it->get<std::string>() : std::string(fallback);
  };
  const std::string type = text("type", "unit.transfer");
  const std::string signer = text("signer", "park-hefei");
  nlohmann::json body =
      tx.contains("body") && tx["body"].is_object() ? tx["body"] : nlohmann::json::object();

  // The signer's next nonce and current key, so the transaction reaches its type's rules.
  uint64_t nonce = 1;
  auto record = GetRecord(w.state, AccountKey(signer));
  if (record.ok() && record->has_value() && (**record)["nonce"].is_number_unsigned()) {
    nonce = (**record)["nonce"].get<uint64_t>() + 1;
  }
  auto known = w.keys.find(signer);
  const SigningKey key = known != w.keys.end() ? known->second : fuzz::FixedKey('~');
  auto stx = SignTransaction(type, kOrigin, signer, nonce, body, key, kNotAfterMs);
  if (!stx.ok()) return 0;  // not a transaction at all (a bad type name or signer id)

  // 1. (an exception escaping would end the run here)
  const Outcome first = Run(w, stx->tx, key.public_key());
  if (!first.status.ok()) {
    if (first.status.reason() == "tx.internal") {
      std::fprintf(stderr, "%s\n", first.status.ToString().c_str());
    }
    FUZZ_CHECK(first.status.reason() != "tx.internal");
    FUZZ_CHECK(!first.status.reason().empty());
    // 2.
    FUZZ_CHECK(first.writes.empty());
  } else {
    // 3.
    FUZZ_CHECK(first.writes.count(AccountKey(signer)) == 1);
    FUZZ_CHECK(first.writes.count(TxIndexKey(stx->tx.id)) == 1);
  }
  // 4.
  const Outcome again = Run(w, stx->tx, key.public_key());
  FUZZ_CHECK(again.status.ok() == first.status.ok());
  FUZZ_CHECK(again.status.reason() == first.status.reason());
  FUZZ_CHECK(again.status.message() == first.status.message());
  FUZZ_CHECK(again.writes == first.writes);
  return 0;
}
