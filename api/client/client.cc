#include "api/client/client.h"

#include <httplib.h>

#include <ctime>
#include <random>

#include "api/wire/problem.h"
#include "api/wire/request_signature.h"

namespace carbonledger {
namespace {

Status NoAnswer(const std::string& what) { return Status::Unavailable("client.no_answer", what); }

Status BadAnswer(const std::string& what, const std::string& body) {
  return Status::Corruption("client.answer",
                            what + ": " + body.substr(0, std::min<size_t>(body.size(), 200)));
}

Result<Response> AnswerOf(const httplib::Result& r) {
  if (!r) return NoAnswer(httplib::to_string(r.error()));
  return Response{r->status, r->get_header_value("Content-Type"), r->body};
}

Result<nlohmann::json> JsonOf(const Result<Response>& r) {
  if (!r.ok()) return r.status();
  if (Status s = r->ToStatus(); !s.ok()) return s;
  nlohmann::json j = nlohmann::json::parse(r->body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return BadAnswer("the answer is not JSON", r->body);
  return j;
}

// {"seq", "entry_hash", "checkpoint", "duplicate"} (docs/api.md §POST /v1/transactions).
Result<Receipt> DecodeReceipt(const nlohmann::json& j) {
  Receipt out;
  if (!j.is_object() || !j.contains("seq") || !j["seq"].is_number_unsigned() ||
      !j.contains("entry_hash") || !j["entry_hash"].is_string() || !j.contains("checkpoint") ||
      !j["checkpoint"].is_string() || !j.contains("duplicate") || !j["duplicate"].is_boolean()) {
    return BadAnswer("not a receipt", j.dump());
  }
  auto hash = HashFromBase64(j["entry_hash"].get<std::string>());
  if (!hash.ok()) return BadAnswer("the receipt's entry_hash is not a hash", j.dump());
  out.seq = j["seq"].get<uint64_t>();
  out.leaf_hash = *hash;
  out.checkpoint = j["checkpoint"].get<std::string>();
  out.duplicate = j["duplicate"].get<bool>();
  return out;
}

std::string RandomTag() {
  std::random_device rd;
  std::string tag;
  for (int i = 0; i < 16; ++i) tag.push_back("0123456789abcdef"[rd() % 16]);
  return tag;
}

}  // namespace

bool IsNoAnswer(const Status& s) { return s.reason() == "client.no_answer"; }

Status Response::ToStatus() const {
  if (ok()) return Status::OK();
  if (content_type == kProblemContentType) {
    if (auto s = StatusFromProblem(status, body)) return *s;
  }
  return BadAnswer("HTTP " + std::to_string(status) + " without a problem document", body);
}

struct ApiClient::Impl {
  // httplib throws std::invalid_argument for a scheme other than http and https; no exception
  // leaves this library, so such a client answers every request with "client.url".
  explicit Impl(std::string url) {
    if (url.ends_with('/')) url.pop_back();
    try {
      http = std::make_unique<httplib::Client>(url);
    } catch (const std::exception&) {
      http.reset();
    }
    if (http && !http->is_valid()) http.reset();
  }
  std::unique_ptr<httplib::Client> http;  // null: not a server URL
};

ApiClient::ApiClient(const std::string& base_url, ApiClientOptions o)
    : impl_(std::make_unique<Impl>(base_url)), nonce_prefix_(o.nonce_prefix + RandomTag() + "-") {
  if (!impl_->http) return;
  httplib::Client& h = *impl_->http;
  h.set_connection_timeout(o.connect_timeout);
  h.set_read_timeout(o.read_timeout);
  h.set_keep_alive(o.keep_alive);
  h.set_tcp_nodelay(o.tcp_nodelay);
  if (!o.ca_cert_file.empty()) h.set_ca_cert_path(o.ca_cert_file);
}

Status ApiClient::NotAServer() {
  return Status::InvalidArgument("client.url",
                                 "the server URL is not http://HOST[:PORT] or https://HOST[:PORT]");
}

ApiClient::~ApiClient() = default;

std::string ApiClient::NextNonce() { return nonce_prefix_ + std::to_string(++nonces_sent_); }

Result<Response> ApiClient::Get(const std::string& target) {
  if (!impl_->http) return NotAServer();
  return AnswerOf(impl_->http->Get(target));
}

Result<Response> ApiClient::SignedGet(const std::string& target, std::string_view account,
                                      const SigningKey& key) {
  if (!impl_->http) return NotAServer();
  SignedHeaders h =
      SignRequestTarget("GET", target, "", account, key, std::time(nullptr), NextNonce());
  return AnswerOf(impl_->http->Get(target, {{"Content-Digest", h.content_digest},
                                            {"Signature-Input", h.signature_input},
                                            {"Signature", h.signature}}));
}

Result<Response> ApiClient::Send(const SignedTransaction& stx) {
  if (!impl_->http) return NotAServer();
  return AnswerOf(impl_->http->Post("/v1/transactions", EncodeSubmission(stx), "application/json"));
}

Result<nlohmann::json> ApiClient::GetJson(const std::string& target) { return JsonOf(Get(target)); }

Result<nlohmann::json> ApiClient::SignedGetJson(const std::string& target, std::string_view account,
                                                const SigningKey& key) {
  return JsonOf(SignedGet(target, account, key));
}

Result<Receipt> ApiClient::Submit(const SignedTransaction& stx) {
  auto j = JsonOf(Send(stx));
  if (!j.ok()) return j.status();
  return DecodeReceipt(*j);
}

Result<std::string> ApiClient::CheckpointNote() {
  auto r = Get("/v1/checkpoint");
  if (!r.ok()) return r.status();
  if (Status s = r->ToStatus(); !s.ok()) return s;
  return std::move(r->body);
}

Result<std::string> ApiClient::Origin() {
  if (!origin_.empty()) return origin_;
  auto note = CheckpointNote();
  if (!note.ok()) return note.status();
  const size_t end = note->find('\n');
  if (end == 0 || end == std::string::npos) return BadAnswer("not a checkpoint", *note);
  origin_ = note->substr(0, end);
  return origin_;
}

Result<EntryProof> ApiClient::GetInclusionProof(uint64_t seq, uint64_t tree_size) {
  auto j = GetJson("/v1/proofs/inclusion?seq=" + std::to_string(seq) +
                   "&tree_size=" + std::to_string(tree_size));
  if (!j.ok()) return j.status();
  return DecodeInclusionProof(*j);
}

Result<ConsistencyProof> ApiClient::GetConsistencyProof(uint64_t from, uint64_t to) {
  auto j =
      GetJson("/v1/proofs/consistency?from=" + std::to_string(from) + "&to=" + std::to_string(to));
  if (!j.ok()) return j.status();
  return DecodeConsistencyProof(*j);
}

Result<uint64_t> ApiClient::LastNonce(std::string_view account, const SigningKey& key) {
  auto j = SignedGetJson("/v1/accounts/" + std::string(account), account, key);
  if (!j.ok()) return j.status();
  if (!j->is_object() || !j->contains("nonce") || !(*j)["nonce"].is_number_unsigned()) {
    return BadAnswer("an account without a nonce", j->dump());
  }
  return (*j)["nonce"].get<uint64_t>();
}

Result<Receipt> ApiClient::SubmitNext(const NamedKey& signer, const std::string& type,
                                      const nlohmann::json& body,
                                      const nlohmann::json& confidential) {
  auto origin = Origin();
  if (!origin.ok()) return origin.status();
  auto known = last_nonce_.find(signer.name);
  uint64_t last = 0;
  if (known != last_nonce_.end()) {
    last = known->second;
  } else {
    auto read = LastNonce(signer.name, signer.key);
    if (!read.ok()) return read.status();
    last = *read;
  }
  auto stx = SignTransaction(type, *origin, signer.name, last + 1, body, signer.key);
  if (!stx.ok()) return stx.status();
  stx->tx.confidential = confidential;
  auto receipt = Submit(*stx);
  if (receipt.ok()) {
    last_nonce_[signer.name] = last + 1;
  } else {
    last_nonce_.erase(signer.name);
  }
  return receipt;
}

}  // namespace carbonledger
