// validate.h: the service-level limits EventBridge applies on top of its rule compiler.
//
// Contract: each check returns a Diagnostic (InvalidEventPatternException, AWS's message prefix) when the
// pattern breaks a limit, nullopt otherwise:
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
std::optional<Diagnostic> CheckPatternSize(std::string_view text, const PatternOptions& options);
std::optional<Diagnostic> CheckCombinations(std::string_view text, size_t combinations, const PatternOptions& options);
std::optional<Diagnostic> CheckWildcardComplexity(std::string_view text, EventPattern* pattern,
                                                  const PatternOptions& options);

}  // namespace trailwatch::event
