// result.h: what a replay returns — a typed value — and its JSON, written in exactly one place.
//
// Contract: ReplayResult is what Replay::Run() and Replay::Stream::Finish() return: the input summary (with
// the input problems, sorted in input order), the setup summary, per log group, per rule and per metric
// filter counts, the metric series, the alarm timelines and the findings (most severe first, findings.h).
// ToJson() writes the document README "replay --output json" documents, and is the only code that knows
// that schema (MetricsToJson() and AlarmsToJson() are its parts, for tests and printers that show one
// part). Printers (tools/) read the typed value. Nothing here prints or fails.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/cloudwatch/alarms.h"
#include "engine/cloudwatch/metrics.h"
#include "engine/input/reader.h"
#include "engine/routing/findings.h"

namespace trailwatch::engine {

// Where a finding's example is: a file and line (or byte offset and index within a container), and what
// the event says of itself.
struct FindingExample {
  std::string file;
  uint64_t line = 0;    // 0: not line-based; `offset` then
  uint64_t offset = 0;
  uint32_t index = 0;   // position within a container document (0: none)
  std::string event_id, region, event_time, detail;
};

struct Finding {
  FindingKind kind = FindingKind::kOtherAccount;
  std::string message;
  uint64_t count = 0;
  std::vector<FindingExample> examples;  // at most ReplayOptions::max_examples, in input order

  const FindingKindInfo& info() const { return Info(kind); }
};

struct InputSummary {
  InputStats stats;  // files, bytes, records, malformed, skipped, unreadable, by_file (sorted by file)
  uint64_t cloudtrail_records = 0, eventbridge_events = 0, other_messages = 0;
  std::vector<InputProblem> problems;  // the first ReplayOptions::max_problems, in input order
};

struct SetupSummary {
  std::string account;
  std::vector<std::string> regions;
  size_t trails = 0, rules = 0, log_groups = 0, metric_filters = 0, alarms = 0;
  std::vector<std::string> warnings;
};

struct LogGroupCounts {
  std::string name, region;
  bool defined = true;  // false: referenced by a trail or rule target but not in the setup
  uint64_t messages = 0, raw_records = 0, eventbridge_events = 0, text = 0;
};

struct RuleCounts {
  std::string name, region, event_bus, state;
  uint64_t matched = 0, forwarded = 0, written_to_log_groups = 0, targets_not_simulated = 0;
};

struct MetricFilterCounts {
  std::string name, log_group, region, filter_pattern;
  uint64_t matches = 0, matched_raw_records = 0, matched_eventbridge_events = 0, matched_text = 0;
};

struct ReplayResult {
  bool log_group_mode = false;            // --log-group: every input message went to one log group
  std::optional<int64_t> start_ms, end_ms;  // the events' time range (none: no dated event)
  InputSummary input;
  SetupSummary setup;
  std::vector<LogGroupCounts> log_groups;
  std::vector<RuleCounts> rules;
  std::vector<MetricFilterCounts> metric_filters;
  std::vector<MetricSeries> metrics;
  std::vector<AlarmEvaluation> alarms;
  std::vector<Finding> findings;
};

nlohmann::ordered_json ToJson(const ReplayResult& result);

// Parts of ToJson(): the `metrics` and `alarms` arrays, and a JSON number (an integer when `v` is integral
// and fits, else a double; null for NaN and infinities, which JSON cannot hold).
nlohmann::ordered_json MetricsToJson(const std::vector<MetricSeries>& series);
nlohmann::ordered_json AlarmsToJson(const std::vector<AlarmEvaluation>& alarms);
nlohmann::ordered_json JsonNumber(double v);

// A metric's filters or log groups as the result shows them (the `filter` and `log_group` of `metrics`, and
// the printers): "a, b".
std::string JoinNames(const std::vector<std::string>& names);

}  // namespace trailwatch::engine
