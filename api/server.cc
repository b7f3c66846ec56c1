#include "api/server.h"

#include <httplib.h>

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "api/metrics.h"
#include "api/problem.h"
#include "api/request_auth.h"
#include "api/tiles.h"
#include "crypto/encoding.h"
#include "ledger/ledger.h"
#include "ledger/rules.h"

namespace carbonledger {

struct ApiServer::Impl {
  ServerOptions options;
  Ledger& ledger;
  Metrics metrics;
  RequestAuthenticator auth;
  std::unique_ptr<httplib::Server> http;
  int port = 0;

  Impl(ServerOptions o, Ledger& l) : options(std::move(o)), ledger(l) {}
  void RegisterRoutes();
  // The account record of the request's signer, when the signature is valid and fresh.
  Result<nlohmann::json> Reader(const httplib::Request& req);
  // Reader may see `subject`'s data: its own, or everything for registry, certifier, auditor.
  Status MayRead(const httplib::Request& req, const std::string& subject);
};

Result<nlohmann::json> ApiServer::Impl::Reader(const httplib::Request& req) {
  std::string query;
  if (auto q = req.target.find('?'); q != std::string::npos) query = req.target.substr(q);
  std::string digest = req.get_header_value("Content-Digest");
  std::string input = req.get_header_value("Signature-Input");
  std::string sig = req.get_header_value("Signature");
  RequestAuthenticator::Request r{req.method, req.path, query, req.body, digest, input, sig};
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  auto account = auth.Authenticate(r, now, ledger.state());
  if (!account.ok()) return account.status();
  auto record = GetRecord(ledger.state(), AccountKey(*account));
  if (!record.ok()) return record.status();
  return **record;
}

Status ApiServer::Impl::MayRead(const httplib::Request& req, const std::string& subject) {
  auto reader = Reader(req);
  if (!reader.ok()) return reader.status();
  const std::string role = (*reader)["role"];
  if (role == "registry" || role == "certifier" || role == "auditor") return Status::OK();
  if ((*reader)["id"] == subject) return Status::OK();
  return Status::PermissionDenied("access.denied",
                                  "account \"" + (*reader)["id"].get<std::string>() +
                                      "\" may not read data of \"" + subject + "\"");
}

namespace {

using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

void SendProblem(httplib::Response& res, const Status& s, const std::string& instance) {
  res.status = HttpStatus(s.code());
  res.set_content(ProblemJson(s, instance).dump(), kProblemContentType);
}

void SendJson(httplib::Response& res, const nlohmann::json& j, int status = 200) {
  res.status = status;
  res.set_content(j.dump(), "application/json");
}

// A query parameter that must be an unsigned decimal integer.
Result<std::optional<uint64_t>> QueryU64(const httplib::Request& req, const std::string& name) {
  if (!req.has_param(name.c_str())) return std::optional<uint64_t>();
  std::string v = req.get_param_value(name.c_str());
  if (v.empty() || v.size() > 19 || v.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument("query.param",
                                   "query parameter " + name + " must be a non-negative integer");
  }
  return std::optional<uint64_t>(std::stoull(v));
}

Result<uint64_t> RequireU64(const httplib::Request& req, const std::string& name) {
  auto v = QueryU64(req, name);
  if (!v.ok()) return v.status();
  if (!v->has_value()) {
    return Status::InvalidArgument("query.param", "query parameter " + name + " is required");
  }
  return **v;
}

template <size_t N>
std::string B64(const std::array<uint8_t, N>& h) {
  return Base64Encode(AsBytes(h));
}

nlohmann::json EntryJson(const StoredEntry& e) {
  nlohmann::json tx = nlohmann::json::parse(e.entry.tx, nullptr, false);
  return {{"seq", e.entry.seq},
          {"accepted_ms", e.entry.accepted_ms},
          {"signer_key", B64(e.entry.signer_key)},
          {"signature", B64(e.entry.signature)},
          {"tx", tx},
          {"leaf_hash", B64(e.leaf_hash)},
          {"chain", B64(e.chain)},
          {"entry", Base64Encode(e.bytes)}};
}

nlohmann::json HashList(const std::vector<Hash>& hashes) {
  nlohmann::json out = nlohmann::json::array();
  for (const Hash& h : hashes) out.push_back(B64(h));
  return out;
}

}  // namespace

void ApiServer::Impl::RegisterRoutes() {
  httplib::Server& s = *http;
  // Every handler is wrapped: timing, metrics, one log line, problem+json for escapes.
  auto route = [&](const char* method, const std::string& pattern, const std::string& name,
                   Handler fn) {
    Handler wrapped = [this, name, fn](const httplib::Request& req, httplib::Response& res) {
      auto t0 = std::chrono::steady_clock::now();
      fn(req, res);
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      metrics.ObserveRequest(name, res.status, secs);
      if (options.log_level >= 1) {
        std::cerr << nlohmann::json{{"msg", "request"}, {"method", req.method}, {"route", name},
                                    {"path", req.path}, {"status", res.status}, {"ms", secs * 1000}}
                         .dump()
                  << "\n";
      }
    };
    if (std::string(method) == "GET") {
      s.Get(pattern, wrapped);
    } else {
      s.Post(pattern, wrapped);
    }
  };

  route("GET", "/v1/health", "GET /v1/health", [this](const auto&, auto& res) {
    Status h = ledger.health();
    SendJson(res, {{"status", h.ok() ? "ok" : "degraded"}, {"entries", ledger.size()}},
             h.ok() ? 200 : 503);
  });

  route("POST", "/v1/transactions", "POST /v1/transactions", [this](const auto& req, auto& res) {
    auto r = ledger.Submit(req.body);
    if (!r.ok()) return SendProblem(res, r.status(), req.path);
    SendJson(res,
             {{"seq", r->seq},
              {"entry_hash", B64(r->leaf_hash)},
              {"checkpoint", r->checkpoint},
              {"duplicate", r->duplicate}},
             r->duplicate ? 200 : 201);
  });

  auto checkpoint = [this](const auto&, auto& res) {
    res.set_header("Cache-Control", "no-cache");
    res.set_content(ledger.checkpoint(), "text/plain; charset=utf-8");
  };
  route("GET", "/v1/checkpoint", "GET /v1/checkpoint", checkpoint);
  route("GET", "/checkpoint", "GET /checkpoint", checkpoint);

  route("GET", R"(/v1/entries/(\d{1,19}))", "GET /v1/entries/{seq}",
        [this](const auto& req, auto& res) {
          auto e = ledger.GetEntry(std::stoull(req.matches[1].str()));
          if (!e.ok()) return SendProblem(res, e.status(), req.path);
          SendJson(res, EntryJson(*e));
        });

  route("GET", "/v1/entries", "GET /v1/entries", [this](const auto& req, auto& res) {
    auto start = QueryU64(req, "start");
    auto limit = QueryU64(req, "limit");
    if (!start.ok()) return SendProblem(res, start.status(), req.path);
    if (!limit.ok()) return SendProblem(res, limit.status(), req.path);
    uint64_t from = start->value_or(0);
    uint64_t n = std::min<uint64_t>(limit->value_or(100), 1000);
    uint64_t size = ledger.size();
    nlohmann::json entries = nlohmann::json::array();
    for (uint64_t seq = from; seq < size && seq - from < n; ++seq) {
      auto e = ledger.GetEntry(seq);
      if (!e.ok()) return SendProblem(res, e.status(), req.path);
      entries.push_back(EntryJson(*e));
    }
    SendJson(res, {{"start", from}, {"tree_size", size}, {"entries", entries}});
  });

  route("GET", "/v1/proofs/inclusion", "GET /v1/proofs/inclusion",
        [this](const auto& req, auto& res) {
          auto seq = RequireU64(req, "seq");
          if (!seq.ok()) return SendProblem(res, seq.status(), req.path);
          auto size = QueryU64(req, "tree_size");
          if (!size.ok()) return SendProblem(res, size.status(), req.path);
          uint64_t n = size->value_or(ledger.size());
          auto e = ledger.GetEntry(*seq);
          if (!e.ok()) return SendProblem(res, e.status(), req.path);
          auto proof = ledger.InclusionProof(*seq, n);
          if (!proof.ok()) return SendProblem(res, proof.status(), req.path);
          SendJson(res, {{"leaf_index", *seq},
                         {"tree_size", n},
                         {"leaf_hash", B64(e->leaf_hash)},
                         {"entry", Base64Encode(e->bytes)},
                         {"hashes", HashList(*proof)}});
        });

  route("GET", "/v1/proofs/consistency", "GET /v1/proofs/consistency",
        [this](const auto& req, auto& res) {
          auto from = RequireU64(req, "from");
          if (!from.ok()) return SendProblem(res, from.status(), req.path);
          auto to = QueryU64(req, "to");
          if (!to.ok()) return SendProblem(res, to.status(), req.path);
          uint64_t n = to->value_or(ledger.size());
          auto proof = ledger.ConsistencyProof(*from, n);
          if (!proof.ok()) return SendProblem(res, proof.status(), req.path);
          SendJson(res, {{"from", *from}, {"to", n}, {"hashes", HashList(*proof)}});
        });

  route("GET", R"(/tile/(.+))", "GET /tile/{path}", [this](const auto& req, auto& res) {
    auto tile = ParseTilePath(req.matches[1].str());
    if (!tile) {
      return SendProblem(res, Status::NotFound("tile.path", "not a tile path"), req.path);
    }
    std::string body;
    uint64_t first = tile->index * kTileWidth;
    if (tile->entries) {
      if (first + tile->width > ledger.size()) {
        return SendProblem(res, Status::NotFound("tile.range", "tile beyond the tree"), req.path);
      }
      for (uint64_t seq = first; seq < first + tile->width; ++seq) {
        auto e = ledger.GetEntry(seq);
        if (!e.ok()) return SendProblem(res, e.status(), req.path);
        body.push_back(char(e->bytes.size() >> 8));
        body.push_back(char(e->bytes.size() & 0xff));
        body += e->bytes;
      }
    } else {
      for (uint64_t i = first; i < first + tile->width; ++i) {
        auto h = ledger.NodeHash(tile->level * kTileHeight, i);
        if (!h.ok()) return SendProblem(res, h.status(), req.path);
        body.append(AsBytes(*h));
      }
    }
    // Full tiles never change; partial tiles are superseded as the tree grows.
    res.set_header("Cache-Control",
                   tile->width == kTileWidth ? "public, max-age=31536000, immutable" : "no-cache");
    res.set_content(body, "application/octet-stream");
  });

  route("GET", R"(/v1/accounts/([a-z0-9][a-z0-9._-]{0,63}))", "GET /v1/accounts/{id}",
        [this](const auto& req, auto& res) {
          std::string id = req.matches[1].str();
          if (Status s = MayRead(req, id); !s.ok()) return SendProblem(res, s, req.path);
          auto record = GetRecord(ledger.state(), AccountKey(id));
          if (!record.ok()) return SendProblem(res, record.status(), req.path);
          if (!record->has_value()) {
            return SendProblem(
                res, Status::NotFound("account.unknown", "no account \"" + id + "\""), req.path);
          }
          SendJson(res, **record);
        });

  route("GET", "/metrics", "GET /metrics", [this](const auto&, auto& res) {
    res.set_content(metrics.Render(ledger), "text/plain; version=0.0.4");
  });

  s.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (res.status == 404 && res.body.empty()) {
      SendProblem(res,
                  Status::NotFound("route.not_found", "no route " + req.method + " " + req.path),
                  req.path);
    } else if (res.status == 413) {
      SendProblem(res,
                  Status::TooLarge(
                      "request.too_large",
                      "request body exceeds " + std::to_string(options.max_body_bytes) + " bytes"),
                  req.path);
    }
  });
}

const std::vector<std::string>& ApiServer::Routes() {
  static const std::vector<std::string> routes = {
      "GET /v1/health",           "POST /v1/transactions",
      "GET /v1/checkpoint",       "GET /checkpoint",
      "GET /v1/entries/{seq}",    "GET /v1/entries",
      "GET /v1/proofs/inclusion", "GET /v1/proofs/consistency",
      "GET /tile/{path}",         "GET /metrics"};
  return routes;
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
  impl_->RegisterRoutes();
  if (o.port == 0) {
    impl_->port = s.bind_to_any_port(o.host);
  } else {
    impl_->port = s.bind_to_port(o.host, o.port) ? o.port : -1;
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
