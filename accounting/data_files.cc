#include "accounting/data_files.h"

#include "accounting/internal/embedded_data.h"

namespace carbonledger::accounting {

std::optional<std::string> DataFileBySha256(const Hash& sha256) {
  for (const auto& f : EmbeddedFiles()) {
    if (Sha256(f.bytes()) == sha256) return std::string(f.bytes());
  }
  return std::nullopt;
}

}  // namespace carbonledger::accounting
