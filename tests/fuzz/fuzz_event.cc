// fuzz_event.cc: libFuzzer target for EventBridge event patterns. Parses the first line (a parse error must
// render its diagnostic); when it parses, compiles it (alone, and in one set with a second copy) and
// evaluates every event with the fast structural walk, the plain On-Demand walk and the reference
// interpreter (engine/event/reference.h), which must all agree on valid JSON events; each event is also wrapped as EventBridge
// wraps a CloudTrail record and matched again.
#include <memory>
#include <string>

#include "engine/event/cloudtrail.h"
#include "engine/event/matcher.h"
#include "engine/event/reference.h"
#include "patterns/event/compile.h"
#include "patterns/event/dump.h"
#include "patterns/event/json_value.h"
#include "patterns/event/parser.h"
#include "engine/explain/explain.h"
#include "tests/fuzz/fuzz_util.h"

using namespace trailwatch;

namespace {

void Check(const fuzz::Split& in, const std::shared_ptr<const event::EventPattern>& pattern,
           const engine::EventMatcher& fast, const engine::EventMatcher& plain, const std::string& ev) {
  static engine::EventScratch fs, ps;
  event::JsonValue value;
  std::string error;
  const bool valid = event::ParseJsonValue(ev, &value, &error);
  const bool fok = fast.Evaluate(ev, fs);
  const bool pok = plain.Evaluate(ev, ps);
  // Malformed events may be told apart differently by the two walks (each checks the grammar of what it
  // walks and only the bracket balance of what it skips: engine/event/matcher.h); valid ones never.
  if (!valid) return;
  if (fok != pok || fs.status() != ps.status()) {
    fuzz::Disagree("fast and plain walks disagree on whether the event was evaluated", in.pattern, ev);
  }
  if (!fok) return;
  const bool f = fast.Matched(0, fs), p = plain.Matched(0, ps);
  if (f != p) fuzz::Disagree("fast and plain walks disagree", in.pattern, ev);
  if (fast.size() > 1 && fast.Matched(1, fs) != f) fuzz::Disagree("one pattern twice in a set disagrees", in.pattern, ev);
  if (valid && engine::ReferenceMatches(*pattern, value) != p) {
    fuzz::Disagree("plain walk and reference disagree", in.pattern, ev);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > fuzz::kMaxInput) return 0;
  const fuzz::Split in = fuzz::SplitInput(data, size);
  auto parsed = event::ParseEventPattern(in.pattern);
  if (!parsed.ok()) {
    (void)RenderDiagnostic(in.pattern, parsed.error());
    return 0;
  }
  (void)event::DumpPattern(parsed.value());
  auto pattern = std::make_shared<const event::EventPattern>(std::move(parsed).value());
  auto alone = event::CompileRuleSet({pattern});
  auto twice = event::CompileRuleSet({pattern, pattern});
  const engine::EventMatcher fast(alone, true), plain(alone, false);
  const engine::EventMatcher fast2(twice, true), plain2(twice, false);
  std::string wrapped, error;
  for (const std::string& ev : in.messages) {
    Check(in, pattern, fast, plain, ev);
    // The explanation never crashes, and its verdict is the engine's.
    auto x = explain::ExplainEvent(in.pattern, ev);
    engine::EventScratch scratch;
    plain.Evaluate(ev, scratch);
    if (!x.ok() || x.value().matched != plain.Matched(0, scratch)) {
      fuzz::Disagree("explain differs from the engine", in.pattern, ev);
    }
    Check(in, pattern, fast2, plain2, ev);
    if (engine::WrapCloudTrailRecord(ev, &wrapped, &error)) Check(in, pattern, fast, plain, wrapped);
  }
  return 0;
}
