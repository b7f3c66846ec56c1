// The account transaction types (accounts.cc), for the registry's table.
#pragma once

#include <vector>

#include "crypto/ed25519.h"
#include "crypto/status.h"
#include "ledger/log/transaction.h"
#include "ledger/log/tx_types.h"

namespace carbonledger::registry {

// The operator key named in a genesis transaction's body (body.operator.public_key), checked
// to name the signer.
Result<PublicKey> GenesisOperatorKey(const Transaction& tx);

std::vector<TxType> AccountTypes();  // genesis, account.create, account.rotate_key, .replace_key

}  // namespace carbonledger::registry
