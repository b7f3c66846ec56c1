// Nobody can fail another park's claim, through the real server: anyone may retire credits
// naming a park as beneficiary, but such a retirement counts toward the park's neutrality only
// once the park accepts it (retirement.accept), and until then it is listed and never a reason
// (docs/registry-rules.md §retirement.accept, docs/accounting.md §What counts).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/server_fixture.h"

using namespace carbonledger;
using nlohmann::json;
using testing::ServerFixture;

namespace {

// Park Hefei's 2025 as in the demo: 40,000 MWh of claimed GECs, 60,000 MWh direct non-fossil,
// natural gas 2,810.847 t, 2,900 t of CCER retired by the park itself — a pass under
// anhui-2024. The trader holds CCER and a Gansu project's carbon inclusive credits (CIC).
class HefeiFixture : public ServerFixture {
 public:
  HefeiFixture() {
    CreateAccount("park-hefei", "park", {{"name", "Hefei"}, {"region", "340100"}});
    CreateAccount("park-lanzhou", "park", {{"name", "Lanzhou"}, {"region", "620100"}});
    CreateAccount("wind-co", "project_owner");
    CreateAccount("forest-co", "project_owner");
    CreateAccount("gansu-co", "project_owner");
    CreateAccount("trader", "trader");
    CreateAccount("certifier-1", "certifier");
    Ok(op(), "generator.register",
       {{"generator", "gen-w"},
        {"owner", "wind-co"},
        {"technology", "wind"},
        {"capacity_kw", 100000},
        {"region", "620000"}});
    Ok(op(), "project.register",
       {{"project", "ccer-f"},
        {"instrument", "CCER"},
        {"owner", "forest-co"},
        {"methodology", "CCER-14-001-V01"},
        {"sector", "forestry"},
        {"region", "340000"}});
    Ok(op(), "project.register",
       {{"project", "cic-gansu"},
        {"instrument", "CIC"},
        {"owner", "gansu-co"},
        {"methodology", "GS-PHCER-PV"},
        {"scenario", "rooftop PV"},
        {"region", "620000"}});
    Ok(op(), "gec.issue",
       {{"ops", {{{"generator", "gen-w"}, {"month", "2025-03"}, {"quantity", 50000}}}}});
    Ok(op(), "credit.issue",
       {{"ops", {{{"project", "ccer-f"}, {"vintage", "2024"}, {"quantity", 4000}}}}});
    Ok(op(), "credit.issue",
       {{"ops", {{{"project", "cic-gansu"}, {"vintage", "2025"}, {"quantity", 10}}}}});
    Ok("wind-co", "unit.transfer",
       {{"to", "park-hefei"}, {"ops", {{{"instrument", "GEC"}, {"quantity", 40000}}}}});
    Ok("forest-co", "unit.transfer",
       {{"to", "park-hefei"}, {"ops", {{{"instrument", "CCER"}, {"quantity", 2900}}}}});
    Ok("forest-co", "unit.transfer",
       {{"to", "trader"}, {"ops", {{{"instrument", "CCER"}, {"quantity", 500}}}}});
    Ok("gansu-co", "unit.transfer",
       {{"to", "trader"}, {"ops", {{{"instrument", "CIC"}, {"quantity", 10}}}}});
    Ok("park-hefei", "gec.claim", {{"ops", {{{"reporting_year", 2025}, {"quantity", 40000}}}}});
    own = Retire("park-hefei", "CCER", 2900);
    Ok("park-hefei", "inventory.record",
       {{"year", 2025},
        {"inventory",
         {{"format", "carbonledger.inventory/1"},
          {"park", {{"id", "park-hefei"}, {"name", "Hefei"}}},
          {"year", 2025},
          {"fuel_use",
           {{{"fuel", "natural_gas"},
             {"activity", "final_consumption"},
             {"quantity", "1300000"},
             {"unit", "Nm3"}}}},
          {"electricity",
           {{"imports",
             {{{"kind", "direct_non_fossil"}, {"quantity", "60000"}, {"unit", "MWh"}},
              {{"kind", "certificate_backed"}, {"quantity", "40000"}, {"unit", "MWh"}}}}}}}}});
  }

  // A retirement of `q` units for park-hefei's 2025 neutrality; its id.
  std::string Retire(const std::string& signer, const std::string& instrument, uint64_t q) {
    auto receipt = Ok(signer, "credit.retire",
                      {{"ops",
                        {{{"instrument", instrument},
                          {"quantity", q},
                          {"beneficiary", "park-hefei"},
                          {"reporting_year", 2025},
                          {"purpose", "carbon_neutrality"}}}}});
    return "R" + receipt["seq"].dump() + ".0";
  }

  // Hefei's neutrality under anhui-2024, as the park reads it.
  json Neutrality() {
    auto r =
        SignedGet("park-hefei", "/v1/parks/park-hefei/years/2025/neutrality?profile=anhui-2024");
    REQUIRE(r);
    INFO(r->body);
    REQUIRE(r->status == 200);
    return json::parse(r->body)["neutrality"];
  }

  std::string own;
};

const json& Row(const json& neutrality, const std::string& id) {
  for (const json& row : neutrality["retirements"]) {
    if (row["retirement_id"] == id) return row;
  }
  FAIL("no retirement " << id);
  return neutrality;
}

}  // namespace

TEST_CASE("a Gansu CIC retired for Hefei by another account leaves Hefei's verdict pass",
          "[api][accept]") {
  HefeiFixture fx;
  REQUIRE(fx.Neutrality()["verdict"] == "pass");
  // The attack: 1 t of a credit anhui-2024 does not accept for Hefei (CIC from outside Anhui),
  // retired by someone else naming Hefei.
  const std::string attack = fx.Retire("trader", "CIC", 1);
  json n = fx.Neutrality();
  CHECK(n["verdict"] == "pass");
  CHECK(n["reasons"].empty());
  CHECK(n["eligible_t"] == "2900");
  const json& listed = Row(n, attack);
  CHECK(listed["status"] == "not_accepted");
  CHECK(listed["counts"] == false);
  CHECK(listed["eligible"] == false);
  CHECK(listed["reasons"][0]["slug"] == "retirement.region_ineligible");
  CHECK(Row(n, fx.own)["status"] == "own");
  // Only Hefei could make it count: not the trader, not another park.
  fx.Refused("trader", "retirement.accept", {{"retirement", attack}}, 403, "tx.role");
  fx.Refused("park-lanzhou", "retirement.accept", {{"retirement", attack}}, 403,
             "accept.not_beneficiary");
  CHECK(fx.Neutrality()["verdict"] == "pass");
  // The statement a certifier would sign now passes too, and lists the retirement with its
  // status.
  fx.Ok("park-hefei", "certifier.engage", {{"certifier", "certifier-1"}, {"year", 2025}});
  auto draft = fx.SignedGet("certifier-1",
                            "/v1/parks/park-hefei/years/2025/statement-draft?profile=anhui-2024");
  REQUIRE(draft);
  REQUIRE(draft->status == 200);
  json content = json::parse(draft->body)["statement"];
  CHECK(content["verdict"] == "pass");
  CHECK(content["offsets"]["retirements"][1]["status"] == "not_accepted");
  // Hefei may still take it as its own act, and then answers for it like its own.
  fx.Ok("park-hefei", "retirement.accept", {{"retirement", attack}});
  n = fx.Neutrality();
  CHECK(n["verdict"] == "fail");
  CHECK(Row(n, attack)["status"] == "accepted");
  REQUIRE(n["reasons"].size() == 1);
  CHECK(n["reasons"][0]["slug"] == "retirement.region_ineligible");
}

TEST_CASE("an eligible retirement by another account counts for the park once it accepts it",
          "[api][accept]") {
  HefeiFixture fx;
  const std::string gift = fx.Retire("trader", "CCER", 100);
  json n = fx.Neutrality();
  CHECK(n["eligible_t"] == "2900");
  CHECK(Row(n, gift)["eligible"] == true);
  CHECK(Row(n, gift)["counts"] == false);
  fx.Refused("park-hefei", "retirement.accept", {{"retirement", "R999.0"}}, 404,
             "retirement.unknown");
  fx.Refused("park-hefei", "retirement.accept", {{"retirement", fx.own}}, 409, "accept.own");
  json receipt = fx.Ok("park-hefei", "retirement.accept", {{"retirement", gift}});
  n = fx.Neutrality();
  CHECK(n["verdict"] == "pass");
  CHECK(n["eligible_t"] == "3000");
  CHECK(Row(n, gift)["status"] == "accepted");
  CHECK(Row(n, gift)["counts"] == true);
  fx.Refused("park-hefei", "retirement.accept", {{"retirement", gift}}, 409, "accept.duplicate");
  // The public retirements list names the acceptance.
  auto list = fx.http().Get("/v1/parks/park-hefei/years/2025/retirements");
  REQUIRE(list);
  REQUIRE(list->status == 200);
  const json rows = json::parse(list->body)["retirements"];
  bool seen = false;
  for (const json& row : rows) {
    if (row["retirement"] != gift) continue;
    seen = true;
    CHECK(row["retired_by"] == "trader");
    CHECK(row["accepted_seq"] == receipt["seq"]);
  }
  CHECK(seen);
}
