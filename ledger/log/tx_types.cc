#include "ledger/log/tx_types.h"

#include <algorithm>

namespace carbonledger {

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

}  // namespace carbonledger
