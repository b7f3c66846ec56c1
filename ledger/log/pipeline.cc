#include "ledger/log/pipeline.h"

#include "crypto/encoding.h"

namespace carbonledger {

std::string TxIndexKey(const Hash& tx_id) { return "t/" + HexEncode(AsBytes(tx_id)); }

Result<std::string> ConfiguredOrigin(const StateReader& state) {
  auto config = GetRecord(state, kConfigKey);
  if (!config.ok()) return config.status();
  if (!config->has_value() || !(**config).contains("origin") || !(**config)["origin"].is_string()) {
    return Status::Corruption("store.config", "the state has no genesis configuration");
  }
  return (**config)["origin"].get<std::string>();
}

Result<Admission> Admit(const TxTypeTable& types, const Transaction& tx, std::string_view origin,
                        bool first_entry) {
  if (first_entry != (tx.type == kGenesisType)) {
    return Status::Unprocessable("tx.genesis",
                                 "the genesis transaction is entry 0 and only entry 0");
  }
  if (tx.ledger != origin) {
    return Status::InvalidArgument(
        "tx.ledger",
        "tx.ledger \"" + tx.ledger + "\" is not this ledger (\"" + std::string(origin) + "\")");
  }
  Admission a;
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
  if (Status s = admission.type->ApplyBody(ctx, *admission.body, own); !s.ok()) return s;
  own.Put(TxIndexKey(tx.id), std::to_string(ctx.seq));
  state.Absorb(own);
  Applied done;
  done.signer_key = signer->key;
  return done;
}

Status ApplyTransaction(const TxTypeTable& types, const TxContext& ctx, const PublicKey& signer_key,
                        StateTxn& state) {
  std::string origin = ctx.tx.ledger;
  if (ctx.seq != 0) {
    auto configured = ConfiguredOrigin(state);
    if (!configured.ok()) return configured.status();
    origin = std::move(*configured);
  }
  auto admission = Admit(types, ctx.tx, origin, ctx.seq == 0);
  if (!admission.ok()) return admission.status();
  auto same_key = [&](const PublicKey& current) {
    if (current == signer_key) return Status::OK();
    return Status::Unauthenticated(
        "tx.signature", "signature is not by the current key of \"" + ctx.tx.signer + "\"");
  };
  auto applied = Apply(types, *admission, ctx, same_key, /*allow_duplicate=*/false, state);
  return applied.status();
}

}  // namespace carbonledger
