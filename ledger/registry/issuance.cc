// Issuance by the operator: GECs for a generator-month (bounded by capacity x hours), CCER
// and carbon inclusive credits for a project's vintage, each in one serial block per
// operation (docs/registry-rules.md §gec.issue, §credit.issue, §Double counting).
#include <algorithm>
#include <map>
#include <set>

#include "ledger/log/fields.h"
#include "ledger/registry/internal/bodies.h"

namespace carbonledger::registry {
namespace {

// The generation bound of a generator's month: capacity x hours, in MWh.
uint64_t MonthBoundMwh(uint64_t kw, int month) { return kw * uint64_t(HoursInMonth(month)) / 1000; }

// The id of operation `op` of issuance entry `seq`: "I<seq>.<op>".
std::string IssuanceId(uint64_t seq, size_t op) {
  return "I" + std::to_string(seq) + "." + std::to_string(op);
}

// Allocates serials and writes the issuance record and its block.
Status Issue(OpContext& oc, StateTxn& txn, size_t op, const std::string& instrument,
             uint64_t quantity, const std::string& recipient, const std::string& vintage,
             nlohmann::json issuance) {
  auto totals = LoadTotals(txn, instrument);
  if (!totals.ok()) return totals.status();
  if (quantity > kMaxUnits - (totals->next_serial - 1)) {
    return Status::Unprocessable("quantity.overflow",
                                 instrument + " serial numbers would pass 2^53-1 (" +
                                     std::to_string(totals->next_serial - 1) + " issued)");
  }
  const std::string id = IssuanceId(oc.tx.seq, op);
  Block b;
  b.id = oc.ids.Next();
  b.instrument = instrument;
  b.first = totals->next_serial;
  b.last = b.first + quantity - 1;
  b.holder = recipient;
  b.status = std::string(kActive);
  b.issuance = id;
  b.vintage = vintage;
  if (instrument == kGec) b.generator = issuance["generator"].get<std::string>();
  b.seq = oc.tx.seq;
  b.event = "issue";
  issuance.update({{"id", id},
                   {"instrument", instrument},
                   {"seq", oc.tx.seq},
                   {"first", b.first},
                   {"last", b.last},
                   {"quantity", quantity},
                   {"recipient", recipient},
                   {"vintage", vintage}});
  REGISTRY_RETURN_IF_ERROR(PutRecord(txn, IssuanceKey(id), issuance));
  REGISTRY_RETURN_IF_ERROR(Supersede(txn, nullptr, {b}));
  // The serials the ledger gave the issuance and who received them, in the entry's note.
  AppendOutcome(oc.tx, "ops", {{"first", b.first}, {"last", b.last}, {"recipient", recipient}});
  totals->issued += quantity;
  totals->held += quantity;
  totals->issuances += 1;
  totals->next_serial += quantity;
  return SaveTotals(txn, instrument, *totals);
}

Result<GecIssueOp> ParseGecIssueOp(const nlohmann::json& o) {
  REGISTRY_RETURN_IF_ERROR(OnlyFields(o, {"generator", "month", "quantity"}, "op"));
  auto generator = RequireString(o, "generator", 64);
  if (!generator.ok()) return generator.status();
  auto month = RequireMonth(o, "month");
  if (!month.ok()) return month.status();
  auto quantity = RequireQuantity(o, "quantity");
  if (!quantity.ok()) return quantity.status();
  return GecIssueOp{*generator, *month, *quantity};
}

Status IssueGec(OpContext& oc, size_t op, const GecIssueOp& o, StateTxn& txn) {
  auto gen = RequireRecord(txn, GeneratorKey(o.generator), "generator.unknown",
                           "generator \"" + o.generator + "\"");
  if (!gen.ok()) return gen.status();
  if (o.month >= oc.now_month) {
    return Status::Unprocessable("issuance.future_month", "generation month " +
                                                              FormatMonth(o.month) +
                                                              " has not ended (acceptance month " +
                                                              FormatMonth(oc.now_month) + ")");
  }
  auto g = LoadGeneration(txn, o.generator, o.month);
  if (!g.ok()) return g.status();
  if (!g->ccer.empty()) {
    return Status::Conflict("double_counting.gec_ccer",
                            "generator \"" + o.generator + "\" month " + FormatMonth(o.month) +
                                " is reserved for credit project \"" + g->ccer +
                                "\"; it cannot also back GECs");
  }
  const uint64_t cap = MonthBoundMwh((*gen)["capacity_kw"].get<uint64_t>(), o.month);
  if (o.quantity > cap || g->gec > cap - o.quantity) {
    return Status::Unprocessable("issuance.over_capacity",
                                 "generator \"" + o.generator + "\" month " + FormatMonth(o.month) +
                                     ": " + std::to_string(g->gec) + " MWh issued + " +
                                     std::to_string(o.quantity) +
                                     " exceeds capacity x hours = " + std::to_string(cap) + " MWh");
  }
  g->gec += o.quantity;
  REGISTRY_RETURN_IF_ERROR(SaveGeneration(txn, o.generator, o.month, *g));
  nlohmann::json issuance = {{"generator", o.generator},
                             {"technology", (*gen)["technology"]},
                             {"region", (*gen)["region"]}};
  return Issue(oc, txn, op, std::string(kGec), o.quantity, (*gen)["owner"].get<std::string>(),
               FormatMonth(o.month), issuance);
}

// The share of `quantity` t each month of the period backs, in proportion to the months'
// generation bounds: floor(quantity x bound / total), and the units left over one each to the
// months with the largest remainders, the earlier month first on a tie. Integer arithmetic
// only (128-bit products), so every replay gives the same shares. quantity <= total (the
// caller checked), so no month's share passes its bound.
// quantity x bound reaches 2^66 at the largest capacity (1 TW over 120 months).
__extension__ typedef unsigned __int128 Wide;

std::vector<uint64_t> MonthShares(uint64_t kw, const Vintage& v, uint64_t quantity) {
  std::vector<uint64_t> bound, share;
  Wide total = 0;
  for (int m = v.from; m <= v.to; ++m) {
    bound.push_back(MonthBoundMwh(kw, m));
    total += bound.back();
  }
  share.assign(bound.size(), 0);
  if (total == 0) return share;
  std::vector<std::pair<Wide, size_t>> remainders;  // (remainder, month index)
  uint64_t given = 0;
  for (size_t i = 0; i < bound.size(); ++i) {
    const Wide product = Wide(quantity) * bound[i];
    share[i] = uint64_t(product / total);
    given += share[i];
    remainders.emplace_back(product % total, i);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; given < quantity && k < remainders.size(); ++k, ++given) {
    share[remainders[k].second] += 1;
  }
  return share;
}

// A credit issuance of a project linked to a generator claims the generation months of its
// vintage in the uniqueness index. Every month must have no GEC left but frozen ones, which
// are cancelled here (the public end of the GEC–CCER choice). From ledger format 3 each month
// also records its share of the issuance (`credit_t`, MonthShares) and the issuance's id.
Status ClaimGenerationForCcer(OpContext& oc, StateTxn& txn, const std::string& project,
                              const std::string& generator, const Vintage& v, uint64_t quantity,
                              const std::string& issuance_id) {
  Problems problems;
  for (int m = v.from; m <= v.to; ++m) {
    auto g = LoadGeneration(txn, generator, m);
    if (!g.ok()) return g.status();
    if ((!g->ccer.empty() && g->ccer != project) || g->gec > g->frozen) {
      problems.Add(Status::Conflict(
          "double_counting.gec_ccer",
          "generator \"" + generator + "\" month " + FormatMonth(m) + " backs " +
              std::to_string(g->gec - g->frozen) +
              " MWh of GEC that are not frozen (traded, claimed, expired or issued after the "
              "choice), or is reserved for another project; it cannot also back credits"));
    }
  }
  if (!problems.empty()) return problems.ToStatus();
  auto totals = LoadTotals(txn, kGec);
  if (!totals.ok()) return totals.status();
  auto gen = RequireRecord(txn, GeneratorKey(generator), "generator.unknown",
                           "generator \"" + generator + "\"");
  if (!gen.ok()) return gen.status();
  const std::vector<uint64_t> shares =
      MonthShares((*gen)["capacity_kw"].get<uint64_t>(), v, quantity);
  for (int m = v.from; m <= v.to; ++m) {
    auto g = LoadGeneration(txn, generator, m);
    if (!g.ok()) return g.status();
    if (g->frozen > 0) {
      auto blocks = GecBlocksOf(txn, generator, m);
      if (!blocks.ok()) return blocks.status();
      uint64_t cancelled = 0;
      for (const Block& b : *blocks) {
        if (b.status != kFrozen) {
          return Status::Corruption("state.generation",
                                    "an unfrozen GEC block remains in a month "
                                    "whose GECs are all frozen");
        }
        REGISTRY_RETURN_IF_ERROR(Restate(oc, txn, b, kCancelled, "cancel"));
        cancelled += b.quantity();
      }
      if (cancelled != g->frozen) {
        return Status::Corruption("state.generation", "frozen GEC total does not match blocks");
      }
      totals->held -= cancelled;
      totals->frozen -= cancelled;
      totals->cancelled += cancelled;
      g->gec -= cancelled;
      g->frozen = 0;
    }
    g->ccer = project;
    if (oc.format >= 3) {
      g->credit_t = shares[size_t(m - v.from)];
      g->credit_issuance = issuance_id;
    }
    REGISTRY_RETURN_IF_ERROR(SaveGeneration(txn, generator, m, *g));
  }
  return SaveTotals(txn, kGec, *totals);
}

Result<CreditIssueOp> ParseCreditIssueOp(const nlohmann::json& o) {
  REGISTRY_RETURN_IF_ERROR(OnlyFields(o, {"project", "vintage", "quantity"}, "op"));
  CreditIssueOp op;
  auto project = RequireString(o, "project", 64);
  if (!project.ok()) return project.status();
  op.project = *project;
  auto vintage = RequireString(o, "vintage", 16);
  if (!vintage.ok()) return vintage.status();
  op.vintage = *vintage;
  auto quantity = RequireQuantity(o, "quantity");
  if (!quantity.ok()) return quantity.status();
  op.quantity = *quantity;
  // Projects issue CCER or CIC only (project.register), whose vintages read alike.
  auto period = ParseVintage(kCcer, op.vintage);
  if (period) {
    op.period = *period;
  } else {
    op.vintage_invalid = Status::InvalidArgument(
        "vintage.invalid",
        "vintage must be a year \"YYYY\" or a monitoring period \"YYYY-MM/YYYY-MM\" of at most "
        "120 months, not \"" +
            op.vintage + "\"");
  }
  return op;
}

// A project's issuance periods never overlap (docs/registry-rules.md §credit.issue): the same
// months' reductions are issued once, whatever the vintage's spelling ("2024" and
// "2024-01/2024-06" share six months).
Status ClaimProjectPeriod(StateTxn& txn, const std::string& project, const Vintage& v,
                          const std::string& vintage, uint64_t seq) {
  Problems problems;
  Status scan =
      txn.Scan(ProjectPeriodPrefix(project), [&](const std::string&, const std::string& value) {
        auto earlier = nlohmann::json::parse(value, nullptr, false);
        if (!earlier.is_object() || !earlier["from"].is_number_integer() ||
            !earlier["to"].is_number_integer()) {
          problems.Add(Status::Corruption("state.period", "malformed issuance period record"));
          return false;
        }
        const int from = earlier["from"].get<int>(), to = earlier["to"].get<int>();
        if (v.from <= to && from <= v.to) {
          problems.Add(Status::Conflict(
              "issuance.period_overlap",
              "project \"" + project + "\" vintage " + vintage + " overlaps its issuance of " +
                  FormatMonth(from) + ".." + FormatMonth(to) + " (entry " +
                  std::to_string(earlier.value("seq", uint64_t(0))) + ")"));
          return false;
        }
        return true;
      });
  if (!scan.ok()) return scan;
  if (!problems.empty()) return problems.ToStatus();
  return PutRecord(txn, ProjectPeriodKey(project, v.from),
                   {{"from", v.from}, {"to", v.to}, {"seq", seq}});
}

// Credits issued for a generator's output are bounded by that output: capacity x hours of the
// period's months, at 1 tCO2e per MWh. No renewable MWh displaces more than a fossil MWh, and
// the national fossil-power factor is 0.8273-0.8426 tCO2/MWh (MEE & NBS, 2021-2023 electricity
// CO2 factors; docs/registry-rules.md §credit.issue).
inline constexpr uint64_t kMaxCreditPerMwh = 1;

Status CheckCreditWithinGeneration(const StateTxn& txn, const std::string& generator,
                                   const Vintage& v, uint64_t quantity) {
  auto gen = RequireRecord(txn, GeneratorKey(generator), "generator.unknown",
                           "generator \"" + generator + "\"");
  if (!gen.ok()) return gen.status();
  const uint64_t kw = (*gen)["capacity_kw"].get<uint64_t>();
  uint64_t mwh = 0;
  for (int m = v.from; m <= v.to; ++m) mwh += MonthBoundMwh(kw, m);
  if (quantity > mwh * kMaxCreditPerMwh) {
    return Status::Unprocessable(
        "issuance.over_generation",
        std::to_string(quantity) + " t exceeds what generator \"" + generator + "\" can back in " +
            FormatMonth(v.from) + ".." + FormatMonth(v.to) + ": capacity x hours = " +
            std::to_string(mwh) + " MWh at " + std::to_string(kMaxCreditPerMwh) + " t/MWh");
  }
  return Status::OK();
}

Status IssueCredit(OpContext& oc, size_t op, const CreditIssueOp& o, StateTxn& txn) {
  auto project =
      RequireRecord(txn, ProjectKey(o.project), "project.unknown", "project \"" + o.project + "\"");
  if (!project.ok()) return project.status();
  REGISTRY_RETURN_IF_ERROR(o.vintage_invalid);
  const std::string instrument = (*project)["instrument"].get<std::string>();
  if (o.period.to >= oc.now_month) {
    return Status::Unprocessable("issuance.future_month", "vintage " + o.vintage +
                                                              " has not ended (acceptance month " +
                                                              FormatMonth(oc.now_month) + ")");
  }
  nlohmann::json issuance = {{"project", o.project},
                             {"methodology", (*project)["methodology"]},
                             {"region", (*project)["region"]}};
  if (project->contains("generator")) {
    const std::string gen = (*project)["generator"].get<std::string>();
    issuance["generator"] = gen;
    REGISTRY_RETURN_IF_ERROR(CheckCreditWithinGeneration(txn, gen, o.period, o.quantity));
    REGISTRY_RETURN_IF_ERROR(ClaimGenerationForCcer(oc, txn, o.project, gen, o.period, o.quantity,
                                                    IssuanceId(oc.tx.seq, op)));
  }
  REGISTRY_RETURN_IF_ERROR(ClaimProjectPeriod(txn, o.project, o.period, o.vintage, oc.tx.seq));
  return Issue(oc, txn, op, instrument, o.quantity, (*project)["owner"].get<std::string>(),
               o.vintage, issuance);
}

Status ApplyGecIssue(const TxContext& ctx, const GecIssueBody& body, StateTxn& state) {
  auto oc = OpContext::For(ctx, state);
  if (!oc.ok()) return oc.status();
  return RunOps(body.ops, state, [&](size_t i, const GecIssueOp& o, StateTxn& txn) {
    return IssueGec(*oc, i, o, txn);
  });
}

Status ApplyCreditIssue(const TxContext& ctx, const CreditIssueBody& body, StateTxn& state) {
  auto oc = OpContext::For(ctx, state);
  if (!oc.ok()) return oc.status();
  return RunOps(body.ops, state, [&](size_t i, const CreditIssueOp& o, StateTxn& txn) {
    return IssueCredit(*oc, i, o, txn);
  });
}

}  // namespace

Result<GecIssueBody> ValidateGecIssue(const Transaction& tx) {
  REGISTRY_RETURN_IF_ERROR(OnlyFields(tx.body, {"ops"}, "body"));
  auto ops = ParseOps(tx.body, &ParseGecIssueOp);
  if (!ops.ok()) return ops.status();
  return GecIssueBody{std::move(*ops)};
}

Result<CreditIssueBody> ValidateCreditIssue(const Transaction& tx) {
  REGISTRY_RETURN_IF_ERROR(OnlyFields(tx.body, {"ops"}, "body"));
  auto ops = ParseOps(tx.body, &ParseCreditIssueOp);
  if (!ops.ok()) return ops.status();
  return CreditIssueBody{std::move(*ops)};
}

std::vector<TxType> IssuanceTypes() {
  return {
      TxType("gec.issue", {"registry"}, &ValidateGecIssue, &ApplyGecIssue),
      TxType("credit.issue", {"registry"}, &ValidateCreditIssue, &ApplyCreditIssue),
  };
}

}  // namespace carbonledger::registry
