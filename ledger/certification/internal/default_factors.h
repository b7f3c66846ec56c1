// The factor set the ledger computes with: the shipped default (FactorSet::kDefaultVersion). A
// recorded inventory must be computable with it, and the reports and statement drafts use it;
// a statement names the set it used by hash, so a verifier never needs this choice.
#pragma once

#include "accounting/factor_set.h"

namespace carbonledger::certification {

inline Result<accounting::FactorSet> DefaultFactors() {
  return accounting::FactorSet::Embedded(accounting::FactorSet::kDefaultVersion);
}

}  // namespace carbonledger::certification
