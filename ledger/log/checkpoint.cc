// Checkpoints as C2SP signed notes. The parsers are strict (one accepted encoding per
// checkpoint) because a checkpoint's bytes are what witnesses cosign and clients compare.
#include "ledger/log/checkpoint.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "crypto/canonical_json.h"
#include "crypto/encoding.h"

namespace carbonledger {
namespace {

// c2sp.org/signed-note: verifiers must accept at least 16 signatures; Go's note.Open stops at
// 100, and so do we.
constexpr size_t kMaxSignatureLines = 100;

Status FormatError(const std::string& what) {
  return Status::InvalidArgument("checkpoint.format", what);
}

// Signed notes are valid UTF-8 with no control character other than newline.
bool IsNoteText(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 && c != '\n') return false;
  }
  return IsValidUtf8(s);
}

bool IsNoteLine(std::string_view s) {
  return !s.empty() && s.find('\n') == std::string_view::npos && IsNoteText(s);
}

// A signer's key name as c2sp.org/signed-note allows it, for lines by other signers: non-empty,
// no '+', no Unicode White_Space. `name` is already known to be note text (UTF-8, no controls),
// so the spaces left to find are U+0020 and the non-ASCII ones, matched by their UTF-8 bytes.
bool IsNoteKeyName(std::string_view name) {
  // clang-format off
  static constexpr std::string_view kSpaces[] = {
      " ",            "\xC2\x85",     "\xC2\xA0",     "\xE1\x9A\x80",  // U+0020 0085 00A0 1680
      "\xE2\x80\x80", "\xE2\x80\x81", "\xE2\x80\x82", "\xE2\x80\x83",  // U+2000..2003
      "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86", "\xE2\x80\x87",  // U+2004..2007
      "\xE2\x80\x88", "\xE2\x80\x89", "\xE2\x80\x8A", "\xE2\x80\xA8",  // U+2008..200A 2028
      "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80"};  // U+2029 202F 205F 3000
  // clang-format on
  if (name.empty() || name.find('+') != std::string_view::npos) return false;
  for (std::string_view space : kSpaces) {
    if (name.find(space) != std::string_view::npos) return false;
  }
  return true;
}

// Splits text that ends in '\n' into its lines, without the newlines.
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    lines.push_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  return lines;
}

std::string KeyIdBytes(uint32_t id) {
  return {static_cast<char>(id >> 24), static_cast<char>(id >> 16), static_cast<char>(id >> 8),
          static_cast<char>(id)};
}

struct SignatureLine {
  std::string_view name;
  uint32_t key_id;
  std::string signature;  // what follows the key id
};

// "— <name> <base64(key id || signature)>", the newline already removed.
Result<SignatureLine> ParseSignatureLine(std::string_view line, size_t number) {
  const std::string where = "signature line " + std::to_string(number) + ": ";
  if (line.substr(0, kNoteSignaturePrefix.size()) != kNoteSignaturePrefix) {
    return FormatError(where + "does not start with an em dash (U+2014) and a space");
  }
  line.remove_prefix(kNoteSignaturePrefix.size());
  size_t space = line.find(' ');
  if (space == std::string_view::npos) return FormatError(where + "no space after the key name");
  SignatureLine out;
  out.name = line.substr(0, space);
  if (!IsNoteKeyName(out.name)) return FormatError(where + "invalid key name");
  auto data = Base64Decode(line.substr(space + 1));
  if (!data.ok() || data->size() < 5) {
    return FormatError(where + "signature is not base64 of a key id and a signature");
  }
  const auto* b = reinterpret_cast<const uint8_t*>(data->data());
  out.key_id = uint32_t(b[0]) << 24 | uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 | b[3];
  out.signature = data->substr(4);
  return out;
}

}  // namespace

Result<uint64_t> ParseTreeSize(std::string_view s) {
  if (s.empty() || s.size() > 20 || s.find_first_not_of("0123456789") != std::string_view::npos) {
    return FormatError("tree size must be 1 to 20 decimal digits");
  }
  if (s.size() > 1 && s[0] == '0') return FormatError("tree size has a leading zero");
  uint64_t v = 0;
  for (char d : s) {
    const auto digit = uint64_t(d - '0');
    if (v > (UINT64_MAX - digit) / 10) return FormatError("tree size exceeds 2^64-1");
    v = v * 10 + digit;
  }
  return v;
}

Status ValidateCheckpoint(const Checkpoint& c) {
  if (!IsNoteLine(c.origin)) {
    return FormatError("origin must be non-empty UTF-8 without control characters");
  }
  for (const std::string& line : c.extensions) {
    if (!IsNoteLine(line)) {
      return FormatError("extension lines must be non-empty UTF-8 without control characters");
    }
  }
  return Status::OK();
}

std::string CheckpointBody(const Checkpoint& c) {
  std::string body =
      c.origin + "\n" + std::to_string(c.size) + "\n" + Base64Encode(AsBytes(c.root)) + "\n";
  for (const std::string& line : c.extensions) body += line + "\n";
  return body;
}

Result<Checkpoint> ParseCheckpointBody(std::string_view body) {
  if (!IsNoteText(body)) {
    return FormatError("checkpoint body is not UTF-8 text without control characters");
  }
  if (body.empty() || body.back() != '\n') return FormatError("checkpoint body must end in \\n");
  std::vector<std::string_view> lines = Lines(body);
  if (lines.size() < 3) return FormatError("checkpoint body has fewer than three lines");
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty()) {
      return FormatError("checkpoint body line " + std::to_string(i + 1) + " is empty");
    }
  }
  Checkpoint c;
  c.origin = lines[0];
  auto size = ParseTreeSize(lines[1]);
  if (!size.ok()) return size.status();
  c.size = *size;
  auto root = HashFromBase64(lines[2]);
  if (!root.ok()) return FormatError("root hash must be canonical base64 of 32 bytes");
  c.root = *root;
  c.extensions.assign(lines.begin() + 3, lines.end());
  return c;
}

std::string SignCheckpoint(const Checkpoint& c, std::string_view key_name, const SigningKey& key) {
  if (Status s = ValidateCheckpoint(c); !s.ok()) {
    std::fprintf(stderr, "SignCheckpoint: %s\n", s.ToString().c_str());
    std::abort();
  }
  if (!IsValidKeyName(key_name)) {
    std::fprintf(stderr, "SignCheckpoint: invalid key name\n");
    std::abort();
  }
  const std::string body = CheckpointBody(c);
  const Signature sig = key.Sign(body);
  const std::string data =
      KeyIdBytes(NoteKeyId(key_name, key.public_key())) + std::string(AsBytes(sig));
  return body + "\n" + std::string(kNoteSignaturePrefix) + std::string(key_name) + " " +
         Base64Encode(data) + "\n";
}

Result<CheckpointNote> ParseCheckpointNote(std::string_view note) {
  if (!IsNoteText(note)) {
    return FormatError("note is not UTF-8 text without control characters other than \\n");
  }
  // The text ends at the last blank line (c2sp.org/signed-note); a checkpoint body has none.
  const size_t blank = note.rfind("\n\n");
  if (blank == std::string_view::npos) return FormatError("note has no blank line");
  const std::string_view body = note.substr(0, blank + 1);
  const std::string_view signatures = note.substr(blank + 2);
  if (signatures.empty()) return FormatError("note has no signature lines");
  if (signatures.back() != '\n') return FormatError("signature lines must end in \\n");
  auto checkpoint = ParseCheckpointBody(body);
  if (!checkpoint.ok()) return checkpoint.status();

  const std::vector<std::string_view> lines = Lines(signatures);
  if (lines.size() > kMaxSignatureLines) return FormatError("more than 100 signature lines");
  CheckpointNote out{std::string(body), std::move(*checkpoint), {}};
  for (size_t i = 0; i < lines.size(); ++i) {
    auto line = ParseSignatureLine(lines[i], i + 1);
    if (!line.ok()) return line.status();
    out.signatures.push_back({std::string(line->name), line->key_id, std::move(line->signature)});
  }
  return out;
}

Result<Checkpoint> OpenCheckpoint(std::string_view note, std::string_view key_name,
                                  const PublicKey& key, std::string_view expected_origin) {
  auto parsed = ParseCheckpointNote(note);
  if (!parsed.ok()) return parsed.status();
  const uint32_t key_id = NoteKeyId(key_name, key);
  // Only the first line by this key counts; lines by other keys, and repeats, are not consulted.
  const NoteSignature* ours = nullptr;
  for (const NoteSignature& line : parsed->signatures) {
    if (line.name == key_name && line.key_id == key_id) {
      ours = &line;
      break;
    }
  }
  if (ours == nullptr) {
    return Status::Unauthenticated("checkpoint.signature",
                                   "no signature by key " + std::string(key_name));
  }
  auto sig = SignatureFromBytes(ours->signature);
  if (!sig.ok() || !VerifySignature(key, parsed->body, *sig)) {
    return Status::Unauthenticated("checkpoint.signature",
                                   "signature by key " + std::string(key_name) + " is invalid");
  }
  Checkpoint& checkpoint = parsed->checkpoint;
  if (!expected_origin.empty() && checkpoint.origin != expected_origin) {
    return Status::Unprocessable("checkpoint.origin", "checkpoint origin \"" + checkpoint.origin +
                                                          "\" is not \"" +
                                                          std::string(expected_origin) + "\"");
  }
  return std::move(checkpoint);
}

}  // namespace carbonledger
