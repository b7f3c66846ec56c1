#include "ledger/registry/transaction_types.h"

#include "ledger/registry/accounts.h"
#include "ledger/registry/internal/account_types.h"
#include "ledger/registry/internal/operations.h"

namespace carbonledger {

std::vector<TxType> RegistryTxTypes() {
  std::vector<TxType> all;
  for (auto* list : {&registry::AccountTypes, &registry::RegistrationTypes,
                     &registry::IssuanceTypes, &registry::CorrectionTypes, &registry::TransferTypes,
                     &registry::ClaimTypes, &registry::RetirementTypes}) {
    for (auto& t : list()) all.push_back(std::move(t));
  }
  return all;
}

const TxTypeTable& RegistryTable() {
  static const TxTypeTable table(RegistryTxTypes(), AccountSigners());
  return table;
}

}  // namespace carbonledger
