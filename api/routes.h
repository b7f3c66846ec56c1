// Routes: how the API's handlers are registered and answer. Private to api/.
//
// Each group of endpoints lives in its own file (ledger_routes.cc, registry_routes.cc, ...) and
// registers through a Router, which times every request, counts it in the metrics, logs one
// line, and remembers the route's name for /metrics and the OpenAPI check.
#pragma once

#include <httplib.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/metrics.h"
#include "api/request_auth.h"
#include "api/server.h"
#include "crypto/encoding.h"
#include "crypto/status.h"
#include "ledger/registry/accounts.h"

namespace carbonledger {

class Ledger;
class Mirror;

namespace api {

using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

void SendProblem(httplib::Response& res, const Status& s, const std::string& instance);
void SendJson(httplib::Response& res, const nlohmann::json& j, int status = 200);

// Query parameters that must be unsigned decimal integers ("query.param" errors).
Result<std::optional<uint64_t>> QueryU64(const httplib::Request& req, const std::string& name);
Result<uint64_t> RequireU64(const httplib::Request& req, const std::string& name);

template <size_t N>
std::string B64(const std::array<uint8_t, N>& h) {
  return Base64Encode(AsBytes(h));
}

class Router {
 public:
  Router(httplib::Server& server, const Ledger& ledger, Metrics& metrics, int log_level,
         size_t max_body_bytes)
      : server_(server),
        ledger_(ledger),
        metrics_(metrics),
        log_level_(log_level),
        max_body_bytes_(max_body_bytes) {}
  // `name` is "METHOD /path/{param}", the form docs/openapi.yaml uses. A GET handler reads one
  // state: it runs inside a StateReadScope (docs/api.md §Consistency).
  void Get(const std::string& pattern, const std::string& name, Handler fn);
  // A POST handler sees the body once it is read whole. The router reads it, and stops at
  // max_body_bytes whatever the framing (Content-Length, chunked, or none until the end of the
  // stream): the answer is then 413 request.too_large and the connection is closed.
  // `max_body` (0: max_body_bytes) is the route's own limit.
  void Post(const std::string& pattern, const std::string& name, Handler fn, size_t max_body = 0);
  const std::vector<std::string>& names() const { return names_; }

 private:
  Handler Wrap(const std::string& name, Handler fn);
  httplib::Server& server_;
  const Ledger& ledger_;
  Metrics& metrics_;
  int log_level_;
  size_t max_body_bytes_;
  std::vector<std::string> names_;
};

// What route groups need besides the router.
struct Context {
  Router& router;
  Ledger& ledger;
  Metrics& metrics;
  RequestAuthenticator& auth;
  // The latest checkpoint with witness cosignatures ("" when none; WitnessCollector).
  std::function<std::string()> witnessed_checkpoint = [] { return std::string(); };
  // Set on a mirror's server (ServerOptions::mirror).
  const Mirror* mirror = nullptr;
  // ServerOptions::max_batch_body_bytes: POST /v1/transactions:batch's own body limit.
  size_t max_batch_body_bytes = 16 << 20;
  // The signer's account, for a valid fresh signed request.
  Result<Account> Reader(const httplib::Request& req) const;
  // OK when the signed reader may see `subject`'s data: its own account, anything for the
  // roles registry and auditor, and a park's for a certifier the park engages for any year
  // ("access.not_engaged" otherwise; docs/certification.md §Engagements).
  Status MayRead(const httplib::Request& req, const std::string& subject) const;
  // The same for one park-year's private views: a certifier must be engaged for that year.
  Status MayReadParkYear(const httplib::Request& req, const std::string& park, int64_t year) const;
  // OK when the signed reader has one of the roles registry, certifier or auditor.
  Status Privileged(const httplib::Request& req) const;
};

void RegisterLedgerRoutes(Context& c);
void RegisterRegistryRoutes(Context& c);
void RegisterCertificationRoutes(Context& c);
void RegisterWebRoutes(Context& c);  // the explorer (docs/explorer.md)

}  // namespace api
}  // namespace carbonledger
