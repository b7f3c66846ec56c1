// EnergyCoefficients: the 折标准煤系数 that put a park's energy use in tonnes of standard coal
// equivalent (tce) for its comprehensive energy consumption (综合能源消费量, GB/T 2589-2020), as
// versioned data (accounting/data/energy-<version>.json, docs/accounting.md §Energy in tce).
//
// Invariant: like a FactorSet, a set of coefficients is named by (version, SHA-256 of its
// bytes) and every value carries its source; a fuel with no coefficient is listed with status
// "no_coefficient" and its lines are in tce only with a measured NCV — no value is made up.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounting/decimal.h"
#include "crypto/sha256.h"
#include "crypto/status.h"

namespace carbonledger::accounting {

// The standard coal's NCV: 1 kgce = 29 307.6 kJ (7 000 kcal), GB/T 2589-2020 §3.9.
inline constexpr std::string_view kStandardCoalGjPerTce = "29.3076";

// Fractional digits of a tce every line's energy is rounded to (1 kgce).
inline constexpr int kTceDigits = 3;

struct FuelCoefficient {
  std::string id;    // a fuel id of the factor set
  std::string unit;  // the activity unit the coefficient is per: "t", "10^4 Nm3"
  std::optional<Decimal> tce_per_unit;
  std::string source;  // key into EnergyCoefficients::sources()
  std::string note;
};

struct CoefficientSource {
  std::string id;
  std::string citation;
  std::string access;
};

class EnergyCoefficients {
 public:
  static constexpr std::string_view kDefaultVersion = "gbt2589-2020";

  // Parses a coefficient file (format "carbonledger.energy-coefficients/1"); errors
  // "energy.*" with the JSON path.
  static Result<EnergyCoefficients> Parse(std::string_view file_bytes);
  // A built-in set by version; "energy.unknown_version".
  static Result<EnergyCoefficients> Embedded(std::string_view version);
  // The built-in default, parsed once.
  static const EnergyCoefficients& Default();

  const std::string& version() const { return version_; }
  std::string sha256_hex() const;
  Decimal electricity_tce_per_mwh() const { return electricity_; }  // 当量值 0.1229
  Decimal heat_tce_per_gj() const { return heat_; }                 // 当量值 0.03412
  const FuelCoefficient* Find(std::string_view fuel) const;
  const CoefficientSource* Source(std::string_view id) const;

 private:
  std::string version_;
  Hash sha256_{};
  Decimal electricity_;
  Decimal heat_;
  std::vector<FuelCoefficient> fuels_;
  std::vector<CoefficientSource> sources_;
};

}  // namespace carbonledger::accounting
