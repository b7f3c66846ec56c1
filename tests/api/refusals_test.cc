// Registry and accounting refusals over HTTP: each rule's reason reaches the client as RFC 9457
// problem+json with the status of its kind (docs/api.md §Errors) and a stable type, and a
// refused transaction changes nothing — not the log, not the totals, not the signer's nonce.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "api/wire/problem.h"
#include "crypto/encoding.h"
#include "ledger/registry/queries.h"
#include "tests/ledger/registry_test_util.h"
#include "tests/support/server_fixture.h"

using namespace carbonledger;
using testing::MonthsAgo;
using testing::ServerFixture;

namespace {

// The registry fixture's accounts and generators, behind a real server.
class RefusalFixture : public ServerFixture {
 public:
  RefusalFixture() {
    CreateAccount("po", "project_owner");
    CreateAccount("park-a", "park", {{"name", "Park A"}, {"region", "340100"}});
    CreateAccount("certifier", "certifier");
    Accept(op(), "generator.register",
           {{"generator", "wind-1"},
            {"owner", "po"},
            {"technology", "wind"},
            {"capacity_kw", 100000},
            {"region", "340000"}});
    Accept(op(), "generator.register",
           {{"generator", "solar-tiny"},
            {"owner", "po"},
            {"technology", "solar"},
            {"capacity_kw", 1},
            {"region", "340000"}});
    Accept(op(), "gec.issue",
           {{"ops", {{{"generator", "wind-1"}, {"month", MonthsAgo(3)}, {"quantity", 1000}}}}});
  }

  httplib::Result Post(const std::string& signer, const std::string& type, nlohmann::json body) {
    return http().Post("/v1/transactions", EncodeSubmission(Sign(signer, type, std::move(body))),
                       "application/json");
  }

  void Accept(const std::string& signer, const std::string& type, nlohmann::json body) {
    auto r = Post(signer, type, std::move(body));
    REQUIRE(r);
    INFO(r->body);
    REQUIRE(r->status == 201);
  }

  // Posts a transaction that must be refused with `status` and `reason`, and checks that the
  // log, the registry totals and the signer's nonce on the ledger did not move.
  void Refused(const std::string& signer, const std::string& type, nlohmann::json body, int status,
               const std::string& reason) {
    INFO(type << " by " << signer << " must be refused with " << reason);
    RefusedSubmission(signer, EncodeSubmission(Sign(signer, type, std::move(body))), status,
                      reason);
  }

  // The same for a submission signed elsewhere.
  void RefusedSubmission(const std::string& signer, const std::string& envelope, int status,
                         const std::string& reason) {
    uint64_t size = ledger().size();
    auto totals = http().Get("/v1/registry/totals");
    REQUIRE(totals);
    auto account = SignedGet(signer, "/v1/accounts/" + signer);
    REQUIRE(account);
    REQUIRE(account->status == 200);

    auto p = testing::ExpectProblem(http().Post("/v1/transactions", envelope, "application/json"),
                                    status, reason);
    CHECK(p["instance"] == "/v1/transactions");

    CHECK(ledger().size() == size);
    auto totals_after = http().Get("/v1/registry/totals");
    REQUIRE(totals_after);
    CHECK(totals_after->body == totals->body);
    auto account_after = SignedGet(signer, "/v1/accounts/" + signer);
    REQUIRE(account_after);
    CHECK(nlohmann::json::parse(account_after->body)["nonce"] ==
          nlohmann::json::parse(account->body)["nonce"]);
  }
};

nlohmann::json Ops(nlohmann::json op) { return {{"ops", nlohmann::json::array({op})}}; }

}  // namespace

TEST_CASE("registry rule refusals come back as 422 problem+json and change nothing",
          "[api][errors]") {
  RefusalFixture fx;
  fx.Refused("po", "unit.transfer",
             {{"to", "po"}, {"ops", {{{"instrument", "GEC"}, {"quantity", 1}}}}}, 422,
             "transfer.self");
  fx.Refused("po", "unit.transfer",
             {{"to", "park-a"}, {"ops", {{{"instrument", "GEC"}, {"quantity", 1001}}}}}, 422,
             "holdings.insufficient");
  fx.Refused(fx.op(), "gec.issue",
             Ops({{"generator", "wind-1"}, {"month", MonthsAgo(-1)}, {"quantity", 1}}), 422,
             "issuance.future_month");
  // 1 kW for a month is at most 744 kWh: not one whole MWh.
  fx.Refused(fx.op(), "gec.issue",
             Ops({{"generator", "solar-tiny"}, {"month", MonthsAgo(3)}, {"quantity", 1}}), 422,
             "issuance.over_capacity");
  fx.Refused(fx.op(), "generator.register",
             {{"generator", "wind-2"},
              {"owner", "certifier"},
              {"technology", "wind"},
              {"capacity_kw", 10},
              {"region", "340000"}},
             422, "account.role");
  fx.Refused(fx.op(), "gec.expire", {{"limit", 100}}, 422, "expire.none");
  fx.Refused("park-a", "gec.claim", Ops({{"reporting_year", 2025}, {"quantity", 1}}), 422,
             "holdings.insufficient");
}

TEST_CASE("accounting and certification refusals come back with their status and type",
          "[api][errors]") {
  RefusalFixture fx;
  nlohmann::json statement = {{"format", "carbonledger.statement/1"},
                              {"park", "park-a"},
                              {"year", 2025},
                              {"inventory", {{"entry_seq", 1}}},
                              {"profile", {{"id", "anhui-2024"}}},
                              {"verdict", "pass"}};
  fx.Refused("certifier", "statement.record",
             {{"statement", statement}, {"checkpoint_size", fx.ledger().size() - 1}}, 422,
             "statement.no_inventory");
  fx.Refused("certifier", "statement.record",
             {{"statement", statement}, {"checkpoint_size", fx.ledger().size() + 5}}, 400,
             "statement.checkpoint");
  fx.Refused("park-a", "statement.record",
             {{"statement", statement}, {"checkpoint_size", fx.ledger().size() - 1}}, 403,
             "tx.role");
  fx.Refused("park-a", "inventory.record", {{"year", 2025}, {"inventory", {{"format", "nope"}}}},
             400, "inventory.format");
}

TEST_CASE("conflicts and unknown references come back as 409 and 404", "[api][errors]") {
  RefusalFixture fx;
  fx.Refused(fx.op(), "generator.register",
             {{"generator", "wind-1"},
              {"owner", "po"},
              {"technology", "wind"},
              {"capacity_kw", 10},
              {"region", "340000"}},
             409, "generator.exists");
  fx.Refused(fx.op(), "generator.register",
             {{"generator", "wind-3"},
              {"owner", "nobody"},
              {"technology", "wind"},
              {"capacity_kw", 10},
              {"region", "340000"}},
             404, "account.unknown");
  fx.Refused("po", "unit.transfer",
             {{"to", "nobody"}, {"ops", {{{"instrument", "GEC"}, {"quantity", 1}}}}}, 404,
             "account.unknown");
}

TEST_CASE("expired transactions and windows beyond the bound come back as their own refusals",
          "[api][errors][validity]") {
  RefusalFixture fx;
  auto signed_until = [&](uint64_t not_after) {
    auto stx =
        SignTransaction("unit.transfer", fx.ledger().origin(), "po", 99,
                        {{"to", "park-a"}, {"ops", {{{"instrument", "GEC"}, {"quantity", 1}}}}},
                        fx.key("po"), not_after);
    REQUIRE(stx.ok());
    return EncodeSubmission(*stx);
  };
  const uint64_t now = testing::WallMs();
  fx.RefusedSubmission("po", signed_until(now - 1000), 422, "tx.expired");
  fx.RefusedSubmission("po", signed_until(now + 2 * 86400 * 1000), 400, "tx.not_after");
}

TEST_CASE("malformed statement bodies are refused by field and the service stays up",
          "[api][errors][hostile]") {
  RefusalFixture fx;
  // Bodies that once killed the writer thread (nlohmann type_error.302 on untrusted JSON).
  fx.Refused("certifier", "statement.record",
             {{"statement", {{"format", 7}}}, {"checkpoint_size", 1}}, 400, "statement.format");
  nlohmann::json statement = {
      {"format", "carbonledger.statement/1"}, {"park", "park-a"},        {"year", 2025},
      {"inventory", {{"entry_seq", 1}}},      {"profile", "anhui-2024"}, {"verdict", "pass"}};
  fx.Refused("certifier", "statement.record", {{"statement", statement}, {"checkpoint_size", 1}},
             400, "statement.format");
  auto health = fx.http().Get("/v1/health");
  REQUIRE(health);
  CHECK(health->status == 200);
}
