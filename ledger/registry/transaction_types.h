// The registry's transaction types (docs/registry-rules.md): accounts and keys, registration of
// generators and projects, issuance, freezes, expiry and cancellation by the operator, and the
// holders' transfers, claims and retirements.
#pragma once

#include <vector>

#include "ledger/log/tx_types.h"

namespace carbonledger {

std::vector<TxType> RegistryTxTypes();

// The registry alone, with accounts as its signers (for tools that need no certification).
const TxTypeTable& RegistryTable();

}  // namespace carbonledger
