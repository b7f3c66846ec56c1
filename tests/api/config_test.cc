#include "api/config.h"

#include <catch2/catch.hpp>
#include <fstream>

#include "tests/support/temp_dir.h"

using namespace carbonledger;

TEST_CASE("settings come from file, then environment, then flags", "[api][config]") {
  testing::TempDir dir;
  std::string file = dir.Sub("carbonledgerd.conf");
  {
    std::ofstream f(file);
    f << "# comment\ndata = /from/file\nthreads = 7\nlisten = 127.0.0.1:9000\n";
  }
  auto c = ParseDaemonConfig({"--config", file, "--listen", "127.0.0.1:9100"},
                             {{"CARBONLEDGER_THREADS", "9"},
                              {"CARBONLEDGER_LOG_LEVEL", "2"},
                              {"CARBONLEDGER_STORE_RETRY_MS", "250"}});
  REQUIRE(c.ok());
  CHECK(c->data == "/from/file");  // file
  CHECK(c->server.threads == 9);   // environment over file
  CHECK(c->server.port == 9100);   // flag over file
  CHECK(c->server.log_level == 2);
  CHECK(c->store_retry_ms == 250);
  auto d = ParseDaemonConfig({}, {});
  REQUIRE(d.ok());
  CHECK(d->data == "data");
  CHECK(d->server.host == "127.0.0.1");
  CHECK(d->server.port == 8620);
  CHECK(d->store_retry_ms == 1000);
}

TEST_CASE("bad settings are refused naming the setting", "[api][config]") {
  CHECK(ParseDaemonConfig({"--bogus", "1"}, {}).status().message().find("--bogus") !=
        std::string::npos);
  CHECK(ParseDaemonConfig({"--threads", "0"}, {}).status().reason() == "config.threads");
  CHECK(ParseDaemonConfig({"--store-retry-ms", "5"}, {}).status().reason() ==
        "config.store-retry-ms");
  CHECK(ParseDaemonConfig({"--listen", "nohost"}, {}).status().reason() == "config.listen");
  CHECK(ParseDaemonConfig({"--listen", "h:99999"}, {}).status().reason() == "config.listen");
  CHECK(ParseDaemonConfig({"--data"}, {}).status().message().find("needs a value") !=
        std::string::npos);
  auto help = DaemonHelp();
  for (const auto& s : ConfigSettings())
    CHECK(help.find(std::string("--") + s.name) != std::string::npos);
}
