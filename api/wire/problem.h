// Problem: RFC 9457 problem details. Every error the API returns is an
// application/problem+json document whose `type` is stable per rule reason
// ("urn:carbonledger:problem:nonce.replayed"), so clients branch on it, not on prose.
// Shared by the server, which writes them, and the client (api/client/client.h), which reads
// them back: StatusFromProblem(ProblemJson(s)) has the code, reason and message of s.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/status.h"

namespace carbonledger {

inline constexpr const char* kProblemContentType = "application/problem+json";
inline constexpr const char* kProblemTypePrefix = "urn:carbonledger:problem:";

// The HTTP status for a Status code (docs/api.md §Errors).
int HttpStatus(Code code);
// {"type","title","status","detail","reason"[,"instance"]}
nlohmann::json ProblemJson(const Status& status, const std::string& instance = "");
// The Status an answer of `http_status` with `body` stands for, when it is a problem document:
// code from its title (else the first code of that HTTP status), reason and detail as given.
// nullopt when the body is not one (not JSON, or no string `reason`).
std::optional<Status> StatusFromProblem(int http_status, std::string_view body);

}  // namespace carbonledger
