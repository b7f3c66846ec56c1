// Fuzz target: signed-request headers (api/request_auth.h, docs/api.md §Signed requests).
//
// The input is split at newlines into: Signature-Input value, Signature value, method, path,
// query, and the request body (the rest).
//
// Invariants:
//  1. ParseSignatureHeaders never crashes or throws. What it accepts has a valid account id
//     as keyid, a nonce of 16..64 of [A-Za-z0-9_-], 0 <= created < 10^12, params equal to the
//     header after "sig1=", and the Signature header is the one canonical base64 encoding of
//     the signature.
//  2. SignatureBase is a pure function: the same arguments give the same bytes, the five
//     component lines in order, ending with the parameters exactly as received.
//  3. SignRequest's headers parse back to the account, created time and nonce signed, and the
//     signature verifies over the signature base. An accepted Signature-Input is byte for byte
//     the one SignRequest writes for its account, created time and nonce (one spelling: no ';'
//     after the last parameter, no leading zeros in created).
//  4. Authenticate on the raw headers never crashes, and refuses with an auth.* reason
//     (Unauthenticated) unless the signature is genuine.
//  5. When the harness signs the fuzzer's accepted Signature-Input with the account's key,
//     Authenticate accepts the request once, then refuses it as replayed; refuses it as
//     expired outside the time window; and as auth.digest for another body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "api/request_auth.h"
#include "crypto/canonical_json.h"
#include "crypto/encoding.h"
#include "ledger/log/state.h"
#include "ledger/log/transaction.h"
#include "ledger/registry/accounts.h"
#include "tests/fuzz/fuzz_util.h"

using namespace carbonledger;

namespace {

constexpr std::string_view kComponents = R"(("@method" "@path" "@query" "content-digest"))";

const SigningKey& AccountKeyPair() {
  static const SigningKey key = fuzz::FixedKey('\x33');
  return key;
}

bool IsNonceChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// Splits at the first `n` newlines; the last part is the rest.
std::vector<std::string> Split(std::string_view text, size_t n) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < n; ++i) {
    size_t nl = text.find('\n');
    if (nl == std::string_view::npos) {
      parts.emplace_back(text);
      text = {};
    } else {
      parts.emplace_back(text.substr(0, nl));
      text.remove_prefix(nl + 1);
    }
  }
  parts.emplace_back(text);
  return parts;
}

// A state holding one account, `id`, with the fixed key.
MemoryState StateWithAccount(const std::string& id) {
  MemoryState base;
  StateTxn txn(base);
  nlohmann::json record = {{"id", id},
                           {"role", "park"},
                           {"public_key", Base64Encode(AsBytes(AccountKeyPair().public_key()))},
                           {"nonce", 0},
                           {"created_seq", 1}};
  txn.Put(AccountKey(id), *CanonicalJson(record));
  base.Apply(txn);
  return base;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<std::string> parts = Split(fuzz::AsText(data, size), 5);
  const std::string& signature_input = parts[0];
  const std::string& signature = parts[1];
  const std::string& method = parts[2];
  const std::string& path = parts[3];
  const std::string& query = parts[4];
  const std::string& body = parts[5];
  const std::string digest = ContentDigest(body);

  // 1.
  auto p = ParseSignatureHeaders(signature_input, signature);
  if (p.ok()) {
    FUZZ_CHECK(IsValidAccountId(p->account));
    FUZZ_CHECK(p->nonce.size() >= 16 && p->nonce.size() <= 64);
    for (char c : p->nonce) FUZZ_CHECK(IsNonceChar(c));
    FUZZ_CHECK(p->created >= 0 && p->created < 1'000'000'000'000);
    FUZZ_CHECK(signature_input.starts_with("sig1=") && p->params == signature_input.substr(5));
    FUZZ_CHECK(p->params.starts_with(kComponents));
    FUZZ_CHECK(signature == "sig1=:" + Base64Encode(AsBytes(p->signature)) + ":");
  } else {
    FUZZ_CHECK(p.status().reason() == "auth.malformed");
  }

  // 2.
  const std::string params = p.ok() ? p->params : signature_input;
  const std::string base = SignatureBase(method, path, query, digest, params);
  FUZZ_CHECK(base == SignatureBase(method, path, query, digest, params));
  const std::string expected = "\"@method\": " + method + "\n\"@path\": " + path +
                               "\n\"@query\": " + (query.empty() ? "?" : query) +
                               "\n\"content-digest\": " + digest +
                               "\n\"@signature-params\": " + params;
  FUZZ_CHECK(base == expected);

  // 3.
  if (p.ok()) {
    SignedHeaders h =
        SignRequest(method, path, query, body, p->account, AccountKeyPair(), p->created, p->nonce);
    FUZZ_CHECK(h.content_digest == digest);
    FUZZ_CHECK(h.signature_input == signature_input);
    auto again = ParseSignatureHeaders(h.signature_input, h.signature);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->account == p->account && again->created == p->created &&
               again->nonce == p->nonce);
    FUZZ_CHECK(VerifySignature(AccountKeyPair().public_key(),
                               SignatureBase(method, path, query, digest, again->params),
                               again->signature));
  }

  // 4.
  const std::string account = p.ok() ? p->account : std::string("park-a");
  const MemoryState state = StateWithAccount(account);
  const int64_t now = p.ok() ? p->created : 1'700'000'000;
  {
    RequestAuthenticator auth;
    RequestAuthenticator::Request req{method,          path,     query, body, digest,
                                      signature_input, signature};
    auto r = auth.Authenticate(req, now, state);
    if (!r.ok()) {
      FUZZ_CHECK(r.status().code() == Code::kUnauthenticated);
      FUZZ_CHECK(r.status().reason().starts_with("auth."));
    } else {
      FUZZ_CHECK(p.ok() && *r == p->account);
    }
  }

  // 5.
  if (p.ok()) {
    const Signature sig = AccountKeyPair().Sign(base);
    const std::string signed_header = "sig1=:" + Base64Encode(AsBytes(sig)) + ":";
    RequestAuthenticator auth;
    RequestAuthenticator::Request req{method,          path,         query, body, digest,
                                      signature_input, signed_header};
    auto first = auth.Authenticate(req, now, state);
    FUZZ_CHECK(first.ok() && *first == p->account);
    auto replay = auth.Authenticate(req, now, state);
    FUZZ_CHECK(!replay.ok() && replay.status().reason() == "auth.replayed");

    RequestAuthenticator fresh;
    auto late = fresh.Authenticate(req, now + kRequestMaxAgeSeconds + 1, state);
    FUZZ_CHECK(!late.ok() && late.status().reason() == "auth.expired");
    auto early = fresh.Authenticate(req, now - kRequestMaxSkewSeconds - 1, state);
    FUZZ_CHECK(!early.ok() && early.status().reason() == "auth.expired");

    const std::string other_body = body + "x";
    RequestAuthenticator::Request tampered = req;
    tampered.body = other_body;
    auto digest_mismatch = fresh.Authenticate(tampered, now, state);
    FUZZ_CHECK(!digest_mismatch.ok() && digest_mismatch.status().reason() == "auth.digest");

    const MemoryState other_state = StateWithAccount(p->account == "zz" ? "zy" : "zz");
    auto unknown = fresh.Authenticate(req, now, other_state);
    FUZZ_CHECK(!unknown.ok() && unknown.status().reason() == "auth.unknown_account");
  }
  return 0;
}
