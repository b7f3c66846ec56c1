// gec.claim: a park claims GECs for the electricity it consumed in a reporting year; the
// claimed units are final and count as its green power (docs/registry-rules.md §gec.claim).
#include "ledger/log/fields.h"
#include "ledger/registry/internal/bodies.h"

namespace carbonledger::registry {
namespace {

Result<ClaimOp> ParseClaimOp(const nlohmann::json& o) {
  REGISTRY_RETURN_IF_ERROR(OnlyFields(o, {"reporting_year", "quantity", "first", "last"}, "op"));
  auto year = RequireYear(o, "reporting_year");
  if (!year.ok()) return year.status();
  auto spec = ParseUnitSpec(o, std::string(kGec));
  if (!spec.ok()) return spec.status();
  return ClaimOp{*year, *spec};
}

Status ApplyClaim(const TxContext& ctx, const ClaimBody& body, StateTxn& state) {
  auto oc = OpContext::For(ctx, state);
  if (!oc.ok()) return oc.status();
  const std::string& park = ctx.tx.signer;
  return RunOps(body.ops, state, [&](size_t i, const ClaimOp& o, StateTxn& txn) -> Status {
    const std::string id = OpId('C', *oc, i);
    Move move{"claim", std::string(kClaimed), "", id};
    auto taken = Take(*oc, txn, park, o.units, move, Spendable(*oc, park));
    if (!taken.ok()) return taken.status();
    uint64_t quantity = 0;
    nlohmann::json claim = {{"id", id},
                            {"park", park},
                            {"reporting_year", o.reporting_year},
                            {"seq", ctx.seq},
                            {"blocks", TakenBlocks(*taken, &quantity)}};
    claim["quantity"] = quantity;
    NoteTakenBlocks(ctx, *taken);
    JoinScope(ctx, ParkYearScope(park, o.reporting_year));
    REGISTRY_RETURN_IF_ERROR(PutRecord(txn, ClaimKey(id), claim));
    txn.Put(ParkYearKey(park, o.reporting_year, 'c', id), std::to_string(quantity));
    auto totals = LoadTotals(txn, kGec);
    if (!totals.ok()) return totals.status();
    totals->held -= quantity;
    totals->claimed += quantity;
    return SaveTotals(txn, kGec, *totals);
  });
}

}  // namespace

Result<ClaimBody> ValidateClaim(const Transaction& tx) {
  REGISTRY_RETURN_IF_ERROR(OnlyFields(tx.body, {"ops"}, "body"));
  auto ops = ParseOps(tx.body, &ParseClaimOp);
  if (!ops.ok()) return ops.status();
  return ClaimBody{std::move(*ops)};
}

std::vector<TxType> ClaimTypes() {
  return {
      TxType("gec.claim", {"park"}, &ValidateClaim, &ApplyClaim),
  };
}

}  // namespace carbonledger::registry
