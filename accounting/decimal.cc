#include "accounting/decimal.h"

#include <algorithm>
#include <limits>

namespace carbonledger {
namespace {

constexpr Int128 kMax = std::numeric_limits<Int128>::max();

// Divides n by d (d > 0) rounding half to even.
Int128 DivRoundHalfEven(Int128 n, Int128 d) {
  Int128 q = n / d, r = n % d;
  if (r == 0) return q;
  Int128 twice = (r < 0 ? -r : r) * 2;
  bool away = twice > d || (twice == d && (q % 2 != 0));
  if (away) q += (n < 0) ? -1 : 1;
  return q;
}

std::string U128ToString(UInt128 v) {
  if (v == 0) return "0";
  std::string s;
  while (v > 0) {
    s.push_back(char('0' + int(v % 10)));
    v /= 10;
  }
  std::reverse(s.begin(), s.end());
  return s;
}

Status Overflow() {
  return Status::Unprocessable("decimal.overflow", "decimal arithmetic overflow");
}

}  // namespace

Result<Decimal> Decimal::Parse(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument("decimal.syntax",
                                   "not a decimal number: \"" + std::string(text) + "\"");
  };
  std::string_view s = text;
  bool neg = !s.empty() && s[0] == '-';
  if (neg) s.remove_prefix(1);
  size_t dot = s.find('.');
  std::string_view ip = s.substr(0, dot);
  std::string_view fp = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  if (ip.empty() || (dot != std::string_view::npos && fp.empty())) return bad();
  if (fp.size() > size_t(kScale)) {
    return Status::InvalidArgument("decimal.precision",
                                   "more than 9 fractional digits: \"" + std::string(text) + "\"");
  }
  Int128 units = 0;
  for (char c : ip) {
    if (c < '0' || c > '9') return bad();
    if (units > (kMax - 9) / 10) return Overflow();
    units = units * 10 + (c - '0');
  }
  for (int i = 0; i < kScale; ++i) {
    int digit = 0;
    if (size_t(i) < fp.size()) {
      if (fp[i] < '0' || fp[i] > '9') return bad();
      digit = fp[i] - '0';
    }
    if (units > (kMax - 9) / 10) return Overflow();
    units = units * 10 + digit;
  }
  return Decimal(neg ? -units : units);
}

std::string Decimal::ToString() const {
  std::string s = ToFixed(kScale);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

Decimal Decimal::RoundTo(int digits) const {
  digits = std::clamp(digits, 0, kScale);
  Int128 step = 1;
  for (int i = digits; i < kScale; ++i) step *= 10;
  return Decimal(DivRoundHalfEven(units_, step) * step);
}

std::string Decimal::ToFixed(int digits) const {
  digits = std::clamp(digits, 0, kScale);
  Int128 u = RoundTo(digits).units_;
  bool neg = u < 0;
  UInt128 a = neg ? (UInt128)(-(u + 1)) + 1 : (UInt128)u;
  std::string ip = U128ToString(a / (UInt128)kOne);
  std::string fp = U128ToString(a % (UInt128)kOne);
  fp.insert(0, size_t(kScale) - fp.size(), '0');
  std::string out;
  if (neg) out.push_back('-');
  out.append(ip);
  if (digits > 0) {
    out.push_back('.');
    out.append(fp, 0, size_t(digits));
  }
  return out;
}

Result<Decimal> Decimal::Add(Decimal o) const {
  Int128 r;
  if (__builtin_add_overflow(units_, o.units_, &r)) return Overflow();
  return Decimal(r);
}

Result<Decimal> Decimal::Sub(Decimal o) const {
  Int128 r;
  if (__builtin_sub_overflow(units_, o.units_, &r)) return Overflow();
  return Decimal(r);
}

Result<Decimal> Decimal::Mul(Decimal o) const {
  // (a/1e9)*(b/1e9) in units of 1e-9 is a*b/1e9. Split b = bq*1e9 + br so that the
  // intermediates stay in range: a*b/1e9 = a*bq + (a*br)/1e9, where a*bq is exact.
  Int128 a = units_, b = o.units_;
  Int128 hi, lo;
  if (__builtin_mul_overflow(a, b / kOne, &hi)) return Overflow();
  if (__builtin_mul_overflow(a, b % kOne, &lo)) return Overflow();
  // Combine before rounding so that half-to-even sees the parity of the whole quotient.
  Int128 q = lo / kOne, r = lo % kOne;
  if (__builtin_add_overflow(hi, q, &q)) return Overflow();
  if (r != 0) {
    Int128 twice = (r < 0 ? -r : r) * 2;
    if (twice > kOne || (twice == kOne && q % 2 != 0)) q += (r < 0) ? -1 : 1;
  }
  return Decimal(q);
}

Result<Decimal> Decimal::Div(Decimal o) const {
  if (o.units_ == 0) return Status::Unprocessable("decimal.division_by_zero", "division by zero");
  Int128 n;
  if (__builtin_mul_overflow(units_, kOne, &n)) return Overflow();
  Int128 d = o.units_;
  if (d < 0) {
    d = -d;
    n = -n;
  }
  return Decimal(DivRoundHalfEven(n, d));
}

Result<Decimal> Decimal::ProductRounded(std::initializer_list<Decimal> factors, Int128 num,
                                        Int128 den, int digits) {
  if (factors.size() == 0 || factors.size() > 3 || den <= 0 || digits < 0 || digits > kScale) {
    return Status::InvalidArgument("decimal.product_arguments",
                                   "ProductRounded takes 1 to 3 factors, den > 0, digits 0..9");
  }
  // The exact value is P × num / (den × 10^(9n)) with P the product of the unit counts; in
  // units of 10^-digits it is P × num / (den × 10^(9n - digits)), divided once.
  Int128 p = 1;
  for (Decimal f : factors) {
    if (__builtin_mul_overflow(p, f.units_, &p)) return Overflow();
  }
  if (__builtin_mul_overflow(p, num, &p)) return Overflow();
  Int128 d = den;
  for (int i = 0; i < kScale * int(factors.size()) - digits; ++i) {
    if (__builtin_mul_overflow(d, Int128(10), &d)) return Overflow();
  }
  Int128 q = DivRoundHalfEven(p, d);
  for (int i = digits; i < kScale; ++i) {
    if (__builtin_mul_overflow(q, Int128(10), &q)) return Overflow();
  }
  return Decimal(q);
}

}  // namespace carbonledger
