// The data files compiled into cl_accounting (accounting/data: factor sets and policy
// profiles), generated at build time by embed_data.cmake. Private to the library: callers use
// FactorSet::Embedded and EmbeddedPolicyProfile.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace carbonledger::accounting {

struct EmbeddedFile {
  const char* name;  // path under accounting/data, e.g. "profiles/anhui-2024.json"
  const unsigned char* data;
  size_t size;
  std::string_view bytes() const { return {reinterpret_cast<const char*>(data), size}; }
};

std::span<const EmbeddedFile> EmbeddedFiles();

}  // namespace carbonledger::accounting
