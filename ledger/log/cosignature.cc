// Cosignatures per c2sp.org/tlog-cosignature, the Ed25519 "cosignature/v1" type. Byte layout of
// the signature line's data (§Format, RFC 8446 §3 notation):
//   struct { u32 key_id; u64 timestamp; opaque ed25519_signature[64]; }   76 bytes
#include "ledger/log/cosignature.h"

#include <cstdio>
#include <cstdlib>

#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "ledger/log/checkpoint.h"

namespace carbonledger {
namespace {

constexpr uint64_t kMaxTimestamp = (uint64_t(1) << 63) - 1;  // §Format: "MUST NOT exceed 2^63 - 1"

std::string BigEndian(uint64_t v, int bytes) {
  std::string out(size_t(bytes), '\0');
  for (int i = bytes - 1; i >= 0; --i, v >>= 8) out[size_t(i)] = char(v & 0xff);
  return out;
}

uint64_t ReadBigEndian(std::string_view b) {
  uint64_t v = 0;
  for (unsigned char c : b) v = v << 8 | c;
  return v;
}

std::string KeyIdHex(uint32_t id) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", id);
  return buf;
}

Status KeyError(const std::string& what) {
  return Status::InvalidArgument("cosignature.key", what);
}

}  // namespace

uint32_t CosignerKeyId(std::string_view name, const PublicKey& key) {
  Sha256Hasher h;
  h.Update(name).UpdateByte('\n').UpdateByte(kCosignatureV1Type).Update(AsBytes(key));
  const Hash d = h.Final();
  return uint32_t(ReadBigEndian(AsBytes(d).substr(0, 4)));
}

std::string FormatCosignerKey(std::string_view name, const PublicKey& key) {
  std::string data(1, char(kCosignatureV1Type));
  data += AsBytes(key);
  return std::string(name) + "+" + KeyIdHex(CosignerKeyId(name, key)) + "+" + Base64Encode(data);
}

Result<NamedPublicKey> ParseCosignerKey(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  const size_t first = text.find('+');
  const size_t second = first == std::string_view::npos ? first : text.find('+', first + 1);
  if (second == std::string_view::npos) return KeyError("witness key must be name+id+data");
  const std::string_view name = text.substr(0, first);
  if (!IsValidKeyName(name)) return KeyError("witness key name must be printable ASCII, no '+'");
  auto data = Base64Decode(text.substr(second + 1));
  if (!data.ok() || data->size() != 33 || uint8_t((*data)[0]) != kCosignatureV1Type) {
    return KeyError("witness key data must be base64 of 0x04 and a 32-byte Ed25519 key");
  }
  auto key = PublicKeyFromBytes(std::string_view(*data).substr(1));
  if (!key.ok()) return KeyError("witness key is not an Ed25519 public key");
  if (text.substr(first + 1, second - first - 1) != KeyIdHex(CosignerKeyId(name, *key))) {
    return KeyError("witness key id does not match the key (cosignature/v1, type 0x04)");
  }
  return NamedPublicKey{std::string(name), *key};
}

std::string CosignatureMessage(std::string_view body, uint64_t timestamp) {
  return "cosignature/v1\ntime " + std::to_string(timestamp) + "\n" + std::string(body);
}

std::string CosignCheckpoint(std::string_view body, std::string_view name, const SigningKey& key,
                             uint64_t timestamp) {
  if (!IsValidKeyName(name) || timestamp == 0 || timestamp > kMaxTimestamp) {
    std::fprintf(stderr, "CosignCheckpoint: invalid key name or timestamp\n");
    std::abort();
  }
  const Signature sig = key.Sign(CosignatureMessage(body, timestamp));
  const std::string data = BigEndian(CosignerKeyId(name, key.public_key()), 4) +
                           BigEndian(timestamp, 8) + std::string(AsBytes(sig));
  return std::string(kNoteSignaturePrefix) + std::string(name) + " " + Base64Encode(data) + "\n";
}

Result<uint64_t> VerifyCosignature(std::string_view note, const NamedPublicKey& witness) {
  auto parsed = ParseCheckpointNote(note);
  if (!parsed.ok()) return parsed.status();
  const uint32_t key_id = CosignerKeyId(witness.name, witness.key);
  for (const NoteSignature& line : parsed->signatures) {
    if (line.name != witness.name || line.key_id != key_id) continue;
    // The first line by this key decides (c2sp.org/signed-note; as OpenCheckpoint).
    const auto invalid = [&](const std::string& why) {
      return Status::Unauthenticated("cosignature.invalid",
                                     "cosignature by " + witness.name + " " + why);
    };
    if (line.signature.size() != 8 + 64) return invalid("is not a timestamp and a signature");
    const uint64_t timestamp = ReadBigEndian(std::string_view(line.signature).substr(0, 8));
    if (timestamp == 0 || timestamp > kMaxTimestamp) return invalid("has timestamp 0 or >= 2^63");
    auto sig = SignatureFromBytes(std::string_view(line.signature).substr(8));
    if (!sig.ok() ||
        !VerifySignature(witness.key, CosignatureMessage(parsed->body, timestamp), *sig)) {
      return invalid("does not verify");
    }
    return timestamp;
  }
  return Status::Unauthenticated("cosignature.missing",
                                 "no cosignature by witness key " + witness.name);
}

Result<WitnessPolicy> ParseWitnessPolicy(std::string_view text, size_t required) {
  WitnessPolicy policy;
  size_t line_no = 0;
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    auto key = ParseCosignerKey(line);
    if (!key.ok()) {
      return Status::InvalidArgument(
          "cosignature.key",
          "witnesses file line " + std::to_string(line_no) + ": " + key.status().message());
    }
    for (const NamedPublicKey& k : policy.witnesses) {
      if (k.name == key->name && k.key == key->key) {
        return Status::InvalidArgument(
            "cosignature.policy", "witnesses file line " + std::to_string(line_no) + ": witness " +
                                      k.name + " is listed twice");
      }
    }
    policy.witnesses.push_back(*key);
  }
  if (policy.witnesses.empty()) {
    return Status::InvalidArgument("cosignature.policy", "the witnesses file lists no witness");
  }
  if (required > policy.witnesses.size()) {
    return Status::InvalidArgument("cosignature.policy",
                                   std::to_string(required) + " witnesses required but only " +
                                       std::to_string(policy.witnesses.size()) + " listed");
  }
  policy.required = required == 0 ? policy.witnesses.size() : required;
  return policy;
}

Result<std::vector<std::string>> RequireCosignatures(std::string_view note,
                                                     const WitnessPolicy& policy) {
  std::vector<std::string> cosigned;
  std::string failures;
  for (const NamedPublicKey& w : policy.witnesses) {
    auto ts = VerifyCosignature(note, w);
    if (ts.ok()) {
      cosigned.push_back(w.name);
    } else {
      failures += "; " + ts.status().message();
    }
  }
  if (cosigned.size() < policy.required) {
    return Status::Unauthenticated("cosignature.quorum",
                                   std::to_string(cosigned.size()) + " of the " +
                                       std::to_string(policy.required) +
                                       " witness cosignatures required verify" + failures);
  }
  return cosigned;
}

}  // namespace carbonledger
