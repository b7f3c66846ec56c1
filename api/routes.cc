#include "api/routes.h"

#include <chrono>
#include <iostream>

#include "api/wire/problem.h"
#include "ledger/certification/reports.h"
#include "ledger/log/ledger.h"
#include "ledger/registry/accounts.h"

namespace carbonledger {

namespace api {

void SendProblem(httplib::Response& res, const Status& s, const std::string& instance) {
  res.status = HttpStatus(s.code());
  if (res.status == 429 || res.status == 503) res.set_header("Retry-After", "1");
  res.set_content(ProblemJson(s, instance).dump(), kProblemContentType);
}

void SendJson(httplib::Response& res, const nlohmann::json& j, int status) {
  res.status = status;
  res.set_content(j.dump(), "application/json");
}

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

Handler Router::Wrap(const std::string& name, Handler fn) {
  names_.push_back(name);
  return [this, name, fn](const httplib::Request& req, httplib::Response& res) {
    auto t0 = std::chrono::steady_clock::now();
    fn(req, res);
    // A handler that sets no status is answered 200 by httplib (206 for a range request);
    // count what is sent (the soak found /v1/checkpoint counted under status "-1").
    const int status = res.status != -1 ? res.status : req.ranges.empty() ? 200 : 206;
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    metrics_.ObserveRequest(name, status, secs);
    if (log_level_ >= 1) {
      std::cerr << nlohmann::json{{"msg", "request"}, {"method", req.method}, {"route", name},
                                  {"path", req.path}, {"status", status},     {"ms", secs * 1000}}
                       .dump()
                << "\n";
    }
  };
}

void Router::Get(const std::string& pattern, const std::string& name, Handler fn) {
  server_.Get(pattern, Wrap(name, [this, fn](const httplib::Request& req, httplib::Response& res) {
                StateReadScope one_state(ledger_);
                fn(req, res);
              }));
}

void Router::Post(const std::string& pattern, const std::string& name, Handler fn,
                  size_t max_body) {
  const size_t limit = max_body != 0 ? max_body : max_body_bytes_;
  // httplib buffers a chunked or length-less body whole before its payload limit applies
  // (only Content-Length is compared with it), so the body is read here, with a content
  // reader, and reading stops at the limit.
  Handler wrapped = Wrap(name, std::move(fn));
  server_.Post(pattern, [wrapped, limit](const httplib::Request& req, httplib::Response& res,
                                         const httplib::ContentReader& read) {
    std::string body;
    bool too_large = false;
    const bool complete = read([&](const char* data, size_t n) {
      if (n > limit - body.size()) {
        too_large = true;
        return false;
      }
      body.append(data, n);
      return true;
    });
    // httplib itself answers 413 for a Content-Length beyond the limit without calling back.
    if (too_large || res.status == 413) {
      res.set_header("Connection", "close");
      return SendProblem(
          res,
          Status::TooLarge("request.too_large",
                           "request body exceeds " + std::to_string(limit) + " bytes"),
          req.path);
    }
    if (!complete) {
      res.set_header("Connection", "close");
      return SendProblem(
          res, Status::InvalidArgument("request.body", "the request body could not be read"),
          req.path);
    }
    httplib::Request with_body = req;
    with_body.body = std::move(body);
    wrapped(with_body, res);
  });
}

Result<Account> Context::Reader(const httplib::Request& req) const {
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
  auto found = FindAccount(ledger.state(), *account);
  if (!found.ok()) return found.status();
  if (!found->has_value()) {
    return Status::Unauthenticated("auth.unknown_account",
                                   "keyid \"" + *account + "\" is not an account");
  }
  return **found;
}

namespace {
// The roles that read every account's data (docs/api.md §Signed requests). A certifier reads a
// park's only while the park engages it (docs/certification.md §Engagements).
bool MayReadAll(Role role) { return role == Role::kRegistry || role == Role::kAuditor; }

Status MayReadPark(const Ledger& ledger, const Account& reader, const std::string& subject,
                   std::optional<int64_t> year) {
  if (MayReadAll(reader.role) || reader.id == subject) return Status::OK();
  const std::string what =
      year ? "\"" + subject + "\" " + std::to_string(*year) : "\"" + subject + "\"";
  if (reader.role == Role::kCertifier) {
    auto engaged = CertifierMayRead(ledger.state(), reader.id, subject, year);
    if (!engaged.ok()) return engaged.status();
    if (*engaged) return Status::OK();
    return Status::PermissionDenied("access.not_engaged",
                                    "certifier \"" + reader.id + "\" is not engaged by " + what +
                                        " (certifier.engage, signed by the park)");
  }
  return Status::PermissionDenied("access.denied",
                                  "account \"" + reader.id + "\" may not read data of " + what);
}
}  // namespace

Status Context::Privileged(const httplib::Request& req) const {
  auto reader = Reader(req);
  if (!reader.ok()) return reader.status();
  if (MayReadAll(reader->role) || reader->role == Role::kCertifier) return Status::OK();
  return Status::PermissionDenied("access.denied", "role \"" + std::string(RoleName(reader->role)) +
                                                       "\" may not read this resource");
}

Status Context::MayRead(const httplib::Request& req, const std::string& subject) const {
  auto reader = Reader(req);
  if (!reader.ok()) return reader.status();
  return MayReadPark(ledger, *reader, subject, std::nullopt);
}

Status Context::MayReadParkYear(const httplib::Request& req, const std::string& park,
                                int64_t year) const {
  auto reader = Reader(req);
  if (!reader.ok()) return reader.status();
  return MayReadPark(ledger, *reader, park, year);
}

}  // namespace api

}  // namespace carbonledger
