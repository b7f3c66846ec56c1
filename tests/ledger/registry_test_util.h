// Registry test support: a real ledger holding the accounts, generators and projects most
// registry tests need, and helpers that read as the transactions they send.
#pragma once

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "ledger/registry/internal/records.h"
#include "ledger/registry/queries.h"
#include "tests/support/ledger_fixture.h"

namespace carbonledger::testing {

inline uint64_t WallMs() {
  return uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count());
}

// The month k months before the current acceptance month (China Standard Time), "YYYY-MM".
// Tests keep at least two months away from any validity edge, so a month turning while they
// run changes nothing.
inline std::string MonthsAgo(int k) {
  return registry::FormatMonth(registry::AcceptanceMonth(WallMs()) - k);
}
// A one-month monitoring period "YYYY-MM/YYYY-MM", k months back: distinct k give issuance
// periods that do not overlap (one project's periods never may).
inline std::string MonthVintage(int k) { return MonthsAgo(k) + "/" + MonthsAgo(k); }
inline int YearsAgo(int k) { return registry::AcceptanceMonth(WallMs()) / 12 - k; }

// Accounts: "operator" (registry), "po" and "po2" (project_owner), "park-a" and "park-b"
// (park), "trader", "certifier". Generators: "wind-1" (po, 100 MW, Anhui), "solar-1"
// (po2, 10 kW, Jiangsu). Projects: "ccer-free" (CCER, po2), "ccer-wind" (CCER, po, linked to
// wind-1), "cic-sz" (CIC, po, Suzhou).
class RegistryFixture : public LedgerFixture {
 public:
  explicit RegistryFixture(GenesisOptions g = {}) : LedgerFixture(std::move(g)) {
    CreateAccount("po", "project_owner");
    CreateAccount("po2", "project_owner");
    CreateAccount("park-a", "park", {{"name", "Park A"}, {"region", "340100"}});
    CreateAccount("park-b", "park", {{"name", "Park B"}, {"region", "320500"}});
    CreateAccount("trader", "trader");
    CreateAccount("certifier", "certifier");
    Ok(op(), "generator.register",
       {{"generator", "wind-1"},
        {"owner", "po"},
        {"technology", "wind"},
        {"capacity_kw", 100000},
        {"region", "340000"}});
    Ok(op(), "generator.register",
       {{"generator", "solar-1"},
        {"owner", "po2"},
        {"technology", "solar"},
        {"capacity_kw", 10},
        {"region", "320000"}});
    Ok(op(), "project.register",
       {{"project", "ccer-free"},
        {"instrument", "CCER"},
        {"owner", "po2"},
        {"methodology", "CCER-14-001-V01"},
        {"sector", "forestry"},
        {"region", "520000"}});
    Ok(op(), "project.register",
       {{"project", "ccer-wind"},
        {"instrument", "CCER"},
        {"owner", "po"},
        {"methodology", "CCER-01-001-V01"},
        {"sector", "energy"},
        {"region", "340000"},
        {"generator", "wind-1"}});
    Ok(op(), "project.register",
       {{"project", "cic-sz"},
        {"instrument", "CIC"},
        {"owner", "po"},
        {"methodology", "PHCER-SZ-PV"},
        {"scenario", "rooftop solar"},
        {"region", "320500"}});
  }

  Receipt Ok(const std::string& signer, const std::string& type, nlohmann::json body) {
    auto r = Send(signer, type, std::move(body));
    INFO(type << ": " << r.status().ToString());
    REQUIRE(r.ok());
    return *r;
  }

  // Sends, requires a refusal with `reason`, and checks that nothing changed.
  Status Refused(const std::string& signer, const std::string& type, nlohmann::json body,
                 const std::string& reason) {
    const std::string before = ledger().checkpoint();
    auto r = Send(signer, type, std::move(body));
    INFO(type << ": " << r.status().ToString());
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().reason() == reason);
    CHECK(ledger().checkpoint() == before);
    return r.status();
  }

  // Issues one GEC block; returns its first serial.
  uint64_t IssueGec(const std::string& generator, const std::string& month, uint64_t q) {
    uint64_t first = Totals("GEC").next_serial;
    Ok(op(), "gec.issue",
       {{"ops", {{{"generator", generator}, {"month", month}, {"quantity", q}}}}});
    return first;
  }
  uint64_t IssueCredit(const std::string& project, const std::string& vintage, uint64_t q) {
    auto p = GetRecord(ledger().state(), registry::ProjectKey(project));
    REQUIRE(p.ok());
    REQUIRE(p->has_value());
    uint64_t first = Totals((**p)["instrument"].get<std::string>()).next_serial;
    Ok(op(), "credit.issue",
       {{"ops", {{{"project", project}, {"vintage", vintage}, {"quantity", q}}}}});
    return first;
  }

  InstrumentTotals Totals(const std::string& instrument) {
    auto t = QueryTotals(ledger().state());
    REQUIRE(t.ok());
    for (const auto& x : *t) {
      if (x.instrument == instrument) return x;
    }
    FAIL("no totals for " << instrument);
    return {};
  }

  // Units `account` holds of `instrument` (active + frozen).
  uint64_t Held(const std::string& account, const std::string& instrument) {
    HoldingsOptions o;
    o.include_blocks = false;
    o.instrument = instrument;
    auto h = QueryHoldings(ledger().state(), account, o);
    REQUIRE(h.ok());
    return h->empty() ? 0 : h->front().held;
  }

  std::vector<BlockView> Blocks(const std::string& account, const std::string& instrument) {
    HoldingsOptions o;
    o.instrument = instrument;
    auto h = QueryHoldings(ledger().state(), account, o);
    REQUIRE(h.ok());
    return h->empty() ? std::vector<BlockView>{} : h->front().block_list;
  }

  void CheckBalanced(const std::string& instrument) {
    InstrumentTotals t = Totals(instrument);
    CHECK(t.issued == t.held + t.claimed + t.retired + t.expired + t.cancelled);
    CHECK(t.issued == t.next_serial - 1);
  }
};

inline nlohmann::json Range(const std::string& instrument, uint64_t first, uint64_t last) {
  return {{"instrument", instrument}, {"first", first}, {"last", last}};
}
inline nlohmann::json Qty(const std::string& instrument, uint64_t quantity) {
  return {{"instrument", instrument}, {"quantity", quantity}};
}

}  // namespace carbonledger::testing
