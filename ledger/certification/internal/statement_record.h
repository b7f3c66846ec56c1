// statement.record, signed by a certifier: a certification statement about one park-year's
// current inventory (docs/certification.md §statement.record).
//
// Invariant: a recorded statement always names the park-year's current inventory entry and the
// content hash (format 4: the commitment) of that document, and a checkpoint size that includes
// that entry and no entry after its own. From ledger format 4 its content is exactly what the
// engine computes from the facts as of that checkpoint size: the ledger recomputes it and
// refuses any other (docs/certification.md §statement.record).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "crypto/status.h"
#include "ledger/log/state.h"
#include "ledger/log/transaction.h"
#include "ledger/log/tx_types.h"

namespace carbonledger::certification {

// The statement formats: /1 (accounting method 1) in ledger formats 2-3, /2 (method 2) from 4.
inline constexpr const char* kStatementFormat = "carbonledger.statement/1";
inline constexpr const char* kStatementFormat2 = "carbonledger.statement/2";

struct StatementRecordBody {
  uint64_t checkpoint_size = 0;  // body.checkpoint_size, > 0
  std::string park;              // statement.park
  int64_t year = 0;              // statement.year
  // statement.inventory.entry_seq when an integer >= 0, statement.inventory.content_sha256 when
  // a string: the inventory the statement is about, compared with the current one in Apply.
  std::optional<uint64_t> inventory_seq;
  std::optional<std::string> inventory_content_sha256;
  std::optional<std::string> inventory_commitment;  // statement.inventory.commitment (format 4)
  std::string profile_id;                           // statement.profile.id, "" when absent
  nlohmann::json verdict;                           // statement.verdict, as signed
  nlohmann::json content;    // body.statement, as signed (recomputed in ledger format 4)
  int statement_format = 1;  // 1 or 2, from statement.format
};

// Pure: the body's members and the statement's format and required members. Refusals:
// "field.type", "field.unknown", "field.missing", "statement.format", "field.range".
Result<StatementRecordBody> ValidateStatementRecord(const Transaction& tx);

// Writes stmt/S<seq> (with the engagement's entry, engagement_seq, from ledger format 3) and
// pstmt/<park>/<year>/<seq>. Refusals: "statement.checkpoint" (beyond the log, or not including
// the inventory entry), "statement.no_inventory", "statement.stale_inventory",
// "statement.not_engaged" (format 3: the signer is not the park-year's engaged certifier),
// and from format 4 "statement.profile" (a profile this ledger does not ship) and
// "statement.mismatch" (the content differs from the ledger's own recomputation at
// checkpoint_size, naming the first differing member).
Status ApplyStatementRecord(const TxContext& ctx, const StatementRecordBody& body, StateTxn& state);

TxType StatementRecordType();

}  // namespace carbonledger::certification
