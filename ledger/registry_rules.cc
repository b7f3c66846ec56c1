// The registry's transaction types (docs/registry-rules.md): one rule set assembled from the
// operator's rules (registration, issuance, expiry, corrections) and the holders' rules
// (transfer, claim, retirement).
#include "ledger/registry_ops.h"

namespace carbonledger {

std::vector<TxRule> RegistryRules() {
  std::vector<TxRule> all;
  for (auto* set :
       {&registry::RegistrationRules, &registry::IssuanceRules, &registry::SpendRules}) {
    for (auto& r : set()) all.push_back(r);
  }
  return all;
}

}  // namespace carbonledger
