#include "ledger/ledger.h"

#include <leveldb/write_batch.h>

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

// Committed state: the s/ records in LevelDB.
class DbState : public StateReader {
 public:
  explicit DbState(leveldb::DB* db) : db_(db) {}
  Result<std::optional<std::string>> Get(const std::string& key) const override {
    std::string v;
    leveldb::Status s = db_->Get(Database::ReadOpts(), keys::State(key), &v);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (!s.ok()) return FromLevelDB(s, "state " + key);
    return std::optional<std::string>(std::move(v));
  }
  Status Scan(const std::string& prefix, const ScanFn& fn) const override {
    return ScanFrom(prefix, prefix, fn);
  }
  Status ScanFrom(const std::string& prefix, const std::string& from,
                  const ScanFn& fn) const override {
    std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(Database::ReadOpts()));
    std::string start = keys::State(prefix);
    for (it->Seek(keys::State(std::max(prefix, from))); it->Valid() && it->key().starts_with(start);
         it->Next()) {
      std::string key = it->key().ToString().substr(keys::kStatePrefix.size());
      if (!fn(key, it->value().ToString())) break;
    }
    return FromLevelDB(it->status(), "scan " + prefix);
  }

 private:
  leveldb::DB* db_;
};

// Complete-subtree hashes: levels >= kCachedLevel live in memory (32 bytes per 2^kCachedLevel
// entries: 8 MB at 10^6 entries), so a proof costs at most kCachedLevel LevelDB reads; the
// rest come from the store.
constexpr int kCachedLevel = 2;

class NodeStore : public merkle::NodeReader {
 public:
  explicit NodeStore(leveldb::DB* db) : db_(db) {}

  Result<Hash> Node(int level, uint64_t index) const override {
    if (level >= kCachedLevel) {
      std::shared_lock lock(mu_);
      size_t l = size_t(level - kCachedLevel);
      if (l < cache_.size() && index < cache_[l].size()) return cache_[l][index];
    }
    std::string v;
    leveldb::Status s = db_->Get(Database::ReadOpts(), keys::Node(level, index), &v);
    if (!s.ok()) {
      return FromLevelDB(s, "tree node " + std::to_string(level) + "/" + std::to_string(index));
    }
    if (v.size() != 32) {
      return Status::Corruption("store.node", "tree node " + std::to_string(level) + "/" +
                                                  std::to_string(index) + " is not 32 bytes");
    }
    return HashFromBytes(v);
  }

  // Loads the cached levels from the store (one range scan).
  Status Load() {
    std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(Database::ReadOpts()));
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
  leveldb::DB* db_;
  mutable std::shared_mutex mu_;
  std::vector<std::vector<Hash>> cache_;
};

struct Pending {
  SignedTransaction stx;
  PublicKey verified_key{};
  Ledger::Callback done;
};

}  // namespace

std::string LedgerDbPath(const std::string& data_dir) { return data_dir + "/db"; }
std::string LogKeyPath(const std::string& data_dir) { return data_dir + "/keys/log.key"; }

struct Ledger::Impl {
  LedgerOptions options;
  std::unique_ptr<Database> database;
  leveldb::DB* db = nullptr;
  std::unique_ptr<DbState> committed;
  std::unique_ptr<NodeStore> nodes;
  NamedKey log_signing_key{"", SigningKey::Generate()};
  NamedPublicKey log_public;
  std::string origin;

  // Tree head as of the last durable batch. Written only by the writer thread.
  mutable std::mutex head_mu;
  uint64_t size = 0;
  merkle::Frontier frontier;
  Hash chain{};
  uint64_t last_ms = 0;
  std::string checkpoint;
  Ledger::Stats stats;
  Status failed;  // set when a store write fails: writes are refused from then on

  std::mutex queue_mu;
  std::condition_variable queue_cv;
  std::deque<Pending*> queue;
  bool stopping = false;
  std::thread writer;

  Status LoadHead();
  void WriterLoop();
  void CommitBatch(std::vector<Pending*>& batch);
};

Status Ledger::Impl::LoadHead() {
  std::string v;
  leveldb::Status s = db->Get(Database::ReadOpts(), std::string(keys::kSize), &v);
  if (!s.ok()) return FromLevelDB(s, "read tree size");
  size = std::stoull(v);
  s = db->Get(Database::ReadOpts(), std::string(keys::kCheckpoint), &checkpoint);
  if (!s.ok()) return FromLevelDB(s, "read checkpoint");
  if (Status st = nodes->Load(); !st.ok()) return st;
  auto f = merkle::Frontier::Load(size, *nodes);
  if (!f.ok()) return f.status();
  frontier = std::move(*f);
  auto cp = OpenCheckpoint(checkpoint, log_public.name, log_public.key, origin);
  if (!cp.ok()) return cp.status();
  if (cp->size != size || cp->root != frontier.Root()) {
    return Status::Corruption(
        "store.checkpoint", "stored checkpoint does not match the stored tree; run verify-ledger");
  }
  if (size > 0) {
    std::string last;
    s = db->Get(Database::ReadOpts(), keys::Entry(size - 1), &last);
    if (!s.ok()) return FromLevelDB(s, "read last entry");
    auto e = DecodeEntry(std::string_view(last).substr(32));
    if (!e.ok()) return e.status();
    chain = HashFromBytes(last);
    last_ms = e->accepted_ms;
  }
  return Status::OK();
}

void Ledger::Impl::WriterLoop() {
  for (;;) {
    std::vector<Pending*> batch;
    {
      std::unique_lock lock(queue_mu);
      queue_cv.wait(lock, [&] { return stopping || !queue.empty(); });
      if (queue.empty()) return;  // stopping, and everything queued is committed
      while (!queue.empty() && batch.size() < options.max_batch) {
        batch.push_back(queue.front());
        queue.pop_front();
      }
    }
    CommitBatch(batch);
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
  StateTxn state(*committed);
  leveldb::WriteBatch wb;
  merkle::Frontier f = frontier;
  Hash c = chain;
  uint64_t n = size;
  const uint64_t size_before = size;
  uint64_t now = std::max(NowMs(), last_ms);
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
  if (n > size) {
    for (const auto& [k, v] : state.writes()) {
      if (v) {
        wb.Put(keys::State(k), *v);
      } else {
        wb.Delete(keys::State(k));
      }
    }
    note = SignCheckpoint(Checkpoint{origin, n, f.Root(), {}}, log_signing_key.name,
                          log_signing_key.key);
    wb.Put(std::string(keys::kSize), std::to_string(n));
    wb.Put(std::string(keys::kCheckpoint), note);
    leveldb::WriteOptions wo;
    wo.sync = true;
    auto write_start = std::chrono::steady_clock::now();
    leveldb::Status ws = db->Write(wo, &wb);
    info.write_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - write_start)
            .count();
    info.ok = ws.ok();
    if (!ws.ok()) {
      Status err =
          Status::Unavailable("store.write_failed", "the store refused a write: " + ws.ToString());
      {
        std::lock_guard lock(head_mu);
        failed = err;
      }
      // Nothing of this batch is acknowledged: the write did not happen.
      for (size_t i = 0; i < batch.size(); ++i) {
        if (results[i]->ok() && !(*results[i])->duplicate) results[i] = err;
      }
      n = size;
    } else {
      for (const auto& [id, h] : all_completed) nodes->Add(id.level, id.index, h);
      std::lock_guard lock(head_mu);
      size = n;
      frontier = std::move(f);
      chain = c;
      last_ms = now;
      checkpoint = note;
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
  {
    std::lock_guard lock(head_mu);
    note = checkpoint;
  }
  if (options.on_commit) options.on_commit(info);
  for (size_t i = 0; i < batch.size(); ++i) {
    Result<Receipt>& r = *results[i];
    if (r.ok()) {
      r->checkpoint = note;
      if (r->duplicate) {
        std::string v;
        if (db->Get(Database::ReadOpts(), keys::Entry(r->seq), &v).ok() && v.size() > 32) {
          r->leaf_hash = LeafHash(std::string_view(v).substr(32));
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
  auto log_key = ReadPrivateKeyFile(LogKeyPath(options.data_dir));
  if (!log_key.ok()) return log_key.status();
  impl->log_signing_key = std::move(*log_key);
  impl->log_public = {impl->log_signing_key.name, impl->log_signing_key.key.public_key()};
  DatabaseOptions dbo;
  dbo.create_if_missing = false;
  dbo.block_cache_bytes = options.block_cache_bytes;
  auto database = OpenDatabase(LedgerDbPath(options.data_dir), dbo);
  if (!database.ok()) return database.status();
  impl->database = std::move(*database);
  impl->db = impl->database->db();
  impl->committed = std::make_unique<DbState>(impl->db);
  impl->nodes = std::make_unique<NodeStore>(impl->db);
  auto config = GetRecord(*impl->committed, kConfigKey);
  if (!config.ok()) return config.status();
  if (!config->has_value()) {
    return Status::Corruption("store.config", "the store has no genesis configuration");
  }
  impl->origin = (**config)["origin"].get<std::string>();
  if ((**config)["log_key"] != FormatPublicKey(impl->log_public.name, impl->log_public.key)) {
    return Status::InvalidArgument("ledger.log_key",
                                   "keys/log.key is not the log key named in the genesis entry");
  }
  if (Status s = impl->LoadHead(); !s.ok()) return s;
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
  // Verified here, on the caller's thread, against the committed key; the writer re-checks
  // only if the key changed meanwhile.
  auto key = ExpectedSignerKey(stx.tx, size(), *impl_->committed);
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
  return impl_->size;
}

std::string Ledger::checkpoint() const {
  std::lock_guard lock(impl_->head_mu);
  return impl_->checkpoint;
}

Ledger::Stats Ledger::stats() const {
  std::lock_guard lock(impl_->head_mu);
  return impl_->stats;
}

Status Ledger::health() const {
  std::lock_guard lock(impl_->head_mu);
  return impl_->failed;
}

const StateReader& Ledger::state() const { return *impl_->committed; }

Result<StoredEntry> Ledger::GetEntry(uint64_t seq) const {
  if (seq >= size()) {
    return Status::NotFound("entry.not_found", "no entry " + std::to_string(seq) +
                                                   " (the log has " + std::to_string(size()) +
                                                   " entries)");
  }
  std::string v;
  leveldb::Status s = impl_->db->Get(Database::ReadOpts(), keys::Entry(seq), &v);
  if (!s.ok()) return FromLevelDB(s, "entry " + std::to_string(seq));
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
  return merkle::RootAt(tree_size, *impl_->nodes);
}

Result<Hash> Ledger::NodeHash(int level, uint64_t index) const {
  if (level < 0 || level > 63 || index >= (size() >> level)) {
    return Status::NotFound("tree.node", "no complete subtree " + std::to_string(level) + "/" +
                                             std::to_string(index) + " in the current tree");
  }
  return impl_->nodes->Node(level, index);
}

Result<std::vector<Hash>> Ledger::InclusionProof(uint64_t seq, uint64_t tree_size) const {
  if (Status s = CheckTreeSize(tree_size, size()); !s.ok()) return s;
  return merkle::InclusionProof(seq, tree_size, *impl_->nodes);
}

Result<std::vector<Hash>> Ledger::ConsistencyProof(uint64_t from, uint64_t to) const {
  if (Status s = CheckTreeSize(to, size()); !s.ok()) return s;
  return merkle::ConsistencyProof(from, to, *impl_->nodes);
}

}  // namespace carbonledger
