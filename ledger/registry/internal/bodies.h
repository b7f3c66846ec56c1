// The registry's typed bodies: for each transaction type, what its Validate makes of the body
// (pure: the transaction alone, no state, no clock, no I/O) and what its Apply reads, beside
// the state it reads and writes (docs/registry-rules.md). Validate is declared here so it can be
// tested alone; each type's Apply is in the type's file. Private to the registry library.
//
// Invariant: a refusal names the same first problem as the rules have always reported, in
// their order, which is not "every field first". A rule reads some fields only after a record
// it needs: a new generator's id is found free before its owner and technology are read, a
// credit's vintage is read once its project is known, and each operation of a batch is
// checked whole, fields then state, before the next one. So a field problem that comes after a
// state check in that order does not fail Validate: the body keeps its Status at its place (an
// `after_*` member, an operation's Result, a deferred batch) and Apply reports it there.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "crypto/ed25519.h"
#include "crypto/status.h"
#include "ledger/log/transaction.h"
#include "ledger/registry/internal/operations.h"
#include "ledger/registry/internal/records.h"

namespace carbonledger::registry {

// ---- Accounts (accounts.cc).
struct GenesisBody {
  std::string origin, log_key;
  uint64_t gec_validity_months = 0;
  uint64_t max_tx_validity_s = 0;
  std::string operator_key_b64;
  int64_t format =
      kLedgerFormat;  // kOldestReadableFormat..kLedgerFormat (a replay of an older log)
};
Result<GenesisBody> ValidateGenesis(const Transaction& tx);

struct AccountCreateBody {
  std::string id, role, key_b64;
  std::optional<std::string> name, region;
};
Result<AccountCreateBody> ValidateAccountCreate(const Transaction& tx);

struct RotateKeyBody {
  std::string key_b64;
};
Result<RotateKeyBody> ValidateRotateKey(const Transaction& tx);

struct ReplaceKeyBody {
  std::string account, reason;
  PublicKey old_key{};
  std::string key_b64;
};
Result<ReplaceKeyBody> ValidateReplaceKey(const Transaction& tx);

struct ConfirmKeyBody {
  std::string account, key_b64;
};
Result<ConfirmKeyBody> ValidateConfirmKey(const Transaction& tx);

// ---- Registration (registration.cc).
struct GeneratorRegisterBody {
  std::string id, owner, technology, region;
  uint64_t capacity_kw = 0;
  std::optional<std::string> name;
  // Reported once the id is found free: the first problem of owner, technology, capacity_kw,
  // region. Once the owner is found: a problem with name.
  Status after_id, after_owner;
};
Result<GeneratorRegisterBody> ValidateGeneratorRegister(const Transaction& tx);

struct ProjectRegisterBody {
  std::string id, instrument, owner, methodology, region;
  std::optional<std::string> name, sector, scenario, generator;
  Status after_id;  // the first problem of every other field, reported once the id is found free
};
Result<ProjectRegisterBody> ValidateProjectRegister(const Transaction& tx);

// ---- Issuance (issuance.cc).
struct GecIssueOp {
  std::string generator;
  int month = 0;
  uint64_t quantity = 0;
};
struct GecIssueBody {
  Ops<GecIssueOp> ops;
};
Result<GecIssueBody> ValidateGecIssue(const Transaction& tx);

struct CreditIssueOp {
  std::string project;
  std::string vintage;  // as written: the issuance and its block record it so
  uint64_t quantity = 0;
  Vintage period;          // the vintage's months (a CCER and a CIC vintage read alike)
  Status vintage_invalid;  // reported once the project is found
};
struct CreditIssueBody {
  Ops<CreditIssueOp> ops;
};
Result<CreditIssueBody> ValidateCreditIssue(const Transaction& tx);

// ---- Corrections (corrections.cc).
struct GecFreezeBody {
  std::string project, reason;
  int from = 0, to = 0;  // generation months, inclusive
};
Result<GecFreezeBody> ValidateGecFreeze(const Transaction& tx);

struct GecExpireBody {
  uint64_t limit = 0;
};
Result<GecExpireBody> ValidateGecExpire(const Transaction& tx);

struct UnitCancelBody {
  std::string reason;
  Ops<UnitSpec> ops;  // by serial range only
};
Result<UnitCancelBody> ValidateUnitCancel(const Transaction& tx);

// ---- Spending (transfer.cc, claim.cc, retirement.cc); the signer is the holder.
struct TransferBody {
  std::string to;
  Result<Ops<UnitSpec>> ops;  // a malformed batch is reported once the recipient is found
};
Result<TransferBody> ValidateTransfer(const Transaction& tx);

struct ClaimOp {
  int64_t reporting_year = 0;
  UnitSpec units;  // GEC
};
struct ClaimBody {
  Ops<ClaimOp> ops;
};
Result<ClaimBody> ValidateClaim(const Transaction& tx);

struct RetireOp {
  UnitSpec units;  // CCER or CIC
  std::string beneficiary;
  int64_t reporting_year = 0;
  std::string purpose;
  std::string note;  // empty: none
};
struct RetireBody {
  Ops<RetireOp> ops;
};
Result<RetireBody> ValidateRetire(const Transaction& tx);

// ---- Acceptance (retirement.cc); the signer is the beneficiary park.
struct AcceptBody {
  std::string retirement;  // "R<seq>.<op>"
};
Result<AcceptBody> ValidateAccept(const Transaction& tx);

}  // namespace carbonledger::registry
