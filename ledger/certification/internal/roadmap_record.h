// roadmap.record, signed by a park: its zero-carbon park construction targets (建设目标) — the
// base year and, per later year, a target for the national core indicator (单位能耗碳排放,
// tCO2/tce) and for the clean-energy share (%) — against which each year's evaluation shows
// progress (docs/certification.md §roadmap.record, docs/evaluations.md).
//
// Invariant: target years are strictly increasing and after the base year; every value is a
// decimal in range; the record holds the park's latest roadmap, and every version stays in the
// log.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "crypto/status.h"
#include "ledger/log/state.h"
#include "ledger/log/transaction.h"
#include "ledger/log/tx_types.h"

namespace carbonledger::certification {

struct RoadmapRecordBody {
  int64_t base_year = 0;
  nlohmann::json targets;  // [{"year", "co2_per_tce", "clean_energy_share"}], canonical
};

// "rm/<park>" -> {"seq","base_year","targets"}: the park's latest roadmap.
std::string RoadmapKey(std::string_view park);

// Refusals: "field.unknown", "field.missing", "year.invalid", "roadmap.years" (not after the base
// year, or not strictly increasing), "roadmap.value" (a value that is not a decimal string in
// range), "roadmap.too_many" (more than 50 targets).
Result<RoadmapRecordBody> ValidateRoadmapRecord(const Transaction& tx);
// Refusals: "ledger.format" (before format 4).
Status ApplyRoadmapRecord(const TxContext& ctx, const RoadmapRecordBody& body, StateTxn& state);
TxType RoadmapRecordType();

}  // namespace carbonledger::certification
