// BatchBuilder: one synced write's worth of appended entries. Ledger::Create (entry 0) and the
// writer's group commit (every later batch) both build their WriteBatch here, so an entry's
// record, its tree nodes and the checkpoint are laid out one way (docs/ledger-format.md
// §Store):
//   e/<seq>  chain value || entry bytes, for each entry in order;
//   n/<l,i>  every complete subtree hash the entry completes;
//   s/<key>  the batch's state writes (a deletion for nullopt);
//   m/size and m/checkpoint, signed over the new tree.
// Invariant: the checkpoint signed by Finish commits to exactly the entries appended on top of
// the head the builder started from.
#pragma once

#include <leveldb/write_batch.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "ledger/log/entry.h"
#include "ledger/log/merkle.h"
#include "ledger/log/state.h"

namespace carbonledger {

class BatchBuilder {
 public:
  BatchBuilder(merkle::Frontier frontier, const Hash& chain)
      : frontier_(std::move(frontier)), chain_(chain) {}

  // Appends `e` (e.seq must equal size()); returns its leaf hash.
  Hash Append(const Entry& e);
  // Adds the state writes, the new size and the checkpoint note signed by `log_key` for
  // `origin`, and returns the note. Call once, after the last Append.
  std::string Finish(const StateTxn& state, const std::string& origin, const NamedKey& log_key);
  // The same with a note the log signed elsewhere (a mirror's, ledger/log/mirror.cc); the
  // caller has checked that it commits to this tree.
  void Finish(const StateTxn& state, const std::string& note);

  uint64_t size() const { return frontier_.size(); }
  leveldb::WriteBatch& batch() { return batch_; }
  merkle::Frontier& frontier() { return frontier_; }
  const Hash& chain() const { return chain_; }
  // Every tree node the appended entries completed, in append order.
  const std::vector<std::pair<merkle::NodeId, Hash>>& completed() const { return completed_; }

 private:
  merkle::Frontier frontier_;
  Hash chain_;
  leveldb::WriteBatch batch_;
  std::vector<std::pair<merkle::NodeId, Hash>> completed_;
};

}  // namespace carbonledger
