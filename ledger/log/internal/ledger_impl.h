// Ledger::Impl: what one open ledger holds — the store, the head of the last durable batch,
// the queue of submissions and the writer thread that drains it. Private to the log library;
// open.cc opens, creates and reopens the store, sequencer.cc is the writer, reads.cc the read
// API.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ledger/log/internal/store.h"
#include "ledger/log/ledger.h"
#include "ledger/log/merkle.h"
#include "ledger/log/pipeline.h"

namespace carbonledger {

// A submission waiting for the writer: admitted, and its signature verified under the key its
// signer had in the committed state.
struct Pending {
  SignedTransaction stx;
  Admission admission;
  PublicKey verified_key{};
  Ledger::Callback done;
  size_t bytes = 0;  // canonical transaction + attachment: what counts to max_batch_bytes
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
inline constexpr const char* kProbeFile = "carbonledger-probe.tmp";

uint64_t NowMs();

struct Ledger::Impl {
  LedgerOptions options;
  Store store;
  DbState committed{store};
  NodeStore nodes{store};
  NamedKey log_signing_key{"", SigningKey::Generate()};
  NamedPublicKey log_public;
  std::string origin;  // set once, by Open
  LogParams params;    // the config's, read by Open
  const TxTypeTable* types = nullptr;
  // A mirror's ledger (OpenMirror): no writer thread, no private key; AppendVerified, one
  // caller at a time, is the only writer.
  bool mirror = false;
  std::mutex append_mu;
  // Mirror: what its replays could not check without the log's confidential data, since it
  // was opened (guarded by head_mu).
  std::vector<std::string> unchecked;

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

}  // namespace carbonledger
