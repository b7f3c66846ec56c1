#include "accounting/attribution.h"

#include <set>

#include "accounting/internal/status_macros.h"

namespace carbonledger::accounting {
namespace {

// "2024-07" -> 2024; -1 when not "YYYY-MM" with a month 01..12.
int GenerationYear(const std::string& month) {
  if (month.size() != 7 || month[4] != '-') return -1;
  for (size_t i : {0, 1, 2, 3, 5, 6}) {
    if (month[i] < '0' || month[i] > '9') return -1;
  }
  int m = (month[5] - '0') * 10 + (month[6] - '0');
  if (m < 1 || m > 12) return -1;
  return std::stoi(month.substr(0, 4));
}

std::string BlockName(const GecBlock& b) {
  return "GEC block " + b.first_serial + ".." + b.last_serial + " (claim entry " +
         std::to_string(b.claim_entry_seq) + ")";
}

// Why a block cannot count, or an empty slug when it can.
Reason Unusable(const GecBlock& b, int year, const std::set<std::string>& seen) {
  if (b.instrument != "GEC") {
    return {"gec.not_gec", BlockName(b) + " is a " + b.instrument + ", not a GEC"};
  }
  if (GenerationYear(b.generation_month) > year) {
    return {"gec.generated_after_year", BlockName(b) + " was generated in " + b.generation_month +
                                            ", after the reporting year " + std::to_string(year)};
  }
  if (seen.count(b.first_serial) != 0) {
    return {"gec.duplicate_block", BlockName(b) + " is listed twice; it counts once"};
  }
  return {};
}

}  // namespace

Result<GreenPowerAttribution> AttributeGreenPower(int year, Decimal declared_mwh,
                                                  const std::vector<GecBlock>* claims) {
  GreenPowerAttribution a;
  a.declared_mwh = declared_mwh;
  if (claims == nullptr) {
    a.counted_mwh = declared_mwh;
    return a;
  }
  a.verified = true;
  std::set<std::string> seen;
  for (size_t i = 0; i < claims->size(); ++i) {
    const GecBlock& b = (*claims)[i];
    if (GenerationYear(b.generation_month) < 0 || b.mwh == 0 || b.first_serial.empty()) {
      return Status::InvalidArgument("facts.bad_gec_block",
                                     "gec_claims[" + std::to_string(i) +
                                         "]: needs a first serial, mwh > 0 and a generation month "
                                         "\"YYYY-MM\", found \"" +
                                         b.generation_month + "\"");
    }
    Reason why = Unusable(b, year, seen);
    if (!why.slug.empty()) {
      a.findings.push_back(std::move(why));
      continue;
    }
    seen.insert(b.first_serial);
    CL_ASSIGN_OR_RETURN(a.claimed_mwh,
                        a.claimed_mwh.Add(Decimal::FromUnits(Int128(b.mwh) * Decimal::kOne)));
    a.blocks.push_back(b);
  }
  a.counted_mwh = std::min(declared_mwh, a.claimed_mwh);
  a.uncovered_mwh = *declared_mwh.Sub(a.counted_mwh);
  a.surplus_mwh = *a.claimed_mwh.Sub(a.counted_mwh);
  if (!a.uncovered_mwh.IsZero()) {
    a.findings.push_back({"electricity.certificates_short",
                          "the inventory declares " + declared_mwh.ToString() +
                              " MWh of certificate-backed electricity but only " +
                              a.claimed_mwh.ToString() +
                              " MWh of GECs are claimed for this park and year; the other " +
                              a.uncovered_mwh.ToString() + " MWh are counted at the grid factor"});
  }
  return a;
}

}  // namespace carbonledger::accounting
