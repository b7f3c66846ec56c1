// Entry: one accepted transaction as it sits in the log. Entry `seq` is leaf `seq` of the
// RFC 6962 Merkle tree and link `seq` of the hash chain (docs/ledger-format.md §Entries).
//
// Entry bytes (the Merkle leaf data), every field fixed-width except the last, which is
// length-prefixed, so no two different entries share an encoding:
//
//   0x01 | seq u64be | accepted_ms u64be | signer public key [32] | signature [64] |
//   tx_len u32be | tx [tx_len]  (the transaction's RFC 8785 bytes)
//
// chain_seq = SHA-256(chain_{seq-1} || leaf_hash_seq), chain_{-1} = 32 zero bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "crypto/status.h"

namespace carbonledger {

constexpr uint8_t kEntryVersion = 0x01;
constexpr size_t kEntryHeaderBytes = 1 + 8 + 8 + 32 + 64 + 4;

struct Entry {
  uint64_t seq = 0;
  uint64_t accepted_ms = 0;  // acceptance time, Unix milliseconds (UTC)
  PublicKey signer_key{};
  Signature signature{};
  std::string tx;  // canonical transaction bytes
};

std::string EncodeEntry(const Entry& e);
// Strict: refuses a wrong version, a short or long buffer, and a length that disagrees.
Result<Entry> DecodeEntry(std::string_view bytes);

Hash LeafHash(std::string_view entry_bytes);  // SHA-256(0x00 || entry bytes)
Hash ChainNext(const Hash& previous_chain, const Hash& leaf_hash);
inline Hash ChainGenesis() { return Hash{}; }

}  // namespace carbonledger
