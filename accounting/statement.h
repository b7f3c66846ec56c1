// Statement: the content of a certification statement (碳中和认证声明) — the deterministic JSON
// a certifier signs, naming exactly what the result was computed from (park, year, policy
// profile and its hash, the inventory's ledger entry and hash, the factor set and its hash, the
// claimed GEC blocks and the retirements with their ledger entries) and the result itself.
// The ledger layer adds the signature and proofs.
//
// Invariant: the content is a pure function of (inventory JSON, factor set, profile, facts):
// canonical JSON (RFC 8785: members sorted, no whitespace; only strings, integers, booleans and
// null — every quantity a decimal string), so anyone holding the inputs can recompute it byte for
// byte, and VerifyStatementContent does exactly that.
#pragma once

#include <string>
#include <string_view>

#include "accounting/emissions.h"
#include "accounting/factor_set.h"
#include "accounting/ledger_facts.h"
#include "accounting/policy_profile.h"
#include "crypto/status.h"

namespace carbonledger::accounting {

// Computes the inventory with the facts under `method`, checks neutrality under the profile and
// writes the statement content (docs/accounting.md §Statement): format
// "carbonledger.statement/1" for MethodVersion::kV1 (the default, what the ledger records today),
// "carbonledger.statement/2" for kV2 (docs/accounting.md §Method versions).
Result<std::string> BuildStatementContent(std::string_view inventory_json, const FactorSet& factors,
                                          const PolicyProfile& profile, const LedgerFacts& facts,
                                          MethodVersion method = MethodVersion::kV1);

// Recomputes the content from the inputs, under the method its format names (/1 or /2), and
// compares. OK when byte-identical; otherwise
// Unprocessable "statement.mismatch" naming the first differing field in sorted order
// ("$.offsets.counted_t: the statement has \"10\", recomputation gives \"9\""), or
// "statement.not_canonical" when the fields agree but the bytes are not the canonical form.
// A statement that is not JSON is "json.syntax".
Status VerifyStatementContent(std::string_view content, std::string_view inventory_json,
                              const FactorSet& factors, const PolicyProfile& profile,
                              const LedgerFacts& facts);

}  // namespace carbonledger::accounting
