#include "accounting/decimal.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>

using namespace carbonledger;

namespace {
Decimal D(const char* s) {
  auto r = Decimal::Parse(s);
  REQUIRE(r.ok());
  return *r;
}
}  // namespace

TEST_CASE("decimal parsing is strict and canonical", "[accounting][decimal]") {
  CHECK(D("7719").ToString() == "7719");
  CHECK(D("0.8325").ToString() == "0.8325");
  CHECK(D("-0.000000001").ToString() == "-0.000000001");
  CHECK(D("12.500").ToString() == "12.5");
  CHECK(D("-0").ToString() == "0");
  for (const char* bad : {"", "-", ".5", "5.", "1e3", "+1", " 1", "1,5", "0x10", "1.2.3"}) {
    CHECK(Decimal::Parse(bad).status().reason() == "decimal.syntax");
  }
  CHECK(Decimal::Parse("0.0000000001").status().reason() == "decimal.precision");
}

TEST_CASE("multiplication rounds half to even at the ninth digit", "[accounting][decimal]") {
  CHECK(D("1000").Mul(D("0.8325"))->ToString() == "832.5");
  CHECK(D("0.000000001").Mul(D("0.5"))->ToString() == "0");            // 0.5e-9 -> even 0
  CHECK(D("0.000000003").Mul(D("0.5"))->ToString() == "0.000000002");  // 1.5e-9 -> even 2
  CHECK(D("-0.000000003").Mul(D("0.5"))->ToString() == "-0.000000002");
  CHECK(D("1.000000001").Mul(D("1.5"))->ToString() == "1.500000002");  // 1.5000000015 -> 2
  CHECK(D("44").Div(D("12"))->ToString() == "3.666666667");
  CHECK(D("1").Div(D("0")).status().reason() == "decimal.division_by_zero");
  CHECK(D("2.5").ToFixed(0) == "2");
  CHECK(D("3.5").ToFixed(0) == "4");
  CHECK(D("1.2355").ToFixed(3) == "1.236");
}

TEST_CASE("multiplication matches exact integer arithmetic on random operands",
          "[accounting][decimal][property]") {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 20000; ++i) {
    long long a = (long long)(rng() % 2000000000000ULL) - 1000000000000LL;  // |a| < 1000
    long long b = (long long)(rng() % 2000000000000ULL) - 1000000000000LL;
    Int128 exact = Int128(a) * b;  // units of 1e-18
    Int128 q = exact / 1000000000, r = exact % 1000000000;
    Int128 ar = r < 0 ? -r : r;
    if (ar * 2 > 1000000000 || (ar * 2 == 1000000000 && q % 2 != 0)) q += exact < 0 ? -1 : 1;
    REQUIRE(Decimal::FromUnits(a).Mul(Decimal::FromUnits(b))->units() == q);
  }
}

TEST_CASE("overflow is reported, never wrapped", "[accounting][decimal]") {
  Decimal big = D("100000000000000000000");  // 1e20
  CHECK(big.Mul(big).status().reason() == "decimal.overflow");
  CHECK(Decimal::Parse("9999999999999999999999999999999999999999").status().reason() ==
        "decimal.overflow");
}

TEST_CASE("decimals survive a JSON round trip as strings", "[accounting][decimal][json]") {
  nlohmann::json doc = {{"quantity", D("7719.25").ToString()}, {"unit", "t"}};
  auto back = nlohmann::json::parse(doc.dump());
  CHECK(back == doc);
  CHECK(D(back["quantity"].get<std::string>().c_str()) == D("7719.25"));
}

TEST_CASE("a product of several factors is rounded once, not step by step",
          "[accounting][decimal]") {
  // 0.05 x 0.05 x 1.000000001 = 0.0025000000025 exactly: just above the tie at 3 decimals -> 0.003.
  // Rounding step by step would give 0.002500000 at 9 decimals, then the tie 0.0025 -> 0.002.
  CHECK(Decimal::ProductRounded({D("0.05"), D("0.05"), D("1.000000001")}, 1, 1, 3)->ToString() ==
        "0.003");
  CHECK(D("0.05").Mul(D("0.05"))->Mul(D("1.000000001"))->RoundTo(3).ToString() == "0.002");
  // num/den applies exactly: 3 x 44/12 = 11; 1 x 1/3 = 0.333 at 3 decimals
  CHECK(Decimal::ProductRounded({D("3")}, 44, 12, 0)->ToString() == "11");
  CHECK(Decimal::ProductRounded({D("1")}, 1, 3, 3)->ToString() == "0.333");
  CHECK(Decimal::ProductRounded({D("-0.0005")}, 1, 1, 3)->ToString() == "0");  // tie to even 0
  CHECK(Decimal::ProductRounded({}, 1, 1, 3).status().reason() == "decimal.product_arguments");
  CHECK(Decimal::ProductRounded({D("1")}, 1, 0, 3).status().reason() ==
        "decimal.product_arguments");
  CHECK(Decimal::ProductRounded({D("100000000000"), D("100000000000"), D("100000000000")}, 1, 1, 3)
            .status()
            .reason() == "decimal.overflow");
}
