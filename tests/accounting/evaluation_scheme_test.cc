// Evaluations as data (docs/evaluations.md): the shipped schemes parse; anhui-2024 as data gives
// the same lines, groups, totals, stars and entry criteria as the code it replaces, over the
// example and a sweep of parks; national-2025 judges a park of each size tier; T/CECA-G
// 0344-2025 and the Guangdong draft judge their one or two figures. Hand-computed figures:
//
//   gas 10^4 Nm3: 21.6219 tCO2 and 13.2836 tce each; direct non-fossil MWh: 0 t, 0.1229 tce
//   park "20-100": 1900 gas + 1 500 000 MWh: E 41081.610 t, 25238.840 + 184350 = 209588.840
//                  tce (20.96 x 10^4) -> 41081.61 / 209588.84 = 0.19601 <= 0.20: pass
//   park ">=100":  15000 gas + 8 000 000 MWh: E 324328.500 t, 199254 + 983200 = 1182454 tce
//                  (118.2 x 10^4) -> 0.27428 <= 0.30: pass (it would fail the 0.20 tier)
//   park "<20":    the worked example, 7719 t over 1892.496 tce = 4.0787 -> fail
#include "accounting/evaluation_scheme.h"

#include <catch2/catch.hpp>

#include "accounting/evaluation.h"
#include "tests/accounting/accounting_test_util.h"

using namespace carbonledger;
using namespace carbonledger::accounting;
using namespace carbonledger::accounting::testing;

namespace {

const EvaluationScheme& Scheme(const char* id) {
  static std::map<std::string, EvaluationScheme> cache;
  auto it = cache.find(id);
  if (it == cache.end()) {
    auto s = EmbeddedEvaluationScheme(id);
    INFO(s.status().ToString());
    REQUIRE(s.ok());
    it = cache.emplace(id, *s).first;
  }
  return it->second;
}

struct Parked {
  Inventory inventory;
  InventoryResult result;
};

Parked Park(const std::string& json) {
  auto inv = ParseInventory(json);
  INFO(inv.status().ToString());
  REQUIRE(inv.ok());
  auto r = ComputeInventory(*inv, DefaultFactors());
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return {*inv, *r};
}

Evaluation Judge(const char* scheme, const std::string& json,
                 const std::optional<PreviousYear>& prev = std::nullopt, const Assessment& a = {}) {
  Parked p = Park(json);
  auto e = Evaluate(Scheme(scheme), p.inventory, p.result, prev, a);
  INFO(e.status().ToString());
  REQUIRE(e.ok());
  return *e;
}

const IndicatorOutcome& LineOf(const Evaluation& e, const std::string& id) {
  for (const IndicatorOutcome& l : e.lines) {
    if (l.id == id) return l;
  }
  FAIL("no line " << id);
  return e.lines.front();
}

std::string GasAndGreen(const std::string& gas, const std::string& mwh,
                        const std::string& extra = "") {
  return InventoryJson(R"("fuel_use": [{"fuel": "natural_gas", "activity": "final_consumption",
      "quantity": ")" + gas +
                       R"(", "unit": "10^4 Nm3"}],
      "electricity": {"imports": [{"kind": "direct_non_fossil", "quantity": ")" +
                       mwh + R"(", "unit": "MWh"}]})" + extra);
}

// The Anhui API and the data scheme agree on every field of every line and criterion. From
// commit e17062b to c025768 the Anhui API was still the code the scheme replaced, and this test
// compared the two and passed; commit 316478a deleted that code and made the API a wrapper over
// the scheme, and the hand-computed expectations of evaluation_test.cc keep the old behaviour
// pinned.
void CompareAnhui(const std::string& json, const std::optional<PreviousYear>& prev,
                  const std::string& assessment_json) {
  INFO(json);
  Parked p = Park(json);
  AnhuiAssessment old_a;
  Assessment new_a;
  if (!assessment_json.empty()) {
    old_a = *ParseAnhuiAssessment(assessment_json);
    auto parsed = ParseAssessment(assessment_json, Scheme("anhui-2024"));
    REQUIRE(parsed.ok());
    new_a = *parsed;
  }
  auto old_e = EvaluateAnhui(p.inventory, p.result, prev, old_a);
  REQUIRE(old_e.ok());
  AnhuiEntryCheck old_c = CheckAnhuiEntry(p.result, prev, old_a);
  auto e = Evaluate(Scheme("anhui-2024"), p.inventory, p.result, prev, new_a);
  REQUIRE(e.ok());
  REQUIRE(e->lines.size() == old_e->lines.size());
  for (size_t i = 0; i < e->lines.size(); ++i) {
    const ScoreLine& o = old_e->lines[i];
    const IndicatorOutcome& n = e->lines[i];
    INFO(o.id);
    CHECK(n.id == o.id);
    CHECK(n.group == o.group);
    CHECK(n.name_zh == o.name_zh);
    CHECK(n.name_en == o.name_en);
    CHECK(*n.max_points == o.max_points);
    CHECK(n.points == o.points);
    CHECK(n.value == o.value);
    CHECK(n.rule == o.rule);
    CHECK(n.basis == o.basis);
  }
  REQUIRE(e->groups.size() == old_e->groups.size());
  for (size_t i = 0; i < e->groups.size(); ++i) {
    CHECK(e->groups[i].id == old_e->groups[i].id);
    CHECK(e->groups[i].points == old_e->groups[i].points);
    CHECK(e->groups[i].max_points == old_e->groups[i].max_points);
  }
  CHECK(e->index_points == old_e->index_points);
  CHECK(e->bonus_points == old_e->bonus_points);
  CHECK(e->penalty_points == old_e->penalty_points);
  CHECK(e->total == old_e->total);
  CHECK(e->stars == old_e->stars);
  REQUIRE(e->criteria.size() == old_c.criteria.size());
  for (size_t i = 0; i < e->criteria.size(); ++i) {
    const EntryCriterion& o = old_c.criteria[i];
    const CriterionOutcome& n = e->criteria[i];
    INFO(o.id);
    CHECK(n.id == o.id);
    CHECK(n.clause == o.clause);
    CHECK(n.name_zh == o.name_zh);
    CHECK(n.rule == o.rule);
    CHECK(n.value == o.value);
    CHECK(n.basis == o.basis);
    CHECK(n.met == o.met);
  }
  CHECK(e->admitted == old_c.admitted);
}

PreviousYear Previous(const char* t, std::optional<const char*> coal_gj = std::nullopt) {
  PreviousYear p;
  p.year = 2023;
  p.accounted_t = D(t);
  if (coal_gj) p.coal_use_gj = D(*coal_gj);
  return p;
}

}  // namespace

TEST_CASE("every shipped evaluation scheme parses", "[accounting][evaluation-scheme]") {
  auto ids = EmbeddedEvaluationSchemeIds();
  CHECK(ids.size() == 4);
  for (const std::string& id : ids) {
    INFO(id);
    auto s = EmbeddedEvaluationScheme(id);
    INFO(s.status().ToString());
    REQUIRE(s.ok());
    CHECK(s->id == id);
    for (const IndicatorSpec& i : s->indicators) CHECK(s->Source(i.source) != nullptr);
  }
  CHECK(EmbeddedEvaluationScheme("mars-2099").status().reason() == "evaluation.unknown_scheme");
}

TEST_CASE("anhui-2024 as data gives the results of the code it replaces",
          "[accounting][evaluation-scheme][anhui]") {
  const std::string full = R"({"format": "carbonledger.anhui-assessment/1",
    "index_points": {"industrial_water_reuse": "5", "waste_heat_utilisation": "3",
      "solid_waste_utilisation": "4", "nev_transport_share": "6", "green_building_share": "2",
      "carbon_management_platform": "1", "pv_storage_charging": "4", "data_quality_problems": "5"},
    "entry": {"rates_percent": {"waste_heat_recovery_rate": "12", "nev_transport_share": "29.9",
                                "key_polluter_compliance_rate": "100"},
              "flags": {"zero_carbon_plan": true, "no_major_incidents": false}}})";
  CompareAnhui(ReadSourceFile("accounting/examples/wind-industry-park-2020.json"), std::nullopt,
               "");
  CompareAnhui(ReadSourceFile("accounting/examples/wind-industry-park-2020.json"),
               PreviousYear{2019, D("8000"), D("0")}, full);
  const std::string iva =
      R"(, "indicators": {"industrial_value_added": {"quantity": "10000", "unit": "10^4 CNY"}})";
  for (const char* gj : {"0", "25000", "25000.01", "45000", "85000", "150000", "150000.01"}) {
    std::string heat = R"("heat": {"imports": [{"kind": "fossil", "quantity": ")" +
                       std::string(gj) + R"(", "unit": "GJ"}]})";
    for (const char* before : {"0", "1000", "1500", "1650", "1700"}) {
      CompareAnhui(InventoryJson(heat + iva), Previous(before), full);
    }
    CompareAnhui(InventoryJson(heat), std::nullopt, "");
  }
  for (const auto& [grid, direct] : std::vector<std::pair<const char*, const char*>>{
           {"0", "0"}, {"500", "500"}, {"600", "400"}, {"200", "800"}, {"0", "1000"}, {"0", "1"}}) {
    for (const char* coal_t : {"0", "96", "97", "98", "100", "101"}) {
      std::string j = R"("electricity": {"imports": [{"kind": "grid", "quantity": ")" +
                      std::string(grid) +
                      R"(", "unit": "MWh"}, {"kind": "direct_non_fossil", "quantity": ")" + direct +
                      R"(", "unit": "MWh"}]}, "fuel_use": [{"fuel": "anthracite",
                      "activity": "final_consumption", "quantity": ")" +
                      coal_t + R"(", "unit": "t", "measured": {"ncv": "10", "ncv_unit": "GJ/t"}}])";
      CompareAnhui(InventoryJson(j), Previous("1", "1000"), full);
      CompareAnhui(InventoryJson(j), Previous("1", "0"), "");
      CompareAnhui(InventoryJson(j), Previous("1"), "");
      CompareAnhui(InventoryJson(j), std::nullopt, full);
    }
  }
  CompareAnhui(InventoryJson(R"("fuel_use": [{"fuel": "coal_gangue", "activity":
      "final_consumption", "quantity": "1", "unit": "t", "measured": {"ef": "1", "ef_unit":
      "tCO2/t"}}])"),
               Previous("1", "10"), "");
}

TEST_CASE("national-2025: a park of 20 to 100 x 10^4 tce is held to 0.20 tCO2/tce",
          "[accounting][evaluation-scheme][national]") {
  auto e = Judge("national-2025", GasAndGreen("1900", "1500000"));
  CHECK(e.tier == "20-100");
  const IndicatorOutcome& core = LineOf(e, "co2_per_tce");
  CHECK(core.value == "0.1960 tCO2/tce");
  CHECK(core.rule == "<= 0.20 tCO2/tce");
  CHECK(core.met == true);
  CHECK(core.veto);
  CHECK(core.source.find("910") != std::string::npos);
  CHECK_FALSE(core.reading.empty());
  CHECK(e.verdict == "pass");
  CHECK(LineOf(e, "clean_energy_share").value == "100.00 %");
  CHECK(LineOf(e, "clean_energy_share").met == true);
  // the park stated no solid-waste, waste-heat, water or product figures
  for (const char* id : {"solid_waste_utilisation", "waste_heat_utilisation", "water_reuse",
                         "product_energy_level"}) {
    INFO(id);
    CHECK(LineOf(e, id).basis == "not_stated");
    CHECK_FALSE(LineOf(e, id).met.has_value());
  }
  // 2000 x 10^4 Nm3: 43243.8 t over 210917.2 tce = 0.20502 > 0.20: the veto fails the park
  auto over = Judge("national-2025", GasAndGreen("2000", "1500000"));
  CHECK(over.tier == "20-100");
  CHECK(LineOf(over, "co2_per_tce").value == "0.2050 tCO2/tce");
  CHECK(LineOf(over, "co2_per_tce").met == false);
  CHECK(over.veto_failed);
  CHECK(over.verdict == "fail");
}

TEST_CASE("national-2025: a park of 100 x 10^4 tce or more is held to 0.30 tCO2/tce",
          "[accounting][evaluation-scheme][national]") {
  auto e = Judge("national-2025", GasAndGreen("15000", "8000000"));
  CHECK(e.tier == "100-up");
  CHECK(LineOf(e, "co2_per_tce").value == "0.2743 tCO2/tce");
  CHECK(LineOf(e, "co2_per_tce").rule == "<= 0.30 tCO2/tce");
  CHECK(e.verdict == "pass");
  auto j = EvaluationToJson(e);
  CHECK(j["tier"]["id"] == "100-up");
  CHECK(j["verdict"] == "pass");
  CHECK(j["lines"][0]["met"] == true);
}

TEST_CASE("national-2025: a park below 20 x 10^4 tce takes the smallest tier's limit, as a reading",
          "[accounting][evaluation-scheme][national]") {
  auto e =
      Judge("national-2025", ReadSourceFile("accounting/examples/wind-industry-park-2020.json"));
  CHECK(e.tier == "below-20");
  CHECK(e.tier_reading.find("reading") != std::string::npos);
  const IndicatorOutcome& core = LineOf(e, "co2_per_tce");
  CHECK(core.value == "4.0787 tCO2/tce");  // 7719 / 1892.496 = 4.07874
  CHECK(core.rule.find("reading") != std::string::npos);
  CHECK(core.met == false);
  CHECK(e.verdict == "fail");
}

TEST_CASE("national-2025: the park's stated indicators are judged against the guiding targets",
          "[accounting][evaluation-scheme][national]") {
  auto e = Judge("national-2025", GasAndGreen("1900", "1500000", R"(, "indicators": {
      "solid_waste_utilisation_percent": "80", "waste_heat_utilisation_percent": "49.99",
      "water_reuse_percent": "92.5", "product_energy": [
        {"product": "cement clinker", "standard": "GB 16780-2021", "level": 1},
        {"product": "flat glass", "standard": "GB 21340-2019", "level": 2,
         "value": "12.5", "unit": "kgce/weight box"}]})"));
  CHECK(LineOf(e, "solid_waste_utilisation").value == "80 %");
  CHECK(LineOf(e, "solid_waste_utilisation").met == true);  // 80 itself meets >= 80
  CHECK(LineOf(e, "solid_waste_utilisation").basis == "park");
  CHECK(LineOf(e, "waste_heat_utilisation").met == false);
  CHECK(LineOf(e, "water_reuse").met == true);
  CHECK(LineOf(e, "product_energy_level").met == true);
  CHECK(LineOf(e, "product_energy_level").value.find("worst level 2") == 0);
  CHECK(e.verdict == "pass");  // guiding indicators do not veto
  auto level3 = Judge("national-2025", GasAndGreen("1900", "1500000", R"(, "indicators": {
      "product_energy": [{"product": "coke", "standard": "GB 21342-2013", "level": 3}]})"));
  CHECK(LineOf(level3, "product_energy_level").met == false);
  auto bad = ParseInventory(InventoryJson(R"("indicators": {"water_reuse_percent": "100.1"})"));
  CHECK(bad.status().reason() == "inventory.bad_value");
  auto level4 = ParseInventory(InventoryJson(R"("indicators": {"product_energy": [
      {"product": "coke", "standard": "GB 21342-2013", "level": 4}]})"));
  CHECK(level4.status().reason() == "inventory.out_of_range");
}

TEST_CASE("T/CECA-G 0344-2025 and the Guangdong draft judge non-fossil share and intensity",
          "[accounting][evaluation-scheme]") {
  // non-fossil 184350 / 209588.84 = 87.96 %: >= 80 % for both; 0.1960 <= 0.2
  auto ceca = Judge("ceca-g0344-2025", GasAndGreen("1900", "1500000"));
  CHECK(LineOf(ceca, "non_fossil_energy_share").value == "87.96 %");
  CHECK(ceca.verdict == "pass");
  auto gd = Judge("guangdong-gdcpa", GasAndGreen("1900", "1500000"));
  CHECK(LineOf(gd, "renewable_energy_share").met == true);
  // 15000 gas + 8 000 000 MWh: 83.15 % non-fossil but 0.2743 tCO2/tce > 0.2: CECA fails
  auto big = Judge("ceca-g0344-2025", GasAndGreen("15000", "8000000"));
  CHECK(LineOf(big, "non_fossil_energy_share").met == true);
  CHECK(LineOf(big, "co2_per_tce").met == false);
  CHECK(big.verdict == "fail");
  // the worked example has no green power at all: 0 % renewable, Guangdong fails
  auto none =
      Judge("guangdong-gdcpa", ReadSourceFile("accounting/examples/wind-industry-park-2020.json"));
  CHECK(LineOf(none, "renewable_energy_share").value == "0.00 %");
  CHECK(none.verdict == "fail");
}

TEST_CASE("a scheme file names only known measures, tiers and sources",
          "[accounting][evaluation-scheme]") {
  auto reason = [](const std::string& indicator) {
    return ParseEvaluationScheme(
               R"({"format": "carbonledger.evaluation/1", "id": "x", "version": "1",
                   "title": "t", "scoring": "pass_fail", "sources": {"s": {"citation": "c"}},
                   "tiers": [{"id": "all", "name": "all"}], "indicators": [)" +
               indicator + "]}")
        .status();
  };
  CHECK(reason(R"({"id": "a", "role": "core", "name_zh": "z", "name_en": "e",
      "measure": "co2_per_tce", "source": "s",
      "thresholds": [{"tier": "all", "if": "at_most", "value": "0.2", "rule": "r"}]})")
            .ok());
  CHECK(reason(R"({"id": "a", "role": "core", "name_zh": "z", "name_en": "e",
      "measure": "happiness", "source": "s",
      "thresholds": [{"tier": "all", "if": "at_most", "value": "0.2", "rule": "r"}]})")
            .reason() == "evaluation.unknown_measure");
  CHECK(reason(R"({"id": "a", "role": "core", "name_zh": "z", "name_en": "e",
      "measure": "co2_per_tce", "source": "s",
      "thresholds": [{"tier": "big", "if": "at_most", "value": "0.2", "rule": "r"}]})")
            .reason() == "evaluation.unknown_tier");
  CHECK(reason(R"({"id": "a", "role": "core", "name_zh": "z", "name_en": "e",
      "measure": "co2_per_tce", "source": "nowhere",
      "thresholds": [{"tier": "all", "if": "at_most", "value": "0.2", "rule": "r"}]})")
            .reason() == "evaluation.unknown_source");
  CHECK(reason(R"({"id": "a", "role": "core", "name_zh": "z", "name_en": "e",
      "measure": "co2_per_tce", "source": "s",
      "thresholds": [{"tier": "all", "if": "roughly", "value": "0.2", "rule": "r"}]})")
            .reason() == "evaluation.bad_comparison");
  CHECK(reason(R"({"id": "a", "role": "index", "name_zh": "z", "name_en": "e",
      "measure": "co2_per_tce", "source": "s",
      "thresholds": [{"tier": "all", "if": "at_most", "value": "0.2", "rule": "r"}]})")
            .reason() == "evaluation.bad_role");
}
