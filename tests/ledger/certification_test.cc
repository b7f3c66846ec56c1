#include "ledger/certification/park_facts.h"
#include "ledger/certification/reports.h"

#include <catch2/catch.hpp>

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
  // The first version is still in the log.
  CHECK(fx.ledger().GetEntry(first->seq)->entry.tx.find("100000") != std::string::npos);
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
  CHECK(r.status().message().find("body.inventory") != std::string::npos);
  CHECK(fx.Send("cert-1", "inventory.record",
                {{"year", 2025}, {"inventory", Inventory("park-a", 2025, "1")}})
            .status()
            .reason() == "tx.role");
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
