// carbonledger inventory: computes a park's CO2 inventory offline from an inventory document
// (docs/inventory-format.md) and prints the breakdown as a table or as JSON.
//
//   carbonledger inventory compute FILE [--factors FILE | --factor-set VERSION]
//                                        [--evaluation ID|FILE ...] [--json]
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "accounting/emissions.h"
#include "accounting/evaluation_scheme.h"
#include "accounting/factor_set.h"
#include "accounting/inventory.h"
#include "tools/carbonledger/commands.h"

namespace carbonledger::cli {
namespace {

using accounting::InventoryResult;
using accounting::LineItem;

constexpr const char* kUsage =
    "usage: carbonledger inventory compute FILE [--factors FILE | --factor-set VERSION]\n"
    "                                           [--evaluation ID|FILE ...] [--method 1|2] "
    "[--json]\n"
    "  FILE                 an inventory document (docs/inventory-format.md)\n"
    "  --factors FILE       a factor file in the format of docs/factors.md\n"
    "  --factor-set VERSION a built-in factor set (default factors-2025)\n"
    "  --evaluation ID|FILE evaluate under a scheme (docs/evaluations.md): national-2025,\n"
    "                       anhui-2024, ceca-g0344-2025, guangdong-gdcpa, or a scheme file;\n"
    "                       offline, without last year's figures or an assessment\n"
    "  --method 1|2         the method version (docs/accounting.md §Method versions;\n"
    "                       default 2, the corrected rules; 1 as statements of format /1)\n"
    "  --json               print the result as JSON instead of a table\n";

struct Options {
  std::string inventory_path;
  std::string factors_path;
  std::string factor_set = std::string(accounting::FactorSet::kDefaultVersion);
  std::vector<std::string> evaluations;
  accounting::MethodVersion method = accounting::kLatestMethod;
  bool json = false;
};

// Parses the arguments after "compute"; false on bad usage.
bool ParseOptions(const Args& args, Options& out) {
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    bool has_value = i + 1 < args.size();
    if (a == "--json") {
      out.json = true;
    } else if (a == "--factors" && has_value) {
      out.factors_path = args[++i];
    } else if (a == "--factor-set" && has_value) {
      out.factor_set = args[++i];
    } else if (a == "--method" && has_value) {
      const std::string& v = args[++i];
      if (v != "1" && v != "2") return false;
      out.method = v == "1" ? accounting::MethodVersion::kV1 : accounting::MethodVersion::kV2;
    } else if (a == "--evaluation" && has_value) {
      out.evaluations.push_back(args[++i]);
    } else if (!a.starts_with("--") && out.inventory_path.empty()) {
      out.inventory_path = a;
    } else {
      return false;
    }
  }
  return !out.inventory_path.empty();
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("file.unreadable", "cannot read " + path);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

Result<accounting::FactorSet> LoadFactors(const Options& o) {
  if (o.factors_path.empty()) return accounting::FactorSet::Embedded(o.factor_set);
  auto bytes = ReadFile(o.factors_path);
  if (!bytes.ok()) return bytes.status();
  return accounting::FactorSet::Parse(*bytes);
}

// Display width of UTF-8 text: CJK and full-width characters take two columns.
size_t Width(const std::string& s) {
  size_t width = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    width += len >= 3 ? 2 : 1;
    i += len;
  }
  return width;
}

std::string Pad(const std::string& s, size_t width, bool right = false) {
  std::string fill(width > Width(s) ? width - Width(s) : 0, ' ');
  return right ? fill + s : s + fill;
}

void PrintTable(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right) {
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], Width(row[c]));
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      bool last = c + 1 == row.size();
      line += last ? row[c] : Pad(row[c], widths[c], right[c]) + "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::cout << line << "\n";
  }
}

void PrintLines(const InventoryResult& r) {
  std::vector<std::vector<std::string>> rows = {{"term", "item", "detail", "quantity", "unit",
                                                 "activity", "x factor", "factor unit", "= tCO2",
                                                 "factor source"}};
  for (const LineItem& l : r.lines) {
    rows.push_back(
        {std::string(accounting::TermName(l.term)), l.item, l.detail, l.quantity.ToString(), l.unit,
         l.activity.ToString(), l.factor.ToString(), l.factor_unit,
         accounting::FormatTonnes(l.emissions_t),
         l.factor_basis == "default" ? l.factor_source : l.factor_basis + ": " + l.factor_source});
  }
  if (r.lines.empty()) {
    std::cout << "(no activity data)\n";
    return;
  }
  PrintTable(rows, {false, false, false, true, false, true, true, false, true, false});
}

void PrintTotals(const InventoryResult& r) {
  const auto& a = r.accounted;
  std::vector<std::vector<std::string>> rows = {{"total", "tCO2", "10^4 tCO2", ""}};
  auto add = [&](const char* name, Decimal t, const char* zh) {
    rows.push_back({name, accounting::FormatTonnes(t), accounting::FormatTenThousandTonnes(t), zh});
  };
  add("E_fuel", a.fuel, "化石能源用作燃料");
  add("E_conversion", a.conversion, "能源加工转换");
  add("E_elec", a.electricity, "电力净受入");
  add("E_heat", a.heat, "热力净受入");
  add("E_indirect", a.indirect, "间接排放");
  add("E_energy", a.energy, "能源活动");
  add("E_process", a.process, "工业过程");
  add("E_park (accounted)", a.park, "园区碳排放");
  add("E_park (gross)", r.gross.park, "all imported electricity at the grid factor");
  add("intl. aviation & space", r.international_aviation_t,
      "included above, reported separately (国际航空航天)");
  PrintTable(rows, {false, true, true, false});
}

void PrintElectricity(const InventoryResult& r) {
  const auto& b = r.electricity;
  const auto& g = r.attribution;
  std::cout << "Electricity (MWh): imports grid " << b.grid_import.ToString()
            << ", direct non-fossil " << b.direct_non_fossil_import.ToString()
            << ", certificate-backed " << b.certificate_backed_import.ToString()
            << "; exports grid " << b.grid_export.ToString() << ", non-fossil "
            << b.non_fossil_export.ToString() << "; on-site fossil " << b.onsite_fossil.ToString()
            << ", non-fossil " << b.onsite_non_fossil.ToString() << "\n";
  bool met = b.direct_supply_share().AtLeastPercent(
      Decimal::FromInt(accounting::kDirectSupplyGuidelinePercent));
  // A park without electricity has no share to judge (issue 15 fix 8).
  std::string guideline = !b.direct_supply_share().defined() ? "n/a, no electricity consumption"
                          : met                              ? "met"
                                                             : "not met";
  std::cout << "Consumption " << b.consumption.ToString() << " MWh; direct green supply "
            << b.direct_supply_share().Percent() << " % (guideline >= 50 %: " << guideline
            << "); green incl. certificates " << b.green_share().Percent() << " %\n";
  if (!g.verified) {
    std::cout << "Green-power attribution: not verified (no ledger facts); certificate-backed "
                 "electricity counted as declared: "
              << g.counted_mwh.ToString() << " MWh\n";
  } else {
    std::cout << "Green-power attribution: " << g.counted_mwh.ToString() << " of "
              << g.declared_mwh.ToString() << " MWh covered by " << g.blocks.size()
              << " claimed GEC block(s)\n";
  }
}

// 综合能源消费量 beside the GJ figure (docs/accounting.md §Energy in tce).
void PrintEnergy(const InventoryResult& r) {
  const auto& e = r.energy;
  if (!e.total_tce) {
    std::cout << "Comprehensive energy consumption (综合能源消费量): not computable: "
              << e.tce_not_computable << "\n";
    return;
  }
  std::cout << "Comprehensive energy consumption (综合能源消费量): " << e.total_tce->ToFixed(3)
            << " tce = " << Decimal::FromUnits(e.total_tce->units() / 10000).ToFixed(7)
            << " x 10^4 tce";
  if (e.total_gj) std::cout << " (" << e.total_gj->ToFixed(3) << " GJ)";
  std::cout << "; electricity and heat at the 当量值 0.1229 kgce/kWh, 0.03412 kgce/MJ ("
            << e.coefficients_version << "); feedstock " << e.feedstock_tce->ToFixed(3)
            << " tce not included\n"
            << "Non-fossil share " << e.non_fossil_share().Percent() << " %, clean (non-fossil + "
            << "natural gas) " << e.clean_share().Percent() << " %\n";
}

void PrintResult(const InventoryResult& r, const accounting::FactorSet& factors) {
  std::cout << "CO2 inventory of park " << r.park_id << ", " << r.year
            << " (零碳园区碳排放核算方法（试行）, 发改环资〔2025〕910号)\n"
            << "Factor set " << factors.version() << ", sha256 " << factors.sha256_hex() << "\n"
            << "Grid factor " << r.grid_factor.ToString() << " tCO2/MWh; method version "
            << accounting::MethodVersionNumber(r.method) << "\n\n";
  PrintLines(r);
  std::cout << "\n";
  PrintTotals(r);
  std::cout << "\n";
  PrintElectricity(r);
  PrintEnergy(r);
}

Result<accounting::EvaluationScheme> LoadScheme(const std::string& id_or_file) {
  if (id_or_file.find('/') == std::string::npos && !id_or_file.ends_with(".json")) {
    return accounting::EmbeddedEvaluationScheme(id_or_file);
  }
  auto bytes = ReadFile(id_or_file);
  if (!bytes.ok()) return bytes.status();
  return accounting::ParseEvaluationScheme(*bytes);
}

// Every indicator with its value, rule, source and reading (docs/evaluations.md).
void PrintEvaluation(const accounting::Evaluation& e) {
  std::cout << "\nEvaluation " << e.scheme_id << " v" << e.scheme_version << ": " << e.title
            << "\n";
  if (!e.tier.empty() || !e.tier_reading.empty()) {
    std::cout << "Size tier: " << (e.tier.empty() ? "none" : e.tier_name);
    if (!e.tier_reading.empty()) std::cout << " (" << e.tier_reading << ")";
    std::cout << "\n";
  }
  bool points = e.scoring == "points";
  std::vector<std::vector<std::string>> rows = {
      {"indicator", "role", "value", "rule", points ? "points" : "met", "basis"}};
  for (const auto& l : e.lines) {
    std::string verdict = points   ? l.points.ToString() + " / " + l.max_points->ToString()
                          : !l.met ? "n/a"
                          : *l.met ? "yes"
                                   : "no";
    rows.push_back({l.id + " " + l.name_zh, l.role + (l.veto ? " (veto)" : ""), l.value, l.rule,
                    verdict, l.basis});
  }
  PrintTable(rows, {false, false, false, false, false, false});
  if (points) {
    std::cout << "Total " << e.total.ToString() << " (index " << e.index_points.ToString()
              << ", bonus " << e.bonus_points.ToString() << ", penalty "
              << e.penalty_points.ToString() << "), stars " << e.stars << "\n";
  } else {
    std::cout << "Verdict: " << e.verdict << (e.veto_failed ? " (one-vote veto)" : "") << "\n";
  }
  std::cout << "Sources and readings:\n";
  for (const auto& l : e.lines) {
    std::cout << "  " << l.id << ": " << l.source;
    if (!l.reading.empty()) std::cout << ". Reading: " << l.reading;
    std::cout << "\n";
  }
}

int Fail(const Status& s) {
  std::cerr << "carbonledger inventory: " << s.ToString() << "\n";
  return 1;
}

int Compute(const Options& o) {
  auto text = ReadFile(o.inventory_path);
  if (!text.ok()) return Fail(text.status());
  auto factors = LoadFactors(o);
  if (!factors.ok()) return Fail(factors.status());
  auto inventory = accounting::ParseInventory(*text);
  if (!inventory.ok()) return Fail(inventory.status());
  auto result = accounting::ComputeInventory(*inventory, *factors, nullptr, o.method);
  if (!result.ok()) return Fail(result.status());
  std::vector<accounting::Evaluation> evaluations;
  for (const std::string& id : o.evaluations) {
    auto scheme = LoadScheme(id);
    if (!scheme.ok()) return Fail(scheme.status());
    auto e = accounting::Evaluate(*scheme, *inventory, *result, std::nullopt, {});
    if (!e.ok()) return Fail(e.status());
    evaluations.push_back(std::move(*e));
  }
  if (o.json) {
    nlohmann::json j = accounting::InventoryResultToJson(*result);
    if (!evaluations.empty()) {
      j["evaluations"] = nlohmann::json::array();
      for (const auto& e : evaluations) j["evaluations"].push_back(EvaluationToJson(e));
    }
    std::cout << j.dump(2) << "\n";
  } else {
    PrintResult(*result, *factors);
    for (const auto& e : evaluations) PrintEvaluation(e);
  }
  return 0;
}

}  // namespace

int InventoryCommand(const Args& args) {
  Options options;
  bool help =
      !args.empty() && (args.back() == "--help" || args.back() == "-h" || args[0] == "help");
  if (help) {
    std::cout << kUsage;
    return 0;
  }
  if (args.empty() || args[0] != "compute" || !ParseOptions(args, options)) {
    std::cerr << kUsage;
    return 2;
  }
  return Compute(options);
}

}  // namespace carbonledger::cli
