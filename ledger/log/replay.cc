#include "ledger/log/replay.h"

#include "ledger/log/pipeline.h"

namespace carbonledger {
namespace {

Status Bad(uint64_t seq, const std::string& what) {
  return Status::Corruption("verify.entry", "entry " + std::to_string(seq) + ": " + what);
}

}  // namespace

Status ReplayEntry(const TxTypeTable& types, const ReplayInput& in, ReplayPosition& at,
                   StateTxn& state, std::vector<std::string>* unchecked) {
  const uint64_t seq = at.seq;
  if (in.entry.seq != seq) {
    return Bad(seq, "entry bytes say seq " + std::to_string(in.entry.seq));
  }
  if (in.entry.accepted_ms < at.last_ms) return Bad(seq, "acceptance time goes backwards");
  if (!in.tx.ok()) return Bad(seq, "transaction: " + in.tx.status().ToString());
  // The same pipeline as the live writer: tx.ledger must be this log's origin (entry 0 names
  // it), the type known, the body valid, the signer's key current, nonce and role allowed.
  LogParams log = seq == 0 ? LogParams{in.tx->ledger, 0} : at.log;
  if (seq == 0 && in.tx->body.contains("format") && in.tx->body["format"].is_number_integer()) {
    log.format = in.tx->body["format"].get<int64_t>();  // the format the genesis creates
  }
  if (in.entry.version != EntryVersionOf(log.format)) {
    return Bad(seq, "entry version " + std::to_string(in.entry.version) +
                        " is not the one ledger format " + std::to_string(log.format) + " writes");
  }
  // The confidential data goes to the rules as it came with the submission.
  Transaction tx = *in.tx;
  if (in.confidential != nullptr) tx.confidential = *in.confidential;
  auto admission = Admit(types, tx, log, seq == 0);
  if (!admission.ok()) return Bad(seq, "replay refused it: " + admission.status().ToString());
  auto signature = [&](const PublicKey& current) {
    if (current != in.entry.signer_key) {
      return Status::Corruption("verify.entry",
                                "signer key is not the current key of \"" + in.tx->signer + "\"");
    }
    if (!in.signature_ok) return Status::Corruption("verify.entry", "signature does not verify");
    return Status::OK();
  };
  StateTxn txn(state);
  TxContext ctx{tx, seq, in.entry.accepted_ms};
  ctx.confidential_withheld = in.confidential == nullptr;
  ctx.leaf_hash = in.leaf_hash;
  auto applied = Apply(types, *admission, ctx, signature, /*allow_duplicate=*/false, txn);
  if (!applied.ok()) {
    if (applied.status().reason() == "verify.entry") return Bad(seq, applied.status().message());
    return Bad(seq, "replay refused it: " + applied.status().ToString());
  }
  if (applied->note != in.entry.note) {
    return Bad(seq, "the entry's note is not the one the rules imply (" + applied->note + ")");
  }
  if (unchecked != nullptr) {
    for (std::string& what : applied->unchecked) {
      unchecked->push_back("entry " + std::to_string(seq) + ": " + std::move(what));
    }
  }
  if (seq == 0) {
    auto configured = ConfiguredParams(txn);
    if (!configured.ok()) return Bad(seq, configured.status().ToString());
    log = std::move(*configured);
  }
  state.Absorb(txn);
  at.seq = seq + 1;
  at.chain = ChainNext(at.chain, in.leaf);
  at.last_ms = in.entry.accepted_ms;
  at.log = std::move(log);
  return Status::OK();
}

DecodedEntry DecodeForReplay(std::string_view entry_bytes) {
  DecodedEntry d;
  d.leaf = LeafHash(entry_bytes);
  auto e = DecodeEntry(entry_bytes);
  if (!e.ok()) {
    d.decode = e.status();
    return d;
  }
  d.entry = std::move(*e);
  d.tx = TransactionFromCanonical(d.entry.tx);
  d.signature_ok = VerifySignature(d.entry.signer_key, d.entry.tx, d.entry.signature);
  return d;
}

}  // namespace carbonledger
