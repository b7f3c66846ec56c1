// The certification transaction types (docs/certification.md): a park's inventory.record and a
// certifier's statement.record; and the table of every carbonledger transaction type, the
// registry's and these, that the service, verify-ledger and the tools open the log with.
#pragma once

#include <vector>

#include "ledger/log/tx_types.h"

namespace carbonledger {

std::vector<TxType> CertificationTxTypes();

// Every transaction type (registry + certification), with accounts as signers.
const TxTypeTable& LedgerTxTypes();

}  // namespace carbonledger
