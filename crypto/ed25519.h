// Ed25519 (RFC 8032) keys, signatures and verification through libsodium, and the key
// file format shared by account keys and the log's checkpoint key.
//
// Key files use the C2SP signed-note key encoding (docs/ledger-format.md §Keys):
//   private: "PRIVATE+KEY+<name>+<key id, 8 hex>+<base64(0x01 || 32-byte seed)>"
//   public:  "<name>+<key id, 8 hex>+<base64(0x01 || 32-byte public key)>"
// where key id = first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/sha256.h"
#include "crypto/status.h"

namespace carbonledger {

using PublicKey = std::array<uint8_t, 32>;
using Signature = std::array<uint8_t, 64>;

// Initialises libsodium once; safe to call from any thread any number of times.
void InitCrypto();

class SigningKey {
 public:
  // A fresh key from libsodium's CSPRNG.
  static SigningKey Generate();
  // The RFC 8032 private key is the 32-byte seed.
  static Result<SigningKey> FromSeed(std::string_view seed);

  const PublicKey& public_key() const { return public_key_; }
  std::string_view seed() const {
    return std::string_view(reinterpret_cast<const char*>(secret_.data()), 32);
  }
  Signature Sign(std::string_view message) const;

 private:
  SigningKey() = default;
  std::array<uint8_t, 64> secret_{};  // libsodium layout: seed || public key
  PublicKey public_key_{};
};

bool VerifySignature(const PublicKey& key, std::string_view message, const Signature& sig);

Result<PublicKey> PublicKeyFromBytes(std::string_view bytes);
Result<Signature> SignatureFromBytes(std::string_view bytes);

// Key id of a signed-note key: SHA-256(name || "\n" || 0x01 || public key)[:4], big-endian.
uint32_t NoteKeyId(std::string_view name, const PublicKey& key);
// A key name for signed notes: non-empty, printable ASCII, no spaces and no '+'.
bool IsValidKeyName(std::string_view name);

struct NamedKey {
  std::string name;
  SigningKey key;
};
struct NamedPublicKey {
  std::string name;
  PublicKey key;
};

std::string FormatPrivateKey(std::string_view name, const SigningKey& key);
Result<NamedKey> ParsePrivateKey(std::string_view text);
std::string FormatPublicKey(std::string_view name, const PublicKey& key);
Result<NamedPublicKey> ParsePublicKey(std::string_view text);

// Writes the private key file with mode 0600, created exclusively (never overwrites).
Status WritePrivateKeyFile(const std::string& path, std::string_view name, const SigningKey& key);
Result<NamedKey> ReadPrivateKeyFile(const std::string& path);

}  // namespace carbonledger
