#include "ledger/registry/internal/operations.h"

#include "ledger/registry/accounts.h"

#include <algorithm>

namespace carbonledger::registry {

void Problems::Add(const Status& s) {
  if (count_ == 0) first_ = s;
  if (count_ < kMaxListed) {
    if (!message_.empty()) message_ += "; ";
    message_ += s.message();
  }
  ++count_;
}

Status Problems::ToStatus() const {
  if (count_ == 0) return Status::OK();
  std::string m = message_;
  if (count_ > kMaxListed) m += "; and " + std::to_string(count_ - kMaxListed) + " more";
  return Status(first_.code(), first_.reason(), m);
}

Status CheckOpsArray(const nlohmann::json& body) {
  if (!body.contains("ops") || !body["ops"].is_array()) {
    return Status::InvalidArgument("field.missing", "body.ops is required and must be an array");
  }
  if (body["ops"].empty() || body["ops"].size() > kMaxOps) {
    return Status::InvalidArgument(
        "batch.size", "body.ops must hold 1.." + std::to_string(kMaxOps) + " operations");
  }
  return Status::OK();
}

Status OpNotAnObject(size_t index) {
  return Status::InvalidArgument("field.type",
                                 "body.ops[" + std::to_string(index) + "] must be an object");
}

Status RunEach(size_t count, StateTxn& state, const OpFn& fn) {
  Status first;
  std::string lines;
  for (size_t i = 0; i < count; ++i) {
    StateTxn txn(state);
    Status s = fn(i, txn);
    if (s.ok()) {
      state.Absorb(txn);
      continue;
    }
    if (first.ok()) first = s;
    if (!lines.empty()) lines += "\n";
    lines += "op " + std::to_string(i) + ": " + s.message();
  }
  if (first.ok()) return first;
  return Status(first.code(), first.reason(), lines);
}

// ---- Fields.

Result<uint64_t> RequireQuantity(const nlohmann::json& o, const std::string& field) {
  if (!o.contains(field) || !o[field].is_number_integer()) {
    return Status::InvalidArgument("field.missing", field + " is required and must be an integer");
  }
  const nlohmann::json& v = o[field];
  bool positive = v.is_number_unsigned() ? v.get<uint64_t>() > 0 : v.get<int64_t>() > 0;
  if (!positive || v.get<uint64_t>() > kMaxUnits) {
    return Status::InvalidArgument("quantity.range",
                                   field + " must be 1.." + std::to_string(kMaxUnits));
  }
  return v.get<uint64_t>();
}

Result<std::string> RequireInstrument(const nlohmann::json& o, const std::string& field) {
  auto s = RequireString(o, field, 8);
  if (!s.ok()) return s.status();
  if (!IsInstrument(*s)) {
    return Status::InvalidArgument("instrument.invalid",
                                   field + " must be GEC, CCER or CIC, not \"" + *s + "\"");
  }
  return s;
}

Result<int> RequireMonth(const nlohmann::json& o, const std::string& field) {
  auto s = RequireString(o, field, 16);
  if (!s.ok()) return s.status();
  auto m = ParseMonth(*s);
  if (!m) {
    return Status::InvalidArgument("month.invalid",
                                   field + " must be a month \"YYYY-MM\", not \"" + *s + "\"");
  }
  return *m;
}

Result<Account> RequireAccount(const StateReader& state, const std::string& id,
                               const std::vector<std::string>& roles, const std::string& what) {
  auto a = FindAccount(state, id);
  if (!a.ok()) return a.status();
  if (!a->has_value()) {
    return Status::NotFound("account.unknown", what + " \"" + id + "\" is not an account");
  }
  const std::string role(RoleName((*a)->role));
  if (!roles.empty() && std::find(roles.begin(), roles.end(), role) == roles.end()) {
    std::string allowed;
    for (const auto& r : roles) allowed += (allowed.empty() ? "" : ", ") + r;
    return Status::Unprocessable("account.role", what + " \"" + id + "\" has role \"" + role +
                                                     "\"; it must be one of: " + allowed);
  }
  return std::move(**a);
}

Result<UnitSpec> ParseUnitSpec(const nlohmann::json& op, std::string instrument) {
  UnitSpec spec;
  spec.instrument = std::move(instrument);
  bool q = op.contains("quantity"), f = op.contains("first"), l = op.contains("last");
  if (q == (f || l)) {
    return Status::InvalidArgument("units.spec",
                                   "give either quantity or both first and last, not both");
  }
  if (q) {
    auto n = RequireQuantity(op, "quantity");
    if (!n.ok()) return n.status();
    spec.quantity = *n;
    return spec;
  }
  spec.by_range = true;
  for (auto [field, out] : {std::pair{"first", &spec.first}, std::pair{"last", &spec.last}}) {
    if (!op.contains(field) || !op[field].is_number_integer()) {
      return Status::InvalidArgument("field.missing",
                                     std::string(field) + " is required and must be an integer");
    }
    const nlohmann::json& v = op[field];
    if (!(v.is_number_unsigned() ? v.get<uint64_t>() > 0 : v.get<int64_t>() > 0) ||
        v.get<uint64_t>() > kMaxUnits) {
      return Status::InvalidArgument(
          "serial.range", std::string(field) + " must be a serial 1.." + std::to_string(kMaxUnits));
    }
    *out = v.get<uint64_t>();
  }
  if (spec.first > spec.last) {
    return Status::InvalidArgument("serial.range", "first must not be above last");
  }
  return spec;
}

Status OpContext::ChargeBlocks(size_t n) {
  if (n > block_budget) {
    block_budget = 0;
    return Status::TooLarge("batch.too_many_blocks",
                            "the transaction's operations meet more than " +
                                std::to_string(kMaxBlocksPerTx) + " blocks; split it");
  }
  block_budget -= n;
  return Status::OK();
}

Result<OpContext> OpContext::For(const TxContext& tx, const StateReader& state) {
  auto validity = GecValidityMonths(state);
  if (!validity.ok()) return validity.status();
  OpContext oc{tx, BlockIds(tx.seq)};
  oc.now_month = AcceptanceMonth(tx.accepted_ms);
  oc.validity = *validity;
  auto format = LedgerFormat(state);
  if (!format.ok()) return format.status();
  oc.format = *format;
  return oc;
}

// ---- Taking units.

namespace {

std::string Where(const Block& b) {
  std::string s = "entry " + std::to_string(b.seq);
  if (!b.ref.empty()) s += ", " + b.ref;
  return s;
}

// Replaces `b` by up to three blocks: the part before [lo, hi] and the part after keep their
// holder and status ("split"); [lo, hi] gets `move`. Returns the moved part.
Result<Block> Carve(OpContext& oc, StateTxn& txn, const Block& b, uint64_t lo, uint64_t hi,
                    const Move& move) {
  std::vector<Block> next;
  if (lo > b.first) next.push_back(Successor(oc, b, b.first, lo - 1, "split"));
  Block taken = Successor(oc, b, lo, hi, move.event);
  taken.status = move.status;
  if (!move.holder.empty()) taken.holder = move.holder;
  taken.ref = move.ref;
  next.push_back(taken);
  if (hi < b.last) next.push_back(Successor(oc, b, hi + 1, b.last, "split"));
  REGISTRY_RETURN_IF_ERROR(Supersede(txn, &b, next));
  return taken;
}

Result<std::vector<Block>> TakeRange(OpContext& oc, StateTxn& txn, const UnitSpec& spec,
                                     const Move& move, const EligibleFn& eligible) {
  auto blocks = CurrentBlocksIn(txn, spec.instrument, spec.first, spec.last, oc.block_budget);
  if (!blocks.ok()) return blocks.status();
  REGISTRY_RETURN_IF_ERROR(oc.ChargeBlocks(blocks->size()));
  Problems problems;
  uint64_t covered = spec.first - 1;
  for (const Block& b : *blocks) {
    if (Status s = eligible(b); !s.ok()) {
      problems.Add(Status(s.code(), s.reason(),
                          FormatSerials(spec.instrument, std::max(b.first, spec.first),
                                        std::min(b.last, spec.last)) +
                              " " + s.message()));
    }
    covered = b.last;
  }
  if (covered < spec.last) {
    problems.Add(Status::NotFound(
        "serial.unknown",
        FormatSerials(spec.instrument, covered + 1, spec.last) + " was never issued"));
  }
  if (!problems.empty()) return problems.ToStatus();
  std::vector<Block> taken;
  for (const Block& b : *blocks) {
    auto t = Carve(oc, txn, b, std::max(b.first, spec.first), std::min(b.last, spec.last), move);
    if (!t.ok()) return t.status();
    taken.push_back(std::move(*t));
  }
  return taken;
}

// Selection by quantity: the holder's active blocks in index order (vintage from-month, then
// to-month, then first serial), skipping GECs past validity by starting the scan after them.
Result<std::vector<Block>> TakeQuantity(OpContext& oc, StateTxn& txn, const std::string& holder,
                                        const UnitSpec& spec, const Move& move) {
  const std::string prefix = HoldingPrefix(holder, spec.instrument);
  std::string start = prefix;
  if (spec.instrument == kGec) start += CompactMonth(FirstValidMonth(oc.now_month, oc.validity));
  std::vector<IndexedRange> chosen;
  uint64_t found = 0;
  Status parse;
  Status s = txn.ScanFrom(prefix, start, [&](const std::string& key, const std::string& value) {
    auto r = ParseIndexEntry(key, value);
    if (!r.ok()) {
      parse = r.status();
      return false;
    }
    chosen.push_back(*r);
    found += r->last - r->first + 1;
    return found < spec.quantity && chosen.size() <= oc.block_budget;
  });
  if (!s.ok()) return s;
  if (!parse.ok()) return parse;
  REGISTRY_RETURN_IF_ERROR(oc.ChargeBlocks(chosen.size()));
  if (found < spec.quantity) {
    return Status::Unprocessable("holdings.insufficient",
                                 "\"" + holder + "\" holds " + std::to_string(found) +
                                     " spendable " + spec.instrument + ", fewer than the " +
                                     std::to_string(spec.quantity) + " asked for");
  }
  std::vector<Block> taken;
  uint64_t left = spec.quantity;
  for (const IndexedRange& r : chosen) {
    auto b = LoadCurrentBlock(txn, spec.instrument, r.last);
    if (!b.ok()) return b.status();
    if (!b->has_value() || (*b)->first != r.first || (*b)->last != r.last ||
        (*b)->holder != holder || (*b)->status != kActive) {
      return Status::Corruption("state.index", "holdings index entry " +
                                                   FormatSerials(spec.instrument, r.first, r.last) +
                                                   " does not match its block");
    }
    uint64_t n = std::min(left, r.last - r.first + 1);
    auto t = Carve(oc, txn, **b, r.first, r.first + n - 1, move);
    if (!t.ok()) return t.status();
    taken.push_back(std::move(*t));
    left -= n;
  }
  return taken;
}

}  // namespace

Block Successor(OpContext& oc, const Block& b, uint64_t first, uint64_t last,
                const std::string& event) {
  Block s = b;
  s.id = oc.ids.Next();
  s.first = first;
  s.last = last;
  s.parent = b.id;
  s.seq = oc.tx.seq;
  s.event = event;
  return s;
}

EligibleFn Spendable(const OpContext& oc, const std::string& holder) {
  return [&oc, holder](const Block& b) -> Status {
    if (b.status == kClaimed || b.status == kRetired || b.status == kCancelled) {
      return Status::Conflict("unit.used", "is already " + b.status + " (" + Where(b) + ")");
    }
    if (b.status == kExpired) {
      return Status::Unprocessable("gec.expired", "has expired (" + Where(b) + ")");
    }
    if (b.holder != holder) {
      return Status::Unprocessable("holdings.not_held",
                                   "is held by \"" + b.holder + "\", not \"" + holder + "\"");
    }
    if (b.status == kFrozen) {
      return Status::Unprocessable(
          "unit.frozen", "is frozen: its generation month is reserved for CCER (" + Where(b) + ")");
    }
    if (oc.PastValidity(b)) {
      return Status::Unprocessable("gec.expired", "is past validity: generated " + b.vintage +
                                                      ", valid through " +
                                                      FormatMonth(b.month() + oc.validity - 1));
    }
    return Status::OK();
  };
}

Result<std::vector<Block>> Take(OpContext& oc, StateTxn& txn, const std::string& holder,
                                const UnitSpec& spec, const Move& move,
                                const EligibleFn& eligible) {
  if (spec.by_range) return TakeRange(oc, txn, spec, move, eligible);
  return TakeQuantity(oc, txn, holder, spec, move);
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

void NoteTakenBlocks(const TxContext& ctx, const std::vector<Block>& taken) {
  nlohmann::json blocks = nlohmann::json::array();
  for (const Block& t : taken) {
    blocks.push_back({{"first", t.first}, {"issuance", t.issuance}, {"last", t.last}});
  }
  AppendOutcome(ctx, "ops", {{"blocks", blocks}});
}

std::string OpId(char kind, const OpContext& oc, size_t op) {
  return std::string(1, kind) + std::to_string(oc.tx.seq) + "." + std::to_string(op);
}

}  // namespace carbonledger::registry
