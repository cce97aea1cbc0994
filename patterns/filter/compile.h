// compile.h: the public entry points of the filter-pattern compiler.
//
// Contract: AnalyzeFilterPattern() runs AWS's checks in AWS's order — UTF-8 (AWS takes nothing else), the
// 1024-character limit, then syntax
// (parser.h), then the creation-time quotas (check.h) — and returns the AST or the first Diagnostic.
// CompileFilterPattern() goes on to lower the AST to an immutable CompiledPattern (program.h), with warnings
// for patterns AWS accepts but that probably do not mean what their author thinks, or that are slow to match
// (a regex of more than kSlowRegexInstructions RE2 instructions).
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "patterns/common/diagnostic.h"
#include "patterns/filter/ast.h"
#include "patterns/filter/program.h"

namespace trailwatch::filter {

inline constexpr size_t kMaxPatternLength = 1024;  // characters (PutMetricFilter / TestMetricFilter)
inline constexpr int kMaxRegexPerPattern = 2;      // JSON and space-delimited patterns
inline constexpr int kMaxWildcardSelectors = 3;    // JSON patterns
// Regexes whose RE2 program is larger get a warning: matching them on long messages can be slow.
inline constexpr int kSlowRegexInstructions = 1000;

Result<FilterAst> AnalyzeFilterPattern(std::string_view pattern);

Result<std::shared_ptr<const CompiledPattern>> CompileFilterPattern(std::string_view pattern);

// Lowers an already analyzed AST (used by tests and by CompileFilterPattern).
Result<std::shared_ptr<const CompiledPattern>> CompileFilterAst(const FilterAst& ast);

// AWS's creation-time restrictions on a parsed pattern (regex and wildcard quotas). Empty when fine.
std::optional<Diagnostic> CheckFilterPattern(const FilterAst& ast);

}  // namespace trailwatch::filter
