// explain_text.h: an explanation (engine/explain) as people read it — a tree, one sub-expression per line
// with ✓ (holds), ✗ (does not) or · (not evaluated) and what it read — and as JSON (`explain --output json`).
//
// Contract: ExplainText() ends every line with a newline and starts each with `indent`; the first line is
// the verdict ("match" / "no match", and the pattern kind), then the fields as split (space-delimited
// patterns), the tree, the notes. Pure.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/explain/explain.h"

namespace trailwatch::report {

std::string ExplainText(const explain::Explanation& x, std::string_view indent = "");
nlohmann::ordered_json ExplainJson(const explain::Explanation& x);

}  // namespace trailwatch::report
