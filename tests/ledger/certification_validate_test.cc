// The certification types' Validate alone (ledger/certification/internal/inventory_record.h,
// statement_record.h): pure functions of the transaction, run here with no ledger and no state.
// Each refusal is asserted by its reason; the checks that need state (the current inventory,
// the entry's seq) belong to Apply and are in certification_test.cc.
#include <catch2/catch.hpp>

#include "tests/support/inventory_doc.h"

#include "ledger/certification/internal/inventory_record.h"
#include "ledger/certification/internal/statement_record.h"

using namespace carbonledger;
using namespace carbonledger::certification;
using nlohmann::json;

namespace {

json Inventory(const std::string& park = "park-a", int year = 2025) {
  return testing::GasInventory(park, year);
}

Transaction Tx(const std::string& type, const std::string& signer, json body) {
  Transaction tx;
  tx.type = type;
  tx.signer = signer;
  tx.body = std::move(body);
  return tx;
}

Result<InventoryRecordBody> Inv(json body, const std::string& signer = "park-a") {
  return ValidateInventoryRecord(Tx("inventory.record", signer, std::move(body)));
}

std::string InvReason(json body, const std::string& signer = "park-a") {
  auto r = Inv(std::move(body), signer);
  return r.ok() ? "ok" : r.status().reason();
}

json Statement() {
  return {{"format", "carbonledger.statement/1"},
          {"park", "park-a"},
          {"year", 2025},
          {"inventory", {{"entry_seq", 7}, {"content_sha256", "ab"}}},
          {"profile", {{"id", "anhui-2024"}, {"sha256", "cd"}}},
          {"verdict", "pass"}};
}

Result<StatementRecordBody> Stmt(json body) {
  return ValidateStatementRecord(Tx("statement.record", "cert-1", std::move(body)));
}

std::string StmtReason(json body) {
  auto r = Stmt(std::move(body));
  return r.ok() ? "ok" : r.status().reason();
}

// A statement body with `edit` applied to its statement.
template <typename Edit>
json StatementWith(Edit edit) {
  json st = Statement();
  edit(st);
  return {{"statement", st}, {"checkpoint_size", 9}};
}

}  // namespace

TEST_CASE("inventory.record validates a first inventory and a correction without state",
          "[ledger][certification]") {
  auto first = Inv({{"year", 2025}, {"inventory", Inventory()}});
  REQUIRE(first.ok());
  CHECK(first->year == 2025);
  CHECK(first->content_sha256.size() == 64);
  CHECK_FALSE(first->names_superseded);
  CHECK_FALSE(first->supersedes.has_value());
  // No reason: fine for a first inventory, and Apply refuses it for a correction.
  CHECK(first->reason_check.reason() == "field.missing");

  auto fix = Inv({{"year", 2025},
                  {"inventory", Inventory()},
                  {"supersedes", 12},
                  {"reason", "meter reading corrected"}});
  REQUIRE(fix.ok());
  CHECK(fix->names_superseded);
  CHECK(fix->supersedes == uint64_t(12));
  CHECK(fix->reason_check.ok());
  CHECK(fix->content_sha256 == first->content_sha256);

  // A supersedes that is no entry seq is kept as "named" and can never match the current entry.
  auto odd = Inv({{"year", 2025}, {"inventory", Inventory()}, {"supersedes", "12"}});
  REQUIRE(odd.ok());
  CHECK(odd->names_superseded);
  CHECK_FALSE(odd->supersedes.has_value());
  CHECK(Inv({{"year", 2025}, {"inventory", Inventory()}, {"supersedes", -1}})->supersedes ==
        std::nullopt);
  CHECK(Inv({{"year", 2025}, {"inventory", Inventory()}, {"reason", std::string(1025, 'x')}})
            ->reason_check.reason() == "field.length");
  CHECK(Inv({{"year", 2025}, {"inventory", Inventory()}, {"reason", 5}})->reason_check.reason() ==
        "field.missing");
}

TEST_CASE("inventory.record refusals, in the order the pipeline reports them",
          "[ledger][certification]") {
  CHECK(InvReason(json::array()) == "field.type");
  CHECK(InvReason({{"year", 2025}, {"inventory", Inventory()}, {"note", "x"}}) == "field.unknown");
  CHECK(InvReason({{"inventory", Inventory()}}) == "field.missing");
  CHECK(InvReason({{"year", "2025"}, {"inventory", Inventory()}}) == "field.missing");
  CHECK(InvReason({{"year", 1800}, {"inventory", Inventory()}}) == "year.invalid");
  CHECK(InvReason({{"year", 2025}}) == "field.missing");
  CHECK(InvReason({{"year", 2025}, {"inventory", "text"}}) == "field.missing");
  // The inventory reader's reasons, located in the body.
  auto format = Inv({{"year", 2025}, {"inventory", {{"format", "nope"}}}});
  CHECK(format.status().reason() == "inventory.format");
  CHECK(format.status().message().starts_with("body.inventory: "));
  // Not computable with the shipped factor set: refused now, not at certification.
  json unknown_fuel = Inventory();
  unknown_fuel["fuel_use"][0]["fuel"] = "unobtainium";
  auto fuel = Inv({{"year", 2025}, {"inventory", unknown_fuel}});
  CHECK(fuel.status().reason() == "inventory.unknown_fuel");
  CHECK(fuel.status().message().starts_with("body.inventory: "));
  // A park records only its own inventory, for the year it says.
  auto other = Inv({{"year", 2025}, {"inventory", Inventory("park-b")}});
  CHECK(other.status().reason() == "inventory.park");
  CHECK(other.status().code() == Code::kPermissionDenied);
  CHECK(InvReason({{"year", 2024}, {"inventory", Inventory("park-a", 2025)}}) == "inventory.year");
  // Earlier checks win: another park's inventory with a wrong year is about the park.
  CHECK(InvReason({{"year", 2024}, {"inventory", Inventory("park-b", 2025)}}) == "inventory.park");
}

TEST_CASE("statement.record validates a statement's members without state",
          "[ledger][certification]") {
  auto ok = Stmt({{"statement", Statement()}, {"checkpoint_size", 9}});
  REQUIRE(ok.ok());
  CHECK(ok->checkpoint_size == 9);
  CHECK(ok->park == "park-a");
  CHECK(ok->year == 2025);
  CHECK(ok->inventory_seq == uint64_t(7));
  CHECK(ok->inventory_content_sha256 == std::string("ab"));
  CHECK(ok->profile_id == "anhui-2024");
  CHECK(ok->verdict == "pass");
  // Whether the checkpoint size is within the log needs the entry's seq: Apply's check.
  CHECK(Stmt({{"statement", Statement()}, {"checkpoint_size", 1000000}}).ok());
  // A profile without an id is recorded with "".
  CHECK(Stmt(StatementWith([](json& st) { st["profile"].erase("id"); }))->profile_id.empty());
  // A named inventory that is no entry seq and hash is kept as absent: Apply finds it stale.
  auto stale = Stmt(StatementWith([](json& st) {
    st["inventory"] = {{"entry_seq", "7"}, {"content_sha256", 1}};
  }));
  REQUIRE(stale.ok());
  CHECK_FALSE(stale->inventory_seq.has_value());
  CHECK_FALSE(stale->inventory_content_sha256.has_value());
}

TEST_CASE("statement.record refusals, in the order the pipeline reports them",
          "[ledger][certification]") {
  CHECK(StmtReason(json::array()) == "field.type");
  CHECK(StmtReason({{"statement", Statement()}, {"checkpoint_size", 9}, {"x", 1}}) ==
        "field.unknown");
  CHECK(StmtReason({{"checkpoint_size", 9}}) == "field.missing");
  CHECK(StmtReason({{"statement", "S"}, {"checkpoint_size", 9}}) == "field.missing");
  CHECK(StmtReason(StatementWith([](json& st) { st.erase("format"); })) == "statement.format");
  CHECK(StmtReason(StatementWith([](json& st) { st["format"] = "carbonledger.statement/3"; })) ==
        "statement.format");
  CHECK(StmtReason(StatementWith([](json& st) { st["format"] = 1; })) == "statement.format");
  // The format is checked before the checkpoint size, which is checked before the members.
  CHECK(StmtReason({{"statement", {{"format", "x"}}}}) == "statement.format");
  CHECK(StmtReason({{"statement", Statement()}}) == "field.missing");
  CHECK(StmtReason({{"statement", Statement()}, {"checkpoint_size", 0}}) == "field.range");
  CHECK(StmtReason({{"statement", {{"format", "carbonledger.statement/1"}}}}) == "field.missing");
  for (const char* member : {"park", "year", "inventory", "verdict", "profile"}) {
    INFO(member);
    CHECK(StmtReason(StatementWith([&](json& st) { st.erase(member); })) == "statement.format");
  }
  CHECK(StmtReason(StatementWith([](json& st) { st["park"] = 1; })) == "statement.format");
  CHECK(StmtReason(StatementWith([](json& st) { st["year"] = "2025"; })) == "statement.format");
  CHECK(StmtReason(StatementWith([](json& st) { st["inventory"] = 7; })) == "statement.format");
  CHECK(StmtReason(StatementWith([](json& st) { st["profile"] = "anhui-2024"; })) ==
        "statement.format");
  CHECK(StmtReason(StatementWith([](json& st) { st["profile"]["id"] = 5; })) == "statement.format");
}
