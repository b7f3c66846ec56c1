// The LevelDB key layout of a ledger (docs/ledger-format.md §Store). Private to ledger/.
//
//   m/size        decimal tree size (number of entries)
//   m/checkpoint  the latest signed checkpoint note
//   e/<seq u64be> chain value [32] || entry bytes
//   n/<level u8><index u64be>  hash of a complete Merkle subtree [32]
//   s/<state key> state record (canonical JSON or decimal)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace carbonledger::keys {

inline constexpr std::string_view kSize = "m/size";
inline constexpr std::string_view kCheckpoint = "m/checkpoint";
inline constexpr std::string_view kEntryPrefix = "e/";
inline constexpr std::string_view kNodePrefix = "n/";
inline constexpr std::string_view kStatePrefix = "s/";

inline void AppendU64(std::string* out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out->push_back(char(v >> (8 * i)));
}
inline uint64_t ReadU64(std::string_view b) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = v << 8 | uint8_t(b[i]);
  return v;
}

inline std::string Entry(uint64_t seq) {
  std::string k(kEntryPrefix);
  AppendU64(&k, seq);
  return k;
}
inline std::string Node(int level, uint64_t index) {
  std::string k(kNodePrefix);
  k.push_back(char(level));
  AppendU64(&k, index);
  return k;
}
inline std::string State(std::string_view key) {
  return std::string(kStatePrefix) + std::string(key);
}

}  // namespace carbonledger::keys
