// reference_eval.h: a plain, slow, independent interpreter of filter-pattern ASTs — the oracle of the
// differential test. It shares only the parser with the product: JSON comes from nlohmann::json (not
// simdjson), selectors are resolved by recursion over the AST, space-delimited events are split by its own
// code. Same documented rules as engine/filter/filter_set.h.
#pragma once

#include <string>
#include <string_view>

#include "patterns/filter/ast.h"

namespace trailwatch::testing {

bool ReferenceMatch(const filter::FilterAst& ast, std::string_view message);

}  // namespace trailwatch::testing
