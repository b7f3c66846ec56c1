// Registry rules of holders: transferring units, a park claiming GECs for its electricity, and
// retiring (注销) CCER and carbon inclusive credits for a beneficiary park. Each takes units by
// quantity or serial range from the signer's holdings (docs/registry-rules.md §Spending).
#include "ledger/registry_ops.h"

namespace carbonledger::registry {
namespace {

const std::vector<std::string> kHolderRoles = {"park", "trader", "project_owner"};
constexpr const char* kPurposes[] = {"carbon_neutrality", "compliance", "voluntary"};

// The record of a claim or retirement: which blocks it took.
nlohmann::json TakenBlocks(const std::vector<Block>& taken, uint64_t* quantity) {
  nlohmann::json blocks = nlohmann::json::array();
  *quantity = 0;
  for (const Block& t : taken) {
    blocks.push_back(
        {{"id", t.id}, {"first", t.first}, {"last", t.last}, {"issuance", t.issuance}});
    *quantity += t.quantity();
  }
  return blocks;
}

std::string OpId(char kind, const OpContext& oc, size_t op) {
  return std::string(1, kind) + std::to_string(oc.tx.seq) + "." + std::to_string(op);
}

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

std::vector<TxRule> SpendRules() {
  return {
      {"unit.transfer", kHolderRoles, &ApplyTransfer},
      {"gec.claim", {"park"}, &ApplyClaim},
      {"credit.retire", kHolderRoles, &ApplyRetire},
  };
}

}  // namespace carbonledger::registry
