// The neutrality check: each profile's cap at, just under and just over its limit, and every
// reason a claim can fail. Figures are computed by hand in the comments.
#include "accounting/neutrality.h"

#include <catch2/catch.hpp>

#include "accounting/statement.h"

#include "tests/accounting/accounting_test_util.h"

using namespace carbonledger;
using namespace carbonledger::accounting;
using namespace carbonledger::accounting::testing;

namespace {

CreditRetirement Retirement(const std::string& id, uint64_t tonnes,
                            const std::string& instrument = "CCER", int vintage = 2023) {
  CreditRetirement r;
  r.retirement_id = id;
  r.instrument = instrument;
  r.quantity_tco2e = tonnes;
  r.vintage = vintage;
  r.project_id = "proj-" + id;
  r.project_region_code = "340500";  // Anhui, like the park
  r.purpose = "carbon_neutrality";
  r.beneficiary_park_id = "p1";
  r.reporting_year = 2024;
  r.entry_seq = 100;
  return r;
}

NeutralityResult Check(const std::string& members, const LedgerFacts& facts,
                       const PolicyProfile& profile) {
  auto inv = ParseInventory(InventoryJson(members));
  REQUIRE(inv.ok());
  auto result = ComputeInventory(*inv, DefaultFactors(), &facts);
  INFO(result.status().ToString());
  REQUIRE(result.ok());
  auto n = CheckNeutrality(*inv, *result, profile, facts);
  INFO(n.status().ToString());
  REQUIRE(n.ok());
  return *n;
}

NeutralityResult Check(const std::string& members, const LedgerFacts& facts, const char* profile) {
  return Check(members, facts, *EmbeddedPolicyProfile(profile));
}

LedgerFacts WithCredits(std::vector<CreditRetirement> retirements) {
  LedgerFacts f = FactsFor();
  f.retirements = std::move(retirements);
  return f;
}

std::vector<std::string> Slugs(const NeutralityResult& n) {
  std::vector<std::string> out;
  for (const Reason& r : n.reasons) out.push_back(r.slug);
  return out;
}

// direct non-fossil 9500 MWh (0) + grid `grid` MWh (x 0.8325).
std::string GreenPark(const std::string& grid) {
  return R"("electricity": {"imports": [{"kind": "direct_non_fossil", "quantity": "9500", "unit": "MWh"},
                                        {"kind": "grid", "quantity": ")" +
         grid + R"(", "unit": "MWh"}]})";
}

// Fossil heat at a measured 0.1 tCO2/GJ: `gj` GJ -> gj / 10 t.
std::string HeatPark(const std::string& gj, const std::string& baseline = "") {
  return R"("heat": {"imports": [{"kind": "fossil", "quantity": ")" + gj +
         R"(", "unit": "GJ", "measured": {"ef": "0.1", "ef_unit": "tCO2/GJ"}}]})" +
         (baseline.empty() ? ""
                           : R"(, "baseline": {"year": 2020, "emissions_t": ")" + baseline + "\"}");
}

}  // namespace

TEST_CASE("anhui-2024 passes exactly at 5 % of gross", "[accounting][neutrality][anhui]") {
  // accounted = 500 x 0.8325 = 416.25; gross = (9500 + 500) x 0.8325 = 8325; cap = 5 % = 416.25
  auto n = Check(GreenPark("500"), WithCredits({Retirement("R1", 417)}), "anhui-2024");
  CHECK(n.gross_t == D("8325"));
  CHECK(n.accounted_t == D("416.25"));
  REQUIRE(n.cap.has_value());
  CHECK(n.cap->base == CapBase::kGross);
  CHECK(n.cap->base_t == D("8325"));
  CHECK(n.cap->cap_t == D("416.25"));
  CHECK(n.eligible_t == D("417"));
  CHECK(n.counted_t == D("416.25"));  // the residual, not the 417 retired
  CHECK(n.surplus_t == D("0.75"));
  CHECK(n.net_t == D("0"));
  CHECK(n.pass);
  CHECK(n.claim == "carbon_neutral");
  CHECK(n.reasons.empty());
}

TEST_CASE("anhui-2024 passes just under 5 % of gross", "[accounting][neutrality][anhui]") {
  // grid 499.999 x 0.8325 = 416.2491675 -> 416.249; gross 416.249 + 7908.75 = 8324.999;
  // cap 5 % = 416.24995 >= 416.249
  auto n = Check(GreenPark("499.999"), WithCredits({Retirement("R1", 417)}), "anhui-2024");
  CHECK(n.accounted_t == D("416.249"));
  CHECK(n.cap->cap_t == D("416.24995"));
  CHECK(n.counted_t == D("416.249"));
  CHECK(n.pass);
}

TEST_CASE("anhui-2024 fails just over 5 % of gross", "[accounting][neutrality][anhui]") {
  // grid 500.001 x 0.8325 = 416.2508325 -> 416.251; gross 8325.001; cap = 416.25005 < 416.251
  auto n = Check(GreenPark("500.001"), WithCredits({Retirement("R1", 417)}), "anhui-2024");
  CHECK(n.accounted_t == D("416.251"));
  CHECK(n.cap->cap_t == D("416.25005"));
  CHECK(n.counted_t == D("416.25005"));
  CHECK(n.net_t == D("0.00095"));
  CHECK_FALSE(n.pass);
  CHECK(Slugs(n) == std::vector<std::string>{"offset.over_cap"});
}

TEST_CASE("a park offsetting everything with credits fails the Anhui cap",
          "[accounting][neutrality][anhui]") {
  // grid 10000 MWh: accounted = gross = 8325; cap 416.25; 8325 credits retired
  auto n =
      Check(R"("electricity": {"imports": [{"kind": "grid", "quantity": "10000", "unit": "MWh"}]})",
            WithCredits({Retirement("R1", 8325)}), "anhui-2024");
  CHECK(n.counted_t == D("416.25"));
  CHECK(n.net_t == D("7908.75"));
  CHECK(Slugs(n) == std::vector<std::string>{"offset.over_cap"});
}

TEST_CASE("xiongan-2023 caps offsets at 20 % of the stated baseline",
          "[accounting][neutrality][xiongan]") {
  // 20000 GJ x 0.1 = 2000 t; baseline 10000 -> cap 2000
  auto at =
      Check(HeatPark("20000", "10000"), WithCredits({Retirement("R1", 2000)}), "xiongan-2023");
  CHECK(at.cap->base == CapBase::kBaseline);
  CHECK(at.cap->cap_t == D("2000"));
  CHECK(at.net_t == D("0"));
  CHECK(at.pass);
  // 19999.99 GJ -> 1999.999 t, under the cap
  auto under =
      Check(HeatPark("19999.99", "10000"), WithCredits({Retirement("R1", 2000)}), "xiongan-2023");
  CHECK(under.counted_t == D("1999.999"));
  CHECK(under.surplus_t == D("0.001"));
  CHECK(under.pass);
  // 20000.01 GJ -> 2000.001 t, over the cap by 0.001
  auto over =
      Check(HeatPark("20000.01", "10000"), WithCredits({Retirement("R1", 2001)}), "xiongan-2023");
  CHECK(over.counted_t == D("2000"));
  CHECK(over.net_t == D("0.001"));
  CHECK(Slugs(over) == std::vector<std::string>{"offset.over_cap"});
}

TEST_CASE("a baseline-capped profile needs a stated baseline",
          "[accounting][neutrality][xiongan]") {
  auto n = Check(HeatPark("20000"), WithCredits({Retirement("R1", 2000)}), "xiongan-2023");
  CHECK_FALSE(n.pass);
  CHECK(n.counted_t == D("0"));
  CHECK(Slugs(n) == std::vector<std::string>{"offset.baseline_missing", "offset.over_cap"});
}

TEST_CASE("national-ets caps CCER at 5 % of accounted emissions and allows a positive net",
          "[accounting][neutrality][ets]") {
  // accounted 2000 t -> cap 100 t
  auto at = Check(HeatPark("20000"), WithCredits({Retirement("R1", 100)}), "national-ets");
  CHECK(at.cap->cap_t == D("100"));
  CHECK(at.counted_t == D("100"));
  CHECK(at.net_t == D("1900"));
  CHECK(at.pass);
  CHECK(at.claim == "offsets_within_cap");
  auto under = Check(HeatPark("20000"), WithCredits({Retirement("R1", 99)}), "national-ets");
  CHECK(under.counted_t == D("99"));
  CHECK(under.pass);
  auto over = Check(HeatPark("20000"), WithCredits({Retirement("R1", 101)}), "national-ets");
  CHECK(over.counted_t == D("100"));
  CHECK(over.surplus_t == D("1"));
  CHECK(Slugs(over) == std::vector<std::string>{"offset.over_cap"});
}

TEST_CASE("uncapped needs credits equal to the residual", "[accounting][neutrality][uncapped]") {
  auto enough = Check(HeatPark("20000"),
                      WithCredits({Retirement("R1", 1500), Retirement("R2", 500)}), "uncapped");
  CHECK_FALSE(enough.cap.has_value());
  CHECK(enough.counted_t == D("2000"));
  CHECK(enough.pass);
  auto short_by_one = Check(HeatPark("20000"), WithCredits({Retirement("R1", 1999)}), "uncapped");
  CHECK(short_by_one.net_t == D("1"));
  CHECK(Slugs(short_by_one) == std::vector<std::string>{"offset.insufficient_credits"});
}

TEST_CASE("a park with no positive residual is neutral without credits",
          "[accounting][neutrality]") {
  auto n = Check(R"("electricity": {"imports": [{"kind": "grid", "quantity": "100", "unit": "MWh"}],
                                    "exports": [{"kind": "grid", "quantity": "300", "unit": "MWh"}]})",
                 FactsFor(), "anhui-2024");
  CHECK(n.accounted_t == D("-166.5"));
  CHECK(n.counted_t == D("0"));
  CHECK(n.net_t == D("-166.5"));
  CHECK(n.pass);
}

TEST_CASE("every ineligible retirement is a reason", "[accounting][neutrality]") {
  CreditRetirement cic_elsewhere = Retirement("R2", 10, "CIC");
  cic_elsewhere.project_region_code = "320500";  // Jiangsu, the park is in Anhui (340100)
  CreditRetirement compliance = Retirement("R3", 10);
  compliance.purpose = "compliance";
  CreditRetirement other_park = Retirement("R4", 10);
  other_park.beneficiary_park_id = "p2";
  CreditRetirement other_year = Retirement("R5", 10);
  other_year.reporting_year = 2023;
  CreditRetirement cic_here = Retirement("R6", 10, "CIC");  // Anhui CIC: eligible
  auto n = Check(HeatPark("20000"),
                 WithCredits({Retirement("R1", 5000), cic_elsewhere, compliance, other_park,
                              other_year, Retirement("R1", 5000), cic_here}),
                 "uncapped");
  // uncapped accepts CIC from any region, so R2 is eligible there; check the rest
  CHECK(Slugs(n) == std::vector<std::string>{"retirement.purpose_ineligible",
                                             "retirement.other_park", "retirement.other_year",
                                             "retirement.duplicate"});
  CHECK(n.eligible_t == D("5020"));  // R1 + R2 + R6
  CHECK_FALSE(n.pass);               // although 5020 >= 2000
  auto anhui = Check(HeatPark("20000"), WithCredits({cic_elsewhere, cic_here}), "anhui-2024");
  CHECK(anhui.retirements[0].reasons[0].slug == "retirement.region_ineligible");
  CHECK(anhui.retirements[1].eligible);
  auto ets = Check(HeatPark("20000"), WithCredits({cic_here}), "national-ets");
  CHECK(Slugs(ets) == std::vector<std::string>{"retirement.instrument_ineligible"});
}

TEST_CASE("another account's retirement counts only once accepted and never fails the claim",
          "[accounting][neutrality][accept]") {
  // accounted = cap = 416.25 t (as above); the park's own 417 t pass.
  CreditRetirement gansu_cic = Retirement("R2", 1, "CIC");
  gansu_cic.project_region_code = "620000";  // Gansu: not the park's province under anhui-2024
  gansu_cic.status = RetirementStatus::kNotAccepted;
  auto n = Check(GreenPark("500"), WithCredits({Retirement("R1", 417), gansu_cic}), "anhui-2024");
  CHECK(n.pass);
  CHECK(n.reasons.empty());
  CHECK(n.eligible_t == D("417"));
  REQUIRE(n.retirements.size() == 2);
  const RetirementOutcome& listed = n.retirements[1];
  CHECK(listed.status == RetirementStatus::kNotAccepted);
  CHECK_FALSE(listed.eligible);
  CHECK_FALSE(listed.counts);
  REQUIRE(listed.reasons.size() == 1);  // why it would not count, shown but no reason of the park's
  CHECK(listed.reasons[0].slug == "retirement.region_ineligible");
  auto json = NeutralityResultToJson(n);
  CHECK(json["retirements"][0]["status"] == "own");
  CHECK(json["retirements"][0]["counts"] == true);
  CHECK(json["retirements"][1]["status"] == "not_accepted");
  CHECK(json["retirements"][1]["counts"] == false);
  CHECK(json["verdict"] == "pass");
  // Accepted, it is the park's own act: counted out and named, as an own ineligible one.
  gansu_cic.status = RetirementStatus::kAccepted;
  gansu_cic.acceptance_entry_seq = 120;
  auto accepted =
      Check(GreenPark("500"), WithCredits({Retirement("R1", 417), gansu_cic}), "anhui-2024");
  CHECK_FALSE(accepted.pass);
  CHECK(Slugs(accepted) == std::vector<std::string>{"retirement.region_ineligible"});
  // An eligible one another account retired: listed until accepted, then counted.
  CreditRetirement gift = Retirement("R3", 17);
  gift.status = RetirementStatus::kNotAccepted;
  auto short_of = Check(GreenPark("500"), WithCredits({Retirement("R1", 400), gift}), "anhui-2024");
  CHECK(short_of.eligible_t == D("400"));
  CHECK(short_of.retirements[1].eligible);
  CHECK_FALSE(short_of.retirements[1].counts);
  CHECK(Slugs(short_of) == std::vector<std::string>{"offset.insufficient_credits"});
  gift.status = RetirementStatus::kAccepted;
  gift.acceptance_entry_seq = 121;
  auto counted = Check(GreenPark("500"), WithCredits({Retirement("R1", 400), gift}), "anhui-2024");
  CHECK(counted.eligible_t == D("417"));
  CHECK(counted.retirements[1].counts);
  CHECK(counted.pass);
  // The statement content gives the status of every retirement that is not the park's own.
  auto facts = WithCredits({Retirement("R1", 417), gansu_cic, gift});
  facts.retirements[1].status = RetirementStatus::kNotAccepted;
  auto content = BuildStatementContent(InventoryJson(GreenPark("500")), DefaultFactors(),
                                       *EmbeddedPolicyProfile("anhui-2024"), facts);
  REQUIRE(content.ok());
  auto rows = nlohmann::json::parse(*content)["offsets"]["retirements"];
  CHECK_FALSE(rows[0].contains("status"));
  CHECK(rows[1]["status"] == "not_accepted");
  CHECK(rows[2]["status"] == "accepted");
  // An accepted retirement must name its acceptance entry.
  gift.acceptance_entry_seq = 0;
  auto inv = ParseInventory(InventoryJson(GreenPark("500")));
  auto bad = WithCredits({gift});
  auto result = ComputeInventory(*inv, DefaultFactors(), &bad);
  REQUIRE(result.ok());
  CHECK(
      CheckNeutrality(*inv, *result, *EmbeddedPolicyProfile("anhui-2024"), bad).status().reason() ==
      "facts.bad_retirement");
}

TEST_CASE("a vintage outside the profile's window is a reason", "[accounting][neutrality]") {
  auto profile = ParsePolicyProfile(R"({"format": "carbonledger.profile/1", "id": "windowed",
      "title": "t", "sources": [], "reading": "r",
      "instruments": [{"instrument": "CCER", "region": "any"}],
      "vintage": {"max_years_before": 3, "max_years_after": 0}, "cap": null,
      "net_must_be_at_most_zero": true})");
  REQUIRE(profile.ok());
  // year 2024: vintages 2021..2024 count
  auto n = Check(
      HeatPark("20000"),
      WithCredits({Retirement("R1", 1000, "CCER", 2021), Retirement("R2", 1000, "CCER", 2024),
                   Retirement("R3", 1000, "CCER", 2020), Retirement("R4", 1000, "CCER", 2025)}),
      *profile);
  CHECK(n.eligible_t == D("2000"));
  CHECK(n.net_t == D("0"));
  CHECK(Slugs(n) ==
        std::vector<std::string>{"retirement.vintage_ineligible", "retirement.vintage_ineligible"});
  CHECK(n.retirements[2].reasons[0].message.find("2021..2024") != std::string::npos);
}

TEST_CASE("certificate-backed power beyond the claims fails the claim",
          "[accounting][neutrality]") {
  LedgerFacts facts = WithCredits({Retirement("R1", 1000)});
  facts.gec_claims = {Block("GEC-A", 600)};
  // declared 1000 MWh, claimed 600: 400 x 0.8325 = 333 t residual, covered by 1000 credits
  auto n = Check(R"("electricity": {"imports": [{"kind": "certificate_backed", "quantity": "1000",
                                                 "unit": "MWh"}]})",
                 facts, "uncapped");
  CHECK(n.accounted_t == D("333"));
  CHECK(n.counted_t == D("333"));
  CHECK(n.net_t == D("0"));
  CHECK(Slugs(n) == std::vector<std::string>{"electricity.certificates_short"});
  CHECK_FALSE(n.pass);
}

TEST_CASE("all failing reasons are listed together", "[accounting][neutrality]") {
  LedgerFacts facts = WithCredits({Retirement("R1", 100, "CIC")});
  facts.retirements[0].project_region_code = "110000";
  facts.gec_claims = {Block("GEC-A", 100)};
  // declared 1000, claimed 100: 900 x 0.8325 = 749.25 residual; gross 832.5 -> cap 41.625
  auto n = Check(R"("electricity": {"imports": [{"kind": "certificate_backed", "quantity": "1000",
                                                 "unit": "MWh"}]})",
                 facts, "anhui-2024");
  CHECK(Slugs(n) == std::vector<std::string>{"electricity.certificates_short",
                                             "retirement.region_ineligible", "offset.over_cap",
                                             "offset.insufficient_credits"});
}

TEST_CASE("the check refuses a result computed without ledger facts", "[accounting][neutrality]") {
  auto inv = ParseInventory(InventoryJson(""));
  auto offline = ComputeInventory(*inv, DefaultFactors());
  auto n = CheckNeutrality(*inv, *offline, *EmbeddedPolicyProfile("uncapped"), FactsFor());
  CHECK(n.status().reason() == "neutrality.unverified_attribution");
  LedgerFacts bad = WithCredits({Retirement("R1", 0)});
  auto with_facts = ComputeInventory(*inv, DefaultFactors(), &bad);
  CHECK(CheckNeutrality(*inv, *with_facts, *EmbeddedPolicyProfile("uncapped"), bad)
            .status()
            .reason() == "facts.bad_retirement");
}

TEST_CASE("the neutrality JSON shows the cap, its base and the reading",
          "[accounting][neutrality]") {
  auto n = Check(GreenPark("500"), WithCredits({Retirement("R1", 417)}), "anhui-2024");
  auto j = NeutralityResultToJson(n);
  CHECK(j["cap"]["base"] == "gross");
  CHECK(j["cap"]["cap_t"] == "416.25");
  CHECK(j["verdict"] == "pass");
  CHECK(j["profile"]["reading"].get<std::string>().find("gross") != std::string::npos);
  CHECK(j["offset_order"][2] == "credits");
  CHECK_FALSE(HasFloat(j));
}

TEST_CASE("a retirement spanning several blocks counts each block once",
          "[accounting][neutrality]") {
  CreditRetirement first = Retirement("R1", 1200);
  first.first_serial = 1;
  first.last_serial = 1200;
  CreditRetirement second = Retirement("R1", 800, "CCER", 2022);
  second.first_serial = 5001;
  second.last_serial = 5800;
  // 1200 + 800 = 2000 t against a residual of 2000 t; the repeated second block is a reason
  auto n = Check(HeatPark("20000"), WithCredits({first, second}), "uncapped");
  CHECK(n.eligible_t == D("2000"));
  CHECK(n.pass);
  auto twice = Check(HeatPark("20000"), WithCredits({first, second, second}), "uncapped");
  CHECK(twice.eligible_t == D("2000"));
  CHECK(Slugs(twice) == std::vector<std::string>{"retirement.duplicate"});
  CHECK(twice.reasons[0].message.find("serials 5001..5800") != std::string::npos);
}
