// The Anhui evaluation (evaluation.h): since issue 15 the scheme is data
// (accounting/data/evaluations/anhui-2024.json, docs/evaluations.md); these functions keep the
// Anhui-shaped API and JSON the ledger's report and the explorer read, over Evaluate.
#include "accounting/evaluation.h"

#include "accounting/evaluation_scheme.h"
#include "accounting/internal/status_macros.h"

namespace carbonledger::accounting {
namespace {

// The shipped scheme, parsed once (the accounting tests parse every shipped file).
const EvaluationScheme& AnhuiScheme() {
  static const EvaluationScheme* scheme =
      new EvaluationScheme(*EmbeddedEvaluationScheme("anhui-2024"));
  return *scheme;
}

Assessment Generic(const AnhuiAssessment& a) {
  return {a.index_points, a.entry_rates, a.entry_flags};
}

}  // namespace

int AnhuiStars(Decimal total) {
  for (const StarBand& b : AnhuiScheme().stars) {
    if (total >= b.from) return b.stars;
  }
  return 0;
}

Result<AnhuiEvaluation> EvaluateAnhui(const Inventory& inv, const InventoryResult& r,
                                      const std::optional<PreviousYear>& prev,
                                      const AnhuiAssessment& a) {
  CL_ASSIGN_OR_RETURN(Evaluation e, Evaluate(AnhuiScheme(), inv, r, prev, Generic(a)));
  AnhuiEvaluation out;
  for (const IndicatorOutcome& o : e.lines) {
    out.lines.push_back(
        {o.id, o.group, o.name_zh, o.name_en, *o.max_points, o.points, o.value, o.rule, o.basis});
  }
  for (const GroupOutcome& g : e.groups) {
    out.groups.push_back({g.id, g.name_zh, g.name_en, g.max_points, g.points});
  }
  out.index_points = e.index_points;
  out.bonus_points = e.bonus_points;
  out.penalty_points = e.penalty_points;
  out.total = e.total;
  out.stars = e.stars;
  return out;
}

AnhuiEntryCheck CheckAnhuiEntry(const InventoryResult& r, const std::optional<PreviousYear>& prev,
                                const AnhuiAssessment& a) {
  // The entry criteria read only the result and the assessment; an inventory of the result's
  // park and year satisfies Evaluate's check.
  Inventory inv;
  inv.park_id = r.park_id;
  inv.year = r.year;
  AnhuiEntryCheck check;
  auto e = Evaluate(AnhuiScheme(), inv, r, prev, Generic(a));
  if (!e.ok()) return check;  // a previous year of another year: nothing admitted
  for (const CriterionOutcome& c : e->criteria) {
    check.criteria.push_back(
        {c.id, c.clause, c.name_zh, c.name_en, c.rule, c.value, c.basis, c.met});
  }
  check.admitted = e->admitted;
  return check;
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
          {"star_rule", AnhuiScheme().star_rule}};
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
