// values.cc: see values.h.
#include "patterns/event/values.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <system_error>

namespace trailwatch::event {

namespace {

// A decimal number as (negative, significant digits without leading/trailing zeros, exponent) such that the
// value is 0.d1d2d3... * 10^exp. Zero has empty digits.
struct Decimal {
  bool negative = false;
  char digits[800];
  int n = 0;
  long exp = 0;
};

bool ToDecimal(std::string_view s, Decimal* d) {
  size_t i = 0;
  d->n = 0;
  d->negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) d->negative = s[i++] == '-';
  long point = 0;  // digits before the decimal point (counted among significant positions)
  bool seen_point = false, any = false, leading = true;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      any = true;
      if (leading && c == '0') {
        if (seen_point) --point;
        continue;
      }
      leading = false;
      if (d->n >= static_cast<int>(sizeof d->digits)) return false;
      d->digits[d->n++] = c;
      if (!seen_point) ++point;
    } else if (c == '.') {
      if (seen_point) return false;
      seen_point = true;
    } else {
      break;
    }
  }
  if (!any) return false;
  long e = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool neg = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
    bool digits = false;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      digits = true;
      if (e < 100000) e = e * 10 + (s[i] - '0');
    }
    if (!digits) return false;
    if (neg) e = -e;
  }
  if (i != s.size()) return false;
  while (d->n > 0 && d->digits[d->n - 1] == '0') --d->n;
  d->exp = point + e;
  if (d->n == 0) {
    d->exp = 0;
  }
  return true;
}

bool SameDecimal(const Decimal& a, const Decimal& b) {
  if (a.n == 0 && b.n == 0) return true;  // 0 and -0 are the same value
  return a.negative == b.negative && a.n == b.n && a.exp == b.exp && std::memcmp(a.digits, b.digits, a.n) == 0;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool LooksLikeV4(std::string_view t) {
  int parts = 0;
  size_t i = 0;
  while (true) {
    size_t start = i;
    while (i < t.size() && IsDigit(t[i])) ++i;
    if (i == start) return false;
    ++parts;
    if (i == t.size()) break;
    if (t[i] != '.' || parts == 4) return false;
    ++i;
  }
  return parts == 4;
}

bool LooksLikeV6(std::string_view t) {
  bool colon = false;
  for (char c : t) {
    if (c == ':') colon = true;
    else if (Hex(c) < 0) return false;
  }
  return colon;
}

bool ParseV4(std::string_view t, IpAddress* out) {
  out->size = 4;
  size_t i = 0;
  for (int part = 0; part < 4; ++part) {
    unsigned value = 0;
    size_t start = i;
    while (i < t.size() && IsDigit(t[i])) {
      value = value * 10 + static_cast<unsigned>(t[i] - '0');
      if (value > 255) return false;
      ++i;
    }
    if (i == start) return false;
    out->bytes[part] = static_cast<uint8_t>(value);
    if (part < 3) {
      if (i >= t.size() || t[i] != '.') return false;
      ++i;
    }
  }
  return i == t.size();
}

bool ParseV6(std::string_view t, IpAddress* out) {
  // Groups of 1-4 hex digits separated by ':', at most one "::".
  uint16_t head[8], tail[8];
  int nh = 0, nt = 0;
  bool gap = false;
  size_t i = 0;
  if (t.size() >= 2 && t[0] == ':' && t[1] == ':') {
    gap = true;
    i = 2;
    if (i == t.size()) goto done;
  } else if (!t.empty() && t[0] == ':') {
    return false;
  }
  while (i < t.size()) {
    unsigned v = 0;
    size_t start = i;
    while (i < t.size() && Hex(t[i]) >= 0) {
      if (i - start >= 4) return false;
      v = v * 16 + static_cast<unsigned>(Hex(t[i]));
      ++i;
    }
    if (i == start) return false;
    if (gap) {
      if (nt >= 8) return false;
      tail[nt++] = static_cast<uint16_t>(v);
    } else {
      if (nh >= 8) return false;
      head[nh++] = static_cast<uint16_t>(v);
    }
    if (i == t.size()) break;
    if (t[i] != ':') return false;
    ++i;
    if (i < t.size() && t[i] == ':') {
      if (gap) return false;
      gap = true;
      ++i;
      if (i == t.size()) break;
    } else if (i == t.size()) {
      return false;  // trailing single ':'
    }
  }
done:
  if (gap ? nh + nt > 7 : nh != 8) return false;
  uint16_t groups[8] = {0};
  for (int k = 0; k < nh; ++k) groups[k] = head[k];
  for (int k = 0; k < nt; ++k) groups[8 - nt + k] = tail[k];
  // IPv4-mapped (::ffff:a.b.c.d in hex) is an IPv4 address for Java's InetAddress.
  bool mapped = groups[5] == 0xffff;
  for (int k = 0; k < 5; ++k) mapped = mapped && groups[k] == 0;
  if (mapped) {
    out->size = 4;
    out->bytes = {};
    out->bytes[0] = static_cast<uint8_t>(groups[6] >> 8);
    out->bytes[1] = static_cast<uint8_t>(groups[6] & 0xff);
    out->bytes[2] = static_cast<uint8_t>(groups[7] >> 8);
    out->bytes[3] = static_cast<uint8_t>(groups[7] & 0xff);
    return true;
  }
  out->size = 16;
  for (int k = 0; k < 8; ++k) {
    out->bytes[2 * k] = static_cast<uint8_t>(groups[k] >> 8);
    out->bytes[2 * k + 1] = static_cast<uint8_t>(groups[k] & 0xff);
  }
  return true;
}

int Compare(const IpAddress& a, const IpAddress& b) { return std::memcmp(a.bytes.data(), b.bytes.data(), a.size); }

// The decimal Java's Double.toString(d) prints (JDK 19 and later, the shortest-repr specification): among the
// decimals that round to d, those of the fewest significant digits p, the closest to d (ties: even last
// digit); when p is 1, the two-digit decimals are candidates too. std::to_chars in scientific form gives the
// first (the plain form is not usable: for integers above 2^63 libstdc++ prints the exact binary value, e.g.
// 15104463631334033408 for 1.5104463631334033e+19). The second matters only for subnormals, whose few bits
// let a two-digit decimal lie closer than the one-digit one (Double.MIN_VALUE prints as 4.9E-324, not
// 5E-324); a normal double's rounding interval is far narrower than the gap between one- and two-digit
// decimals, so for it both agree.
bool JavaRepr(double d, Decimal* out) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  if (ec != std::errc() || !ToDecimal(std::string_view(buf, end - buf), out)) return false;
  if (out->n != 1 || std::fabs(d) >= std::numeric_limits<double>::min()) return true;
  // The two-digit decimal nearest to d (to_chars with a precision rounds the exact value correctly). It is at
  // least as close as the one-digit one, and a subnormal's rounding interval is symmetric, so it rounds to d.
  auto [end2, ec2] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific, 1);
  if (ec2 != std::errc()) return false;
  double back = 0;
  auto [ptr, ec3] = std::from_chars(buf, end2, back);
  if (ec3 != std::errc() || ptr != end2 || back != d) return true;  // unreachable (see above): keep p = 1
  return ToDecimal(std::string_view(buf, end2 - buf), out);
}

}  // namespace

bool ExactDouble(std::string_view text, double* value) {
  // event-ruler's ComparableNumber.generate(): parse as BigDecimal, take doubleValue(), and require
  // BigDecimal.valueOf(double) (Double.toString) to compare equal to the parsed BigDecimal.
  if (text.empty() || text.size() > 700) return false;
  double d = 0;
  const char* first = text.data();
  if (*first == '+') return false;
  auto [ptr, ec] = std::from_chars(first, text.data() + text.size(), d);
  if (ptr != text.data() + text.size()) return false;
  // Overflow (1e400) and underflow below half the smallest subnormal (1e-400) are never exact.
  if (ec == std::errc::result_out_of_range || !std::isfinite(d)) return false;
  Decimal a, b;
  if (!ToDecimal(text, &a) || !JavaRepr(d, &b)) return false;
  if (!SameDecimal(a, b)) return false;
  *value = d;
  return true;
}

bool LooksLikeIp(std::string_view text) { return LooksLikeV4(text) || LooksLikeV6(text); }

bool ParseIp(std::string_view text, IpAddress* out) {
  *out = IpAddress{};
  if (LooksLikeV4(text)) return ParseV4(text, out) || (*out = IpAddress{}, false);
  if (LooksLikeV6(text)) return ParseV6(text, out) || (*out = IpAddress{}, false);
  return false;
}

bool IpRange::Contains(const IpAddress& a) const {
  if (a.size == 0 || a.size != low.size) return false;
  return Compare(low, a) <= 0 && Compare(a, high) <= 0;
}

IpRange SingleAddress(const IpAddress& a) { return IpRange{a, a}; }

bool ParseCidr(std::string_view text, IpRange* out, std::string* error) {
  // Java's String.split("/"): trailing empty strings are dropped, so "10.0.0.0/" splits into one part.
  size_t slashes = 0;
  for (char c : text) slashes += c == '/';
  std::string_view addr = text, bits;
  const size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    addr = text.substr(0, slash);
    bits = text.substr(slash + 1);
  }
  if (slashes != 1 || bits.empty()) {
    *error = "Malformed CIDR, one '/' required";
    return false;
  }
  // Integer.parseInt: optional sign, decimal digits, fits in int.
  long long mask = 0;
  {
    size_t i = 0;
    bool neg = false;
    if (bits[0] == '-' || bits[0] == '+') neg = bits[i++] == '-';
    if (i == bits.size()) {
      *error = "Malformed CIDR, mask bits must be an integer";
      return false;
    }
    for (; i < bits.size(); ++i) {
      if (!IsDigit(bits[i]) || mask > 3000000000LL) {
        *error = "Malformed CIDR, mask bits must be an integer";
        return false;
      }
      mask = mask * 10 + (bits[i] - '0');
    }
    if (neg) mask = -mask;
    if (mask > 2147483647LL || mask < -2147483648LL) {
      *error = "Malformed CIDR, mask bits must be an integer";
      return false;
    }
  }
  if (mask < 0) {
    *error = "Malformed CIDR, mask bits must not be negative";
    return false;
  }
  IpAddress ip;
  if (!LooksLikeIp(addr)) {
    *error = "Nonstandard IP address: " + std::string(addr);
    return false;
  }
  if (!ParseIp(addr, &ip)) {
    *error = "Invalid IP address: " + std::string(addr);
    return false;
  }
  if (ip.size == 4 && mask > 31) {
    *error = "IPv4 mask bits must be < 32";
    return false;
  }
  if (ip.size == 16 && mask > 127) {
    *error = "IPv6 mask bits must be < 128";
    return false;
  }
  IpAddress low = ip, high = ip;
  const int total = ip.size * 8;
  for (int bit = static_cast<int>(mask); bit < total; ++bit) {
    const uint8_t m = static_cast<uint8_t>(0x80u >> (bit % 8));
    low.bytes[bit / 8] &= static_cast<uint8_t>(~m);
    high.bytes[bit / 8] |= m;
  }
  *out = IpRange{low, high};
  return true;
}

std::string FormatIp(const IpAddress& a) {
  char buf[64];
  if (a.size == 4) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", a.bytes[0], a.bytes[1], a.bytes[2], a.bytes[3]);
    return buf;
  }
  std::string out;
  for (int k = 0; k < 8; ++k) {
    std::snprintf(buf, sizeof buf, "%s%x", k ? ":" : "", (a.bytes[2 * k] << 8) | a.bytes[2 * k + 1]);
    out += buf;
  }
  return out;
}

}  // namespace trailwatch::event
