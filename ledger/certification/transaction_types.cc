#include "ledger/certification/transaction_types.h"

#include "ledger/registry/accounts.h"
#include "ledger/registry/transaction_types.h"

namespace carbonledger {

const TxTypeTable& LedgerTxTypes() {
  static const TxTypeTable table = [] {
    std::vector<TxType> all = RegistryTxTypes();
    for (auto& t : CertificationTxTypes()) all.push_back(std::move(t));
    return TxTypeTable(std::move(all), AccountSigners());
  }();
  return table;
}

}  // namespace carbonledger
