// ApiServer: carbonledgerd's HTTP(S) front on cpp-httplib (docs/api.md). It decodes requests,
// hands transactions to the ledger's sequencer, and answers reads from committed state; every
// error leaves as an RFC 9457 problem document.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/witness_collector.h"
#include "crypto/status.h"

namespace carbonledger {

class Ledger;
class Mirror;

// The most submissions one POST /v1/transactions:batch carries.
constexpr size_t kMaxBatchTransactions = 256;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8620;            // 0 binds an ephemeral port; see ApiServer::port()
  std::string tls_cert_file;  // both set: serve HTTPS through OpenSSL
  std::string tls_key_file;
  size_t max_body_bytes = 160 * 1024;  // larger bodies get 413 (a submission: kMaxSubmissionBytes)
  // The same for POST /v1/transactions:batch, which carries up to kMaxBatchTransactions.
  size_t max_batch_body_bytes = 16 << 20;
  int threads = 64;                      // requests served at once (docs/api.md §Connections)
  int head_timeout_s = 10;               // a request head must arrive within this, or 408
  int read_timeout_s = 10;               // a worker's whole read of a request once its head is in
  int write_timeout_s = 10;              // each wait to write a response
  int keep_alive_timeout_s = 5;          // idle kept-alive connections are closed after this
  int max_connections = 4096;            // open connections in all; beyond, 503
  int max_connections_per_client = 512;  // open connections from one address; beyond, 503
  int log_level = 1;  // 0 errors only, 1 one line per request and per commit, 2 debug
  // Witnesses the latest checkpoint is sent to, every witness_interval_ms (docs/witness.md
  // §The log's witnesses); none: GET /v1/checkpoint/witnessed answers 404.
  std::vector<WitnessEndpoint> witnesses;
  int witness_interval_ms = 1000;
  // Set on a mirror's server (docs/mirror.md §Serving): the ledger is the mirror's, writes are
  // refused ("mirror.read_only"), /v1/health, /metrics and /v1/checkpoint/witnessed answer
  // from the mirror. Not owned; it must outlive the server.
  const Mirror* mirror = nullptr;
};

class ApiServer {
 public:
  ApiServer(ServerOptions options, Ledger& ledger);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds the socket; after it succeeds port() is the bound port.
  Status Bind();
  int port() const;
  // Serves until Stop() is called from another thread.
  Status Serve();
  // Stops accepting and returns once in-flight requests have finished.
  void Stop();

  // The routes registered by Bind(), as "METHOD /path" with {param} placeholders
  // (the OpenAPI test compares them with docs/openapi.yaml).
  const std::vector<std::string>& routes() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace carbonledger
