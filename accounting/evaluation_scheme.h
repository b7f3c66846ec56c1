// EvaluationScheme: a park evaluation (national 1 + 5, a province's index, a group standard) as
// versioned data (accounting/data/evaluations/<id>.json, format "carbonledger.evaluation/1",
// docs/evaluations.md). A scheme names indicators drawn from the fixed set of measures the
// engine computes (Measure), with their thresholds per size tier or their point bands, the
// groups, bonus and penalty, stars, veto rules and entry criteria — so a new province's scheme
// needs no code.
//
// Invariant: a parsed scheme is named by (id, version, SHA-256 of its bytes); every indicator
// names a known measure, its source and the reading taken where the text leaves a choice, and
// every comparison is exact (part × scale compared with threshold × whole on Decimal units, no
// rounding before the verdict). The same inventory, result, previous year and assessment give
// the same outcome on every machine.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounting/decimal.h"
#include "accounting/emissions.h"
#include "accounting/inventory.h"
#include "accounting/ledger_facts.h"
#include "crypto/sha256.h"
#include "crypto/status.h"

namespace carbonledger::accounting {

// The fixed set of figures an indicator may be computed from (docs/evaluations.md §Measures).
enum class Measure {
  kCo2PerTce,  // 单位能耗碳排放: accounted E_park / 综合能源消费量, tCO2/tce
  kCo2PerIndustrialValueAdded,  // accounted E_park / 工业增加值, t/10^4 CNY
  kTotalCo2Change,              // accounted E_park against last year's
  kCoalUseChange,               // coal-group energy (GJ) against last year's
  kGreenPowerShare,             // green electricity / electricity consumption, %
  kRenewableEnergyShareGj,      // renewable / total energy use, calorific GJ, % (Anhui)
  kNonFossilEnergyShare,        // non_fossil_tce / total_tce, %
  kCleanEnergyShare,            // (non_fossil_tce + natural_gas_tce) / total_tce, %
  kSolidWasteUtilisation,       // stated by the park, %
  kWasteHeatUtilisation,        // stated by the park, %
  kWaterReuse,                  // stated by the park, %
  kProductEnergyLevel,          // the worst level of the park's products, 1..3
  kAssessor,                    // points from the engaged certifier's assessment
  kDeclaredRate,                // entry criteria: a percent declared in the assessment
  kDeclaredFlag,                // entry criteria: yes/no declared in the assessment
};
std::string_view MeasureName(Measure measure);  // "co2_per_tce" …

// How a figure is compared: at_most k is "figure <= k", exactly; "zero" and "from_zero" are
// the change measures' special cases; "otherwise" always holds.
enum class Comparison { kAtMost, kBelow, kAtLeast, kAbove, kZero, kFromZero, kOtherwise };

struct Condition {
  Comparison comparison = Comparison::kOtherwise;
  Decimal value;     // the threshold k, in the measure's display unit (percent for shares)
  std::string rule;  // the text shown: "<= 0.20 tCO2/tce"
};

struct Band {  // points schemes: the first band whose condition holds gives its points
  Condition condition;
  Decimal points;
};

struct Threshold {   // pass/fail schemes
  std::string tier;  // a tier id, or "*" for every tier
  Condition condition;
};

struct IndicatorSpec {
  std::string id;
  std::string role;   // "core", "guiding", "index", "bonus", "penalty"
  std::string group;  // points schemes: a group id, "bonus" or "penalty"
  std::string name_zh, name_en;
  Measure measure = Measure::kAssessor;
  std::optional<Decimal> max_points;
  std::vector<Band> bands;
  std::vector<Decimal> levels;  // kAssessor: the points an assessor may give
  std::vector<Threshold> thresholds;
  bool veto = false;      // 一票否决: the scheme fails when this indicator is not met
  std::string rule_text;  // the source's own wording of the rule, shown for assessor lines
  std::string source;     // key into EvaluationScheme::sources
  std::string reading;    // how we read the text where it leaves a choice
};

struct TierSpec {  // size tiers by 综合能源消费量 in 10^4 tce: [from, below)
  std::string id;
  std::string name;
  std::optional<Decimal> from_10k_tce;
  std::optional<Decimal> below_10k_tce;
  std::string reading;
};

struct GroupSpec {
  std::string id, name_zh, name_en;
  Decimal max_points;
};

struct StarBand {
  Decimal from;
  int stars = 0;
};

struct CriterionSpec {
  std::string id, clause, name_zh, name_en;
  Measure measure = Measure::kDeclaredFlag;
  Condition condition;  // computed and rate criteria
  std::string source;
};

struct SchemeSource {
  std::string id, citation, access;
};

struct EvaluationScheme {
  std::string id;       // "national-2025"
  std::string version;  // "1"
  std::string title;
  std::string scoring;  // "pass_fail" or "points"
  std::vector<SchemeSource> sources;
  std::vector<TierSpec> tiers;
  std::vector<GroupSpec> groups;
  std::vector<IndicatorSpec> indicators;
  std::vector<StarBand> stars;  // highest first
  std::string star_rule;
  std::vector<CriterionSpec> criteria;
  Hash sha256{};
  std::string sha256_hex() const;
  const IndicatorSpec* FindIndicator(std::string_view id) const;
  const CriterionSpec* FindCriterion(std::string_view id) const;
  const SchemeSource* Source(std::string_view id) const;
};

// Parses a scheme file. Errors "evaluation.*" naming the JSON path (unknown_measure,
// unknown_tier, unknown_group, unknown_source, bad_comparison, bad_scoring …) or "json.*".
Result<EvaluationScheme> ParseEvaluationScheme(std::string_view file_bytes);
// A built-in scheme by id ("national-2025", "anhui-2024", "ceca-g0344-2025", "guangdong-gdcpa");
// "evaluation.unknown_scheme".
Result<EvaluationScheme> EmbeddedEvaluationScheme(std::string_view id);
std::vector<std::string> EmbeddedEvaluationSchemeIds();

// What the engaged certifier's assessment says for one scheme (format
// "carbonledger.assessment/1", or the Anhui format "carbonledger.anhui-assessment/1"): points
// for kAssessor indicators, each one of the indicator's levels; declared rates and flags for
// entry criteria. Errors "assessment.*" naming the path.
struct Assessment {
  std::map<std::string, Decimal> index_points;
  std::map<std::string, Decimal> entry_rates;
  std::map<std::string, bool> entry_flags;
};
Result<Assessment> ParseAssessment(std::string_view json_text, const EvaluationScheme& scheme);

struct IndicatorOutcome {
  std::string id, role, group, name_zh, name_en;
  std::string measure;
  std::string value;   // what was found: "0.1850 tCO2/tce", "62.50 %", "assessor"
  std::string rule;    // the band or threshold applied, or why none could be
  std::string basis;   // "computed", "park", "assessor", "not_assessed", "not_computable",
                       // "not_stated"
  std::string source;  // the citation of the indicator's source
  std::string reading;
  std::optional<Decimal> max_points;  // points schemes
  Decimal points;
  std::optional<bool> met;  // pass/fail schemes; absent when not computable or not stated
  bool veto = false;
};

struct GroupOutcome {
  std::string id, name_zh, name_en;
  Decimal max_points, points;
};

struct CriterionOutcome {
  std::string id, clause, name_zh, name_en;
  std::string rule, value,
      basis;  // basis: "computed", "declared", "not_declared", "not_computable"
  bool met = false;
};

struct Evaluation {
  std::string scheme_id, scheme_version, scheme_sha256, title, scoring;
  std::string tier;  // pass/fail schemes with tiers: the tier id the park falls in
  std::string tier_name;
  std::string tier_reading;  // why this tier (or the reading for a park outside the tiers)
  std::vector<IndicatorOutcome> lines;
  std::vector<GroupOutcome> groups;
  Decimal index_points, bonus_points, penalty_points, total;
  int stars = 0;
  bool veto_failed = false;  // a veto indicator is not met (or could not be computed)
  std::string verdict;       // pass/fail schemes: "pass" or "fail"; points schemes: ""
  std::vector<CriterionOutcome> criteria;
  bool admitted = false;  // every entry criterion met (true when the scheme has none)
};

// Evaluates the park-year under the scheme. `result` must be ComputeInventory of `inventory`
// ("evaluation.mismatch"); `previous` must be last year's ("evaluation.previous_year").
Result<Evaluation> Evaluate(const EvaluationScheme& scheme, const Inventory& inventory,
                            const InventoryResult& result,
                            const std::optional<PreviousYear>& previous,
                            const Assessment& assessment);

// docs/evaluations.md §Result JSON: every number a decimal string.
nlohmann::json EvaluationToJson(const Evaluation& evaluation);

}  // namespace carbonledger::accounting
