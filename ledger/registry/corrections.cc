// The operator's sweeps and corrections: the GEC-CCER choice (gec.freeze), the GEC expiry
// sweep (gec.expire) and the cancellation of units issued in error (unit.cancel),
// docs/registry-rules.md §gec.freeze, §gec.expire, §unit.cancel.
#include <algorithm>
#include <map>
#include <set>

#include "ledger/log/fields.h"
#include "ledger/registry/internal/bodies.h"

namespace carbonledger::registry {
namespace {

// The CCER choice of a project linked to a generator: its generation months [from, to] are
// reserved for CCER (no GEC may be issued for them any more) and the untraded GECs of those
// months — active, within validity, still held by the generator's owner — are frozen until
// the CCER issuance cancels them.
Status ApplyGecFreeze(const TxContext& ctx, const GecFreezeBody& body, StateTxn& state) {
  auto project = RequireRecord(state, ProjectKey(body.project), "project.unknown",
                               "project \"" + body.project + "\"");
  if (!project.ok()) return project.status();
  if ((*project)["instrument"] != kCcer || !project->contains("generator")) {
    return Status::Unprocessable(
        "project.not_linked",
        "project \"" + body.project + "\" is not a CCER project linked to a generator");
  }
  const std::string gen_id = (*project)["generator"].get<std::string>();
  auto gen = RequireRecord(state, GeneratorKey(gen_id), "generator.unknown", "generator");
  if (!gen.ok()) return gen.status();
  const std::string owner = (*gen)["owner"].get<std::string>();
  auto oc = OpContext::For(ctx, state);
  if (!oc.ok()) return oc.status();
  auto totals = LoadTotals(state, kGec);
  if (!totals.ok()) return totals.status();
  for (int m = body.from; m <= body.to; ++m) {
    auto g = LoadGeneration(state, gen_id, m);
    if (!g.ok()) return g.status();
    auto blocks = GecBlocksOf(state, gen_id, m);
    if (!blocks.ok()) return blocks.status();
    for (const Block& blk : *blocks) {
      if (blk.status != kActive || blk.holder != owner || oc->PastValidity(blk)) continue;
      REGISTRY_RETURN_IF_ERROR(Restate(*oc, state, blk, kFrozen, "freeze"));
      g->frozen += blk.quantity();
      totals->frozen += blk.quantity();
    }
    g->ccer = body.project;
    REGISTRY_RETURN_IF_ERROR(SaveGeneration(state, gen_id, m, *g));
  }
  return SaveTotals(state, kGec, *totals);
}

// The expiry sweep: moves up to `limit` active GEC blocks whose validity ended before the
// acceptance month to "expired", oldest generation month first (then generator, then serial).
Status ApplyGecExpire(const TxContext& ctx, const GecExpireBody& body, StateTxn& state) {
  auto oc = OpContext::For(ctx, state);
  if (!oc.ok()) return oc.status();
  const std::string first_valid = CompactMonth(FirstValidMonth(oc->now_month, oc->validity));
  std::vector<Block> due;
  Status inner;
  Status s = state.Scan(kValidityPrefix, [&](const std::string& key, const std::string& value) {
    if (key.compare(3, 6, first_valid) >= 0) return false;
    auto r = ParseIndexEntry(key, value);
    auto blk = r.ok() ? LoadCurrentBlock(state, kGec, r->last) : r.status();
    if (!blk.ok() || !blk->has_value()) {
      inner = blk.ok() ? Status::Corruption("state.index",
                                            "validity index entry " + key + " has no block")
                       : blk.status();
      return false;
    }
    if ((*blk)->status == kActive) due.push_back(std::move(**blk));
    return due.size() < body.limit;
  });
  if (!s.ok()) return s;
  if (!inner.ok()) return inner;
  if (due.empty()) {
    return Status::Unprocessable("expire.none", "no active GEC is past its validity");
  }
  auto totals = LoadTotals(state, kGec);
  if (!totals.ok()) return totals.status();
  for (const Block& blk : due) {
    REGISTRY_RETURN_IF_ERROR(Restate(*oc, state, blk, kExpired, "expire"));
    totals->held -= blk.quantity();
    totals->expired += blk.quantity();
  }
  return SaveTotals(state, kGec, *totals);
}

// What cancelling the last uncancelled unit of a credit issuance releases (ledger format 3):
// the project's issuance period, so the months may be issued again, and, for a project linked
// to a generator, the generator-months it reserved, so they may back GECs or credits again.
// A partial cancellation releases nothing: which months' reductions the cancelled tonnes were
// cannot be told, and the period stays issued (docs/registry-rules.md §unit.cancel).
Status ReleaseIssuance(StateTxn& txn, const std::string& id, const nlohmann::json& issuance) {
  const std::string project = issuance.value("project", "");
  auto period = ParseVintage(kCcer, issuance.value("vintage", ""));
  if (project.empty() || !period) {
    return Status::Corruption("state.issuance", "issuance " + id + " names no project period");
  }
  txn.Delete(ProjectPeriodKey(project, period->from));
  const std::string generator = issuance.value("generator", "");
  if (generator.empty()) return Status::OK();
  for (int m = period->from; m <= period->to; ++m) {
    auto g = LoadGeneration(txn, generator, m);
    if (!g.ok()) return g.status();
    if (g->credit_issuance != id) continue;
    g->ccer.clear();
    g->credit_t = 0;
    g->credit_issuance.clear();
    REGISTRY_RETURN_IF_ERROR(SaveGeneration(txn, generator, m, *g));
  }
  return Status::OK();
}

// Counts cancelled credits against their issuances (format 3: `cancelled` in ri/<id>) and
// releases each issuance whose every unit is now cancelled.
Status CountCreditCancellations(StateTxn& txn, const std::map<std::string, uint64_t>& cancelled) {
  for (const auto& [id, q] : cancelled) {
    auto iss = RequireRecord(txn, IssuanceKey(id), "state.issuance", "issuance " + id);
    if (!iss.ok()) return iss.status();
    const uint64_t total = iss->value("cancelled", uint64_t(0)) + q;
    (*iss)["cancelled"] = total;
    REGISTRY_RETURN_IF_ERROR(PutRecord(txn, IssuanceKey(id), *iss));
    if (total == iss->value("quantity", uint64_t(0))) {
      REGISTRY_RETURN_IF_ERROR(ReleaseIssuance(txn, id, *iss));
    }
  }
  return Status::OK();
}

// Correction: cancels units issued in error, only while the original recipient still holds
// them (active or frozen). Final; a GEC cancellation frees its generator-month capacity, and
// (format 3) cancelling a whole credit issuance releases its period and months.
Result<UnitSpec> ParseCancelOp(const nlohmann::json& o) {
  REGISTRY_RETURN_IF_ERROR(OnlyFields(o, {"instrument", "first", "last"}, "op"));
  auto instrument = RequireInstrument(o, "instrument");
  if (!instrument.ok()) return instrument.status();
  return ParseUnitSpec(o, *instrument);
}

Status CancelOp(OpContext& oc, const UnitSpec& spec, StateTxn& txn) {
  std::map<std::string, std::string> recipients;  // issuance id -> recipient
  std::set<std::string> frozen_blocks;            // ids of frozen blocks met
  EligibleFn eligible = [&](const Block& b) -> Status {
    if (b.status == kFrozen) frozen_blocks.insert(b.id);
    if (b.status != kActive && b.status != kFrozen) {
      return Status::Conflict("unit.used",
                              "is already " + b.status + " (entry " + std::to_string(b.seq) + ")");
    }
    auto it = recipients.find(b.issuance);
    if (it == recipients.end()) {
      auto iss = GetRecord(txn, IssuanceKey(b.issuance));
      std::string who = iss.ok() && iss->has_value() ? (**iss).value("recipient", "") : "";
      it = recipients.emplace(b.issuance, who).first;
    }
    if (b.holder != it->second) {
      return Status::Unprocessable(
          "cancel.not_original",
          "is held by \"" + b.holder + "\", not by the original recipient \"" + it->second + "\"");
    }
    return Status::OK();
  };
  auto totals = LoadTotals(txn, spec.instrument);
  if (!totals.ok()) return totals.status();
  auto taken = Take(oc, txn, "", spec, Move{"cancel", std::string(kCancelled), "", ""}, eligible);
  if (!taken.ok()) return taken.status();
  std::map<std::string, uint64_t> credit_cancelled;  // issuance id -> units cancelled now
  for (const Block& t : *taken) {
    const bool frozen = frozen_blocks.count(t.parent) > 0;
    totals->held -= t.quantity();
    totals->cancelled += t.quantity();
    if (frozen) totals->frozen -= t.quantity();
    if (spec.instrument == kGec) {
      auto g = LoadGeneration(txn, t.generator, t.month());
      if (!g.ok()) return g.status();
      g->gec -= t.quantity();
      if (frozen) g->frozen -= t.quantity();
      REGISTRY_RETURN_IF_ERROR(SaveGeneration(txn, t.generator, t.month(), *g));
    } else if (oc.format >= 3) {
      credit_cancelled[t.issuance] += t.quantity();
    }
  }
  REGISTRY_RETURN_IF_ERROR(CountCreditCancellations(txn, credit_cancelled));
  return SaveTotals(txn, spec.instrument, *totals);
}

Status ApplyUnitCancel(const TxContext& ctx, const UnitCancelBody& body, StateTxn& state) {
  auto oc = OpContext::For(ctx, state);
  if (!oc.ok()) return oc.status();
  return RunOps(body.ops, state, [&](size_t, const UnitSpec& spec, StateTxn& txn) {
    return CancelOp(*oc, spec, txn);
  });
}

}  // namespace

Result<GecFreezeBody> ValidateGecFreeze(const Transaction& tx) {
  const nlohmann::json& b = tx.body;
  REGISTRY_RETURN_IF_ERROR(OnlyFields(b, {"project", "from", "to", "reason"}, "body"));
  auto project = RequireString(b, "project", 64);
  if (!project.ok()) return project.status();
  auto from = RequireMonth(b, "from");
  if (!from.ok()) return from.status();
  auto to = RequireMonth(b, "to");
  if (!to.ok()) return to.status();
  if (*from > *to || *to - *from + 1 > kMaxPeriodMonths) {
    return Status::InvalidArgument("month.invalid",
                                   "from..to must be 1..120 months, from not after to");
  }
  auto reason = RequireString(b, "reason", 1024);
  if (!reason.ok()) return reason.status();
  return GecFreezeBody{*project, *reason, *from, *to};
}

Result<GecExpireBody> ValidateGecExpire(const Transaction& tx) {
  REGISTRY_RETURN_IF_ERROR(OnlyFields(tx.body, {"limit"}, "body"));
  auto limit = RequireQuantity(tx.body, "limit");
  if (!limit.ok()) return limit.status();
  if (*limit > 10000) {
    return Status::InvalidArgument("quantity.range", "limit must be 1..10000");
  }
  return GecExpireBody{*limit};
}

Result<UnitCancelBody> ValidateUnitCancel(const Transaction& tx) {
  REGISTRY_RETURN_IF_ERROR(OnlyFields(tx.body, {"reason", "ops"}, "body"));
  auto reason = RequireString(tx.body, "reason", 1024);
  if (!reason.ok()) return reason.status();
  auto ops = ParseOps(tx.body, &ParseCancelOp);
  if (!ops.ok()) return ops.status();
  return UnitCancelBody{*reason, std::move(*ops)};
}

std::vector<TxType> CorrectionTypes() {
  return {
      TxType("gec.freeze", {"registry"}, &ValidateGecFreeze, &ApplyGecFreeze),
      TxType("gec.expire", {"registry"}, &ValidateGecExpire, &ApplyGecExpire),
      TxType("unit.cancel", {"registry"}, &ValidateUnitCancel, &ApplyUnitCancel),
  };
}

}  // namespace carbonledger::registry
