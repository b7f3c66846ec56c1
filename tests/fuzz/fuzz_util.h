// Helpers shared by the libFuzzer targets of tests/fuzz (docs/reliability.md §Fuzzing).
//
// FUZZ_CHECK states an invariant of the code under test: when it does not hold, the target
// prints what failed and aborts, which libFuzzer reports as a crash and saves the input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "crypto/encoding.h"

#define FUZZ_CHECK(cond)                                                                       \
  do {                                                                                         \
    if (!(cond)) {                                                                             \
      std::fprintf(stderr, "%s:%d: invariant does not hold: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                            \
    }                                                                                          \
  } while (0)

namespace carbonledger::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Takes bytes off the front of the fuzzer's input, for targets that derive several values from
// one input. Reads past the end yield zeros, so every input is usable.
class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  bool empty() const { return pos_ >= size_; }
  size_t remaining() const { return empty() ? 0 : size_ - pos_; }

  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  uint64_t U64() {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = v << 8 | Byte();
    return v;
  }
  // A length-prefixed (1 byte) string.
  std::string ShortString() {
    size_t n = Byte();
    n = n < remaining() ? n : remaining();
    std::string s(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return s;
  }
  // Everything not read yet.
  std::string Rest() {
    std::string s = empty()
                        ? std::string()
                        : std::string(reinterpret_cast<const char*>(data_ + pos_), size_ - pos_);
    pos_ = size_;
    return s;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// A fixed key from a 32-byte seed of one repeated byte: the targets need reproducible
// signatures, never secrecy.
inline SigningKey FixedKey(char fill) { return *SigningKey::FromSeed(std::string(32, fill)); }

}  // namespace carbonledger::fuzz
