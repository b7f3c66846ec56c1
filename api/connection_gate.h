// ConnectionGate: holds every accepted connection until its next request head has fully
// arrived, and only then lets a worker serve it (docs/api.md §Connections).
//
// The invariant it keeps: a worker thread is never held by a connection whose request head is
// incomplete. All waiting connections sit in one epoll set (one-shot); the workers wait on it
// together, and a worker woken by a connection reads what it sent without blocking, keeps it in
// the connection's buffer and, unless the head is now complete, puts the connection back and
// waits again. A reaper thread answers 408 to a head not complete within the head timeout,
// closes a kept-alive connection that sent nothing within the keep-alive timeout, and
// connections beyond the total or per-address limits are answered 503 and closed at accept.
// With TLS the handshake is run the same way (non-blocking SSL_accept), so a slow TLS client
// holds no worker either.
#pragma once

#include <openssl/ssl.h>

#include <cstddef>
#include <functional>
#include <memory>

namespace httplib {
class Stream;
}

namespace carbonledger::api {

struct GateOptions {
  int workers = 64;              // threads reading heads (non-blocking) and serving requests
  int head_timeout_s = 10;       // from accept, or from the end of the previous request
  int read_timeout_s = 10;       // a worker's whole read of one request (head and body)
  int write_timeout_s = 10;      // each wait to write a response
  int keep_alive_timeout_s = 5;  // idle time allowed between requests
  size_t keep_alive_max = 1000;  // requests per connection
  int max_connections = 4096;    // open connections in all
  int max_connections_per_client = 512;  // open connections from one peer address
};

// Serves the one request at the head of `stream` (httplib::Server::process_request): false when
// the connection failed; sets `connection_closed` when the request asked to close it.
using ServeRequest =
    std::function<bool(httplib::Stream& stream, bool close_connection, bool& connection_closed)>;

class ConnectionGate {
 public:
  // `tls` (may be null: plain HTTP) must outlive the gate; so must what `serve` uses.
  ConnectionGate(GateOptions options, SSL_CTX* tls, ServeRequest serve);
  ~ConnectionGate();  // Shutdown()
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  // Takes an accepted socket (from the accept thread) and owns it from here on.
  void Admit(int fd);
  // Closes every waiting connection, lets requests being served finish, joins all threads.
  // Sockets admitted afterwards are closed at once.
  void Shutdown();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace carbonledger::api
