// The data files the accounting engine ships (accounting/data: factor sets and policy
// profiles, docs/factors.md, docs/policy-profiles.md), found by the SHA-256 of their bytes:
// statements name the factor set and profile they used by hash, so whoever holds the hash gets
// exactly those bytes back or nothing.
#pragma once

#include <optional>
#include <string>

#include "crypto/sha256.h"

namespace carbonledger::accounting {

// The bytes of the shipped data file whose SHA-256 is `sha256`, or nullopt.
std::optional<std::string> DataFileBySha256(const Hash& sha256);

}  // namespace carbonledger::accounting
