#include "api/wire/request_signature.h"

#include "crypto/encoding.h"
#include "crypto/sha256.h"

namespace carbonledger {

std::string ContentDigest(std::string_view body) {
  return "sha-256=:" + Base64Encode(AsBytes(Sha256(body))) + ":";
}

std::string SignatureBase(std::string_view method, std::string_view path, std::string_view query,
                          std::string_view content_digest, std::string_view params) {
  std::string b;
  b.append("\"@method\": ").append(method).append("\n");
  b.append("\"@path\": ").append(path).append("\n");
  b.append("\"@query\": ").append(query.empty() ? "?" : query).append("\n");
  b.append("\"content-digest\": ").append(content_digest).append("\n");
  b.append("\"@signature-params\": ").append(params);
  return b;
}

SignedHeaders SignRequest(std::string_view method, std::string_view path, std::string_view query,
                          std::string_view body, std::string_view account, const SigningKey& key,
                          int64_t created_unix, std::string_view nonce) {
  SignedHeaders h;
  h.content_digest = ContentDigest(body);
  std::string params =
      std::string(kSignatureComponents) + ";created=" + std::to_string(created_unix) + ";nonce=\"" +
      std::string(nonce) + "\";keyid=\"" + std::string(account) + "\";alg=\"ed25519\"";
  h.signature_input = "sig1=" + params;
  Signature sig = key.Sign(SignatureBase(method, path, query, h.content_digest, params));
  h.signature = "sig1=:" + Base64Encode(AsBytes(sig)) + ":";
  return h;
}

SignedHeaders SignRequestTarget(std::string_view method, std::string_view target,
                                std::string_view body, std::string_view account,
                                const SigningKey& key, int64_t created_unix,
                                std::string_view nonce) {
  const size_t q = std::min(target.find('?'), target.size());
  return SignRequest(method, target.substr(0, q), target.substr(q), body, account, key,
                     created_unix, nonce);
}

}  // namespace carbonledger
