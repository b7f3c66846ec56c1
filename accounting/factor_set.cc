#include "accounting/factor_set.h"

#include <set>

#include "accounting/internal/embedded_data.h"
#include "accounting/internal/json_reader.h"
#include "accounting/internal/units.h"
#include "crypto/encoding.h"

namespace carbonledger::accounting {
namespace {

constexpr std::string_view kFormat = "carbonledger.factors/1";
constexpr const char* kPrefix = "factors";

bool IsIdentifier(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

const char* SectionName(FactorKind kind) {
  switch (kind) {
    case FactorKind::kFuel:
      return "fuels";
    case FactorKind::kProcess:
      return "processes";
    case FactorKind::kElectricity:
      return "electricity";
    case FactorKind::kHeat:
      return "heat";
  }
  return "";
}

bool UnitFitsKind(FactorKind kind, const std::string& unit) {
  switch (kind) {
    case FactorKind::kFuel:
      return UnitHasDimension(unit, Dimension::kMass) ||
             UnitHasDimension(unit, Dimension::kGasVolume);
    case FactorKind::kProcess:
      return UnitHasDimension(unit, Dimension::kMass);
    case FactorKind::kElectricity:
      return UnitHasDimension(unit, Dimension::kElectricity);
    case FactorKind::kHeat:
      return UnitHasDimension(unit, Dimension::kHeat);
  }
  return false;
}

Result<FactorSource> ParseSource(const Json& value, const std::string& id,
                                 const std::string& path) {
  CL_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(value, path, kPrefix));
  FactorSource s;
  s.id = id;
  CL_ASSIGN_OR_RETURN(s.citation, r.String("citation"));
  CL_ASSIGN_OR_RETURN(auto access, r.OptionalString("access"));
  s.access = access.value_or("");
  CL_ASSIGN_OR_RETURN(auto preference, r.OptionalInteger("preference", 0, 100));
  (void)preference;  // documentary: the order sources were preferred in
  CL_RETURN_IF_ERROR(r.Finish());
  return s;
}

// The fuel parameters: NCV, carbon content and oxidation rate together, or none.
Status ParseFuelParameters(ObjectReader& r, EmissionFactor& f) {
  bool any = r.Has("ncv") || r.Has("carbon_content") || r.Has("oxidation_rate");
  if (!any) return Status::OK();
  CL_ASSIGN_OR_RETURN(Decimal ncv, r.NonNegativeDecimal("ncv"));
  CL_ASSIGN_OR_RETURN(Decimal cc, r.NonNegativeDecimal("carbon_content"));
  CL_ASSIGN_OR_RETURN(Decimal of, r.NonNegativeDecimal("oxidation_rate"));
  if (ncv.IsZero() || cc.IsZero()) {
    return FieldError(kPrefix, "out_of_range", r.path(), "ncv and carbon_content must be > 0");
  }
  if (of.IsZero() || of > Decimal::FromInt(1)) {
    return FieldError(kPrefix, "out_of_range", r.PathOf("oxidation_rate"),
                      "must be in (0, 1], found " + of.ToString());
  }
  CL_ASSIGN_OR_RETURN(Decimal ef, FuelEmissionFactor(ncv, cc, of));
  f.ncv = ncv;
  f.carbon_content = cc;
  f.oxidation_rate = of;
  f.ef = ef;
  return Status::OK();
}

// "ef" as stated, or for parameterised fuels the optional "published_ef" cross-check.
Status ParseStatedFactor(ObjectReader& r, EmissionFactor& f) {
  if (f.has_parameters()) {
    if (r.Has("ef")) {
      return FieldError(kPrefix, "conflicting_fields", r.PathOf("ef"),
                        "give either ncv/carbon_content/oxidation_rate or ef, not both");
    }
    CL_ASSIGN_OR_RETURN(auto published, r.OptionalNonNegativeDecimal("published_ef"));
    if (published && *published != *f.ef) {
      return FieldError(
          kPrefix, "published_ef_mismatch", r.PathOf("published_ef"),
          "stated " + published->ToString() + " but NCV x CC x OF x 44/12 is " + f.ef->ToString());
    }
    return Status::OK();
  }
  CL_ASSIGN_OR_RETURN(auto ef, r.OptionalNonNegativeDecimal("ef"));
  f.ef = ef;
  return Status::OK();
}

Result<EmissionFactor> ParseEntry(const Json& value, FactorKind kind, const std::string& path,
                                  const std::vector<FactorSource>& sources) {
  CL_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(value, path, kPrefix));
  EmissionFactor f;
  f.kind = kind;
  CL_ASSIGN_OR_RETURN(f.id, r.String("id"));
  if (!IsIdentifier(f.id)) {
    return FieldError(kPrefix, "bad_id", r.PathOf("id"),
                      "\"" + f.id + "\" is not an identifier ([a-z0-9_-], 1..64 characters)");
  }
  CL_ASSIGN_OR_RETURN(f.name_zh, r.String("name_zh"));
  CL_ASSIGN_OR_RETURN(f.name_en, r.String("name_en"));
  CL_ASSIGN_OR_RETURN(f.unit, r.String("unit"));
  if (!UnitFitsKind(kind, f.unit)) {
    return FieldError(kPrefix, "unknown_unit", r.PathOf("unit"),
                      "\"" + f.unit + "\" is not a unit for " + SectionName(kind));
  }
  if (kind == FactorKind::kFuel) {
    CL_ASSIGN_OR_RETURN(f.group, r.String("group"));
    if (f.group != "coal" && f.group != "oil" && f.group != "gas") {
      return FieldError(kPrefix, "bad_group", r.PathOf("group"),
                        "must be \"coal\", \"oil\" or \"gas\"");
    }
    CL_RETURN_IF_ERROR(ParseFuelParameters(r, f));
  }
  CL_RETURN_IF_ERROR(ParseStatedFactor(r, f));
  CL_ASSIGN_OR_RETURN(f.source, r.String("source"));
  bool known_source = false;
  for (const FactorSource& s : sources) known_source = known_source || s.id == f.source;
  if (!known_source) {
    return FieldError(kPrefix, "unknown_source", r.PathOf("source"),
                      "\"" + f.source + "\" is not a key of $.sources");
  }
  CL_ASSIGN_OR_RETURN(auto row, r.OptionalInteger("csv_row", 1, 1000000));
  f.csv_row = int(row.value_or(0));
  CL_ASSIGN_OR_RETURN(auto note, r.OptionalString("note"));
  f.note = note.value_or("");
  CL_ASSIGN_OR_RETURN(auto status, r.OptionalString("status"));
  if (status && *status != "no_default") {
    return FieldError(kPrefix, "bad_status", r.PathOf("status"), "only \"no_default\" is known");
  }
  if (status.has_value() == f.has_default()) {
    return FieldError(kPrefix, "missing_value", path,
                      status ? "an entry with status no_default must not carry a value"
                             : "no value: give the factor or status \"no_default\"");
  }
  CL_RETURN_IF_ERROR(r.Finish());
  return f;
}

Status ParseSection(ObjectReader& top, FactorKind kind, const std::vector<FactorSource>& sources,
                    std::vector<EmissionFactor>& out) {
  CL_ASSIGN_OR_RETURN(const Json* list, top.Array(SectionName(kind)));
  std::set<std::string> ids;
  for (size_t i = 0; i < list->size(); ++i) {
    std::string path = JoinPath(top.PathOf(SectionName(kind)), i);
    CL_ASSIGN_OR_RETURN(EmissionFactor f, ParseEntry((*list)[i], kind, path, sources));
    if (!ids.insert(f.id).second) {
      return FieldError(kPrefix, "duplicate_id", JoinPath(path, "id"),
                        "\"" + f.id + "\" appears twice in $." + SectionName(kind));
    }
    out.push_back(std::move(f));
  }
  return Status::OK();
}

Result<std::vector<FactorSource>> ParseSources(ObjectReader& top) {
  CL_ASSIGN_OR_RETURN(const Json* map, top.Object("sources"));
  std::vector<FactorSource> sources;
  for (auto it = map->begin(); it != map->end(); ++it) {
    CL_ASSIGN_OR_RETURN(FactorSource s, ParseSource(it.value(), it.key(),
                                                    JoinPath(top.PathOf("sources"), it.key())));
    sources.push_back(std::move(s));
  }
  return sources;
}

// The engine relies on these four entries; a factor file without them is incomplete.
Status RequireEntries(const FactorSet& set) {
  const std::pair<FactorKind, const char*> required[] = {{FactorKind::kElectricity, "grid"},
                                                         {FactorKind::kElectricity, "non_fossil"},
                                                         {FactorKind::kHeat, "fossil"},
                                                         {FactorKind::kHeat, "non_fossil"}};
  for (const auto& [kind, id] : required) {
    const EmissionFactor* f = set.Find(kind, id);
    if (f == nullptr || !f->has_default()) {
      return FieldError(kPrefix, "missing_entry", std::string("$.") + SectionName(kind),
                        std::string("an entry \"") + id + "\" with a value is required");
    }
  }
  return Status::OK();
}

}  // namespace

Result<Decimal> FuelEmissionFactor(Decimal ncv, Decimal carbon_content, Decimal oxidation_rate) {
  // 44/12: the mass ratio of CO2 to carbon.
  return Decimal::ProductRounded({ncv, carbon_content, oxidation_rate}, 44, 12, kFactorDigits);
}

Result<FactorSet> FactorSet::Parse(std::string_view file_bytes) {
  CL_ASSIGN_OR_RETURN(Json doc, ParseJsonDocument(file_bytes, "factor set"));
  CL_ASSIGN_OR_RETURN(ObjectReader top, ObjectReader::Open(doc, "$", kPrefix));
  CL_ASSIGN_OR_RETURN(std::string format, top.String("format"));
  if (format != kFormat) {
    return FieldError(kPrefix, "format", "$.format",
                      "expected \"" + std::string(kFormat) + "\", found \"" + format + "\"");
  }
  FactorSet set;
  CL_ASSIGN_OR_RETURN(set.version_, top.String("version"));
  if (!IsIdentifier(set.version_)) {
    return FieldError(kPrefix, "bad_id", "$.version",
                      "not an identifier: \"" + set.version_ + "\"");
  }
  CL_ASSIGN_OR_RETURN(set.title_, top.String("title"));
  CL_ASSIGN_OR_RETURN(auto method, top.OptionalString("method"));
  CL_ASSIGN_OR_RETURN(auto csv, top.OptionalString("csv"));
  CL_ASSIGN_OR_RETURN(auto units, top.OptionalObject("units"));  // documentary
  (void)method, (void)csv, (void)units;
  CL_ASSIGN_OR_RETURN(set.sources_, ParseSources(top));
  for (FactorKind kind :
       {FactorKind::kFuel, FactorKind::kProcess, FactorKind::kElectricity, FactorKind::kHeat}) {
    CL_RETURN_IF_ERROR(ParseSection(top, kind, set.sources_, set.entries_));
  }
  CL_RETURN_IF_ERROR(top.Finish());
  CL_RETURN_IF_ERROR(RequireEntries(set));
  set.sha256_ = Sha256(file_bytes);
  return set;
}

Result<FactorSet> FactorSet::Embedded(std::string_view version) {
  std::string name = std::string(version) + ".json";
  for (const EmbeddedFile& file : EmbeddedFiles()) {
    if (file.name == name) return Parse(file.bytes());
  }
  std::string known;
  for (const std::string& v : EmbeddedVersions()) known += (known.empty() ? "" : ", ") + v;
  return Status::NotFound(
      "factors.unknown_version",
      "no built-in factor set \"" + std::string(version) + "\"; built in: " + known);
}

std::vector<std::string> FactorSet::EmbeddedVersions() {
  std::vector<std::string> versions;
  for (const EmbeddedFile& file : EmbeddedFiles()) {
    std::string_view name = file.name;
    if (name.starts_with("factors-") && name.ends_with(".json")) {
      versions.emplace_back(name.substr(0, name.size() - 5));
    }
  }
  return versions;
}

std::string FactorSet::sha256_hex() const { return HexEncode(AsBytes(sha256_)); }

const EmissionFactor* FactorSet::Find(FactorKind kind, std::string_view id) const {
  for (const EmissionFactor& f : entries_) {
    if (f.kind == kind && f.id == id) return &f;
  }
  return nullptr;
}

const FactorSource* FactorSet::Source(std::string_view id) const {
  for (const FactorSource& s : sources_) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

}  // namespace carbonledger::accounting
