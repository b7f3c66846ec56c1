#include "api/versions.h"

#include <leveldb/db.h>
#include <openssl/crypto.h>
#include <sodium.h>

#include "api/version_number.h"

namespace carbonledger {

std::string VersionString(const std::string& program) {
  return program + " " CARBONLEDGER_VERSION "\n" + "  LevelDB " +
         std::to_string(leveldb::kMajorVersion) + "." + std::to_string(leveldb::kMinorVersion) +
         "\n" + "  " + OpenSSL_version(OPENSSL_VERSION) + "\n" + "  libsodium " +
         sodium_version_string() + "\n";
}

}  // namespace carbonledger
