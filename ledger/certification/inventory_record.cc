#include "ledger/certification/internal/inventory_record.h"

#include "accounting/emissions.h"
#include "accounting/inventory.h"
#include "crypto/canonical_json.h"
#include "crypto/encoding.h"
#include "ledger/certification/internal/default_factors.h"
#include "ledger/certification/internal/state_keys.h"
#include "ledger/log/fields.h"

namespace carbonledger::certification {
namespace {

// A status of the inventory reader or engine, located in the body.
Status InBody(const Status& s) {
  return Status(s.code(), s.reason(), "body.inventory: " + s.message());
}

}  // namespace

Result<InventoryRecordBody> ValidateInventoryRecord(const Transaction& tx) {
  const nlohmann::json& b = tx.body;
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
  if (!inventory.ok()) return InBody(inventory.status());
  // Recorded inventories must be computable: unknown fuels or products, or an item without a
  // published default and no measured factor, are refused now rather than at certification.
  static const auto factors = DefaultFactors();
  if (!factors.ok()) return factors.status();
  if (auto computed = accounting::ComputeInventory(*inventory, *factors); !computed.ok()) {
    return InBody(computed.status());
  }
  if (inventory->park_id != tx.signer) {
    return Status::PermissionDenied(
        "inventory.park",
        "the inventory is for park \"" + inventory->park_id + "\"; a park records only its own");
  }
  if (inventory->year != *year) {
    return Status::InvalidArgument("inventory.year", "body.year differs from the inventory's year");
  }
  InventoryRecordBody body;
  body.year = *year;
  body.content_sha256 = HexEncode(AsBytes(inventory->content_sha256));
  if (b.contains("supersedes")) {
    const nlohmann::json& v = b["supersedes"];
    body.names_superseded = true;
    if (v.is_number_unsigned()) {
      body.supersedes = v.get<uint64_t>();
    } else if (v.is_number_integer() && v.get<int64_t>() >= 0) {
      body.supersedes = uint64_t(v.get<int64_t>());
    }
  }
  body.reason_check = RequireString(b, "reason", 1024).status();
  return body;
}

Status ApplyInventoryRecord(const TxContext& ctx, const InventoryRecordBody& body,
                            StateTxn& state) {
  const std::string key = InventoryKey(ctx.tx.signer, body.year);
  auto current = GetRecord(state, key);
  if (!current.ok()) return current.status();
  nlohmann::json record = current->value_or(nlohmann::json{{"versions", nlohmann::json::array()}});
  if (current->has_value()) {
    // A correction must say which entry it replaces and why: nothing is overwritten by accident.
    if (!body.supersedes || nlohmann::json(*body.supersedes) != record["seq"]) {
      return Status::Conflict("inventory.supersedes",
                              "an inventory for " + std::to_string(body.year) +
                                  " is already entry " + record["seq"].dump() +
                                  "; a correction must name it in body.supersedes");
    }
    if (!body.reason_check.ok()) return body.reason_check;
  } else if (body.names_superseded) {
    return Status::Conflict("inventory.supersedes",
                            "there is no earlier inventory for this year to supersede");
  }
  record["seq"] = ctx.seq;
  record["content_sha256"] = body.content_sha256;
  record["versions"].push_back(ctx.seq);
  return PutRecord(state, key, record);
}

TxType InventoryRecordType() {
  return TxType("inventory.record", {"park"}, &ValidateInventoryRecord, &ApplyInventoryRecord);
}

}  // namespace carbonledger::certification
