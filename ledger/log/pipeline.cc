#include "ledger/log/pipeline.h"

#include <set>

#include "crypto/canonical_json.h"
#include "crypto/encoding.h"

namespace carbonledger {

std::string TxIndexKey(const Hash& tx_id) { return "t/" + HexEncode(AsBytes(tx_id)); }

std::string ScopeHeadKey(std::string_view scope) { return "lh/" + std::string(scope); }

namespace {

// The validity window (docs/ledger-format.md §Transactions): accepted no later than not_after,
// and not_after no further than the log's bound after the acceptance, so a signed transaction
// that was refused cannot be replayed once its circumstances change.
Status CheckValidity(const Admission& admission, const TxContext& ctx) {
  const uint64_t not_after = *ctx.tx.not_after;  // Admit requires it
  if (ctx.accepted_ms > not_after) {
    return Status::Unprocessable("tx.expired", "the transaction expired at not_after " +
                                                   std::to_string(not_after) + " (accepted at " +
                                                   std::to_string(ctx.accepted_ms) + ")");
  }
  if (admission.max_tx_validity_ms > 0 &&
      not_after - ctx.accepted_ms > admission.max_tx_validity_ms) {
    return Status::InvalidArgument(
        "tx.not_after", "not_after is " + std::to_string((not_after - ctx.accepted_ms) / 1000) +
                            " s after acceptance; this ledger accepts at most " +
                            std::to_string(admission.max_tx_validity_ms / 1000) + " s");
  }
  return Status::OK();
}

}  // namespace

Result<LogParams> ConfiguredParams(const StateReader& state) {
  auto config = GetRecord(state, kConfigKey);
  if (!config.ok()) return config.status();
  if (!config->has_value() || !(**config).is_object() || !(**config).contains("origin") ||
      !(**config)["origin"].is_string()) {
    return Status::Corruption("store.config", "the state has no genesis configuration");
  }
  nlohmann::json& c = **config;
  const int64_t format = c.contains("format") && c["format"].is_number_integer()
                             ? c["format"].get<int64_t>()
                             : 1;  // format 1 had no "format" member
  if (format < kOldestReadableFormat || format > kLedgerFormat) {
    return Status::Unprocessable(
        "ledger.format", "this ledger is of format " + std::to_string(format) +
                             "; this build reads formats " + std::to_string(kOldestReadableFormat) +
                             ".." + std::to_string(kLedgerFormat) +
                             " only: serve it with the build that wrote it, or start a new "
                             "ledger in another data directory; see "
                             "docs/ledger-format.md §Format versions");
  }
  if (!c.contains("max_tx_validity_s") || !c["max_tx_validity_s"].is_number_integer() ||
      c["max_tx_validity_s"].get<int64_t>() <= 0) {
    return Status::Corruption("store.config", "the configuration has no max_tx_validity_s");
  }
  LogParams p;
  p.origin = c["origin"].get<std::string>();
  p.max_tx_validity_ms = c["max_tx_validity_s"].get<uint64_t>() * 1000;
  p.format = format;
  return p;
}

Result<int64_t> LedgerFormat(const StateReader& state) {
  auto config = GetRecord(state, kConfigKey);
  if (!config.ok()) return config.status();
  if (!config->has_value() || !(**config).is_object()) return kLedgerFormat;
  const nlohmann::json& c = **config;
  auto it = c.find("format");
  return it != c.end() && it->is_number_integer() ? it->get<int64_t>() : 1;
}

Result<Admission> Admit(const TxTypeTable& types, const Transaction& tx, const LogParams& log,
                        bool first_entry) {
  const std::string& origin = log.origin;
  if (first_entry != (tx.type == kGenesisType)) {
    return Status::Unprocessable("tx.genesis",
                                 "the genesis transaction is entry 0 and only entry 0");
  }
  if (tx.ledger != origin) {
    return Status::InvalidArgument(
        "tx.ledger", "tx.ledger \"" + tx.ledger + "\" is not this ledger (\"" + origin + "\")");
  }
  if (!tx.not_after) {
    return Status::InvalidArgument("tx.not_after",
                                   "transaction field \"not_after\" is required (ledger format " +
                                       std::to_string(kLedgerFormat) + ")");
  }
  Admission a;
  a.max_tx_validity_ms = first_entry ? 0 : log.max_tx_validity_ms;
  a.format = log.format;
  a.type = types.Find(tx.type);
  if (a.type == nullptr) {
    return Status::InvalidArgument("tx.type", "unknown transaction type \"" + tx.type + "\"");
  }
  a.body = a.type->ValidateBody(tx);
  return a;
}

Result<Applied> Apply(const TxTypeTable& types, const Admission& admission, const TxContext& ctx,
                      const SignatureCheck& signature, bool allow_duplicate, StateTxn& state) {
  const Transaction& tx = ctx.tx;
  auto existing = state.Get(TxIndexKey(tx.id));
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    if (!allow_duplicate) {
      return Status::Conflict("tx.duplicate", "this transaction is already entry " + **existing);
    }
    Applied dup;
    dup.duplicate_of = std::stoull(**existing);
    return dup;
  }
  const bool genesis = tx.type == kGenesisType;
  auto signer = genesis ? types.signers().genesis(tx) : types.signers().find(tx.signer, state);
  if (!signer.ok()) return signer.status();
  if (Status s = signature(signer->key); !s.ok()) return s;
  if (Status s = CheckValidity(admission, ctx); !s.ok()) return s;

  StateTxn own(state);
  if (!genesis) {
    if (tx.nonce <= signer->last_nonce) {
      return Status::Conflict(
          "nonce.replayed", "nonce " + std::to_string(tx.nonce) + " is not above the last nonce " +
                                std::to_string(signer->last_nonce) + " of \"" + tx.signer + "\"");
    }
    if (!admission.type->AllowsRole(signer->role)) {
      return Status::PermissionDenied(
          "tx.role", "role \"" + signer->role + "\" may not sign \"" + tx.type + "\"");
    }
    if (Status s = types.signers().record_nonce(*signer, tx.signer, tx.nonce, own); !s.ok())
      return s;
  }
  if (!admission.body.ok()) return admission.body.status();
  EntryEffects effects;
  TxContext rule_ctx = ctx;
  rule_ctx.effects = &effects;
  if (Status s = admission.type->ApplyBody(rule_ctx, *admission.body, own); !s.ok()) return s;
  if (!tx.confidential.is_null()) {
    if (!effects.keep_confidential) {
      return Status::InvalidArgument("submission.confidential",
                                     "a " + tx.type + " transaction takes no confidential data");
    }
    auto kept = CanonicalJson(tx.confidential);
    if (!kept.ok()) return kept.status();
    own.Put(ConfidentialKey(ctx.seq), *kept);
  }
  Applied done;
  if (admission.format >= 4) {
    // Each scope's chain: the entry names the previous entry of the scope and becomes its head.
    nlohmann::json links = nlohmann::json::array();
    for (const std::string& scope :
         std::set<std::string>(effects.scopes.begin(), effects.scopes.end())) {
      auto head = own.Get(ScopeHeadKey(scope));
      if (!head.ok()) return head.status();
      const uint64_t prev = head->has_value() ? std::stoull(**head) : 0;
      links.push_back({{"prev", prev}, {"scope", scope}});
      own.Put(ScopeHeadKey(scope), std::to_string(ctx.seq));
    }
    nlohmann::json note_json = std::move(effects.outcome);
    if (!links.empty()) note_json["links"] = std::move(links);
    if (!note_json.empty()) {
      auto note = CanonicalJson(note_json);
      if (!note.ok()) return note.status();
      done.note = std::move(*note);
    }
  }
  own.Put(TxIndexKey(tx.id), std::to_string(ctx.seq));
  state.Absorb(own);
  done.signer_key = signer->key;
  done.unchecked = std::move(effects.unchecked);
  return done;
}

Result<Applied> ApplyTransaction(const TxTypeTable& types, const TxContext& ctx,
                                 const PublicKey& signer_key, StateTxn& state) {
  LogParams log{ctx.tx.ledger, 0};
  if (ctx.seq == 0 && ctx.tx.body.is_object() && ctx.tx.body.contains("format") &&
      ctx.tx.body["format"].is_number_integer()) {
    log.format = ctx.tx.body["format"].get<int64_t>();  // the format the genesis creates
  }
  if (ctx.seq != 0) {
    auto configured = ConfiguredParams(state);
    if (!configured.ok()) return configured.status();
    log = std::move(*configured);
  }
  auto admission = Admit(types, ctx.tx, log, ctx.seq == 0);
  if (!admission.ok()) return admission.status();
  auto same_key = [&](const PublicKey& current) {
    if (current == signer_key) return Status::OK();
    return Status::Unauthenticated(
        "tx.signature", "signature is not by the current key of \"" + ctx.tx.signer + "\"");
  };
  return Apply(types, *admission, ctx, same_key, /*allow_duplicate=*/false, state);
}

}  // namespace carbonledger
