// explain_hook.h: the explanation a failed filter or rule test shows — the pattern's tree with each
// sub-expression's truth value and the values it read (engine/explain, printed by tools/report/explain_text).
//
// Contract: multi-line text (ends in a newline, or empty when there is nothing to say); never fails — a
// pattern that does not compile gives its diagnostic instead.
#pragma once

#include <string>
#include <string_view>

namespace trailwatch::spec {

std::string ExplainFilterText(std::string_view pattern, std::string_view message);
std::string ExplainEventText(std::string_view pattern, std::string_view event);

}  // namespace trailwatch::spec
