// Account rules: the genesis entry, accounts with roles, and key changes
// (docs/ledger-format.md §Genesis, docs/registry-rules.md §Accounts).
#include "crypto/encoding.h"
#include "ledger/rule_sets.h"

namespace carbonledger {
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

Status ApplyGenesis(const TxContext& ctx, StateTxn& state) {
  const nlohmann::json& b = ctx.tx.body;
  RETURN_IF_ERROR(OnlyFields(b, {"origin", "operator", "log_key", "gec_validity_months"}, "body"));
  auto origin = RequireString(b, "origin");
  if (!origin.ok()) return origin.status();
  if (*origin != ctx.tx.ledger) {
    return Status::InvalidArgument("genesis.origin", "body.origin must equal the tx ledger field");
  }
  auto log_key = RequireString(b, "log_key", 512);
  if (!log_key.ok()) return log_key.status();
  auto parsed_log_key = ParsePublicKey(*log_key);
  if (!parsed_log_key.ok() || parsed_log_key->name != *origin) {
    return Status::InvalidArgument("genesis.log_key",
                                   "body.log_key must be a signed-note verifier key named by the "
                                   "origin");
  }
  auto months = RequirePositive(b, "gec_validity_months");
  if (!months.ok()) return months.status();
  auto op_key = GenesisOperatorKey(ctx.tx);
  if (!op_key.ok()) return op_key.status();

  nlohmann::json account = {{"id", ctx.tx.signer},
                            {"role", "registry"},
                            {"public_key", b["operator"]["public_key"]},
                            {"nonce", ctx.tx.nonce},
                            {"created_seq", ctx.seq}};
  RETURN_IF_ERROR(PutRecord(state, AccountKey(ctx.tx.signer), account));
  nlohmann::json config = {{"origin", *origin},
                           {"log_key", *log_key},
                           {"operator", ctx.tx.signer},
                           {"gec_validity_months", *months}};
  return PutRecord(state, kConfigKey, config);
}

Status ApplyAccountCreate(const TxContext& ctx, StateTxn& state) {
  const nlohmann::json& b = ctx.tx.body;
  RETURN_IF_ERROR(OnlyFields(b, {"account", "role", "public_key", "name", "region"}, "body"));
  auto id = RequireString(b, "account", 64);
  if (!id.ok()) return id.status();
  if (!IsValidAccountId(*id)) {
    return Status::InvalidArgument("account.id",
                                   "body.account \"" + *id + "\" is not a valid account id");
  }
  auto role = RequireString(b, "role");
  if (!role.ok()) return role.status();
  if (!IsValidRole(*role)) {
    return Status::InvalidArgument("role.invalid", "body.role \"" + *role + "\" is not a role");
  }
  auto key = DecodePublicKeyField(b, "public_key");
  if (!key.ok()) return key.status();
  auto existing = state.Get(AccountKey(*id));
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return Status::Conflict("account.exists", "account \"" + *id + "\" already exists");
  }
  nlohmann::json account = {{"id", *id},
                            {"role", *role},
                            {"public_key", b["public_key"]},
                            {"nonce", 0},
                            {"created_seq", ctx.seq}};
  if (*role == "park") {
    auto name = RequireString(b, "name");
    if (!name.ok()) return name.status();
    auto region = RequireString(b, "region", 6);
    if (!region.ok()) return region.status();
    if (!IsRegionCode(*region)) {
      return Status::InvalidArgument("account.region",
                                     "body.region must be a six-digit GB/T 2260 code");
    }
    account["name"] = *name;
    account["region"] = *region;
  } else if (b.contains("name")) {
    auto name = RequireString(b, "name");
    if (!name.ok()) return name.status();
    account["name"] = *name;
  }
  if (*role != "park" && b.contains("region")) {
    return Status::InvalidArgument("account.region", "body.region is only for park accounts");
  }
  return PutRecord(state, AccountKey(*id), account);
}

// Sets a new public key on an account record.
Status SetKey(StateTxn& state, const std::string& id, const nlohmann::json& key_b64, uint64_t seq) {
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

Status ApplyRotateKey(const TxContext& ctx, StateTxn& state) {
  const nlohmann::json& b = ctx.tx.body;
  RETURN_IF_ERROR(OnlyFields(b, {"public_key"}, "body"));
  auto key = DecodePublicKeyField(b, "public_key");
  if (!key.ok()) return key.status();
  return SetKey(state, ctx.tx.signer, b["public_key"], ctx.seq);
}

Status ApplyReplaceKey(const TxContext& ctx, StateTxn& state) {
  const nlohmann::json& b = ctx.tx.body;
  RETURN_IF_ERROR(OnlyFields(b, {"account", "public_key", "reason"}, "body"));
  auto id = RequireString(b, "account", 64);
  if (!id.ok()) return id.status();
  auto reason = RequireString(b, "reason", 1024);
  if (!reason.ok()) return reason.status();
  auto key = DecodePublicKeyField(b, "public_key");
  if (!key.ok()) return key.status();
  return SetKey(state, *id, b["public_key"], ctx.seq);
}

}  // namespace

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

std::vector<TxRule> AccountRules() {
  return {
      {"genesis", {}, &ApplyGenesis},
      {"account.create", {"registry"}, &ApplyAccountCreate},
      {"account.rotate_key", {}, &ApplyRotateKey},
      {"account.replace_key", {"registry"}, &ApplyReplaceKey},
  };
}

}  // namespace carbonledger
