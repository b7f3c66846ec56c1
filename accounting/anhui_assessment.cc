// Parsing of the engaged certifier's assessments (evaluation_scheme.h ParseAssessment, against
// any scheme) and of the Anhui assessor's document (the same, against anhui-2024).
#include "accounting/anhui_assessment.h"

#include "accounting/evaluation_scheme.h"
#include "accounting/internal/json_reader.h"

namespace carbonledger::accounting {
namespace {
constexpr const char* kPrefix = "assessment";
}  // namespace

// Assessments: the Anhui format keeps its name; any scheme reads the same members.
Result<Assessment> ParseAssessment(std::string_view json_text, const EvaluationScheme& scheme) {
  CL_ASSIGN_OR_RETURN(Json doc, ParseJsonDocument(json_text, "assessment"));
  CL_ASSIGN_OR_RETURN(ObjectReader top, ObjectReader::Open(doc, "$", kPrefix));
  CL_ASSIGN_OR_RETURN(std::string format, top.String("format"));
  if (format != "carbonledger.assessment/1" && format != "carbonledger.anhui-assessment/1") {
    return FieldError(kPrefix, "format", "$.format",
                      "expected \"carbonledger.assessment/1\", found \"" + format + "\"");
  }
  Assessment out;
  CL_ASSIGN_OR_RETURN(const Json* points, top.OptionalObject("index_points"));
  for (auto it = points ? points->begin() : Json::const_iterator(); points && it != points->end();
       ++it) {
    std::string at = JoinPath("$.index_points", it.key());
    const IndicatorSpec* d = scheme.FindIndicator(it.key());
    if (d == nullptr) {
      return FieldError(kPrefix, "unknown_indicator", at,
                        "not an indicator of scheme " + scheme.id);
    }
    if (d->measure != Measure::kAssessor) {
      return FieldError(kPrefix, "computed_indicator", at,
                        "computed from the inventory; an assessor cannot set it");
    }
    if (!it.value().is_string())
      return FieldError(kPrefix, "type", at, "expected a decimal string");
    auto p = Decimal::Parse(it.value().get<std::string>());
    if (!p.ok()) return FieldError(kPrefix, "bad_decimal", at, p.status().message());
    bool allowed = false;
    std::string levels;
    for (Decimal level : d->levels) {
      allowed = allowed || *p == level;
      levels += (levels.empty() ? "" : ", ") + level.ToString();
    }
    if (!allowed) {
      return FieldError(kPrefix, "bad_points", at,
                        p->ToString() + " is not a level of this indicator; allowed {" + levels +
                            "} (max " + d->max_points->ToString() + ")");
    }
    out.index_points[it.key()] = *p;
  }
  CL_ASSIGN_OR_RETURN(const Json* entry, top.OptionalObject("entry"));
  if (entry != nullptr) {
    CL_ASSIGN_OR_RETURN(ObjectReader e, ObjectReader::Open(*entry, "$.entry", kPrefix));
    CL_ASSIGN_OR_RETURN(const Json* rates, e.OptionalObject("rates_percent"));
    for (auto it = rates ? rates->begin() : Json::const_iterator(); rates && it != rates->end();
         ++it) {
      std::string at = JoinPath("$.entry.rates_percent", it.key());
      const CriterionSpec* c = scheme.FindCriterion(it.key());
      if (c == nullptr || c->measure != Measure::kDeclaredRate) {
        return FieldError(kPrefix, "unknown_criterion", at, "not a declared-rate entry criterion");
      }
      if (!it.value().is_string())
        return FieldError(kPrefix, "type", at, "expected a decimal string");
      auto rate = Decimal::Parse(it.value().get<std::string>());
      if (!rate.ok()) return FieldError(kPrefix, "bad_decimal", at, rate.status().message());
      if (rate->IsNegative() || *rate > Decimal::FromInt(100)) {
        return FieldError(kPrefix, "out_of_range", at, "a percentage must be within 0..100");
      }
      out.entry_rates[it.key()] = *rate;
    }
    CL_ASSIGN_OR_RETURN(const Json* flags, e.OptionalObject("flags"));
    for (auto it = flags ? flags->begin() : Json::const_iterator(); flags && it != flags->end();
         ++it) {
      std::string at = JoinPath("$.entry.flags", it.key());
      const CriterionSpec* c = scheme.FindCriterion(it.key());
      if (c == nullptr || c->measure != Measure::kDeclaredFlag) {
        return FieldError(kPrefix, "unknown_criterion", at,
                          "not a declared yes/no entry criterion");
      }
      if (!it.value().is_boolean())
        return FieldError(kPrefix, "type", at, "expected true or false");
      out.entry_flags[it.key()] = it.value().get<bool>();
    }
    CL_RETURN_IF_ERROR(e.Finish());
  }
  CL_ASSIGN_OR_RETURN(auto note, top.OptionalString("note"));
  (void)note;
  CL_RETURN_IF_ERROR(top.Finish());
  return out;
}

Result<AnhuiAssessment> ParseAnhuiAssessment(std::string_view json_text) {
  constexpr std::string_view kFormat = "carbonledger.anhui-assessment/1";
  CL_ASSIGN_OR_RETURN(Json doc, ParseJsonDocument(json_text, "assessment"));
  auto format = doc.is_object() ? doc.find("format") : doc.end();
  if (doc.is_object() && format != doc.end() && (!format->is_string() || *format != kFormat)) {
    return FieldError(kPrefix, "format", "$.format",
                      "expected \"" + std::string(kFormat) + "\", found " + format->dump());
  }
  static const EvaluationScheme* scheme =
      new EvaluationScheme(*EmbeddedEvaluationScheme("anhui-2024"));
  CL_ASSIGN_OR_RETURN(Assessment a, ParseAssessment(json_text, *scheme));
  return AnhuiAssessment{a.index_points, a.entry_rates, a.entry_flags};
}

}  // namespace carbonledger::accounting
