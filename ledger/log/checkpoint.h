// Checkpoint: the log's signed commitment to its Merkle tree head at a size, in the C2SP
// tlog-checkpoint format (c2sp.org/tlog-checkpoint) carried in a C2SP signed note
// (c2sp.org/signed-note) with Ed25519 signatures, so that Go's sumdb/note, transparency-dev
// witnesses and any other tlog client can read and cosign it.
//
// A checkpoint says nothing until its signature by the log's key has been verified: the only
// way to get a Checkpoint from untrusted bytes is OpenCheckpoint, which verifies first.
// The exact bytes are in docs/checkpoints.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "crypto/status.h"

namespace carbonledger {

struct Checkpoint {
  std::string origin;  // the log's identity, e.g. "carbonledger.example/park-hefei"
  uint64_t size = 0;   // number of leaves
  Hash root{};         // RFC 6962 Merkle tree hash of those leaves
  std::vector<std::string> extensions;  // optional opaque lines; not recommended
};

// "checkpoint.format" unless: origin and every extension line non-empty, valid UTF-8 and free
// of control characters (below U+0020). SignCheckpoint requires this.
Status ValidateCheckpoint(const Checkpoint& c);

// The note body (the signed text): origin, decimal size, base64 root, then the extension
// lines, each followed by "\n".
std::string CheckpointBody(const Checkpoint& c);

// Parses a note body strictly ("checkpoint.format", Code::kInvalidArgument on any deviation):
// valid UTF-8 without control characters other than "\n", every line ends in "\n" and is
// non-empty, at least three lines, size in canonical decimal (no sign, no leading zeros except
// "0", at most 2^64-1), root in canonical padded base64 of exactly 32 bytes.
// It does not verify anything; use OpenCheckpoint for bytes from outside.
Result<Checkpoint> ParseCheckpointBody(std::string_view body);

// A tree size in canonical decimal: digits only, no leading zero unless the value is 0, at most
// 2^64-1 ("checkpoint.format" otherwise). The checkpoint's size line and the witness protocol's
// "old" line (c2sp.org/tlog-witness) share it.
Result<uint64_t> ParseTreeSize(std::string_view s);

// The whole signed note: body, "\n", then one signature line
// "— <key_name> <base64(key id || Ed25519 signature over the body)>\n".
// Requires ValidateCheckpoint(c).ok() and IsValidKeyName(key_name); aborts otherwise, since
// both come from the log's own configuration and a violation is a programming error.
std::string SignCheckpoint(const Checkpoint& c, std::string_view key_name, const SigningKey& key);

// A signed note's signature line, parsed but not verified: the signer's key name, the 4-byte
// key id and whatever follows it (c2sp.org/signed-note: the signature, whose layout depends on
// the signature type; for a cosignature/v1 line, a timestamp and then the Ed25519 signature).
struct NoteSignature {
  std::string name;
  uint32_t key_id = 0;
  std::string signature;
};

// A checkpoint note split into its parts, nothing verified yet.
struct CheckpointNote {
  std::string body;  // the signed text, up to and including its last "\n"
  Checkpoint checkpoint;
  std::vector<NoteSignature> signatures;
};

// Steps 1 to 4 of opening (docs/checkpoints.md §Signed note): the note is UTF-8 text, splits at
// its last blank line into a body that parses and 1 to 100 well-formed signature lines.
// "checkpoint.format" otherwise. It verifies no signature: OpenCheckpoint and
// VerifyCosignature (ledger/log/cosignature.h) do, each for the key it is given.
Result<CheckpointNote> ParseCheckpointNote(std::string_view note);

// Parses a signed note and verifies it carries a valid signature by (key_name, key); returns
// the checkpoint. Other signature lines (witness cosignatures, rotated keys) are skipped but
// must be well-formed. Only the first line with key_name and key's id counts, as in
// c2sp.org/signed-note and Go's note.Open. Errors:
//   "checkpoint.format"    (kInvalidArgument)  malformed note or body, > 100 signature lines
//   "checkpoint.signature" (kUnauthenticated)  no line by that key, or its signature is bad
//   "checkpoint.origin"    (kUnprocessable)    expected_origin is non-empty and differs
Result<Checkpoint> OpenCheckpoint(std::string_view note, std::string_view key_name,
                                  const PublicKey& key, std::string_view expected_origin = "");

// The signature line prefix: U+2014 EM DASH (E2 80 94) and a space.
inline constexpr std::string_view kNoteSignaturePrefix = "\xE2\x80\x94 ";

}  // namespace carbonledger
