// The connection gate (api/connection_gate.h) against the real server on loopback: slow heads
// hold no worker, and the head, keep-alive and per-address bounds close what they should.
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "crypto/encoding.h"
#include "tests/support/server_fixture.h"

using namespace carbonledger;
using testing::ServerFixture;
using Clock = std::chrono::steady_clock;

namespace {

double SecondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(uint16_t(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

bool WriteAll(int fd, const std::string& s) {
  return send(fd, s.data(), s.size(), MSG_NOSIGNAL) == ssize_t(s.size());
}

// Everything the server sends until it closes (or 5 s pass without a byte).
std::string ReadToClose(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) out.append(buf, size_t(n));
  return out;
}

// One whole answer with a Content-Length body (headers and body may come in separate reads).
std::string ReadResponse(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    size_t head_end = out.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      size_t cl = out.find("Content-Length: ");
      size_t length = cl < head_end ? std::stoul(out.substr(cl + 16)) : 0;
      if (out.size() >= head_end + 4 + length) return out;
    }
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return out;
    out.append(buf, size_t(n));
  }
}

// Hostile: `n` sockets that send a request line and then one header line every ~1-3 s, never
// ending the head, until stopped.
class Slowloris {
 public:
  Slowloris(int port, int n) {
    for (int i = 0; i < n; ++i) {
      int fd = Connect(port);
      REQUIRE(fd >= 0);
      REQUIRE(WriteAll(fd, "POST /v1/transactions HTTP/1.1\r\nHost: x\r\n"));
      fds_.push_back(fd);
    }
    thread_ = std::thread([this] {
      for (int round = 0; !stop_; ++round) {
        // Each socket's turn comes every 1-3 s: a third of them per ~0.5 s step, staggered.
        for (size_t i = 0; i < fds_.size() && !stop_; ++i) {
          if ((i + size_t(round)) % 3 == 0) {
            sent_ += WriteAll(fds_[i], "X-Slow-" + std::to_string(round) + ": 1\r\n") ? 1 : 0;
          }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
      }
    });
  }
  ~Slowloris() {
    stop_ = true;
    thread_.join();
    for (int fd : fds_) close(fd);
  }
  int sent() const { return sent_; }
  // How many of the sockets the server has not closed.
  int open() const {
    int n = 0;
    for (int fd : fds_) {
      char c;
      ssize_t r = recv(fd, &c, 1, MSG_DONTWAIT | MSG_PEEK);
      if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) ++n;
    }
    return n;
  }

 private:
  std::vector<int> fds_;
  std::atomic<bool> stop_{false};
  std::atomic<int> sent_{0};
  std::thread thread_;
};

}  // namespace

TEST_CASE("200 slow-head sockets from the same address leave reads and writes answered",
          "[api][hostile][gate][concurrency]") {
  ServerOptions o;
  o.threads = 4;  // fewer workers than ever: none may be held by a head still arriving
  ServerFixture fx(o);
  fx.CreateAccount("reg-g", "registry");
  Slowloris slow(fx.port(), 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // every socket has trickled
  httplib::Client kept("127.0.0.1", fx.port());
  kept.set_keep_alive(true);
  for (int i = 0; i < 5; ++i) {
    INFO("round " << i);
    httplib::Client fresh("127.0.0.1", fx.port());  // a new connection each time
    fresh.set_read_timeout(5, 0);
    auto t0 = Clock::now();
    auto health = fresh.Get("/v1/health");
    double health_s = SecondsSince(t0);
    REQUIRE(health);
    CHECK(health->status == 200);
    CHECK(health_s < 1.0);

    t0 = Clock::now();
    auto checkpoint = kept.Get("/v1/checkpoint");
    double checkpoint_s = SecondsSince(t0);
    REQUIRE(checkpoint);
    CHECK(checkpoint->status == 200);
    CHECK(checkpoint_s < 1.0);

    std::string body = EncodeSubmission(
        fx.Sign("reg-g", "account.create",
                {{"account", "gate-" + std::to_string(i)},
                 {"role", "trader"},
                 {"public_key", Base64Encode(AsBytes(SigningKey::Generate().public_key()))}}));
    httplib::Client writer("127.0.0.1", fx.port());
    t0 = Clock::now();
    auto posted = writer.Post("/v1/transactions", body, "application/json");
    double post_s = SecondsSince(t0);
    REQUIRE(posted);
    INFO(posted->body);
    CHECK(posted->status == 201);
    CHECK(post_s < 1.0);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  CHECK(slow.sent() > 200);
  CHECK(slow.open() == 200);  // the trickle is still within the 10 s head timeout
}

TEST_CASE("a head that never completes is answered 408 and closed after the head timeout",
          "[api][hostile][gate]") {
  ServerOptions o;
  o.head_timeout_s = 1;
  o.max_connections_per_client = 8;
  ServerFixture fx(o);
  // Eight at once, which is also the per-address cap: the 408 path gives their places back.
  std::vector<int> fds;
  for (int i = 0; i < 8; ++i) {
    int fd = Connect(fx.port());
    REQUIRE(fd >= 0);
    REQUIRE(WriteAll(fd, "GET /v1/health HTTP/1.1\r\nHost: x\r\n"));
    fds.push_back(fd);
  }
  auto t0 = Clock::now();
  // Trickling does not extend the deadline.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  for (int fd : fds) WriteAll(fd, "X-Slow: 1\r\n");
  for (int fd : fds) {
    std::string answer = ReadToClose(fd);
    close(fd);
    INFO(answer);
    CHECK(answer.rfind("HTTP/1.1 408", 0) == 0);
    CHECK(answer.find("Connection: close") != std::string::npos);
    CHECK(answer.find("\"reason\":\"request.head_timeout\"") != std::string::npos);
  }
  double waited = SecondsSince(t0);
  CHECK(waited > 0.8);
  CHECK(waited < 2.5);
  auto r = fx.http().Get("/v1/health");
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE("a kept-alive connection that idles past the keep-alive timeout is closed",
          "[api][hostile][gate]") {
  ServerOptions o;
  o.keep_alive_timeout_s = 1;
  ServerFixture fx(o);
  int fd = Connect(fx.port());
  REQUIRE(fd >= 0);
  REQUIRE(WriteAll(fd, "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string first = ReadResponse(fd);
  CHECK(first.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(first.find("Keep-Alive: timeout=1") != std::string::npos);
  // A second request within the timeout is served on the same connection.
  REQUIRE(WriteAll(fd, "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK(ReadResponse(fd).rfind("HTTP/1.1 200", 0) == 0);
  auto t0 = Clock::now();
  std::string rest = ReadToClose(fd);
  double waited = SecondsSince(t0);
  close(fd);
  CHECK(rest.empty());  // closed silently
  CHECK(waited > 0.8);
  CHECK(waited < 2.5);
}

TEST_CASE("connections beyond the per-address cap get 503 connection.limit until others close",
          "[api][hostile][gate]") {
  ServerOptions o;
  o.max_connections_per_client = 8;
  ServerFixture fx(o);
  std::vector<int> fds;
  for (int i = 0; i < 8; ++i) {
    int fd = Connect(fx.port());
    REQUIRE(fd >= 0);
    fds.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  int ninth = Connect(fx.port());
  REQUIRE(ninth >= 0);
  std::string answer = ReadToClose(ninth);
  close(ninth);
  INFO(answer);
  CHECK(answer.rfind("HTTP/1.1 503", 0) == 0);
  CHECK(answer.find("Retry-After: 1") != std::string::npos);
  auto body = nlohmann::json::parse(answer.substr(answer.find("\r\n\r\n") + 4));
  CHECK(body["reason"] == "connection.limit");
  CHECK(body["detail"].get<std::string>().find("8") != std::string::npos);
  // A client that sends its request at once reads the same answer.
  httplib::Client refused("127.0.0.1", fx.port());
  testing::ExpectProblem(refused.Get("/v1/health"), 503, "connection.limit");
  // Closing three (by the client) and serving one to completion with Connection: close (by
  // the server) gives four places back.
  for (int i = 0; i < 3; ++i) close(fds[size_t(i)]);
  REQUIRE(WriteAll(fds[3], "GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  CHECK(ReadToClose(fds[3]).rfind("HTTP/1.1 200", 0) == 0);
  close(fds[3]);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::vector<int> again;
  for (int i = 0; i < 4; ++i) {
    int fd = Connect(fx.port());
    REQUIRE(fd >= 0);
    REQUIRE(WriteAll(fd, "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n"));
    char buf[512];
    ssize_t n = read(fd, buf, sizeof buf);
    REQUIRE(n > 0);
    CHECK(std::string(buf, size_t(n)).rfind("HTTP/1.1 200", 0) == 0);
    again.push_back(fd);
  }
  int over = Connect(fx.port());
  REQUIRE(over >= 0);
  CHECK(ReadToClose(over).rfind("HTTP/1.1 503", 0) == 0);
  close(over);
  for (size_t i = 4; i < fds.size(); ++i) close(fds[i]);
  for (int fd : again) close(fd);
}

TEST_CASE("pipelined requests on one connection are all answered, in order", "[api][gate]") {
  ServerFixture fx;
  int fd = Connect(fx.port());
  REQUIRE(fd >= 0);
  REQUIRE(WriteAll(fd,
                   "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n"
                   "GET /v1/checkpoint HTTP/1.1\r\nHost: x\r\n\r\n"
                   "GET /v1/nothing-here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string answer = ReadToClose(fd);
  close(fd);
  size_t first = answer.find("HTTP/1.1 200");
  size_t second = answer.find("HTTP/1.1 200", first + 1);
  size_t third = answer.find("HTTP/1.1 404", second + 1);
  INFO(answer);
  CHECK(first == 0);
  CHECK(second != std::string::npos);
  CHECK(third != std::string::npos);
  CHECK(answer.find("route.not_found") != std::string::npos);
}
