// The explorer: static files served at / and /web/{file} from the copies embedded in the binary
// (api/web_files.h, docs/explorer.md). Only the embedded names exist, so no path can reach a
// file outside api/web/. Every file carries a strict Content-Security-Policy (scripts and
// styles from this origin only, no inline code, no request to any other host) and an ETag;
// Cache-Control: no-cache makes the browser revalidate, which costs a 304 when nothing changed.
#include "api/routes.h"
#include "api/web_files.h"

namespace carbonledger::api {
namespace {

constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

const WebFile* FindWebFile(std::string_view name) {
  for (const WebFile& f : WebFiles()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

void SendWebFile(const httplib::Request& req, httplib::Response& res, const WebFile& f) {
  res.set_header("Content-Security-Policy", kContentSecurityPolicy);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cache-Control", "no-cache");
  res.set_header("ETag", std::string(f.etag));
  if (req.get_header_value("If-None-Match") == f.etag) {
    res.status = 304;
    return;
  }
  res.set_content(std::string(f.body), std::string(f.content_type));
}

}  // namespace

void RegisterWebRoutes(Context& c) {
  c.router.Get("/", "GET /", [](const httplib::Request& req, httplib::Response& res) {
    const WebFile* index = FindWebFile("index.html");
    if (index == nullptr) {
      return SendProblem(res, Status::NotFound("web.not_found", "no explorer in this build"),
                         req.path);
    }
    SendWebFile(req, res, *index);
  });
  c.router.Get(R"(/web/([A-Za-z0-9._-]{1,64}))", "GET /web/{file}",
               [](const httplib::Request& req, httplib::Response& res) {
                 const WebFile* f = FindWebFile(req.matches[1].str());
                 if (f == nullptr) {
                   return SendProblem(
                       res,
                       Status::NotFound("web.not_found",
                                        "no explorer file \"" + req.matches[1].str() + "\""),
                       req.path);
                 }
                 SendWebFile(req, res, *f);
               });
}

}  // namespace carbonledger::api
