// The inventory computation, term by term, against figures computed by hand in the comments.
// Default factors used (factors-2025, docs/factors.md):
//   diesel       42.652 x 0.0202 x 0.98 x 44/12 = 3.09591 -> 3.0959 tCO2/t
//   kerosene     43.07 x 0.0196 x 0.98 x 44/12 = 3.03339 -> 3.0334 tCO2/t
//   natural gas  389.31 x 0.0153 x 0.99 x 44/12 = 21.62189 -> 21.6219 tCO2/10^4 Nm3
//   grid 0.8325 tCO2/MWh, fossil heat 0.11 tCO2/GJ, clinker 0.5101, high-calcium lime 0.7458
#include "accounting/emissions.h"

#include <catch2/catch.hpp>

#include "tests/accounting/accounting_test_util.h"

using namespace carbonledger;
using namespace carbonledger::accounting;
using namespace carbonledger::accounting::testing;

namespace {

std::string Fuel(const std::string& fuel, const std::string& quantity, const std::string& unit,
                 const std::string& activity = "final_consumption", const std::string& extra = "") {
  return R"({"fuel": ")" + fuel + R"(", "activity": ")" + activity + R"(", "quantity": ")" +
         quantity + R"(", "unit": ")" + unit + "\"" + extra + "}";
}

std::string Power(const std::string& kind, const std::string& quantity,
                  const std::string& unit = "MWh") {
  return R"({"kind": ")" + kind + R"(", "quantity": ")" + quantity + R"(", "unit": ")" + unit +
         "\"}";
}

void CheckError(const std::string& members, const std::string& reason, const std::string& path) {
  auto r = Compute(members);
  INFO(r.status().ToString());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().reason() == reason);
  CHECK(r.status().message().rfind(path + ":", 0) == 0);
}

}  // namespace

TEST_CASE("fuel combustion is consumption times the fuel's factor", "[accounting][emissions]") {
  auto r = ComputeOk(R"("fuel_use": [)" + Fuel("diesel", "100", "t") + "," +
                     Fuel("natural_gas", "25", "10^4 Nm3", "heat_supply") + "]");
  REQUIRE(r.lines.size() == 2);
  CHECK(r.lines[0].factor == D("3.0959"));
  CHECK(r.lines[0].emissions_t == D("309.59"));  // 100 x 3.0959
  CHECK(r.lines[0].factor_basis == "default");
  CHECK(r.lines[0].factor_source == "gbt32151.22-2024-c1, csv row 66");
  // 25 x 21.6219 = 540.5475: a tie at the 3rd decimal, to the even 540.548
  CHECK(r.lines[1].emissions_t == D("540.548"));
  CHECK(r.lines[1].detail == "heat_supply");
  CHECK(r.accounted.fuel == D("850.138"));  // 309.590 + 540.548
  CHECK(r.accounted.park == D("850.138"));
  CHECK(FormatTonnes(r.accounted.park) == "850.138");
  CHECK(FormatTenThousandTonnes(r.accounted.park) == "0.0850138");
}

TEST_CASE("fuel quantities are converted into the factor's unit", "[accounting][emissions]") {
  // 250000 Nm3 = 25 x 10^4 Nm3; 0.0025 x 10^8 Nm3 = 25 x 10^4 Nm3; 0.1 kt = 0.01 x 10^4 t = 100 t
  auto r = ComputeOk(R"("fuel_use": [)" + Fuel("natural_gas", "250000", "Nm3") + "," +
                     Fuel("natural_gas", "0.0025", "10^8 Nm3") + "," + Fuel("diesel", "0.1", "kt") +
                     "," + Fuel("diesel", "0.01", "10^4 t") + "]");
  CHECK(r.lines[0].activity == D("25"));
  CHECK(r.lines[0].activity_unit == "10^4 Nm3");
  CHECK(r.lines[0].emissions_t == D("540.548"));
  CHECK(r.lines[1].emissions_t == D("540.548"));
  CHECK(r.lines[2].emissions_t == D("309.59"));
  CHECK(r.lines[3].emissions_t == D("309.59"));
}

TEST_CASE("a fuel in the wrong unit or unknown to the factor set is refused",
          "[accounting][emissions]") {
  CheckError(R"("fuel_use": [)" + Fuel("anthracite", "10", "Nm3") + "]", "inventory.unit_mismatch",
             "$.fuel_use[0].unit");
  CheckError(R"("fuel_use": [)" + Fuel("raw_coal", "10", "t") + "]", "inventory.unknown_fuel",
             "$.fuel_use[0].fuel");
  CheckError(R"("process_output": [{"product": "glass", "quantity": "1", "unit": "t"}])",
             "inventory.unknown_product", "$.process_output[0].product");
  // 0.000000001 Nm3 is 1e-13 x 10^4 Nm3: more than 9 decimals
  CheckError(R"("fuel_use": [)" + Fuel("natural_gas", "0.000000001", "Nm3") + "]",
             "inventory.unit_mismatch", "$.fuel_use[0].unit");
}

TEST_CASE("an item without a published factor is refused unless measured",
          "[accounting][emissions]") {
  CheckError(R"("fuel_use": [)" + Fuel("coal_gangue", "100", "t") + "]",
             "inventory.no_default_factor", "$.fuel_use[0]");
  CheckError(R"("process_output": [{"product": "ferronickel", "quantity": "1", "unit": "t"}])",
             "inventory.no_default_factor", "$.process_output[0]");
  // Measured gangue: 8 GJ/t x 0.025 tC/GJ x 0.9 x 44/12 = 0.18 x 11/3 = 0.66 tCO2/t; x 100 t = 66
  auto r = ComputeOk(R"("fuel_use": [)" +
                     Fuel("coal_gangue", "100", "t", "final_consumption",
                          R"(, "measured": {"ncv": "8", "ncv_unit": "GJ/t", "carbon_content": "25",
                              "carbon_content_unit": "tC/TJ", "oxidation_rate": "0.9"})") +
                     "]");
  CHECK(r.lines[0].factor == D("0.66"));
  CHECK(r.lines[0].emissions_t == D("66"));
  CHECK(r.lines[0].factor_basis == "measured ncv, carbon_content, oxidation_rate");
  // Measured ferronickel factor 1.2 tCO2/t x 100 t = 120
  auto p =
      ComputeOk(R"("process_output": [{"product": "ferronickel", "quantity": "100", "unit": "t",
                        "measured": {"ef": "1.2", "ef_unit": "tCO2/t"}}])");
  CHECK(p.accounted.process == D("120"));
  CHECK(p.lines[0].factor_basis == "measured");
}

TEST_CASE("a measured NCV overrides the default and is reported as measured",
          "[accounting][emissions]") {
  // 43 x 0.0202 x 0.98 x 44/12 = 0.851228 x 11/3 = 3.1211693 -> 3.1212; x 10 t = 31.212
  auto r = ComputeOk(R"("fuel_use": [)" +
                     Fuel("diesel", "10", "t", "final_consumption",
                          R"(, "measured": {"ncv": "43", "ncv_unit": "GJ/t"})") +
                     "]");
  CHECK(r.lines[0].factor == D("3.1212"));
  CHECK(r.lines[0].emissions_t == D("31.212"));
  CHECK(r.lines[0].factor_basis == "measured ncv");
  CHECK(r.lines[0].factor_source == "inventory + gbt32151.22-2024-c1, csv row 66");
  // A measured NCV per the wrong unit is refused
  CheckError(R"("fuel_use": [)" +
                 Fuel("diesel", "10", "t", "final_consumption",
                      R"(, "measured": {"ncv": "43", "ncv_unit": "GJ/10^4 Nm3"})") +
                 "]",
             "inventory.unit_mismatch", "$.fuel_use[0].measured.ncv_unit");
}

TEST_CASE("feedstock is reported with zero emissions", "[accounting][emissions]") {
  auto r = ComputeOk(R"("fuel_use": [)" + Fuel("naphtha", "1000", "t", "feedstock") + "," +
                     Fuel("diesel", "1", "t") + "]");
  REQUIRE(r.lines.size() == 2);
  CHECK(r.lines[0].detail == "feedstock");
  CHECK(r.lines[0].factor == D("0"));
  CHECK(r.lines[0].emissions_t == D("0"));
  CHECK(r.accounted.fuel == D("3.096"));  // the diesel only: 3.0959 -> 3.096
}

TEST_CASE("international aviation fuel is included and reported separately",
          "[accounting][emissions]") {
  // kerosene 10 t x 3.0334 = 30.334, diesel 1 t x 3.0959 = 3.0959 -> 3.096
  auto r = ComputeOk(
      R"("fuel_use": [)" +
      Fuel("kerosene", "10", "t", "final_consumption", R"(, "international_aviation": true)") +
      "," + Fuel("diesel", "1", "t") + "]");
  CHECK(r.international_aviation_t == D("30.334"));
  CHECK(r.accounted.fuel == D("33.43"));  // 30.334 + 3.096: not deducted
  CHECK(r.lines[0].international_aviation);
}

TEST_CASE("conversion is inputs minus outputs at 100 % oxidation", "[accounting][emissions]") {
  // general bituminous at OF 1: 19.57 x 0.0261 x 44/12 = 0.510777 x 11/3 = 1.872849 -> 1.8728
  // coke at OF 1: 28.435 x 0.0295 x 44/12 = 0.8388325 x 11/3 = 3.0757192 -> 3.0757
  // 1000 t x 1.8728 - 500 t x 3.0757 = 1872.8 - 1537.85 = 334.95
  auto r = ComputeOk(R"("conversion": [{"process": "coking",
      "inputs": [{"fuel": "general_bituminous_coal", "quantity": "1000", "unit": "t"}],
      "outputs": [{"fuel": "coke", "quantity": "500", "unit": "t"}]}])");
  REQUIRE(r.lines.size() == 2);
  CHECK(r.lines[0].factor == D("1.8728"));
  CHECK(r.lines[0].emissions_t == D("1872.8"));
  CHECK(r.lines[1].factor == D("3.0757"));
  CHECK(r.lines[1].emissions_t == D("-1537.85"));
  CHECK(r.lines[1].detail == "coking output");
  CHECK(r.accounted.conversion == D("334.95"));
  CHECK(r.accounted.fuel == D("0"));
  CHECK(r.accounted.energy == D("334.95"));
}

TEST_CASE("a conversion output worth more carbon than the inputs gives a negative term",
          "[accounting][emissions]") {
  // gas making: 100 t coke in (307.57), 40 x 10^4 Nm3 coke-oven gas out
  // COG at OF 1: 179.81 x 0.01358 x 44/12 = 2.4418198 x 11/3 = 8.9533393 -> 8.9533; x 40 = 358.132
  auto r = ComputeOk(R"("conversion": [{"process": "gas_making",
      "inputs": [{"fuel": "coke", "quantity": "100", "unit": "t"}],
      "outputs": [{"fuel": "coke_oven_gas", "quantity": "400000", "unit": "Nm3"}]}])");
  CHECK(r.lines[0].emissions_t == D("307.57"));
  CHECK(r.lines[1].emissions_t == D("-358.132"));
  CHECK(r.accounted.conversion == D("-50.562"));
}

TEST_CASE("a measured oxidation rate is refused on a conversion line", "[accounting][emissions]") {
  CheckError(R"("conversion": [{"process": "refining_and_coal_to_liquids",
      "inputs": [{"fuel": "crude_oil", "quantity": "1", "unit": "t",
                  "measured": {"oxidation_rate": "0.98"}}]}])",
             "inventory.bad_value", "$.conversion[0].inputs[0].measured.oxidation_rate");
}

TEST_CASE("electricity is imports minus exports by kind", "[accounting][emissions]") {
  // grid 1000 MWh x 0.8325 = 832.5; direct non-fossil 500 MWh x 0 = 0; grid export 200 x 0.8325
  // = -166.5; non-fossil export 50 x 0 = 0. E_elec = 666.
  auto r = ComputeOk(R"("electricity": {"imports": [)" + Power("grid", "1000") + "," +
                     Power("direct_non_fossil", "500") + R"(], "exports": [)" +
                     Power("grid", "200") + "," + Power("direct_non_fossil", "50") + "]}");
  CHECK(r.accounted.electricity == D("666"));
  CHECK(r.accounted.indirect == D("666"));
  // Gross prices every imported MWh at the grid factor: (1000 + 500) x 0.8325 - 166.5 = 1082.25
  CHECK(r.gross.electricity == D("1082.25"));
  CHECK(r.gross.park == D("1082.25"));
  CHECK(r.electricity.consumption == D("1250"));                    // 1500 - 250
  CHECK(r.electricity.direct_supply == D("450"));                   // 500 - 50
  CHECK(r.electricity.direct_supply_share().Percent() == "36.00");  // 450 / 1250
  CHECK_FALSE(r.electricity.direct_supply_share().AtLeastPercent(D("50")));
}

TEST_CASE("electricity units are converted to MWh", "[accounting][emissions]") {
  // 1,000,000 kWh = 100 x 10^4 kWh = 1 GWh = 1000 MWh -> 832.5 each
  auto r = ComputeOk(R"("electricity": {"imports": [)" + Power("grid", "1000000", "kWh") + "," +
                     Power("grid", "100", "10^4 kWh") + "," + Power("grid", "1", "GWh") + "]}");
  for (const LineItem& l : r.lines) CHECK(l.emissions_t == D("832.5"));
  CHECK(r.accounted.electricity == D("2497.5"));
}

TEST_CASE("a park that exports more power than it imports has negative electricity emissions",
          "[accounting][emissions]") {
  // 100 x 0.8325 - 300 x 0.8325 = 83.25 - 249.75 = -166.5
  auto r = ComputeOk(R"("electricity": {"imports": [)" + Power("grid", "100") +
                     R"(], "exports": [)" + Power("grid", "300") + "]}");
  CHECK(r.accounted.electricity == D("-166.5"));
  CHECK(r.accounted.park == D("-166.5"));
}

TEST_CASE("heat is imports minus exports, fossil at a measured or default factor",
          "[accounting][emissions]") {
  // 1000 GJ x 0.11 = 110; 2 TJ = 2000 GJ measured 0.095 -> 190; non-fossil 300 GJ -> 0;
  // export fossil 500000 MJ = 500 GJ x 0.11 = -55. E_heat = 245.
  auto r = ComputeOk(R"("heat": {"imports": [
      {"kind": "fossil", "quantity": "1000", "unit": "GJ"},
      {"kind": "fossil", "quantity": "2", "unit": "TJ", "measured": {"ef": "0.095", "ef_unit": "tCO2/GJ"}},
      {"kind": "non_fossil", "quantity": "300", "unit": "GJ"}],
      "exports": [{"kind": "fossil", "quantity": "500000", "unit": "MJ"}]})");
  CHECK(r.lines[0].emissions_t == D("110"));
  CHECK(r.lines[1].emissions_t == D("190"));
  CHECK(r.lines[1].factor_basis == "measured");
  CHECK(r.lines[2].emissions_t == D("0"));
  CHECK(r.lines[3].emissions_t == D("-55"));
  CHECK(r.accounted.heat == D("245"));
  CHECK(r.accounted.indirect == D("245"));
}

TEST_CASE("a park that exports more heat than it imports has negative heat emissions",
          "[accounting][emissions]") {
  // 100 GJ x 0.11 - 400 GJ x 0.11 = 11 - 44 = -33
  auto r = ComputeOk(R"("heat": {"imports": [{"kind": "fossil", "quantity": "100", "unit": "GJ"}],
                                 "exports": [{"kind": "fossil", "quantity": "400", "unit": "GJ"}]})");
  CHECK(r.accounted.heat == D("-33"));
}

TEST_CASE("process emissions are output times the product factor", "[accounting][emissions]") {
  // clinker 10000 t x 0.5101 = 5101; lime 1 kt = 1000 t x 0.7458 = 745.8
  auto r = ComputeOk(R"("process_output": [
      {"product": "cement_clinker", "quantity": "10000", "unit": "t"},
      {"product": "lime_high_calcium", "quantity": "1", "unit": "kt"}])");
  CHECK(r.accounted.process == D("5846.8"));
  CHECK(r.accounted.energy == D("0"));
  CHECK(r.accounted.park == D("5846.8"));
  CHECK(r.lines[0].factor_source == "ipcc2006-v3, csv row 102");
}

TEST_CASE("all terms add up to the park total", "[accounting][emissions]") {
  // fuel 309.59 + conversion 334.95 + electricity 832.5 + heat 110 + process 5101 = 6688.04
  auto r = ComputeOk(R"("fuel_use": [)" + Fuel("diesel", "100", "t") + R"(],
      "conversion": [{"process": "coking",
        "inputs": [{"fuel": "general_bituminous_coal", "quantity": "1000", "unit": "t"}],
        "outputs": [{"fuel": "coke", "quantity": "500", "unit": "t"}]}],
      "electricity": {"imports": [)" +
                     Power("grid", "1000") + R"(]},
      "heat": {"imports": [{"kind": "fossil", "quantity": "1000", "unit": "GJ"}]},
      "process_output": [{"product": "cement_clinker", "quantity": "10000", "unit": "t"}])");
  CHECK(r.accounted.energy == D("1587.04"));
  CHECK(r.accounted.park == D("6688.04"));
  CHECK(FormatTenThousandTonnes(r.accounted.park) == "0.6688040");
}

TEST_CASE("lines round half to even at the third decimal and totals add the rounded lines",
          "[accounting][emissions][rounding]") {
  // 0.05 GJ x 0.11 = 0.0055 -> tie -> 0.006; 0.15 GJ x 0.11 = 0.0165 -> tie -> 0.016
  auto r = ComputeOk(R"("heat": {"imports": [
      {"kind": "fossil", "quantity": "0.05", "unit": "GJ"},
      {"kind": "fossil", "quantity": "0.05", "unit": "GJ"},
      {"kind": "fossil", "quantity": "0.05", "unit": "GJ"},
      {"kind": "fossil", "quantity": "0.15", "unit": "GJ"}]})");
  CHECK(r.lines[0].emissions_t == D("0.006"));
  CHECK(r.lines[3].emissions_t == D("0.016"));
  // 3 x 0.006 + 0.016 = 0.034, although 0.3 GJ x 0.11 = 0.033 unrounded
  CHECK(r.accounted.heat == D("0.034"));
}

TEST_CASE("the same inventory gives the same digits every time",
          "[accounting][emissions][rounding]") {
  std::string members = R"("fuel_use": [)" + Fuel("lng", "123.456789", "t") + "," +
                        Fuel("coke", "0.333333333", "kt") + R"(],
      "electricity": {"imports": [)" +
                        Power("grid", "98765.4321", "kWh") + "]}";
  auto a = ComputeOk(members);
  auto b = ComputeOk(members);
  CHECK(InventoryResultToJson(a).dump() == InventoryResultToJson(b).dump());
  // LNG 51.498 x 0.0153 x 0.98 x 44/12 = 2.831257 -> 2.8313; x 123.456789 = 349.5432067 -> 349.543
  CHECK(a.lines[0].emissions_t == D("349.543"));
  // coke 333.333333 t x 2.8604 = 953.4666657... -> 953.467
  CHECK(a.lines[1].emissions_t == D("953.467"));
  // 98.7654321 MWh x 0.8325 = 82.22222222... -> 82.222
  CHECK(a.lines[2].emissions_t == D("82.222"));
}

TEST_CASE("certificate-backed power counts at zero only up to the claimed GECs",
          "[accounting][emissions][attribution]") {
  LedgerFacts facts = FactsFor();
  facts.gec_claims = {Block("GEC-A-0001", 400, "2024-03", 11),
                      Block("GEC-B-0001", 200, "2024-09", 12)};
  // declared 1000 MWh, claimed 600: 600 at 0, 400 x 0.8325 = 333 at the grid factor
  auto r = ComputeOk(R"("electricity": {"imports": [)" + Power("certificate_backed", "1000") + "]}",
                     &facts);
  CHECK(r.attribution.verified);
  CHECK(r.attribution.claimed_mwh == D("600"));
  CHECK(r.attribution.counted_mwh == D("600"));
  CHECK(r.attribution.uncovered_mwh == D("400"));
  REQUIRE(r.attribution.blocks.size() == 2);
  CHECK(r.attribution.blocks[1].claim_entry_seq == 12);
  REQUIRE(r.attribution.findings.size() == 1);
  CHECK(r.attribution.findings[0].slug == "electricity.certificates_short");
  REQUIRE(r.lines.size() == 2);
  CHECK(r.lines[0].activity == D("600"));
  CHECK(r.lines[0].emissions_t == D("0"));
  CHECK(r.lines[1].activity == D("400"));
  CHECK(r.lines[1].emissions_t == D("333"));
  CHECK(r.accounted.electricity == D("333"));
  CHECK(r.gross.electricity == D("832.5"));  // 1000 x 0.8325
  CHECK(r.electricity.green == D("600"));
}

TEST_CASE("claims beyond the declared power are surplus and unused",
          "[accounting][emissions][attribution]") {
  LedgerFacts facts = FactsFor();
  facts.gec_claims = {Block("GEC-A-0001", 1500)};
  auto r = ComputeOk(R"("electricity": {"imports": [)" + Power("certificate_backed", "1000") + "]}",
                     &facts);
  CHECK(r.attribution.counted_mwh == D("1000"));
  CHECK(r.attribution.surplus_mwh == D("500"));
  CHECK(r.attribution.findings.empty());
  CHECK(r.accounted.electricity == D("0"));
}

TEST_CASE("GEC blocks that cannot count are excluded with a reason",
          "[accounting][emissions][attribution]") {
  LedgerFacts facts = FactsFor();
  GecBlock not_gec = Block("CCER-1", 100);
  not_gec.instrument = "CCER";
  facts.gec_claims = {Block("GEC-A", 100), Block("GEC-A", 100), Block("GEC-F", 100, "2025-01"),
                      not_gec};
  auto r = ComputeOk(R"("electricity": {"imports": [)" + Power("certificate_backed", "100") + "]}",
                     &facts);
  CHECK(r.attribution.claimed_mwh == D("100"));
  REQUIRE(r.attribution.findings.size() == 3);
  CHECK(r.attribution.findings[0].slug == "gec.duplicate_block");
  CHECK(r.attribution.findings[1].slug == "gec.generated_after_year");
  CHECK(r.attribution.findings[2].slug == "gec.not_gec");
  facts.gec_claims = {Block("GEC-A", 100, "2024-13")};
  CHECK(Compute(R"("electricity": {})", &facts).status().reason() == "facts.bad_gec_block");
}

TEST_CASE("without ledger facts certificate-backed power counts as declared, unverified",
          "[accounting][emissions][attribution]") {
  auto r =
      ComputeOk(R"("electricity": {"imports": [)" + Power("certificate_backed", "1000") + "]}");
  CHECK_FALSE(r.attribution.verified);
  CHECK(r.accounted.electricity == D("0"));
  CHECK(r.gross.electricity == D("832.5"));
  CHECK(r.lines[0].detail == "certificate_backed import, as declared (GEC claims not verified)");
}

TEST_CASE("facts for another park or year are refused", "[accounting][emissions][attribution]") {
  LedgerFacts other_park = FactsFor("p2");
  CHECK(Compute("", &other_park).status().reason() == "facts.park_mismatch");
  LedgerFacts other_year = FactsFor("p1", 2023);
  CHECK(Compute("", &other_year).status().reason() == "facts.year_mismatch");
}

TEST_CASE("green and direct-supply shares count on-site generation", "[accounting][emissions]") {
  // imports: grid 400, direct 300, certificate 200 (claimed 200); on-site PV 100; export 0
  // consumption 1000; direct supply 300 + 100 = 400 (40 %); green 400 + 200 = 600 (60 %)
  LedgerFacts facts = FactsFor();
  facts.gec_claims = {Block("GEC-A", 200)};
  auto r =
      ComputeOk(R"("electricity": {"imports": [)" + Power("grid", "400") + "," +
                    Power("direct_non_fossil", "300") + "," + Power("certificate_backed", "200") +
                    R"(], "onsite_generation": [)" + Power("non_fossil", "100") + "]}",
                &facts);
  CHECK(r.electricity.consumption == D("1000"));
  CHECK(r.electricity.direct_supply_share().Percent() == "40.00");
  CHECK(r.electricity.green_share().Percent() == "60.00");
  CHECK(r.electricity.green_share().AtLeastPercent(D("60")));
  CHECK_FALSE(r.electricity.green_share().AtLeastPercent(D("60.000000001")));
}

TEST_CASE("a line beyond the documented limit is refused", "[accounting][emissions]") {
  // 10^12 t of diesel is allowed as a quantity, but 3.0959 x 10^12 t of CO2 is over 10^12
  CheckError(R"("fuel_use": [)" + Fuel("diesel", "1000000000000", "t") + "]", "inventory.too_large",
             "$.fuel_use[0]");
  CheckError(R"("fuel_use": [)" + Fuel("diesel", "1000000000", "10^4 t") + "]",
             "inventory.too_large", "$.fuel_use[0]");
}
