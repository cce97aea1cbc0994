// text.cc: PrintSummary(). See text.h.
#include "tools/report/text.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/cloudwatch/time.h"
#include "tools/report/format.h"

namespace trailwatch::report {
namespace {

using engine::FormatIsoUtc;

std::string Dims(const engine::Dimensions& dims) {
  if (dims.empty()) return "";
  std::string out = " {";
  bool first = true;
  for (const auto& [k, v] : dims) {
    out += (first ? "" : ", ") + k + "=" + v;
    first = false;
  }
  return out + "}";
}

}  // namespace

void PrintSummary(const engine::ReplayResult& r, std::ostream& out) {
  const engine::InputStats& in = r.input.stats;
  out << "trailwatch replay: " << in.records << " records from " << in.files << " file(s), "
      << FormatBytes(static_cast<double>(in.bytes)) << " (" << in.malformed << " malformed, " << in.skipped
      << " skipped, " << in.unreadable << " unreadable)";
  if (r.start_ms && r.end_ms) out << "\n  events from " << FormatIsoUtc(*r.start_ms) << " to " << FormatIsoUtc(*r.end_ms);
  out << "\n";
  for (const engine::InputProblem& p : r.input.problems) out << "  ! " << FormatProblem(p) << "\n";
  if (!r.setup.warnings.empty()) {
    out << "\nSetup warnings\n";
    for (const std::string& w : r.setup.warnings) out << "  - " << w << "\n";
  }
  out << "\nLog groups\n";
  for (const engine::LogGroupCounts& g : r.log_groups) {
    out << "  " << g.name << " (" << g.region << ")" << (g.defined ? "" : " [not in the setup]") << ": "
        << g.messages << " messages (" << g.raw_records << " CloudTrail records, " << g.eventbridge_events
        << " EventBridge events, " << g.text << " other)\n";
  }
  out << "\nMetrics (sum over the replay)\n";
  for (const engine::MetricSeries& m : r.metrics) {
    out << "  " << m.key.metric_namespace << "/" << m.key.name << Dims(m.key.dimensions) << ": "
        << FormatMetricNumber(m.total.sum) << "  (" << m.total.sample_count << " samples in " << m.datapoints.size()
        << " minute(s); filter " << engine::JoinNames(m.filters) << ")\n";
  }
  out << "\nAlarms\n";
  if (r.alarms.empty()) out << "  (none)\n";
  for (const engine::AlarmEvaluation& a : r.alarms) {
    out << "  " << a.config.name << " (" << a.config.region << "): ";
    if (a.error) {
      out << "invalid: " << nlohmann::json(a.error->message).dump() << "\n";
      continue;
    }
    out << a.transitions.size() << " transition(s), final state " << engine::AlarmStateName(a.final_state) << "\n";
    for (const engine::AlarmTransition& t : a.transitions) {
      out << "    " << FormatIsoUtc(t.timestamp_ms) << "  " << engine::AlarmStateName(t.from) << " -> "
          << engine::AlarmStateName(t.to) << "  " << t.reason << "\n";
    }
  }
  out << "\nFindings\n";
  if (r.findings.empty()) out << "  none\n";
  for (const engine::Finding& f : r.findings) {
    std::string sev(engine::SeverityName(f.info().severity));
    for (char& ch : sev) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    out << "  [" << sev << "] " << f.info().name << ": " << f.message << "\n";
    size_t shown = 0;
    for (const engine::FindingExample& e : f.examples) {
      if (shown++ == 3) break;
      out << "      e.g. " << e.file;
      if (e.line) out << ":" << e.line;
      if (e.index) out << " [" << e.index << "]";
      if (!e.region.empty()) out << "  " << e.region;
      if (!e.event_time.empty()) out << "  " << e.event_time;
      if (!e.event_id.empty()) out << "  eventID " << e.event_id;
      if (!e.detail.empty()) out << "  " << e.detail.substr(0, 120);
      out << "\n";
    }
  }
}

}  // namespace trailwatch::report
