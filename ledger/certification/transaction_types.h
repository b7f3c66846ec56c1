// The certification transaction types (docs/certification.md §Transaction types): a park's
// inventory.record and a certifier's statement.record; and the table of every carbonledger
// transaction type, the registry's and these, that the service, verify-ledger and the tools open
// the log with.
//
// Invariant: the live writer, Ledger::Create, verify-ledger's replay and the tests all open the
// log with LedgerTxTypes(), so a replay applies exactly the rules the writer applied.
#pragma once

#include <vector>

#include "ledger/log/tx_types.h"

namespace carbonledger {

std::vector<TxType> CertificationTxTypes();

// Every transaction type (registry + certification), with accounts as signers.
const TxTypeTable& LedgerTxTypes();

}  // namespace carbonledger
