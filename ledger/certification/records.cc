// Certification rules: a park records its annual CO2 inventory; a certifier records a signed
// neutrality statement about it (docs/accounting.md §On the ledger).
//
// Invariants: an inventory is never edited — a correction is a new entry that names the entry
// it supersedes, and every version stays in the log and in the record's history; a statement
// always names the park-year's current inventory entry and the content hash of that document.
#include "accounting/emissions.h"
#include "accounting/factor_set.h"
#include "accounting/inventory.h"
#include "crypto/canonical_json.h"
#include "crypto/encoding.h"
#include "ledger/certification/certification.h"
#include "ledger/certification/transaction_types.h"
#include "ledger/log/fields.h"

namespace carbonledger {
namespace {

Status ApplyInventoryRecord(const TxContext& ctx, StateTxn& state) {
  const nlohmann::json& b = ctx.tx.body;
  if (Status s = OnlyFields(b, {"year", "inventory", "supersedes", "reason"}, "body"); !s.ok()) {
    return s;
  }
  auto year = RequireYear(b, "year");
  if (!year.ok()) return year.status();
  if (!b.contains("inventory") || !b["inventory"].is_object()) {
    return Status::InvalidArgument("field.missing", "body.inventory must be an inventory object");
  }
  auto text = CanonicalJson(b["inventory"]);
  if (!text.ok()) return text.status();
  auto inventory = accounting::ParseInventory(*text);
  if (!inventory.ok()) {
    return Status(inventory.status().code(), inventory.status().reason(),
                  "body.inventory: " + inventory.status().message());
  }
  // Recorded inventories must be computable: unknown fuels or products, or an item without a
  // published default and no measured factor, are refused now rather than at certification.
  static const auto factors =
      accounting::FactorSet::Embedded(accounting::FactorSet::kDefaultVersion);
  if (!factors.ok()) return factors.status();
  if (auto computed = accounting::ComputeInventory(*inventory, *factors); !computed.ok()) {
    return Status(computed.status().code(), computed.status().reason(),
                  "body.inventory: " + computed.status().message());
  }
  if (inventory->park_id != ctx.tx.signer) {
    return Status::PermissionDenied(
        "inventory.park",
        "the inventory is for park \"" + inventory->park_id + "\"; a park records only its own");
  }
  if (inventory->year != *year) {
    return Status::InvalidArgument("inventory.year", "body.year differs from the inventory's year");
  }
  const std::string key = InventoryKey(ctx.tx.signer, *year);
  auto current = GetRecord(state, key);
  if (!current.ok()) return current.status();
  nlohmann::json record = current->value_or(nlohmann::json{{"versions", nlohmann::json::array()}});
  if (current->has_value()) {
    // A correction must say which entry it replaces and why: nothing is overwritten by accident.
    if (!b.contains("supersedes") || b["supersedes"] != record["seq"]) {
      return Status::Conflict("inventory.supersedes",
                              "an inventory for " + std::to_string(*year) + " is already entry " +
                                  record["seq"].dump() +
                                  "; a correction must name it in body.supersedes");
    }
    auto reason = RequireString(b, "reason", 1024);
    if (!reason.ok()) return reason.status();
  } else if (b.contains("supersedes")) {
    return Status::Conflict("inventory.supersedes",
                            "there is no earlier inventory for this year to supersede");
  }
  record["seq"] = ctx.seq;
  record["content_sha256"] = HexEncode(AsBytes(inventory->content_sha256));
  record["versions"].push_back(ctx.seq);
  return PutRecord(state, key, record);
}

Status ApplyStatementRecord(const TxContext& ctx, StateTxn& state) {
  const nlohmann::json& b = ctx.tx.body;
  if (Status s = OnlyFields(b, {"statement", "checkpoint_size"}, "body"); !s.ok()) return s;
  if (!b.contains("statement") || !b["statement"].is_object()) {
    return Status::InvalidArgument("field.missing", "body.statement must be a statement object");
  }
  const nlohmann::json& st = b["statement"];
  if (st.value("format", "") != "carbonledger.statement/1") {
    return Status::InvalidArgument("statement.format",
                                   "body.statement.format must be carbonledger.statement/1");
  }
  auto checkpoint_size = RequirePositive(b, "checkpoint_size");
  if (!checkpoint_size.ok()) return checkpoint_size.status();
  if (*checkpoint_size > ctx.seq) {
    return Status::InvalidArgument("statement.checkpoint",
                                   "body.checkpoint_size is beyond the log");
  }
  if (!st.contains("park") || !st["park"].is_string() || !st.contains("year") ||
      !st["year"].is_number_integer() || !st.contains("inventory") ||
      !st["inventory"].is_object() || !st.contains("verdict") || !st.contains("profile")) {
    return Status::InvalidArgument("statement.format",
                                   "body.statement needs park, year, inventory, profile, verdict");
  }
  const std::string park = st["park"];
  const int64_t year = st["year"];
  auto inv = GetRecord(state, InventoryKey(park, year));
  if (!inv.ok()) return inv.status();
  if (!inv->has_value()) {
    return Status::Unprocessable(
        "statement.no_inventory",
        "park \"" + park + "\" has no inventory for " + std::to_string(year));
  }
  const nlohmann::json& named = st["inventory"];
  if (named.value("entry_seq", nlohmann::json()) != (**inv)["seq"] ||
      named.value("content_sha256", nlohmann::json()) != (**inv)["content_sha256"]) {
    return Status::Unprocessable("statement.stale_inventory",
                                 "the statement must name the current inventory of " + park + " " +
                                     std::to_string(year) + ": entry " + (**inv)["seq"].dump());
  }
  if (*checkpoint_size <= (**inv)["seq"].get<uint64_t>()) {
    return Status::InvalidArgument("statement.checkpoint",
                                   "body.checkpoint_size must include the inventory entry");
  }
  const std::string id = StatementId(ctx.seq);
  nlohmann::json record = {{"id", id},
                           {"seq", ctx.seq},
                           {"park", park},
                           {"year", year},
                           {"certifier", ctx.tx.signer},
                           {"profile", st["profile"].value("id", "")},
                           {"verdict", st["verdict"]},
                           {"inventory_seq", (**inv)["seq"]},
                           {"checkpoint_size", *checkpoint_size}};
  if (Status s = PutRecord(state, StatementKey(id), record); !s.ok()) return s;
  state.Put(ParkStatementKey(park, year, ctx.seq), id);
  return Status::OK();
}

}  // namespace

std::vector<TxType> CertificationTxTypes() {
  return {
      Untyped<&ApplyInventoryRecord>("inventory.record", {"park"}),
      Untyped<&ApplyStatementRecord>("statement.record", {"certifier"}),
  };
}

}  // namespace carbonledger
