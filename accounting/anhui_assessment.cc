// Parsing of the Anhui assessor's document: points for the indicators the ledger cannot
// compute, and the park's declared entry criteria, each checked against seed 000's table.
#include "accounting/anhui_assessment.h"

#include "accounting/internal/anhui_indicators.h"
#include "accounting/internal/json_reader.h"

namespace carbonledger::accounting {
namespace {

constexpr std::string_view kFormat = "carbonledger.anhui-assessment/1";
constexpr const char* kPrefix = "assessment";

std::string Levels(const IndicatorDef& d) {
  std::string out;
  for (int level : d.levels) out += (out.empty() ? "" : ", ") + std::to_string(level);
  return "{" + out + "}";
}

Status ReadPoints(const Json& map, const std::string& path, AnhuiAssessment& out) {
  if (!map.is_object()) return FieldError(kPrefix, "type", path, "expected an object");
  for (auto it = map.begin(); it != map.end(); ++it) {
    std::string at = JoinPath(path, it.key());
    const IndicatorDef* d = FindAnhuiIndicator(it.key());
    if (d == nullptr)
      return FieldError(kPrefix, "unknown_indicator", at, "not an Anhui index indicator");
    if (d->computed) {
      return FieldError(kPrefix, "computed_indicator", at,
                        "computed from the inventory; an assessor cannot set it");
    }
    if (!it.value().is_string())
      return FieldError(kPrefix, "type", at, "expected a decimal string");
    auto points = Decimal::Parse(it.value().get<std::string>());
    if (!points.ok()) return FieldError(kPrefix, "bad_decimal", at, points.status().message());
    bool allowed = false;
    for (int level : d->levels) allowed = allowed || *points == Decimal::FromInt(level);
    if (!allowed) {
      return FieldError(kPrefix, "bad_points", at,
                        points->ToString() + " is not a level of this indicator; allowed " +
                            Levels(*d) + " (max " + std::to_string(d->max_points) + ")");
    }
    out.index_points[it.key()] = *points;
  }
  return Status::OK();
}

Status ReadEntry(ObjectReader& entry, AnhuiAssessment& out) {
  CL_ASSIGN_OR_RETURN(const Json* rates, entry.OptionalObject("rates_percent"));
  for (auto it = rates ? rates->begin() : Json::const_iterator(); rates && it != rates->end();
       ++it) {
    std::string at = JoinPath(entry.PathOf("rates_percent"), it.key());
    const CriterionDef* c = FindAnhuiCriterion(it.key());
    if (c == nullptr || c->kind != CriterionKind::kRate) {
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
  CL_ASSIGN_OR_RETURN(const Json* flags, entry.OptionalObject("flags"));
  for (auto it = flags ? flags->begin() : Json::const_iterator(); flags && it != flags->end();
       ++it) {
    std::string at = JoinPath(entry.PathOf("flags"), it.key());
    const CriterionDef* c = FindAnhuiCriterion(it.key());
    if (c == nullptr || c->kind != CriterionKind::kFlag) {
      return FieldError(kPrefix, "unknown_criterion", at, "not a declared yes/no entry criterion");
    }
    if (!it.value().is_boolean()) return FieldError(kPrefix, "type", at, "expected true or false");
    out.entry_flags[it.key()] = it.value().get<bool>();
  }
  return entry.Finish();
}

}  // namespace

Result<AnhuiAssessment> ParseAnhuiAssessment(std::string_view json_text) {
  CL_ASSIGN_OR_RETURN(Json doc, ParseJsonDocument(json_text, "assessment"));
  CL_ASSIGN_OR_RETURN(ObjectReader top, ObjectReader::Open(doc, "$", kPrefix));
  CL_ASSIGN_OR_RETURN(std::string format, top.String("format"));
  if (format != kFormat) {
    return FieldError(kPrefix, "format", "$.format",
                      "expected \"" + std::string(kFormat) + "\", found \"" + format + "\"");
  }
  AnhuiAssessment out;
  CL_ASSIGN_OR_RETURN(const Json* points, top.OptionalObject("index_points"));
  if (points != nullptr) CL_RETURN_IF_ERROR(ReadPoints(*points, "$.index_points", out));
  CL_ASSIGN_OR_RETURN(const Json* entry, top.OptionalObject("entry"));
  if (entry != nullptr) {
    CL_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(*entry, "$.entry", kPrefix));
    CL_RETURN_IF_ERROR(ReadEntry(r, out));
  }
  CL_ASSIGN_OR_RETURN(auto note, top.OptionalString("note"));
  (void)note;
  CL_RETURN_IF_ERROR(top.Finish());
  return out;
}

}  // namespace carbonledger::accounting
