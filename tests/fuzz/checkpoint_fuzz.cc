// Fuzz target: checkpoint bodies and signed notes (ledger/checkpoint.h, docs/checkpoints.md).
//
// The input is used three ways:
//  1. As a note body: ParseCheckpointBody accepts only the one encoding of a checkpoint, so an
//     accepted body is CheckpointBody(parsed); the parsed checkpoint is valid for
//     SignCheckpoint, whose note OpenCheckpoint opens to the same checkpoint (and refuses for
//     another expected origin).
//  2. As a whole signed note, opened with a fixed key: never a crash; a refusal is one of the
//     three documented reasons; an opened note's body is its prefix up to the last blank line,
//     and parses to the same checkpoint.
//  3. As a body the fixed key signs (body, "\n", one signature line): OpenCheckpoint accepts
//     that note exactly when ParseCheckpointBody accepts the body, with the same checkpoint
//     (for bodies without a blank line of their own).
#include <cstddef>
#include <cstdint>
#include <string>

#include "crypto/sha256.h"
#include "ledger/log/checkpoint.h"
#include "tests/fuzz/fuzz_util.h"

using namespace carbonledger;

namespace {

constexpr std::string_view kKeyName = "fuzz.example/log";

const SigningKey& LogKey() {
  static const SigningKey key = fuzz::FixedKey('\x11');
  return key;
}

bool Same(const Checkpoint& a, const Checkpoint& b) {
  return a.origin == b.origin && a.size == b.size && a.root == b.root &&
         a.extensions == b.extensions;
}

// "— <name> <base64(key id || signature over body)>\n", from the signed-note definition.
std::string SignatureLine(std::string_view body) {
  const uint32_t id = NoteKeyId(kKeyName, LogKey().public_key());
  std::string data = {char(id >> 24), char(id >> 16), char(id >> 8), char(id)};
  data += AsBytes(LogKey().Sign(body));
  return std::string(kNoteSignaturePrefix) + std::string(kKeyName) + " " + Base64Encode(data) +
         "\n";
}

void CheckBody(std::string_view body) {
  auto c = ParseCheckpointBody(body);
  if (!c.ok()) {
    FUZZ_CHECK(c.status().reason() == "checkpoint.format");
    return;
  }
  FUZZ_CHECK(CheckpointBody(*c) == body);
  FUZZ_CHECK(ValidateCheckpoint(*c).ok());
  const std::string note = SignCheckpoint(*c, kKeyName, LogKey());
  FUZZ_CHECK(note.starts_with(body));
  auto opened = OpenCheckpoint(note, kKeyName, LogKey().public_key(), c->origin);
  FUZZ_CHECK(opened.ok());
  FUZZ_CHECK(Same(*opened, *c));
  auto other_origin = OpenCheckpoint(note, kKeyName, LogKey().public_key(), c->origin + "x");
  FUZZ_CHECK(!other_origin.ok() && other_origin.status().reason() == "checkpoint.origin");
  // Another key does not open it.
  static const SigningKey other = fuzz::FixedKey('\x22');
  auto wrong_key = OpenCheckpoint(note, kKeyName, other.public_key());
  FUZZ_CHECK(!wrong_key.ok() && wrong_key.status().reason() == "checkpoint.signature");
}

void CheckNote(std::string_view note) {
  auto c = OpenCheckpoint(note, kKeyName, LogKey().public_key());
  if (!c.ok()) {
    const std::string& reason = c.status().reason();
    FUZZ_CHECK(reason == "checkpoint.format" || reason == "checkpoint.signature");
    return;
  }
  const size_t blank = note.rfind("\n\n");
  FUZZ_CHECK(blank != std::string_view::npos);
  const std::string_view body = note.substr(0, blank + 1);
  FUZZ_CHECK(CheckpointBody(*c) == body);
  auto parsed = ParseCheckpointBody(body);
  FUZZ_CHECK(parsed.ok() && Same(*parsed, *c));
}

void CheckSignedBody(std::string_view body) {
  const std::string note = std::string(body) + "\n" + SignatureLine(body);
  auto opened = OpenCheckpoint(note, kKeyName, LogKey().public_key());
  auto parsed = ParseCheckpointBody(body);
  // With a blank line inside the input, the note's last blank line may be that one rather than
  // ours, and what follows it (e.g. a seed's own valid signature lines) decides.
  if (body.find("\n\n") != std::string_view::npos) return;
  FUZZ_CHECK(opened.ok() == parsed.ok());
  if (opened.ok()) FUZZ_CHECK(Same(*opened, *parsed));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::AsText(data, size);
  CheckBody(text);
  CheckNote(text);
  CheckSignedBody(text);
  return 0;
}
