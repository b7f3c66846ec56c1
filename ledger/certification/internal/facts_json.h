// The `facts` member of a statement bundle (docs/certification.md §Bundle format): a park-year's
// facts with every row in the bundle's own field names. This is the one JSON codec of a claim
// row and of a retirement row inside a bundle; the API's view (api/registry_routes.cc) and the
// statement content are the rows' other shapes (docs/certification.md §Row shapes).
//
// Invariant: FactsJson(FactsFromJson(j)) == j for every `facts` member StatementBundle writes,
// and the decoder reads every bundle carbonledger.bundle/1 was ever written with
// (tests/fixtures/ledger-v1). Members a row does not carry in a bundle (a retirement's
// methodology and note; its retired_by in a bundle written before acceptances existed) are
// empty after decoding.
#pragma once

#include <nlohmann/json.hpp>

#include "crypto/status.h"
#include "ledger/certification/park_facts.h"
#include "ledger/registry/queries.h"

namespace carbonledger::certification {

nlohmann::json ClaimJson(const ClaimedBlock& claim);
nlohmann::json RetirementJson(const RetiredBlock& retirement);
nlohmann::json FactsJson(const ParkYearFacts& facts);

// Corruption "bundle.invalid" naming the member ("facts: ...") when a member is missing or of
// the wrong type, a claim's serials are not decimal numbers ("C24.0: bad serials"), or a
// retirement's vintage is not the year of its vintage_text.
Result<ClaimedBlock> ClaimFromJson(const nlohmann::json& j);
Result<RetiredBlock> RetirementFromJson(const nlohmann::json& j);
Result<ParkYearFacts> FactsFromJson(const nlohmann::json& j);

}  // namespace carbonledger::certification
