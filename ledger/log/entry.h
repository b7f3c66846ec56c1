// Entry: one accepted transaction as it sits in the log. Entry `seq` is leaf `seq` of the
// RFC 6962 Merkle tree and link `seq` of the hash chain (docs/ledger-format.md §Entries).
//
// Entry bytes (the Merkle leaf data), every field fixed-width except the last, which is
// length-prefixed, so no two different entries share an encoding:
//
//   0x01 | seq u64be | accepted_ms u64be | signer public key [32] | signature [64] |
//   tx_len u32be | tx [tx_len]  (the transaction's RFC 8785 bytes)
//
// and from ledger format 4, version 0x02, the same followed by the entry's note, which the log
// writes (the rules' outcome, e.g. the scope chains of docs/ledger-format.md §Entries):
//
//   0x02 | … as above … | note_len u32be | note [note_len]  (RFC 8785 JSON object, or empty)
//
// chain_seq = SHA-256(chain_{seq-1} || leaf_hash_seq), chain_{-1} = 32 zero bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "crypto/status.h"

namespace carbonledger {

constexpr uint8_t kEntryVersion = 0x01;   // ledger formats 1-3
constexpr uint8_t kEntryVersion2 = 0x02;  // ledger format 4 and later: with a note
constexpr size_t kEntryHeaderBytes = 1 + 8 + 8 + 32 + 64 + 4;

// The entry version a ledger of `format` writes.
inline uint8_t EntryVersionOf(int64_t format) {
  return format >= 4 ? kEntryVersion2 : kEntryVersion;
}

struct Entry {
  uint64_t seq = 0;
  uint64_t accepted_ms = 0;  // acceptance time, Unix milliseconds (UTC)
  PublicKey signer_key{};
  Signature signature{};
  std::string tx;  // canonical transaction bytes
  uint8_t version = kEntryVersion;
  std::string note;  // version 2 only: the log's note (canonical JSON object), or empty
};

std::string EncodeEntry(const Entry& e);
// Strict: refuses a wrong version, a short or long buffer, a length that disagrees, and a
// version 1 entry with a note.
Result<Entry> DecodeEntry(std::string_view bytes);

// The previous entry of `scope` a version 2 entry's note links to (0: none before it), or
// nullopt when the entry does not join `scope`. Corruption "entry.note" when the note is not a
// canonical-JSON object whose "links" are {"prev": seq below this one's, "scope": string}.
Result<std::optional<uint64_t>> LinkedPrevious(const Entry& e, std::string_view scope);

Hash LeafHash(std::string_view entry_bytes);  // SHA-256(0x00 || entry bytes)
Hash ChainNext(const Hash& previous_chain, const Hash& leaf_hash);
inline Hash ChainGenesis() { return Hash{}; }

}  // namespace carbonledger
