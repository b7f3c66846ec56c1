#include "api/wire/gzip.h"

#include <catch2/catch.hpp>

using namespace carbonledger;

TEST_CASE("gzip round-trips, and Accept-Encoding is read with its weights", "[api][gzip]") {
  std::string data;
  for (int i = 0; i < 5000; ++i) data += "{\"seq\":" + std::to_string(i) + "}";
  std::string gz = Gzip(data);
  CHECK(gz.size() < data.size() / 4);
  CHECK(gz.substr(0, 2) == "\x1f\x8b");
  CHECK(Gzip(data) == gz);  // deterministic
  auto back = Gunzip(gz);
  REQUIRE(back.ok());
  CHECK(*back == data);
  CHECK(Gunzip(gz.substr(0, gz.size() - 4)).status().reason() == "gzip.data");
  CHECK(Gunzip(gz + "x").status().reason() == "gzip.data");
  CHECK(Gunzip("not gzip").status().reason() == "gzip.data");
  CHECK(Gunzip(gz, 100).status().reason() == "gzip.data");
  CHECK(Gunzip(Gzip("")).value().empty());

  CHECK(AcceptsGzip("gzip"));
  CHECK(AcceptsGzip("deflate, GZIP;q=0.5"));
  CHECK(AcceptsGzip("gzip, deflate, br, zstd"));  // Chromium's
  CHECK(AcceptsGzip("*"));
  CHECK(AcceptsGzip("identity, x-gzip"));
  CHECK_FALSE(AcceptsGzip(""));
  CHECK_FALSE(AcceptsGzip("identity"));
  CHECK_FALSE(AcceptsGzip("gzip;q=0"));
  CHECK_FALSE(AcceptsGzip("gzip;q=0.000, *"));
  CHECK_FALSE(AcceptsGzip("br, *;q=0"));
  CHECK_FALSE(AcceptsGzip("gzip;q=nonsense"));
}
