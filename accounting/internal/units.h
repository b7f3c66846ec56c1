// Units: the activity units the engine converts between, by powers of ten only (t, kt, 10^4 t;
// Nm3, 10^4 Nm3, 10^8 Nm3; kWh, 10^4 kWh, MWh, GWh; MJ, GJ, TJ), and tce / 10^4 tce for heat at
// 29.3076 GJ/tce (GB/T 2589-2020 §3.9, into GJ-based units only). Private to cl_accounting;
// the list is documented in docs/inventory-format.md §Units.
//
// Invariant: a conversion is exact or refused. A unit outside the list, a conversion across
// dimensions (t to Nm3) or one that would need more than 9 fractional digits is an error, never
// a rounded number.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "accounting/decimal.h"
#include "crypto/status.h"

namespace carbonledger::accounting {

enum class Dimension { kMass, kGasVolume, kElectricity, kHeat };

// Whether `unit` is one the engine knows, and of which dimension.
bool IsKnownUnit(std::string_view unit);
bool UnitHasDimension(std::string_view unit, Dimension dimension);
// The units of one dimension, for error messages: "t, kt, 10^4 t".
std::string UnitsOf(Dimension dimension);

// `value` in `from` expressed in `to`. Errors: "unit.unknown", "unit.incompatible",
// "unit.precision" (the result needs more than 9 fractional digits), "decimal.overflow".
Result<Decimal> ConvertUnit(Decimal value, std::string_view from, std::string_view to);

}  // namespace carbonledger::accounting
