// The store: the one LevelDB database of a ledger, shared by the writer thread and every
// reader, with the committed state (DbState) and the Merkle tree's stored nodes (NodeStore)
// read through it. Private to the log library.
#pragma once

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "crypto/sha256.h"
#include "crypto/status.h"
#include "ledger/log/internal/db.h"
#include "ledger/log/internal/store_keys.h"
#include "ledger/log/merkle.h"
#include "ledger/log/state.h"

namespace carbonledger {

Status StoreClosed();

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

  // One record; nullopt when the key is absent. `snapshot` (null: the latest state) is one
  // this thread pinned (StatePin below).
  Result<std::optional<std::string>> Get(std::string_view key, const std::string& context,
                                         const leveldb::Snapshot* snapshot = nullptr) const {
    Reading r(*this);
    if (r.db() == nullptr) return StoreClosed();
    leveldb::ReadOptions opts = Database::ReadOpts();
    opts.snapshot = snapshot;
    std::string v;
    leveldb::Status s = r.db()->Get(opts, leveldb::Slice(key.data(), key.size()), &v);
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

// One LevelDB snapshot of a store, pinned for the reads of the thread that made it
// (StateReadScope in ledger.h). It holds the store for reading while it lives, so the handle
// the snapshot belongs to is not closed under it (a reopening waits for it to end).
class StatePin {
 public:
  explicit StatePin(const Store& store) : store_(store), reading_(store) {
    if (reading_.db() != nullptr) snapshot_ = reading_.db()->GetSnapshot();
    Pins().push_back(this);
  }
  ~StatePin() {
    auto& pins = Pins();
    pins.erase(std::find(pins.begin(), pins.end(), this));
    if (snapshot_ != nullptr) reading_.db()->ReleaseSnapshot(snapshot_);
  }
  StatePin(const StatePin&) = delete;
  StatePin& operator=(const StatePin&) = delete;

  // The innermost snapshot this thread pinned on `store`, or null (read the latest state).
  static const leveldb::Snapshot* Of(const Store& store) {
    const auto& pins = Pins();
    for (auto it = pins.rbegin(); it != pins.rend(); ++it) {
      if (&(*it)->store_ == &store) return (*it)->snapshot_;
    }
    return nullptr;
  }

 private:
  static std::vector<const StatePin*>& Pins() {
    thread_local std::vector<const StatePin*> pins;
    return pins;
  }
  const Store& store_;
  Store::Reading reading_;
  const leveldb::Snapshot* snapshot_ = nullptr;
};

// Committed state: the s/ records in LevelDB, or the snapshot this thread pinned.
class DbState : public StateReader {
 public:
  explicit DbState(const Store& store) : store_(store) {}
  Result<std::optional<std::string>> Get(const std::string& key) const override {
    return store_.Get(keys::State(key), "state " + key, StatePin::Of(store_));
  }
  Status Scan(const std::string& prefix, const ScanFn& fn) const override {
    return ScanFrom(prefix, prefix, fn);
  }
  Status ScanFrom(const std::string& prefix, const std::string& from,
                  const ScanFn& fn) const override {
    Store::Reading r(store_);
    if (r.db() == nullptr) return StoreClosed();
    leveldb::ReadOptions opts = Database::ReadOpts();
    opts.snapshot = StatePin::Of(store_);
    std::unique_ptr<leveldb::Iterator> it(r.db()->NewIterator(opts));
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
    auto h = HashFromBytes(**v);
    if (!h.ok()) return Status::Corruption("store.node", name + " is not 32 bytes");
    return h;
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
      auto h = HashFromBytes(std::string_view(it->value().data(), it->value().size()));
      if (!h.ok()) return Status::Corruption("store.node", "bad tree node");
      Add(level, index, *h);
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

}  // namespace carbonledger
