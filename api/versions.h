// The product version and the versions of the libraries the binary was linked with,
// read at run time from each library (not from the headers seen at build time).
#pragma once

#include <string>

namespace carbonledger {

// e.g. "carbonledger 0.1.0 (LevelDB 1.23, OpenSSL 3.0.19 ..., libsodium 1.0.18)"
std::string VersionString(const std::string& program);

}  // namespace carbonledger
