// Strict JSON and its RFC 8785 (JCS) canonical form: the bytes a transaction signature covers.
//
// A transaction is a JSON object holding only strings, integers in the I-JSON safe range,
// booleans, null, arrays and objects. ParseStrictJson admits exactly that (and refuses anything
// a second parser could read differently: duplicate names, bad UTF-8, floats, huge integers);
// CanonicalJson writes the one byte string RFC 8785 assigns to such a value. The invariant the
// pair keeps: for every value v they accept, CanonicalJson(ParseStrictJson(CanonicalJson(v))) is
// CanonicalJson(v), byte for byte. The exact rules are in docs/canonical-json.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "crypto/status.h"

namespace carbonledger {

// The largest integer magnitude admitted: 2^53-1, the I-JSON (RFC 7493 §2.2) safe range, so
// every JavaScript or double-based reader sees the same number.
inline constexpr int64_t kMaxSafeInteger = (int64_t{1} << 53) - 1;

// Nesting is never allowed deeper than this, whatever JsonLimits says, so that the recursive
// parser and serializer have a bounded stack.
inline constexpr int kMaxJsonDepth = 512;

struct JsonLimits {
  size_t max_bytes = 64 * 1024;  // the whole text, in bytes
  int max_depth = 32;            // arrays and objects open at once; capped at kMaxJsonDepth
  // Floats are refused ("json.float") unless admitted here. An admitted float (RFC 8259 §6 in
  // full) comes back as number_float, the nearest double, for a typed reader that refuses it by
  // the member's meaning, naming the member ("inventory.type" at "$.fuel_use[0].quantity").
  // Nothing with a float is ever hashed: CanonicalJson refuses floats whatever this says.
  bool admit_floats = false;
};

// Strict parse of one JSON text (RFC 8259) restricted to I-JSON (RFC 7493) without floats.
// Refusals, each with the byte offset and, when inside a container, the JSON pointer
// (RFC 6901) of the member in the message:
//   "json.too_large"     (Code::kTooLarge)  text longer than limits.max_bytes
//   "json.syntax"        not JSON, unescaped control character, or trailing garbage
//   "json.utf8"          invalid UTF-8 (overlong, surrogate, > U+10FFFF, truncated) or a
//                        \u escape that leaves a lone surrogate
//   "json.duplicate_key" a name repeated in one object (compared after unescaping)
//   "json.float"         a number with a fraction or exponent ('.', 'e' or 'E'), unless
//                        limits.admit_floats (then one no double holds is "json.syntax")
//   "json.integer_range" an integer outside [-(2^53-1), 2^53-1]
//   "json.depth"         more than limits.max_depth nested arrays/objects
// All but the first use Code::kInvalidArgument. Integers are returned as number_integer.
Result<nlohmann::json> ParseStrictJson(std::string_view text, const JsonLimits& limits = {});

// RFC 8785 canonical serialization: no whitespace; object members sorted by the UTF-16 code
// units of their names; strings escaped as ECMAScript JSON.stringify does (\b \t \n \f \r \"
// and \\ as two-character escapes, other controls below U+0020 as \u00xx in lowercase hex,
// everything else literal UTF-8); integers in plain decimal. Refuses what has no canonical form
// here: floats ("json.float"), integers outside the safe range ("json.integer_range"), strings or
// names that are not valid UTF-8 ("json.utf8"), binary or discarded values ("json.type") and
// nesting deeper than kMaxJsonDepth ("json.depth"), all Code::kInvalidArgument.
Result<std::string> CanonicalJson(const nlohmann::json& value);

// Whether bytes are well-formed UTF-8 (Unicode §3.9): no truncated or overlong sequences, no
// surrogates, nothing above U+10FFFF. The rule ParseStrictJson applies to strings, shared with
// the other text formats (checkpoint notes).
bool IsValidUtf8(std::string_view bytes);

}  // namespace carbonledger
