// The witness's pure checks: its config, the add-checkpoint request body, and whether a
// checkpoint may follow the one last cosigned (c2sp.org/tlog-witness §add-checkpoint). No I/O
// here; the store and the lock are in witness_store.cc.
#include "ledger/log/witness.h"

#include <set>

#include "crypto/canonical_json.h"
#include "crypto/encoding.h"
#include "ledger/log/merkle.h"

namespace carbonledger {
namespace {

// §add-checkpoint: "The client MUST NOT send more than 63 consistency proof lines."
constexpr size_t kMaxProofLines = 63;

Status RequestError(const std::string& what) {
  return Status::InvalidArgument("witness.request", what);
}

Status ConfigError(size_t line, const std::string& what) {
  return Status::InvalidArgument("witness.config",
                                 "logs line " + std::to_string(line) + ": " + what);
}

// An origin line: non-empty UTF-8 without control characters (c2sp.org/tlog-checkpoint).
bool IsOriginText(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (c < 0x20) return false;
  }
  return IsValidUtf8(s);
}

}  // namespace

Result<std::vector<WitnessedLog>> ParseWitnessLogs(std::string_view text) {
  std::vector<WitnessedLog> logs;
  std::set<std::string, std::less<>> origins;
  size_t number = 0;
  while (!text.empty()) {
    ++number;
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.find(' ');
    auto key = ParsePublicKey(line.substr(0, space));
    if (!key.ok()) return ConfigError(number, "log key: " + key.status().message());
    WitnessedLog log{key->name, *key};
    if (space != std::string_view::npos) log.origin = line.substr(space + 1);
    if (!IsOriginText(log.origin)) {
      return ConfigError(number, "origin must be non-empty UTF-8 without control characters");
    }
    if (!origins.insert(log.origin).second) {
      return ConfigError(number, "origin \"" + log.origin + "\" is listed twice");
    }
    logs.push_back(std::move(log));
  }
  return logs;
}

Result<AddCheckpointRequest> ParseAddCheckpointRequest(std::string_view body) {
  if (body.size() > kMaxAddCheckpointBytes) return RequestError("body is larger than 1 MiB");
  AddCheckpointRequest request;
  size_t nl = body.find('\n');
  if (nl == std::string_view::npos) return RequestError("no old size line");
  const std::string_view old_line = body.substr(0, nl);
  body.remove_prefix(nl + 1);
  if (old_line.substr(0, 4) != "old ") return RequestError("first line must be \"old <size>\"");
  auto old_size = ParseTreeSize(old_line.substr(4));
  if (!old_size.ok())
    return RequestError("old size must be canonical decimal: " + old_size.status().message());
  request.old_size = *old_size;
  for (size_t line = 2;; ++line) {
    nl = body.find('\n');
    if (nl == std::string_view::npos) {
      return RequestError("no empty line between the consistency proof and the checkpoint");
    }
    const std::string_view hash_line = body.substr(0, nl);
    body.remove_prefix(nl + 1);
    if (hash_line.empty()) break;
    if (request.proof.size() == kMaxProofLines) {
      return RequestError("more than 63 consistency proof lines");
    }
    auto hash = HashFromBase64(hash_line);
    if (!hash.ok()) {
      return RequestError("line " + std::to_string(line) + ": not base64 of a 32-byte hash");
    }
    request.proof.push_back(*hash);
  }
  if (auto note = ParseCheckpointNote(body); !note.ok()) return note.status();
  request.note = body;
  return request;
}

Status VerifyEveryLogSignature(std::string_view note, const NamedPublicKey& log_key) {
  auto parsed = ParseCheckpointNote(note);
  if (!parsed.ok()) return parsed.status();
  const uint32_t key_id = NoteKeyId(log_key.name, log_key.key);
  for (const NoteSignature& line : parsed->signatures) {
    if (line.name != log_key.name || line.key_id != key_id) continue;
    auto sig = SignatureFromBytes(line.signature);
    if (!sig.ok() || !VerifySignature(log_key.key, parsed->body, *sig)) {
      return Status::Unauthenticated("checkpoint.signature",
                                     "a signature line by key " + log_key.name + " is invalid");
    }
  }
  return Status::OK();
}

WitnessedState NeverCosigned() { return {0, merkle::EmptyRoot()}; }

Status CheckAdvance(const WitnessedState& last, const AddCheckpointRequest& request,
                    const Checkpoint& next) {
  if (request.old_size != last.size) {
    return Status::Conflict("witness.old_size", "old size " + std::to_string(request.old_size) +
                                                    " is not the witnessed size " +
                                                    std::to_string(last.size));
  }
  // §add-checkpoint: "A checkpoint of size zero MUST have the root hash of the empty tree".
  if (next.size == 0 && next.root != merkle::EmptyRoot()) {
    return Status::Unprocessable("witness.empty_root",
                                 "a checkpoint of size 0 must have the empty tree's root");
  }
  // Never two roots for one size: the one thing a witness exists to refuse.
  if (next.size == last.size && next.root != last.root) {
    return Status::Unprocessable("witness.fork",
                                 "checkpoint of size " + std::to_string(next.size) +
                                     " has a root other than the one this witness cosigned");
  }
  // §add-checkpoint: with old size 0 the proof MUST be empty; otherwise an RFC 6962 §2.1.2
  // (RFC 9162 §2.1.4) consistency proof from (last.size, last.root) to (next.size, next.root).
  if (request.old_size == 0 && !request.proof.empty()) {
    return Status::Unprocessable("witness.consistency", "old size 0 takes an empty proof");
  }
  if (Status s =
          merkle::VerifyConsistency(last.size, next.size, request.proof, last.root, next.root);
      !s.ok()) {
    return Status::Unprocessable("witness.consistency",
                                 "consistency proof from " + std::to_string(last.size) + " to " +
                                     std::to_string(next.size) + ": " + s.message());
  }
  return Status::OK();
}

}  // namespace carbonledger
