// explain_hook.cc: see explain_hook.h.
#include "tools/testing/explain_hook.h"

#include "engine/explain/explain.h"
#include "tools/report/explain_text.h"

namespace trailwatch::spec {

std::string ExplainFilterText(std::string_view pattern, std::string_view message) {
  Result<explain::Explanation> x = explain::ExplainFilter(pattern, message);
  if (!x.ok()) return RenderDiagnostic(pattern, x.error());
  return report::ExplainText(x.value());
}

std::string ExplainEventText(std::string_view pattern, std::string_view event) {
  Result<explain::Explanation> x = explain::ExplainEvent(pattern, event);
  if (!x.ok()) return RenderDiagnostic(pattern, x.error());
  return report::ExplainText(x.value());
}

}  // namespace trailwatch::spec
