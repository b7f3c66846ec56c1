#include "accounting/internal/json_reader.h"

namespace carbonledger::accounting {
namespace {

const char* TypeName(const Json& v) {
  if (v.is_string()) return "a string";
  if (v.is_number_float()) return "a floating-point number";
  if (v.is_number()) return "a number";
  if (v.is_boolean()) return "a boolean";
  if (v.is_null()) return "null";
  if (v.is_array()) return "an array";
  return "an object";
}

}  // namespace

std::string JoinPath(const std::string& path, std::string_view key) {
  return path + "." + std::string(key);
}

std::string JoinPath(const std::string& path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

Status FieldError(std::string_view prefix, std::string_view kind, const std::string& path,
                  const std::string& message) {
  return Status::InvalidArgument(std::string(prefix) + "." + std::string(kind),
                                 path + ": " + message);
}

Status ExpectArray(const Json& value, const std::string& path, std::string_view prefix) {
  if (value.is_array()) return Status::OK();
  return FieldError(prefix, "type", path,
                    std::string("expected an array, found ") + TypeName(value));
}

Result<Json> ParseJsonDocument(std::string_view text, std::string_view what) {
  auto doc = ParseStrictJson(text, kDocumentLimits);
  if (!doc.ok()) {
    const Status& s = doc.status();
    return Status(s.code(), s.reason(), std::string(what) + ": " + s.message());
  }
  return doc;
}

Result<ObjectReader> ObjectReader::Open(const Json& value, std::string path, std::string prefix) {
  if (!value.is_object()) {
    return FieldError(prefix, "type", path,
                      std::string("expected an object, found ") + TypeName(value));
  }
  return ObjectReader(&value, std::move(path), std::move(prefix));
}

Status ObjectReader::Error(std::string_view kind, std::string_view key,
                           const std::string& message) const {
  return FieldError(prefix_, kind, PathOf(key), message);
}

bool ObjectReader::Has(std::string_view key) const {
  return value_->find(std::string(key)) != value_->end();
}

const Json* ObjectReader::OptionalMember(std::string_view key) {
  auto it = value_->find(std::string(key));
  if (it == value_->end()) return nullptr;
  read_.insert(std::string(key));
  return &*it;
}

Result<const Json*> ObjectReader::Member(std::string_view key) {
  const Json* v = OptionalMember(key);
  if (v == nullptr) return Error("missing_field", key, "required member is missing");
  return v;
}

Result<std::string> ObjectReader::String(std::string_view key) {
  CL_ASSIGN_OR_RETURN(const Json* v, Member(key));
  if (!v->is_string()) {
    return Error("type", key, std::string("expected a string, found ") + TypeName(*v));
  }
  std::string s = v->get<std::string>();
  if (s.empty()) return Error("empty", key, "must not be empty");
  return s;
}

Result<Decimal> ObjectReader::DecimalString(std::string_view key) {
  CL_ASSIGN_OR_RETURN(const Json* v, Member(key));
  if (!v->is_string()) {
    return Error("type", key,
                 std::string("expected a decimal string such as \"12.5\", found ") + TypeName(*v));
  }
  auto d = Decimal::Parse(v->get<std::string>());
  if (!d.ok()) return Error("bad_decimal", key, d.status().message());
  return *d;
}

Result<Decimal> ObjectReader::NonNegativeDecimal(std::string_view key) {
  CL_ASSIGN_OR_RETURN(Decimal d, DecimalString(key));
  if (d.IsNegative()) return Error("negative", key, "must not be negative: " + d.ToString());
  return d;
}

Result<int64_t> ObjectReader::Integer(std::string_view key, int64_t min, int64_t max) {
  CL_ASSIGN_OR_RETURN(const Json* v, Member(key));
  if (!v->is_number_integer()) {
    return Error("type", key, std::string("expected an integer, found ") + TypeName(*v));
  }
  int64_t n = v->is_number_unsigned() && v->get<uint64_t>() > uint64_t(INT64_MAX)
                  ? INT64_MAX
                  : v->get<int64_t>();
  if (n < min || n > max) {
    return Error(
        "out_of_range", key,
        std::to_string(n) + " is outside " + std::to_string(min) + ".." + std::to_string(max));
  }
  return n;
}

Result<const Json*> ObjectReader::Array(std::string_view key) {
  CL_ASSIGN_OR_RETURN(const Json* v, Member(key));
  if (!v->is_array()) {
    return Error("type", key, std::string("expected an array, found ") + TypeName(*v));
  }
  return v;
}

Result<const Json*> ObjectReader::Object(std::string_view key) {
  CL_ASSIGN_OR_RETURN(const Json* v, Member(key));
  if (!v->is_object()) {
    return Error("type", key, std::string("expected an object, found ") + TypeName(*v));
  }
  return v;
}

Result<std::optional<std::string>> ObjectReader::OptionalString(std::string_view key) {
  if (!Has(key)) return std::optional<std::string>();
  CL_ASSIGN_OR_RETURN(std::string s, String(key));
  return std::optional<std::string>(std::move(s));
}

Result<std::optional<Decimal>> ObjectReader::OptionalNonNegativeDecimal(std::string_view key) {
  if (!Has(key)) return std::optional<Decimal>();
  CL_ASSIGN_OR_RETURN(Decimal d, NonNegativeDecimal(key));
  return std::optional<Decimal>(d);
}

Result<std::optional<int64_t>> ObjectReader::OptionalInteger(std::string_view key, int64_t min,
                                                             int64_t max) {
  const Json* v = OptionalMember(key);
  if (v == nullptr || v->is_null()) return std::optional<int64_t>();
  CL_ASSIGN_OR_RETURN(int64_t n, Integer(key, min, max));
  return std::optional<int64_t>(n);
}

Result<bool> ObjectReader::OptionalBool(std::string_view key, bool absent_value) {
  const Json* v = OptionalMember(key);
  if (v == nullptr) return absent_value;
  if (!v->is_boolean()) {
    return Error("type", key, std::string("expected true or false, found ") + TypeName(*v));
  }
  return v->get<bool>();
}

Result<const Json*> ObjectReader::OptionalArray(std::string_view key) {
  if (!Has(key)) return static_cast<const Json*>(nullptr);
  return Array(key);
}

Result<const Json*> ObjectReader::OptionalObject(std::string_view key) {
  const Json* v = OptionalMember(key);
  if (v == nullptr || v->is_null()) return static_cast<const Json*>(nullptr);
  return Object(key);
}

Status ObjectReader::Finish() const {
  for (auto it = value_->begin(); it != value_->end(); ++it) {
    if (read_.count(it.key()) == 0) {
      return Error("unknown_field", it.key(), "unknown member (see the format documentation)");
    }
  }
  return Status::OK();
}

}  // namespace carbonledger::accounting
