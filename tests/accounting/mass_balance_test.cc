// Mass-balance process lines and measured factors with evidence (issue 15 fix 6), against
// figures computed by hand:
//   soda ash: carbon in 1200 t, out 300.5 t: 899.5 x 44/12 = 3298.1666… -> 3298.167 t
//   lime, measured EF 0.78 tCO2/t x 1000 t = 780.000 t, citing its laboratory report
#include <catch2/catch.hpp>

#include "tests/accounting/accounting_test_util.h"

using namespace carbonledger;
using namespace carbonledger::accounting;
using namespace carbonledger::accounting::testing;

namespace {

const std::string kHash(64, 'a');

std::string MassBalanceLine(
    const std::string& in, const std::string& out,
    const std::string& evidence = R"({"document_sha256": ")" + kHash +
                                  R"(", "measured_by": "CMA lab 2025-017"})") {
  return R"("process_mass_balance": [{"product": "soda_ash", "name": "纯碱",
      "carbon_in_t": ")" +
         in + R"(", "carbon_out_t": ")" + out + R"(", "evidence": )" + evidence + "}]";
}

}  // namespace

TEST_CASE("a mass-balance line is (carbon in - carbon out) x 44/12 and names its evidence",
          "[accounting][mass-balance]") {
  for (MethodVersion v : {MethodVersion::kV1, MethodVersion::kV2}) {
    auto inv = ParseInventory(InventoryJson(MassBalanceLine("1200", "300.5")));
    REQUIRE(inv.ok());
    auto r = ComputeInventory(*inv, DefaultFactors(), nullptr, v);
    REQUIRE(r.ok());
    REQUIRE(r->lines.size() == 1);
    const LineItem& l = r->lines[0];
    CHECK(l.term == Term::kProcess);
    CHECK(l.item == "soda_ash");
    CHECK(l.activity == D("899.5"));
    CHECK(l.emissions_t == D("3298.167"));
    CHECK(l.factor_basis == "mass balance");
    CHECK(l.factor_source ==
          "inventory (evidence sha256 " + kHash + ", measured by CMA lab 2025-017)");
    CHECK(r->accounted.process == D("3298.167"));
    CHECK(r->accounted.park == D("3298.167"));
  }
}

TEST_CASE("a mass-balance line without evidence, or with more carbon out than in, is refused",
          "[accounting][mass-balance]") {
  auto reason = [](const std::string& members) {
    return ParseInventory(InventoryJson(members)).status();
  };
  auto none = reason(R"("process_mass_balance": [{"product": "soda_ash", "carbon_in_t": "1",
      "carbon_out_t": "0"}])");
  CHECK(none.reason() == "inventory.missing_field");
  CHECK(none.message().rfind("$.process_mass_balance[0].evidence:", 0) == 0);
  CHECK(reason(MassBalanceLine("1", "1.001")).reason() == "inventory.bad_value");
  CHECK(reason(MassBalanceLine("1", "0", R"({"document_sha256": "abc", "measured_by": "x"})"))
            .reason() == "inventory.bad_value");
  CHECK(reason(MassBalanceLine("1", "0", R"({"document_sha256": ")" + kHash + R"("})")).reason() ==
        "inventory.missing_field");
}

TEST_CASE("a measured process factor cites the evidence it names", "[accounting][mass-balance]") {
  auto r = ComputeOk(R"("process_output": [{"product": "lime_high_calcium", "quantity": "1000",
      "unit": "t", "measured": {"ef": "0.78", "ef_unit": "tCO2/t", "evidence":
      {"document_sha256": ")" +
                     kHash + R"(", "measured_by": "plant lab"}}}])");
  CHECK(r.lines[0].emissions_t == D("780"));
  CHECK(r.lines[0].factor_source ==
        "inventory (evidence sha256 " + kHash + ", measured by plant lab)");
}
