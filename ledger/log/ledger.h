// Ledger: the verifiable log and the state it implies, in one LevelDB database.
//
// The log knows no transaction type of its own: it is opened with a TxTypeTable
// (ledger/log/tx_types.h) and runs every transaction through the pipeline
// (ledger/log/pipeline.h).
//
// Sequencing is one place: Submit() admits a transaction and verifies its signature on the
// caller's thread (so verification runs in parallel), then hands it to the single writer
// thread, which applies it through the pipeline, appends entries, extends the Merkle tree and hash
// chain, signs the new checkpoint and writes all of it — entries, tree nodes, state changes,
// checkpoint — in one synced WriteBatch for many transactions at once (group commit). Submit()
// returns only after that write is durable. A checkpoint is signed only for a tree that extends the
// last one stored, and is stored in the same batch as the entries it covers, so no two signed
// checkpoints are ever inconsistent, across crashes too.
//
// Storage faults: when the synced write fails (full disk, I/O error), nothing of the batch is
// acknowledged (its submitters get Unavailable "store.write_failed"), reads go on from the open
// database, and writes are refused until the writer thread has reopened the store: every
// `store_retry` it checks that the file system takes writes again, closes and reopens the
// database, and reloads everything it keeps in memory exactly as Open() does. The batch whose
// write failed may or may not be on disk; what is on disk is the truth, and it must extend the
// last checkpoint handed out, or writes stay refused for good ("store.diverged").
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "crypto/status.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/entry.h"
#include "ledger/log/proof.h"
#include "ledger/log/state.h"
#include "ledger/log/transaction.h"
#include "ledger/log/tx_types.h"

namespace leveldb {
class Env;
}

namespace carbonledger {

// One group commit, as reported to LedgerOptions::on_commit.
struct CommitInfo {
  uint64_t first_seq = 0;  // first entry appended
  uint64_t entries = 0;    // entries appended (0 when every transaction was refused)
  uint64_t refused = 0;    // transactions refused by the rules in this batch
  uint64_t bytes = 0;      // the batch's canonical transaction and attachment bytes
  double write_ms = 0;     // the synced write
  bool ok = true;          // false: the store refused the write, nothing was acknowledged
};

struct LedgerOptions {
  std::string data_dir;     // holds db/ and keys/log.key
  size_t max_batch = 4096;  // transactions per group commit
  // Canonical transaction + confidential attachment bytes per group commit; a transaction
  // larger than this still commits, alone (docs/ledger-format.md §Store).
  size_t max_batch_bytes = 4 << 20;
  size_t max_queue = 65536;  // queued transactions beyond which submissions get 429
  size_t block_cache_bytes = 64 << 20;
  // Called on the writer thread after each batch (for logs); must not call into the ledger.
  std::function<void(const CommitInfo&)> on_commit;
  // After a failed store write: the time between attempts to reopen the store.
  std::chrono::milliseconds store_retry{1000};
  // Called on the writer thread when the store stops taking writes (with the reason) and when
  // it takes them again (OK); for logs. Must not call into the ledger.
  std::function<void(const Status&)> on_store_health;
  // Called on the writer thread when a transaction is refused with "tx.internal" (a type's
  // function threw: a bug, refused alone, the rest of its batch unharmed); for logs. Must not
  // call into the ledger.
  std::function<void(const Transaction&, const Status&)> on_internal_error;
  // Tests only: the file system the store goes through (null: the real one) and its memtable
  // size (0: the default), to inject faults and to make LevelDB compact sooner.
  leveldb::Env* store_env = nullptr;
  size_t store_write_buffer_bytes = 0;
};

// What a submitter gets once its transaction is durable.
struct Receipt {
  uint64_t seq = 0;
  Hash leaf_hash{};
  std::string checkpoint;  // a signed checkpoint whose tree includes the entry
  bool duplicate = false;  // the same signed transaction was already entry `seq`
};

struct StoredEntry {
  Entry entry;
  std::string bytes;  // the entry bytes (Merkle leaf data)
  Hash leaf_hash{};
  Hash chain{};
};

// Paths inside a data directory.
std::string LedgerDbPath(const std::string& data_dir);
std::string LogKeyPath(const std::string& data_dir);

class Ledger {
 public:
  // Creates a ledger whose entry 0 is `genesis` (a signed "genesis" transaction). The log's
  // checkpoint key must already be at LogKeyPath(data_dir) and match the genesis body's log_key.
  // `types` must outlive the ledger.
  static Status Create(const std::string& data_dir, const SignedTransaction& genesis,
                       const TxTypeTable& types);
  static Result<std::unique_ptr<Ledger>> Open(const LedgerOptions& options,
                                              const TxTypeTable& types);
  static Result<std::unique_ptr<Ledger>> Open(const std::string& data_dir,
                                              const TxTypeTable& types);
  // A mirror's ledger (docs/mirror.md §Store): the store of a log sequenced elsewhere, opened
  // (created empty if absent) without the log's private key. Submissions are refused with
  // PermissionDenied "mirror.read_only"; it grows only by AppendVerified. A store whose genesis
  // names another log key is refused, "mirror.log_key".
  static Result<std::unique_ptr<Ledger>> OpenMirror(const LedgerOptions& options,
                                                    const NamedPublicKey& log_key,
                                                    const TxTypeTable& types);
  // Mirror only: appends `entries` (entry bytes, seq size() onwards) and makes `note`, the
  // log's signed checkpoint for exactly size() + entries.size() entries, the stored checkpoint
  // — after replaying every entry with verify-ledger's rules (ledger/log/replay.h) over the
  // stored state and checking that the tree they make has the note's root. All or nothing, in
  // one synced write. Refusals: the note's ("checkpoint.signature", "checkpoint.origin", ...),
  // "mirror.size" (InvalidArgument), "verify.entry" (Corruption, naming the entry and the
  // rule), "mirror.root", "mirror.log_key", "mirror.origin" (Corruption).
  Status AppendVerified(const std::vector<std::string>& entries, const std::string& note);
  // Mirror only: what its replays since it was opened could not check because it holds none
  // of the log's confidential data ("entry 27: the inventory's commitment and figures
  // (document withheld)"), oldest first.
  std::vector<std::string> NotChecked() const;
  ~Ledger();  // finishes queued commits, then closes the store

  // Decodes, verifies and commits one submission; blocks until it is durable or refused.
  Result<Receipt> Submit(std::string_view envelope);
  Result<Receipt> Submit(const SignedTransaction& stx);
  // The same without blocking: `done` runs on the writer thread once the transaction is
  // durable or refused (or on this thread, for a refusal found before queueing). Submissions
  // from one thread are sequenced in the order they were made.
  using Callback = std::function<void(Result<Receipt>)>;
  void SubmitAsync(const SignedTransaction& stx, Callback done);

  const std::string& origin() const;
  const NamedPublicKey& log_key() const;
  uint64_t size() const;
  std::string checkpoint() const;  // the latest signed note

  Result<StoredEntry> GetEntry(uint64_t seq) const;
  Result<Hash> RootAt(uint64_t tree_size) const;
  // The hash of a complete subtree of the current tree (level, index), as tiles serve it.
  Result<Hash> NodeHash(int level, uint64_t index) const;
  // Proofs in the tree of `tree_size` (`to`) leaves, which must not be beyond size():
  // "proof.tree_size" (NotFound) otherwise; the rest as merkle::InclusionProof and
  // merkle::ConsistencyProof.
  Result<InclusionProof> ProveInclusion(uint64_t seq, uint64_t tree_size) const;
  Result<ConsistencyProof> ProveConsistency(uint64_t from, uint64_t to) const;
  // Committed state (what the last durable batch left; inside a StateReadScope on this thread,
  // what it was when the scope began).
  const StateReader& state() const;

  // Counters since open, for metrics and benchmarks.
  struct Stats {
    uint64_t batches = 0;        // synced writes that appended entries
    uint64_t entries = 0;        // entries appended
    uint64_t refused = 0;        // transactions refused by the rules
    uint64_t largest_batch = 0;  // most entries in one synced write
    // Entries per synced write: bucket i counts batches of at most 2^i entries.
    std::array<uint64_t, 14> batch_buckets{};
    uint64_t store_failures = 0;    // synced writes the store refused
    uint64_t store_recoveries = 0;  // reopenings after which the store took writes again
  };
  Stats stats() const;

  // Why writes are refused now, if they are (a failed store write not yet recovered from),
  // else OK.
  Status health() const;

  struct Impl;

 private:
  friend class StateReadScope;
  explicit Ledger(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// While one lives, every read of `ledger.state()` on the constructing thread sees the committed
// state as it was at construction (one LevelDB snapshot), so a query that reads several
// records never mixes two batches. Batches committed meanwhile are seen once it ends. A scope
// must end on the thread that made it, and that thread must not wait for a commit (Submit)
// inside it: a store reopening after a failed write waits for open scopes to end.
class StateReadScope {
 public:
  explicit StateReadScope(const Ledger& ledger);
  ~StateReadScope();
  StateReadScope(const StateReadScope&) = delete;
  StateReadScope& operator=(const StateReadScope&) = delete;

 private:
  struct Pin;
  std::unique_ptr<Pin> pin_;
};

}  // namespace carbonledger
