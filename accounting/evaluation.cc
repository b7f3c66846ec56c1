// The Anhui evaluation (evaluation.h): the index scored line by line from the inventory and the
// assessor's points, then the entry criteria.
#include "accounting/evaluation.h"

#include "accounting/internal/anhui_indicators.h"

namespace carbonledger::accounting {
namespace {

Decimal Points(long long whole, long long tenths = 0) {
  return Decimal::FromUnits(Int128(whole) * Decimal::kOne + Int128(tenths) * (Decimal::kOne / 10));
}

// a <= k × b, exactly.
bool AtMost(Decimal a, Decimal k, Decimal b) {
  return a.units() * Decimal::kOne <= k.units() * b.units();
}

Decimal Dec(const char* text) { return *Decimal::Parse(text); }

// 100 × (now − before) / before, 2 digits; before > 0.
std::string ChangePercent(Decimal now, Decimal before) {
  auto p =
      Decimal::ProductRounded({*now.Sub(before)}, Int128(100) * Decimal::kOne, before.units(), 2);
  return p.ok() ? p->ToFixed(2) + " %" : "n/a";
}

ScoreLine Line(const IndicatorDef& d) {
  ScoreLine l;
  l.id = d.id;
  l.group = d.group;
  l.name_zh = d.name_zh;
  l.name_en = d.name_en;
  l.max_points = Decimal::FromInt(d.max_points);
  return l;
}

ScoreLine Scored(ScoreLine l, Decimal points, std::string value, std::string rule) {
  l.points = points;
  l.value = std::move(value);
  l.rule = std::move(rule);
  l.basis = "computed";
  return l;
}

ScoreLine NotComputable(ScoreLine l, std::string why) {
  l.value = "n/a";
  l.rule = "not computable: " + why + "; 0 points";
  l.basis = "not_computable";
  return l;
}

// 单位工业增加值二氧化碳排放: accounted E_park / industrial value added.
ScoreLine Intensity(const IndicatorDef& d, const Inventory& inv, const InventoryResult& r) {
  ScoreLine l = Line(d);
  if (!inv.industrial_value_added || inv.industrial_value_added->IsZero()) {
    return NotComputable(l, "the inventory states no industrial value added ($.indicators)");
  }
  Decimal e = r.accounted.park, iva = *inv.industrial_value_added;
  auto ratio = Decimal::ProductRounded({e}, Decimal::kOne, iva.units(), 4);
  std::string value = (ratio.ok() ? ratio->ToFixed(4) : "n/a") + " t/10^4 CNY";
  const std::pair<const char*, int> bands[] = {
      {"0.25", 20}, {"0.45", 15}, {"0.85", 10}, {"1.5", 5}};
  for (const auto& [limit, points] : bands) {
    if (AtMost(e, Dec(limit), iva)) {
      return Scored(
          l, Points(points), value,
          std::string("<= ") + limit + " t/10^4 CNY: " + std::to_string(points) + " points");
    }
  }
  return Scored(l, Points(0), value,
                "> 1.5 t/10^4 CNY: 0 points (the seed gives 0 at 3.5 and above and names no "
                "points between 1.5 and 3.5)");
}

// 二氧化碳排放总量: change of accounted E_park against last year's.
ScoreLine TotalChange(const IndicatorDef& d, const InventoryResult& r,
                      const std::optional<PreviousYear>& prev) {
  ScoreLine l = Line(d);
  if (!prev) return NotComputable(l, "no previous-year inventory");
  Decimal now = r.accounted.park, before = prev->accounted_t;
  std::string value =
      now.ToString() + " t vs " + before.ToString() + " t in " + std::to_string(prev->year);
  if (before > Decimal()) value += " (" + ChangePercent(now, before) + ")";
  if (now <= Decimal()) return Scored(l, Points(10), value, "no emissions (无排放): 10 points");
  if (before <= Decimal()) return Scored(l, Points(0), value, "growth from zero: 0 points");
  if (AtMost(now, Dec("0.95"), before)) {
    return Scored(l, Points(10), value, "reduced by 5 % or more: 10 points");
  }
  if (now <= before) {
    return Scored(l, Points(5), value, "reduced by less than 5 % or no growth: 5 points");
  }
  return Scored(l, Points(0), value, "growth: 0 points");
}

// 园区绿色电力使用占比（绿电及绿证消纳）: green electricity (direct supply, on-site non-fossil,
// certificate-backed up to claimed GECs) / electricity consumption.
ScoreLine GreenShare(const IndicatorDef& d, const InventoryResult& r) {
  ScoreLine l = Line(d);
  Share s = r.electricity.green_share();
  if (!s.defined()) return NotComputable(l, "no electricity consumption");
  std::string value = s.Percent() + " %";
  const std::pair<int, int> bands[] = {{100, 10}, {80, 7}, {50, 5}};
  for (const auto& [percent, points] : bands) {
    if (s.AtLeastPercent(Decimal::FromInt(percent))) {
      return Scored(l, Points(points), value,
                    ">= " + std::to_string(percent) + " %: " + std::to_string(points) + " points");
    }
  }
  return Scored(l, Points(0), value, "< 50 %: 0 points");
}

// 煤炭消费总量: coal-group fuel energy against last year's.
ScoreLine CoalTotal(const IndicatorDef& d, const InventoryResult& r,
                    const std::optional<PreviousYear>& prev) {
  ScoreLine l = Line(d);
  if (!r.energy.coal_gj) return NotComputable(l, r.energy.not_computable);
  Decimal now = *r.energy.coal_gj;
  if (now.IsZero()) return Scored(l, Points(5), "0 GJ", "no coal use (消费为零): 5 points");
  if (!prev || !prev->coal_use_gj) return NotComputable(l, "no previous-year coal use");
  Decimal before = *prev->coal_use_gj;
  std::string value = now.ToString() + " GJ vs " + before.ToString() + " GJ";
  if (before <= Decimal()) return Scored(l, Points(0), value, "growth from zero: 0 points");
  value += " (" + ChangePercent(now, before) + ")";
  if (AtMost(now, Dec("0.95"), before)) {
    return Scored(l, Points(5), value, "reduced by 5 % or more: 5 points");
  }
  if (now < before) return Scored(l, Points(2, 5), value, "reduced by less than 5 %: 2.5 points");
  return Scored(l, Points(0), value, "not reduced: 0 points");
}

// 可再生能源使用占比: renewable / total energy use, calorific equivalent.
ScoreLine RenewableShare(const IndicatorDef& d, const InventoryResult& r) {
  ScoreLine l = Line(d);
  if (!r.energy.total_gj) return NotComputable(l, r.energy.not_computable);
  Share s{*r.energy.renewable_gj, *r.energy.total_gj};
  if (!s.defined()) return NotComputable(l, "no energy use");
  std::string value = s.Percent() + " %";
  if (s.AtLeastPercent(Decimal::FromInt(70)))
    return Scored(l, Points(5), value, ">= 70 %: 5 points");
  if (s.AtLeastPercent(Decimal::FromInt(50)))
    return Scored(l, Points(3), value, "50 % to 70 %: 3 points");
  return Scored(l, Points(0), value, "< 50 %: 0 points");
}

ScoreLine Assessed(const IndicatorDef& d, const AnhuiAssessment& a) {
  ScoreLine l = Line(d);
  auto it = a.index_points.find(std::string(d.id));
  l.rule = std::string(d.seed_rule);
  if (it == a.index_points.end()) {
    l.value = "not assessed";
    l.basis = "not_assessed";
    return l;
  }
  l.points = it->second;
  l.value = "assessor";
  l.basis = "assessor";
  return l;
}

ScoreLine Computed(const IndicatorDef& d, const Inventory& inv, const InventoryResult& r,
                   const std::optional<PreviousYear>& prev) {
  if (d.id == "co2_per_industrial_value_added") return Intensity(d, inv, r);
  if (d.id == "total_co2_change") return TotalChange(d, r, prev);
  if (d.id == "green_power_share") return GreenShare(d, r);
  if (d.id == "coal_consumption_total") return CoalTotal(d, r, prev);
  return RenewableShare(d, r);
}

}  // namespace

int AnhuiStars(Decimal total) {
  const std::pair<int, int> bands[] = {{95, 5}, {90, 4}, {85, 3}, {80, 2}, {70, 1}};
  for (const auto& [from, stars] : bands) {
    if (total >= Decimal::FromInt(from)) return stars;
  }
  return 0;
}

Result<AnhuiEvaluation> EvaluateAnhui(const Inventory& inv, const InventoryResult& r,
                                      const std::optional<PreviousYear>& prev,
                                      const AnhuiAssessment& a) {
  if (r.park_id != inv.park_id || r.year != inv.year) {
    return Status::InvalidArgument("evaluation.mismatch", "the result is not of this inventory");
  }
  if (prev && prev->year != inv.year - 1) {
    return Status::InvalidArgument("evaluation.previous_year",
                                   "previous-year figures are for " + std::to_string(prev->year) +
                                       ", not " + std::to_string(inv.year - 1));
  }
  const Decimal limit = Decimal::FromInt(1'000'000'000'000'000);  // keeps AtMost in range
  if (prev && (prev->accounted_t > limit || (prev->coal_use_gj && *prev->coal_use_gj > limit))) {
    return Status::InvalidArgument("evaluation.previous_year", "previous-year figures over 10^15");
  }
  AnhuiEvaluation e;
  for (const GroupDef& g : AnhuiGroups()) {
    e.groups.push_back({std::string(g.id), std::string(g.name_zh), std::string(g.name_en),
                        Decimal::FromInt(g.max_points), Decimal()});
  }
  for (const IndicatorDef& d : AnhuiIndicators()) {
    ScoreLine l = d.computed ? Computed(d, inv, r, prev) : Assessed(d, a);
    if (d.group == "bonus") {
      e.bonus_points = *e.bonus_points.Add(l.points);
    } else if (d.group == "penalty") {
      e.penalty_points = *e.penalty_points.Add(l.points);
    } else {
      e.index_points = *e.index_points.Add(l.points);
      for (GroupScore& g : e.groups) {
        if (g.id == d.group) g.points = *g.points.Add(l.points);
      }
    }
    e.lines.push_back(std::move(l));
  }
  e.total = *e.index_points.Add(e.bonus_points)->Sub(e.penalty_points);
  e.stars = AnhuiStars(e.total);
  return e;
}

nlohmann::json AnhuiEvaluationToJson(const AnhuiEvaluation& e) {
  using Json = nlohmann::json;
  Json lines = Json::array(), groups = Json::array();
  for (const ScoreLine& l : e.lines) {
    lines.push_back({{"id", l.id},
                     {"group", l.group},
                     {"name_zh", l.name_zh},
                     {"name_en", l.name_en},
                     {"max_points", l.max_points.ToString()},
                     {"points", l.points.ToString()},
                     {"value", l.value},
                     {"rule", l.rule},
                     {"basis", l.basis}});
  }
  for (const GroupScore& g : e.groups) {
    groups.push_back({{"id", g.id},
                      {"name_zh", g.name_zh},
                      {"name_en", g.name_en},
                      {"max_points", g.max_points.ToString()},
                      {"points", g.points.ToString()}});
  }
  return {{"lines", lines},
          {"groups", groups},
          {"index_points", e.index_points.ToString()},
          {"bonus_points", e.bonus_points.ToString()},
          {"penalty_points", e.penalty_points.ToString()},
          {"total", e.total.ToString()},
          {"stars", e.stars},
          {"star_rule",
           "[70,80) 1, [80,85) 2, [85,90) 3, [90,95) 4, >= 95 5 (seed 000 附件3 等级分类表; a "
           "shared end point takes the higher band)"}};
}

// The Anhui entry criteria (创建准入标准, seed 000 附件1): two computed from the inventory, the
// rest declared by the park. A criterion that is not declared is not met.
namespace {

EntryCriterion Criterion(const CriterionDef& d) {
  EntryCriterion c;
  c.id = d.id;
  c.clause = d.clause;
  c.name_zh = d.name_zh;
  c.name_en = d.name_en;
  return c;
}

// 煤炭消费总量同期下降3%及以上: this year's coal use <= 97 % of last year's.
EntryCriterion CoalDecline(EntryCriterion c, const InventoryResult& r,
                           const std::optional<PreviousYear>& prev) {
  c.rule = "coal use <= 97 % of the previous year's";
  if (!r.energy.coal_gj || !prev || !prev->coal_use_gj) {
    c.basis = "not_computable";
    c.value = !r.energy.coal_gj ? r.energy.not_computable : "no previous-year coal use";
    return c;
  }
  Decimal now = *r.energy.coal_gj, before = *prev->coal_use_gj;
  c.basis = "computed";
  c.value = now.ToString() + " GJ vs " + before.ToString() + " GJ";
  // now <= 0.97 × before, exactly; a park using no coal in either year meets it.
  c.met = now.units() * 100 <= before.units() * 97;
  return c;
}

// 可再生能源电量比例达到40%及以上: the green-power share (certificate-backed counted up to claims).
EntryCriterion RenewableElectricity(EntryCriterion c, const InventoryResult& r) {
  c.rule = ">= 40 %";
  Share s = r.electricity.green_share();
  if (!s.defined()) {
    c.basis = "not_computable";
    c.value = "no electricity consumption";
    return c;
  }
  c.basis = "computed";
  c.value = s.Percent() + " %";
  c.met = s.AtLeastPercent(Decimal::FromInt(40));
  return c;
}

EntryCriterion Declared(EntryCriterion c, const CriterionDef& d, const AnhuiAssessment& a) {
  std::string id(d.id);
  if (d.kind == CriterionKind::kRate) {
    c.rule = d.min_percent == 100 ? "= 100 %" : ">= " + std::to_string(d.min_percent) + " %";
    auto it = a.entry_rates.find(id);
    if (it == a.entry_rates.end()) {
      c.basis = "not_declared";
      c.value = "not declared";
      return c;
    }
    c.basis = "declared";
    c.value = it->second.ToString() + " %";
    c.met = it->second >= Decimal::FromInt(d.min_percent);
    return c;
  }
  c.rule = "yes";
  auto it = a.entry_flags.find(id);
  if (it == a.entry_flags.end()) {
    c.basis = "not_declared";
    c.value = "not declared";
    return c;
  }
  c.basis = "declared";
  c.value = it->second ? "yes" : "no";
  c.met = it->second;
  return c;
}

}  // namespace

AnhuiEntryCheck CheckAnhuiEntry(const InventoryResult& r, const std::optional<PreviousYear>& prev,
                                const AnhuiAssessment& a) {
  AnhuiEntryCheck check;
  check.admitted = true;
  for (const CriterionDef& d : AnhuiEntryCriteria()) {
    EntryCriterion c = Criterion(d);
    if (d.id == "coal_decline") {
      c = CoalDecline(c, r, prev);
    } else if (d.id == "renewable_electricity_share") {
      c = RenewableElectricity(c, r);
    } else {
      c = Declared(c, d, a);
    }
    check.admitted = check.admitted && c.met;
    check.criteria.push_back(std::move(c));
  }
  return check;
}

nlohmann::json AnhuiEntryCheckToJson(const AnhuiEntryCheck& check) {
  nlohmann::json criteria = nlohmann::json::array();
  for (const EntryCriterion& c : check.criteria) {
    criteria.push_back({{"id", c.id},
                        {"clause", c.clause},
                        {"name_zh", c.name_zh},
                        {"name_en", c.name_en},
                        {"rule", c.rule},
                        {"value", c.value},
                        {"basis", c.basis},
                        {"met", c.met}});
  }
  return {{"criteria", criteria}, {"admitted", check.admitted}};
}

}  // namespace carbonledger::accounting
