#include "accounting/policy_profile.h"

#include <set>

#include "accounting/internal/embedded_data.h"
#include "accounting/internal/json_reader.h"
#include "crypto/encoding.h"

namespace carbonledger::accounting {
namespace {

constexpr std::string_view kFormat = "carbonledger.profile/1";
constexpr const char* kPrefix = "profile";
constexpr std::string_view kDirectory = "profiles/";

Result<RegionRule> ReadRegion(ObjectReader& r) {
  CL_ASSIGN_OR_RETURN(std::string text, r.String("region"));
  for (RegionRule rule : {RegionRule::kAny, RegionRule::kSameProvince, RegionRule::kSameCity}) {
    if (RegionRuleName(rule) == text) return rule;
  }
  return FieldError(kPrefix, "bad_value", r.PathOf("region"),
                    "\"" + text + "\" is not \"any\", \"same_province\" or \"same_city\"");
}

Status ReadInstruments(ObjectReader& top, PolicyProfile& p) {
  CL_ASSIGN_OR_RETURN(const Json* list, top.Array("instruments"));
  std::set<std::string> seen;
  for (size_t i = 0; i < list->size(); ++i) {
    std::string path = JoinPath(top.PathOf("instruments"), i);
    CL_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open((*list)[i], path, kPrefix));
    InstrumentRule rule;
    CL_ASSIGN_OR_RETURN(rule.instrument, r.String("instrument"));
    if (rule.instrument != "CCER" && rule.instrument != "CIC") {
      return FieldError(kPrefix, "bad_value", r.PathOf("instrument"),
                        "\"" + rule.instrument + "\" is not \"CCER\" or \"CIC\"");
    }
    if (!seen.insert(rule.instrument).second) {
      return FieldError(kPrefix, "duplicate_id", r.PathOf("instrument"), "listed twice");
    }
    CL_ASSIGN_OR_RETURN(rule.region, ReadRegion(r));
    CL_RETURN_IF_ERROR(r.Finish());
    p.instruments.push_back(rule);
  }
  return Status::OK();
}

Status ReadVintage(ObjectReader& top, PolicyProfile& p) {
  CL_ASSIGN_OR_RETURN(const Json* value, top.Object("vintage"));
  CL_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(*value, top.PathOf("vintage"), kPrefix));
  CL_ASSIGN_OR_RETURN(auto before, r.OptionalInteger("max_years_before", 0, 100));
  CL_ASSIGN_OR_RETURN(auto after, r.OptionalInteger("max_years_after", 0, 100));
  if (before) p.vintage_max_years_before = int(*before);
  if (after) p.vintage_max_years_after = int(*after);
  return r.Finish();
}

// "cap": null, or {"percent": "5", "base": "gross" | "accounted" | "baseline"}.
Status ReadCap(ObjectReader& top, PolicyProfile& p) {
  if (!top.Has("cap"))
    return FieldError(kPrefix, "missing_field", "$.cap", "required (null: no cap)");
  CL_ASSIGN_OR_RETURN(const Json* value, top.OptionalObject("cap"));
  if (value == nullptr) return Status::OK();
  CL_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(*value, "$.cap", kPrefix));
  CL_ASSIGN_OR_RETURN(Decimal percent, r.NonNegativeDecimal("percent"));
  if (percent > Decimal::FromInt(100)) {
    return FieldError(kPrefix, "out_of_range", "$.cap.percent", "more than 100");
  }
  CL_ASSIGN_OR_RETURN(std::string base, r.String("base"));
  bool known = false;
  for (CapBase b : {CapBase::kGross, CapBase::kAccounted, CapBase::kBaseline}) {
    if (CapBaseName(b) == base) p.cap_base = b, known = true;
  }
  if (!known) {
    return FieldError(kPrefix, "bad_value", "$.cap.base",
                      "\"" + base + "\" is not \"gross\", \"accounted\" or \"baseline\"");
  }
  p.cap_percent = percent;
  return r.Finish();
}

Status ReadSources(ObjectReader& top, PolicyProfile& p) {
  CL_ASSIGN_OR_RETURN(const Json* list, top.Array("sources"));
  for (size_t i = 0; i < list->size(); ++i) {
    if (!(*list)[i].is_string()) {
      return FieldError(kPrefix, "type", JoinPath(top.PathOf("sources"), i), "expected a string");
    }
    p.sources.push_back((*list)[i].get<std::string>());
  }
  return Status::OK();
}

}  // namespace

std::string_view CapBaseName(CapBase base) {
  switch (base) {
    case CapBase::kGross:
      return "gross";
    case CapBase::kAccounted:
      return "accounted";
    case CapBase::kBaseline:
      return "baseline";
  }
  return "";
}

std::string_view RegionRuleName(RegionRule rule) {
  switch (rule) {
    case RegionRule::kAny:
      return "any";
    case RegionRule::kSameProvince:
      return "same_province";
    case RegionRule::kSameCity:
      return "same_city";
  }
  return "";
}

const InstrumentRule* PolicyProfile::Rule(std::string_view instrument) const {
  for (const InstrumentRule& r : instruments) {
    if (r.instrument == instrument) return &r;
  }
  return nullptr;
}

std::string PolicyProfile::sha256_hex() const { return HexEncode(AsBytes(sha256)); }

Result<PolicyProfile> ParsePolicyProfile(std::string_view file_bytes) {
  CL_ASSIGN_OR_RETURN(Json doc, ParseJsonDocument(file_bytes, "policy profile"));
  CL_ASSIGN_OR_RETURN(ObjectReader top, ObjectReader::Open(doc, "$", kPrefix));
  CL_ASSIGN_OR_RETURN(std::string format, top.String("format"));
  if (format != kFormat) {
    return FieldError(kPrefix, "format", "$.format",
                      "expected \"" + std::string(kFormat) + "\", found \"" + format + "\"");
  }
  PolicyProfile p;
  CL_ASSIGN_OR_RETURN(p.id, top.String("id"));
  CL_ASSIGN_OR_RETURN(p.title, top.String("title"));
  CL_RETURN_IF_ERROR(ReadSources(top, p));
  CL_ASSIGN_OR_RETURN(p.reading, top.String("reading"));
  CL_RETURN_IF_ERROR(ReadInstruments(top, p));
  CL_RETURN_IF_ERROR(ReadVintage(top, p));
  CL_RETURN_IF_ERROR(ReadCap(top, p));
  if (!top.Has("net_must_be_at_most_zero")) {
    return FieldError(kPrefix, "missing_field", "$.net_must_be_at_most_zero", "required");
  }
  CL_ASSIGN_OR_RETURN(p.net_must_be_at_most_zero,
                      top.OptionalBool("net_must_be_at_most_zero", true));
  CL_RETURN_IF_ERROR(top.Finish());
  p.sha256 = Sha256(file_bytes);
  return p;
}

Result<PolicyProfile> EmbeddedPolicyProfile(std::string_view id) {
  std::string name = std::string(kDirectory) + std::string(id) + ".json";
  for (const EmbeddedFile& file : EmbeddedFiles()) {
    if (file.name == name) return ParsePolicyProfile(file.bytes());
  }
  std::string known;
  for (const std::string& i : EmbeddedPolicyProfileIds()) known += (known.empty() ? "" : ", ") + i;
  return Status::NotFound("profile.unknown_id", "no built-in policy profile \"" + std::string(id) +
                                                    "\"; built in: " + known);
}

std::vector<std::string> EmbeddedPolicyProfileIds() {
  std::vector<std::string> ids;
  for (const EmbeddedFile& file : EmbeddedFiles()) {
    std::string_view name = file.name;
    if (name.starts_with(kDirectory) && name.ends_with(".json")) {
      ids.emplace_back(name.substr(kDirectory.size(), name.size() - kDirectory.size() - 5));
    }
  }
  return ids;
}

}  // namespace carbonledger::accounting
