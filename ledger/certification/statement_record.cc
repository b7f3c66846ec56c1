#include "ledger/certification/internal/statement_record.h"

#include "accounting/data_files.h"
#include "accounting/policy_profile.h"
#include "accounting/statement.h"
#include "crypto/canonical_json.h"
#include "crypto/encoding.h"
#include "ledger/certification/internal/default_factors.h"
#include "ledger/certification/internal/state_keys.h"
#include "ledger/certification/park_facts.h"
#include "ledger/certification/reports.h"
#include "ledger/log/fields.h"
#include "ledger/registry/queries.h"

namespace carbonledger::certification {

Result<StatementRecordBody> ValidateStatementRecord(const Transaction& tx) {
  const nlohmann::json& b = tx.body;
  if (Status s = OnlyFields(b, {"statement", "checkpoint_size"}, "body"); !s.ok()) return s;
  if (!b.contains("statement") || !b["statement"].is_object()) {
    return Status::InvalidArgument("field.missing", "body.statement must be a statement object");
  }
  const nlohmann::json& st = b["statement"];
  if (!st.contains("format") ||
      (st["format"] != kStatementFormat && st["format"] != kStatementFormat2)) {
    return Status::InvalidArgument(
        "statement.format",
        "body.statement.format must be carbonledger.statement/1 or carbonledger.statement/2");
  }
  auto checkpoint_size = RequirePositive(b, "checkpoint_size");
  if (!checkpoint_size.ok()) return checkpoint_size.status();
  if (!st.contains("park") || !st["park"].is_string() || !st.contains("year") ||
      !st["year"].is_number_integer() || !st.contains("inventory") ||
      !st["inventory"].is_object() || !st.contains("verdict") || !st.contains("profile")) {
    return Status::InvalidArgument("statement.format",
                                   "body.statement needs park, year, inventory, profile, verdict");
  }
  const nlohmann::json& profile = st["profile"];
  if (!profile.is_object() || (profile.contains("id") && !profile["id"].is_string())) {
    return Status::InvalidArgument("statement.format",
                                   "body.statement.profile must be an object with a string id");
  }
  StatementRecordBody body;
  body.checkpoint_size = *checkpoint_size;
  body.park = st["park"].get<std::string>();
  body.year = st["year"].get<int64_t>();
  const nlohmann::json& named = st["inventory"];
  if (named.contains("entry_seq")) {
    const nlohmann::json& v = named["entry_seq"];
    if (v.is_number_unsigned()) {
      body.inventory_seq = v.get<uint64_t>();
    } else if (v.is_number_integer() && v.get<int64_t>() >= 0) {
      body.inventory_seq = uint64_t(v.get<int64_t>());
    }
  }
  if (named.contains("content_sha256") && named["content_sha256"].is_string()) {
    body.inventory_content_sha256 = named["content_sha256"].get<std::string>();
  }
  if (named.contains("commitment") && named["commitment"].is_string()) {
    body.inventory_commitment = named["commitment"].get<std::string>();
  }
  body.content = st;
  body.statement_format = st["format"] == kStatementFormat2 ? 2 : 1;
  body.profile_id = profile.value("id", "");
  body.verdict = st["verdict"];
  return body;
}

namespace {

// Ledger format 4: the ledger computes the statement itself, with the same engine, on the facts
// as of checkpoint_size (those the statement's bundle rests on), and refuses any other content,
// so a statement on the ledger always says what the facts imply.
Status Recompute(const TxContext& ctx, const StatementRecordBody& body, uint64_t inventory_seq,
                 const StateReader& state) {
  std::optional<std::string> profile_bytes;
  const nlohmann::json& named =
      body.content.contains("profile") ? body.content["profile"] : nlohmann::json::object();
  if (named.is_object() && named.contains("sha256") && named["sha256"].is_string()) {
    auto hash = HashFromHex(named["sha256"].get<std::string>());
    if (hash.ok()) profile_bytes = accounting::DataFileBySha256(*hash);
  }
  if (!profile_bytes) {
    return Status::Unprocessable("statement.profile",
                                 "body.statement.profile.sha256 names no policy profile this "
                                 "ledger ships (GET /v1/profiles lists them)");
  }
  auto profile = accounting::ParsePolicyProfile(*profile_bytes);
  if (!profile.ok()) return Status::Unprocessable("statement.profile", profile.status().message());
  if (!ctx.leaf_hash) {
    NoteUnchecked(ctx, "the statement's recomputation (no entry hashes in this replay)");
    return Status::OK();
  }
  auto leaf = ctx.leaf_hash(inventory_seq);
  if (!leaf.ok()) return leaf.status();
  auto facts =
      ParkFactsInState(state, body.park, body.year, inventory_seq, HexEncode(AsBytes(*leaf)));
  if (!facts.ok()) return facts.status();
  facts->AsOf(body.checkpoint_size);
  auto inventory = InventoryInState(state, body.park, body.year, inventory_seq);
  if (!inventory.ok()) return inventory.status();
  if (!inventory->has_value() || (*inventory)->document.empty()) {
    if (ctx.confidential_withheld) {
      NoteUnchecked(ctx, "the statement's recomputation (inventory withheld)");
      return Status::OK();
    }
    return Status::Unprocessable("statement.no_inventory", "the inventory document of entry " +
                                                               std::to_string(inventory_seq) +
                                                               " is not in this ledger");
  }
  auto factors = DefaultFactors();
  if (!factors.ok()) return factors.status();
  auto text = CanonicalJson(body.content);
  if (!text.ok()) return text.status();
  Status same = accounting::VerifyStatementContent(*text, (*inventory)->document, *factors,
                                                   *profile, facts->ForAccounting());
  if (same.ok()) return same;
  return Status(same.code(), same.reason(),
                "the ledger's recomputation at checkpoint_size " +
                    std::to_string(body.checkpoint_size) + " differs: " + same.message());
}

}  // namespace

Status ApplyStatementRecord(const TxContext& ctx, const StatementRecordBody& body,
                            StateTxn& state) {
  if (body.checkpoint_size > ctx.seq) {
    return Status::InvalidArgument("statement.checkpoint",
                                   "body.checkpoint_size is beyond the log");
  }
  auto inv = GetRecord(state, InventoryKey(body.park, body.year));
  if (!inv.ok()) return inv.status();
  if (!inv->has_value()) {
    return Status::Unprocessable(
        "statement.no_inventory",
        "park \"" + body.park + "\" has no inventory for " + std::to_string(body.year));
  }
  nlohmann::json& current = **inv;  // non-const: a missing member reads as null, never UB
  const bool confidential = current.contains("commitment");
  const auto& named_hash = confidential ? body.inventory_commitment : body.inventory_content_sha256;
  if (!body.inventory_seq || nlohmann::json(*body.inventory_seq) != current["seq"] || !named_hash ||
      nlohmann::json(*named_hash) != current[confidential ? "commitment" : "content_sha256"]) {
    return Status::Unprocessable("statement.stale_inventory",
                                 "the statement must name the current inventory of " + body.park +
                                     " " + std::to_string(body.year) + ": entry " +
                                     current["seq"].dump());
  }
  if (body.checkpoint_size <= current["seq"].get<uint64_t>()) {
    return Status::InvalidArgument("statement.checkpoint",
                                   "body.checkpoint_size must include the inventory entry");
  }
  // Ledger format 3: only the certifier the park engaged for the year may certify it.
  auto format = LedgerFormat(state);
  if (!format.ok()) return format.status();
  nlohmann::json engagement_seq = nullptr;
  if (*format >= 3) {
    auto engagement = GetRecord(state, EngagementKey(body.park, body.year));
    if (!engagement.ok()) return engagement.status();
    if (!engagement->has_value() || (**engagement).value("certifier", "") != ctx.tx.signer) {
      return Status::PermissionDenied(
          "statement.not_engaged", "park \"" + body.park + "\" has not engaged \"" + ctx.tx.signer +
                                       "\" for " + std::to_string(body.year) +
                                       " (certifier.engage, signed by the park)");
    }
    engagement_seq = (**engagement)["seq"];
  }
  // The ledger's accounting method: statements of format /2 from ledger format 4, /1 before.
  if (const int wanted = *format >= 4 ? 2 : 1; body.statement_format != wanted) {
    return Status::InvalidArgument("statement.format",
                                   "this ledger (format " + std::to_string(*format) +
                                       ") records statements of format carbonledger.statement/" +
                                       std::to_string(wanted));
  }
  if (*format >= 4) {
    if (Status s = Recompute(ctx, body, current["seq"].get<uint64_t>(), state); !s.ok()) return s;
  }
  const std::string id = StatementId(ctx.seq);
  nlohmann::json record = {{"id", id},
                           {"seq", ctx.seq},
                           {"park", body.park},
                           {"year", body.year},
                           {"certifier", ctx.tx.signer},
                           {"profile", body.profile_id},
                           {"verdict", body.verdict},
                           {"inventory_seq", current["seq"]},
                           {"checkpoint_size", body.checkpoint_size}};
  if (!engagement_seq.is_null()) record["engagement_seq"] = engagement_seq;
  if (Status s = PutRecord(state, StatementKey(id), record); !s.ok()) return s;
  state.Put(ParkStatementKey(body.park, body.year, ctx.seq), id);
  JoinScope(ctx, ParkYearScope(body.park, body.year));
  return Status::OK();
}

TxType StatementRecordType() {
  return TxType("statement.record", {"certifier"}, &ValidateStatementRecord, &ApplyStatementRecord);
}

}  // namespace carbonledger::certification
