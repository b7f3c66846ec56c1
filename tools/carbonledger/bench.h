// What the CLI's benchmarks share (carbonledger bench, bench-scale): timing, the machine's own
// limits measured in the same run, and the rows they print, each figure beside the limit that
// bounds it (docs/performance.md, docs/scale.md §Measured).
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/status.h"
#include "ledger/log/ledger.h"

namespace carbonledger::cli {

using Clock = std::chrono::steady_clock;

inline double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

inline unsigned Cores() { return std::max(1u, std::thread::hardware_concurrency()); }

// Runs `op` on `threads` threads for about `seconds`; returns operations per second.
template <typename Op>
double Rate(unsigned threads, double seconds, Op op) {
  std::atomic<uint64_t> total{0};
  auto start = Clock::now();
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      uint64_t n = 0;
      while (Seconds(start) < seconds) {
        for (int i = 0; i < 64; ++i) op(t, n++);
      }
      total += n;
    });
  }
  for (auto& th : pool) th.join();
  return double(total) / Seconds(start);
}

// The machine's limits: Ed25519 verifications/s on one core and on all, SHA-256 over 1 MiB
// buffers, and LevelDB (in `dir`) synced writes and verified random reads.
struct Limits {
  double verify_1core = 0, verify_all = 0, sha_mbps = 0, synced_writes = 0, random_reads = 0;
};
Limits MeasureLimits(const std::string& dir, double secs);

// Durable signed ingest: `count` pre-signed account.create transactions from many registry
// accounts, submitted from one producer thread per core with many in flight.
struct Ingest {
  double tx_per_s = 0, p50_ms = 0, p99_ms = 0;
  uint64_t batches = 0;
};
Result<Ingest> MeasureIngest(Ledger& ledger, const SigningKey& op_key, uint64_t count);

// "  name      value unit  ratio"
void Row(const std::string& name, double value, const std::string& unit,
         const std::string& ratio = "");
// "0.612 of <of>"
std::string Ratio(double value, double limit, const std::string& of);

}  // namespace carbonledger::cli
