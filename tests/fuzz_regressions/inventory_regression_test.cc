// Regression tests for what the fuzzers found in the accounting documents' JSON reader
// (docs/reliability.md §Fuzzing).
#include <catch2/catch.hpp>
#include <string>

#include "accounting/factor_set.h"
#include "accounting/inventory.h"
#include "accounting/policy_profile.h"

using namespace carbonledger::accounting;

namespace {

const std::string kInventory =
    R"({"format":"carbonledger.inventory/1","park":{"id":"p","name":"P"},"year":1990})";

}  // namespace

// Found by canonical_json_fuzz (nlohmann accepted "2\0\n\x04") and then inventory_fuzz:
// nlohmann takes a NUL byte for the end of the input, so ParseJsonDocument accepted a document
// followed by a NUL and anything at all — inventories, factor sets, policy profiles. Fixed in
// accounting/json_reader.cc (now internal/): a raw NUL anywhere is "json.syntax". Since then
// crypto's ParseStrictJson parses them, reading the whole text; a NUL is a stray byte there.
TEST_CASE("accounting documents with a NUL byte are not JSON", "[accounting][fuzz]") {
  REQUIRE(ParseInventory(kInventory).ok());
  for (const std::string& text :
       {kInventory + std::string("\0", 1), kInventory + std::string("\0not json {{{", 12),
        std::string("\0", 1) + kInventory, std::string("{\"format\"\0", 10)}) {
    auto inv = ParseInventory(text);
    REQUIRE_FALSE(inv.ok());
    CHECK(inv.status().reason() == "json.syntax");
  }
  // The same reader parses factor sets and policy profiles: "{}" alone is JSON and is refused
  // for its content; with a NUL and more after it, it is not JSON at all.
  CHECK(FactorSet::Parse("{}").status().reason() != "json.syntax");
  CHECK(FactorSet::Parse(std::string("{}\0{", 3)).status().reason() == "json.syntax");
  CHECK(ParsePolicyProfile("{}").status().reason() != "json.syntax");
  CHECK(ParsePolicyProfile(std::string("{}\0{", 3)).status().reason() == "json.syntax");
}
