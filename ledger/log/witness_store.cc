// The witness's state and its one writer: a LevelDB database with one record per log, written
// with sync=true, and the lock that makes "check against the last cosigned checkpoint" and
// "store the new one" a single step (c2sp.org/tlog-witness §add-checkpoint, the race of steps
// 1 to 6). Record layout (docs/witness.md §Persistence):
//   key   "witness/log/" <origin>
//   value {"size": N, "root": "<base64>", "note": "<cosigned note>"}   (JSON)
#include <leveldb/db.h>
#include <leveldb/write_batch.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "ledger/log/cosignature.h"
#include "ledger/log/internal/db.h"
#include "ledger/log/witness.h"

namespace carbonledger {
namespace {

std::string RecordKey(std::string_view origin) { return "witness/log/" + std::string(origin); }

uint64_t SystemClock() {
  return uint64_t(std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count());
}

WitnessAnswer Refuse(Status s) { return WitnessAnswer{std::move(s), 0, {}}; }

}  // namespace

std::string WitnessDbPath(const std::string& data_dir) { return data_dir + "/witness-db"; }

Witness::Witness(WitnessOptions options) : options_(std::move(options)) {}
Witness::~Witness() = default;

Result<std::unique_ptr<Witness>> Witness::Open(WitnessOptions options) {
  if (!IsValidKeyName(options.key.name)) {
    return Status::InvalidArgument("witness.config", "witness key name is not a valid key name");
  }
  if (options.logs.empty()) return Status::InvalidArgument("witness.config", "no log configured");
  if (!options.clock) options.clock = SystemClock;
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) {
    return Status::IOError("witness.store",
                           "cannot create " + options.data_dir + ": " + ec.message());
  }
  std::unique_ptr<Witness> w(new Witness(std::move(options)));
  auto db = OpenDatabase(WitnessDbPath(w->options_.data_dir));
  if (!db.ok()) return db.status();
  w->db_ = std::move(*db);
  return w;
}

const WitnessedLog* Witness::FindLog(std::string_view origin) const {
  for (const WitnessedLog& log : options_.logs) {
    if (log.origin == origin) return &log;
  }
  return nullptr;
}

Result<std::optional<Witness::Record>> Witness::Load(std::string_view origin) const {
  std::string value;
  leveldb::Status s = db_->db()->Get(Database::ReadOpts(), RecordKey(origin), &value);
  if (s.IsNotFound()) return std::optional<Record>();
  if (!s.ok()) return FromLevelDB(s, "read witness record");
  const auto corrupt = [&] {
    return Status::Corruption("witness.record",
                              "stored record of log \"" + std::string(origin) + "\" is damaged");
  };
  auto j = nlohmann::json::parse(value, nullptr, false);
  if (!j.is_object() || !j.contains("size") || !j["size"].is_number_unsigned() ||
      !j.contains("root") || !j["root"].is_string() || !j.contains("note") ||
      !j["note"].is_string()) {
    return corrupt();
  }
  auto root = HashFromBase64(j["root"].get<std::string>());
  if (!root.ok()) return corrupt();
  return std::optional<Record>(
      Record{{j["size"].get<uint64_t>(), *root}, j["note"].get<std::string>()});
}

Status Witness::Store(std::string_view origin, const Record& record) {
  const nlohmann::json j = {{"size", record.state.size},
                            {"root", Base64Encode(AsBytes(record.state.root))},
                            {"note", record.note}};
  leveldb::WriteOptions wo;
  wo.sync = true;  // durable before any cosignature leaves
  leveldb::Status s = db_->db()->Put(wo, RecordKey(origin), j.dump());
  if (!s.ok()) {
    return Status::IOError("witness.store", "cannot store the new checkpoint: " + s.ToString());
  }
  return Status::OK();
}

WitnessAnswer Witness::AddCheckpoint(std::string_view body) {
  auto request = ParseAddCheckpointRequest(body);
  if (!request.ok()) return Refuse(request.status());
  // The note parsed in ParseAddCheckpointRequest, so its first line is the origin.
  const std::string origin = request->note.substr(0, request->note.find('\n'));
  const WitnessedLog* log = FindLog(origin);
  if (log == nullptr) {
    return Refuse(Status::NotFound("witness.unknown_log",
                                   "this witness does not cosign for origin \"" + origin + "\""));
  }
  auto checkpoint = OpenCheckpoint(request->note, log->key.name, log->key.key, log->origin);
  if (!checkpoint.ok()) return Refuse(checkpoint.status());
  if (Status s = VerifyEveryLogSignature(request->note, log->key); !s.ok()) return Refuse(s);
  if (request->old_size > checkpoint->size) {
    return Refuse(Status::InvalidArgument("witness.old_size",
                                          "old size " + std::to_string(request->old_size) +
                                              " is larger than the checkpoint's size " +
                                              std::to_string(checkpoint->size)));
  }

  std::lock_guard<std::mutex> lock(mu_);
  auto stored = Load(origin);
  if (!stored.ok()) return Refuse(stored.status());
  const WitnessedState last = *stored ? (*stored)->state : NeverCosigned();
  if (Status s = CheckAdvance(last, *request, *checkpoint); !s.ok()) {
    return WitnessAnswer{std::move(s), last.size, {}};
  }
  const uint64_t now = options_.clock();
  if (now == 0 || now >= (uint64_t(1) << 63)) {
    return Refuse(Status::Internal("witness.clock", "the clock gave no usable time"));
  }
  // The signed text is the note's own body bytes (up to its last blank line).
  const std::string_view note_body =
      std::string_view(request->note).substr(0, request->note.rfind("\n\n") + 1);
  std::string cosignature = CosignCheckpoint(note_body, options_.key.name, options_.key.key, now);
  const Record next{{checkpoint->size, checkpoint->root}, request->note + cosignature};
  if (Status s = Store(origin, next); !s.ok()) return Refuse(std::move(s));
  return WitnessAnswer{Status::OK(), checkpoint->size, std::move(cosignature)};
}

Result<std::string> Witness::LatestCheckpoint(std::string_view origin_hash) const {
  for (const WitnessedLog& log : options_.logs) {
    if (HexEncode(AsBytes(Sha256(log.origin))) != origin_hash) continue;
    auto stored = Load(log.origin);
    if (!stored.ok()) return stored.status();
    if (!*stored) break;
    return (*stored)->note;
  }
  return Status::NotFound("witness.unknown_log", "no checkpoint cosigned for that origin hash");
}

Result<WitnessedState> Witness::State(std::string_view origin) const {
  auto stored = Load(origin);
  if (!stored.ok()) return stored.status();
  return *stored ? (*stored)->state : NeverCosigned();
}

std::string Witness::verifier_key() const {
  return FormatCosignerKey(options_.key.name, options_.key.key.public_key());
}

}  // namespace carbonledger
