// A minimal park inventory document (docs/inventory-format.md): one natural gas line, for tests
// that record inventories on a ledger or validate inventory.record bodies.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace carbonledger::testing {

inline nlohmann::json GasInventory(const std::string& park, int year,
                                   const std::string& gas_nm3 = "1000") {
  return {{"format", "carbonledger.inventory/1"},
          {"park", {{"id", park}, {"name", "P"}}},
          {"year", year},
          {"fuel_use",
           {{{"fuel", "natural_gas"},
             {"activity", "final_consumption"},
             {"quantity", gas_nm3},
             {"unit", "Nm3"}}}}};
}

}  // namespace carbonledger::testing
