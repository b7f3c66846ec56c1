// The explorer's static files (api/web_routes.cc): served from the binary with their content
// types, a strict Content-Security-Policy and ETags; only embedded names exist; the page and
// its modules reference nothing that is missing and nothing outside this origin. The pages
// themselves are tested in a browser by tests/browser/explorer.test.mjs.
#include <catch2/catch.hpp>
#include <regex>
#include <set>

#include "api/web_files.h"
#include "tests/support/server_fixture.h"

using namespace carbonledger;

namespace {

const api::WebFile* Find(std::string_view name) {
  for (const auto& f : api::WebFiles()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

// Every match of group 1 of `pattern` in `text`.
std::vector<std::string> Matches(std::string_view text, const std::string& pattern) {
  std::vector<std::string> out;
  std::regex re(pattern);
  for (std::cregex_iterator it(text.data(), text.data() + text.size(), re), end; it != end; ++it) {
    out.push_back((*it)[1].str());
  }
  return out;
}

}  // namespace

TEST_CASE("the explorer is served at / with a strict CSP, its type and an ETag", "[api][web]") {
  testing::ServerFixture fx;
  auto page = fx.http().Get("/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  const std::string csp = page->get_header_value("Content-Security-Policy");
  CHECK(csp.find("default-src 'self'") != std::string::npos);
  CHECK(csp.find("script-src 'self'") != std::string::npos);
  CHECK(csp.find("unsafe") == std::string::npos);
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(page->get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK(page->get_header_value("Cache-Control") == "no-cache");
  CHECK(page->body == Find("index.html")->body);

  const std::string etag = page->get_header_value("ETag");
  REQUIRE(etag.size() > 2);
  auto again = fx.http().Get("/", {{"If-None-Match", etag}});
  REQUIRE(again);
  CHECK(again->status == 304);
  CHECK(again->body.empty());
  auto changed = fx.http().Get("/", {{"If-None-Match", "\"other\""}});
  REQUIRE(changed);
  CHECK(changed->status == 200);

  for (const auto& f : api::WebFiles()) {
    INFO(f.name);
    auto r = fx.http().Get("/web/" + std::string(f.name));
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == f.content_type);
    CHECK(r->get_header_value("Content-Security-Policy") == csp);
    CHECK(r->body == f.body);
  }
}

TEST_CASE("only embedded files exist: other paths are problem 404s, the API is untouched",
          "[api][web]") {
  testing::ServerFixture fx;
  for (const char* path :
       {"/web/nope.js", "/web/", "/web/..%2Fweb_routes.cc", "/web/../api/server.cc",
        "/web/%2e%2e/CMakeLists.txt", "/index.html", "/app.js", "/nope", "/web/index.html/x"}) {
    INFO(path);
    auto r = fx.http().Get(path);
    REQUIRE(r);
    CHECK(r->status == 404);
    CHECK(r->get_header_value("Content-Type") == "application/problem+json");
  }
  for (const char* path : {"/checkpoint", "/v1/checkpoint", "/metrics", "/v1/health",
                           "/v1/registry/totals", "/v1/openapi.json", "/tile/0/000.p/1"}) {
    INFO(path);
    auto r = fx.http().Get(path);
    REQUIRE(r);
    CHECK(r->status == 200);
  }
}

TEST_CASE("the page and its modules reference only embedded files and run no inline code",
          "[api][web]") {
  const api::WebFile* index = Find("index.html");
  REQUIRE(index != nullptr);
  std::set<std::string> referenced;
  for (const auto& ref : Matches(index->body, R"((?:src|href)="/web/([^"]+)\")")) {
    referenced.insert(ref);
  }
  CHECK(referenced.count("app.js") == 1);
  CHECK(referenced.count("style.css") == 1);
  // No inline script, handler or style: the CSP would refuse them.
  CHECK(Matches(index->body, R"((<script(?![^>]*\bsrc=)[^>]*>))").empty());
  CHECK(Matches(index->body, R"(\s(on[a-z]+)=)").empty());
  CHECK(Matches(index->body, R"(\s(style)=)").empty());
  for (const auto& f : api::WebFiles()) {
    INFO(f.name);
    if (f.name.ends_with(".js")) {
      for (const auto& m : Matches(f.body, R"(from '\./([^']+)')")) referenced.insert(m);
      // Server data becomes text nodes, never markup; no code from strings.
      CHECK(Matches(f.body, R"((innerHTML|outerHTML|insertAdjacentHTML|document\.write))").empty());
      CHECK(Matches(f.body, R"(\b(eval|new Function)\()").empty());
    }
    // Nothing is loaded from another host: no CDN, no web font.
    // (The SVG namespace is a name, not a request.)
    CHECK(Matches(f.body, R"(((?:https?:)?//(?!www\.w3\.org/2000/svg)[a-z0-9.-]+\.[a-z]{2,}/))")
              .empty());
  }
  for (const auto& name : referenced) {
    INFO("referenced but not embedded: " << name);
    CHECK(Find(name) != nullptr);
  }
}

TEST_CASE("the park list is paged by id: after, limit and next", "[api][web]") {
  testing::ServerFixture fx;
  for (const char* id : {"park-c", "park-a", "park-b"}) {
    fx.CreateAccount(id, "park", {{"name", id}, {"region", "340100"}});
  }
  fx.CreateAccount("auditor-1", "auditor");  // no park: not listed
  std::vector<std::string> ids;
  std::string after;
  for (int page = 0; page < 5; ++page) {
    std::string target = "/v1/parks?limit=2";
    if (!after.empty()) target += "&after=" + after;
    auto r = fx.http().Get(target.c_str());
    REQUIRE(r);
    REQUIRE(r->status == 200);
    auto j = nlohmann::json::parse(r->body);
    for (const auto& p : j["parks"]) ids.push_back(p["id"].get<std::string>());
    if (!j.contains("next")) break;
    CHECK(j["next"] == j["parks"].back()["id"]);
    after = j["next"].get<std::string>();
  }
  CHECK(ids == std::vector<std::string>{"park-a", "park-b", "park-c"});
  testing::ExpectProblem(fx.http().Get("/v1/parks?limit=0"), 400, "query.param");
  testing::ExpectProblem(fx.http().Get("/v1/parks?limit=1001"), 400, "query.param");
  testing::ExpectProblem(fx.http().Get("/v1/parks?limit=x"), 400, "query.param");
  testing::ExpectProblem(fx.http().Get("/v1/parks?after=%2F..%2F"), 400, "query.param");
}

TEST_CASE("the park list and the policy profiles are public", "[api][web]") {
  testing::ServerFixture fx;
  fx.CreateAccount("park-a", "park", {{"name", "园区 A"}, {"region", "340100"}});
  fx.CreateAccount("auditor-1", "auditor");
  auto parks = fx.http().Get("/v1/parks");
  REQUIRE(parks);
  CHECK(parks->status == 200);
  auto j = nlohmann::json::parse(parks->body);
  REQUIRE(j["parks"].size() == 1);
  CHECK(j["parks"][0] == nlohmann::json{{"id", "park-a"},
                                        {"name", "园区 A"},
                                        {"region", "340100"},
                                        {"years", nlohmann::json::array()}});
  auto profiles = fx.http().Get("/v1/profiles");
  REQUIRE(profiles);
  CHECK(profiles->status == 200);
  std::set<std::string> ids;
  const auto list = nlohmann::json::parse(profiles->body);
  for (const auto& p : list["profiles"]) {
    ids.insert(p["id"].get<std::string>());
    CHECK(!p["title"].get<std::string>().empty());
  }
  CHECK(ids.count("anhui-2024") == 1);
}
