#include "ledger/certification/transaction_types.h"

#include "ledger/certification/internal/assessment_record.h"
#include "ledger/certification/internal/engagement.h"
#include "ledger/certification/internal/inventory_record.h"
#include "ledger/certification/internal/statement_record.h"
#include "ledger/registry/accounts.h"
#include "ledger/registry/transaction_types.h"

namespace carbonledger {

std::vector<TxType> CertificationTxTypes() {
  std::vector<TxType> types;
  types.push_back(certification::InventoryRecordType());
  types.push_back(certification::StatementRecordType());
  types.push_back(certification::EngageType());
  types.push_back(certification::RevokeType());
  types.push_back(certification::AssessmentRecordType());
  return types;
}

const TxTypeTable& LedgerTxTypes() {
  static const TxTypeTable table = [] {
    std::vector<TxType> all = RegistryTxTypes();
    for (auto& t : CertificationTxTypes()) all.push_back(std::move(t));
    return TxTypeTable(std::move(all), AccountSigners());
  }();
  return table;
}

}  // namespace carbonledger
