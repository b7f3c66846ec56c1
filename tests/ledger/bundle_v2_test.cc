// carbonledger.bundle/2 (ledger format 4; docs/certification.md §Verifying a bundle of format 2)
// as an auditor would attack it: every single-value edit, every deletion, insertion and
// reordering of its entries and facts, facts relabelled from another issuance, and a bundle
// missing one retirement of the park-year are refused, each naming what was wrong; the honest
// bundle verifies, recomputed when it carries the confidential inventory.
#include <catch2/catch.hpp>
#include <functional>

#include "accounting/policy_profile.h"
#include "crypto/canonical_json.h"
#include "crypto/encoding.h"
#include "ledger/certification/bundle.h"
#include "ledger/certification/reports.h"
#include "ledger/log/proof.h"
#include "tests/ledger/registry_test_util.h"
#include "tests/support/inventory_doc.h"

using namespace carbonledger;
using nlohmann::json;

namespace {

// park-a's 2025: 1000 Nm3 of gas, 3 t of CCER it retired itself, 5 t the trader retired for it
// (accepted), 1 t the trader retired for it (not accepted), 2 t of ccer-wind it retired itself,
// and an engagement of the certifier; a statement under the uncapped profile.
struct V2Ledger {
  testing::RegistryFixture fx;
  std::string own, accepted, not_accepted, wind;
  uint64_t wind_first = 0, unrelated = 0, to_park = 0, to_trader = 0;
  json public_bundle, full_bundle;
  std::string id;

  std::string Retire(const std::string& signer, json units) {
    units["beneficiary"] = "park-a";
    units["reporting_year"] = 2025;
    units["purpose"] = "carbon_neutrality";
    auto r = fx.Ok(signer, "credit.retire", {{"ops", {units}}});
    return "R" + std::to_string(r.seq) + ".0";
  }

  V2Ledger() {
    fx.IssueCredit("ccer-free", "2024", 100);
    to_trader =
        fx.Ok("po2", "unit.transfer", {{"to", "trader"}, {"ops", {testing::Qty("CCER", 50)}}}).seq;
    to_park =
        fx.Ok("po2", "unit.transfer", {{"to", "park-a"}, {"ops", {testing::Qty("CCER", 10)}}}).seq;
    own = Retire("park-a", testing::Qty("CCER", 3));
    accepted = Retire("trader", testing::Qty("CCER", 5));
    not_accepted = Retire("trader", testing::Qty("CCER", 1));
    fx.Ok("park-a", "retirement.accept", {{"retirement", accepted}});
    wind_first = fx.IssueCredit("ccer-wind", testing::MonthVintage(3), 40);
    fx.Ok("po", "unit.transfer", {{"to", "park-a"}, {"ops", {testing::Qty("CCER", 40)}}});
    wind = Retire("park-a", testing::Range("CCER", wind_first, wind_first + 1));
    // An entry about another park-year, which no bundle of park-a's may carry.
    unrelated =
        fx.Ok("park-b", "certifier.engage", {{"certifier", "certifier"}, {"year", 2025}}).seq;
    fx.Ok("park-a", "certifier.engage", {{"certifier", "certifier"}, {"year", 2025}});
    fx.Ok("park-a", "inventory.record",
          {{"year", 2025}, {"inventory", testing::GasInventory("park-a", 2025)}});
    auto profile = accounting::EmbeddedPolicyProfile("uncapped");
    REQUIRE(profile.ok());
    auto draft = DraftStatement(fx.ledger(), "park-a", 2025, *profile);
    REQUIRE(draft.ok());
    auto r = fx.Ok("certifier", "statement.record",
                   {{"statement", draft->content}, {"checkpoint_size", draft->checkpoint_size}});
    id = StatementId(r.seq);
    auto pub = StatementBundle(fx.ledger(), id);
    REQUIRE(pub.ok());
    public_bundle = *pub;
    auto full = StatementBundle(fx.ledger(), id, /*include_confidential=*/true);
    REQUIRE(full.ok());
    full_bundle = *full;
  }

  NamedPublicKey Key() { return fx.ledger().log_key(); }
};

std::string Text(const json& b) {
  auto t = CanonicalJson(b);
  REQUIRE(t.ok());
  return *t;
}

// The refusal's message; fails the test if the bundle verifies or is refused for another reason.
std::string Refusal(const std::string& text, const NamedPublicKey& key) {
  auto r = VerifyStatementBundle(text, key);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().reason() == "bundle.invalid");
  return r.status().message();
}
std::string Refusal(const json& b, const NamedPublicKey& key) { return Refusal(Text(b), key); }

// Every leaf of `v` (string, number, boolean) by JSON pointer.
void ForEachLeaf(const json& v, const std::string& at,
                 const std::function<void(const std::string&)>& fn) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) ForEachLeaf(*it, at + "/" + it.key(), fn);
  } else if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i) ForEachLeaf(v[i], at + "/" + std::to_string(i), fn);
  } else if (!v.is_null()) {
    fn(at);
  }
}

}  // namespace

TEST_CASE("a format 4 bundle verifies from the entries alone, recomputed with the document",
          "[ledger][certification][bundle2]") {
  V2Ledger l;
  CHECK(l.public_bundle["format"] == "carbonledger.bundle/2");
  CHECK_FALSE(l.public_bundle.contains("confidential"));
  auto pub = VerifyStatementBundle(Text(l.public_bundle), l.Key());
  INFO(pub.status().ToString());
  REQUIRE(pub.ok());
  CHECK(pub->verdict == "pass");
  CHECK_FALSE(pub->recomputed);
  CHECK(pub->chain_entries >= 7);  // 4 retirements, an acceptance, the engagement, the inventory
  auto full = VerifyStatementBundle(Text(l.full_bundle), l.Key());
  INFO(full.status().ToString());
  REQUIRE(full.ok());
  CHECK(full->recomputed);
  // The public bundle holds none of the document: not its gas, only the commitment.
  const std::string text = Text(l.public_bundle);
  CHECK(text.find("natural_gas") == std::string::npos);
  CHECK(Text(l.full_bundle).find("natural_gas") != std::string::npos);
}

TEST_CASE("every single-value edit of a format 4 bundle is refused",
          "[ledger][certification][bundle2]") {
  V2Ledger l;
  const NamedPublicKey key = l.Key();
  int tried = 0;
  ForEachLeaf(l.full_bundle, "", [&](const std::string& pointer) {
    json b = l.full_bundle;
    json::json_pointer p(pointer);
    json& v = b[p];
    if (v.is_string()) {
      std::string s = v;
      if (s.empty()) {
        s = "x";
      } else {
        s.back() = s.back() == 'A' ? 'B' : 'A';
      }
      v = s;
    } else if (v.is_boolean()) {
      v = !v.get<bool>();
    } else {
      v = v.get<int64_t>() + 1;
    }
    ++tried;
    INFO(pointer);
    CHECK_FALSE(VerifyStatementBundle(Text(b), key).ok());
  });
  CHECK(tried > 100);
}

TEST_CASE("deleting, inserting or reordering a format 4 bundle's entries or facts is refused",
          "[ledger][certification][bundle2]") {
  V2Ledger l;
  const NamedPublicKey key = l.Key();
  const json& original = l.public_bundle;
  SECTION("every entry deleted in turn") {
    for (auto it = original["entries"].begin(); it != original["entries"].end(); ++it) {
      json b = original;
      b["entries"].erase(it.key());
      INFO("entry " << it.key());
      CHECK_FALSE(VerifyStatementBundle(Text(b), key).ok());
    }
  }
  SECTION("every facts row deleted in turn") {
    for (const char* table : {"retirements", "gec_claims"}) {
      for (size_t i = 0; i < original["facts"][table].size(); ++i) {
        json b = original;
        b["facts"][table].erase(i);
        CHECK(Refusal(b, key).starts_with("facts differ from what the entries say"));
      }
    }
  }
  SECTION("every member deleted in turn") {
    for (auto it = original.begin(); it != original.end(); ++it) {
      json b = original;
      b.erase(it.key());
      INFO(it.key());
      CHECK_FALSE(VerifyStatementBundle(Text(b), key).ok());
    }
  }
  SECTION("an entry the statement does not rest on, however well proved") {
    json b = original;
    auto e = l.fx.ledger().GetEntry(l.unrelated);
    REQUIRE(e.ok());
    const uint64_t size = l.fx.ledger().size();  // the bundle is at the latest checkpoint
    auto proof = l.fx.ledger().ProveInclusion(l.unrelated, size);
    REQUIRE(proof.ok());
    b["entries"][std::to_string(l.unrelated)] = {{"entry", Base64Encode(e->bytes)},
                                                 {"proof", EncodeProofHashes(proof->hashes)}};
    CHECK(Refusal(b, key) ==
          "entry " + std::to_string(l.unrelated) + " is not one the statement rests on");
  }
  SECTION("a facts row repeated") {
    json b = original;
    b["facts"]["retirements"].push_back(b["facts"]["retirements"][0]);
    CHECK(Refusal(b, key).starts_with("facts differ from what the entries say"));
  }
  SECTION("facts rows swapped") {
    json b = original;
    REQUIRE(b["facts"]["retirements"].size() >= 2);
    std::swap(b["facts"]["retirements"][0], b["facts"]["retirements"][1]);
    CHECK(Refusal(b, key).starts_with("facts differ from what the entries say"));
  }
  SECTION("members or entries in another order than the canonical one") {
    nlohmann::ordered_json reordered;
    std::vector<std::string> keys;
    for (auto it = original["entries"].begin(); it != original["entries"].end(); ++it) {
      keys.push_back(it.key());
    }
    std::reverse(keys.begin(), keys.end());
    for (auto it = original.begin(); it != original.end(); ++it) {
      if (it.key() != "entries") {
        reordered[it.key()] = *it;
        continue;
      }
      nlohmann::ordered_json entries;
      for (const std::string& k : keys) entries[k] = original["entries"][k];
      reordered["entries"] = entries;
    }
    CHECK(Refusal(reordered.dump(), key) == "the bundle is not canonical JSON (RFC 8785)");
    CHECK(Refusal(Text(original) + " ", key) == "the bundle is not canonical JSON (RFC 8785)");
  }
}

TEST_CASE("a format 4 bundle with facts relabelled from another issuance is refused",
          "[ledger][certification][bundle2]") {
  V2Ledger l;
  const NamedPublicKey key = l.Key();
  json b = l.public_bundle;
  // The ccer-free retirement relabelled as the local ccer-wind project's, with its issuance.
  json* row = nullptr;
  json* wind_row = nullptr;
  for (json& r : b["facts"]["retirements"]) {
    if (r["retirement_id"] == l.own) row = &r;
    if (r["retirement_id"] == l.wind) wind_row = &r;
  }
  REQUIRE(row != nullptr);
  REQUIRE(wind_row != nullptr);
  for (const char* member :
       {"project_id", "project_region_code", "issuance", "vintage_text", "vintage"}) {
    (*row)[member] = (*wind_row)[member];
  }
  CHECK(Refusal(b, key).starts_with("facts differ from what the entries say"));
}

TEST_CASE("a format 4 bundle missing one retirement of the park-year is refused",
          "[ledger][certification][bundle2]") {
  V2Ledger l;
  const NamedPublicKey key = l.Key();
  // The not-accepted retirement, its entry and its row taken out: the chain has a hole.
  json b = l.public_bundle;
  const std::string seq = l.not_accepted.substr(1, l.not_accepted.find('.') - 1);
  b["entries"].erase(seq);
  json rows = json::array();
  for (const json& r : b["facts"]["retirements"]) {
    if (r["retirement_id"] != l.not_accepted) rows.push_back(r);
  }
  b["facts"]["retirements"] = rows;
  CHECK(Refusal(b, key) == "the bundle lacks entry " + seq + ", of the chain of park-a/2025");
}

TEST_CASE("a format 4 bundle proves each retired block reached its retirer through transfers",
          "[ledger][certification][bundle2]") {
  V2Ledger l;
  const NamedPublicKey key = l.Key();
  REQUIRE(l.public_bundle["entries"].contains(std::to_string(l.to_park)));
  REQUIRE(l.public_bundle["entries"].contains(std::to_string(l.to_trader)));
  for (const auto& [seq, holder] : {std::pair{l.to_park, std::string("park-a")},
                                    std::pair{l.to_trader, std::string("trader")}}) {
    json b = l.public_bundle;
    b["entries"].erase(std::to_string(seq));
    const std::string why = Refusal(b, key);
    INFO(why);
    CHECK(why.find("do not reach \"" + holder + "\" through the bundle's transfers") !=
          std::string::npos);
  }
}
