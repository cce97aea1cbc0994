// result.cc: ToJson() — the one place the result document's schema is written (README
// "replay --output json"). See result.h.
#include "engine/routing/result.h"

#include <cmath>

#include "engine/cloudwatch/time.h"
#include "engine/version.h"

namespace trailwatch::engine {
namespace {

using J = nlohmann::ordered_json;

J ExampleJson(const FindingExample& e) {
  J j;
  j["file"] = e.file;
  if (e.line) j["line"] = e.line;
  else j["offset"] = e.offset;
  if (e.index) j["index"] = e.index;
  if (!e.event_id.empty()) j["event_id"] = e.event_id;
  if (!e.region.empty()) j["region"] = e.region;
  if (!e.event_time.empty()) j["event_time"] = e.event_time;
  if (!e.detail.empty()) j["detail"] = e.detail;
  return j;
}

J FindingJson(const Finding& f) {
  J j;
  j["kind"] = f.info().name;
  j["severity"] = SeverityName(f.info().severity);
  j["message"] = f.message;
  j["count"] = f.count;
  j["examples"] = J::array();
  for (const FindingExample& e : f.examples) j["examples"].push_back(ExampleJson(e));
  return j;
}

}  // namespace

nlohmann::ordered_json JsonNumber(double v) {
  if (std::isfinite(v) && v == std::trunc(v) && std::fabs(v) < 9.0e15) {
    return nlohmann::ordered_json(static_cast<int64_t>(v));
  }
  if (!std::isfinite(v)) return nlohmann::ordered_json(nullptr);  // JSON has no NaN/Infinity
  return nlohmann::ordered_json(v);
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

nlohmann::ordered_json MetricsToJson(const std::vector<MetricSeries>& series) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const MetricSeries& s : series) {
    nlohmann::ordered_json m = nlohmann::ordered_json::object();
    m["namespace"] = s.key.metric_namespace;
    m["name"] = s.key.name;
    nlohmann::ordered_json dims = nlohmann::ordered_json::object();
    for (const auto& [k, v] : s.key.dimensions) dims[k] = v;
    m["dimensions"] = std::move(dims);
    m["unit"] = s.unit;
    m["filter"] = JoinNames(s.filters);
    m["log_group"] = JoinNames(s.log_groups);
    m["sum"] = JsonNumber(s.total.sum);
    m["sample_count"] = s.total.sample_count;
    nlohmann::ordered_json dps = nlohmann::ordered_json::array();
    for (const Datapoint& dp : s.datapoints) {
      nlohmann::ordered_json d = nlohmann::ordered_json::object();
      d["timestamp"] = FormatIsoUtc(dp.timestamp_ms);
      d["sum"] = JsonNumber(dp.stats.sum);
      d["sample_count"] = dp.stats.sample_count;
      d["min"] = JsonNumber(dp.stats.minimum);
      d["max"] = JsonNumber(dp.stats.maximum);
      dps.push_back(std::move(d));
    }
    m["datapoints"] = std::move(dps);
    m["region"] = s.key.region;
    m["default_samples"] = s.default_samples;
    m["rejected_values"] = s.rejected_values;
    if (s.unit_conflict) m["unit_conflict"] = true;
    out.push_back(std::move(m));
  }
  return out;
}

nlohmann::ordered_json AlarmsToJson(const std::vector<AlarmEvaluation>& alarms) {
  using J = nlohmann::ordered_json;
  J out = J::array();
  for (const AlarmEvaluation& e : alarms) {
    const AlarmConfig& c = e.config;
    J a = J::object();
    a["name"] = c.name;
    a["region"] = c.region;
    a["namespace"] = c.metric_namespace;
    a["metric_name"] = c.metric_name;
    J dims = J::object();
    for (const auto& [k, v] : MakeMetricKey("", "", "", c.dimensions).dimensions) dims[k] = v;
    a["dimensions"] = std::move(dims);
    a["statistic"] = c.statistic;
    a["period"] = c.period;
    a["evaluation_periods"] = c.evaluation_periods;
    a["datapoints_to_alarm"] = c.datapoints_to_alarm == 0 ? c.evaluation_periods : c.datapoints_to_alarm;
    a["threshold"] = JsonNumber(c.threshold);
    a["comparison_operator"] = c.comparison_operator;
    a["treat_missing_data"] = c.treat_missing_data.empty() ? std::string("missing") : c.treat_missing_data;
    a["final_state"] = AlarmStateName(e.final_state);
    J ts = J::array();
    for (const AlarmTransition& t : e.transitions) {
      J j = J::object();
      j["timestamp"] = FormatIsoUtc(t.timestamp_ms);
      j["from"] = AlarmStateName(t.from);
      j["to"] = AlarmStateName(t.to);
      j["reason"] = t.reason;
      j["value"] = t.evaluated.empty() ? J(nullptr) : JsonNumber(t.evaluated.front().value);
      J dps = J::array();
      for (const EvaluatedDatapoint& d : t.evaluated) {
        J dp = J::object();
        dp["timestamp"] = FormatIsoUtc(d.timestamp_ms);
        dp["value"] = JsonNumber(d.value);
        dp["breaching"] = d.breaching;
        dps.push_back(std::move(dp));
      }
      j["datapoints"] = std::move(dps);
      if (t.filled > 0) j["filled_missing"] = t.filled;
      ts.push_back(std::move(j));
    }
    a["transitions"] = std::move(ts);
    a["metric_found"] = e.metric_found;
    if (e.error) a["error"] = e.error->message;
    out.push_back(std::move(a));
  }
  return out;
}

J ToJson(const ReplayResult& r) {
  J out;
  out["trailwatch"] = trailwatch::kVersion;
  out["mode"] = r.log_group_mode ? "log-group" : "routing";
  J range;
  if (r.start_ms && r.end_ms) {
    range["start"] = FormatIsoUtc(*r.start_ms);
    range["end"] = FormatIsoUtc(*r.end_ms);
  } else {
    range["start"] = nullptr;
    range["end"] = nullptr;
  }
  out["time_range"] = range;

  const InputStats& stats = r.input.stats;
  J in;
  in["files"] = stats.files;
  in["bytes"] = stats.bytes;
  in["records"] = stats.records;
  in["malformed"] = stats.malformed;
  in["skipped"] = stats.skipped;
  in["unreadable"] = stats.unreadable;
  in["cloudtrail_records"] = r.input.cloudtrail_records;
  in["eventbridge_events"] = r.input.eventbridge_events;
  in["other_messages"] = r.input.other_messages;
  in["by_file"] = J::array();
  for (const FileStats& f : stats.by_file) {
    in["by_file"].push_back({{"file", f.file},
                             {"format", InputFormatName(f.format)},
                             {"bytes", f.bytes},
                             {"records", f.records},
                             {"malformed", f.malformed},
                             {"skipped", f.skipped}});
  }
  in["problems"] = J::array();
  for (const InputProblem& p : r.input.problems) {
    J j;
    j["file"] = p.file;
    if (p.line) j["line"] = p.line;
    j["offset"] = p.offset;
    j["kind"] = ProblemKindName(p.kind);
    j["message"] = p.message;
    in["problems"].push_back(std::move(j));
  }
  out["input"] = in;

  J setup;
  setup["account"] = r.setup.account;
  setup["regions"] = r.setup.regions;
  setup["trails"] = r.setup.trails;
  setup["rules"] = r.setup.rules;
  setup["log_groups"] = r.setup.log_groups;
  setup["metric_filters"] = r.setup.metric_filters;
  setup["alarms"] = r.setup.alarms;
  setup["warnings"] = r.setup.warnings;
  out["setup"] = setup;

  out["log_groups"] = J::array();
  for (const LogGroupCounts& g : r.log_groups) {
    out["log_groups"].push_back({{"name", g.name},
                                 {"region", g.region},
                                 {"defined", g.defined},
                                 {"messages", g.messages},
                                 {"raw_records", g.raw_records},
                                 {"eventbridge_events", g.eventbridge_events},
                                 {"text", g.text}});
  }
  out["rules"] = J::array();
  for (const RuleCounts& c : r.rules) {
    out["rules"].push_back({{"name", c.name},
                            {"region", c.region},
                            {"event_bus", c.event_bus},
                            {"state", c.state},
                            {"matched", c.matched},
                            {"forwarded", c.forwarded},
                            {"written_to_log_groups", c.written_to_log_groups},
                            {"targets_not_simulated", c.targets_not_simulated}});
  }
  out["metric_filters"] = J::array();
  for (const MetricFilterCounts& f : r.metric_filters) {
    out["metric_filters"].push_back({{"name", f.name},
                                     {"log_group", f.log_group},
                                     {"region", f.region},
                                     {"filter_pattern", f.filter_pattern},
                                     {"matches", f.matches},
                                     {"matched_raw_records", f.matched_raw_records},
                                     {"matched_eventbridge_events", f.matched_eventbridge_events},
                                     {"matched_text", f.matched_text}});
  }
  out["metrics"] = MetricsToJson(r.metrics);
  out["alarms"] = AlarmsToJson(r.alarms);
  out["findings"] = J::array();
  for (const Finding& f : r.findings) out["findings"].push_back(FindingJson(f));
  return out;
}

}  // namespace trailwatch::engine
