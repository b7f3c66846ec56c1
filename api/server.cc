#include "api/server.h"

#include <httplib.h>
#include <openssl/ssl.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "api/connection_gate.h"
#include "api/metrics.h"
#include "api/mirror.h"
#include "api/request_auth.h"
#include "api/routes.h"
#include "api/wire/problem.h"
#include "ledger/log/ledger.h"
#include "ledger/registry/accounts.h"

namespace carbonledger {
namespace {

// An httplib::Server whose accept loop hands each socket to a ConnectionGate instead of a
// worker: the loop runs its tasks inline (InlineQueue), so process_and_close_socket runs on
// the accept thread and returns at once; the gate's workers call back into ServeOne.
class GatedServer final : public httplib::Server {
 public:
  GatedServer() {
    new_task_queue = [] { return new InlineQueue; };
  }
  void set_gate(api::ConnectionGate* gate) { gate_ = gate; }
  bool ServeOne(httplib::Stream& stream, bool close_connection, bool& connection_closed) {
    return process_request(stream, close_connection, connection_closed, nullptr);
  }

 private:
  struct InlineQueue final : httplib::TaskQueue {
    void enqueue(std::function<void()> fn) override { fn(); }
    void shutdown() override {}
  };
  bool process_and_close_socket(socket_t sock) override {
    gate_->Admit(sock);
    return true;
  }
  api::ConnectionGate* gate_ = nullptr;
};

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};

// What httplib::SSLServer(cert, key) sets up, for the gate to run the handshakes itself.
SSL_CTX* NewTlsContext(const std::string& cert, const std::string& key) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) return nullptr;
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION);
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(ctx) != 1) {
    SSL_CTX_free(ctx);
    return nullptr;
  }
  return ctx;
}

// Each connection is a descriptor: make room for --max-connections of them.
void RaiseDescriptorLimit(int connections) {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) != 0) return;
  rlim_t want = rlim_t(connections) + 256;
  if (r.rlim_cur >= want) return;
  r.rlim_cur = r.rlim_max == RLIM_INFINITY ? want : std::min(want, r.rlim_max);
  setrlimit(RLIMIT_NOFILE, &r);
}

constexpr size_t kKeepAliveMax = 1000;

}  // namespace

struct ApiServer::Impl {
  ServerOptions options;
  Ledger& ledger;
  Metrics metrics;
  RequestAuthenticator auth;
  std::unique_ptr<SSL_CTX, SslCtxFree> tls;
  std::unique_ptr<GatedServer> http;
  std::unique_ptr<api::ConnectionGate> gate;  // after http: its workers call into it
  std::unique_ptr<api::Router> router;
  std::unique_ptr<WitnessCollector> witnesses;  // when options.witnesses is not empty
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
  c.max_batch_body_bytes = options.max_batch_body_bytes;
  if (options.mirror != nullptr) {
    c.mirror = options.mirror;
    c.witnessed_checkpoint = [m = options.mirror] { return m->Witnessed(); };
  } else if (!options.witnesses.empty()) {
    witnesses =
        std::make_unique<WitnessCollector>(ledger, options.witnesses, options.witness_interval_ms);
    c.witnessed_checkpoint = [w = witnesses.get()] { return w->Witnessed(); };
  }
  api::RegisterLedgerRoutes(c);
  api::RegisterRegistryRoutes(c);
  api::RegisterCertificationRoutes(c);
  api::RegisterWebRoutes(c);
  http->set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (res.status == 404 && res.body.empty()) {
      api::SendProblem(
          res, Status::NotFound("route.not_found", "no route " + req.method + " " + req.path),
          req.path);
    } else if (res.status == 413 && res.body.empty()) {
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
    impl_->tls.reset(NewTlsContext(o.tls_cert_file, o.tls_key_file));
    if (!impl_->tls) {
      return Status::InvalidArgument("config.tls", "cannot load TLS certificate or key");
    }
  }
  impl_->http = std::make_unique<GatedServer>();
  GatedServer& s = *impl_->http;
  api::GateOptions g;
  g.workers = std::max(1, o.threads);
  g.head_timeout_s = o.head_timeout_s;
  g.read_timeout_s = o.read_timeout_s;
  g.write_timeout_s = o.write_timeout_s;
  g.keep_alive_timeout_s = o.keep_alive_timeout_s;
  g.keep_alive_max = kKeepAliveMax;
  g.max_connections = o.max_connections;
  g.max_connections_per_client = o.max_connections_per_client;
  RaiseDescriptorLimit(o.max_connections);
  impl_->gate = std::make_unique<api::ConnectionGate>(
      g, impl_->tls.get(), [&s](httplib::Stream& stream, bool close, bool& closed) {
        return s.ServeOne(stream, close, closed);
      });
  s.set_gate(impl_->gate.get());
  // Each POST route enforces its own limit (api::Router::Post); httplib refuses beyond both.
  s.set_payload_max_length(std::max(o.max_body_bytes, o.max_batch_body_bytes));
  s.set_read_timeout(o.read_timeout_s, 0);
  s.set_write_timeout(o.write_timeout_s, 0);
  // Without TCP_NODELAY each response waits ~40 ms for the client's delayed ACK (headers and
  // body are written separately); keep connections for many requests, not the default 5.
  s.set_tcp_nodelay(true);
  // Advertised in Keep-Alive headers; the gate enforces them.
  s.set_keep_alive_max_count(kKeepAliveMax);
  s.set_keep_alive_timeout(o.keep_alive_timeout_s);
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
  if (impl_->witnesses) impl_->witnesses->Start();
  impl_->http->listen_after_bind();
  return Status::OK();
}

void ApiServer::Stop() {
  if (impl_->witnesses) impl_->witnesses->Stop();
  if (impl_->http) impl_->http->stop();
  if (impl_->gate) impl_->gate->Shutdown();
}

}  // namespace carbonledger
