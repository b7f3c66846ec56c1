// End-to-end through the CLI alone: the real carbonledgerd on an ephemeral loopback port and a
// temporary data dir, driven by `carbonledger` commands as the registry, a generator owner, a
// credit project owner, a park and a certifier would: accounts, issuance, transfer, claim,
// retirement, inventory, neutrality, statement; then the statement's bundle verified offline,
// and the data dir verified after shutdown.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "ledger/registry/genesis.h"
#include "tests/support/bin_path.h"
#include "tests/support/temp_dir.h"
#include "tools/carbonledger/readable.h"
#include "tools/process.h"

using namespace carbonledger;
using namespace carbonledger::process;
using carbonledger::testing::BinPath;
using carbonledger::testing::TempDir;

namespace {

// The CLI against one server, each command's output checked for success.
class Cli {
 public:
  Cli(std::string server, std::string keys) : server_(std::move(server)), keys_(std::move(keys)) {}

  ProcessResult Raw(std::vector<std::string> args) {
    args.insert(args.end(), {"--server", server_});
    return Run(BinPath("carbonledger"), args);
  }
  std::string Ok(std::vector<std::string> args) {
    auto r = Raw(std::move(args));
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    return r.out;
  }
  nlohmann::json Json(std::vector<std::string> args) {
    args.push_back("--json");
    std::string out = Ok(std::move(args));
    INFO(out);
    return nlohmann::json::parse(out);
  }
  // `tx TYPE` signed by `who`, with name=value arguments; the receipt.
  nlohmann::json Tx(const std::string& who, const std::string& type,
                    std::vector<std::string> fields) {
    std::vector<std::string> args = {"tx", type, "--key", Key(who)};
    args.insert(args.end(), fields.begin(), fields.end());
    return Json(args);
  }
  std::string Key(const std::string& who) const { return keys_ + "/" + who + ".key"; }

  // A new key for `who` and its account, created by the operator.
  void Account(const std::string& who, const std::string& role, std::vector<std::string> extra) {
    auto k = Run(BinPath("carbonledger"), {"keygen", "--name", who, "--out", Key(who)});
    REQUIRE(k.exit_code == 0);
    std::string pk = k.out.substr(k.out.find("public_key ") + 11);
    pk = pk.substr(0, pk.find('\n'));
    std::vector<std::string> fields = {"account=" + who, "role=" + role, "public_key=" + pk};
    fields.insert(fields.end(), extra.begin(), extra.end());
    CHECK(Tx("operator", "account.create", fields)["duplicate"] == false);
  }

 private:
  std::string server_, keys_;
};

}  // namespace

TEST_CASE("the CLI drives a park's year from issuance to a verified statement", "[e2e][cli]") {
  TempDir dir;
  std::string data = dir.Sub("data");
  REQUIRE(
      Run(BinPath("carbonledger"), {"init", "--data", data, "--origin", "cli.e2e/log"}).exit_code ==
      0);
  Daemon d(BinPath("carbonledgerd"));
  REQUIRE(d.Start({"--data", data}));
  Cli cli("http://127.0.0.1:" + std::to_string(d.port()), data + "/keys");

  // Setup: accounts, a generator, a CCER project.
  cli.Account("park-x", "park", {"name=Park X", "region=340100"});
  cli.Account("wind-co", "project_owner", {});
  cli.Account("forest-co", "project_owner", {});
  cli.Account("certifier-x", "certifier", {});
  cli.Account("auditor-x", "auditor", {});
  cli.Tx("operator", "generator.register",
         {"generator=gen-w", "owner=wind-co", "technology=wind", "capacity_kw:=100000",
          "region=620000"});
  cli.Tx("operator", "project.register",
         {"project=ccer-f", "instrument=CCER", "owner=forest-co", "methodology=CCER-14-001-V01",
          "sector=forestry", "region=340000"});

  // Issuance, transfer, claim, retirement.
  cli.Tx("operator", "gec.issue",
         {R"(ops:=[{"generator":"gen-w","month":"2025-03","quantity":50000}])"});
  cli.Tx("operator", "credit.issue",
         {R"(ops:=[{"project":"ccer-f","vintage":"2024","quantity":4000}])"});
  cli.Tx("wind-co", "unit.transfer",
         {"to=park-x", R"(ops:=[{"instrument":"GEC","quantity":40000}])"});
  cli.Tx("forest-co", "unit.transfer",
         {"to=park-x", R"(ops:=[{"instrument":"CCER","quantity":3000}])"});
  auto claim =
      cli.Tx("park-x", "gec.claim", {R"(ops:=[{"reporting_year":2025,"quantity":40000}])"});
  cli.Tx("park-x", "credit.retire",
         {R"(ops:=[{"instrument":"CCER","quantity":2900,"beneficiary":"park-x",)"
          R"("reporting_year":2025,"purpose":"carbon_neutrality"}])"});

  // The readable default: tables with a header and a rule; --json the same data.
  std::string claims = cli.Ok({"park", "park-x", "2025", "claims", "--key", cli.Key("auditor-x")});
  CHECK(claims.find("claimed_mwh  40000") != std::string::npos);
  CHECK(claims.find("claims (1)") != std::string::npos);
  CHECK(claims.find("  seq  claim  first  generation_month") != std::string::npos);
  CHECK(claims.find("GEC-1-40000") != std::string::npos);
  auto claims_json = cli.Json({"park", "park-x", "2025", "claims", "--key", cli.Key("auditor-x")});
  CHECK(claims_json["claims"][0]["seq"] == claim["seq"]);
  CHECK(cli.Json({"holdings", "park-x", "--key", cli.Key("park-x")})["holdings"].size() == 1);

  // Inventory (natural gas 2,810.847 t; all electricity non-fossil or certificate-backed).
  std::string inv_file = dir.Sub("inventory.json");
  std::ofstream(inv_file) << nlohmann::json{
      {"year", 2025},
      {"inventory",
       {{"format", "carbonledger.inventory/1"},
        {"park", {{"id", "park-x"}, {"name", "Park X"}}},
        {"year", 2025},
        {"fuel_use",
         {{{"fuel", "natural_gas"},
           {"activity", "final_consumption"},
           {"quantity", "1300000"},
           {"unit", "Nm3"}}}},
        {"electricity",
         {{"imports",
           {{{"kind", "direct_non_fossil"}, {"quantity", "60000"}, {"unit", "MWh"}},
            {{"kind", "certificate_backed"}, {"quantity", "40000"}, {"unit", "MWh"}}}}}}}}};
  auto inventory =
      cli.Json({"tx", "inventory.record", "--key", cli.Key("park-x"), "--body", "@" + inv_file});

  // Neutrality, as the auditor reads it, and the certifier's statement on it.
  auto neutrality = cli.Json({"park", "park-x", "2025", "neutrality", "--profile", "anhui-2024",
                              "--key", cli.Key("auditor-x")});
  CHECK(neutrality["neutrality"]["verdict"] == "pass");
  CHECK(neutrality["inventory_entry_seq"] == inventory["seq"]);
  std::string readable = cli.Ok({"park", "park-x", "2025", "neutrality", "--profile", "anhui-2024",
                                 "--key", cli.Key("auditor-x")});
  CHECK(std::regex_search(readable, std::regex("\n  verdict +pass\n")));
  // The certifier reads the park's figures and certifies only once the park engages it.
  auto unengaged = cli.Raw({"park", "park-x", "2025", "statement-draft", "--profile", "anhui-2024",
                            "--key", cli.Key("certifier-x")});
  CHECK(unengaged.exit_code == 1);
  CHECK(unengaged.out.find("error 403 access.not_engaged") != std::string::npos);
  cli.Json({"tx", "certifier.engage", "--key", cli.Key("park-x"), "certifier=certifier-x",
            "year:=2025"});
  auto draft = cli.Json({"park", "park-x", "2025", "statement-draft", "--profile", "anhui-2024",
                         "--key", cli.Key("certifier-x")});
  std::string st_file = dir.Sub("statement.json");
  std::ofstream(st_file) << nlohmann::json{{"statement", draft["statement"]},
                                           {"checkpoint_size", draft["checkpoint_size"]}};
  auto recorded = cli.Json(
      {"tx", "statement.record", "--key", cli.Key("certifier-x"), "--body", "@" + st_file});
  std::string id = "S" + recorded["seq"].dump();
  CHECK(cli.Json({"statement", id})["park"] == "park-x");
  CHECK(std::regex_search(cli.Ok({"statement", id}), std::regex("(^|\n)certifier +certifier-x\n")));

  // The bundle, byte for byte as served (also without --json), verified offline.
  auto bundle = cli.Raw({"bundle", id});
  REQUIRE(bundle.exit_code == 0);
  REQUIRE(nlohmann::json::parse(bundle.out).contains("entries"));
  std::string bundle_file = dir.Sub("bundle.json");
  std::ofstream(bundle_file) << bundle.out;
  auto verified = Run(BinPath("carbonledger"), {"verify-statement", "--bundle", bundle_file,
                                                "--log-key", LogPublicKeyPath(data)});
  INFO(verified.out);
  CHECK(verified.exit_code == 0);
  CHECK(verified.out.find("verdict pass") != std::string::npos);

  // Checkpoint and a proof from the server verify offline against the log key.
  std::string cp_file = dir.Sub("cp.txt"), proof_file = dir.Sub("proof.json");
  std::ofstream(cp_file) << cli.Ok({"checkpoint"});
  uint64_t size = cli.Json({"health"})["entries"];
  std::ofstream(proof_file) << cli.Ok(
      {"proof", "inclusion", "--seq", claim["seq"].dump(), "--tree-size", std::to_string(size)});
  auto included =
      Run(BinPath("carbonledger"), {"verify-inclusion", "--proof", proof_file, "--checkpoint",
                                    cp_file, "--log-key", LogPublicKeyPath(data)});
  INFO(included.out);
  CHECK(included.exit_code == 0);

  // Refusals print the problem's type and exit 1; bad usage exits 2.
  auto refused = cli.Raw({"tx", "gec.claim", "--key", cli.Key("park-x"),
                          R"(ops:=[{"reporting_year":2025,"quantity":1}])"});
  CHECK(refused.exit_code == 1);
  CHECK(refused.out.find("error 422 holdings.insufficient") != std::string::npos);
  CHECK(cli.Raw({"park", "park-x"}).exit_code == 2);
  auto bad_query = cli.Raw({"entries", "--start", "x"});
  CHECK(bad_query.exit_code == 1);
  CHECK(bad_query.out.find("error 400 query.param") != std::string::npos);

  REQUIRE(d.Stop(SIGTERM) == 0);
  auto ledger_ok = Run(BinPath("carbonledger"),
                       {"verify-ledger", "--data", data, "--log-key", LogPublicKeyPath(data)});
  INFO(ledger_ok.out);
  CHECK(ledger_ok.exit_code == 0);
  CHECK(ledger_ok.out.find("OK: " + std::to_string(size) + " entries") == 0);
}

TEST_CASE("readable output: aligned tables, sections, wide characters, cut cells", "[cli]") {
  using cli::Readable;
  nlohmann::json v = {{"park", "合肥园区"},
                      {"year", 2025},
                      {"tags", {"a", "b"}},
                      {"rows",
                       {{{"seq", 3}, {"name", "合肥"}, {"mwh", 25000}},
                        {{"seq", 12}, {"name", "wind"}, {"mwh", 5}, {"extra", {{"k", 1}}}}}},
                      {"cap", {{"percent", 5}, {"base", "gross"}}},
                      {"none", nlohmann::json::array()},
                      {"long", std::string(100, 'x')}};
  std::string out = Readable(v);
  INFO(out);
  // Scalars first, names padded to one width; the long value whole outside a table.
  CHECK(out.find("long  " + std::string(100, 'x') + "\n") != std::string::npos);
  CHECK(out.find("park  合肥园区\n") != std::string::npos);
  CHECK(out.find("tags  a, b\n") != std::string::npos);
  // Sections for nested values; an empty array says so.
  CHECK(out.find("\ncap\n  base     gross\n  percent  5\n") != std::string::npos);
  CHECK(out.find("\nnone  (none)\n") != std::string::npos);
  // A table: seq first, scalars by name, nested last; CJK counted two columns wide.
  CHECK(out.find("\nrows (2)\n"
                 "  seq  mwh    name  extra\n"
                 "  ---  -----  ----  -------\n"
                 "  3    25000  合肥\n"
                 "  12   5      wind  {\"k\":1}\n") != std::string::npos);
  CHECK(cli::DisplayWidth("合肥 x") == 6);
  // Table cells are cut at 44 columns with an ellipsis.
  std::string table = Readable(nlohmann::json::array({{{"sig", std::string(60, 'A')}}}));
  CHECK(table.find(std::string(43, 'A') + "…\n") != std::string::npos);
  CHECK(table.find(std::string(44, 'A')) == std::string::npos);
}
