// number.cc: see number.h.
#include "patterns/filter/number.h"

#include <charconv>
#include <limits>

namespace trailwatch::filter {

namespace {
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

bool ParseFilterNumber(std::string_view s, double* out) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  const size_t digits_begin = i;
  while (i < s.size() && IsDigit(s[i])) ++i;
  if (i == digits_begin) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    const size_t frac = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i == frac) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const size_t exp = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i == exp) return false;
  }
  if (i != s.size()) return false;
  std::string_view body = s;
  bool negative = false;
  if (body.front() == '+' || body.front() == '-') {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  double v = 0;
  auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), v);
  if (ptr != body.data() + body.size()) return false;
  if (ec == std::errc::result_out_of_range) {
    // from_chars leaves v unspecified on overflow/underflow; decide by the exponent's sign.
    const size_t e = body.find_first_of("eE");
    const bool tiny = e != std::string_view::npos && body.substr(e + 1).starts_with('-');
    v = tiny ? 0.0 : std::numeric_limits<double>::infinity();
  } else if (ec != std::errc()) {
    return false;
  }
  *out = negative ? -v : v;
  return true;
}

}  // namespace trailwatch::filter
