// unit.transfer: a holder moves units to another account, by quantity (oldest vintage first)
// or by serial range (docs/registry-rules.md §Spending).
#include "ledger/log/fields.h"
#include "ledger/registry/internal/operations.h"

namespace carbonledger::registry {
namespace {

Status ApplyTransfer(const TxContext& ctx, StateTxn& state) {
  const nlohmann::json& b = ctx.tx.body;
  REGISTRY_RETURN_IF_ERROR(OnlyFields(b, {"to", "ops"}, "body"));
  auto to = RequireString(b, "to", 64);
  if (!to.ok()) return to.status();
  if (*to == ctx.tx.signer) {
    return Status::Unprocessable("transfer.self", "to must be another account than the signer");
  }
  auto recipient = RequireAccount(state, *to, kHolderRoles, "recipient");
  if (!recipient.ok()) return recipient.status();
  auto oc = OpContext::For(ctx, state);
  if (!oc.ok()) return oc.status();
  const std::string& holder = ctx.tx.signer;
  return RunOps(b, state, [&](size_t, const nlohmann::json& o, StateTxn& txn) -> Status {
    REGISTRY_RETURN_IF_ERROR(OnlyFields(o, {"instrument", "quantity", "first", "last"}, "op"));
    auto instrument = RequireInstrument(o, "instrument");
    if (!instrument.ok()) return instrument.status();
    auto spec = ParseUnitSpec(o, *instrument);
    if (!spec.ok()) return spec.status();
    Move move{"transfer", std::string(kActive), *to, ""};
    return Take(*oc, txn, holder, *spec, move, Spendable(*oc, holder)).status();
  });
}

}  // namespace

std::vector<TxType> TransferTypes() {
  return {
      Untyped<&ApplyTransfer>("unit.transfer", kHolderRoles),
  };
}

}  // namespace carbonledger::registry
