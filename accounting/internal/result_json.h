// The JSON pieces the result writers share (private): emission totals, a GEC block and a list
// of reasons, written alike in the inventory result, the neutrality result, the Anhui evaluation
// and the statement (docs/accounting.md §Result JSON, §Statement).
//
// Invariant: every number goes out as a decimal string or an integer, never as a float, so a
// statement built of these pieces always has an RFC 8785 form (CanonicalJson refuses floats).
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "accounting/emissions.h"
#include "accounting/ledger_facts.h"
#include "accounting/reason.h"

namespace carbonledger::accounting {

nlohmann::json TotalsJson(const EmissionTotals& totals);
nlohmann::json BlockJson(const GecBlock& block);
nlohmann::json ReasonsJson(const std::vector<Reason>& reasons);

}  // namespace carbonledger::accounting
