// Cosignature: a witness's signature on a log's checkpoint, in the C2SP tlog-cosignature format
// (c2sp.org/tlog-cosignature §Format, the Ed25519 type "cosignature/v1"). A v1 cosignature says
// "as of <time>, the consistent tree head with the largest size I have observed for this origin
// has this root" (§Ed25519 signed message). It is one more signature line of the checkpoint
// note, so a note carrying the log's signature and any number of cosignatures still opens with
// OpenCheckpoint, and each cosignature is checked on its own against a named witness key with
// VerifyCosignature — what a client requiring k of n witnesses counts. docs/witness.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/status.h"

namespace carbonledger {

// c2sp.org/tlog-cosignature §Format: the signature type byte of an Ed25519 cosignature/v1 key,
// in its key id and its vkey (0x01 is the signed-note type of the log's own Ed25519 key).
inline constexpr uint8_t kCosignatureV1Type = 0x04;

// §Format: SHA-256(<name> || "\n" || 0x04 || 32-byte Ed25519 public key)[:4], big-endian.
uint32_t CosignerKeyId(std::string_view name, const PublicKey& key);

// The cosigner's verifier key (c2sp.org/signed-note §Verifier keys, with signature type 0x04):
// "<name>+<key id, 8 hex>+<base64(0x04 || public key)>". The same Ed25519 key pair read from a
// `carbonledger keygen` file names a different key id here than in that file (type 0x01).
std::string FormatCosignerKey(std::string_view name, const PublicKey& key);
// Parses the text above ("cosignature.key", kInvalidArgument, for anything else: name not
// printable ASCII without space or '+', data not base64 of 0x04 and 32 bytes, id not the key's).
Result<NamedPublicKey> ParseCosignerKey(std::string_view text);

// §Ed25519 signed message: "cosignature/v1\n" "time <timestamp>\n" then the checkpoint note
// body, including its final "\n" and no signature line.
std::string CosignatureMessage(std::string_view body, uint64_t timestamp);

// The signature line "— <name> <base64(key id || u64 timestamp, big-endian || signature)>\n"
// (§Format, timestamped_signature). Requires IsValidKeyName(name), 0 < timestamp < 2^63 (the
// witness protocol forbids timestamp 0); aborts otherwise, both being the caller's own values.
std::string CosignCheckpoint(std::string_view body, std::string_view name, const SigningKey& key,
                             uint64_t timestamp);

// Verifies that `note`, a checkpoint note with its signature lines, carries a valid
// cosignature/v1 by `witness` (name and Ed25519 key); returns its timestamp. The first line
// with the witness's name and key id decides, as in OpenCheckpoint; other lines (the log's,
// other witnesses') are not consulted. It does not verify the log's signature: open the note
// with OpenCheckpoint for that. Errors:
//   "checkpoint.format"     (kInvalidArgument)  the note is malformed (ParseCheckpointNote)
//   "cosignature.missing"   (kUnauthenticated)  no line by that witness key
//   "cosignature.invalid"   (kUnauthenticated)  that line is not 8 + 64 bytes after the key id,
//                                               its timestamp is 0 or >= 2^63, or the
//                                               signature does not verify
Result<uint64_t> VerifyCosignature(std::string_view note, const NamedPublicKey& witness);

// A verifier's witness policy (docs/witness.md §Requiring witnesses): the witnesses it names,
// and how many of them must have cosigned a checkpoint before it is trusted.
struct WitnessPolicy {
  std::vector<NamedPublicKey> witnesses;
  size_t required = 0;
};
// The witnesses file: one cosigner key ("carbonledger witness-key" output) per line; blank
// lines and lines starting with '#' are skipped. `required` 0 means all of them. Refusals,
// kInvalidArgument: "cosignature.key" naming the line, "cosignature.policy" when no key is
// listed, a key is listed twice, or `required` exceeds the number listed.
Result<WitnessPolicy> ParseWitnessPolicy(std::string_view text, size_t required);
// The names of the policy's witnesses whose cosignature on `note` verifies; Unauthenticated
// "cosignature.quorum" when fewer than `required` do, naming each witness and why it failed.
Result<std::vector<std::string>> RequireCosignatures(std::string_view note,
                                                     const WitnessPolicy& policy);

}  // namespace carbonledger
