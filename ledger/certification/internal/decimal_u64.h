// The decimal numbers of certification's keys and of bundle ids: a u64 written with no sign,
// space or leading zero ("0", "17"), as std::to_string writes it. Parsing refuses any other
// spelling, so a number has one text and a text names one number.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace carbonledger::certification {

// The value of `s`, or nullopt when it is not such a number (or above 19 digits).
inline std::optional<uint64_t> ParseDecimalU64(std::string_view s) {
  if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string_view::npos ||
      (s.size() > 1 && s[0] == '0')) {
    return std::nullopt;
  }
  return std::stoull(std::string(s));
}

}  // namespace carbonledger::certification
