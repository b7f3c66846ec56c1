// JSON pieces shared by the result writers (private): the totals, a GEC block and a list of
// reasons, each written the same wherever it appears (docs/accounting.md §Result JSON).
#include "accounting/internal/result_json.h"

namespace carbonledger::accounting {

using Json = nlohmann::json;

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

}  // namespace carbonledger::accounting
