#include "ledger/log/internal/batch.h"

#include "ledger/log/checkpoint.h"
#include "ledger/log/internal/store_keys.h"

namespace carbonledger {

Hash BatchBuilder::Append(const Entry& e) {
  std::string bytes = EncodeEntry(e);
  Hash leaf = LeafHash(bytes);
  chain_ = ChainNext(chain_, leaf);
  batch_.Put(keys::Entry(e.seq), std::string(AsBytes(chain_)) + bytes);
  std::vector<std::pair<merkle::NodeId, Hash>> completed;
  frontier_.Append(leaf, &completed);
  for (const auto& [id, h] : completed) {
    batch_.Put(keys::Node(id.level, id.index), std::string(AsBytes(h)));
    completed_.emplace_back(id, h);
  }
  return leaf;
}

std::string BatchBuilder::Finish(const StateTxn& state, const std::string& origin,
                                 const NamedKey& log_key) {
  std::string note =
      SignCheckpoint(Checkpoint{origin, size(), frontier_.Root(), {}}, log_key.name, log_key.key);
  Finish(state, note);
  return note;
}

void BatchBuilder::Finish(const StateTxn& state, const std::string& note) {
  for (const auto& [k, v] : state.writes()) {
    if (v) {
      batch_.Put(keys::State(k), *v);
    } else {
      batch_.Delete(keys::State(k));
    }
  }
  batch_.Put(std::string(keys::kSize), std::to_string(size()));
  batch_.Put(std::string(keys::kCheckpoint), note);
}

}  // namespace carbonledger
