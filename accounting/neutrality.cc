#include "accounting/neutrality.h"

#include <set>

#include "accounting/internal/result_json.h"
#include "accounting/internal/status_macros.h"

namespace carbonledger::accounting {
namespace {

constexpr const char* kPurpose = "carbon_neutrality";

Decimal Tonnes(uint64_t t) { return Decimal::FromUnits(Int128(t) * Decimal::kOne); }

bool IsRegionCode(const std::string& s) {
  if (s.size() != 6) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string Name(const CreditRetirement& r) {
  std::string serials = r.first_serial == 0 ? ""
                                            : " serials " + std::to_string(r.first_serial) + ".." +
                                                  std::to_string(r.last_serial);
  return "retirement " + r.retirement_id + serials + " (entry " + std::to_string(r.entry_seq) + ")";
}

std::optional<Reason> RegionReason(const CreditRetirement& r, RegionRule rule,
                                   const std::string& park_region) {
  if (rule == RegionRule::kAny) return std::nullopt;
  size_t digits = rule == RegionRule::kSameProvince ? 2 : 4;
  std::string where = rule == RegionRule::kSameProvince ? "province" : "city";
  if (!IsRegionCode(r.project_region_code) || !IsRegionCode(park_region) ||
      r.project_region_code.compare(0, digits, park_region, 0, digits) != 0) {
    return Reason{"retirement.region_ineligible",
                  Name(r) + ": " + r.instrument + " from region " + r.project_region_code +
                      " must come from the park's " + where + " (" + park_region + ")"};
  }
  return std::nullopt;
}

std::optional<Reason> VintageReason(const CreditRetirement& r, const PolicyProfile& p, int year) {
  bool too_old = p.vintage_max_years_before && r.vintage < year - *p.vintage_max_years_before;
  bool too_new = p.vintage_max_years_after && r.vintage > year + *p.vintage_max_years_after;
  if (!too_old && !too_new) return std::nullopt;
  std::string window =
      std::to_string(p.vintage_max_years_before ? year - *p.vintage_max_years_before : 0) + ".." +
      std::to_string(p.vintage_max_years_after ? year + *p.vintage_max_years_after : 9999);
  return Reason{"retirement.vintage_ineligible",
                Name(r) + ": vintage " + std::to_string(r.vintage) + " is outside the window " +
                    window + " of profile " + p.id};
}

// Every reason a retirement cannot count for this park, year and profile.
std::vector<Reason> Ineligibility(const CreditRetirement& r, const PolicyProfile& p,
                                  const LedgerFacts& facts, std::set<std::string>& seen) {
  std::vector<Reason> out;
  if (!seen.insert(r.retirement_id + "#" + std::to_string(r.first_serial)).second) {
    out.push_back({"retirement.duplicate", Name(r) + " is listed twice; it counts once"});
    return out;
  }
  if (r.beneficiary_park_id != facts.park_id) {
    out.push_back({"retirement.other_park", Name(r) + " is for park " + r.beneficiary_park_id});
  }
  if (r.reporting_year != facts.year) {
    out.push_back({"retirement.other_year",
                   Name(r) + " is for the year " + std::to_string(r.reporting_year)});
  }
  if (r.purpose != kPurpose) {
    out.push_back({"retirement.purpose_ineligible",
                   Name(r) + " was retired for \"" + r.purpose + "\", not \"" + kPurpose + "\""});
  }
  const InstrumentRule* rule = p.Rule(r.instrument);
  if (rule == nullptr) {
    out.push_back({"retirement.instrument_ineligible",
                   Name(r) + ": " + r.instrument + " is not accepted by profile " + p.id});
  } else if (auto why = RegionReason(r, rule->region, facts.park_region_code)) {
    out.push_back(*why);
  }
  if (auto why = VintageReason(r, p, facts.year)) out.push_back(*why);
  return out;
}

Result<std::optional<OffsetCap>> Cap(const PolicyProfile& p, const Inventory& inv,
                                     const InventoryResult& result, std::vector<Reason>& reasons) {
  if (!p.cap_percent) return std::optional<OffsetCap>();
  OffsetCap cap;
  cap.percent = *p.cap_percent;
  cap.base = p.cap_base;
  switch (p.cap_base) {
    case CapBase::kGross:
      cap.base_t = result.gross.park;
      break;
    case CapBase::kAccounted:
      cap.base_t = result.accounted.park;
      break;
    case CapBase::kBaseline:
      if (!inv.baseline) {
        reasons.push_back({"offset.baseline_missing",
                           "profile " + p.id + " caps credits at " + cap.percent.ToString() +
                               " % of baseline emissions, but the inventory states no baseline "
                               "($.baseline); no credit can be counted"});
      } else {
        cap.base_t = inv.baseline->emissions_t;
      }
      break;
  }
  if (cap.base_t > Decimal()) {
    CL_ASSIGN_OR_RETURN(cap.cap_t, Decimal::ProductRounded({cap.percent, cap.base_t}, 1, 100, 9));
  }
  return std::optional<OffsetCap>(cap);
}

std::string CapText(const OffsetCap& cap) {
  return cap.cap_t.ToString() + " t (" + cap.percent.ToString() + " % of " +
         std::string(CapBaseName(cap.base)) + " emissions " + cap.base_t.ToString() + " t)";
}

// The numeric reasons: a residual beyond the cap, too few credits.
void OffsetReasons(NeutralityResult& n, Decimal needed) {
  if (n.net_must_be_at_most_zero) {
    if (n.cap && needed > n.cap->cap_t) {
      n.reasons.push_back(
          {"offset.over_cap", "the residual " + needed.ToString() +
                                  " t after green power exceeds the cap on credits, " +
                                  CapText(*n.cap)});
    }
    if (n.eligible_t < needed) {
      n.reasons.push_back({"offset.insufficient_credits",
                           "eligible credits " + n.eligible_t.ToString() +
                               " t are less than the residual " + needed.ToString() + " t"});
    }
    return;
  }
  Decimal applied = std::min(n.eligible_t, needed);
  if (n.cap && applied > n.cap->cap_t) {
    n.reasons.push_back({"offset.over_cap", "credits of " + applied.ToString() +
                                                " t would be applied but the cap is " +
                                                CapText(*n.cap) + "; only the cap is counted"});
  }
}

Status CheckInputs(const Inventory& inv, const InventoryResult& result, const LedgerFacts& facts) {
  if (facts.park_id != inv.park_id || result.park_id != inv.park_id) {
    return Status::InvalidArgument("facts.park_mismatch",
                                   "facts, inventory and result must name one park (\"" +
                                       facts.park_id + "\", \"" + inv.park_id + "\")");
  }
  if (facts.year != inv.year || result.year != inv.year) {
    return Status::InvalidArgument("facts.year_mismatch",
                                   "facts, inventory and result must name one year");
  }
  if (!result.attribution.verified) {
    return Status::InvalidArgument(
        "neutrality.unverified_attribution",
        "the inventory result was computed without ledger facts; compute "
        "it with the facts so green power is attributed to claimed GECs");
  }
  for (const CreditRetirement& r : facts.retirements) {
    if (r.quantity_tco2e == 0 || r.retirement_id.empty()) {
      return Status::InvalidArgument(
          "facts.bad_retirement",
          "a retirement needs an id and a quantity > 0 (\"" + r.retirement_id + "\")");
    }
    if (r.status == RetirementStatus::kAccepted && r.acceptance_entry_seq == 0) {
      return Status::InvalidArgument(
          "facts.bad_retirement",
          "accepted retirement \"" + r.retirement_id + "\" names no acceptance entry");
    }
  }
  return Status::OK();
}

}  // namespace

Result<NeutralityResult> CheckNeutrality(const Inventory& inv, const InventoryResult& result,
                                         const PolicyProfile& profile, const LedgerFacts& facts) {
  CL_RETURN_IF_ERROR(CheckInputs(inv, result, facts));
  NeutralityResult n;
  n.park_id = inv.park_id;
  n.year = inv.year;
  n.profile_id = profile.id;
  n.profile_sha256 = profile.sha256_hex();
  n.reading = profile.reading;
  n.gross_t = result.gross.park;
  n.accounted_t = result.accounted.park;
  n.net_must_be_at_most_zero = profile.net_must_be_at_most_zero;
  n.claim = profile.net_must_be_at_most_zero ? "carbon_neutral" : "offsets_within_cap";
  n.reasons = result.attribution.findings;  // green power that does not hold up comes first
  CL_ASSIGN_OR_RETURN(n.cap, Cap(profile, inv, result, n.reasons));
  std::set<std::string> seen;
  for (const CreditRetirement& r : facts.retirements) {
    RetirementOutcome o;
    o.retirement_id = r.retirement_id;
    o.first_serial = r.first_serial;
    o.last_serial = r.last_serial;
    o.entry_seq = r.entry_seq;
    o.instrument = r.instrument;
    o.quantity_tco2e = r.quantity_tco2e;
    o.status = r.status;
    o.reasons = Ineligibility(r, profile, facts, seen);
    o.eligible = o.reasons.empty();
    // Another account's retirement is the park's act only once the park accepted it: before,
    // it is listed and neither counts nor fails the claim (docs/accounting.md §What counts).
    const bool parks_act = r.status != RetirementStatus::kNotAccepted;
    o.counts = o.eligible && parks_act;
    if (o.counts) {
      CL_ASSIGN_OR_RETURN(n.eligible_t, n.eligible_t.Add(Tonnes(r.quantity_tco2e)));
    }
    if (parks_act) n.reasons.insert(n.reasons.end(), o.reasons.begin(), o.reasons.end());
    n.retirements.push_back(std::move(o));
  }
  Decimal needed = std::max(n.accounted_t, Decimal());
  n.counted_t = std::min(n.eligible_t, needed);
  if (n.cap) n.counted_t = std::min(n.counted_t, n.cap->cap_t);
  n.surplus_t = *n.eligible_t.Sub(n.counted_t);
  n.net_t = *n.accounted_t.Sub(n.counted_t);
  OffsetReasons(n, needed);
  n.pass = n.reasons.empty();
  return n;
}

nlohmann::json NeutralityResultToJson(const NeutralityResult& n) {
  using Json = nlohmann::json;
  Json retirements = Json::array();
  for (const RetirementOutcome& o : n.retirements) {
    retirements.push_back({{"retirement_id", o.retirement_id},
                           {"first_serial", o.first_serial},
                           {"last_serial", o.last_serial},
                           {"entry_seq", o.entry_seq},
                           {"instrument", o.instrument},
                           {"quantity_tco2e", o.quantity_tco2e},
                           {"status", RetirementStatusName(o.status)},
                           {"eligible", o.eligible},
                           {"counts", o.counts},
                           {"reasons", ReasonsJson(o.reasons)}});
  }
  Json cap = nullptr;
  if (n.cap) {
    cap = {{"percent", n.cap->percent.ToString()},
           {"base", CapBaseName(n.cap->base)},
           {"base_t", n.cap->base_t.ToString()},
           {"cap_t", n.cap->cap_t.ToString()}};
  }
  return {
      {"park", n.park_id},
      {"year", n.year},
      {"profile", {{"id", n.profile_id}, {"sha256", n.profile_sha256}, {"reading", n.reading}}},
      {"offset_order", {"own_reductions_ccus_sinks", "green_power_and_certificates", "credits"}},
      {"gross_t", FormatTonnes(n.gross_t)},
      {"accounted_t", FormatTonnes(n.accounted_t)},
      {"cap", cap},
      {"retirements", retirements},
      {"eligible_t", n.eligible_t.ToString()},
      {"counted_t", n.counted_t.ToString()},
      {"surplus_t", n.surplus_t.ToString()},
      {"net_t", n.net_t.ToString()},
      {"net_must_be_at_most_zero", n.net_must_be_at_most_zero},
      {"claim", n.claim},
      {"verdict", n.pass ? "pass" : "fail"},
      {"reasons", ReasonsJson(n.reasons)}};
}

}  // namespace carbonledger::accounting
