// JSON reading for the accounting documents (inventory, factor set, policy profile, assessor
// scores, statement): private to cl_accounting. The text is parsed by crypto's strict parser
// (ParseStrictJson); ObjectReader then reads the parsed value by member name and type.
//
// Invariant: a document is accepted only if every member was asked for by name, with the type
// asked for; anything else (an unknown member, a number where a decimal string belongs, a
// duplicate name) is refused with a Status whose message names the JSON path, e.g.
// "$.fuel_use[2].unit". Numbers that are quantities are always decimal strings, never JSON
// numbers: a float is parsed only to be refused, and no accepted document holds one.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "accounting/decimal.h"
#include "accounting/internal/status_macros.h"
#include "crypto/canonical_json.h"
#include "crypto/status.h"

namespace carbonledger::accounting {

using Json = nlohmann::json;

// The strict parser's limits for accounting documents: inventories, factor sets and the
// rest are files of up to 8 MiB, nested at most 32 deep (the deepest shape any of them has is 6;
// 32 is also what a transaction may nest, so a document the ledger carries always fits).
// Floats are admitted so that the typed reader below refuses them naming the member
// ("inventory.type" at "$.fuel_use[0].quantity"); docs/canonical-json.md §Accounting documents.
inline constexpr JsonLimits kDocumentLimits{
    .max_bytes = 8 << 20, .max_depth = 32, .admit_floats = true};

// Parses one accounting document with ParseStrictJson under kDocumentLimits: its refusals
// ("json.syntax", "json.duplicate_key", "json.utf8", "json.integer_range", "json.depth",
// "json.too_large") with `what` ("inventory", "factor set") before the message.
Result<Json> ParseJsonDocument(std::string_view text, std::string_view what);

// "$.a" + "b" -> "$.a.b"; "$.a" + 3 -> "$.a[3]".
std::string JoinPath(const std::string& path, std::string_view key);
std::string JoinPath(const std::string& path, size_t index);

// One JSON object at a path, handing out its members by name.
class ObjectReader {
 public:
  // Refuses a value that is not an object ("<prefix>.type"). `prefix` starts every error
  // slug: "inventory" gives "inventory.missing_field", "inventory.unknown_field" ...
  static Result<ObjectReader> Open(const Json& value, std::string path, std::string prefix);

  const std::string& path() const { return path_; }
  std::string PathOf(std::string_view key) const { return JoinPath(path_, key); }
  bool Has(std::string_view key) const;

  // Required members; a missing one is "<prefix>.missing_field", a wrong type
  // "<prefix>.type", a bad decimal "<prefix>.bad_decimal", a negative one "<prefix>.negative".
  Result<std::string> String(std::string_view key);
  Result<Decimal> DecimalString(std::string_view key);       // "12.5", any sign
  Result<Decimal> NonNegativeDecimal(std::string_view key);  // refuses "-1"
  Result<int64_t> Integer(std::string_view key, int64_t min, int64_t max);
  Result<const Json*> Array(std::string_view key);
  Result<const Json*> Object(std::string_view key);

  // Optional members: absent (or JSON null where noted) is std::nullopt / nullptr.
  Result<std::optional<std::string>> OptionalString(std::string_view key);
  Result<std::optional<Decimal>> OptionalNonNegativeDecimal(std::string_view key);
  Result<std::optional<int64_t>> OptionalInteger(std::string_view key, int64_t min,
                                                 int64_t max);  // null allowed
  Result<bool> OptionalBool(std::string_view key, bool absent_value);
  Result<const Json*> OptionalArray(std::string_view key);
  Result<const Json*> OptionalObject(std::string_view key);  // null allowed

  // Refuses any member nobody asked for ("<prefix>.unknown_field").
  Status Finish() const;

 private:
  ObjectReader(const Json* value, std::string path, std::string prefix)
      : value_(value), path_(std::move(path)), prefix_(std::move(prefix)) {}
  Status Error(std::string_view kind, std::string_view key, const std::string& message) const;
  Result<const Json*> Member(std::string_view key);  // required
  const Json* OptionalMember(std::string_view key);

  const Json* value_;
  std::string path_;
  std::string prefix_;
  std::set<std::string, std::less<>> read_;
};

// InvalidArgument("<prefix>.<kind>", "<path>: <message>"), e.g. "inventory.unknown_unit".
Status FieldError(std::string_view prefix, std::string_view kind, const std::string& path,
                  const std::string& message);

// Refuses a value that is not an array ("<prefix>.type").
Status ExpectArray(const Json& value, const std::string& path, std::string_view prefix);

}  // namespace carbonledger::accounting
