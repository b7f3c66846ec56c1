// Transaction types: what a transaction means, told to the log from outside. The log knows no
// type of its own: Ledger::Open, Ledger::Create and VerifyLedger take a TxTypeTable (the
// registry's and certification's types, assembled in ledger/certification/transaction_types.h),
// and every entry goes through the same pipeline (ledger/log/pipeline.h), live and in replay.
//
// A type is a pair of functions over a typed body:
//   validate: the transaction alone -> the body as a typed value, or the Status naming the field
//             that is wrong. Pure: no state, no clock, no I/O, so it runs on any thread and can be
//             tested alone.
//   apply:    the valid body -> writes into a StateTxn. Either it succeeds with all its writes or
//             it fails and the pipeline discards its StateTxn, so a refused transaction changes
//             nothing.
// The table also says who signs: the signer of entry 0 (the "genesis" type) is named by the
// transaction itself; every other signer is a record in state with a key, a role and the last
// nonce it used (one read per transaction).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "crypto/status.h"
#include "ledger/log/state.h"
#include "ledger/log/transaction.h"

namespace carbonledger {

// The type of entry 0, and of entry 0 only.
inline constexpr std::string_view kGenesisType = "genesis";

// The state record the genesis type must write, which the log reads at open and after replay:
// a JSON object with at least "origin" (the checkpoint origin, equal to the genesis
// transaction's `ledger`), "log_key" (the checkpoint verifier key, docs/checkpoints.md),
// "format" (kLedgerFormat) and "max_tx_validity_s" (how far after its acceptance a
// transaction's not_after may lie).
inline constexpr const char* kConfigKey = "config";

// The ledger format this build writes (docs/ledger-format.md §Format versions), and the oldest
// it still reads: a format 2 ledger is served and replayed under format 2's rules (rules that
// changed since ask LedgerFormat). Data of any other format is refused by name ("ledger.format").
inline constexpr int64_t kLedgerFormat = 4;
inline constexpr int64_t kOldestReadableFormat = 2;

// The log's parameters, as the config record states them.
struct LogParams {
  std::string origin;
  uint64_t max_tx_validity_ms = 0;  // 0 for entry 0 (no config exists yet)
  int64_t format = kLedgerFormat;   // the config's format
};

// The format of the ledger `state` belongs to, as its config record states it (kLedgerFormat
// before the genesis wrote one): the rules whose decisions changed between formats read it,
// so that a replay of an older ledger decides as the build that wrote it did.
Result<int64_t> LedgerFormat(const StateReader& state);

// Who signed a transaction, as the state knew them before it.
struct Signer {
  PublicKey key{};
  std::string role;         // empty for the genesis signer
  uint64_t last_nonce = 0;  // the transaction's nonce must be above it
  nlohmann::json record;    // the signer's state record as read, in the directory's own shape
};

// What a type's rule tells the log about the entry it applies, beside its state writes.
struct EntryEffects {
  // The chains the entry joins (ledger format 4): each scope names a subject, e.g. a park-year
  // "park-hefei/2025", and the log writes in the entry the seq of the previous entry of each
  // (docs/ledger-format.md §Entries), so a verifier can prove it holds all of them.
  std::vector<std::string> scopes;
  // What a replay without the log's confidential data could not check (empty otherwise).
  std::vector<std::string> unchecked;
  // The rule keeps the transaction's confidential attachment: the log stores it in its
  // confidential key space (ConfidentialKey). An attachment the rule does not keep is refused.
  bool keep_confidential = false;
  // What the rule decided that the transaction does not say, written into the entry's note
  // beside the links (ledger format 4): e.g. "ops", the blocks of units a claim by quantity
  // took. Members must be canonical JSON values.
  nlohmann::json outcome = nlohmann::json::object();
};
// Where a transaction is being applied: its entry's seq and acceptance time.
struct TxContext {
  TxContext(const Transaction& t, uint64_t s, uint64_t ms) : tx(t), seq(s), accepted_ms(ms) {}
  const Transaction& tx;
  uint64_t seq;
  uint64_t accepted_ms;
  // Set by a replay that does not hold the log's confidential data (a mirror's): a rule that
  // needs it checks what it can without and says what it could not in effects->unchecked.
  bool confidential_withheld = false;
  EntryEffects* effects = nullptr;  // set by the pipeline for the type's rule
  // The leaf hash of an earlier entry (seq < this one's), for rules that name entries by
  // hash; unset in replays over bare state (tests, fuzzing), where such a rule says what it
  // could not check.
  std::function<Result<Hash>(uint64_t seq)> leaf_hash;
};
// The rule's entry joins `scope` (EntryEffects::scopes).
void JoinScope(const TxContext& ctx, std::string scope);
// The rule could not check `what` without the confidential data (EntryEffects::unchecked).
void NoteUnchecked(const TxContext& ctx, std::string what);
// Appends `value` to the array `member` of the entry's outcome (EntryEffects::outcome).
void AppendOutcome(const TxContext& ctx, const std::string& member, nlohmann::json value);
// The rule keeps the transaction's confidential attachment (EntryEffects::keep_confidential).
void KeepConfidential(const TxContext& ctx);
// The state record holding entry `seq`'s confidential attachment: "c/<seq>" -> its canonical
// JSON. No public route serves this key space; a mirror holds none of it.
std::string ConfidentialKey(uint64_t seq);

class TxType {
 public:
  // A validated body, typed by the type that made it (opaque to the log).
  using ValidBody = std::shared_ptr<const void>;

  template <typename Body>
  using Validate = Result<Body> (*)(const Transaction& tx);
  template <typename Body>
  using Apply = Status (*)(const TxContext& ctx, const Body& body, StateTxn& state);

  // `roles`: the signer roles allowed to sign this type; empty = any signer.
  template <typename Body>
  TxType(std::string name, std::vector<std::string> roles, Validate<Body> validate,
         Apply<Body> apply)
      : name_(std::move(name)),
        roles_(std::move(roles)),
        validate_([validate](const Transaction& tx) -> Result<ValidBody> {
          auto body = validate(tx);
          if (!body.ok()) return body.status();
          return ValidBody(std::make_shared<const Body>(std::move(*body)));
        }),
        apply_([apply](const TxContext& ctx, const ValidBody& body, StateTxn& state) {
          return apply(ctx, *static_cast<const Body*>(body.get()), state);
        }) {}

  // Both refuse with Internal "tx.internal" if the type's function throws: a rule's bug
  // refuses the one transaction, never the writer (the caller discards `state`).
  Result<ValidBody> ValidateBody(const Transaction& tx) const;
  // `body` must come from this type's ValidateBody.
  Status ApplyBody(const TxContext& ctx, const ValidBody& body, StateTxn& state) const;

  const std::string& name() const { return name_; }
  const std::vector<std::string>& roles() const { return roles_; }
  bool AllowsRole(std::string_view role) const;

 private:
  std::string name_;
  std::vector<std::string> roles_;
  std::function<Result<ValidBody>(const Transaction&)> validate_;
  std::function<Status(const TxContext&, const ValidBody&, StateTxn&)> apply_;
};

// How signers are known: supplied by the library that keeps accounts (the registry).
struct SignerDirectory {
  // The signer of a genesis transaction, from its body.
  std::function<Result<Signer>(const Transaction& genesis)> genesis;
  // Any other signer: one state read. Unauthenticated "tx.unknown_signer" when there is none.
  std::function<Result<Signer>(std::string_view signer, const StateReader& state)> find;
  // Records `nonce` as the signer's last (before its type's rule is applied), from the record
  // `find` read (no second read).
  std::function<Status(const Signer& signer, std::string_view id, uint64_t nonce, StateTxn& state)>
      record_nonce;
};

class TxTypeTable {
 public:
  TxTypeTable(std::vector<TxType> types, SignerDirectory signers);
  // The type named `name`, or nullptr.
  const TxType* Find(std::string_view name) const;
  const std::vector<TxType>& types() const { return types_; }
  const SignerDirectory& signers() const { return signers_; }

 private:
  std::vector<TxType> types_;
  SignerDirectory signers_;
};

}  // namespace carbonledger
