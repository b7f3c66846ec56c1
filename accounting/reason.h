// Reason: one finding of a check — why a neutrality claim fails, why a certificate block or a
// retirement does not count. A stable slug for programs and tests ("offset.over_cap") and a
// message for people that names the figures and the rule.
//
// Invariant: callers branch on the slug only; a slug keeps its meaning once shipped, while a
// message may be reworded.
#pragma once

#include <string>

namespace carbonledger::accounting {

struct Reason {
  std::string slug;
  std::string message;
  bool operator==(const Reason&) const = default;
};

}  // namespace carbonledger::accounting
