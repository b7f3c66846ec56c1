// Decimal: an exact fixed-point number with 9 fractional digits, the only number type the
// accounting engine computes with. Floating point never enters a result, so a certifier
// recomputing a park's inventory on any machine gets the same digits.
//
// Invariant: a Decimal is exact and never rounded silently. Range: |value| < 1.7e20 (a signed
// 128-bit count of 1e-9 units). Parsing refuses more than 9 fractional digits rather than
// rounding; multiplication and division round half to even at the 9th digit, and every other
// rounding is asked for by name (docs/accounting.md §Rounding).
#pragma once

#include <compare>
#include <initializer_list>
#include <string>
#include <string_view>

#include "crypto/status.h"

namespace carbonledger {

// GCC/Clang 128-bit integers; __extension__ keeps -Wpedantic quiet about them.
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

class Decimal {
 public:
  static constexpr int kScale = 9;
  static constexpr Int128 kOne = 1'000'000'000;

  constexpr Decimal() = default;
  static constexpr Decimal FromUnits(Int128 units) { return Decimal(units); }
  static constexpr Decimal FromInt(long long v) { return Decimal(Int128(v) * kOne); }
  // Strict: optional '-', digits, optional '.' and 1..9 digits. No exponent, no '+', no spaces.
  static Result<Decimal> Parse(std::string_view text);

  Int128 units() const { return units_; }
  // Canonical text: no trailing fractional zeros, no '.' for integers, "-0" never appears.
  std::string ToString() const;
  // Rounded half to even to `digits` fractional digits (0..9), then formatted with exactly
  // that many digits, e.g. ToFixed(3) of 1.2345 is "1.234" and of 1.2355 is "1.236".
  std::string ToFixed(int digits) const;
  Decimal RoundTo(int digits) const;

  bool IsNegative() const { return units_ < 0; }
  bool IsZero() const { return units_ == 0; }

  // Overflow of the 128-bit range is reported, never wrapped.
  Result<Decimal> Add(Decimal other) const;
  Result<Decimal> Sub(Decimal other) const;
  Result<Decimal> Mul(Decimal other) const;  // rounded half to even at 1e-9
  Result<Decimal> Div(Decimal other) const;  // rounded half to even at 1e-9

  // The exact product of up to three factors times num/den (den > 0), rounded half to even
  // once, to `digits` fractional digits (0..9). Rounding each step separately can differ in
  // the last digit (a tie created by an earlier rounding), so factor arithmetic such as
  // EF = NCV × CC × OF × 44/12 or emissions = quantity × EF goes through here.
  static Result<Decimal> ProductRounded(std::initializer_list<Decimal> factors, Int128 num,
                                        Int128 den, int digits);

  friend constexpr auto operator<=>(Decimal a, Decimal b) = default;

 private:
  constexpr explicit Decimal(Int128 units) : units_(units) {}
  Int128 units_ = 0;
};

}  // namespace carbonledger
