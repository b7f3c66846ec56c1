// Account types: the genesis entry, accounts with roles, and key changes
// (docs/ledger-format.md §Genesis, docs/registry-rules.md §Accounts).
#include "ledger/registry/accounts.h"

#include <algorithm>

#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "ledger/log/fields.h"
#include "ledger/log/tx_types.h"
#include "ledger/registry/genesis.h"
#include "ledger/registry/internal/account_types.h"
#include "ledger/registry/internal/bodies.h"

namespace carbonledger {
namespace registry {
namespace {

#define RETURN_IF_ERROR(expr) \
  do {                        \
    Status _s = (expr);       \
    if (!_s.ok()) return _s;  \
  } while (0)

// GB/T 2260 administrative division code: six digits, e.g. 340000 (Anhui).
bool IsRegionCode(const std::string& s) {
  return s.size() == 6 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Status ApplyGenesis(const TxContext& ctx, const GenesisBody& g, StateTxn& state) {
  nlohmann::json account = {{"id", ctx.tx.signer},
                            {"role", "registry"},
                            {"public_key", g.operator_key_b64},
                            {"nonce", ctx.tx.nonce},
                            {"created_seq", ctx.seq}};
  RETURN_IF_ERROR(PutRecord(state, AccountKey(ctx.tx.signer), account));
  nlohmann::json config = {
      {"origin", g.origin},        {"log_key", g.log_key},
      {"operator", ctx.tx.signer}, {"gec_validity_months", g.gec_validity_months},
      {"format", g.format},        {"max_tx_validity_s", g.max_tx_validity_s}};
  return PutRecord(state, kConfigKey, config);
}

Status ApplyAccountCreate(const TxContext& ctx, const AccountCreateBody& a, StateTxn& state) {
  auto existing = state.Get(AccountKey(a.id));
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return Status::Conflict("account.exists", "account \"" + a.id + "\" already exists");
  }
  nlohmann::json account = {{"id", a.id},
                            {"role", a.role},
                            {"public_key", a.key_b64},
                            {"nonce", 0},
                            {"created_seq", ctx.seq}};
  if (a.name) account["name"] = *a.name;
  if (a.region) account["region"] = *a.region;
  if (a.role == "park") {
    RETURN_IF_ERROR(PutRecord(state, ParkIndexKey(a.id), {{"created_seq", ctx.seq}}));
  }
  return PutRecord(state, AccountKey(a.id), account);
}

// Sets a new public key on an account record.
Status SetKey(StateTxn& state, const std::string& id, const std::string& key_b64, uint64_t seq) {
  auto account = GetRecord(state, AccountKey(id));
  if (!account.ok()) return account.status();
  if (!account->has_value()) {
    return Status::NotFound("account.unknown", "account \"" + id + "\" does not exist");
  }
  nlohmann::json a = **account;
  if (a["public_key"] == key_b64) {
    return Status::Unprocessable("account.same_key", "the new key equals the current key");
  }
  a["public_key"] = key_b64;
  a["key_seq"] = seq;
  return PutRecord(state, AccountKey(id), a);
}

Status ApplyRotateKey(const TxContext& ctx, const RotateKeyBody& b, StateTxn& state) {
  return SetKey(state, ctx.tx.signer, b.key_b64, ctx.seq);
}

// Only the operator named by the genesis config record may replace another account's key
// (docs/registry-rules.md §Accounts).
Status RequireOperator(const TxContext& ctx, const StateReader& state) {
  auto config = GetRecord(state, kConfigKey);
  if (!config.ok()) return config.status();
  if (!config->has_value() || !(**config).contains("operator") ||
      !(**config)["operator"].is_string()) {
    return Status::Corruption("state.config", "the config record has no operator");
  }
  if ((**config)["operator"].get<std::string>() != ctx.tx.signer) {
    return Status::PermissionDenied(
        "account.operator_only", "only the operator \"" +
                                     (**config)["operator"].get<std::string>() + "\" may sign \"" +
                                     ctx.tx.type + "\"");
  }
  return Status::OK();
}

// The key the body names as the account's current one must be it (compared as key bytes).
Status RequireCurrentKey(const StateReader& state, const std::string& id, const PublicKey& old_key,
                         const std::string& what) {
  auto account = FindAccount(state, id);
  if (!account.ok()) return account.status();
  if (!account->has_value()) {
    return Status::NotFound("account.unknown", "account \"" + id + "\" does not exist");
  }
  if (old_key != (*account)->public_key) {
    return Status::Unprocessable("account.old_key",
                                 what + " is not the current key of \"" + id + "\"");
  }
  return Status::OK();
}

// The operator's replacement is a proposal (two-person rule): it is written as the account's
// pending key record, superseding any earlier one, and takes effect on account.confirm_key.
Status ApplyReplaceKey(const TxContext& ctx, const ReplaceKeyBody& b, StateTxn& state) {
  RETURN_IF_ERROR(RequireOperator(ctx, state));
  RETURN_IF_ERROR(RequireCurrentKey(state, b.account, b.old_key, "body.old_public_key"));
  auto account = FindAccount(state, b.account);
  if (!account.ok()) return account.status();
  if (Base64Encode(AsBytes((*account)->public_key)) == b.key_b64) {
    return Status::Unprocessable("account.same_key", "the new key equals the current key");
  }
  nlohmann::json pending = {
      {"account", b.account},    {"old_public_key", Base64Encode(AsBytes(b.old_key))},
      {"public_key", b.key_b64}, {"proposer", ctx.tx.signer},
      {"reason", b.reason},      {"proposed_seq", ctx.seq}};
  return PutRecord(state, PendingKeyKey(b.account), pending);
}

Status ApplyConfirmKey(const TxContext& ctx, const ConfirmKeyBody& b, StateTxn& state) {
  auto pending = GetRecord(state, PendingKeyKey(b.account));
  if (!pending.ok()) return pending.status();
  if (!pending->has_value()) {
    return Status::Unprocessable("account.no_pending_key",
                                 "no key replacement is pending for \"" + b.account + "\"");
  }
  const nlohmann::json& p = **pending;
  if (!p.contains("proposer") || !p["proposer"].is_string() || !p.contains("public_key") ||
      !p["public_key"].is_string()) {
    return Status::Corruption("state.record", "pending key record: no proposer or public_key");
  }
  if (p["proposer"].get<std::string>() == ctx.tx.signer) {
    return Status::PermissionDenied("account.confirm_by_proposer",
                                    "the proposer of a key replacement may not confirm it");
  }
  if (p["public_key"].get<std::string>() != b.key_b64) {
    return Status::Unprocessable(
        "account.pending_key", "body.public_key is not the key pending for \"" + b.account + "\"");
  }
  // The account's key must still be the one the proposal replaces.
  auto old_key = DecodePublicKeyField(p, "old_public_key");
  if (!old_key.ok()) return Status::Corruption("state.record", "pending key record: old key");
  RETURN_IF_ERROR(
      RequireCurrentKey(state, b.account, *old_key, "the key the pending replacement replaces"));
  state.Delete(PendingKeyKey(b.account));
  return SetKey(state, b.account, b.key_b64, ctx.seq);
}

}  // namespace

// ---- genesis
Result<GenesisBody> ValidateGenesis(const Transaction& tx) {
  const nlohmann::json& b = tx.body;
  RETURN_IF_ERROR(OnlyFields(
      b, {"origin", "operator", "log_key", "gec_validity_months", "format", "max_tx_validity_s"},
      "body"));
  // This build writes kLedgerFormat; it replays the genesis of an older format it still reads.
  if (!b.contains("format") || !b["format"].is_number_integer() ||
      b["format"].get<int64_t>() < kOldestReadableFormat ||
      b["format"].get<int64_t>() > kLedgerFormat) {
    return Status::Unprocessable("ledger.format", "body.format must be " +
                                                      std::to_string(kOldestReadableFormat) + ".." +
                                                      std::to_string(kLedgerFormat) +
                                                      ", the ledger formats this build reads");
  }
  GenesisBody g;
  g.format = b["format"].get<int64_t>();
  auto origin = RequireString(b, "origin");
  if (!origin.ok()) return origin.status();
  if (*origin != tx.ledger) {
    return Status::InvalidArgument("genesis.origin", "body.origin must equal the tx ledger field");
  }
  g.origin = *origin;
  auto log_key = RequireString(b, "log_key", 512);
  if (!log_key.ok()) return log_key.status();
  auto parsed_log_key = ParsePublicKey(*log_key);
  if (!parsed_log_key.ok() || parsed_log_key->name != *origin) {
    return Status::InvalidArgument("genesis.log_key",
                                   "body.log_key must be a signed-note verifier key named by the "
                                   "origin");
  }
  g.log_key = *log_key;
  auto months = RequirePositive(b, "gec_validity_months");
  if (!months.ok()) return months.status();
  g.gec_validity_months = *months;
  auto validity = RequirePositive(b, "max_tx_validity_s");
  if (!validity.ok()) return validity.status();
  if (*validity < kMinTxValiditySeconds || *validity > kMaxTxValiditySeconds) {
    return Status::InvalidArgument("genesis.max_tx_validity",
                                   "body.max_tx_validity_s must be from " +
                                       std::to_string(kMinTxValiditySeconds) + " (1 hour) to " +
                                       std::to_string(kMaxTxValiditySeconds) + " (7 days)");
  }
  g.max_tx_validity_s = *validity;
  auto op_key = GenesisOperatorKey(tx);
  if (!op_key.ok()) return op_key.status();
  g.operator_key_b64 = b["operator"]["public_key"].get<std::string>();
  return g;
}

// ---- account.create
Result<AccountCreateBody> ValidateAccountCreate(const Transaction& tx) {
  const nlohmann::json& b = tx.body;
  RETURN_IF_ERROR(OnlyFields(b, {"account", "role", "public_key", "name", "region"}, "body"));
  AccountCreateBody a;
  auto id = RequireString(b, "account", 64);
  if (!id.ok()) return id.status();
  if (!IsValidAccountId(*id)) {
    return Status::InvalidArgument("account.id",
                                   "body.account \"" + *id + "\" is not a valid account id");
  }
  a.id = *id;
  auto role = RequireString(b, "role");
  if (!role.ok()) return role.status();
  if (!IsValidRole(*role)) {
    return Status::InvalidArgument("role.invalid", "body.role \"" + *role + "\" is not a role");
  }
  a.role = *role;
  auto key = DecodePublicKeyField(b, "public_key");
  if (!key.ok()) return key.status();
  a.key_b64 = b["public_key"].get<std::string>();
  if (a.role == "park") {
    auto name = RequireString(b, "name");
    if (!name.ok()) return name.status();
    auto region = RequireString(b, "region", 6);
    if (!region.ok()) return region.status();
    if (!IsRegionCode(*region)) {
      return Status::InvalidArgument("account.region",
                                     "body.region must be a six-digit GB/T 2260 code");
    }
    a.name = *name;
    a.region = *region;
  } else if (b.contains("name")) {
    auto name = RequireString(b, "name");
    if (!name.ok()) return name.status();
    a.name = *name;
  }
  if (a.role != "park" && b.contains("region")) {
    return Status::InvalidArgument("account.region", "body.region is only for park accounts");
  }
  return a;
}

// ---- key changes
Result<RotateKeyBody> ValidateRotateKey(const Transaction& tx) {
  RETURN_IF_ERROR(OnlyFields(tx.body, {"public_key"}, "body"));
  auto key = DecodePublicKeyField(tx.body, "public_key");
  if (!key.ok()) return key.status();
  return RotateKeyBody{tx.body["public_key"].get<std::string>()};
}

Result<ReplaceKeyBody> ValidateReplaceKey(const Transaction& tx) {
  const nlohmann::json& b = tx.body;
  RETURN_IF_ERROR(OnlyFields(b, {"account", "old_public_key", "public_key", "reason"}, "body"));
  auto id = RequireString(b, "account", 64);
  if (!id.ok()) return id.status();
  auto reason = RequireString(b, "reason", 1024);
  if (!reason.ok()) return reason.status();
  auto old_key = DecodePublicKeyField(b, "old_public_key");
  if (!old_key.ok()) {
    return Status(old_key.status().code(), old_key.status().reason(),
                  "body." + old_key.status().message());
  }
  auto key = DecodePublicKeyField(b, "public_key");
  if (!key.ok()) return key.status();
  return ReplaceKeyBody{*id, *reason, *old_key, b["public_key"].get<std::string>()};
}

Result<ConfirmKeyBody> ValidateConfirmKey(const Transaction& tx) {
  const nlohmann::json& b = tx.body;
  RETURN_IF_ERROR(OnlyFields(b, {"account", "public_key"}, "body"));
  auto id = RequireString(b, "account", 64);
  if (!id.ok()) return id.status();
  auto key = DecodePublicKeyField(b, "public_key");
  if (!key.ok()) return key.status();
  return ConfirmKeyBody{*id, b["public_key"].get<std::string>()};
}

Result<PublicKey> GenesisOperatorKey(const Transaction& tx) {
  const nlohmann::json& b = tx.body;
  if (!b.contains("operator") || !b["operator"].is_object()) {
    return Status::InvalidArgument("field.missing", "body.operator is required");
  }
  const nlohmann::json& op = b["operator"];
  if (Status s = OnlyFields(op, {"account", "public_key"}, "body.operator"); !s.ok()) return s;
  if (!op.contains("account") || op["account"] != tx.signer) {
    return Status::InvalidArgument("genesis.operator",
                                   "body.operator.account must equal the signer");
  }
  return DecodePublicKeyField(op, "public_key");
}

std::vector<TxType> AccountTypes() {
  return {
      TxType(std::string(kGenesisType), {}, &ValidateGenesis, &ApplyGenesis),
      TxType("account.create", {"registry"}, &ValidateAccountCreate, &ApplyAccountCreate),
      TxType("account.rotate_key", {}, &ValidateRotateKey, &ApplyRotateKey),
      TxType("account.replace_key", {"registry"}, &ValidateReplaceKey, &ApplyReplaceKey),
      TxType("account.confirm_key", {"registry"}, &ValidateConfirmKey, &ApplyConfirmKey),
  };
}

}  // namespace registry

namespace {

Result<Account> AccountFromRecord(const nlohmann::json& r) {
  auto bad = [&](const char* what) {
    return Status::Corruption("state.record", std::string("account record: ") + what);
  };
  if (!r.is_object()) return bad("not an object");
  Account a;
  if (!r.contains("id") || !r["id"].is_string()) return bad("no id");
  a.id = r["id"].get<std::string>();
  if (!r.contains("role") || !r["role"].is_string()) return bad("no role");
  auto role = ParseRole(r["role"].get<std::string>());
  if (!role) return bad("unknown role");
  a.role = *role;
  auto key = DecodePublicKeyField(r, "public_key");
  if (!key.ok()) return bad("bad public_key");
  a.public_key = *key;
  auto count = [&](const char* field) -> std::optional<uint64_t> {
    if (!r.contains(field) || !r[field].is_number_integer() || r[field].get<int64_t>() < 0) {
      return std::nullopt;
    }
    return r[field].get<uint64_t>();
  };
  auto nonce = count("nonce");
  if (!nonce) return bad("no nonce");
  a.nonce = *nonce;
  a.created_seq = count("created_seq").value_or(0);
  a.key_seq = count("key_seq");
  if (r.contains("name") && r["name"].is_string()) a.name = r["name"].get<std::string>();
  if (r.contains("region") && r["region"].is_string()) a.region = r["region"].get<std::string>();
  return a;
}

}  // namespace

std::string_view RoleName(Role role) { return kRoles[static_cast<int>(role)]; }

std::optional<Role> ParseRole(std::string_view name) {
  for (size_t i = 0; i < std::size(kRoles); ++i) {
    if (name == kRoles[i]) return static_cast<Role>(i);
  }
  return std::nullopt;
}

bool IsValidRole(std::string_view role) { return ParseRole(role).has_value(); }

std::string AccountKey(std::string_view id) { return "a/" + std::string(id); }

std::string PendingKeyKey(std::string_view id) { return "ak/" + std::string(id); }
std::string ParkIndexKey(std::string_view id) {
  return std::string(kParkIndexPrefix) + std::string(id);
}

Result<std::optional<Account>> FindAccount(const StateReader& state, std::string_view id) {
  auto record = GetRecord(state, AccountKey(id));
  if (!record.ok()) return record.status();
  if (!record->has_value()) return std::optional<Account>();
  auto a = AccountFromRecord(**record);
  if (!a.ok()) return a.status();
  return std::optional<Account>(std::move(*a));
}

SignerDirectory AccountSigners() {
  SignerDirectory d;
  d.genesis = [](const Transaction& tx) -> Result<Signer> {
    auto key = registry::GenesisOperatorKey(tx);
    if (!key.ok()) return key.status();
    Signer s;
    s.key = *key;
    return s;
  };
  d.find = [](std::string_view id, const StateReader& state) -> Result<Signer> {
    auto record = GetRecord(state, AccountKey(id));
    if (!record.ok()) return record.status();
    if (!record->has_value()) {
      return Status::Unauthenticated(
          "tx.unknown_signer",
          "signer \"" + std::string(id) + "\" is not an account of this ledger");
    }
    auto a = AccountFromRecord(**record);
    if (!a.ok()) return a.status();
    Signer s;
    s.key = a->public_key;
    s.role = std::string(RoleName(a->role));
    s.last_nonce = a->nonce;
    s.record = std::move(**record);
    return s;
  };
  d.record_nonce = [](const Signer& s, std::string_view id, uint64_t nonce, StateTxn& state) {
    nlohmann::json record = s.record;
    record["nonce"] = nonce;
    return PutRecord(state, AccountKey(id), record);
  };
  return d;
}

}  // namespace carbonledger
