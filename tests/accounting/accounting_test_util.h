// Helpers shared by the accounting tests: decimal literals, inventories built from a JSON
// fragment, and files from the source tree.
#pragma once

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "accounting/decimal.h"
#include "accounting/emissions.h"
#include "accounting/factor_set.h"
#include "accounting/inventory.h"

namespace carbonledger::accounting::testing {

inline Decimal D(const char* text) {
  auto r = Decimal::Parse(text);
  REQUIRE(r.ok());
  return *r;
}

// A file of the repository, by path from its root (CL_SOURCE_DIR is set by the test target).
inline std::string ReadSourceFile(const std::string& relative) {
  std::ifstream in(std::string(CL_SOURCE_DIR) + "/" + relative, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline const FactorSet& DefaultFactors() {
  static const FactorSet set = *FactorSet::Embedded("factors-2025");
  return set;
}

// An inventory document for park "p1", year 2024, with `members` (JSON members, may be empty).
inline std::string InventoryJson(const std::string& members, int year = 2024,
                                 const std::string& park = "p1") {
  return R"({"format": "carbonledger.inventory/1", "park": {"id": ")" + park + R"("}, "year": )" +
         std::to_string(year) + (members.empty() ? "" : ", " + members) + "}";
}

inline Result<InventoryResult> Compute(const std::string& members,
                                       const LedgerFacts* facts = nullptr) {
  auto inv = ParseInventory(InventoryJson(members));
  if (!inv.ok()) return inv.status();
  return ComputeInventory(*inv, DefaultFactors(), facts);
}

inline InventoryResult ComputeOk(const std::string& members, const LedgerFacts* facts = nullptr) {
  auto r = Compute(members, facts);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return *r;
}

inline LedgerFacts FactsFor(const std::string& park = "p1", int year = 2024) {
  LedgerFacts f;
  f.park_id = park;
  f.year = year;
  f.park_region_code = "340100";
  f.inventory_entry_seq = 42;
  f.inventory_entry_hash = std::string(64, 'a');
  return f;
}

inline GecBlock Block(const std::string& first, uint64_t mwh, const std::string& month = "2024-06",
                      uint64_t seq = 7) {
  GecBlock b;
  b.first_serial = first;
  b.last_serial = first + "+" + std::to_string(mwh - 1);
  b.mwh = mwh;
  b.generator_id = "wind-farm-1";
  b.technology = "wind";
  b.province = "150000";
  b.generation_month = month;
  b.claim_entry_seq = seq;
  return b;
}

// The facts of the worked example (docs/accounting.md §Worked example,
// accounting/examples/wind-industry-park-2020.json): one CCER retirement of 7,719 t.
inline LedgerFacts WorkedExampleFacts() {
  LedgerFacts f = FactsFor("wind-industry-park", 2020);
  f.park_region_code = "350181";  // Fuqing, Fujian
  CreditRetirement r;
  r.retirement_id = "CCER-RET-2021-0001";
  r.instrument = "CCER";
  r.quantity_tco2e = 7719;
  r.vintage = 2019;
  r.project_id = "CCER-WIND-001";
  r.project_region_code = "150000";
  r.purpose = "carbon_neutrality";
  r.beneficiary_park_id = "wind-industry-park";
  r.reporting_year = 2020;
  r.entry_seq = 9;
  f.retirements = {r};
  return f;
}

// Whether any number in a JSON value is floating point (results must have none).
inline bool HasFloat(const nlohmann::json& j) {
  if (j.is_number_float()) return true;
  if (j.is_structured()) {
    for (const auto& v : j) {
      if (HasFloat(v)) return true;
    }
  }
  return false;
}

}  // namespace carbonledger::accounting::testing
