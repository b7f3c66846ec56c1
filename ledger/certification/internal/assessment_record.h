// assessment.record, signed by the certifier a park engages for the year: the assessor's scores
// for the indicators of an evaluation scheme the ledger and the inventory cannot compute, and
// the entry criteria the assessor checked (docs/certification.md §assessment.record).
//
// Invariant: a park never scores itself — only the engaged certifier records an assessment, and
// only a document its scheme accepts (ParseAssessment); the record keeps the latest per
// park-year and scheme, and every one stays in the log.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "crypto/status.h"
#include "ledger/log/state.h"
#include "ledger/log/transaction.h"
#include "ledger/log/tx_types.h"

namespace carbonledger::certification {

struct AssessmentRecordBody {
  std::string park;
  int64_t year = 0;
  std::string scheme;         // an evaluation scheme this ledger ships (docs/evaluations.md)
  nlohmann::json assessment;  // the document, as the scheme reads it
  std::string opinion;        // the assessor's written opinion, "" when none
};

// "asm/<park>/<year>/<scheme>" -> {"seq","certifier","assessment","opinion"}: the latest.
std::string AssessmentKey(std::string_view park, int64_t year, std::string_view scheme);

// Pure: members, the scheme and the document. Refusals: "field.unknown", "field.missing",
// "field.length", "account.id", "year.invalid", "assessment.scheme", the scheme's "assessment.*".
Result<AssessmentRecordBody> ValidateAssessmentRecord(const Transaction& tx);
// Refusals: "ledger.format" (before format 4), "park.unknown", "assessment.not_engaged" (the
// signer is not the park-year's engaged certifier).
Status ApplyAssessmentRecord(const TxContext& ctx, const AssessmentRecordBody& body,
                             StateTxn& state);
TxType AssessmentRecordType();

}  // namespace carbonledger::certification
