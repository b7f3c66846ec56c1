// JSON output helpers shared by the result, neutrality and statement writers (private).
// Every number goes out as a decimal string or an integer, never as a float.
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
