// The refusal of a statement bundle: every check of docs/certification.md §Bundle format fails
// as Corruption "bundle.invalid", with a message naming what failed ("entry 27 is not included
// in the checkpoint: ...").
#pragma once

#include <string>

#include "crypto/status.h"

namespace carbonledger::certification {

inline Status BundleError(const std::string& what) {
  return Status::Corruption("bundle.invalid", what);
}

}  // namespace carbonledger::certification
