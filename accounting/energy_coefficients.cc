#include "accounting/energy_coefficients.h"

#include <set>

#include "accounting/internal/embedded_data.h"
#include "accounting/internal/json_reader.h"
#include "accounting/internal/units.h"
#include "crypto/encoding.h"

namespace carbonledger::accounting {
namespace {

constexpr std::string_view kFormat = "carbonledger.energy-coefficients/1";
constexpr const char* kPrefix = "energy";

Result<CoefficientSource> ParseSource(const Json& value, const std::string& id,
                                      const std::string& path) {
  CL_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(value, path, kPrefix));
  CoefficientSource s;
  s.id = id;
  CL_ASSIGN_OR_RETURN(s.citation, r.String("citation"));
  CL_ASSIGN_OR_RETURN(auto access, r.OptionalString("access"));
  s.access = access.value_or("");
  CL_RETURN_IF_ERROR(r.Finish());
  return s;
}

Result<FuelCoefficient> ParseFuel(const Json& value, const std::string& path,
                                  const EnergyCoefficients& set) {
  CL_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(value, path, kPrefix));
  FuelCoefficient f;
  CL_ASSIGN_OR_RETURN(f.id, r.String("id"));
  CL_ASSIGN_OR_RETURN(auto name_zh, r.OptionalString("name_zh"));  // documentary
  (void)name_zh;
  CL_ASSIGN_OR_RETURN(f.unit, r.String("unit"));
  if (!UnitHasDimension(f.unit, Dimension::kMass) &&
      !UnitHasDimension(f.unit, Dimension::kGasVolume)) {
    return FieldError(kPrefix, "unknown_unit", r.PathOf("unit"),
                      "\"" + f.unit + "\" is not a mass or gas-volume unit");
  }
  CL_ASSIGN_OR_RETURN(f.tce_per_unit, r.OptionalNonNegativeDecimal("tce_per_unit"));
  CL_ASSIGN_OR_RETURN(auto status, r.OptionalString("status"));
  if (status && *status != "no_coefficient") {
    return FieldError(kPrefix, "bad_status", r.PathOf("status"),
                      "only \"no_coefficient\" is known");
  }
  if (status.has_value() == f.tce_per_unit.has_value()) {
    return FieldError(kPrefix, "missing_value", path,
                      "give tce_per_unit or status \"no_coefficient\", exactly one");
  }
  CL_ASSIGN_OR_RETURN(f.source, r.String("source"));
  if (set.Source(f.source) == nullptr) {
    return FieldError(kPrefix, "unknown_source", r.PathOf("source"),
                      "\"" + f.source + "\" is not a key of $.sources");
  }
  CL_ASSIGN_OR_RETURN(auto note, r.OptionalString("note"));
  f.note = note.value_or("");
  CL_RETURN_IF_ERROR(r.Finish());
  return f;
}

// {"tce_per_<unit>": "…", "convention": "当量值", "source": "…"}.
Result<Decimal> ParseCarrier(ObjectReader& top, const char* key, const char* value_key,
                             const EnergyCoefficients& set) {
  CL_ASSIGN_OR_RETURN(const Json* obj, top.Object(key));
  CL_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(*obj, top.PathOf(key), kPrefix));
  CL_ASSIGN_OR_RETURN(Decimal value, r.NonNegativeDecimal(value_key));
  CL_ASSIGN_OR_RETURN(std::string convention, r.String("convention"));
  if (convention != "当量值") {
    return FieldError(kPrefix, "bad_convention", r.PathOf("convention"),
                      "the engine computes on the 当量值 (calorific equivalent) only");
  }
  CL_ASSIGN_OR_RETURN(std::string source, r.String("source"));
  if (set.Source(source) == nullptr) {
    return FieldError(kPrefix, "unknown_source", r.PathOf("source"),
                      "\"" + source + "\" is not a key of $.sources");
  }
  CL_RETURN_IF_ERROR(r.Finish());
  return value;
}

}  // namespace

Result<EnergyCoefficients> EnergyCoefficients::Parse(std::string_view file_bytes) {
  CL_ASSIGN_OR_RETURN(Json doc, ParseJsonDocument(file_bytes, "energy coefficients"));
  CL_ASSIGN_OR_RETURN(ObjectReader top, ObjectReader::Open(doc, "$", kPrefix));
  CL_ASSIGN_OR_RETURN(std::string format, top.String("format"));
  if (format != kFormat) {
    return FieldError(kPrefix, "format", "$.format",
                      "expected \"" + std::string(kFormat) + "\", found \"" + format + "\"");
  }
  EnergyCoefficients set;
  CL_ASSIGN_OR_RETURN(set.version_, top.String("version"));
  CL_ASSIGN_OR_RETURN(std::string title, top.String("title"));
  (void)title;
  CL_ASSIGN_OR_RETURN(std::string coal, top.String("standard_coal_gj_per_tce"));
  if (coal != kStandardCoalGjPerTce) {
    return FieldError(kPrefix, "bad_value", "$.standard_coal_gj_per_tce",
                      "the engine's standard coal is " + std::string(kStandardCoalGjPerTce) +
                          " GJ/tce (GB/T 2589-2020 §3.9)");
  }
  CL_ASSIGN_OR_RETURN(const Json* sources, top.Object("sources"));
  for (auto it = sources->begin(); it != sources->end(); ++it) {
    CL_ASSIGN_OR_RETURN(CoefficientSource s,
                        ParseSource(it.value(), it.key(), JoinPath("$.sources", it.key())));
    set.sources_.push_back(std::move(s));
  }
  CL_ASSIGN_OR_RETURN(set.electricity_, ParseCarrier(top, "electricity", "tce_per_mwh", set));
  CL_ASSIGN_OR_RETURN(set.heat_, ParseCarrier(top, "heat", "tce_per_gj", set));
  CL_ASSIGN_OR_RETURN(const Json* fuels, top.Array("fuels"));
  std::set<std::string> ids;
  for (size_t i = 0; i < fuels->size(); ++i) {
    std::string path = JoinPath("$.fuels", i);
    CL_ASSIGN_OR_RETURN(FuelCoefficient f, ParseFuel((*fuels)[i], path, set));
    if (!ids.insert(f.id).second) {
      return FieldError(kPrefix, "duplicate_id", JoinPath(path, "id"),
                        "\"" + f.id + "\" appears twice in $.fuels");
    }
    set.fuels_.push_back(std::move(f));
  }
  CL_RETURN_IF_ERROR(top.Finish());
  set.sha256_ = Sha256(file_bytes);
  return set;
}

Result<EnergyCoefficients> EnergyCoefficients::Embedded(std::string_view version) {
  std::string name = "energy-" + std::string(version) + ".json";
  for (const EmbeddedFile& file : EmbeddedFiles()) {
    if (file.name == name) return Parse(file.bytes());
  }
  return Status::NotFound("energy.unknown_version",
                          "no built-in energy coefficients \"" + std::string(version) + "\"");
}

const EnergyCoefficients& EnergyCoefficients::Default() {
  // The embedded file is checked by the tests; a broken build fails there, not here.
  static const EnergyCoefficients* set = new EnergyCoefficients(*Embedded(kDefaultVersion));
  return *set;
}

std::string EnergyCoefficients::sha256_hex() const { return HexEncode(AsBytes(sha256_)); }

const FuelCoefficient* EnergyCoefficients::Find(std::string_view fuel) const {
  for (const FuelCoefficient& f : fuels_) {
    if (f.id == fuel) return &f;
  }
  return nullptr;
}

const CoefficientSource* EnergyCoefficients::Source(std::string_view id) const {
  for (const CoefficientSource& s : sources_) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

}  // namespace carbonledger::accounting
