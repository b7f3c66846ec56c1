// ApiClient: the one HTTP client of carbonledgerd's API (docs/api.md §Client library). The CLI,
// the demo loader, the HTTP benchmark's preparation and the harnesses (crash trials, soak) all
// talk to the daemon through it. It submits signed transactions, sends GETs signed as an account
// (RFC 9421, api/wire/request_signature.h) or unsigned, and decodes what comes back: receipts,
// proofs (ledger/log/proof.h), and RFC 9457 problems as Status values carrying the server's reason.
//
// Invariants: every request it signs carries a nonce this process has not used before (a
// random tag and a counter); a refused request comes back as the Status of the server's
// problem (api/wire/problem.h), so callers branch on its reason; "client.no_answer" — and only it —
// means no answer came, so the request may or may not have been applied.
//
// One ApiClient per thread: it holds one connection (httplib::Client), which is not to be
// shared between threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "crypto/status.h"
#include "ledger/log/ledger.h"
#include "ledger/log/proof.h"
#include "ledger/log/transaction.h"

namespace carbonledger {

// True for the Status of a request that got no answer ("client.no_answer", Unavailable): not
// connected, timed out, connection lost.
bool IsNoAnswer(const Status& s);

struct ApiClientOptions {
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds read_timeout{60};
  // Reuse one connection for the requests of this client (HTTP keep-alive) rather than open
  // one a request.
  bool keep_alive = false;
  // One request at a time: without TCP_NODELAY each would wait for a delayed ACK (~40 ms).
  bool tcp_nodelay = true;
  // https: the PEM file of the CA certificates to trust; "" trusts the system's.
  std::string ca_cert_file = "";
  // The nonces of signed requests are "<prefix><random tag>-<counter>"; the prefix says who
  // sent them in the server's logs ([A-Za-z0-9_-], at most 20 characters).
  std::string nonce_prefix = "client-";
};

// An answer as served.
struct Response {
  int status = 0;
  std::string content_type;
  std::string body;

  bool ok() const { return status >= 200 && status < 300; }
  // OK for 2xx; otherwise the Status of the problem the server answered with, or
  // "client.answer" (Corruption) when the answer is not a problem document.
  Status ToStatus() const;
};

class ApiClient {
 public:
  // `base_url` is "http://host:port" or "https://host:port" (the server's certificate is
  // verified against the system's trusted CAs).
  explicit ApiClient(const std::string& base_url, ApiClientOptions options = {});
  ~ApiClient();
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  // Raw access: any answer at all is a Response; the only errors are "client.no_answer" and
  // "client.url" (InvalidArgument: the base URL is not http(s)://host[:port]).
  Result<Response> Get(const std::string& target);
  Result<Response> SignedGet(const std::string& target, std::string_view account,
                             const SigningKey& key);
  // POSTs the submission envelope (EncodeSubmission) to /v1/transactions.
  Result<Response> Send(const SignedTransaction& stx);

  // The 2xx answer's JSON, or the Status of whatever else came back.
  Result<nlohmann::json> GetJson(const std::string& target);
  Result<nlohmann::json> SignedGetJson(const std::string& target, std::string_view account,
                                       const SigningKey& key);

  // The receipt (201, or 200 with `duplicate` for a transaction already on the log), or the
  // Status of the server's problem.
  Result<Receipt> Submit(const SignedTransaction& stx);

  // The log's origin: the first line of its checkpoint (read once, then remembered).
  Result<std::string> Origin();
  // The signed checkpoint note, as served (to be opened with OpenCheckpoint).
  Result<std::string> CheckpointNote();
  Result<EntryProof> GetInclusionProof(uint64_t seq, uint64_t tree_size);
  Result<ConsistencyProof> GetConsistencyProof(uint64_t from, uint64_t to);

  // The last nonce the ledger holds for `account`, read with a request signed by `key`
  // (Unauthenticated "auth.signature" when `key` is not the account's current key).
  Result<uint64_t> LastNonce(std::string_view account, const SigningKey& key);

  // Nonce tracking: signs `type` with `body` as `signer` with its next nonce and submits it.
  // The next nonce is one above the last this client used for the account and had
  // acknowledged; the first time, and after a refusal or no answer, it is read from the
  // ledger (LastNonce).
  // `confidential` travels beside the signed transaction (Transaction::confidential).
  Result<Receipt> SubmitNext(const NamedKey& signer, const std::string& type,
                             const nlohmann::json& body,
                             const nlohmann::json& confidential = nullptr);

 private:
  struct Impl;
  static Status NotAServer();
  std::string NextNonce();

  std::unique_ptr<Impl> impl_;
  std::string nonce_prefix_;
  uint64_t nonces_sent_ = 0;
  std::string origin_;
  std::map<std::string, uint64_t, std::less<>> last_nonce_;  // account -> last acknowledged
};

}  // namespace carbonledger
