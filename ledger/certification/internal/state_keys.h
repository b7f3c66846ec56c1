// Certification's state records (docs/certification.md §State records): where the current
// inventory of a park-year, each statement and the park-year index of statements live.
//
// Invariant: the keys of one park-year's statements ("pstmt/<park>/<year>/<seq>") sort in entry
// order, because seq is written with 20 digits, zero-padded; a scan of ParkStatementPrefix
// lists them oldest first.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace carbonledger::certification {

inline constexpr const char* kInventoryPrefix = "inv/";
inline constexpr const char* kParkStatementPrefix = "pstmt/";
inline constexpr const char* kEngagementPrefix = "eng/";

std::string InventoryKey(std::string_view park, int64_t year);  // "inv/<park>/<year>"
std::string StatementKey(std::string_view id);                  // "stmt/<id>"
// "pstmt/<park>/<year>/<seq, 20 digits>" -> the statement id.
std::string ParkStatementKey(std::string_view park, int64_t year, uint64_t seq);
std::string ParkStatementPrefix(std::string_view park, int64_t year);  // "pstmt/<park>/<year>/"
// "eng/<park>/<year>" -> the park-year's current engagement {park, year, certifier, seq}.
std::string EngagementKey(std::string_view park, int64_t year);
std::string EngagementPrefix(std::string_view park);  // "eng/<park>/"

}  // namespace carbonledger::certification
