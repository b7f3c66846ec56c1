// inventory.record, signed by a park: the park's CO2 inventory for one reporting year
// (docs/certification.md §inventory.record).
//
// Invariant: an inventory is never edited — a correction is a new entry that names the entry
// it supersedes and says why, and every version stays in the log and in the record's
// `versions`; the record always names the park-year's latest version.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "crypto/status.h"
#include "ledger/log/state.h"
#include "ledger/log/transaction.h"
#include "ledger/log/tx_types.h"

namespace carbonledger::certification {

struct InventoryRecordBody {
  int64_t year = 0;
  std::string content_sha256;  // hex SHA-256 of the inventory's canonical content
  // body.supersedes: whether it is present, and its value when it is an entry seq (an integer
  // >= 0). Only a correction may name it, and it must name the current entry.
  bool names_superseded = false;
  std::optional<uint64_t> supersedes;
  // body.reason, checked as a reason text (a string of 1..1024 bytes); only a correction needs
  // one, so the refusal waits for Apply to know whether this is a correction.
  Status reason_check;
};

// Pure: the body's members, the inventory document (parsed, and computable with the shipped
// factor set), its park (the signer) and its year (body.year). Refusals: "field.type",
// "field.unknown", "field.missing", "year.invalid", the inventory reader's reasons
// ("inventory.*", message prefixed "body.inventory: "), "inventory.park", "inventory.year".
Result<InventoryRecordBody> ValidateInventoryRecord(const Transaction& tx);

// Writes inv/<park>/<year>. Refusals: Conflict "inventory.supersedes" (a second inventory
// that does not name the current one, or supersedes with nothing to supersede), the reason's
// "field.missing" / "field.length" for a correction without a valid reason.
Status ApplyInventoryRecord(const TxContext& ctx, const InventoryRecordBody& body, StateTxn& state);

TxType InventoryRecordType();

}  // namespace carbonledger::certification
