// carbonledger demo: loads the documented demo scenario (docs/demo.md) into a running
// carbonledgerd through its public API, as its participants would: the registry operator, two
// parks in different provinces, generator and project owners, a trader, a certifier.
// Keys of the accounts it creates are written to DIR/keys/<account>.key (mode 0600).
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "api/client/client.h"
#include "crypto/encoding.h"
#include "ledger/certification/confidential.h"
#include "ledger/registry/genesis.h"
#include "tools/carbonledger/commands.h"
#include "tools/carbonledger/flags.h"

namespace carbonledger::cli {
namespace {

// The demo's participants, their keys, and the client library that signs for them and keeps
// their nonces.
class DemoClient {
 public:
  DemoClient(const std::string& url, std::string data)
      : api_(url, {.nonce_prefix = "demo-"}), data_(std::move(data)) {}

  bool Init() {
    if (!api_.Origin().ok()) return Error("cannot reach the server");
    auto op = ReadPrivateKeyFile(OperatorKeyPath(data_));
    if (!op.ok()) return Error(op.status().ToString());
    keys_.emplace(op->name, NamedKey{op->name, op->key});
    op_ = op->name;
    return true;
  }

  const std::string& op() const { return op_; }

  // Submits a transaction signed by `signer` with its next nonce; false (and a message) on error.
  bool Tx(const std::string& signer, const std::string& type, const nlohmann::json& body,
          Receipt* receipt = nullptr) {
    // Inventories are confidential (ledger format 4): the body commits to the document, which
    // travels beside the signed transaction.
    auto sealed = certification::SealInventoryRecordBody(type, body);
    if (!sealed.ok()) return Error(type + " by " + signer + ": " + sealed.status().ToString());
    auto r = api_.SubmitNext(keys_.at(signer), type, sealed->body, sealed->attachment);
    if (!r.ok()) return Error(type + " by " + signer + ": " + r.status().ToString());
    if (receipt) *receipt = *r;
    std::cout << "  " << type << " by " << signer << " -> entry " << r->seq << "\n";
    return true;
  }

  // A signed GET; null JSON (and a message) on error.
  nlohmann::json Get(const std::string& target, const std::string& as) {
    const NamedKey& k = keys_.at(as);
    auto r = api_.SignedGetJson(target, k.name, k.key);
    if (!r.ok()) {
      Error("GET " + target + ": " + r.status().ToString());
      return nullptr;
    }
    return *r;
  }

  // Creates an account with a new key saved under DIR/keys.
  bool Account(const std::string& id, const std::string& role, nlohmann::json extra = {}) {
    SigningKey key = SigningKey::Generate();
    std::string path = data_ + "/keys/" + id + ".key";
    if (Status s = WritePrivateKeyFile(path, id, key); !s.ok()) return Error(s.ToString());
    keys_.emplace(id, NamedKey{id, key});
    nlohmann::json body = {
        {"account", id}, {"role", role}, {"public_key", Base64Encode(AsBytes(key.public_key()))}};
    if (extra.is_object()) body.update(extra);
    return Tx(op_, "account.create", body);
  }

  bool Error(const std::string& what) {
    std::cerr << "carbonledger demo: " << what << "\n";
    return false;
  }

 private:
  ApiClient api_;
  std::string data_, op_;
  std::map<std::string, NamedKey> keys_;
};

nlohmann::json Ops(nlohmann::json op) { return {{"ops", nlohmann::json::array({op})}}; }

// The demo parks' 2025 inventories (docs/demo.md).
nlohmann::json HefeiInventory() {
  return {
      {"format", "carbonledger.inventory/1"},
      {"park", {{"id", "park-hefei"}, {"name", "合肥零碳产业园 (demo)"}}},
      {"year", 2025},
      {"fuel_use",
       {{{"fuel", "natural_gas"},
         {"activity", "final_consumption"},
         {"quantity", "1300000"},
         {"unit", "Nm3"},
         {"note", "process heat and canteens"}}}},
      {"electricity",
       {{"imports",
         {{{"kind", "direct_non_fossil"}, {"quantity", "60000"}, {"unit", "MWh"}},
          {{"kind", "certificate_backed"}, {"quantity", "40000"}, {"unit", "MWh"}}}}}},
      {"indicators", {{"industrial_value_added", {{"quantity", "250000"}, {"unit", "10^4 CNY"}}}}}};
}

nlohmann::json LanzhouInventory() {
  return {{"format", "carbonledger.inventory/1"},
          {"park", {{"id", "park-lanzhou"}, {"name", "兰州新区绿色产业园 (demo)"}}},
          {"year", 2025},
          {"fuel_use",
           {{{"fuel", "diesel"},
             {"activity", "final_consumption"},
             {"quantity", "420"},
             {"unit", "t"}}}},
          {"electricity",
           {{"imports",
             {{{"kind", "grid"}, {"quantity", "20000"}, {"unit", "MWh"}},
              {{"kind", "certificate_backed"}, {"quantity", "5000"}, {"unit", "MWh"}}}}}}};
}

}  // namespace

int DemoCommand(const Args& args) {
  Flags f(args, {"server", "data"});
  if (!f.ok()) {
    std::cerr << "carbonledger: " << f.error() << "\n";
    return 2;
  }
  DemoClient c(f.GetOr("server", "http://127.0.0.1:8620"), f.GetOr("data", "data"));
  if (!c.Init()) return 1;
  const std::string op = c.op();
  std::cout << "loading the demo scenario (docs/demo.md)\n";
  bool ok =
      c.Account("park-hefei", "park", {{"name", "合肥零碳产业园 (demo)"}, {"region", "340100"}}) &&
      c.Account("park-lanzhou", "park",
                {{"name", "兰州新区绿色产业园 (demo)"}, {"region", "620100"}}) &&
      c.Account("wind-gansu", "project_owner", {{"name", "Jiuquan wind farm operator"}}) &&
      c.Account("solar-anhui", "project_owner", {{"name", "Huainan solar operator"}}) &&
      c.Account("forest-anhui", "project_owner", {{"name", "Dabie Mountains afforestation"}}) &&
      c.Account("hefei-inclusive", "project_owner",
                {{"name", "Hefei rooftop PV inclusive scheme"}}) &&
      c.Account("trader-1", "trader") &&
      c.Account("certifier-1", "certifier", {{"name", "Demo certification body"}}) &&
      c.Account("auditor-1", "auditor", {{"name", "Demo auditor"}}) &&
      // Generators and credit projects.
      c.Tx(op, "generator.register",
           {{"generator", "gen-jiuquan-wind"},
            {"name", "Jiuquan wind farm"},
            {"owner", "wind-gansu"},
            {"technology", "wind"},
            {"capacity_kw", 100000},
            {"region", "620000"}}) &&
      c.Tx(op, "generator.register",
           {{"generator", "gen-huainan-solar"},
            {"name", "Huainan floating solar"},
            {"owner", "solar-anhui"},
            {"technology", "solar"},
            {"capacity_kw", 50000},
            {"region", "340000"}}) &&
      c.Tx(op, "project.register",
           {{"project", "ccer-dabie-forest"},
            {"instrument", "CCER"},
            {"name", "Dabie Mountains afforestation"},
            {"owner", "forest-anhui"},
            {"methodology", "CCER-14-001-V01"},
            {"sector", "forestry"},
            {"region", "340000"}}) &&
      c.Tx(op, "project.register",
           {{"project", "cic-hefei-pv"},
            {"instrument", "CIC"},
            {"name", "Hefei rooftop PV inclusive credits"},
            {"owner", "hefei-inclusive"},
            {"methodology", "AH-PHCER-PV-01"},
            {"scenario", "distributed rooftop PV"},
            {"region", "340100"}}) &&
      // Issuance in serial blocks.
      c.Tx(op, "gec.issue",
           Ops({{"generator", "gen-jiuquan-wind"}, {"month", "2025-03"}, {"quantity", 40000}})) &&
      c.Tx(op, "gec.issue",
           Ops({{"generator", "gen-huainan-solar"}, {"month", "2025-06"}, {"quantity", 20000}})) &&
      c.Tx(op, "credit.issue",
           Ops({{"project", "ccer-dabie-forest"}, {"vintage", "2024"}, {"quantity", 5000}})) &&
      c.Tx(op, "credit.issue",
           Ops({{"project", "cic-hefei-pv"}, {"vintage", "2025"}, {"quantity", 1500}})) &&
      // Transfers: a partial transfer splits a block.
      c.Tx("wind-gansu", "unit.transfer",
           {{"to", "park-hefei"}, {"ops", {{{"instrument", "GEC"}, {"quantity", 25000}}}}}) &&
      c.Tx("wind-gansu", "unit.transfer",
           {{"to", "park-lanzhou"}, {"ops", {{{"instrument", "GEC"}, {"quantity", 3000}}}}}) &&
      c.Tx("wind-gansu", "unit.transfer",
           {{"to", "trader-1"}, {"ops", {{{"instrument", "GEC"}, {"quantity", 5000}}}}}) &&
      c.Tx("solar-anhui", "unit.transfer",
           {{"to", "park-hefei"}, {"ops", {{{"instrument", "GEC"}, {"quantity", 15000}}}}}) &&
      c.Tx("forest-anhui", "unit.transfer",
           {{"to", "park-hefei"}, {"ops", {{{"instrument", "CCER"}, {"quantity", 2000}}}}}) &&
      c.Tx("hefei-inclusive", "unit.transfer",
           {{"to", "park-hefei"}, {"ops", {{{"instrument", "CIC"}, {"quantity", 900}}}}}) &&
      // Claims of GECs for 2025 electricity, and retirements (注销) for neutrality.
      c.Tx("park-hefei", "gec.claim", Ops({{"reporting_year", 2025}, {"quantity", 40000}})) &&
      c.Tx("park-lanzhou", "gec.claim", Ops({{"reporting_year", 2025}, {"quantity", 3000}})) &&
      c.Tx("park-hefei", "credit.retire",
           {{"ops",
             {{{"instrument", "CCER"},
               {"quantity", 2000},
               {"beneficiary", "park-hefei"},
               {"reporting_year", 2025},
               {"purpose", "carbon_neutrality"},
               {"note", "2025 neutrality claim"}},
              {{"instrument", "CIC"},
               {"quantity", 900},
               {"beneficiary", "park-hefei"},
               {"reporting_year", 2025},
               {"purpose", "carbon_neutrality"},
               {"note", "Anhui inclusive credits"}}}}}) &&
      // Inventories, then the certifier's statement on Hefei's claim under anhui-2024.
      c.Tx("park-hefei", "inventory.record", {{"year", 2025}, {"inventory", HefeiInventory()}}) &&
      c.Tx("park-lanzhou", "inventory.record",
           {{"year", 2025}, {"inventory", LanzhouInventory()}}) &&
      // Hefei engages the certification body for its 2025 claim; only it may certify it.
      c.Tx("park-hefei", "certifier.engage", {{"certifier", "certifier-1"}, {"year", 2025}});
  if (!ok) return 1;
  nlohmann::json draft =
      c.Get("/v1/parks/park-hefei/years/2025/statement-draft?profile=anhui-2024", "certifier-1");
  if (draft.is_null()) return 1;
  Receipt receipt;
  if (!c.Tx("certifier-1", "statement.record",
            {{"statement", draft["statement"]}, {"checkpoint_size", draft["checkpoint_size"]}},
            &receipt)) {
    return 1;
  }
  std::string id = "S" + std::to_string(receipt.seq);
  std::cout << "\ndemo loaded. The Hefei park's 2025 neutrality statement is " << id << " (verdict "
            << draft["statement"]["verdict"].get<std::string>() << "):\n"
            << "  carbonledger statement " << id << "\n"
            << "  carbonledger bundle " << id << " > bundle.json\n"
            << "  carbonledger verify-statement --bundle bundle.json --log-key "
            << LogPublicKeyPath(f.GetOr("data", "data")) << "\n";
  return 0;
}

}  // namespace carbonledger::cli
