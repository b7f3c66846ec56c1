// Reads of one state: a StateReadScope pins the committed state for the reading thread
// (ledger/log/ledger.h), so a query that reads several records never mixes two batches; and the
// park index that lets the park list read parks only, page by page.
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "ledger/certification/reports.h"
#include "tests/ledger/registry_test_util.h"

using namespace carbonledger;
using namespace carbonledger::testing;

namespace {

uint64_t HeldBy(const StateReader& state, const std::string& account) {
  HoldingsOptions o;
  o.include_blocks = false;
  o.instrument = "GEC";
  auto h = QueryHoldings(state, account, o);
  if (!h.ok()) return UINT64_MAX;
  return h->empty() ? 0 : h->front().held;
}

}  // namespace

TEST_CASE("read scope: reads inside a scope see the state of its start, later ones the new",
          "[ledger][read_scope]") {
  RegistryFixture fx;
  const uint64_t f = fx.IssueGec("wind-1", MonthsAgo(2), 10);
  fx.Ok("po", "unit.transfer", {{"to", "park-a"}, {"ops", {Range("GEC", f, f + 9)}}});
  {
    StateReadScope one_state(fx.ledger());
    CHECK(HeldBy(fx.ledger().state(), "park-a") == 10);
    // A commit made while the scope is open (no store failure here, so waiting is safe).
    fx.Ok("park-a", "unit.transfer", {{"to", "park-b"}, {"ops", {Qty("GEC", 4)}}});
    CHECK(HeldBy(fx.ledger().state(), "park-a") == 10);
    CHECK(HeldBy(fx.ledger().state(), "park-b") == 0);
    {
      StateReadScope nested(fx.ledger());  // the innermost scope wins: it began later
      CHECK(HeldBy(fx.ledger().state(), "park-b") == 4);
    }
    CHECK(HeldBy(fx.ledger().state(), "park-b") == 0);
    // Another thread has no scope: it reads the latest state.
    uint64_t other = 0;
    std::thread([&] { other = HeldBy(fx.ledger().state(), "park-b"); }).join();
    CHECK(other == 4);
  }
  CHECK(HeldBy(fx.ledger().state(), "park-a") == 6);
  CHECK(HeldBy(fx.ledger().state(), "park-b") == 4);
}

TEST_CASE(
    "read scope: two accounts' holdings read under one scope always sum to what exists, "
    "while transfers between them commit",
    "[ledger][read_scope][concurrency]") {
  RegistryFixture fx;
  const uint64_t f = fx.IssueGec("wind-1", MonthsAgo(2), 100);
  fx.Ok("po", "unit.transfer", {{"to", "park-a"}, {"ops", {Range("GEC", f, f + 99)}}});
  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, mixed{0};
  std::thread reader([&] {
    while (!done.load()) {
      StateReadScope one_state(fx.ledger());
      const uint64_t a = HeldBy(fx.ledger().state(), "park-a");
      std::this_thread::yield();  // widen the window between the two reads
      const uint64_t b = HeldBy(fx.ledger().state(), "park-b");
      if (a + b != 100) mixed.fetch_add(1);
      reads.fetch_add(1);
    }
  });
  // Each transfer moves units there and the next brings them back, each in one batch: a+b is
  // 100 in every committed state.
  for (int i = 0; i < 200; ++i) {
    const bool forth = i % 2 == 0;
    fx.Ok(forth ? "park-a" : "park-b", "unit.transfer",
          {{"to", forth ? "park-b" : "park-a"}, {"ops", {Qty("GEC", 1 + (i / 2) % 7)}}});
  }
  done.store(true);
  reader.join();
  CHECK(reads.load() > 0);
  CHECK(mixed.load() == 0);
}

TEST_CASE("park list: the park index lists parks only, by id, page by page",
          "[ledger][read_scope]") {
  RegistryFixture fx;  // parks park-a and park-b, and five accounts of other roles
  for (const char* id : {"park-e", "park-c", "park-d"}) {
    fx.CreateAccount(id, "park", {{"name", id}, {"region", "340100"}});
  }
  auto all = ListParks(fx.ledger().state());
  REQUIRE(all.ok());
  CHECK_FALSE(all->more);
  std::vector<std::string> ids;
  for (const auto& p : all->parks) ids.push_back(p.id);
  CHECK(ids == std::vector<std::string>{"park-a", "park-b", "park-c", "park-d", "park-e"});

  // Pages of two, each starting after the last id of the one before.
  std::vector<std::string> paged;
  std::string after;
  int pages = 0;
  for (;;) {
    auto page = ListParks(fx.ledger().state(), after, 2);
    REQUIRE(page.ok());
    ++pages;
    for (const auto& p : page->parks) paged.push_back(p.id);
    if (!page->more) break;
    REQUIRE(page->parks.size() == 2);
    after = page->parks.back().id;
  }
  CHECK(paged == ids);
  CHECK(pages == 3);
  // A page exactly as long as what remains says there is no more.
  auto last = ListParks(fx.ledger().state(), "park-c", 2);
  REQUIRE(last.ok());
  CHECK(last->parks.size() == 2);
  CHECK_FALSE(last->more);
  // `after` need not be a park: "park-bb" sorts between park-b and park-c.
  auto between = ListParks(fx.ledger().state(), "park-bb", 1);
  REQUIRE(between.ok());
  REQUIRE(between->parks.size() == 1);
  CHECK(between->parks[0].id == "park-c");
  CHECK(between->more);
}
