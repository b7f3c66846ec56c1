// ServerFixture: a real ledger in a temp dir served by a real ApiServer on an ephemeral
// loopback port, and an httplib client pointed at it.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "api/request_auth.h"
#include "api/server.h"
#include "api/wire/problem.h"
#include "tests/support/ledger_fixture.h"

namespace carbonledger::testing {

class ServerFixture : public LedgerFixture {
 public:
  explicit ServerFixture(ServerOptions o = {}, LedgerOptions lo = {})
      : LedgerFixture({}, std::move(lo)) {
    o.port = 0;
    o.log_level = 0;
    server_ = std::make_unique<ApiServer>(o, ledger());
    REQUIRE(server_->Bind().ok());
    thread_ = std::thread([this] { server_->Serve(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(30, 0);
  }
  ~ServerFixture() {
    server_->Stop();
    thread_.join();
  }
  httplib::Client& http() { return *client_; }

  // A GET signed as `account` (RFC 9421 headers of docs/api.md), created `age` seconds ago.
  httplib::Result SignedGet(const std::string& account, const std::string& target, int64_t age = 0,
                            std::string nonce = "") {
    static std::atomic<uint64_t> counter{0};
    if (nonce.empty()) nonce = "test-nonce-" + std::to_string(1000000 + counter++);
    int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    SignedHeaders h = SignRequestTarget("GET", target, "", account, key(account), now - age, nonce);
    return client_->Get(target, {{"Content-Digest", h.content_digest},
                                 {"Signature-Input", h.signature_input},
                                 {"Signature", h.signature}});
  }
  int port() const { return server_->port(); }

  // Signs a transaction as `signer` (its next nonce) and posts it to /v1/transactions.
  httplib::Result Post(const std::string& signer, const std::string& type, nlohmann::json body) {
    return client_->Post("/v1/transactions", EncodeSubmission(Sign(signer, type, std::move(body))),
                         "application/json");
  }
  // Posts a transaction that must be accepted (201); its receipt.
  nlohmann::json Ok(const std::string& signer, const std::string& type, nlohmann::json body) {
    auto r = Post(signer, type, std::move(body));
    REQUIRE(r);
    INFO(type << " by " << signer << ": " << r->body);
    REQUIRE(r->status == 201);
    return nlohmann::json::parse(r->body);
  }
  // Posts a transaction that must be refused with `status` and `reason`; the log must not move.
  void Refused(const std::string& signer, const std::string& type, nlohmann::json body, int status,
               const std::string& reason);

 private:
  std::unique_ptr<ApiServer> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

// Checks an error answer: status, problem+json content type, stable type, named reason, and a
// detail for people. Returns the problem document for further checks.
inline nlohmann::json ExpectProblem(const httplib::Result& r, int status,
                                    const std::string& reason) {
  REQUIRE(r);
  INFO(r->body);
  CHECK(r->status == status);
  CHECK(r->get_header_value("Content-Type") == "application/problem+json");
  auto p = nlohmann::json::parse(r->body);
  CHECK(p["type"] == std::string(kProblemTypePrefix) + reason);
  CHECK(p["status"] == status);
  CHECK(p["reason"] == reason);
  CHECK(!p["detail"].get<std::string>().empty());
  return p;
}

inline void ServerFixture::Refused(const std::string& signer, const std::string& type,
                                   nlohmann::json body, int status, const std::string& reason) {
  INFO(type << " by " << signer << " must be refused with " << reason);
  const uint64_t size = ledger().size();
  ExpectProblem(Post(signer, type, std::move(body)), status, reason);
  CHECK(ledger().size() == size);
}

}  // namespace carbonledger::testing
