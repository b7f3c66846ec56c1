// Anhui evaluation: the zero-carbon industrial park index (安徽省零碳产业园区评价指标体系, 100
// points in 7 groups, + up to 10 bonus − up to 5 penalty, 1 to 5 stars) and the entry criteria
// (创建准入标准) of seed 000 (皖发改产业〔2024〕254号) 附件3 and 附件1.
//
// Five index indicators and two entry criteria are computed from the inventory (CO2 per unit of
// industrial value added, change of total CO2, green-power share incl. certificates, coal use,
// renewable share); the others are points or declarations an assessor supplies (AnhuiAssessment,
// anhui_assessment.h), validated against the levels the seed allows. Invariant: every score line
// names its indicator (Chinese and English), the value found and the rule applied, and the same
// inputs give the same lines.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounting/anhui_assessment.h"
#include "accounting/decimal.h"
#include "accounting/emissions.h"
#include "accounting/inventory.h"
#include "accounting/ledger_facts.h"
#include "crypto/status.h"

namespace carbonledger::accounting {

struct ScoreLine {
  std::string id;  // "co2_per_industrial_value_added"
  std::string group;
  std::string name_zh;
  std::string name_en;
  Decimal max_points;
  Decimal points;
  std::string value;  // what was found: "0.2100 t/10^4 CNY", "62.50 %", "assessor"
  std::string rule;   // the band or level applied
  std::string basis;  // "computed", "assessor", "not_assessed", "not_computable"
};

struct GroupScore {
  std::string id;
  std::string name_zh;
  std::string name_en;
  Decimal max_points;
  Decimal points;
};

struct AnhuiEvaluation {
  std::vector<ScoreLine> lines;  // the 18 index indicators, then bonus, then penalty
  std::vector<GroupScore> groups;
  Decimal index_points;    // <= 100
  Decimal bonus_points;    // <= 10
  Decimal penalty_points;  // <= 5
  Decimal total;           // index + bonus − penalty
  int stars = 0;           // 0 (below 70) .. 5
};

// Stars for a total: [70, 80) one, [80, 85) two, [85, 90) three, [90, 95) four, 95 and above
// five. The seed's bands share their end points (70-80, 80-85 …); a total on a shared end point
// takes the higher band (docs/accounting.md §Anhui evaluation).
int AnhuiStars(Decimal total);

// Scores the index. `previous` is last year's inventory figures (total CO2 and coal use change);
// without it those two indicators are not computable and score 0.
Result<AnhuiEvaluation> EvaluateAnhui(const Inventory& inventory, const InventoryResult& result,
                                      const std::optional<PreviousYear>& previous,
                                      const AnhuiAssessment& assessment);

struct EntryCriterion {
  std::string id;
  std::string clause;  // "附件1 2.1"
  std::string name_zh;
  std::string name_en;
  std::string rule;   // "≥ 40 %"
  std::string value;  // what was found or declared
  std::string basis;  // "computed", "declared", "not_declared", "not_computable"
  bool met = false;
};

struct AnhuiEntryCheck {
  std::vector<EntryCriterion> criteria;
  bool admitted = false;  // every criterion met
};

// Checks the entry criteria: renewable electricity share and coal decline are computed, the
// rest declared; a criterion not declared is not met.
AnhuiEntryCheck CheckAnhuiEntry(const InventoryResult& result,
                                const std::optional<PreviousYear>& previous,
                                const AnhuiAssessment& assessment);

nlohmann::json AnhuiEvaluationToJson(const AnhuiEvaluation& evaluation);
nlohmann::json AnhuiEntryCheckToJson(const AnhuiEntryCheck& check);

}  // namespace carbonledger::accounting
