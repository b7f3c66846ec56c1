// carbonledger inventory compute: the offline CLI, and the docs showing its exact output.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "tests/accounting/accounting_test_util.h"
#include "tools/carbonledger/commands.h"

using carbonledger::accounting::testing::ReadSourceFile;

namespace {

struct Run {
  int exit_code;
  std::string out;
  std::string err;
};

Run Inventory(const carbonledger::cli::Args& args) {
  std::ostringstream out, err;
  auto* old_out = std::cout.rdbuf(out.rdbuf());
  auto* old_err = std::cerr.rdbuf(err.rdbuf());
  int code = carbonledger::cli::InventoryCommand(args);
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  return {code, out.str(), err.str()};
}

const std::string kExample =
    std::string(CL_SOURCE_DIR) + "/accounting/examples/wind-industry-park-2020.json";

}  // namespace

TEST_CASE("inventory compute prints the breakdown that docs/accounting.md shows",
          "[accounting][cli]") {
  Run r = Inventory({"compute", kExample});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("E_park (gross)          7719.000  0.7719000") != std::string::npos);
  CHECK(ReadSourceFile("docs/accounting.md").find("```\n" + r.out + "```") != std::string::npos);
}

TEST_CASE("inventory compute --json prints the result as JSON", "[accounting][cli]") {
  Run r = Inventory({"compute", kExample, "--json"});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["gross"]["park_t"] == "7719.000");
  CHECK(j["factor_set"]["version"] == "factors-2025");
}

TEST_CASE("inventory compute takes another factor set", "[accounting][cli]") {
  // 7000 MWh x 0.8273 = 5791.1; + 1891.5 of fuel = 7682.6
  Run r = Inventory({"compute", kExample, "--factor-set", "factors-2025-grid2023", "--json"});
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["accounted"]["park_t"] == "7682.600");
  Run file = Inventory({"compute", kExample, "--factors",
                        std::string(CL_SOURCE_DIR) + "/accounting/data/factors-2025.json"});
  CHECK(file.exit_code == 0);
}

TEST_CASE("inventory compute reports bad usage and bad input with distinct exit codes",
          "[accounting][cli]") {
  CHECK(Inventory({}).exit_code == 2);
  CHECK(Inventory({"compute"}).exit_code == 2);
  CHECK(Inventory({"compute", kExample, "--colour"}).exit_code == 2);
  Run missing = Inventory({"compute", "/nonexistent/inventory.json"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("file.unreadable") != std::string::npos);
  Run bad_set = Inventory({"compute", kExample, "--factor-set", "factors-1999"});
  CHECK(bad_set.exit_code == 1);
  CHECK(bad_set.err.find("factors.unknown_version") != std::string::npos);
}

TEST_CASE("inventory compute --help prints the usage and exits 0", "[accounting][cli]") {
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"compute", "--help"}, {"--help"}}) {
    Run r = Inventory(args);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("usage: carbonledger inventory compute") == 0);
  }
  CHECK(Inventory({"compute"}).exit_code == 2);  // bad usage still is
}

TEST_CASE("inventory compute --evaluation shows each indicator's value, rule, source and reading",
          "[accounting][cli]") {
  Run r = Inventory({"compute", kExample, "--evaluation", "national-2025"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("Evaluation national-2025 v1") != std::string::npos);
  CHECK(r.out.find("4.0787 tCO2/tce") != std::string::npos);  // 7719 / 1892.496
  CHECK(r.out.find("<= 0.20 tCO2/tce (reading") != std::string::npos);
  CHECK(r.out.find("Verdict: fail (one-vote veto)") != std::string::npos);
  CHECK(r.out.find("co2_per_tce: 国家发展改革委") != std::string::npos);
  CHECK(r.out.find("Reading: Numerator") != std::string::npos);
  Run unknown = Inventory({"compute", kExample, "--evaluation", "mars-2099"});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find("evaluation.unknown_scheme") != std::string::npos);
}

TEST_CASE("a park with no electricity has no direct-supply guideline to miss (fix 8)",
          "[accounting][cli]") {
  std::string path = (std::filesystem::temp_directory_path() / "cl-no-power-inventory.json");
  std::ofstream(path) << R"({"format": "carbonledger.inventory/1", "park": {"id": "p"},
      "year": 2025, "fuel_use": [{"fuel": "diesel", "activity": "final_consumption",
      "quantity": "1", "unit": "t"}]})";
  Run r = Inventory({"compute", path});
  std::filesystem::remove(path);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("guideline >= 50 %: n/a, no electricity consumption") != std::string::npos);
  CHECK(r.out.find("not met") == std::string::npos);
  CHECK(r.out.find("method version 2") != std::string::npos);
}
