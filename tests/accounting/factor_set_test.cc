// Factor sets as versioned data: the built-in sets, their sources and the refusals of a bad file.
#include "accounting/factor_set.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "crypto/encoding.h"
#include "tests/accounting/accounting_test_util.h"

using namespace carbonledger;
using namespace carbonledger::accounting;
using carbonledger::accounting::testing::D;
using carbonledger::accounting::testing::ReadSourceFile;

namespace {

const FactorSet& DefaultSet() {
  static const FactorSet set = *FactorSet::Embedded("factors-2025");
  return set;
}

Decimal EfOf(FactorKind kind, const char* id) {
  const EmissionFactor* f = DefaultSet().Find(kind, id);
  REQUIRE(f != nullptr);
  REQUIRE(f->ef.has_value());
  return *f->ef;
}

// A minimal valid factor file with one fuel, to which tests apply one edit each.
std::string MinimalFile(const std::string& fuel_fields) {
  return R"({"format": "carbonledger.factors/1", "version": "test-1", "title": "t",
    "sources": {"s": {"citation": "c"}},
    "fuels": [{"id": "diesel", "name_zh": "柴油", "name_en": "diesel", "group": "oil", "unit": "t",
               "source": "s")" +
         fuel_fields + R"(}],
    "processes": [],
    "electricity": [{"id": "grid", "name_zh": "g", "name_en": "g", "unit": "MWh", "ef": "0.8325", "source": "s"},
                    {"id": "non_fossil", "name_zh": "n", "name_en": "n", "unit": "MWh", "ef": "0", "source": "s"}],
    "heat": [{"id": "fossil", "name_zh": "f", "name_en": "f", "unit": "GJ", "ef": "0.11", "source": "s"},
             {"id": "non_fossil", "name_zh": "n", "name_en": "n", "unit": "GJ", "ef": "0", "source": "s"}]})";
}

}  // namespace

TEST_CASE("a fuel factor is NCV x carbon content x oxidation x 44/12 rounded once to 4 digits",
          "[accounting][factors]") {
  // 26.7 x 0.0274 x 0.94 x 44/12 = 0.6876852 x 11/3 = 2.5215124 -> 2.5215
  CHECK(FuelEmissionFactor(D("26.7"), D("0.0274"), D("0.94"))->ToString() == "2.5215");
  // 389.31 x 0.0153 = 5.956443; x 0.99 = 5.89687857; x 44/12 = 21.62188809 -> 21.6219
  CHECK(FuelEmissionFactor(D("389.31"), D("0.0153"), D("0.99"))->ToString() == "21.6219");
  // Ties go to the even last digit: 3 x 0.0001 x 0.5 x 44/12 = 0.00055 lies halfway between
  // 0.0005 and 0.0006 -> 0.0006; 4.5 x 0.0001 x 1 x 44/12 = 0.00165 -> 0.0016.
  CHECK(FuelEmissionFactor(D("3"), D("0.0001"), D("0.5"))->ToString() == "0.0006");
  CHECK(FuelEmissionFactor(D("4.5"), D("0.0001"), D("1"))->ToString() == "0.0016");
  // 1.5 x 0.0001 x 0.5 x 44/12 = 0.000275 -> 0.0003 (above the tie at 0.00025)
  CHECK(FuelEmissionFactor(D("1.5"), D("0.0001"), D("0.5"))->ToString() == "0.0003");
}

TEST_CASE("the default factor set names the method's defaults", "[accounting][factors]") {
  CHECK(DefaultSet().version() == "factors-2025");
  CHECK(EfOf(FactorKind::kElectricity, "grid") == D("0.8325"));
  CHECK(EfOf(FactorKind::kElectricity, "non_fossil") == D("0"));
  CHECK(EfOf(FactorKind::kHeat, "fossil") == D("0.11"));
  CHECK(EfOf(FactorKind::kHeat, "non_fossil") == D("0"));
  // Hand values (GB/T 32151.22-2024 Table C.1 parameters):
  CHECK(EfOf(FactorKind::kFuel, "anthracite") == D("2.5215"));  // 26.7 x 0.0274 x 0.94 x 44/12
  CHECK(EfOf(FactorKind::kFuel, "diesel") ==
        D("3.0959"));  // 42.652 x 0.0202 x 0.98 x 44/12 = 3.09591
  CHECK(EfOf(FactorKind::kFuel, "natural_gas") == D("21.6219"));
  CHECK(EfOf(FactorKind::kProcess, "cement_clinker") == D("0.5101"));
  const EmissionFactor* gas = DefaultSet().Find(FactorKind::kFuel, "natural_gas");
  CHECK(gas->unit == "10^4 Nm3");
  CHECK(gas->source == "gbt32151.22-2024-c1");
  CHECK(gas->csv_row == 95);
  CHECK(DefaultSet().Source("gbt32151.22-2024-c1") != nullptr);
}

TEST_CASE("every fuel and product the method lists is in the default set",
          "[accounting][factors]") {
  for (const char* id : {"anthracite",
                         "coking_bituminous_coal",
                         "general_bituminous_coal",
                         "lignite",
                         "washed_coal",
                         "other_washed_coal",
                         "briquettes",
                         "coal_gangue",
                         "coke",
                         "coke_oven_gas",
                         "blast_furnace_gas",
                         "converter_gas",
                         "other_gas",
                         "other_coking_products",
                         "crude_oil",
                         "gasoline",
                         "kerosene",
                         "diesel",
                         "fuel_oil",
                         "naphtha",
                         "lubricants",
                         "paraffin",
                         "solvent_oil",
                         "asphalt",
                         "petroleum_coke",
                         "lpg",
                         "refinery_dry_gas",
                         "other_petroleum_products",
                         "natural_gas",
                         "lng"}) {
    INFO(id);
    CHECK(DefaultSet().Find(FactorKind::kFuel, id) != nullptr);
  }
  for (const char* id : {"cement_clinker", "lime_high_calcium", "ammonia_coal", "ammonia_coal_gas",
                         "ammonia_natural_gas", "ammonia_oil", "methanol_coal", "methanol_coal_gas",
                         "methanol_natural_gas", "primary_aluminium_prebake", "crude_steel_bof",
                         "ferrosilicon_75", "silicomanganese", "ferromanganese_7c", "ferronickel",
                         "ferrochromium", "industrial_silicon", "calcium_carbide"}) {
    INFO(id);
    CHECK(DefaultSet().Find(FactorKind::kProcess, id) != nullptr);
  }
}

TEST_CASE("items with no published value are present but have no default",
          "[accounting][factors]") {
  for (const char* id : {"coal_gangue", "other_coking_products"}) {
    const EmissionFactor* f = DefaultSet().Find(FactorKind::kFuel, id);
    REQUIRE(f != nullptr);
    CHECK_FALSE(f->has_default());
    CHECK(f->source == "none");
  }
  for (const char* id : {"ferronickel", "methanol_coal_gas", "ammonia_coal_gas"}) {
    CHECK_FALSE(DefaultSet().Find(FactorKind::kProcess, id)->has_default());
  }
}

TEST_CASE("every shipped value names its source and csv row", "[accounting][factors]") {
  for (const EmissionFactor& f : DefaultSet().entries()) {
    INFO(f.id);
    REQUIRE(DefaultSet().Source(f.source) != nullptr);
    if (f.has_default() && f.source != "ndrc-910-method") CHECK(f.csv_row > 1);
  }
}

TEST_CASE("the 2023 grid-factor set differs from the default only in the grid factor",
          "[accounting][factors]") {
  auto other = FactorSet::Embedded("factors-2025-grid2023");
  REQUIRE(other.ok());
  CHECK(other->Find(FactorKind::kElectricity, "grid")->ef == D("0.8273"));
  REQUIRE(other->entries().size() == DefaultSet().entries().size());
  for (size_t i = 0; i < other->entries().size(); ++i) {
    const EmissionFactor& a = DefaultSet().entries()[i];
    const EmissionFactor& b = other->entries()[i];
    if (a.kind == FactorKind::kElectricity && a.id == "grid") continue;
    CHECK(a.id == b.id);
    CHECK(a.ef == b.ef);
  }
  CHECK(other->sha256() != DefaultSet().sha256());
}

TEST_CASE("a factor set is named by its version and the SHA-256 of its file",
          "[accounting][factors]") {
  std::string bytes = ReadSourceFile("accounting/data/factors-2025.json");
  CHECK(DefaultSet().sha256() == Sha256(bytes));
  auto parsed = FactorSet::Parse(bytes);
  REQUIRE(parsed.ok());
  CHECK(parsed->sha256_hex() == DefaultSet().sha256_hex());
  CHECK(parsed->sha256_hex().size() == 64);
}

TEST_CASE("a user factor file in the same format loads", "[accounting][factors]") {
  auto set = FactorSet::Parse(
      MinimalFile(R"(, "ncv": "42.652", "carbon_content": "0.0202", "oxidation_rate": "0.98",
                      "published_ef": "3.0959")"));
  REQUIRE(set.ok());
  CHECK(set->version() == "test-1");
  CHECK(set->Find(FactorKind::kFuel, "diesel")->ef == D("3.0959"));
}

TEST_CASE("a bad factor file is refused naming the field", "[accounting][factors]") {
  auto reason = [](const std::string& fields) {
    return FactorSet::Parse(MinimalFile(fields)).status();
  };
  auto s = reason(R"(, "ef": "3.1", "colour": "red")");
  CHECK(s.reason() == "factors.unknown_field");
  CHECK(s.message().find("$.fuels[0].colour") != std::string::npos);
  s = reason(R"(, "ncv": "42.652", "carbon_content": "0.0202", "oxidation_rate": "0.98",
                 "published_ef": "3.0960")");
  CHECK(s.reason() == "factors.published_ef_mismatch");
  CHECK(reason(R"(, "ef": 3.1)").reason() == "factors.type");
  CHECK(reason(R"(, "ncv": "42.652")").reason() == "factors.missing_field");
  CHECK(reason(R"(, "ncv": "1", "carbon_content": "0.02", "oxidation_rate": "1.2")").reason() ==
        "factors.out_of_range");
  CHECK(reason("").reason() == "factors.missing_value");
  CHECK(reason(R"(, "ef": "3", "status": "no_default")").reason() == "factors.missing_value");
  CHECK(FactorSet::Parse("{").status().reason() == "json.syntax");
  CHECK(FactorSet::Embedded("factors-1999").status().reason() == "factors.unknown_version");
}
