// validate.h: the service-level limits EventBridge applies on top of its rule compiler.
//
// Contract: each check returns a Diagnostic (InvalidEventPatternException, AWS's message prefix) when the
// pattern breaks a limit, nullopt otherwise:
// - CheckUtf8: the whole text must be well-formed UTF-8 (AWS reads requests as UTF-8 and refuses others,
//   whatever part of the pattern the bad byte is in); the reason is Jackson's for a UTF-8 byte stream
//   ("Invalid UTF-8 start byte 0xff", "Invalid UTF-8 middle byte 0x41") with its location after the byte;
// - CheckPatternSize: the pattern's length in characters (UTF-16 units, as the service counts a Java string)
//   against options.max_size (2,048 by default; 4,096 when the quota is raised; larger values are capped at
//   the API's 4,096);
// - CheckCombinations: the number of sub-rules the `$or`s expand to against options.max_combinations (1,000);
// - CheckWildcardComplexity: per field, the wildcard complexity (wildcard.h) of all `wildcard` values the
//   pattern puts on that field against options.max_wildcard_complexity, with the message AWS is recorded
//   giving ("Rule is too complex - ..."). Records the largest complexity in pattern->wildcard_complexity.
// ParseEventPattern() calls them; they are exposed for tests.
#pragma once

#include <optional>
#include <string_view>

#include "patterns/common/diagnostic.h"
#include "patterns/event/ast.h"
#include "patterns/event/parser.h"

namespace trailwatch::event {

size_t PatternLength(std::string_view text);  // UTF-16 units
std::optional<Diagnostic> CheckUtf8(std::string_view text);
std::optional<Diagnostic> CheckPatternSize(std::string_view text, const PatternOptions& options);
std::optional<Diagnostic> CheckCombinations(std::string_view text, size_t combinations, const PatternOptions& options);
std::optional<Diagnostic> CheckWildcardComplexity(std::string_view text, EventPattern* pattern,
                                                  const PatternOptions& options);

}  // namespace trailwatch::event
