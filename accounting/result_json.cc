// InventoryResult as JSON (docs/accounting.md §Result JSON).
#include "accounting/emissions.h"
#include "accounting/json_writer.h"
#include "crypto/encoding.h"

namespace carbonledger::accounting {
namespace {

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

}  // namespace

Json TotalsJson(const EmissionTotals& t) {
  return {{"fuel_t", FormatTonnes(t.fuel)},
          {"conversion_t", FormatTonnes(t.conversion)},
          {"electricity_t", FormatTonnes(t.electricity)},
          {"heat_t", FormatTonnes(t.heat)},
          {"indirect_t", FormatTonnes(t.indirect)},
          {"energy_t", FormatTonnes(t.energy)},
          {"process_t", FormatTonnes(t.process)},
          {"park_t", FormatTonnes(t.park)},
          {"park_10kt", FormatTenThousandTonnes(t.park)}};
}

Json BlockJson(const GecBlock& b) {
  return {{"instrument", b.instrument},
          {"first_serial", b.first_serial},
          {"last_serial", b.last_serial},
          {"mwh", b.mwh},
          {"generator_id", b.generator_id},
          {"technology", b.technology},
          {"province", b.province},
          {"generation_month", b.generation_month},
          {"claim_entry_seq", b.claim_entry_seq}};
}

Json ReasonsJson(const std::vector<Reason>& reasons) {
  Json out = Json::array();
  for (const Reason& r : reasons) out.push_back({{"slug", r.slug}, {"message", r.message}});
  return out;
}

Json InventoryResultToJson(const InventoryResult& r) {
  Json lines = Json::array();
  for (const LineItem& l : r.lines) lines.push_back(LineJson(l));
  return {{"format", "carbonledger.inventory-result/1"},
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
            {"not_computable", r.energy.not_computable}}}};
}

}  // namespace carbonledger::accounting
