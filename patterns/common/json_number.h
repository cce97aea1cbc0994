// json_number.h: JSON's number grammar (RFC 8259 section 6), as text: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
//
// Contract: IsJsonNumber() says whether the whole of `s` is one JSON number, nothing about its value (a
// 30-digit integer or 1e400 is a number). Pure, allocation-free. Used where text must be told apart from
// a number as a JSON parser would: a YAML scalar written into JSON (the setup loader) and a number token
// simdjson refuses (the filter set's rewriting of unrepresentable numbers).
#pragma once

#include <cstddef>
#include <string_view>

namespace trailwatch {

inline bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    const size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

}  // namespace trailwatch
