#include "ledger/log/proof.h"

#include "crypto/encoding.h"
#include "ledger/log/merkle.h"

namespace carbonledger {
namespace {

Status Malformed(const std::string& what) { return Status::InvalidArgument("proof.format", what); }

bool IsSize(const nlohmann::json& j, const char* name) {
  return j.contains(name) && j[name].is_number_unsigned();
}

// A hash as the proofs spell it: a string of base64 of 32 bytes.
std::optional<Hash> HashOf(const nlohmann::json& v) {
  if (!v.is_string()) return std::nullopt;
  auto h = HashFromBase64(v.get<std::string>());
  if (!h.ok()) return std::nullopt;
  return *h;
}

Result<std::vector<Hash>> HashesOf(const nlohmann::json& j) {
  if (!j.contains("hashes")) return Malformed("proof.hashes must be an array");
  return DecodeProofHashes(j["hashes"]);
}

}  // namespace

nlohmann::json EncodeProofHashes(const std::vector<Hash>& hashes) {
  nlohmann::json out = nlohmann::json::array();
  for (const Hash& h : hashes) out.push_back(Base64Encode(AsBytes(h)));
  return out;
}

Result<std::vector<Hash>> DecodeProofHashes(const nlohmann::json& j) {
  if (!j.is_array()) return Malformed("proof.hashes must be an array");
  std::vector<Hash> out;
  out.reserve(j.size());
  for (const nlohmann::json& h : j) {
    auto hash = HashOf(h);
    if (!hash) return Malformed("proof.hashes holds a non-hash value");
    out.push_back(*hash);
  }
  return out;
}

nlohmann::json EncodeInclusionProof(const EntryProof& p) {
  nlohmann::json out = {{"leaf_index", p.proof.leaf_index},
                        {"tree_size", p.proof.tree_size},
                        {"leaf_hash", Base64Encode(AsBytes(p.leaf_hash))},
                        {"hashes", EncodeProofHashes(p.proof.hashes)}};
  if (p.entry) out["entry"] = Base64Encode(*p.entry);
  return out;
}

Result<EntryProof> DecodeInclusionProof(const nlohmann::json& j) {
  if (!j.is_object()) return Malformed("a proof must be a JSON object");
  if (!IsSize(j, "leaf_index") || !IsSize(j, "tree_size")) {
    return Malformed("proof needs integer leaf_index and tree_size");
  }
  EntryProof p;
  p.proof.leaf_index = j["leaf_index"].get<uint64_t>();
  p.proof.tree_size = j["tree_size"].get<uint64_t>();
  std::optional<Hash> given;
  if (j.contains("leaf_hash")) {
    given = HashOf(j["leaf_hash"]);
    if (!given) return Malformed("proof.leaf_hash is not a base64 hash");
  }
  if (j.contains("entry")) {
    if (!j["entry"].is_string()) return Malformed("proof.entry is not base64");
    auto bytes = Base64Decode(j["entry"].get<std::string>());
    if (!bytes.ok()) return Malformed("proof.entry is not base64");
    p.leaf_hash = merkle::HashLeaf(*bytes);
    if (given && *given != p.leaf_hash) return Malformed("leaf_hash is not the hash of entry");
    p.entry = std::move(*bytes);
  } else if (given) {
    p.leaf_hash = *given;
  } else {
    return Malformed("proof needs leaf_hash or entry");
  }
  auto hashes = HashesOf(j);
  if (!hashes.ok()) return hashes.status();
  p.proof.hashes = std::move(*hashes);
  return p;
}

nlohmann::json EncodeConsistencyProof(const ConsistencyProof& p) {
  return {{"from", p.from}, {"to", p.to}, {"hashes", EncodeProofHashes(p.hashes)}};
}

Result<ConsistencyProof> DecodeConsistencyProof(const nlohmann::json& j) {
  if (!j.is_object()) return Malformed("a proof must be a JSON object");
  if (!IsSize(j, "from") || !IsSize(j, "to")) return Malformed("proof needs integer from and to");
  ConsistencyProof p;
  p.from = j["from"].get<uint64_t>();
  p.to = j["to"].get<uint64_t>();
  auto hashes = HashesOf(j);
  if (!hashes.ok()) return hashes.status();
  p.hashes = std::move(*hashes);
  return p;
}

}  // namespace carbonledger
