// Certification needs an engagement, through the real server (docs/certification.md
// §Engagements): a certifier reads a park-year's private views and records a statement about it
// only while the park engages it for that year; auditors keep their access; the park engages
// and revokes with transactions it signs, and every refusal leaves the log as it was.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ledger/certification/bundle.h"
#include "tests/support/inventory_doc.h"
#include "tests/support/server_fixture.h"

using namespace carbonledger;
using nlohmann::json;
using testing::ExpectProblem;
using testing::ServerFixture;

namespace {

class EngagementFixture : public ServerFixture {
 public:
  EngagementFixture() {
    CreateAccount("park-a", "park", {{"name", "A"}, {"region", "340100"}});
    CreateAccount("park-b", "park", {{"name", "B"}, {"region", "620100"}});
    CreateAccount("cert-1", "certifier");
    CreateAccount("cert-2", "certifier");
    CreateAccount("auditor-1", "auditor");
    Ok("park-a", "inventory.record",
       {{"year", 2025}, {"inventory", testing::GasInventory("park-a", 2025, "1000")}});
  }

  int Read(const std::string& reader, const std::string& target) {
    auto r = SignedGet(reader, target);
    REQUIRE(r);
    return r->status;
  }
  // The private views of park-a 2025 (and its account), each read as `reader`: the statuses.
  std::vector<int> Views(const std::string& reader, int year = 2025) {
    const std::string py = "/v1/parks/park-a/years/" + std::to_string(year);
    return {Read(reader, py + "/inventory"), Read(reader, py + "/neutrality?profile=uncapped"),
            Read(reader, py + "/evaluation"),
            Read(reader, py + "/statement-draft?profile=uncapped")};
  }
  json Draft(const std::string& reader) {
    auto r = SignedGet(reader, "/v1/parks/park-a/years/2025/statement-draft?profile=uncapped");
    REQUIRE(r);
    REQUIRE(r->status == 200);
    return json::parse(r->body);
  }
};

const std::vector<int> kAllOk(4, 200), kAllDenied(4, 403);

}  // namespace

TEST_CASE("an unengaged certifier reads no private view and records no statement",
          "[api][engagement]") {
  EngagementFixture fx;
  CHECK(fx.Views("cert-1") == kAllDenied);
  ExpectProblem(fx.SignedGet("cert-1", "/v1/parks/park-a/years/2025/inventory"), 403,
                "access.not_engaged");
  ExpectProblem(fx.SignedGet("cert-1", "/v1/accounts/park-a/holdings"), 403, "access.not_engaged");
  // The park itself and auditors read them; another park does not.
  CHECK(fx.Views("park-a") == kAllOk);
  CHECK(fx.Views("auditor-1") == kAllOk);
  CHECK(fx.Views("park-b") == kAllDenied);
  json draft = fx.Draft("park-a");
  fx.Refused("cert-1", "statement.record",
             {{"statement", draft["statement"]}, {"checkpoint_size", draft["checkpoint_size"]}},
             403, "statement.not_engaged");
  // Nobody engages on a park's behalf: not a certifier, not another park.
  fx.Refused("cert-1", "certifier.engage", {{"certifier", "cert-1"}, {"year", 2025}}, 403,
             "tx.role");
  fx.Ok("park-b", "certifier.engage", {{"certifier", "cert-1"}, {"year", 2025}});
  CHECK(fx.Views("cert-1") == kAllDenied);
  ExpectProblem(fx.http().Get("/v1/parks/park-a/years/2025/engagement"), 404, "engage.none");
}

TEST_CASE("the engaged certifier reads the park-year and certifies it until revoked",
          "[api][engagement]") {
  EngagementFixture fx;
  json engaged = fx.Ok("park-a", "certifier.engage", {{"certifier", "cert-1"}, {"year", 2025}});
  // Who certifies whom is public.
  auto e = fx.http().Get("/v1/parks/park-a/years/2025/engagement");
  REQUIRE(e);
  REQUIRE(e->status == 200);
  CHECK(json::parse(e->body)["certifier"] == "cert-1");
  CHECK(json::parse(e->body)["seq"] == engaged["seq"]);
  CHECK(fx.Views("cert-1") == kAllOk);
  CHECK(fx.Read("cert-1", "/v1/accounts/park-a/holdings") == 200);
  CHECK(fx.Views("cert-1", 2026) == kAllDenied);  // another year is another engagement
  CHECK(fx.Views("cert-2") == kAllDenied);
  fx.Refused("park-a", "certifier.engage", {{"certifier", "cert-2"}, {"year", 2025}}, 409,
             "engage.active");
  fx.Refused("park-a", "certifier.engage", {{"certifier", "park-b"}, {"year", 2025}}, 422,
             "engage.not_certifier");
  json draft = fx.Draft("cert-1");
  json body = {{"statement", draft["statement"]}, {"checkpoint_size", draft["checkpoint_size"]}};
  fx.Refused("cert-2", "statement.record", body, 403, "statement.not_engaged");
  json recorded = fx.Ok("cert-1", "statement.record", body);
  const std::string id = "S" + recorded["seq"].dump();
  // Revoked: the certifier reads and certifies no more; its statement stands, and its bundle
  // (which carries the engagement entry) still verifies.
  fx.Refused("park-a", "certifier.revoke", {{"certifier", "cert-2"}, {"year", 2025}}, 404,
             "engage.none");
  fx.Ok("park-a", "certifier.revoke", {{"certifier", "cert-1"}, {"year", 2025}});
  CHECK(fx.Views("cert-1") == kAllDenied);
  fx.Refused("cert-1", "statement.record", body, 403, "statement.not_engaged");
  auto bundle = fx.http().Get("/v1/statements/" + id + "/bundle");
  REQUIRE(bundle);
  REQUIRE(bundle->status == 200);
  CHECK(json::parse(bundle->body)["engagement_seq"] == engaged["seq"]);
  auto report = VerifyStatementBundle(bundle->body, fx.ledger().log_key());
  INFO(report.status().ToString());
  REQUIRE(report.ok());
  CHECK(report->engagement_seq == engaged["seq"].get<uint64_t>());
  CHECK(fx.Read("auditor-1", "/v1/parks/park-a/years/2025/inventory") == 200);
}
