#include "api/mirror.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "crypto/encoding.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/entry.h"
#include "ledger/log/merkle.h"
#include "ledger/log/proof.h"
#include "ledger/log/tiles.h"
#include "ledger/log/transaction.h"

namespace carbonledger {
namespace {

namespace fs = std::filesystem;

uint64_t NowMs() {
  return uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count());
}

std::string PinnedKeyPath(const std::string& dir) { return dir + "/log.pub"; }
std::string EvidenceDir(const std::string& dir) { return dir + "/evidence"; }
std::string HaltedPath(const std::string& dir) { return EvidenceDir(dir) + "/HALTED"; }

std::optional<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Status Unreachable(const std::string& what) {
  return Status::Unavailable("mirror.unreachable", what);
}

// "http://host:port" -> host, port.
Result<std::pair<std::string, int>> ParseBase(const std::string& url) {
  const std::string scheme = "http://";
  std::string rest = url.starts_with(scheme) ? url.substr(scheme.size()) : "";
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  size_t colon = rest.rfind(':');
  if (rest.empty() || colon == std::string::npos || colon == 0 || colon + 1 == rest.size() ||
      rest.find('/') != std::string::npos ||
      rest.find_first_not_of("0123456789", colon + 1) != std::string::npos ||
      rest.size() - colon - 1 > 5 || std::stoi(rest.substr(colon + 1)) > 65535) {
    return Status::InvalidArgument("mirror.from",
                                   "--from must be http://HOST:PORT, not \"" + url + "\"");
  }
  return std::make_pair(rest.substr(0, colon), std::stoi(rest.substr(colon + 1)));
}

// An entry bundle (c2sp.org/tlog-tiles §Log entries) that must hold exactly `width` entries.
Result<std::vector<std::string>> SplitBundle(std::string_view body, uint64_t width) {
  auto entries = SplitEntryBundle(body);
  if (!entries.ok() || entries->size() != width) {
    return Status::Corruption("mirror.entries", "an entry bundle does not hold " +
                                                    std::to_string(width) + " framed entries");
  }
  return std::vector<std::string>(entries->begin(), entries->end());
}

}  // namespace

struct Mirror::Impl {
  MirrorOptions options;
  const TxTypeTable* types = nullptr;
  std::string host;
  int port = 0;
  std::unique_ptr<Ledger> ledger;
  NamedPublicKey log_key;
  std::string key_source;  // "command line" or "pinned on first contact"

  mutable std::mutex mu;  // guards what Health() and Metrics() read
  Status halted;
  std::string evidence;  // the halt's evidence directory
  Status last_error;     // the last round's, when it did not reach a verified checkpoint
  uint64_t primary_size = 0;
  bool waiting_for_witnesses = false;
  uint64_t rounds = 0, advances = 0, fetch_errors = 0;
  uint64_t last_advance_ms = 0;

  std::mutex stop_mu;
  std::condition_variable stop_cv;
  bool stopping = false;
  std::thread thread;

  Result<std::string> Get(const std::string& path, int* status_out = nullptr) const {
    httplib::Client c(host, port);
    c.set_connection_timeout(5, 0);
    c.set_read_timeout(30, 0);
    auto r = c.Get(path.c_str());
    if (!r) return Unreachable("GET " + path + ": no answer from " + options.from);
    if (status_out) *status_out = r->status;
    if (r->status != 200) {
      return Unreachable("GET " + path + " answered " + std::to_string(r->status));
    }
    return r->body;
  }

  Status Halt(const Status& s, const std::map<std::string, std::string>& files);
  Status CheckConsistent(const Checkpoint& cp, const std::string& note);
  Result<std::vector<std::string>> FetchEntries(uint64_t from, uint64_t to);
  Status Advance(const std::string& note, const Checkpoint& cp);
  Status RoundLocked();
};

// Saves the evidence and stops advancing for good (docs/mirror.md §Halting).
Status Mirror::Impl::Halt(const Status& s, const std::map<std::string, std::string>& files) {
  const std::string& reason = s.reason();
  const std::string& detail = s.message();
  const std::string dir = EvidenceDir(options.data_dir) + "/" + std::to_string(NowMs()) + "-" +
                          reason.substr(reason.find('.') + 1);
  std::error_code ec;
  fs::create_directories(dir, ec);
  std::map<std::string, std::string> all = files;
  all["verified.checkpoint"] = ledger->checkpoint();
  all["reason.txt"] = reason + "\n" + detail + "\n";
  for (const auto& [name, bytes] : all) {
    std::ofstream(dir + "/" + name, std::ios::binary) << bytes;
  }
  std::ofstream(HaltedPath(options.data_dir)) << reason << "\n" << detail << "\n" << dir << "\n";
  std::cerr << nlohmann::json{{"msg", "mirror.halted"},
                              {"reason", reason},
                              {"detail", detail},
                              {"evidence", dir}}
                   .dump()
            << "\n";
  std::lock_guard lock(mu);
  halted = s;
  evidence = dir;
  return s;
}

// The checkpoint `cp` must describe a tree of which the verified one is a prefix, or a prefix of
// the verified one: the same root at the same size, the verified tree's own root at a smaller
// size, and at a larger size the primary's consistency proof (RFC 9162 §2.1.4) from the
// verified tree.
Status Mirror::Impl::CheckConsistent(const Checkpoint& cp, const std::string& note) {
  const uint64_t mine = ledger->size();
  if (mine == 0) return Status::OK();
  if (cp.size <= mine) {
    auto root = ledger->RootAt(cp.size);
    if (!root.ok()) return root.status();
    if (*root == cp.root) return Status::OK();
    return Halt(
        Status::Corruption("mirror.inconsistent",
                           "the log signed a checkpoint for " + std::to_string(cp.size) +
                               " entries whose root is not the verified tree's at that size"),
        {{"received.checkpoint", note}});
  }
  const std::string path =
      "/v1/proofs/consistency?from=" + std::to_string(mine) + "&to=" + std::to_string(cp.size);
  auto body = Get(path);
  if (!body.ok()) return body.status();
  auto root = ledger->RootAt(mine);
  if (!root.ok()) return root.status();
  auto proof = DecodeConsistencyProof(nlohmann::json::parse(*body, nullptr, false));
  Status verified = proof.ok()
                        ? merkle::VerifyConsistency(mine, cp.size, proof->hashes, *root, cp.root)
                        : proof.status();
  if (proof.ok() && (proof->from != mine || proof->to != cp.size)) {
    verified = Status::InvalidArgument("proof.size", "the proof is for other sizes");
  }
  if (verified.ok()) return Status::OK();
  return Halt(Status::Corruption("mirror.inconsistent",
                                 "the log's checkpoint for " + std::to_string(cp.size) +
                                     " entries is not consistent with the verified tree of " +
                                     std::to_string(mine) + ": " + verified.ToString()),
              {{"received.checkpoint", note}, {"consistency-proof.json", *body}});
}

Result<std::vector<std::string>> Mirror::Impl::FetchEntries(uint64_t from, uint64_t to) {
  std::vector<std::string> out;
  for (uint64_t t = from / kTileWidth; t * kTileWidth < to; ++t) {
    const uint64_t width = std::min(kTileWidth, to - t * kTileWidth);
    std::string path = "/tile/entries/" + FormatTileIndex(t);
    if (width < kTileWidth) path += ".p/" + std::to_string(width);
    auto body = Get(path);
    if (!body.ok()) return body.status();
    auto entries = SplitBundle(*body, width);
    if (!entries.ok()) return entries.status();
    for (uint64_t i = 0; i < width; ++i) {
      if (t * kTileWidth + i >= from) out.push_back(std::move((*entries)[i]));
    }
  }
  return out;
}

// Fetches the entries up to `cp` and stores them with `note` once replayed and matched.
Status Mirror::Impl::Advance(const std::string& note, const Checkpoint& cp) {
  const uint64_t mine = ledger->size();
  auto entries = FetchEntries(mine, cp.size);
  if (!entries.ok()) {
    if (entries.status().reason() != "mirror.entries") return entries.status();
    return Halt(Status::Corruption("mirror.entries", entries.status().message()),
                {{"received.checkpoint", note}});
  }
  Status s = ledger->AppendVerified(*entries, note);
  if (s.ok()) return s;
  const std::string reason = s.reason();
  if (reason != "verify.entry" && !reason.starts_with("mirror.")) return s;  // the local store
  std::string bundle;
  for (const std::string& e : *entries) {
    bundle.push_back(char(e.size() >> 8));
    bundle.push_back(char(e.size() & 0xff));
    bundle += e;
  }
  std::map<std::string, std::string> files = {
      {"received.checkpoint", note},
      {"entries-" + std::to_string(mine) + "-" + std::to_string(cp.size) + ".bundle", bundle}};
  // "entry N: ..." names the failing entry: save it alone too.
  if (reason == "verify.entry" && s.message().starts_with("entry ")) {
    uint64_t seq = std::strtoull(s.message().c_str() + 6, nullptr, 10);
    if (seq >= mine && seq < cp.size) {
      files["entry-" + std::to_string(seq) + ".bin"] = (*entries)[seq - mine];
    }
  }
  if (reason == "verify.entry")
    return Halt(Status::Corruption("mirror.replay", s.ToString()), files);
  return Halt(Status::Corruption("mirror.entries", s.ToString()), files);
}

Status Mirror::Impl::RoundLocked() {
  {
    std::lock_guard lock(mu);
    ++rounds;
    if (!halted.ok()) return halted;
  }
  auto note = Get("/checkpoint");
  if (!note.ok()) return note.status();
  auto latest = OpenCheckpoint(*note, log_key.name, log_key.key, ledger->origin());
  if (!latest.ok()) {
    return Halt(Status::Corruption("mirror.signature",
                                   "the primary's checkpoint does not open under the log key: " +
                                       latest.status().ToString()),
                {{"received.checkpoint", *note}});
  }
  {
    std::lock_guard lock(mu);
    primary_size = latest->size;
  }
  if (Status s = CheckConsistent(*latest, *note); !s.ok()) return s;
  std::string target_note = *note;
  Checkpoint target = *latest;
  if (!options.witnesses.witnesses.empty()) {
    int code = 0;
    auto witnessed = Get("/v1/checkpoint/witnessed", &code);
    Status waiting = Status::OK();
    if (!witnessed.ok()) {
      if (code != 404) return witnessed.status();
      waiting = Status::Unavailable("mirror.witnesses", "no checkpoint cosigned yet");
    } else {
      auto cp = OpenCheckpoint(*witnessed, log_key.name, log_key.key, ledger->origin());
      if (!cp.ok()) {
        return Halt(Status::Corruption(
                        "mirror.signature",
                        "the primary's witnessed checkpoint does not open under the log key: " +
                            cp.status().ToString()),
                    {{"received.checkpoint", *witnessed}});
      }
      if (Status s = CheckConsistent(*cp, *witnessed); !s.ok()) return s;
      auto quorum = RequireCosignatures(*witnessed, options.witnesses);
      if (!quorum.ok()) {
        waiting = Status::Unavailable("mirror.witnesses", quorum.status().message());
      } else {
        target_note = *witnessed;
        target = *cp;
      }
    }
    {
      std::lock_guard lock(mu);
      waiting_for_witnesses = !waiting.ok();
    }
    if (!waiting.ok()) return waiting;
  }
  if (target.size <= ledger->size()) return Status::OK();
  if (Status s = Advance(target_note, target); !s.ok()) return s;
  std::lock_guard lock(mu);
  ++advances;
  last_advance_ms = NowMs();
  return Status::OK();
}

Mirror::Mirror(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Mirror::~Mirror() { Stop(); }

Result<std::unique_ptr<Mirror>> Mirror::Open(MirrorOptions options, const TxTypeTable& types) {
  auto impl = std::make_unique<Impl>();
  auto base = ParseBase(options.from);
  if (!base.ok()) return base.status();
  impl->host = base->first;
  impl->port = base->second;
  impl->types = &types;
  std::error_code ec;
  fs::create_directories(options.data_dir, ec);
  if (ec) return Status::IOError("mirror.data", "cannot create " + options.data_dir);
  const std::string pin_path = PinnedKeyPath(options.data_dir);
  std::optional<NamedPublicKey> pinned;
  if (auto text = ReadWhole(pin_path)) {
    auto k = ParsePublicKey(*text);
    if (!k.ok()) return k.status();
    pinned = *k;
  }
  if (options.log_key && pinned &&
      (options.log_key->key != pinned->key || options.log_key->name != pinned->name)) {
    return Status::InvalidArgument("mirror.log_key",
                                   "--log-key is not the key pinned in " + pin_path);
  }
  impl->options = std::move(options);
  const MirrorOptions& o = impl->options;
  if (o.log_key) {
    impl->log_key = *o.log_key;
    impl->key_source = "command line";
  } else if (pinned) {
    impl->log_key = *pinned;
    impl->key_source = "pinned on first contact";
  } else {
    // Trust on first use: the key the log's genesis entry (entry 0) names.
    auto tile = impl->Get("/tile/entries/000.p/1");
    if (!tile.ok()) return tile.status();
    auto entries = SplitBundle(*tile, 1);
    if (!entries.ok()) return entries.status();
    auto e = DecodeEntry((*entries)[0]);
    if (!e.ok()) return e.status();
    auto tx = TransactionFromCanonical(e->tx);
    if (!tx.ok()) return tx.status();
    if (tx->type != kGenesisType || !tx->body.contains("log_key") ||
        !tx->body["log_key"].is_string()) {
      return Status::Corruption("mirror.genesis", "the primary's entry 0 is not a genesis entry");
    }
    auto k = ParsePublicKey(tx->body["log_key"].get<std::string>());
    if (!k.ok()) return k.status();
    impl->log_key = *k;
    impl->key_source = "pinned on first contact";
  }
  if (!pinned) {
    std::ofstream(pin_path) << FormatPublicKey(impl->log_key.name, impl->log_key.key) << "\n";
  }
  if (auto halted = ReadWhole(HaltedPath(o.data_dir))) {
    std::istringstream lines(*halted);
    std::string reason, detail, dir;
    std::getline(lines, reason);
    std::getline(lines, detail);
    std::getline(lines, dir);
    impl->halted = Status::Corruption(reason.empty() ? "mirror.halted" : reason, detail);
    impl->evidence = dir;
  }
  LedgerOptions lo;
  lo.data_dir = o.data_dir;
  auto ledger = Ledger::OpenMirror(lo, impl->log_key, types);
  if (!ledger.ok()) return ledger.status();
  impl->ledger = std::move(*ledger);
  return std::unique_ptr<Mirror>(new Mirror(std::move(impl)));
}

Status Mirror::Round() {
  Status s = impl_->RoundLocked();
  std::lock_guard lock(impl_->mu);
  if (s.reason() == "mirror.unreachable") ++impl_->fetch_errors;
  impl_->last_error = s;
  return s;
}

void Mirror::Start() {
  if (impl_->thread.joinable()) return;
  impl_->thread = std::thread([this] {
    std::unique_lock lock(impl_->stop_mu);
    while (!impl_->stopping) {
      lock.unlock();
      Status s = Round();
      lock.lock();
      // Caught up or waiting: the next round after an interval; still behind: at once.
      bool behind = false;
      {
        std::lock_guard state(impl_->mu);
        behind = s.ok() && impl_->ledger->size() < impl_->primary_size;
      }
      if (!behind) {
        impl_->stop_cv.wait_for(lock, std::chrono::milliseconds(impl_->options.interval_ms),
                                [&] { return impl_->stopping; });
      }
    }
  });
}

void Mirror::Stop() {
  {
    std::lock_guard lock(impl_->stop_mu);
    impl_->stopping = true;
  }
  impl_->stop_cv.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
}

Ledger& Mirror::ledger() { return *impl_->ledger; }

bool Mirror::halted() const {
  std::lock_guard lock(impl_->mu);
  return !impl_->halted.ok();
}

nlohmann::json Mirror::Health() const {
  const Impl& m = *impl_;
  const uint64_t size = m.ledger->size();
  const std::vector<std::string> not_checked = m.ledger->NotChecked();
  std::lock_guard lock(m.mu);
  nlohmann::json j = {{"status", m.halted.ok() ? "ok" : "halted"},
                      // What this mirror could not recompute: it holds none of the log's
                      // confidential inventories (docs/mirror.md §What a mirror cannot check).
                      {"not_checked", not_checked},
                      {"role", "mirror"},
                      {"entries", size},
                      {"primary", m.options.from},
                      {"primary_entries", m.primary_size},
                      {"lag_entries", m.primary_size > size ? m.primary_size - size : 0},
                      {"log_key", FormatPublicKey(m.log_key.name, m.log_key.key)},
                      {"log_key_source", m.key_source},
                      {"witnesses_required",
                       m.options.witnesses.witnesses.empty() ? 0 : m.options.witnesses.required}};
  if (!m.halted.ok()) {
    j["reason"] = m.halted.reason();
    j["detail"] = m.halted.message();
    j["evidence"] = m.evidence;
  } else if (!m.last_error.ok()) {
    j["last_error"] = {{"reason", m.last_error.reason()}, {"detail", m.last_error.message()}};
  }
  return j;
}

std::string Mirror::Metrics() const {
  const Impl& m = *impl_;
  const uint64_t size = m.ledger->size();
  std::lock_guard lock(m.mu);
  std::ostringstream out;
  out << "# HELP carbonledger_mirror_halted 1 once the mirror found an inconsistency and "
         "stopped advancing.\n"
         "# TYPE carbonledger_mirror_halted gauge\n"
      << "carbonledger_mirror_halted " << (m.halted.ok() ? 0 : 1) << "\n"
      << "# HELP carbonledger_mirror_verified_entries Entries verified and served.\n"
         "# TYPE carbonledger_mirror_verified_entries gauge\n"
      << "carbonledger_mirror_verified_entries " << size << "\n"
      << "# HELP carbonledger_mirror_primary_entries The size of the primary's latest "
         "checkpoint.\n"
         "# TYPE carbonledger_mirror_primary_entries gauge\n"
      << "carbonledger_mirror_primary_entries " << m.primary_size << "\n"
      << "# HELP carbonledger_mirror_lag_entries Entries of the primary's latest checkpoint not "
         "yet verified.\n"
         "# TYPE carbonledger_mirror_lag_entries gauge\n"
      << "carbonledger_mirror_lag_entries " << (m.primary_size > size ? m.primary_size - size : 0)
      << "\n"
      << "# HELP carbonledger_mirror_rounds_total Rounds of following the primary.\n"
         "# TYPE carbonledger_mirror_rounds_total counter\n"
      << "carbonledger_mirror_rounds_total " << m.rounds << "\n"
      << "# HELP carbonledger_mirror_advances_total Verified checkpoints the mirror advanced to.\n"
         "# TYPE carbonledger_mirror_advances_total counter\n"
      << "carbonledger_mirror_advances_total " << m.advances << "\n"
      << "# HELP carbonledger_mirror_fetch_errors_total Rounds in which the primary did not "
         "answer.\n"
         "# TYPE carbonledger_mirror_fetch_errors_total counter\n"
      << "carbonledger_mirror_fetch_errors_total " << m.fetch_errors << "\n"
      << "# HELP carbonledger_mirror_waiting_for_witnesses 1 while the primary's latest "
         "checkpoint lacks the required cosignatures.\n"
         "# TYPE carbonledger_mirror_waiting_for_witnesses gauge\n"
      << "carbonledger_mirror_waiting_for_witnesses " << (m.waiting_for_witnesses ? 1 : 0) << "\n";
  return out.str();
}

std::string Mirror::Witnessed() const {
  if (impl_->options.witnesses.witnesses.empty()) return "";
  return impl_->ledger->checkpoint();
}

}  // namespace carbonledger
