// The Anhui entry criteria (创建准入标准, seed 000 附件1): two computed from the inventory, the
// rest declared by the park. A criterion that is not declared is not met.
#include "accounting/anhui_indicators.h"
#include "accounting/evaluation.h"

namespace carbonledger::accounting {
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
