// The offline bundle check (ledger/certification/bundle_verify.cc) on the bundle the previous
// version exported (tests/fixtures/ledger-v1/bundle-S29.json): it needs nothing but the bundle's
// bytes and the log key, the facts codec reads and rewrites it unchanged, and an edit of any
// character a check depends on is refused (docs/certification.md §Verifying a bundle).
#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <sstream>

#include "accounting/statement.h"
#include "crypto/canonical_json.h"
#include "ledger/certification/bundle.h"
#include "ledger/certification/internal/default_factors.h"
#include "ledger/certification/internal/facts_json.h"
#include "ledger/certification/park_facts.h"
#include "ledger/certification/reports.h"
#include "tests/ledger/registry_test_util.h"
#include "tests/support/inventory_doc.h"

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

namespace {

// park-a's 2025 on a real ledger: 1000 Nm3 of gas (about 2.2 t), 3 t of CCER it retired itself,
// and two retirements the trader made for it, 5 t (accepted by park-a) and 1 t (not accepted).
struct AcceptedLedger {
  testing::RegistryFixture fx;
  std::string own, accepted, not_accepted;
  uint64_t acceptance_seq = 0;

  std::string Retire(const std::string& signer, uint64_t q) {
    auto r = fx.Ok(signer, "credit.retire",
                   {{"ops",
                     {{{"instrument", "CCER"},
                       {"quantity", q},
                       {"beneficiary", "park-a"},
                       {"reporting_year", 2025},
                       {"purpose", "carbon_neutrality"}}}}});
    return "R" + std::to_string(r.seq) + ".0";
  }

  AcceptedLedger() {
    fx.IssueCredit("ccer-free", "2024", 100);
    fx.Ok("po2", "unit.transfer", {{"to", "trader"}, {"ops", {testing::Qty("CCER", 50)}}});
    fx.Ok("po2", "unit.transfer", {{"to", "park-a"}, {"ops", {testing::Qty("CCER", 10)}}});
    own = Retire("park-a", 3);
    accepted = Retire("trader", 5);
    not_accepted = Retire("trader", 1);
    acceptance_seq = fx.Ok("park-a", "retirement.accept", {{"retirement", accepted}}).seq;
    fx.Ok("park-a", "certifier.engage", {{"certifier", "certifier"}, {"year", 2025}});
    fx.Ok("park-a", "inventory.record",
          {{"year", 2025}, {"inventory", testing::GasInventory("park-a", 2025)}});
  }

  // Records `content` as certifier's statement at the current size; its bundle.
  json Record(const json& content, uint64_t size) {
    auto r =
        fx.Ok("certifier", "statement.record", {{"statement", content}, {"checkpoint_size", size}});
    auto bundle = StatementBundle(fx.ledger(), StatementId(r.seq));
    INFO(bundle.status().ToString());
    REQUIRE(bundle.ok());
    return *bundle;
  }

  NamedPublicKey Key() { return fx.ledger().log_key(); }
};

json& Row(json& bundle, const std::string& id) {
  for (json& row : bundle["facts"]["retirements"]) {
    if (row["retirement_id"] == id) return row;
  }
  FAIL("no row " << id);
  return bundle;
}

std::string Refusal(const json& bundle, const NamedPublicKey& key) {
  auto text = CanonicalJson(bundle);
  REQUIRE(text.ok());
  auto r = VerifyStatementBundle(*text, key);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().reason() == "bundle.invalid");
  return r.status().message();
}

}  // namespace

TEST_CASE("a bundle carries the park's acceptances and is refused without a valid one",
          "[ledger][certification][accept]") {
  AcceptedLedger l;
  auto profile = accounting::EmbeddedPolicyProfile("uncapped");
  REQUIRE(profile.ok());
  auto draft = DraftStatement(l.fx.ledger(), "park-a", 2025, *profile);
  REQUIRE(draft.ok());
  CHECK(draft->content["verdict"] == "pass");
  const json rows = draft->content["offsets"]["retirements"];
  REQUIRE(rows.size() == 3);
  CHECK_FALSE(rows[0].contains("status"));
  CHECK(rows[1]["status"] == "accepted");
  CHECK(rows[2]["status"] == "not_accepted");
  CHECK(draft->content["offsets"]["eligible_t"] == "8");  // 3 own + 5 accepted, not the 1
  const json bundle = l.Record(draft->content, draft->checkpoint_size);
  const NamedPublicKey key = l.Key();
  REQUIRE(bundle["entries"].contains(std::to_string(l.acceptance_seq)));
  {
    json b = bundle;
    CHECK(Row(b, l.accepted)["accepted_seq"] == l.acceptance_seq);
    CHECK(Row(b, l.accepted)["retired_by"] == "trader");
    CHECK_FALSE(Row(b, l.not_accepted).contains("accepted_seq"));
  }
  auto ok = VerifyStatementBundle(bundle.dump(), key);
  INFO(ok.status().ToString());
  REQUIRE(ok.ok());
  CHECK(ok->verdict == "pass");

  // bundle/2 derives every row from the entries, so an edited row is refused as such, and an
  // entry of the park-year's chain cannot be left out.
  const std::string edited = "facts differ from what the entries say";
  SECTION("without the acceptance entry") {
    json b = bundle;
    b["entries"].erase(std::to_string(l.acceptance_seq));
    CHECK(Refusal(b, key) == "the bundle lacks entry " + std::to_string(l.acceptance_seq) +
                                 ", of the chain of park-a/2025");
  }
  SECTION("with another retirement's acceptance") {
    json b = bundle;
    Row(b, l.not_accepted)["accepted_seq"] = l.acceptance_seq;
    CHECK(Refusal(b, key).starts_with(edited));
  }
  SECTION("with an acceptance of the park's own retirement") {
    json b = bundle;
    Row(b, l.own)["accepted_seq"] = l.acceptance_seq;
    CHECK(Refusal(b, key).starts_with(edited));
  }
  SECTION("passing another account's retirement off as the park's own") {
    json b = bundle;
    Row(b, l.not_accepted)["retired_by"] = "park-a";
    CHECK(Refusal(b, key).starts_with(edited));
    Row(b, l.not_accepted).erase("retired_by");
    CHECK(Refusal(b, key).starts_with(edited));
  }
  SECTION("dropping an acceptance") {
    json b = bundle;
    Row(b, l.accepted).erase("accepted_seq");
    CHECK(Refusal(b, key).starts_with(edited));
  }
}

TEST_CASE("a statement computed on a forged acceptance is refused when it is recorded",
          "[ledger][certification][accept][recompute]") {
  AcceptedLedger l;
  auto profile = accounting::EmbeddedPolicyProfile("uncapped");
  REQUIRE(profile.ok());
  // The certifier signs a statement computed as if park-a had accepted the 1 t retirement too,
  // naming the acceptance park-a made of the other one.
  auto facts = ParkFacts(l.fx.ledger(), "park-a", 2025);
  REQUIRE(facts.ok());
  for (RetiredBlock& r : facts->retirements) {
    if (r.retirement == l.not_accepted) r.accepted_seq = l.acceptance_seq;
  }
  auto inv = RequireInventory(l.fx.ledger(), "park-a", 2025);
  REQUIRE(inv.ok());
  auto factors = certification::DefaultFactors();
  REQUIRE(factors.ok());
  const uint64_t size = l.fx.ledger().size();
  auto forged = accounting::BuildStatementContent(
      inv->document, *factors, *profile, facts->ForAccounting(), accounting::MethodVersion::kV2);
  REQUIRE(forged.ok());
  // The ledger recomputes it at the same checkpoint with the same engine and refuses it,
  // naming the first difference; nothing is recorded.
  auto r = l.fx.Send("certifier", "statement.record",
                     {{"statement", json::parse(*forged)}, {"checkpoint_size", size}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().reason() == "statement.mismatch");
  CHECK(r.status().message().find("checkpoint_size " + std::to_string(size)) != std::string::npos);
  CHECK(r.status().message().find("$.offsets") != std::string::npos);
  CHECK(l.fx.ledger().size() == size);
}

TEST_CASE("what is recorded after a statement does not change its bundle",
          "[ledger][certification][accept]") {
  AcceptedLedger l;
  auto profile = accounting::EmbeddedPolicyProfile("uncapped");
  REQUIRE(profile.ok());
  auto draft = DraftStatement(l.fx.ledger(), "park-a", 2025, *profile);
  REQUIRE(draft.ok());
  json before = l.Record(draft->content, draft->checkpoint_size);
  // Afterwards the trader retires 1 t more for park-a, which accepts the earlier 1 t.
  l.Retire("trader", 1);
  l.fx.Ok("park-a", "retirement.accept", {{"retirement", l.not_accepted}});
  auto bundle = StatementBundle(l.fx.ledger(), before["statement_id"].get<std::string>());
  REQUIRE(bundle.ok());
  CHECK(bundle->at("facts") == before["facts"]);
  auto report = VerifyStatementBundle(bundle->dump(), l.Key());
  INFO(report.status().ToString());
  CHECK(report.ok());
}

TEST_CASE(
    "an honest statement's bundle verifies after later claims, retirements and a "
    "correction, which are shown as since",
    "[ledger][certification][since]") {
  AcceptedLedger l;
  auto profile = accounting::EmbeddedPolicyProfile("uncapped");
  REQUIRE(profile.ok());
  auto draft = DraftStatement(l.fx.ledger(), "park-a", 2025, *profile);
  REQUIRE(draft.ok());
  json before = l.Record(draft->content, draft->checkpoint_size);
  const std::string id = before["statement_id"];
  auto fresh = GetStatement(l.fx.ledger(), id);
  REQUIRE(fresh.ok());
  CHECK((*fresh)["superseded"] == false);
  CHECK((*fresh)["since"]["retirements"].empty());
  CHECK_FALSE((*fresh)["since"].contains("inventory_superseded_by"));
  // Afterwards: park-a retires 2 t itself, accepts the trader's 1 t, and corrects its inventory.
  const std::string later = l.Retire("park-a", 2);
  const uint64_t accept_seq =
      l.fx.Ok("park-a", "retirement.accept", {{"retirement", l.not_accepted}}).seq;
  auto inv = CurrentInventory(l.fx.ledger(), "park-a", 2025);
  REQUIRE(inv.ok());
  REQUIRE(inv->has_value());
  const uint64_t correction = l.fx.Ok("park-a", "inventory.record",
                                      {{"year", 2025},
                                       {"inventory", testing::GasInventory("park-a", 2025, "5000")},
                                       {"supersedes", (*inv)->seq},
                                       {"reason", "meter reading corrected"}})
                                  .seq;
  // The bundle rests on the facts and the inventory version as of the statement, and verifies.
  auto bundle = StatementBundle(l.fx.ledger(), id);
  INFO(bundle.status().ToString());
  REQUIRE(bundle.ok());
  CHECK(bundle->at("facts") == before["facts"]);
  auto report = VerifyStatementBundle(bundle->dump(), l.Key());
  INFO(report.status().ToString());
  CHECK(report.ok());
  // What came later is reported beside it, and the statement is flagged superseded.
  auto st = GetStatement(l.fx.ledger(), id);
  REQUIRE(st.ok());
  CHECK((*st)["superseded"] == true);
  const json& since = (*st)["since"];
  CHECK(since["inventory_superseded_by"] == correction);
  REQUIRE(since["retirements"].size() == 1);
  CHECK(since["retirements"][0]["retirement"] == later);
  CHECK(since["retirements"][0]["quantity_tco2e"] == 2);
  CHECK(since["retirements"][0]["retired_by"] == "park-a");
  REQUIRE(since["acceptances"].size() == 1);
  CHECK(since["acceptances"][0]["seq"] == accept_seq);
  CHECK(since["acceptances"][0]["retirement"] == l.not_accepted);
  CHECK(since["claims"].empty());
  // The same in the park-year's statement list.
  auto ids = ParkStatements(l.fx.ledger().state(), "park-a", 2025);
  REQUIRE(ids.ok());
  CHECK(*ids == std::vector<std::string>{id});
}
