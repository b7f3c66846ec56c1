// Field decoding shared by every rule set: one error shape for every missing or malformed
// field, always naming the field's path.
#include <algorithm>

#include "crypto/encoding.h"
#include "ledger/log/fields.h"

namespace carbonledger {

Result<PublicKey> DecodePublicKeyField(const nlohmann::json& o, const std::string& field) {
  if (!o.contains(field) || !o[field].is_string()) {
    return Status::InvalidArgument("field.missing", field + " is required (base64 Ed25519 key)");
  }
  auto bytes = Base64Decode(o[field].get<std::string>());
  if (!bytes.ok() || bytes->size() != 32) {
    return Status::InvalidArgument("field.public_key",
                                   field + " must be a base64 32-byte Ed25519 public key");
  }
  return *PublicKeyFromBytes(*bytes);
}

Result<std::string> RequireString(const nlohmann::json& o, const std::string& field,
                                  size_t max_len) {
  if (!o.contains(field) || !o[field].is_string()) {
    return Status::InvalidArgument("field.missing", field + " is required and must be a string");
  }
  std::string v = o[field].get<std::string>();
  if (v.empty() || v.size() > max_len) {
    return Status::InvalidArgument("field.length",
                                   field + " must be 1.." + std::to_string(max_len) + " bytes");
  }
  return v;
}

Result<uint64_t> RequirePositive(const nlohmann::json& o, const std::string& field) {
  if (!o.contains(field) || !o[field].is_number_integer()) {
    return Status::InvalidArgument("field.missing", field + " is required and must be an integer");
  }
  if (o[field].is_number_unsigned() ? o[field].get<uint64_t>() == 0
                                    : o[field].get<int64_t>() <= 0) {
    return Status::InvalidArgument("field.range", field + " must be greater than 0");
  }
  return o[field].get<uint64_t>();
}

Result<int64_t> RequireYear(const nlohmann::json& o, const std::string& field) {
  if (!o.contains(field) || !o[field].is_number_integer()) {
    return Status::InvalidArgument("field.missing", field + " is required and must be an integer");
  }
  int64_t y = o[field].get<int64_t>();
  if (y < kFirstYear || y > kLastYear) {
    return Status::InvalidArgument("year.invalid", field + " must be a year from " +
                                                       std::to_string(kFirstYear) + " to " +
                                                       std::to_string(kLastYear));
  }
  return y;
}

Status OnlyFields(const nlohmann::json& o, std::initializer_list<const char*> allowed,
                  const std::string& where) {
  if (!o.is_object()) return Status::InvalidArgument("field.type", where + " must be an object");
  for (auto it = o.begin(); it != o.end(); ++it) {
    bool known =
        std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return it.key() == a; });
    if (!known) {
      return Status::InvalidArgument("field.unknown",
                                     where + "." + it.key() + " is not a known field");
    }
  }
  return Status::OK();
}

}  // namespace carbonledger
