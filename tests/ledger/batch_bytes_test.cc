// Group commit capped by bytes (LedgerOptions::max_batch_bytes, docs/ledger-format.md §Store):
// a stream of ~55 KB transactions against a real ledger in a temp dir.
#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "ledger/certification/transaction_types.h"
#include "tests/ledger/registry_test_util.h"

using namespace carbonledger;
using namespace carbonledger::testing;

namespace {

// gec.issue transactions of 1000 one-MWh operations each (about 55 KB of canonical JSON).
std::vector<SignedTransaction> BigIssuances(RegistryFixture& fx, int n) {
  std::vector<SignedTransaction> out;
  for (int t = 0; t < n; ++t) {
    nlohmann::json ops = nlohmann::json::array();
    for (int i = 0; i < 1000; ++i) {
      ops.push_back({{"generator", "wind-1"}, {"month", MonthsAgo(3)}, {"quantity", 1}});
    }
    out.push_back(fx.Sign(fx.op(), "gec.issue", {{"ops", ops}}));
  }
  return out;
}

// Opens the fixture's ledger with `cap` and holds the writer in the first commit's on_commit
// until every transaction is queued, so the batches are what the cap makes them.
std::vector<CommitInfo> CommitAll(RegistryFixture& fx, const std::vector<SignedTransaction>& txs,
                                  size_t cap) {
  fx.Close();
  std::mutex mu;
  std::condition_variable cv;
  bool queued = false;
  std::vector<CommitInfo> commits;
  LedgerOptions o;
  o.data_dir = fx.data_dir();
  o.max_batch_bytes = cap;
  o.on_commit = [&](const CommitInfo& c) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return queued; });
    commits.push_back(c);
  };
  auto l = Ledger::Open(o, LedgerTxTypes());
  REQUIRE(l.ok());
  std::atomic<int> done{0}, ok{0};
  for (const auto& tx : txs) {
    (*l)->SubmitAsync(tx, [&](Result<Receipt> r) {
      if (r.ok()) ++ok;
      ++done;
    });
  }
  {
    std::lock_guard lock(mu);
    queued = true;
  }
  cv.notify_all();
  while (done < int(txs.size())) std::this_thread::yield();
  CHECK(ok == int(txs.size()));
  l->reset();
  return commits;
}

}  // namespace

TEST_CASE("a stream of large transactions commits in batches under the byte cap",
          "[ledger][batch]") {
  RegistryFixture fx;
  auto txs = BigIssuances(fx, 20);
  const size_t tx_bytes = txs[0].tx.canonical.size();
  REQUIRE(tx_bytes > 50000);
  const size_t cap = 3 * tx_bytes + tx_bytes / 2;  // three fit, four do not
  auto commits = CommitAll(fx, txs, cap);
  uint64_t entries = 0, largest = 0;
  for (const CommitInfo& c : commits) {
    INFO("a commit of " << c.entries << " entries, " << c.bytes << " bytes");
    CHECK(c.bytes <= cap);
    CHECK(c.bytes >= c.entries * tx_bytes);
    entries += c.entries;
    largest = std::max(largest, c.entries);
  }
  CHECK(entries == 20);
  // The writer was held while all 20 queued: after the first, batches are full to the cap.
  CHECK(largest == 3);
}

TEST_CASE("a transaction larger than the byte cap still commits, alone", "[ledger][batch]") {
  RegistryFixture fx;
  auto txs = BigIssuances(fx, 4);
  auto commits = CommitAll(fx, txs, 1024);
  REQUIRE(commits.size() == 4);
  for (const CommitInfo& c : commits) {
    CHECK(c.entries == 1);
    CHECK(c.bytes > 1024);
  }
}
