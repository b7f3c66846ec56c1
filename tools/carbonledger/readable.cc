#include "tools/carbonledger/readable.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <vector>

namespace carbonledger::cli {
namespace {

using nlohmann::json;

// Table cells longer than this are cut with "…" (signatures and entry bytes would otherwise
// push every other column off the screen; `--json` has them whole).
constexpr size_t kMaxCell = 44;

bool Wide(uint32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

// Walks the code points of `s` (the API only serves valid UTF-8; a stray byte counts as one
// column). Calls f(begin, length, width) for each; stops when f returns false.
template <typename F>
void ForEachCodePoint(const std::string& s, F f) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + n > s.size()) n = 1;
    uint32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    if (!f(i, n, Wide(cp) ? size_t{2} : size_t{1})) return;
    i += n;
  }
}

std::string Truncate(const std::string& s, size_t max) {
  if (DisplayWidth(s) <= max) return s;
  size_t width = 0, end = 0;
  ForEachCodePoint(s, [&](size_t begin, size_t n, size_t w) {
    if (width + w > max - 1) return false;
    width += w;
    end = begin + n;
    return true;
  });
  return s.substr(0, end) + "…";
}

std::string Pad(const std::string& s, size_t width) {
  size_t w = DisplayWidth(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

bool IsScalar(const json& v) { return !v.is_object() && !v.is_array(); }

bool IsScalarList(const json& v) {
  if (!v.is_array()) return false;
  for (const json& e : v) {
    if (!IsScalar(e)) return false;
  }
  return true;
}

bool IsTable(const json& v) {
  if (!v.is_array() || v.empty()) return false;
  for (const json& e : v) {
    if (!e.is_object()) return false;
  }
  return true;
}

std::string Scalar(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "-";
  if (IsScalarList(v)) {
    std::string out;
    for (const json& e : v) out += (out.empty() ? "" : ", ") + Scalar(e);
    return out.empty() ? "(none)" : out;
  }
  return v.dump();
}

void Table(const json& rows, const std::string& indent, std::ostream& out) {
  // Columns: "seq" and "id" first (what a row is), then scalar members by name, then the
  // nested ones (long, and in full under `--json`).
  std::map<std::string, bool> nested;
  for (const json& row : rows) {
    for (const auto& [k, m] : row.items())
      nested[k] = nested[k] || !(IsScalar(m) || IsScalarList(m));
  }
  auto rank = [&](const std::string& k) {
    return k == "seq" ? 0 : k == "id" ? 1 : nested[k] ? 3 : 2;
  };
  std::vector<std::string> columns;
  for (const auto& [k, _] : nested) columns.push_back(k);
  std::stable_sort(columns.begin(), columns.end(),
                   [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> widths;
  for (const std::string& c : columns) widths.push_back(DisplayWidth(c));
  for (const json& row : rows) {
    auto& line = cells.emplace_back();
    for (size_t i = 0; i < columns.size(); ++i) {
      auto it = row.find(columns[i]);
      line.push_back(Truncate(it == row.end() ? "" : Scalar(*it), kMaxCell));
      widths[i] = std::max(widths[i], DisplayWidth(line.back()));
    }
  }
  auto print = [&](const std::vector<std::string>& line) {
    std::string text = indent;
    for (size_t i = 0; i < line.size(); ++i) {
      text += i + 1 < line.size() ? Pad(line[i], widths[i]) + "  " : line[i];
    }
    text.erase(text.find_last_not_of(' ') + 1);
    out << text << "\n";
  };
  print(columns);
  std::vector<std::string> rule;
  for (size_t w : widths) rule.push_back(std::string(w, '-'));
  print(rule);
  for (const auto& line : cells) print(line);
}

void Render(const json& v, const std::string& indent, std::ostream& out) {
  if (IsTable(v)) return Table(v, indent, out);
  if (!v.is_object()) {
    out << indent << Scalar(v) << "\n";
    return;
  }
  size_t name_width = 0;
  for (const auto& [k, m] : v.items()) {
    if (IsScalar(m) || IsScalarList(m)) name_width = std::max(name_width, DisplayWidth(k));
  }
  for (const auto& [k, m] : v.items()) {
    if (IsScalar(m) || IsScalarList(m))
      out << indent << Pad(k, name_width) << "  " << Scalar(m) << "\n";
  }
  for (const auto& [k, m] : v.items()) {
    if (IsScalar(m) || IsScalarList(m)) continue;
    out << "\n" << indent << k;
    if (m.is_array()) out << " (" << m.size() << ")";
    out << "\n";
    if (m.empty()) {
      out << indent << "  (none)\n";
    } else {
      Render(m, indent + "  ", out);
    }
  }
}

}  // namespace

size_t DisplayWidth(const std::string& utf8) {
  size_t width = 0;
  ForEachCodePoint(utf8, [&](size_t, size_t, size_t w) {
    width += w;
    return true;
  });
  return width;
}

std::string Readable(const json& value) {
  std::ostringstream out;
  Render(value, "", out);
  return out.str();
}

}  // namespace carbonledger::cli
