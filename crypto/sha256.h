// SHA-256 (FIPS 180-4) through OpenSSL's EVP interface. Every hash in the ledger — leaf,
// node, chain, statement — is a Hash computed here.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

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

// Views a fixed-size byte array (hash, key, signature) as bytes.
template <size_t N>
std::string_view AsBytes(const std::array<uint8_t, N>& a) {
  return std::string_view(reinterpret_cast<const char*>(a.data()), N);
}

}  // namespace carbonledger
