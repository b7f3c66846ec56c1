// carbonledger bench: the machine's own limits, then the ledger measured against them, in one
// run (docs/performance.md). Every ledger figure is printed with its ratio to the limit that
// bounds it, so results from different machines compare.
#include <leveldb/db.h>
#include <leveldb/write_batch.h>
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "crypto/ed25519.h"
#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "ledger/certification/transaction_types.h"
#include "ledger/log/ledger.h"
#include "ledger/log/verify.h"
#include "ledger/registry/genesis.h"
#include "ledger/registry/queries.h"
#include "tools/carbonledger/bench.h"
#include "tools/carbonledger/commands.h"
#include "tools/carbonledger/flags.h"

namespace carbonledger::cli {

namespace {

double RssMb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

}  // namespace

void Row(const std::string& name, double value, const std::string& unit, const std::string& ratio) {
  std::cout << "  " << std::left << std::setw(44) << name << std::right << std::setw(14)
            << std::fixed << std::setprecision(value < 100 ? 2 : 0) << value << " " << std::left
            << std::setw(10) << unit << ratio << "\n";
}

std::string Ratio(double value, double limit, const std::string& of) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(3) << value / limit << " of " << of;
  return s.str();
}

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

  // The machine's LevelDB, measured directly (the ledger opens it with checksums verified on
  // every read, as below).
  leveldb::Options dbo;
  dbo.create_if_missing = true;
  leveldb::DB* raw = nullptr;
  if (!leveldb::DB::Open(dbo, dir + "/limits-db", &raw).ok()) return l;
  std::unique_ptr<leveldb::DB> db(raw);
  leveldb::ReadOptions verified;
  verified.verify_checksums = true;
  leveldb::WriteOptions wo;
  wo.sync = true;
  std::string value(480, 'v');  // an entry record with its tree nodes
  start = Clock::now();
  uint64_t writes = 0;
  while (Seconds(start) < secs) {
    leveldb::WriteBatch b;
    b.Put("k" + std::to_string(writes), value);
    db->Write(wo, &b);
    ++writes;
  }
  l.synced_writes = writes / Seconds(start);
  for (uint64_t i = 0; i < 100000; ++i) {
    leveldb::WriteBatch b;
    b.Put("r" + std::to_string(i), value.substr(0, 32));
    db->Write(leveldb::WriteOptions(), &b);
  }
  l.random_reads = Rate(Cores(), secs, [&](unsigned t, uint64_t i) {
    std::string v;
    db->Get(verified, "r" + std::to_string((i * 7919 + t) % 100000), &v);
  });
  return l;
}

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
    return Status::Unprocessable(
        "bench",
        "the workload \"ledger: durable signed ingest\" is wrong: " + std::to_string(failures) +
            " of " + std::to_string(count) + " transactions were refused");
  }
  std::sort(latency.begin(), latency.end());
  Ingest out;
  out.tx_per_s = count / secs;
  out.p50_ms = latency[count / 2];
  out.p99_ms = latency[std::min<uint64_t>(count - 1, count * 99 / 100)];
  return out;
}

namespace {

// ---- Registry figures (docs/registry-rules.md): transfers and claims with many blocks in the
// ledger, and one large issuance against the same number of small ones.

struct Unsigned {
  std::string type, signer;
  uint64_t nonce = 0;
  nlohmann::json body;
  const SigningKey* key = nullptr;
};

// Signs on every core.
Result<std::vector<SignedTransaction>> SignAll(const std::string& origin,
                                               const std::vector<Unsigned>& in) {
  std::vector<SignedTransaction> out(in.size());
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < Cores(); ++t) {
    pool.emplace_back([&] {
      for (size_t i; (i = next.fetch_add(1)) < in.size();) {
        auto tx =
            SignTransaction(in[i].type, origin, in[i].signer, in[i].nonce, in[i].body, *in[i].key);
        if (!tx.ok()) {
          failed = true;
          continue;
        }
        out[i] = std::move(*tx);
      }
    });
  }
  for (auto& t : pool) t.join();
  if (failed) return Status::InvalidArgument("bench", "could not sign bench transactions");
  return out;
}

// Submits everything, at most `window` in flight, each signer's transactions from one producer
// thread in order (so nonces arrive in order); returns the seconds until all are durable. A
// refused transaction means the bench's own workload is wrong: the error names `what`.
Result<double> SubmitAll(Ledger& ledger, const std::vector<SignedTransaction>& txs, uint64_t window,
                         const std::string& what) {
  const unsigned producers = Cores();
  std::mutex mu;
  std::condition_variable cv;
  uint64_t in_flight = 0;
  std::atomic<uint64_t> failures{0};
  std::string first_failure;  // under mu
  auto start = Clock::now();
  std::vector<std::thread> pool;
  for (unsigned p = 0; p < producers; ++p) {
    pool.emplace_back([&, p] {
      for (const SignedTransaction& tx : txs) {
        if (std::hash<std::string>()(tx.tx.signer) % producers != p) continue;
        {
          std::unique_lock lock(mu);
          cv.wait(lock, [&] { return in_flight < window; });
          ++in_flight;
        }
        ledger.SubmitAsync(tx, [&](Result<Receipt> r) {
          std::lock_guard lock(mu);
          if (!r.ok() && failures++ == 0) first_failure = r.status().ToString();
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
    return Status::Unprocessable(
        "bench", "the workload \"" + what + "\" is wrong: " + std::to_string(failures) + " of " +
                     std::to_string(txs.size()) + " transactions were refused, the first with " +
                     first_failure);
  }
  return secs;
}

uintmax_t DirBytes(const std::string& path) {
  uintmax_t bytes = 0;
  for (auto& e : std::filesystem::recursive_directory_iterator(path)) {
    if (e.is_regular_file()) bytes += e.file_size();
  }
  return bytes;
}

// "YYYY-MM", k months before the current month in China Standard Time.
std::string MonthBack(int k) {
  using namespace std::chrono;
  auto now = floor<days>(system_clock::now() + hours(8));
  year_month_day ymd(now);
  int m = int(ymd.year()) * 12 + int(unsigned(ymd.month())) - 1 - k;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", m / 12, m % 12 + 1);
  return buf;
}

// A ledger under test with its accounts' keys and nonces, building unsigned transactions.
class RegistryWorld {
 public:
  static Result<std::unique_ptr<RegistryWorld>> Create(const std::string& data,
                                                       LedgerOptions options = {}) {
    if (Status s = InitLedger(data, GenesisOptions{}); !s.ok()) return s;
    auto op = ReadPrivateKeyFile(OperatorKeyPath(data));
    if (!op.ok()) return op.status();
    options.data_dir = data;
    auto ledger = Ledger::Open(options, LedgerTxTypes());
    if (!ledger.ok()) return ledger.status();
    auto w = std::unique_ptr<RegistryWorld>(new RegistryWorld);
    w->ledger = std::move(*ledger);
    w->keys_.emplace("operator", op->key);
    w->nonces_["operator"] = 1;
    return w;
  }

  Unsigned Tx(const std::string& signer, const std::string& type, nlohmann::json body) {
    return {type, signer, ++nonces_[signer], std::move(body), &keys_.at(signer)};
  }
  Result<double> Run(const std::string& what, const std::vector<Unsigned>& txs,
                     uint64_t window = 16384) {
    auto signed_txs = SignAll(ledger->origin(), txs);
    if (!signed_txs.ok()) return signed_txs.status();
    return SubmitAll(*ledger, *signed_txs, window, what);
  }
  Status Accounts(const std::string& prefix, const std::string& role, int n) {
    std::vector<Unsigned> txs;
    for (int i = 0; i < n; ++i) {
      std::string id = prefix + std::to_string(i);
      keys_.emplace(id, SigningKey::Generate());
      nlohmann::json body = {{"account", id},
                             {"role", role},
                             {"public_key", Base64Encode(AsBytes(keys_.at(id).public_key()))}};
      if (role == "park") body.update({{"name", id}, {"region", "340100"}});
      txs.push_back(Tx("operator", "account.create", body));
    }
    return Run("registry: " + role + " accounts", txs).status();
  }
  // Generators "gen<i>", 100 MW each, owned round-robin by `owners` accounts "po<j>".
  Status Generators(int n, int owners) {
    std::vector<Unsigned> txs;
    for (int i = 0; i < n; ++i) {
      txs.push_back(Tx("operator", "generator.register",
                       {{"generator", "gen" + std::to_string(i)},
                        {"owner", "po" + std::to_string(i % owners)},
                        {"technology", i % 2 ? "solar" : "wind"},
                        {"capacity_kw", 100000},
                        {"region", "340000"}}));
    }
    return Run("registry: generators", txs).status();
  }
  // `blocks` GEC blocks of `mwh` each over `generators` generators, `per_month` blocks per
  // generator-month, in gec.issue batches of 500 operations. Returns the seconds taken.
  // Only the submissions are timed; transactions are built and signed 40 at a time.
  Result<double> IssueGec(uint64_t blocks, int generators, uint64_t per_month, uint64_t mwh,
                          int first_month_back) {
    std::vector<Unsigned> txs;
    nlohmann::json ops = nlohmann::json::array();
    double secs = 0;
    for (uint64_t b = 0; b < blocks; ++b) {
      uint64_t gm = b / per_month;
      ops.push_back({{"generator", "gen" + std::to_string(gm % uint64_t(generators))},
                     {"month", MonthBack(first_month_back + int(gm / uint64_t(generators)))},
                     {"quantity", mwh}});
      if (ops.size() == 500 || b + 1 == blocks) {
        txs.push_back(Tx("operator", "gec.issue", {{"ops", ops}}));
        ops = nlohmann::json::array();
      }
      if (txs.size() == 40 || (b + 1 == blocks && !txs.empty())) {
        // Few large transactions in flight: a group commit holds all their writes in memory.
        auto t = Run("registry: gec.issue of " + std::to_string(blocks) + " blocks", txs, 8);
        if (!t.ok()) return t.status();
        secs += *t;
        txs.clear();
      }
    }
    return secs;
  }

  std::unique_ptr<Ledger> ledger;

 private:
  RegistryWorld() = default;
  std::map<std::string, SigningKey> keys_;
  std::map<std::string, uint64_t> nonces_;
};

int Fail(const Status& s) {
  std::cerr << "bench: " << s.ToString() << "\n";
  return 1;
}

// Transfers and claims per second with `blocks` GEC blocks in the ledger: up to 64 owners hold
// the blocks (10 MWh each); each transfer moves 25 MWh by quantity to one of as many parks (three
// blocks read, one split); each claim takes 20 MWh of a park's GECs by quantity. The workload is
// sized to the blocks: at most `ops` transfers and as many claims, and no more than the poorest
// owner can pay, so it holds at any size from 3 blocks (30 MWh, one transfer) up.
int RegistrySpendBench(const std::string& dir, uint64_t blocks, uint64_t ops) {
  constexpr uint64_t kBlockMwh = 10, kTransferMwh = 25, kClaimMwh = 20;
  if (blocks * kBlockMwh < kTransferMwh) {
    return Fail(Status::InvalidArgument(
        "bench", "the registry workload needs --blocks of at least 3 (one transfer of " +
                     std::to_string(kTransferMwh) + " MWh), not " + std::to_string(blocks)));
  }
  // 100 generators of up to 1000 blocks per month (10,000 MWh of 72,000), at most ~10 recent
  // months each; fewer generators below 300 blocks so that each generator holds a transfer.
  const uint64_t generators = blocks < 300 ? std::max<uint64_t>(1, blocks / 3)
                                           : std::max<uint64_t>(100, (blocks + 9999) / 10000);
  const uint64_t owners = std::min<uint64_t>(64, generators), parks = owners;
  const uint64_t per_month = std::clamp<uint64_t>(blocks / generators, 1, 1000);
  // What each owner will hold (IssueGec's layout), and so how many transfers each can pay.
  std::vector<uint64_t> held(owners, 0);
  for (uint64_t b = 0; b < blocks; ++b) held[(b / per_month) % generators % owners] += kBlockMwh;
  const uint64_t per_owner = *std::min_element(held.begin(), held.end()) / kTransferMwh;
  // Whole rounds (one transfer per owner, one to each park): each park then receives as many
  // transfers (25 MWh) as it makes claims (20 MWh).
  const uint64_t rounds = std::min<uint64_t>(std::max<uint64_t>(1, ops / owners), per_owner);
  if (rounds < ops / owners) {
    std::cout << "  (" << rounds * owners << " transfers and claims, not " << ops << ": " << blocks
              << " blocks pay for no more)\n";
  }
  ops = rounds * owners;
  auto w = RegistryWorld::Create(dir);
  if (!w.ok()) return Fail(w.status());
  RegistryWorld& world = **w;
  if (Status s = world.Accounts("po", "project_owner", int(owners)); !s.ok()) return Fail(s);
  if (Status s = world.Accounts("park", "park", int(parks)); !s.ok()) return Fail(s);
  if (Status s = world.Generators(int(generators), int(owners)); !s.ok()) return Fail(s);
  auto issue = world.IssueGec(blocks, int(generators), per_month, kBlockMwh, 2);
  if (!issue.ok()) return Fail(issue.status());
  Row("GEC blocks issued (500 per tx) to " + std::to_string(blocks) + " blocks",
      double(blocks) / *issue, "blocks/s");

  std::vector<Unsigned> transfers;
  for (uint64_t i = 0; i < ops; ++i) {
    uint64_t owner = i % owners;
    uint64_t park = (i / owners + owner) % parks;
    transfers.push_back(world.Tx("po" + std::to_string(owner), "unit.transfer",
                                 {{"to", "park" + std::to_string(park)},
                                  {"ops", {{{"instrument", "GEC"}, {"quantity", kTransferMwh}}}}}));
  }
  const std::string at = " at " + std::to_string(blocks) + " blocks";
  auto t = world.Run("registry: transfers by quantity" + at, transfers);
  if (!t.ok()) return Fail(t.status());
  Row("transfers by quantity" + at, double(ops) / *t, "tx/s");

  std::vector<Unsigned> claims;
  const int year = std::stoi(MonthBack(0).substr(0, 4));
  for (uint64_t i = 0; i < ops; ++i) {
    claims.push_back(world.Tx("park" + std::to_string(i % parks), "gec.claim",
                              {{"ops", {{{"reporting_year", year}, {"quantity", kClaimMwh}}}}}));
  }
  auto c = world.Run("registry: claims by quantity" + at, claims);
  if (!c.ok()) return Fail(c.status());
  Row("claims by quantity" + at, double(ops) / *c, "tx/s");
  auto totals = QueryTotals(world.ledger->state());
  if (!totals.ok()) return Fail(totals.status());
  const InstrumentTotals& g = totals->front();
  if (g.claimed != ops * kClaimMwh || g.issued != blocks * kBlockMwh ||
      g.issued != g.held + g.claimed + g.retired + g.expired + g.cancelled) {
    return Fail(Status::Corruption("bench", "the workload \"registry: transfers and claims" + at +
                                                "\" is wrong: the registry totals do not add up"));
  }
  return 0;
}

// One issuance of `total` MWh in `blocks` blocks, against `blocks` issuances of 1 MWh: the
// same number of blocks, so the same time and bytes whatever the quantity.
int RegistryIssuanceBench(const std::string& dir, uint64_t blocks, uint64_t total) {
  const int generators = int(std::max<uint64_t>(1, blocks / 100));  // 100 months each
  for (uint64_t mwh : {total / blocks, uint64_t(1)}) {
    auto w = RegistryWorld::Create(dir + "/issue-" + std::to_string(mwh));
    if (!w.ok()) return Fail(w.status());
    if (Status s = (*w)->Accounts("po", "project_owner", 16); !s.ok()) return Fail(s);
    if (Status s = (*w)->Generators(generators, 16); !s.ok()) return Fail(s);
    const uintmax_t before = DirBytes(dir + "/issue-" + std::to_string(mwh));
    auto secs = (*w)->IssueGec(blocks, generators, 1, mwh, 2);
    if (!secs.ok()) return Fail(secs.status());
    (*w)->ledger.reset();
    const double mb = double(DirBytes(dir + "/issue-" + std::to_string(mwh)) - before) / 1e6;
    std::string what = std::to_string(blocks) + " blocks of " + std::to_string(mwh) + " MWh";
    Row("issue " + what, *secs, "s");
    Row("  bytes on disk for them", mb, "MB",
        std::to_string(int(mb * 1e6 / double(blocks))) + " B per block");
  }
  return 0;
}

// Latency of a stream of large transactions (gec.issue of 1000 operations, about 55 KB each)
// under the group commit's byte cap (LedgerOptions::max_batch_bytes, docs/ledger-format.md
// §Store): `count` of them, `window` in flight, from one signer in nonce order.
int LargeTxBench(const std::string& dir, uint64_t count, uint64_t window) {
  constexpr int kGenerators = 20;  // 1000 MWh per transaction, under 72,000 per generator-month
  std::atomic<uint64_t> largest_bytes{0};
  LedgerOptions o;
  o.on_commit = [&](const CommitInfo& c) {
    if (c.bytes > largest_bytes) largest_bytes = c.bytes;
  };
  auto w = RegistryWorld::Create(dir, o);
  if (!w.ok()) return Fail(w.status());
  RegistryWorld& world = **w;
  if (Status s = world.Accounts("po", "project_owner", 4); !s.ok()) return Fail(s);
  if (Status s = world.Generators(kGenerators, 4); !s.ok()) return Fail(s);
  std::vector<Unsigned> txs;
  for (uint64_t t = 0; t < count; ++t) {
    nlohmann::json ops = nlohmann::json::array();
    for (int i = 0; i < 1000; ++i) {
      ops.push_back({{"generator", "gen" + std::to_string(t % kGenerators)},
                     {"month", MonthBack(2 + int(t / kGenerators / 60))},
                     {"quantity", 1}});
    }
    txs.push_back(world.Tx("operator", "gec.issue", {{"ops", ops}}));
  }
  auto signed_txs = SignAll(world.ledger->origin(), txs);
  if (!signed_txs.ok()) return Fail(signed_txs.status());
  const Ledger::Stats before = world.ledger->stats();
  std::mutex mu;
  std::condition_variable cv;
  uint64_t in_flight = 0, failures = 0;
  std::string first_failure;
  std::vector<double> latency;
  auto start = Clock::now();
  for (const SignedTransaction& tx : *signed_txs) {
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return in_flight < window; });
      ++in_flight;
    }
    auto sent = Clock::now();
    world.ledger->SubmitAsync(tx, [&, sent](Result<Receipt> r) {
      double ms = std::chrono::duration<double, std::milli>(Clock::now() - sent).count();
      std::lock_guard lock(mu);
      if (!r.ok() && failures++ == 0) first_failure = r.status().ToString();
      latency.push_back(ms);
      --in_flight;
      cv.notify_all();
    });
  }
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return in_flight == 0; });
  }
  const double secs = Seconds(start);
  if (failures > 0) {
    return Fail(Status::Unprocessable(
        "bench", "the workload \"large transactions\" is wrong: " + std::to_string(failures) +
                     " of " + std::to_string(count) +
                     " transactions were refused, the first with " + first_failure));
  }
  std::sort(latency.begin(), latency.end());
  const Ledger::Stats st = world.ledger->stats();
  const std::string what = std::to_string(signed_txs->front().tx.canonical.size() / 1000) +
                           " KB transactions, " + std::to_string(window) + " in flight";
  Row(what, double(count) / secs, "tx/s");
  Row("  latency p50", latency[latency.size() / 2], "ms");
  Row("  latency p99", latency[std::min(latency.size() - 1, latency.size() * 99 / 100)], "ms");
  Row("  mean entries per synced write",
      double(st.entries - before.entries) / double(st.batches - before.batches), "tx");
  Row("  largest group commit", double(largest_bytes) / 1e6, "MB",
      "cap " + std::to_string(o.max_batch_bytes >> 20) + " MiB");
  return 0;
}

}  // namespace

int BenchCommand(const Args& args) {
  Flags f(args, {"entries", "dir", "seconds", "blocks"}, {"quick", "registry-only", "large-only"});
  bool quick = f.Has("quick");
  auto entries_flag = f.GetU64("entries");
  auto blocks_flag = f.GetU64("blocks");
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
  // Registry: transfers and claims at `blocks` GEC blocks, and 4.7 x 10^9 MWh issued in 100,000
  // blocks (scaled down with --quick).
  const uint64_t blocks = blocks_flag.value_or(quick ? 20000 : 1000000);
  const uint64_t big_blocks = quick ? 1000 : 100000;
  auto registry = [&]() -> int {
    std::cout << "\nregistry\n";
    if (int rc = RegistrySpendBench(dir + "/registry", blocks, quick ? 2000 : 50000); rc != 0) {
      return rc;
    }
    return RegistryIssuanceBench(dir, big_blocks, big_blocks * 47000);
  };
  auto large = [&]() -> int {
    std::cout << "\nlarge transactions (group commit capped by bytes)\n";
    return LargeTxBench(dir + "/large", quick ? 200 : 2000, 256);
  };
  if (f.Has("large-only")) {
    int rc = large();
    if (!f.Has("dir")) std::filesystem::remove_all(dir);
    return rc;
  }
  if (f.Has("registry-only")) {
    int rc = registry();
    if (!f.Has("dir")) std::filesystem::remove_all(dir);
    return rc;
  }

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
    auto ledger = Ledger::Open(data, LedgerTxTypes());
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
    // The pre-signed transactions are gone; hand their memory back so RSS is the ledger's.
    malloc_trim(0);
    double proofs = Rate(Cores(), secs, [&](unsigned t, uint64_t i) {
      uint64_t seq = (i * 2654435761u + t * 40503u) % n;
      if (!(*ledger)->ProveInclusion(seq, n).ok()) std::abort();
    });
    Row("inclusion proofs/s at " + std::to_string(n) + " entries", proofs, "/s",
        Ratio(proofs, 100000, "target 100,000/s"));
    Row("resident memory after ingest and proofs", RssMb(), "MB", "target < 300 MB at 10^6");
  }
  auto start = Clock::now();
  VerifyOptions vo;
  vo.data_dir = data;
  auto report = VerifyLedger(vo, LedgerTxTypes());
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
  if (int rc = registry(); rc != 0) return rc;
  if (int rc = large(); rc != 0) return rc;
  if (!f.Has("dir")) std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace carbonledger::cli
