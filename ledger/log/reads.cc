// The read API: the head, entries, tree hashes and proofs, and the committed state. Reads see
// only what the last durable batch left.
#include "ledger/log/internal/ledger_impl.h"
#include "ledger/log/internal/store_keys.h"

namespace carbonledger {

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

struct StateReadScope::Pin {
  explicit Pin(const Store& store) : pin(store) {}
  StatePin pin;
};

StateReadScope::StateReadScope(const Ledger& ledger)
    : pin_(std::make_unique<Pin>(ledger.impl_->store)) {}
StateReadScope::~StateReadScope() = default;

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
  out.chain = *HashFromBytes(std::string_view(v).substr(0, 32));  // size checked above
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

Result<InclusionProof> Ledger::ProveInclusion(uint64_t seq, uint64_t tree_size) const {
  if (Status s = CheckTreeSize(tree_size, size()); !s.ok()) return s;
  auto hashes = merkle::InclusionProof(seq, tree_size, impl_->nodes);
  if (!hashes.ok()) return hashes.status();
  return InclusionProof{seq, tree_size, std::move(*hashes)};
}

Result<ConsistencyProof> Ledger::ProveConsistency(uint64_t from, uint64_t to) const {
  if (Status s = CheckTreeSize(to, size()); !s.ok()) return s;
  auto hashes = merkle::ConsistencyProof(from, to, impl_->nodes);
  if (!hashes.ok()) return hashes.status();
  return ConsistencyProof{from, to, std::move(*hashes)};
}

}  // namespace carbonledger