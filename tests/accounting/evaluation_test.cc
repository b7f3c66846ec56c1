// The Anhui evaluation (seed 000 附件3) and entry criteria (附件1): scoring bands at their
// boundaries, star thresholds and the assessor's points.
#include "accounting/evaluation.h"

#include <catch2/catch.hpp>

#include "tests/accounting/accounting_test_util.h"

using namespace carbonledger;
using namespace carbonledger::accounting;
using namespace carbonledger::accounting::testing;

namespace {

struct Evaluated {
  AnhuiEvaluation evaluation;
  AnhuiEntryCheck entry;
  InventoryResult result;
};

Evaluated Evaluate(const std::string& members, std::optional<PreviousYear> prev = std::nullopt,
                   const AnhuiAssessment& assessment = {}, const LedgerFacts* facts = nullptr) {
  auto inv = ParseInventory(InventoryJson(members));
  INFO(inv.status().ToString());
  REQUIRE(inv.ok());
  auto r = ComputeInventory(*inv, DefaultFactors(), facts);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  auto e = EvaluateAnhui(*inv, *r, prev, assessment);
  INFO(e.status().ToString());
  REQUIRE(e.ok());
  return {*e, CheckAnhuiEntry(*r, prev, assessment), *r};
}

const ScoreLine& LineOf(const Evaluated& e, const std::string& id) {
  for (const ScoreLine& l : e.evaluation.lines) {
    if (l.id == id) return l;
  }
  FAIL("no line " << id);
  return e.evaluation.lines.front();
}

const EntryCriterion& CriterionOf(const Evaluated& e, const std::string& id) {
  for (const EntryCriterion& c : e.entry.criteria) {
    if (c.id == id) return c;
  }
  FAIL("no criterion " << id);
  return e.entry.criteria.front();
}

// Fossil heat at a measured 0.1 tCO2/GJ (gj / 10 tonnes) and an industrial value added of
// 10000 x 10^4 CNY.
std::string IntensityPark(const std::string& gj) {
  return R"("heat": {"imports": [{"kind": "fossil", "quantity": ")" + gj +
         R"(", "unit": "GJ", "measured": {"ef": "0.1", "ef_unit": "tCO2/GJ"}}]},
             "indicators": {"industrial_value_added": {"quantity": "10000", "unit": "10^4 CNY"}})";
}

Decimal IntensityPoints(const std::string& gj) {
  return LineOf(Evaluate(IntensityPark(gj)), "co2_per_industrial_value_added").points;
}

// Grid and direct non-fossil electricity, MWh.
std::string PowerPark(const std::string& grid, const std::string& direct) {
  return R"("electricity": {"imports": [{"kind": "grid", "quantity": ")" + grid +
         R"(", "unit": "MWh"}, {"kind": "direct_non_fossil", "quantity": ")" + direct +
         R"(", "unit": "MWh"}]})";
}

// Anthracite with a measured NCV of 10 GJ/t: `t` tonnes are 10 x t GJ of coal.
std::string CoalPark(const std::string& t) {
  return R"("fuel_use": [{"fuel": "anthracite", "activity": "final_consumption", "quantity": ")" +
         t + R"(", "unit": "t", "measured": {"ncv": "10", "ncv_unit": "GJ/t"}}])";
}

PreviousYear Previous(const char* accounted_t, std::optional<const char*> coal_gj = std::nullopt) {
  PreviousYear p;
  p.year = 2023;
  p.accounted_t = D(accounted_t);
  if (coal_gj) p.coal_use_gj = D(*coal_gj);
  return p;
}

}  // namespace

TEST_CASE("CO2 per unit of industrial value added scores by band, boundaries included",
          "[accounting][evaluation]") {
  // value added 10000 (10^4 CNY): 0.25 t/10^4 CNY is 2500 t, i.e. 25000 GJ of heat at 0.1
  CHECK(IntensityPoints("25000") == D("20"));     // 0.25 exactly
  CHECK(IntensityPoints("25000.01") == D("15"));  // 0.2500001
  CHECK(IntensityPoints("45000") == D("15"));     // 0.45
  CHECK(IntensityPoints("45000.01") == D("10"));
  CHECK(IntensityPoints("85000") == D("10"));     // 0.85
  CHECK(IntensityPoints("150000") == D("5"));     // 1.5
  CHECK(IntensityPoints("150000.01") == D("0"));  // the seed's 1.5..3.5 gap
  CHECK(IntensityPoints("350000") == D("0"));     // 3.5 and above
  auto e = Evaluate(IntensityPark("25000"));
  const ScoreLine& l = LineOf(e, "co2_per_industrial_value_added");
  CHECK(l.name_zh == "单位工业增加值二氧化碳排放");
  CHECK(l.value == "0.2500 t/10^4 CNY");
  CHECK(l.rule == "<= 0.25 t/10^4 CNY: 20 points");
  CHECK(l.basis == "computed");
}

TEST_CASE("without industrial value added the intensity is not computable",
          "[accounting][evaluation]") {
  auto e = Evaluate(R"("heat": {"imports": [{"kind": "fossil", "quantity": "1", "unit": "GJ"}]})");
  const ScoreLine& l = LineOf(e, "co2_per_industrial_value_added");
  CHECK(l.basis == "not_computable");
  CHECK(l.points == D("0"));
}

TEST_CASE("the change of total CO2 scores reductions of 5 % and more highest",
          "[accounting][evaluation]") {
  auto points = [](const std::string& gj) {
    return LineOf(Evaluate(IntensityPark(gj), Previous("1000")), "total_co2_change").points;
  };
  CHECK(points("9500") == D("10"));     // 950 t: exactly 5 % less
  CHECK(points("9500.01") == D("5"));   // 950.001 t
  CHECK(points("10000") == D("5"));     // no growth
  CHECK(points("10000.01") == D("0"));  // 1000.001 t: growth
  CHECK(points("0") == D("10"));        // no emissions
  auto e = Evaluate(IntensityPark("9000"), Previous("1000"));
  CHECK(LineOf(e, "total_co2_change").value == "900 t vs 1000 t in 2023 (-10.00 %)");
  CHECK(LineOf(Evaluate(IntensityPark("9000")), "total_co2_change").basis == "not_computable");
}

TEST_CASE("the green-power share scores 5, 7 and 10 at 50, 80 and 100 %",
          "[accounting][evaluation]") {
  auto points = [](const std::string& grid, const std::string& direct) {
    return LineOf(Evaluate(PowerPark(grid, direct)), "green_power_share").points;
  };
  CHECK(points("500.001", "499.999") == D("0"));  // 49.9999 %
  CHECK(points("500", "500") == D("5"));
  CHECK(points("200.001", "799.999") == D("5"));
  CHECK(points("200", "800") == D("7"));
  CHECK(points("0.001", "999.999") == D("7"));
  CHECK(points("0", "1000") == D("10"));
}

TEST_CASE("certificates count toward the green-power share only up to the claims",
          "[accounting][evaluation]") {
  LedgerFacts facts = FactsFor();
  facts.gec_claims = {Block("GEC-A", 300)};
  // grid 500, certificate-backed 500 of which 300 claimed: green 300 / 1000 = 30 %
  auto e =
      Evaluate(R"("electricity": {"imports": [{"kind": "grid", "quantity": "500", "unit": "MWh"},
      {"kind": "certificate_backed", "quantity": "500", "unit": "MWh"}]})",
               std::nullopt, {}, &facts);
  CHECK(LineOf(e, "green_power_share").value == "30.00 %");
  CHECK(LineOf(e, "green_power_share").points == D("0"));
  facts.gec_claims = {Block("GEC-A", 500)};  // all 500 claimed: 50 %
  auto full =
      Evaluate(R"("electricity": {"imports": [{"kind": "grid", "quantity": "500", "unit": "MWh"},
      {"kind": "certificate_backed", "quantity": "500", "unit": "MWh"}]})",
               std::nullopt, {}, &facts);
  CHECK(LineOf(full, "green_power_share").points == D("5"));
}

TEST_CASE("coal use scores 2.5 below 5 % reduction and 5 from 5 % or none",
          "[accounting][evaluation]") {
  auto points = [](const std::string& t) {
    return LineOf(Evaluate(CoalPark(t), Previous("1", "1000")), "coal_consumption_total").points;
  };
  CHECK(points("95") == D("5"));        // 950 GJ: 5 % less
  CHECK(points("95.001") == D("2.5"));  // 950.01 GJ
  CHECK(points("99.999") == D("2.5"));
  CHECK(points("100") == D("0"));                                          // not reduced
  CHECK(LineOf(Evaluate(""), "coal_consumption_total").points == D("5"));  // no coal at all
}

TEST_CASE("the renewable share scores 3 from 50 % and 5 from 70 %", "[accounting][evaluation]") {
  // electricity only: 3.6 GJ per MWh on both sides, so the share is direct / total
  auto points = [](const std::string& grid, const std::string& direct) {
    return LineOf(Evaluate(PowerPark(grid, direct)), "renewable_energy_share").points;
  };
  CHECK(points("500.001", "499.999") == D("0"));
  CHECK(points("500", "500") == D("3"));
  CHECK(points("300.001", "699.999") == D("3"));
  CHECK(points("300", "700") == D("5"));
  // with fuel: diesel 10 t x 42.652 GJ/t = 426.52 GJ; power 1000 MWh = 3600 GJ of which 2520
  // renewable: 2520 / 4026.52 = 0.6258521 -> 62.59 %
  auto e = Evaluate(PowerPark("300", "700") +
                    R"(, "fuel_use": [{"fuel": "diesel", "activity": "final_consumption",
                                       "quantity": "10", "unit": "t"}])");
  CHECK(e.result.energy.total_gj == D("4026.52"));
  CHECK(e.result.energy.renewable_gj == D("2520"));
  CHECK(LineOf(e, "renewable_energy_share").value == "62.59 %");
  CHECK(LineOf(e, "renewable_energy_share").points == D("3"));
}

TEST_CASE("the renewable share is not computable when a fuel has no NCV",
          "[accounting][evaluation]") {
  auto e = Evaluate(R"("fuel_use": [{"fuel": "coal_gangue", "activity": "final_consumption",
      "quantity": "1", "unit": "t", "measured": {"ef": "1", "ef_unit": "tCO2/t"}}])");
  CHECK(LineOf(e, "renewable_energy_share").basis == "not_computable");
  CHECK(LineOf(e, "coal_consumption_total").basis == "not_computable");
}

TEST_CASE("stars start at 70, 80, 85, 90 and 95 points", "[accounting][evaluation]") {
  CHECK(AnhuiStars(D("69.999")) == 0);
  CHECK(AnhuiStars(D("70")) == 1);
  CHECK(AnhuiStars(D("79.999")) == 1);
  CHECK(AnhuiStars(D("80")) == 2);
  CHECK(AnhuiStars(D("84.999")) == 2);
  CHECK(AnhuiStars(D("85")) == 3);
  CHECK(AnhuiStars(D("89.5")) == 3);
  CHECK(AnhuiStars(D("90")) == 4);
  CHECK(AnhuiStars(D("94.999")) == 4);
  CHECK(AnhuiStars(D("95")) == 5);
  CHECK(AnhuiStars(D("105")) == 5);
}

TEST_CASE("the assessor's points are checked against each indicator's levels",
          "[accounting][evaluation]") {
  auto reason = [](const std::string& points) {
    return ParseAnhuiAssessment(
               R"({"format": "carbonledger.anhui-assessment/1", "index_points": {)" + points + "}}")
        .status();
  };
  CHECK(reason(R"("industrial_water_reuse": "2")").reason() == "assessment.bad_points");
  CHECK(reason(R"("industrial_water_reuse": "6")")
            .message()
            .rfind("$.index_points.industrial_water_reuse:", 0) == 0);
  CHECK(reason(R"("nev_transport_share": "8")").reason() == "assessment.bad_points");
  CHECK(reason(R"("green_power_share": "10")").reason() == "assessment.computed_indicator");
  CHECK(reason(R"("tree_count": "1")").reason() == "assessment.unknown_indicator");
  CHECK(reason(R"("industrial_water_reuse": 3)").reason() == "assessment.type");
  CHECK(reason(R"("industrial_water_reuse": "3")").ok());
}

TEST_CASE("a full score with bonus and penalty gives 105 points and five stars",
          "[accounting][evaluation]") {
  auto assessment = ParseAnhuiAssessment(R"({"format": "carbonledger.anhui-assessment/1",
    "index_points": {"industrial_water_reuse": "5", "waste_heat_utilisation": "5",
      "solid_waste_utilisation": "5", "nev_transport_share": "7", "nev_infrastructure_coverage": "4",
      "green_building_share": "3", "near_zero_energy_buildings": "3", "existing_building_savings": "4",
      "negative_carbon_technology": "4", "carbon_management_platform": "2",
      "carbon_accounting_system": "2", "ghg_inventory_enterprises": "3",
      "carbon_footprint_enterprises": "3", "pv_storage_charging": "4", "low_carbon_rnd": "3",
      "carbon_neutral_enterprise": "3", "data_quality_problems": "5"}})");
  REQUIRE(assessment.ok());
  // all green power, no emissions, value added given, last year 100 t, no coal:
  // 20 + 10 + 10 + 5 + 5 computed = 50; assessor 50; bonus 10; penalty 5
  auto e = Evaluate(
      PowerPark("0", "1000") +
          R"(, "indicators": {"industrial_value_added": {"quantity": "1", "unit": "10^4 CNY"}})",
      Previous("100", "0"), *assessment);
  CHECK(e.evaluation.index_points == D("100"));
  CHECK(e.evaluation.bonus_points == D("10"));
  CHECK(e.evaluation.penalty_points == D("5"));
  CHECK(e.evaluation.total == D("105"));
  CHECK(e.evaluation.stars == 5);
  REQUIRE(e.evaluation.groups.size() == 7);
  for (const GroupScore& g : e.evaluation.groups) CHECK(g.points == g.max_points);
  CHECK(e.evaluation.lines.size() == 22);
}

TEST_CASE("indicators not assessed score 0 and say so", "[accounting][evaluation]") {
  auto e = Evaluate("");
  const ScoreLine& l = LineOf(e, "industrial_water_reuse");
  CHECK(l.basis == "not_assessed");
  CHECK(l.points == D("0"));
  CHECK(l.name_zh == "工业用水重复利用率");
  CHECK(l.rule.find("75%") != std::string::npos);
}

TEST_CASE("entry needs 40 % renewable electricity and a 3 % fall in coal use",
          "[accounting][evaluation][entry]") {
  auto at = Evaluate(PowerPark("600", "400") + "," + CoalPark("97"), Previous("1", "1000"));
  CHECK(CriterionOf(at, "renewable_electricity_share").met);  // 40 %
  CHECK(CriterionOf(at, "coal_decline").met);                 // 970 GJ = 97 % of 1000
  auto below =
      Evaluate(PowerPark("600.001", "399.999") + "," + CoalPark("97.001"), Previous("1", "1000"));
  CHECK_FALSE(CriterionOf(below, "renewable_electricity_share").met);
  CHECK_FALSE(CriterionOf(below, "coal_decline").met);  // 970.01 GJ
  CHECK(CriterionOf(below, "coal_decline").clause == "附件1 2.1");
}

TEST_CASE("entry is admitted only when every criterion is met or declared",
          "[accounting][evaluation][entry]") {
  std::string rates = R"("waste_heat_recovery_rate": "10", "nev_transport_share": "30",
      "nev_infrastructure_coverage": "10", "key_polluter_compliance_rate": "100",
      "green_lighting_share": "90", "green_coverage_rate": "15",
      "ghg_inventory_enterprise_share": "100", "environmental_disclosure_rate": "100",
      "clean_production_audit_rate": "100")";
  std::string flags = R"("national_policy_compliance": true, "zero_carbon_plan": true,
      "carbon_organisation": true, "no_major_incidents": true, "whole_park_accounting": true,
      "grade1_energy_efficiency": true, "public_bicycles_and_chargers": true,
      "management_system_certified": true, "green_information_platform": true,
      "quota_obligations_met": true)";
  auto doc = [&](const std::string& r, const std::string& f) {
    auto a = ParseAnhuiAssessment(R"({"format": "carbonledger.anhui-assessment/1",
        "entry": {"rates_percent": {)" +
                                  r + R"(}, "flags": {)" + f + "}}}");
    INFO(a.status().ToString());
    REQUIRE(a.ok());
    return *a;
  };
  auto all = Evaluate(PowerPark("600", "400"), Previous("1", "0"), doc(rates, flags));
  CHECK(all.entry.admitted);
  CHECK(all.entry.criteria.size() == 21);
  std::string low = rates;
  low.replace(low.find(R"("green_coverage_rate": "15")"), 27, R"("green_coverage_rate": "14.9")");
  auto missing_flag = flags.substr(0, flags.rfind(','));  // drops quota_obligations_met
  auto e = Evaluate(PowerPark("600", "400"), Previous("1", "0"), doc(low, missing_flag));
  CHECK_FALSE(e.entry.admitted);
  CHECK_FALSE(CriterionOf(e, "green_coverage_rate").met);
  CHECK(CriterionOf(e, "quota_obligations_met").basis == "not_declared");
  CHECK(ParseAnhuiAssessment(R"({"format": "carbonledger.anhui-assessment/1",
      "entry": {"rates_percent": {"green_coverage_rate": "101"}}})")
            .status()
            .reason() == "assessment.out_of_range");
}
