// Registry rules, one TEST_CASE per rule of docs/registry-rules.md, each against a real ledger.
#include <catch2/catch.hpp>

#include "crypto/canonical_json.h"
#include "ledger/certification/reports.h"
#include "ledger/certification/transaction_types.h"
#include "ledger/log/pipeline.h"
#include "tests/ledger/registry_test_util.h"

using namespace carbonledger;
using namespace carbonledger::testing;

namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Counts what a rule reads: Gets and scanned keys per two-letter key prefix.
class CountingReader : public StateReader {
 public:
  explicit CountingReader(const StateReader& base) : base_(base) {}
  Result<std::optional<std::string>> Get(const std::string& key) const override {
    ++gets[key.substr(0, 2)];
    return base_.Get(key);
  }
  Status Scan(const std::string& prefix, const ScanFn& fn) const override {
    return ScanFrom(prefix, prefix, fn);
  }
  Status ScanFrom(const std::string& prefix, const std::string& start,
                  const ScanFn& fn) const override {
    return base_.ScanFrom(prefix, start, [&](const std::string& k, const std::string& v) {
      ++scanned[k.substr(0, 2)];
      return fn(k, v);
    });
  }
  mutable std::map<std::string, int> gets, scanned;

 private:
  const StateReader& base_;
};

}  // namespace

TEST_CASE("registry: every registry transaction type names the roles that may sign it",
          "[registry][roles]") {
  const std::map<std::string, std::vector<std::string>> expected = {
      {"generator.register", {"registry"}},
      {"project.register", {"registry"}},
      {"gec.issue", {"registry"}},
      {"credit.issue", {"registry"}},
      {"gec.freeze", {"registry"}},
      {"gec.expire", {"registry"}},
      {"unit.cancel", {"registry"}},
      {"unit.transfer", {"park", "trader", "project_owner"}},
      {"gec.claim", {"park"}},
      {"credit.retire", {"park", "trader", "project_owner"}},
      {"retirement.accept", {"park"}},
  };
  for (const auto& [type, roles] : expected) {
    const TxType* rule = LedgerTxTypes().Find(type);
    REQUIRE(rule != nullptr);
    CHECK(rule->roles() == roles);
  }
  RegistryFixture fx;
  fx.Refused("trader", "gec.issue",
             {{"ops", {{{"generator", "wind-1"}, {"month", MonthsAgo(3)}, {"quantity", 1}}}}},
             "tx.role");
  fx.IssueGec("wind-1", MonthsAgo(3), 10);
  fx.Refused("certifier", "unit.transfer", {{"to", "trader"}, {"ops", {Qty("GEC", 1)}}}, "tx.role");
  fx.Refused("po", "gec.claim", {{"ops", {{{"reporting_year", 2025}, {"quantity", 1}}}}},
             "tx.role");
}

TEST_CASE("registry: generators and projects are registered by the operator with checked fields",
          "[registry][register]") {
  RegistryFixture fx;
  nlohmann::json gen = {{"generator", "hydro-1"}, {"owner", "po"},      {"technology", "hydro"},
                        {"capacity_kw", 5000},    {"region", "530000"}, {"name", "Lancang 1"}};
  auto with = [&](const char* field, nlohmann::json v) {
    nlohmann::json b = gen;
    b[field] = std::move(v);
    return b;
  };
  fx.Refused(fx.op(), "generator.register", with("technology", "coal"), "technology.invalid");
  fx.Refused(fx.op(), "generator.register", with("capacity_kw", 0), "capacity.invalid");
  fx.Refused(fx.op(), "generator.register", with("capacity_kw", "5 MW"), "capacity.invalid");
  fx.Refused(fx.op(), "generator.register", with("region", "530100"), "region.invalid");
  fx.Refused(fx.op(), "generator.register", with("owner", "nobody"), "account.unknown");
  fx.Refused(fx.op(), "generator.register", with("owner", "trader"), "account.role");
  fx.Refused(fx.op(), "generator.register", with("generator", "Hydro 1"), "generator.id");
  fx.Refused(fx.op(), "generator.register", with("colour", "blue"), "field.unknown");
  fx.Ok(fx.op(), "generator.register", gen);
  fx.Refused(fx.op(), "generator.register", gen, "generator.exists");
  auto g = GetRecord(fx.ledger().state(), registry::GeneratorKey("hydro-1"));
  REQUIRE(g->has_value());
  CHECK((**g)["capacity_kw"] == 5000);

  nlohmann::json ccer = {{"project", "ccer-2"},   {"instrument", "CCER"},
                         {"owner", "po2"},        {"methodology", "CCER-01-002-V01"},
                         {"sector", "energy"},    {"region", "530000"},
                         {"generator", "hydro-1"}};
  auto pwith = [&](const char* field, nlohmann::json v) {
    nlohmann::json b = ccer;
    if (v.is_null()) {
      b.erase(field);
    } else {
      b[field] = std::move(v);
    }
    return b;
  };
  fx.Refused(fx.op(), "project.register", pwith("instrument", "GEC"), "instrument.invalid");
  fx.Refused(fx.op(), "project.register", pwith("sector", nullptr), "field.missing");
  fx.Refused(fx.op(), "project.register", pwith("methodology", nullptr), "field.missing");
  fx.Refused(fx.op(), "project.register", pwith("generator", "nope"), "generator.unknown");
  fx.Refused(fx.op(), "project.register", pwith("generator", "wind-1"), "generator.linked");
  fx.Refused(fx.op(), "project.register", pwith("region", "5300"), "region.invalid");
  fx.Ok(fx.op(), "project.register", ccer);
  fx.Refused(fx.op(), "project.register", ccer, "project.exists");
  fx.Refused(fx.op(), "project.register",
             {{"project", "cic-2"},
              {"instrument", "CIC"},
              {"owner", "po"},
              {"methodology", "m"},
              {"region", "320500"},
              {"sector", "energy"}},
             "field.unknown");
}

TEST_CASE("registry: a GEC issuance creates one serial block with the issuance's attributes",
          "[registry][issue]") {
  RegistryFixture fx;
  const std::string month = MonthsAgo(3);
  auto r = fx.Ok(fx.op(), "gec.issue",
                 {{"ops",
                   {{{"generator", "wind-1"}, {"month", month}, {"quantity", 1000}},
                    {{"generator", "wind-1"}, {"month", MonthsAgo(4)}, {"quantity", 500}}}}});
  auto blocks = fx.Blocks("po", "GEC");
  REQUIRE(blocks.size() == 2);
  // Held in selection order: the older month first.
  CHECK(blocks[0].first == 1001);
  CHECK(blocks[0].last == 1500);
  CHECK(blocks[1].first == 1);
  CHECK(blocks[1].last == 1000);
  const BlockView& b = blocks[1];
  CHECK(b.id == "B" + std::to_string(r.seq) + ".0");
  CHECK(b.status == "active");
  CHECK(b.event == "issue");
  CHECK(b.seq == r.seq);
  CHECK(b.attributes.issuance == "I" + std::to_string(r.seq) + ".0");
  CHECK(b.attributes.generator == "wind-1");
  CHECK(b.attributes.technology == "wind");
  CHECK(b.attributes.region == "340000");
  CHECK(b.attributes.vintage == month);
  CHECK(b.attributes.valid_through == MonthsAgo(3 - 23));
  CHECK(FormatSerials("GEC", b.first, b.last) == "GEC-1-1000");
  CHECK(FormatSerials("GEC", 7, 7) == "GEC-7");
  // Serial numbers are per instrument: the first CCER is 1 again.
  CHECK(fx.IssueCredit("ccer-free", std::to_string(YearsAgo(1)), 40) == 1);
  CHECK(fx.IssueCredit("cic-sz", std::to_string(YearsAgo(1)), 7) == 1);
  CHECK(fx.Held("po2", "CCER") == 40);
  CHECK(fx.Held("po", "CIC") == 7);
  InstrumentTotals t = fx.Totals("GEC");
  CHECK(t.issued == 1500);
  CHECK(t.held == 1500);
  CHECK(t.issuances == 2);
  CHECK(t.next_serial == 1501);
  fx.CheckBalanced("GEC");
  fx.CheckBalanced("CCER");
}

TEST_CASE("registry: GEC issuance for a generator-month may not exceed capacity x hours",
          "[registry][issue][capacity]") {
  CHECK(registry::HoursInMonth(*registry::ParseMonth("2024-02")) == 696);
  CHECK(registry::HoursInMonth(*registry::ParseMonth("2023-02")) == 672);
  CHECK(registry::HoursInMonth(*registry::ParseMonth("2025-01")) == 744);
  CHECK(registry::HoursInMonth(*registry::ParseMonth("2025-04")) == 720);
  RegistryFixture fx;
  // 100 MW x 696 h = 69,600 MWh in February 2024, summed over every issuance of the month.
  fx.IssueGec("wind-1", "2024-02", 60000);
  auto s =
      fx.Refused(fx.op(), "gec.issue",
                 {{"ops", {{{"generator", "wind-1"}, {"month", "2024-02"}, {"quantity", 9601}}}}},
                 "issuance.over_capacity");
  CHECK(Contains(s.message(), "69600 MWh"));
  fx.IssueGec("wind-1", "2024-02", 9600);
  fx.IssueGec("wind-1", "2023-02", 67200);  // 672 h
  // 10 kW x 720 or 744 h = 7 MWh (floored).
  const std::string m = MonthsAgo(2);
  const uint64_t cap = 10 * uint64_t(registry::HoursInMonth(*registry::ParseMonth(m))) / 1000;
  fx.IssueGec("solar-1", m, cap - 1);
  fx.Refused(fx.op(), "gec.issue",
             {{"ops", {{{"generator", "solar-1"}, {"month", m}, {"quantity", 2}}}}},
             "issuance.over_capacity");
  fx.IssueGec("solar-1", m, 1);
  // Two operations of one batch count together.
  fx.Refused(fx.op(), "gec.issue",
             {{"ops",
               {{{"generator", "solar-1"}, {"month", MonthsAgo(3)}, {"quantity", 4}},
                {{"generator", "solar-1"}, {"month", MonthsAgo(3)}, {"quantity", 4}}}}},
             "issuance.over_capacity");
  // A month that has not ended cannot be issued.
  fx.Refused(fx.op(), "gec.issue",
             {{"ops", {{{"generator", "wind-1"}, {"month", MonthsAgo(0)}, {"quantity", 1}}}}},
             "issuance.future_month");
  fx.Refused(fx.op(), "gec.issue",
             {{"ops", {{{"generator", "wind-1"}, {"month", "2024-13"}, {"quantity", 1}}}}},
             "month.invalid");
  fx.Refused(fx.op(), "gec.issue",
             {{"ops", {{{"generator", "wind-9"}, {"month", m}, {"quantity", 1}}}}},
             "generator.unknown");
}

TEST_CASE("registry: a transfer by serial range splits the block and keeps its attributes",
          "[registry][transfer]") {
  RegistryFixture fx;
  const uint64_t f = fx.IssueGec("wind-1", MonthsAgo(3), 1000);
  auto r =
      fx.Ok("po", "unit.transfer", {{"to", "park-a"}, {"ops", {Range("GEC", f + 100, f + 199)}}});
  auto po = fx.Blocks("po", "GEC");
  REQUIRE(po.size() == 2);
  CHECK(po[0].first == f);
  CHECK(po[0].last == f + 99);
  CHECK(po[0].event == "split");
  CHECK(po[1].first == f + 200);
  CHECK(po[1].last == f + 999);
  auto park = fx.Blocks("park-a", "GEC");
  REQUIRE(park.size() == 1);
  CHECK(park[0].first == f + 100);
  CHECK(park[0].last == f + 199);
  CHECK(park[0].event == "transfer");
  CHECK(park[0].seq == r.seq);
  CHECK(park[0].attributes.generator == "wind-1");
  CHECK(park[0].parent == po[0].parent);
  // A range may span blocks, of different issuances too; it moves exactly the units named.
  CHECK(fx.IssueGec("wind-1", MonthsAgo(4), 500) == f + 1000);
  fx.Ok("po", "unit.transfer", {{"to", "trader"}, {"ops", {Range("GEC", f + 950, f + 1050)}}});
  CHECK(fx.Held("trader", "GEC") == 101);
  CHECK(fx.Held("po", "GEC") == 1299);
  auto trader = fx.Blocks("trader", "GEC");
  REQUIRE(trader.size() == 2);
  CHECK(trader[0].attributes.vintage == MonthsAgo(4));
  CHECK(trader[1].attributes.vintage == MonthsAgo(3));
  // Units held by another account cannot be moved.
  auto s =
      fx.Refused("po", "unit.transfer",
                 {{"to", "trader"}, {"ops", {Range("GEC", f + 90, f + 110)}}}, "holdings.not_held");
  CHECK(Contains(s.message(), "GEC-" + std::to_string(f + 100) + "-" + std::to_string(f + 110)));
  fx.Refused("po", "unit.transfer", {{"to", "po"}, {"ops", {Qty("GEC", 1)}}}, "transfer.self");
  fx.Refused("po", "unit.transfer", {{"to", "nobody"}, {"ops", {Qty("GEC", 1)}}},
             "account.unknown");
  fx.Refused("po", "unit.transfer", {{"to", "certifier"}, {"ops", {Qty("GEC", 1)}}},
             "account.role");
  fx.CheckBalanced("GEC");
}

TEST_CASE("registry: a transfer by quantity takes the oldest vintage first, then the lowest serial",
          "[registry][transfer][selection]") {
  RegistryFixture fx;
  const uint64_t a = fx.IssueGec("wind-1", MonthsAgo(3), 100);  // newest
  const uint64_t b = fx.IssueGec("wind-1", MonthsAgo(5), 50);   // oldest
  const uint64_t c = fx.IssueGec("wind-1", MonthsAgo(4), 30);
  fx.Ok("po", "unit.transfer", {{"to", "trader"}, {"ops", {Qty("GEC", 120)}}});
  auto t = fx.Blocks("trader", "GEC");
  REQUIRE(t.size() == 3);
  CHECK((t[0].first == b && t[0].last == b + 49));
  CHECK((t[1].first == c && t[1].last == c + 29));
  CHECK((t[2].first == a && t[2].last == a + 39));
  auto po = fx.Blocks("po", "GEC");
  REQUIRE(po.size() == 1);
  CHECK((po[0].first == a + 40 && po[0].last == a + 99));

  // Credits: vintage from-month first, then to-month: a monitoring period Jan–Jun of a year
  // goes before the whole year, which goes before a later period; equal vintages by serial.
  // (Overlapping periods of one project are refused, so each vintage is another project's.)
  const std::string y = std::to_string(YearsAgo(2));
  for (const char* p : {"ccer-b", "ccer-c", "ccer-d"}) {
    fx.Ok(fx.op(), "project.register",
          {{"project", p},
           {"instrument", "CCER"},
           {"owner", "po2"},
           {"methodology", "CCER-14-001-V01"},
           {"sector", "forestry"},
           {"region", "520000"}});
  }
  const uint64_t year = fx.IssueCredit("ccer-free", y, 10);
  const uint64_t half = fx.IssueCredit("ccer-b", y + "-01/" + y + "-06", 10);
  const uint64_t later = fx.IssueCredit("ccer-c", y + "-03/" + y + "-04", 10);
  const uint64_t year2 = fx.IssueCredit("ccer-d", y, 10);
  fx.Ok("po2", "unit.transfer", {{"to", "trader"}, {"ops", {Qty("CCER", 35)}}});
  auto ct = fx.Blocks("trader", "CCER");
  REQUIRE(ct.size() == 4);
  CHECK(ct[0].first == half);
  CHECK(ct[1].first == year);
  CHECK(ct[2].first == year2);
  CHECK((ct[3].first == later && ct[3].last == later + 4));
  fx.Refused("po2", "unit.transfer", {{"to", "trader"}, {"ops", {Qty("CCER", 6)}}},
             "holdings.insufficient");
}

TEST_CASE("registry: a claimed GEC is final and can never move or be claimed again",
          "[registry][claim]") {
  RegistryFixture fx;
  const uint64_t f = fx.IssueGec("wind-1", MonthsAgo(3), 500);
  fx.Ok("po", "unit.transfer", {{"to", "park-a"}, {"ops", {Qty("GEC", 300)}}});
  const int year = YearsAgo(0);
  auto r = fx.Ok("park-a", "gec.claim",
                 {{"ops", {{{"reporting_year", year}, {"first", f}, {"last", f + 99}}}}});
  CHECK(fx.Held("park-a", "GEC") == 200);
  InstrumentTotals t = fx.Totals("GEC");
  CHECK(t.claimed == 100);
  fx.CheckBalanced("GEC");
  auto s = fx.Refused("park-a", "gec.claim",
                      {{"ops", {{{"reporting_year", year}, {"first", f + 50}, {"last", f + 150}}}}},
                      "unit.used");
  CHECK(Contains(s.message(), "C" + std::to_string(r.seq) + ".0"));
  fx.Refused("park-a", "unit.transfer", {{"to", "park-b"}, {"ops", {Range("GEC", f, f)}}},
             "unit.used");
  // By quantity, claimed units are simply not holdings.
  fx.Refused("park-a", "gec.claim", {{"ops", {{{"reporting_year", year}, {"quantity", 201}}}}},
             "holdings.insufficient");
  fx.Ok("park-a", "gec.claim", {{"ops", {{{"reporting_year", year}, {"quantity", 200}}}}});
  CHECK(fx.Totals("GEC").claimed == 300);
  fx.Refused("park-a", "gec.claim", {{"ops", {{{"reporting_year", 99}, {"quantity", 1}}}}},
             "year.invalid");
}

TEST_CASE("registry: GECs past validity cannot move or be claimed, gec.expire sweeps them",
          "[registry][expiry]") {
  RegistryFixture fx;
  // Validity 24 months counted from the generation month, that month included.
  const uint64_t old = fx.IssueGec("wind-1", MonthsAgo(30), 100);
  const uint64_t edge = fx.IssueGec("wind-1", MonthsAgo(26), 10);
  const uint64_t valid = fx.IssueGec("wind-1", MonthsAgo(21), 10);
  auto s = fx.Refused("po", "unit.transfer", {{"to", "park-a"}, {"ops", {Range("GEC", old, old)}}},
                      "gec.expired");
  CHECK(Contains(s.message(), "valid through " + MonthsAgo(30 - 23)));
  // Selection by quantity never reads them: only the valid block is spendable.
  fx.Refused("po", "unit.transfer", {{"to", "park-a"}, {"ops", {Qty("GEC", 11)}}},
             "holdings.insufficient");
  HoldingsOptions o;
  o.as_of_ms = WallMs();
  auto h = QueryHoldings(fx.ledger().state(), "po", o);
  REQUIRE(h.ok());
  REQUIRE(h->size() == 1);
  CHECK(h->front().held == 120);
  CHECK(h->front().past_validity == 110);
  CHECK(h->front().block_list[0].past_validity);

  // The sweep moves them to "expired", publicly and oldest first, up to its limit.
  auto r = fx.Ok(fx.op(), "gec.expire", {{"limit", 1}});
  auto tr = TraceSerial(fx.ledger().state(), "GEC", old + 5);
  REQUIRE(tr.ok());
  CHECK(tr->steps.back().status == "expired");
  CHECK(tr->steps.back().seq == r.seq);
  CHECK(fx.Totals("GEC").expired == 100);
  fx.Ok(fx.op(), "gec.expire", {{"limit", 100}});
  CHECK(fx.Totals("GEC").expired == 110);
  fx.Refused(fx.op(), "gec.expire", {{"limit", 100}}, "expire.none");
  fx.Refused("po", "unit.transfer", {{"to", "park-a"}, {"ops", {Range("GEC", edge, edge)}}},
             "gec.expired");
  fx.Ok("po", "unit.transfer", {{"to", "park-a"}, {"ops", {Range("GEC", valid, valid)}}});
  fx.CheckBalanced("GEC");
  CHECK(fx.Held("po", "GEC") == 9);

  // The validity is genesis configuration.
  GenesisOptions g;
  g.gec_validity_months = 36;
  RegistryFixture longer(g);
  const uint64_t x = longer.IssueGec("wind-1", MonthsAgo(30), 100);
  longer.Ok("po", "unit.transfer", {{"to", "park-a"}, {"ops", {Range("GEC", x, x + 9)}}});
  longer.Refused(longer.op(), "gec.expire", {{"limit", 10}}, "expire.none");
}

TEST_CASE("registry: CCER and CIC retirement is final, with a stable id, for a beneficiary park",
          "[registry][retire]") {
  RegistryFixture fx;
  const std::string y = std::to_string(YearsAgo(1));
  const uint64_t c = fx.IssueCredit("ccer-free", y, 1000);
  const uint64_t k = fx.IssueCredit("cic-sz", y, 50);
  fx.Ok("po2", "unit.transfer", {{"to", "trader"}, {"ops", {Qty("CCER", 600)}}});
  nlohmann::json op = {{"instrument", "CCER"},           {"quantity", 200},
                       {"beneficiary", "park-a"},        {"reporting_year", YearsAgo(0)},
                       {"purpose", "carbon_neutrality"}, {"note", "residual 2025 emissions"}};
  auto r = fx.Ok("trader", "credit.retire", {{"ops", {op}}});
  CHECK(fx.Held("trader", "CCER") == 400);
  CHECK(fx.Totals("CCER").retired == 200);
  fx.CheckBalanced("CCER");
  auto rec =
      GetRecord(fx.ledger().state(), registry::RetirementKey("R" + std::to_string(r.seq) + ".0"));
  REQUIRE(rec->has_value());
  CHECK((**rec)["beneficiary"] == "park-a");
  CHECK((**rec)["quantity"] == 200);
  // Retired units never move again.
  fx.Refused("trader", "unit.transfer", {{"to", "park-b"}, {"ops", {Range("CCER", c, c)}}},
             "unit.used");
  auto again = op;
  again.erase("quantity");
  again["first"] = c;
  again["last"] = c + 10;
  fx.Refused("trader", "credit.retire", {{"ops", {again}}}, "unit.used");
  // The rules of the operation's fields.
  auto bad = [&](const char* field, nlohmann::json v, const std::string& reason) {
    auto o2 = op;
    o2[field] = std::move(v);
    fx.Refused("trader", "credit.retire", {{"ops", {o2}}}, reason);
  };
  bad("instrument", "GEC", "instrument.not_retirable");
  bad("purpose", "offsetting", "purpose.invalid");
  bad("beneficiary", "trader", "account.role");
  bad("beneficiary", "ghost", "account.unknown");
  bad("quantity", 401, "holdings.insufficient");
  bad("quantity", 0, "quantity.range");
  // A project owner retires its own CIC by range.
  auto cic = op;
  cic.erase("quantity");
  cic["instrument"] = "CIC";
  cic["first"] = k;
  cic["last"] = k + 9;
  cic["beneficiary"] = "park-b";
  cic["purpose"] = "voluntary";
  fx.Ok("po", "credit.retire", {{"ops", {cic}}});
  CHECK(fx.Totals("CIC").retired == 10);
}

TEST_CASE("registry: a park accepts a retirement another account made for it, once, alone",
          "[registry][retire][accept]") {
  RegistryFixture fx;
  const int year = YearsAgo(0);
  fx.IssueCredit("ccer-free", std::to_string(year - 1), 100);
  fx.Ok("po2", "unit.transfer", {{"to", "trader"}, {"ops", {Qty("CCER", 60)}}});
  fx.Ok("po2", "unit.transfer", {{"to", "park-a"}, {"ops", {Qty("CCER", 20)}}});
  auto retire = [&](const std::string& signer, uint64_t q) {
    auto r = fx.Ok(signer, "credit.retire",
                   {{"ops",
                     {{{"instrument", "CCER"},
                       {"quantity", q},
                       {"beneficiary", "park-a"},
                       {"reporting_year", year},
                       {"purpose", "carbon_neutrality"}}}}});
    return "R" + std::to_string(r.seq) + ".0";
  };
  const std::string by_trader = retire("trader", 10);
  const std::string own = retire("park-a", 5);
  auto accepted_seq = [&](const std::string& id) {
    auto py = QueryParkYear(fx.ledger().state(), "park-a", year);
    REQUIRE(py.ok());
    for (const RetiredBlock& b : py->retirements) {
      if (b.retirement == id) return b.accepted_seq;
    }
    FAIL("no row " << id);
    return uint64_t(0);
  };
  CHECK(accepted_seq(by_trader) == 0);
  // Nobody but the beneficiary park accepts: not the retiring trader (a role that may not
  // sign it), not another park.
  fx.Refused("trader", "retirement.accept", {{"retirement", by_trader}}, "tx.role");
  fx.Refused("park-b", "retirement.accept", {{"retirement", by_trader}}, "accept.not_beneficiary");
  // Only a retirement: an unknown id, a claim's id, the park's own retirement.
  fx.Refused("park-a", "retirement.accept", {{"retirement", "R999.0"}}, "retirement.unknown");
  fx.Refused("park-a", "retirement.accept", {{"retirement", "C1.0"}}, "retirement.unknown");
  fx.Refused("park-a", "retirement.accept", {{"retirement", own}}, "accept.own");
  fx.Refused("park-a", "retirement.accept", nlohmann::json::object(), "field.missing");
  fx.Refused("park-a", "retirement.accept", {{"retirement", by_trader}, {"note", "x"}},
             "field.unknown");
  // The beneficiary accepts it once.
  auto a = fx.Ok("park-a", "retirement.accept", {{"retirement", by_trader}});
  CHECK(accepted_seq(by_trader) == a.seq);
  CHECK(accepted_seq(own) == 0);
  auto rec = GetRecord(fx.ledger().state(), registry::AcceptanceKey(by_trader));
  REQUIRE(rec.ok());
  REQUIRE(rec->has_value());
  CHECK(**rec == nlohmann::json{{"retirement", by_trader}, {"park", "park-a"}, {"seq", a.seq}});
  fx.Refused("park-a", "retirement.accept", {{"retirement", by_trader}}, "accept.duplicate");
  // Acceptance moves no units.
  CHECK(fx.Totals("CCER").retired == 15);
  fx.CheckBalanced("CCER");
}

TEST_CASE("registry: a park-year query reports claims and retirements with their attributes",
          "[registry][query][park_year]") {
  RegistryFixture fx;
  const int year = YearsAgo(0);
  const uint64_t g = fx.IssueGec("wind-1", MonthsAgo(3), 100);
  fx.IssueGec("wind-1", MonthsAgo(4), 100);
  fx.Ok("po", "unit.transfer", {{"to", "park-a"}, {"ops", {Qty("GEC", 150)}}});
  auto claim = fx.Ok("park-a", "gec.claim",
                     {{"ops",
                       {{{"reporting_year", year}, {"quantity", 120}},
                        {{"reporting_year", year - 1}, {"quantity", 5}}}}});
  const uint64_t c = fx.IssueCredit("ccer-wind", MonthsAgo(40) + "/" + MonthsAgo(38), 30);
  auto retire = fx.Ok("po", "credit.retire",
                      {{"ops",
                        {{{"instrument", "CCER"},
                          {"first", c},
                          {"last", c + 29},
                          {"beneficiary", "park-a"},
                          {"reporting_year", year},
                          {"purpose", "compliance"}}}}});
  auto py = QueryParkYear(fx.ledger().state(), "park-a", year);
  REQUIRE(py.ok());
  CHECK(py->claimed_mwh == 120);
  // Two blocks, by serial: 20 of the newer month's block, and the older month's in full
  // (selection took the older month first).
  REQUIRE(py->claims.size() == 2);
  CHECK((py->claims[0].first == g && py->claims[0].quantity == 20));
  const ClaimedBlock& first = py->claims[1];
  CHECK(first.claim == "C" + std::to_string(claim.seq) + ".0");
  CHECK(first.seq == claim.seq);
  CHECK(first.quantity == 100);
  CHECK(first.generation_month == MonthsAgo(4));
  CHECK(first.generator == "wind-1");
  CHECK(first.technology == "wind");
  CHECK(first.region == "340000");
  REQUIRE(py->retirements.size() == 1);
  const RetiredBlock& rb = py->retirements[0];
  CHECK(rb.retirement == "R" + std::to_string(retire.seq) + ".0");
  CHECK(rb.instrument == "CCER");
  CHECK(rb.quantity == 30);
  CHECK(rb.vintage == MonthsAgo(40) + "/" + MonthsAgo(38));
  CHECK(rb.project == "ccer-wind");
  CHECK(rb.project_region == "340000");
  CHECK(rb.purpose == "compliance");
  CHECK(rb.beneficiary == "park-a");
  CHECK(rb.retired_by == "po");
  CHECK(rb.reporting_year == year);
  CHECK(py->retired_ccer == 30);
  auto prev = QueryParkYear(fx.ledger().state(), "park-a", year - 1);
  REQUIRE(prev.ok());
  CHECK(prev->claimed_mwh == 5);
  CHECK(prev->retirements.empty());
  CHECK(QueryParkYear(fx.ledger().state(), "park-b", year)->claims.empty());
  // The park list (the explorer's) finds both years through the park-year index.
  auto parks = ListParks(fx.ledger().state());
  REQUIRE(parks.ok());
  auto a = std::find_if(parks->parks.begin(), parks->parks.end(),
                        [](const auto& p) { return p.id == "park-a"; });
  REQUIRE(a != parks->parks.end());
  CHECK(a->years == std::vector<int64_t>{year - 1, year});
}

TEST_CASE("registry: a generator-month backs GECs or CCER, never both (GECs first)",
          "[registry][double_counting]") {
  RegistryFixture fx;
  const std::string m6 = MonthsAgo(6), m7 = MonthsAgo(7);
  const uint64_t a = fx.IssueGec("wind-1", m6, 1000);
  const uint64_t b = fx.IssueGec("wind-1", m7, 500);
  fx.Ok("po", "unit.transfer", {{"to", "trader"}, {"ops", {Range("GEC", b, b + 99)}}});
  // CCER for months that back GECs is refused, every such month named.
  auto s = fx.Refused(
      fx.op(), "credit.issue",
      {{"ops", {{{"project", "ccer-wind"}, {"vintage", m7 + "/" + m6}, {"quantity", 10}}}}},
      "double_counting.gec_ccer");
  CHECK(s.code() == Code::kConflict);
  CHECK(Contains(s.message(), m6));
  CHECK(Contains(s.message(), m7));
  // The project chooses CCER: the untraded GECs of those months are frozen, publicly.
  auto fr = fx.Ok(fx.op(), "gec.freeze",
                  {{"project", "ccer-wind"}, {"from", m7}, {"to", m6}, {"reason", "CCER chosen"}});
  CHECK(fx.Totals("GEC").frozen == 1400);
  HoldingsOptions o;
  o.instrument = "GEC";
  auto h = QueryHoldings(fx.ledger().state(), "po", o);
  REQUIRE(h.ok());
  CHECK(h->front().held == 1400);
  CHECK(h->front().frozen == 1400);
  fx.Refused("po", "unit.transfer", {{"to", "park-a"}, {"ops", {Range("GEC", a, a)}}},
             "unit.frozen");
  fx.Refused("po", "unit.transfer", {{"to", "park-a"}, {"ops", {Qty("GEC", 1)}}},
             "holdings.insufficient");
  fx.Refused(fx.op(), "gec.issue",
             {{"ops", {{{"generator", "wind-1"}, {"month", m6}, {"quantity", 1}}}}},
             "double_counting.gec_ccer");
  // CCER for m6 cancels its frozen GECs; m7 still backs traded GECs and stays refused.
  auto ci =
      fx.Ok(fx.op(), "credit.issue",
            {{"ops", {{{"project", "ccer-wind"}, {"vintage", m6 + "/" + m6}, {"quantity", 700}}}}});
  InstrumentTotals t = fx.Totals("GEC");
  CHECK(t.cancelled == 1000);
  CHECK(t.frozen == 400);
  fx.CheckBalanced("GEC");
  auto tr = TraceSerial(fx.ledger().state(), "GEC", a + 1);
  REQUIRE(tr.ok());
  REQUIRE(tr->steps.size() == 3);
  CHECK(tr->steps[1].event == "freeze");
  CHECK(tr->steps[1].seq == fr.seq);
  CHECK(tr->steps[2].event == "cancel");
  CHECK(tr->steps[2].status == "cancelled");
  CHECK(tr->steps[2].seq == ci.seq);
  fx.Refused(fx.op(), "credit.issue",
             {{"ops", {{{"project", "ccer-wind"}, {"vintage", m7 + "/" + m7}, {"quantity", 1}}}}},
             "double_counting.gec_ccer");
  fx.Refused(fx.op(), "gec.freeze",
             {{"project", "ccer-free"}, {"from", m7}, {"to", m6}, {"reason", "x"}},
             "project.not_linked");
}

TEST_CASE("registry: a generator-month backs GECs or CCER, never both (CCER first)",
          "[registry][double_counting]") {
  RegistryFixture fx;
  const std::string m8 = MonthsAgo(8), m9 = MonthsAgo(9);
  fx.IssueCredit("ccer-wind", m9 + "/" + m8, 100);
  auto s = fx.Refused(fx.op(), "gec.issue",
                      {{"ops", {{{"generator", "wind-1"}, {"month", m8}, {"quantity", 1}}}}},
                      "double_counting.gec_ccer");
  CHECK(Contains(s.message(), "ccer-wind"));
  // Other months of the generator and other generators are unaffected.
  fx.IssueGec("wind-1", MonthsAgo(10), 1);
  fx.IssueGec("solar-1", m8, 1);
  // A CCER year covers its twelve months.
  const int y = YearsAgo(3);
  fx.IssueCredit("ccer-wind", std::to_string(y), 5);
  fx.Refused(
      fx.op(), "gec.issue",
      {{"ops", {{{"generator", "wind-1"}, {"month", std::to_string(y) + "-07"}, {"quantity", 1}}}}},
      "double_counting.gec_ccer");
}

TEST_CASE("registry: the operator cancels units issued in error while the recipient holds them",
          "[registry][cancel]") {
  RegistryFixture fx;
  const std::string m = MonthsAgo(2);
  const uint64_t cap = 10 * uint64_t(registry::HoursInMonth(*registry::ParseMonth(m))) / 1000;
  const uint64_t f = fx.IssueGec("solar-1", m, cap);
  fx.Ok("po2", "unit.transfer", {{"to", "trader"}, {"ops", {Range("GEC", f + 1, f + 2)}}});
  auto s = fx.Refused(fx.op(), "unit.cancel",
                      {{"reason", "metering error"}, {"ops", {Range("GEC", f, f + cap - 1)}}},
                      "cancel.not_original");
  CHECK(Contains(s.message(), "GEC-" + std::to_string(f + 1) + "-" + std::to_string(f + 2)));
  fx.Refused(fx.op(), "unit.cancel", {{"ops", {Range("GEC", f, f)}}}, "field.missing");
  fx.Refused("trader", "unit.cancel", {{"reason", "x"}, {"ops", {Range("GEC", f, f)}}}, "tx.role");
  fx.Refused(fx.op(), "unit.cancel", {{"reason", "x"}, {"ops", {Qty("GEC", 1)}}}, "field.unknown");
  fx.Refused(fx.op(), "unit.cancel", {{"reason", "x"}, {"ops", {{{"instrument", "GEC"}}}}},
             "units.spec");
  auto r = fx.Ok(fx.op(), "unit.cancel",
                 {{"reason", "metering error"}, {"ops", {Range("GEC", f + 3, f + cap - 1)}}});
  CHECK(fx.Totals("GEC").cancelled == cap - 3);
  fx.CheckBalanced("GEC");
  auto tr = TraceSerial(fx.ledger().state(), "GEC", f + 3);
  CHECK(tr->steps.back().status == "cancelled");
  CHECK(tr->steps.back().seq == r.seq);
  // The cancelled MWh no longer count against the month's capacity.
  fx.IssueGec("solar-1", m, cap - 3);
  fx.Refused(fx.op(), "unit.cancel", {{"reason", "again"}, {"ops", {Range("GEC", f + 3, f + 3)}}},
             "unit.used");
  // History is never rewritten: the issuance record stands.
  auto iss = GetRecord(fx.ledger().state(), registry::IssuanceKey(tr->attributes.issuance));
  CHECK((**iss)["quantity"] == cap);
}

TEST_CASE("registry: a batch applies all or nothing and its refusal lists every failing operation",
          "[registry][batch]") {
  RegistryFixture fx;
  const uint64_t f = fx.IssueGec("wind-1", MonthsAgo(3), 100);
  fx.Ok("po", "unit.transfer", {{"to", "park-a"}, {"ops", {Qty("GEC", 60)}}});
  const int year = YearsAgo(0);
  fx.Ok("park-a", "gec.claim",
        {{"ops", {{{"reporting_year", year}, {"first", f + 10}, {"last", f + 19}}}}});
  auto s = fx.Refused("park-a", "gec.claim",
                      {{"ops",
                        {{{"reporting_year", year}, {"quantity", 5}},
                         {{"reporting_year", year}, {"first", f}, {"last", f + 79}},
                         {{"reporting_year", year}, {"quantity", 5}},
                         {{"reporting_year", year}, {"first", 999999}, {"last", 999999}}}}},
                      "unit.used");
  // Op 1 fails twice (claimed units, then units held by po); op 3 names unknown serials.
  CHECK_FALSE(Contains(s.message(), "op 0:"));
  // Earlier operations of the batch count: op 0 claimed the five lowest serials.
  CHECK(Contains(s.message(), "op 1: GEC-" + std::to_string(f) + "-" + std::to_string(f + 4) +
                                  " is already claimed"));
  CHECK(Contains(s.message(), "GEC-" + std::to_string(f + 10) + "-" + std::to_string(f + 19) +
                                  " is already claimed"));
  CHECK(Contains(s.message(), "GEC-" + std::to_string(f + 60) + "-" + std::to_string(f + 79) +
                                  " is held by \"po\""));
  CHECK_FALSE(Contains(s.message(), "op 2:"));
  CHECK(Contains(s.message(), "\nop 3: GEC-999999 was never issued"));
  CHECK(fx.Held("park-a", "GEC") == 50);
  fx.Refused("park-a", "gec.claim", {{"ops", nlohmann::json::array()}}, "batch.size");
  nlohmann::json many = nlohmann::json::array();
  for (int i = 0; i < 1001; ++i) many.push_back({{"reporting_year", year}, {"quantity", 1}});
  fx.Refused("park-a", "gec.claim", {{"ops", many}}, "batch.size");
  // Many operations in one transaction: a year's claims, one per month.
  nlohmann::json ops = nlohmann::json::array();
  for (int i = 0; i < 50; ++i) ops.push_back({{"reporting_year", year}, {"quantity", 1}});
  fx.Ok("park-a", "gec.claim", {{"ops", ops}});
  CHECK(fx.Held("park-a", "GEC") == 0);
}

TEST_CASE("registry: bad input is refused with a named reason and changes nothing",
          "[registry][errors]") {
  RegistryFixture fx;
  const uint64_t f = fx.IssueGec("wind-1", MonthsAgo(3), 100);
  auto transfer = [&](nlohmann::json op, const std::string& reason) {
    fx.Refused("po", "unit.transfer", {{"to", "trader"}, {"ops", {std::move(op)}}}, reason);
  };
  transfer(Qty("GEC", 0), "quantity.range");
  transfer({{"instrument", "GEC"}, {"quantity", -5}}, "quantity.range");
  transfer({{"instrument", "GEC"}, {"quantity", "5"}}, "field.missing");
  transfer(Qty("GEC", 101), "holdings.insufficient");
  transfer(Qty("VER", 1), "instrument.invalid");
  transfer(Range("GEC", f + 5, f + 4), "serial.range");
  transfer(Range("GEC", 0, 4), "serial.range");
  transfer(Range("GEC", f + 50, f + 150), "serial.unknown");
  transfer({{"instrument", "GEC"}, {"quantity", 1}, {"first", 1}, {"last", 1}}, "units.spec");
  transfer({{"instrument", "GEC"}}, "units.spec");
  transfer({{"instrument", "GEC"}, {"quantity", 1}, {"memo", "x"}}, "field.unknown");
  transfer(Qty("CCER", 1), "holdings.insufficient");
  fx.Refused("po", "unit.transfer", {{"ops", {Qty("GEC", 1)}}}, "field.missing");
  fx.Refused("po", "unit.transfer", {{"to", "trader"}, {"ops", {1}}}, "field.type");
  fx.Refused("trader", "unit.transfer", {{"to", "po"}, {"ops", {Range("GEC", f, f)}}},
             "holdings.not_held");
  fx.Refused(fx.op(), "credit.issue",
             {{"ops", {{{"project", "nope"}, {"vintage", "2020"}, {"quantity", 1}}}}},
             "project.unknown");
  fx.Refused(
      fx.op(), "credit.issue",
      {{"ops", {{{"project", "ccer-free"}, {"vintage", "2020-05/2020-01"}, {"quantity", 1}}}}},
      "vintage.invalid");
  fx.Refused(
      fx.op(), "credit.issue",
      {{"ops", {{{"project", "ccer-free"}, {"vintage", "2010-01/2020-12"}, {"quantity", 1}}}}},
      "vintage.invalid");
  fx.Refused(
      fx.op(), "credit.issue",
      {{"ops",
        {{{"project", "ccer-free"}, {"vintage", std::to_string(YearsAgo(0))}, {"quantity", 1}}}}},
      "issuance.future_month");
  // Quantities are JSON integers within 2^53-1: a larger one cannot even be submitted.
  auto big =
      SignTransaction("unit.transfer", fx.ledger().origin(), "po", 100,
                      {{"to", "trader"}, {"ops", {Qty("GEC", uint64_t(1) << 53)}}}, fx.key("po"));
  CHECK(big.status().reason() == "json.integer_range");
  CHECK(fx.Held("po", "GEC") == 100);
  CHECK(fx.Held("trader", "GEC") == 0);
  fx.CheckBalanced("GEC");
}

TEST_CASE("registry: serial numbers and sums stay within 2^53-1 and never wrap",
          "[registry][overflow]") {
  RegistryFixture fx;
  const uint64_t max = uint64_t(kMaxSafeInteger);
  fx.IssueCredit("ccer-free", MonthVintage(2), max - 5);
  fx.Refused(fx.op(), "credit.issue",
             {{"ops", {{{"project", "ccer-free"}, {"vintage", MonthVintage(3)}, {"quantity", 6}}}}},
             "quantity.overflow");
  // Two operations that fit alone overflow together.
  fx.Refused(fx.op(), "credit.issue",
             {{"ops",
               {{{"project", "ccer-free"}, {"vintage", MonthVintage(3)}, {"quantity", 3}},
                {{"project", "ccer-free"}, {"vintage", MonthVintage(4)}, {"quantity", 3}}}}},
             "quantity.overflow");
  const uint64_t last = fx.IssueCredit("ccer-free", MonthVintage(1), 5);  // the newest
  CHECK(last == max - 4);
  CHECK(fx.Totals("CCER").issued == max);
  CHECK(fx.Totals("CCER").next_serial == max + 1);
  fx.Ok("po2", "unit.transfer", {{"to", "trader"}, {"ops", {Qty("CCER", max - 1)}}});
  CHECK(fx.Held("trader", "CCER") == max - 1);
  CHECK(fx.Held("po2", "CCER") == 1);
  auto b = BlockAt(fx.ledger().state(), "CCER", max);
  REQUIRE(b.ok());
  REQUIRE(b->has_value());
  CHECK((*b)->holder == "po2");
  fx.CheckBalanced("CCER");
}

TEST_CASE("registry: a serial number's trace lists its issuance, every move and its end",
          "[registry][trace]") {
  RegistryFixture fx;
  const uint64_t f = fx.IssueGec("wind-1", MonthsAgo(3), 1000);
  auto t1 =
      fx.Ok("po", "unit.transfer", {{"to", "trader"}, {"ops", {Range("GEC", f + 100, f + 499)}}});
  auto t2 = fx.Ok("trader", "unit.transfer", {{"to", "park-a"}, {"ops", {Qty("GEC", 150)}}});
  auto c =
      fx.Ok("park-a", "gec.claim",
            {{"ops", {{{"reporting_year", YearsAgo(0)}, {"first", f + 120}, {"last", f + 130}}}}});
  auto tr = TraceSerial(fx.ledger().state(), "GEC", f + 125);
  REQUIRE(tr.ok());
  REQUIRE(tr->steps.size() == 4);
  CHECK(tr->steps[0].event == "issue");
  CHECK((tr->steps[0].first == f && tr->steps[0].last == f + 999));
  CHECK(tr->steps[1].event == "transfer");
  CHECK(tr->steps[1].holder == "trader");
  CHECK(tr->steps[1].seq == t1.seq);
  CHECK(tr->steps[2].event == "transfer");
  CHECK(tr->steps[2].holder == "park-a");
  CHECK(tr->steps[2].seq == t2.seq);
  CHECK(tr->steps[3].event == "claim");
  CHECK(tr->steps[3].status == "claimed");
  CHECK(tr->steps[3].seq == c.seq);
  CHECK(tr->steps[3].ref == "C" + std::to_string(c.seq) + ".0");
  CHECK((tr->steps[3].first == f + 120 && tr->steps[3].last == f + 130));
  CHECK(tr->attributes.generator == "wind-1");
  // A serial outside the transfers: issue, then the split that left it with po.
  auto rest = TraceSerial(fx.ledger().state(), "GEC", f + 900);
  REQUIRE(rest.ok());
  REQUIRE(rest->steps.size() == 2);
  CHECK(rest->steps[1].event == "split");
  CHECK(rest->steps[1].holder == "po");
  CHECK(TraceSerial(fx.ledger().state(), "GEC", f + 1000).status().reason() == "serial.unknown");
  CHECK(TraceSerial(fx.ledger().state(), "XYZ", 1).status().reason() == "instrument.invalid");
}

TEST_CASE(
    "registry: issuing costs the same whatever the quantity, selection reads only what it takes",
    "[registry][cost]") {
  RegistryFixture fx;
  const std::string y = std::to_string(YearsAgo(1));
  auto records = [&] {
    size_t n = 0;
    REQUIRE(fx.ledger()
                .state()
                .Scan("r",
                      [&](const std::string&, const std::string&) {
                        ++n;
                        return true;
                      })
                .ok());
    return n;
  };
  fx.IssueCredit("ccer-free", MonthVintage(2), 1);  // creates the CCER totals record
  size_t before = records();
  fx.IssueCredit("ccer-free", MonthVintage(3), 1);
  size_t one = records() - before;
  before = records();
  fx.IssueCredit("ccer-free", MonthVintage(4), 4700000000);
  CHECK(records() - before == one);
  // 200 small blocks held by po; a transfer of 3 units touches the 3 oldest only.
  nlohmann::json ops = nlohmann::json::array();
  for (int i = 0; i < 200; ++i)
    ops.push_back({{"project", "cic-sz"}, {"vintage", MonthVintage(2 + i)}, {"quantity", 1}});
  fx.Ok(fx.op(), "credit.issue", {{"ops", ops}});
  // 50 past-validity GEC blocks are never read by selection.
  for (int i = 0; i < 50; ++i) fx.IssueGec("wind-1", MonthsAgo(40 + i), 1);
  fx.IssueGec("wind-1", MonthsAgo(3), 5);

  auto measure = [&](const nlohmann::json& body) {
    CountingReader counting(fx.ledger().state());
    StateTxn txn(counting);
    SignedTransaction stx = fx.Sign("po", "unit.transfer", body);
    TxContext ctx{stx.tx, fx.ledger().size(), WallMs()};
    auto key = LedgerTxTypes().signers().find(stx.tx.signer, txn);
    REQUIRE(key.ok());
    Status s = ApplyTransaction(LedgerTxTypes(), ctx, key->key, txn).status();
    INFO(s.ToString());
    REQUIRE(s.ok());
    return counting;
  };
  auto c = measure({{"to", "trader"}, {"ops", {Qty("CIC", 3)}}});
  CHECK(c.scanned["rh"] == 3);
  CHECK(c.scanned["rb"] == 3);
  auto g = measure({{"to", "trader"}, {"ops", {Qty("GEC", 2)}}});
  CHECK(g.scanned["rh"] == 1);
  CHECK(g.scanned["rb"] == 1);
}

TEST_CASE("registry: one transaction may not meet more than 10,000 blocks", "[registry][limits]") {
  RegistryFixture fx;
  // 11,000 one-MWh GEC blocks of one generator-month (within its capacity x hours).
  const std::string month = MonthsAgo(2);
  for (int t = 0; t < 11; ++t) {
    nlohmann::json ops = nlohmann::json::array();
    for (int i = 0; i < 1000; ++i) {
      ops.push_back({{"generator", "wind-1"}, {"month", month}, {"quantity", 1}});
    }
    fx.Ok(fx.op(), "gec.issue", {{"ops", ops}});
  }
  auto s = fx.Refused("po", "unit.transfer", {{"to", "trader"}, {"ops", {Range("GEC", 1, 11000)}}},
                      "batch.too_many_blocks");
  CHECK(s.code() == Code::kTooLarge);
  // The budget is the transaction's, across its operations, by range or by quantity.
  fx.Refused("po", "unit.transfer",
             {{"to", "trader"}, {"ops", {Range("GEC", 1, 6000), Qty("GEC", 5000)}}},
             "batch.too_many_blocks");
  fx.Ok("po", "unit.transfer",
        {{"to", "trader"}, {"ops", {Range("GEC", 1, 200), Qty("GEC", 300)}}});
  CHECK(fx.Held("trader", "GEC") == 500);
}

TEST_CASE(
    "registry: a CIC project linked to a generator cannot issue for months whose GECs "
    "were claimed",
    "[registry][double_counting]") {
  RegistryFixture fx;
  fx.Ok(fx.op(), "generator.register",
        {{"generator", "huainan-solar"},
         {"name", "Huainan floating solar"},
         {"owner", "po"},
         {"technology", "solar"},
         {"capacity_kw", 20000},
         {"region", "340000"}});
  fx.Ok(fx.op(), "project.register",
        {{"project", "cic-huainan"},
         {"instrument", "CIC"},
         {"owner", "po"},
         {"methodology", "AH-PHCER-PV-01"},
         {"scenario", "floating solar"},
         {"region", "340000"},
         {"generator", "huainan-solar"}});
  const std::string m = MonthsAgo(3);
  const uint64_t f = fx.IssueGec("huainan-solar", m, 1000);
  fx.Ok("po", "unit.transfer", {{"to", "park-a"}, {"ops", {Range("GEC", f, f + 999)}}});
  fx.Ok("park-a", "gec.claim",
        {{"ops", {{{"reporting_year", YearsAgo(0)}, {"first", f}, {"last", f + 999}}}}});
  fx.Refused(
      fx.op(), "credit.issue",
      {{"ops", {{{"project", "cic-huainan"}, {"vintage", m + "/" + m}, {"quantity", 1000}}}}},
      "double_counting.gec_ccer");
  // Its other months issue, and then back no GECs.
  const std::string other = MonthsAgo(4);
  fx.IssueCredit("cic-huainan", other + "/" + other, 1000);
  fx.Refused(fx.op(), "gec.issue",
             {{"ops", {{{"generator", "huainan-solar"}, {"month", other}, {"quantity", 1}}}}},
             "double_counting.gec_ccer");
  // One credit project per generator.
  fx.Refused(fx.op(), "project.register",
             {{"project", "ccer-huainan"},
              {"instrument", "CCER"},
              {"owner", "po"},
              {"methodology", "CCER-01-001-V01"},
              {"sector", "energy"},
              {"region", "340000"},
              {"generator", "huainan-solar"}},
             "generator.linked");
  fx.CheckBalanced("GEC");
  fx.CheckBalanced("CIC");
}

TEST_CASE("registry: a project's issuance periods never overlap, whatever the vintage's spelling",
          "[registry][double_counting]") {
  RegistryFixture fx;
  const std::string y = std::to_string(YearsAgo(2));
  fx.IssueCredit("ccer-free", y, 100);
  const InstrumentTotals before = fx.Totals("CCER");
  for (const std::string& v : {y, y + "-01/" + y + "-06", y + "-12/" + y + "-12",
                               std::to_string(YearsAgo(3)) + "-12/" + y + "-01"}) {
    INFO(v);
    auto s = fx.Refused(fx.op(), "credit.issue",
                        {{"ops", {{{"project", "ccer-free"}, {"vintage", v}, {"quantity", 5}}}}},
                        "issuance.period_overlap");
    CHECK(s.message().find("overlaps") != std::string::npos);
  }
  // Two operations of one transaction overlap each other: the whole transaction is refused.
  const std::string y1 = std::to_string(YearsAgo(1));
  fx.Refused(
      fx.op(), "credit.issue",
      {{"ops",
        {{{"project", "ccer-free"}, {"vintage", y1 + "-01/" + y1 + "-03"}, {"quantity", 1}},
         {{"project", "ccer-free"}, {"vintage", y1 + "-03/" + y1 + "-04"}, {"quantity", 1}}}}},
      "issuance.period_overlap");
  CHECK(fx.Totals("CCER").issued == before.issued);
  // Adjacent periods and other projects' periods are fine.
  fx.IssueCredit("ccer-free", y1 + "-01/" + y1 + "-03", 1);
  fx.IssueCredit("ccer-free", y1 + "-04/" + y1 + "-04", 1);
  fx.IssueCredit("cic-sz", y, 1);
  CHECK(fx.Totals("CCER").issued == before.issued + 2);
}

namespace {

// A 20 MW wind farm "wind-20" and the CCER project "ccer-wind-20" linked to it.
void Wind20(RegistryFixture& fx) {
  fx.Ok(fx.op(), "generator.register",
        {{"generator", "wind-20"},
         {"owner", "po"},
         {"technology", "wind"},
         {"capacity_kw", 20000},
         {"region", "620000"}});
  fx.Ok(fx.op(), "project.register",
        {{"project", "ccer-wind-20"},
         {"instrument", "CCER"},
         {"owner", "po"},
         {"methodology", "CCER-01-002-V01"},
         {"sector", "energy"},
         {"region", "620000"},
         {"generator", "wind-20"}});
}

registry::Generation Month(RegistryFixture& fx, const std::string& generator, int month) {
  auto g = registry::LoadGeneration(fx.ledger().state(), generator, month);
  REQUIRE(g.ok());
  return *g;
}

}  // namespace

TEST_CASE("registry: credits of a linked project are bounded by its generator's output",
          "[registry][double_counting]") {
  RegistryFixture fx;
  Wind20(fx);
  // A 31-day month: 20 MW x 744 h = 14,880 MWh, at most 14,880 t.
  std::string m;
  for (int k = 2;; ++k) {
    m = MonthsAgo(k);
    if (registry::HoursInMonth(registry::ParseMonth(m).value()) == 744) break;
  }
  const std::string v = m + "/" + m;
  fx.Refused(fx.op(), "credit.issue",
             {{"ops", {{{"project", "ccer-wind-20"}, {"vintage", v}, {"quantity", 1000000000}}}}},
             "issuance.over_generation");
  fx.Refused(fx.op(), "credit.issue",
             {{"ops", {{{"project", "ccer-wind-20"}, {"vintage", v}, {"quantity", 14881}}}}},
             "issuance.over_generation");
  fx.IssueCredit("ccer-wind-20", v, 14880);
  // A second issuance for the same month is an overlap, however small.
  fx.Refused(fx.op(), "credit.issue",
             {{"ops", {{{"project", "ccer-wind-20"}, {"vintage", v}, {"quantity", 1}}}}},
             "issuance.period_overlap");
  fx.CheckBalanced("CCER");
}

TEST_CASE("registry: the generator-month index records each month's share of a credit issuance",
          "[registry][double_counting]") {
  RegistryFixture fx;
  Wind20(fx);
  // Five two-month periods, each with a quantity from 1 t to the whole bound: every month's
  // share is within its bound, the shares sum to the issuance, and they follow the months'
  // hours (a 744 h month never gets less than a 720 h one of the same period, give or take 1).
  const uint64_t quantities[] = {1, 7, 10001, 28000, 0};
  for (int k = 0; k < 5; ++k) {
    const int to = registry::AcceptanceMonth(WallMs()) - 2 - 2 * k, from = to - 1;
    uint64_t bound = 0;
    for (int m = from; m <= to; ++m) bound += 20 * uint64_t(registry::HoursInMonth(m));
    const uint64_t q = quantities[k] == 0 ? bound : quantities[k];
    const std::string v = registry::FormatMonth(from) + "/" + registry::FormatMonth(to);
    fx.IssueCredit("ccer-wind-20", v, q);
    uint64_t sum = 0;
    for (int m = from; m <= to; ++m) {
      const registry::Generation g = Month(fx, "wind-20", m);
      INFO(registry::FormatMonth(m) << " of " << v << ", " << q << " t");
      CHECK(g.ccer == "ccer-wind-20");
      CHECK(g.credit_issuance == "I" + std::to_string(fx.ledger().size() - 1) + ".0");
      CHECK(g.credit_t <= 20 * uint64_t(registry::HoursInMonth(m)));
      CHECK(g.gec == 0);
      sum += g.credit_t;
    }
    CHECK(sum == q);
    const registry::Generation a = Month(fx, "wind-20", from), b = Month(fx, "wind-20", to);
    const uint64_t ha = registry::HoursInMonth(from), hb = registry::HoursInMonth(to);
    if (ha > hb) CHECK(a.credit_t + 1 >= b.credit_t);
    if (hb > ha) CHECK(b.credit_t + 1 >= a.credit_t);
  }
  // Each MWh backs one instrument: the months credits were issued for take no GEC, a month
  // with GECs takes no credits, and no second credit project, CCER or CIC, may link the
  // generator.
  const std::string m = registry::FormatMonth(registry::AcceptanceMonth(WallMs()) - 2);
  fx.Refused(fx.op(), "gec.issue",
             {{"ops", {{{"generator", "wind-20"}, {"month", m}, {"quantity", 1}}}}},
             "double_counting.gec_ccer");
  const std::string g = MonthsAgo(14);
  fx.IssueGec("wind-20", g, 10000);
  fx.Refused(fx.op(), "credit.issue",
             {{"ops", {{{"project", "ccer-wind-20"}, {"vintage", g + "/" + g}, {"quantity", 1}}}}},
             "double_counting.gec_ccer");
  fx.Refused(fx.op(), "project.register",
             {{"project", "cic-wind-20"},
              {"instrument", "CIC"},
              {"owner", "po"},
              {"methodology", "CCER-01-002-V01"},
              {"scenario", "wind power"},
              {"region", "620000"},
              {"generator", "wind-20"}},
             "generator.linked");
  fx.CheckBalanced("CCER");
  fx.CheckBalanced("GEC");
}

TEST_CASE(
    "registry: cancelling a whole credit issuance releases its period and months, a part "
    "releases nothing",
    "[registry][cancel][double_counting]") {
  RegistryFixture fx;
  Wind20(fx);
  const std::string m = MonthsAgo(3), v = MonthVintage(3);
  const int month = *registry::ParseMonth(m);
  const uint64_t f = fx.IssueCredit("ccer-wind-20", v, 100);
  // Cancelled in part: the period stays issued and the month stays the project's.
  fx.Ok(fx.op(), "unit.cancel", {{"reason", "over-issued"}, {"ops", {Range("CCER", f, f + 39)}}});
  CHECK(Month(fx, "wind-20", month).ccer == "ccer-wind-20");
  CHECK(Month(fx, "wind-20", month).credit_t == 100);
  fx.Refused(fx.op(), "credit.issue",
             {{"ops", {{{"project", "ccer-wind-20"}, {"vintage", v}, {"quantity", 60}}}}},
             "issuance.period_overlap");
  fx.Refused(fx.op(), "gec.issue",
             {{"ops", {{{"generator", "wind-20"}, {"month", m}, {"quantity", 1}}}}},
             "double_counting.gec_ccer");
  // Its last unit cancelled, the issuance releases both: the month is free again, for a
  // corrected issuance or for GECs, and is counted once whichever comes.
  fx.Ok(fx.op(), "unit.cancel",
        {{"reason", "over-issued"}, {"ops", {Range("CCER", f + 40, f + 99)}}});
  const registry::Generation released = Month(fx, "wind-20", month);
  CHECK(released.ccer.empty());
  CHECK(released.credit_t == 0);
  auto iss = GetRecord(fx.ledger().state(),
                       registry::IssuanceKey("I" + std::to_string(fx.ledger().size() - 3) + ".0"));
  REQUIRE(iss.ok());
  REQUIRE(iss->has_value());
  CHECK((**iss)["cancelled"] == 100);
  CHECK((**iss)["quantity"] == 100);  // the issuance itself is never rewritten
  fx.IssueCredit("ccer-wind-20", v, 60);
  CHECK(Month(fx, "wind-20", month).credit_t == 60);
  fx.Refused(fx.op(), "gec.issue",
             {{"ops", {{{"generator", "wind-20"}, {"month", m}, {"quantity", 1}}}}},
             "double_counting.gec_ccer");
  // An unlinked project's whole cancellation releases its period only.
  const uint64_t u = fx.IssueCredit("ccer-free", MonthVintage(5), 10);
  fx.Refused(fx.op(), "credit.issue",
             {{"ops", {{{"project", "ccer-free"}, {"vintage", MonthVintage(5)}, {"quantity", 1}}}}},
             "issuance.period_overlap");
  fx.Ok(fx.op(), "unit.cancel", {{"reason", "wrong vintage"}, {"ops", {Range("CCER", u, u + 9)}}});
  fx.IssueCredit("ccer-free", MonthVintage(5), 9);
  fx.CheckBalanced("CCER");
}

TEST_CASE("registry: a project of a power-generation methodology must name its generator",
          "[registry][double_counting]") {
  RegistryFixture fx;
  const uint64_t f = fx.IssueGec("wind-1", MonthsAgo(3), 10000);
  for (const char* methodology : {"CCER-01-001-V01", "CCER-01-002-V01"}) {
    INFO(methodology);
    fx.Refused(fx.op(), "project.register",
               {{"project", "ccer-unlinked"},
                {"instrument", "CCER"},
                {"owner", "po"},
                {"methodology", methodology},
                {"sector", "energy"},
                {"region", "340000"}},
               "project.generator_required");
  }
  // Without a project, no CCER can be issued for the wind farm's months; its GECs stand.
  fx.Refused(
      fx.op(), "credit.issue",
      {{"ops", {{{"project", "ccer-unlinked"}, {"vintage", MonthVintage(3)}, {"quantity", 1}}}}},
      "project.unknown");
  CHECK(fx.Held("po", "GEC") == 10000);
  CHECK(fx.Blocks("po", "GEC").front().first == f);
}
