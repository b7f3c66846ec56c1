#include "crypto/sha256.h"

#include <openssl/evp.h>

#include <algorithm>
#include <stdexcept>

#include "crypto/encoding.h"

namespace carbonledger {
namespace {

// Fetched once: EVP_MD_fetch per hash would dominate short inputs such as Merkle nodes.
const EVP_MD* Sha256Md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

}  // namespace

Sha256Hasher::Sha256Hasher() : ctx_(EVP_MD_CTX_new()) {
  // Allocation or initialisation failure means the process cannot hash at all: there is no
  // meaningful recovery, so this is the one place that aborts rather than returning a Status.
  if (ctx_ == nullptr || EVP_DigestInit_ex(ctx_, Sha256Md(), nullptr) != 1) std::abort();
}

Sha256Hasher::~Sha256Hasher() { EVP_MD_CTX_free(ctx_); }

Sha256Hasher& Sha256Hasher::Update(std::string_view data) {
  EVP_DigestUpdate(ctx_, data.data(), data.size());
  return *this;
}

Sha256Hasher& Sha256Hasher::Update(const Hash& h) { return Update(AsBytes(h)); }

Sha256Hasher& Sha256Hasher::UpdateByte(uint8_t b) {
  EVP_DigestUpdate(ctx_, &b, 1);
  return *this;
}

Hash Sha256Hasher::Final() {
  Hash out{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_, out.data(), &len);
  return out;
}

Hash Sha256(std::string_view data) {
  Hash out{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &len, Sha256Md(), nullptr);
  return out;
}

Result<Hash> HashFromBytes(std::string_view bytes) {
  Hash h;
  if (bytes.size() != h.size()) {
    return Status::InvalidArgument(
        "hash.length", "a SHA-256 hash is 32 bytes, not " + std::to_string(bytes.size()));
  }
  std::copy(bytes.begin(), bytes.end(), h.begin());
  return h;
}

Result<Hash> HashFromBase64(std::string_view b64) {
  auto bytes = Base64Decode(b64);
  if (!bytes.ok()) return bytes.status();
  return HashFromBytes(*bytes);
}

Result<Hash> HashFromHex(std::string_view hex) {
  auto bytes = HexDecode(hex);
  if (!bytes.ok()) return bytes.status();
  return HashFromBytes(*bytes);
}

}  // namespace carbonledger
