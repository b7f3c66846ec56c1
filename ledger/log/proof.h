// InclusionProof and ConsistencyProof: a Merkle proof together with the tree sizes it is for,
// and their one JSON form. The API serves it (GET /v1/proofs/inclusion, /v1/proofs/consistency;
// docs/api.md §Proofs), `carbonledger proof` writes it, and every reader — the CLI's offline
// verifiers, the client library, the harnesses, the statement bundle's entries — decodes it
// here. Invariant: what Decode* accepts is exactly what Encode* writes (integers where sizes
// are, every hash 32 bytes of canonical base64); whether a decoded proof proves anything is
// for merkle::VerifyInclusion / merkle::VerifyConsistency to say.
//
//   inclusion:   {"leaf_index": N, "tree_size": M, "leaf_hash": "<b64>", "entry": "<b64>",
//                 "hashes": ["<b64>", ...]}        (a proof file may give leaf_hash or entry)
//   consistency: {"from": A, "to": B, "hashes": ["<b64>", ...]}
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "crypto/sha256.h"
#include "crypto/status.h"

namespace carbonledger {

// RFC 9162 §2.1.3.1: the audit path of leaf `leaf_index` in the tree of `tree_size` leaves,
// bottom-up.
struct InclusionProof {
  uint64_t leaf_index = 0;
  uint64_t tree_size = 0;
  std::vector<Hash> hashes;
};

// RFC 9162 §2.1.4.1: the proof that the tree of `from` leaves is a prefix of the tree of `to`
// leaves.
struct ConsistencyProof {
  uint64_t from = 0;
  uint64_t to = 0;
  std::vector<Hash> hashes;
};

// An inclusion proof with the leaf it proves: the document of GET /v1/proofs/inclusion.
struct EntryProof {
  InclusionProof proof;
  Hash leaf_hash{};                  // RFC 9162 §2.1.1 leaf hash of the entry
  std::optional<std::string> entry;  // the entry's bytes (docs/ledger-format.md), when given
};

// The JSON above. Encoding writes both leaf_hash and the entry (when given).
nlohmann::json EncodeInclusionProof(const EntryProof& p);
nlohmann::json EncodeConsistencyProof(const ConsistencyProof& p);

// Decoding fails with "proof.format" (InvalidArgument) when `j` is not the documented JSON.
// For an inclusion proof the leaf is the hash of `entry` when given, and then a `leaf_hash`
// given too must equal it; otherwise `leaf_hash`.
Result<EntryProof> DecodeInclusionProof(const nlohmann::json& j);
Result<ConsistencyProof> DecodeConsistencyProof(const nlohmann::json& j);

// The hash list alone, ["<b64>", ...]: the proofs' "hashes", and what a statement bundle
// (docs/certification.md §Bundle format) stores for each of its entries. "proof.format" unless
// every element is a base64 string of 32 bytes.
nlohmann::json EncodeProofHashes(const std::vector<Hash>& hashes);
Result<std::vector<Hash>> DecodeProofHashes(const nlohmann::json& j);

}  // namespace carbonledger
