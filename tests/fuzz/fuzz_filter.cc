// fuzz_filter.cc: libFuzzer target for CloudWatch Logs filter patterns. Compiles the first line; when it
// compiles, evaluates every message with the fast path (literal prefilter), the plain path and the reference
// interpreter (tests/filter/reference_eval.h), which must all agree on the match, the extracted values and
// the metric value. A pattern that does not compile must still render its diagnostic.
#include <optional>
#include <string>
#include <vector>

#include "engine/filter/filter_set.h"
#include "patterns/filter/compile.h"
#include "patterns/filter/metric.h"
#include "tests/filter/reference_eval.h"
#include "engine/explain/explain.h"
#include "tests/fuzz/fuzz_util.h"

using namespace trailwatch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > fuzz::kMaxInput) return 0;
  const fuzz::Split in = fuzz::SplitInput(data, size);
  auto ast = filter::AnalyzeFilterPattern(in.pattern);
  if (!ast.ok()) {
    (void)RenderDiagnostic(in.pattern, ast.error());
    return 0;
  }
  auto compiled = filter::CompileFilterAst(ast.value());
  if (!compiled.ok()) {
    (void)RenderDiagnostic(in.pattern, compiled.error());
    return 0;
  }
  for (const Diagnostic& w : compiled.value()->warnings) (void)RenderDiagnostic(in.pattern, w);
  // The pattern twice, so the shared trie and the prefilter see more than one pattern.
  const std::vector<std::shared_ptr<const filter::CompiledPattern>> patterns = {compiled.value(), compiled.value()};
  const engine::FilterSet fast(patterns, /*fast_paths=*/true);
  const engine::FilterSet plain(patterns, /*fast_paths=*/false);
  engine::FilterScratch fs, ps;
  // A metric value read from the event: the first selector (JSON) or the first field (space-delimited).
  filter::MetricTransformation t;
  t.metric_name = "m";
  t.metric_namespace = "n";
  const filter::CompiledPattern& cp = *compiled.value();
  if (cp.kind == filter::PatternKind::kJson && !cp.selectors.empty()) t.metric_value = cp.selectors[0].text;
  if (cp.kind == filter::PatternKind::kDelimited) t.metric_value = "$1";
  auto metric = filter::CompileMetricFilter("f", in.pattern, t);
  for (const std::string& m : in.messages) {
    fast.Evaluate(m, fs);
    plain.Evaluate(m, ps);
    const bool f = fast.Matched(0, fs), p = plain.Matched(0, ps);
    // The explanation never crashes, and its verdict is the engine's.
    auto x = explain::ExplainFilter(in.pattern, m);
    if (!x.ok() || x.value().matched != p) fuzz::Disagree("explain differs from the engine", in.pattern, m);
    if (f != p) fuzz::Disagree("fast and plain paths disagree", in.pattern, m);
    if (fast.Matched(1, fs) != f) fuzz::Disagree("one pattern twice in a set disagrees", in.pattern, m);
    if (testing::ReferenceMatch(ast.value(), m) != p) {
      std::fprintf(stderr, "plain %d reference %d\n", p, !p);
      fuzz::Disagree("plain path and reference disagree", in.pattern, m);
    }
    if (!f) continue;
    std::vector<std::pair<std::string, std::string>> fe, pe;
    fast.ExtractedValues(0, fs, &fe);
    plain.ExtractedValues(0, ps, &pe);
    if (fe != pe) fuzz::Disagree("extracted values differ", in.pattern, m);
    if (metric.ok()) {
      const std::optional<double> a = fast.NumberOf(0, metric.value()->value, fs);
      const std::optional<double> b = plain.NumberOf(0, metric.value()->value, ps);
      if (a.has_value() != b.has_value() || (a && !(*a == *b || (*a != *a && *b != *b)))) {
        fuzz::Disagree("metric values differ", in.pattern, m);
      }
    }
  }
  return 0;
}
