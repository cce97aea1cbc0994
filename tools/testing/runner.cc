// runner.cc: running `trailwatch test` files. See runner.h.
#include "tools/testing/runner.h"

#include <chrono>
#include <cmath>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/cloudwatch/time.h"
#include "engine/event/cloudtrail.h"
#include "engine/event/matcher.h"
#include "engine/fast_paths.h"
#include "engine/filter/filter_set.h"
#include "engine/input/reader.h"
#include "engine/routing/findings.h"
#include "engine/routing/replay.h"
#include "patterns/event/compile.h"
#include "patterns/event/parser.h"
#include "patterns/filter/compile.h"
#include "patterns/filter/metric.h"
#include "tools/report/format.h"
#include "tools/testing/explain_hook.h"

namespace trailwatch::spec {

const char* TestKindName(TestCase::Kind kind) {
  switch (kind) {
    case TestCase::Kind::kFilter: return "filter";
    case TestCase::Kind::kRule: return "rule";
    case TestCase::Kind::kReplay: return "replay";
    case TestCase::Kind::kInvalid: return "invalid";
  }
  return "?";
}

namespace {

std::string Num(double v) { return report::FormatMetricNumber(v); }

std::string PairsText(const Pairs& p) {
  if (p.empty()) return "{}";
  std::string out = "{";
  for (size_t i = 0; i < p.size(); ++i) out += (i ? ", " : "") + p[i].first + ": " + p[i].second;
  return out + "}";
}

std::string DiagnosticText(const Diagnostic& d) {
  return d.exception + ": " + (d.aws_message.empty() ? d.message : d.aws_message);
}

// ---- filter tests -----------------------------------------------------------------------------------------
void RunFilter(const TestCase& c, TestOutcome& out) {
  const engine::MetricFilterConfig& f = c.filter;
  filter::MetricTransformation t;
  t.metric_name = f.transformation.metric_name;
  t.metric_namespace = f.transformation.metric_namespace;
  t.metric_value = f.transformation.metric_value;
  t.default_value = f.transformation.default_value;
  t.unit = f.transformation.unit;
  t.dimensions = f.transformation.dimensions;
  auto compiled = filter::CompileMetricFilter(f.name, f.filter_pattern, t);
  if (!compiled.ok()) {
    const Diagnostic& d = compiled.error();
    out.failures.push_back({c.where, "the filter does not compile: " + DiagnosticText(d), "a valid filter",
                            d.exception, RenderDiagnostic(d.source.empty() ? f.filter_pattern : d.source, d)});
    return;
  }
  const filter::CompiledMetricFilter& mf = *compiled.value();
  engine::FilterSet set({mf.pattern}, engine::FastPathEnabled(engine::FastPath::kPrefilter));
  engine::FilterScratch scratch;
  std::vector<std::pair<std::string, std::string>> extracted;
  std::string text;
  for (const MessageCase& m : c.messages) {
    set.Evaluate(m.message, scratch);
    const bool matched = set.Matched(0, scratch);
    if (matched != m.match) {
      out.failures.push_back({m.where, m.label + ": expected " + (m.match ? "a match" : "no match") + ", got " +
                                           (matched ? "a match" : "no match"),
                              m.match ? "match" : "no match", matched ? "match" : "no match",
                              "message: " + m.message + "\n" + ExplainFilterText(f.filter_pattern, m.message)});
      continue;
    }
    if (!matched) continue;
    if (m.has_value) {
      const std::optional<double> v = set.NumberOf(0, mf.value, scratch);
      const bool same = v.has_value() == m.value.has_value() && (!v || *v == *m.value);
      if (!same) {
        out.failures.push_back({m.where, m.label + ": the value published differs",
                                m.value ? Num(*m.value) : "none (no number)", v ? Num(*v) : "none (no number)",
                                "metricValue " + mf.transformation.metric_value + " of message: " + m.message});
      }
    }
    if (m.dimensions) {
      Pairs got;
      bool ok = true;
      for (const auto& [key, ref] : mf.dimensions) {
        if (!set.TextOf(0, ref, scratch, &text)) {
          ok = false;
          break;
        }
        got.emplace_back(key, text);
      }
      std::sort(got.begin(), got.end());
      const std::string got_text = ok ? PairsText(got) : "none (a dimension value is missing: nothing is published)";
      if (!ok || got != *m.dimensions) {
        out.failures.push_back({m.where, m.label + ": the dimensions differ", PairsText(*m.dimensions), got_text,
                                "message: " + m.message});
      }
    }
    if (m.extracted) {
      set.ExtractedValues(0, scratch, &extracted);
      Pairs got(extracted.begin(), extracted.end());
      std::sort(got.begin(), got.end());
      if (got != *m.extracted) {
        out.failures.push_back({m.where, m.label + ": the extracted values differ", PairsText(*m.extracted),
                                PairsText(got), "message: " + m.message});
      }
    }
  }
}

// ---- rule tests -------------------------------------------------------------------------------------------
// The CloudTrail facts of an EventBridge event that carries a CloudTrail record (detail-type "... via
// CloudTrail"), for the rule state; false for other events.
bool FactsOfEvent(const std::string& event, engine::CloudTrailFacts* facts) {
  nlohmann::json j = nlohmann::json::parse(event, nullptr, false);
  if (!j.is_object()) return false;
  auto dt = j.find("detail-type");
  auto detail = j.find("detail");
  if (dt == j.end() || !dt->is_string() || detail == j.end() || !detail->is_object()) return false;
  const std::string type = dt->get<std::string>();
  if (type.size() < 14 || type.compare(type.size() - 14, 14, "via CloudTrail") != 0) return false;
  std::string error;
  return engine::ReadCloudTrailFacts(detail->dump(), facts, &error);
}

void RunRule(const TestCase& c, TestOutcome& out) {
  Result<event::EventPattern> parsed = event::ParseEventPattern(c.rule.event_pattern);
  if (!parsed.ok()) {
    const Diagnostic& d = parsed.error();
    out.failures.push_back({c.where, "the event pattern does not compile: " + DiagnosticText(d), "a valid pattern",
                            d.exception, RenderDiagnostic(c.rule.event_pattern, d)});
    return;
  }
  engine::RuleState state = engine::RuleState::kEnabled;
  engine::ParseRuleState(c.rule.state, &state);
  auto set = event::CompileRuleSet({std::make_shared<const event::EventPattern>(std::move(parsed).value())});
  engine::EventMatcher matcher(set, engine::FastPathEnabled(engine::FastPath::kWalk));
  engine::EventScratch scratch;
  for (const EventCase& e : c.events) {
    std::string event = e.event, error;
    engine::CloudTrailFacts facts;
    bool cloudtrail = false;
    if (e.from_record) {
      if (!engine::WrapCloudTrailRecord(e.event, &event, &error)) {
        out.failures.push_back({e.where, e.label + ": the record cannot be wrapped: " + error, "a CloudTrail record",
                                "not one", ""});
        continue;
      }
      cloudtrail = engine::ReadCloudTrailFacts(e.event, &facts, &error);
    } else {
      cloudtrail = FactsOfEvent(e.event, &facts);
    }
    std::string why;
    bool matched = false;
    if (state == engine::RuleState::kDisabled) {
      why = "the rule is DISABLED: it sees no event";
    } else if (cloudtrail && !engine::DeliveredToRule(facts, state)) {
      why = "the rule's state is " + c.rule.state + ": EventBridge does not deliver the read-only management event " +
            facts.event_name + " to it (only ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS rules see those)";
    } else {
      matcher.Evaluate(event, scratch);
      matched = matcher.Matched(0, scratch);
    }
    if (matched != e.match) {
      std::string explanation = "event: " + event + "\n";
      explanation += why.empty() ? ExplainEventText(c.rule.event_pattern, event) : why + "\n";
      out.failures.push_back({e.where, e.label + ": expected " + (e.match ? "a match" : "no match") + ", got " +
                                           (matched ? "a match" : "no match"),
                              e.match ? "match" : "no match", matched ? "match" : "no match", explanation});
    }
  }
}

// ---- invalid-pattern tests --------------------------------------------------------------------------------
void RunInvalid(const TestCase& c, TestOutcome& out) {
  std::optional<Diagnostic> error;
  if (c.invalid_event) {
    Result<event::EventPattern> parsed = event::ParseEventPattern(c.pattern);
    if (!parsed.ok()) error = parsed.error();
  } else {
    auto compiled = filter::CompileFilterPattern(c.pattern);
    if (!compiled.ok()) error = compiled.error();
  }
  if (!error) {
    out.failures.push_back({c.where, "the pattern is valid: AWS would accept it", c.invalid, "accepted", ""});
    return;
  }
  const std::string text = error->aws_message.empty() ? error->message : error->aws_message;
  if (error->exception != c.invalid) {
    out.failures.push_back({c.where, "the pattern is rejected with another exception", c.invalid,
                            DiagnosticText(*error), RenderDiagnostic(c.pattern, *error)});
    return;
  }
  if (!c.message_contains.empty() && text.find(c.message_contains) == std::string::npos &&
      error->message.find(c.message_contains) == std::string::npos) {
    out.failures.push_back({c.where, "the error message does not contain the expected text",
                            "a message containing \"" + c.message_contains + "\"", text,
                            RenderDiagnostic(c.pattern, *error)});
  }
}

// ---- replay tests -----------------------------------------------------------------------------------------
class StreamSink : public engine::RecordSink {
 public:
  explicit StreamSink(engine::Replay::Stream& s) : s_(s) {}
  bool OnRecord(const engine::InputRecord& r) override { return s_.Feed(r); }
  void OnProblem(const engine::InputProblem& p) override { s_.Problem(p); }

 private:
  engine::Replay::Stream& s_;
};

void AddStats(engine::InputStats& into, const engine::InputStats& s) {
  into.files += s.files;
  into.bytes += s.bytes;
  into.records += s.records;
  into.malformed += s.malformed;
  into.skipped += s.skipped;
  into.unreadable += s.unreadable;
  into.by_file.insert(into.by_file.end(), s.by_file.begin(), s.by_file.end());
}

bool SameDims(const engine::Dimensions& a, const Pairs& b) { return engine::Dimensions(b.begin(), b.end()) == a; }

std::string DatapointsText(const std::vector<const engine::MetricSeries*>& series) {
  std::ostringstream os;
  size_t shown = 0;
  for (const engine::MetricSeries* s : series) {
    os << "  " << (s->key.region.empty() ? "" : s->key.region + " ") << s->key.metric_namespace << "/" << s->key.name;
    if (!s->key.dimensions.empty()) os << " " << PairsText(Pairs(s->key.dimensions.begin(), s->key.dimensions.end()));
    os << ": sum " << Num(s->total.sum) << " over " << s->total.sample_count << " sample(s)\n";
    for (const engine::Datapoint& d : s->datapoints) {
      if (++shown > 30) break;
      os << "    " << engine::FormatIsoUtc(d.timestamp_ms) << "  sum " << Num(d.stats.sum) << "  samples "
         << d.stats.sample_count << "  min " << Num(d.stats.minimum) << "  max " << Num(d.stats.maximum) << "\n";
    }
  }
  if (series.empty()) os << "  (no datapoint of this metric was published)\n";
  return os.str();
}

void CheckMetric(const MetricExpect& m, const engine::ReplayResult& r, TestOutcome& out) {
  std::vector<const engine::MetricSeries*> series;
  for (const engine::MetricSeries& s : r.metrics) {
    if (s.key.metric_namespace != m.metric_namespace || s.key.name != m.metric_name) continue;
    if (!m.region.empty() && s.key.region != m.region) continue;
    if (m.dimensions && !SameDims(s.key.dimensions, *m.dimensions)) continue;
    series.push_back(&s);
  }
  engine::Statistics got;
  bool any = false;
  for (const engine::MetricSeries* s : series) {
    auto add = [&](const engine::Statistics& st) {
      if (st.sample_count == 0) return;
      if (!any) {
        got = st;
        any = true;
      } else {
        got.Combine(st);
      }
    };
    if (!m.at_ms) {
      add(s->total);
    } else {
      for (const engine::Datapoint& d : s->datapoints) {
        if (d.timestamp_ms == *m.at_ms) add(d.stats);
      }
    }
  }
  auto check = [&](const char* what, const std::optional<double>& want, std::optional<double> have) {
    if (!want) return;
    if (have && (*have == *want || std::fabs(*have - *want) <= 1e-9 * std::max(1.0, std::fabs(*want)))) return;
    out.failures.push_back({m.where, m.text + ": " + what + " differs", Num(*want),
                            have ? Num(*have) : std::string("no datapoint"), "datapoints:\n" + DatapointsText(series)});
  };
  // No datapoint: a sum and a sample count of 0 hold; the other statistics have no value.
  check("sum", m.sum, any ? got.sum : 0.0);
  check("samples", m.samples, any ? static_cast<double>(got.sample_count) : 0.0);
  check("min", m.minimum, any ? std::optional<double>(got.minimum) : std::nullopt);
  check("max", m.maximum, any ? std::optional<double>(got.maximum) : std::nullopt);
  check("average", m.average, any ? std::optional<double>(got.Average()) : std::nullopt);
}

void CheckAlarm(const AlarmExpect& a, const engine::ReplayResult& r, TestOutcome& out) {
  const engine::AlarmEvaluation* found = nullptr;
  for (const engine::AlarmEvaluation& e : r.alarms) {
    if (e.config.name == a.alarm && (a.region.empty() || e.config.region == a.region)) {
      found = &e;
      break;
    }
  }
  const std::string label = "alarm " + a.alarm + (a.at_ms ? " at " + engine::FormatIsoUtc(*a.at_ms) : "");
  if (found == nullptr) {
    out.failures.push_back({a.where, label + ": the alarm is not in the setup" +
                                         (a.region.empty() ? "" : std::string(" in ") + a.region),
                            a.state, "no such alarm", ""});
    return;
  }
  if (found->error) {
    out.failures.push_back({a.where, label + ": the alarm cannot be evaluated: " + found->error->message, a.state,
                            "not evaluated", ""});
    return;
  }
  engine::AlarmState state = engine::AlarmState::kInsufficientData;
  uint64_t transitions = 0;
  std::ostringstream timeline;
  for (const engine::AlarmTransition& t : found->transitions) {
    timeline << "  " << engine::FormatIsoUtc(t.timestamp_ms) << "  " << engine::AlarmStateName(t.from) << " -> "
             << engine::AlarmStateName(t.to) << "  " << t.reason << "\n";
    if (a.at_ms && t.timestamp_ms > *a.at_ms) continue;
    state = t.to;
    ++transitions;
  }
  if (!a.at_ms) state = found->final_state;
  std::string explanation = "transitions:\n" + (found->transitions.empty() ? std::string("  (none)\n") : timeline.str());
  if (!a.state.empty() && a.state != engine::AlarmStateName(state)) {
    out.failures.push_back({a.where, label + ": the state differs", a.state, engine::AlarmStateName(state), explanation});
  }
  if (a.transitions && *a.transitions != transitions) {
    out.failures.push_back({a.where, label + ": the number of transitions differs", std::to_string(*a.transitions),
                            std::to_string(transitions), explanation});
  }
}

void CheckFindings(const TestCase& c, const engine::ReplayResult& r, TestOutcome& out) {
  std::ostringstream all;
  for (const engine::Finding& f : r.findings) all << "  [" << f.info().name << "] " << f.message << "\n";
  const std::string listing = "findings:\n" + (r.findings.empty() ? std::string("  (none)\n") : all.str());
  if (c.findings) {
    if (c.findings->empty() && !r.findings.empty()) {
      std::string kinds;
      for (const engine::Finding& f : r.findings) kinds += (kinds.empty() ? "" : ", ") + std::string(f.info().name);
      out.failures.push_back({c.where, "expected no finding, got " + std::to_string(r.findings.size()), "none",
                              kinds, listing});
    }
    for (const FindingExpect& fe : *c.findings) {
      uint64_t count = 0;
      bool present = false;
      for (const engine::Finding& f : r.findings) {
        if (f.info().name == fe.kind) {
          present = true;
          count += f.count;
        }
      }
      if (!present) {
        out.failures.push_back({fe.where, "expected a " + fe.kind + " finding, got none", fe.kind, "none", listing});
      } else if (fe.count && *fe.count != count) {
        out.failures.push_back({fe.where, fe.kind + ": the count differs", std::to_string(*fe.count),
                                std::to_string(count), listing});
      }
    }
  }
  for (const std::string& kind : c.findings_absent) {
    for (const engine::Finding& f : r.findings) {
      if (f.info().name == kind) {
        out.failures.push_back({c.where, "expected no " + kind + " finding, got one: " + f.message, "none", kind,
                                listing});
        break;
      }
    }
  }
}

void RunReplay(const TestCase& c, const engine::Setup& setup, TestOutcome& out) {
  engine::ReplayOptions options;
  options.log_group = c.log_group;
  options.log_group_region = c.log_group_region;
  std::vector<engine::ReplayError> errors;
  auto replay = engine::Replay::Create(setup, options, &errors);
  if (!replay.ok()) {
    std::string text;
    for (const engine::ReplayError& e : errors) text += e.resource + ": " + DiagnosticText(e.diagnostic) + "\n";
    out.failures.push_back({c.where, "the setup cannot be replayed: " + replay.error().message, "a valid setup",
                            "errors", text});
    return;
  }
  std::unique_ptr<engine::Replay::Stream> stream = replay.value()->OpenStream({});
  StreamSink sink(*stream);
  engine::ReaderOptions ro;
  ro.prefetch = false;
  engine::InputReader reader(ro);
  engine::InputStats stats;
  for (const InputItem& in : c.inputs) {
    if (!in.path.empty()) {
      AddStats(stats, reader.Read(std::vector<std::string>{in.path}, sink));
    } else {
      AddStats(stats, reader.ReadMemory(in.name, in.data, sink));
    }
  }
  const engine::ReplayResult result = stream->Finish(stats);
  for (const engine::InputProblem& p : result.input.problems) {
    out.failures.push_back({c.where, "an input problem: " + report::FormatProblem(p), "inputs without problems",
                            engine::ProblemKindName(p.kind), ""});
  }
  for (const MetricExpect& m : c.metrics) CheckMetric(m, result, out);
  for (const AlarmExpect& a : c.alarms) CheckAlarm(a, result, out);
  CheckFindings(c, result, out);
}

}  // namespace

FileOutcome RunTestFile(const TestFile& file, const RunOptions& options) {
  FileOutcome outcome;
  outcome.path = file.path;
  const auto file_start = std::chrono::steady_clock::now();
  if (file.has_setup) {
    // Every pattern, transformation and alarm of the setup, compiled once: a setup error stops the file.
    std::vector<engine::ReplayError> errors;
    auto replay = engine::Replay::Create(file.setup, engine::ReplayOptions{}, &errors);
    if (!replay.ok()) {
      std::string text = replay.error().message;
      for (const engine::ReplayError& e : errors) {
        text += "\n" + e.resource + ": " + DiagnosticText(e.diagnostic);
        const std::string rendered = RenderDiagnostic(e.text, e.diagnostic);
        if (!rendered.empty()) text += "\n" + rendered;
      }
      outcome.setup_error = text;
      return outcome;
    }
  }
  for (const TestCase& c : file.tests) {
    if (options.select && !std::regex_search(c.name, *options.select)) continue;
    TestOutcome t;
    t.name = c.name;
    t.kind = TestKindName(c.kind);
    t.where = c.where;
    const auto start = std::chrono::steady_clock::now();
    switch (c.kind) {
      case TestCase::Kind::kFilter: RunFilter(c, t); break;
      case TestCase::Kind::kRule: RunRule(c, t); break;
      case TestCase::Kind::kInvalid: RunInvalid(c, t); break;
      case TestCase::Kind::kReplay: RunReplay(c, file.setup, t); break;
    }
    t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    outcome.tests.push_back(std::move(t));
  }
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - file_start).count();
  return outcome;
}

}  // namespace trailwatch::spec
