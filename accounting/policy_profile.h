// PolicyProfile: the offset rules of one regime as data (docs/policy-profiles.md) — which credit
// instruments count, from which vintages and regions, how many credits may neutralise emissions
// (a percentage of a named base) and whether net emissions must reach zero. Built-in profiles
// are compiled in from accounting/data/profiles/<id>.json; a user may load another file.
//
// Invariant: a profile never leaves its cap base implicit. "Credits ≤ 5 %" always says 5 % of
// what — gross, accounted or a stated baseline — because sources can be read either way and the
// certifier must see (and be able to choose) the reading.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounting/decimal.h"
#include "crypto/sha256.h"
#include "crypto/status.h"

namespace carbonledger::accounting {

enum class CapBase {
  kGross,      // all imported electricity at the grid factor, before attribution and credits
  kAccounted,  // after green-power attribution, before credits (the 910 result)
  kBaseline,   // the inventory's stated baseline emissions (baseline.emissions_t)
};
std::string_view CapBaseName(CapBase base);

enum class RegionRule {
  kAny,
  kSameProvince,  // project region code's first 2 digits equal the park's (GB/T 2260)
  kSameCity,      // first 4 digits
};
std::string_view RegionRuleName(RegionRule rule);

struct InstrumentRule {
  std::string instrument;  // "CCER" or "CIC"
  RegionRule region = RegionRule::kAny;
};

struct PolicyProfile {
  std::string id;
  std::string title;
  std::vector<std::string> sources;
  std::string reading;  // how we read the sources, shown with every result
  std::vector<InstrumentRule> instruments;
  // Vintage window around the reporting year Y: Y - before <= vintage <= Y + after; absent
  // bounds are open.
  std::optional<int> vintage_max_years_before;
  std::optional<int> vintage_max_years_after;
  std::optional<Decimal> cap_percent;  // absent: no cap
  CapBase cap_base = CapBase::kGross;
  bool net_must_be_at_most_zero = true;
  Hash sha256{};  // of the profile file's bytes

  const InstrumentRule* Rule(std::string_view instrument) const;
  std::string sha256_hex() const;
};

// Parses a profile file (format "carbonledger.profile/1"); errors "profile.*" with the path.
Result<PolicyProfile> ParsePolicyProfile(std::string_view file_bytes);
// A built-in profile by id ("anhui-2024", "xiongan-2023", "national-ets", "uncapped");
// "profile.unknown_id".
Result<PolicyProfile> EmbeddedPolicyProfile(std::string_view id);
std::vector<std::string> EmbeddedPolicyProfileIds();

}  // namespace carbonledger::accounting
