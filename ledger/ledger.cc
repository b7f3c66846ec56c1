#include "ledger/ledger.h"

#include <leveldb/env.h>
#include <leveldb/write_batch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <shared_mutex>
#include <thread>

#include "ledger/db.h"
#include "ledger/merkle.h"
#include "ledger/rule_sets.h"
#include "ledger/store_keys.h"

namespace carbonledger {
namespace {

uint64_t NowMs() {
  return uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count());
}

Hash HashFromBytes(std::string_view b) {
  Hash h{};
  std::copy_n(b.begin(), 32, h.begin());
  return h;
}

Status StoreClosed() {
  return Status::Unavailable("store.unavailable",
                             "the store is closed: reopening it after a failed write has not "
                             "succeeded yet");
}

// The open database. The writer thread closes and reopens it after a failed write
// (Ledger::Impl::Recover). Every read holds the lock shared for one LevelDB call or one whole
// scan, and closing or reopening holds it exclusively, so no read ever touches a closed handle.
// A thread that already holds the lock — a scan's callback reading again, the writer reloading
// the head under the exclusive lock — does not take it again (std::shared_mutex is not
// recursive). While a reopening waits for the lock, new readers wait behind a gate it holds,
// so a steady stream of reads cannot starve it (glibc's rwlock prefers readers).
class Store {
 public:
  // Holds the store for reading; db() is null while a reopening has failed.
  class Reading {
   public:
    explicit Reading(const Store& s) : store_(s), nested_(Holds(s)) {
      if (nested_) return;
      if (s.reopening_.load(std::memory_order_acquire)) {
        std::lock_guard wait_behind_reopening(s.gate_);
      }
      s.mu_.lock_shared();
      Held().push_back(&s);
    }
    ~Reading() {
      if (nested_) return;
      Release(store_);
      store_.mu_.unlock_shared();
    }
    Reading(const Reading&) = delete;
    Reading& operator=(const Reading&) = delete;
    leveldb::DB* db() const { return store_.db_; }

   private:
    const Store& store_;
    const bool nested_;
  };

  // Holds the store alone: for opening and closing it (writer thread only).
  class Exclusive {
   public:
    explicit Exclusive(Store& s) : store_(s) {
      {
        std::lock_guard gate(s.gate_);
        s.reopening_.store(true, std::memory_order_release);
        s.mu_.lock();
      }
      Held().push_back(&s);
    }
    ~Exclusive() {
      Release(store_);
      store_.reopening_.store(false, std::memory_order_release);
      store_.mu_.unlock();
    }
    Exclusive(const Exclusive&) = delete;
    Exclusive& operator=(const Exclusive&) = delete;
    leveldb::DB* db() const { return store_.db_; }
    void Install(std::unique_ptr<Database> d) {
      store_.database_ = std::move(d);
      store_.db_ = store_.database_->db();
    }
    void Close() {
      store_.db_ = nullptr;
      store_.database_.reset();
    }

   private:
    Store& store_;
  };

  // One record; nullopt when the key is absent.
  Result<std::optional<std::string>> Get(std::string_view key, const std::string& context) const {
    Reading r(*this);
    if (r.db() == nullptr) return StoreClosed();
    std::string v;
    leveldb::Status s =
        r.db()->Get(Database::ReadOpts(), leveldb::Slice(key.data(), key.size()), &v);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (!s.ok()) return FromLevelDB(s, context);
    return std::optional<std::string>(std::move(v));
  }

 private:
  static std::vector<const Store*>& Held() {
    thread_local std::vector<const Store*> held;
    return held;
  }
  static bool Holds(const Store& s) {
    return std::find(Held().begin(), Held().end(), &s) != Held().end();
  }
  static void Release(const Store& s) {
    auto& held = Held();
    held.erase(std::find(held.begin(), held.end(), &s));
  }

  mutable std::mutex gate_;
  std::atomic<bool> reopening_{false};
  mutable std::shared_mutex mu_;
  std::unique_ptr<Database> database_;
  leveldb::DB* db_ = nullptr;
};

// Committed state: the s/ records in LevelDB.
class DbState : public StateReader {
 public:
  explicit DbState(const Store& store) : store_(store) {}
  Result<std::optional<std::string>> Get(const std::string& key) const override {
    return store_.Get(keys::State(key), "state " + key);
  }
  Status Scan(const std::string& prefix, const ScanFn& fn) const override {
    return ScanFrom(prefix, prefix, fn);
  }
  Status ScanFrom(const std::string& prefix, const std::string& from,
                  const ScanFn& fn) const override {
    Store::Reading r(store_);
    if (r.db() == nullptr) return StoreClosed();
    std::unique_ptr<leveldb::Iterator> it(r.db()->NewIterator(Database::ReadOpts()));
    std::string start = keys::State(prefix);
    for (it->Seek(keys::State(std::max(prefix, from))); it->Valid() && it->key().starts_with(start);
         it->Next()) {
      std::string key = it->key().ToString().substr(keys::kStatePrefix.size());
      if (!fn(key, it->value().ToString())) break;
    }
    return FromLevelDB(it->status(), "scan " + prefix);
  }

 private:
  const Store& store_;
};

// Complete-subtree hashes: levels >= kCachedLevel live in memory (32 bytes per 2^kCachedLevel
// entries: 8 MB at 10^6 entries), so a proof costs at most kCachedLevel LevelDB reads; the
// rest come from the store.
constexpr int kCachedLevel = 2;

class NodeStore : public merkle::NodeReader {
 public:
  explicit NodeStore(const Store& store) : store_(store) {}

  // A node never changes once stored, so the cache needs no store lock: while a reopening
  // reloads it, a miss reads the store.
  Result<Hash> Node(int level, uint64_t index) const override {
    if (level >= kCachedLevel) {
      std::shared_lock lock(mu_);
      size_t l = size_t(level - kCachedLevel);
      if (l < cache_.size() && index < cache_[l].size()) return cache_[l][index];
    }
    const std::string name = "tree node " + std::to_string(level) + "/" + std::to_string(index);
    auto v = store_.Get(keys::Node(level, index), name);
    if (!v.ok()) return v.status();
    if (!v->has_value()) return Status::NotFound("store.not_found", name + ": not found");
    if ((*v)->size() != 32) return Status::Corruption("store.node", name + " is not 32 bytes");
    return HashFromBytes(**v);
  }

  // Replaces the cached levels with the store's (one range scan). The caller holds the store
  // exclusively (at open and reopen).
  Status Load() {
    Store::Reading r(store_);
    {
      std::unique_lock lock(mu_);
      cache_.clear();
    }
    std::unique_ptr<leveldb::Iterator> it(r.db()->NewIterator(Database::ReadOpts()));
    std::string start = keys::Node(kCachedLevel, 0);
    for (it->Seek(start); it->Valid() && it->key().starts_with(std::string(keys::kNodePrefix));
         it->Next()) {
      std::string_view k(it->key().data(), it->key().size());
      int level = uint8_t(k[2]);
      uint64_t index = keys::ReadU64(k.substr(3));
      if (it->value().size() != 32) return Status::Corruption("store.node", "bad tree node");
      Add(level, index, HashFromBytes(std::string_view(it->value().data(), 32)));
    }
    return FromLevelDB(it->status(), "load tree nodes");
  }

  // Called after a batch is durable, in append order.
  void Add(int level, uint64_t index, const Hash& h) {
    if (level < kCachedLevel) return;
    std::unique_lock lock(mu_);
    size_t l = size_t(level - kCachedLevel);
    if (cache_.size() <= l) cache_.resize(l + 1);
    if (cache_[l].size() == index) cache_[l].push_back(h);
  }

 private:
  const Store& store_;
  mutable std::shared_mutex mu_;
  std::vector<std::vector<Hash>> cache_;
};

struct Pending {
  SignedTransaction stx;
  PublicKey verified_key{};
  Ledger::Callback done;
};

// What the last durable batch left: the tree head and the end of the hash chain.
struct Head {
  uint64_t size = 0;
  merkle::Frontier frontier;
  Hash chain{};
  uint64_t last_ms = 0;
  std::string checkpoint;
};

// Written beside the store's files to learn whether the file system takes writes again.
// LevelDB leaves files whose names it does not use alone.
constexpr const char* kProbeFile = "carbonledger-probe.tmp";

}  // namespace

std::string LedgerDbPath(const std::string& data_dir) { return data_dir + "/db"; }
std::string LogKeyPath(const std::string& data_dir) { return data_dir + "/keys/log.key"; }

struct Ledger::Impl {
  LedgerOptions options;
  Store store;
  DbState committed{store};
  NodeStore nodes{store};
  NamedKey log_signing_key{"", SigningKey::Generate()};
  NamedPublicKey log_public;
  std::string origin;  // set once, by Open

  // Written only by the writer thread (which may read them without the lock).
  mutable std::mutex head_mu;
  Head head;
  Ledger::Stats stats;
  Status failed;  // why writes are refused (a failed store write not yet recovered from)

  // Writer thread only: while `recovering`, the store is reopened at `next_retry`; `fatal`
  // stops that for good (the store no longer holds what was acknowledged).
  bool recovering = false;
  bool fatal = false;
  std::chrono::steady_clock::time_point next_retry;

  std::mutex queue_mu;
  std::condition_variable queue_cv;
  std::deque<Pending*> queue;
  bool stopping = false;
  std::thread writer;

  Result<Head> OpenStore(Store::Exclusive& lock);
  Result<Head> ReadHead() const;
  Status ProbeWritable() const;
  Status Recover();
  void StoreFailed(const Status& err);
  void WriterLoop();
  void CommitBatch(std::vector<Pending*>& batch);
};

// Opens the database and loads what is kept in memory about it — the configuration, the cached
// tree levels and the head — checking the stored checkpoint against the stored tree. Startup
// and recovery after a failed write both come here, so a reopened store is exactly what a
// restart would see.
Result<Head> Ledger::Impl::OpenStore(Store::Exclusive& lock) {
  DatabaseOptions dbo;
  dbo.create_if_missing = false;
  dbo.block_cache_bytes = options.block_cache_bytes;
  if (options.store_write_buffer_bytes > 0)
    dbo.write_buffer_bytes = options.store_write_buffer_bytes;
  dbo.env = options.store_env;
  auto database = OpenDatabase(LedgerDbPath(options.data_dir), dbo);
  if (!database.ok()) return database.status();
  lock.Install(std::move(*database));
  auto config = GetRecord(committed, kConfigKey);
  if (!config.ok()) return config.status();
  if (!config->has_value()) {
    return Status::Corruption("store.config", "the store has no genesis configuration");
  }
  std::string config_origin = (**config)["origin"].get<std::string>();
  if (origin.empty()) origin = config_origin;
  if (config_origin != origin) {
    return Status::Corruption("store.config", "the store's origin changed while it was open");
  }
  if ((**config)["log_key"] != FormatPublicKey(log_public.name, log_public.key)) {
    return Status::InvalidArgument("ledger.log_key",
                                   "keys/log.key is not the log key named in the genesis entry");
  }
  if (Status s = nodes.Load(); !s.ok()) return s;
  return ReadHead();
}

Result<Head> Ledger::Impl::ReadHead() const {
  Head h;
  auto size = store.Get(keys::kSize, "read tree size");
  if (!size.ok()) return size.status();
  if (!size->has_value()) return Status::Corruption("store.size", "the store has no tree size");
  h.size = std::stoull(**size);
  auto note = store.Get(keys::kCheckpoint, "read checkpoint");
  if (!note.ok()) return note.status();
  if (!note->has_value()) return Status::Corruption("store.checkpoint", "no stored checkpoint");
  h.checkpoint = std::move(**note);
  auto f = merkle::Frontier::Load(h.size, nodes);
  if (!f.ok()) return f.status();
  h.frontier = std::move(*f);
  auto cp = OpenCheckpoint(h.checkpoint, log_public.name, log_public.key, origin);
  if (!cp.ok()) return cp.status();
  if (cp->size != h.size || cp->root != h.frontier.Root()) {
    return Status::Corruption(
        "store.checkpoint", "stored checkpoint does not match the stored tree; run verify-ledger");
  }
  if (h.size > 0) {
    auto last = store.Get(keys::Entry(h.size - 1), "read last entry");
    if (!last.ok()) return last.status();
    if (!last->has_value() || (*last)->size() < 32) {
      return Status::Corruption("store.entry", "the last entry is missing or too short");
    }
    auto e = DecodeEntry(std::string_view(**last).substr(32));
    if (!e.ok()) return e.status();
    h.chain = HashFromBytes(**last);
    h.last_ms = e->accepted_ms;
  }
  return h;
}

// Whether the file system takes writes again, asked without touching the store: a file as
// large as the store's write-ahead logs plus 1 MiB is written, synced and removed through the
// store's leveldb::Env. Reopening needs about that much (the logs become a table); while the
// probe fails, the open handle stays open for reads.
Status Ledger::Impl::ProbeWritable() const {
  leveldb::Env* env = options.store_env != nullptr ? options.store_env : leveldb::Env::Default();
  const std::string dir = LedgerDbPath(options.data_dir);
  uint64_t bytes = 1 << 20;
  std::vector<std::string> files;
  if (env->GetChildren(dir, &files).ok()) {
    for (const std::string& f : files) {
      uint64_t n = 0;
      if (f.ends_with(".log") && env->GetFileSize(dir + "/" + f, &n).ok()) bytes += n;
    }
  }
  const std::string path = dir + "/" + kProbeFile;
  leveldb::WritableFile* raw = nullptr;
  leveldb::Status s = env->NewWritableFile(path, &raw);
  std::unique_ptr<leveldb::WritableFile> file(raw);
  const std::string chunk(64 << 10, 'p');
  for (uint64_t done = 0; s.ok() && done < bytes; done += chunk.size()) s = file->Append(chunk);
  if (s.ok()) s = file->Sync();
  if (s.ok()) s = file->Close();
  file.reset();
  env->RemoveFile(path);
  return FromLevelDB(s, "probe write");
}

// Reopens the store after a failed write (writer thread). LevelDB may refuse every write after
// one failed (its sticky background error), and a log with a torn record must not be appended
// to, so the handle is replaced, never reused. The batch whose write failed may or may not be
// on disk: the head is reloaded from the store, which must still extend the last checkpoint
// handed out — otherwise no checkpoint is ever signed again ("store.diverged").
Status Ledger::Impl::Recover() {
  bool open;
  {
    Store::Reading r(store);
    open = r.db() != nullptr;
  }
  // The probe protects an open handle; once a reopening has failed there is none to protect.
  if (open) {
    if (Status s = ProbeWritable(); !s.ok()) return s;
  }
  Store::Exclusive lock(store);  // reads wait until the store is open again
  lock.Close();
  auto reloaded = OpenStore(lock);
  if (!reloaded.ok()) return reloaded.status();
  auto root = merkle::RootAt(std::min(head.size, reloaded->size), nodes);
  if (reloaded->size < head.size || !root.ok() || *root != head.frontier.Root()) {
    fatal = true;
    return Status::Corruption("store.diverged",
                              "after reopening, the store no longer holds the tree of the last "
                              "checkpoint (size " +
                                  std::to_string(head.size) + "); run verify-ledger");
  }
  // A synced empty write: the new log takes writes.
  leveldb::WriteBatch nothing;
  leveldb::WriteOptions wo;
  wo.sync = true;
  if (Status s = FromLevelDB(lock.db()->Write(wo, &nothing), "probe write"); !s.ok()) return s;
  std::lock_guard guard(head_mu);
  head = std::move(*reloaded);
  failed = Status::OK();
  stats.store_recoveries++;
  return Status::OK();
}

// A synced write failed: refuse writes until Recover() succeeds.
void Ledger::Impl::StoreFailed(const Status& err) {
  {
    std::lock_guard lock(head_mu);
    failed = err;
    stats.store_failures++;
  }
  recovering = true;
  next_retry = std::chrono::steady_clock::now() + options.store_retry;
  if (options.on_store_health) options.on_store_health(err);
}

void Ledger::Impl::WriterLoop() {
  for (;;) {
    std::vector<Pending*> batch;
    {
      std::unique_lock lock(queue_mu);
      auto ready = [&] { return stopping || !queue.empty(); };
      if (recovering) {
        queue_cv.wait_until(lock, next_retry, ready);
      } else {
        queue_cv.wait(lock, ready);
      }
      if (stopping && queue.empty()) return;  // everything queued is committed
      while (!queue.empty() && batch.size() < options.max_batch) {
        batch.push_back(queue.front());
        queue.pop_front();
      }
    }
    if (recovering && std::chrono::steady_clock::now() >= next_retry) {
      Status s = Recover();
      if (s.ok()) {
        recovering = false;
      } else {
        recovering = !fatal;
        next_retry = std::chrono::steady_clock::now() + options.store_retry;
        std::lock_guard lock(head_mu);
        failed = fatal ? s
                       : Status::Unavailable("store.write_failed",
                                             "the store refused a write and cannot be reopened "
                                             "yet: " +
                                                 s.message());
      }
      if (options.on_store_health && (s.ok() || fatal)) options.on_store_health(s);
    }
    if (!batch.empty()) CommitBatch(batch);
  }
}

void Ledger::Impl::CommitBatch(std::vector<Pending*>& batch) {
  std::vector<std::optional<Result<Receipt>>> results(batch.size());
  {
    std::lock_guard lock(head_mu);
    if (!failed.ok()) {
      for (Pending* p : batch) {
        p->done(failed);
        delete p;
      }
      return;
    }
  }
  StateTxn state(committed);
  leveldb::WriteBatch wb;
  merkle::Frontier f = head.frontier;
  Hash c = head.chain;
  uint64_t n = head.size;
  const uint64_t size_before = head.size;
  uint64_t now = std::max(NowMs(), head.last_ms);
  std::vector<std::pair<merkle::NodeId, Hash>> completed, all_completed;

  for (size_t i = 0; i < batch.size(); ++i) {
    const SignedTransaction& stx = batch[i]->stx;
    // Idempotency: the same signed transaction answers with its first entry.
    auto prior = state.Get(TxIndexKey(stx.tx.id));
    if (prior.ok() && prior->has_value()) {
      Receipt r;
      r.seq = std::stoull(**prior);
      r.duplicate = true;
      results[i] = r;
      continue;
    }
    auto expected = ExpectedSignerKey(stx.tx, n, state);
    if (!expected.ok()) {
      results[i] = expected.status();
      continue;
    }
    // The key may have changed since the caller verified (a rotation earlier in this batch).
    if (*expected != batch[i]->verified_key &&
        !VerifySignature(*expected, stx.tx.canonical, stx.signature)) {
      results[i] = Status::Unauthenticated(
          "tx.signature",
          "signature does not verify under the current key of \"" + stx.tx.signer + "\"");
      continue;
    }
    StateTxn own(state);
    TxContext ctx{stx.tx, n, now};
    if (Status s = ApplyTransaction(ctx, *expected, own); !s.ok()) {
      std::lock_guard lock(head_mu);
      stats.refused++;
      results[i] = s;
      continue;
    }
    state.Absorb(own);
    Entry e{n, now, *expected, stx.signature, stx.tx.canonical};
    std::string bytes = EncodeEntry(e);
    Hash leaf = LeafHash(bytes);
    c = ChainNext(c, leaf);
    wb.Put(keys::Entry(n), std::string(AsBytes(c)) + bytes);
    f.Append(leaf, &completed);
    for (const auto& [id, h] : completed) {
      wb.Put(keys::Node(id.level, id.index), std::string(AsBytes(h)));
      all_completed.emplace_back(id, h);
    }
    Receipt r;
    r.seq = n;
    r.leaf_hash = leaf;
    results[i] = r;
    ++n;
  }

  std::string note;
  CommitInfo info;
  info.first_seq = size_before;
  info.entries = n - size_before;
  for (const auto& r : results) info.refused += (r && !r->ok()) ? 1 : 0;
  if (n > size_before) {
    for (const auto& [k, v] : state.writes()) {
      if (v) {
        wb.Put(keys::State(k), *v);
      } else {
        wb.Delete(keys::State(k));
      }
    }
    // Signed here, handed out only once the write is durable: a checkpoint never leaves the
    // process for a tree that is not on disk.
    note = SignCheckpoint(Checkpoint{origin, n, f.Root(), {}}, log_signing_key.name,
                          log_signing_key.key);
    wb.Put(std::string(keys::kSize), std::to_string(n));
    wb.Put(std::string(keys::kCheckpoint), note);
    leveldb::WriteOptions wo;
    wo.sync = true;
    auto write_start = std::chrono::steady_clock::now();
    leveldb::Status ws;
    {
      Store::Reading r(store);  // the writer thread is the only one that reopens
      ws = r.db()->Write(wo, &wb);
    }
    info.write_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - write_start)
            .count();
    info.ok = ws.ok();
    if (!ws.ok()) {
      Status err = Status::Unavailable("store.write_failed",
                                       "the store refused a write (not acknowledged; it may or "
                                       "may not have been applied): " +
                                           ws.ToString());
      StoreFailed(err);
      // Nothing of this batch is acknowledged, nor a duplicate of an entry of this batch.
      for (auto& r : results) {
        if ((*r).ok() && (!(*r)->duplicate || (*r)->seq >= size_before)) r = err;
      }
      n = size_before;
    } else {
      for (const auto& [id, h] : all_completed) nodes.Add(id.level, id.index, h);
      std::lock_guard lock(head_mu);
      head.size = n;
      head.frontier = std::move(f);
      head.chain = c;
      head.last_ms = now;
      head.checkpoint = note;
      stats.batches++;
      stats.entries += n - size_before;
      stats.largest_batch = std::max(stats.largest_batch, n - size_before);
      size_t bucket = 0;
      while (bucket + 1 < stats.batch_buckets.size() && (uint64_t(1) << bucket) < n - size_before) {
        ++bucket;
      }
      stats.batch_buckets[bucket]++;
    }
  }
  note = head.checkpoint;
  if (options.on_commit) options.on_commit(info);
  for (size_t i = 0; i < batch.size(); ++i) {
    Result<Receipt>& r = *results[i];
    if (r.ok()) {
      r->checkpoint = note;
      if (r->duplicate) {
        auto v = store.Get(keys::Entry(r->seq), "entry " + std::to_string(r->seq));
        if (v.ok() && v->has_value() && (*v)->size() > 32) {
          r->leaf_hash = LeafHash(std::string_view(**v).substr(32));
        }
      }
    }
    batch[i]->done(std::move(r));
    delete batch[i];
  }
}

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Ledger::~Ledger() {
  {
    std::lock_guard lock(impl_->queue_mu);
    impl_->stopping = true;
  }
  impl_->queue_cv.notify_all();
  if (impl_->writer.joinable()) impl_->writer.join();
}

Status Ledger::Create(const std::string& data_dir, const SignedTransaction& genesis) {
  if (genesis.tx.type != "genesis") {
    return Status::InvalidArgument("genesis.type", "entry 0 must be a genesis transaction");
  }
  auto log_key = ReadPrivateKeyFile(LogKeyPath(data_dir));
  if (!log_key.ok()) return log_key.status();
  std::string expected_vkey = FormatPublicKey(log_key->name, log_key->key.public_key());
  if (!genesis.tx.body.contains("log_key") || genesis.tx.body["log_key"] != expected_vkey) {
    return Status::InvalidArgument(
        "genesis.log_key", "body.log_key must be the verifier key of " + LogKeyPath(data_dir));
  }
  if (std::filesystem::exists(LedgerDbPath(data_dir) + "/CURRENT")) {
    return Status::Conflict("ledger.exists", "a ledger already exists in " + data_dir);
  }
  auto op_key = GenesisOperatorKey(genesis.tx);
  if (!op_key.ok()) return op_key.status();
  if (!VerifySignature(*op_key, genesis.tx.canonical, genesis.signature)) {
    return Status::Unauthenticated("tx.signature", "genesis is not signed by its operator key");
  }
  MemoryState empty;
  StateTxn state(empty);
  uint64_t now = NowMs();
  TxContext ctx{genesis.tx, 0, now};
  if (Status s = ApplyTransaction(ctx, *op_key, state); !s.ok()) return s;

  auto database = OpenDatabase(LedgerDbPath(data_dir));
  if (!database.ok()) return database.status();
  Entry e{0, now, *op_key, genesis.signature, genesis.tx.canonical};
  std::string bytes = EncodeEntry(e);
  Hash leaf = LeafHash(bytes);
  merkle::Frontier f;
  std::vector<std::pair<merkle::NodeId, Hash>> completed;
  f.Append(leaf, &completed);
  leveldb::WriteBatch wb;
  wb.Put(keys::Entry(0), std::string(AsBytes(ChainNext(ChainGenesis(), leaf))) + bytes);
  for (const auto& [id, h] : completed)
    wb.Put(keys::Node(id.level, id.index), std::string(AsBytes(h)));
  for (const auto& [k, v] : state.writes()) wb.Put(keys::State(k), *v);
  wb.Put(std::string(keys::kSize), "1");
  wb.Put(
      std::string(keys::kCheckpoint),
      SignCheckpoint(Checkpoint{genesis.tx.ledger, 1, f.Root(), {}}, log_key->name, log_key->key));
  leveldb::WriteOptions wo;
  wo.sync = true;
  return FromLevelDB((*database)->db()->Write(wo, &wb), "write genesis");
}

Result<std::unique_ptr<Ledger>> Ledger::Open(const LedgerOptions& options) {
  InitCrypto();
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->options.store_retry = std::max(options.store_retry, std::chrono::milliseconds(1));
  auto log_key = ReadPrivateKeyFile(LogKeyPath(options.data_dir));
  if (!log_key.ok()) return log_key.status();
  impl->log_signing_key = std::move(*log_key);
  impl->log_public = {impl->log_signing_key.name, impl->log_signing_key.key.public_key()};
  {
    Store::Exclusive lock(impl->store);
    auto head = impl->OpenStore(lock);
    if (!head.ok()) return head.status();
    impl->head = std::move(*head);
  }
  Impl* raw = impl.get();
  impl->writer = std::thread([raw] { raw->WriterLoop(); });
  return std::unique_ptr<Ledger>(new Ledger(std::move(impl)));
}

Result<std::unique_ptr<Ledger>> Ledger::Open(const std::string& data_dir) {
  LedgerOptions o;
  o.data_dir = data_dir;
  return Open(o);
}

Result<Receipt> Ledger::Submit(std::string_view envelope) {
  auto stx = DecodeSubmission(envelope);
  if (!stx.ok()) return stx.status();
  return Submit(*stx);
}

Result<Receipt> Ledger::Submit(const SignedTransaction& stx) {
  std::promise<Result<Receipt>> promise;
  auto future = promise.get_future();
  SubmitAsync(stx, [&promise](Result<Receipt> r) { promise.set_value(std::move(r)); });
  return future.get();
}

namespace {
Status Precheck(const SignedTransaction& stx, const std::string& origin) {
  if (stx.tx.type == "genesis") {
    return Status::Unprocessable("tx.genesis",
                                 "the genesis transaction is entry 0 and only entry 0");
  }
  if (stx.tx.ledger != origin) {
    return Status::InvalidArgument(
        "tx.ledger", "tx.ledger \"" + stx.tx.ledger + "\" is not this ledger (\"" + origin + "\")");
  }
  if (FindRule(stx.tx.type) == nullptr) {
    return Status::InvalidArgument("tx.type", "unknown transaction type \"" + stx.tx.type + "\"");
  }
  return Status::OK();
}
}  // namespace

void Ledger::SubmitAsync(const SignedTransaction& stx, Callback done) {
  if (Status s = Precheck(stx, impl_->origin); !s.ok()) return done(s);
  // While the store refuses writes, refuse at once (the writer reopens it on its own).
  if (Status s = health(); !s.ok()) return done(s);
  // Verified here, on the caller's thread, against the committed key; the writer re-checks
  // only if the key changed meanwhile.
  auto key = ExpectedSignerKey(stx.tx, size(), impl_->committed);
  if (!key.ok()) return done(key.status());
  if (!VerifySignature(*key, stx.tx.canonical, stx.signature)) {
    return done(Status::Unauthenticated(
        "tx.signature", "signature does not verify under the key of \"" + stx.tx.signer + "\""));
  }
  auto* p = new Pending{stx, *key, std::move(done)};
  Status refused;
  {
    std::lock_guard lock(impl_->queue_mu);
    if (impl_->stopping) {
      refused = Status::Unavailable("ledger.stopping", "the ledger is closing");
    } else if (impl_->queue.size() >= impl_->options.max_queue) {
      // Backpressure: the writer is behind; the client retries rather than the queue growing.
      refused = Status::ResourceExhausted(
          "ledger.busy", std::to_string(impl_->queue.size()) +
                             " transactions are waiting to be committed; retry shortly");
    } else {
      impl_->queue.push_back(p);
      p = nullptr;
    }
  }
  if (p != nullptr) {
    p->done(refused);
    delete p;
    return;
  }
  impl_->queue_cv.notify_one();
}

const std::string& Ledger::origin() const { return impl_->origin; }
const NamedPublicKey& Ledger::log_key() const { return impl_->log_public; }

uint64_t Ledger::size() const {
  std::lock_guard lock(impl_->head_mu);
  return impl_->head.size;
}

std::string Ledger::checkpoint() const {
  std::lock_guard lock(impl_->head_mu);
  return impl_->head.checkpoint;
}

Ledger::Stats Ledger::stats() const {
  std::lock_guard lock(impl_->head_mu);
  return impl_->stats;
}

Status Ledger::health() const {
  std::lock_guard lock(impl_->head_mu);
  return impl_->failed;
}

const StateReader& Ledger::state() const { return impl_->committed; }

Result<StoredEntry> Ledger::GetEntry(uint64_t seq) const {
  if (seq >= size()) {
    return Status::NotFound("entry.not_found", "no entry " + std::to_string(seq) +
                                                   " (the log has " + std::to_string(size()) +
                                                   " entries)");
  }
  auto record = impl_->store.Get(keys::Entry(seq), "entry " + std::to_string(seq));
  if (!record.ok()) return record.status();
  if (!record->has_value()) {
    return Status::NotFound("store.not_found", "entry " + std::to_string(seq) + ": not found");
  }
  const std::string& v = **record;
  if (v.size() < 32) return Status::Corruption("entry.format", "entry record too short");
  StoredEntry out;
  out.chain = HashFromBytes(v);
  out.bytes = v.substr(32);
  auto e = DecodeEntry(out.bytes);
  if (!e.ok()) return e.status();
  out.entry = std::move(*e);
  out.leaf_hash = LeafHash(out.bytes);
  return out;
}

namespace {
Status CheckTreeSize(uint64_t tree_size, uint64_t current) {
  if (tree_size > current) {
    return Status::NotFound("proof.tree_size", "tree_size " + std::to_string(tree_size) +
                                                   " is beyond the current size " +
                                                   std::to_string(current));
  }
  return Status::OK();
}
}  // namespace

Result<Hash> Ledger::RootAt(uint64_t tree_size) const {
  if (Status s = CheckTreeSize(tree_size, size()); !s.ok()) return s;
  return merkle::RootAt(tree_size, impl_->nodes);
}

Result<Hash> Ledger::NodeHash(int level, uint64_t index) const {
  if (level < 0 || level > 63 || index >= (size() >> level)) {
    return Status::NotFound("tree.node", "no complete subtree " + std::to_string(level) + "/" +
                                             std::to_string(index) + " in the current tree");
  }
  return impl_->nodes.Node(level, index);
}

Result<std::vector<Hash>> Ledger::InclusionProof(uint64_t seq, uint64_t tree_size) const {
  if (Status s = CheckTreeSize(tree_size, size()); !s.ok()) return s;
  return merkle::InclusionProof(seq, tree_size, impl_->nodes);
}

Result<std::vector<Hash>> Ledger::ConsistencyProof(uint64_t from, uint64_t to) const {
  if (Status s = CheckTreeSize(to, size()); !s.ok()) return s;
  return merkle::ConsistencyProof(from, to, impl_->nodes);
}

}  // namespace carbonledger
