#include "ledger/certification/internal/roadmap_record.h"

#include "accounting/decimal.h"
#include "ledger/log/fields.h"

namespace carbonledger::certification {
namespace {

constexpr size_t kMaxTargets = 50;

// A decimal string in [0, max] with at most 4 fractional digits.
Result<std::string> Value(const nlohmann::json& target, const char* member, const char* max,
                          const std::string& at) {
  if (!target.contains(member) || !target[member].is_string()) {
    return Status::InvalidArgument("roadmap.value",
                                   at + "." + member + " must be a decimal string");
  }
  const std::string text = target[member].get<std::string>();
  auto d = Decimal::Parse(text);
  auto upper = Decimal::Parse(max);
  const size_t dot = text.find('.');
  if (!d.ok() || !upper.ok() || *d < Decimal() || *upper < *d ||
      (dot != std::string::npos && text.size() - dot - 1 > 4)) {
    return Status::InvalidArgument("roadmap.value", at + "." + member + ": \"" + text +
                                                        "\" is not a decimal in 0.." + max +
                                                        " with at most 4 decimals");
  }
  return d->ToString();
}

}  // namespace

std::string RoadmapKey(std::string_view park) { return "rm/" + std::string(park); }

Result<RoadmapRecordBody> ValidateRoadmapRecord(const Transaction& tx) {
  const nlohmann::json& b = tx.body;
  if (Status s = OnlyFields(b, {"base_year", "targets"}, "body"); !s.ok()) return s;
  auto base = RequireYear(b, "base_year");
  if (!base.ok()) return base.status();
  if (!b.contains("targets") || !b["targets"].is_array() || b["targets"].empty()) {
    return Status::InvalidArgument("field.missing", "body.targets must be a non-empty array");
  }
  if (b["targets"].size() > kMaxTargets) {
    return Status::InvalidArgument("roadmap.too_many", "body.targets holds more than " +
                                                           std::to_string(kMaxTargets) + " years");
  }
  RoadmapRecordBody body;
  body.base_year = *base;
  body.targets = nlohmann::json::array();
  int64_t last = *base;
  for (size_t i = 0; i < b["targets"].size(); ++i) {
    const nlohmann::json& t = b["targets"][i];
    const std::string at = "body.targets[" + std::to_string(i) + "]";
    if (!t.is_object()) return Status::InvalidArgument("field.missing", at + " must be an object");
    if (Status s = OnlyFields(t, {"year", "co2_per_tce", "clean_energy_share"}, at); !s.ok()) {
      return s;
    }
    auto year = RequireYear(t, "year");
    if (!year.ok()) return year.status();
    if (*year <= last) {
      return Status::InvalidArgument("roadmap.years",
                                     at + ".year " + std::to_string(*year) + " must be after " +
                                         (i == 0 ? "the base year " : "the year before it, ") +
                                         std::to_string(last));
    }
    last = *year;
    auto co2 = Value(t, "co2_per_tce", "100", at);
    if (!co2.ok()) return co2.status();
    auto share = Value(t, "clean_energy_share", "100", at);
    if (!share.ok()) return share.status();
    body.targets.push_back(
        {{"year", *year}, {"co2_per_tce", *co2}, {"clean_energy_share", *share}});
  }
  return body;
}

Status ApplyRoadmapRecord(const TxContext& ctx, const RoadmapRecordBody& body, StateTxn& state) {
  auto format = LedgerFormat(state);
  if (!format.ok()) return format.status();
  if (*format < 4) {
    return Status::Unprocessable("ledger.format",
                                 "roadmap.record needs ledger format 4; this ledger is of format " +
                                     std::to_string(*format));
  }
  return PutRecord(state, RoadmapKey(ctx.tx.signer),
                   {{"seq", ctx.seq}, {"base_year", body.base_year}, {"targets", body.targets}});
}

TxType RoadmapRecordType() {
  return TxType("roadmap.record", {"park"}, &ValidateRoadmapRecord, &ApplyRoadmapRecord);
}

}  // namespace carbonledger::certification
