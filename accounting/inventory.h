// Inventory: one park's activity data for one natural year, as submitted (the input of the
// 零碳园区碳排放核算方法（试行）, 发改环资〔2025〕910号 附件4). The JSON format is in
// docs/inventory-format.md, its schema in docs/inventory.schema.json.
//
// Invariant: a parsed Inventory is structurally valid — known members only, every quantity a
// non-negative decimal with a unit the engine knows, park and year present — and remembers the
// JSON path of every line, so that an error found later against the factor set (an unknown fuel,
// a unit of the wrong dimension) still names the field.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounting/decimal.h"
#include "crypto/sha256.h"
#include "crypto/status.h"

namespace carbonledger::accounting {

// 能源活动类型: how a fossil fuel was used. Feedstock (用作原料、材料) is not combustion.
enum class Activity {
  kFinalConsumption,  // 终端消费 (not as feedstock)
  kThermalPower,      // 火力发电
  kHeatSupply,        // 供热
  kRefining,          // 炼油及煤制油 (fuel burned in refining and coal-to-liquids)
  kGasMaking,         // 制气 (fuel burned in gas making)
  kRecoveredEnergy,   // 回收能
  kFeedstock,         // 用作原料、材料: reported, 0 emissions
};
std::string_view ActivityName(Activity activity);  // "final_consumption" …

// 能源加工转换: a transformation whose carbon loss is E_conversion.
enum class ConversionProcess { kRefining, kGasMaking, kCoking };
std::string_view ConversionProcessName(ConversionProcess process);

enum class ElectricityKind {
  kGrid,               // 公共电网 (at the national fossil-power factor)
  kDirectNonFossil,    // 直接供应的非化石能源电力 (factor 0)
  kCertificateBacked,  // 绿证绿电交易获取的可再生能源电力: 0 only up to claimed GECs
};
std::string_view ElectricityKindName(ElectricityKind kind);

enum class SourceKind { kFossil, kNonFossil };  // heat and on-site generation
std::string_view SourceKindName(SourceKind kind);

struct Quantity {
  Decimal value;     // >= 0, as written
  std::string unit;  // as written: "t", "10^4 Nm3", "MWh" …
};

// Who measured a figure and the document that records it (a 化验 report, a metering record): the
// inventory carries the document's SHA-256, the document stays with the park and its certifier.
struct Evidence {
  std::string document_sha256;  // 64 lowercase hex digits
  std::string measured_by;      // the laboratory or body that measured
};

// A measured factor from the park's own records (化验、实测值) overriding the default. Fuels may
// give any of NCV / carbon content / oxidation rate (the rest stay default) or a whole EF.
struct MeasuredFactor {
  std::optional<Decimal> ncv;             // GJ per unit; its unit string is kept in ncv_unit
  std::string ncv_unit;                   // "GJ/t", "GJ/10^4 Nm3"
  std::optional<Decimal> carbon_content;  // tC/GJ
  std::optional<Decimal> oxidation_rate;  // fraction
  std::optional<Decimal> ef;              // tCO2 per unit
  std::string ef_unit;                    // "tCO2/t", "tCO2/GJ" …
  std::optional<Evidence> evidence;       // optional: who measured, and the record's hash
  bool any() const { return ncv || carbon_content || oxidation_rate || ef; }
};

struct FuelUse {
  std::string fuel;  // a fuel id of the factor set
  Activity activity = Activity::kFinalConsumption;
  Quantity quantity;
  bool international_aviation = false;  // 国际航空航天 (aviation and space): listed separately
  MeasuredFactor measured;
  std::string path;  // "$.fuel_use[3]"
};

struct ConversionFlow {
  std::string fuel;
  Quantity quantity;
  MeasuredFactor measured;
  std::string path;
};

struct Conversion {
  ConversionProcess process = ConversionProcess::kRefining;
  std::vector<ConversionFlow> inputs;
  std::vector<ConversionFlow> outputs;
  std::string path;
};

struct ElectricityFlow {
  ElectricityKind kind = ElectricityKind::kGrid;
  Quantity quantity;
  std::string path;
};

struct Generation {  // on-site generation: shares only, its fuel is already in E_fuel
  SourceKind kind = SourceKind::kNonFossil;
  Quantity quantity;
  std::string path;
};

struct HeatFlow {
  SourceKind kind = SourceKind::kFossil;
  Quantity quantity;
  MeasuredFactor measured;  // fossil heat only: ef in tCO2/GJ
  std::string path;
};

struct ProcessOutput {
  std::string product;  // a process id of the factor set
  Quantity quantity;
  MeasuredFactor measured;  // ef only
  std::string path;
};

// 其他碳排放量较大的工业产品 accounted by carbon mass balance: (carbon in − carbon out) × 44/12.
// Any product id; the line must name its evidence.
struct MassBalance {
  std::string product;   // an id of the park's choosing: "soda_ash"
  std::string name;      // free text, shown with the line
  Decimal carbon_in_t;   // carbon entering the process, t C
  Decimal carbon_out_t;  // carbon leaving in products and wastes, t C (<= carbon_in_t)
  Evidence evidence;
  std::string path;
};

struct Baseline {  // a stated baseline year's emissions, for profiles capped on a baseline
  int year = 0;
  Decimal emissions_t;
};

// 园区企业产出产品单位能耗: one product's energy use per unit against its national
// energy-consumption-limit standard (单位产品能源消耗限额, levels 1 best .. 3 the limit).
struct ProductEnergy {
  std::string product;           // free text: "cement clinker"
  std::string standard;          // "GB 16780-2021"
  int level = 0;                 // the level attained, 1..3
  std::optional<Decimal> value;  // the unit consumption, documentary
  std::string unit;              // its unit as written: "kgce/t"
  std::string path;              // "$.indicators.product_energy[0]"
};

// The indicators the ledger cannot compute, stated and signed by the park with its inventory
// (docs/inventory-format.md §`indicators`): percentages within 0..100.
struct ParkIndicators {
  std::optional<Decimal> solid_waste_utilisation_percent;  // 工业固体废物综合利用率
  std::optional<Decimal> waste_heat_utilisation_percent;   // 余热/余冷/余压综合利用率
  std::optional<Decimal> water_reuse_percent;              // 工业用水重复利用率
  std::vector<ProductEnergy> product_energy;               // 园区企业产出产品单位能耗
};

struct Inventory {
  std::string park_id;
  std::string park_name;
  int year = 0;
  std::vector<FuelUse> fuel_use;
  std::vector<Conversion> conversion;
  std::vector<ElectricityFlow> electricity_imports;
  std::vector<ElectricityFlow> electricity_exports;
  std::vector<Generation> onsite_generation;
  std::vector<HeatFlow> heat_imports;
  std::vector<HeatFlow> heat_exports;
  std::vector<ProcessOutput> process_output;
  std::vector<MassBalance> process_mass_balance;
  std::optional<Decimal> industrial_value_added;  // 工业增加值, 10^4 CNY
  ParkIndicators indicators;
  std::optional<Baseline> baseline;
  // SHA-256 of the document's RFC 8785 canonical form (crypto/canonical_json.h): the same for
  // any formatting of the same content.
  Hash content_sha256{};
};

// Parses and validates an inventory document. Errors are "inventory.*" (missing_field,
// unknown_field, type, negative, bad_decimal, unknown_unit, bad_value …) or "json.*", each with
// the JSON path in the message.
Result<Inventory> ParseInventory(std::string_view json_text);

}  // namespace carbonledger::accounting
