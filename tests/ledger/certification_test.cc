#include "ledger/certification/park_facts.h"
#include "ledger/certification/reports.h"

#include <catch2/catch.hpp>

#include "ledger/certification/confidential.h"

#include "tests/support/inventory_doc.h"

#include "accounting/policy_profile.h"
#include "crypto/encoding.h"
#include "tests/support/ledger_fixture.h"

using namespace carbonledger;
using testing::LedgerFixture;

namespace {

nlohmann::json Inventory(const std::string& park, int year, const std::string& gas_nm3) {
  return testing::GasInventory(park, year, gas_nm3);
}

void Parks(LedgerFixture& fx) {
  fx.CreateAccount("park-a", "park", {{"name", "A"}, {"region", "340100"}});
  fx.CreateAccount("park-b", "park", {{"name", "B"}, {"region", "620100"}});
  fx.CreateAccount("cert-1", "certifier");
}

}  // namespace

TEST_CASE("a corrected inventory supersedes the earlier one, which stays visible",
          "[ledger][certification]") {
  LedgerFixture fx;
  Parks(fx);
  auto first = fx.Send("park-a", "inventory.record",
                       {{"year", 2025}, {"inventory", Inventory("park-a", 2025, "100000")}});
  REQUIRE(first.ok());
  // A second record without naming the first is refused: nothing is overwritten by accident.
  auto blind = fx.Send("park-a", "inventory.record",
                       {{"year", 2025}, {"inventory", Inventory("park-a", 2025, "200000")}});
  CHECK(blind.status().reason() == "inventory.supersedes");
  auto no_reason = fx.Send("park-a", "inventory.record",
                           {{"year", 2025},
                            {"inventory", Inventory("park-a", 2025, "200000")},
                            {"supersedes", first->seq}});
  CHECK(no_reason.status().message().find("reason") != std::string::npos);
  auto fixed = fx.Send("park-a", "inventory.record",
                       {{"year", 2025},
                        {"inventory", Inventory("park-a", 2025, "200000")},
                        {"supersedes", first->seq},
                        {"reason", "meter reading corrected"}});
  REQUIRE(fixed.ok());
  auto current = CurrentInventory(fx.ledger(), "park-a", 2025);
  REQUIRE(current.ok());
  REQUIRE(current->has_value());
  CHECK((*current)->seq == fixed->seq);
  CHECK((*current)->versions == std::vector<uint64_t>{first->seq, fixed->seq});
  CHECK((*current)->document.find("200000") != std::string::npos);
  // The first version is still in the log, by its commitment only: the document (and its
  // figures) is kept in the confidential key space, never in the entry.
  const std::string first_tx = fx.ledger().GetEntry(first->seq)->entry.tx;
  CHECK(first_tx.find("100000") == std::string::npos);
  CHECK(first_tx.find("\"commitment\"") != std::string::npos);
  auto kept = certification::ConfidentialInventory(fx.ledger().state(), first->seq);
  REQUIRE(kept.ok());
  REQUIRE(kept->has_value());
  CHECK((**kept)["inventory"].dump().find("100000") != std::string::npos);
  auto report = InventoryReport(fx.ledger(), "park-a", 2025);
  REQUIRE(report.ok());
  CHECK((*report)["entry_seq"] == fixed->seq);
}

TEST_CASE("the park list names every park account with the years the ledger holds data for",
          "[ledger][certification]") {
  LedgerFixture fx;
  Parks(fx);
  for (int year : {2025, 2023}) {
    REQUIRE(fx.Send("park-a", "inventory.record",
                    {{"year", year}, {"inventory", Inventory("park-a", year, "1000")}})
                .ok());
  }
  auto parks = ListParks(fx.ledger().state());
  REQUIRE(parks.ok());
  const auto& list = parks->parks;
  REQUIRE(list.size() == 2);  // cert-1 is no park
  CHECK(list[0].id == "park-a");
  CHECK(list[0].name == "A");
  CHECK(list[0].region == "340100");
  CHECK(list[0].years == std::vector<int64_t>{2023, 2025});
  CHECK(list[1].id == "park-b");
  CHECK(list[1].years.empty());
}

TEST_CASE("inventory records are refused for another park, a wrong year or bad content",
          "[ledger][certification]") {
  LedgerFixture fx;
  Parks(fx);
  CHECK(fx.Send("park-a", "inventory.record",
                {{"year", 2025}, {"inventory", Inventory("park-b", 2025, "1")}})
            .status()
            .reason() == "inventory.park");
  CHECK(fx.Send("park-a", "inventory.record",
                {{"year", 2024}, {"inventory", Inventory("park-a", 2025, "1")}})
            .status()
            .reason() == "inventory.year");
  auto bad = Inventory("park-a", 2025, "1");
  bad["fuel_use"][0]["fuel"] = "unobtainium";
  auto r = fx.Send("park-a", "inventory.record", {{"year", 2025}, {"inventory", bad}});
  CHECK_FALSE(r.ok());
  CHECK(r.status().message().find("confidential.inventory") != std::string::npos);
  CHECK(fx.Send("cert-1", "inventory.record",
                {{"year", 2025}, {"inventory", Inventory("park-a", 2025, "1")}})
            .status()
            .reason() == "tx.role");
}

TEST_CASE("a format 4 inventory is recorded only by its commitment, the document beside it",
          "[ledger][certification][confidential]") {
  LedgerFixture fx;
  Parks(fx);
  const nlohmann::json doc = Inventory("park-a", 2025, "1000");
  // In the body, as a format 3 ledger took it: refused by name.
  fx.seal_inventories = false;
  auto public_form = fx.Send("park-a", "inventory.record", {{"year", 2025}, {"inventory", doc}});
  CHECK(public_form.status().reason() == "inventory.public");
  // A commitment without the document, or with a document it does not commit to.
  auto sealed = certification::SealInventory(doc);
  REQUIRE(sealed.ok());
  auto bare =
      fx.Send("park-a", "inventory.record", {{"year", 2025}, {"commitment", sealed->commitment}});
  CHECK(bare.status().reason() == "confidential.missing");
  SignedTransaction other =
      fx.Sign("park-a", "inventory.record", {{"year", 2025}, {"commitment", sealed->commitment}});
  other.tx.confidential = sealed->attachment;
  other.tx.confidential["inventory"]["fuel_use"][0]["quantity"] = "2000";
  CHECK(fx.ledger().Submit(other).status().reason() == "confidential.commitment");
  SignedTransaction bad_salt =
      fx.Sign("park-a", "inventory.record", {{"year", 2025}, {"commitment", sealed->commitment}});
  bad_salt.tx.confidential = sealed->attachment;
  bad_salt.tx.confidential["salt"] = "00";
  CHECK(fx.ledger().Submit(bad_salt).status().reason() == "confidential.format");
  // An attachment on a type that takes none.
  SignedTransaction stray =
      fx.Sign("park-a", "certifier.engage", {{"certifier", "cert-1"}, {"year", 2025}});
  stray.tx.confidential = sealed->attachment;
  CHECK(fx.ledger().Submit(stray).status().reason() == "submission.confidential");
  const uint64_t size = fx.ledger().size();
  // The honest form: accepted; the entry carries the commitment, the state keeps the document.
  SignedTransaction good =
      fx.Sign("park-a", "inventory.record", {{"year", 2025}, {"commitment", sealed->commitment}});
  good.tx.confidential = sealed->attachment;
  auto r = fx.ledger().Submit(good);
  REQUIRE(r.ok());
  CHECK(r->seq == size);
  auto inv = CurrentInventory(fx.ledger(), "park-a", 2025);
  REQUIRE(inv.ok());
  REQUIRE(inv->has_value());
  CHECK((*inv)->commitment == sealed->commitment);
  CHECK((*inv)->content_sha256.empty());
  CHECK((*inv)->salt == sealed->attachment["salt"]);
  // The commitment is SHA-256(canonical document || salt).
  auto salt = HexDecode(sealed->attachment["salt"].get<std::string>());
  REQUIRE(salt.ok());
  CHECK(certification::InventoryCommitment((*inv)->document, *salt) == sealed->commitment);
  CHECK(fx.ledger().GetEntry(r->seq)->entry.tx.find("fuel_use") == std::string::npos);
}

TEST_CASE("a statement must name the park-year's current inventory", "[ledger][certification]") {
  LedgerFixture fx;
  Parks(fx);
  auto profile = accounting::EmbeddedPolicyProfile("uncapped");
  REQUIRE(profile.ok());
  // No inventory yet: no draft, and a recorded statement is refused.
  CHECK(DraftStatement(fx.ledger(), "park-a", 2025, *profile).status().reason() ==
        "inventory.not_found");
  auto inv = fx.Send("park-a", "inventory.record",
                     {{"year", 2025}, {"inventory", Inventory("park-a", 2025, "1000")}});
  REQUIRE(inv.ok());
  auto draft = DraftStatement(fx.ledger(), "park-a", 2025, *profile);
  REQUIRE(draft.ok());
  CHECK(draft->content["inventory"]["entry_seq"] == inv->seq);
  CHECK(draft->content["verdict"] == "fail");  // gas emissions and no credits
  // Only certifiers sign statements, and only the one the park engaged for the year.
  REQUIRE(fx.Send("park-a", "certifier.engage", {{"certifier", "cert-1"}, {"year", 2025}}).ok());
  CHECK(fx.Send("park-a", "statement.record",
                {{"statement", draft->content}, {"checkpoint_size", draft->checkpoint_size}})
            .status()
            .reason() == "tx.role");
  auto recorded =
      fx.Send("cert-1", "statement.record",
              {{"statement", draft->content}, {"checkpoint_size", draft->checkpoint_size}});
  REQUIRE(recorded.ok());
  auto stmt = GetStatement(fx.ledger(), StatementId(recorded->seq));
  REQUIRE(stmt.ok());
  CHECK((*stmt)["certifier"] == "cert-1");
  CHECK((*stmt)["verdict"] == "fail");
  auto ids = ParkStatements(fx.ledger().state(), "park-a", 2025);
  REQUIRE(ids.ok());
  CHECK(*ids == std::vector<std::string>{StatementId(recorded->seq)});
  // After a correction the old draft names a superseded inventory and is refused.
  REQUIRE(fx.Send("park-a", "inventory.record",
                  {{"year", 2025},
                   {"inventory", Inventory("park-a", 2025, "900")},
                   {"supersedes", inv->seq},
                   {"reason", "fix"}})
              .ok());
  CHECK(fx.Send("cert-1", "statement.record",
                {{"statement", draft->content}, {"checkpoint_size", draft->checkpoint_size}})
            .status()
            .reason() == "statement.stale_inventory");
  // A statement for a park-year with no inventory.
  auto other = draft->content;
  other["year"] = 2030;
  CHECK(fx.Send("cert-1", "statement.record",
                {{"statement", other}, {"checkpoint_size", draft->checkpoint_size}})
            .status()
            .reason() == "statement.no_inventory");
}

TEST_CASE("method 2 computes last year's figure with last year's claims",
          "[ledger][certification][method2]") {
  LedgerFixture fx;
  Parks(fx);  // park-a and park-b
  // park-a declares 1,000 MWh certificate-backed for 2025 but claimed no GEC for 2025; park-b
  // burns the same gas and declares no electricity. Both record 2026 too.
  nlohmann::json with_power = testing::GasInventory("park-a", 2025);
  with_power["electricity"] = {
      {"imports", {{{"kind", "certificate_backed"}, {"quantity", "1000"}, {"unit", "MWh"}}}}};
  REQUIRE(fx.Send("park-a", "inventory.record", {{"year", 2025}, {"inventory", with_power}}).ok());
  REQUIRE(fx.Send("park-b", "inventory.record",
                  {{"year", 2025}, {"inventory", testing::GasInventory("park-b", 2025)}})
              .ok());
  for (const char* park : {"park-a", "park-b"}) {
    REQUIRE(fx.Send(park, "inventory.record",
                    {{"year", 2026}, {"inventory", testing::GasInventory(park, 2026)}})
                .ok());
  }
  auto a = ParkFacts(fx.ledger(), "park-a", 2026);
  auto b = ParkFacts(fx.ledger(), "park-b", 2026);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(a->previous_year.has_value());
  REQUIRE(b->previous_year.has_value());
  // By hand: the unclaimed 1,000 MWh count at the grid factor, 1,000 × 0.8325 = 832.5 t above
  // the gas alone (method 1 counted them at 0, as if claimed).
  auto diff = a->previous_year->accounted_t.Sub(b->previous_year->accounted_t);
  REQUIRE(diff.ok());
  CHECK(diff->ToString() == "832.5");
}
