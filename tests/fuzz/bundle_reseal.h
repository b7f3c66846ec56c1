// Re-sealing statement bundles for fuzzing (tests/fuzz/statement_bundle_fuzz.cc and the seed
// generator tests/fuzz/make_bundle_seeds.cc).
//
// A real bundle is sealed by keys the fuzzer does not have: the log's checkpoint key and every
// account's signing key. Re-sealing rebuilds everything those keys vouch for around whatever
// the bundle now says, with fixed keys, so that the checks behind the signatures are reachable:
//
//  - each entry, given as {"entry": <base64 entry bytes>} or as {"tx": <transaction object>,
//    "accepted_ms": <integer, optional>}, becomes entry bytes signed by the fixed account key;
//  - an entry's leaf hash changes when it is re-signed, so every string equal to its old leaf
//    hash (hex) in later entries' transactions and in the facts is replaced by the new one (a
//    statement names its inventory entry by that hash);
//  - the tree of max(seq) + 1 leaves is built (unbundled leaves are filler), every proof is
//    recomputed, and a checkpoint of that tree is signed with the fixed log key.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/canonical_json.h"
#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/entry.h"
#include "ledger/log/merkle.h"
#include "ledger/log/transaction.h"
#include "tests/fuzz/fuzz_util.h"

namespace carbonledger::fuzz {

// The log key bundles are verified with and re-sealed with: the key name is the origin.
inline constexpr std::string_view kBundleLogName = "fuzz.example/log";
// Entries are re-sealed only for trees up to this size.
inline constexpr uint64_t kMaxResealSize = 4096;

inline const SigningKey& BundleLogKey() {
  static const SigningKey key = FixedKey('\x11');
  return key;
}
inline const SigningKey& BundleAccountKey() {
  static const SigningKey key = FixedKey('\x44');
  return key;
}
inline const NamedPublicKey& BundleLogPublicKey() {
  static const NamedPublicKey key{std::string(kBundleLogName), BundleLogKey().public_key()};
  return key;
}

namespace internal {

inline bool ParseSeq(const std::string& key, uint64_t* seq) {
  if (key.empty() || key.size() > 19 || (key.size() > 1 && key[0] == '0')) return false;
  uint64_t v = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + uint64_t(c - '0');
  }
  *seq = v;
  return true;
}

inline void Substitute(nlohmann::json& j, const std::map<std::string, std::string>& renamed) {
  if (renamed.empty()) return;
  if (j.is_string()) {
    auto it = renamed.find(j.get<std::string>());
    if (it != renamed.end()) j = it->second;
  } else if (j.is_array() || j.is_object()) {
    for (auto& child : j) Substitute(child, renamed);
  }
}

}  // namespace internal

// Re-seals `bundle` in place (see above). Returns false when it has no entries to re-seal.
inline bool ResealBundle(nlohmann::json& bundle) {
  if (!bundle.is_object() || !bundle.contains("entries") || !bundle["entries"].is_object()) {
    return false;
  }
  nlohmann::json& entries = bundle["entries"];
  std::map<uint64_t, nlohmann::json*> by_seq;  // in log order, whatever the key order
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    uint64_t seq;
    if (internal::ParseSeq(it.key(), &seq) && seq < kMaxResealSize && it.value().is_object()) {
      by_seq[seq] = &it.value();
    }
  }
  std::map<std::string, std::string> renamed;  // old leaf hash hex -> new
  std::map<uint64_t, std::string> leaves;      // seq -> entry bytes
  for (auto& [seq, value] : by_seq) {
    nlohmann::json& v = *value;
    Entry e;
    e.seq = seq;
    e.accepted_ms = 1'700'000'000'000 + seq;
    nlohmann::json tx_json;
    std::string old_hash;
    if (v.contains("tx")) {
      tx_json = v["tx"];
      if (v.contains("accepted_ms") && v["accepted_ms"].is_number_unsigned()) {
        e.accepted_ms = v["accepted_ms"].get<uint64_t>();
      }
    } else if (v.contains("entry") && v["entry"].is_string()) {
      auto bytes = Base64Decode(v["entry"].get<std::string>());
      if (!bytes.ok()) continue;
      auto decoded = DecodeEntry(*bytes);
      if (!decoded.ok()) continue;
      auto parsed = ParseStrictJson(decoded->tx, JsonLimits{kMaxTransactionBytes, 64});
      if (!parsed.ok()) continue;
      tx_json = std::move(*parsed);
      e.accepted_ms = decoded->accepted_ms;
      old_hash = HexEncode(AsBytes(merkle::HashLeaf(*bytes)));
    } else {
      continue;
    }
    internal::Substitute(tx_json, renamed);
    auto tx = TransactionFromJson(tx_json);
    if (!tx.ok()) continue;
    e.tx = tx->canonical;
    e.signer_key = BundleAccountKey().public_key();
    e.signature = BundleAccountKey().Sign(e.tx);
    const std::string bytes = EncodeEntry(e);
    if (!old_hash.empty()) renamed[old_hash] = HexEncode(AsBytes(merkle::HashLeaf(bytes)));
    v.erase("tx");
    v.erase("accepted_ms");
    v["entry"] = Base64Encode(bytes);
    leaves[seq] = bytes;
  }
  if (leaves.empty()) return false;
  if (bundle.contains("facts")) internal::Substitute(bundle["facts"], renamed);

  const uint64_t size = leaves.rbegin()->first + 1;
  merkle::MemoryNodeStore store;
  merkle::Frontier frontier;
  std::vector<std::pair<merkle::NodeId, Hash>> completed;
  for (uint64_t i = 0; i < size; ++i) {
    auto it = leaves.find(i);
    frontier.Append(
        merkle::HashLeaf(it != leaves.end() ? it->second : "filler " + std::to_string(i)),
        &completed);
    FUZZ_CHECK(store.PutAll(completed).ok());
  }
  for (const auto& [seq, bytes] : leaves) {
    auto proof = merkle::InclusionProof(seq, size, store);
    FUZZ_CHECK(proof.ok());
    nlohmann::json hashes = nlohmann::json::array();
    for (const Hash& h : *proof) hashes.push_back(Base64Encode(AsBytes(h)));
    (*by_seq[seq])["proof"] = std::move(hashes);
  }
  Checkpoint cp;
  cp.origin = std::string(kBundleLogName);
  cp.size = size;
  cp.root = frontier.Root();
  bundle["checkpoint"] = SignCheckpoint(cp, kBundleLogName, BundleLogKey());
  return true;
}

// The same bundle with every entry given as {"tx": ..., "accepted_ms": ...} (no proofs and no
// checkpoint: ResealBundle recreates them), the form the fuzzer mutates best.
inline nlohmann::json UnsealedBundle(const nlohmann::json& sealed) {
  nlohmann::json out = sealed;
  out.erase("checkpoint");
  for (auto& v : out["entries"]) {
    auto bytes = Base64Decode(v["entry"].get<std::string>());
    FUZZ_CHECK(bytes.ok());
    auto e = DecodeEntry(*bytes);
    FUZZ_CHECK(e.ok());
    auto tx = ParseStrictJson(e->tx, JsonLimits{kMaxTransactionBytes, 64});
    FUZZ_CHECK(tx.ok());
    v = nlohmann::json{{"tx", *tx}, {"accepted_ms", e->accepted_ms}};
  }
  return out;
}

}  // namespace carbonledger::fuzz
