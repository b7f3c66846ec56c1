// Engagements (docs/certification.md §Engagements): a park engages one certifier per reporting
// year with a transaction it signs, may revoke it, and only the engaged certifier records a
// statement about the park-year; a refused engagement or statement changes nothing.
#include <catch2/catch.hpp>

#include "accounting/policy_profile.h"
#include "ledger/certification/bundle.h"
#include "ledger/certification/reports.h"
#include "ledger/log/verify.h"
#include "tests/support/inventory_doc.h"
#include "tests/support/ledger_fixture.h"

using namespace carbonledger;
using testing::LedgerFixture;

namespace {

struct Parks {
  LedgerFixture fx;
  uint64_t inventory_seq = 0;
  Parks() {
    fx.CreateAccount("park-a", "park", {{"name", "A"}, {"region", "340100"}});
    fx.CreateAccount("park-b", "park", {{"name", "B"}, {"region", "620100"}});
    fx.CreateAccount("cert-1", "certifier");
    fx.CreateAccount("cert-2", "certifier");
    fx.CreateAccount("audit-1", "auditor");
    auto inv =
        fx.Send("park-a", "inventory.record",
                {{"year", 2025}, {"inventory", testing::GasInventory("park-a", 2025, "1000")}});
    REQUIRE(inv.ok());
    inventory_seq = inv->seq;
  }
  std::string Refusal(const std::string& signer, const std::string& type, nlohmann::json body) {
    const uint64_t size = fx.ledger().size();
    auto r = fx.Send(signer, type, std::move(body));
    CHECK(fx.ledger().size() == size);  // nothing written
    return r.ok() ? "accepted" : r.status().reason();
  }
  Result<Receipt> Engage(const std::string& park, const std::string& certifier, int year = 2025) {
    return fx.Send(park, "certifier.engage", {{"certifier", certifier}, {"year", year}});
  }
  nlohmann::json Draft() {
    auto profile = accounting::EmbeddedPolicyProfile("uncapped");
    REQUIRE(profile.ok());
    auto d = DraftStatement(fx.ledger(), "park-a", 2025, *profile);
    REQUIRE(d.ok());
    return {{"statement", d->content}, {"checkpoint_size", d->checkpoint_size}};
  }
  bool MayRead(const std::string& certifier, std::optional<int64_t> year) {
    auto r = CertifierMayRead(fx.ledger().state(), certifier, "park-a", year);
    REQUIRE(r.ok());
    return *r;
  }
};

}  // namespace

TEST_CASE("a park engages one certifier per year and names an existing certifier",
          "[ledger][certification][engagement]") {
  Parks p;
  CHECK(p.Refusal("park-a", "certifier.engage", {{"certifier", "cert-9"}, {"year", 2025}}) ==
        "account.unknown");
  CHECK(p.Refusal("park-a", "certifier.engage", {{"certifier", "park-b"}, {"year", 2025}}) ==
        "engage.not_certifier");
  CHECK(p.Refusal("park-a", "certifier.engage", {{"certifier", "cert-1"}}) == "field.missing");
  CHECK(p.Refusal("park-a", "certifier.engage",
                  {{"certifier", "cert-1"}, {"year", 2025}, {"fee", 1}}) == "field.unknown");
  CHECK(p.Refusal("park-a", "certifier.engage", {{"certifier", 7}, {"year", 2025}}) ==
        "field.missing");  // RequireString: "body.certifier must be a string"
  CHECK(p.Refusal("park-a", "certifier.engage", {{"certifier", "Cert 1"}, {"year", 2025}}) ==
        "account.id");
  // Only a park engages, and for itself: a certifier cannot engage itself.
  CHECK(p.Refusal("cert-1", "certifier.engage", {{"certifier", "cert-1"}, {"year", 2025}}) ==
        "tx.role");
  REQUIRE(p.Engage("park-a", "cert-1").ok());
  CHECK(p.Refusal("park-a", "certifier.engage", {{"certifier", "cert-1"}, {"year", 2025}}) ==
        "engage.duplicate");
  // No opinion shopping in the dark: a second certifier needs the first revoked, on the log.
  CHECK(p.Refusal("park-a", "certifier.engage", {{"certifier", "cert-2"}, {"year", 2025}}) ==
        "engage.active");
  auto e = CurrentEngagement(p.fx.ledger().state(), "park-a", 2025);
  REQUIRE(e.ok());
  REQUIRE(e->has_value());
  CHECK((**e)["certifier"] == "cert-1");
  // Another year, or another park, is another engagement.
  REQUIRE(p.Engage("park-a", "cert-2", 2026).ok());
  REQUIRE(p.Engage("park-b", "cert-2").ok());
  // A revocation names the engaged certifier.
  CHECK(p.Refusal("park-a", "certifier.revoke", {{"certifier", "cert-2"}, {"year", 2025}}) ==
        "engage.none");
  CHECK(p.Refusal("park-a", "certifier.revoke", {{"certifier", "cert-1"}, {"year", 2024}}) ==
        "engage.none");
  CHECK(p.Refusal("park-b", "certifier.revoke", {{"certifier", "cert-1"}, {"year", 2025}}) ==
        "engage.none");
  REQUIRE(p.fx.Send("park-a", "certifier.revoke", {{"certifier", "cert-1"}, {"year", 2025}}).ok());
  e = CurrentEngagement(p.fx.ledger().state(), "park-a", 2025);
  REQUIRE(e.ok());
  CHECK_FALSE(e->has_value());
  REQUIRE(p.Engage("park-a", "cert-2").ok());
}

TEST_CASE("only the engaged certifier records a statement, and revoking ends it",
          "[ledger][certification][engagement]") {
  Parks p;
  // Unengaged: refused, whoever signs.
  CHECK(p.Refusal("cert-1", "statement.record", p.Draft()) == "statement.not_engaged");
  auto engaged = p.Engage("park-a", "cert-1");
  REQUIRE(engaged.ok());
  // Engaged for park-a 2025, cert-1 only; park-b's engagement of cert-2 gives cert-2 nothing here.
  REQUIRE(p.Engage("park-b", "cert-2").ok());
  CHECK(p.Refusal("cert-2", "statement.record", p.Draft()) == "statement.not_engaged");
  // An engagement for another year does not carry over.
  REQUIRE(p.Engage("park-a", "cert-2", 2026).ok());
  CHECK(p.Refusal("cert-2", "statement.record", p.Draft()) == "statement.not_engaged");
  auto recorded = p.fx.Send("cert-1", "statement.record", p.Draft());
  INFO(recorded.status().ToString());
  REQUIRE(recorded.ok());
  auto stmt = GetStatement(p.fx.ledger(), StatementId(recorded->seq));
  REQUIRE(stmt.ok());
  CHECK((*stmt)["engagement_seq"] == engaged->seq);
  // Revoked: cert-1 certifies no more, and what it recorded before stands.
  REQUIRE(p.fx.Send("park-a", "certifier.revoke", {{"certifier", "cert-1"}, {"year", 2025}}).ok());
  CHECK(p.Refusal("cert-1", "statement.record", p.Draft()) == "statement.not_engaged");
  CHECK(GetStatement(p.fx.ledger(), StatementId(recorded->seq)).ok());
  // The park engages cert-2 instead, which may now certify.
  REQUIRE(p.Engage("park-a", "cert-2").ok());
  REQUIRE(p.fx.Send("cert-2", "statement.record", p.Draft()).ok());
  auto ids = ParkStatements(p.fx.ledger().state(), "park-a", 2025);
  REQUIRE(ids.ok());
  CHECK(ids->size() == 2);
  // The replay decides as the writer did.
  VerifyOptions o;
  o.data_dir = p.fx.data_dir();
  p.fx.Close();
  auto report = VerifyLedger(o, LedgerTxTypes());
  INFO(report.status().ToString());
  CHECK(report.ok());
}

TEST_CASE("a certifier reads a park's private data only while engaged",
          "[ledger][certification][engagement]") {
  Parks p;
  CHECK_FALSE(p.MayRead("cert-1", 2025));
  CHECK_FALSE(p.MayRead("cert-1", std::nullopt));
  REQUIRE(p.Engage("park-a", "cert-1").ok());
  CHECK(p.MayRead("cert-1", 2025));
  CHECK(p.MayRead("cert-1", std::nullopt));  // the park's account and holdings
  CHECK_FALSE(p.MayRead("cert-1", 2026));    // another year's views
  CHECK_FALSE(p.MayRead("cert-2", 2025));
  REQUIRE(p.fx.Send("park-a", "certifier.revoke", {{"certifier", "cert-1"}, {"year", 2025}}).ok());
  CHECK_FALSE(p.MayRead("cert-1", 2025));
  CHECK_FALSE(p.MayRead("cert-1", std::nullopt));
}

TEST_CASE("a bundle shows the park's engagement of its certifier and is refused without it",
          "[ledger][certification][engagement]") {
  Parks p;
  REQUIRE(p.Engage("park-a", "cert-1").ok());
  auto recorded = p.fx.Send("cert-1", "statement.record", p.Draft());
  REQUIRE(recorded.ok());
  const std::string id = StatementId(recorded->seq);
  auto bundle = StatementBundle(p.fx.ledger(), id);
  REQUIRE(bundle.ok());
  const NamedPublicKey key = p.fx.ledger().log_key();
  auto ok = VerifyStatementBundle(bundle->dump(), key);
  INFO(ok.status().ToString());
  REQUIRE(ok.ok());
  CHECK(ok->engagement_seq == (*bundle)["engagement_seq"].get<uint64_t>());
  // Dropping the engagement from a format 3 bundle is refused, as is pointing it elsewhere.
  auto dropped = *bundle;
  dropped.erase("engagement_seq");
  auto r = VerifyStatementBundle(dropped.dump(), key);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("engagement") != std::string::npos);
  auto elsewhere = *bundle;
  elsewhere["engagement_seq"] = p.inventory_seq;
  CHECK_FALSE(VerifyStatementBundle(elsewhere.dump(), key).ok());
}
