// certifier.engage and certifier.revoke, signed by a park: the certifier a park engages for a
// reporting year (docs/certification.md §Engagements).
//
// Invariant: a park-year has at most one current engagement, eng/<park>/<year>; only that
// certifier may record a statement about the park-year (statement.record, ledger format 3) and
// read its private views. A revocation ends it; statements recorded before stand.
#pragma once

#include <cstdint>
#include <string>

#include "crypto/status.h"
#include "ledger/log/state.h"
#include "ledger/log/transaction.h"
#include "ledger/log/tx_types.h"

namespace carbonledger::certification {

struct EngagementBody {
  std::string certifier;  // body.certifier, an account id
  int64_t year = 0;       // body.year, the reporting year
};

// Pure: body {certifier, year}. "field.missing", "field.type", "field.unknown", "field.range",
// "account.id".
Result<EngagementBody> ValidateEngagement(const Transaction& tx);

// certifier.engage: "ledger.format" (a format 2 ledger has no engagements), "account.unknown",
// "engage.not_certifier", "engage.duplicate", "engage.active". certifier.revoke:
// "ledger.format", "engage.none".
Status ApplyEngage(const TxContext& ctx, const EngagementBody& body, StateTxn& state);
Status ApplyRevoke(const TxContext& ctx, const EngagementBody& body, StateTxn& state);

TxType EngageType();
TxType RevokeType();

}  // namespace carbonledger::certification
