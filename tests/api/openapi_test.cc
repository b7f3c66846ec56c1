#include "api/openapi.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/support/server_fixture.h"

using namespace carbonledger;

TEST_CASE("the server serves docs/openapi.yaml as JSON at /v1/openapi.json", "[api][openapi]") {
  testing::ServerFixture fx;
  auto doc = nlohmann::json::parse(OpenApiJson());
  CHECK(doc["openapi"].get<std::string>().rfind("3.", 0) == 0);
  auto served = fx.http().Get("/v1/openapi.json");
  REQUIRE(served);
  CHECK(served->status == 200);
  CHECK(nlohmann::json::parse(served->body) == doc);
}

TEST_CASE("every registered route is documented in openapi.yaml and every documented route exists",
          "[api][openapi]") {
  testing::LedgerFixture fx;
  ServerOptions o;
  o.port = 0;
  o.log_level = 0;
  ApiServer server(o, fx.ledger());
  REQUIRE(server.Bind().ok());
  std::set<std::string> registered(server.routes().begin(), server.routes().end());
  auto doc = nlohmann::json::parse(OpenApiJson());
  std::set<std::string> documented;
  for (auto& [path, item] : doc["paths"].items()) {
    for (auto& [method, op] : item.items()) {
      std::string m = method;
      std::transform(m.begin(), m.end(), m.begin(), ::toupper);
      documented.insert(m + " " + path);
    }
  }
  for (const auto& r : registered) {
    INFO("registered but not documented: " << r);
    CHECK(documented.count(r) == 1);
  }
  for (const auto& d : documented) {
    INFO("documented but not registered: " << d);
    CHECK(registered.count(d) == 1);
  }
}
