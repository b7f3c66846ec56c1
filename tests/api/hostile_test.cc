// Hostile clients against the real server on loopback, in bounded loops: raced double spends
// and nonces, slow and malformed requests, overflow, path traversal. Each gets its documented
// error, and afterwards the ledger verifies with conserved totals.
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <csignal>
#include <nlohmann/json.hpp>
#include <thread>

#include "crypto/encoding.h"
#include "ledger/certification/transaction_types.h"
#include "ledger/log/verify.h"
#include "ledger/registry/queries.h"
#include "tests/support/server_fixture.h"

using namespace carbonledger;
using testing::ServerFixture;

namespace {

std::string Reason(const httplib::Result& r) {
  REQUIRE(r);
  auto j = nlohmann::json::parse(r->body, nullptr, false);
  return j.is_object() ? j.value("reason", "") : "";
}

// A trader holding `mwh` GECs of a fresh issuance.
void FundTrader(ServerFixture& fx, const std::string& trader, uint64_t mwh) {
  fx.CreateAccount("owner-" + trader, "project_owner");
  fx.CreateAccount(trader, "trader");
  REQUIRE(fx.Send(fx.op(), "generator.register",
                  {{"generator", "gen-" + trader},
                   {"name", "G"},
                   {"owner", "owner-" + trader},
                   {"technology", "wind"},
                   {"capacity_kw", 100000},
                   {"region", "620000"}})
              .ok());
  auto issued = fx.Send(
      fx.op(), "gec.issue",
      {{"ops", {{{"generator", "gen-" + trader}, {"month", "2026-09"}, {"quantity", mwh}}}}});
  INFO(issued.status().ToString());
  REQUIRE(issued.ok());
  REQUIRE(fx.Send("owner-" + trader, "unit.transfer",
                  {{"to", trader}, {"ops", {{{"instrument", "GEC"}, {"quantity", mwh}}}}})
              .ok());
}

void ExpectConservedAndVerified(ServerFixture& fx) {
  auto totals = QueryTotals(fx.ledger().state());
  REQUIRE(totals.ok());
  for (const auto& t : *totals) {
    CHECK(t.issued == t.held + t.claimed + t.retired + t.expired + t.cancelled);
  }
  VerifyOptions o;
  o.data_dir = fx.data_dir();
  fx.Close();
  auto v = VerifyLedger(o, LedgerTxTypes());
  INFO(v.status().ToString());
  CHECK(v.ok());
}

}  // namespace

TEST_CASE("double spends raced from many connections: exactly one wins, every time",
          "[api][hostile][concurrency]") {
  ServerFixture fx;
  FundTrader(fx, "trader-a", 10);
  for (int i = 0; i < 6; ++i) fx.CreateAccount("sink-" + std::to_string(i), "trader");
  for (int round = 0; round < 5; ++round) {
    // Six different transfers of the same 10 MWh, each with its own nonce, sent at once.
    std::vector<std::string> bodies;
    for (int i = 0; i < 6; ++i) {
      bodies.push_back(
          EncodeSubmission(fx.Sign("trader-a", "unit.transfer",
                                   {{"to", "sink-" + std::to_string(i)},
                                    {"ops", {{{"instrument", "GEC"}, {"quantity", 10}}}}})));
    }
    std::atomic<int> wins{0};
    std::vector<std::thread> threads;
    std::vector<std::string> reasons(bodies.size());
    for (size_t i = 0; i < bodies.size(); ++i) {
      threads.emplace_back([&, i] {
        httplib::Client c("127.0.0.1", fx.port());
        auto r = c.Post("/v1/transactions", bodies[i], "application/json");
        if (r && r->status == 201) {
          ++wins;
        } else if (r) {
          reasons[i] = nlohmann::json::parse(r->body).value("reason", "");
        }
      });
    }
    for (auto& t : threads) t.join();
    CHECK(wins <= 1);
    for (const auto& reason : reasons) {
      if (!reason.empty()) {
        INFO(reason);
        CHECK((reason == "nonce.replayed" || reason == "holdings.insufficient"));
      }
    }
    if (wins == 1) {
      // Give the units back for the next round.
      for (int i = 0; i < 6; ++i) {
        auto h = QueryHoldings(fx.ledger().state(), "sink-" + std::to_string(i));
        REQUIRE(h.ok());
        if (!h->empty()) {
          REQUIRE(
              fx.Send("sink-" + std::to_string(i), "unit.transfer",
                      {{"to", "trader-a"}, {"ops", {{{"instrument", "GEC"}, {"quantity", 10}}}}})
                  .ok());
        }
      }
    }
  }
  ExpectConservedAndVerified(fx);
}

TEST_CASE("one nonce raced by different transactions: exactly one is accepted",
          "[api][hostile][concurrency]") {
  ServerFixture fx;
  fx.CreateAccount("reg-x", "registry");
  const uint64_t nonce = 7;
  std::vector<std::string> bodies;
  for (int i = 0; i < 8; ++i) {
    bodies.push_back(EncodeSubmission(
        fx.Sign("reg-x", "account.create",
                {{"account", "n" + std::to_string(i)},
                 {"role", "trader"},
                 {"public_key", Base64Encode(AsBytes(SigningKey::Generate().public_key()))}},
                nonce)));
  }
  std::atomic<int> accepted{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (const auto& b : bodies) {
    threads.emplace_back([&, b] {
      httplib::Client c("127.0.0.1", fx.port());
      auto r = c.Post("/v1/transactions", b, "application/json");
      if (r && r->status == 201) ++accepted;
      if (r && r->status == 409) ++conflicts;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(accepted == 1);
  CHECK(conflicts == 7);
  ExpectConservedAndVerified(fx);
}

TEST_CASE("malformed, oversized, overflowing and traversing requests get their errors",
          "[api][hostile][concurrency]") {
  ServerFixture fx;
  auto post = [&](const std::string& body) {
    return fx.http().Post("/v1/transactions", body, "application/json");
  };
  CHECK(Reason(post("{\"tx\":{\"type\":\"\xff\xfe\"},\"signature\":\"\"}")) == "json.utf8");
  CHECK(Reason(post("{\"tx\":{\"type\":\"\xed\xa0\x80\"},\"signature\":\"\"}")) == "json.utf8");
  CHECK(Reason(post(std::string(40, '[') + std::string(40, ']'))) == "json.depth");
  CHECK(Reason(post(R"({"tx":{"nonce":9007199254740992},"signature":""})")) ==
        "json.integer_range");
  CHECK(Reason(post(R"({"tx":{"nonce":1e3},"signature":""})")) == "json.float");
  CHECK(Reason(post(R"({"tx":{},"tx":{},"signature":""})")) == "json.duplicate_key");
  // A quantity beyond every holding and near the integer limit.
  FundTrader(fx, "trader-q", 5);
  auto huge = fx.Send("trader-q", "unit.transfer",
                      {{"to", "owner-trader-q"},
                       {"ops", {{{"instrument", "GEC"}, {"quantity", 9007199254740991}}}}});
  CHECK_FALSE(huge.ok());
  auto negative =
      fx.Send("trader-q", "unit.transfer",
              {{"to", "owner-trader-q"}, {"ops", {{{"instrument", "GEC"}, {"quantity", -1}}}}});
  CHECK_FALSE(negative.ok());
  for (const char* path : {"/v1/accounts/..%2F..%2Fetc%2Fpasswd", "/v1/accounts/../../etc/passwd",
                           "/v1/statements/..%2Fkeys/bundle", "/tile/../../keys/log.key",
                           "/v1/parks/%2e%2e/years/2025/claims"}) {
    auto r = fx.http().Get(path);
    REQUIRE(r);
    INFO(path << " -> " << r->status << " " << r->body);
    CHECK(r->status >= 400);
    CHECK(r->body.find("PRIVATE") == std::string::npos);
  }
  ExpectConservedAndVerified(fx);
}

namespace {

int ConnectLoopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(uint16_t(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  return fd;
}

// Sends the head, then `body_bytes` of body in `framing` ("chunked": 16 KiB chunks with no
// final chunk; "none": raw bytes, the stream left open), then reads what the server answers
// without sending the rest. A server that buffers the whole body first answers nothing.
std::string SendOversizedBody(int port, const std::string& framing, size_t body_bytes) {
  int fd = ConnectLoopback(port);
  if (fd < 0) return "";
  std::string head = "POST /v1/transactions HTTP/1.1\r\nHost: x\r\n";
  head += framing == "chunked" ? "Transfer-Encoding: chunked\r\n" : "Connection: close\r\n";
  head += "Content-Type: application/json\r\n\r\n";
  signal(SIGPIPE, SIG_IGN);
  bool ok = write(fd, head.data(), head.size()) == ssize_t(head.size());
  const std::string chunk(16 * 1024, 'x');
  for (size_t sent = 0; ok && sent < body_bytes; sent += chunk.size()) {
    std::string piece = framing == "chunked" ? "4000\r\n" + chunk + "\r\n" : chunk;
    // The server may stop reading and close: a failed write is what a capped reader looks like.
    ok = write(fd, piece.data(), piece.size()) == ssize_t(piece.size());
  }
  std::string answer;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) answer.append(buf, size_t(n));
  close(fd);
  return answer;
}

}  // namespace

TEST_CASE("a chunked or length-less body is cut off at the limit with 413, not buffered whole",
          "[api][hostile]") {
  ServerOptions o;
  o.max_body_bytes = 64 * 1024;
  ServerFixture fx(o);
  for (const std::string framing : {"chunked", "none"}) {
    INFO(framing);
    // Four times the limit is sent and the body never ends: only a reader that stops at the
    // limit can answer.
    std::string answer = SendOversizedBody(fx.port(), framing, 4 * o.max_body_bytes);
    CHECK(answer.rfind("HTTP/1.1 413", 0) == 0);
    CHECK(answer.find("request.too_large") != std::string::npos);
  }
  // Under the limit, a chunked body is read and judged as any other.
  int fd = ConnectLoopback(fx.port());
  REQUIRE(fd >= 0);
  const std::string body = "{}";
  std::string req =
      "POST /v1/transactions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
      "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n2\r\n" +
      body + "\r\n0\r\n\r\n";
  REQUIRE(write(fd, req.data(), req.size()) == ssize_t(req.size()));
  std::string answer;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) answer.append(buf, size_t(n));
  close(fd);
  CHECK(answer.rfind("HTTP/1.1 400", 0) == 0);
  CHECK(answer.find("request.too_large") == std::string::npos);
  // The service answers on.
  auto health = fx.http().Get("/v1/health");
  REQUIRE(health);
  CHECK(health->status == 200);
  // A Content-Length beyond the limit is refused as before.
  auto big = fx.http().Post("/v1/transactions", std::string(o.max_body_bytes + 1, ' '),
                            "application/json");
  REQUIRE(big);
  CHECK(big->status == 413);
  CHECK(Reason(big) == "request.too_large");
}

TEST_CASE("a slow client is cut off by the head timeout while others are served",
          "[api][hostile][concurrency]") {
  ServerOptions o;
  o.head_timeout_s = 1;
  ServerFixture fx(o);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(uint16_t(fx.port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  // Slowloris: a request line, then nothing.
  std::string start = "POST /v1/transactions HTTP/1.1\r\nHost: x\r\n";
  REQUIRE(write(fd, start.data(), start.size()) == ssize_t(start.size()));
  // Others are served meanwhile.
  auto r = fx.http().Get("/v1/health");
  REQUIRE(r);
  CHECK(r->status == 200);
  // The slow connection is closed by the server after the timeout.
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[256];
  auto t0 = std::chrono::steady_clock::now();
  ssize_t n = read(fd, buf, sizeof buf);
  double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  close(fd);
  // Closed, either silently or with a 4xx status line, well before the client would give up.
  std::string answer = n > 0 ? std::string(buf, size_t(n)) : "";
  INFO(answer);
  CHECK((n <= 0 || answer.rfind("HTTP/1.1 4", 0) == 0));
  CHECK(waited < 4.5);
}
