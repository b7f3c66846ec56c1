// Request authentication: HTTP Message Signatures (RFC 9421) with Ed25519, for the API's
// non-public reads (docs/api.md §Signed requests).
//
// A signed request carries three headers:
//   Content-Digest:  sha-256=:<base64 SHA-256 of the body>:          (RFC 9530; empty body too)
//   Signature-Input: sig1=("@method" "@path" "@query" "content-digest");created=<unix s>;
//                    nonce="<16..64 chars>";keyid="<account id>";alg="ed25519"
//   Signature:       sig1=:<base64 Ed25519 signature>:
// The covered components are fixed, in that order; the signature base is RFC 9421 §2.5's:
//   "@method": GET\n"@path": /v1/...\n"@query": ?...\n"content-digest": sha-256=:...:\n
//   "@signature-params": ("@method" "@path" "@query" "content-digest");created=...;...
// Requests created more than 300 s ago (or 60 s ahead) are refused; a (keyid, nonce) pair is
// accepted once within that window.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "crypto/status.h"

namespace carbonledger {

class StateReader;

inline constexpr int64_t kRequestMaxAgeSeconds = 300;
inline constexpr int64_t kRequestMaxSkewSeconds = 60;

struct SignatureParams {
  std::string account;  // keyid
  int64_t created = 0;
  std::string nonce;
  Signature signature{};
  std::string params;  // the serialized parameters as they appear after "sig1="
};

// "sha-256=:<base64>:"
std::string ContentDigest(std::string_view body);

// Strict parse of the Signature-Input and Signature header values: exactly the form above,
// parameters in that order, `created` in decimal without leading zeros, nothing after `alg`
// (so an accepted Signature-Input is byte for byte what SignRequest writes). Anything else is
// auth.malformed.
Result<SignatureParams> ParseSignatureHeaders(std::string_view signature_input,
                                              std::string_view signature);

std::string SignatureBase(std::string_view method, std::string_view path, std::string_view query,
                          std::string_view content_digest, std::string_view params);

struct SignedHeaders {
  std::string content_digest, signature_input, signature;
};
// Client side: the three headers for a request. `query` is "" or "?a=1&b=2" as sent.
SignedHeaders SignRequest(std::string_view method, std::string_view path, std::string_view query,
                          std::string_view body, std::string_view account, const SigningKey& key,
                          int64_t created_unix, std::string_view nonce);

// Verifies signed requests against the ledger's account keys and remembers nonces.
class RequestAuthenticator {
 public:
  struct Request {
    std::string_view method, path, query, body;
    std::string_view content_digest, signature_input, signature;  // header values ("" = absent)
  };
  // The authenticated account id. Errors: auth.missing, auth.malformed, auth.digest,
  // auth.expired, auth.replayed, auth.unknown_account, auth.signature (all Unauthenticated).
  Result<std::string> Authenticate(const Request& r, int64_t now_unix, const StateReader& state);

 private:
  std::mutex mu_;
  std::set<std::string> seen_;                   // "account\nnonce" within the window
  std::multimap<int64_t, std::string> by_time_;  // created -> entry of seen_, for pruning
};

}  // namespace carbonledger
