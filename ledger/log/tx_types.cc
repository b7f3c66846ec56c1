#include "ledger/log/tx_types.h"

#include <algorithm>

namespace carbonledger {

namespace {

Status Threw(const std::string& type, const char* step, const char* what) {
  return Status::Internal("tx.internal", "the " + std::string(step) + " of \"" + type +
                                             "\" failed unexpectedly (" + what +
                                             "); the transaction is refused");
}

}  // namespace

Result<TxType::ValidBody> TxType::ValidateBody(const Transaction& tx) const {
  try {
    return validate_(tx);
  } catch (const std::exception& e) {
    return Threw(name_, "validation", e.what());
  } catch (...) {
    return Threw(name_, "validation", "unknown exception");
  }
}

Status TxType::ApplyBody(const TxContext& ctx, const ValidBody& body, StateTxn& state) const {
  try {
    return apply_(ctx, body, state);
  } catch (const std::exception& e) {
    return Threw(name_, "rule", e.what());
  } catch (...) {
    return Threw(name_, "rule", "unknown exception");
  }
}

bool TxType::AllowsRole(std::string_view role) const {
  return roles_.empty() || std::find(roles_.begin(), roles_.end(), role) != roles_.end();
}

TxTypeTable::TxTypeTable(std::vector<TxType> types, SignerDirectory signers)
    : types_(std::move(types)), signers_(std::move(signers)) {}

const TxType* TxTypeTable::Find(std::string_view name) const {
  for (const TxType& t : types_) {
    if (t.name() == name) return &t;
  }
  return nullptr;
}

void JoinScope(const TxContext& ctx, std::string scope) {
  if (ctx.effects != nullptr) ctx.effects->scopes.push_back(std::move(scope));
}

void AppendOutcome(const TxContext& ctx, const std::string& member, nlohmann::json value) {
  if (ctx.effects != nullptr) ctx.effects->outcome[member].push_back(std::move(value));
}

void KeepConfidential(const TxContext& ctx) {
  if (ctx.effects != nullptr) ctx.effects->keep_confidential = true;
}

std::string ConfidentialKey(uint64_t seq) { return "c/" + std::to_string(seq); }

void NoteUnchecked(const TxContext& ctx, std::string what) {
  if (ctx.effects != nullptr) ctx.effects->unchecked.push_back(std::move(what));
}

}  // namespace carbonledger
