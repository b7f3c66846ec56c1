// The worked example of docs/accounting.md: accounting/examples/wind-industry-park-2020.json.
#include <catch2/catch.hpp>

#include "accounting/neutrality.h"
#include "accounting/statement.h"
#include "tests/accounting/accounting_test_util.h"

using namespace carbonledger;
using namespace carbonledger::accounting;
using namespace carbonledger::accounting::testing;

namespace {

const char* kExample = "accounting/examples/wind-industry-park-2020.json";

NeutralityResult CheckExample(const char* profile) {
  auto inv = ParseInventory(ReadSourceFile(kExample));
  REQUIRE(inv.ok());
  LedgerFacts facts = WorkedExampleFacts();
  auto result = ComputeInventory(*inv, DefaultFactors(), &facts);
  REQUIRE(result.ok());
  auto n = CheckNeutrality(*inv, *result, *EmbeddedPolicyProfile(profile), facts);
  REQUIRE(n.ok());
  return *n;
}

}  // namespace

TEST_CASE("the worked example's gross emissions are exactly 7719 t", "[accounting][example]") {
  auto inv = ParseInventory(ReadSourceFile(kExample));
  REQUIRE(inv.ok());
  auto r = ComputeInventory(*inv, DefaultFactors());
  REQUIRE(r.ok());
  // natural gas 43.4 x 21.6219 = 938.39046 -> 938.390; diesel 237 x 3.0959 = 733.7283 -> 733.728;
  // gasoline 75 x 2.9251 = 219.3825 -> tie -> 219.382; grid 7000 MWh x 0.8325 = 5827.5
  CHECK(r->accounted.fuel == D("1891.5"));
  CHECK(r->accounted.electricity == D("5827.5"));
  CHECK(r->gross.park == D("7719"));
  CHECK(r->accounted.park == D("7719"));
  CHECK(FormatTenThousandTonnes(r->gross.park) == "0.7719000");
}

TEST_CASE("the worked example is carbon-neutral with 7719 t of CCER when uncapped",
          "[accounting][example]") {
  auto n = CheckExample("uncapped");
  CHECK(n.counted_t == D("7719"));
  CHECK(n.net_t == D("0"));
  CHECK(n.pass);
}

TEST_CASE("the worked example fails the Anhui 5 % cap", "[accounting][example]") {
  // cap = 5 % x 7719 = 385.95; counted 385.95; net 7719 - 385.95 = 7333.05
  auto n = CheckExample("anhui-2024");
  CHECK(n.cap->cap_t == D("385.95"));
  CHECK(n.counted_t == D("385.95"));
  CHECK(n.net_t == D("7333.05"));
  REQUIRE(n.reasons.size() == 1);
  CHECK(n.reasons[0].slug == "offset.over_cap");
}

TEST_CASE("the worked example's statement recomputes", "[accounting][example]") {
  std::string inventory = ReadSourceFile(kExample);
  auto profile = EmbeddedPolicyProfile("uncapped");
  auto content = BuildStatementContent(inventory, DefaultFactors(), *profile, WorkedExampleFacts());
  REQUIRE(content.ok());
  CHECK(
      VerifyStatementContent(*content, inventory, DefaultFactors(), *profile, WorkedExampleFacts())
          .ok());
}

TEST_CASE("the documented hashes are those of the shipped data files", "[accounting][docs]") {
  std::string factors_doc = ReadSourceFile("docs/factors.md");
  for (const char* version : {"factors-2025", "factors-2025-grid2023"}) {
    INFO(version);
    CHECK(factors_doc.find(FactorSet::Embedded(version)->sha256_hex()) != std::string::npos);
  }
  std::string profiles_doc = ReadSourceFile("docs/policy-profiles.md");
  for (const std::string& id : EmbeddedPolicyProfileIds()) {
    INFO(id);
    CHECK(profiles_doc.find(EmbeddedPolicyProfile(id)->sha256_hex()) != std::string::npos);
  }
}
