// The inventory document: what it accepts and every refusal, each naming the JSON path.
#include "accounting/inventory.h"

#include <catch2/catch.hpp>

#include "tests/accounting/accounting_test_util.h"

using namespace carbonledger;
using namespace carbonledger::accounting;
using carbonledger::accounting::testing::D;
using carbonledger::accounting::testing::InventoryJson;

namespace {

Status Refusal(const std::string& text) { return ParseInventory(text).status(); }

void CheckRefused(const std::string& text, const std::string& reason, const std::string& path) {
  Status s = Refusal(text);
  INFO(s.ToString());
  CHECK(s.reason() == reason);
  CHECK(s.message().rfind(path + ":", 0) == 0);  // the message starts with the path
}

}  // namespace

TEST_CASE("a complete inventory parses with every section", "[accounting][inventory]") {
  auto inv = ParseInventory(InventoryJson(R"(
    "fuel_use": [{"fuel": "diesel", "activity": "final_consumption", "quantity": "12.5", "unit": "t",
                  "note": "fleet"},
                 {"fuel": "kerosene", "activity": "final_consumption", "quantity": "3", "unit": "t",
                  "international_aviation": true},
                 {"fuel": "naphtha", "activity": "feedstock", "quantity": "40", "unit": "kt"}],
    "conversion": [{"process": "coking",
                    "inputs": [{"fuel": "washed_coal", "quantity": "100", "unit": "t"}],
                    "outputs": [{"fuel": "coke", "quantity": "70", "unit": "t"}]}],
    "electricity": {"imports": [{"kind": "grid", "quantity": "1000", "unit": "MWh"},
                                {"kind": "certificate_backed", "quantity": "10", "unit": "GWh"}],
                    "exports": [{"kind": "direct_non_fossil", "quantity": "5", "unit": "MWh"}],
                    "onsite_generation": [{"kind": "non_fossil", "quantity": "200", "unit": "MWh"}]},
    "heat": {"imports": [{"kind": "fossil", "quantity": "1", "unit": "TJ",
                          "measured": {"ef": "0.095", "ef_unit": "tCO2/GJ"}}],
             "exports": [{"kind": "non_fossil", "quantity": "10", "unit": "GJ"}]},
    "process_output": [{"product": "cement_clinker", "quantity": "2", "unit": "10^4 t"}],
    "indicators": {"industrial_value_added": {"quantity": "25000", "unit": "10^4 CNY"}},
    "baseline": {"year": 2020, "emissions_t": "9000"})"));
  INFO(inv.status().ToString());
  REQUIRE(inv.ok());
  CHECK(inv->park_id == "p1");
  CHECK(inv->year == 2024);
  REQUIRE(inv->fuel_use.size() == 3);
  CHECK(inv->fuel_use[1].international_aviation);
  CHECK(inv->fuel_use[2].activity == Activity::kFeedstock);
  CHECK(inv->fuel_use[2].path == "$.fuel_use[2]");
  CHECK(inv->conversion[0].outputs[0].path == "$.conversion[0].outputs[0]");
  CHECK(inv->electricity_imports[1].kind == ElectricityKind::kCertificateBacked);
  CHECK(inv->heat_imports[0].measured.ef == D("0.095"));
  CHECK(inv->industrial_value_added == D("25000"));
  CHECK(inv->baseline->emissions_t == D("9000"));
}

TEST_CASE("the content hash ignores formatting and member order", "[accounting][inventory]") {
  auto a =
      ParseInventory(R"({"format":"carbonledger.inventory/1","park":{"id":"p1"},"year":2024})");
  auto b = ParseInventory(
      "{\n  \"year\": 2024,\n  \"park\": {\"id\": \"p1\"},\n  \"format\": "
      "\"carbonledger.inventory/1\"\n}");
  auto c =
      ParseInventory(R"({"format":"carbonledger.inventory/1","park":{"id":"p2"},"year":2024})");
  REQUIRE((a.ok() && b.ok() && c.ok()));
  CHECK(a->content_sha256 == b->content_sha256);
  CHECK(a->content_sha256 != c->content_sha256);
}

TEST_CASE("a missing park or year is refused naming the path", "[accounting][inventory]") {
  CheckRefused(R"({"format": "carbonledger.inventory/1", "park": {"id": "p1"}})",
               "inventory.missing_field", "$.year");
  CheckRefused(R"({"format": "carbonledger.inventory/1", "year": 2024})", "inventory.missing_field",
               "$.park");
  CheckRefused(R"({"format": "carbonledger.inventory/1", "park": {}, "year": 2024})",
               "inventory.missing_field", "$.park.id");
  CheckRefused(R"({"format": "carbonledger.inventory/1", "park": {"id": "p1"}, "year": 1800})",
               "inventory.out_of_range", "$.year");
  CheckRefused(R"({"park": {"id": "p1"}, "year": 2024})", "inventory.missing_field", "$.format");
  CheckRefused(R"({"format": "carbonledger.inventory/2", "park": {"id": "p1"}, "year": 2024})",
               "inventory.format", "$.format");
}

TEST_CASE("unknown members are refused at any depth", "[accounting][inventory]") {
  CheckRefused(InventoryJson(R"("colour": "green")"), "inventory.unknown_field", "$.colour");
  CheckRefused(InventoryJson(R"("fuel_use": [{"fuel": "diesel", "activity": "final_consumption",
                                              "quantity": "1", "unit": "t", "grade": "0#"}])"),
               "inventory.unknown_field", "$.fuel_use[0].grade");
  CheckRefused(InventoryJson(R"("electricity": {"imports": [], "storage": []})"),
               "inventory.unknown_field", "$.electricity.storage");
  CheckRefused(InventoryJson(R"("fuel_use": [{"fuel": "diesel", "activity": "final_consumption",
      "quantity": "1", "unit": "t", "measured": {"ncv": "43", "ncv_unit": "GJ/t", "sulphur": "1"}}])"),
               "inventory.unknown_field", "$.fuel_use[0].measured.sulphur");
}

TEST_CASE("quantities must be non-negative decimal strings", "[accounting][inventory]") {
  auto line = [](const std::string& quantity) {
    return InventoryJson(R"("fuel_use": [{"fuel": "diesel", "activity": "final_consumption",
                                          "quantity": )" +
                         quantity + R"(, "unit": "t"}])");
  };
  CheckRefused(line(R"("-1")"), "inventory.negative", "$.fuel_use[0].quantity");
  CheckRefused(line("12.5"), "inventory.type", "$.fuel_use[0].quantity");
  CheckRefused(line("12"), "inventory.type", "$.fuel_use[0].quantity");
  CheckRefused(line(R"("1e3")"), "inventory.bad_decimal", "$.fuel_use[0].quantity");
  CheckRefused(line(R"("0.0000000001")"), "inventory.bad_decimal", "$.fuel_use[0].quantity");
}

TEST_CASE("units outside the documented list are refused", "[accounting][inventory]") {
  CheckRefused(InventoryJson(R"("fuel_use": [{"fuel": "diesel", "activity": "final_consumption",
                                              "quantity": "1", "unit": "lb"}])"),
               "inventory.unknown_unit", "$.fuel_use[0].unit");
  CheckRefused(InventoryJson(R"("electricity": {"imports": [{"kind": "grid", "quantity": "1",
                                                             "unit": "TJ"}]})"),
               "inventory.unknown_unit", "$.electricity.imports[0].unit");
  CheckRefused(InventoryJson(R"("heat": {"imports": [{"kind": "fossil", "quantity": "1",
                                                      "unit": "kWh"}]})"),
               "inventory.unknown_unit", "$.heat.imports[0].unit");
  CheckRefused(InventoryJson(R"("process_output": [{"product": "cement_clinker", "quantity": "1",
                                                    "unit": "Nm3"}])"),
               "inventory.unknown_unit", "$.process_output[0].unit");
  CheckRefused(InventoryJson(R"("indicators": {"industrial_value_added": {"quantity": "1",
                                                                          "unit": "CNY"}})"),
               "inventory.unknown_unit", "$.indicators.industrial_value_added.unit");
}

TEST_CASE("enumerated members take only their documented values", "[accounting][inventory]") {
  CheckRefused(InventoryJson(R"("fuel_use": [{"fuel": "diesel", "activity": "cooking",
                                              "quantity": "1", "unit": "t"}])"),
               "inventory.bad_value", "$.fuel_use[0].activity");
  CheckRefused(InventoryJson(R"("electricity": {"exports": [{"kind": "certificate_backed",
                                                             "quantity": "1", "unit": "MWh"}]})"),
               "inventory.bad_value", "$.electricity.exports[0].kind");
  CheckRefused(InventoryJson(R"("fuel_use": [{"fuel": "diesel", "activity": "thermal_power",
                                              "quantity": "1", "unit": "t",
                                              "international_aviation": true}])"),
               "inventory.bad_value", "$.fuel_use[0].international_aviation");
  CheckRefused(InventoryJson(R"("heat": {"imports": [{"kind": "non_fossil", "quantity": "1",
                  "unit": "GJ", "measured": {"ef": "0.1", "ef_unit": "tCO2/GJ"}}]})"),
               "inventory.bad_value", "$.heat.imports[0].measured");
  CheckRefused(InventoryJson(R"("fuel_use": [{"fuel": "diesel", "activity": "final_consumption",
      "quantity": "1", "unit": "t", "measured": {"ef": "3", "ef_unit": "tCO2/t", "ncv": "43",
      "ncv_unit": "GJ/t"}}])"),
               "inventory.conflicting_fields", "$.fuel_use[0].measured");
  CheckRefused(InventoryJson(R"("fuel_use": [{"fuel": "diesel", "activity": "final_consumption",
      "quantity": "1", "unit": "t", "measured": {"oxidation_rate": "1.5"}}])"),
               "inventory.out_of_range", "$.fuel_use[0].measured.oxidation_rate");
}

TEST_CASE("malformed JSON and duplicate names are refused", "[accounting][inventory]") {
  CHECK(Refusal("{").reason() == "json.syntax");
  CHECK(Refusal(R"({"format": "carbonledger.inventory/1", "year": 2024, "year": 2025,
                    "park": {"id": "p1"}})")
            .reason() == "json.duplicate_key");
  CHECK(Refusal("[]").reason() == "inventory.type");
}

TEST_CASE("inventories are parsed by the strict parser, floats left to the typed reader",
          "[accounting][inventory]") {
  // docs/canonical-json.md §Accounting documents.
  auto with_year = [](const std::string& year) {
    std::string text = InventoryJson("");
    return text.replace(text.find("2024"), 4, year);
  };
  CheckRefused(with_year("2024.0"), "inventory.type", "$.year");
  CheckRefused(InventoryJson(R"("baseline": {"year": 2.02e3, "emissions_t": "1"})"),
               "inventory.type", "$.baseline.year");
  CHECK(Refusal(InventoryJson(R"("note": 1e400)")).reason() == "json.syntax");
  Status big = Refusal(with_year("9007199254740992"));
  CHECK(big.reason() == "json.integer_range");
  CHECK(big.message().rfind("inventory: byte ", 0) == 0);
  CHECK(Refusal(InventoryJson("\"note\": \"\xff\"")).reason() == "json.utf8");
  CHECK(Refusal(InventoryJson(R"("note": "\ud800")")).reason() == "json.utf8");
  CHECK(Refusal("\xef\xbb\xbf" + InventoryJson("")).reason() == "json.syntax");  // no BOM
  CHECK(Refusal(InventoryJson(R"("x": )" + std::string(31, '[') + std::string(31, ']'))).reason() ==
        "inventory.unknown_field");
  CHECK(Refusal(InventoryJson(R"("x": )" + std::string(32, '[') + std::string(32, ']'))).reason() ==
        "json.depth");
  CHECK(Refusal(std::string((8 << 20) + 1, ' ')).reason() == "json.too_large");
}

TEST_CASE("the JSON Schema lists the fuels and products of the default factor set",
          "[accounting][inventory][docs]") {
  auto schema = nlohmann::json::parse(
      carbonledger::accounting::testing::ReadSourceFile("docs/inventory.schema.json"));
  std::vector<std::string> fuels, products;
  for (const EmissionFactor& f : carbonledger::accounting::testing::DefaultFactors().entries()) {
    if (f.kind == FactorKind::kFuel) fuels.push_back(f.id);
    if (f.kind == FactorKind::kProcess) products.push_back(f.id);
  }
  CHECK(schema["$defs"]["fuel"]["enum"].get<std::vector<std::string>>() == fuels);
  CHECK(schema["$defs"]["product"]["enum"].get<std::vector<std::string>>() == products);
}
