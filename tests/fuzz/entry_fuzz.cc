// Fuzz target: entry bytes (ledger/entry.h, docs/ledger-format.md §Entries).
//
// Invariants:
//  1. DecodeEntry accepts exactly one encoding per entry: when it accepts bytes, EncodeEntry of
//     the result is those bytes, and their length is the header plus tx_len (version 1) or the
//     header, tx_len, the note's length field and note_len (version 2, ledger format 4).
//  2. A refusal is "entry.format" (Corruption: entries come from our own store).
//  3. Any entry built from fuzzer-chosen fields encodes to bytes DecodeEntry reads back to the
//     same fields.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "ledger/log/entry.h"
#include "ledger/log/merkle.h"
#include "tests/fuzz/fuzz_util.h"

using namespace carbonledger;

namespace {

bool SameEntry(const Entry& a, const Entry& b) {
  return a.version == b.version && a.seq == b.seq && a.accepted_ms == b.accepted_ms &&
         a.signer_key == b.signer_key && a.signature == b.signature && a.tx == b.tx &&
         a.note == b.note;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = fuzz::AsText(data, size);
  // 1, 2.
  auto e = DecodeEntry(bytes);
  if (e.ok()) {
    FUZZ_CHECK(bytes.size() == kEntryHeaderBytes + e->tx.size() +
                                   (e->version == kEntryVersion2 ? 4 + e->note.size() : 0));
    FUZZ_CHECK(e->version == kEntryVersion2 || e->note.empty());
    FUZZ_CHECK(EncodeEntry(*e) == bytes);
    FUZZ_CHECK(LeafHash(bytes) == merkle::HashLeaf(EncodeEntry(*e)));
  } else {
    FUZZ_CHECK(e.status().reason() == "entry.format");
    FUZZ_CHECK(e.status().code() == Code::kCorruption);
  }
  // 3.
  fuzz::Reader r(data, size);
  Entry built;
  built.seq = r.U64();
  built.accepted_ms = r.U64();
  for (auto& b : built.signer_key) b = r.Byte();
  for (auto& b : built.signature) b = r.Byte();
  built.version = (r.Byte() & 1) ? kEntryVersion2 : kEntryVersion;
  std::string rest = r.Rest();
  if (built.version == kEntryVersion2) {
    // The rest split in two: the transaction, then the note.
    const size_t cut = rest.empty() ? 0 : size % (rest.size() + 1);
    built.tx = rest.substr(0, cut);
    built.note = rest.substr(cut);
  } else {
    built.tx = rest;
  }
  const std::string encoded = EncodeEntry(built);
  FUZZ_CHECK(encoded.size() == kEntryHeaderBytes + built.tx.size() +
                                   (built.version == kEntryVersion2 ? 4 + built.note.size() : 0));
  auto decoded = DecodeEntry(encoded);
  FUZZ_CHECK(decoded.ok());
  FUZZ_CHECK(SameEntry(*decoded, built));
  // A different byte anywhere is a different entry or no entry.
  if (!encoded.empty()) {
    std::string flipped = encoded;
    flipped[size % flipped.size()] ^= 0x01;
    auto other = DecodeEntry(flipped);
    FUZZ_CHECK(!other.ok() || !SameEntry(*other, built));
  }
  return 0;
}
