// event_test_util.h: helpers shared by the event-pattern tests: parse + compile + evaluate with both engines.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "engine/event/matcher.h"
#include "engine/event/reference.h"
#include "patterns/event/compile.h"
#include "patterns/event/parser.h"

namespace trailwatch::event::testing {

// Evaluates `pattern` on `event` with the compiled matcher (its fast walk and its plain walk) and the
// reference interpreter; a test failure is recorded when they disagree or the pattern does not parse.
// Returns the compiled matcher's answer.
inline bool Matches(const std::string& pattern, const std::string& event) {
  auto parsed = ParseEventPattern(pattern);
  if (!parsed.ok()) {
    ADD_FAILURE() << "pattern does not parse: " << parsed.error().aws_message;
    return false;
  }
  auto p = std::make_shared<const EventPattern>(std::move(parsed).value());
  auto set = CompileRuleSet({p});
  engine::EventMatcher fast_matcher(set, /*fast_paths=*/true), plain_matcher(set, /*fast_paths=*/false);
  engine::EventScratch scratch;
  fast_matcher.Evaluate(event, scratch);
  const bool fast = fast_matcher.Matched(0, scratch);
  plain_matcher.Evaluate(event, scratch);
  const bool plain = plain_matcher.Matched(0, scratch);
  const bool ref = engine::ReferenceMatchesText(*p, event);
  EXPECT_EQ(fast, ref) << "compiled matcher (fast walk) and reference disagree";
  EXPECT_EQ(plain, ref) << "compiled matcher (plain walk) and reference disagree";
  return fast;
}

// The first line of AWS's message for an invalid pattern ("" when the pattern is valid).
inline std::string AwsReason(const std::string& pattern, const PatternOptions& options = {}) {
  auto parsed = ParseEventPattern(pattern, options);
  if (parsed.ok()) return "";
  const std::string& m = parsed.error().aws_message;
  return m.substr(0, m.find('\n'));
}

// ---- Java's number printing, computed the slow way, independently of patterns/event/values.cc -------------

// What Java's Double.toString(d) prints (JDK 19 and later), found with printf and strtod: the correctly
// rounded n-digit decimal for the smallest n that reads back as d; when that n is 1, the two-digit one if it
// reads back too (Java considers one- and two-digit decimals then and prints the closest). Spelled as printf
// spells it ("4.9e-324"); only its value matters.
inline std::string JavaDoubleToString(double d) {
  char buf[64];
  for (int n = 1; n <= 17; ++n) {
    std::snprintf(buf, sizeof buf, "%.*e", n - 1, d);
    if (std::strtod(buf, nullptr) != d) continue;
    if (n == 1) {
      char two[64];
      std::snprintf(two, sizeof two, "%.1e", d);
      if (std::strtod(two, nullptr) == d) return two;
    }
    return buf;
  }
  return buf;
}

// A decimal number spelling reduced to "<sign><digits>e<exponent>" with no leading or trailing zeros (the
// value 0.d1d2... x 10^exponent); "0" for zero. Equal strings are equal values.
inline std::string CanonicalDecimal(std::string_view s) {
  size_t i = 0;
  const bool negative = i < s.size() && s[i] == '-';
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  std::string digits;
  long point = 0;
  bool seen_point = false;
  for (; i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.'); ++i) {
    if (s[i] == '.') {
      seen_point = true;
      continue;
    }
    if (digits.empty() && s[i] == '0') {
      if (seen_point) --point;
      continue;
    }
    digits.push_back(s[i]);
    if (!seen_point) ++point;
  }
  long exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    exponent = std::strtol(std::string(s.substr(i + 1)).c_str(), nullptr, 10);
  }
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  if (digits.empty()) return "0";
  return std::string(negative ? "-" : "") + digits + "e" + std::to_string(point + exponent);
}

// Whether event-ruler can compare the number spelled `text` (ComparableNumber.generate() does not throw):
// the double it reads as is finite and prints, in Java, as a decimal of the same value
// (BigDecimal.valueOf(d).compareTo(new BigDecimal(text)) == 0).
inline bool JavaComparable(const std::string& text) {
  const double d = std::strtod(text.c_str(), nullptr);
  if (!std::isfinite(d)) return false;
  return CanonicalDecimal(text) == CanonicalDecimal(JavaDoubleToString(d));
}

}  // namespace trailwatch::event::testing
