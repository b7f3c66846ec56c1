// inventory.record, signed by a park: the park's CO2 inventory for one reporting year
// (docs/certification.md §inventory.record).
//
// Invariant: an inventory is never edited — a correction is a new entry that names the entry
// it supersedes and says why, and every version stays in the log and in the record's
// `versions`; the record always names the park-year's latest version.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "accounting/inventory.h"
#include "crypto/status.h"
#include "ledger/log/state.h"
#include "ledger/log/transaction.h"
#include "ledger/log/tx_types.h"

namespace carbonledger::certification {

struct InventoryRecordBody {
  int64_t year = 0;
  // Ledger format 4: the body names a salted commitment (body.commitment) and the document
  // travels beside it (Transaction::confidential); before, the document is body.inventory.
  bool confidential = false;
  std::string commitment;      // hex, the confidential form only
  bool withheld = false;       // confidential form, replayed without the attachment
  std::string content_sha256;  // hex SHA-256 of the inventory's canonical content ("" withheld)
  // The parsed document (null when withheld): Apply computes it with the ledger's method.
  std::shared_ptr<const accounting::Inventory> inventory;
  // body.supersedes: whether it is present, and its value when it is an entry seq (an integer
  // >= 0). Only a correction may name it, and it must name the current entry.
  bool names_superseded = false;
  std::optional<uint64_t> supersedes;
  // body.reason, checked as a reason text (a string of 1..1024 bytes); only a correction needs
  // one, so the refusal waits for Apply to know whether this is a correction.
  Status reason_check;
};

// Pure: the body's members, the inventory document (parsed, and computable with the shipped
// factor set), its park (the signer) and its year (body.year). The document is body.inventory,
// or, with body.commitment, tx.confidential.inventory, whose commitment must be the body's.
// Refusals: "field.type", "field.unknown", "field.missing", "field.format", "year.invalid",
// "confidential.format", "confidential.commitment", the inventory reader's reasons
// ("inventory.*", message prefixed "body.inventory: " or "confidential.inventory: "),
// "inventory.park", "inventory.year".
Result<InventoryRecordBody> ValidateInventoryRecord(const Transaction& tx);

// Writes inv/<park>/<year> and keeps the attachment (format 4). Refusals: Unprocessable
// "inventory.public" (a document in the body of a format 4 ledger), "ledger.format" (a
// commitment in an older one), InvalidArgument "confidential.missing" (a commitment without the
// attachment), Conflict "inventory.supersedes" (a second inventory
// that does not name the current one, or supersedes with nothing to supersede), the reason's
// "field.missing" / "field.length" for a correction without a valid reason.
Status ApplyInventoryRecord(const TxContext& ctx, const InventoryRecordBody& body, StateTxn& state);

TxType InventoryRecordType();

}  // namespace carbonledger::certification
