// values.h: the value semantics event patterns need: exact numbers, IP addresses and CIDR blocks.
//
// Contract (pure functions, no I/O, no allocation):
// - ExactDouble(): a JSON number's spelling is "comparable" when its decimal value is exactly the value Java's
//   Double.toString prints for the double it parses to (event-ruler's ComparableNumber: BigDecimal.valueOf(d)
//   must compare equal to the BigDecimal of the text). That is the shortest round-trip decimal, except that a
//   subnormal whose shortest form has one digit prints with two when that is closer (4.9E-324, not 5E-324).
//   300, 3.0e2, 0.1, 7.583829473921843e19 and 75838294739218430000 are comparable; 0.30000000000000001,
//   9007199254740993, 75838294739218432000 (the exact binary value), 5e-324 and 1e400 are not. Only comparable
//   numbers take part in numeric comparisons, as in event-ruler (spec §3.6, §4).
// - ParseIp(): what event-ruler treats as an IP literal: text matching [0-9]+(\.[0-9]+){3} (each part a decimal
//   0..255, leading zeros allowed) or [0-9a-fA-F:]*:[0-9a-fA-F:]* that parses as IPv6 (an IPv4-mapped IPv6
//   address ::ffff:a.b.c.d written in hex becomes that IPv4 address, as Java's InetAddress does).
// - ParseCidr(): "address/bits" with AWS's error texts; /32 and /128 are rejected as event-ruler does.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace trailwatch::event {

// True when `text` (a JSON number spelling) is exactly representable; sets *value.
bool ExactDouble(std::string_view text, double* value);

struct IpAddress {
  std::array<uint8_t, 16> bytes{};
  uint8_t size = 0;  // 4 or 16; 0 = not an address
};

// What event-ruler's isIPv4OrIPv6 regexes accept (the text "looks like" an address).
bool LooksLikeIp(std::string_view text);
// Parses an IP literal; false when the text is not one.
bool ParseIp(std::string_view text, IpAddress* out);

struct IpRange {
  IpAddress low;   // inclusive
  IpAddress high;  // inclusive
  bool Contains(const IpAddress& a) const;
};

// Parses "a.b.c.d/n" or "x::y/n". On error returns false and sets *error to AWS's message.
bool ParseCidr(std::string_view text, IpRange* out, std::string* error);
// The single-address range of an IP literal.
IpRange SingleAddress(const IpAddress& a);
std::string FormatIp(const IpAddress& a);

}  // namespace trailwatch::event
