// Method version 2 (docs/accounting.md §Method versions): issue 15's fixes 1, 2 and 8, each
// against figures computed by hand here, and version 1 unchanged beside it.
//
// Fix 1, exact products (factors-2025 parameters; conversion at 100 % oxidation):
//   natural gas  389.31 x 0.0153 x 44/12 = 21.840291 exactly; x 5000 = 109201.455
//                (v1: EF rounded 21.8403 x 5000 = 109201.500)
//   diesel       42.652 x 0.0202 x 44/12 = 3.15909146…; x 2000 = 6318.18293 -> 6318.183
//                (v1: 3.1591 x 2000 = 6318.200)
//   the conversion term: 115519.638 (v1 115519.700, 0.062 t more)
//   coke, measured NCV 28.5: 28.5 x 0.0295 x 0.93 x 44/12 = 2.8669575; x 200000 = 573391.500
//                (v1: 2.8670 x 200000 = 573400.000, 8.5 t more)
//   anthracite fully measured (25 GJ/t, 0.027 tC/GJ, 0.95): 2.35125 x 100 = 235.125
//                (v1: 2.3512 x 100 = 235.120), and its source is the inventory alone (fix 8)
// Fix 2, grid exports: a park with 40000 MWh of on-site wind that labels its export `grid`:
//   v1 deducts 40000 x 0.8325 = 33300.000 t (E_elec = -33300, direct share 200 %);
//   v2 refuses the line. Bound = grid imports + on-site fossil = 10000 + 5000 = 15000 MWh.
#include <catch2/catch.hpp>

#include "accounting/statement.h"
#include "tests/accounting/accounting_test_util.h"

using namespace carbonledger;
using namespace carbonledger::accounting;
using namespace carbonledger::accounting::testing;

namespace {

Result<InventoryResult> ComputeV(const std::string& members, MethodVersion method) {
  auto inv = ParseInventory(InventoryJson(members));
  if (!inv.ok()) return inv.status();
  return ComputeInventory(*inv, DefaultFactors(), nullptr, method);
}

InventoryResult ComputeVOk(const std::string& members, MethodVersion method) {
  auto r = ComputeV(members, method);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return *r;
}

const char* kConversion = R"("conversion": [{"process": "gas_making", "inputs": [
    {"fuel": "natural_gas", "quantity": "5000", "unit": "10^4 Nm3"},
    {"fuel": "diesel", "quantity": "2000", "unit": "t"}], "outputs": []}])";

}  // namespace

TEST_CASE("v2 prices factors formed from parameters as one exact product (fix 1)",
          "[accounting][method]") {
  auto v2 = ComputeVOk(kConversion, MethodVersion::kV2);
  REQUIRE(v2.lines.size() == 2);
  CHECK(v2.lines[0].emissions_t == D("109201.455"));
  CHECK(v2.lines[1].emissions_t == D("6318.183"));
  CHECK(v2.accounted.conversion == D("115519.638"));
  CHECK(v2.lines[1].factor == D("3.159091467"));  // shown to 9 decimals only
  CHECK(v2.lines[1].factor_basis.find("exact product") != std::string::npos);
  auto v1 = ComputeVOk(kConversion, MethodVersion::kV1);
  CHECK(v1.accounted.conversion == D("115519.7"));
  CHECK(v1.lines[1].factor == D("3.1591"));

  const std::string coke = R"("fuel_use": [{"fuel": "coke", "activity": "final_consumption",
      "quantity": "200000", "unit": "t", "measured": {"ncv": "28.5", "ncv_unit": "GJ/t"}}])";
  CHECK(ComputeVOk(coke, MethodVersion::kV2).accounted.fuel == D("573391.5"));
  CHECK(ComputeVOk(coke, MethodVersion::kV1).accounted.fuel == D("573400"));
  // a default line keeps the published 4-decimal factor in both versions: 100 t diesel x 3.0959
  const std::string diesel = R"("fuel_use": [{"fuel": "diesel", "activity":
      "final_consumption", "quantity": "100", "unit": "t"}])";
  CHECK(ComputeVOk(diesel, MethodVersion::kV2).accounted.fuel == D("309.59"));
}

TEST_CASE("v2: a fully measured line cites the inventory alone (fix 8)", "[accounting][method]") {
  const std::string measured = R"("fuel_use": [{"fuel": "anthracite", "activity":
      "final_consumption", "quantity": "100", "unit": "t", "measured": {"ncv": "25",
      "ncv_unit": "GJ/t", "carbon_content": "0.027", "carbon_content_unit": "tC/GJ",
      "oxidation_rate": "0.95"}}])";
  auto v2 = ComputeVOk(measured, MethodVersion::kV2);
  CHECK(v2.lines[0].emissions_t == D("235.125"));
  CHECK(v2.lines[0].factor_source == "inventory");
  auto v1 = ComputeVOk(measured, MethodVersion::kV1);
  CHECK(v1.lines[0].emissions_t == D("235.12"));
  CHECK(v1.lines[0].factor_source.find("csv row") != std::string::npos);
}

TEST_CASE("v2 bounds grid exports by grid imports and on-site fossil generation (fix 2)",
          "[accounting][method]") {
  const std::string wind = R"("electricity": {"onsite_generation": [{"kind": "non_fossil",
      "quantity": "40000", "unit": "MWh"}], "exports": [{"kind": "grid", "quantity": "40000",
      "unit": "MWh"}]})";
  auto v1 = ComputeVOk(wind, MethodVersion::kV1);
  CHECK(v1.accounted.electricity == D("-33300"));  // the old rule, kept for /1 statements
  auto v2 = ComputeV(wind, MethodVersion::kV2);
  REQUIRE_FALSE(v2.ok());
  CHECK(v2.status().reason() == "inventory.grid_export_exceeds_supply");
  CHECK(v2.status().message().rfind("$.electricity.exports[0]:", 0) == 0);
  // exported as direct_non_fossil instead: factor 0, E_elec 0, shares within 100 %
  std::string honest = wind;
  honest.replace(honest.find(R"("kind": "grid")"), 14, R"("kind": "direct_non_fossil")");
  auto ok = ComputeVOk(honest, MethodVersion::kV2);
  CHECK(ok.accounted.electricity == D("0"));
  CHECK_FALSE(ok.electricity.direct_supply_share().defined());  // consumption 0
  // 10000 grid + 5000 on-site fossil bound the grid exports at 15000 MWh
  auto mixed = [](const char* exported) {
    return std::string(R"("electricity": {"onsite_generation": [{"kind": "fossil",
        "quantity": "5000", "unit": "MWh"}, {"kind": "non_fossil", "quantity": "40000",
        "unit": "MWh"}], "imports": [{"kind": "grid", "quantity": "10000", "unit": "MWh"}],
        "exports": [{"kind": "direct_non_fossil", "quantity": "1", "unit": "MWh"},
                    {"kind": "grid", "quantity": ")") +
           exported + R"(", "unit": "MWh"}]})";
  };
  auto at = ComputeVOk(mixed("15000"), MethodVersion::kV2);
  // 10000 x 0.8325 - 15000 x 0.8325 = 8325 - 12487.5 = -4162.5
  CHECK(at.accounted.electricity == D("-4162.5"));
  // consumption 10000 + 45000 - 15001 = 39999; direct 40000 - 1 = 39999: 100.00 %
  CHECK(at.electricity.direct_supply_share().Percent() == "100.00");
  auto over = ComputeV(mixed("15000.001"), MethodVersion::kV2);
  REQUIRE_FALSE(over.ok());
  CHECK(over.status().message().rfind("$.electricity.exports[1]:", 0) == 0);
}

TEST_CASE("statements name their method: /1 recomputes with v1, /2 with v2",
          "[accounting][method][statement]") {
  auto profile = EmbeddedPolicyProfile("uncapped");
  REQUIRE(profile.ok());
  LedgerFacts facts = FactsFor();
  const std::string inventory = InventoryJson(kConversion);
  auto v1 = BuildStatementContent(inventory, DefaultFactors(), *profile, facts);
  auto v2 = BuildStatementContent(inventory, DefaultFactors(), *profile, facts, MethodVersion::kV2);
  REQUIRE(v1.ok());
  REQUIRE(v2.ok());
  CHECK(v1->find(R"("format":"carbonledger.statement/1")") != std::string::npos);
  CHECK(v2->find(R"("format":"carbonledger.statement/2")") != std::string::npos);
  CHECK(v1->find(R"("conversion_t":"115519.700")") != std::string::npos);
  CHECK(v2->find(R"("conversion_t":"115519.638")") != std::string::npos);
  CHECK(VerifyStatementContent(*v1, inventory, DefaultFactors(), *profile, facts).ok());
  CHECK(VerifyStatementContent(*v2, inventory, DefaultFactors(), *profile, facts).ok());
  // a /1 statement carrying v2 figures is refused, naming the figure
  std::string forged = *v2;
  forged.replace(forged.find("carbonledger.statement/2"), 24, "carbonledger.statement/1");
  auto s = VerifyStatementContent(forged, inventory, DefaultFactors(), *profile, facts);
  CHECK(s.reason() == "statement.mismatch");
}
