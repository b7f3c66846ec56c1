#include "api/connection_gate.h"

#include <fcntl.h>
#include <httplib.h>
#include <netdb.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "api/wire/problem.h"

namespace carbonledger::api {
namespace {

using Clock = std::chrono::steady_clock;

// A head longer than this is handed to a worker as it is; cpp-httplib then refuses it (each
// header line is limited to 8 KiB there) within the worker's read deadline.
constexpr size_t kMaxHeadBytes = 64 * 1024;
constexpr size_t kReadChunk = 16 * 1024;

struct Connection {
  int fd = -1;
  SSL* ssl = nullptr;  // TLS only
  bool handshaken = false;
  std::string peer_ip, local_ip;
  int peer_port = 0, local_port = 0;
  // Bytes received and not yet consumed by a request: buf[pos..]. Kept across requests, so
  // pipelined bytes a worker read ahead count as the next head's.
  std::string buf;
  size_t pos = 0;
  size_t scanned = 0;  // buf[pos..scanned) holds no "\r\n\r\n"
  Clock::time_point head_deadline, idle_deadline;
  bool idle = false;  // kept alive after a request, no byte of the next one yet
  size_t served = 0;
  uint64_t id = 0;     // this wait's id in the epoll set (ConnectionGate::Impl::waiting)
  bool armed = false;  // registered with epoll

  size_t unread() const { return buf.size() - pos; }
  // Receiving a byte only ever moves this later.
  Clock::time_point deadline() const {
    return idle ? std::min(idle_deadline, head_deadline) : head_deadline;
  }
  void Compact() {
    buf.erase(0, pos);
    scanned -= std::min(scanned, pos);
    pos = 0;
  }
  bool HeadComplete() {
    size_t from = std::max(pos, scanned >= 3 ? scanned - 3 : 0);
    bool found = buf.find("\r\n\r\n", from) != std::string::npos;
    scanned = buf.size();
    return found;
  }
};

// One non-blocking read or write on the connection's transport (plain socket or TLS): > 0
// bytes moved, 0 end of stream, -1 failed, -2 would block (then *wait is the poll event to
// wait for: a TLS read may need to write and a write to read).
constexpr ssize_t kWouldBlock = -2;

ssize_t TlsResult(SSL* ssl, int r, short* wait) {
  if (r > 0) return r;
  switch (SSL_get_error(ssl, r)) {
    case SSL_ERROR_WANT_READ:
      *wait = POLLIN;
      return kWouldBlock;
    case SSL_ERROR_WANT_WRITE:
      *wait = POLLOUT;
      return kWouldBlock;
    case SSL_ERROR_ZERO_RETURN:
      return 0;
    default:
      return -1;
  }
}

ssize_t Receive(Connection& c, char* p, size_t n, short* wait) {
  if (c.ssl) {
    ERR_clear_error();
    return TlsResult(c.ssl, SSL_read(c.ssl, p, int(std::min<size_t>(n, INT32_MAX))), wait);
  }
  for (;;) {
    ssize_t r = ::recv(c.fd, p, n, 0);
    if (r >= 0) return r;
    if (errno == EINTR) continue;
    *wait = POLLIN;
    return errno == EAGAIN || errno == EWOULDBLOCK ? kWouldBlock : -1;
  }
}

ssize_t Send(Connection& c, const char* p, size_t n, short* wait) {
  if (c.ssl) {
    ERR_clear_error();
    return TlsResult(c.ssl, SSL_write(c.ssl, p, int(std::min<size_t>(n, INT32_MAX))), wait);
  }
  for (;;) {
    ssize_t r = ::send(c.fd, p, n, MSG_NOSIGNAL);
    if (r >= 0) return r;
    if (errno == EINTR) continue;
    *wait = POLLOUT;
    return errno == EAGAIN || errno == EWOULDBLOCK ? kWouldBlock : -1;
  }
}

bool PollFor(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  for (;;) {
    int r = ::poll(&p, 1, std::max(0, timeout_ms));
    if (r >= 0) return r > 0;
    if (errno != EINTR) return false;
  }
}

int MillisUntil(Clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t - Clock::now()).count();
  return int(std::clamp<int64_t>(ms, 0, 24 * 3600 * 1000));
}

void Address(const sockaddr_storage& a, socklen_t len, std::string* ip, int* port) {
  char host[NI_MAXHOST] = "", serv[NI_MAXSERV] = "";
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&a), len, host, sizeof host, serv, sizeof serv,
                  NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    *ip = host;
    *port = std::atoi(serv);
  }
}

// A whole answer written before any request was read (408, 503): status line, Connection:
// close and a problem document.
std::string RawProblem(const char* status_line, const Status& s) {
  std::string body = ProblemJson(s).dump();
  std::string out = std::string("HTTP/1.1 ") + status_line + "\r\nConnection: close\r\n";
  if (s.code() == Code::kUnavailable) out += "Retry-After: 1\r\n";
  return out + "Content-Type: " + kProblemContentType +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// The stream a worker reads one request from and writes its answer to. Reads are served from
// the connection's buffer first and refilled 16 KiB at a time (cpp-httplib reads a head one
// byte per call); the whole read of the request ends at `read_deadline`.
class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(Connection& c, Clock::time_point read_deadline, int write_timeout_ms)
      : c_(c), read_deadline_(read_deadline), write_timeout_ms_(write_timeout_ms) {}

  bool is_readable() const override { return c_.unread() > 0 || PollFor(c_.fd, POLLIN, 0); }
  bool is_writable() const override { return PollFor(c_.fd, POLLOUT, write_timeout_ms_); }

  ssize_t read(char* ptr, size_t size) override {
    if (c_.unread() == 0) {
      c_.buf.clear();
      c_.pos = c_.scanned = 0;
      char chunk[kReadChunk];
      for (;;) {
        short wait = POLLIN;
        ssize_t n = Receive(c_, chunk, sizeof chunk, &wait);
        if (n > 0) {
          c_.buf.assign(chunk, size_t(n));
          break;
        }
        if (n != kWouldBlock) return n;
        if (!PollFor(c_.fd, wait, MillisUntil(read_deadline_))) {
          timed_out_ = true;
          return -1;
        }
      }
    }
    size_t k = std::min(size, c_.unread());
    std::memcpy(ptr, c_.buf.data() + c_.pos, k);
    c_.pos += k;
    return ssize_t(k);
  }

  ssize_t write(const char* ptr, size_t size) override {
    for (size_t done = 0; done < size;) {
      short wait = POLLOUT;
      ssize_t n = Send(c_, ptr + done, size - done, &wait);
      if (n > 0) {
        done += size_t(n);
      } else if (n != kWouldBlock || !PollFor(c_.fd, wait, write_timeout_ms_)) {
        failed_ = true;
        return -1;
      }
    }
    return ssize_t(size);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.peer_ip;
    port = c_.peer_port;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.local_ip;
    port = c_.local_port;
  }
  // cpp-httplib 0.11 (built without CPPHTTPLIB_USE_POLL) answers 500 to a stream whose socket
  // is >= FD_SETSIZE, because its own streams select() on it; this one polls, so it reports
  // no socket rather than have connections beyond the first thousand refused.
  socket_t socket() const override { return c_.fd < FD_SETSIZE ? c_.fd : INVALID_SOCKET; }

  // The request was cut off by the read deadline or a write failed: the connection's byte
  // stream is no longer at a request boundary.
  bool broken() const { return timed_out_ || failed_; }

 private:
  Connection& c_;
  Clock::time_point read_deadline_;
  int write_timeout_ms_;
  bool timed_out_ = false;
  bool failed_ = false;
};

}  // namespace

struct ConnectionGate::Impl {
  GateOptions o;
  SSL_CTX* tls;
  ServeRequest serve;
  int epoll_fd = -1;
  int stop_fd = -1;  // eventfd, readable once Shutdown() begins; never read, so it wakes all
  std::thread reaper;
  std::vector<std::thread> workers;

  std::mutex mu;  // guards everything below
  std::condition_variable reaper_wake;
  bool stopping = false;
  bool joined = false;
  std::unordered_map<std::string, int> per_client;
  int open = 0;
  // The connections waiting for a head, by id, each armed in epoll (one-shot, with its id as
  // the event's data). A worker woken for an id claims the connection by taking it out of
  // here; an id no longer here was expired meanwhile, and ids are never reused, so a stale
  // event cannot reach another connection.
  std::unordered_map<uint64_t, Connection*> waiting;
  uint64_t next_id = 1;
  // No later than the earliest deadline in `waiting`: the reaper scans only when one may be due.
  Clock::time_point next_deadline = Clock::now();

  Impl(GateOptions options, SSL_CTX* ctx, ServeRequest s)
      : o(options), tls(ctx), serve(std::move(s)) {}

  // Puts a connection (new, or back from a request or a partial read) in `waiting` and arms
  // it for `wait` (POLLIN, or POLLOUT for a TLS handshake that must write); false if it must be
  // closed instead.
  bool Wait(Connection* c, short wait) {
    bool earlier;
    {
      std::lock_guard<std::mutex> l(mu);
      if (stopping) return false;
      epoll_event ev{};
      ev.events = uint32_t(EPOLLRDHUP | EPOLLONESHOT) |
                  (wait == POLLOUT ? uint32_t(EPOLLOUT) : uint32_t(EPOLLIN));
      ev.data.u64 = c->id = next_id++;
      if (epoll_ctl(epoll_fd, c->armed ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c->fd, &ev) != 0) {
        return false;
      }
      c->armed = true;
      waiting.emplace(c->id, c);
      earlier = c->deadline() < next_deadline;
      if (earlier) next_deadline = c->deadline();
    }
    if (earlier) reaper_wake.notify_one();
    return true;
  }

  // Every way out of a connection ends here, so the counts stay exact.
  void Close(Connection* c) {
    if (c->ssl) {
      if (c->handshaken) SSL_shutdown(c->ssl);
      SSL_free(c->ssl);
    }
    ::shutdown(c->fd, SHUT_RDWR);
    ::close(c->fd);
    {
      std::lock_guard<std::mutex> l(mu);
      if (--per_client[c->peer_ip] <= 0) per_client.erase(c->peer_ip);
      --open;
    }
    delete c;
  }

  // Best effort: the answer is small and the socket's send buffer empty or nearly so.
  static void WriteRaw(Connection& c, const std::string& bytes) {
    short wait;
    Send(c, bytes.data(), bytes.size(), &wait);
  }

  void Work();
  void Progress(Connection* c);
  void ServeConnection(Connection* c);
  void Reap();
  void Expire(Clock::time_point now);
};

// A worker waits on all waiting connections at once and takes one only when it has sent
// something, which it reads without blocking; it serves a request only once its head is in.
void ConnectionGate::Impl::Work() {
  for (;;) {
    epoll_event ev;
    int n = epoll_wait(epoll_fd, &ev, 1, -1);
    if (n < 0 && errno != EINTR) return;
    if (n <= 0) continue;
    if (ev.data.u64 == 0) return;  // stop_fd
    Connection* c;
    {
      std::lock_guard<std::mutex> l(mu);
      auto it = waiting.find(ev.data.u64);
      if (it == waiting.end()) continue;
      c = it->second;
      waiting.erase(it);
    }
    Progress(c);
  }
}

void ConnectionGate::Impl::Progress(Connection* c) {
  short wait = POLLIN;
  if (c->ssl && !c->handshaken) {
    ERR_clear_error();
    ssize_t r = TlsResult(c->ssl, SSL_accept(c->ssl), &wait);
    if (r == kWouldBlock) {
      if (!Wait(c, wait)) Close(c);
      return;
    }
    if (r <= 0) return Close(c);
    c->handshaken = true;
  }
  c->Compact();
  bool eof = false;
  char chunk[kReadChunk];
  while (c->unread() < kMaxHeadBytes) {
    ssize_t n = Receive(*c, chunk, sizeof chunk, &wait);
    if (n == kWouldBlock) break;
    if (n < 0) return Close(c);
    if (n == 0) {
      eof = true;
      break;
    }
    c->buf.append(chunk, size_t(n));
    // Level-triggered: a short plain read took all there was; anything later raises an event.
    if (c->ssl == nullptr && size_t(n) < sizeof chunk) break;
  }
  if (c->unread() >= kMaxHeadBytes || c->HeadComplete()) return ServeConnection(c);
  if (eof) return Close(c);
  if (c->unread() > 0) c->idle = false;
  if (!Wait(c, wait)) Close(c);
}

// Serves the connection's requests while their heads are already buffered (pipelined), then
// puts it back to wait for the next.
void ConnectionGate::Impl::ServeConnection(Connection* c) {
  for (;;) {
    ConnectionStream stream(*c, Clock::now() + std::chrono::seconds(o.read_timeout_s),
                            o.write_timeout_s * 1000);
    bool last = c->served + 1 >= o.keep_alive_max;
    bool closed = false;
    bool ok = serve(stream, last, closed);
    ++c->served;
    if (!ok || closed || last || stream.broken()) return Close(c);
    auto now = Clock::now();
    c->idle = c->unread() == 0;
    c->head_deadline = now + std::chrono::seconds(o.head_timeout_s);
    c->idle_deadline = now + std::chrono::seconds(o.keep_alive_timeout_s);
    c->scanned = c->pos;
    if (c->idle || !c->HeadComplete()) break;
  }
  if (!Wait(c, POLLIN)) Close(c);
}

// The reaper thread: closes what waited too long, and everything still waiting at shutdown.
void ConnectionGate::Impl::Reap() {
  for (;;) {
    Clock::time_point now;
    {
      std::unique_lock<std::mutex> l(mu);
      reaper_wake.wait_until(l, next_deadline,
                             [&] { return stopping || Clock::now() >= next_deadline; });
      if (stopping) break;
      now = Clock::now();
    }
    Expire(now);
  }
  std::vector<Connection*> left;
  {
    std::lock_guard<std::mutex> l(mu);
    for (auto& [id, c] : waiting) left.push_back(c);
    waiting.clear();
  }
  for (Connection* c : left) Close(c);
}

void ConnectionGate::Impl::Expire(Clock::time_point now) {
  std::vector<Connection*> expired;
  {
    std::lock_guard<std::mutex> l(mu);
    next_deadline = now + std::chrono::seconds(1);
    for (auto it = waiting.begin(); it != waiting.end();) {
      if (now >= it->second->deadline()) {
        expired.push_back(it->second);
        it = waiting.erase(it);
      } else {
        next_deadline = std::min(next_deadline, it->second->deadline());
        ++it;
      }
    }
  }
  for (Connection* c : expired) {
    // An idle keep-alive connection is closed silently (RFC 9112 §9.8); a head still arriving
    // is told why.
    if (!c->idle && (c->ssl == nullptr || c->handshaken)) {
      WriteRaw(*c, RawProblem("408 Request Timeout",
                              Status::Timeout("request.head_timeout",
                                              "the request head did not arrive within " +
                                                  std::to_string(o.head_timeout_s) + " s")));
    }
    Close(c);
  }
}

ConnectionGate::ConnectionGate(GateOptions options, SSL_CTX* tls, ServeRequest serve)
    : impl_(std::make_unique<Impl>(options, tls, std::move(serve))) {
  Impl& m = *impl_;
  m.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  m.stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = 0;
  epoll_ctl(m.epoll_fd, EPOLL_CTL_ADD, m.stop_fd, &ev);
  m.reaper = std::thread([&m] { m.Reap(); });
  for (int i = 0; i < std::max(1, m.o.workers); ++i) m.workers.emplace_back([&m] { m.Work(); });
}

ConnectionGate::~ConnectionGate() { Shutdown(); }

void ConnectionGate::Admit(int fd) {
  Impl& m = *impl_;
  auto* c = new Connection;
  c->fd = fd;
  sockaddr_storage a{};
  socklen_t len = sizeof a;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    Address(a, len, &c->peer_ip, &c->peer_port);
  }
  len = sizeof a;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    Address(a, len, &c->local_ip, &c->local_port);
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  bool stopping = false;
  std::optional<Status> refused;
  {
    std::lock_guard<std::mutex> l(m.mu);
    // Counted before the checks so that Close() below evens the counts on every path.
    ++m.open;
    int from_client = ++m.per_client[c->peer_ip];
    stopping = m.stopping;
    if (m.open > m.o.max_connections) {
      refused = Status::Unavailable("connection.total_limit",
                                    "the server already holds its limit of " +
                                        std::to_string(m.o.max_connections) + " connections");
    } else if (from_client > m.o.max_connections_per_client) {
      refused = Status::Unavailable(
          "connection.limit", "this address already holds its limit of " +
                                  std::to_string(m.o.max_connections_per_client) + " connections");
    }
  }
  if (stopping || refused) {
    // No TLS session exists yet; a plain answer would be noise to a TLS client.
    if (refused && m.tls == nullptr) {
      m.WriteRaw(*c, RawProblem("503 Service Unavailable", *refused));
      // A request already received and left unread would make close() send a reset, which
      // can overtake the answer: read it away first.
      char scratch[kReadChunk];
      for (int i = 0; i < 4 && ::recv(fd, scratch, sizeof scratch, MSG_DONTWAIT) > 0; ++i) {
      }
    }
    return m.Close(c);
  }
  auto now = Clock::now();
  c->head_deadline = c->idle_deadline = now + std::chrono::seconds(m.o.head_timeout_s);
  if (m.tls) {
    c->ssl = SSL_new(m.tls);
    if (c->ssl == nullptr || SSL_set_fd(c->ssl, fd) != 1) return m.Close(c);
    SSL_set_mode(c->ssl, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  }
  if (!m.Wait(c, POLLIN)) m.Close(c);
}

void ConnectionGate::Shutdown() {
  Impl& m = *impl_;
  {
    std::lock_guard<std::mutex> l(m.mu);
    if (m.joined) return;
    m.stopping = m.joined = true;
  }
  m.reaper_wake.notify_all();
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(m.stop_fd, &one, sizeof one);
  for (auto& t : m.workers) t.join();
  m.reaper.join();
  ::close(m.epoll_fd);
  ::close(m.stop_fd);
}

}  // namespace carbonledger::api
