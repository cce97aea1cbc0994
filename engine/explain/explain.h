// explain.h: why a pattern matches a message (or an event), or why not — `trailwatch explain`, the
// `--explain` of `logs test-metric-filter` and `grep`, and the failures of `trailwatch test`.
//
// Contract: ExplainFilter() and ExplainEvent() compile the pattern as the product does (an invalid pattern
// is the same Diagnostic) and return the pattern's tree, each node a sub-expression as written with its
// truth value on this input and what it read: a JSON selector's values ("`$.x` = \"Failure\", wanted
// \"Success\""), a missing field with the nearest field that exists at the same place ("did you mean
// `$.eventName`?", patterns/common/nearest.h), a term found or not, the fields a space-delimited message
// splits into, an event field's values and which element of its list took them. Explanation::matched is
// the real engine's verdict (FilterSet, EventMatcher), never the explainer's own: every node is computed
// by a plain interpreter written beside them, and in the rare input where its reading and the engine's
// differ, a note says so and the verdict stands (the differential test, tests/explain, keeps them equal on
// every golden case). Nothing prints; nothing throws.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patterns/common/diagnostic.h"

namespace trailwatch::explain {

enum class Truth { kTrue, kFalse, kNotEvaluated };

struct Node {
  std::string label;   // the sub-expression as written: `$.eventName = ConsoleLogin`, `&&`, `"ERROR"`
  Truth truth = Truth::kNotEvaluated;
  std::string detail;  // what it read and why
  Span span;           // into the pattern text
  std::vector<Node> children;
};

struct Explanation {
  bool matched = false;  // the engine's verdict
  std::string kind;      // "match-all", "terms", "regex", "json", "delimited", "event"
  Node root;
  std::vector<std::pair<std::string, std::string>> fields;  // space-delimited: each field (name or $N) as split
  std::vector<std::string> notes;
};

Result<Explanation> ExplainFilter(std::string_view pattern, std::string_view message);
Result<Explanation> ExplainEvent(std::string_view pattern, std::string_view event_json);

}  // namespace trailwatch::explain
