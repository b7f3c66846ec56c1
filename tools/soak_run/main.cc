// carbonledger-soak SECONDS: holds a real carbonledgerd under sustained signed writes and reads
// on loopback for SECONDS and watches whether it stays well (docs/reliability.md §Soak):
//   - writer threads submit signed transactions (account creations, one in 50 a key rotation)
//     at a steady total rate; reader threads fetch and verify checkpoints, fetch inclusion
//     proofs of random entries and verify them against the checkpoint they fetched, and read
//     holdings with signed requests;
//   - every sampling interval it prints the daemon's resident memory (VmRSS, and its anonymous
//     part RssAnon) and the window's throughput and p50/p99 latency of writes and of reads;
//   - at the end every acknowledged transaction must be served with its hash, the checkpoint
//     must extend the newest one any writer received, the daemon must exit 0 on SIGTERM (so a
//     sanitizer report fails the run), and verify-ledger must pass on its data.
// Exits 1 when any of that fails, any request failed, or the anonymous memory grew by more than
// the bound between the end of the warm-up and the end of the run.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "ledger/certification/transaction_types.h"
#include "ledger/log/merkle.h"
#include "ledger/log/verify.h"
#include "ledger/registry/genesis.h"
#include "tools/harness/client.h"
#include "tools/process.h"

namespace carbonledger {
namespace {

using Clock = std::chrono::steady_clock;
constexpr char kOrigin[] = "soak.example/log";

struct Options {
  double seconds = 0;
  int writers = 4;
  int readers = 2;
  double write_rate = 200;  // transactions per second, all writers together; 0 = closed loop
  double read_rate = 400;   // reads per second, all readers together; 0 = closed loop
  double sample_s = 10;
  double warmup_s = -1;  // default: a fifth of the run, at most 60 s
  // Of the daemon's anonymous memory (MemoryOf). LevelDB's block cache (64 MB) and write
  // buffers (16 MB, two while one is compacted) start empty and fill during a run, and the tree
  // levels kept in memory grow by 16 bytes per entry (docs/reliability.md §Soak); beyond
  // those, growth is a leak.
  double max_rss_growth_mb = 128;
  std::string dir;
  bool keep = false;
};

constexpr char kUsage[] =
    "usage: carbonledger-soak SECONDS [--writers N] [--readers N] [--write-rate R]\n"
    "         [--read-rate R] [--sample S] [--warmup S] [--max-rss-growth-mb M] [--dir DIR]\n"
    "  rates are per second for all threads together (0: each thread as fast as answered);\n"
    "  defaults: 4 writers at 200/s, 2 readers at 400/s, a sample every 10 s, warm-up a fifth\n"
    "  of the run (at most 60 s), growth of the daemon's anonymous memory after warm-up at\n"
    "  most 128 MB\n";

bool ParseOptions(int argc, char** argv, Options* o) {
  if (argc < 2) return false;
  char* end = nullptr;
  o->seconds = std::strtod(argv[1], &end);
  if (*end != '\0' || o->seconds <= 0) return false;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--keep") {
      o->keep = true;
      continue;
    }
    if (i + 1 >= argc) return false;
    const std::string v = argv[++i];
    if (a == "--dir") {
      o->dir = v;
      continue;
    }
    const double x = std::strtod(v.c_str(), &end);
    if (*end != '\0' || x < 0) return false;
    if (a == "--writers")
      o->writers = int(x);
    else if (a == "--readers")
      o->readers = int(x);
    else if (a == "--write-rate")
      o->write_rate = x;
    else if (a == "--read-rate")
      o->read_rate = x;
    else if (a == "--sample")
      o->sample_s = x;
    else if (a == "--warmup")
      o->warmup_s = x;
    else if (a == "--max-rss-growth-mb")
      o->max_rss_growth_mb = x;
    else
      return false;
  }
  if (o->writers < 1 || o->readers < 0 || o->sample_s <= 0) return false;
  if (o->warmup_s < 0) o->warmup_s = std::min(60.0, o->seconds / 5);
  return true;
}

// The daemon's resident memory in MB, from /proc/PID/status: all of it (VmRSS) and the
// anonymous part (RssAnon: heap, stacks). The rest is file pages, mostly the LevelDB table
// files LevelDB maps to read them: they grow with the database and are the kernel's to
// reclaim. A leak shows in the anonymous part, which is what the bound applies to.
struct Memory {
  double rss = 0, anon = 0;  // 0: the process is gone
};

Memory MemoryOf(pid_t pid) {
  std::istringstream status(harness::ReadText("/proc/" + std::to_string(pid) + "/status"));
  Memory m;
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmRSS:")) m.rss = std::strtod(line.c_str() + 6, nullptr) / 1024;
    if (line.starts_with("RssAnon:")) m.anon = std::strtod(line.c_str() + 8, nullptr) / 1024;
  }
  return m;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  const size_t k = std::min(v.size() - 1, size_t(p * double(v.size())));
  std::nth_element(v.begin(), v.begin() + long(k), v.end());
  return v[k];
}

// Latencies and failures, by sampling window and for the run after the warm-up.
class Recorder {
 public:
  void Write(double ms) { Add(&window_writes_, &run_writes_, ms); }
  void Read(double ms) { Add(&window_reads_, &run_reads_, ms); }
  void Error(const std::string& what) {
    std::lock_guard lock(mu_);
    if (errors_++ < 10) std::cout << "error: " << what << "\n";
  }
  // The window's latencies; from now on they count for the run too when `warm`.
  void TakeWindow(std::vector<double>* writes, std::vector<double>* reads, bool warm) {
    std::lock_guard lock(mu_);
    *writes = std::move(window_writes_);
    *reads = std::move(window_reads_);
    window_writes_.clear();
    window_reads_.clear();
    warm_ = warm;
  }
  uint64_t errors() const {
    std::lock_guard lock(mu_);
    return errors_;
  }
  std::vector<double> run_writes() const {
    std::lock_guard lock(mu_);
    return run_writes_;
  }
  std::vector<double> run_reads() const {
    std::lock_guard lock(mu_);
    return run_reads_;
  }

 private:
  void Add(std::vector<double>* window, std::vector<double>* run, double ms) {
    std::lock_guard lock(mu_);
    window->push_back(ms);
    if (warm_) run->push_back(ms);
  }

  mutable std::mutex mu_;
  std::vector<double> window_writes_, window_reads_, run_writes_, run_reads_;
  uint64_t errors_ = 0;
  bool warm_ = false;
};

// Paces one thread at `rate` operations per second (0: no pacing). A thread that fell behind
// by more than a second starts a new schedule instead of sending a burst.
class Pacer {
 public:
  explicit Pacer(double rate) : interval_(rate > 0 ? 1.0 / rate : 0), next_(Clock::now()) {}
  void Wait() {
    if (interval_ == 0) return;
    next_ += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(interval_));
    const auto now = Clock::now();
    if (next_ < now - std::chrono::seconds(1)) next_ = now;
    std::this_thread::sleep_until(next_);
  }

 private:
  double interval_;
  Clock::time_point next_;
};

double MsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

class Soak {
 public:
  explicit Soak(Options o) : o_(std::move(o)), data_(o_.dir + "/data") {}

  bool Run() {
    std::filesystem::create_directories(o_.dir);
    if (Status s = InitLedger(data_, GenesisOptions{kOrigin, "operator", 24}); !s.ok()) {
      return Fail("init: " + s.ToString());
    }
    auto op = ReadPrivateKeyFile(OperatorKeyPath(data_));
    auto log_key = ParsePublicKey(harness::ReadText(LogPublicKeyPath(data_)));
    if (!op.ok() || !log_key.ok()) return Fail("cannot read the keys of the new ledger");
    log_key_ = *log_key;
    if (!daemon_.Start({"--data", data_})) return Fail("daemon did not start: " + daemon_.log());
    const int port = daemon_.port();

    std::mt19937_64 rng(std::random_device{}());
    harness::Client setup(port, kOrigin, rng());
    uint64_t op_nonce = 1;  // the genesis entry used 1
    for (int i = 0; i < o_.writers + o_.readers; ++i) {
      const bool writer = i < o_.writers;
      auto a = setup.CreateAccount(op->key, ++op_nonce,
                                   (writer ? "writer-" : "reader-") + std::to_string(i),
                                   writer ? "registry" : "auditor");
      if (!a.ok()) return Fail(a.status().ToString());
      (writer ? writers_ : readers_).push_back(std::move(*a));
    }
    const Memory mem_start = MemoryOf(daemon_.pid());

    std::cout << "soak: " << o_.seconds << " s on 127.0.0.1:" << port << ", " << o_.writers
              << " writers at " << Rate(o_.write_rate) << ", " << o_.readers << " readers at "
              << Rate(o_.read_rate) << ", warm-up " << o_.warmup_s << " s, data in " << o_.dir
              << "\n";
    std::printf("%8s %8s %8s %9s %9s %9s %9s %9s %9s %7s\n", "time s", "RSS MB", "anon MB",
                "writes/s", "w p50 ms", "w p99 ms", "reads/s", "r p50 ms", "r p99 ms", "errors");
    std::printf("%8.0f %8.1f %8.1f %9s %9s %9s %9s %9s %9s %7s\n", 0.0, mem_start.rss,
                mem_start.anon, "-", "-", "-", "-", "-", "-", "-");
    std::fflush(stdout);

    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (auto& w : writers_) {
      threads.emplace_back([&, seed = rng()] { WriteLoop(port, w, seed, stop); });
    }
    for (auto& r : readers_) {
      threads.emplace_back([&, seed = rng()] { ReadLoop(port, r, seed, stop); });
    }

    const auto t0 = Clock::now();
    Memory mem_warm, mem_end = mem_start, mem_half = mem_start;  // mem_half: last sample of the
    double warm_at = 0, anon_peak = mem_start.anon;              // first half of the run
    double worst_write_p99 = 0, worst_read_p99 = 0;
    for (double t = std::min(o_.sample_s, o_.seconds);; t = std::min(t + o_.sample_s, o_.seconds)) {
      std::this_thread::sleep_until(
          t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(t)));
      daemon_.DrainLog();
      const double window = MsSince(t0) / 1000 - last_sample_s_;
      last_sample_s_ += window;
      std::vector<double> w, r;
      const bool warm = t >= o_.warmup_s;
      recorder_.TakeWindow(&w, &r, warm);
      const Memory mem = MemoryOf(daemon_.pid());
      if (mem.rss == 0) {
        stop = true;
        for (auto& th : threads) th.join();
        daemon_.Stop(SIGKILL);  // reaps it and collects the rest of its log
        return Fail("the daemon is gone; its log:\n" + daemon_.log());
      }
      if (warm && mem_warm.rss == 0) {
        mem_warm = mem;
        warm_at = t;
      }
      mem_end = mem;
      anon_peak = std::max(anon_peak, mem.anon);
      const double wp99 = Percentile(w, 0.99), rp99 = Percentile(r, 0.99);
      if (t > o_.warmup_s) {
        worst_write_p99 = std::max(worst_write_p99, wp99);
        worst_read_p99 = std::max(worst_read_p99, rp99);
      }
      if (t <= o_.seconds / 2) mem_half = mem;
      std::printf("%8.0f %8.1f %8.1f %9.0f %9.2f %9.2f %9.0f %9.2f %9.2f %7llu\n", t, mem.rss,
                  mem.anon, double(w.size()) / window, Percentile(w, 0.5), wp99,
                  double(r.size()) / window, Percentile(r, 0.5), rp99,
                  (unsigned long long)recorder_.errors());
      std::fflush(stdout);
      if (t >= o_.seconds) break;
    }
    stop = true;
    for (auto& th : threads) th.join();
    const double elapsed = MsSince(t0) / 1000;

    // The run as a whole.
    const auto run_w = recorder_.run_writes(), run_r = recorder_.run_reads();
    std::printf(
        "soak: %.0f s, %zu writes acknowledged (%.0f/s), %llu reads (%.0f/s), %llu errors\n",
        elapsed, acks_.size(), double(acks_.size()) / elapsed, (unsigned long long)reads_.load(),
        double(reads_.load()) / elapsed, (unsigned long long)recorder_.errors());
    std::printf("RSS: %.1f MB at start, %.1f MB after warm-up (%.0f s), %.1f MB at end\n",
                mem_start.rss, mem_warm.rss, warm_at, mem_end.rss);
    std::printf(
        "anonymous: %.1f MB at start, %.1f MB after warm-up, %.1f MB at end (peak %.1f MB), "
        "growth after warm-up %+.1f MB (bound %.0f MB), in the second half %+.1f MB\n",
        mem_start.anon, mem_warm.anon, mem_end.anon, anon_peak, mem_end.anon - mem_warm.anon,
        o_.max_rss_growth_mb, mem_end.anon - mem_half.anon);
    std::printf(
        "latency after warm-up: writes p50 %.2f ms, p99 %.2f ms (worst window p99 %.2f); reads "
        "p50 %.2f ms, p99 %.2f ms (worst window p99 %.2f)\n",
        Percentile(run_w, 0.5), Percentile(run_w, 0.99), worst_write_p99, Percentile(run_r, 0.5),
        Percentile(run_r, 0.99), worst_read_p99);

    bool ok = true;
    if (recorder_.errors() != 0) ok = Fail(std::to_string(recorder_.errors()) + " requests failed");
    if (acks_.size() == 0) ok = Fail("nothing was acknowledged");
    if (mem_warm.rss > 0 && mem_end.anon - mem_warm.anon > o_.max_rss_growth_mb) {
      ok = Fail("anonymous memory grew by more than the bound after warm-up");
    }
    return Finish() && ok;
  }

 private:
  static std::string Rate(double r) {
    return r > 0 ? std::to_string(int(r)) + "/s" : std::string("as fast as answered");
  }

  bool Fail(const std::string& what) {
    std::cout << "FAILED: " << what << "\n";
    return false;
  }

  void WriteLoop(int port, harness::Account& w, uint64_t seed, const std::atomic<bool>& stop) {
    harness::Client c(port, kOrigin, seed, std::chrono::seconds(60));
    Pacer pace(o_.write_rate / o_.writers);
    while (!stop) {
      pace.Wait();
      const auto t0 = Clock::now();
      auto s = c.SubmitNext(w, 50);
      const double ms = MsSince(t0);
      if (s.outcome != harness::Client::Submitted::kAcked) {
        recorder_.Error(w.id + ": " +
                        (s.outcome == harness::Client::Submitted::kGone ? std::string("no answer")
                                                                        : s.refusal.ToString()));
        if (s.outcome == harness::Client::Submitted::kGone) return;
        continue;
      }
      recorder_.Write(ms);
      acks_.Add(s.ack, s.head);
    }
  }

  // Cycles through the three reads: a checkpoint (signature verified), an inclusion proof of a
  // random entry in that checkpoint's tree (verified against its root), holdings (signed).
  void ReadLoop(int port, const harness::Account& me, uint64_t seed,
                const std::atomic<bool>& stop) {
    harness::Client c(port, kOrigin, seed, std::chrono::seconds(60));
    std::mt19937_64 rng(seed);
    Pacer pace(o_.readers > 0 ? o_.read_rate / o_.readers : 0);
    std::optional<Checkpoint> cp;
    for (uint64_t i = 0; !stop; ++i) {
      pace.Wait();
      const auto t0 = Clock::now();
      std::string error;
      if (i % 3 == 0 || !cp) {
        auto note = c.api().CheckpointNote();
        if (!note.ok()) {
          error = "GET /v1/checkpoint: " + note.status().ToString();
        } else if (auto opened = OpenCheckpoint(*note, log_key_.name, log_key_.key); !opened.ok()) {
          error = "checkpoint does not open: " + opened.status().ToString();
        } else {
          cp = *opened;
        }
      } else if (i % 3 == 1) {
        const uint64_t seq = rng() % cp->size;
        auto proof = c.api().GetInclusionProof(seq, cp->size);
        if (!proof.ok()) {
          error = "inclusion proof of " + std::to_string(seq) + " in " + std::to_string(cp->size) +
                  ": " + proof.status().ToString();
        } else if (Status s = VerifyProof(*proof, seq, *cp); !s.ok()) {
          error = "inclusion proof of " + std::to_string(seq) + ": " + s.ToString();
        }
      } else {
        const harness::Account& whose = writers_[rng() % writers_.size()];
        const std::string path = "/v1/accounts/" + whose.id + "/holdings";
        auto r = c.api().SignedGet(path, me.id, me.key);
        if (!r.ok() || r->status != 200) {
          error = "GET " + path + ": " + (r.ok() ? r->ToStatus() : r.status()).ToString();
        }
      }
      const double ms = MsSince(t0);
      ++reads_;
      if (error.empty()) {
        recorder_.Read(ms);
      } else {
        recorder_.Error(me.id + ": " + error);
      }
    }
  }

  // An inclusion proof as served: it carries the entry, the leaf hash is that of the entry
  // bytes (DecodeInclusionProof checks), and the proof leads from it to the checkpoint's root.
  static Status VerifyProof(const EntryProof& p, uint64_t seq, const Checkpoint& cp) {
    if (!p.entry) return Status::Corruption("soak.proof", "the proof served has no entry");
    return merkle::VerifyInclusion(seq, cp.size, p.leaf_hash, p.proof.hashes, cp.root);
  }

  // Every acknowledgement is served, the checkpoint extends the newest one a writer received,
  // the daemon stops cleanly, and its data verifies.
  bool Finish() {
    bool ok = true;
    harness::Client c(daemon_.port(), kOrigin, 1, std::chrono::seconds(60));
    const auto t0 = Clock::now();
    if (Status s = c.CheckAcks(acks_.all()); !s.ok()) ok = Fail(s.ToString());
    auto head = c.CheckCheckpointExtends(log_key_, acks_.newest());
    if (!head.ok()) ok = Fail(head.status().ToString());
    if (ok) {
      std::printf(
          "every acknowledged transaction served with its hash (%zu, %.1f s); checkpoint "
          "of %llu entries consistent with the newest acknowledged\n",
          acks_.size(), MsSince(t0) / 1000, (unsigned long long)head->size);
    }
    const int rc = daemon_.Stop(SIGTERM);
    if (rc != 0) {
      const std::string& log = daemon_.log();
      ok = Fail("the daemon exited with " + std::to_string(rc) + " after SIGTERM; its log:\n" +
                log.substr(log.size() > 20000 ? log.size() - 20000 : 0));
    }
    VerifyOptions vo;
    vo.data_dir = data_;
    vo.trusted_log_key = log_key_;
    auto v = VerifyLedger(vo, LedgerTxTypes());
    if (!v.ok()) {
      ok = Fail("verify-ledger: " + v.status().ToString());
    } else {
      std::printf("daemon exit %d after SIGTERM; verify-ledger OK (%llu entries)\n", rc,
                  (unsigned long long)v->entries);
    }
    return ok;
  }

  Options o_;
  std::string data_;
  process::Daemon daemon_{harness::SelfDir() + "/carbonledgerd"};
  NamedPublicKey log_key_;
  std::vector<harness::Account> writers_, readers_;
  harness::AckLog acks_;
  Recorder recorder_;
  std::atomic<uint64_t> reads_{0};
  double last_sample_s_ = 0;
};

}  // namespace
}  // namespace carbonledger

int main(int argc, char** argv) {
  using namespace carbonledger;
  Options o;
  if (!ParseOptions(argc, argv, &o)) {
    std::cerr << kUsage;
    return 2;
  }
  const bool temporary = o.dir.empty();
  if (temporary) {
    o.dir =
        (std::filesystem::temp_directory_path() / ("carbonledger-soak-" + std::to_string(getpid())))
            .string();
  }
  if (temporary) std::filesystem::remove_all(o.dir);
  bool ok = Soak(o).Run();
  std::cout << (ok ? "soak: passed" : "soak: FAILED") << "\n";
  if (ok && temporary && !o.keep) std::filesystem::remove_all(o.dir);
  return ok ? 0 : 1;
}
