// eval.cc: one metric filter and one event pattern evaluated on one CloudTrail-shaped event with
// trailwatch::eval; prints both answers.
#include <cstdio>
#include <memory>
#include <string_view>

#include "engine/event/matcher.h"
#include "engine/filter/filter_set.h"
#include "patterns/event/compile.h"
#include "patterns/event/parser.h"
#include "patterns/filter/compile.h"

int main() {
  constexpr std::string_view kEvent =
      R"({"source": "aws.signin", "detail": {"eventName": "ConsoleLogin", "errorCode": "AccessDenied"}})";
  auto filter = trailwatch::filter::CompileFilterPattern("{ $.detail.errorCode = \"AccessDenied\" }");
  auto rule = trailwatch::event::ParseEventPattern(R"({"detail": {"eventName": ["ConsoleLogin"]}})");
  if (!filter.ok() || !rule.ok()) return 1;
  trailwatch::engine::FilterSet filters({filter.value()});
  trailwatch::engine::FilterScratch fs;
  filters.Evaluate(kEvent, fs);
  trailwatch::engine::EventMatcher rules(trailwatch::event::CompileRuleSet(
      {std::make_shared<const trailwatch::event::EventPattern>(std::move(rule).value())}));
  trailwatch::engine::EventScratch es;
  rules.Evaluate(kEvent, es);
  std::printf("filter %s; rule %s\n", filters.Matched(0, fs) ? "matched" : "did not match",
              rules.Matched(0, es) ? "matched" : "did not match");
  return 0;
}
