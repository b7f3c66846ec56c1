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
          {"index_points",
           {{"industrial_water_reuse", water}, {"waste_heat_utilisation", heat}}}};
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
  const uint64_t seq =
      fx.Ok("certifier", "assessment.record", Body(Points("5", "5"))).seq;
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
