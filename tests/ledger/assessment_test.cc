// assessment.record (ledger/certification/assessment_record.cc, docs/certification.md
// §assessment.record): assessor points come only from the certifier the park engaged for the
// year, never from the park itself; the evaluation report adds exactly the points recorded.
#include <catch2/catch.hpp>

#include "accounting/decimal.h"
#include "ledger/certification/reports.h"
#include "tests/ledger/registry_test_util.h"
#include "tests/support/inventory_doc.h"

using namespace carbonledger;
using nlohmann::json;

namespace {

json Points(const std::string& water, const std::string& heat) {
  return {{"format", "carbonledger.anhui-assessment/1"},
          {"index_points", {{"industrial_water_reuse", water}, {"waste_heat_utilisation", heat}}}};
}

json Body(const json& assessment) {
  return {{"park", "park-a"},
          {"year", 2025},
          {"scheme", "anhui-2024"},
          {"assessment", assessment},
          {"opinion", "water reuse and waste heat checked on site"}};
}

std::string Total(testing::RegistryFixture& fx) {
  auto report = EvaluationReport(fx.ledger(), "park-a", 2025);
  INFO(report.status().ToString());
  REQUIRE(report.ok());
  return (*report)["evaluation"]["index_points"];
}

}  // namespace

TEST_CASE("only the engaged certifier records a park's assessment, and it scores exactly that",
          "[ledger][certification][assessment]") {
  testing::RegistryFixture fx;
  fx.CreateAccount("certifier-2", "certifier");
  fx.Ok("park-a", "inventory.record",
        {{"year", 2025}, {"inventory", testing::GasInventory("park-a", 2025)}});
  const std::string before = Total(fx);
  // Not engaged yet: refused, as is a certifier the park did not engage.
  CHECK(fx.Send("certifier", "assessment.record", Body(Points("5", "5"))).status().reason() ==
        "assessment.not_engaged");
  fx.Ok("park-a", "certifier.engage", {{"certifier", "certifier"}, {"year", 2025}});
  CHECK(fx.Send("certifier-2", "assessment.record", Body(Points("5", "5"))).status().reason() ==
        "assessment.not_engaged");
  // The park may not score itself.
  CHECK(fx.Send("park-a", "assessment.record", Body(Points("5", "5"))).status().reason() ==
        "tx.role");
  // A document the scheme refuses, or an unknown scheme.
  CHECK(fx.Send("certifier", "assessment.record", Body(Points("2", "5"))).status().reason() ==
        "assessment.bad_points");
  json unknown = Body(Points("5", "5"));
  unknown["scheme"] = "atlantis-2030";
  CHECK(fx.Send("certifier", "assessment.record", unknown).status().reason() ==
        "assessment.scheme");
  CHECK(Total(fx) == before);
  // The engaged certifier's assessment: 5 + 5 points more, by hand.
  const uint64_t seq = fx.Ok("certifier", "assessment.record", Body(Points("5", "5"))).seq;
  auto after = Decimal::Parse(Total(fx));
  auto was = Decimal::Parse(before);
  REQUIRE(after.ok());
  REQUIRE(was.ok());
  CHECK(after->Sub(*was)->ToString() == "10");
  auto report = EvaluationReport(fx.ledger(), "park-a", 2025);
  REQUIRE(report.ok());
  CHECK((*report)["assessment"] ==
        "recorded by certifier certifier (entry " + std::to_string(seq) + ")");
  bool shown = false;
  for (const json& e : (*report)["evaluations"]) {
    if (e.contains("assessed_by")) {
      CHECK(e["assessed_by"]["certifier"] == "certifier");
      CHECK(e["assessed_by"]["entry_seq"] == seq);
      shown = true;
    }
  }
  CHECK(shown);
  // A later assessment replaces it (both stay in the log).
  fx.Ok("certifier", "assessment.record", Body(Points("3", "5")));
  auto later = Decimal::Parse(Total(fx));
  REQUIRE(later.ok());
  CHECK(later->Sub(*was)->ToString() == "8");
}

TEST_CASE("a park records its roadmap and each year's evaluation shows progress against it",
          "[ledger][certification][roadmap]") {
  testing::RegistryFixture fx;
  auto roadmap = [](json targets) { return json{{"base_year", 2025}, {"targets", targets}}; };
  // Refusals, each naming what was wrong.
  CHECK(fx.Send("park-a", "roadmap.record",
                roadmap({{{"year", 2025}, {"co2_per_tce", "0.3"}, {"clean_energy_share", "50"}}}))
            .status()
            .reason() == "roadmap.years");
  CHECK(fx.Send("park-a", "roadmap.record",
                roadmap({{{"year", 2027}, {"co2_per_tce", "0.3"}, {"clean_energy_share", "50"}},
                         {{"year", 2026}, {"co2_per_tce", "0.2"}, {"clean_energy_share", "60"}}}))
            .status()
            .reason() == "roadmap.years");
  CHECK(fx.Send("park-a", "roadmap.record",
                roadmap({{{"year", 2026}, {"co2_per_tce", "-1"}, {"clean_energy_share", "50"}}}))
            .status()
            .reason() == "roadmap.value");
  CHECK(fx.Send("park-a", "roadmap.record",
                roadmap({{{"year", 2026}, {"co2_per_tce", "0.3"}, {"clean_energy_share", "101"}}}))
            .status()
            .reason() == "roadmap.value");
  CHECK(fx.Send("certifier", "roadmap.record",
                roadmap({{{"year", 2026}, {"co2_per_tce", "0.3"}, {"clean_energy_share", "50"}}}))
            .status()
            .reason() == "tx.role");
  CHECK(RoadmapReport(fx.ledger().state(), "park-a").status().reason() == "roadmap.none");
  // The roadmap: 2026 at most 0.2 tCO2/tce (not met: natural gas emits about 1.6 t per tce)
  // and at least 50 % clean energy (met: the national scheme counts natural gas as clean energy,
  // docs/evaluations.md).
  const uint64_t seq =
      fx.Ok("park-a", "roadmap.record",
            roadmap({{{"year", 2026}, {"co2_per_tce", "0.2"}, {"clean_energy_share", "50"}},
                     {{"year", 2030}, {"co2_per_tce", "0.2"}, {"clean_energy_share", "90"}}}))
          .seq;
  auto public_view = RoadmapReport(fx.ledger().state(), "park-a");
  REQUIRE(public_view.ok());
  CHECK((*public_view)["targets"].size() == 2);
  CHECK((*public_view)["seq"] == seq);
  fx.Ok("park-a", "inventory.record",
        {{"year", 2026}, {"inventory", testing::GasInventory("park-a", 2026)}});
  auto report = EvaluationReport(fx.ledger(), "park-a", 2026);
  INFO(report.status().ToString());
  REQUIRE(report.ok());
  const json& progress = (*report)["roadmap"];
  CHECK(progress["base_year"] == 2025);
  CHECK(progress["target"]["co2_per_tce"] == "0.2");
  REQUIRE(progress["actual"]["co2_per_tce"].is_string());
  auto intensity = Decimal::Parse(progress["actual"]["co2_per_tce"].get<std::string>());
  REQUIRE(intensity.ok());
  CHECK(*Decimal::Parse("1.5") < *intensity);
  CHECK(*intensity < *Decimal::Parse("1.7"));
  CHECK(progress["actual"]["clean_energy_share"] == "100");
  CHECK(progress["met"]["co2_per_tce"] == false);
  CHECK(progress["met"]["clean_energy_share"] == true);
}
