#include "accounting/inventory.h"

#include <array>
#include <utility>

#include "accounting/internal/json_reader.h"
#include "accounting/internal/units.h"
#include "crypto/canonical_json.h"

namespace carbonledger::accounting {
namespace {

constexpr std::string_view kFormat = "carbonledger.inventory/1";
constexpr const char* kPrefix = "inventory";

template <typename E, size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

constexpr NameTable<Activity, 7> kActivities{{
    {Activity::kFinalConsumption, "final_consumption"},
    {Activity::kThermalPower, "thermal_power"},
    {Activity::kHeatSupply, "heat_supply"},
    {Activity::kRefining, "refining_and_coal_to_liquids"},
    {Activity::kGasMaking, "gas_making"},
    {Activity::kRecoveredEnergy, "recovered_energy"},
    {Activity::kFeedstock, "feedstock"},
}};
constexpr NameTable<ConversionProcess, 3> kProcesses{{
    {ConversionProcess::kRefining, "refining_and_coal_to_liquids"},
    {ConversionProcess::kGasMaking, "gas_making"},
    {ConversionProcess::kCoking, "coking"},
}};
constexpr NameTable<ElectricityKind, 3> kElectricityKinds{{
    {ElectricityKind::kGrid, "grid"},
    {ElectricityKind::kDirectNonFossil, "direct_non_fossil"},
    {ElectricityKind::kCertificateBacked, "certificate_backed"},
}};
constexpr NameTable<SourceKind, 2> kSourceKinds{{
    {SourceKind::kFossil, "fossil"},
    {SourceKind::kNonFossil, "non_fossil"},
}};

template <typename E, size_t N>
std::string_view NameOf(const NameTable<E, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "";
}

template <typename E, size_t N>
std::string Choices(const NameTable<E, N>& table) {
  std::string out;
  for (const auto& [v, name] : table)
    out += (out.empty() ? "\"" : ", \"") + std::string(name) + "\"";
  return out;
}

// Reads a member holding one of the table's names.
template <typename E, size_t N>
Result<E> ReadEnum(ObjectReader& r, std::string_view key, const NameTable<E, N>& table) {
  CL_ASSIGN_OR_RETURN(std::string text, r.String(key));
  for (const auto& [v, name] : table) {
    if (name == text) return v;
  }
  return FieldError(kPrefix, "bad_value", r.PathOf(key),
                    "\"" + text + "\" is not one of " + Choices(table));
}

Result<Quantity> ReadQuantity(ObjectReader& r, Dimension dimension) {
  Quantity q;
  CL_ASSIGN_OR_RETURN(q.value, r.NonNegativeDecimal("quantity"));
  CL_ASSIGN_OR_RETURN(q.unit, r.String("unit"));
  if (!UnitHasDimension(q.unit, dimension)) {
    return FieldError(kPrefix, "unknown_unit", r.PathOf("unit"),
                      "\"" + q.unit + "\" is not accepted here; use one of " + UnitsOf(dimension));
  }
  return q;
}

// Fuel quantities are by mass or by gas volume; which one a fuel takes is the factor set's.
Result<Quantity> ReadFuelQuantity(ObjectReader& r) {
  Quantity q;
  CL_ASSIGN_OR_RETURN(q.value, r.NonNegativeDecimal("quantity"));
  CL_ASSIGN_OR_RETURN(q.unit, r.String("unit"));
  if (!UnitHasDimension(q.unit, Dimension::kMass) &&
      !UnitHasDimension(q.unit, Dimension::kGasVolume)) {
    return FieldError(kPrefix, "unknown_unit", r.PathOf("unit"),
                      "\"" + q.unit + "\" is not a fuel unit; use one of " +
                          UnitsOf(Dimension::kMass) + ", " + UnitsOf(Dimension::kGasVolume));
  }
  return q;
}

Status ReadOxidationRate(ObjectReader& m, MeasuredFactor& out) {
  CL_ASSIGN_OR_RETURN(out.oxidation_rate, m.OptionalNonNegativeDecimal("oxidation_rate"));
  if (out.oxidation_rate &&
      (out.oxidation_rate->IsZero() || *out.oxidation_rate > Decimal::FromInt(1))) {
    return FieldError(kPrefix, "out_of_range", m.PathOf("oxidation_rate"),
                      "must be in (0, 1], found " + out.oxidation_rate->ToString());
  }
  return Status::OK();
}

// Carbon content in tC/GJ, or in tC/TJ converted (the unit the tables print, and a common slip).
Status ReadCarbonContent(ObjectReader& m, MeasuredFactor& out) {
  CL_ASSIGN_OR_RETURN(auto cc, m.OptionalNonNegativeDecimal("carbon_content"));
  if (!cc) return Status::OK();
  CL_ASSIGN_OR_RETURN(std::string unit, m.String("carbon_content_unit"));
  if (unit == "tC/TJ") {
    if (cc->units() % 1000 != 0) {
      return FieldError(kPrefix, "precision", m.PathOf("carbon_content"),
                        "in tC/GJ this needs more than 9 decimal places");
    }
    cc = Decimal::FromUnits(cc->units() / 1000);
  } else if (unit != "tC/GJ") {
    return FieldError(kPrefix, "unknown_unit", m.PathOf("carbon_content_unit"),
                      "\"" + unit + "\" is not \"tC/GJ\" or \"tC/TJ\"");
  }
  out.carbon_content = cc;
  return Status::OK();
}

bool IsHex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<Evidence> ReadEvidenceObject(const Json& value, const std::string& path) {
  CL_ASSIGN_OR_RETURN(ObjectReader e, ObjectReader::Open(value, path, kPrefix));
  Evidence out;
  CL_ASSIGN_OR_RETURN(out.document_sha256, e.String("document_sha256"));
  if (!IsHex64(out.document_sha256)) {
    return FieldError(kPrefix, "bad_value", e.PathOf("document_sha256"),
                      "a SHA-256 in 64 lowercase hex digits");
  }
  CL_ASSIGN_OR_RETURN(out.measured_by, e.String("measured_by"));
  if (out.measured_by.empty()) {
    return FieldError(kPrefix, "bad_value", e.PathOf("measured_by"), "names who measured");
  }
  CL_RETURN_IF_ERROR(e.Finish());
  return out;
}

// "evidence" of a measured block, optional.
Status ReadEvidence(ObjectReader& m, MeasuredFactor& out) {
  CL_ASSIGN_OR_RETURN(const Json* value, m.OptionalObject("evidence"));
  if (value == nullptr) return Status::OK();
  CL_ASSIGN_OR_RETURN(Evidence e, ReadEvidenceObject(*value, m.PathOf("evidence")));
  out.evidence = e;
  return Status::OK();
}

Status ReadMeasuredEf(ObjectReader& m, MeasuredFactor& out) {
  CL_ASSIGN_OR_RETURN(out.ef, m.OptionalNonNegativeDecimal("ef"));
  if (out.ef) {
    CL_ASSIGN_OR_RETURN(out.ef_unit, m.String("ef_unit"));
  }
  return Status::OK();
}

// "measured" of a fuel line: parameters (any of them) or a whole EF, never both.
Result<MeasuredFactor> ReadFuelMeasured(ObjectReader& line) {
  MeasuredFactor out;
  CL_ASSIGN_OR_RETURN(const Json* value, line.OptionalObject("measured"));
  if (value == nullptr) return out;
  CL_ASSIGN_OR_RETURN(ObjectReader m, ObjectReader::Open(*value, line.PathOf("measured"), kPrefix));
  CL_ASSIGN_OR_RETURN(out.ncv, m.OptionalNonNegativeDecimal("ncv"));
  if (out.ncv) {
    CL_ASSIGN_OR_RETURN(out.ncv_unit, m.String("ncv_unit"));
  }
  CL_RETURN_IF_ERROR(ReadCarbonContent(m, out));
  CL_RETURN_IF_ERROR(ReadOxidationRate(m, out));
  CL_RETURN_IF_ERROR(ReadMeasuredEf(m, out));
  if (out.ef && (out.ncv || out.carbon_content || out.oxidation_rate)) {
    return FieldError(kPrefix, "conflicting_fields", m.path(),
                      "give a measured ef or measured parameters, not both");
  }
  if (!out.any()) return FieldError(kPrefix, "empty", m.path(), "no measured value");
  CL_RETURN_IF_ERROR(ReadEvidence(m, out));
  CL_RETURN_IF_ERROR(m.Finish());
  return out;
}

// "measured" holding only an EF: heat and process products.
Result<MeasuredFactor> ReadEfMeasured(ObjectReader& line) {
  MeasuredFactor out;
  CL_ASSIGN_OR_RETURN(const Json* value, line.OptionalObject("measured"));
  if (value == nullptr) return out;
  CL_ASSIGN_OR_RETURN(ObjectReader m, ObjectReader::Open(*value, line.PathOf("measured"), kPrefix));
  CL_ASSIGN_OR_RETURN(out.ef, m.NonNegativeDecimal("ef"));
  CL_ASSIGN_OR_RETURN(out.ef_unit, m.String("ef_unit"));
  CL_RETURN_IF_ERROR(ReadEvidence(m, out));
  CL_RETURN_IF_ERROR(m.Finish());
  return out;
}

Status ReadNote(ObjectReader& r) {
  CL_ASSIGN_OR_RETURN(auto note, r.OptionalString("note"));
  (void)note;  // free text for people; not part of the computation
  return Status::OK();
}

// Calls read(line_reader, path) for each element of an optional array member.
template <typename ReadLine>
Status ForEachLine(ObjectReader& parent, std::string_view key, ReadLine read) {
  CL_ASSIGN_OR_RETURN(const Json* list, parent.OptionalArray(key));
  if (list == nullptr) return Status::OK();
  for (size_t i = 0; i < list->size(); ++i) {
    std::string path = JoinPath(parent.PathOf(key), i);
    CL_ASSIGN_OR_RETURN(ObjectReader line, ObjectReader::Open((*list)[i], path, kPrefix));
    CL_RETURN_IF_ERROR(read(line, path));
    CL_RETURN_IF_ERROR(ReadNote(line));
    CL_RETURN_IF_ERROR(line.Finish());
  }
  return Status::OK();
}

Status ReadFuelUse(ObjectReader& top, Inventory& inv) {
  return ForEachLine(top, "fuel_use", [&](ObjectReader& r, const std::string& path) -> Status {
    FuelUse u;
    u.path = path;
    CL_ASSIGN_OR_RETURN(u.fuel, r.String("fuel"));
    CL_ASSIGN_OR_RETURN(u.activity, ReadEnum(r, "activity", kActivities));
    CL_ASSIGN_OR_RETURN(u.quantity, ReadFuelQuantity(r));
    CL_ASSIGN_OR_RETURN(u.international_aviation, r.OptionalBool("international_aviation", false));
    if (u.international_aviation && u.activity != Activity::kFinalConsumption) {
      return FieldError(kPrefix, "bad_value", r.PathOf("international_aviation"),
                        "international aviation fuel must have activity \"final_consumption\"");
    }
    CL_ASSIGN_OR_RETURN(u.measured, ReadFuelMeasured(r));
    if (u.activity == Activity::kFeedstock && u.measured.any()) {
      return FieldError(kPrefix, "bad_value", r.PathOf("measured"),
                        "feedstock is not combustion and takes no factor");
    }
    inv.fuel_use.push_back(std::move(u));
    return Status::OK();
  });
}

Status ReadFlows(ObjectReader& r, std::string_view key, std::vector<ConversionFlow>& out) {
  return ForEachLine(r, key, [&](ObjectReader& f, const std::string& path) -> Status {
    ConversionFlow flow;
    flow.path = path;
    CL_ASSIGN_OR_RETURN(flow.fuel, f.String("fuel"));
    CL_ASSIGN_OR_RETURN(flow.quantity, ReadFuelQuantity(f));
    CL_ASSIGN_OR_RETURN(flow.measured, ReadFuelMeasured(f));
    out.push_back(std::move(flow));
    return Status::OK();
  });
}

Status ReadConversion(ObjectReader& top, Inventory& inv) {
  return ForEachLine(top, "conversion", [&](ObjectReader& r, const std::string& path) -> Status {
    Conversion c;
    c.path = path;
    CL_ASSIGN_OR_RETURN(c.process, ReadEnum(r, "process", kProcesses));
    if (!r.Has("inputs"))
      return FieldError(kPrefix, "missing_field", r.PathOf("inputs"), "required");
    CL_RETURN_IF_ERROR(ReadFlows(r, "inputs", c.inputs));
    CL_RETURN_IF_ERROR(ReadFlows(r, "outputs", c.outputs));
    inv.conversion.push_back(std::move(c));
    return Status::OK();
  });
}

Status ReadElectricityFlows(ObjectReader& r, std::string_view key, bool exports,
                            std::vector<ElectricityFlow>& out) {
  return ForEachLine(r, key, [&](ObjectReader& f, const std::string& path) -> Status {
    ElectricityFlow flow;
    flow.path = path;
    CL_ASSIGN_OR_RETURN(flow.kind, ReadEnum(f, "kind", kElectricityKinds));
    if (exports && flow.kind == ElectricityKind::kCertificateBacked) {
      return FieldError(kPrefix, "bad_value", f.PathOf("kind"),
                        "exports are \"grid\" or \"direct_non_fossil\"; certificates back imports");
    }
    CL_ASSIGN_OR_RETURN(flow.quantity, ReadQuantity(f, Dimension::kElectricity));
    out.push_back(std::move(flow));
    return Status::OK();
  });
}

Status ReadElectricity(ObjectReader& top, Inventory& inv) {
  CL_ASSIGN_OR_RETURN(const Json* value, top.OptionalObject("electricity"));
  if (value == nullptr) return Status::OK();
  CL_ASSIGN_OR_RETURN(ObjectReader r,
                      ObjectReader::Open(*value, top.PathOf("electricity"), kPrefix));
  CL_RETURN_IF_ERROR(ReadElectricityFlows(r, "imports", false, inv.electricity_imports));
  CL_RETURN_IF_ERROR(ReadElectricityFlows(r, "exports", true, inv.electricity_exports));
  CL_RETURN_IF_ERROR(
      ForEachLine(r, "onsite_generation", [&](ObjectReader& f, const std::string& path) -> Status {
        Generation g;
        g.path = path;
        CL_ASSIGN_OR_RETURN(g.kind, ReadEnum(f, "kind", kSourceKinds));
        CL_ASSIGN_OR_RETURN(g.quantity, ReadQuantity(f, Dimension::kElectricity));
        inv.onsite_generation.push_back(std::move(g));
        return Status::OK();
      }));
  return r.Finish();
}

Status ReadHeatFlows(ObjectReader& r, std::string_view key, std::vector<HeatFlow>& out) {
  return ForEachLine(r, key, [&](ObjectReader& f, const std::string& path) -> Status {
    HeatFlow flow;
    flow.path = path;
    CL_ASSIGN_OR_RETURN(flow.kind, ReadEnum(f, "kind", kSourceKinds));
    CL_ASSIGN_OR_RETURN(flow.quantity, ReadQuantity(f, Dimension::kHeat));
    CL_ASSIGN_OR_RETURN(flow.measured, ReadEfMeasured(f));
    if (flow.measured.any() && flow.kind == SourceKind::kNonFossil) {
      return FieldError(kPrefix, "bad_value", f.PathOf("measured"),
                        "non-fossil heat has factor 0 and takes no measured factor");
    }
    out.push_back(std::move(flow));
    return Status::OK();
  });
}

Status ReadHeat(ObjectReader& top, Inventory& inv) {
  CL_ASSIGN_OR_RETURN(const Json* value, top.OptionalObject("heat"));
  if (value == nullptr) return Status::OK();
  CL_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(*value, top.PathOf("heat"), kPrefix));
  CL_RETURN_IF_ERROR(ReadHeatFlows(r, "imports", inv.heat_imports));
  CL_RETURN_IF_ERROR(ReadHeatFlows(r, "exports", inv.heat_exports));
  return r.Finish();
}

Status ReadProcessOutput(ObjectReader& top, Inventory& inv) {
  return ForEachLine(top, "process_output",
                     [&](ObjectReader& r, const std::string& path) -> Status {
                       ProcessOutput p;
                       p.path = path;
                       CL_ASSIGN_OR_RETURN(p.product, r.String("product"));
                       CL_ASSIGN_OR_RETURN(p.quantity, ReadQuantity(r, Dimension::kMass));
                       CL_ASSIGN_OR_RETURN(p.measured, ReadEfMeasured(r));
                       inv.process_output.push_back(std::move(p));
                       return Status::OK();
                     });
}

// Park-level figures (value added, baseline) are bounded like lines (docs/inventory-format.md).
Status CheckFigure(Decimal value, const std::string& path) {
  if (value <= Decimal::FromInt(1'000'000'000'000)) return Status::OK();
  return FieldError(kPrefix, "too_large", path, "over the limit of 10^12");
}

// A percentage the park states: a decimal string within 0..100.
Status ReadPercent(ObjectReader& r, std::string_view key, std::optional<Decimal>& out) {
  CL_ASSIGN_OR_RETURN(out, r.OptionalNonNegativeDecimal(key));
  if (out && *out > Decimal::FromInt(100)) {
    return FieldError(kPrefix, "bad_value", r.PathOf(key),
                      "a percentage must be within 0..100, found " + out->ToString());
  }
  return Status::OK();
}

Status ReadProductEnergy(ObjectReader& r, std::vector<ProductEnergy>& out) {
  CL_ASSIGN_OR_RETURN(const Json* list, r.OptionalArray("product_energy"));
  if (list == nullptr) return Status::OK();
  for (size_t i = 0; i < list->size(); ++i) {
    std::string path = JoinPath(r.PathOf("product_energy"), i);
    CL_ASSIGN_OR_RETURN(ObjectReader p, ObjectReader::Open((*list)[i], path, kPrefix));
    ProductEnergy e;
    e.path = path;
    CL_ASSIGN_OR_RETURN(e.product, p.String("product"));
    CL_ASSIGN_OR_RETURN(e.standard, p.String("standard"));
    CL_ASSIGN_OR_RETURN(int64_t level, p.Integer("level", 1, 3));
    e.level = int(level);
    CL_ASSIGN_OR_RETURN(e.value, p.OptionalNonNegativeDecimal("value"));
    CL_ASSIGN_OR_RETURN(auto unit, p.OptionalString("unit"));
    e.unit = unit.value_or("");
    CL_ASSIGN_OR_RETURN(auto note, p.OptionalString("note"));
    (void)note;
    CL_RETURN_IF_ERROR(p.Finish());
    out.push_back(std::move(e));
  }
  return Status::OK();
}

Status ReadIndicators(ObjectReader& top, Inventory& inv) {
  CL_ASSIGN_OR_RETURN(const Json* value, top.OptionalObject("indicators"));
  if (value == nullptr) return Status::OK();
  CL_ASSIGN_OR_RETURN(ObjectReader r,
                      ObjectReader::Open(*value, top.PathOf("indicators"), kPrefix));
  CL_ASSIGN_OR_RETURN(const Json* iva, r.OptionalObject("industrial_value_added"));
  if (iva != nullptr) {
    CL_ASSIGN_OR_RETURN(ObjectReader q,
                        ObjectReader::Open(*iva, r.PathOf("industrial_value_added"), kPrefix));
    CL_ASSIGN_OR_RETURN(Decimal value, q.NonNegativeDecimal("quantity"));
    CL_RETURN_IF_ERROR(CheckFigure(value, q.PathOf("quantity")));
    CL_ASSIGN_OR_RETURN(std::string unit, q.String("unit"));
    if (unit != "10^4 CNY") {
      return FieldError(
          kPrefix, "unknown_unit", q.PathOf("unit"),
          "\"" + unit + "\" is not accepted; industrial value added is in \"10^4 CNY\"");
    }
    CL_RETURN_IF_ERROR(q.Finish());
    inv.industrial_value_added = value;
  }
  CL_RETURN_IF_ERROR(ReadPercent(r, "solid_waste_utilisation_percent",
                                 inv.indicators.solid_waste_utilisation_percent));
  CL_RETURN_IF_ERROR(ReadPercent(r, "waste_heat_utilisation_percent",
                                 inv.indicators.waste_heat_utilisation_percent));
  CL_RETURN_IF_ERROR(ReadPercent(r, "water_reuse_percent", inv.indicators.water_reuse_percent));
  CL_RETURN_IF_ERROR(ReadProductEnergy(r, inv.indicators.product_energy));
  return r.Finish();
}

Status ReadBaseline(ObjectReader& top, Inventory& inv) {
  CL_ASSIGN_OR_RETURN(const Json* value, top.OptionalObject("baseline"));
  if (value == nullptr) return Status::OK();
  CL_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(*value, top.PathOf("baseline"), kPrefix));
  Baseline b;
  CL_ASSIGN_OR_RETURN(int64_t year, r.Integer("year", 1990, 2100));
  b.year = int(year);
  CL_ASSIGN_OR_RETURN(b.emissions_t, r.NonNegativeDecimal("emissions_t"));
  CL_RETURN_IF_ERROR(CheckFigure(b.emissions_t, r.PathOf("emissions_t")));
  CL_RETURN_IF_ERROR(r.Finish());
  inv.baseline = b;
  return Status::OK();
}

// process_mass_balance[]: carbon in and out, each line with its evidence.
Status ReadMassBalance(ObjectReader& top, Inventory& inv) {
  return ForEachLine(
      top, "process_mass_balance", [&](ObjectReader& r, const std::string& path) -> Status {
        MassBalance m;
        m.path = path;
        CL_ASSIGN_OR_RETURN(m.product, r.String("product"));
        CL_ASSIGN_OR_RETURN(auto name, r.OptionalString("name"));
        m.name = name.value_or("");
        CL_ASSIGN_OR_RETURN(m.carbon_in_t, r.NonNegativeDecimal("carbon_in_t"));
        CL_RETURN_IF_ERROR(CheckFigure(m.carbon_in_t, r.PathOf("carbon_in_t")));
        CL_ASSIGN_OR_RETURN(m.carbon_out_t, r.NonNegativeDecimal("carbon_out_t"));
        if (m.carbon_out_t > m.carbon_in_t) {
          return FieldError(kPrefix, "bad_value", r.PathOf("carbon_out_t"),
                            "more carbon out than in: the method accounts no negative process "
                            "emissions");
        }
        CL_ASSIGN_OR_RETURN(const Json* evidence, r.Object("evidence"));
        CL_ASSIGN_OR_RETURN(m.evidence, ReadEvidenceObject(*evidence, r.PathOf("evidence")));
        inv.process_mass_balance.push_back(std::move(m));
        return Status::OK();
      });
}

Status ReadPark(ObjectReader& top, Inventory& inv) {
  CL_ASSIGN_OR_RETURN(const Json* value, top.Object("park"));
  CL_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(*value, top.PathOf("park"), kPrefix));
  CL_ASSIGN_OR_RETURN(inv.park_id, r.String("id"));
  if (inv.park_id.size() > 128) {
    return FieldError(kPrefix, "too_long", r.PathOf("id"), "longer than 128 bytes");
  }
  CL_ASSIGN_OR_RETURN(auto name, r.OptionalString("name"));
  inv.park_name = name.value_or("");
  return r.Finish();
}

// The content hash is over the document's RFC 8785 form (docs/canonical-json.md), so any
// formatting of the same content hashes alike. The reader has by now refused every float and
// every member it does not know, so the canonical form always exists.
Result<Hash> ContentHash(const Json& doc) {
  CL_ASSIGN_OR_RETURN(std::string canonical, CanonicalJson(doc));
  return Sha256(canonical);
}

}  // namespace

std::string_view ActivityName(Activity activity) { return NameOf(kActivities, activity); }
std::string_view ConversionProcessName(ConversionProcess p) { return NameOf(kProcesses, p); }
std::string_view ElectricityKindName(ElectricityKind kind) {
  return NameOf(kElectricityKinds, kind);
}
std::string_view SourceKindName(SourceKind kind) { return NameOf(kSourceKinds, kind); }

Result<Inventory> ParseInventory(std::string_view json_text) {
  CL_ASSIGN_OR_RETURN(Json doc, ParseJsonDocument(json_text, "inventory"));
  CL_ASSIGN_OR_RETURN(ObjectReader top, ObjectReader::Open(doc, "$", kPrefix));
  CL_ASSIGN_OR_RETURN(std::string format, top.String("format"));
  if (format != kFormat) {
    return FieldError(kPrefix, "format", "$.format",
                      "expected \"" + std::string(kFormat) + "\", found \"" + format + "\"");
  }
  Inventory inv;
  CL_RETURN_IF_ERROR(ReadPark(top, inv));
  CL_ASSIGN_OR_RETURN(int64_t year, top.Integer("year", 1990, 2100));
  inv.year = int(year);
  CL_RETURN_IF_ERROR(ReadFuelUse(top, inv));
  CL_RETURN_IF_ERROR(ReadConversion(top, inv));
  CL_RETURN_IF_ERROR(ReadElectricity(top, inv));
  CL_RETURN_IF_ERROR(ReadHeat(top, inv));
  CL_RETURN_IF_ERROR(ReadProcessOutput(top, inv));
  CL_RETURN_IF_ERROR(ReadMassBalance(top, inv));
  CL_RETURN_IF_ERROR(ReadIndicators(top, inv));
  CL_RETURN_IF_ERROR(ReadBaseline(top, inv));
  CL_RETURN_IF_ERROR(ReadNote(top));
  CL_RETURN_IF_ERROR(top.Finish());
  CL_ASSIGN_OR_RETURN(inv.content_sha256, ContentHash(doc));
  return inv;
}

}  // namespace carbonledger::accounting
