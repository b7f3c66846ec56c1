// Request authentication: the verifying side of the API's HTTP Message Signatures (RFC 9421)
// with Ed25519, for the API's non-public reads (docs/api.md §Signed requests). The headers and
// the signature base are api/wire/request_signature.h's, which the client signs with.
//
// Requests created more than 300 s ago (or 60 s ahead) are refused; a (keyid, nonce) pair is
// accepted once within that window. The nonces seen live in memory only, so a server also
// refuses requests created before it started (auth.before_start): a signed read captured
// before a restart cannot be replayed after it.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "api/wire/request_signature.h"
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

// Strict parse of the Signature-Input and Signature header values: exactly the form above,
// parameters in that order, `created` in decimal without leading zeros, nothing after `alg`
// (so an accepted Signature-Input is byte for byte what SignRequest writes). Anything else is
// auth.malformed.
Result<SignatureParams> ParseSignatureHeaders(std::string_view signature_input,
                                              std::string_view signature);

// Verifies signed requests against the ledger's account keys and remembers nonces.
class RequestAuthenticator {
 public:
  // `started_unix`: when the server started (seconds); requests created earlier are refused.
  // 0: no such bound (for tests of the window alone).
  explicit RequestAuthenticator(int64_t started_unix = 0) : started_(started_unix) {}
  struct Request {
    std::string_view method, path, query, body;
    std::string_view content_digest, signature_input, signature;  // header values ("" = absent)
  };
  // The authenticated account id. Errors: auth.missing, auth.malformed, auth.digest,
  // auth.expired, auth.before_start, auth.replayed, auth.unknown_account, auth.signature (all
  // Unauthenticated).
  Result<std::string> Authenticate(const Request& r, int64_t now_unix, const StateReader& state);

 private:
  const int64_t started_;
  std::mutex mu_;
  std::set<std::string> seen_;                   // "account\nnonce" within the window
  std::multimap<int64_t, std::string> by_time_;  // created -> entry of seen_, for pruning
};

}  // namespace carbonledger
