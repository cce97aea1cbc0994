// explain_hook.cc: see explain_hook.h.
#include "tools/testing/explain_hook.h"

namespace trailwatch::spec {

std::string ExplainFilterText(std::string_view, std::string_view) { return ""; }
std::string ExplainEventText(std::string_view, std::string_view) { return ""; }

}  // namespace trailwatch::spec
