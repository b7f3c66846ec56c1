#include "api/server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "api/metrics.h"
#include "api/request_auth.h"
#include "api/routes.h"
#include "api/wire/problem.h"
#include "ledger/log/ledger.h"
#include "ledger/registry/accounts.h"

namespace carbonledger {

struct ApiServer::Impl {
  ServerOptions options;
  Ledger& ledger;
  Metrics metrics;
  RequestAuthenticator auth;
  std::unique_ptr<httplib::Server> http;
  std::unique_ptr<api::Router> router;
  int port = 0;
  int listen_sock = -1;

  Impl(ServerOptions o, Ledger& l)
      : options(std::move(o)),
        ledger(l),
        auth(std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count()) {}
  void RegisterRoutes();
};

void ApiServer::Impl::RegisterRoutes() {
  router = std::make_unique<api::Router>(*http, ledger, metrics, options.log_level,
                                         options.max_body_bytes);
  api::Context c{*router, ledger, metrics, auth};
  api::RegisterLedgerRoutes(c);
  api::RegisterRegistryRoutes(c);
  api::RegisterCertificationRoutes(c);
  api::RegisterWebRoutes(c);
  http->set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (res.status == 404 && res.body.empty()) {
      api::SendProblem(
          res, Status::NotFound("route.not_found", "no route " + req.method + " " + req.path),
          req.path);
    } else if (res.status == 413) {
      api::SendProblem(res,
                       Status::TooLarge("request.too_large",
                                        "request body exceeds " +
                                            std::to_string(options.max_body_bytes) + " bytes"),
                       req.path);
    }
  });
}

const std::vector<std::string>& ApiServer::routes() const {
  static const std::vector<std::string> none;
  return impl_->router ? impl_->router->names() : none;
}

ApiServer::ApiServer(ServerOptions options, Ledger& ledger)
    : impl_(std::make_unique<Impl>(std::move(options), ledger)) {}

ApiServer::~ApiServer() = default;

Status ApiServer::Bind() {
  const ServerOptions& o = impl_->options;
  if (o.tls_cert_file.empty() != o.tls_key_file.empty()) {
    return Status::InvalidArgument("config.tls", "--tls-cert and --tls-key must be given together");
  }
  if (!o.tls_cert_file.empty()) {
    auto tls =
        std::make_unique<httplib::SSLServer>(o.tls_cert_file.c_str(), o.tls_key_file.c_str());
    if (!tls->is_valid()) {
      return Status::InvalidArgument("config.tls", "cannot load TLS certificate or key");
    }
    impl_->http = std::move(tls);
  } else {
    impl_->http = std::make_unique<httplib::Server>();
  }
  httplib::Server& s = *impl_->http;
  int threads = std::max(1, o.threads);
  s.new_task_queue = [threads] { return new httplib::ThreadPool(size_t(threads)); };
  s.set_payload_max_length(o.max_body_bytes);
  s.set_read_timeout(o.read_timeout_s, 0);
  s.set_write_timeout(o.write_timeout_s, 0);
  // Without TCP_NODELAY each response waits ~40 ms for the client's delayed ACK (headers and
  // body are written separately); keep connections for many requests, not the default 5.
  s.set_tcp_nodelay(true);
  s.set_keep_alive_max_count(1000);
  // Debian's libcpp-httplib 0.11 listens with a backlog of 5, which drops connection bursts
  // (clients then retry after 1-7 s): remember the listening socket and listen again below.
  s.set_socket_options([this](socket_t sock) {
    httplib::default_socket_options(sock);
    if (impl_->listen_sock < 0) impl_->listen_sock = sock;
  });
  impl_->RegisterRoutes();
  if (o.port == 0) {
    impl_->port = s.bind_to_any_port(o.host);
  } else {
    impl_->port = s.bind_to_port(o.host, o.port) ? o.port : -1;
  }
  if (impl_->port > 0 && impl_->listen_sock >= 0) ::listen(impl_->listen_sock, SOMAXCONN);
  if (impl_->port <= 0) {
    return Status::IOError("config.listen",
                           "cannot listen on " + o.host + ":" + std::to_string(o.port));
  }
  return Status::OK();
}

int ApiServer::port() const { return impl_->port; }

Status ApiServer::Serve() {
  if (!impl_->http) return Status::Unavailable("server.not_bound", "Bind() was not called");
  impl_->http->listen_after_bind();
  return Status::OK();
}

void ApiServer::Stop() {
  if (impl_->http) impl_->http->stop();
}

}  // namespace carbonledger
