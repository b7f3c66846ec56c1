// AnhuiAssessment: the assessor's document for the Anhui evaluation (format
// "carbonledger.anhui-assessment/1", docs/accounting.md §Anhui evaluation) — points for the index
// indicators the ledger cannot compute, and the entry criteria (创建准入标准) the park declares.
//
// Invariant: a parsed AnhuiAssessment holds only what seed 000 allows an assessor to say: points
// only for indicators scored by the assessor, each one of that indicator's levels; rates only
// for declared-rate criteria, within 0..100; flags only for yes/no criteria. Anything else is
// refused naming the JSON path, so the evaluation never meets a value it has to second-guess.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "accounting/decimal.h"
#include "crypto/status.h"

namespace carbonledger::accounting {

struct AnhuiAssessment {
  std::map<std::string, Decimal> index_points;  // indicator id -> points
  std::map<std::string, Decimal> entry_rates;   // criterion id -> percent
  std::map<std::string, bool> entry_flags;      // criterion id -> met
};

// Errors "assessment.*" naming the path: unknown indicator or criterion, points not among the
// indicator's levels ("assessment.bad_points"), points for a computed indicator
// ("assessment.computed_indicator"), a rate outside 0..100; or "json.*".
Result<AnhuiAssessment> ParseAnhuiAssessment(std::string_view json_text);

}  // namespace carbonledger::accounting
