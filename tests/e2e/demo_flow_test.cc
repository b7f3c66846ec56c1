// End-to-end: the demo scenario through the real daemon and CLI — accounts, issuance,
// transfers, claims, retirements, inventories, a certification statement — then the statement
// bundle verified offline, every edit to it refused, and verify-ledger after shutdown.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "ledger/certification/bundle.h"
#include "ledger/registry/genesis.h"
#include "tests/support/bin_path.h"
#include "tests/support/temp_dir.h"
#include "tools/process.h"

using namespace carbonledger;
using namespace carbonledger::process;
using carbonledger::testing::BinPath;
using carbonledger::testing::TempDir;

namespace {

// Calls fn on every leaf (string, number, boolean) of a JSON document, by JSON pointer.
void ForEachLeaf(const nlohmann::json& j, const std::string& at,
                 const std::function<void(const std::string&)>& fn) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) ForEachLeaf(it.value(), at + "/" + it.key(), fn);
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) ForEachLeaf(j[i], at + "/" + std::to_string(i), fn);
  } else {
    fn(at);
  }
}

// A changed copy of a leaf value of the same type.
nlohmann::json Changed(const nlohmann::json& v) {
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    if (s.empty()) return "x";
    s[s.size() / 2] = s[s.size() / 2] == 'A' ? 'B' : 'A';
    return s;
  }
  if (v.is_boolean()) return !v.get<bool>();
  if (v.is_number_unsigned()) return v.get<uint64_t>() + 1;
  return v.get<int64_t>() + 1;
}

}  // namespace

TEST_CASE("the demo runs through the API and its statement verifies offline, edits do not",
          "[e2e][demo]") {
  TempDir dir;
  std::string data = dir.Sub("data");
  REQUIRE(Run(BinPath("carbonledger"), {"init", "--data", data, "--origin", "demo.e2e/log"})
              .exit_code == 0);
  Daemon d(BinPath("carbonledgerd"));
  REQUIRE(d.Start({"--data", data}));
  std::string server = "http://127.0.0.1:" + std::to_string(d.port());
  auto demo = Run(BinPath("carbonledger"), {"demo", "--server", server, "--data", data});
  INFO(demo.out);
  REQUIRE(demo.exit_code == 0);
  size_t at = demo.out.find("statement is S");
  REQUIRE(at != std::string::npos);
  std::string id = demo.out.substr(at + 13, demo.out.find(' ', at + 13) - at - 13);
  CHECK(demo.out.find("(verdict pass)") != std::string::npos);

  // Neutrality and evaluation read by the auditor, through the CLI.
  auto neutrality = Run(BinPath("carbonledger"),
                        {"get", "/v1/parks/park-hefei/years/2025/neutrality?profile=anhui-2024",
                         "--server", server, "--key", data + "/keys/auditor-1.key", "--json"});
  REQUIRE(neutrality.exit_code == 0);
  auto n = nlohmann::json::parse(neutrality.out);
  CHECK(n["neutrality"]["verdict"] == "pass");
  CHECK(n["neutrality"]["cap"]["base"] == "gross");
  // A park may not read another park's figures.
  auto denied =
      Run(BinPath("carbonledger"), {"get", "/v1/parks/park-hefei/years/2025/inventory", "--server",
                                    server, "--key", data + "/keys/park-lanzhou.key"});
  CHECK(denied.exit_code == 1);
  CHECK(denied.out.find("access.denied") != std::string::npos);
  auto eval =
      Run(BinPath("carbonledger"), {"get", "/v1/parks/park-hefei/years/2025/evaluation", "--server",
                                    server, "--key", data + "/keys/certifier-1.key", "--json"});
  REQUIRE(eval.exit_code == 0);
  auto evaluated = nlohmann::json::parse(eval.out);
  CHECK(evaluated["evaluation"].contains("stars"));
  // Every shipped scheme, each indicator with its value, rule, source and reading
  // (docs/evaluations.md): the national core indicator and the Anhui index as data.
  std::map<std::string, nlohmann::json> schemes;
  for (const auto& e : evaluated["evaluations"]) schemes[e["scheme"]["id"]] = e;
  REQUIRE(schemes.contains("national-2025"));
  REQUIRE(schemes.contains("anhui-2024"));
  const auto& core = schemes["national-2025"]["lines"][0];
  CHECK(core["id"] == "co2_per_tce");
  CHECK(core["value"].get<std::string>().ends_with(" tCO2/tce"));
  CHECK(core["rule"].get<std::string>().starts_with("<= 0.20 tCO2/tce"));
  CHECK(core["source"].get<std::string>().find("910") != std::string::npos);
  CHECK_FALSE(core["reading"].get<std::string>().empty());
  CHECK(schemes["national-2025"]["tier"]["id"] == "below-20");
  CHECK(schemes["anhui-2024"]["total"] == evaluated["evaluation"]["total"]);
  CHECK(schemes["anhui-2024"]["stars"] == evaluated["evaluation"]["stars"]);

  // The bundle, downloaded and checked offline with the log key.
  auto bundle = Run(BinPath("carbonledger"),
                    {"get", "/v1/statements/" + id + "/bundle", "--server", server, "--json"});
  REQUIRE(bundle.exit_code == 0);
  std::string bundle_file = dir.Sub("bundle.json");
  std::ofstream(bundle_file) << bundle.out;
  auto ok = Run(BinPath("carbonledger"),
                {"verify-statement", "--bundle", bundle_file, "--log-key", LogPublicKeyPath(data)});
  INFO(ok.out);
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("verdict pass") != std::string::npos);

  // Every single edit of any value in the bundle is refused.
  auto log_key = ParsePublicKey(std::string(
      std::istreambuf_iterator<char>(*std::make_unique<std::ifstream>(LogPublicKeyPath(data))),
      {}));
  REQUIRE(log_key.ok());
  const nlohmann::json original = nlohmann::json::parse(bundle.out);
  REQUIRE(VerifyStatementBundle(original.dump(), *log_key).ok());
  int tried = 0, refused = 0;
  ForEachLeaf(original, "", [&](const std::string& pointer) {
    nlohmann::json edited = original;
    nlohmann::json::json_pointer p(pointer);
    edited[p] = Changed(edited[p]);
    ++tried;
    auto r = VerifyStatementBundle(edited.dump(), *log_key);
    INFO("edited " << pointer);
    CHECK_FALSE(r.ok());
    refused += r.ok() ? 0 : 1;
  });
  CHECK(tried > 50);
  CHECK(refused == tried);
  // Another log's key does not vouch for this bundle.
  CHECK_FALSE(
      VerifyStatementBundle(original.dump(),
                            NamedPublicKey{log_key->name, SigningKey::Generate().public_key()})
          .ok());

  CHECK(d.Stop() == 0);
  auto v = Run(BinPath("carbonledger"),
               {"verify-ledger", "--data", data, "--log-key", LogPublicKeyPath(data)});
  INFO(v.out);
  CHECK(v.exit_code == 0);
}

namespace {

// Whether `needle` is in `body` or in the bytes of any base64 string inside it (entries travel
// base64-encoded in JSON answers and bundles).
bool InStrings(const nlohmann::json& v, const std::string& needle) {
  if (v.is_object() || v.is_array()) {
    for (const auto& child : v) {
      if (InStrings(child, needle)) return true;
    }
    return false;
  }
  if (!v.is_string()) return false;
  auto bytes = Base64Decode(v.get<std::string>());
  return bytes.ok() && bytes->find(needle) != std::string::npos;
}

bool Reveals(const std::string& body, const std::string& needle) {
  if (body.find(needle) != std::string::npos) return true;
  auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  return !parsed.is_discarded() && InStrings(parsed, needle);
}

}  // namespace

TEST_CASE("after the demo no public route serves the inventory's quantities, and signed reads do",
          "[e2e][demo][confidential]") {
  TempDir dir;
  std::string data = dir.Sub("data");
  REQUIRE(Run(BinPath("carbonledger"), {"init", "--data", data, "--origin", "demo.e2e/log"})
              .exit_code == 0);
  Daemon d(BinPath("carbonledgerd"));
  REQUIRE(d.Start({"--data", data}));
  const std::string server = "http://127.0.0.1:" + std::to_string(d.port());
  auto demo = Run(BinPath("carbonledger"), {"demo", "--server", server, "--data", data});
  INFO(demo.out);
  REQUIRE(demo.exit_code == 0);
  // Hefei's activity data (docs/demo.md): the gas it burnt and its value added. (Its 60,000 MWh
  // of direct supply and Lanzhou's 20,000 MWh of grid imports are also the sizes of public GEC
  // issuances of the demo, so they cannot tell a leak.)
  const std::vector<std::string> quantities = {"1300000", "250000"};

  httplib::Client http("127.0.0.1", d.port());
  auto get = [&](const std::string& path) {
    auto r = http.Get(path);
    REQUIRE(r);
    INFO(path << " -> " << r->status);
    CHECK((r->status == 200 || (r->status == 404 && path.ends_with("/engagement"))));
    return r->body;
  };
  const std::string note = get("/checkpoint");
  const uint64_t size = std::stoull(note.substr(note.find('\n') + 1));
  REQUIRE(size > 20);
  REQUIRE(size < 256);  // one partial tile of each kind
  std::vector<std::string> paths = {"/",
                                    "/v1/health",
                                    "/v1/checkpoint",
                                    "/checkpoint",
                                    "/metrics",
                                    "/v1/parks",
                                    "/v1/profiles",
                                    "/v1/entries?limit=1000",
                                    "/v1/openapi.json",
                                    "/tile/0/000.p/" + std::to_string(size),
                                    "/tile/entries/000.p/" + std::to_string(size)};
  for (const char* f : {"api.js", "app.js", "auth.js", "entry.js", "index.html", "park.js",
                        "registry.js", "style.css", "trace.js", "ui.js", "verify.js"}) {
    paths.push_back(std::string("/web/") + f);
  }
  for (uint64_t seq = 0; seq < size; ++seq) paths.push_back("/v1/entries/" + std::to_string(seq));
  for (const char* park : {"park-hefei", "park-lanzhou"}) {
    for (const char* view : {"statements", "claims", "retirements", "engagement"}) {
      paths.push_back(std::string("/v1/parks/") + park + "/years/2025/" + view);
    }
  }
  auto statements = nlohmann::json::parse(get("/v1/parks/park-hefei/years/2025/statements"));
  REQUIRE(!statements["statements"].empty());
  const std::string id = statements["statements"][0]["id"];
  paths.push_back("/v1/statements/" + id);
  paths.push_back("/v1/statements/" + id + "/bundle");
  for (const std::string& path : paths) {
    const std::string body = get(path);
    for (const std::string& q : quantities) {
      INFO(path << " reveals " << q);
      CHECK_FALSE(Reveals(body, q));
    }
  }
  // The private views still answer 401 unsigned.
  auto unsigned_inventory = http.Get("/v1/parks/park-hefei/years/2025/inventory");
  REQUIRE(unsigned_inventory);
  CHECK(unsigned_inventory->status == 401);

  // The engaged certifier's signed read and the bundle it exports hold the quantities, and the
  // exported bundle is recomputed offline with the log key alone.
  auto inventory =
      Run(BinPath("carbonledger"), {"park", "park-hefei", "2025", "inventory", "--server", server,
                                    "--key", data + "/keys/certifier-1.key", "--json"});
  REQUIRE(inventory.exit_code == 0);
  CHECK(inventory.out.find("1300000") != std::string::npos);
  CHECK(inventory.out.find("\"salt\"") != std::string::npos);
  auto exported = Run(BinPath("carbonledger"),
                      {"bundle", id, "--server", server, "--key", data + "/keys/certifier-1.key"});
  REQUIRE(exported.exit_code == 0);
  CHECK(exported.out.find("1300000") != std::string::npos);
  const std::string file = dir.Sub("exported.json");
  std::ofstream(file) << exported.out;
  auto verified = Run(BinPath("carbonledger"),
                      {"verify-statement", "--bundle", file, "--log-key", LogPublicKeyPath(data)});
  INFO(verified.out);
  CHECK(verified.exit_code == 0);
  CHECK(verified.out.find("statement recomputed exactly") != std::string::npos);
  // The public one verifies too, and says what it could not recompute.
  const std::string public_file = dir.Sub("public.json");
  std::ofstream(public_file) << get("/v1/statements/" + id + "/bundle");
  auto pub = Run(BinPath("carbonledger"), {"verify-statement", "--bundle", public_file, "--log-key",
                                           LogPublicKeyPath(data)});
  INFO(pub.out);
  CHECK(pub.exit_code == 0);
  CHECK(pub.out.find("NOT recomputed here") != std::string::npos);
  // A park that is not the subject may not export the confidential bundle.
  auto denied = Run(BinPath("carbonledger"),
                    {"bundle", id, "--server", server, "--key", data + "/keys/park-lanzhou.key"});
  CHECK(denied.exit_code != 0);
  CHECK(d.Stop() == 0);
  // verify-ledger on the ledger's own store checks every commitment and recomputation.
  auto v = Run(BinPath("carbonledger"),
               {"verify-ledger", "--data", data, "--log-key", LogPublicKeyPath(data)});
  INFO(v.out);
  CHECK(v.exit_code == 0);
  CHECK(v.out.find("not checked") == std::string::npos);
}
