#include "crypto/canonical_json.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

using namespace carbonledger;
using nlohmann::json;

namespace {

// Parses strictly and canonicalizes; the test fails on any refusal.
std::string Canon(std::string_view text) {
  auto v = ParseStrictJson(text);
  INFO(text);
  REQUIRE(v.ok());
  auto c = CanonicalJson(*v);
  REQUIRE(c.ok());
  return *c;
}

// The refusal reason of ParseStrictJson, or "" when it accepts.
std::string ParseReason(std::string_view text, const JsonLimits& limits = {}) {
  auto v = ParseStrictJson(text, limits);
  return v.ok() ? "" : v.status().reason();
}

std::string CanonReason(const json& value) {
  auto c = CanonicalJson(value);
  return c.ok() ? "" : c.status().reason();
}

std::string Nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// ---- an independent model of the canonical form, for the property tests ----

std::vector<uint32_t> CodePoints(const std::string& s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (int k = 1; k < n; ++k) cp = cp << 6 | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

std::string Utf8(uint32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += {static_cast<char>(0xC0 | cp >> 6), static_cast<char>(0x80 | (cp & 0x3F))};
  } else if (cp < 0x10000) {
    out += {static_cast<char>(0xE0 | cp >> 12), static_cast<char>(0x80 | (cp >> 6 & 0x3F)),
            static_cast<char>(0x80 | (cp & 0x3F))};
  } else {
    out += {static_cast<char>(0xF0 | cp >> 18), static_cast<char>(0x80 | (cp >> 12 & 0x3F)),
            static_cast<char>(0x80 | (cp >> 6 & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
  }
  return out;
}

// UTF-16 code unit order without building UTF-16: it is code point order, except that the
// supplementary planes (surrogate pairs, D800-DBFF first unit) sort below U+E000..U+FFFF.
bool Utf16Less(const std::string& a, const std::string& b) {
  auto key = [](uint32_t cp) { return cp >= 0xE000 && cp <= 0xFFFF ? cp + 0x200000 : cp; };
  auto ca = CodePoints(a), cb = CodePoints(b);
  return std::lexicographical_compare(ca.begin(), ca.end(), cb.begin(), cb.end(),
                                      [&](uint32_t x, uint32_t y) { return key(x) < key(y); });
}

std::string ModelString(const std::string& s) {
  static const char* const kShort[0x20] = {
      nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
      "\\b",   "\\t",   "\\n",   nullptr, "\\f",   "\\r",   nullptr, nullptr,
      nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
      nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};
  std::string out = "\"";
  for (uint32_t cp : CodePoints(s)) {
    if (cp < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", cp);
      out += kShort[cp] ? kShort[cp] : buf;
    } else if (cp == '"' || cp == '\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else {
      out += Utf8(cp);
    }
  }
  return out + "\"";
}

std::string Model(const json& v) {
  switch (v.type()) {
    case json::value_t::string:
      return ModelString(v.get<std::string>());
    case json::value_t::array: {
      std::string out = "[";
      for (size_t i = 0; i < v.size(); ++i) {
        if (i > 0) out += ',';
        out += Model(v[i]);
      }
      return out + "]";
    }
    case json::value_t::object: {
      std::vector<std::string> keys;
      for (auto it = v.begin(); it != v.end(); ++it) keys.push_back(it.key());
      std::sort(keys.begin(), keys.end(), Utf16Less);
      std::string out = "{";
      for (size_t i = 0; i < keys.size(); ++i) {
        if (i > 0) out += ',';
        out += ModelString(keys[i]);
        out += ':';
        out += Model(v.at(keys[i]));
      }
      return out + "}";
    }
    default:
      return v.dump();  // null, booleans and integers print the same everywhere
  }
}

// ---- random values of the allowed types, and noisy (non-canonical) texts for them ----

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Coin() { return Uniform(0, 1) == 1; }

  uint32_t CodePoint() {
    switch (Uniform(0, 9)) {
      case 0:
        return uint32_t(Uniform(0, 0x1F));  // controls
      case 1:
        return "\"\\/\x7f"[Uniform(0, 3)];  // specials
      case 2:
        return uint32_t(Uniform(0x80, 0x7FF));
      case 3:
        return uint32_t(Uniform(0x800, 0xD7FF));
      case 4:
        return uint32_t(Uniform(0xE000, 0xFFFF));  // above surrogates
      case 5:
        return uint32_t(Uniform(0x10000, 0x10FFFF));  // surrogate pairs
      case 6:
        return Coin() ? 0x2028 : 0x2029;
      default:
        return uint32_t(Uniform(0x20, 0x7E));
    }
  }

  std::string String(int max_len) {
    std::string s;
    for (int n = Uniform(0, max_len); n > 0; --n) s += Utf8(CodePoint());
    return s;
  }

  json Value(int depth) {
    switch (Uniform(0, depth >= 4 ? 3 : 5)) {
      case 0:
        return nullptr;
      case 1:
        return Coin();
      case 2: {
        static const int64_t kEdges[] = {0, 1, -1, kMaxSafeInteger, -kMaxSafeInteger};
        if (Coin()) return kEdges[Uniform(0, 4)];
        return std::uniform_int_distribution<int64_t>(-kMaxSafeInteger, kMaxSafeInteger)(rng_);
      }
      case 3:
        return String(8);
      case 4: {
        json a = json::array();
        for (int n = Uniform(0, 4); n > 0; --n) a.push_back(Value(depth + 1));
        return a;
      }
      default: {
        json o = json::object();
        for (int n = Uniform(0, 6); n > 0; --n) o[String(3)] = Value(depth + 1);
        return o;
      }
    }
  }

  // A valid JSON text for v that is as far from canonical as the grammar allows: members in
  // random order, random whitespace, random escapes (short, \u in either case, surrogate pairs).
  std::string Noisy(const json& v) {
    switch (v.type()) {
      case json::value_t::string:
        return NoisyString(v.get<std::string>());
      case json::value_t::array: {
        std::string out = "[";
        for (size_t i = 0; i < v.size(); ++i) {
          if (i > 0) out += ',';
          out += Space();
          out += Noisy(v[i]);
          out += Space();
        }
        return out + "]";
      }
      case json::value_t::object: {
        std::vector<std::string> keys;
        for (auto it = v.begin(); it != v.end(); ++it) keys.push_back(it.key());
        std::shuffle(keys.begin(), keys.end(), rng_);
        std::string out = "{";
        for (size_t i = 0; i < keys.size(); ++i) {
          if (i > 0) out += ',';
          out += Space();
          out += NoisyString(keys[i]);
          out += Space();
          out += ':';
          out += Space();
          out += Noisy(v.at(keys[i]));
          out += Space();
        }
        return out + "}";
      }
      default:
        if (v.is_number() && v.get<int64_t>() == 0 && Coin()) return "-0";
        return v.dump();
    }
  }

 private:
  std::string Space() {
    std::string s;
    for (int n = Uniform(-2, 2); n > 0; --n) s += " \t\n\r"[Uniform(0, 3)];
    return s;
  }

  std::string Escape(uint32_t unit) {
    char buf[8];
    std::snprintf(buf, sizeof buf, Coin() ? "\\u%04x" : "\\u%04X", unit);
    return buf;
  }

  std::string NoisyString(const std::string& s) {
    std::string out = "\"";
    for (uint32_t cp : CodePoints(s)) {
      const bool must_escape = cp < 0x20 || cp == '"' || cp == '\\';
      if (!must_escape && Uniform(0, 2) > 0) {
        out += Utf8(cp);
      } else if (cp == '/' && Coin()) {
        out += "\\/";
      } else if (cp == '"' || cp == '\\') {
        out += Coin() ? std::string("\\") + static_cast<char>(cp) : Escape(cp);
      } else if (cp >= 0x10000) {
        out += Escape(0xD800 + ((cp - 0x10000) >> 10)) + Escape(0xDC00 + ((cp - 0x10000) & 0x3FF));
      } else {
        out += Escape(cp);
      }
    }
    return out + "\"";
  }

  std::mt19937 rng_;
};

}  // namespace

TEST_CASE("RFC 8785 §3.2.3 sorts members by UTF-16 code units", "[ledger][json]") {
  // The RFC's example, verbatim: the values there are strings.
  const std::string in = R"({
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis"
  })";
  CHECK(Canon(in) ==
        "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xC2\x80\":\"Control\","
        "\"\xC3\xB6\":\"Latin Small Letter O With Diaeresis\",\"\xE2\x82\xAC\":\"Euro Sign\","
        "\"\xF0\x9F\x98\x80\":\"Emoji: Grinning Face\","
        "\"\xEF\xAC\xB3\":\"Hebrew Letter Dalet With Dagesh\"}");
  // The same names with integer values: the order depends on the names only.
  const std::string ints = R"({"\u20ac":1,"\r":2,"\ufb33":3,"1":4,"\ud83d\ude00":5,"\u0080":6,
                               "\u00f6":7})";
  CHECK(Canon(ints) ==
        "{\"\\r\":2,\"1\":4,\"\xC2\x80\":6,\"\xC3\xB6\":7,\"\xE2\x82\xAC\":1,"
        "\"\xF0\x9F\x98\x80\":5,\"\xEF\xAC\xB3\":3}");
}

TEST_CASE("UTF-16 order differs from nlohmann's UTF-8 byte order above U+FFFF", "[ledger][json]") {
  auto v = ParseStrictJson(R"({"\ue000":1,"\ud800\udc00":2})");
  REQUIRE(v.ok());
  // nlohmann (std::map, byte order) puts U+E000 first; RFC 8785 puts U+10000 (D800 DC00) first.
  CHECK(v->dump() == "{\"\xEE\x80\x80\":1,\"\xF0\x90\x80\x80\":2}");
  CHECK(*CanonicalJson(*v) == "{\"\xF0\x90\x80\x80\":2,\"\xEE\x80\x80\":1}");
  // A name sorts before every longer name it is a prefix of.
  CHECK(Canon(R"({"ab":1,"a":2,"":3})") == R"({"":3,"a":2,"ab":1})");
}

TEST_CASE("RFC 8785 §3.2.2 example, without its floats", "[ledger][json]") {
  const std::string in = R"({
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  })";
  CHECK(Canon(in) ==
        "{\"literals\":[null,true,false],\"string\":\"\xE2\x82\xAC$\\u000f\\nA'B\\\"\\\\\\\\\\\"/"
        "\"}");
  // The example's "numbers" member is all floats, which transactions never hold.
  CHECK(ParseReason(R"({"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 1e-27]})") ==
        "json.float");
}

TEST_CASE("nested structures sort at every level and keep array order", "[ledger][json]") {
  // cyberphone/json-canonicalization testdata/structures.json, with 56.0 written as 56.
  const std::string in = R"({
    "1": {"f": {"f": "hi","F": 5} ,"\n": 56},
    "10": { },
    "": "empty",
    "a": { },
    "111": [ { } ],
    "A": { }
  })";
  CHECK(Canon(in) ==
        R"({"":"empty","1":{"\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{}],"A":{},"a":{}})");
  CHECK(Canon("[3,1,2]") == "[3,1,2]");
  CHECK(Canon(" \t\r\n\"top\" ") == "\"top\"");
}

TEST_CASE("strings are escaped exactly as JSON.stringify does", "[ledger][json]") {
  std::string controls;
  for (int c = 0; c < 0x20; ++c) controls += static_cast<char>(c);
  CHECK(*CanonicalJson(controls) ==
        "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r"
        "\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019"
        "\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\"");
  CHECK(*CanonicalJson("\"\\") == R"("\"\\")");
  // Solidus, DEL, U+2028/U+2029, non-ASCII and astral characters stay literal.
  CHECK(Canon(R"("\/\u007f\u2028\u2029\u00e9\uD83D\uDE00<>&'")") ==
        "\"/\x7F\xE2\x80\xA8\xE2\x80\xA9\xC3\xA9\xF0\x9F\x98\x80<>&'\"");
  // No Unicode normalization: U+1E0D U+0307 stays as it is.
  CHECK(Canon(R"("\u1e0d\u0307")") == "\"\xE1\xB8\x8D\xCC\x87\"");
  // \u0000 is a character like any other.
  CHECK(Canon(R"({"\u0000":"a\u0000b"})") == R"({"\u0000":"a\u0000b"})");
}

TEST_CASE("integers are plain decimal within the I-JSON safe range", "[ledger][json]") {
  CHECK(Canon("0") == "0");
  CHECK(Canon("-0") == "0");
  CHECK(Canon("[9007199254740991,-9007199254740991,42,-7]") ==
        "[9007199254740991,-9007199254740991,42,-7]");
  auto v = ParseStrictJson("123");
  REQUIRE(v.ok());
  CHECK(v->is_number_integer());
  CHECK(*CanonicalJson(json(uint64_t{9007199254740991})) == "9007199254740991");
  CHECK(*CanonicalJson(json(true)) == "true");
  CHECK(*CanonicalJson(json(nullptr)) == "null");
  CHECK(*CanonicalJson(json::object()) == "{}");
  CHECK(*CanonicalJson(json::array()) == "[]");
}

TEST_CASE("strict parse refuses syntax errors", "[ledger][json]") {
  for (const char* bad : {"",
                          " ",
                          "{",
                          "[",
                          "]",
                          "[1,]",
                          "[,1]",
                          "{\"a\":1,}",
                          "{\"a\" 1}",
                          "{a:1}",
                          "{'a':1}",
                          "tru",
                          "nul",
                          "True",
                          "NaN",
                          "Infinity",
                          "+1",
                          "-",
                          "--1",
                          "01",
                          "-01",
                          "00",
                          "1 2",
                          "{}x",
                          "{} {}",
                          "\"abc",
                          "\"a\nb\"",
                          "\"a\tb\"",
                          "\"\\x\"",
                          "\"\\u12\"",
                          "\"\\u12g4\"",
                          "\"\\U0041\"",
                          "\xEF\xBB\xBF{}",
                          "[1]]",
                          "/*c*/1",
                          "0x10",
                          "\"\\\"",
                          "{\"a\":}"}) {
    INFO("input: " << bad);
    CHECK(ParseReason(bad) == "json.syntax");
  }
  auto v = ParseStrictJson("{\"a\": [1, 2 3]}");
  REQUIRE_FALSE(v.ok());
  CHECK(v.status().code() == Code::kInvalidArgument);
  CHECK(v.status().message() == "byte 12 (/a): expected ',' or ']' in array");
}

TEST_CASE("strict parse refuses duplicate member names, after unescaping", "[ledger][json]") {
  CHECK(ParseReason(R"({"a":1,"a":2})") == "json.duplicate_key");
  CHECK(ParseReason(R"({"a":1,"\u0061":1})") == "json.duplicate_key");
  CHECK(ParseReason(R"({"\u00e9":1,"\u00E9":1})") == "json.duplicate_key");
  CHECK(ParseReason(R"({"a":{"a":1},"b":{"a":1}})") == "");  // same name, different objects
  auto v = ParseStrictJson(R"({"x":[{"b":1},{"c/~":1,"c/~":2}]})");
  REQUIRE_FALSE(v.ok());
  CHECK(v.status().reason() == "json.duplicate_key");
  CHECK(v.status().code() == Code::kInvalidArgument);
  CHECK(v.status().message() == "byte 23 (/x/1/c~1~0): duplicate member name");
}

TEST_CASE("strict parse refuses floating point numbers", "[ledger][json]") {
  for (const char* bad : {"1.0", "0.5", "-0.0", "1e3", "1E3", "1e+3", "1e-3", "-2E-2", "1.",
                          "[0,1.5]", "{\"amount\":100.00}"}) {
    INFO("input: " << bad);
    CHECK(ParseReason(bad) == "json.float");
  }
  auto v = ParseStrictJson(R"({"q": {"t": 1.25}})");
  REQUIRE_FALSE(v.ok());
  CHECK(v.status().message() == "byte 12 (/q/t): floating point numbers are not allowed");
}

TEST_CASE("admitted floats come back as doubles for a typed reader to refuse", "[ledger][json]") {
  JsonLimits floats;
  floats.admit_floats = true;
  for (const auto& [text, value] :
       std::vector<std::pair<const char*, double>>{{"1.0", 1.0},
                                                   {"-0.5", -0.5},
                                                   {"1e3", 1e3},
                                                   {"1E+3", 1e3},
                                                   {"-2E-2", -2e-2},
                                                   {"12.5", 12.5},
                                                   {"0.000001", 1e-6}}) {
    INFO("input: " << text);
    auto v = ParseStrictJson(text, floats);
    REQUIRE(v.ok());
    CHECK(v->is_number_float());
    CHECK(v->get<double>() == value);
    CHECK(CanonReason(*v) == "json.float");  // admitted is not canonical
  }
  for (const char* bad : {"1.", "1.e3", "1e", "1e+", "-.5", ".5", "01.5", "1.5.5", "1e400"}) {
    INFO("input: " << bad);
    CHECK(ParseReason(bad, floats) == "json.syntax");
  }
  CHECK(ParseReason("12", floats) == "");
  CHECK(ParseReason("9007199254740992", floats) == "json.integer_range");  // integers as before
  auto v = ParseStrictJson(R"({"q": {"t": 1.25}})", floats);
  REQUIRE(v.ok());
  CHECK((*v)["q"]["t"].get<double>() == 1.25);
}

TEST_CASE("strict parse refuses integers outside ±(2^53-1)", "[ledger][json]") {
  for (const char* bad : {"9007199254740992", "-9007199254740992", "18446744073709551616",
                          "99999999999999999999999999", "[1,-12345678901234567]"}) {
    INFO("input: " << bad);
    CHECK(ParseReason(bad) == "json.integer_range");
  }
  CHECK(ParseReason("9007199254740991") == "");
  CHECK(ParseReason("-9007199254740991") == "");
}

TEST_CASE("strict parse refuses invalid UTF-8 and lone surrogates", "[ledger][json]") {
  for (const char* bad : {
           "\"\xC0\x80\"",          // overlong NUL
           "\"\xC1\xBF\"",          // overlong
           "\"\xE0\x80\xAF\"",      // overlong '/'
           "\"\xF0\x80\x80\x80\"",  // overlong
           "\"\xED\xA0\x80\"",      // U+D800 encoded directly
           "\"\xED\xBF\xBF\"",      // U+DFFF encoded directly
           "\"\xF4\x90\x80\x80\"",  // U+110000
           "\"\xF5\x80\x80\x80\"",  // lead byte beyond U+10FFFF
           "\"\xE2\x82\"",          // truncated
           "\"\x80\"",              // lone continuation byte
           "\"\xFF\"",              // never valid
           "{\"\xE2\x82\":1}",      // in a name
           R"("\ud800")",           // lone high surrogate
           R"("\udc00")",           // lone low surrogate
           R"("\ud800\u0041")",     // high surrogate and a non-surrogate
           R"("\ud800\ud800")",     // two high surrogates
           R"("\udc00\ud800")",     // reversed pair
           R"("\ud800x")",          // high surrogate then a plain character
       }) {
    INFO("input: " << bad);
    CHECK(ParseReason(bad) == "json.utf8");
  }
  CHECK(ParseReason("\xE2\x82\xAC") == "json.syntax");  // valid UTF-8 but not a JSON value
  CHECK(ParseReason("\"\xF4\x8F\xBF\xBF\"") == "");     // U+10FFFF is fine
  CHECK(ParseReason(R"("\udbff\udfff")") == "");        // and so is its escaped pair
}

TEST_CASE("strict parse enforces the depth and size limits", "[ledger][json]") {
  CHECK(ParseReason(Nested(32)) == "");
  CHECK(ParseReason(Nested(33)) == "json.depth");
  CHECK(ParseReason("{\"a\":" + Nested(32) + "}") == "json.depth");
  JsonLimits shallow;
  shallow.max_depth = 1;
  CHECK(ParseReason("[1,2]", shallow) == "");
  CHECK(ParseReason("[[1]]", shallow) == "json.depth");
  CHECK(ParseReason("{\"a\":{}}", shallow) == "json.depth");
  shallow.max_depth = 0;
  CHECK(ParseReason("7", shallow) == "");
  CHECK(ParseReason("[]", shallow) == "json.depth");
  JsonLimits deep;
  deep.max_depth = 1 << 30;  // capped at kMaxJsonDepth, so the stack stays bounded
  deep.max_bytes = 1 << 20;
  CHECK(ParseReason(Nested(kMaxJsonDepth), deep) == "");
  CHECK(ParseReason(Nested(kMaxJsonDepth + 1), deep) == "json.depth");
  CHECK(ParseReason(std::string(100000, '['), deep) == "json.depth");

  std::string big(64 * 1024, 'x');
  big.front() = big.back() = '"';
  CHECK(ParseReason(big) == "");
  auto v = ParseStrictJson(big + " ");
  REQUIRE_FALSE(v.ok());
  CHECK(v.status().reason() == "json.too_large");
  CHECK(v.status().code() == Code::kTooLarge);
  JsonLimits tiny;
  tiny.max_bytes = 4;
  CHECK(ParseReason("1234", tiny) == "");
  CHECK(ParseReason("12345", tiny) == "json.too_large");
}

TEST_CASE("CanonicalJson refuses values with no canonical form", "[ledger][json]") {
  CHECK(CanonReason(json(1.5)) == "json.float");
  CHECK(CanonReason(json(1.0)) == "json.float");  // a float even when integral
  CHECK(CanonReason(json{{"a", {1, 2.5}}}) == "json.float");
  auto c = CanonicalJson(json{{"a", {1, 2.5}}});
  CHECK(c.status().message() == "/a/1: floating point number 2.5 is not allowed");
  CHECK(CanonReason(json(int64_t{1} << 53)) == "json.integer_range");
  CHECK(CanonReason(json(-(int64_t{1} << 53))) == "json.integer_range");
  CHECK(CanonReason(json(uint64_t{1} << 53)) == "json.integer_range");
  CHECK(CanonReason(json(std::string("\xC3"))) == "json.utf8");
  CHECK(CanonReason(json{{std::string("\xED\xA0\x80"), 1}}) == "json.utf8");
  CHECK(CanonReason(json::binary({1, 2})) == "json.type");
  json deep = json::array();
  for (int i = 1; i < kMaxJsonDepth; ++i) deep = json::array({deep});
  CHECK(CanonReason(deep) == "");
  deep = json::array({deep});
  CHECK(CanonReason(deep) == "json.depth");
  CHECK(CanonicalJson(json(42)).status().code() == Code::kOk);
  CHECK(c.status().code() == Code::kInvalidArgument);
}

TEST_CASE("canonical form is a fixed point of strict parse and independent of text form",
          "[ledger][json]") {
  Generator gen(20250908);
  for (int i = 0; i < 400; ++i) {
    const json value = gen.Value(0);
    auto canonical = CanonicalJson(value);
    REQUIRE(canonical.ok());
    INFO("canonical: " << *canonical);
    // Matches the independent model (UTF-16 order by code point remapping, table escapes).
    CHECK(*canonical == Model(value));
    // canonical -> strict parse -> canonical gives the same bytes and the same value.
    auto reparsed = ParseStrictJson(*canonical);
    REQUIRE(reparsed.ok());
    CHECK(*reparsed == value);
    CHECK(*CanonicalJson(*reparsed) == *canonical);
    // Any other text for the same value canonicalizes to the same bytes.
    for (int k = 0; k < 3; ++k) {
      const std::string noisy = gen.Noisy(value);
      INFO("noisy: " << noisy);
      auto parsed = ParseStrictJson(noisy);
      REQUIRE(parsed.ok());
      CHECK(*CanonicalJson(*parsed) == *canonical);
    }
  }
}

TEST_CASE("every member order gives the same canonical bytes", "[ledger][json]") {
  std::vector<std::string> members = {R"("\uffff":1)", R"("\ud83d\ude00":2)",
                                      R"("z":3)",      R"("":4)",
                                      R"("Z":5)",      R"("zz":[1,{"b":1,"a":2}])"};
  std::sort(members.begin(), members.end());
  const std::string want =
      "{\"\":4,\"Z\":5,\"z\":3,\"zz\":[1,{\"a\":2,\"b\":1}],"
      "\"\xF0\x9F\x98\x80\":2,\"\xEF\xBF\xBF\":1}";
  int permutations = 0;
  do {
    std::string text = "{";
    for (size_t i = 0; i < members.size(); ++i) text += (i ? "," : "") + members[i];
    REQUIRE(Canon(text + "}") == want);
    ++permutations;
  } while (std::next_permutation(members.begin(), members.end()));
  CHECK(permutations == 720);
}
