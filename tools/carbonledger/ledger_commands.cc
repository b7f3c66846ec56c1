// Ledger commands of the CLI: init, keygen, checkpoint, proof, and the offline verifiers
// verify-ledger, verify-inclusion and verify-consistency (docs/cli.md).
#include <iostream>
#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "ledger/certification/transaction_types.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/ledger.h"
#include "ledger/log/merkle.h"
#include "ledger/log/proof.h"
#include "ledger/log/verify.h"
#include "ledger/registry/genesis.h"
#include "tools/carbonledger/commands.h"
#include "tools/carbonledger/flags.h"

namespace carbonledger::cli {
namespace {

std::string B64(const Hash& h) { return Base64Encode(AsBytes(h)); }

Result<nlohmann::json> ReadJsonFile(const std::string& path) {
  auto text = ReadFile(path);
  if (!text) return Status::IOError("file", "cannot read " + path);
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded()) return Status::InvalidArgument("file", path + " is not JSON");
  return j;
}

Result<NamedPublicKey> ReadLogKey(const std::string& path) {
  auto text = ReadFile(path);
  if (!text) return Status::IOError("file", "cannot read " + path);
  return ParsePublicKey(*text);
}

Result<Checkpoint> ReadCheckpoint(const std::string& path, const NamedPublicKey& key) {
  auto text = ReadFile(path);
  if (!text) return Status::IOError("file", "cannot read " + path);
  return OpenCheckpoint(*text, key.name, key.key, key.name);
}

}  // namespace

int InitCommand(const Args& args) {
  Flags f(args, {"data", "origin", "operator", "gec-validity-months", "max-tx-validity"});
  GenesisOptions o;
  o.origin = f.GetOr("origin", o.origin);
  o.operator_account = f.GetOr("operator", o.operator_account);
  if (auto m = f.GetU64("gec-validity-months")) o.gec_validity_months = *m;
  if (auto v = f.GetU64("max-tx-validity")) o.max_tx_validity_s = *v;
  if (!f.ok()) return Usage(f.error());
  std::string data = f.GetOr("data", "data");
  if (Status s = InitLedger(data, o); !s.ok()) return Fail(s.ToString());
  std::cout << "created ledger " << o.origin << " in " << data << "\n"
            << "  operator account: " << o.operator_account << " (key " << OperatorKeyPath(data)
            << ")\n"
            << "  log verifier key: " << LogPublicKeyPath(data) << "\n";
  return 0;
}

int KeygenCommand(const Args& args) {
  Flags f(args, {"name", "out"});
  if (!f.ok()) return Usage(f.error());
  auto name = f.Get("name");
  auto out = f.Get("out");
  if (!name || !out) return Usage("usage: carbonledger keygen --name ACCOUNT --out FILE");
  if (!IsValidKeyName(*name)) return Usage("--name must be printable ASCII without spaces or '+'");
  SigningKey key = SigningKey::Generate();
  if (Status s = WritePrivateKeyFile(*out, *name, key); !s.ok()) return Fail(s.ToString());
  std::cout << "public_key " << Base64Encode(AsBytes(key.public_key())) << "\n"
            << "verifier_key " << FormatPublicKey(*name, key.public_key()) << "\n";
  return 0;
}

int CheckpointCommand(const Args& args) {
  Flags f(args, {"data", "server"});
  if (!f.ok()) return Usage(f.error());
  if (auto server = f.Get("server")) {
    if (f.Has("data")) return Usage("checkpoint takes --data DIR or --server URL, not both");
    return Fetch(*server, "/v1/checkpoint", nullptr, Output::kAsServed);
  }
  auto ledger = Ledger::Open(f.GetOr("data", "data"), LedgerTxTypes());
  if (!ledger.ok()) return Fail(ledger.status().ToString());
  std::cout << (*ledger)->checkpoint();
  return 0;
}

// The proof of `kind` from a server; the same file format as the offline command's.
int FetchProof(const std::string& server, const std::string& kind, std::optional<uint64_t> seq,
               std::optional<uint64_t> tree_size, std::optional<uint64_t> from,
               std::optional<uint64_t> to) {
  std::string target;
  if (kind == "inclusion") {
    if (!seq || !tree_size) return Usage("proof inclusion --server needs --seq and --tree-size");
    target = "/v1/proofs/inclusion?seq=" + std::to_string(*seq) +
             "&tree_size=" + std::to_string(*tree_size);
  } else if (kind == "consistency") {
    if (!from || !to) return Usage("proof consistency --server needs --from and --to");
    target = "/v1/proofs/consistency?from=" + std::to_string(*from) + "&to=" + std::to_string(*to);
  } else {
    return Usage("usage: carbonledger proof inclusion|consistency");
  }
  return Fetch(server, target, nullptr, Output::kAsServed);
}

// carbonledger proof inclusion --seq N [--tree-size M] | consistency --from A [--to B],
// from a data directory (--data) or a server (--server).
int ProofCommand(const Args& args) {
  Flags f(args, {"data", "server", "seq", "tree-size", "from", "to"});
  auto seq = f.GetU64("seq");
  auto tree_size = f.GetU64("tree-size");
  auto from = f.GetU64("from");
  auto to = f.GetU64("to");
  if (!f.ok()) return Usage(f.error());
  if (f.positional().size() != 1) return Usage("usage: carbonledger proof inclusion|consistency");
  if (auto server = f.Get("server")) {
    if (f.Has("data")) return Usage("proof takes --data DIR or --server URL, not both");
    return FetchProof(*server, f.positional()[0], seq, tree_size, from, to);
  }
  auto ledger = Ledger::Open(f.GetOr("data", "data"), LedgerTxTypes());
  if (!ledger.ok()) return Fail(ledger.status().ToString());
  Ledger& l = **ledger;
  nlohmann::json out;
  if (f.positional()[0] == "inclusion") {
    if (!seq) return Usage("proof inclusion needs --seq");
    uint64_t n = tree_size.value_or(l.size());
    auto entry = l.GetEntry(*seq);
    if (!entry.ok()) return Fail(entry.status().ToString());
    auto proof = l.ProveInclusion(*seq, n);
    if (!proof.ok()) return Fail(proof.status().ToString());
    out = EncodeInclusionProof({std::move(*proof), entry->leaf_hash, std::move(entry->bytes)});
  } else if (f.positional()[0] == "consistency") {
    if (!from) return Usage("proof consistency needs --from");
    uint64_t n = to.value_or(l.size());
    auto proof = l.ProveConsistency(*from, n);
    if (!proof.ok()) return Fail(proof.status().ToString());
    out = EncodeConsistencyProof(*proof);
  } else {
    return Usage("usage: carbonledger proof inclusion|consistency");
  }
  std::cout << out.dump(2) << "\n";
  return 0;
}

int VerifyLedgerCommand(const Args& args) {
  Flags f(args, {"data", "log-key", "threads"});
  auto threads = f.GetU64("threads");
  if (!f.ok()) return Usage(f.error());
  VerifyOptions o;
  o.data_dir = f.GetOr("data", "data");
  o.threads = unsigned(threads.value_or(0));
  if (auto k = f.Get("log-key")) {
    auto key = ReadLogKey(*k);
    if (!key.ok()) return Fail(key.status().ToString());
    o.trusted_log_key = *key;
  }
  auto report = VerifyLedger(o, LedgerTxTypes());
  if (!report.ok()) {
    std::cout << "FAILED: " << report.status().message() << " (" << report.status().reason()
              << ")\n";
    return 1;
  }
  std::cout << "OK: " << report->entries << " entries, " << report->tree_nodes << " tree nodes, "
            << report->state_records << " state records verified\n"
            << "root " << B64(report->root) << "\n"
            << report->checkpoint;
  if (!report->unchecked.empty()) {
    // A store without the confidential key space (a mirror's): what could not be checked.
    std::cout << report->unchecked.size()
              << " checks not made: this store does not hold the log's confidential data "
                 "(docs/certification.md §Confidential inventories)\n";
    for (const std::string& line : report->unchecked)
      std::cout << "  not checked: " << line << "\n";
  }
  return 0;
}

int VerifyInclusionCommand(const Args& args) {
  Flags f(args, {"proof", "checkpoint", "log-key", kWitnessFlags[0], kWitnessFlags[1]});
  if (!f.ok()) return Usage(f.error());
  if (!f.Has("proof") || !f.Has("checkpoint") || !f.Has("log-key")) {
    return Usage(
        "usage: carbonledger verify-inclusion --proof F --checkpoint F --log-key F "
        "[--witnesses F [--require-witnesses K]]");
  }
  auto key = ReadLogKey(*f.Get("log-key"));
  if (!key.ok()) return Fail(key.status().ToString());
  auto cp = ReadCheckpoint(*f.Get("checkpoint"), *key);
  if (!cp.ok()) return Fail("FAILED: checkpoint: " + cp.status().ToString());
  auto json = ReadJsonFile(*f.Get("proof"));
  if (!json.ok()) return Fail(json.status().ToString());
  auto decoded = DecodeInclusionProof(*json);
  if (!decoded.ok()) return Fail("FAILED: " + decoded.status().message());
  const InclusionProof& p = decoded->proof;
  if (p.tree_size != cp->size) {
    return Fail("FAILED: proof is for tree size " + std::to_string(p.tree_size) +
                " but the checkpoint is for " + std::to_string(cp->size));
  }
  if (Status s = merkle::VerifyInclusion(p.leaf_index, p.tree_size, decoded->leaf_hash, p.hashes,
                                         cp->root);
      !s.ok()) {
    return Fail("FAILED: " + s.ToString());
  }
  std::string witnessed;
  if (int rc = CheckWitnesses(f, *ReadFile(*f.Get("checkpoint")), &witnessed); rc != 0) return rc;
  std::cout << "OK: entry " << p.leaf_index << " is included in the tree of size " << p.tree_size
            << " (root " << B64(cp->root) << "), signed by " << key->name << "\n"
            << witnessed;
  return 0;
}

int VerifyConsistencyCommand(const Args& args) {
  Flags f(args, {"proof", "old", "new", "log-key", kWitnessFlags[0], kWitnessFlags[1]});
  if (!f.ok()) return Usage(f.error());
  if (!f.Has("proof") || !f.Has("old") || !f.Has("new") || !f.Has("log-key")) {
    return Usage(
        "usage: carbonledger verify-consistency --proof F --old F --new F --log-key F "
        "[--witnesses F [--require-witnesses K]]");
  }
  auto key = ReadLogKey(*f.Get("log-key"));
  if (!key.ok()) return Fail(key.status().ToString());
  auto old_cp = ReadCheckpoint(*f.Get("old"), *key);
  if (!old_cp.ok()) return Fail("FAILED: old checkpoint: " + old_cp.status().ToString());
  auto new_cp = ReadCheckpoint(*f.Get("new"), *key);
  if (!new_cp.ok()) return Fail("FAILED: new checkpoint: " + new_cp.status().ToString());
  auto json = ReadJsonFile(*f.Get("proof"));
  if (!json.ok()) return Fail(json.status().ToString());
  auto p = DecodeConsistencyProof(*json);
  if (!p.ok()) return Fail("FAILED: " + p.status().message());
  if (p->from != old_cp->size || p->to != new_cp->size) {
    return Fail("FAILED: proof sizes do not match the checkpoints' sizes");
  }
  if (Status s = merkle::VerifyConsistency(old_cp->size, new_cp->size, p->hashes, old_cp->root,
                                           new_cp->root);
      !s.ok()) {
    return Fail("FAILED: " + s.ToString());
  }
  std::string witnessed;
  if (int rc = CheckWitnesses(f, *ReadFile(*f.Get("new")), &witnessed); rc != 0) return rc;
  std::cout << "OK: the tree of size " << new_cp->size << " extends the tree of size "
            << old_cp->size << "\n"
            << witnessed;
  return 0;
}

}  // namespace carbonledger::cli
