// WitnessServer: the HTTP front of a Witness (ledger/log/witness.h), the C2SP tlog-witness
// interface (c2sp.org/tlog-witness §HTTP Interface) on a plain cpp-httplib server, with the
// submission and the monitoring prefix both "/":
//   POST /add-checkpoint              §add-checkpoint
//   GET  /<origin hash>/checkpoint    §Monitor Retrieval Mechanism
// Status codes and bodies: docs/witness.md §add-checkpoint.
#pragma once

#include <memory>
#include <string>

#include "crypto/status.h"

namespace carbonledger {

class Witness;

struct WitnessServerOptions {
  std::string host = "127.0.0.1";
  int port = 8621;  // 0 binds an ephemeral port; see WitnessServer::port()
  int read_timeout_s = 10;
  int write_timeout_s = 10;
  int log_level = 1;  // 0 nothing, 1 one line per add-checkpoint (status, reason, origin, size)
};

// The HTTP status of a refused add-checkpoint, by the Status's code (§add-checkpoint).
int WitnessHttpStatus(Code code);

class WitnessServer {
 public:
  WitnessServer(WitnessServerOptions options, Witness& witness);
  ~WitnessServer();
  WitnessServer(const WitnessServer&) = delete;
  WitnessServer& operator=(const WitnessServer&) = delete;

  // Binds the socket; after it succeeds port() is the bound port.
  Status Bind();
  int port() const;
  // Serves until Stop() is called from another thread.
  Status Serve();
  // Stops accepting and returns once in-flight requests have finished.
  void Stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace carbonledger
