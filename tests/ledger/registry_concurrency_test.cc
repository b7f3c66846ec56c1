// No double spending under concurrency: several threads submit conflicting spends of one block
// (claims and transfers, by range and by quantity) to a real ledger at once. The sequencer
// applies them in some order; exactly one must win, every time, and the block's units must end
// in exactly one place.
#include <catch2/catch.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "tests/ledger/registry_test_util.h"

using namespace carbonledger;
using namespace carbonledger::testing;

namespace {

// Holds threads until all have arrived, then releases them together.
class StartLine {
 public:
  explicit StartLine(int n) : waiting_(n) {}
  void Arrive() {
    std::unique_lock lock(mu_);
    if (--waiting_ == 0) {
      cv_.notify_all();
    } else {
      cv_.wait(lock, [&] { return waiting_ == 0; });
    }
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int waiting_;
};

}  // namespace

TEST_CASE("registry: conflicting spends of one block from several threads: exactly one wins",
          "[registry][concurrency]") {
  RegistryFixture fx;
  constexpr int kRounds = 150;
  constexpr int kThreads = 4;
  const int year = YearsAgo(0);
  std::map<std::string, int> refusals;
  std::map<int, int> wins_by;
  for (int round = 0; round < kRounds; ++round) {
    const std::string month = MonthsAgo(2 + round % 12);
    const uint64_t f = fx.IssueGec("wind-1", month, 10);
    fx.Ok("po", "unit.transfer", {{"to", "park-a"}, {"ops", {Range("GEC", f, f + 9)}}});
    // Four different spends of the same ten units, signed in nonce order up front.
    std::vector<SignedTransaction> txs = {
        fx.Sign("park-a", "gec.claim",
                {{"ops", {{{"reporting_year", year}, {"first", f}, {"last", f + 9}}}}}),
        fx.Sign("park-a", "unit.transfer",
                {{"to", "park-b"}, {"ops", {Range("GEC", f + 3, f + 5)}}}),
        fx.Sign("park-a", "gec.claim", {{"ops", {{{"reporting_year", year}, {"quantity", 10}}}}}),
        fx.Sign("park-a", "unit.transfer", {{"to", "trader"}, {"ops", {Qty("GEC", 10)}}}),
    };
    std::vector<Result<Receipt>> results(kThreads, Status::OK());
    if (round % 3 == 2) {
      // All queued at once from one thread: one group commit, applied in submission order.
      std::vector<std::promise<Result<Receipt>>> done(kThreads);
      for (int t = 0; t < kThreads; ++t) {
        fx.ledger().SubmitAsync(txs[size_t(t)], [&done, t](Result<Receipt> r) {
          done[size_t(t)].set_value(std::move(r));
        });
      }
      for (int t = 0; t < kThreads; ++t) results[size_t(t)] = done[size_t(t)].get_future().get();
      CHECK(results[0].ok());  // the first submitted wins
    } else {
      StartLine start(kThreads);
      std::vector<std::thread> threads;
      for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
          start.Arrive();
          results[size_t(t)] = fx.ledger().Submit(txs[size_t(t)]);
        });
      }
      for (auto& th : threads) th.join();
    }
    int winner = -1, wins = 0;
    for (int t = 0; t < kThreads; ++t) {
      if (results[size_t(t)].ok()) {
        ++wins;
        winner = t;
      } else {
        refusals[results[size_t(t)].status().reason()]++;
      }
    }
    INFO("round " << round);
    REQUIRE(wins == 1);
    // Every unit of the block is where the winner put it, and nowhere else.
    for (uint64_t s = f; s <= f + 9; ++s) {
      auto b = BlockAt(fx.ledger().state(), "GEC", s);
      REQUIRE(b.ok());
      REQUIRE(b->has_value());
      const bool moved_by_1 = winner == 1 && s >= f + 3 && s <= f + 5;
      if (winner == 0 || winner == 2) CHECK((*b)->status == "claimed");
      if (winner == 3) CHECK((*b)->holder == "trader");
      if (winner == 1) CHECK((*b)->holder == (moved_by_1 ? "park-b" : "park-a"));
    }
    // Leftovers are claimed so that the next round's by-quantity spends can only take its block.
    if (fx.Held("park-a", "GEC") > 0) {
      fx.Ok("park-a", "gec.claim",
            {{"ops", {{{"reporting_year", year}, {"quantity", fx.Held("park-a", "GEC")}}}}});
    }
    wins_by[winner]++;
  }
  // The losers lost to the holdings check (the units were gone) or, when a later nonce was
  // sequenced first, to the nonce check; nothing else.
  for (const auto& [reason, n] : refusals) {
    INFO(reason << " x" << n);
    CHECK((reason == "unit.used" || reason == "holdings.not_held" ||
           reason == "holdings.insufficient" || reason == "nonce.replayed"));
  }
  CHECK(refusals["unit.used"] + refusals["holdings.not_held"] + refusals["holdings.insufficient"] >
        0);
  WARN("winners by spend: claim-range " << wins_by[0] << ", transfer-range " << wins_by[1]
                                        << ", claim-quantity " << wins_by[2]
                                        << ", transfer-quantity " << wins_by[3]);
  CHECK(fx.Held("park-a", "GEC") == 0);
  fx.CheckBalanced("GEC");
}
