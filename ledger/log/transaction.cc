#include "ledger/log/transaction.h"

#include <chrono>

#include "crypto/canonical_json.h"
#include "crypto/encoding.h"

namespace carbonledger {
namespace {

Status FieldError(const std::string& reason, const std::string& message) {
  return Status::InvalidArgument(reason, message);
}

bool IsValidTypeName(std::string_view t) {
  if (t.empty() || t.size() > 64) return false;
  for (char c : t) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_')) return false;
  }
  return true;
}

}  // namespace

bool IsValidAccountId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
  }
  return true;
}

Result<Transaction> TransactionFromJson(const nlohmann::json& o) {
  if (!o.is_object()) return FieldError("tx.field", "transaction must be a JSON object");
  for (auto it = o.begin(); it != o.end(); ++it) {
    const std::string& k = it.key();
    if (k != "type" && k != "ledger" && k != "signer" && k != "nonce" && k != "not_after" &&
        k != "body") {
      return FieldError("tx.field", "unknown transaction field \"" + k + "\"");
    }
  }
  for (const char* k : {"type", "ledger", "signer"}) {
    if (!o.contains(k) || !o[k].is_string()) {
      return FieldError("tx.field", std::string("transaction field \"") + k +
                                        "\" is required and must be a string");
    }
  }
  if (!o.contains("nonce") || !o["nonce"].is_number_integer()) {
    return FieldError("tx.nonce", "transaction field \"nonce\" is required and must be an integer");
  }
  if (!o.contains("body") || !o["body"].is_object()) {
    return FieldError("tx.field", "transaction field \"body\" is required and must be an object");
  }
  Transaction tx;
  tx.type = o["type"].get<std::string>();
  tx.ledger = o["ledger"].get<std::string>();
  tx.signer = o["signer"].get<std::string>();
  if (!IsValidTypeName(tx.type)) {
    return FieldError("tx.type", "transaction type \"" + tx.type + "\" is not a valid type name");
  }
  if (!IsValidAccountId(tx.signer)) {
    return FieldError("tx.signer", "signer \"" + tx.signer + "\" is not a valid account id");
  }
  if (o["nonce"].is_number_unsigned() ? o["nonce"].get<uint64_t>() == 0
                                      : o["nonce"].get<int64_t>() <= 0) {
    return FieldError("tx.nonce", "nonce must be a positive integer");
  }
  tx.nonce = o["nonce"].get<uint64_t>();
  if (o.contains("not_after")) {
    const nlohmann::json& v = o["not_after"];
    if (!v.is_number_integer() ||
        (v.is_number_unsigned() ? v.get<uint64_t>() == 0 : v.get<int64_t>() <= 0)) {
      return FieldError("tx.not_after",
                        "transaction field \"not_after\" must be a positive integer (Unix ms)");
    }
    tx.not_after = v.get<uint64_t>();
  }
  tx.body = o["body"];
  auto canonical = CanonicalJson(o);
  if (!canonical.ok()) return canonical.status();
  if (canonical->size() > kMaxTransactionBytes) {
    return Status::TooLarge("tx.too_large",
                            "canonical transaction is " + std::to_string(canonical->size()) +
                                " bytes; the limit is " + std::to_string(kMaxTransactionBytes));
  }
  tx.canonical = std::move(*canonical);
  tx.id = Sha256(tx.canonical);
  return tx;
}

Result<Transaction> TransactionFromCanonical(std::string_view canonical) {
  JsonLimits limits;
  limits.max_bytes = kMaxTransactionBytes;
  auto parsed = ParseStrictJson(canonical, limits);
  if (!parsed.ok()) return parsed.status();
  auto tx = TransactionFromJson(*parsed);
  if (!tx.ok()) return tx.status();
  if (tx->canonical != canonical) {
    return Status::InvalidArgument("tx.not_canonical", "transaction bytes are not canonical JSON");
  }
  return tx;
}

Result<SignedTransaction> DecodeSubmission(std::string_view text) {
  if (text.size() > kMaxSubmissionBytes) {
    return Status::TooLarge("tx.too_large", "submission is " + std::to_string(text.size()) +
                                                " bytes; the limit is " +
                                                std::to_string(kMaxSubmissionBytes));
  }
  JsonLimits limits;
  limits.max_bytes = kMaxSubmissionBytes;
  auto parsed = ParseStrictJson(text, limits);
  if (!parsed.ok()) return parsed.status();
  const nlohmann::json& env = *parsed;
  const bool attached = env.is_object() && env.contains("confidential");
  if (!env.is_object() || env.size() != (attached ? 3u : 2u) || !env.contains("tx") ||
      !env.contains("signature")) {
    return FieldError("submission.field",
                      "submission must be an object with \"tx\", \"signature\" and optionally "
                      "\"confidential\"");
  }
  if (attached) {
    if (!env["confidential"].is_object()) {
      return FieldError("submission.confidential", "\"confidential\" must be an object");
    }
    auto text = CanonicalJson(env["confidential"]);
    if (!text.ok()) return text.status();
    if (text->size() > kMaxConfidentialBytes) {
      return Status::TooLarge("tx.too_large", "\"confidential\" is " +
                                                  std::to_string(text->size()) +
                                                  " bytes as canonical JSON; the limit is " +
                                                  std::to_string(kMaxConfidentialBytes));
    }
  }
  if (!env["signature"].is_string()) {
    return FieldError("submission.signature", "\"signature\" must be a base64 string");
  }
  auto tx = TransactionFromJson(env["tx"]);
  if (!tx.ok()) return tx.status();
  auto sig_bytes = Base64Decode(env["signature"].get<std::string>());
  if (!sig_bytes.ok()) {
    return FieldError("submission.signature", "\"signature\" is not canonical base64");
  }
  auto sig = SignatureFromBytes(*sig_bytes);
  if (!sig.ok()) return FieldError("submission.signature", sig.status().message());
  if (attached) tx->confidential = env["confidential"];
  return SignedTransaction{std::move(*tx), *sig};
}

std::string EncodeSubmission(const SignedTransaction& stx) {
  // The canonical transaction is spliced in as is, so the bytes the server canonicalises
  // are exactly those that were signed.
  std::string out;
  if (!stx.tx.confidential.is_null()) {
    auto text = CanonicalJson(stx.tx.confidential);
    out = "{\"confidential\":" + (text.ok() ? *text : std::string("null")) + ",";
  } else {
    out = "{";
  }
  return out + "\"signature\":\"" + Base64Encode(AsBytes(stx.signature)) +
         "\",\"tx\":" + stx.tx.canonical + "}";
}

Result<SignedTransaction> SignTransaction(std::string type, std::string ledger, std::string signer,
                                          uint64_t nonce, nlohmann::json body,
                                          const SigningKey& key) {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return SignTransaction(std::move(type), std::move(ledger), std::move(signer), nonce,
                         std::move(body), key, uint64_t(now) + kDefaultTxValidityMs);
}

Result<SignedTransaction> SignTransaction(std::string type, std::string ledger, std::string signer,
                                          uint64_t nonce, nlohmann::json body,
                                          const SigningKey& key, uint64_t not_after_ms) {
  nlohmann::json o = {{"type", std::move(type)},     {"ledger", std::move(ledger)},
                      {"signer", std::move(signer)}, {"nonce", nonce},
                      {"not_after", not_after_ms},   {"body", std::move(body)}};
  auto tx = TransactionFromJson(o);
  if (!tx.ok()) return tx.status();
  Signature sig = key.Sign(tx->canonical);
  return SignedTransaction{std::move(*tx), sig};
}

}  // namespace carbonledger
