// BinPath: where the end-to-end tests find the real binaries (CARBONLEDGER_BIN_DIR, set by
// tests/CMakeLists.txt for e2e_tests).
#pragma once

#include <string>

namespace carbonledger::testing {

inline std::string BinPath(const std::string& name) {
  return std::string(CARBONLEDGER_BIN_DIR) + "/" + name;
}

}  // namespace carbonledger::testing
