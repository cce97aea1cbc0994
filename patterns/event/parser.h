// parser.h: EventBridge event pattern text -> EventPattern, with AWS's validation errors.
//
// Contract: ParseEventPattern() is the only entry point. It reads the pattern token by token in the order
// EventBridge's rule compiler (aws/event-ruler's JsonRuleCompiler) does, so that the first error it reports is
// the one AWS reports, with AWS's words: an InvalidEventPatternException Diagnostic whose aws_message is
// "Event pattern is not valid. Reason: <reason>" followed by Jackson's " at [Source: ...; line, column]"
// location line(s) exactly where AWS prints them (none for CIDR and number-range errors, two inside
// anything-but lists). `span` covers the offending construct up to that location, `pointer` is the JSON pointer
// of the offending value, `hint` says how to fix the usual mistake.
// Semantics kept from the library: a duplicate key's last value wins (a later path replaces an earlier one in
// the same sub-rule), "$or" forks sub-rules, and when the $or-aware reading fails the pattern is read again
// with "$or" as an ordinary field name (event-ruler's GenericMachine fallback); if that fails too, its error is
// the one reported. Limits (size, $or combinations, wildcard complexity) are checked by validate.h and applied
// here. Text that is not well-formed UTF-8 is refused first (validate.h CheckUtf8), as AWS refuses such a
// request. Never throws, never aborts; any input is safe.
#pragma once

#include <cstddef>
#include <string_view>

#include "patterns/common/diagnostic.h"
#include "patterns/event/ast.h"

namespace trailwatch::event {

// Default wildcard complexity cap: the smallest complexity EventBridge is recorded rejecting
// ("*:*:*:*:*:event-bus/*"); see README "EventBridge event patterns".
inline constexpr int kDefaultMaxWildcardComplexity = 13;

struct PatternOptions {
  size_t max_size = 2048;        // characters; the service quota (raise to 4096 as AWS allows)
  size_t max_combinations = 1000;  // $or expansion limit
  int max_wildcard_complexity = kDefaultMaxWildcardComplexity;  // 0 disables the check
};

inline constexpr const char* kInvalidPatternException = "InvalidEventPatternException";
inline constexpr const char* kInvalidPatternPrefix = "Event pattern is not valid. Reason: ";

Result<EventPattern> ParseEventPattern(std::string_view text, const PatternOptions& options = {});

}  // namespace trailwatch::event
