// Opening a ledger: creating one with its genesis entry, opening the store and loading what is
// kept in memory about it, and reopening it after a failed write (storage faults,
// docs/reliability.md §Storage faults).
#include <leveldb/env.h>
#include <leveldb/write_batch.h>

#include <algorithm>
#include <filesystem>

#include "ledger/log/internal/batch.h"
#include "ledger/log/internal/db.h"
#include "ledger/log/internal/ledger_impl.h"
#include "ledger/log/internal/store_keys.h"

namespace carbonledger {

uint64_t NowMs() {
  return uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count());
}

std::string LedgerDbPath(const std::string& data_dir) { return data_dir + "/db"; }
std::string LogKeyPath(const std::string& data_dir) { return data_dir + "/keys/log.key"; }

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
  auto configured = ConfiguredParams(committed);  // refuses data of another format by name
  if (!configured.ok()) return configured.status();
  if (origin.empty()) origin = configured->origin;
  if (configured->origin != origin) {
    return Status::Corruption("store.config", "the store's origin changed while it was open");
  }
  params = std::move(*configured);
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
    h.chain = *HashFromBytes(std::string_view(**last).substr(0, 32));  // size checked above
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

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Ledger::~Ledger() {
  {
    std::lock_guard lock(impl_->queue_mu);
    impl_->stopping = true;
  }
  impl_->queue_cv.notify_all();
  if (impl_->writer.joinable()) impl_->writer.join();
}

Status Ledger::Create(const std::string& data_dir, const SignedTransaction& genesis,
                      const TxTypeTable& types) {
  if (genesis.tx.type != kGenesisType) {
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
  auto admission = Admit(types, genesis.tx, LogParams{genesis.tx.ledger, 0}, /*first_entry=*/true);
  if (!admission.ok()) return admission.status();
  MemoryState empty;
  StateTxn state(empty);
  uint64_t now = NowMs();
  TxContext ctx{genesis.tx, 0, now};
  auto verifies = [&](const PublicKey& key) {
    if (VerifySignature(key, genesis.tx.canonical, genesis.signature)) return Status::OK();
    return Status::Unauthenticated("tx.signature", "genesis is not signed by its operator key");
  };
  auto applied = Apply(types, *admission, ctx, verifies, /*allow_duplicate=*/false, state);
  if (!applied.ok()) return applied.status();

  auto database = OpenDatabase(LedgerDbPath(data_dir));
  if (!database.ok()) return database.status();
  BatchBuilder batch(merkle::Frontier(), ChainGenesis());
  const int64_t format =
      genesis.tx.body.contains("format") && genesis.tx.body["format"].is_number_integer()
          ? genesis.tx.body["format"].get<int64_t>()
          : kLedgerFormat;
  batch.Append(Entry{0, now, applied->signer_key, genesis.signature, genesis.tx.canonical,
                     EntryVersionOf(format), applied->note});
  batch.Finish(state, genesis.tx.ledger, *log_key);
  leveldb::WriteOptions wo;
  wo.sync = true;
  return FromLevelDB((*database)->db()->Write(wo, &batch.batch()), "write genesis");
}

Result<std::unique_ptr<Ledger>> Ledger::Open(const LedgerOptions& options,
                                             const TxTypeTable& types) {
  InitCrypto();
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->types = &types;
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

Result<std::unique_ptr<Ledger>> Ledger::Open(const std::string& data_dir,
                                             const TxTypeTable& types) {
  LedgerOptions o;
  o.data_dir = data_dir;
  return Open(o, types);
}

}  // namespace carbonledger
