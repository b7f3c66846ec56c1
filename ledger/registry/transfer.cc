// unit.transfer: a holder moves units to another account, by quantity (oldest vintage first)
// or by serial range (docs/registry-rules.md §unit.transfer, §Selection by quantity, §Ranges).
#include "ledger/log/fields.h"
#include "ledger/registry/internal/bodies.h"

namespace carbonledger::registry {
namespace {

Result<UnitSpec> ParseTransferOp(const nlohmann::json& o) {
  REGISTRY_RETURN_IF_ERROR(OnlyFields(o, {"instrument", "quantity", "first", "last"}, "op"));
  auto instrument = RequireInstrument(o, "instrument");
  if (!instrument.ok()) return instrument.status();
  return ParseUnitSpec(o, *instrument);
}

Status ApplyTransfer(const TxContext& ctx, const TransferBody& body, StateTxn& state) {
  auto recipient = RequireAccount(state, body.to, kHolderRoles, "recipient");
  if (!recipient.ok()) return recipient.status();
  auto oc = OpContext::For(ctx, state);
  if (!oc.ok()) return oc.status();
  if (!body.ops.ok()) return body.ops.status();
  const std::string& holder = ctx.tx.signer;
  const Move move{"transfer", std::string(kActive), body.to, ""};
  return RunOps(*body.ops, state, [&](size_t, const UnitSpec& spec, StateTxn& txn) -> Status {
    auto taken = Take(*oc, txn, holder, spec, move, Spendable(*oc, holder));
    if (!taken.ok()) return taken.status();
    NoteTakenBlocks(ctx, *taken);
    return Status::OK();
  });
}

}  // namespace

Result<TransferBody> ValidateTransfer(const Transaction& tx) {
  const nlohmann::json& b = tx.body;
  REGISTRY_RETURN_IF_ERROR(OnlyFields(b, {"to", "ops"}, "body"));
  auto to = RequireString(b, "to", 64);
  if (!to.ok()) return to.status();
  if (*to == tx.signer) {
    return Status::Unprocessable("transfer.self", "to must be another account than the signer");
  }
  return TransferBody{*to, ParseOps(b, &ParseTransferOp)};
}

std::vector<TxType> TransferTypes() {
  return {
      TxType("unit.transfer", kHolderRoles, &ValidateTransfer, &ApplyTransfer),
  };
}

}  // namespace carbonledger::registry
