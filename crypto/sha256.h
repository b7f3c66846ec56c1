// SHA-256 (FIPS 180-4) through OpenSSL's EVP interface. Every hash in the ledger — leaf,
// node, chain, statement — is a Hash computed here, and every Hash read back from bytes
// (stored nodes and chain values, proofs, receipts, statements) comes through HashFromBytes,
// which takes exactly 32 bytes and refuses any other length.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/status.h"

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace carbonledger {

using Hash = std::array<uint8_t, 32>;

// One-shot SHA-256 of bytes.
Hash Sha256(std::string_view data);

// Incremental SHA-256: Update() any number of times, then Final() once.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  Sha256Hasher& Update(std::string_view data);
  Sha256Hasher& Update(const Hash& h);
  Sha256Hasher& UpdateByte(uint8_t b);
  Hash Final();

 private:
  EVP_MD_CTX* ctx_;
};

// The Hash whose 32 bytes are `bytes`; "hash.length" (InvalidArgument) for any other length.
Result<Hash> HashFromBytes(std::string_view bytes);
// The Hash spelled in base64 (RFC 4648 §4, as the API, proofs and receipts write hashes) or in
// hex (as statements name data files): "encoding.base64" / "encoding.hex" when the text is not
// that encoding, "hash.length" when it is not 32 bytes.
Result<Hash> HashFromBase64(std::string_view b64);
Result<Hash> HashFromHex(std::string_view hex);

// Views a fixed-size byte array (hash, key, signature) as bytes.
template <size_t N>
std::string_view AsBytes(const std::array<uint8_t, N>& a) {
  return std::string_view(reinterpret_cast<const char*>(a.data()), N);
}

}  // namespace carbonledger
