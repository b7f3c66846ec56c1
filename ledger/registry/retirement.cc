// credit.retire: retiring (注销) CCER and carbon inclusive credits for a beneficiary park, a
// reporting year and a purpose; retired units are final (docs/registry-rules.md §Retirements).
#include "ledger/log/fields.h"
#include "ledger/registry/internal/operations.h"

namespace carbonledger::registry {
namespace {

constexpr const char* kPurposes[] = {"carbon_neutrality", "compliance", "voluntary"};

Status ApplyRetire(const TxContext& ctx, StateTxn& state) {
  const nlohmann::json& b = ctx.tx.body;
  REGISTRY_RETURN_IF_ERROR(OnlyFields(b, {"ops"}, "body"));
  auto oc = OpContext::For(ctx, state);
  if (!oc.ok()) return oc.status();
  const std::string& holder = ctx.tx.signer;
  return RunOps(b, state, [&](size_t i, const nlohmann::json& o, StateTxn& txn) -> Status {
    REGISTRY_RETURN_IF_ERROR(OnlyFields(o,
                                        {"instrument", "quantity", "first", "last", "beneficiary",
                                         "reporting_year", "purpose", "note"},
                                        "op"));
    auto instrument = RequireInstrument(o, "instrument");
    if (!instrument.ok()) return instrument.status();
    if (*instrument == kGec) {
      return Status::InvalidArgument("instrument.not_retirable",
                                     "GECs are claimed (gec.claim), not retired");
    }
    auto spec = ParseUnitSpec(o, *instrument);
    if (!spec.ok()) return spec.status();
    auto beneficiary = RequireString(o, "beneficiary", 64);
    if (!beneficiary.ok()) return beneficiary.status();
    auto year = RequireYear(o, "reporting_year");
    if (!year.ok()) return year.status();
    auto purpose = RequireString(o, "purpose", 32);
    if (!purpose.ok()) return purpose.status();
    if (std::find(std::begin(kPurposes), std::end(kPurposes), *purpose) == std::end(kPurposes)) {
      return Status::InvalidArgument(
          "purpose.invalid",
          "purpose must be carbon_neutrality, compliance or voluntary, not \"" + *purpose + "\"");
    }
    std::string note;
    if (o.contains("note")) {
      auto n = RequireString(o, "note", 1024);
      if (!n.ok()) return n.status();
      note = *n;
    }
    auto park = RequireAccount(txn, *beneficiary, {"park"}, "beneficiary");
    if (!park.ok()) return park.status();
    const std::string id = OpId('R', *oc, i);
    Move move{"retire", std::string(kRetired), "", id};
    auto taken = Take(*oc, txn, holder, *spec, move, Spendable(*oc, holder));
    if (!taken.ok()) return taken.status();
    uint64_t quantity = 0;
    nlohmann::json retirement = {{"id", id},
                                 {"instrument", *instrument},
                                 {"retired_by", holder},
                                 {"beneficiary", *beneficiary},
                                 {"reporting_year", *year},
                                 {"purpose", *purpose},
                                 {"seq", ctx.seq},
                                 {"blocks", TakenBlocks(*taken, &quantity)}};
    retirement["quantity"] = quantity;
    if (!note.empty()) retirement["note"] = note;
    REGISTRY_RETURN_IF_ERROR(PutRecord(txn, RetirementKey(id), retirement));
    txn.Put(ParkYearKey(*beneficiary, *year, 'r', id), std::to_string(quantity));
    auto totals = LoadTotals(txn, *instrument);
    if (!totals.ok()) return totals.status();
    totals->held -= quantity;
    totals->retired += quantity;
    return SaveTotals(txn, *instrument, *totals);
  });
}

}  // namespace

std::vector<TxType> RetirementTypes() {
  return {
      Untyped<&ApplyRetire>("credit.retire", kHolderRoles),
  };
}

}  // namespace carbonledger::registry
