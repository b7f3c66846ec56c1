#include "ledger/log/entry.h"

#include <algorithm>

#include "crypto/canonical_json.h"
#include "ledger/log/merkle.h"

namespace carbonledger {
namespace {

void PutU64(std::string* out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out->push_back(char(v >> (8 * i)));
}
void PutU32(std::string* out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out->push_back(char(v >> (8 * i)));
}
uint64_t GetU64(std::string_view b) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | uint8_t(b[size_t(i)]);
  return v;
}
uint32_t GetU32(std::string_view b) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = v << 8 | uint8_t(b[size_t(i)]);
  return v;
}

}  // namespace

std::string EncodeEntry(const Entry& e) {
  std::string out;
  out.reserve(kEntryHeaderBytes + e.tx.size() + 4 + e.note.size());
  out.push_back(char(e.version));
  PutU64(&out, e.seq);
  PutU64(&out, e.accepted_ms);
  out.append(AsBytes(e.signer_key));
  out.append(AsBytes(e.signature));
  PutU32(&out, uint32_t(e.tx.size()));
  out.append(e.tx);
  if (e.version == kEntryVersion2) {
    PutU32(&out, uint32_t(e.note.size()));
    out.append(e.note);
  }
  return out;
}

Result<Entry> DecodeEntry(std::string_view b) {
  if (b.size() < kEntryHeaderBytes) {
    return Status::Corruption("entry.format", "entry is shorter than its header");
  }
  const uint8_t version = uint8_t(b[0]);
  if (version != kEntryVersion && version != kEntryVersion2) {
    return Status::Corruption("entry.format", "unknown entry version " + std::to_string(version));
  }
  Entry e;
  e.version = version;
  e.seq = GetU64(b.substr(1));
  e.accepted_ms = GetU64(b.substr(9));
  // The header's length was checked above, so both slices have their exact sizes.
  e.signer_key = *PublicKeyFromBytes(b.substr(17, 32));
  e.signature = *SignatureFromBytes(b.substr(49, 64));
  const uint64_t len = GetU32(b.substr(113));
  if (version == kEntryVersion) {
    if (b.size() != kEntryHeaderBytes + len) {
      return Status::Corruption("entry.format", "entry length field disagrees with its size");
    }
    e.tx = std::string(b.substr(kEntryHeaderBytes));
    return e;
  }
  if (b.size() < kEntryHeaderBytes + len + 4) {
    return Status::Corruption("entry.format", "entry length field disagrees with its size");
  }
  e.tx = std::string(b.substr(kEntryHeaderBytes, len));
  const uint64_t note_len = GetU32(b.substr(kEntryHeaderBytes + len));
  if (b.size() != kEntryHeaderBytes + len + 4 + note_len) {
    return Status::Corruption("entry.format", "entry note length disagrees with its size");
  }
  e.note = std::string(b.substr(kEntryHeaderBytes + len + 4));
  return e;
}

Result<std::optional<uint64_t>> LinkedPrevious(const Entry& e, std::string_view scope) {
  auto bad = [&e](const std::string& what) {
    return Status::Corruption("entry.note", "entry " + std::to_string(e.seq) + ": " + what);
  };
  if (e.note.empty()) return std::optional<uint64_t>();
  auto note = ParseStrictJson(e.note, JsonLimits{size_t(1) << 20, 16});
  if (!note.ok() || !note->is_object()) return bad("the note is not a JSON object");
  auto links = note->find("links");
  if (links == note->end()) return std::optional<uint64_t>();
  if (!links->is_array()) return bad("links is not an array");
  for (const nlohmann::json& l : *links) {
    if (!l.is_object() || !l.contains("scope") || !l["scope"].is_string() || !l.contains("prev") ||
        !l["prev"].is_number_integer() || l["prev"].get<int64_t>() < 0) {
      return bad("a malformed link");
    }
    if (l["scope"].get<std::string>() != scope) continue;
    const uint64_t prev = uint64_t(l["prev"].get<int64_t>());
    if (prev != 0 && prev >= e.seq) return bad("a link that does not point back");
    return std::optional<uint64_t>(prev);
  }
  return std::optional<uint64_t>();
}

Hash LeafHash(std::string_view entry_bytes) { return merkle::HashLeaf(entry_bytes); }

Hash ChainNext(const Hash& previous_chain, const Hash& leaf_hash) {
  Sha256Hasher h;
  h.Update(previous_chain).Update(leaf_hash);
  return h.Final();
}

}  // namespace carbonledger
