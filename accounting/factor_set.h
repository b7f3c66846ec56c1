// FactorSet: the default emission factors the inventory is computed with, as versioned data
// (docs/factors.md). A factor set is a JSON file: the built-in ones are compiled in from
// accounting/data/factors-<version>.json; a user may load another file of the same format.
//
// Invariant: a FactorSet is named exactly by (version, SHA-256 of the file's bytes), and every
// value in it carries its source. An item the method lists but no source gives a value for
// (coal gangue, ferronickel …) is present with has_default() false: the engine refuses it
// unless the inventory supplies a measured factor — no number is ever made up.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounting/decimal.h"
#include "crypto/sha256.h"
#include "crypto/status.h"

namespace carbonledger::accounting {

// Fractional digits a fuel's emission factor is rounded to (half to even) after
// EF = NCV × CC × OF × 44/12: the digits the published tables print (docs/accounting.md
// §Rounding).
inline constexpr int kFactorDigits = 4;

// EF = NCV × carbon content × oxidation rate × 44/12, computed exactly and rounded once to
// kFactorDigits. NCV in GJ per activity unit, carbon content in tC/GJ, oxidation a fraction;
// the result is tCO2 per activity unit.
Result<Decimal> FuelEmissionFactor(Decimal ncv, Decimal carbon_content, Decimal oxidation_rate);

enum class FactorKind { kFuel, kProcess, kElectricity, kHeat };

// One entry of a factor set: a fuel, a process product, an electricity or heat kind.
struct EmissionFactor {
  FactorKind kind = FactorKind::kFuel;
  std::string id;  // "anthracite", "cement_clinker", "grid", "fossil"
  std::string name_zh;
  std::string name_en;
  std::string group;  // fuels only: "coal", "oil" or "gas"
  std::string unit;   // the activity unit the factor is per: "t", "10^4 Nm3", "MWh", "GJ"
  // Fuels given by parameters (all three or none).
  std::optional<Decimal> ncv;             // GJ per unit
  std::optional<Decimal> carbon_content;  // tC/GJ
  std::optional<Decimal> oxidation_rate;  // fraction, 0 < OF <= 1
  // tCO2 per unit: computed by FuelEmissionFactor for parameterised fuels, else as stated.
  std::optional<Decimal> ef;
  std::string source;  // key into FactorSet::sources()
  int csv_row = 0;     // line of shared/data/emission_factors.csv the value was taken from
  std::string note;

  bool has_default() const { return ef.has_value(); }
  bool has_parameters() const { return ncv.has_value(); }
  // "t" -> "tCO2/t": how the factor's unit is written.
  std::string ef_unit() const { return "tCO2/" + unit; }
};

struct FactorSource {
  std::string id;
  std::string citation;
  std::string access;  // how the value was obtained (secondary copy, transcription …)
};

class FactorSet {
 public:
  // The built-in set that the method's defaults name (grid factor 0.8325).
  static constexpr std::string_view kDefaultVersion = "factors-2025";

  // Parses a factor file (format "carbonledger.factors/1"). Errors are "factors.*" with the
  // JSON path, e.g. "factors.published_ef_mismatch" when a stated cross-check EF disagrees.
  static Result<FactorSet> Parse(std::string_view file_bytes);
  // A built-in set by version ("factors-2025", "factors-2025-grid2023"); "factors.unknown_version".
  static Result<FactorSet> Embedded(std::string_view version);
  static std::vector<std::string> EmbeddedVersions();

  const std::string& version() const { return version_; }
  const std::string& title() const { return title_; }
  const Hash& sha256() const { return sha256_; }
  std::string sha256_hex() const;

  const EmissionFactor* Find(FactorKind kind, std::string_view id) const;
  const std::vector<EmissionFactor>& entries() const { return entries_; }
  const FactorSource* Source(std::string_view id) const;
  const std::vector<FactorSource>& sources() const { return sources_; }

 private:
  std::string version_;
  std::string title_;
  Hash sha256_{};
  std::vector<EmissionFactor> entries_;
  std::vector<FactorSource> sources_;
};

}  // namespace carbonledger::accounting
