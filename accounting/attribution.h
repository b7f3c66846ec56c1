// GreenPowerAttribution: how much of the electricity a park declares as certificate-backed
// (绿证绿电交易获取的可再生能源电力) counts at emission factor 0 — never more than the MWh of
// green electricity certificates (GEC, 绿证) claimed for the park and year on the ledger.
//
// Invariant: counted_mwh = min(declared_mwh, claimed_mwh); declared power beyond the claims
// (uncovered_mwh) is grid power at the grid factor, and the blocks behind claimed_mwh are
// listed so an auditor can trace every counted MWh to a ledger entry.
#pragma once

#include <vector>

#include "accounting/decimal.h"
#include "accounting/ledger_facts.h"
#include "accounting/reason.h"
#include "crypto/status.h"

namespace carbonledger::accounting {

struct GreenPowerAttribution {
  bool verified = false;  // false: computed offline without ledger claims, counted as declared
  Decimal declared_mwh;   // certificate_backed imports in the inventory
  Decimal claimed_mwh;    // MWh of the usable claimed blocks
  Decimal counted_mwh;    // at factor 0
  Decimal uncovered_mwh;  // declared but not claimed: at the grid factor
  Decimal surplus_mwh;    // claimed but not declared: unused
  std::vector<GecBlock> blocks;  // the usable blocks, in the order given
  // Blocks that cannot count ("gec.not_gec", "gec.generated_after_year", "gec.duplicate_block")
  // and, when declared exceeds claimed, "electricity.certificates_short".
  std::vector<Reason> findings;
};

// Attributes `declared_mwh` of certificate-backed electricity in `year` to the claimed blocks.
// Without claims (nullptr) nothing is verified and the declared MWh count as declared.
// Malformed facts (a generation month that is not "YYYY-MM", an empty block) are errors
// "facts.bad_gec_block".
Result<GreenPowerAttribution> AttributeGreenPower(int year, Decimal declared_mwh,
                                                  const std::vector<GecBlock>* claims);

}  // namespace carbonledger::accounting
