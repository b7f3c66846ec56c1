#include "api/request_auth.h"

#include "crypto/encoding.h"
#include "ledger/log/state.h"
#include "ledger/log/transaction.h"
#include "ledger/registry/accounts.h"

namespace carbonledger {
namespace {

Status Malformed(const std::string& what) {
  return Status::Unauthenticated("auth.malformed", "signed request headers: " + what);
}

bool IsNonceChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// Reads `;name=` then a quoted string or an integer in its one decimal form (no sign, no
// leading zero). The parameters are read in a fixed order, so the accepted header is exactly
// the one SignRequest writes: no ';' after the last one, no other spelling of `created`.
bool ReadParam(std::string_view& s, std::string_view name, bool quoted, std::string* out) {
  if (s.size() < name.size() + 2 || s[0] != ';' || s.substr(1, name.size()) != name ||
      s[name.size() + 1] != '=') {
    return false;
  }
  s.remove_prefix(name.size() + 2);
  size_t end;
  if (quoted) {
    if (s.empty() || s[0] != '"') return false;
    end = s.find('"', 1);
    if (end == std::string_view::npos) return false;
    *out = std::string(s.substr(1, end - 1));
    s.remove_prefix(end + 1);
  } else {
    end = 0;
    while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
    if (end == 0 || end > 12 || (end > 1 && s[0] == '0')) return false;
    *out = std::string(s.substr(0, end));
    s.remove_prefix(end);
  }
  return true;
}

}  // namespace

Result<SignatureParams> ParseSignatureHeaders(std::string_view input, std::string_view signature) {
  if (input.size() > 512 || signature.size() > 256) return Malformed("header too long");
  if (!input.starts_with("sig1=")) return Malformed("Signature-Input must define sig1");
  std::string_view s = input.substr(5);
  SignatureParams p;
  p.params = std::string(s);
  if (!s.starts_with(kSignatureComponents)) {
    return Malformed(
        "covered components must be (\"@method\" \"@path\" \"@query\" \"content-digest\")");
  }
  s.remove_prefix(kSignatureComponents.size());
  if (s.empty()) return Malformed("parameters missing");
  std::string created, alg;
  if (!ReadParam(s, "created", false, &created) || !ReadParam(s, "nonce", true, &p.nonce) ||
      !ReadParam(s, "keyid", true, &p.account) || !ReadParam(s, "alg", true, &alg) || !s.empty()) {
    return Malformed(
        "parameters must be ;created=N;nonce=\"..\";keyid=\"..\";alg=\"ed25519\" (N without "
        "leading zeros, nothing after alg)");
  }
  if (alg != "ed25519") return Malformed("alg must be \"ed25519\"");
  if (p.nonce.size() < 16 || p.nonce.size() > 64 ||
      !std::all_of(p.nonce.begin(), p.nonce.end(), IsNonceChar)) {
    return Malformed("nonce must be 16..64 of [A-Za-z0-9_-]");
  }
  if (!IsValidAccountId(p.account)) return Malformed("keyid is not an account id");
  p.created = std::stoll(created);
  if (!signature.starts_with("sig1=:") || !signature.ends_with(":") || signature.size() < 8) {
    return Malformed("Signature must be sig1=:<base64>:");
  }
  auto sig = Base64Decode(signature.substr(6, signature.size() - 7));
  if (!sig.ok() || sig->size() != 64) return Malformed("signature is not 64 bytes of base64");
  p.signature = *SignatureFromBytes(*sig);
  return p;
}

Result<std::string> RequestAuthenticator::Authenticate(const Request& r, int64_t now,
                                                       const StateReader& state) {
  if (r.signature_input.empty() || r.signature.empty() || r.content_digest.empty()) {
    return Status::Unauthenticated(
        "auth.missing",
        "this resource needs a signed request (Signature-Input, Signature and "
        "Content-Digest headers)");
  }
  auto p = ParseSignatureHeaders(r.signature_input, r.signature);
  if (!p.ok()) return p.status();
  if (r.content_digest != ContentDigest(r.body)) {
    return Status::Unauthenticated("auth.digest", "Content-Digest does not match the body");
  }
  if (p->created < now - kRequestMaxAgeSeconds || p->created > now + kRequestMaxSkewSeconds) {
    return Status::Unauthenticated(
        "auth.expired", "request created " + std::to_string(now - p->created) +
                            " s ago; the window is " + std::to_string(kRequestMaxAgeSeconds) +
                            " s");
  }
  if (p->created < started_) {
    return Status::Unauthenticated("auth.before_start",
                                   "request created " + std::to_string(started_ - p->created) +
                                       " s before this server started; sign it again");
  }
  auto account = FindAccount(state, p->account);
  if (!account.ok()) return account.status();
  if (!account->has_value()) {
    return Status::Unauthenticated("auth.unknown_account",
                                   "keyid \"" + p->account + "\" is not an account");
  }
  std::string base = SignatureBase(r.method, r.path, r.query, r.content_digest, p->params);
  if (!VerifySignature((*account)->public_key, base, p->signature)) {
    return Status::Unauthenticated(
        "auth.signature",
        "request signature does not verify under the key of \"" + p->account + "\"");
  }
  std::lock_guard lock(mu_);
  // Forget nonces that have left the window (oldest first); a replay of one of them is
  // refused as expired anyway.
  while (!by_time_.empty() && by_time_.begin()->first < now - kRequestMaxAgeSeconds) {
    seen_.erase(by_time_.begin()->second);
    by_time_.erase(by_time_.begin());
  }
  std::string id = p->account + "\n" + p->nonce;
  if (!seen_.insert(id).second) {
    return Status::Unauthenticated("auth.replayed",
                                   "this request (keyid and nonce) was already used");
  }
  by_time_.emplace(p->created, std::move(id));
  return p->account;
}

}  // namespace carbonledger
