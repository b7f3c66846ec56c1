#include "ledger/certification/internal/state_keys.h"

#include <cstdio>

namespace carbonledger::certification {

std::string InventoryKey(std::string_view park, int64_t year) {
  return kInventoryPrefix + std::string(park) + "/" + std::to_string(year);
}

std::string StatementKey(std::string_view id) { return "stmt/" + std::string(id); }

std::string ParkStatementPrefix(std::string_view park, int64_t year) {
  return kParkStatementPrefix + std::string(park) + "/" + std::to_string(year) + "/";
}

std::string ParkStatementKey(std::string_view park, int64_t year, uint64_t seq) {
  char seq20[24];
  std::snprintf(seq20, sizeof seq20, "%020llu", static_cast<unsigned long long>(seq));
  return ParkStatementPrefix(park, year) + seq20;
}

std::string EngagementPrefix(std::string_view park) {
  return kEngagementPrefix + std::string(park) + "/";
}

std::string EngagementKey(std::string_view park, int64_t year) {
  return EngagementPrefix(park) + std::to_string(year);
}

}  // namespace carbonledger::certification
