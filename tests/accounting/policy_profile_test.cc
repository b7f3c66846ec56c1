// Policy profiles as data: the built-in profiles say what the sources say, and bad files fail.
#include "accounting/policy_profile.h"

#include <catch2/catch.hpp>

#include "tests/accounting/accounting_test_util.h"

using namespace carbonledger;
using namespace carbonledger::accounting;
using namespace carbonledger::accounting::testing;

namespace {

PolicyProfile Profile(const char* id) {
  auto p = EmbeddedPolicyProfile(id);
  INFO(p.status().ToString());
  REQUIRE(p.ok());
  return *p;
}

std::string ProfileFile(const std::string& cap, const std::string& extra = "") {
  return R"({"format": "carbonledger.profile/1", "id": "test", "title": "t", "sources": ["s"],
             "reading": "r", "instruments": [{"instrument": "CCER", "region": "any"}],
             "vintage": {"max_years_before": 3, "max_years_after": 0}, "cap": )" +
         cap + R"(, "net_must_be_at_most_zero": true)" + extra + "}";
}

}  // namespace

TEST_CASE("the built-in profiles are anhui-2024, national-ets, uncapped and xiongan-2023",
          "[accounting][profile]") {
  auto ids = EmbeddedPolicyProfileIds();
  CHECK(ids == std::vector<std::string>{"anhui-2024", "national-ets", "uncapped", "xiongan-2023"});
  for (const std::string& id : ids) CHECK(Profile(id.c_str()).id == id);
  CHECK(EmbeddedPolicyProfile("beijing").status().reason() == "profile.unknown_id");
}

TEST_CASE("anhui-2024 caps credits at 5 % of gross emissions and requires net zero",
          "[accounting][profile]") {
  PolicyProfile p = Profile("anhui-2024");
  CHECK(p.cap_percent == D("5"));
  CHECK(p.cap_base == CapBase::kGross);
  CHECK(p.net_must_be_at_most_zero);
  REQUIRE(p.Rule("CIC") != nullptr);
  CHECK(p.Rule("CIC")->region == RegionRule::kSameProvince);
  CHECK(p.Rule("CCER")->region == RegionRule::kAny);
  CHECK(p.reading.find("gross") != std::string::npos);  // the reading is stated
  CHECK(p.sources[0].find("000_04320e3436f6e943.txt") != std::string::npos);
}

TEST_CASE("xiongan-2023 caps offsets at 20 % of a stated baseline", "[accounting][profile]") {
  PolicyProfile p = Profile("xiongan-2023");
  CHECK(p.cap_percent == D("20"));
  CHECK(p.cap_base == CapBase::kBaseline);
  CHECK(p.net_must_be_at_most_zero);
}

TEST_CASE("national-ets caps CCER at 5 % of accounted emissions without a net-zero rule",
          "[accounting][profile]") {
  PolicyProfile p = Profile("national-ets");
  CHECK(p.cap_percent == D("5"));
  CHECK(p.cap_base == CapBase::kAccounted);
  CHECK_FALSE(p.net_must_be_at_most_zero);
  CHECK(p.Rule("CIC") == nullptr);
}

TEST_CASE("uncapped has no cap", "[accounting][profile]") {
  PolicyProfile p = Profile("uncapped");
  CHECK_FALSE(p.cap_percent.has_value());
  CHECK(p.net_must_be_at_most_zero);
}

TEST_CASE("a profile is named by the SHA-256 of its file", "[accounting][profile]") {
  std::string bytes = ReadSourceFile("accounting/data/profiles/anhui-2024.json");
  CHECK(Profile("anhui-2024").sha256 == Sha256(bytes));
  CHECK(Profile("anhui-2024").sha256_hex().size() == 64);
}

TEST_CASE("a user profile file loads with its vintage window", "[accounting][profile]") {
  auto p = ParsePolicyProfile(ProfileFile(R"({"percent": "10", "base": "accounted"})"));
  REQUIRE(p.ok());
  CHECK(p->vintage_max_years_before == 3);
  CHECK(p->vintage_max_years_after == 0);
  CHECK(p->cap_percent == D("10"));
  CHECK(p->cap_base == CapBase::kAccounted);
}

TEST_CASE("a bad profile file is refused naming the field", "[accounting][profile]") {
  auto reason = [](const std::string& text) { return ParsePolicyProfile(text).status().reason(); };
  CHECK(reason(ProfileFile(R"({"percent": "5", "base": "net"})")) == "profile.bad_value");
  CHECK(reason(ProfileFile(R"({"percent": "150", "base": "gross"})")) == "profile.out_of_range");
  CHECK(reason(ProfileFile(R"({"percent": 5, "base": "gross"})")) == "profile.type");
  CHECK(reason(ProfileFile("null", R"(, "extra": 1)")) == "profile.unknown_field");
  auto s = ParsePolicyProfile(ProfileFile(R"({"percent": "5"})")).status();
  CHECK(s.reason() == "profile.missing_field");
  CHECK(s.message().rfind("$.cap.base:", 0) == 0);
  std::string no_cap = ProfileFile("null");
  no_cap.replace(no_cap.find("\"cap\": null, "), 13, "");
  CHECK(reason(no_cap) == "profile.missing_field");
}
