// Request signatures: the signing side of the API's HTTP Message Signatures (RFC 9421, Ed25519;
// docs/api.md §Signed requests), shared by the client that signs (api/client/client.h) and the
// server that verifies (api/request_auth.h), so neither needs the other.
//
// A signed request carries three headers:
//   Content-Digest:  sha-256=:<base64 SHA-256 of the body>:          (RFC 9530; empty body too)
//   Signature-Input: sig1=("@method" "@path" "@query" "content-digest");created=<unix s>;
//                    nonce="<16..64 chars>";keyid="<account id>";alg="ed25519"
//   Signature:       sig1=:<base64 Ed25519 signature>:
// The covered components are fixed, in that order; the signature base is RFC 9421 §2.5's:
//   "@method": GET\n"@path": /v1/...\n"@query": ?...\n"content-digest": sha-256=:...:\n
//   "@signature-params": ("@method" "@path" "@query" "content-digest");created=...;...
// Invariant: SignRequest writes exactly the one spelling the server's strict parser
// (ParseSignatureHeaders) accepts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"

namespace carbonledger {

// The covered components, as they stand after "sig1=" in Signature-Input.
inline constexpr std::string_view kSignatureComponents =
    R"(("@method" "@path" "@query" "content-digest"))";

// "sha-256=:<base64>:"
std::string ContentDigest(std::string_view body);

// RFC 9421 §2.5: the bytes signed. `query` is "" or "?a=1&b=2" as sent; `params` is the
// Signature-Input value after "sig1=".
std::string SignatureBase(std::string_view method, std::string_view path, std::string_view query,
                          std::string_view content_digest, std::string_view params);

struct SignedHeaders {
  std::string content_digest, signature_input, signature;
};
// The three headers for a request. `query` is "" or "?a=1&b=2" as sent.
SignedHeaders SignRequest(std::string_view method, std::string_view path, std::string_view query,
                          std::string_view body, std::string_view account, const SigningKey& key,
                          int64_t created_unix, std::string_view nonce);
// The same for a request target as sent, "/v1/...[?query]": split at its first '?'.
SignedHeaders SignRequestTarget(std::string_view method, std::string_view target,
                                std::string_view body, std::string_view account,
                                const SigningKey& key, int64_t created_unix,
                                std::string_view nonce);

}  // namespace carbonledger
