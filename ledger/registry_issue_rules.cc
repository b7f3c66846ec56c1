// Registry rules of the operator (role registry): registering generators and credit projects,
// issuing GECs, CCER and carbon inclusive credits in serial blocks, the GEC–CCER choice
// (freeze), the GEC expiry sweep and corrections (cancellation). docs/registry-rules.md.
#include <algorithm>
#include <map>
#include <set>

#include "ledger/registry_ops.h"

namespace carbonledger::registry {
namespace {

constexpr const char* kTechnologies[] = {"wind",    "solar",      "hydro",
                                         "biomass", "geothermal", "other"};
constexpr uint64_t kMaxCapacityKw = 1000000000;  // 1 TW: keeps kW x hours far inside 2^53
const std::vector<std::string> kOwnerRoles = {"project_owner", "park"};

bool IsRegion(const std::string& s) {
  return s.size() == 6 && s != "000000" &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Status RequireNewId(const StateReader& state, const nlohmann::json& b, const std::string& field,
                    const std::string& key_prefix, const std::string& what) {
  auto id = RequireString(b, field, 64);
  if (!id.ok()) return id.status();
  if (!IsValidAccountId(*id)) {
    return Status::InvalidArgument(what + ".id",
                                   field + " \"" + *id + "\" must be 1..64 of [a-z0-9._-]");
  }
  auto existing = state.Get(key_prefix + *id);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return Status::Conflict(what + ".exists", what + " \"" + *id + "\" is already registered");
  }
  return Status::OK();
}

// Copies optional string fields that were given.
Status CopyOptional(const nlohmann::json& b, nlohmann::json& record,
                    std::initializer_list<std::pair<const char*, size_t>> fields) {
  for (auto [field, max_len] : fields) {
    if (!b.contains(field)) continue;
    auto v = RequireString(b, field, max_len);
    if (!v.ok()) return v.status();
    record[field] = *v;
  }
  return Status::OK();
}

Status ApplyGeneratorRegister(const TxContext& ctx, StateTxn& state) {
  const nlohmann::json& b = ctx.tx.body;
  REGISTRY_RETURN_IF_ERROR(
      OnlyFields(b, {"generator", "name", "owner", "technology", "capacity_kw", "region"}, "body"));
  REGISTRY_RETURN_IF_ERROR(RequireNewId(state, b, "generator", "rg/", "generator"));
  auto owner = RequireString(b, "owner", 64);
  if (!owner.ok()) return owner.status();
  auto tech = RequireString(b, "technology", 16);
  if (!tech.ok()) return tech.status();
  if (std::find(std::begin(kTechnologies), std::end(kTechnologies), *tech) ==
      std::end(kTechnologies)) {
    return Status::InvalidArgument(
        "technology.invalid",
        "technology must be wind, solar, hydro, biomass, geothermal or other, not \"" + *tech +
            "\"");
  }
  auto kw = RequireQuantity(b, "capacity_kw");
  if (!kw.ok() || *kw > kMaxCapacityKw) {
    return Status::InvalidArgument(
        "capacity.invalid",
        "capacity_kw must be an integer number of kW, 1.." + std::to_string(kMaxCapacityKw));
  }
  auto region = RequireString(b, "region", 6);
  if (!region.ok()) return region.status();
  if (!IsRegion(*region) || region->substr(2) != "0000") {
    return Status::InvalidArgument("region.invalid",
                                   "region must be a province-level GB/T 2260 code (\"340000\")");
  }
  auto acct = RequireAccount(state, *owner, kOwnerRoles, "owner");
  if (!acct.ok()) return acct.status();
  const std::string id = b["generator"].get<std::string>();
  nlohmann::json g = {{"id", id},           {"owner", *owner},   {"technology", *tech},
                      {"capacity_kw", *kw}, {"region", *region}, {"registered_seq", ctx.seq}};
  REGISTRY_RETURN_IF_ERROR(CopyOptional(b, g, {{"name", 256}}));
  return PutRecord(state, GeneratorKey(id), g);
}

Status ApplyProjectRegister(const TxContext& ctx, StateTxn& state) {
  const nlohmann::json& b = ctx.tx.body;
  REGISTRY_RETURN_IF_ERROR(OnlyFields(b,
                                      {"project", "instrument", "name", "owner", "methodology",
                                       "sector", "scenario", "region", "generator"},
                                      "body"));
  REGISTRY_RETURN_IF_ERROR(RequireNewId(state, b, "project", "rp/", "project"));
  auto instrument = RequireInstrument(b, "instrument");
  if (!instrument.ok()) return instrument.status();
  if (*instrument == kGec) {
    return Status::InvalidArgument("instrument.invalid",
                                   "projects issue CCER or CIC; GECs are issued to generators");
  }
  auto owner = RequireString(b, "owner", 64);
  if (!owner.ok()) return owner.status();
  auto methodology = RequireString(b, "methodology", 64);
  if (!methodology.ok()) return methodology.status();
  auto region = RequireString(b, "region", 6);
  if (!region.ok()) return region.status();
  if (!IsRegion(*region)) {
    return Status::InvalidArgument("region.invalid", "region must be a six-digit GB/T 2260 code");
  }
  const bool ccer = *instrument == kCcer;
  if (ccer && !b.contains("sector")) {
    return Status::InvalidArgument("field.missing", "sector is required for a CCER project");
  }
  if (!ccer && (b.contains("sector") || b.contains("generator"))) {
    return Status::InvalidArgument("field.unknown",
                                   "sector and generator are for CCER projects only");
  }
  if (ccer && b.contains("scenario")) {
    return Status::InvalidArgument("field.unknown", "scenario is for CIC projects only");
  }
  const std::string id = b["project"].get<std::string>();
  nlohmann::json p = {{"id", id},          {"instrument", *instrument},
                      {"owner", *owner},   {"methodology", *methodology},
                      {"region", *region}, {"registered_seq", ctx.seq}};
  REGISTRY_RETURN_IF_ERROR(
      CopyOptional(b, p, {{"name", 256}, {"sector", 64}, {"scenario", 128}, {"generator", 64}}));
  auto acct = RequireAccount(state, *owner, kOwnerRoles, "owner");
  if (!acct.ok()) return acct.status();
  if (p.contains("generator")) {
    const std::string gen = p["generator"].get<std::string>();
    auto g =
        RequireRecord(state, GeneratorKey(gen), "generator.unknown", "generator \"" + gen + "\"");
    if (!g.ok()) return g.status();
    if (g->contains("ccer_project")) {
      return Status::Conflict("generator.linked",
                              "generator \"" + gen + "\" is already linked to CCER project \"" +
                                  (*g)["ccer_project"].get<std::string>() + "\"");
    }
    (*g)["ccer_project"] = id;
    REGISTRY_RETURN_IF_ERROR(PutRecord(state, GeneratorKey(gen), *g));
  }
  return PutRecord(state, ProjectKey(id), p);
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
  const std::string id = "I" + std::to_string(oc.tx.seq) + "." + std::to_string(op);
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
  totals->issued += quantity;
  totals->held += quantity;
  totals->issuances += 1;
  totals->next_serial += quantity;
  return SaveTotals(txn, instrument, *totals);
}

Status IssueGec(OpContext& oc, size_t op, const nlohmann::json& o, StateTxn& txn) {
  REGISTRY_RETURN_IF_ERROR(OnlyFields(o, {"generator", "month", "quantity"}, "op"));
  auto gen_id = RequireString(o, "generator", 64);
  if (!gen_id.ok()) return gen_id.status();
  auto month = RequireMonth(o, "month");
  if (!month.ok()) return month.status();
  auto quantity = RequireQuantity(o, "quantity");
  if (!quantity.ok()) return quantity.status();
  auto gen = RequireRecord(txn, GeneratorKey(*gen_id), "generator.unknown",
                           "generator \"" + *gen_id + "\"");
  if (!gen.ok()) return gen.status();
  if (*month >= oc.now_month) {
    return Status::Unprocessable("issuance.future_month", "generation month " +
                                                              FormatMonth(*month) +
                                                              " has not ended (acceptance month " +
                                                              FormatMonth(oc.now_month) + ")");
  }
  auto g = LoadGeneration(txn, *gen_id, *month);
  if (!g.ok()) return g.status();
  if (!g->ccer.empty()) {
    return Status::Conflict("double_counting.gec_ccer",
                            "generator \"" + *gen_id + "\" month " + FormatMonth(*month) +
                                " is reserved for CCER project \"" + g->ccer +
                                "\"; it cannot also back GECs");
  }
  const uint64_t cap =
      (*gen)["capacity_kw"].get<uint64_t>() * uint64_t(HoursInMonth(*month)) / 1000;
  if (*quantity > cap || g->gec > cap - *quantity) {
    return Status::Unprocessable("issuance.over_capacity",
                                 "generator \"" + *gen_id + "\" month " + FormatMonth(*month) +
                                     ": " + std::to_string(g->gec) + " MWh issued + " +
                                     std::to_string(*quantity) +
                                     " exceeds capacity x hours = " + std::to_string(cap) + " MWh");
  }
  g->gec += *quantity;
  REGISTRY_RETURN_IF_ERROR(SaveGeneration(txn, *gen_id, *month, *g));
  nlohmann::json issuance = {
      {"generator", *gen_id}, {"technology", (*gen)["technology"]}, {"region", (*gen)["region"]}};
  return Issue(oc, txn, op, std::string(kGec), *quantity, (*gen)["owner"].get<std::string>(),
               FormatMonth(*month), issuance);
}

// Moves a block to a final or frozen status as a whole (no split), for the operator's sweeps.
Status Restate(OpContext& oc, StateTxn& txn, const Block& b, std::string_view status,
               const std::string& event) {
  Block next = Successor(oc, b, b.first, b.last, event);
  next.status = std::string(status);
  return Supersede(txn, &b, {next});
}

// The GEC blocks of one generator-month still in the validity index (active or frozen).
Result<std::vector<Block>> GecBlocksOf(const StateReader& state, const std::string& generator,
                                       int month) {
  std::vector<IndexedRange> ranges;
  Status parse;
  Status s = state.Scan(ValidityMonthPrefix(month, generator),
                        [&](const std::string& key, const std::string& value) {
                          auto r = ParseIndexEntry(key, value);
                          if (!r.ok()) parse = r.status();
                          if (r.ok()) ranges.push_back(*r);
                          return r.ok();
                        });
  if (!s.ok()) return s;
  if (!parse.ok()) return parse;
  std::vector<Block> out;
  for (const IndexedRange& r : ranges) {
    auto b = LoadCurrentBlock(state, kGec, r.last);
    if (!b.ok()) return b.status();
    if (!b->has_value() || (*b)->first != r.first) {
      return Status::Corruption("state.index", "validity index entry does not match its block");
    }
    out.push_back(std::move(**b));
  }
  return out;
}

// A CCER issuance of a project linked to a generator claims the generation months of its
// vintage in the uniqueness index. Every month must have no GEC left but frozen ones, which
// are cancelled here (the public end of the GEC–CCER choice).
Status ClaimGenerationForCcer(OpContext& oc, StateTxn& txn, const std::string& project,
                              const std::string& generator, const Vintage& v) {
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
              "choice); it cannot also back CCER"));
    }
  }
  if (!problems.empty()) return problems.ToStatus();
  auto totals = LoadTotals(txn, kGec);
  if (!totals.ok()) return totals.status();
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
    REGISTRY_RETURN_IF_ERROR(SaveGeneration(txn, generator, m, *g));
  }
  return SaveTotals(txn, kGec, *totals);
}

Status IssueCredit(OpContext& oc, size_t op, const nlohmann::json& o, StateTxn& txn) {
  REGISTRY_RETURN_IF_ERROR(OnlyFields(o, {"project", "vintage", "quantity"}, "op"));
  auto project_id = RequireString(o, "project", 64);
  if (!project_id.ok()) return project_id.status();
  auto vintage_text = RequireString(o, "vintage", 16);
  if (!vintage_text.ok()) return vintage_text.status();
  auto quantity = RequireQuantity(o, "quantity");
  if (!quantity.ok()) return quantity.status();
  auto project = RequireRecord(txn, ProjectKey(*project_id), "project.unknown",
                               "project \"" + *project_id + "\"");
  if (!project.ok()) return project.status();
  const std::string instrument = (*project)["instrument"].get<std::string>();
  auto v = ParseVintage(instrument, *vintage_text);
  if (!v) {
    return Status::InvalidArgument("vintage.invalid",
                                   "vintage must be a year \"YYYY\" or a monitoring period "
                                   "\"YYYY-MM/YYYY-MM\" of at most 120 months, not \"" +
                                       *vintage_text + "\"");
  }
  if (v->to >= oc.now_month) {
    return Status::Unprocessable("issuance.future_month", "vintage " + *vintage_text +
                                                              " has not ended (acceptance month " +
                                                              FormatMonth(oc.now_month) + ")");
  }
  nlohmann::json issuance = {{"project", *project_id},
                             {"methodology", (*project)["methodology"]},
                             {"region", (*project)["region"]}};
  if (project->contains("generator")) {
    const std::string gen = (*project)["generator"].get<std::string>();
    issuance["generator"] = gen;
    REGISTRY_RETURN_IF_ERROR(ClaimGenerationForCcer(oc, txn, *project_id, gen, *v));
  }
  return Issue(oc, txn, op, instrument, *quantity, (*project)["owner"].get<std::string>(),
               *vintage_text, issuance);
}

Status ApplyGecIssue(const TxContext& ctx, StateTxn& state) {
  REGISTRY_RETURN_IF_ERROR(OnlyFields(ctx.tx.body, {"ops"}, "body"));
  auto oc = OpContext::For(ctx, state);
  if (!oc.ok()) return oc.status();
  return RunOps(ctx.tx.body, state, [&](size_t i, const nlohmann::json& o, StateTxn& txn) {
    return IssueGec(*oc, i, o, txn);
  });
}

Status ApplyCreditIssue(const TxContext& ctx, StateTxn& state) {
  REGISTRY_RETURN_IF_ERROR(OnlyFields(ctx.tx.body, {"ops"}, "body"));
  auto oc = OpContext::For(ctx, state);
  if (!oc.ok()) return oc.status();
  return RunOps(ctx.tx.body, state, [&](size_t i, const nlohmann::json& o, StateTxn& txn) {
    return IssueCredit(*oc, i, o, txn);
  });
}

// The CCER choice of a project linked to a generator: its generation months [from, to] are
// reserved for CCER (no GEC may be issued for them any more) and the untraded GECs of those
// months — active, within validity, still held by the generator's owner — are frozen until
// the CCER issuance cancels them.
Status ApplyGecFreeze(const TxContext& ctx, StateTxn& state) {
  const nlohmann::json& b = ctx.tx.body;
  REGISTRY_RETURN_IF_ERROR(OnlyFields(b, {"project", "from", "to", "reason"}, "body"));
  auto project_id = RequireString(b, "project", 64);
  if (!project_id.ok()) return project_id.status();
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
  auto project = RequireRecord(state, ProjectKey(*project_id), "project.unknown",
                               "project \"" + *project_id + "\"");
  if (!project.ok()) return project.status();
  if ((*project)["instrument"] != kCcer || !project->contains("generator")) {
    return Status::Unprocessable(
        "project.not_linked",
        "project \"" + *project_id + "\" is not a CCER project linked to a generator");
  }
  const std::string gen_id = (*project)["generator"].get<std::string>();
  auto gen = RequireRecord(state, GeneratorKey(gen_id), "generator.unknown", "generator");
  if (!gen.ok()) return gen.status();
  const std::string owner = (*gen)["owner"].get<std::string>();
  auto oc = OpContext::For(ctx, state);
  if (!oc.ok()) return oc.status();
  auto totals = LoadTotals(state, kGec);
  if (!totals.ok()) return totals.status();
  for (int m = *from; m <= *to; ++m) {
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
    g->ccer = *project_id;
    REGISTRY_RETURN_IF_ERROR(SaveGeneration(state, gen_id, m, *g));
  }
  return SaveTotals(state, kGec, *totals);
}

// The expiry sweep: moves up to `limit` active GEC blocks whose validity ended before the
// acceptance month to "expired", oldest generation month first (then generator, then serial).
Status ApplyGecExpire(const TxContext& ctx, StateTxn& state) {
  const nlohmann::json& b = ctx.tx.body;
  REGISTRY_RETURN_IF_ERROR(OnlyFields(b, {"limit"}, "body"));
  auto limit = RequireQuantity(b, "limit");
  if (!limit.ok()) return limit.status();
  if (*limit > 10000) {
    return Status::InvalidArgument("quantity.range", "limit must be 1..10000");
  }
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
    return due.size() < *limit;
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

// Correction: cancels units issued in error, only while the original recipient still holds
// them (active or frozen). Final; a GEC cancellation frees its generator-month capacity.
Status CancelOp(OpContext& oc, const nlohmann::json& o, StateTxn& txn) {
  REGISTRY_RETURN_IF_ERROR(OnlyFields(o, {"instrument", "first", "last"}, "op"));
  auto instrument = RequireInstrument(o, "instrument");
  if (!instrument.ok()) return instrument.status();
  auto spec = ParseUnitSpec(o, *instrument);
  if (!spec.ok()) return spec.status();
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
  auto totals = LoadTotals(txn, *instrument);
  if (!totals.ok()) return totals.status();
  auto taken = Take(oc, txn, "", *spec, Move{"cancel", std::string(kCancelled), "", ""}, eligible);
  if (!taken.ok()) return taken.status();
  for (const Block& t : *taken) {
    const bool frozen = frozen_blocks.count(t.parent) > 0;
    totals->held -= t.quantity();
    totals->cancelled += t.quantity();
    if (frozen) totals->frozen -= t.quantity();
    if (*instrument == kGec) {
      auto g = LoadGeneration(txn, t.generator, t.month());
      if (!g.ok()) return g.status();
      g->gec -= t.quantity();
      if (frozen) g->frozen -= t.quantity();
      REGISTRY_RETURN_IF_ERROR(SaveGeneration(txn, t.generator, t.month(), *g));
    }
  }
  return SaveTotals(txn, *instrument, *totals);
}

Status ApplyUnitCancel(const TxContext& ctx, StateTxn& state) {
  REGISTRY_RETURN_IF_ERROR(OnlyFields(ctx.tx.body, {"reason", "ops"}, "body"));
  auto reason = RequireString(ctx.tx.body, "reason", 1024);
  if (!reason.ok()) return reason.status();
  auto oc = OpContext::For(ctx, state);
  if (!oc.ok()) return oc.status();
  return RunOps(ctx.tx.body, state, [&](size_t, const nlohmann::json& o, StateTxn& txn) {
    return CancelOp(*oc, o, txn);
  });
}

}  // namespace

std::vector<TxRule> RegistrationRules() {
  return {
      {"generator.register", {"registry"}, &ApplyGeneratorRegister},
      {"project.register", {"registry"}, &ApplyProjectRegister},
  };
}

std::vector<TxRule> IssuanceRules() {
  return {
      {"gec.issue", {"registry"}, &ApplyGecIssue},
      {"credit.issue", {"registry"}, &ApplyCreditIssue},
      {"gec.freeze", {"registry"}, &ApplyGecFreeze},
      {"gec.expire", {"registry"}, &ApplyGecExpire},
      {"unit.cancel", {"registry"}, &ApplyUnitCancel},
  };
}

}  // namespace carbonledger::registry
