// parser.h: CloudWatch Logs filter-pattern text -> FilterAst.
//
// Contract: ParseFilterPattern() classifies the pattern by its first non-blank character ('{' JSON, '['
// space-delimited, '%' regex, anything else terms; empty or blank: match-all) and parses it with the grammar
// of that kind. It reports the first syntax error as a Diagnostic (InvalidParameterException, AWS's message,
// our precise message, span, hint). It does not apply AWS's quotas (check.h) nor the 1024-character limit
// (AnalyzeFilterPattern in compile.h applies all three, in AWS's order).
#pragma once

#include <string_view>

#include "patterns/common/diagnostic.h"
#include "patterns/filter/ast.h"

namespace trailwatch::filter {

inline constexpr const char* kInvalidParameterException = "InvalidParameterException";

Result<FilterAst> ParseFilterPattern(std::string_view pattern);

// Parses a JSON selector such as "$.detail.eventName" on its own (metric values and dimensions use them).
Result<Selector> ParseSelector(std::string_view text);

}  // namespace trailwatch::filter
