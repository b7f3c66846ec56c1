// A mirror's ledger (docs/mirror.md §Store): the store of a log this process does not sequence.
// It is the same store as the log's own — entries, tree nodes, state records, size and the
// log's signed checkpoint — so `carbonledger verify-ledger` reads it as it reads the log's, and
// the read API serves it unchanged. It grows only by AppendVerified: entries another process
// signed, replayed with verify-ledger's rules (ledger/log/replay.h), written with that
// process's checkpoint once the replayed tree's root is the checkpoint's.
#include <leveldb/write_batch.h>

#include <filesystem>

#include "ledger/log/internal/batch.h"
#include "ledger/log/internal/ledger_impl.h"
#include "ledger/log/internal/store_keys.h"
#include "ledger/log/replay.h"

namespace carbonledger {

Result<std::unique_ptr<Ledger>> Ledger::OpenMirror(const LedgerOptions& options,
                                                   const NamedPublicKey& log_key,
                                                   const TxTypeTable& types) {
  InitCrypto();
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->types = &types;
  impl->mirror = true;
  impl->log_public = log_key;
  std::error_code ec;
  std::filesystem::create_directories(LedgerDbPath(options.data_dir), ec);
  DatabaseOptions dbo;
  dbo.create_if_missing = true;
  dbo.block_cache_bytes = options.block_cache_bytes;
  auto database = OpenDatabase(LedgerDbPath(options.data_dir), dbo);
  if (!database.ok()) return database.status();
  {
    Store::Exclusive lock(impl->store);
    lock.Install(std::move(*database));
    auto config = GetRecord(impl->committed, kConfigKey);
    if (!config.ok()) return config.status();
    if (config->has_value()) {  // not empty: what an earlier run verified
      auto configured = ConfiguredParams(impl->committed);
      if (!configured.ok()) return configured.status();
      if ((**config)["log_key"] != FormatPublicKey(log_key.name, log_key.key)) {
        return Status::InvalidArgument(
            "mirror.log_key", "the mirrored log's genesis entry names another log key than " +
                                  FormatPublicKey(log_key.name, log_key.key));
      }
      impl->origin = configured->origin;
      impl->params = std::move(*configured);
      if (Status s = impl->nodes.Load(); !s.ok()) return s;
      auto head = impl->ReadHead();
      if (!head.ok()) return head.status();
      impl->head = std::move(*head);
    }
  }
  return std::unique_ptr<Ledger>(new Ledger(std::move(impl)));
}

std::vector<std::string> Ledger::NotChecked() const {
  std::lock_guard lock(impl_->head_mu);
  return impl_->unchecked;
}

Status Ledger::AppendVerified(const std::vector<std::string>& entries, const std::string& note) {
  Impl& im = *impl_;
  if (!im.mirror) {
    return Status::Internal("mirror.not_mirror", "AppendVerified is for a mirror's ledger");
  }
  std::lock_guard one_appender(im.append_mu);
  Head h;
  {
    std::lock_guard lock(im.head_mu);
    h = im.head;
  }
  auto cp = OpenCheckpoint(note, im.log_public.name, im.log_public.key, im.origin);
  if (!cp.ok()) return cp.status();
  if (cp->size != h.size + entries.size()) {
    return Status::InvalidArgument("mirror.size", "the checkpoint is for " +
                                                      std::to_string(cp->size) + " entries, not " +
                                                      std::to_string(h.size + entries.size()));
  }
  StateTxn state(im.committed);
  BatchBuilder built(h.frontier, h.chain);
  ReplayPosition at{h.size, h.chain, h.last_ms, im.params};
  std::vector<Hash> batch_leaves;
  const uint64_t size_before = h.size;
  // Earlier leaves: the stored entries, then this batch's (TxContext::leaf_hash).
  auto leaf_hash = [&](uint64_t seq) -> Result<Hash> {
    if (seq >= size_before) {
      if (seq - size_before >= batch_leaves.size()) {
        return Status::InvalidArgument("entry.seq",
                                       "entry " + std::to_string(seq) + " is not in the log yet");
      }
      return batch_leaves[seq - size_before];
    }
    auto v = im.store.Get(keys::Entry(seq), "entry " + std::to_string(seq));
    if (!v.ok()) return v.status();
    if (!v->has_value() || (*v)->size() <= 32) {
      return Status::Corruption("store.entry", "entry " + std::to_string(seq) + " is missing");
    }
    return LeafHash(std::string_view(**v).substr(32));
  };
  std::vector<std::string> unchecked;
  for (const std::string& bytes : entries) {
    DecodedEntry d = DecodeForReplay(bytes);
    if (!d.decode.ok()) {
      return Status::Corruption("verify.entry",
                                "entry " + std::to_string(at.seq) + ": " + d.decode.message());
    }
    // A mirror holds no confidential data: the rules check what they can without it.
    ReplayInput in = d.input();
    in.leaf_hash = leaf_hash;
    if (Status s = ReplayEntry(*im.types, in, at, state, &unchecked); !s.ok()) return s;
    built.Append(d.entry);  // DecodeEntry is strict: the same bytes, the same leaf
    batch_leaves.push_back(d.leaf);
  }
  if (built.frontier().Root() != cp->root) {
    return Status::Corruption("mirror.root",
                              "the entries do not make the tree the checkpoint signs (size " +
                                  std::to_string(cp->size) + ")");
  }
  if (h.size == 0) {
    // Entry 0 named the origin and the log key: they must be the checkpoint's.
    auto config = GetRecord(state, kConfigKey);
    if (!config.ok()) return config.status();
    if (!config->has_value() ||
        (**config)["log_key"] != FormatPublicKey(im.log_public.name, im.log_public.key)) {
      return Status::Corruption("mirror.log_key",
                                "the genesis entry does not name the log key the checkpoint is "
                                "signed with");
    }
    if (cp->origin != at.log.origin) {
      return Status::Corruption("mirror.origin",
                                "the checkpoint's origin is not the genesis entry's");
    }
  }
  built.Finish(state, note);
  leveldb::WriteOptions wo;
  wo.sync = true;
  {
    Store::Reading r(im.store);
    if (r.db() == nullptr) return StoreClosed();
    if (Status s = FromLevelDB(r.db()->Write(wo, &built.batch()), "mirror write"); !s.ok()) {
      return s;
    }
  }
  for (const auto& [id, hash] : built.completed()) im.nodes.Add(id.level, id.index, hash);
  std::lock_guard lock(im.head_mu);
  im.origin = cp->origin;
  im.params = at.log;
  im.head.size = cp->size;
  im.head.frontier = std::move(built.frontier());
  im.head.chain = built.chain();
  im.head.last_ms = at.last_ms;
  im.head.checkpoint = note;
  im.stats.batches += entries.empty() ? 0 : 1;
  im.stats.entries += entries.size();
  im.unchecked.insert(im.unchecked.end(), unchecked.begin(), unchecked.end());
  return Status::OK();
}

}  // namespace carbonledger
