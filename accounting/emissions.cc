#include "accounting/emissions.h"

#include <array>

#include "accounting/internal/result_json.h"
#include "accounting/internal/status_macros.h"
#include "accounting/internal/units.h"
#include "crypto/encoding.h"

namespace carbonledger::accounting {
namespace {

const Decimal kZero;

// The largest activity (in the factor's unit), emissions (t) and energy (GJ) one line may have:
// far beyond any park, and small enough that the sums of the ~10^5 lines an 8 MB document can
// hold stay exact within Decimal's range, so totals never need an overflow check.
const Decimal kLineLimit = Decimal::FromInt(1'000'000'000'000);

Status PathError(std::string_view kind, const std::string& path, const std::string& message) {
  return Status::InvalidArgument("inventory." + std::string(kind), path + ": " + message);
}

std::string SourceOf(const EmissionFactor& f) {
  if (f.csv_row == 0) return f.source;
  return f.source + ", csv row " + std::to_string(f.csv_row);
}

// The quantity of a line in the factor's unit, or an error naming the line's unit.
Result<Decimal> ToFactorUnit(const Quantity& q, const EmissionFactor& f, const std::string& path) {
  auto converted = ConvertUnit(q.value, q.unit, f.unit);
  if (!converted.ok()) {
    return PathError("unit_mismatch", path + ".unit",
                     f.id + " is accounted per " + f.unit + ": " + converted.status().message());
  }
  return *converted;
}

Result<Decimal> Emissions(Decimal activity, Decimal factor) {
  return Decimal::ProductRounded({activity, factor}, 1, 1, kEmissionDigits);
}

// A factor chosen for a line: the value and where it came from.
struct ChosenFactor {
  ChosenFactor(Decimal e, std::optional<Decimal> n, std::string b, std::string s)
      : ef(e), ncv(n), basis(std::move(b)), source(std::move(s)) {}
  Decimal ef;
  std::optional<Decimal> ncv;  // for the energy figures
  std::string basis;
  std::string source;
  // MethodVersion::kV2, a factor formed from parameters: NCV, carbon content and oxidation rate,
  // priced as one exact product (ExactEmissions); `ef` is then shown rounded to 9 decimals.
  std::optional<std::array<Decimal, 3>> parameters;
};

// 256-bit unsigned arithmetic, just enough for ExactEmissions.
struct U256 {
  UInt128 hi = 0, lo = 0;
};

U256 Multiply(UInt128 a, UInt128 b) {
  const UInt128 mask = (UInt128(1) << 64) - 1;
  UInt128 a0 = a & mask, a1 = a >> 64, b0 = b & mask, b1 = b >> 64;
  UInt128 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  UInt128 middle = (p00 >> 64) + (p01 & mask) + (p10 & mask);
  U256 r;
  r.lo = (p00 & mask) | (middle << 64);
  r.hi = p11 + (p01 >> 64) + (p10 >> 64) + (middle >> 64);
  return r;
}

// n / d rounded half to even; nullopt when the quotient does not fit 127 bits. d < 2^126.
std::optional<UInt128> DivideRounded(U256 n, UInt128 d) {
  UInt128 q = 0, r = 0;
  for (int i = 255; i >= 0; --i) {
    UInt128 bit = i >= 128 ? (n.hi >> (i - 128)) & 1 : (n.lo >> i) & 1;
    r = (r << 1) | bit;
    bool set = r >= d;
    if (set) r -= d;
    if (i >= 127 && set) return std::nullopt;
    if (set) q |= UInt128(1) << i;
  }
  if (2 * r > d || (2 * r == d && (q & 1) == 1)) ++q;
  return q;
}

// activity × NCV × CC × OF × 44/12 rounded once, half to even, to 1 kg (issue 15 fix 1: the
// method prescribes no rounding of a factor formed from parameters). All inputs >= 0.
Result<Decimal> ExactEmissions(Decimal activity, const std::array<Decimal, 3>& p) {
  Int128 m = 44;
  for (Decimal d : p) {
    if (__builtin_mul_overflow(m, d.units(), &m)) {
      return Status::Unprocessable("decimal.overflow", "factor parameters out of range");
    }
  }
  // activity has 10^9 units, the parameters 10^27: the product is in 10^-36 t; / 12 × 10^33
  // gives units of 1 kg.
  UInt128 den = 12;
  for (int i = 0; i < 33; ++i) den *= 10;
  auto kg = DivideRounded(Multiply(UInt128(activity.units()), UInt128(m)), den);
  if (!kg || *kg > UInt128(Int128(1) << 100)) {
    return Status::Unprocessable("decimal.overflow", "emissions out of range");
  }
  return Decimal::FromUnits(Int128(*kg) * 1'000'000);
}

Status CheckMeasuredUnits(const MeasuredFactor& m, const EmissionFactor& f,
                          const std::string& path) {
  if (m.ncv && m.ncv_unit != "GJ/" + f.unit) {
    return PathError(
        "unit_mismatch", path + ".measured.ncv_unit",
        "\"" + m.ncv_unit + "\" does not match the factor unit; use \"GJ/" + f.unit + "\"");
  }
  if (m.ef && m.ef_unit != f.ef_unit()) {
    return PathError(
        "unit_mismatch", path + ".measured.ef_unit",
        "\"" + m.ef_unit + "\" does not match the factor unit; use \"" + f.ef_unit() + "\"");
  }
  return Status::OK();
}

Status NoDefault(const EmissionFactor& f, const std::string& path, const std::string& needed) {
  return PathError("no_default_factor", path,
                   f.id + " (" + f.name_zh +
                       ") has no published default factor (docs/factors.md: " + f.note +
                       "); supply measured " + needed);
}

// Which parameters of a line were measured: "measured ncv, oxidation_rate", or "default".
std::string ParameterBasis(const MeasuredFactor& m, bool conversion) {
  std::string basis;
  for (auto [given, name] : {std::pair{m.ncv.has_value(), "ncv"},
                             std::pair{m.carbon_content.has_value(), "carbon_content"},
                             std::pair{m.oxidation_rate.has_value(), "oxidation_rate"}}) {
    if (given) basis += (basis.empty() ? "measured " : ", ") + std::string(name);
  }
  if (basis.empty()) basis = "default";
  if (conversion) basis += basis == "default" ? " at 100 % oxidation" : "; 100 % oxidation";
  return basis;
}

// "inventory", with the evidence when the measured block names it.
std::string MeasuredSource(const MeasuredFactor& m) {
  if (!m.evidence) return "inventory";
  return "inventory (evidence sha256 " + m.evidence->document_sha256 + ", measured by " +
         m.evidence->measured_by + ")";
}

// EF = NCV × CC × OF × 44/12 from measured parameters over the defaults (OF 1 for conversion).
Result<ChosenFactor> FactorFromParameters(const EmissionFactor& f, const MeasuredFactor& m,
                                          const std::string& path, bool conversion,
                                          MethodVersion method) {
  std::optional<Decimal> ncv = m.ncv ? m.ncv : f.ncv;
  std::optional<Decimal> cc = m.carbon_content ? m.carbon_content : f.carbon_content;
  std::optional<Decimal> of =
      conversion ? Decimal::FromInt(1) : (m.oxidation_rate ? m.oxidation_rate : f.oxidation_rate);
  if (!ncv || !cc || !of) {
    if (!f.has_default())
      return NoDefault(f, path, "ncv, carbon_content and oxidation_rate, or ef");
    return Status::InvalidArgument(
        "factors.no_parameters",
        path + ": the factor set gives " + f.id +
            " as a whole EF without NCV, carbon content and oxidation rate, so " +
            (conversion ? "its 100 %-oxidation factor" : "a partly measured factor") +
            " cannot be formed; supply the missing parameters as measured");
  }
  if (method == MethodVersion::kV1) {
    CL_ASSIGN_OR_RETURN(Decimal ef, FuelEmissionFactor(*ncv, *cc, *of));
    return ChosenFactor{ef, ncv, ParameterBasis(m, conversion),
                        m.any() ? "inventory + " + SourceOf(f) : SourceOf(f)};
  }
  // kV2: exact; a line whose every parameter was measured owes nothing to the factor set.
  CL_ASSIGN_OR_RETURN(Decimal shown, Decimal::ProductRounded({*ncv, *cc, *of}, 44, 12, 9));
  bool all_measured = m.ncv && m.carbon_content && (conversion || m.oxidation_rate);
  std::string source = all_measured ? "inventory"
                       : m.any()    ? "inventory + " + SourceOf(f)
                                    : SourceOf(f);
  ChosenFactor c{shown, ncv, ParameterBasis(m, conversion) + ", exact product", source};
  c.parameters = std::array<Decimal, 3>{*ncv, *cc, *of};
  return c;
}

// EF for a fuel line: a measured EF, measured parameters over the defaults, or the default.
// Conversion lines take the oxidation rate as 100 % (910 §(一)2).
Result<ChosenFactor> FuelFactor(const EmissionFactor& f, const MeasuredFactor& m,
                                const std::string& path, bool conversion, MethodVersion method) {
  CL_RETURN_IF_ERROR(CheckMeasuredUnits(m, f, path));
  if (conversion && m.oxidation_rate) {
    return PathError("bad_value", path + ".measured.oxidation_rate",
                     "conversion is accounted with an oxidation rate of 100 %");
  }
  if (m.ef) return ChosenFactor{*m.ef, std::nullopt, "measured", MeasuredSource(m)};
  if (conversion || m.any()) return FactorFromParameters(f, m, path, conversion, method);
  if (!f.has_default()) return NoDefault(f, path, "ncv, carbon_content and oxidation_rate, or ef");
  return ChosenFactor{*f.ef, f.ncv, "default", SourceOf(f)};
}

// A process or heat factor: measured EF or the default.
Result<ChosenFactor> StatedFactor(const EmissionFactor& f, const MeasuredFactor& m,
                                  const std::string& path) {
  CL_RETURN_IF_ERROR(CheckMeasuredUnits(m, f, path));
  if (m.ef) return ChosenFactor{*m.ef, std::nullopt, "measured", MeasuredSource(m)};
  if (!f.has_default()) return NoDefault(f, path, "ef");
  return ChosenFactor{*f.ef, std::nullopt, "default", SourceOf(f)};
}

LineItem MakeLine(Term term, const EmissionFactor& f, std::string detail, const Quantity& q,
                  Decimal activity, const std::string& path) {
  LineItem line;
  line.term = term;
  line.item = f.id;
  line.name_zh = f.name_zh;
  line.detail = std::move(detail);
  line.quantity = q.value;
  line.unit = q.unit;
  line.activity = activity;
  line.activity_unit = f.unit;
  line.factor_unit = f.ef_unit();
  line.group = f.group;
  line.path = path;
  return line;
}

Status CheckLimit(Decimal value, const char* what, const std::string& path) {
  if (value <= kLineLimit) return Status::OK();
  return PathError(
      "too_large", path,
      std::string(what) + " " + value.ToString() + " is over the limit of 10^12 for one line");
}

// Fills factor, emissions (negated for deductions) and energy of a line.
Status Price(LineItem& line, const ChosenFactor& c, bool deduct) {
  line.factor = c.ef;
  line.factor_basis = c.basis;
  line.factor_source = c.source;
  CL_RETURN_IF_ERROR(CheckLimit(line.activity, "the quantity in the factor's unit", line.path));
  auto e =
      c.parameters ? ExactEmissions(line.activity, *c.parameters) : Emissions(line.activity, c.ef);
  if (!e.ok()) return PathError("too_large", line.path, e.status().message());
  CL_RETURN_IF_ERROR(CheckLimit(*e, "emissions (t)", line.path));
  line.emissions_t = deduct ? Decimal::FromUnits(-e->units()) : *e;
  if (c.ncv) {
    auto gj = Decimal::ProductRounded({line.activity, *c.ncv}, 1, 1, 3);
    if (!gj.ok()) return PathError("too_large", line.path, gj.status().message());
    CL_RETURN_IF_ERROR(CheckLimit(*gj, "energy (GJ)", line.path));
    line.energy_gj = deduct ? Decimal::FromUnits(-gj->units()) : *gj;
  }
  return Status::OK();
}

const Decimal kStandardCoalGj = *Decimal::Parse(kStandardCoalGjPerTce);

// A fuel line's energy in tce (docs/accounting.md §Energy in tce): a measured NCV over the
// standard coal's 29.3076 GJ, else the coefficient set's 折标准煤系数, else the factor set's NCV
// over 29.3076. Each is one exact product rounded once to 1 kgce.
Status PriceTce(LineItem& line, const EmissionFactor& f, const MeasuredFactor& m,
                const EnergyCoefficients& k, bool deduct) {
  std::optional<Decimal> ncv;
  Result<Decimal> tce = Decimal();
  const FuelCoefficient* c = k.Find(f.id);
  if (m.ncv) {
    ncv = m.ncv;
    line.energy_tce_source = "measured ncv / 29.3076 GJ/tce";
  } else if (c != nullptr && c->tce_per_unit) {
    auto activity = ConvertUnit(line.activity, f.unit, c->unit);
    if (!activity.ok()) {
      return PathError("unit_mismatch", line.path + ".unit",
                       "the 折标准煤系数 of " + f.id + " is per " + c->unit + ": " +
                           activity.status().message());
    }
    tce = Decimal::ProductRounded({*activity, *c->tce_per_unit}, 1, 1, kTceDigits);
    line.energy_tce_source = k.version() + " " + c->source;
  } else if (f.ncv) {
    ncv = f.ncv;
    line.energy_tce_source = "factor-set ncv / 29.3076 GJ/tce";
  } else {
    return Status::OK();  // no NCV anywhere: the tce figures say so (EnergyUse)
  }
  if (ncv) {
    tce = Decimal::ProductRounded({line.activity, *ncv}, Decimal::kOne, kStandardCoalGj.units(),
                                  kTceDigits);
  }
  if (!tce.ok()) return PathError("too_large", line.path, tce.status().message());
  CL_RETURN_IF_ERROR(CheckLimit(*tce, "energy (tce)", line.path));
  line.energy_tce = deduct ? Decimal::FromUnits(-tce->units()) : *tce;
  return Status::OK();
}

Result<const EmissionFactor*> FindFuel(const FactorSet& factors, const std::string& fuel,
                                       const std::string& path) {
  const EmissionFactor* f = factors.Find(FactorKind::kFuel, fuel);
  if (f == nullptr) {
    return PathError("unknown_fuel", path + ".fuel",
                     "\"" + fuel + "\" is not a fuel of factor set " + factors.version() +
                         " (docs/factors.md lists them; raw coal must be split into anthracite, "
                         "coking_bituminous_coal, general_bituminous_coal or lignite)");
  }
  return f;
}

Status AddFuelUse(const Inventory& inv, const FactorSet& factors, const EnergyCoefficients& k,
                  MethodVersion method, std::vector<LineItem>& lines) {
  for (const FuelUse& u : inv.fuel_use) {
    CL_ASSIGN_OR_RETURN(const EmissionFactor* f, FindFuel(factors, u.fuel, u.path));
    CL_ASSIGN_OR_RETURN(Decimal activity, ToFactorUnit(u.quantity, *f, u.path));
    LineItem line = MakeLine(Term::kFuel, *f, std::string(ActivityName(u.activity)), u.quantity,
                             activity, u.path);
    line.international_aviation = u.international_aviation;
    if (u.activity == Activity::kFeedstock) {
      // Feedstock is not combustion: reported with factor 0; its energy counts as coal use.
      CL_RETURN_IF_ERROR(Price(
          line, ChosenFactor{kZero, f->ncv, "feedstock (not combustion)", "910 §(一)1"}, false));
    } else {
      CL_ASSIGN_OR_RETURN(ChosenFactor c, FuelFactor(*f, u.measured, u.path, false, method));
      CL_RETURN_IF_ERROR(Price(line, c, false));
    }
    CL_RETURN_IF_ERROR(PriceTce(line, *f, u.measured, k, false));
    lines.push_back(std::move(line));
  }
  return Status::OK();
}

Status AddConversion(const Inventory& inv, const FactorSet& factors, const EnergyCoefficients& k,
                     MethodVersion method, std::vector<LineItem>& lines) {
  for (const Conversion& c : inv.conversion) {
    std::string process(ConversionProcessName(c.process));
    for (bool output : {false, true}) {
      for (const ConversionFlow& flow : output ? c.outputs : c.inputs) {
        CL_ASSIGN_OR_RETURN(const EmissionFactor* f, FindFuel(factors, flow.fuel, flow.path));
        CL_ASSIGN_OR_RETURN(Decimal activity, ToFactorUnit(flow.quantity, *f, flow.path));
        LineItem line = MakeLine(Term::kConversion, *f, process + (output ? " output" : " input"),
                                 flow.quantity, activity, flow.path);
        CL_ASSIGN_OR_RETURN(ChosenFactor chosen,
                            FuelFactor(*f, flow.measured, flow.path, true, method));
        CL_RETURN_IF_ERROR(Price(line, chosen, output));
        CL_RETURN_IF_ERROR(PriceTce(line, *f, flow.measured, k, output));
        lines.push_back(std::move(line));
      }
    }
  }
  return Status::OK();
}

const EmissionFactor& Required(const FactorSet& factors, FactorKind kind, const char* id) {
  return *factors.Find(kind, id);  // FactorSet::Parse guarantees grid/non_fossil/fossil
}

Result<Decimal> ElectricityMwh(const ElectricityFlow& flow) {
  auto mwh = ConvertUnit(flow.quantity.value, flow.quantity.unit, "MWh");
  if (!mwh.ok()) return PathError("unit_mismatch", flow.path + ".unit", mwh.status().message());
  return *mwh;
}

// One priced electricity line of `mwh` (possibly part of a reported line).
Status AddElectricityLine(const EmissionFactor& f, std::string detail, const Quantity& q,
                          Decimal mwh, bool deduct, const std::string& path,
                          std::vector<LineItem>& lines) {
  LineItem line = MakeLine(Term::kElectricity, f, std::move(detail), q, mwh, path);
  CL_RETURN_IF_ERROR(
      Price(line, ChosenFactor{*f.ef, std::nullopt, "default", SourceOf(f)}, deduct));
  lines.push_back(std::move(line));
  return Status::OK();
}

// Certificate-backed imports: factor 0 up to the counted MWh, in line order; the rest at grid.
Status AddCertificateBacked(const ElectricityFlow& flow, Decimal mwh, Decimal& counted_left,
                            bool verified, const FactorSet& factors, std::vector<LineItem>& lines) {
  const EmissionFactor& grid = Required(factors, FactorKind::kElectricity, "grid");
  const EmissionFactor& zero = Required(factors, FactorKind::kElectricity, "non_fossil");
  Decimal covered = std::min(mwh, counted_left);
  counted_left = *counted_left.Sub(covered);
  Decimal uncovered = *mwh.Sub(covered);
  std::string kind(ElectricityKindName(flow.kind));
  if (!covered.IsZero() || uncovered.IsZero()) {
    std::string detail = kind + (verified ? " import, covered by claimed GECs"
                                          : " import, as declared (GEC claims not verified)");
    CL_RETURN_IF_ERROR(
        AddElectricityLine(zero, detail, {covered, "MWh"}, covered, false, flow.path, lines));
  }
  if (!uncovered.IsZero()) {
    CL_RETURN_IF_ERROR(AddElectricityLine(grid, kind + " import, not covered by GEC claims",
                                          {uncovered, "MWh"}, uncovered, false, flow.path, lines));
  }
  return Status::OK();
}

Status AddElectricity(const Inventory& inv, const FactorSet& factors,
                      const GreenPowerAttribution& attribution, std::vector<LineItem>& lines) {
  const EmissionFactor& grid = Required(factors, FactorKind::kElectricity, "grid");
  const EmissionFactor& zero = Required(factors, FactorKind::kElectricity, "non_fossil");
  Decimal counted_left = attribution.counted_mwh;
  for (const ElectricityFlow& flow : inv.electricity_imports) {
    CL_ASSIGN_OR_RETURN(Decimal mwh, ElectricityMwh(flow));
    std::string kind(ElectricityKindName(flow.kind));
    if (flow.kind == ElectricityKind::kCertificateBacked) {
      CL_RETURN_IF_ERROR(
          AddCertificateBacked(flow, mwh, counted_left, attribution.verified, factors, lines));
      continue;
    }
    const EmissionFactor& f = flow.kind == ElectricityKind::kGrid ? grid : zero;
    CL_RETURN_IF_ERROR(
        AddElectricityLine(f, kind + " import", flow.quantity, mwh, false, flow.path, lines));
  }
  for (const ElectricityFlow& flow : inv.electricity_exports) {
    CL_ASSIGN_OR_RETURN(Decimal mwh, ElectricityMwh(flow));
    const EmissionFactor& f = flow.kind == ElectricityKind::kGrid ? grid : zero;
    std::string kind(ElectricityKindName(flow.kind));
    CL_RETURN_IF_ERROR(
        AddElectricityLine(f, kind + " export", flow.quantity, mwh, true, flow.path, lines));
  }
  return Status::OK();
}

Status AddHeat(const Inventory& inv, const FactorSet& factors, std::vector<LineItem>& lines) {
  for (bool exported : {false, true}) {
    for (const HeatFlow& flow : exported ? inv.heat_exports : inv.heat_imports) {
      const char* id = flow.kind == SourceKind::kFossil ? "fossil" : "non_fossil";
      const EmissionFactor& f = Required(factors, FactorKind::kHeat, id);
      CL_ASSIGN_OR_RETURN(Decimal gj, ToFactorUnit(flow.quantity, f, flow.path));
      LineItem line = MakeLine(Term::kHeat, f, std::string(id) + (exported ? " export" : " import"),
                               flow.quantity, gj, flow.path);
      CL_ASSIGN_OR_RETURN(ChosenFactor c, StatedFactor(f, flow.measured, flow.path));
      CL_RETURN_IF_ERROR(Price(line, c, exported));
      lines.push_back(std::move(line));
    }
  }
  return Status::OK();
}

Status AddProcess(const Inventory& inv, const FactorSet& factors, std::vector<LineItem>& lines) {
  for (const ProcessOutput& p : inv.process_output) {
    const EmissionFactor* f = factors.Find(FactorKind::kProcess, p.product);
    if (f == nullptr) {
      return PathError("unknown_product", p.path + ".product",
                       "\"" + p.product + "\" is not a process product of factor set " +
                           factors.version() + " (docs/factors.md lists them)");
    }
    CL_ASSIGN_OR_RETURN(Decimal activity, ToFactorUnit(p.quantity, *f, p.path));
    LineItem line = MakeLine(Term::kProcess, *f, "output", p.quantity, activity, p.path);
    CL_ASSIGN_OR_RETURN(ChosenFactor c, StatedFactor(*f, p.measured, p.path));
    CL_RETURN_IF_ERROR(Price(line, c, false));
    lines.push_back(std::move(line));
  }
  return Status::OK();
}

std::string EvidenceText(const Evidence& e) {
  return "evidence sha256 " + e.document_sha256 + ", measured by " + e.measured_by;
}

// 碳质量平衡法: (carbon in − carbon out) × 44/12, rounded once to 1 kg.
Status AddMassBalance(const Inventory& inv, std::vector<LineItem>& lines) {
  for (const MassBalance& m : inv.process_mass_balance) {
    LineItem line;
    line.term = Term::kProcess;
    line.item = m.product;
    line.name_zh = m.name;
    line.detail = "mass balance";
    line.quantity = *m.carbon_in_t.Sub(m.carbon_out_t);  // 0 <= carbon_out_t <= carbon_in_t
    line.unit = "tC";
    line.activity = line.quantity;
    line.activity_unit = "tC";
    line.factor = *Decimal::ProductRounded({Decimal::FromInt(1)}, 44, 12, 9);
    line.factor_unit = "tCO2/tC";
    line.factor_basis = "mass balance";
    line.factor_source = "inventory (" + EvidenceText(m.evidence) + ")";
    line.path = m.path;
    auto e = Decimal::ProductRounded({line.activity}, 44, 12, kEmissionDigits);
    if (!e.ok()) return PathError("too_large", m.path, e.status().message());
    CL_RETURN_IF_ERROR(CheckLimit(*e, "emissions (t)", m.path));
    line.emissions_t = *e;
    lines.push_back(std::move(line));
  }
  return Status::OK();
}

// Sums of lines: exact and in range because every line is within kLineLimit.
Decimal Plus(Decimal a, Decimal b) { return *a.Add(b); }

EmissionTotals Totals(const std::vector<LineItem>& lines) {
  EmissionTotals t;
  for (const LineItem& l : lines) {
    Decimal* slot = l.term == Term::kFuel          ? &t.fuel
                    : l.term == Term::kConversion  ? &t.conversion
                    : l.term == Term::kElectricity ? &t.electricity
                    : l.term == Term::kHeat        ? &t.heat
                                                   : &t.process;
    *slot = Plus(*slot, l.emissions_t);
  }
  t.indirect = Plus(t.electricity, t.heat);
  t.energy = Plus(Plus(t.fuel, t.conversion), t.indirect);
  t.park = Plus(t.energy, t.process);
  return t;
}

// Gross electricity: every imported MWh at the grid factor, exports as accounted.
Result<Decimal> GrossElectricity(const Inventory& inv, const std::vector<LineItem>& lines,
                                 Decimal grid_factor) {
  Decimal total;
  for (const ElectricityFlow& flow : inv.electricity_imports) {
    CL_ASSIGN_OR_RETURN(Decimal mwh, ElectricityMwh(flow));
    CL_ASSIGN_OR_RETURN(Decimal e, Emissions(mwh, grid_factor));
    total = Plus(total, e);
  }
  for (const LineItem& l : lines) {
    if (l.term == Term::kElectricity && l.emissions_t.IsNegative())
      total = Plus(total, l.emissions_t);
  }
  return total;
}

Result<ElectricityBalance> Balance(const Inventory& inv, const GreenPowerAttribution& a) {
  ElectricityBalance b;
  for (const ElectricityFlow& flow : inv.electricity_imports) {
    CL_ASSIGN_OR_RETURN(Decimal mwh, ElectricityMwh(flow));
    Decimal& slot = flow.kind == ElectricityKind::kGrid              ? b.grid_import
                    : flow.kind == ElectricityKind::kDirectNonFossil ? b.direct_non_fossil_import
                                                                     : b.certificate_backed_import;
    slot = Plus(slot, mwh);
  }
  for (const ElectricityFlow& flow : inv.electricity_exports) {
    CL_ASSIGN_OR_RETURN(Decimal mwh, ElectricityMwh(flow));
    Decimal& slot = flow.kind == ElectricityKind::kGrid ? b.grid_export : b.non_fossil_export;
    slot = Plus(slot, mwh);
  }
  for (const Generation& g : inv.onsite_generation) {
    auto mwh = ConvertUnit(g.quantity.value, g.quantity.unit, "MWh");
    if (!mwh.ok()) return PathError("unit_mismatch", g.path + ".unit", mwh.status().message());
    CL_RETURN_IF_ERROR(CheckLimit(*mwh, "on-site generation (MWh)", g.path));
    Decimal& slot = g.kind == SourceKind::kFossil ? b.onsite_fossil : b.onsite_non_fossil;
    slot = Plus(slot, *mwh);
  }
  Decimal imports =
      Plus(Plus(b.grid_import, b.direct_non_fossil_import), b.certificate_backed_import);
  Decimal onsite = Plus(b.onsite_fossil, b.onsite_non_fossil);
  Decimal exports = Plus(b.grid_export, b.non_fossil_export);
  b.consumption = *Plus(imports, onsite).Sub(exports);
  b.direct_supply = std::max(
      Decimal(), *Plus(b.direct_non_fossil_import, b.onsite_non_fossil).Sub(b.non_fossil_export));
  b.green = Plus(b.direct_supply, a.counted_mwh);
  return b;
}

const Decimal kGjPerMwh = Decimal::FromUnits(3'600'000'000);  // 3.6

// Coal use, total and renewable energy (calorific equivalent), docs/accounting.md §Energy use.
EnergyUse Energy(const Inventory& inv, const std::vector<LineItem>& lines,
                 const ElectricityBalance& b) {
  EnergyUse e;
  Decimal coal, fuels;
  for (const LineItem& l : lines) {
    if (l.term != Term::kFuel && l.term != Term::kConversion) continue;
    if (!l.energy_gj) {
      e.not_computable = l.item + " at " + l.path + " has no NCV";
      return e;
    }
    if (l.group == "coal") coal = Plus(coal, *l.energy_gj);
    if (l.detail != ActivityName(Activity::kFeedstock)) fuels = Plus(fuels, *l.energy_gj);
  }
  Decimal heat_net, green_heat_net;
  for (bool exported : {false, true}) {
    for (const HeatFlow& h : exported ? inv.heat_exports : inv.heat_imports) {
      Decimal gj = *ConvertUnit(h.quantity.value, h.quantity.unit, "GJ");  // checked in AddHeat
      if (exported) gj = Decimal::FromUnits(-gj.units());
      heat_net = Plus(heat_net, gj);
      if (h.kind == SourceKind::kNonFossil) green_heat_net = Plus(green_heat_net, gj);
    }
  }
  Decimal power = *Plus(b.consumption, Decimal::FromUnits(-b.onsite_fossil.units())).Mul(kGjPerMwh);
  e.coal_gj = coal;
  e.total_gj = Plus(Plus(fuels, power), heat_net);
  e.renewable_gj = Plus(*b.green.Mul(kGjPerMwh), green_heat_net);
  return e;
}

// Net imported heat in GJ, all and non-fossil (units checked in AddHeat).
std::pair<Decimal, Decimal> NetHeatGj(const Inventory& inv) {
  Decimal all, non_fossil;
  for (bool exported : {false, true}) {
    for (const HeatFlow& h : exported ? inv.heat_exports : inv.heat_imports) {
      Decimal gj = *ConvertUnit(h.quantity.value, h.quantity.unit, "GJ");
      if (exported) gj = Decimal::FromUnits(-gj.units());
      all = Plus(all, gj);
      if (h.kind == SourceKind::kNonFossil) non_fossil = Plus(non_fossil, gj);
    }
  }
  return {all, non_fossil};
}

// 综合能源消费量 and its parts in tce (docs/accounting.md §Energy in tce): electricity and heat
// at the 当量值; each carrier's figure is one product rounded once to 1 kgce.
void AddTce(const Inventory& inv, const std::vector<LineItem>& lines, const ElectricityBalance& b,
            const EnergyCoefficients& k, EnergyUse& e) {
  e.coefficients_version = k.version();
  e.coefficients_sha256 = k.sha256_hex();
  Decimal fuels, feedstock, gas;
  for (const LineItem& l : lines) {
    if (l.term != Term::kFuel && l.term != Term::kConversion) continue;
    if (!l.energy_tce) {
      e.tce_not_computable = l.item + " at " + l.path + " has no 折标准煤系数 and no NCV";
      return;
    }
    if (l.detail == ActivityName(Activity::kFeedstock)) {
      feedstock = Plus(feedstock, *l.energy_tce);
      continue;
    }
    fuels = Plus(fuels, *l.energy_tce);
    if (l.term == Term::kFuel && l.group == "gas") gas = Plus(gas, *l.energy_tce);
  }
  auto [heat_gj, green_heat_gj] = NetHeatGj(inv);
  auto rounded = [](Decimal q, Decimal coefficient) {
    return *Decimal::ProductRounded({q, coefficient}, 1, 1, kTceDigits);  // within kLineLimit
  };
  Decimal power_mwh = *b.consumption.Sub(b.onsite_fossil);
  Decimal power = rounded(power_mwh, k.electricity_tce_per_mwh());
  Decimal heat = rounded(heat_gj, k.heat_tce_per_gj());
  e.total_tce = Plus(Plus(fuels, power), heat);
  e.feedstock_tce = feedstock;
  e.natural_gas_tce = gas;
  e.non_fossil_tce = Plus(rounded(b.green, k.electricity_tce_per_mwh()),
                          rounded(green_heat_gj, k.heat_tce_per_gj()));
}

// kV2 (issue 15 fix 2): electricity exported as `grid` is deducted at the grid factor, so it
// must be power that could have come from the grid or on-site fossil generation. Refused naming
// the export line at which the running total passes grid imports + on-site fossil generation.
Status CheckGridExports(const Inventory& inv) {
  Decimal bound;
  for (const ElectricityFlow& flow : inv.electricity_imports) {
    if (flow.kind != ElectricityKind::kGrid) continue;
    CL_ASSIGN_OR_RETURN(Decimal mwh, ElectricityMwh(flow));
    bound = Plus(bound, mwh);
  }
  for (const Generation& g : inv.onsite_generation) {
    if (g.kind != SourceKind::kFossil) continue;
    auto mwh = ConvertUnit(g.quantity.value, g.quantity.unit, "MWh");
    if (!mwh.ok()) return PathError("unit_mismatch", g.path + ".unit", mwh.status().message());
    CL_RETURN_IF_ERROR(CheckLimit(*mwh, "on-site generation (MWh)", g.path));
    bound = Plus(bound, *mwh);
  }
  Decimal exported;
  for (const ElectricityFlow& flow : inv.electricity_exports) {
    if (flow.kind != ElectricityKind::kGrid) continue;
    CL_ASSIGN_OR_RETURN(Decimal mwh, ElectricityMwh(flow));
    CL_RETURN_IF_ERROR(CheckLimit(mwh, "export (MWh)", flow.path));
    exported = Plus(exported, mwh);
    if (exported > bound) {
      return Status::InvalidArgument(
          "inventory.grid_export_exceeds_supply",
          flow.path + ": grid exports reach " + exported.ToString() +
              " MWh, more than grid imports + on-site fossil generation (" + bound.ToString() +
              " MWh); export on-site non-fossil power as kind direct_non_fossil");
    }
  }
  return Status::OK();
}

// kV2: no share above 100 % — the green parts are bounded by consumption (and 0 without any).
void BoundShares(ElectricityBalance& b) {
  Decimal whole = std::max(Decimal(), b.consumption);
  b.direct_supply = std::min(b.direct_supply, whole);
  b.green = std::min(b.green, whole);
}

Status CheckFacts(const Inventory& inv, const LedgerFacts* facts) {
  if (facts == nullptr) return Status::OK();
  if (facts->park_id != inv.park_id) {
    return Status::InvalidArgument("facts.park_mismatch",
                                   "ledger facts are for park \"" + facts->park_id +
                                       "\", the inventory for \"" + inv.park_id + "\"");
  }
  if (facts->year != inv.year) {
    return Status::InvalidArgument("facts.year_mismatch",
                                   "ledger facts are for " + std::to_string(facts->year) +
                                       ", the inventory for " + std::to_string(inv.year));
  }
  return Status::OK();
}

Result<Decimal> DeclaredCertificateMwh(const Inventory& inv) {
  Decimal total;
  for (const ElectricityFlow& flow : inv.electricity_imports) {
    if (flow.kind != ElectricityKind::kCertificateBacked) continue;
    CL_ASSIGN_OR_RETURN(Decimal mwh, ElectricityMwh(flow));
    total = Plus(total, mwh);
  }
  return total;
}

// InventoryResult as JSON (docs/accounting.md §Result JSON).

using Json = nlohmann::json;

std::string Mwh(Decimal d) { return d.ToString(); }

Json LineJson(const LineItem& l) {
  Json j = {{"term", TermName(l.term)},
            {"item", l.item},
            {"name_zh", l.name_zh},
            {"detail", l.detail},
            {"quantity", l.quantity.ToString()},
            {"unit", l.unit},
            {"activity", l.activity.ToString()},
            {"activity_unit", l.activity_unit},
            {"factor", l.factor.ToString()},
            {"factor_unit", l.factor_unit},
            {"factor_basis", l.factor_basis},
            {"factor_source", l.factor_source},
            {"emissions_t", FormatTonnes(l.emissions_t)},
            {"path", l.path}};
  if (l.international_aviation) j["international_aviation"] = true;
  if (l.energy_tce) {
    j["energy_tce"] = l.energy_tce->ToFixed(3);
    j["energy_tce_source"] = l.energy_tce_source;
  }
  return j;
}

Json ElectricityJson(const ElectricityBalance& b) {
  return {{"grid_import_mwh", Mwh(b.grid_import)},
          {"direct_non_fossil_import_mwh", Mwh(b.direct_non_fossil_import)},
          {"certificate_backed_import_mwh", Mwh(b.certificate_backed_import)},
          {"grid_export_mwh", Mwh(b.grid_export)},
          {"non_fossil_export_mwh", Mwh(b.non_fossil_export)},
          {"onsite_fossil_mwh", Mwh(b.onsite_fossil)},
          {"onsite_non_fossil_mwh", Mwh(b.onsite_non_fossil)},
          {"consumption_mwh", Mwh(b.consumption)},
          {"direct_supply_mwh", Mwh(b.direct_supply)},
          {"green_mwh", Mwh(b.green)},
          {"direct_supply_share_percent", b.direct_supply_share().Percent()},
          {"direct_supply_guideline_percent", std::to_string(kDirectSupplyGuidelinePercent)},
          {"direct_supply_guideline_met",
           b.direct_supply_share().AtLeastPercent(Decimal::FromInt(kDirectSupplyGuidelinePercent))},
          {"green_share_percent", b.green_share().Percent()}};
}

Json AttributionJson(const GreenPowerAttribution& a) {
  Json blocks = Json::array();
  for (const GecBlock& b : a.blocks) blocks.push_back(BlockJson(b));
  return {{"verified", a.verified},
          {"declared_mwh", Mwh(a.declared_mwh)},
          {"claimed_mwh", Mwh(a.claimed_mwh)},
          {"counted_mwh", Mwh(a.counted_mwh)},
          {"uncovered_mwh", Mwh(a.uncovered_mwh)},
          {"surplus_mwh", Mwh(a.surplus_mwh)},
          {"blocks", blocks},
          {"findings", ReasonsJson(a.findings)}};
}

Json OptionalDecimal(const std::optional<Decimal>& d) {
  return d ? Json(d->ToFixed(3)) : Json(nullptr);
}

// 10^4 tce with 7 decimals: a 3-decimal figure divided by 10^4, exact.
Json OptionalTenThousand(const std::optional<Decimal>& d) {
  return d ? Json(Decimal::FromUnits(d->units() / 10000).ToFixed(7)) : Json(nullptr);
}

}  // namespace

int MethodVersionNumber(MethodVersion method) { return static_cast<int>(method); }

std::string_view TermName(Term term) {
  switch (term) {
    case Term::kFuel:
      return "fuel";
    case Term::kConversion:
      return "conversion";
    case Term::kElectricity:
      return "electricity";
    case Term::kHeat:
      return "heat";
    case Term::kProcess:
      return "process";
  }
  return "";
}

bool Share::AtLeastPercent(Decimal percent) const {
  if (!defined()) return false;
  // part × 100 >= percent × whole, exactly on the unit counts (both sides scaled by 1e18).
  return part.units() * Int128(100) * Decimal::kOne >= percent.units() * whole.units();
}

std::string Share::Percent(int digits) const {
  if (!defined()) return "n/a";
  auto p = Decimal::ProductRounded({part}, Int128(100) * Decimal::kOne, whole.units(), digits);
  return p.ok() ? p->ToFixed(digits) : "n/a";
}

Share EnergyUse::non_fossil_share() const {
  if (!total_tce || !non_fossil_tce) return {};
  return {*non_fossil_tce, *total_tce};
}

Share EnergyUse::clean_share() const {
  if (!total_tce || !non_fossil_tce || !natural_gas_tce) return {};
  return {Plus(*non_fossil_tce, *natural_gas_tce), *total_tce};
}

Result<InventoryResult> ComputeInventory(const Inventory& inv, const FactorSet& factors,
                                         const LedgerFacts* facts, MethodVersion method,
                                         const EnergyCoefficients* coefficients) {
  CL_RETURN_IF_ERROR(CheckFacts(inv, facts));
  if (method == MethodVersion::kV2) CL_RETURN_IF_ERROR(CheckGridExports(inv));
  InventoryResult r;
  r.method = method;
  r.park_id = inv.park_id;
  r.year = inv.year;
  r.factor_version = factors.version();
  r.factor_sha256 = factors.sha256_hex();
  r.inventory_sha256 = inv.content_sha256;
  r.grid_factor = *Required(factors, FactorKind::kElectricity, "grid").ef;
  CL_ASSIGN_OR_RETURN(Decimal declared, DeclaredCertificateMwh(inv));
  CL_ASSIGN_OR_RETURN(
      r.attribution, AttributeGreenPower(inv.year, declared, facts ? &facts->gec_claims : nullptr));
  const EnergyCoefficients& k = coefficients ? *coefficients : EnergyCoefficients::Default();
  CL_RETURN_IF_ERROR(AddFuelUse(inv, factors, k, method, r.lines));
  CL_RETURN_IF_ERROR(AddConversion(inv, factors, k, method, r.lines));
  CL_RETURN_IF_ERROR(AddElectricity(inv, factors, r.attribution, r.lines));
  CL_RETURN_IF_ERROR(AddHeat(inv, factors, r.lines));
  CL_RETURN_IF_ERROR(AddProcess(inv, factors, r.lines));
  CL_RETURN_IF_ERROR(AddMassBalance(inv, r.lines));
  r.accounted = Totals(r.lines);
  r.gross = r.accounted;
  CL_ASSIGN_OR_RETURN(r.gross.electricity, GrossElectricity(inv, r.lines, r.grid_factor));
  r.gross.indirect = Plus(r.gross.electricity, r.gross.heat);
  r.gross.energy = Plus(Plus(r.gross.fuel, r.gross.conversion), r.gross.indirect);
  r.gross.park = Plus(r.gross.energy, r.gross.process);
  for (const LineItem& l : r.lines) {
    if (l.international_aviation)
      r.international_aviation_t = Plus(r.international_aviation_t, l.emissions_t);
  }
  CL_ASSIGN_OR_RETURN(r.electricity, Balance(inv, r.attribution));
  if (method == MethodVersion::kV2) BoundShares(r.electricity);
  r.energy = Energy(inv, r.lines, r.electricity);
  AddTce(inv, r.lines, r.electricity, k, r.energy);
  return r;
}

PreviousYear PreviousYearOf(const InventoryResult& result) {
  return PreviousYear{result.year, result.accounted.park, result.energy.coal_gj};
}

std::string FormatTonnes(Decimal t) { return t.ToFixed(kEmissionDigits); }

std::string FormatTenThousandTonnes(Decimal t) {
  // Dividing a 3-decimal figure by 10^4 is exact at 7 decimals.
  return Decimal::FromUnits(t.units() / 10000).ToFixed(kEmissionDigits + 4);
}

Json InventoryResultToJson(const InventoryResult& r) {
  Json lines = Json::array();
  for (const LineItem& l : r.lines) lines.push_back(LineJson(l));
  return {
      {"format", "carbonledger.inventory-result/1"},
      {"park", r.park_id},
      {"year", r.year},
      {"factor_set", {{"version", r.factor_version}, {"sha256", r.factor_sha256}}},
      {"inventory_sha256", HexEncode(AsBytes(r.inventory_sha256))},
      {"grid_factor_t_per_mwh", r.grid_factor.ToString()},
      {"lines", lines},
      {"accounted", TotalsJson(r.accounted)},
      {"gross", TotalsJson(r.gross)},
      {"international_aviation_t", FormatTonnes(r.international_aviation_t)},
      {"electricity", ElectricityJson(r.electricity)},
      {"green_power_attribution", AttributionJson(r.attribution)},
      {"energy_use",
       {{"coal_gj", OptionalDecimal(r.energy.coal_gj)},
        {"total_gj", OptionalDecimal(r.energy.total_gj)},
        {"renewable_gj", OptionalDecimal(r.energy.renewable_gj)},
        {"not_computable", r.energy.not_computable},
        {"total_tce", OptionalDecimal(r.energy.total_tce)},
        {"total_10k_tce", OptionalTenThousand(r.energy.total_tce)},
        {"feedstock_tce", OptionalDecimal(r.energy.feedstock_tce)},
        {"non_fossil_tce", OptionalDecimal(r.energy.non_fossil_tce)},
        {"natural_gas_tce", OptionalDecimal(r.energy.natural_gas_tce)},
        {"non_fossil_share_percent", r.energy.non_fossil_share().Percent()},
        {"clean_share_percent", r.energy.clean_share().Percent()},
        {"tce_not_computable", r.energy.tce_not_computable},
        {"coefficients",
         {{"version", r.energy.coefficients_version}, {"sha256", r.energy.coefficients_sha256}}}}}};
}

}  // namespace carbonledger::accounting
