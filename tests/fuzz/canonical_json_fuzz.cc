// Fuzz target: strict JSON and its RFC 8785 canonical form (ledger/canonical_json.h,
// docs/canonical-json.md).
//
// Invariants checked on every input:
//  1. Whatever ParseStrictJson accepts, CanonicalJson accepts; the canonical text is never
//     longer than the input (it only drops whitespace, escapes and "-" of -0), so it parses
//     again under the same limits, to the same value, and canonicalizes to the same bytes.
//  2. ParseStrictJson is a subset of RFC 8259 JSON: what it accepts, nlohmann's own parser
//     accepts too, with an equal value. What nlohmann accepts and the strict parser calls a
//     syntax or UTF-8 error must start with a byte order mark (which nlohmann skips); inputs
//     with a NUL byte are not compared that way (nlohmann takes NUL for the end of input).
//  3. For any value nlohmann reads (floats, big integers included), CanonicalJson either refuses
//     it or writes text that ParseStrictJson reads back as an equal value with the same form.
//  4. A raw byte string as a JSON string value and as a member name: CanonicalJson accepts it
//     exactly when it is valid UTF-8 (IsValidUtf8), and then parses back to the same bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "crypto/canonical_json.h"
#include "tests/fuzz/fuzz_util.h"

using carbonledger::CanonicalJson;
using carbonledger::IsValidUtf8;
using carbonledger::JsonLimits;
using carbonledger::ParseStrictJson;
using nlohmann::json;

namespace {

JsonLimits Wide() {
  JsonLimits limits;
  limits.max_bytes = size_t(1) << 24;
  limits.max_depth = carbonledger::kMaxJsonDepth;
  return limits;
}

void CheckStrict(std::string_view text) {
  auto parsed = ParseStrictJson(text);
  if (!parsed.ok()) {
    FUZZ_CHECK(!parsed.status().reason().empty());
    FUZZ_CHECK(parsed.status().reason().starts_with("json."));
    // Invariant 2, the other way round.
    if (parsed.status().reason() == "json.syntax" || parsed.status().reason() == "json.utf8") {
      // nlohmann stops at a NUL byte as if the input ended there; not comparable.
      json lenient = text.find('\0') == std::string_view::npos
                         ? json::parse(text, nullptr, /*allow_exceptions=*/false)
                         : json(json::value_t::discarded);
      if (!lenient.is_discarded()) FUZZ_CHECK(text.starts_with("\xEF\xBB\xBF"));
    }
    return;
  }
  // Invariant 1.
  auto canonical = CanonicalJson(*parsed);
  FUZZ_CHECK(canonical.ok());
  FUZZ_CHECK(canonical->size() <= text.size());
  auto again = ParseStrictJson(*canonical);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == *parsed);
  auto canonical2 = CanonicalJson(*again);
  FUZZ_CHECK(canonical2.ok());
  FUZZ_CHECK(*canonical2 == *canonical);
  // Invariant 2.
  json lenient = json::parse(text, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!lenient.is_discarded());
  FUZZ_CHECK(lenient == *parsed);
  // Wider limits accept whatever the default limits accept, with the same value.
  auto wide = ParseStrictJson(text, Wide());
  FUZZ_CHECK(wide.ok());
  FUZZ_CHECK(*wide == *parsed);
}

void CheckCanonicalOfAnyValue(std::string_view text) {
  // Invariant 3: nlohmann reads floats, big integers and duplicate names (the last one wins).
  if (text.find('\0') != std::string_view::npos) return;
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return;
  auto canonical = CanonicalJson(value);
  if (!canonical.ok()) {
    FUZZ_CHECK(canonical.status().reason().starts_with("json."));
    return;
  }
  auto back = ParseStrictJson(*canonical, Wide());
  FUZZ_CHECK(back.ok());
  FUZZ_CHECK(*back == value);
  auto canonical2 = CanonicalJson(*back);
  FUZZ_CHECK(canonical2.ok() && *canonical2 == *canonical);
}

void CheckRawString(std::string_view bytes) {
  // Invariant 4.
  const bool utf8 = IsValidUtf8(bytes);
  const std::string s(bytes);
  auto as_value = CanonicalJson(json(s));
  FUZZ_CHECK(as_value.ok() == utf8);
  auto as_name = CanonicalJson(json::object({{s, 1}}));
  FUZZ_CHECK(as_name.ok() == utf8);
  if (!utf8) {
    FUZZ_CHECK(as_value.status().reason() == "json.utf8");
    FUZZ_CHECK(as_name.status().reason() == "json.utf8");
    return;
  }
  auto back = ParseStrictJson(*as_value, Wide());
  FUZZ_CHECK(back.ok() && back->is_string() && back->get<std::string>() == s);
  auto back_name = ParseStrictJson(*as_name, Wide());
  FUZZ_CHECK(back_name.ok() && back_name->size() == 1 && back_name->contains(s));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = carbonledger::fuzz::AsText(data, size);
  CheckStrict(text);
  CheckCanonicalOfAnyValue(text);
  CheckRawString(text);
  return 0;
}
