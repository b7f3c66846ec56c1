// Fuzz target: park inventories (accounting/inventory.h, docs/inventory-format.md) and their
// computation with the built-in factor sets (accounting/emissions.h, docs/accounting.md).
//
// Invariants, for an inventory ParseInventory accepts:
//  1. It is JSON text (no raw NUL byte, after which nlohmann would stop reading). Parsing is
//     deterministic, and the content hash does not depend on formatting: the same
//     document re-serialized (indented, members in another order of writing) parses to the
//     same content_sha256.
//  2. ComputeInventory with each embedded factor set never crashes and is deterministic: two
//     runs give the same result JSON (or the same refusal); the re-serialized document gives
//     the same result too.
//  3. The totals are what docs/accounting.md §Rounding says: every line rounded to 3 decimals
//     of a tonne, each accounted term the exact sum of its lines, indirect = electricity +
//     heat, energy = fuel + conversion + indirect, park = energy + process (accounted and
//     gross).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "accounting/emissions.h"
#include "accounting/factor_set.h"
#include "accounting/inventory.h"
#include "tests/fuzz/fuzz_util.h"

using namespace carbonledger;
using namespace carbonledger::accounting;

namespace {

const std::vector<FactorSet>& Factors() {
  static const std::vector<FactorSet> sets = [] {
    std::vector<FactorSet> out;
    for (const std::string& version : FactorSet::EmbeddedVersions()) {
      auto set = FactorSet::Embedded(version);
      FUZZ_CHECK(set.ok());
      out.push_back(std::move(*set));
    }
    FUZZ_CHECK(!out.empty());
    return out;
  }();
  return sets;
}

Decimal Sum(Decimal a, Decimal b) {
  auto s = a.Add(b);
  FUZZ_CHECK(s.ok());
  return *s;
}

void CheckTotals(const EmissionTotals& t) {
  FUZZ_CHECK(t.indirect == Sum(t.electricity, t.heat));
  FUZZ_CHECK(t.energy == Sum(Sum(t.fuel, t.conversion), t.indirect));
  FUZZ_CHECK(t.park == Sum(t.energy, t.process));
}

void CheckResult(const InventoryResult& r) {
  Decimal by_term[5];
  for (const LineItem& line : r.lines) {
    FUZZ_CHECK(line.emissions_t == line.emissions_t.RoundTo(kEmissionDigits));
    const int term = int(line.term);
    FUZZ_CHECK(term >= 0 && term < 5);
    by_term[term] = Sum(by_term[term], line.emissions_t);
  }
  FUZZ_CHECK(by_term[int(Term::kFuel)] == r.accounted.fuel);
  FUZZ_CHECK(by_term[int(Term::kConversion)] == r.accounted.conversion);
  FUZZ_CHECK(by_term[int(Term::kElectricity)] == r.accounted.electricity);
  FUZZ_CHECK(by_term[int(Term::kHeat)] == r.accounted.heat);
  FUZZ_CHECK(by_term[int(Term::kProcess)] == r.accounted.process);
  CheckTotals(r.accounted);
  CheckTotals(r.gross);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::AsText(data, size);
  auto inv = ParseInventory(text);
  if (!inv.ok()) {
    const std::string& reason = inv.status().reason();
    FUZZ_CHECK(reason.starts_with("inventory.") || reason.starts_with("json."));
    return 0;
  }
  // 1. JSON text never holds a raw NUL byte (nlohmann alone would stop reading there).
  FUZZ_CHECK(text.find('\0') == std::string_view::npos);
  auto again = ParseInventory(text);
  FUZZ_CHECK(again.ok() && again->content_sha256 == inv->content_sha256);
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!doc.is_discarded());
  const std::string reformatted = doc.dump(2);
  auto other = ParseInventory(reformatted);
  FUZZ_CHECK(other.ok() && other->content_sha256 == inv->content_sha256);

  // 2, 3.
  for (const FactorSet& factors : Factors()) {
    auto r1 = ComputeInventory(*inv, factors);
    auto r2 = ComputeInventory(*inv, factors);
    auto r3 = ComputeInventory(*other, factors);
    FUZZ_CHECK(r1.ok() == r2.ok() && r1.ok() == r3.ok());
    if (!r1.ok()) {
      FUZZ_CHECK(r1.status().reason() == r2.status().reason());
      FUZZ_CHECK(r1.status().message() == r2.status().message());
      FUZZ_CHECK(r1.status().reason() == r3.status().reason());
      continue;
    }
    const std::string j1 = InventoryResultToJson(*r1).dump();
    FUZZ_CHECK(j1 == InventoryResultToJson(*r2).dump());
    FUZZ_CHECK(j1 == InventoryResultToJson(*r3).dump());
    CheckResult(*r1);
  }
  return 0;
}
