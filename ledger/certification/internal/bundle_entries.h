// The entries of a statement bundle, each decoded and proved included in the bundle's signed
// checkpoint (docs/certification.md §Verifying a bundle, step 4): shared by the verifiers of
// carbonledger.bundle/1 and /2.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>

#include "crypto/ed25519.h"
#include "crypto/status.h"
#include "ledger/certification/bundle.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/entry.h"
#include "ledger/log/transaction.h"

namespace carbonledger::certification {

struct ProvedEntry {
  Entry entry;
  Transaction tx;
};

// `entries` is the bundle's member: "<seq>" -> {"entry": base64, "proof": [base64 hashes]}.
// Each entry's leaf hash and proof give the checkpoint's root, it decodes with its own seq,
// its transaction is canonical and its signature verifies. Corruption "bundle.invalid".
Result<std::map<uint64_t, ProvedEntry>> ProveEntries(const nlohmann::json& entries,
                                                     const Checkpoint& cp);

// A carbonledger.bundle/2 (ledger format 4): `text` is the bundle's bytes, `bundle` their
// parse (bundle_verify_v2.cc).
Result<BundleReport> VerifyBundleV2(std::string_view text, const nlohmann::json& bundle,
                                    const NamedPublicKey& log_key);

}  // namespace carbonledger::certification
