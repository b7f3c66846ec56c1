#include "accounting/internal/units.h"

#include <array>

namespace carbonledger::accounting {
namespace {

struct UnitDef {
  std::string_view name;
  Dimension dimension;
  int exponent;        // the unit is multiplier × 10^exponent of the dimension's base unit
  int multiplier = 1;  // 1 but for tce: 1 tce = 293076 × 10^-4 GJ (GB/T 2589-2020 §3.9)
};

// Base units: t, Nm3, MWh, GJ.
constexpr std::array<UnitDef, 15> kUnits{{
    {"t", Dimension::kMass, 0},
    {"kt", Dimension::kMass, 3},
    {"10^4 t", Dimension::kMass, 4},
    {"Nm3", Dimension::kGasVolume, 0},
    {"10^4 Nm3", Dimension::kGasVolume, 4},
    {"10^8 Nm3", Dimension::kGasVolume, 8},
    {"kWh", Dimension::kElectricity, -3},
    {"10^4 kWh", Dimension::kElectricity, 1},
    {"MWh", Dimension::kElectricity, 0},
    {"GWh", Dimension::kElectricity, 3},
    {"MJ", Dimension::kHeat, -3},
    {"GJ", Dimension::kHeat, 0},
    {"TJ", Dimension::kHeat, 3},
    {"tce", Dimension::kHeat, -4, 293076},
    {"10^4 tce", Dimension::kHeat, 0, 293076},
}};

const UnitDef* Find(std::string_view unit) {
  for (const UnitDef& u : kUnits) {
    if (u.name == unit) return &u;
  }
  return nullptr;
}

Int128 PowerOfTen(int n) {
  Int128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

}  // namespace

bool IsKnownUnit(std::string_view unit) { return Find(unit) != nullptr; }

bool UnitHasDimension(std::string_view unit, Dimension dimension) {
  const UnitDef* u = Find(unit);
  return u != nullptr && u->dimension == dimension;
}

std::string UnitsOf(Dimension dimension) {
  std::string out;
  for (const UnitDef& u : kUnits) {
    if (u.dimension != dimension) continue;
    if (!out.empty()) out += ", ";
    out += u.name;
  }
  return out;
}

Result<Decimal> ConvertUnit(Decimal value, std::string_view from, std::string_view to) {
  const UnitDef* f = Find(from);
  const UnitDef* t = Find(to);
  if (f == nullptr || t == nullptr) {
    return Status::InvalidArgument(
        "unit.unknown", "unknown unit \"" + std::string(f == nullptr ? from : to) + "\"");
  }
  if (f->dimension != t->dimension) {
    return Status::InvalidArgument(
        "unit.incompatible", "cannot convert " + std::string(from) + " to " + std::string(to) +
                                 "; use one of " + UnitsOf(t->dimension));
  }
  int shift = f->exponent - t->exponent;
  Int128 units = value.units();
  if (f->multiplier != t->multiplier) {
    // Only into a plain unit (tce to GJ): |units| < 1.7e29, so units × 293076 stays in range.
    if (t->multiplier != 1) {
      return Status::InvalidArgument(
          "unit.incompatible", "cannot convert " + std::string(from) + " to " + std::string(to) +
                                   " exactly; give the quantity in " + std::string(from));
    }
    units *= f->multiplier;
  }
  if (units != value.units()) {
    if (shift >= 0)
      return Decimal::FromUnits(units).Mul(Decimal::FromUnits(PowerOfTen(shift) * Decimal::kOne));
    Int128 divisor = PowerOfTen(-shift);
    if (units % divisor != 0) {
      return Status::InvalidArgument("unit.precision", value.ToString() + " " + std::string(from) +
                                                           " in " + std::string(to) +
                                                           " needs more than 9 decimal places");
    }
    return Decimal::FromUnits(units / divisor);
  }
  // Multiplying by an integer power of ten is exact (Mul only rounds fractional products).
  if (shift >= 0) return value.Mul(Decimal::FromUnits(PowerOfTen(shift) * Decimal::kOne));
  Int128 divisor = PowerOfTen(-shift);
  if (value.units() % divisor != 0) {
    return Status::InvalidArgument("unit.precision", value.ToString() + " " + std::string(from) +
                                                         " in " + std::string(to) +
                                                         " needs more than 9 decimal places");
  }
  return Decimal::FromUnits(value.units() / divisor);
}

}  // namespace carbonledger::accounting
