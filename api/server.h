// ApiServer: carbonledgerd's HTTP(S) front, on cpp-httplib. It owns the listening socket and
// the routes; the ledger behind it is reached only through the ledger library's interfaces.
#pragma once

#include <memory>
#include <string>

#include "crypto/status.h"

namespace carbonledger {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8620;            // 0 binds an ephemeral port; see ApiServer::port()
  std::string tls_cert_file;  // both set: serve HTTPS through OpenSSL
  std::string tls_key_file;
};

class ApiServer {
 public:
  explicit ApiServer(ServerOptions options);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds the socket; after it succeeds port() is the bound port.
  Status Bind();
  int port() const;
  // Serves until Stop() is called from another thread or a signal handler's thread.
  Status Serve();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace carbonledger
