// Emissions: a park's CO2 inventory computed from its Inventory and a FactorSet by the national
// trial method (零碳园区碳排放核算方法（试行）, 发改环资〔2025〕910号 附件4; seed 003 ch.5 §四):
//
//   E_park = E_energy + E_process          E_energy = E_fuel + E_conversion + E_indirect
//   E_fuel = Σ consumption_ij × EF_ij       E_conversion = Σ input × EF − Σ output × EF (OF 100 %)
//   E_indirect = E_elec + E_heat            E_elec = Σ imported_k × EF_k − Σ exported_k × EF_k
//   E_heat = Σ heat_in × HF − Σ heat_out × HF      E_process = Σ output_p × EF_p
//
// Invariant: the result is a pure function of (inventory, factor set, GEC claims), exact to the
// last digit: every line is quantity × factor rounded once, half to even, to 3 decimals of a
// tonne, and every total is the exact sum of its rounded lines (docs/accounting.md §Rounding).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounting/attribution.h"
#include "accounting/decimal.h"
#include "accounting/energy_coefficients.h"
#include "accounting/factor_set.h"
#include "accounting/inventory.h"
#include "accounting/ledger_facts.h"
#include "crypto/status.h"

namespace carbonledger::accounting {

// The engine's rules by version (docs/accounting.md §Method versions). A statement's format
// names the version it was computed with, so a recorded statement recomputes byte for byte
// under the rules it was made with, and corrected rules apply only to what is computed anew.
enum class MethodVersion {
  kV1 = 1,  // statement /1: a factor formed from parameters is rounded to 4 decimals before use;
            // grid exports deducted at the grid factor whatever generated them
  kV2 = 2,  // statement /2: exact products (issue 15 fix 1), grid exports bounded by grid
            // imports + on-site fossil generation and shares by 100 % (fix 2), fully measured
            // lines cite the inventory alone (fix 8)
};
inline constexpr MethodVersion kLatestMethod = MethodVersion::kV2;
int MethodVersionNumber(MethodVersion method);  // 1, 2

// Fractional digits of a tonne every line's emissions are rounded to (1 kg).
inline constexpr int kEmissionDigits = 3;

enum class Term { kFuel, kConversion, kElectricity, kHeat, kProcess };
std::string_view TermName(Term term);  // "fuel", "conversion", "electricity", "heat", "process"

// One line of the breakdown: quantity × factor = emissions.
struct LineItem {
  Term term = Term::kFuel;
  std::string item;     // fuel or product id, or electricity / heat kind
  std::string name_zh;  // the official name of the item
  std::string detail;   // activity type, "input"/"output", "import"/"export" …
  Decimal quantity;     // as reported (split certificate lines: the MWh of the part)
  std::string unit;
  Decimal activity;  // the quantity in the factor's unit
  std::string activity_unit;
  Decimal factor;  // tCO2 per activity unit
  std::string factor_unit;
  std::string factor_basis;   // "default", "measured", "measured ncv", "feedstock" …
  std::string factor_source;  // "gbt32151.22-2024-c1, csv row 4" or "inventory"
  Decimal emissions_t;        // signed: outputs and exports are negative
  bool international_aviation = false;
  std::string group;                 // fuels: "coal", "oil", "gas"
  std::optional<Decimal> energy_gj;  // fuels with an NCV: activity × NCV, 3 decimals
  // Fuels: activity × 折标准煤系数 (or measured NCV / 29.3076), 3 decimals (docs/accounting.md
  // §Energy in tce); energy_tce_source says which.
  std::optional<Decimal> energy_tce;
  std::string energy_tce_source;
  std::string path;  // the inventory line, "$.fuel_use[0]"
};

struct EmissionTotals {  // tCO2
  Decimal fuel, conversion, electricity, heat, process;
  Decimal indirect;  // electricity + heat
  Decimal energy;    // fuel + conversion + indirect
  Decimal park;      // energy + process
};

// part / whole, compared and shown exactly.
struct Share {
  Decimal part;
  Decimal whole;
  bool defined() const { return whole > Decimal(); }
  // part / whole >= percent / 100, exactly (false when undefined).
  bool AtLeastPercent(Decimal percent) const;
  // 100 × part / whole rounded half to even to `digits` ("62.50"); "n/a" when undefined.
  std::string Percent(int digits = 2) const;
};

struct ElectricityBalance {  // MWh
  Decimal grid_import, direct_non_fossil_import, certificate_backed_import;
  Decimal grid_export, non_fossil_export;
  Decimal onsite_fossil, onsite_non_fossil;
  Decimal consumption;  // imports + on-site generation − exports
  // Direct non-fossil imports + on-site non-fossil generation − non-fossil exports, >= 0.
  Decimal direct_supply;
  Decimal green;  // direct_supply + certificate-backed counted at factor 0
  Share direct_supply_share() const { return {direct_supply, consumption}; }
  Share green_share() const { return {green, consumption}; }
};

// The 910 method's guideline: in principle at least 50 % of electricity directly supplied green.
inline constexpr long long kDirectSupplyGuidelinePercent = 50;

// Energy use on the calorific-equivalent basis (1 MWh = 3.6 GJ), for the evaluation indicators.
struct EnergyUse {
  std::optional<Decimal> coal_gj;   // coal-group fuel use, feedstock and conversion included
  std::optional<Decimal> total_gj;  // fuel (not feedstock) + conversion loss + net power + net heat
  std::optional<Decimal> renewable_gj;  // green electricity + net non-fossil heat
  std::string not_computable;           // why a figure is absent (a fuel without an NCV)
  // 综合能源消费量 in tce (docs/accounting.md §Energy in tce): fuels (feedstock excluded) +
  // conversion inputs − outputs + net electricity × 0.1229 + net heat × 0.03412 (当量值).
  std::optional<Decimal> total_tce;
  std::optional<Decimal> feedstock_tce;    // fuels used as feedstock, reported beside the total
  std::optional<Decimal> non_fossil_tce;   // green electricity + net non-fossil heat
  std::optional<Decimal> natural_gas_tce;  // gas-group fuels (natural gas, LNG), not feedstock
  std::string tce_not_computable;          // why the tce figures are absent
  std::string coefficients_version;        // "gbt2589-2020"
  std::string coefficients_sha256;
  Share non_fossil_share() const;  // non_fossil_tce / total_tce
  Share clean_share() const;       // (non_fossil_tce + natural_gas_tce) / total_tce
};

struct InventoryResult {
  MethodVersion method = MethodVersion::kV1;
  std::string park_id;
  int year = 0;
  std::string factor_version;
  std::string factor_sha256;  // hex
  Hash inventory_sha256{};
  std::vector<LineItem> lines;       // the accounted view, term by term in inventory order
  EmissionTotals accounted;          // the 910 result: green power attributed
  EmissionTotals gross;              // every imported MWh at the grid factor
  Decimal international_aviation_t;  // included in fuel, and reported separately
  Decimal grid_factor;               // tCO2/MWh of the factor set
  ElectricityBalance electricity;
  GreenPowerAttribution attribution;
  EnergyUse energy;
};

// Computes the inventory. With facts, certificate-backed electricity is attributed to
// facts->gec_claims (facts must name the inventory's park and year: "facts.park_mismatch",
// "facts.year_mismatch"); without, it counts as declared and attribution.verified is false.
// Errors name the inventory path: "inventory.unknown_fuel", "inventory.unknown_product",
// "inventory.unit_mismatch", "inventory.no_default_factor", "factors.no_parameters" …
// The tce figures use `coefficients` (EnergyCoefficients::Default() when null); they are not
// part of a statement, so a new coefficient set changes no recorded statement.
// `method` selects the rules (kV1 by default: what the ledger's recorded statements use until the
// ledger binds a newer version); errors of kV2 only: "inventory.grid_export_exceeds_supply".
Result<InventoryResult> ComputeInventory(const Inventory& inventory, const FactorSet& factors,
                                         const LedgerFacts* facts = nullptr,
                                         MethodVersion method = MethodVersion::kV1,
                                         const EnergyCoefficients* coefficients = nullptr);

// The figures next year's evaluation compares with.
PreviousYear PreviousYearOf(const InventoryResult& result);

// Tonnes with 3 decimals ("7719.000") and 10^4 t with 7 ("0.7719000"): exact, no rounding.
std::string FormatTonnes(Decimal t);
std::string FormatTenThousandTonnes(Decimal t);

// The result as JSON (docs/accounting.md §Result JSON): every number a decimal string.
nlohmann::json InventoryResultToJson(const InventoryResult& result);

}  // namespace carbonledger::accounting
