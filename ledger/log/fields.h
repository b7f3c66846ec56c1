// Field decoding for transaction bodies, shared by every transaction type's validation: one
// error shape for every missing or malformed field, always naming the field's JSON path
// ("body.public_key"). Pure functions of the JSON value.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>

#include "crypto/ed25519.h"
#include "crypto/status.h"

namespace carbonledger {

// "field.missing" (absent or not a base64 string), "field.public_key" (not 32 bytes).
Result<PublicKey> DecodePublicKeyField(const nlohmann::json& object, const std::string& field);
// "field.missing" (absent or not a string), "field.length" (empty or over max_len bytes).
Result<std::string> RequireString(const nlohmann::json& object, const std::string& field,
                                  size_t max_len = 256);
// "field.missing" (absent or not an integer), "field.range" (not above 0).
Result<uint64_t> RequirePositive(const nlohmann::json& object, const std::string& field);
// A reporting year (the park-year of claims, retirements, inventories and statements):
// "field.missing" (absent or not an integer), "year.invalid" (outside kFirstYear..kLastYear).
inline constexpr int64_t kFirstYear = 1990, kLastYear = 2200;
Result<int64_t> RequireYear(const nlohmann::json& object, const std::string& field);
// Refuses a value that is not an object ("field.type") or has a member not in `allowed`
// ("field.unknown").
Status OnlyFields(const nlohmann::json& object, std::initializer_list<const char*> allowed,
                  const std::string& where);

}  // namespace carbonledger
