// carbonledger export-tiles: the log as static files in the C2SP tlog-tiles layout, for any
// static file server, object store or CDN to serve (docs/scale.md §Static tiles).
//
//   <out>/checkpoint                    the signed checkpoint, written last
//   <out>/tile/<L>/<N>[.p/<W>]          hash tiles
//   <out>/tile/entries/<N>[.p/<W>]      entry bundles, and beside each `<path>.gz` (gzip_static)
//
// The tiles come from a data directory (--data: the store is opened, so the daemon must not be
// running: LevelDB admits one process) or from a running daemon's GET /tile/ routes (--from URL).
// Either way nothing is written that was not checked first: the checkpoint's signature by the
// log key, the root recomputed from the tiles (TileNodeReader), each new full tile against the
// hash its parent tile (checked before it: top level first) holds for it, each new entry bundle
// against its level-0 tile, and the tree against the last checkpoint exported (the new tree must
// hold it as a prefix). One tile or bundle at a time is in memory, besides the levels above 0.
//
// Invariants: a file is never rewritten (every tile path, partial ones too, names immutable
// content); each is written to a temporary name, synced and renamed into place; the checkpoint
// is renamed into place only after every tile and bundle it needs, so a reader that fetches the
// checkpoint and then its tiles always finds them.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "api/client/client.h"
#include "api/wire/gzip.h"
#include "ledger/certification/transaction_types.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/ledger.h"
#include "ledger/log/merkle.h"
#include "ledger/log/tiles.h"
#include "ledger/registry/genesis.h"
#include "tools/carbonledger/commands.h"
#include "tools/carbonledger/flags.h"

namespace carbonledger::cli {
namespace {

namespace fs = std::filesystem;

volatile sig_atomic_t g_stop = 0;
void OnStopSignal(int) { g_stop = 1; }

// Where the tiles come from.
class TileSource {
 public:
  virtual ~TileSource() = default;
  virtual Result<std::string> CheckpointNote() = 0;
  virtual Result<std::string> Tile(const TilePath& t) = 0;
};

class LedgerSource : public TileSource {
 public:
  explicit LedgerSource(std::unique_ptr<Ledger> ledger) : ledger_(std::move(ledger)) {}
  Result<std::string> CheckpointNote() override { return ledger_->checkpoint(); }
  Result<std::string> Tile(const TilePath& t) override { return ReadTile(*ledger_, t); }

 private:
  std::unique_ptr<Ledger> ledger_;
};

class HttpSource : public TileSource {
 public:
  explicit HttpSource(const std::string& url) : client_(url, Options()) {}
  Result<std::string> CheckpointNote() override { return Body("/checkpoint"); }
  Result<std::string> Tile(const TilePath& t) override {
    return Body("/tile/" + FormatTilePath(t));
  }

 private:
  static ApiClientOptions Options() {
    ApiClientOptions o;
    o.keep_alive = true;
    return o;
  }
  Result<std::string> Body(const std::string& target) {
    auto r = client_.Get(target);
    if (!r.ok()) return r.status();
    if (!r->ok()) return r->ToStatus();
    return std::move(r->body);
  }
  ApiClient client_;
};

std::optional<std::string> ReadWholeFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Status SyncPath(const fs::path& p, int flags) {
  int fd = open(p.c_str(), flags);
  if (fd < 0) return Status::IOError("export.write", "cannot open " + p.string());
  const bool ok = fsync(fd) == 0;
  close(fd);
  return ok ? Status::OK() : Status::IOError("export.write", "cannot sync " + p.string());
}

// Writes `data` to `path` through a synced temporary file renamed into place.
Status WriteAtomically(const fs::path& path, std::string_view data) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return Status::IOError("export.write", "cannot create " + path.parent_path().string());
  const fs::path tmp = path.string() + ".tmp-" + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(data.data(), std::streamsize(data.size()));
    out.close();
    if (!out) return Status::IOError("export.write", "cannot write " + tmp.string());
  }
  if (Status s = SyncPath(tmp, O_RDONLY); !s.ok()) return s;
  fs::rename(tmp, path, ec);
  if (ec)
    return Status::IOError("export.write", "cannot rename " + tmp.string() + ": " + ec.message());
  return SyncPath(path.parent_path(), O_RDONLY | O_DIRECTORY);
}

struct RoundReport {
  uint64_t size = 0;
  bool advanced = false;  // a new checkpoint was written
  uint64_t tiles = 0;     // hash tiles written
  uint64_t bundles = 0;   // entry bundles written (each with its .gz)
};

class Exporter {
 public:
  Exporter(TileSource& source, NamedPublicKey key, fs::path out)
      : source_(source), key_(std::move(key)), out_(std::move(out)) {}

  // One round: the source's current checkpoint, its missing tiles and bundles, checked, then
  // written, then the checkpoint.
  Result<RoundReport> Round() {
    auto note = source_.CheckpointNote();
    if (!note.ok()) return note.status();
    auto cp = OpenCheckpoint(*note, key_.name, key_.key, key_.name);
    if (!cp.ok()) return cp.status();
    RoundReport report{cp->size};
    const auto previous_note = ReadWholeFile(out_ / "checkpoint");
    if (previous_note == *note) return report;
    std::optional<Checkpoint> previous;
    if (previous_note) {
      auto p = OpenCheckpoint(*previous_note, key_.name, key_.key, key_.name);
      if (!p.ok()) {
        return Status::Conflict("export.inconsistent",
                                "the checkpoint already in " + out_.string() +
                                    " does not open with the log key: " + p.status().ToString());
      }
      previous = *p;
      if (cp->size < previous->size) return Inconsistent(*previous, *cp);
    }

    TileNodeReader tree(cp->size, [this](const TilePath& t) { return Fetch(t); });
    auto root = merkle::RootAt(cp->size, tree);
    if (!root.ok()) return root.status();
    if (*root != cp->root && previous) {
      // Either the source's tiles are wrong, or they are right for a tree that does not hold the
      // tiles exported before (a fork): tell the two apart by the source's tiles alone.
      TileNodeReader theirs(cp->size, [this](const TilePath& t) { return source_.Tile(t); });
      auto their_root = merkle::RootAt(cp->size, theirs);
      if (their_root.ok() && *their_root == cp->root) return Inconsistent(*previous, *cp);
    }
    if (*root != cp->root) {
      return Status::Corruption("export.root", "the tiles of the tree of " +
                                                   std::to_string(cp->size) +
                                                   " entries do not hash to the checkpoint's root");
    }
    if (previous) {
      auto old_root = merkle::RootAt(previous->size, tree);
      if (!old_root.ok()) return old_root.status();
      if (*old_root != previous->root) return Inconsistent(*previous, *cp);
    }

    // Hash tiles from the top level down, so each full tile is checked against a parent already
    // checked (or bound to the root); each is written once checked, one in memory at a time
    // (the reader keeps the levels above 0, 1/256 of the tree's hashes). Then the bundles, each
    // against its level-0 tile as written.
    std::vector<TilePath> all = TreeTiles(cp->size);
    std::stable_sort(all.begin(), all.end(), [](const TilePath& x, const TilePath& y) {
      return !x.entries && (y.entries || x.level > y.level);
    });
    for (const TilePath& t : all) {
      if (fs::exists(PathOf(t))) continue;
      auto bytes = t.entries ? CheckedBundle(t) : CheckedTile(t, tree);
      if (!bytes.ok()) return bytes.status();
      if (t.entries) {
        // The .gz first: a server with gzip_static may serve it as soon as the bundle exists.
        if (Status s = WriteAtomically(PathOf(t).string() + ".gz", Gzip(*bytes)); !s.ok()) return s;
        ++report.bundles;
      } else {
        ++report.tiles;
      }
      if (Status s = WriteAtomically(PathOf(t), *bytes); !s.ok()) return s;
    }
    if (Status s = WriteAtomically(out_ / "checkpoint", *note); !s.ok()) return s;
    report.advanced = true;
    return report;
  }

 private:
  fs::path PathOf(const TilePath& t) const { return out_ / "tile" / FormatTilePath(t); }

  // A tile already exported is read back (it was checked when written); any other comes from
  // the source.
  Result<std::string> Fetch(const TilePath& t) {
    if (auto on_disk = ReadWholeFile(PathOf(t))) return std::move(*on_disk);
    return source_.Tile(t);
  }

  static Status Inconsistent(const Checkpoint& previous, const Checkpoint& next) {
    return Status::Conflict("export.inconsistent",
                            "the log's tree of " + std::to_string(next.size) +
                                " entries does not extend the tree of " +
                                std::to_string(previous.size) + " entries exported before");
  }

  // A hash tile; a full one must hash to the node its parent tile holds for it (tlog-tiles:
  // "each hash in a tile is the Merkle Tree Hash of a full tile at the level below"), the parent
  // checked before it. Partial tiles are bound to the root by RootAt, which reads them whole.
  // Full level-0 tiles, 255/256 of all hashes, go around the reader's cache.
  Result<std::string> CheckedTile(const TilePath& t, const TileNodeReader& tree) {
    if (t.width != kTileWidth) {
      auto bytes = tree.HashTile(t.level, t.index);
      if (!bytes.ok()) return bytes.status();
      return std::string(*bytes);
    }
    std::string bytes;
    if (t.level == 0) {
      auto fetched = source_.Tile(t);
      if (!fetched.ok()) return fetched.status();
      bytes = std::move(*fetched);
    } else {
      auto cached = tree.HashTile(t.level, t.index);
      if (!cached.ok()) return cached.status();
      bytes = std::string(*cached);
    }
    if (bytes.size() != kTileWidth * sizeof(Hash)) {
      return Status::Corruption("tile.size", "tile " + FormatTilePath(t) + " holds " +
                                                 std::to_string(bytes.size()) + " bytes");
    }
    auto parent = tree.Node((t.level + 1) * kTileHeight, t.index);
    if (!parent.ok()) return parent.status();
    if (SubtreeHash(bytes, 0, kTileHeight) != *parent) {
      return Status::Corruption("export.tile", "tile " + FormatTilePath(t) +
                                                   " does not hash to its node in the tile above");
    }
    return bytes;
  }

  // An entry bundle whose entries hash, in order, to its level-0 tile (checked and written
  // before it, or there from an earlier round).
  Result<std::string> CheckedBundle(const TilePath& t) {
    auto leaves = ReadWholeFile(PathOf({false, 0, t.index, t.width}));
    if (!leaves)
      return Status::IOError("export.write", "level-0 tile " + FormatTilePath(t) + " is missing");
    auto bytes = source_.Tile(t);
    if (!bytes.ok()) return bytes.status();
    auto entries = SplitEntryBundle(*bytes);
    if (!entries.ok()) return entries.status();
    bool match = entries->size() == t.width && leaves->size() == t.width * sizeof(Hash);
    for (size_t i = 0; match && i < entries->size(); ++i) {
      match = AsBytes(merkle::HashLeaf((*entries)[i])) ==
              std::string_view(*leaves).substr(i * sizeof(Hash), sizeof(Hash));
    }
    if (!match) {
      return Status::Corruption("export.bundle", "entry bundle " + FormatTilePath(t) +
                                                     " does not hash to its level-0 tile");
    }
    return std::move(*bytes);
  }

  TileSource& source_;
  NamedPublicKey key_;
  fs::path out_;
};

void Print(const RoundReport& r, const fs::path& out) {
  if (r.advanced) {
    std::cout << "exported checkpoint " << r.size << " to " << out.string() << " (" << r.tiles
              << " tiles, " << r.bundles << " entry bundles new)" << std::endl;
  }
}

}  // namespace

// carbonledger export-tiles (--data DIR | --from URL --log-key F) --out DIR
//                            [--follow [--interval-ms N]]
int ExportTilesCommand(const Args& args) {
  Flags f(args, {"data", "from", "log-key", "out", "interval-ms"}, {"follow"});
  auto interval = f.GetU64("interval-ms");
  if (!f.ok()) return Usage(f.error());
  const char* usage =
      "usage: carbonledger export-tiles (--data DIR | --from URL --log-key F) --out DIR "
      "[--follow [--interval-ms N]]";
  auto out = f.Get("out");
  if (!out || f.Has("data") == f.Has("from")) return Usage(usage);
  if (f.Has("from") && !f.Has("log-key")) return Usage("--from needs --log-key F (the log's key)");
  if (f.Has("data") && f.Has("follow")) {
    return Usage(
        "--follow needs --from URL: a data directory is readable only while the daemon is "
        "stopped (LevelDB admits one process)");
  }
  if (interval && !f.Has("follow")) return Usage("--interval-ms needs --follow");

  std::unique_ptr<TileSource> source;
  std::optional<std::string> key_text;
  if (auto data = f.Get("data")) {
    key_text = ReadFile(f.GetOr("log-key", LogPublicKeyPath(*data)));
    if (!key_text) return 1;
    auto ledger = Ledger::Open(*data, LedgerTxTypes());
    if (!ledger.ok()) {
      if (ledger.status().message().find("lock") != std::string::npos) {
        return Fail(ledger.status().ToString() +
                    "\n  (the daemon holds this store; export from it with --from URL)");
      }
      return Fail(ledger.status().ToString());
    }
    source = std::make_unique<LedgerSource>(std::move(*ledger));
  } else {
    key_text = ReadFile(*f.Get("log-key"));
    if (!key_text) return 1;
    source = std::make_unique<HttpSource>(*f.Get("from"));
  }
  auto key = ParsePublicKey(*key_text);
  if (!key.ok()) return Fail(key.status().ToString());
  Exporter exporter(*source, *key, *out);

  if (!f.Has("follow")) {
    auto r = exporter.Round();
    if (!r.ok()) return Fail(r.status().ToString());
    Print(*r, *out);
    if (!r->advanced) std::cout << "checkpoint " << r->size << " already exported\n";
    return 0;
  }
  signal(SIGINT, OnStopSignal);
  signal(SIGTERM, OnStopSignal);
  const auto pause = std::chrono::milliseconds(interval.value_or(1000));
  std::cerr << "carbonledger export-tiles: following " << *f.Get("from") << " into " << *out
            << " every " << pause.count() << " ms" << std::endl;
  while (!g_stop) {
    auto r = exporter.Round();
    if (r.ok()) {
      Print(*r, *out);
    } else if (IsNoAnswer(r.status()) || r.status().code() == Code::kUnavailable) {
      std::cerr << "carbonledger export-tiles: " << r.status().ToString() << " (retrying)"
                << std::endl;
    } else {
      // An inconsistent or unverifiable log: stop advancing, keep what was exported.
      return Fail(r.status().ToString());
    }
    for (auto slept = std::chrono::milliseconds(0); slept < pause && !g_stop;
         slept += std::chrono::milliseconds(10)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  std::cerr << "carbonledger export-tiles: stopped" << std::endl;
  return 0;
}

}  // namespace carbonledger::cli
