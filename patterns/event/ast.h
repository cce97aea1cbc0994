// ast.h: an EventBridge event pattern after parsing and validation.
//
// Contract: an EventPattern is what the pattern means, in event-ruler's normal form: a list of sub-rules (the
// `$or` expansion: the pattern matches an event when any sub-rule does); a sub-rule is a list of fields (all
// must match); a field is a flattened path ("detail.state", nested and dotted keys joined with '.') and its
// value list (any element may match). Each Matcher is one element of a value list with everything decoded
// and checked: exact strings, numbers (spelling, and the double when exactly representable), literals,
// IP addresses and CIDR blocks as ranges, wildcards split into pieces, case-folded strings for the
// ignore-case forms, numeric ranges as bounds. Spans point into the pattern text for diagnostics.
// Immutable once built; cheap to share.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "patterns/common/diagnostic.h"
#include "patterns/event/values.h"
#include "patterns/event/wildcard.h"

namespace trailwatch::event {

enum class MatchKind : uint8_t {
  kExactString,        // "str" (also {"exactly": "str"})
  kExactNumber,        // 300: same spelling, or same value when both sides are exactly representable
  kNull,               // null
  kTrue,               // true
  kFalse,              // false
  kIpAddress,          // "10.0.0.1" in a value list: compares as an address (range = one address)
  kPrefix,             // {"prefix": "x"}
  kSuffix,             // {"suffix": "x"}
  kPrefixIgnoreCase,   // {"prefix": {"equals-ignore-case": "x"}}   (strings[0] is folded)
  kSuffixIgnoreCase,   // {"suffix": {"equals-ignore-case": "x"}}   (strings[0] is folded)
  kEqualsIgnoreCase,   // {"equals-ignore-case": "x"}               (strings[0] is folded)
  kWildcard,           // {"wildcard": "a*b"}
  kAnythingBut,        // {"anything-but": "x" | 5 | [...]}: strings or numbers
  kAnythingButPrefix,  // {"anything-but": {"prefix": "x" | [...]}}
  kAnythingButSuffix,  // {"anything-but": {"suffix": ...}}
  kAnythingButIgnoreCase,  // {"anything-but": {"equals-ignore-case": ...}} (strings are folded)
  kAnythingButWildcard,    // {"anything-but": {"wildcard": ...}}
  kNumeric,            // {"numeric": [...]}
  kCidr,               // {"cidr": "10.0.0.0/24"}
  kExists,             // {"exists": true}
  kAbsent,             // {"exists": false}
};

const char* MatchKindName(MatchKind k);

struct Matcher {
  MatchKind kind = MatchKind::kExactString;
  std::vector<std::string> strings;  // exact / prefix / suffix / folded / anything-but strings; number spelling
  std::vector<double> numbers;       // anything-but numbers; [0] = value of an exact number when `exact`
  bool exact = false;                // kExactNumber: the spelling is exactly representable (numbers[0] valid)
  bool numeric_set = false;          // kAnythingBut: the set holds numbers
  // kNumeric
  bool has_low = false, low_open = false, has_high = false, high_open = false;
  double low = 0, high = 0;
  // kIpAddress, kCidr
  IpRange range;
  // kWildcard, kAnythingButWildcard
  std::vector<Wildcard> wildcards;
  Span span;  // the element in the pattern text
};

struct Field {
  std::string path;               // "detail.state"
  std::vector<Matcher> values;    // OR
  Span span;                      // the value list
  std::string pointer;            // JSON pointer of the value list, e.g. "/detail/state"
};

struct SubRule {
  std::vector<Field> fields;  // AND, in the order their paths first appeared
};

struct EventPattern {
  std::vector<SubRule> rules;  // OR ($or expansion)
  bool legacy_or = false;      // `$or` was read as an ordinary field name (event-ruler's fallback)
  int wildcard_complexity = 0;
  std::string text;            // the pattern as given
};

}  // namespace trailwatch::event
