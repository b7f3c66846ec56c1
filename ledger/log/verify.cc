#include "ledger/log/verify.h"

#include <leveldb/db.h>

#include <atomic>
#include <future>
#include <map>
#include <thread>
#include <vector>

#include "crypto/canonical_json.h"
#include "crypto/encoding.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/entry.h"
#include "ledger/log/internal/db.h"
#include "ledger/log/internal/store_keys.h"
#include "ledger/log/ledger.h"
#include "ledger/log/merkle.h"
#include "ledger/log/pipeline.h"
#include "ledger/log/replay.h"
#include "ledger/log/state.h"
#include "ledger/log/tx_types.h"

namespace carbonledger {
namespace {

Status Bad(uint64_t seq, const std::string& what) {
  return Status::Corruption("verify.entry", "entry " + std::to_string(seq) + ": " + what);
}

// One entry read from the store, with the work that needs no ledger state done in parallel.
struct Checked {
  uint64_t seq = 0;
  Hash stored_chain{};
  DecodedEntry decoded;
};

void CheckInParallel(std::vector<Checked>& chunk, std::vector<std::string>& bytes,
                     unsigned threads) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < chunk.size();) {
      if (!chunk[i].decoded.decode.ok()) continue;
      chunk[i].decoded = DecodeForReplay(bytes[i]);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

// The replay: state rebuilt by the same rules the sequencer runs (ledger/log/replay.h), plus,
// for each record, the entry that last wrote it (to name it when the stored record differs).
struct Replay {
  MemoryState state;
  std::map<std::string, uint64_t> writer;
  merkle::Frontier frontier;
  ReplayPosition at;
  uint64_t node_count = 0;
  std::vector<std::string> unchecked;  // what the rules could not check without confidential data
};

// The confidential attachment the store holds for entry `seq`, if any (ConfidentialKey).
Result<std::optional<nlohmann::json>> StoredConfidential(leveldb::DB* db, uint64_t seq) {
  std::string v;
  leveldb::Status s =
      db->Get(Database::ReadOpts(), std::string(keys::kStatePrefix) + ConfidentialKey(seq), &v);
  if (s.IsNotFound()) return std::optional<nlohmann::json>();
  if (!s.ok()) return FromLevelDB(s, "read confidential record");
  auto parsed = ParseStrictJson(v, JsonLimits{kMaxConfidentialBytes, 64});
  if (!parsed.ok()) return Bad(seq, "confidential record: " + parsed.status().message());
  return std::optional<nlohmann::json>(std::move(*parsed));
}

Status ReplayStored(Replay& r, const Checked& c, const TxTypeTable& types, leveldb::DB* db) {
  const uint64_t seq = c.seq;
  const DecodedEntry& d = c.decoded;
  if (!d.decode.ok()) return Bad(seq, d.decode.message());
  if (ChainNext(r.at.chain, d.leaf) != c.stored_chain && d.entry.seq == seq) {
    return Bad(seq, "chain value does not match the entries");
  }
  // The confidential data the store holds for the entry; a mirror's store holds none.
  auto confidential = StoredConfidential(db, seq);
  if (!confidential.ok()) return confidential.status();
  ReplayInput in = d.input();
  if (confidential->has_value()) in.confidential = &**confidential;
  in.leaf_hash = [db](uint64_t earlier) -> Result<Hash> {
    std::string v;
    leveldb::Status s = db->Get(Database::ReadOpts(), keys::Entry(earlier), &v);
    if (!s.ok() || v.size() <= 32) {
      return Status::Corruption("verify.entry", "entry " + std::to_string(earlier) + " is missing");
    }
    return LeafHash(std::string_view(v).substr(32));
  };
  StateTxn txn(r.state);
  if (Status s = ReplayEntry(types, in, r.at, txn, &r.unchecked); !s.ok()) return s;
  for (const auto& w : txn.writes()) r.writer[w.first] = seq;
  r.state.Apply(txn);

  std::vector<std::pair<merkle::NodeId, Hash>> completed;
  r.frontier.Append(d.leaf, &completed);
  for (const auto& [id, h] : completed) {
    std::string v;
    leveldb::Status s = db->Get(Database::ReadOpts(), keys::Node(id.level, id.index), &v);
    if (!s.ok() || v != AsBytes(h)) {
      return Bad(seq, "tree node " + std::to_string(id.level) + "/" + std::to_string(id.index) +
                          (s.ok() ? " differs from the entries" : " is missing: " + s.ToString()));
    }
    ++r.node_count;
  }
  return Status::OK();
}

Status CompareState(const Replay& r, leveldb::DB* db, uint64_t* records) {
  std::unique_ptr<leveldb::Iterator> it(db->NewIterator(Database::ReadOpts()));
  const std::string prefix(keys::kStatePrefix);
  auto want = r.state.data().begin();
  auto named = [&](const std::string& key) {
    auto w = r.writer.find(key);
    return w == r.writer.end() ? std::string("no entry") : "entry " + std::to_string(w->second);
  };
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    std::string key = it->key().ToString().substr(prefix.size());
    if (want == r.state.data().end() || key < want->first) {
      return Status::Corruption("verify.state",
                                "state record \"" + key + "\" is not implied by any entry");
    }
    if (key > want->first) {
      return Status::Corruption("verify.state", "state record \"" + want->first + "\" written by " +
                                                    named(want->first) + " is missing");
    }
    if (it->value().ToString() != want->second) {
      return Status::Corruption("verify.state", "state record \"" + key + "\" last written by " +
                                                    named(key) + " differs from the replay");
    }
    ++*records;
    ++want;
  }
  if (!it->status().ok()) return FromLevelDB(it->status(), "scan state");
  if (want != r.state.data().end()) {
    return Status::Corruption("verify.state", "state record \"" + want->first + "\" written by " +
                                                  named(want->first) + " is missing");
  }
  return Status::OK();
}

// Every key must belong to a known record kind; anything else was not written by the ledger.
Status CheckKeyKinds(leveldb::DB* db, uint64_t size, uint64_t nodes) {
  std::unique_ptr<leveldb::Iterator> it(db->NewIterator(Database::ReadOpts()));
  uint64_t node_records = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::string_view k(it->key().data(), it->key().size());
    if (k == keys::kSize || k == keys::kCheckpoint || k.starts_with(keys::kStatePrefix)) continue;
    if (k.starts_with(keys::kEntryPrefix) && k.size() == 10) {
      uint64_t seq = keys::ReadU64(k.substr(2));
      if (seq >= size) {
        return Status::Corruption("verify.extra", "entry " + std::to_string(seq) +
                                                      ": record lies beyond the tree size " +
                                                      std::to_string(size));
      }
      continue;
    }
    if (k.starts_with(keys::kNodePrefix) && k.size() == 11) {
      ++node_records;
      continue;
    }
    return Status::Corruption("verify.extra", "unknown record key \"" + HexEncode(k) + "\"");
  }
  if (!it->status().ok()) return FromLevelDB(it->status(), "scan keys");
  if (node_records != nodes) {
    return Status::Corruption("verify.extra", std::to_string(node_records) +
                                                  " tree node records stored; the entries imply " +
                                                  std::to_string(nodes));
  }
  return Status::OK();
}

}  // namespace

Result<VerifyReport> VerifyLedger(const VerifyOptions& options, const TxTypeTable& types) {
  DatabaseOptions dbo;
  dbo.create_if_missing = false;
  auto database = OpenDatabase(LedgerDbPath(options.data_dir), dbo);
  if (!database.ok()) return database.status();
  return VerifyDatabase((*database)->db(), options, types);
}

Result<VerifyReport> VerifyDatabase(leveldb::DB* db, const VerifyOptions& options,
                                    const TxTypeTable& types) {
  InitCrypto();

  std::string size_text, note;
  leveldb::Status s = db->Get(Database::ReadOpts(), std::string(keys::kSize), &size_text);
  if (!s.ok()) return Status::Corruption("verify.size", "tree size record: " + s.ToString());
  uint64_t size = 0;
  if (size_text.empty() || size_text.size() > 19 ||
      size_text.find_first_not_of("0123456789") != std::string::npos ||
      (size_text.size() > 1 && size_text[0] == '0')) {
    return Status::Corruption("verify.size", "tree size record is not a decimal number");
  }
  size = std::stoull(size_text);
  s = db->Get(Database::ReadOpts(), std::string(keys::kCheckpoint), &note);
  if (!s.ok()) return Status::Corruption("verify.checkpoint", "checkpoint record: " + s.ToString());

  // Data of another ledger format is refused by name before the replay, which would otherwise
  // refuse its first entry for a reason that names no format.
  std::string stored_config;
  if (db->Get(Database::ReadOpts(), std::string(keys::kStatePrefix) + kConfigKey, &stored_config)
          .ok()) {
    MemoryState config_only;
    StateTxn put(config_only);
    put.Put(kConfigKey, stored_config);
    config_only.Apply(put);
    auto configured = ConfiguredParams(config_only);
    if (!configured.ok() && configured.status().reason() == "ledger.format") {
      return configured.status();
    }
  }

  unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
  Replay replay;
  std::unique_ptr<leveldb::Iterator> it(db->NewIterator(Database::ReadOpts()));
  it->Seek(keys::Entry(0));
  constexpr size_t kChunk = 4096;
  uint64_t next_seq = 0;
  // Reads the next chunk of entries and does their state-free checks (decoding, canonical
  // form, signature) on all cores. A missing record ends the chunk early and is reported
  // when the replay reaches it, so the first bad entry is the one named.
  auto read_chunk = [&]() {
    std::vector<Checked> chunk;
    std::vector<std::string> bytes;
    for (; next_seq < size && chunk.size() < kChunk; ++next_seq, it->Next()) {
      if (!it->Valid() || it->key().ToString() != keys::Entry(next_seq)) break;
      Checked c;
      c.seq = next_seq;
      std::string_view v(it->value().data(), it->value().size());
      if (v.size() < 32) {
        c.decoded.decode =
            Status::Corruption("entry.format", "record is shorter than its chain value");
        bytes.emplace_back();
      } else {
        c.stored_chain = *HashFromBytes(v.substr(0, 32));  // size checked above
        bytes.emplace_back(v.substr(32));
      }
      chunk.push_back(std::move(c));
    }
    CheckInParallel(chunk, bytes, threads);
    return chunk;
  };
  // Double-buffered: the next chunk is read and checked while this one is replayed.
  uint64_t seq = 0;
  auto pending = std::async(std::launch::async, read_chunk);
  while (seq < size) {
    std::vector<Checked> chunk = pending.get();
    bool more = !chunk.empty() && next_seq < size && next_seq == seq + chunk.size();
    if (more) pending = std::async(std::launch::async, read_chunk);
    for (const Checked& c : chunk) {
      if (Status st = ReplayStored(replay, c, types, db); !st.ok()) {
        if (more) pending.wait();
        return st;
      }
      ++seq;
    }
    if (options.progress) options.progress(seq, size);
    if (!more && seq < size) {
      if (!it->status().ok()) {
        return Status::Corruption("verify.store", "reading entry " + std::to_string(seq) + ": " +
                                                      it->status().ToString());
      }
      return Bad(seq, "entry record is missing");
    }
  }
  if (!it->status().ok()) {
    return Status::Corruption("verify.store", "reading entries: " + it->status().ToString());
  }

  // The checkpoint must be signed by the log key and commit to exactly this tree.
  auto config = GetRecord(replay.state, kConfigKey);
  if (!config.ok() || !config->has_value()) {
    return Status::Corruption("verify.genesis", "entry 0 is not a genesis entry");
  }
  auto genesis_key = ParsePublicKey((**config)["log_key"].get<std::string>());
  if (!genesis_key.ok()) return genesis_key.status();
  NamedPublicKey log_key = options.trusted_log_key.value_or(*genesis_key);
  if (log_key.key != genesis_key->key || log_key.name != genesis_key->name) {
    return Status::Corruption("verify.log_key",
                              "the genesis entry names a different log key than the trusted one");
  }
  std::string origin = (**config)["origin"].get<std::string>();
  auto cp = OpenCheckpoint(note, log_key.name, log_key.key, origin);
  if (!cp.ok()) {
    return Status::Corruption("verify.checkpoint", "checkpoint: " + cp.status().ToString());
  }
  Hash root = replay.frontier.Root();
  if (cp->size != size || cp->root != root) {
    return Status::Corruption(
        "verify.checkpoint",
        "checkpoint (size " + std::to_string(cp->size) +
            ") does not commit to the stored entries (size " + std::to_string(size) +
            "); first entry past it: " + std::to_string(std::min(cp->size, size)));
  }
  VerifyReport report;
  if (Status st = CompareState(replay, db, &report.state_records); !st.ok()) return st;
  if (Status st = CheckKeyKinds(db, size, replay.node_count); !st.ok()) return st;
  report.entries = size;
  report.root = root;
  report.checkpoint = note;
  report.tree_nodes = replay.node_count;
  report.unchecked = std::move(replay.unchecked);
  return report;
}

}  // namespace carbonledger
