// credit.retire: retiring (注销) CCER and carbon inclusive credits for a beneficiary park, a
// reporting year and a purpose; retired units are final (docs/registry-rules.md §credit.retire).
// retirement.accept: the beneficiary park takes a retirement another account made for it as
// its own act, so that it counts toward the park's neutrality (docs/registry-rules.md
// §retirement.accept). Invariant: a retirement has at most one acceptance record (ra/<id>), only
// when its signer is not its beneficiary, and only the beneficiary can have written it.
#include <algorithm>

#include "ledger/log/fields.h"
#include "ledger/registry/internal/bodies.h"

namespace carbonledger::registry {
namespace {

constexpr const char* kPurposes[] = {"carbon_neutrality", "compliance", "voluntary"};

Result<RetireOp> ParseRetireOp(const nlohmann::json& o) {
  REGISTRY_RETURN_IF_ERROR(OnlyFields(o,
                                      {"instrument", "quantity", "first", "last", "beneficiary",
                                       "reporting_year", "purpose", "note"},
                                      "op"));
  RetireOp r;
  auto instrument = RequireInstrument(o, "instrument");
  if (!instrument.ok()) return instrument.status();
  if (*instrument == kGec) {
    return Status::InvalidArgument("instrument.not_retirable",
                                   "GECs are claimed (gec.claim), not retired");
  }
  auto spec = ParseUnitSpec(o, *instrument);
  if (!spec.ok()) return spec.status();
  r.units = *spec;
  auto beneficiary = RequireString(o, "beneficiary", 64);
  if (!beneficiary.ok()) return beneficiary.status();
  r.beneficiary = *beneficiary;
  auto year = RequireYear(o, "reporting_year");
  if (!year.ok()) return year.status();
  r.reporting_year = *year;
  auto purpose = RequireString(o, "purpose", 32);
  if (!purpose.ok()) return purpose.status();
  if (std::find(std::begin(kPurposes), std::end(kPurposes), *purpose) == std::end(kPurposes)) {
    return Status::InvalidArgument(
        "purpose.invalid",
        "purpose must be carbon_neutrality, compliance or voluntary, not \"" + *purpose + "\"");
  }
  r.purpose = *purpose;
  if (o.contains("note")) {
    auto note = RequireString(o, "note", 1024);
    if (!note.ok()) return note.status();
    r.note = *note;
  }
  return r;
}

Status ApplyRetire(const TxContext& ctx, const RetireBody& body, StateTxn& state) {
  auto oc = OpContext::For(ctx, state);
  if (!oc.ok()) return oc.status();
  const std::string& holder = ctx.tx.signer;
  return RunOps(body.ops, state, [&](size_t i, const RetireOp& o, StateTxn& txn) -> Status {
    auto park = RequireAccount(txn, o.beneficiary, {"park"}, "beneficiary");
    if (!park.ok()) return park.status();
    const std::string id = OpId('R', *oc, i);
    Move move{"retire", std::string(kRetired), "", id};
    auto taken = Take(*oc, txn, holder, o.units, move, Spendable(*oc, holder));
    if (!taken.ok()) return taken.status();
    uint64_t quantity = 0;
    nlohmann::json retirement = {{"id", id},
                                 {"instrument", o.units.instrument},
                                 {"retired_by", holder},
                                 {"beneficiary", o.beneficiary},
                                 {"reporting_year", o.reporting_year},
                                 {"purpose", o.purpose},
                                 {"seq", ctx.seq},
                                 {"blocks", TakenBlocks(*taken, &quantity)}};
    retirement["quantity"] = quantity;
    if (!o.note.empty()) retirement["note"] = o.note;
    NoteTakenBlocks(ctx, *taken);
    JoinScope(ctx, ParkYearScope(o.beneficiary, o.reporting_year));
    REGISTRY_RETURN_IF_ERROR(PutRecord(txn, RetirementKey(id), retirement));
    txn.Put(ParkYearKey(o.beneficiary, o.reporting_year, 'r', id), std::to_string(quantity));
    auto totals = LoadTotals(txn, o.units.instrument);
    if (!totals.ok()) return totals.status();
    totals->held -= quantity;
    totals->retired += quantity;
    return SaveTotals(txn, o.units.instrument, *totals);
  });
}

Status ApplyAccept(const TxContext& ctx, const AcceptBody& body, StateTxn& state) {
  const std::string& park = ctx.tx.signer;
  const std::string& id = body.retirement;
  auto rec =
      RequireRecord(state, RetirementKey(id), "retirement.unknown", "retirement \"" + id + "\"");
  if (!rec.ok()) return rec.status();
  const std::string beneficiary = rec->value("beneficiary", "");
  if (beneficiary != park) {
    return Status::PermissionDenied("accept.not_beneficiary",
                                    "retirement " + id + " is for \"" + beneficiary +
                                        "\"; only that park may accept it, not \"" + park + "\"");
  }
  if (rec->value("retired_by", "") == park) {
    return Status::Conflict("accept.own", "retirement " + id + " was made by \"" + park +
                                              "\" itself; it counts without acceptance");
  }
  auto prior = GetRecord(state, AcceptanceKey(id));
  if (!prior.ok()) return prior.status();
  if (prior->has_value()) {
    return Status::Conflict("accept.duplicate", "retirement " + id + " was accepted by entry " +
                                                    (**prior)["seq"].dump());
  }
  if ((*rec).contains("reporting_year") && (*rec)["reporting_year"].is_number_integer()) {
    JoinScope(ctx, ParkYearScope(park, (*rec)["reporting_year"].get<int64_t>()));
  }
  return PutRecord(state, AcceptanceKey(id),
                   {{"retirement", id}, {"park", park}, {"seq", ctx.seq}});
}

}  // namespace

Result<AcceptBody> ValidateAccept(const Transaction& tx) {
  REGISTRY_RETURN_IF_ERROR(OnlyFields(tx.body, {"retirement"}, "body"));
  auto id = RequireString(tx.body, "retirement", 64);
  if (!id.ok()) return id.status();
  return AcceptBody{*id};
}

Result<RetireBody> ValidateRetire(const Transaction& tx) {
  REGISTRY_RETURN_IF_ERROR(OnlyFields(tx.body, {"ops"}, "body"));
  auto ops = ParseOps(tx.body, &ParseRetireOp);
  if (!ops.ok()) return ops.status();
  return RetireBody{std::move(*ops)};
}

std::vector<TxType> RetirementTypes() {
  return {
      TxType("credit.retire", kHolderRoles, &ValidateRetire, &ApplyRetire),
      TxType("retirement.accept", {"park"}, &ValidateAccept, &ApplyAccept),
  };
}

}  // namespace carbonledger::registry
