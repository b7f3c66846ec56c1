#include "ledger/certification/internal/facts_json.h"

#include "accounting/decimal.h"
#include "ledger/certification/internal/bundle_error.h"
#include "ledger/certification/internal/decimal_u64.h"
#include "ledger/certification/internal/status_macros.h"

namespace carbonledger::certification {
namespace {

using Json = nlohmann::json;

// Decoding reads members with .at() and get<T>(), which throw on a missing member or a wrong
// type; each decoder turns that into the one refusal.
template <typename Decode>
auto Decoding(Decode decode) -> decltype(decode()) {
  try {
    return decode();
  } catch (const Json::exception& e) {
    return BundleError(std::string("facts: ") + e.what());
  }
}

}  // namespace

Json ClaimJson(const ClaimedBlock& c) {
  return {{"first_serial", std::to_string(c.first)},
          {"last_serial", std::to_string(c.last)},
          {"mwh", c.quantity},
          {"generator_id", c.generator},
          {"technology", c.technology},
          {"province", c.region},
          {"generation_month", c.generation_month},
          {"claim_entry_seq", c.seq},
          {"claim", c.claim},
          {"issuance", c.issuance}};
}

Json RetirementJson(const RetiredBlock& r) {
  Json j = {{"retirement_id", r.retirement},
            {"first_serial", r.first},
            {"last_serial", r.last},
            {"instrument", r.instrument},
            {"quantity_tco2e", r.quantity},
            {"vintage", VintageYear(r.vintage)},
            {"vintage_text", r.vintage},
            {"project_id", r.project},
            {"project_region_code", r.project_region},
            {"purpose", r.purpose},
            {"beneficiary_park_id", r.beneficiary},
            {"reporting_year", int(r.reporting_year)},
            {"entry_seq", r.seq},
            {"issuance", r.issuance}};
  // Every row the ledger gives names its signer; only a row decoded from a bundle written
  // before acceptances existed has none, and it is written back as it was read.
  if (!r.retired_by.empty()) j["retired_by"] = r.retired_by;
  if (r.accepted_seq != 0) j["accepted_seq"] = r.accepted_seq;
  return j;
}

Json FactsJson(const ParkYearFacts& f) {
  Json claims = Json::array(), retirements = Json::array();
  for (const ClaimedBlock& c : f.gec_claims) claims.push_back(ClaimJson(c));
  for (const RetiredBlock& r : f.retirements) retirements.push_back(RetirementJson(r));
  Json j = {{"park_id", f.park_id},
            {"year", f.year},
            {"park_region_code", f.park_region_code},
            {"gec_claims", claims},
            {"retirements", retirements},
            {"inventory_entry_seq", f.inventory_entry_seq},
            {"inventory_entry_hash", f.inventory_entry_hash}};
  if (f.previous_year) {
    j["previous_year"] = {{"year", f.previous_year->year},
                          {"accounted_t", f.previous_year->accounted_t.ToString()}};
    if (f.previous_year->coal_use_gj) {
      j["previous_year"]["coal_use_gj"] = f.previous_year->coal_use_gj->ToString();
    }
  }
  return j;
}

Result<ClaimedBlock> ClaimFromJson(const Json& j) {
  return Decoding([&]() -> Result<ClaimedBlock> {
    ClaimedBlock c;
    c.claim = j.at("claim").get<std::string>();
    auto first = ParseDecimalU64(j.at("first_serial").get<std::string>());
    auto last = ParseDecimalU64(j.at("last_serial").get<std::string>());
    if (!first || !last) return BundleError(c.claim + ": bad serials");
    c.first = *first;
    c.last = *last;
    c.quantity = j.at("mwh").get<uint64_t>();
    c.generator = j.at("generator_id").get<std::string>();
    c.technology = j.at("technology").get<std::string>();
    c.region = j.at("province").get<std::string>();
    c.generation_month = j.at("generation_month").get<std::string>();
    c.seq = j.at("claim_entry_seq").get<uint64_t>();
    c.issuance = j.at("issuance").get<std::string>();
    return c;
  });
}

Result<RetiredBlock> RetirementFromJson(const Json& j) {
  return Decoding([&]() -> Result<RetiredBlock> {
    RetiredBlock r;
    r.retirement = j.at("retirement_id").get<std::string>();
    r.first = j.at("first_serial").get<uint64_t>();
    r.last = j.at("last_serial").get<uint64_t>();
    r.instrument = j.at("instrument").get<std::string>();
    r.quantity = j.at("quantity_tco2e").get<uint64_t>();
    r.vintage = j.at("vintage_text").get<std::string>();
    // `vintage` is the year accounting reads `vintage_text` as: derived, so it must agree.
    if (j.at("vintage").get<int>() != VintageYear(r.vintage)) {
      return BundleError("retired block of " + r.retirement +
                         " does not match its issuance's project and vintage");
    }
    r.project = j.at("project_id").get<std::string>();
    r.project_region = j.at("project_region_code").get<std::string>();
    r.purpose = j.at("purpose").get<std::string>();
    r.beneficiary = j.at("beneficiary_park_id").get<std::string>();
    r.reporting_year = j.at("reporting_year").get<int>();
    r.seq = j.at("entry_seq").get<uint64_t>();
    r.issuance = j.at("issuance").get<std::string>();
    // Absent from bundles written before acceptances existed: left empty for the verifier.
    if (j.contains("retired_by")) r.retired_by = j.at("retired_by").get<std::string>();
    if (j.contains("accepted_seq")) {
      r.accepted_seq = j.at("accepted_seq").get<uint64_t>();
      if (r.accepted_seq == 0) return BundleError(r.retirement + ": accepted_seq 0");
    }
    return r;
  });
}

Result<ParkYearFacts> FactsFromJson(const Json& j) {
  return Decoding([&]() -> Result<ParkYearFacts> {
    ParkYearFacts f;
    f.park_id = j.at("park_id").get<std::string>();
    f.year = j.at("year").get<int>();
    f.park_region_code = j.at("park_region_code").get<std::string>();
    f.inventory_entry_seq = j.at("inventory_entry_seq").get<uint64_t>();
    f.inventory_entry_hash = j.at("inventory_entry_hash").get<std::string>();
    for (const Json& row : j.at("gec_claims")) {
      CERT_ASSIGN(c, ClaimFromJson(row));
      f.gec_claims.push_back(std::move(c));
    }
    for (const Json& row : j.at("retirements")) {
      CERT_ASSIGN(r, RetirementFromJson(row));
      f.retirements.push_back(std::move(r));
    }
    if (j.contains("previous_year")) {
      const Json& p = j.at("previous_year");
      accounting::PreviousYear prev;
      prev.year = p.at("year").get<int>();
      CERT_ASSIGN(t, Decimal::Parse(p.at("accounted_t").get<std::string>()));
      prev.accounted_t = t;
      if (p.contains("coal_use_gj")) {
        CERT_ASSIGN(c, Decimal::Parse(p.at("coal_use_gj").get<std::string>()));
        prev.coal_use_gj = c;
      }
      f.previous_year = prev;
    }
    return f;
  });
}

}  // namespace carbonledger::certification
