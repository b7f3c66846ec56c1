// Parsing of evaluation scheme files (evaluation_scheme.h, docs/evaluations.md §Format).
#include <set>

#include "accounting/evaluation_scheme.h"
#include "accounting/internal/embedded_data.h"
#include "accounting/internal/json_reader.h"
#include "crypto/encoding.h"

namespace carbonledger::accounting {
namespace {

constexpr std::string_view kFormat = "carbonledger.evaluation/1";
constexpr const char* kPrefix = "evaluation";

constexpr std::pair<Measure, std::string_view> kMeasures[] = {
    {Measure::kCo2PerTce, "co2_per_tce"},
    {Measure::kCo2PerIndustrialValueAdded, "co2_per_industrial_value_added"},
    {Measure::kTotalCo2Change, "total_co2_change"},
    {Measure::kCoalUseChange, "coal_use_change"},
    {Measure::kGreenPowerShare, "green_power_share"},
    {Measure::kRenewableEnergyShareGj, "renewable_energy_share_gj"},
    {Measure::kNonFossilEnergyShare, "non_fossil_energy_share"},
    {Measure::kCleanEnergyShare, "clean_energy_share"},
    {Measure::kSolidWasteUtilisation, "solid_waste_utilisation"},
    {Measure::kWasteHeatUtilisation, "waste_heat_utilisation"},
    {Measure::kWaterReuse, "water_reuse"},
    {Measure::kProductEnergyLevel, "product_energy_level"},
    {Measure::kAssessor, "assessor"},
    {Measure::kDeclaredRate, "declared_rate"},
    {Measure::kDeclaredFlag, "declared_flag"},
};

constexpr std::pair<Comparison, std::string_view> kComparisons[] = {
    {Comparison::kAtMost, "at_most"},      {Comparison::kBelow, "below"},
    {Comparison::kAtLeast, "at_least"},    {Comparison::kAbove, "above"},
    {Comparison::kZero, "zero"},           {Comparison::kFromZero, "from_zero"},
    {Comparison::kOtherwise, "otherwise"},
};

// Thresholds beyond 10^4 would take the exact comparisons out of Int128's range.
const Decimal kThresholdLimit = Decimal::FromInt(10'000);

Result<Measure> ReadMeasure(ObjectReader& r, bool criterion) {
  CL_ASSIGN_OR_RETURN(std::string name, r.String("measure"));
  for (const auto& [m, n] : kMeasures) {
    if (n != name) continue;
    // Indicators take any measure but the declared ones; entry criteria any but the assessor's.
    bool declared = m == Measure::kDeclaredRate || m == Measure::kDeclaredFlag;
    if (criterion ? m != Measure::kAssessor : !declared) return m;
    break;
  }
  return FieldError(kPrefix, "unknown_measure", r.PathOf("measure"),
                    "\"" + name + "\" is not a measure the engine computes for " +
                        (criterion ? "an entry criterion" : "an indicator") +
                        " (docs/evaluations.md §Measures)");
}

Result<Condition> ReadCondition(ObjectReader& r) {
  Condition c;
  CL_ASSIGN_OR_RETURN(std::string op, r.String("if"));
  bool known = false;
  for (const auto& [cmp, n] : kComparisons) {
    if (n == op) c.comparison = cmp, known = true;
  }
  if (!known) {
    return FieldError(kPrefix, "bad_comparison", r.PathOf("if"),
                      "\"" + op +
                          "\" is not one of at_most, below, at_least, above, zero, from_zero, "
                          "otherwise");
  }
  bool needs_value = c.comparison == Comparison::kAtMost || c.comparison == Comparison::kBelow ||
                     c.comparison == Comparison::kAtLeast || c.comparison == Comparison::kAbove;
  if (needs_value) {
    CL_ASSIGN_OR_RETURN(c.value, r.NonNegativeDecimal("value"));
    if (c.value > kThresholdLimit) {
      return FieldError(kPrefix, "out_of_range", r.PathOf("value"), "at most 10^4");
    }
  } else if (r.Has("value")) {
    return FieldError(kPrefix, "bad_comparison", r.PathOf("value"),
                      "\"" + op + "\" takes no value");
  }
  CL_ASSIGN_OR_RETURN(c.rule, r.String("rule"));
  return c;
}

Status CheckSource(const EvaluationScheme& s, ObjectReader& r, std::string& out) {
  CL_ASSIGN_OR_RETURN(out, r.String("source"));
  if (s.Source(out) == nullptr) {
    return FieldError(kPrefix, "unknown_source", r.PathOf("source"),
                      "\"" + out + "\" is not a key of $.sources");
  }
  return Status::OK();
}

Status ReadBands(ObjectReader& r, IndicatorSpec& spec) {
  CL_ASSIGN_OR_RETURN(const Json* list, r.OptionalArray("bands"));
  for (size_t i = 0; list != nullptr && i < list->size(); ++i) {
    CL_ASSIGN_OR_RETURN(ObjectReader b,
                        ObjectReader::Open((*list)[i], JoinPath(r.PathOf("bands"), i), kPrefix));
    Band band;
    CL_ASSIGN_OR_RETURN(band.condition, ReadCondition(b));
    CL_ASSIGN_OR_RETURN(band.points, b.NonNegativeDecimal("points"));
    CL_RETURN_IF_ERROR(b.Finish());
    spec.bands.push_back(std::move(band));
  }
  return Status::OK();
}

Status ReadThresholds(const EvaluationScheme& s, ObjectReader& r, IndicatorSpec& spec) {
  CL_ASSIGN_OR_RETURN(const Json* list, r.OptionalArray("thresholds"));
  for (size_t i = 0; list != nullptr && i < list->size(); ++i) {
    std::string path = JoinPath(r.PathOf("thresholds"), i);
    CL_ASSIGN_OR_RETURN(ObjectReader t, ObjectReader::Open((*list)[i], path, kPrefix));
    Threshold th;
    CL_ASSIGN_OR_RETURN(th.tier, t.String("tier"));
    bool known = th.tier == "*";
    for (const TierSpec& tier : s.tiers) known = known || tier.id == th.tier;
    if (!known) {
      return FieldError(kPrefix, "unknown_tier", t.PathOf("tier"),
                        "\"" + th.tier + "\" is not \"*\" or an id of $.tiers");
    }
    CL_ASSIGN_OR_RETURN(th.condition, ReadCondition(t));
    CL_RETURN_IF_ERROR(t.Finish());
    spec.thresholds.push_back(std::move(th));
  }
  return Status::OK();
}

Status ReadLevels(ObjectReader& r, IndicatorSpec& spec) {
  CL_ASSIGN_OR_RETURN(const Json* list, r.OptionalArray("levels"));
  for (size_t i = 0; list != nullptr && i < list->size(); ++i) {
    std::string path = JoinPath(r.PathOf("levels"), i);
    if (!(*list)[i].is_string())
      return FieldError(kPrefix, "type", path, "expected a decimal string");
    auto d = Decimal::Parse((*list)[i].get<std::string>());
    if (!d.ok()) return FieldError(kPrefix, "bad_decimal", path, d.status().message());
    spec.levels.push_back(*d);
  }
  return Status::OK();
}

Result<IndicatorSpec> ReadIndicator(const EvaluationScheme& s, const Json& value,
                                    const std::string& path) {
  CL_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(value, path, kPrefix));
  IndicatorSpec spec;
  CL_ASSIGN_OR_RETURN(spec.id, r.String("id"));
  CL_ASSIGN_OR_RETURN(spec.role, r.String("role"));
  const std::set<std::string> roles = s.scoring == "points"
                                          ? std::set<std::string>{"index", "bonus", "penalty"}
                                          : std::set<std::string>{"core", "guiding"};
  if (!roles.contains(spec.role)) {
    return FieldError(kPrefix, "bad_role", r.PathOf("role"),
                      "\"" + spec.role + "\" is not a role of a " + s.scoring + " scheme");
  }
  CL_ASSIGN_OR_RETURN(spec.name_zh, r.String("name_zh"));
  CL_ASSIGN_OR_RETURN(spec.name_en, r.String("name_en"));
  CL_ASSIGN_OR_RETURN(spec.measure, ReadMeasure(r, false));
  CL_ASSIGN_OR_RETURN(auto veto, r.OptionalBool("veto", false));
  spec.veto = veto;
  CL_ASSIGN_OR_RETURN(auto rule_text, r.OptionalString("rule_text"));
  spec.rule_text = rule_text.value_or("");
  CL_RETURN_IF_ERROR(CheckSource(s, r, spec.source));
  CL_ASSIGN_OR_RETURN(auto reading, r.OptionalString("reading"));
  spec.reading = reading.value_or("");
  if (s.scoring == "points") {
    CL_ASSIGN_OR_RETURN(spec.group, r.String("group"));
    bool known = spec.group == spec.role && spec.role != "index";
    for (const GroupSpec& g : s.groups)
      known = known || (spec.role == "index" && g.id == spec.group);
    if (!known) {
      return FieldError(kPrefix, "unknown_group", r.PathOf("group"),
                        "an index indicator names a group of $.groups; bonus and penalty "
                        "indicators name their role");
    }
    CL_ASSIGN_OR_RETURN(Decimal max, r.NonNegativeDecimal("max_points"));
    spec.max_points = max;
    CL_RETURN_IF_ERROR(ReadBands(r, spec));
    CL_RETURN_IF_ERROR(ReadLevels(r, spec));
    bool assessor = spec.measure == Measure::kAssessor;
    if (assessor == spec.levels.empty() || assessor == !spec.bands.empty()) {
      return FieldError(kPrefix, "missing_value", path,
                        "an assessor indicator gives levels, a computed one bands");
    }
  } else {
    CL_RETURN_IF_ERROR(ReadThresholds(s, r, spec));
    if (spec.thresholds.empty() || spec.measure == Measure::kAssessor) {
      return FieldError(kPrefix, "missing_value", path,
                        "a pass/fail indicator is computed and has thresholds");
    }
  }
  CL_RETURN_IF_ERROR(r.Finish());
  return spec;
}

Result<TierSpec> ReadTier(const Json& value, const std::string& path) {
  CL_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(value, path, kPrefix));
  TierSpec t;
  CL_ASSIGN_OR_RETURN(t.id, r.String("id"));
  CL_ASSIGN_OR_RETURN(t.name, r.String("name"));
  CL_ASSIGN_OR_RETURN(t.from_10k_tce, r.OptionalNonNegativeDecimal("from_10k_tce"));
  CL_ASSIGN_OR_RETURN(t.below_10k_tce, r.OptionalNonNegativeDecimal("below_10k_tce"));
  for (const auto& bound : {t.from_10k_tce, t.below_10k_tce}) {
    if (bound && *bound > kThresholdLimit)
      return FieldError(kPrefix, "out_of_range", path, "tier bounds at most 10^4 x 10^4 tce");
  }
  CL_ASSIGN_OR_RETURN(auto reading, r.OptionalString("reading"));
  t.reading = reading.value_or("");
  CL_RETURN_IF_ERROR(r.Finish());
  return t;
}

Result<CriterionSpec> ReadCriterion(const EvaluationScheme& s, const Json& value,
                                    const std::string& path) {
  CL_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(value, path, kPrefix));
  CriterionSpec c;
  CL_ASSIGN_OR_RETURN(c.id, r.String("id"));
  CL_ASSIGN_OR_RETURN(c.clause, r.String("clause"));
  CL_ASSIGN_OR_RETURN(c.name_zh, r.String("name_zh"));
  CL_ASSIGN_OR_RETURN(c.name_en, r.String("name_en"));
  CL_ASSIGN_OR_RETURN(c.measure, ReadMeasure(r, true));
  CL_ASSIGN_OR_RETURN(c.condition, ReadCondition(r));
  CL_RETURN_IF_ERROR(CheckSource(s, r, c.source));
  CL_RETURN_IF_ERROR(r.Finish());
  return c;
}

template <typename T, typename F>
Status ReadList(ObjectReader& top, const char* key, bool required, std::vector<T>& out, F read) {
  const Json* list = nullptr;
  if (required) {
    CL_ASSIGN_OR_RETURN(list, top.Array(key));
  } else {
    CL_ASSIGN_OR_RETURN(list, top.OptionalArray(key));
  }
  std::set<std::string> ids;
  for (size_t i = 0; list != nullptr && i < list->size(); ++i) {
    std::string path = JoinPath(top.PathOf(key), i);
    CL_ASSIGN_OR_RETURN(T item, read((*list)[i], path));
    if (!ids.insert(item.id).second) {
      return FieldError(kPrefix, "duplicate_id", JoinPath(path, "id"),
                        "\"" + item.id + "\" appears twice in " + top.PathOf(key));
    }
    out.push_back(std::move(item));
  }
  return Status::OK();
}

Status ReadStars(ObjectReader& top, EvaluationScheme& s) {
  CL_ASSIGN_OR_RETURN(const Json* list, top.OptionalArray("stars"));
  for (size_t i = 0; list != nullptr && i < list->size(); ++i) {
    std::string path = JoinPath("$.stars", i);
    CL_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open((*list)[i], path, kPrefix));
    StarBand b;
    CL_ASSIGN_OR_RETURN(b.from, r.NonNegativeDecimal("from"));
    CL_ASSIGN_OR_RETURN(int64_t stars, r.Integer("stars", 1, 10));
    b.stars = int(stars);
    CL_RETURN_IF_ERROR(r.Finish());
    if (!s.stars.empty() && b.from >= s.stars.back().from) {
      return FieldError(kPrefix, "out_of_range", JoinPath(path, "from"),
                        "star bands are listed from the highest threshold down");
    }
    s.stars.push_back(b);
  }
  CL_ASSIGN_OR_RETURN(auto rule, top.OptionalString("star_rule"));
  s.star_rule = rule.value_or("");
  return Status::OK();
}

}  // namespace

std::string_view MeasureName(Measure measure) {
  for (const auto& [m, n] : kMeasures) {
    if (m == measure) return n;
  }
  return "";
}

std::string EvaluationScheme::sha256_hex() const { return HexEncode(AsBytes(sha256)); }

const IndicatorSpec* EvaluationScheme::FindIndicator(std::string_view id) const {
  for (const IndicatorSpec& i : indicators) {
    if (i.id == id) return &i;
  }
  return nullptr;
}

const CriterionSpec* EvaluationScheme::FindCriterion(std::string_view id) const {
  for (const CriterionSpec& c : criteria) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

const SchemeSource* EvaluationScheme::Source(std::string_view id) const {
  for (const SchemeSource& s : sources) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

Result<EvaluationScheme> ParseEvaluationScheme(std::string_view file_bytes) {
  CL_ASSIGN_OR_RETURN(Json doc, ParseJsonDocument(file_bytes, "evaluation scheme"));
  CL_ASSIGN_OR_RETURN(ObjectReader top, ObjectReader::Open(doc, "$", kPrefix));
  CL_ASSIGN_OR_RETURN(std::string format, top.String("format"));
  if (format != kFormat) {
    return FieldError(kPrefix, "format", "$.format",
                      "expected \"" + std::string(kFormat) + "\", found \"" + format + "\"");
  }
  EvaluationScheme s;
  CL_ASSIGN_OR_RETURN(s.id, top.String("id"));
  CL_ASSIGN_OR_RETURN(s.version, top.String("version"));
  CL_ASSIGN_OR_RETURN(s.title, top.String("title"));
  CL_ASSIGN_OR_RETURN(s.scoring, top.String("scoring"));
  if (s.scoring != "pass_fail" && s.scoring != "points") {
    return FieldError(kPrefix, "bad_scoring", "$.scoring", "must be \"pass_fail\" or \"points\"");
  }
  CL_ASSIGN_OR_RETURN(auto note, top.OptionalString("note"));
  (void)note;
  CL_ASSIGN_OR_RETURN(const Json* sources, top.Object("sources"));
  for (auto it = sources->begin(); it != sources->end(); ++it) {
    CL_ASSIGN_OR_RETURN(ObjectReader r,
                        ObjectReader::Open(it.value(), JoinPath("$.sources", it.key()), kPrefix));
    SchemeSource src{it.key(), "", ""};
    CL_ASSIGN_OR_RETURN(src.citation, r.String("citation"));
    CL_ASSIGN_OR_RETURN(auto access, r.OptionalString("access"));
    src.access = access.value_or("");
    CL_RETURN_IF_ERROR(r.Finish());
    s.sources.push_back(std::move(src));
  }
  CL_RETURN_IF_ERROR(ReadList(top, "tiers", false, s.tiers, ReadTier));
  CL_RETURN_IF_ERROR(
      ReadList(top, "groups", false, s.groups,
               [](const Json& v, const std::string& path) -> Result<GroupSpec> {
                 CL_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(v, path, kPrefix));
                 GroupSpec g;
                 CL_ASSIGN_OR_RETURN(g.id, r.String("id"));
                 CL_ASSIGN_OR_RETURN(g.name_zh, r.String("name_zh"));
                 CL_ASSIGN_OR_RETURN(g.name_en, r.String("name_en"));
                 CL_ASSIGN_OR_RETURN(g.max_points, r.NonNegativeDecimal("max_points"));
                 CL_RETURN_IF_ERROR(r.Finish());
                 return g;
               }));
  CL_RETURN_IF_ERROR(
      ReadList(top, "indicators", true, s.indicators,
               [&s](const Json& v, const std::string& path) { return ReadIndicator(s, v, path); }));
  CL_RETURN_IF_ERROR(ReadStars(top, s));
  CL_RETURN_IF_ERROR(
      ReadList(top, "entry_criteria", false, s.criteria,
               [&s](const Json& v, const std::string& path) { return ReadCriterion(s, v, path); }));
  CL_RETURN_IF_ERROR(top.Finish());
  s.sha256 = Sha256(file_bytes);
  return s;
}

Result<EvaluationScheme> EmbeddedEvaluationScheme(std::string_view id) {
  std::string name = "evaluations/" + std::string(id) + ".json";
  for (const EmbeddedFile& file : EmbeddedFiles()) {
    if (file.name == name) return ParseEvaluationScheme(file.bytes());
  }
  std::string known;
  for (const std::string& i : EmbeddedEvaluationSchemeIds())
    known += (known.empty() ? "" : ", ") + i;
  return Status::NotFound(
      "evaluation.unknown_scheme",
      "no built-in evaluation scheme \"" + std::string(id) + "\"; built in: " + known);
}

std::vector<std::string> EmbeddedEvaluationSchemeIds() {
  std::vector<std::string> ids;
  for (const EmbeddedFile& file : EmbeddedFiles()) {
    std::string_view name = file.name;
    if (name.starts_with("evaluations/") && name.ends_with(".json")) {
      ids.emplace_back(name.substr(12, name.size() - 17));
    }
  }
  return ids;
}

}  // namespace carbonledger::accounting
