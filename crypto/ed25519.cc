#include "crypto/ed25519.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/sha256.h"

namespace carbonledger {
namespace {

constexpr uint8_t kAlgEd25519 = 0x01;

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

std::string KeyIdHex(uint32_t id) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", id);
  return buf;
}

// Splits "a+b+c" into at most `n` fields; the last field takes the rest.
std::vector<std::string_view> SplitPlus(std::string_view s, size_t n) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < n) {
    size_t p = s.find('+');
    if (p == std::string_view::npos) break;
    out.push_back(s.substr(0, p));
    s.remove_prefix(p + 1);
  }
  out.push_back(s);
  return out;
}

// Decodes "<name>+<id>+<base64(0x01||key)>" and checks the id matches the key.
Result<std::pair<std::string, std::string>> ParseKeyFields(std::string_view text) {
  auto f = SplitPlus(text, 3);
  if (f.size() != 3) return Status::InvalidArgument("key.format", "key must be name+id+data");
  if (!IsValidKeyName(f[0])) return Status::InvalidArgument("key.name", "invalid key name");
  auto data = Base64Decode(f[2]);
  if (!data.ok()) return Status::InvalidArgument("key.format", "key data is not base64");
  if (data->size() != 33 || uint8_t((*data)[0]) != kAlgEd25519) {
    return Status::InvalidArgument("key.algorithm", "key is not an Ed25519 (0x01) key");
  }
  return std::make_pair(std::string(f[0]), std::string(f[1]) + "|" + data->substr(1));
}

}  // namespace

void InitCrypto() {
  static const int rc = sodium_init();
  if (rc < 0) std::abort();  // no usable CSPRNG: nothing can be signed safely
}

SigningKey SigningKey::Generate() {
  InitCrypto();
  SigningKey k;
  crypto_sign_keypair(k.public_key_.data(), k.secret_.data());
  return k;
}

Result<SigningKey> SigningKey::FromSeed(std::string_view seed) {
  InitCrypto();
  if (seed.size() != crypto_sign_SEEDBYTES) {
    return Status::InvalidArgument("key.seed", "Ed25519 seed must be 32 bytes");
  }
  SigningKey k;
  crypto_sign_seed_keypair(k.public_key_.data(), k.secret_.data(),
                           reinterpret_cast<const unsigned char*>(seed.data()));
  return k;
}

Signature SigningKey::Sign(std::string_view message) const {
  Signature sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), secret_.data());
  return sig;
}

bool VerifySignature(const PublicKey& key, std::string_view message, const Signature& sig) {
  InitCrypto();
  return crypto_sign_verify_detached(sig.data(),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), key.data()) == 0;
}

Result<PublicKey> PublicKeyFromBytes(std::string_view bytes) {
  if (bytes.size() != 32) {
    return Status::InvalidArgument("key.public", "Ed25519 public key must be 32 bytes");
  }
  PublicKey k;
  std::copy(bytes.begin(), bytes.end(), k.begin());
  return k;
}

Result<Signature> SignatureFromBytes(std::string_view bytes) {
  if (bytes.size() != 64) {
    return Status::InvalidArgument("signature.length", "Ed25519 signature must be 64 bytes");
  }
  Signature s;
  std::copy(bytes.begin(), bytes.end(), s.begin());
  return s;
}

uint32_t NoteKeyId(std::string_view name, const PublicKey& key) {
  Sha256Hasher h;
  h.Update(name).UpdateByte('\n').UpdateByte(kAlgEd25519).Update(AsBytes(key));
  Hash d = h.Final();
  return uint32_t(d[0]) << 24 | uint32_t(d[1]) << 16 | uint32_t(d[2]) << 8 | uint32_t(d[3]);
}

bool IsValidKeyName(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    if (c <= 0x20 || c >= 0x7f || c == '+') return false;
  }
  return true;
}

std::string FormatPrivateKey(std::string_view name, const SigningKey& key) {
  std::string data(1, char(kAlgEd25519));
  data += key.seed();
  return "PRIVATE+KEY+" + std::string(name) + "+" + KeyIdHex(NoteKeyId(name, key.public_key())) +
         "+" + Base64Encode(data);
}

Result<NamedKey> ParsePrivateKey(std::string_view text) {
  std::string t = Trim(text);
  constexpr std::string_view kPrefix = "PRIVATE+KEY+";
  if (t.rfind(kPrefix, 0) != 0) {
    return Status::InvalidArgument("key.format", "private key must start with PRIVATE+KEY+");
  }
  auto fields = ParseKeyFields(std::string_view(t).substr(kPrefix.size()));
  if (!fields.ok()) return fields.status();
  auto [name, rest] = *fields;
  size_t bar = rest.find('|');
  auto key = SigningKey::FromSeed(rest.substr(bar + 1));
  if (!key.ok()) return key.status();
  if (rest.substr(0, bar) != KeyIdHex(NoteKeyId(name, key->public_key()))) {
    return Status::InvalidArgument("key.id", "key id does not match the key");
  }
  return NamedKey{name, *key};
}

std::string FormatPublicKey(std::string_view name, const PublicKey& key) {
  std::string data(1, char(kAlgEd25519));
  data += AsBytes(key);
  return std::string(name) + "+" + KeyIdHex(NoteKeyId(name, key)) + "+" + Base64Encode(data);
}

Result<NamedPublicKey> ParsePublicKey(std::string_view text) {
  auto fields = ParseKeyFields(Trim(text));
  if (!fields.ok()) return fields.status();
  auto [name, rest] = *fields;
  size_t bar = rest.find('|');
  auto key = PublicKeyFromBytes(rest.substr(bar + 1));
  if (!key.ok()) return key.status();
  if (rest.substr(0, bar) != KeyIdHex(NoteKeyId(name, *key))) {
    return Status::InvalidArgument("key.id", "key id does not match the key");
  }
  return NamedPublicKey{name, *key};
}

Status WritePrivateKeyFile(const std::string& path, std::string_view name, const SigningKey& key) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IOError("key.file", "cannot create key file " + path);
  std::string text = FormatPrivateKey(name, key) + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == ssize_t(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Status::IOError("key.file", "cannot write key file " + path);
  return Status::OK();
}

Result<NamedKey> ReadPrivateKeyFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::IOError("key.file", "cannot read key file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ParsePrivateKey(ss.str());
}

}  // namespace carbonledger
