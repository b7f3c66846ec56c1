// carbonledger bench: the machine's own limits, then the ledger measured against them, in one
// run (docs/performance.md). Every ledger figure is printed with its ratio to the limit that
// bounds it, so results from different machines compare.
#include <leveldb/write_batch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <random>
#include <thread>

#include "crypto/ed25519.h"
#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "ledger/db.h"
#include "ledger/genesis.h"
#include "ledger/ledger.h"
#include "ledger/verify.h"
#include "tools/carbonledger/commands.h"
#include "tools/carbonledger/flags.h"

namespace carbonledger::cli {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

unsigned Cores() { return std::max(1u, std::thread::hardware_concurrency()); }

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

double RssMb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

void Row(const std::string& name, double value, const std::string& unit,
         const std::string& ratio = "") {
  std::cout << "  " << std::left << std::setw(44) << name << std::right << std::setw(14)
            << std::fixed << std::setprecision(value < 100 ? 2 : 0) << value << " " << std::left
            << std::setw(10) << unit << ratio << "\n";
}

std::string Ratio(double value, double limit, const std::string& of) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(3) << value / limit << " of " << of;
  return s.str();
}

struct Limits {
  double verify_1core = 0, verify_all = 0, sha_mbps = 0, synced_writes = 0, random_reads = 0;
};

Limits MeasureLimits(const std::string& dir, double secs) {
  Limits l;
  SigningKey key = SigningKey::Generate();
  std::string msg(300, 'x');  // about one canonical transaction
  Signature sig = key.Sign(msg);
  auto verify = [&](unsigned, uint64_t) {
    if (!VerifySignature(key.public_key(), msg, sig)) std::abort();
  };
  l.verify_1core = Rate(1, secs, verify);
  l.verify_all = Rate(Cores(), secs, verify);
  std::string mb(1 << 20, 'a');
  auto start = Clock::now();
  int n = 0;
  while (Seconds(start) < secs) {
    Sha256(mb);
    ++n;
  }
  l.sha_mbps = n / Seconds(start);

  auto db = OpenDatabase(dir + "/limits-db");
  if (!db.ok()) return l;
  leveldb::WriteOptions wo;
  wo.sync = true;
  std::string value(480, 'v');  // an entry record with its tree nodes
  start = Clock::now();
  uint64_t writes = 0;
  while (Seconds(start) < secs) {
    leveldb::WriteBatch b;
    b.Put("k" + std::to_string(writes), value);
    (*db)->db()->Write(wo, &b);
    ++writes;
  }
  l.synced_writes = writes / Seconds(start);
  for (uint64_t i = 0; i < 100000; ++i) {
    leveldb::WriteBatch b;
    b.Put("r" + std::to_string(i), value.substr(0, 32));
    (*db)->db()->Write(leveldb::WriteOptions(), &b);
  }
  l.random_reads = Rate(Cores(), secs, [&](unsigned t, uint64_t i) {
    std::string v;
    (*db)->db()->Get(Database::ReadOpts(), "r" + std::to_string((i * 7919 + t) % 100000), &v);
  });
  return l;
}

struct Ingest {
  double tx_per_s = 0, p50_ms = 0, p99_ms = 0;
  uint64_t batches = 0;
};

// Pre-signs `count` account.create transactions from `signers` registry accounts and submits
// them from one producer thread per core, each keeping many transactions in flight.
Result<Ingest> MeasureIngest(Ledger& ledger, const SigningKey& op_key, uint64_t count) {
  const std::string& origin = ledger.origin();
  const unsigned producers = Cores();
  const unsigned signers = 32 * producers;
  std::vector<SigningKey> keys;
  for (unsigned s = 0; s < signers; ++s) {
    keys.push_back(SigningKey::Generate());
    auto tx = SignTransaction("account.create", origin, "operator", s + 2,
                              {{"account", "bench-signer-" + std::to_string(s)},
                               {"role", "registry"},
                               {"public_key", Base64Encode(AsBytes(keys.back().public_key()))}},
                              op_key);
    if (!tx.ok()) return tx.status();
    auto r = ledger.Submit(*tx);
    if (!r.ok()) return r.status();
  }
  std::string member_key = Base64Encode(AsBytes(SigningKey::Generate().public_key()));
  std::vector<SignedTransaction> txs(count);
  std::vector<std::thread> pool;
  std::atomic<bool> sign_failed{false};
  for (unsigned p = 0; p < producers; ++p) {
    pool.emplace_back([&, p] {
      for (uint64_t i = p; i < count; i += producers) {
        unsigned s = unsigned(i % signers);
        auto tx = SignTransaction("account.create", origin, "bench-signer-" + std::to_string(s),
                                  i / signers + 1,
                                  {{"account", "member-" + std::to_string(i)},
                                   {"role", "trader"},
                                   {"public_key", member_key}},
                                  keys[s]);
        if (!tx.ok())
          sign_failed = true;
        else
          txs[i] = std::move(*tx);
      }
    });
  }
  for (auto& t : pool) t.join();
  pool.clear();
  if (sign_failed) return Status::InvalidArgument("bench", "could not sign bench transactions");

  std::vector<double> latency(count);
  std::atomic<uint64_t> failures{0};
  std::mutex mu;
  std::condition_variable cv;
  uint64_t in_flight = 0;
  const uint64_t window = 16384;
  auto start = Clock::now();
  // Signer s's transactions all go through producer s % producers, so each signer's nonces
  // reach the sequencer in order.
  for (unsigned p = 0; p < producers; ++p) {
    pool.emplace_back([&, p] {
      for (uint64_t i = 0; i < count; ++i) {
        if ((i % signers) % producers != p) continue;
        {
          std::unique_lock lock(mu);
          cv.wait(lock, [&] { return in_flight < window; });
          ++in_flight;
        }
        auto t0 = Clock::now();
        ledger.SubmitAsync(txs[i], [&, i, t0](Result<Receipt> r) {
          latency[i] = Seconds(t0) * 1000.0;
          if (!r.ok()) {
            if (failures++ == 0) std::cerr << "bench: " << r.status().ToString() << "\n";
          }
          std::lock_guard lock(mu);
          --in_flight;
          cv.notify_all();
        });
      }
    });
  }
  for (auto& t : pool) t.join();
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return in_flight == 0; });
  }
  double secs = Seconds(start);
  if (failures > 0) {
    return Status::Unprocessable("bench", std::to_string(failures) + " bench transactions failed");
  }
  std::sort(latency.begin(), latency.end());
  Ingest out;
  out.tx_per_s = count / secs;
  out.p50_ms = latency[count / 2];
  out.p99_ms = latency[std::min<uint64_t>(count - 1, count * 99 / 100)];
  return out;
}

}  // namespace

int BenchCommand(const Args& args) {
  Flags f(args, {"entries", "dir", "seconds"}, {"quick"});
  bool quick = f.Has("quick");
  auto entries_flag = f.GetU64("entries");
  if (!f.ok()) {
    std::cerr << "carbonledger: " << f.error() << "\n";
    return 2;
  }
  uint64_t entries = entries_flag.value_or(quick ? 5000 : 1000000);
  double secs = quick ? 0.3 : 2.0;
  std::string dir = f.GetOr("dir", (std::filesystem::temp_directory_path() /
                                    ("carbonledger-bench-" + std::to_string(::getpid())))
                                       .string());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  InitCrypto();

  std::cout << "carbonledger bench: " << Cores() << " cores, " << entries << " entries, data in "
            << dir << "\n\nmachine limits\n";
  Limits l = MeasureLimits(dir, secs);
  Row("ed25519 verifications/s, 1 core", l.verify_1core, "/s");
  Row("ed25519 verifications/s, all cores", l.verify_all, "/s");
  Row("sha-256", l.sha_mbps, "MB/s");
  Row("leveldb synced writes/s (1 record each)", l.synced_writes, "/s");
  Row("leveldb random reads/s, all cores", l.random_reads, "/s");

  std::string data = dir + "/ledger";
  if (Status s = InitLedger(data, GenesisOptions{}); !s.ok()) {
    std::cerr << "bench: " << s.ToString() << "\n";
    return 1;
  }
  auto op = ReadPrivateKeyFile(OperatorKeyPath(data));
  if (!op.ok()) return 1;
  std::cout << "\nledger\n";
  {
    auto ledger = Ledger::Open({data});
    if (!ledger.ok()) {
      std::cerr << "bench: " << ledger.status().ToString() << "\n";
      return 1;
    }
    auto ingest = MeasureIngest(**ledger, op->key, entries);
    if (!ingest.ok()) {
      std::cerr << "bench: " << ingest.status().ToString() << "\n";
      return 1;
    }
    Row("durable signed ingest", ingest->tx_per_s, "tx/s",
        Ratio(ingest->tx_per_s, l.verify_all, "all-core verify rate (target >= 0.5)"));
    Row("  ingest latency p50", ingest->p50_ms, "ms");
    Row("  ingest latency p99", ingest->p99_ms, "ms");
    Ledger::Stats st = (*ledger)->stats();
    Row("  mean entries per synced write", double(st.entries) / double(st.batches), "tx");
    uint64_t n = (*ledger)->size();
    double proofs = Rate(Cores(), secs, [&](unsigned t, uint64_t i) {
      uint64_t seq = (i * 2654435761u + t * 40503u) % n;
      if (!(*ledger)->InclusionProof(seq, n).ok()) std::abort();
    });
    Row("inclusion proofs/s at " + std::to_string(n) + " entries", proofs, "/s",
        Ratio(proofs, 100000, "target 100,000/s"));
    Row("resident memory after ingest and proofs", RssMb(), "MB", "target < 300 MB at 10^6");
  }
  auto start = Clock::now();
  VerifyOptions vo;
  vo.data_dir = data;
  auto report = VerifyLedger(vo);
  double vsecs = Seconds(start);
  if (!report.ok()) {
    std::cerr << "bench: verify-ledger: " << report.status().ToString() << "\n";
    return 1;
  }
  double vrate = report->entries / vsecs;
  Row("verify-ledger", vrate, "entries/s",
      Ratio(vrate, l.verify_1core, "1-core verify rate (target >= 0.5)"));
  uintmax_t bytes = 0;
  for (auto& e : std::filesystem::recursive_directory_iterator(data)) {
    if (e.is_regular_file()) bytes += e.file_size();
  }
  Row("bytes on disk per entry", double(bytes) / report->entries, "B");
  if (!f.Has("dir")) std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace carbonledger::cli
