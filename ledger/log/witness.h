// Witness: a C2SP tlog-witness (c2sp.org/tlog-witness) that cosigns the checkpoints of the logs
// it is configured with, so that a client holding k of n cosignatures knows the log has shown
// the same tree to those witnesses. The invariant it keeps, across restarts and crashes: for
// each log it never cosigns two checkpoints of which neither is a prefix of the other, nor a
// smaller tree after a larger one. It holds because the check of a request against the last
// cosigned (size, root) and the synced write of the new one happen under one lock, and the
// cosignature is made only after that write is durable (§add-checkpoint: "The witness MUST
// persist the new checkpoint before responding", "performed atomically").
//
// Three pieces, kept apart: the pure checks (ParseWitnessLogs, ParseAddCheckpointRequest,
// CheckAdvance), the store (one LevelDB database, synced writes), and the HTTP front
// (api/witness_server.h). docs/witness.md has the protocol, the config and the status codes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "crypto/status.h"
#include "ledger/log/checkpoint.h"

namespace carbonledger {

class Database;

// A log the witness cosigns for: its origin line and the log's signed-note verifier key.
struct WitnessedLog {
  std::string origin;
  NamedPublicKey key;
};

// The --logs file (docs/witness.md §Logs file): one log per line, "<vkey>" (the origin is the
// key name, as for carbonledger logs, whose keys/log.pub is such a line) or "<vkey> <origin>"
// (the origin is the rest of the line, spaces allowed); blank lines and lines starting with '#'
// are skipped. "witness.config" (kInvalidArgument) names the line of any other text, a bad key,
// an origin that is not note text, or an origin listed twice.
Result<std::vector<WitnessedLog>> ParseWitnessLogs(std::string_view text);

// c2sp.org/tlog-witness §add-checkpoint: the request body.
struct AddCheckpointRequest {
  uint64_t old_size = 0;    // the size the client believes the witness last cosigned
  std::vector<Hash> proof;  // RFC 6962 §2.1.2 consistency proof from old_size, at most 63
  std::string note;         // the checkpoint note, signatures included
};

// The largest add-checkpoint body: ParseAddCheckpointRequest refuses larger ones, and the HTTP
// front answers them 413 without reading them (a note has at most 100 signature lines; 63 proof
// lines are under 3 KiB).
inline constexpr size_t kMaxAddCheckpointBytes = 1 << 20;

// Parses the body strictly: "old <size>\n" (canonical decimal), 0 to 63 lines of base64 of 32
// bytes, an empty line, then the checkpoint note, which must parse (ParseCheckpointNote).
// "witness.request" (kInvalidArgument) for any deviation, naming the line; the note's own
// errors are "checkpoint.format".
Result<AddCheckpointRequest> ParseAddCheckpointRequest(std::string_view body);

// §add-checkpoint: 403 also when "a signature line's key name and ID match a trusted key but the
// signature itself fails to verify", even if another such line verifies (OpenCheckpoint looks
// at the first only). "checkpoint.signature" (kUnauthenticated) for such a line.
Status VerifyEveryLogSignature(std::string_view note, const NamedPublicKey& log_key);

// What the witness holds for a log: the last checkpoint it cosigned. A log never cosigned is
// {0, EmptyRoot()}, the empty tree that every tree extends.
struct WitnessedState {
  uint64_t size = 0;
  Hash root{};
};
WitnessedState NeverCosigned();

// The checks of §add-checkpoint that need the witness's state, for a checkpoint whose log
// signature has already been verified, in the spec's order:
//   "witness.old_size"     (kConflict, 409)       request.old_size is not last.size
//   "witness.empty_root"   (kUnprocessable, 422)  size 0 with a root other than SHA-256("")
//   "witness.consistency"  (kUnprocessable, 422)  the proof does not prove (last.size,
//                                                  last.root) a prefix of (size, root), or is
//                                                  not empty when old_size is 0
//   "witness.fork"         (kUnprocessable, 422)  the same size as last with another root
// (old_size > size is refused earlier with 400, "witness.old_size" as kInvalidArgument.)
Status CheckAdvance(const WitnessedState& last, const AddCheckpointRequest& request,
                    const Checkpoint& next);

struct WitnessOptions {
  std::string data_dir;  // holds the witness database, WitnessDbPath(data_dir)
  NamedKey key;          // the witness's name and Ed25519 key
  std::vector<WitnessedLog> logs;
  // Seconds since the Epoch for the cosignature timestamps; null is the system clock.
  std::function<uint64_t()> clock;
};

// The outcome of one add-checkpoint: on success the cosignature line(s); on 409 also the size
// the witness holds, which the answer's body must carry (§add-checkpoint).
struct WitnessAnswer {
  Status status;
  uint64_t witnessed_size = 0;  // set with "witness.old_size" (kConflict)
  std::string cosignatures;     // set when status.ok()
};

std::string WitnessDbPath(const std::string& data_dir);

class Witness {
 public:
  // Opens (creating when missing) the database. "witness.config" if options.key's name is not a
  // valid key name or no log is configured; store errors as FromLevelDB.
  static Result<std::unique_ptr<Witness>> Open(WitnessOptions options);
  ~Witness();

  // c2sp.org/tlog-witness §add-checkpoint, whole: parse, find the log (404
  // "witness.unknown_log", kNotFound), verify its signatures (403 "checkpoint.signature",
  // kUnauthenticated; OpenCheckpoint, VerifyEveryLogSignature), old <= size (400), then under the
  // lock CheckAdvance, the synced write of the new state, the cosignature. A failed write
  // ("witness.store", kIOError) cosigns nothing.
  WitnessAnswer AddCheckpoint(std::string_view body);

  // §Monitor Retrieval Mechanism: the last cosigned note of the log whose origin hashes (SHA-256,
  // lower-case hex) to `origin_hash`, with the log's signatures and this witness's cosignature.
  // "witness.unknown_log" (kNotFound) when there is none.
  Result<std::string> LatestCheckpoint(std::string_view origin_hash) const;

  // The state held for `origin` (NeverCosigned() when none); for tests and tools.
  Result<WitnessedState> State(std::string_view origin) const;

  // The verifier key a client names this witness by (FormatCosignerKey).
  std::string verifier_key() const;

 private:
  explicit Witness(WitnessOptions options);
  struct Record {
    WitnessedState state;
    std::string note;  // the cosigned note as served to monitors
  };
  Result<std::optional<Record>> Load(std::string_view origin) const;
  Status Store(std::string_view origin, const Record& record);
  const WitnessedLog* FindLog(std::string_view origin) const;

  WitnessOptions options_;
  std::unique_ptr<Database> db_;
  // Held from reading a log's state to the durable write of the next one: check and update are
  // one step, so two requests can never both advance from the same state.
  std::mutex mu_;
};

}  // namespace carbonledger
