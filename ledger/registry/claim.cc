// gec.claim: a park claims GECs for the electricity it consumed in a reporting year; the
// claimed units are final and count as its green power (docs/registry-rules.md §Claims).
#include "ledger/log/fields.h"
#include "ledger/registry/internal/operations.h"

namespace carbonledger::registry {
namespace {

Status ApplyClaim(const TxContext& ctx, StateTxn& state) {
  const nlohmann::json& b = ctx.tx.body;
  REGISTRY_RETURN_IF_ERROR(OnlyFields(b, {"ops"}, "body"));
  auto oc = OpContext::For(ctx, state);
  if (!oc.ok()) return oc.status();
  const std::string& park = ctx.tx.signer;
  return RunOps(b, state, [&](size_t i, const nlohmann::json& o, StateTxn& txn) -> Status {
    REGISTRY_RETURN_IF_ERROR(OnlyFields(o, {"reporting_year", "quantity", "first", "last"}, "op"));
    auto year = RequireYear(o, "reporting_year");
    if (!year.ok()) return year.status();
    auto spec = ParseUnitSpec(o, std::string(kGec));
    if (!spec.ok()) return spec.status();
    const std::string id = OpId('C', *oc, i);
    Move move{"claim", std::string(kClaimed), "", id};
    auto taken = Take(*oc, txn, park, *spec, move, Spendable(*oc, park));
    if (!taken.ok()) return taken.status();
    uint64_t quantity = 0;
    nlohmann::json claim = {{"id", id},
                            {"park", park},
                            {"reporting_year", *year},
                            {"seq", ctx.seq},
                            {"blocks", TakenBlocks(*taken, &quantity)}};
    claim["quantity"] = quantity;
    REGISTRY_RETURN_IF_ERROR(PutRecord(txn, ClaimKey(id), claim));
    txn.Put(ParkYearKey(park, *year, 'c', id), std::to_string(quantity));
    auto totals = LoadTotals(txn, kGec);
    if (!totals.ok()) return totals.status();
    totals->held -= quantity;
    totals->claimed += quantity;
    return SaveTotals(txn, kGec, *totals);
  });
}

}  // namespace

std::vector<TxType> ClaimTypes() {
  return {
      Untyped<&ApplyClaim>("gec.claim", {"park"}),
  };
}

}  // namespace carbonledger::registry
