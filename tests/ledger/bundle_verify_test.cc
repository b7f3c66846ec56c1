// The offline bundle check (ledger/certification/bundle_verify.cc) on the bundle the previous
// version exported (tests/fixtures/ledger-v1/bundle-S29.json): it needs nothing but the bundle's
// bytes and the log key, the facts codec reads and rewrites it unchanged, and an edit of any
// character a check depends on is refused (docs/certification.md §Verifying a bundle).
#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <sstream>

#include "ledger/certification/bundle.h"
#include "ledger/certification/internal/facts_json.h"

using namespace carbonledger;
using nlohmann::json;

namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string kFixture = std::string(CARBONLEDGER_SOURCE_DIR) + "/tests/fixtures/ledger-v1";

NamedPublicKey LogKey() {
  const std::string pub = Slurp(kFixture + "/keys/log.pub");
  auto key = ParsePublicKey(pub.substr(0, pub.find('\n')));
  REQUIRE(key.ok());
  return *key;
}

json FixtureBundle() { return json::parse(Slurp(kFixture + "/bundle-S29.json")); }

// Every string leaf of `v`, by JSON pointer.
void ForEachString(const json& v, const std::string& at,
                   const std::function<void(const std::string&)>& fn) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) ForEachString(*it, at + "/" + it.key(), fn);
  } else if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i) ForEachString(v[i], at + "/" + std::to_string(i), fn);
  } else if (v.is_string()) {
    fn(at);
  }
}

}  // namespace

TEST_CASE("the facts of a bundle of the previous version decode and encode to the same JSON",
          "[ledger][certification][format]") {
  const json facts = FixtureBundle()["facts"];
  auto decoded = certification::FactsFromJson(facts);
  REQUIRE(decoded.ok());
  CHECK(decoded->gec_claims.size() == 2);
  CHECK(decoded->gec_claims[0].claim == "C24.0");
  CHECK(decoded->gec_claims[0].region == "620000");
  CHECK(decoded->retirements.size() == 2);
  CHECK(decoded->retirements[0].vintage == "2024");
  CHECK(certification::FactsJson(*decoded) == facts);
}

TEST_CASE("a bundle verifies with nothing but its bytes and the log key",
          "[ledger][certification][format]") {
  auto report = VerifyStatementBundle(FixtureBundle().dump(), LogKey());
  INFO(report.status().ToString());
  REQUIRE(report.ok());
  CHECK(report->statement_id == "S29");
  CHECK(report->park == "park-hefei");
  CHECK(report->year == 2025);
  CHECK(report->verdict == "pass");
  CHECK(report->tree_size == 30);
  CHECK(report->entries_proved == 12);
}

TEST_CASE(
    "an operation id must name its kind: C for a claim, R for a retirement, I for an issuance",
    "[ledger][certification]") {
  for (const char* pointer :
       {"/facts/gec_claims/0/claim", "/facts/gec_claims/1/issuance",
        "/facts/retirements/0/retirement_id", "/facts/retirements/1/issuance"}) {
    json b = FixtureBundle();
    json::json_pointer p(pointer);
    std::string id = b[p];
    id[0] = id[0] == 'C' ? 'R' : 'C';
    b[p] = id;
    auto r = VerifyStatementBundle(b.dump(), LogKey());
    INFO(pointer);
    CHECK(r.status().reason() == "bundle.invalid");
    CHECK(r.status().message() == "bad operation id " + id);
  }
}

TEST_CASE("changing the first or the last character of any string in a bundle is refused",
          "[ledger][certification]") {
  const json original = FixtureBundle();
  const NamedPublicKey key = LogKey();
  int tried = 0;
  ForEachString(original, "", [&](const std::string& pointer) {
    for (bool first : {true, false}) {
      json b = original;
      json::json_pointer p(pointer);
      std::string s = b[p];
      if (s.empty()) continue;
      char& c = first ? s.front() : s.back();
      c = c == 'A' ? 'B' : 'A';
      b[p] = s;
      ++tried;
      INFO(pointer << (first ? " first" : " last"));
      CHECK_FALSE(VerifyStatementBundle(b.dump(), key).ok());
    }
  });
  CHECK(tried > 100);
}
