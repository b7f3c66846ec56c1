// Strict JSON parsing and RFC 8785 canonical serialization. The parser is our own recursive
// descent rather than nlohmann's, because nlohmann keeps the last of duplicate names silently,
// accepts floats and large integers, and does not say where in the document a rule broke.
#include "crypto/canonical_json.h"

#include <algorithm>
#include <charconv>
#include <system_error>
#include <utility>
#include <vector>

namespace carbonledger {
namespace {

using nlohmann::json;

// Decodes the UTF-8 scalar value starting at s[i]. Returns its length in bytes, or 0 when the
// bytes there are not well-formed UTF-8 (Unicode §3.9, Table 3-7): truncated, overlong, a
// surrogate (U+D800..U+DFFF) or above U+10FFFF.
size_t DecodeUtf8(std::string_view s, size_t i, uint32_t* cp) {
  const auto c0 = static_cast<unsigned char>(s[i]);
  if (c0 < 0x80) {
    *cp = c0;
    return 1;
  }
  size_t n;
  uint32_t v, min;
  if (c0 >= 0xC2 && c0 <= 0xDF) {
    n = 2, v = c0 & 0x1F, min = 0x80;
  } else if ((c0 & 0xF0) == 0xE0) {
    n = 3, v = c0 & 0x0F, min = 0x800;
  } else if (c0 >= 0xF0 && c0 <= 0xF4) {
    n = 4, v = c0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() - i < n) return 0;
  for (size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    v = v << 6 | (b & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return n;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | cp >> 6));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | cp >> 12));
    out->push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | cp >> 18));
    out->push_back(static_cast<char>(0x80 | (cp >> 12 & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// RFC 6901 JSON pointer of a path of member names and array indexes.
std::string JsonPointer(const std::vector<std::string>& path) {
  std::string out;
  for (const std::string& segment : path) {
    out.push_back('/');
    for (char c : segment) {
      if (c == '~') {
        out += "~0";
      } else if (c == '/') {
        out += "~1";
      } else {
        out.push_back(c);
      }
    }
  }
  return out;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Recursive descent over RFC 8259 §2–§7 with the I-JSON restrictions applied as it goes.
// path_ holds the member names / indexes from the root to the value being parsed, so every
// error can name where it happened.
class StrictParser {
 public:
  StrictParser(std::string_view text, const JsonLimits& limits)
      : text_(text),
        max_depth_(std::clamp(limits.max_depth, 0, kMaxJsonDepth)),
        admit_floats_(limits.admit_floats) {}

  Result<json> Parse() {
    json value;
    SkipWhitespace();
    Status s = ParseValue(&value, 0);
    if (!s.ok()) return s;
    SkipWhitespace();
    if (pos_ != text_.size()) return Error("json.syntax", "trailing characters after the value");
    return value;
  }

 private:
  Status Error(std::string reason, const std::string& what) const {
    std::string where = "byte " + std::to_string(pos_);
    if (!path_.empty()) where += " (" + JsonPointer(path_) + ")";
    return Status::InvalidArgument(std::move(reason), where + ": " + what);
  }

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }

  void SkipWhitespace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r')) {
      ++pos_;
    }
  }

  Status ParseValue(json* out, int depth) {
    if (AtEnd()) return Error("json.syntax", "expected a value, found end of input");
    switch (Peek()) {
      case '{':
        return ParseObject(out, depth);
      case '[':
        return ParseArray(out, depth);
      case '"': {
        std::string s;
        Status st = ParseString(&s);
        if (st.ok()) *out = std::move(s);
        return st;
      }
      case 't':
        return ParseLiteral("true", true, out);
      case 'f':
        return ParseLiteral("false", false, out);
      case 'n':
        return ParseLiteral("null", nullptr, out);
      default:
        if (Peek() == '-' || (Peek() >= '0' && Peek() <= '9')) return ParseNumber(out);
        return Error("json.syntax", "expected a value");
    }
  }

  Status ParseLiteral(std::string_view word, json value, json* out) {
    if (text_.substr(pos_, word.size()) != word) return Error("json.syntax", "expected a value");
    pos_ += word.size();
    *out = std::move(value);
    return Status::OK();
  }

  Status Enter(int depth) const {
    if (depth >= max_depth_) {
      return Error("json.depth", "nesting deeper than " + std::to_string(max_depth_));
    }
    return Status::OK();
  }

  Status ParseObject(json* out, int depth) {
    Status s = Enter(depth);
    if (!s.ok()) return s;
    *out = json::object();
    ++pos_;  // '{'
    SkipWhitespace();
    if (Peek() == '}') {
      ++pos_;
      return Status::OK();
    }
    for (;;) {
      if (Peek() != '"') return Error("json.syntax", "expected a member name");
      const size_t name_at = pos_;
      std::string name;
      if (s = ParseString(&name); !s.ok()) return s;
      path_.push_back(name);
      if (out->contains(name)) {
        pos_ = name_at;
        return Error("json.duplicate_key", "duplicate member name");
      }
      SkipWhitespace();
      if (Peek() != ':') return Error("json.syntax", "expected ':' after the member name");
      ++pos_;
      SkipWhitespace();
      if (s = ParseValue(&(*out)[name], depth + 1); !s.ok()) return s;
      path_.pop_back();
      SkipWhitespace();
      if (Peek() == '}') {
        ++pos_;
        return Status::OK();
      }
      if (Peek() != ',') return Error("json.syntax", "expected ',' or '}' in object");
      ++pos_;
      SkipWhitespace();
    }
  }

  Status ParseArray(json* out, int depth) {
    Status s = Enter(depth);
    if (!s.ok()) return s;
    *out = json::array();
    ++pos_;  // '['
    SkipWhitespace();
    if (Peek() == ']') {
      ++pos_;
      return Status::OK();
    }
    for (;;) {
      path_.push_back(std::to_string(out->size()));
      out->push_back(nullptr);
      if (s = ParseValue(&out->back(), depth + 1); !s.ok()) return s;
      path_.pop_back();
      SkipWhitespace();
      if (Peek() == ']') {
        ++pos_;
        return Status::OK();
      }
      if (Peek() != ',') return Error("json.syntax", "expected ',' or ']' in array");
      ++pos_;
      SkipWhitespace();
    }
  }

  // Four hex digits after "\u" at pos_; advances past them.
  Status ParseHex4(uint32_t* unit) {
    if (text_.size() - pos_ < 4) return Error("json.syntax", "truncated \\u escape");
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      int d = HexDigit(text_[pos_ + k]);
      if (d < 0) return Error("json.syntax", "invalid hex digit in \\u escape");
      v = v << 4 | uint32_t(d);
    }
    pos_ += 4;
    *unit = v;
    return Status::OK();
  }

  // A \u escape (pos_ at the 'u'), joining a surrogate pair into one scalar value.
  Status ParseUnicodeEscape(std::string* out) {
    const size_t escape_at = pos_ - 1;
    ++pos_;  // 'u'
    uint32_t hi;
    if (Status s = ParseHex4(&hi); !s.ok()) return s;
    if (hi >= 0xDC00 && hi <= 0xDFFF) {
      pos_ = escape_at;
      return Error("json.utf8", "\\u escape is a lone low surrogate");
    }
    if (hi < 0xD800 || hi > 0xDBFF) {
      AppendUtf8(hi, out);
      return Status::OK();
    }
    uint32_t lo = 0;
    if (text_.substr(pos_, 2) == "\\u") {
      pos_ += 2;
      if (Status s = ParseHex4(&lo); !s.ok()) return s;
    }
    if (lo < 0xDC00 || lo > 0xDFFF) {
      pos_ = escape_at;
      return Error("json.utf8", "\\u escape is a high surrogate without a low surrogate");
    }
    AppendUtf8(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00), out);
    return Status::OK();
  }

  Status ParseString(std::string* out) {
    ++pos_;  // '"'
    for (;;) {
      if (AtEnd()) return Error("json.syntax", "unterminated string");
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return Status::OK();
      }
      if (c < 0x20) return Error("json.syntax", "unescaped control character in string");
      if (c == '\\') {
        ++pos_;
        char e = Peek();
        const char* simple = nullptr;
        switch (e) {
          case '"':
            simple = "\"";
            break;
          case '\\':
            simple = "\\";
            break;
          case '/':
            simple = "/";
            break;
          case 'b':
            simple = "\b";
            break;
          case 'f':
            simple = "\f";
            break;
          case 'n':
            simple = "\n";
            break;
          case 'r':
            simple = "\r";
            break;
          case 't':
            simple = "\t";
            break;
          case 'u': {
            if (Status s = ParseUnicodeEscape(out); !s.ok()) return s;
            continue;
          }
          default:
            --pos_;
            return Error("json.syntax", "invalid escape sequence");
        }
        out->append(simple);
        ++pos_;
        continue;
      }
      uint32_t cp;
      size_t n = DecodeUtf8(text_, pos_, &cp);
      if (n == 0) return Error("json.utf8", "invalid UTF-8 in string");
      out->append(text_.substr(pos_, n));
      pos_ += n;
    }
  }

  // RFC 8259 §6 integers only: -? (0 | [1-9][0-9]*), with no fraction or exponent.
  Status ParseNumber(json* out) {
    const size_t start = pos_;
    const bool negative = Peek() == '-';
    if (negative) ++pos_;
    const size_t digits_at = pos_;
    while (!AtEnd() && Peek() >= '0' && Peek() <= '9') ++pos_;
    const std::string_view digits = text_.substr(digits_at, pos_ - digits_at);
    if (digits.empty()) return Error("json.syntax", "expected a digit");
    if (Peek() == '.' || Peek() == 'e' || Peek() == 'E') {
      if (admit_floats_) return ParseFloat(start, digits, out);
      pos_ = start;
      return Error("json.float", "floating point numbers are not allowed");
    }
    if (digits.size() > 1 && digits[0] == '0') {
      pos_ = start;
      return Error("json.syntax", "number with a leading zero");
    }
    // 2^53-1 has 16 digits; anything longer is out of range without risk of overflow.
    uint64_t magnitude = 0;
    if (digits.size() <= 16) {
      for (char d : digits) magnitude = magnitude * 10 + uint64_t(d - '0');
    }
    if (digits.size() > 16 || magnitude > uint64_t(kMaxSafeInteger)) {
      pos_ = start;
      return Error("json.integer_range", "integer outside [-(2^53-1), 2^53-1]");
    }
    const auto m = static_cast<int64_t>(magnitude);
    *out = negative ? -m : m;
    return Status::OK();
  }

  // JsonLimits::admit_floats: the rest of RFC 8259 §6, int [frac] [exp] with frac = "." 1*DIGIT
  // and exp = ("e" / "E") ["-" / "+"] 1*DIGIT; pos_ is just past the integer part.
  Status ParseFloat(size_t start, std::string_view int_digits, json* out) {
    if (int_digits.size() > 1 && int_digits[0] == '0') {
      pos_ = start;
      return Error("json.syntax", "number with a leading zero");
    }
    if (Peek() == '.') {
      ++pos_;
      if (!SkipDigits()) return Error("json.syntax", "expected a digit after '.'");
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (!SkipDigits()) return Error("json.syntax", "expected a digit in the exponent");
    }
    double value = 0;
    const char* end = text_.data() + pos_;
    const auto [stop, error] = std::from_chars(text_.data() + start, end, value);
    if (error != std::errc() || stop != end) {
      pos_ = start;
      return Error("json.syntax", "number outside the range of a double");
    }
    *out = value;
    return Status::OK();
  }

  // Skips [0-9]*; false when there was none.
  bool SkipDigits() {
    const size_t from = pos_;
    while (!AtEnd() && Peek() >= '0' && Peek() <= '9') ++pos_;
    return pos_ > from;
  }

  std::string_view text_;
  int max_depth_;
  bool admit_floats_;
  size_t pos_ = 0;
  std::vector<std::string> path_;
};

// The name as UTF-16 code units, the key RFC 8785 §3.2.3 sorts members by. False when the
// name is not valid UTF-8.
bool ToUtf16(std::string_view s, std::u16string* out) {
  for (size_t i = 0; i < s.size();) {
    uint32_t cp;
    size_t n = DecodeUtf8(s, i, &cp);
    if (n == 0) return false;
    i += n;
    if (cp < 0x10000) {
      out->push_back(static_cast<char16_t>(cp));
    } else {
      cp -= 0x10000;
      out->push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out->push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    }
  }
  return true;
}

// RFC 8785 §3.2 serializer. path_ mirrors StrictParser's so refusals name the member.
class CanonicalWriter {
 public:
  Status Write(const json& v, int depth) {
    switch (v.type()) {
      case json::value_t::null:
        out_ += "null";
        return Status::OK();
      case json::value_t::boolean:
        out_ += v.get<bool>() ? "true" : "false";
        return Status::OK();
      case json::value_t::number_integer: {
        const auto n = v.get<int64_t>();
        if (n > kMaxSafeInteger || n < -kMaxSafeInteger) return RangeError(v);
        out_ += std::to_string(n);
        return Status::OK();
      }
      case json::value_t::number_unsigned: {
        const auto n = v.get<uint64_t>();
        if (n > uint64_t(kMaxSafeInteger)) return RangeError(v);
        out_ += std::to_string(n);
        return Status::OK();
      }
      case json::value_t::number_float:
        return Error("json.float", "floating point number " + v.dump() + " is not allowed");
      case json::value_t::string:
        return WriteString(v.get_ref<const std::string&>());
      case json::value_t::array:
        return WriteArray(v, depth);
      case json::value_t::object:
        return WriteObject(v, depth);
      case json::value_t::binary:
      case json::value_t::discarded:
        break;
    }
    return Error("json.type", std::string("a ") + v.type_name() + " value has no JSON form");
  }

  std::string& out() { return out_; }

 private:
  Status Error(std::string reason, const std::string& what) const {
    std::string where = path_.empty() ? "" : JsonPointer(path_) + ": ";
    return Status::InvalidArgument(std::move(reason), where + what);
  }
  Status RangeError(const json& v) const {
    return Error("json.integer_range", "integer " + v.dump() + " outside [-(2^53-1), 2^53-1]");
  }

  Status Enter(int depth) const {
    if (depth >= kMaxJsonDepth) {
      return Error("json.depth", "nesting deeper than " + std::to_string(kMaxJsonDepth));
    }
    return Status::OK();
  }

  Status WriteArray(const json& v, int depth) {
    if (Status s = Enter(depth); !s.ok()) return s;
    out_.push_back('[');
    size_t index = 0;
    for (const json& element : v) {
      if (index > 0) out_.push_back(',');
      path_.push_back(std::to_string(index++));
      if (Status s = Write(element, depth + 1); !s.ok()) return s;
      path_.pop_back();
    }
    out_.push_back(']');
    return Status::OK();
  }

  Status WriteObject(const json& v, int depth) {
    if (Status s = Enter(depth); !s.ok()) return s;
    std::vector<std::pair<std::u16string, json::const_iterator>> members;
    members.reserve(v.size());
    for (auto it = v.begin(); it != v.end(); ++it) {
      std::u16string units;
      // The bad name stays out of the message, which must itself be valid UTF-8.
      if (!ToUtf16(it.key(), &units)) return Error("json.utf8", "a member name is not valid UTF-8");
      members.emplace_back(std::move(units), it);
    }
    // char16_t is unsigned, so this is RFC 8785's unsigned code unit comparison.
    std::sort(members.begin(), members.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    out_.push_back('{');
    for (size_t i = 0; i < members.size(); ++i) {
      if (i > 0) out_.push_back(',');
      const auto& it = members[i].second;
      path_.push_back(it.key());
      if (Status s = WriteString(it.key()); !s.ok()) return s;
      out_.push_back(':');
      if (Status s = Write(it.value(), depth + 1); !s.ok()) return s;
      path_.pop_back();
    }
    out_.push_back('}');
    return Status::OK();
  }

  // RFC 8785 §3.2.2.2 / ECMAScript QuoteJSONString over well-formed UTF-8.
  Status WriteString(std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out_.push_back('"');
    for (size_t i = 0; i < s.size();) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x80) {
        uint32_t cp;
        size_t n = DecodeUtf8(s, i, &cp);
        if (n == 0) return Error("json.utf8", "string is not valid UTF-8");
        out_.append(s.substr(i, n));
        i += n;
        continue;
      }
      switch (c) {
        case '\b':
          out_ += "\\b";
          break;
        case '\t':
          out_ += "\\t";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\f':
          out_ += "\\f";
          break;
        case '\r':
          out_ += "\\r";
          break;
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        default:
          if (c < 0x20) {
            out_ += "\\u00";
            out_.push_back(kHex[c >> 4]);
            out_.push_back(kHex[c & 15]);
          } else {
            out_.push_back(static_cast<char>(c));
          }
      }
      ++i;
    }
    out_.push_back('"');
    return Status::OK();
  }

  std::string out_;
  std::vector<std::string> path_;
};

}  // namespace

bool IsValidUtf8(std::string_view bytes) {
  uint32_t cp;
  for (size_t i = 0, n; i < bytes.size(); i += n) {
    if ((n = DecodeUtf8(bytes, i, &cp)) == 0) return false;
  }
  return true;
}

Result<json> ParseStrictJson(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Status::TooLarge("json.too_large", "JSON text is " + std::to_string(text.size()) +
                                                  " bytes, over the limit of " +
                                                  std::to_string(limits.max_bytes));
  }
  return StrictParser(text, limits).Parse();
}

Result<std::string> CanonicalJson(const json& value) {
  CanonicalWriter writer;
  if (Status s = writer.Write(value, 0); !s.ok()) return s;
  return std::move(writer.out());
}

}  // namespace carbonledger
