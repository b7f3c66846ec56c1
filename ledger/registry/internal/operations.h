// Registry operations: what every registry rule shares. A registry transaction carries a batch
// of operations that applies all or nothing; each operation names units by quantity (selected
// oldest vintage first) or by serial range, and moves them by replacing the blocks it touches.
// Private to the ledger library (docs/registry-rules.md §Batches, §Selection).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ledger/log/fields.h"
#include "ledger/log/tx_types.h"
#include "ledger/registry/accounts.h"
#include "ledger/registry/internal/records.h"

namespace carbonledger::registry {

#define REGISTRY_RETURN_IF_ERROR(expr) \
  do {                                 \
    Status _s = (expr);                \
    if (!_s.ok()) return _s;           \
  } while (0)

// Everything wrong with one operation: the Status of the first problem, and a message listing
// every problem (each failing serial range), capped at kMaxListed.
class Problems {
 public:
  static constexpr size_t kMaxListed = 20;
  void Add(const Status& s);
  bool empty() const { return count_ == 0; }
  Status ToStatus() const;

 private:
  Status first_;
  std::string message_;
  size_t count_ = 0;
};

// ---- Batches (docs/registry-rules.md §Batches). A batch is decoded by the type's Validate into
// typed operations, each alone: an operation whose fields are wrong keeps its Status in its
// place instead of failing the body, because a refusal reports every failing operation in op
// order, field and state problems alike (op 0 names an unknown generator and op 1 a bad month:
// the reason is op 0's).
inline constexpr size_t kMaxOps = 1000;
template <typename Op>
using Ops = std::vector<Result<Op>>;

// body.ops must be an array ("field.missing") of 1..kMaxOps ("batch.size").
Status CheckOpsArray(const nlohmann::json& body);
// "field.type": body.ops[index] is not an object.
Status OpNotAnObject(size_t index);

// Decodes body.ops, each object through `parse`.
template <typename Op>
Result<Ops<Op>> ParseOps(const nlohmann::json& body, Result<Op> (*parse)(const nlohmann::json&)) {
  REGISTRY_RETURN_IF_ERROR(CheckOpsArray(body));
  const nlohmann::json& ops = body["ops"];
  Ops<Op> out;
  out.reserve(ops.size());
  for (size_t i = 0; i < ops.size(); ++i) {
    out.push_back(ops[i].is_object() ? parse(ops[i]) : Result<Op>(OpNotAnObject(i)));
  }
  return out;
}

// Runs `count` operations in order, each in its own nested StateTxn over `state`, so a failing
// operation leaves no trace and later ones still run (to report them too). All succeed: their
// writes are in `state`. Any fails: the Status has the code and reason of the first failure and
// one line per failing operation, "op <i>: <message>".
using OpFn = std::function<Status(size_t index, StateTxn& txn)>;
Status RunEach(size_t count, StateTxn& state, const OpFn& fn);

// RunEach over decoded operations: an operation Validate found malformed fails with its Status
// where it stands; the others are applied by `apply(index, op, txn)`.
template <typename Op, typename ApplyOp>
Status RunOps(const Ops<Op>& ops, StateTxn& state, const ApplyOp& apply) {
  return RunEach(ops.size(), state, [&](size_t i, StateTxn& txn) -> Status {
    if (!ops[i].ok()) return ops[i].status();
    return apply(i, *ops[i], txn);
  });
}

// ---- Fields. Every error names the field.
Result<uint64_t> RequireQuantity(const nlohmann::json& o, const std::string& field);
Result<std::string> RequireInstrument(const nlohmann::json& o, const std::string& field);
Result<int> RequireMonth(const nlohmann::json& o, const std::string& field);
// An existing account, optionally with one of `roles`.
Result<Account> RequireAccount(const StateReader& state, const std::string& id,
                               const std::vector<std::string>& roles, const std::string& what);

// The units an operation names.
struct UnitSpec {
  std::string instrument;
  bool by_range = false;
  uint64_t quantity = 0;         // by quantity
  uint64_t first = 0, last = 0;  // by range
};
// Reads {"quantity": n} or {"first": a, "last": b} (exactly one form) from `op`.
Result<UnitSpec> ParseUnitSpec(const nlohmann::json& op, std::string instrument);

// The most current blocks the spends of one transaction may read: bounds what one entry costs
// the sequencer (and the memory of its group commit) whatever its ranges and quantities.
inline constexpr size_t kMaxBlocksPerTx = 10000;

// The clock, id source and block budget of one transaction.
struct OpContext {
  const TxContext& tx;
  BlockIds ids;
  int now_month = 0;
  int validity = 0;                       // gec_validity_months
  size_t block_budget = kMaxBlocksPerTx;  // blocks its spends may still read
  int64_t format = kLedgerFormat;         // the ledger's (rules changed in 3 ask it)
  static Result<OpContext> For(const TxContext& tx, const StateReader& state);
  // Charges `n` blocks read; TooLarge ("batch.too_many_blocks") past the budget.
  Status ChargeBlocks(size_t n);
  bool PastValidity(const Block& b) const {
    return b.instrument == kGec && b.month() < FirstValidMonth(now_month, validity);
  }
};

// What happens to the units an operation takes.
struct Move {
  std::string event;   // transfer, claim, retire, cancel
  std::string status;  // their new status
  std::string holder;  // their new holder; empty = unchanged
  std::string ref;     // claim or retirement id
};

// Whether a block's units may be taken; the message describes the block's state.
using EligibleFn = std::function<Status(const Block& b)>;
// The ordinary rule: active, held by `holder`, GEC within validity.
EligibleFn Spendable(const OpContext& oc, const std::string& holder);

// Takes the named units, splitting the blocks at the edges, and returns the taken pieces (the
// new blocks carrying `move`). By quantity: `holder`'s active blocks in selection order. By
// range: every block meeting the range must pass `eligible`; every one that does not is listed.
Result<std::vector<Block>> Take(OpContext& oc, StateTxn& txn, const std::string& holder,
                                const UnitSpec& spec, const Move& move, const EligibleFn& eligible);

// A successor version of `b` over [first, last] (new id, parent b, this entry's seq).
Block Successor(OpContext& oc, const Block& b, uint64_t first, uint64_t last,
                const std::string& event);

// Moves a block to a final or frozen status as a whole (no split), for the operator's sweeps.
Status Restate(OpContext& oc, StateTxn& txn, const Block& b, std::string_view status,
               const std::string& event);
// The GEC blocks of one generator-month still in the validity index (active or frozen).
Result<std::vector<Block>> GecBlocksOf(const StateReader& state, const std::string& generator,
                                       int month);

// The record of a claim or retirement: which blocks it took; *quantity is their sum.
nlohmann::json TakenBlocks(const std::vector<Block>& taken, uint64_t* quantity);
// Ledger format 4: the blocks operation `op` took go into the entry's note, as
// {"blocks":[{"first","issuance","last"},…]} in the outcome's "ops" (so a verifier reads which
// serials a claim, retirement or transfer by quantity moved from the entry alone).
void NoteTakenBlocks(const TxContext& ctx, const std::vector<Block>& taken);
// The id of operation `op` of this entry: "<kind><seq>.<op>" (C for claims, R retirements).
std::string OpId(char kind, const OpContext& oc, size_t op);

// The roles that hold and spend units.
inline const std::vector<std::string> kHolderRoles = {"park", "trader", "project_owner"};

// The registry's type lists, one per file (assembled by RegistryTxTypes()).
std::vector<TxType> RegistrationTypes();  // generator.register, project.register
std::vector<TxType> IssuanceTypes();      // gec.issue, credit.issue
std::vector<TxType> CorrectionTypes();    // gec.freeze, gec.expire, unit.cancel
std::vector<TxType> TransferTypes();      // unit.transfer
std::vector<TxType> ClaimTypes();         // gec.claim
std::vector<TxType> RetirementTypes();    // credit.retire, retirement.accept

}  // namespace carbonledger::registry
