// carbonledger bench-scale: the figures of docs/scale.md §Measured that this process can take,
// each beside the machine's limits measured in the same run, medians of --rounds runs:
//   - witness cosignatures/s: Witness::AddCheckpoint (parse, the log's Ed25519 signature, the
//     consistency proof, the synced LevelDB write, the cosignature) over a growing log, for one
//     log and for many logs from every core;
//   - the static export: `export-tiles --data` of a ledger of --entries entries, entries/s;
// and it leaves the export in --dir/static with --dir/paths.txt (every tile and bundle path), for
// tools/bench-tiles to serve with nginx and read with wrk (tile reads/s).
#include <filesystem>
#include <fstream>
#include <iostream>

#include "crypto/encoding.h"
#include "ledger/certification/transaction_types.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/merkle.h"
#include "ledger/log/tiles.h"
#include "ledger/log/witness.h"
#include "ledger/registry/genesis.h"
#include "tools/carbonledger/bench.h"
#include "tools/carbonledger/commands.h"
#include "tools/carbonledger/flags.h"

namespace carbonledger::cli {
namespace {

namespace fs = std::filesystem;

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// The add-checkpoint bodies a log sends one witness as it grows by `step` leaves a checkpoint:
// each proves the previous checkpoint a prefix of the next.
std::vector<std::string> GrowingLog(const std::string& origin, const SigningKey& key, int count,
                                    uint64_t step) {
  merkle::Frontier tree;
  merkle::MemoryNodeStore nodes;
  std::vector<std::pair<merkle::NodeId, Hash>> completed;
  std::vector<std::string> bodies;
  uint64_t old_size = 0;
  for (int c = 0; c < count; ++c) {
    for (uint64_t i = 0; i < step; ++i) {
      tree.Append(merkle::HashLeaf(origin + " entry " + std::to_string(tree.size())), &completed);
      (void)nodes.PutAll(completed);
    }
    Checkpoint cp;
    cp.origin = origin;
    cp.size = tree.size();
    cp.root = tree.Root();
    const std::string note = SignCheckpoint(cp, origin, key);
    std::string body = "old " + std::to_string(old_size) + "\n";
    const std::vector<Hash> proof = merkle::ConsistencyProof(old_size, tree.size(), nodes).value();
    for (const Hash& h : proof) {
      body += Base64Encode(AsBytes(h)) + "\n";
    }
    bodies.push_back(body + "\n" + note);
    old_size = tree.size();
  }
  return bodies;
}

// Cosignatures/s of a fresh witness fed `logs` growing logs, each from its own thread (at most
// `threads` at once).
Result<double> CosignRate(const std::string& dir, const std::vector<WitnessedLog>& logs,
                          const std::vector<std::vector<std::string>>& bodies, unsigned threads) {
  fs::remove_all(dir);
  auto witness = Witness::Open({dir, {"bench.example/witness", SigningKey::Generate()}, logs, {}});
  if (!witness.ok()) return witness.status();
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  auto start = Clock::now();
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (size_t l; (l = next.fetch_add(1)) < bodies.size();) {
        for (const std::string& body : bodies[l]) {
          WitnessAnswer a = (*witness)->AddCheckpoint(body);
          if (!a.status.ok()) {
            if (!failed.exchange(true)) std::cerr << "bench-scale: " << a.status.ToString() << "\n";
            return;
          }
        }
      }
    });
  }
  for (auto& th : pool) th.join();
  const double secs = Seconds(start);
  if (failed) return Status::Unprocessable("bench", "a witness refused a bench checkpoint");
  size_t total = 0;
  for (const auto& b : bodies) total += b.size();
  return double(total) / secs;
}

int WitnessBench(const std::string& dir, const Limits& limits, int rounds) {
  std::cout << "\nwitness (in process: parse, log signature, consistency proof, synced write, "
               "cosignature)\n";
  const int per_log = 500;
  for (unsigned logs : {1u, 16u}) {
    std::vector<WitnessedLog> configured;
    std::vector<std::vector<std::string>> bodies;
    for (unsigned l = 0; l < logs; ++l) {
      const std::string origin = "bench.example/log" + std::to_string(l);
      SigningKey key = SigningKey::Generate();
      configured.push_back({origin, {origin, key.public_key()}});
      bodies.push_back(GrowingLog(origin, key, logs == 1 ? 4 * per_log : per_log / 4, 64));
    }
    std::vector<double> rates;
    for (int r = 0; r < rounds; ++r) {
      auto rate = CosignRate(dir + "/witness", configured, bodies, std::min(logs, 4 * Cores()));
      if (!rate.ok()) return Fail(rate.status().ToString());
      rates.push_back(*rate);
    }
    const double m = Median(rates);
    Row("cosignatures/s, " + std::to_string(logs) + (logs == 1 ? " log" : " logs, parallel"), m,
        "/s", Ratio(m, limits.synced_writes, "LevelDB synced writes/s"));
  }
  return 0;
}

// A ledger of `entries` entries, exported with `export-tiles --data`; the export's paths listed
// for the load client.
int ExportBench(const std::string& dir, uint64_t entries, int rounds) {
  std::cout << "\nstatic export (export-tiles --data, " << entries << " entries)\n";
  const std::string data = dir + "/ledger";
  if (Status s = InitLedger(data, GenesisOptions{}); !s.ok()) return Fail(s.ToString());
  auto op = ReadPrivateKeyFile(OperatorKeyPath(data));
  if (!op.ok()) return Fail(op.status().ToString());
  {
    auto ledger = Ledger::Open(data, LedgerTxTypes());
    if (!ledger.ok()) return Fail(ledger.status().ToString());
    auto ingest = MeasureIngest(**ledger, op->key, entries);
    if (!ingest.ok()) return Fail(ingest.status().ToString());
  }
  std::vector<double> rates;
  uint64_t size = 0;
  for (int r = 0; r < rounds; ++r) {
    fs::remove_all(dir + "/static");
    auto start = Clock::now();
    std::cout.setstate(std::ios::failbit);  // the command's own line
    const int rc = ExportTilesCommand({"--data", data, "--out", dir + "/static"});
    std::cout.clear();
    if (rc != 0) return rc;
    rates.push_back(double(entries) / Seconds(start));
  }
  uintmax_t bytes = 0, files = 0;
  for (auto& e : fs::recursive_directory_iterator(dir + "/static")) {
    if (e.is_regular_file()) bytes += e.file_size(), ++files;
  }
  {
    auto ledger = Ledger::Open(data, LedgerTxTypes());
    if (!ledger.ok()) return Fail(ledger.status().ToString());
    size = (*ledger)->size();
  }
  std::ofstream paths(dir + "/paths.txt");
  for (const TilePath& t : TreeTiles(size)) paths << "/tile/" << FormatTilePath(t) << "\n";
  Row("export, first run (every tile written, synced)", Median(rates), "entries/s");
  Row("files written", double(files), "");
  Row("bytes written per entry (bundles, .gz, tiles)", double(bytes) / double(size), "B");
  std::cout << "  export in " << dir << "/static, tile paths in " << dir << "/paths.txt\n";
  return 0;
}

}  // namespace

// carbonledger bench-scale [--entries N] [--rounds R] [--dir D]
int BenchScaleCommand(const Args& args) {
  Flags f(args, {"entries", "rounds", "dir"});
  auto entries = f.GetU64("entries");
  auto rounds = f.GetU64("rounds");
  if (!f.ok()) return Usage(f.error());
  const int r = int(std::clamp<uint64_t>(rounds.value_or(3), 1, 15));
  const std::string dir = f.GetOr(
      "dir", (fs::temp_directory_path() / ("carbonledger-bench-scale-" + std::to_string(getpid())))
                 .string());
  fs::remove_all(dir);
  fs::create_directories(dir);
  InitCrypto();
  std::cout << "carbonledger bench-scale: " << Cores() << " cores, medians of " << r
            << " runs, data in " << dir << "\n\nmachine limits\n";
  const Limits l = MeasureLimits(dir, 1.0);
  Row("ed25519 verifications/s, 1 core", l.verify_1core, "/s");
  Row("ed25519 verifications/s, all cores", l.verify_all, "/s");
  Row("sha-256", l.sha_mbps, "MB/s");
  Row("leveldb synced writes/s (1 record each)", l.synced_writes, "/s");
  if (int rc = WitnessBench(dir, l, r); rc != 0) return rc;
  if (int rc = ExportBench(dir, entries.value_or(100000), r); rc != 0) return rc;
  if (!f.Has("dir")) fs::remove_all(dir);
  return 0;
}

}  // namespace carbonledger::cli
