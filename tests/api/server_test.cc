#include "api/server.h"

#include <httplib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <thread>

using namespace carbonledger;

TEST_CASE("the server answers /v1/health on an ephemeral loopback port", "[api][server]") {
  ServerOptions o;
  o.port = 0;
  ApiServer server(o);
  REQUIRE(server.Bind().ok());
  REQUIRE(server.port() > 0);
  std::thread t([&] { server.Serve(); });
  httplib::Client cli("127.0.0.1", server.port());
  auto res = cli.Get("/v1/health");
  server.Stop();
  t.join();
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(nlohmann::json::parse(res->body) == nlohmann::json{{"status", "ok"}});
}

TEST_CASE("a half-given TLS configuration is refused", "[api][server]") {
  ServerOptions o;
  o.port = 0;
  o.tls_cert_file = "cert.pem";
  ApiServer server(o);
  CHECK(server.Bind().reason() == "config.tls");
}
