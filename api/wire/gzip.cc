#include "api/wire/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>

namespace carbonledger {
namespace {

constexpr int kGzipWindow = 15 + 16;  // zlib: 2^15 window, +16 for the gzip wrapper

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  std::string out(s);
  for (char& c : out) c = char(std::tolower(uint8_t(c)));
  return out;
}

// The q-value of one Accept-Encoding member's parameters ("q=0.5"); 1 when absent.
double QValue(std::string_view params) {
  while (!params.empty()) {
    size_t semi = params.find(';');
    std::string p = Trim(params.substr(0, semi));
    if (p.starts_with("q=")) {
      try {
        return std::stod(p.substr(2));
      } catch (...) {
        return 0;  // a malformed weight accepts nothing
      }
    }
    if (semi == std::string_view::npos) break;
    params.remove_prefix(semi + 1);
  }
  return 1;
}

}  // namespace

std::string Gzip(std::string_view data) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindow, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, uLong(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = uInt(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = uInt(out.size());
  deflate(&z, Z_FINISH);  // deflateBound makes one call enough
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

Result<std::string> Gunzip(std::string_view gz, size_t max_bytes) {
  z_stream z{};
  if (inflateInit2(&z, kGzipWindow) != Z_OK) {
    return Status::Corruption("gzip.data", "cannot start inflating");
  }
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = uInt(gz.size());
  std::string out;
  char buf[16384];
  bool complete = false;
  for (;;) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    const int rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
    if (rc == Z_STREAM_END) {
      complete = z.avail_in == 0;  // nothing may follow the member
      break;
    }
    if (rc != Z_OK || out.size() > max_bytes || (z.avail_in == 0 && z.avail_out != 0)) break;
  }
  inflateEnd(&z);
  if (!complete || out.size() > max_bytes) {
    return Status::Corruption("gzip.data", "not one complete gzip member of at most " +
                                               std::to_string(max_bytes) + " bytes");
  }
  return out;
}

bool AcceptsGzip(std::string_view accept_encoding) {
  // An explicit "gzip" weight overrides "*" ("gzip;q=0, *" refuses gzip).
  double gzip = -1, star = -1;
  while (!accept_encoding.empty()) {
    size_t comma = accept_encoding.find(',');
    std::string_view member = accept_encoding.substr(0, comma);
    size_t semi = member.find(';');
    std::string coding = Trim(member.substr(0, semi));
    double q = semi == std::string_view::npos ? 1 : QValue(member.substr(semi + 1));
    if (coding == "gzip" || coding == "x-gzip") gzip = std::max(gzip, q);
    if (coding == "*") star = std::max(star, q);
    if (comma == std::string_view::npos) break;
    accept_encoding.remove_prefix(comma + 1);
  }
  return gzip >= 0 ? gzip > 0 : star > 0;
}

}  // namespace carbonledger
