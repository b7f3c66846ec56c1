// Energy in tce (docs/accounting.md §Energy in tce), against figures computed by hand:
//   natural gas  5000 x 10^4 Nm3 x 13.2836 tce/10^4 Nm3 (389.31 / 29.3076, derived) = 66418.000
//   diesel       2000 t x 1.4571 (GB/T 2589-2020 附录A)                              =  2914.200
//   anthracite   1000 t, measured NCV 25 GJ/t: 25000 / 29.3076 = 853.02106 ->         853.021
//   coke         100 t as feedstock x 0.9714 = 97.140, beside the total, not in it
//   electricity  (100000 grid + 50000 direct non-fossil) MWh x 0.1229 (当量值)      = 18435.000
//   heat         10 tce fossil = 293.076 GJ, + 1000 GJ non-fossil: 1293.076 x 0.03412
//                = 44.11975 ->                                                          44.120
//   total        66418 + 2914.2 + 853.021 + 18435 + 44.12                           = 88664.341
//   non-fossil   50000 x 0.1229 + 1000 x 0.03412 = 6145 + 34.12                      =  6179.120
//   shares       6179.12 / 88664.341 = 6.97 %;  (6179.12 + 66418) / 88664.341 = 81.88 %
#include <catch2/catch.hpp>

#include "accounting/energy_coefficients.h"
#include "tests/accounting/accounting_test_util.h"

using namespace carbonledger;
using namespace carbonledger::accounting;
using namespace carbonledger::accounting::testing;

namespace {

const char* kPark = R"("fuel_use": [
  {"fuel": "natural_gas", "activity": "final_consumption", "quantity": "5000", "unit": "10^4 Nm3"},
  {"fuel": "diesel", "activity": "final_consumption", "quantity": "2000", "unit": "t"},
  {"fuel": "anthracite", "activity": "final_consumption", "quantity": "1000", "unit": "t",
   "measured": {"ncv": "25", "ncv_unit": "GJ/t"}},
  {"fuel": "coke", "activity": "feedstock", "quantity": "100", "unit": "t"}],
 "electricity": {"imports": [{"kind": "grid", "quantity": "100000", "unit": "MWh"},
                             {"kind": "direct_non_fossil", "quantity": "50000", "unit": "MWh"}]},
 "heat": {"imports": [{"kind": "fossil", "quantity": "10", "unit": "tce"},
                      {"kind": "non_fossil", "quantity": "1000", "unit": "GJ"}]})";

}  // namespace

TEST_CASE("the built-in coefficients parse and carry a source for every value",
          "[accounting][energy]") {
  auto k = EnergyCoefficients::Embedded("gbt2589-2020");
  REQUIRE(k.ok());
  CHECK(k->electricity_tce_per_mwh() == D("0.1229"));
  CHECK(k->heat_tce_per_gj() == D("0.03412"));
  for (const EmissionFactor& f : DefaultFactors().entries()) {
    if (f.kind != FactorKind::kFuel) continue;
    const FuelCoefficient* c = k->Find(f.id);
    INFO(f.id);
    REQUIRE(c != nullptr);
    CHECK(c->unit == f.unit);
    CHECK(k->Source(c->source) != nullptr);
  }
  CHECK(EnergyCoefficients::Embedded("gbt2589-1990").status().reason() == "energy.unknown_version");
}

TEST_CASE("comprehensive energy consumption in tce, line by line", "[accounting][energy]") {
  auto r = ComputeOk(kPark);
  REQUIRE(r.lines.size() == 8);
  CHECK(r.lines[0].energy_tce == D("66418"));
  CHECK(r.lines[0].energy_tce_source == "gbt2589-2020 derived-ncv");
  CHECK(r.lines[1].energy_tce == D("2914.2"));
  CHECK(r.lines[1].energy_tce_source == "gbt2589-2020 gbt2589-2020-a");
  CHECK(r.lines[2].energy_tce == D("853.021"));
  CHECK(r.lines[2].energy_tce_source == "measured ncv / 29.3076 GJ/tce");
  CHECK(r.lines[3].energy_tce == D("97.14"));
  // 10 tce of heat is 293.076 GJ at the fossil heat factor 0.11: 32.23836 -> 32.238 t
  CHECK(r.lines[6].activity == D("293.076"));
  CHECK(r.lines[6].emissions_t == D("32.238"));
  const EnergyUse& e = r.energy;
  REQUIRE(e.total_tce);
  CHECK(*e.total_tce == D("88664.341"));
  CHECK(*e.feedstock_tce == D("97.14"));
  CHECK(*e.non_fossil_tce == D("6179.12"));
  CHECK(*e.natural_gas_tce == D("66418"));
  CHECK(e.non_fossil_share().Percent() == "6.97");
  CHECK(e.clean_share().Percent() == "81.88");
  auto j = InventoryResultToJson(r);
  CHECK(j["energy_use"]["total_tce"] == "88664.341");
  CHECK(j["energy_use"]["total_10k_tce"] == "8.8664341");
  CHECK(j["energy_use"]["coefficients"]["version"] == "gbt2589-2020");
  CHECK(j["lines"][1]["energy_tce"] == "2914.200");
}

TEST_CASE("a fuel without coefficient or NCV leaves the tce figures not computable",
          "[accounting][energy]") {
  auto r = ComputeOk(R"("fuel_use": [{"fuel": "other_coking_products", "activity":
      "final_consumption", "quantity": "1", "unit": "t", "measured": {"ef": "3", "ef_unit": "tCO2/t"}}])");
  CHECK_FALSE(r.energy.total_tce);
  CHECK(r.energy.tce_not_computable.find("other_coking_products") != std::string::npos);
  CHECK_FALSE(r.energy.non_fossil_share().defined());
}

TEST_CASE("tce is a heat unit, converted exactly or refused", "[accounting][energy]") {
  // 0.5 x 10^4 tce = 146538 GJ
  auto r = ComputeOk(R"("heat": {"imports": [{"kind": "non_fossil", "quantity": "0.5",
      "unit": "10^4 tce"}]})");
  CHECK(r.lines[0].activity == D("146538"));
  // 0.000000001 tce is 0.0000000293076 GJ: more than 9 decimals, refused rather than rounded
  auto bad = Compute(R"("heat": {"imports": [{"kind": "fossil", "quantity": "0.000000001",
      "unit": "tce"}]})");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().reason() == "inventory.unit_mismatch");
}
