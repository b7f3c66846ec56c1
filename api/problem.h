// Problem: RFC 9457 problem details. Every error the API returns is an
// application/problem+json document whose `type` is stable per rule reason
// ("urn:carbonledger:problem:nonce.replayed"), so clients branch on it, not on prose.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "crypto/status.h"

namespace carbonledger {

inline constexpr const char* kProblemContentType = "application/problem+json";
inline constexpr const char* kProblemTypePrefix = "urn:carbonledger:problem:";

// The HTTP status for a Status code (docs/api.md §Errors).
int HttpStatus(Code code);
// {"type","title","status","detail","reason"[,"instance"]}
nlohmann::json ProblemJson(const Status& status, const std::string& instance = "");

}  // namespace carbonledger
