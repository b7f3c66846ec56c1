// Statement content: deterministic canonical JSON, and recomputation that catches any edit.
#include "accounting/statement.h"

#include <catch2/catch.hpp>

#include "tests/accounting/accounting_test_util.h"

using namespace carbonledger;
using namespace carbonledger::accounting;
using namespace carbonledger::accounting::testing;

namespace {

// Grid 1000 MWh (832.5 t) + certificate-backed 500 MWh fully claimed; CCER 900 retired.
const std::string kInventory = InventoryJson(R"(
  "electricity": {"imports": [{"kind": "grid", "quantity": "1000", "unit": "MWh"},
                              {"kind": "certificate_backed", "quantity": "500", "unit": "MWh"}]})");

LedgerFacts Facts() {
  LedgerFacts f = FactsFor();
  f.gec_claims = {Block("GEC-2024-000001", 500, "2024-05", 31)};
  CreditRetirement r;
  r.retirement_id = "RET-9";
  r.instrument = "CCER";
  r.quantity_tco2e = 900;
  r.vintage = 2023;
  r.project_id = "CCER-PROJ-1";
  r.project_region_code = "150000";
  r.purpose = "carbon_neutrality";
  r.beneficiary_park_id = "p1";
  r.reporting_year = 2024;
  r.entry_seq = 77;
  f.retirements = {r};
  return f;
}

const PolicyProfile& Uncapped() {
  static const PolicyProfile p = *EmbeddedPolicyProfile("uncapped");
  return p;
}

std::string Content() {
  auto c = BuildStatementContent(kInventory, DefaultFactors(), Uncapped(), Facts());
  INFO(c.status().ToString());
  REQUIRE(c.ok());
  return *c;
}

Status Verify(const std::string& content) {
  return VerifyStatementContent(content, kInventory, DefaultFactors(), Uncapped(), Facts());
}

std::string Edit(const std::string& content, const std::string& from, const std::string& to) {
  size_t at = content.find(from);
  REQUIRE(at != std::string::npos);
  std::string out = content;
  out.replace(at, from.size(), to);
  return out;
}

}  // namespace

TEST_CASE("the statement names its inputs and its result", "[accounting][statement]") {
  auto j = nlohmann::json::parse(Content());
  CHECK(j["format"] == "carbonledger.statement/1");
  CHECK(j["park"] == "p1");
  CHECK(j["year"] == 2024);
  CHECK(j["profile"]["id"] == "uncapped");
  CHECK(j["profile"]["sha256"] == Uncapped().sha256_hex());
  CHECK(j["factor_set"]["version"] == "factors-2025");
  CHECK(j["factor_set"]["sha256"] == DefaultFactors().sha256_hex());
  CHECK(j["inventory"]["entry_seq"] == 42);
  CHECK(j["inventory"]["entry_hash"] == std::string(64, 'a'));
  CHECK(j["inventory"]["content_sha256"].get<std::string>().size() == 64);
  // gross (1000 + 500) x 0.8325 = 1248.75; accounted 832.5; 900 retired -> 832.5 counted
  CHECK(j["emissions"]["gross"]["park_t"] == "1248.750");
  CHECK(j["emissions"]["accounted"]["park_t"] == "832.500");
  CHECK(j["emissions"]["accounted"]["park_10kt"] == "0.0832500");
  CHECK(j["green_power"]["counted_mwh"] == "500");
  CHECK(j["green_power"]["blocks"][0]["first_serial"] == "GEC-2024-000001");
  CHECK(j["green_power"]["blocks"][0]["claim_entry_seq"] == 31);
  CHECK(j["offsets"]["retirements"][0]["retirement_id"] == "RET-9");
  CHECK(j["offsets"]["retirements"][0]["entry_seq"] == 77);
  CHECK(j["offsets"]["counted_t"] == "832.5");
  CHECK(j["offsets"]["surplus_t"] == "67.5");
  CHECK(j["net_t"] == "0");
  CHECK(j["verdict"] == "pass");
  CHECK(j["reasons"].empty());
  CHECK_FALSE(HasFloat(j));
}

TEST_CASE("the statement content is canonical and deterministic", "[accounting][statement]") {
  std::string a = Content();
  CHECK(a == Content());
  CHECK(a == nlohmann::json::parse(a).dump());  // sorted members, no whitespace
  CHECK(a.find("\n") == std::string::npos);
  CHECK(Verify(a).ok());
}

TEST_CASE("recomputation catches a single edited field and names it", "[accounting][statement]") {
  std::string c = Content();
  auto check = [&](const std::string& edited, const std::string& path) {
    Status s = Verify(edited);
    INFO(s.ToString());
    CHECK(s.reason() == "statement.mismatch");
    CHECK(s.message().rfind(path + ":", 0) == 0);
  };
  check(Edit(c, R"("net_t":"0")", R"("net_t":"-1")"), "$.net_t");
  check(Edit(c, R"("counted_t":"832.5")", R"("counted_t":"832.6")"), "$.offsets.counted_t");
  check(Edit(c, R"("entry_seq":77)", R"("entry_seq":78)"), "$.offsets.retirements[0].entry_seq");
  check(Edit(c, R"("verdict":"pass")", R"("verdict":"fail")"), "$.verdict");
  check(Edit(c, R"("claim_entry_seq":31)", R"("claim_entry_seq":30)"),
        "$.green_power.blocks[0].claim_entry_seq");
  check(Edit(c, R"("park":"p1")", R"("park":"p2")"), "$.park");
  check(Edit(c, R"("reasons":[])", R"("reasons":[{"message":"m","slug":"s"}])"), "$.reasons[0]");
  check(Edit(c, R"("claim":"carbon_neutral",)", ""), "$.claim");
}

TEST_CASE("a statement checked against other inputs fails at the first differing field",
          "[accounting][statement]") {
  std::string c = Content();
  auto grid2023 = FactorSet::Embedded("factors-2025-grid2023");
  Status s = VerifyStatementContent(c, kInventory, *grid2023, Uncapped(), Facts());
  CHECK(s.reason() == "statement.mismatch");
  // members are compared in sorted order: "emissions" comes before "factor_set"
  CHECK(s.message().rfind("$.emissions.accounted.electricity_t:", 0) == 0);
  LedgerFacts other = Facts();
  other.inventory_entry_seq = 43;
  CHECK(VerifyStatementContent(c, kInventory, DefaultFactors(), Uncapped(), other)
            .message()
            .rfind("$.inventory.entry_seq:", 0) == 0);
}

TEST_CASE("the same fields in another layout are not the canonical content",
          "[accounting][statement]") {
  std::string pretty = nlohmann::json::parse(Content()).dump(2);
  CHECK(Verify(pretty).reason() == "statement.not_canonical");
  CHECK(Verify("{").reason() == "json.syntax");
}
