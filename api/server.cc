#include "api/server.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace carbonledger {

struct ApiServer::Impl {
  ServerOptions options;
  std::unique_ptr<httplib::Server> http;
  int port = 0;
};

namespace {

void RegisterRoutes(httplib::Server& s) {
  s.Get("/v1/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(nlohmann::json{{"status", "ok"}}.dump(), "application/json");
  });
}

}  // namespace

ApiServer::ApiServer(ServerOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
}

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
  RegisterRoutes(*impl_->http);
  if (o.port == 0) {
    impl_->port = impl_->http->bind_to_any_port(o.host);
  } else {
    impl_->port = impl_->http->bind_to_port(o.host, o.port) ? o.port : -1;
  }
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
