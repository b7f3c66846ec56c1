// What accounting hashes and signs is RFC 8785 canonical JSON, written by crypto's CanonicalJson
// (docs/canonical-json.md): the inventory content hash and the statement content. Until the
// writers were unified both were nlohmann's dump() of a sorted std::map, equal to RFC 8785 only
// by argument; these tests pin the bytes so that the switch changed none of them:
//   - each document's content hash is the one the previous writer gave (the constants below were
//     computed by it; the demo inventory's is also recorded in tests/fixtures/ledger-v1),
//   - and, for the same documents, the previous writer's expression still gives the same bytes.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "accounting/statement.h"
#include "crypto/canonical_json.h"
#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "tests/accounting/accounting_test_util.h"

using namespace carbonledger;
using namespace carbonledger::accounting;
using namespace carbonledger::accounting::testing;

namespace {

// The previous writer, as inventory.cc and statement.cc called it.
std::string NlohmannDump(std::string_view text) {
  return nlohmann::json::parse(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
}

std::string HexSha256(std::string_view bytes) { return HexEncode(AsBytes(Sha256(bytes))); }

// The demo parks' inventories (tools/carbonledger/demo_command.cc) as the ledger holds them.
const char* kHefei =
    R"({"electricity":{"imports":[{"kind":"direct_non_fossil","quantity":"60000","unit":"MWh"},)"
    R"({"kind":"certificate_backed","quantity":"40000","unit":"MWh"}]},)"
    R"("format":"carbonledger.inventory/1","fuel_use":[{"activity":"final_consumption",)"
    R"("fuel":"natural_gas","note":"process heat and canteens","quantity":"1300000",)"
    R"("unit":"Nm3"}],"indicators":{"industrial_value_added":{"quantity":"250000",)"
    R"("unit":"10^4 CNY"}},)"
    R"j("park":{"id":"park-hefei","name":"合肥零碳产业园 (demo)"},"year":2025})j";
const char* kLanzhou =
    R"({"electricity":{"imports":[{"kind":"grid","quantity":"20000","unit":"MWh"},)"
    R"({"kind":"certificate_backed","quantity":"5000","unit":"MWh"}]},)"
    R"("format":"carbonledger.inventory/1","fuel_use":[{"activity":"final_consumption",)"
    R"("fuel":"diesel","quantity":"420","unit":"t"}],)"
    R"j("park":{"id":"park-lanzhou","name":"兰州新区绿色产业园 (demo)"},"year":2025})j";

// Free text where the two writers could disagree: every escape RFC 8785 §3.2.2.2 names, other
// controls, DEL, non-ASCII in 2, 3 and 4 bytes (one written as a surrogate pair), U+2028/U+2029
// (JSON.stringify leaves them literal) and a byte-order mark inside a string.
const char* kAwkwardText =
    R"(tab\there \u0001\u001f\u007f \b\f\n\r \"q\" \\ \/ é中😀 \ud83d\ude00 \u2028\u2029 \ufeff)";

std::string AwkwardInventory(const std::string& more = "") {
  return InventoryJson(std::string(R"("note": ")") + kAwkwardText + R"(",
    "fuel_use": [{"fuel": "diesel", "activity": "final_consumption", "quantity": "1", "unit": "t",
                  "note": ")" +
                           kAwkwardText + R"("}])" + more,
                       2024, "park-\u00e9");
}

}  // namespace

TEST_CASE("inventory content hashes are unchanged by the RFC 8785 writer",
          "[accounting][inventory][canonical]") {
  struct Case {
    std::string name, text, sha256;
  };
  const Case cases[] = {
      {"accounting/examples/wind-industry-park-2020.json",
       ReadSourceFile("accounting/examples/wind-industry-park-2020.json"),
       "f13d47982b9fa417a09da07b8bcc6d63a18010816021f00370f9cdd599c3b21d"},
      {"demo park-hefei (tests/fixtures/ledger-v1 entry 27)", kHefei,
       "2a63e74ff45d085473aea15c5e3df47668e433e715326782e05a6272113ec754"},
      {"demo park-lanzhou", kLanzhou,
       "bf86339c42bbab6fe9bc82b26d030c24d55aaf41e328a8f13baf51ba07847ea5"},
      {"tests/fuzz/corpus/inventory/all-sections.json",
       ReadSourceFile("tests/fuzz/corpus/inventory/all-sections.json"),
       "4e625f9107c143fa8e37b0231106b21dca2ed4ae8bae5fc4a3d1c5561e61cd57"},
      {"tests/fuzz/corpus/inventory/minimal.json",
       ReadSourceFile("tests/fuzz/corpus/inventory/minimal.json"),
       "a648509dacc123c018290de61ab792c5a6331d3a3a9ffa9df06f2109fca0f4eb"},
      {"awkward strings", AwkwardInventory(),
       "fc9fc98479e72ab1d54ce22e9187a4797182e38347e05c6b34b19f5034460d3e"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    auto inv = ParseInventory(c.text);
    INFO(inv.status().ToString());
    REQUIRE(inv.ok());
    CHECK(HexEncode(AsBytes(inv->content_sha256)) == c.sha256);
    auto canonical = CanonicalJson(*ParseStrictJson(c.text));
    REQUIRE(canonical.ok());
    CHECK(*canonical == NlohmannDump(c.text));
    CHECK(Sha256(*canonical) == inv->content_sha256);
  }
}

namespace {

// Facts whose strings reach the statement: a GEC block and a retirement with awkward text.
LedgerFacts AwkwardFacts() {
  LedgerFacts f = FactsFor("park-\u00e9", 2024);
  GecBlock b = Block("GEC-\u98ce\u7535-1", 1);
  b.generator_id = "\u98ce\u7535\u573a \"1\"\t\x7f\U0001F600\x01";
  b.province = "\u5185\u8499\u53e4";
  f.gec_claims = {b};
  CreditRetirement r;
  r.retirement_id = "\u6ce8\u9500-1\n\u2028";
  r.instrument = "CCER";
  r.quantity_tco2e = 1;
  r.vintage = 2023;
  r.project_id = "CCER-\u9879\u76ee";
  r.project_region_code = "150000";
  r.purpose = "carbon_neutrality";
  r.beneficiary_park_id = f.park_id;
  r.reporting_year = 2024;
  r.entry_seq = 8;
  f.retirements = {r};
  return f;
}

}  // namespace

TEST_CASE("statement bytes are unchanged by the RFC 8785 writer",
          "[accounting][statement][canonical]") {
  const std::string example = ReadSourceFile("accounting/examples/wind-industry-park-2020.json");
  const std::string awkward = AwkwardInventory(R"(, "electricity": {"imports": [
        {"kind": "certificate_backed", "quantity": "1", "unit": "MWh"}]})");
  struct Case {
    std::string name, inventory, profile;
    LedgerFacts facts;
    std::string sha256;
  };
  const Case cases[] = {
      {"example, uncapped", example, "uncapped", WorkedExampleFacts(),
       "eaf39daec3a4fbd3fdc47879fdcbf0ede252cc93667392772a0603e585d0aeda"},
      {"example, anhui-2024", example, "anhui-2024", WorkedExampleFacts(),
       "eb9638768eb9f2c8950872d72f321b3b1f569dd992f8f94a462a63ab8d8e2aab"},
      {"example, national-ets", example, "national-ets", WorkedExampleFacts(),
       "49e2ac61036accf5ac42455e6363463723fda3816655f695db096b2a577b491a"},
      {"awkward strings, uncapped", awkward, "uncapped", AwkwardFacts(),
       "58737a536d04c83f857b3d0de4beaba72f0a047114c3068a9c955c3a072fae1d"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    auto profile = EmbeddedPolicyProfile(c.profile);
    REQUIRE(profile.ok());
    auto content = BuildStatementContent(c.inventory, DefaultFactors(), *profile, c.facts);
    INFO(content.status().ToString());
    REQUIRE(content.ok());
    CHECK(HexSha256(*content) == c.sha256);
    CHECK(*content == NlohmannDump(*content));
    CHECK(VerifyStatementContent(*content, c.inventory, DefaultFactors(), *profile, c.facts).ok());
    if (c.facts.park_id != "wind-industry-park") {  // the awkward strings did reach the bytes
      CHECK(content->find("\\t\x7f\U0001F600\\u0001") != std::string::npos);
      CHECK(content->find("\\n\u2028") != std::string::npos);
    }
  }
}
