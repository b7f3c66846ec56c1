// ServerFixture: a real ledger in a temp dir served by a real ApiServer on an ephemeral
// loopback port, and an httplib client pointed at it.
#pragma once

#include <httplib.h>

#include <thread>

#include "api/server.h"
#include "tests/support/ledger_fixture.h"

namespace carbonledger::testing {

class ServerFixture : public LedgerFixture {
 public:
  explicit ServerFixture(ServerOptions o = {}) {
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
  int port() const { return server_->port(); }

 private:
  std::unique_ptr<ApiServer> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace carbonledger::testing
