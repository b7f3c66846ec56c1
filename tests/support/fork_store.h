// ForkStore: the fork a dishonest log operator would serve (docs/mirror.md §Fork detection):
// an honest copy of a ledger's data directory with one entry changed — its acceptance time
// moved by 1 ms, which no client signed — and everything after it recomputed: the hash chain,
// the Merkle tree, the state, and a checkpoint signed with the log's real key. It is a
// convincing fork: the copy passes verify-ledger and carbonledgerd serves it, and only its root
// tells it from the original. The copy is built by replaying every entry through the mirror's
// verified append (Ledger::AppendVerified), so it is internally consistent by construction.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "crypto/status.h"
#include "ledger/certification/transaction_types.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/entry.h"
#include "ledger/log/ledger.h"
#include "ledger/log/merkle.h"

namespace carbonledger::testing {

struct Fork {
  uint64_t changed_seq = 0;
  std::string checkpoint;  // the fork's, signed with the real log key
};

// `src` must not be open (its daemon stopped). Changes the first entry at or after the middle
// of the log whose acceptance time can grow by 1 ms without passing the next entry's.
inline Result<Fork> ForkStore(const std::string& src, const std::string& dst) {
  namespace fs = std::filesystem;
  std::vector<std::string> entries;
  NamedPublicKey log_public;
  std::string origin;
  {
    auto ledger = Ledger::Open(src, LedgerTxTypes());
    if (!ledger.ok()) return ledger.status();
    for (uint64_t seq = 0; seq < (*ledger)->size(); ++seq) {
      auto e = (*ledger)->GetEntry(seq);
      if (!e.ok()) return e.status();
      entries.push_back(e->bytes);
    }
    log_public = (*ledger)->log_key();
    origin = (*ledger)->origin();
  }
  Fork fork;
  fork.changed_seq = entries.size();
  for (uint64_t seq = entries.size() / 2; seq < entries.size(); ++seq) {
    auto e = DecodeEntry(entries[seq]);
    if (!e.ok()) return e.status();
    if (seq + 1 < entries.size()) {
      auto next = DecodeEntry(entries[seq + 1]);
      if (!next.ok()) return next.status();
      if (next->accepted_ms <= e->accepted_ms) continue;
    }
    e->accepted_ms += 1;
    entries[seq] = EncodeEntry(*e);
    fork.changed_seq = seq;
    break;
  }
  if (fork.changed_seq == entries.size()) {
    return Status::InvalidArgument("fork.none", "no entry's time can move");
  }
  std::error_code ec;
  fs::create_directories(dst, ec);
  for (const auto& item : fs::directory_iterator(src)) {
    if (item.path().filename() == "db") continue;
    fs::copy(item.path(), fs::path(dst) / item.path().filename(),
             fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
    if (ec) return Status::IOError("fork.copy", ec.message());
  }
  auto log_key = ReadPrivateKeyFile(LogKeyPath(src));
  if (!log_key.ok()) return log_key.status();
  merkle::Frontier tree;
  std::vector<std::pair<merkle::NodeId, Hash>> completed;
  for (const std::string& e : entries) tree.Append(LeafHash(e), &completed);
  fork.checkpoint = SignCheckpoint(Checkpoint{origin, entries.size(), tree.Root(), {}},
                                   log_key->name, log_key->key);
  LedgerOptions lo;
  lo.data_dir = dst;
  auto copy = Ledger::OpenMirror(lo, log_public, LedgerTxTypes());
  if (!copy.ok()) return copy.status();
  if (Status s = (*copy)->AppendVerified(entries, fork.checkpoint); !s.ok()) return s;
  return fork;
}

}  // namespace carbonledger::testing
