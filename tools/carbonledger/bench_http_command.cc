// carbonledger bench-http-prep: the C++ half of the HTTP load benchmark that tools/bench-http
// runs with wrk (docs/performance.md §HTTP (wrk)). It prepares what the wrk scripts in
// tools/bench_http/ send, so that wrk itself only reads files:
//
//   (setup)        bench-http-prep --server URL --data D --out DIR [--signers N] [--per-signer M]
//                                  [--runs R]
//     With the operator key in D/keys/operator.key: creates a project owner "bench-po" and N
//     traders "bench-trader-<i>", registers generator "bench-gen" (owned by bench-po), issues
//     it GECs for the month two months back and transfers R·M MWh to every trader. Then writes,
//     for run r and trader i, DIR/post-r<r>-s<i>.jsonl: M pre-signed unit.transfer submissions
//     of 1 MWh to another trader, nonces r·M+1 … (r+1)·M in order, one JSON per line. The
//     traders' keys go to DIR/keys/, the plan to DIR/prep.json.
//   (holdings)     bench-http-prep --out DIR --holdings K [--files T]
//     T files DIR/holdings-<t>.txt of K/T signed GET /v1/accounts/<trader>/holdings requests
//     (RFC 9421, each with its own nonce, created now: valid for 300 s), one request a line:
//     path TAB Content-Digest TAB Signature-Input TAB Signature.
//   (proofs)       bench-http-prep --server URL --out DIR --proofs K
//     DIR/proofs.txt: the current tree size, then K random entry numbers below it.
//   (in-process)   bench-http-prep --in-process [--signers N] [--per-signer M] [--seconds S]
//                                  [--dir TMP]
//     The same setup and the same transfers submitted to a Ledger opened in this process by N
//     threads, each waiting for its transaction to be durable before sending the next (what
//     wrk -c N does over HTTP): the figure HTTP ingest is compared with, minus HTTP.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "api/client/client.h"
#include "api/wire/request_signature.h"
#include "crypto/encoding.h"
#include "ledger/certification/transaction_types.h"
#include "ledger/log/ledger.h"
#include "ledger/log/transaction.h"
#include "ledger/registry/accounts.h"
#include "ledger/registry/genesis.h"
#include "tools/carbonledger/commands.h"
#include "tools/carbonledger/flags.h"

namespace carbonledger::cli {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kOwner = "bench-po";
constexpr const char* kGenerator = "bench-gen";
// 10^9 kW: the largest capacity allowed, so one generator-month covers any plan
// (at least 672 h × 10^6 MWh/h = 6.7·10^8 MWh).
constexpr uint64_t kCapacityKw = 1000000000;

std::string Trader(uint64_t i) { return "bench-trader-" + std::to_string(i); }

unsigned Cores() { return std::max(1u, std::thread::hardware_concurrency()); }

int PrepFail(const std::string& what) {
  std::cerr << "bench-http-prep: " << what << "\n";
  return 1;
}

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "YYYY-MM", k months before the current month in China Standard Time (the ledger's months).
std::string MonthBack(int k) {
  using namespace std::chrono;
  auto now = floor<days>(system_clock::now() + hours(8));
  year_month_day ymd(now);
  int m = int(ymd.year()) * 12 + int(unsigned(ymd.month())) - 1 - k;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", m / 12, m % 12 + 1);
  return buf;
}

// Where the setup transactions go: the running service, or a ledger in this process.
struct Backend {
  std::string origin;
  std::function<Result<uint64_t>(const NamedKey&)> last_nonce;
  std::function<Status(const SignedTransaction&)> submit;
};

Backend HttpBackend(ApiClient& api, std::string origin) {
  Backend b;
  b.origin = std::move(origin);
  b.last_nonce = [&api](const NamedKey& k) { return api.LastNonce(k.name, k.key); };
  b.submit = [&api](const SignedTransaction& stx) -> Status {
    auto r = api.Submit(stx);
    if (!r.ok()) {
      return Status::Unavailable(
          "bench", stx.tx.type + " by " + stx.tx.signer + ": " + r.status().ToString());
    }
    if (r->duplicate) return Status::InvalidArgument("bench", "duplicate setup transaction");
    return Status::OK();
  };
  return b;
}

const ApiClientOptions kPrepOptions{.keep_alive = true, .nonce_prefix = "prep-"};

Backend LocalBackend(Ledger& ledger) {
  Backend b;
  b.origin = ledger.origin();
  b.last_nonce = [&ledger](const NamedKey& k) -> Result<uint64_t> {
    auto rec = GetRecord(ledger.state(), AccountKey(k.name));
    if (!rec.ok()) return rec.status();
    if (!rec->has_value()) return Status::NotFound("bench", "no account " + k.name);
    return (**rec)["nonce"].get<uint64_t>();
  };
  b.submit = [&ledger](const SignedTransaction& stx) -> Status {
    auto r = ledger.Submit(stx);
    if (!r.ok()) return r.status();
    if (r->duplicate) return Status::InvalidArgument("bench", "duplicate setup transaction");
    return Status::OK();
  };
  return b;
}

struct Plan {
  uint64_t signers = 64, per_run = 500, runs = 3;
};

// Accounts, generator, issuance and the traders' GECs. Returns the traders' keys.
Result<std::vector<NamedKey>> SetUp(Backend& b, const NamedKey& op, const Plan& p) {
  auto last = b.last_nonce(op);
  if (!last.ok()) return last.status();
  uint64_t op_nonce = *last;
  auto submit = [&](const std::string& type, const std::string& signer, uint64_t nonce,
                    const nlohmann::json& body, const SigningKey& key) -> Status {
    auto stx = SignTransaction(type, b.origin, signer, nonce, body, key);
    if (!stx.ok()) return stx.status();
    return b.submit(*stx);
  };
  auto create = [&](const std::string& id, const std::string& role, const SigningKey& key) {
    return submit(
        "account.create", op.name, ++op_nonce,
        {{"account", id}, {"role", role}, {"public_key", Base64Encode(AsBytes(key.public_key()))}},
        op.key);
  };
  SigningKey owner = SigningKey::Generate();
  if (Status s = create(kOwner, "project_owner", owner); !s.ok()) return s;
  std::vector<NamedKey> traders;
  for (uint64_t i = 0; i < p.signers; ++i) {
    traders.push_back({Trader(i), SigningKey::Generate()});
    if (Status s = create(traders.back().name, "trader", traders.back().key); !s.ok()) return s;
  }
  if (Status s = submit("generator.register", op.name, ++op_nonce,
                        {{"generator", kGenerator},
                         {"owner", kOwner},
                         {"technology", "wind"},
                         {"capacity_kw", kCapacityKw},
                         {"region", "340000"}},
                        op.key);
      !s.ok()) {
    return s;
  }
  // Each trader sends at most runs·per_run MWh (1 MWh a transfer) and also receives.
  const uint64_t each = p.runs * p.per_run;
  nlohmann::json ops = nlohmann::json::array(
      {{{"generator", kGenerator}, {"month", MonthBack(2)}, {"quantity", each * p.signers}}});
  if (Status s = submit("gec.issue", op.name, ++op_nonce, {{"ops", ops}}, op.key); !s.ok()) {
    return s;
  }
  for (uint64_t i = 0; i < p.signers; ++i) {
    if (Status s = submit(
            "unit.transfer", kOwner, i + 1,
            {{"to", Trader(i)}, {"ops", {{{"instrument", "GEC"}, {"quantity", each}}}}}, owner);
        !s.ok()) {
      return s;
    }
  }
  return traders;
}

// Trader i's transfer with `nonce`: 1 MWh to another trader, the recipient cycling.
Result<SignedTransaction> Transfer(const std::string& origin, const NamedKey& from, uint64_t i,
                                   uint64_t signers, uint64_t nonce) {
  uint64_t to = (i + 1 + nonce % (signers - 1)) % signers;
  return SignTransaction("unit.transfer", origin, from.name, nonce,
                         {{"to", Trader(to)}, {"ops", {{{"instrument", "GEC"}, {"quantity", 1}}}}},
                         from.key);
}

// Runs fn(i) for i in [0, n) on every core.
template <typename Fn>
bool ParallelFor(uint64_t n, Fn fn) {
  std::atomic<uint64_t> next{0};
  std::atomic<bool> ok{true};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < std::min<uint64_t>(Cores(), n); ++t) {
    pool.emplace_back([&] {
      for (uint64_t i; (i = next.fetch_add(1)) < n;) {
        if (!fn(i)) ok = false;
      }
    });
  }
  for (auto& t : pool) t.join();
  return ok;
}

Status WritePostFiles(const std::string& out, const std::string& origin,
                      const std::vector<NamedKey>& traders, const Plan& p) {
  std::mutex mu;
  std::string error;
  bool ok = ParallelFor(p.signers * p.runs, [&](uint64_t job) {
    uint64_t r = job / p.signers, i = job % p.signers;
    std::string path = out + "/post-r" + std::to_string(r) + "-s" + std::to_string(i) + ".jsonl";
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    for (uint64_t k = 0; k < p.per_run && f; ++k) {
      auto stx = Transfer(origin, traders[i], i, p.signers, r * p.per_run + k + 1);
      if (!stx.ok()) {
        std::lock_guard lock(mu);
        error = stx.status().ToString();
        return false;
      }
      f << EncodeSubmission(*stx) << "\n";
    }
    if (!f) {
      std::lock_guard lock(mu);
      error = "cannot write " + path;
      return false;
    }
    return true;
  });
  return ok ? Status::OK() : Status::IOError("bench", error);
}

int Setup(Flags& f, const Plan& p) {
  std::string data = f.GetOr("data", "data"), out = *f.Get("out");
  auto op = ReadPrivateKeyFile(OperatorKeyPath(data));
  if (!op.ok()) return PrepFail(op.status().ToString());
  ApiClient api(f.GetOr("server", "http://127.0.0.1:8620"), kPrepOptions);
  auto origin = api.Origin();
  if (!origin.ok()) return PrepFail("cannot read the server's checkpoint");
  Backend b = HttpBackend(api, *origin);
  auto start = Clock::now();
  auto traders = SetUp(b, *op, p);
  if (!traders.ok()) return PrepFail(traders.status().ToString());
  double setup_s = std::chrono::duration<double>(Clock::now() - start).count();
  std::filesystem::create_directories(out + "/keys");
  for (const NamedKey& t : *traders) {
    if (Status s = WritePrivateKeyFile(out + "/keys/" + t.name + ".key", t.name, t.key); !s.ok()) {
      return PrepFail(s.ToString());
    }
  }
  start = Clock::now();
  if (Status s = WritePostFiles(out, b.origin, *traders, p); !s.ok()) return PrepFail(s.ToString());
  double sign_s = std::chrono::duration<double>(Clock::now() - start).count();
  std::ofstream(out + "/prep.json") << nlohmann::json{{"origin", b.origin},
                                                      {"signers", p.signers},
                                                      {"per_run", p.per_run},
                                                      {"runs", p.runs}}
                                           .dump()
                                    << "\n";
  std::cout << "bench-http-prep: " << p.signers << " traders set up in " << std::fixed
            << std::setprecision(1) << setup_s << " s; " << p.signers * p.runs * p.per_run
            << " transfers signed in " << sign_s << " s\n";
  return 0;
}

int Holdings(Flags& f, uint64_t count, uint64_t files) {
  std::string out = *f.Get("out");
  auto plan = ReadFile(out + "/prep.json");
  if (!plan) return 1;
  const uint64_t signers = nlohmann::json::parse(*plan)["signers"].get<uint64_t>();
  std::vector<NamedKey> traders;
  for (uint64_t i = 0; i < signers; ++i) {
    auto k = ReadPrivateKeyFile(out + "/keys/" + Trader(i) + ".key");
    if (!k.ok()) return PrepFail(k.status().ToString());
    traders.push_back(std::move(*k));
  }
  // Nonces unique across invocations: a random tag, the file and the line.
  std::string tag;
  std::random_device rd;
  for (int i = 0; i < 12; ++i) tag.push_back("0123456789abcdef"[rd() % 16]);
  const int64_t created = UnixNow();
  const uint64_t per_file = (count + files - 1) / files;
  bool ok = ParallelFor(files, [&](uint64_t t) {
    std::string text;
    for (uint64_t k = 0; k < per_file; ++k) {
      const NamedKey& who = traders[(t * per_file + k) % signers];
      std::string path = "/v1/accounts/" + who.name + "/holdings";
      std::string nonce = "hb-" + tag + "-" + std::to_string(t) + "-" + std::to_string(k);
      SignedHeaders h = SignRequest("GET", path, "", "", who.name, who.key, created, nonce);
      text += path + "\t" + h.content_digest + "\t" + h.signature_input + "\t" + h.signature + "\n";
    }
    std::ofstream out_file(out + "/holdings-" + std::to_string(t) + ".txt",
                           std::ios::binary | std::ios::trunc);
    out_file << text;
    return bool(out_file);
  });
  return ok ? 0 : PrepFail("cannot write the holdings request files");
}

int Proofs(Flags& f, uint64_t count) {
  ApiClient api(f.GetOr("server", "http://127.0.0.1:8620"), kPrepOptions);
  auto note = api.CheckpointNote();
  if (!note.ok()) return PrepFail("cannot read the server's checkpoint");
  // The tree size, from the note's body (origin, size, root; blank line; signatures).
  auto cp = ParseCheckpointBody(note->substr(0, note->find("\n\n") + 1));
  if (!cp.ok()) return PrepFail("the server's checkpoint: " + cp.status().ToString());
  const uint64_t size = cp->size;
  std::mt19937_64 rng{std::random_device{}()};
  std::ofstream out(*f.Get("out") + "/proofs.txt", std::ios::trunc);
  out << size << "\n";
  for (uint64_t i = 0; i < count; ++i) out << rng() % size << "\n";
  return out ? 0 : PrepFail("cannot write proofs.txt");
}

// The same setup and transfers against a ledger in this process, N closed-loop submitters.
int InProcess(Flags& f, const Plan& p, double seconds) {
  std::string dir = f.GetOr("dir", (std::filesystem::temp_directory_path() /
                                    ("carbonledger-bench-http-" + std::to_string(::getpid())))
                                       .string());
  std::filesystem::remove_all(dir);
  if (Status s = InitLedger(dir, GenesisOptions{}); !s.ok()) return PrepFail(s.ToString());
  auto op = ReadPrivateKeyFile(OperatorKeyPath(dir));
  if (!op.ok()) return PrepFail(op.status().ToString());
  int rc = 0;
  {
    auto ledger = Ledger::Open(dir, LedgerTxTypes());
    if (!ledger.ok()) return PrepFail(ledger.status().ToString());
    Backend b = LocalBackend(**ledger);
    Plan one = p;
    one.runs = 1;
    auto traders = SetUp(b, *op, one);
    if (!traders.ok()) return PrepFail(traders.status().ToString());
    std::vector<std::vector<SignedTransaction>> txs(p.signers);
    ParallelFor(p.signers, [&](uint64_t i) {
      for (uint64_t k = 0; k < p.per_run; ++k) {
        auto stx = Transfer(b.origin, (*traders)[i], i, p.signers, k + 1);
        if (!stx.ok()) return false;
        txs[i].push_back(std::move(*stx));
      }
      return true;
    });
    const uint64_t before = (*ledger)->size();
    std::vector<std::vector<double>> latency(p.signers);
    std::atomic<uint64_t> failures{0}, exhausted{0};
    auto start = Clock::now();
    auto deadline = start + std::chrono::duration<double>(seconds);
    std::vector<std::thread> pool;
    for (uint64_t i = 0; i < p.signers; ++i) {
      pool.emplace_back([&, i] {
        size_t k = 0;
        for (; k < txs[i].size() && Clock::now() < deadline; ++k) {
          auto t0 = Clock::now();
          auto r = (*ledger)->Submit(txs[i][k]);
          latency[i].push_back(
              std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
          if (!r.ok() || r->duplicate) {
            if (failures++ == 0) std::cerr << "bench-http-prep: " << r.status().ToString() << "\n";
          }
        }
        if (k == txs[i].size()) ++exhausted;
      });
    }
    for (auto& t : pool) t.join();
    double secs = std::chrono::duration<double>(Clock::now() - start).count();
    std::vector<double> all;
    for (auto& l : latency) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    auto pct = [&](double q) {
      return all.empty() ? 0.0 : all[size_t(q * double(all.size() - 1))];
    };
    const uint64_t entries = (*ledger)->size() - before;
    Ledger::Stats st = (*ledger)->stats();
    std::cout << std::fixed << std::setprecision(2) << "INPROC tx_per_s=" << double(entries) / secs
              << " p50_ms=" << pct(0.5) << " p99_ms=" << pct(0.99) << " entries=" << entries
              << " failures=" << failures << " exhausted=" << exhausted
              << " submitters=" << p.signers
              << " mean_batch=" << double(st.entries) / double(std::max<uint64_t>(1, st.batches))
              << "\n";
    if (failures > 0) rc = 1;
  }
  if (!f.Has("dir")) std::filesystem::remove_all(dir);
  return rc;
}

}  // namespace

int BenchHttpPrepCommand(const Args& args) {
  Flags f(args,
          {"server", "data", "out", "signers", "per-signer", "runs", "holdings", "files", "proofs",
           "seconds", "dir"},
          {"in-process"});
  auto signers = f.GetU64("signers");
  auto per_signer = f.GetU64("per-signer");
  auto runs = f.GetU64("runs");
  auto holdings = f.GetU64("holdings");
  auto files = f.GetU64("files");
  auto proofs = f.GetU64("proofs");
  auto seconds = f.GetU64("seconds");
  if (!f.ok()) return PrepFail(f.error()) + 1;
  Plan p;
  p.signers = signers.value_or(p.signers);
  p.per_run = per_signer.value_or(p.per_run);
  p.runs = runs.value_or(p.runs);
  if (p.signers < 2 || p.per_run < 1 || p.runs < 1) {
    return PrepFail("--signers must be at least 2, --per-signer and --runs at least 1") + 1;
  }
  InitCrypto();
  if (f.Has("in-process")) return InProcess(f, p, double(seconds.value_or(10)));
  if (!f.Has("out")) return PrepFail("--out DIR is required") + 1;
  std::filesystem::create_directories(*f.Get("out"));
  if (holdings)
    return Holdings(f, std::max<uint64_t>(1, *holdings), std::max<uint64_t>(1, files.value_or(1)));
  if (proofs) return Proofs(f, std::max<uint64_t>(1, *proofs));
  return Setup(f, p);
}

}  // namespace carbonledger::cli
