// Evaluate (evaluation_scheme.h): the fixed set of measures computed from the inventory result,
// the park's stated indicators and the assessment, then compared with the scheme's bands or
// thresholds (docs/evaluations.md §Measures, §Format).
#include "accounting/evaluation_scheme.h"

namespace carbonledger::accounting {
namespace {

// A measure's figure: part / whole compared exactly, shown as `value`.
struct Figure {
  bool computable = false;
  std::string why;    // not computable: the reason
  std::string value;  // the figure as shown
  std::string plain;  // change measures: without the percent (entry criteria show this)
  Decimal part, whole;
  int scale = 1;            // 100 for shares: thresholds are in percent
  bool comparable = false;  // part and whole are set
  bool zero = false;        // change measures: this year's figure is zero
  bool from_zero = false;   // change measures: last year's figure is zero or less
  std::string basis = "computed";
};

// Figures beyond 10^15 are refused so that part × scale × 10^9 and k × whole stay in Int128.
const Decimal kFigureLimit = Decimal::FromInt(1'000'000'000'000'000);

Figure NotComputable(std::string why, std::string basis = "not_computable") {
  Figure f;
  f.why = std::move(why);
  f.basis = std::move(basis);
  return f;
}

Figure Ratio(Decimal part, Decimal whole, int digits, const std::string& unit) {
  Figure f;
  f.computable = f.comparable = true;
  f.part = part;
  f.whole = whole;
  auto r = Decimal::ProductRounded({part}, Decimal::kOne, whole.units(), digits);
  f.value = (r.ok() ? r->ToFixed(digits) : "n/a") + " " + unit;
  return f;
}

Figure ShareFigure(const Share& s, std::string why_undefined) {
  if (!s.defined()) return NotComputable(std::move(why_undefined));
  Figure f;
  f.computable = f.comparable = true;
  f.part = s.part;
  f.whole = s.whole;
  f.scale = 100;
  f.value = s.Percent() + " %";
  return f;
}

Figure Stated(const std::optional<Decimal>& percent, const char* member) {
  if (!percent) {
    return NotComputable(std::string("not stated in the inventory ($.indicators.") + member + ")",
                         "not_stated");
  }
  Figure f;
  f.computable = f.comparable = true;
  f.part = *percent;
  f.whole = Decimal::FromInt(1);
  f.value = percent->ToString() + " %";
  f.basis = "park";
  return f;
}

// 100 × (now − before) / before, 2 digits; before > 0.
std::string ChangePercent(Decimal now, Decimal before) {
  auto p =
      Decimal::ProductRounded({*now.Sub(before)}, Int128(100) * Decimal::kOne, before.units(), 2);
  return p.ok() ? p->ToFixed(2) + " %" : "n/a";
}

Figure TotalChange(const InventoryResult& r, const std::optional<PreviousYear>& prev) {
  if (!prev) return NotComputable("no previous-year inventory");
  Decimal now = r.accounted.park, before = prev->accounted_t;
  Figure f;
  f.computable = f.comparable = true;
  f.part = now;
  f.whole = before;
  f.plain = now.ToString() + " t vs " + before.ToString() + " t in " + std::to_string(prev->year);
  f.value = f.plain + (before > Decimal() ? " (" + ChangePercent(now, before) + ")" : "");
  f.zero = now <= Decimal();
  f.from_zero = before <= Decimal();
  return f;
}

Figure CoalChange(const InventoryResult& r, const std::optional<PreviousYear>& prev) {
  if (!r.energy.coal_gj) return NotComputable(r.energy.not_computable);
  Decimal now = *r.energy.coal_gj;
  Figure f;
  f.computable = true;
  f.zero = now.IsZero();
  if (!prev || !prev->coal_use_gj) {
    if (!f.zero) return NotComputable("no previous-year coal use");
    f.value = "0 GJ";
    f.why = "no previous-year coal use";
    return f;  // the zero band applies without last year's figure; comparisons cannot
  }
  Decimal before = *prev->coal_use_gj;
  f.comparable = true;
  f.part = now;
  f.whole = before;
  f.plain = now.ToString() + " GJ vs " + before.ToString() + " GJ";
  f.value = f.zero ? "0 GJ" : f.plain;
  if (!f.zero && before > Decimal()) f.value += " (" + ChangePercent(now, before) + ")";
  f.from_zero = before <= Decimal();
  return f;
}

Figure ProductLevel(const Inventory& inv) {
  const auto& products = inv.indicators.product_energy;
  if (products.empty()) {
    return NotComputable("not stated in the inventory ($.indicators.product_energy)", "not_stated");
  }
  int worst = 0;
  std::string list;
  for (const ProductEnergy& p : products) {
    worst = std::max(worst, p.level);
    list += (list.empty() ? "" : "; ") + p.product + " " + p.standard + " level " +
            std::to_string(p.level);
  }
  Figure f;
  f.computable = f.comparable = true;
  f.part = Decimal::FromInt(worst);
  f.whole = Decimal::FromInt(1);
  f.value = "worst level " + std::to_string(worst) + " (" + list + ")";
  f.basis = "park";
  return f;
}

Figure Compute(Measure m, const Inventory& inv, const InventoryResult& r,
               const std::optional<PreviousYear>& prev) {
  switch (m) {
    case Measure::kCo2PerTce:
      if (!r.energy.total_tce) return NotComputable(r.energy.tce_not_computable);
      if (*r.energy.total_tce <= Decimal()) return NotComputable("no energy consumption");
      return Ratio(r.accounted.park, *r.energy.total_tce, 4, "tCO2/tce");
    case Measure::kCo2PerIndustrialValueAdded:
      if (!inv.industrial_value_added || inv.industrial_value_added->IsZero()) {
        return NotComputable("the inventory states no industrial value added ($.indicators)");
      }
      return Ratio(r.accounted.park, *inv.industrial_value_added, 4, "t/10^4 CNY");
    case Measure::kTotalCo2Change:
      return TotalChange(r, prev);
    case Measure::kCoalUseChange:
      return CoalChange(r, prev);
    case Measure::kGreenPowerShare:
      return ShareFigure(r.electricity.green_share(), "no electricity consumption");
    case Measure::kRenewableEnergyShareGj:
      if (!r.energy.total_gj) return NotComputable(r.energy.not_computable);
      return ShareFigure({*r.energy.renewable_gj, *r.energy.total_gj}, "no energy use");
    case Measure::kNonFossilEnergyShare:
      if (!r.energy.total_tce) return NotComputable(r.energy.tce_not_computable);
      return ShareFigure(r.energy.non_fossil_share(), "no energy consumption");
    case Measure::kCleanEnergyShare:
      if (!r.energy.total_tce) return NotComputable(r.energy.tce_not_computable);
      return ShareFigure(r.energy.clean_share(), "no energy consumption");
    case Measure::kSolidWasteUtilisation:
      return Stated(inv.indicators.solid_waste_utilisation_percent,
                    "solid_waste_utilisation_percent");
    case Measure::kWasteHeatUtilisation:
      return Stated(inv.indicators.waste_heat_utilisation_percent,
                    "waste_heat_utilisation_percent");
    case Measure::kWaterReuse:
      return Stated(inv.indicators.water_reuse_percent, "water_reuse_percent");
    case Measure::kProductEnergyLevel:
      return ProductLevel(inv);
    case Measure::kAssessor:
    case Measure::kDeclaredRate:
    case Measure::kDeclaredFlag:
      break;  // from the assessment, not computed
  }
  return NotComputable("not a computed measure");
}

// part × scale OP k × whole, exactly on the units (both sides scaled by 10^18).
bool Holds(const Condition& c, const Figure& f) {
  switch (c.comparison) {
    case Comparison::kOtherwise:
      return true;
    case Comparison::kZero:
      return f.zero;
    case Comparison::kFromZero:
      return f.from_zero;
    default:
      break;
  }
  if (!f.comparable) return false;
  Int128 lhs = f.part.units() * Int128(f.scale) * Decimal::kOne;
  Int128 rhs = c.value.units() * f.whole.units();
  switch (c.comparison) {
    case Comparison::kAtMost:
      return lhs <= rhs;
    case Comparison::kBelow:
      return lhs < rhs;
    case Comparison::kAtLeast:
      return lhs >= rhs;
    case Comparison::kAbove:
      return lhs > rhs;
    default:
      return false;
  }
}

bool InRange(const Figure& f) {
  auto abs = [](Decimal d) { return d.IsNegative() ? Decimal::FromUnits(-d.units()) : d; };
  return !f.comparable || (abs(f.part) <= kFigureLimit && abs(f.whole) <= kFigureLimit);
}

IndicatorOutcome Outcome(const EvaluationScheme& s, const IndicatorSpec& spec) {
  IndicatorOutcome o;
  o.id = spec.id;
  o.role = spec.role;
  o.group = spec.group;
  o.name_zh = spec.name_zh;
  o.name_en = spec.name_en;
  o.measure = MeasureName(spec.measure);
  o.max_points = spec.max_points;
  o.veto = spec.veto;
  o.reading = spec.reading;
  const SchemeSource* src = s.Source(spec.source);
  o.source = src ? src->citation : spec.source;
  return o;
}

// Points schemes: the first band that holds. Zero and from-zero bands are tried first, in
// their order, as the change measures need (no emissions at all scores before a comparison).
void ScoreBands(const IndicatorSpec& spec, const Figure& f, IndicatorOutcome& o) {
  o.basis = f.basis;
  if (!f.computable || !InRange(f)) {
    o.value = "n/a";
    o.rule = "not computable: " + (f.computable ? std::string("figures over 10^15") : f.why) +
             "; 0 points";
    o.basis = f.computable              ? "not_computable"
              : f.basis == "not_stated" ? "not_stated"
                                        : "not_computable";
    return;
  }
  o.value = f.value;
  for (Comparison special : {Comparison::kZero, Comparison::kFromZero}) {
    for (const Band& b : spec.bands) {
      if (b.condition.comparison == special && Holds(b.condition, f)) {
        o.points = b.points;
        o.rule = b.condition.rule;
        return;
      }
    }
  }
  if (!f.comparable) {
    o.value = "n/a";
    o.rule = "not computable: " + f.why + "; 0 points";
    o.basis = "not_computable";
    return;
  }
  for (const Band& b : spec.bands) {
    Comparison c = b.condition.comparison;
    if (c == Comparison::kZero || c == Comparison::kFromZero) continue;
    if (Holds(b.condition, f)) {
      o.points = b.points;
      o.rule = b.condition.rule;
      return;
    }
  }
  o.rule = "no band holds: 0 points";
}

void Assessed(const IndicatorSpec& spec, const Assessment& a, IndicatorOutcome& o) {
  o.rule = spec.rule_text;
  auto it = a.index_points.find(spec.id);
  if (it == a.index_points.end()) {
    o.value = "not assessed";
    o.basis = "not_assessed";
    return;
  }
  o.points = it->second;
  o.value = "assessor";
  o.basis = "assessor";
}

// Pass/fail schemes: the threshold of the park's tier (or "*"); met when it holds.
void Judge(const IndicatorSpec& spec, const Figure& f, const std::string& tier,
           IndicatorOutcome& o) {
  const Threshold* t = nullptr;
  for (const Threshold& th : spec.thresholds) {
    if (th.tier == tier || (th.tier == "*" && t == nullptr)) t = &th;
  }
  o.basis = f.basis;
  if (t == nullptr) {
    o.value = f.computable ? f.value : "n/a";
    o.rule = "no threshold for tier " + tier;
    return;
  }
  o.rule = t->condition.rule;
  if (!f.computable || !f.comparable || !InRange(f)) {
    o.value = "n/a";
    o.rule += " — not computable: " + (f.why.empty() ? "figures over 10^15" : f.why);
    if (f.basis != "not_stated") o.basis = "not_computable";
    return;
  }
  o.value = f.value;
  o.met = Holds(t->condition, f);
}

// The tier whose [from, below) holds the park's 综合能源消费量 in 10^4 tce.
void PickTier(const EvaluationScheme& s, const InventoryResult& r, Evaluation& e) {
  if (s.tiers.empty()) return;
  if (!r.energy.total_tce) {
    e.tier_reading = "no tier: 综合能源消费量 not computable (" + r.energy.tce_not_computable + ")";
    return;
  }
  Int128 tce = r.energy.total_tce->units();  // compared with bound × 10^4
  for (const TierSpec& t : s.tiers) {
    bool above = !t.from_10k_tce || tce >= t.from_10k_tce->units() * 10000;
    bool below = !t.below_10k_tce || tce < t.below_10k_tce->units() * 10000;
    if (above && below) {
      e.tier = t.id;
      e.tier_name = t.name;
      e.tier_reading = t.reading;
      return;
    }
  }
}

CriterionOutcome Criterion(const CriterionSpec& c, const Inventory& inv, const InventoryResult& r,
                           const std::optional<PreviousYear>& prev, const Assessment& a) {
  CriterionOutcome o{c.id, c.clause, c.name_zh, c.name_en, c.condition.rule, "", "", false};
  if (c.measure == Measure::kDeclaredFlag) {
    auto it = a.entry_flags.find(c.id);
    if (it == a.entry_flags.end()) {
      o.basis = "not_declared", o.value = "not declared";
      return o;
    }
    o.basis = "declared";
    o.value = it->second ? "yes" : "no";
    o.met = it->second;
    return o;
  }
  Figure f;
  if (c.measure == Measure::kDeclaredRate) {
    auto it = a.entry_rates.find(c.id);
    if (it == a.entry_rates.end()) {
      o.basis = "not_declared", o.value = "not declared";
      return o;
    }
    f.computable = f.comparable = true;
    f.part = it->second;
    f.whole = Decimal::FromInt(1);
    f.value = it->second.ToString() + " %";
    f.basis = "declared";
  } else {
    f = Compute(c.measure, inv, r, prev);
  }
  if (!f.computable || !f.comparable || !InRange(f)) {
    o.basis = "not_computable";
    o.value = f.why.empty() ? "figures over 10^15" : f.why;
    return o;
  }
  o.basis = f.basis;
  o.value = f.plain.empty() ? f.value : f.plain;
  o.met = Holds(c.condition, f);
  return o;
}

}  // namespace

Result<Evaluation> Evaluate(const EvaluationScheme& s, const Inventory& inv,
                            const InventoryResult& r, const std::optional<PreviousYear>& prev,
                            const Assessment& a) {
  if (r.park_id != inv.park_id || r.year != inv.year) {
    return Status::InvalidArgument("evaluation.mismatch", "the result is not of this inventory");
  }
  if (prev && prev->year != inv.year - 1) {
    return Status::InvalidArgument("evaluation.previous_year",
                                   "previous-year figures are for " + std::to_string(prev->year) +
                                       ", not " + std::to_string(inv.year - 1));
  }
  if (prev && (prev->accounted_t > kFigureLimit ||
               (prev->coal_use_gj && *prev->coal_use_gj > kFigureLimit))) {
    return Status::InvalidArgument("evaluation.previous_year", "previous-year figures over 10^15");
  }
  Evaluation e;
  e.scheme_id = s.id;
  e.scheme_version = s.version;
  e.scheme_sha256 = s.sha256_hex();
  e.title = s.title;
  e.scoring = s.scoring;
  for (const GroupSpec& g : s.groups) {
    e.groups.push_back({g.id, g.name_zh, g.name_en, g.max_points, Decimal()});
  }
  PickTier(s, r, e);
  for (const IndicatorSpec& spec : s.indicators) {
    IndicatorOutcome o = Outcome(s, spec);
    if (s.scoring == "points") {
      if (spec.measure == Measure::kAssessor) {
        Assessed(spec, a, o);
      } else {
        ScoreBands(spec, Compute(spec.measure, inv, r, prev), o);
      }
      Decimal& slot = spec.role == "bonus"     ? e.bonus_points
                      : spec.role == "penalty" ? e.penalty_points
                                               : e.index_points;
      slot = *slot.Add(o.points);
      for (GroupOutcome& g : e.groups) {
        if (g.id == spec.group) g.points = *g.points.Add(o.points);
      }
    } else {
      Judge(spec, Compute(spec.measure, inv, r, prev), e.tier, o);
      if (spec.veto && o.met != true) e.veto_failed = true;
    }
    e.lines.push_back(std::move(o));
  }
  e.total = *e.index_points.Add(e.bonus_points)->Sub(e.penalty_points);
  for (const StarBand& b : s.stars) {
    if (e.total >= b.from) {
      e.stars = b.stars;
      break;
    }
  }
  if (s.scoring == "pass_fail") e.verdict = e.veto_failed ? "fail" : "pass";
  e.admitted = true;
  for (const CriterionSpec& c : s.criteria) {
    CriterionOutcome o = Criterion(c, inv, r, prev, a);
    e.admitted = e.admitted && o.met;
    e.criteria.push_back(std::move(o));
  }
  return e;
}

nlohmann::json EvaluationToJson(const Evaluation& e) {
  using Json = nlohmann::json;
  Json lines = Json::array(), groups = Json::array(), criteria = Json::array();
  for (const IndicatorOutcome& o : e.lines) {
    Json j = {{"id", o.id},           {"role", o.role},       {"name_zh", o.name_zh},
              {"name_en", o.name_en}, {"measure", o.measure}, {"value", o.value},
              {"rule", o.rule},       {"basis", o.basis},     {"source", o.source},
              {"reading", o.reading}, {"veto", o.veto}};
    if (o.max_points) {
      j["group"] = o.group;
      j["max_points"] = o.max_points->ToString();
      j["points"] = o.points.ToString();
    }
    j["met"] = o.met ? Json(*o.met) : Json(nullptr);
    lines.push_back(std::move(j));
  }
  for (const GroupOutcome& g : e.groups) {
    groups.push_back({{"id", g.id},
                      {"name_zh", g.name_zh},
                      {"name_en", g.name_en},
                      {"max_points", g.max_points.ToString()},
                      {"points", g.points.ToString()}});
  }
  for (const CriterionOutcome& c : e.criteria) {
    criteria.push_back({{"id", c.id},
                        {"clause", c.clause},
                        {"name_zh", c.name_zh},
                        {"name_en", c.name_en},
                        {"rule", c.rule},
                        {"value", c.value},
                        {"basis", c.basis},
                        {"met", c.met}});
  }
  Json j = {{"format", "carbonledger.evaluation-result/1"},
            {"scheme",
             {{"id", e.scheme_id},
              {"version", e.scheme_version},
              {"sha256", e.scheme_sha256},
              {"title", e.title}}},
            {"scoring", e.scoring},
            {"lines", lines}};
  if (e.scoring == "points") {
    j["groups"] = groups;
    j["index_points"] = e.index_points.ToString();
    j["bonus_points"] = e.bonus_points.ToString();
    j["penalty_points"] = e.penalty_points.ToString();
    j["total"] = e.total.ToString();
    j["stars"] = e.stars;
  } else {
    j["tier"] = {{"id", e.tier}, {"name", e.tier_name}, {"reading", e.tier_reading}};
    j["veto_failed"] = e.veto_failed;
    j["verdict"] = e.verdict;
  }
  j["entry_criteria"] = criteria;
  j["admitted"] = e.admitted;
  return j;
}

}  // namespace carbonledger::accounting
