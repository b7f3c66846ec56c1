#include "ledger/certification/internal/inventory_record.h"

#include "accounting/emissions.h"
#include "accounting/inventory.h"
#include "crypto/canonical_json.h"
#include "crypto/encoding.h"
#include "ledger/certification/confidential.h"
#include "ledger/certification/internal/default_factors.h"
#include "ledger/certification/internal/state_keys.h"
#include "ledger/log/fields.h"
#include "ledger/registry/queries.h"

namespace carbonledger::certification {
namespace {

// A status of the inventory reader or engine, located in the body.
Status InBody(const Status& s, const std::string& where) {
  return Status(s.code(), s.reason(), where + s.message());
}

}  // namespace

Result<InventoryRecordBody> ValidateInventoryRecord(const Transaction& tx) {
  const nlohmann::json& b = tx.body;
  const bool confidential = b.is_object() && b.contains("commitment");
  if (Status s = OnlyFields(
          b, {"year", confidential ? "commitment" : "inventory", "supersedes", "reason"}, "body");
      !s.ok()) {
    return s;
  }
  auto year = RequireYear(b, "year");
  if (!year.ok()) return year.status();
  InventoryRecordBody body;
  body.year = *year;
  body.confidential = confidential;
  std::string text;
  std::string where = "body.inventory: ";
  if (confidential) {
    const nlohmann::json& c = b["commitment"];
    if (!c.is_string() || c.get_ref<const std::string&>().size() != 64 ||
        c.get_ref<const std::string&>().find_first_not_of("0123456789abcdef") !=
            std::string::npos) {
      return Status::InvalidArgument("field.format",
                                     "body.commitment must be 64 lower-case hex digits");
    }
    body.commitment = c.get<std::string>();
    if (tx.confidential.is_null()) {
      body.withheld = true;  // Apply refuses it, unless a replay lacks the attachment
    } else {
      auto opened = OpenAttachment(tx.confidential, body.commitment);
      if (!opened.ok()) return opened.status();
      text = std::move(*opened);
      where = "confidential.inventory: ";
    }
  } else {
    if (!b.contains("inventory") || !b["inventory"].is_object()) {
      return Status::InvalidArgument("field.missing", "body.inventory must be an inventory object");
    }
    auto canonical = CanonicalJson(b["inventory"]);
    if (!canonical.ok()) return canonical.status();
    text = std::move(*canonical);
  }
  if (!body.withheld) {
    auto inventory = accounting::ParseInventory(text);
    if (!inventory.ok()) return InBody(inventory.status(), where);
    // Recorded inventories must be computable: unknown fuels or products, or an item without a
    // published default and no measured factor, are refused now rather than at certification.
    static const auto factors = DefaultFactors();
    if (!factors.ok()) return factors.status();
    if (auto computed = accounting::ComputeInventory(*inventory, *factors); !computed.ok()) {
      return InBody(computed.status(), where);
    }
    if (inventory->park_id != tx.signer) {
      return Status::PermissionDenied(
          "inventory.park",
          "the inventory is for park \"" + inventory->park_id + "\"; a park records only its own");
    }
    if (inventory->year != *year) {
      return Status::InvalidArgument("inventory.year",
                                     "body.year differs from the inventory's year");
    }
    body.content_sha256 = HexEncode(AsBytes(inventory->content_sha256));
    body.inventory = std::make_shared<const accounting::Inventory>(std::move(*inventory));
  }
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
  auto format = LedgerFormat(state);
  if (!format.ok()) return format.status();
  if (*format >= 4 && !body.confidential) {
    return Status::Unprocessable(
        "inventory.public",
        "ledger format 4 keeps inventories confidential: send the document and a 32-byte salt "
        "in the submission's confidential member and only body.commitment (docs/certification.md "
        "§Confidential inventories)");
  }
  if (*format < 4 && body.confidential) {
    return Status::Unprocessable(
        "ledger.format", "body.commitment needs ledger format 4; this ledger is of format " +
                             std::to_string(*format));
  }
  if (body.withheld && !ctx.confidential_withheld) {
    return Status::InvalidArgument(
        "confidential.missing",
        "body.commitment names a confidential inventory; the submission must carry it in "
        "confidential.inventory with its salt");
  }
  if (*format >= 4 && body.inventory) {
    // Format 4 computes with accounting method 2 (docs/accounting.md), which refuses more (an
    // export at the grid factor beyond what the grid and fossil plant supplied).
    static const auto factors = DefaultFactors();
    if (!factors.ok()) return factors.status();
    if (auto computed = accounting::ComputeInventory(*body.inventory, *factors, nullptr,
                                                     accounting::MethodVersion::kV2);
        !computed.ok()) {
      return InBody(computed.status(), "confidential.inventory: ");
    }
  }
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
  if (body.confidential) {
    // The unsalted content hash would let anyone confirm a guessed document: only the
    // commitment is public. The attachment is kept in the confidential key space.
    record.erase("content_sha256");
    record["commitment"] = body.commitment;
    if (body.withheld) {
      NoteUnchecked(ctx, "the inventory's commitment and figures (document withheld)");
    } else {
      KeepConfidential(ctx);
    }
  } else {
    record["content_sha256"] = body.content_sha256;
  }
  record["versions"].push_back(ctx.seq);
  JoinScope(ctx, ParkYearScope(ctx.tx.signer, body.year));
  return PutRecord(state, key, record);
}

TxType InventoryRecordType() {
  return TxType("inventory.record", {"park"}, &ValidateInventoryRecord, &ApplyInventoryRecord);
}

}  // namespace carbonledger::certification
