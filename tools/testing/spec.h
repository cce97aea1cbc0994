// spec.h: the test files of `trailwatch test` (docs/test-files.md is the reference) — YAML, versioned,
// shaped like promtool's rule tests: a setup, then tests of one filter on messages, of one rule on events,
// of a replay of inputs through the whole setup (metrics, alarms, findings), and of invalid patterns.
//
// Contract: ReadTestFile() reads and checks one file completely before anything runs: YAML syntax, every
// key known (a misspelled key is an error with a "did you mean"), types and values (booleans, numbers,
// RFC 3339 times, `+5m` offsets only under a `start:`), every referenced file readable (paths are relative
// to the test file), the setup loadable, every `filter:` and `rule:` name one of the setup's. Every error
// is a Diagnostic whose message starts "file:line:column: " — a wrong spec is never a failed test. The
// TestFile it returns holds everything a run needs: messages and events as text, inputs as paths or
// in-memory record lists, the loaded Setup. Nothing prints; nothing throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/setup/setup.h"
#include "patterns/common/diagnostic.h"

namespace trailwatch::spec {

inline constexpr int kSpecVersion = 1;

// Where something was written: "file:line:column" (line 0: unknown).
struct Where {
  std::string file;
  uint32_t line = 0, column = 0;
  std::string Text() const;
};

using Pairs = std::vector<std::pair<std::string, std::string>>;

// One message of a filter test (a `file:` item expands to one per record of the file).
struct MessageCase {
  Where where;
  std::string label;    // how a failure names it: "message 2", "events/failed.json:3"
  std::string message;  // the log event message, as CloudWatch Logs would hold it
  bool match = true;
  bool has_value = false;
  std::optional<double> value;  // has_value: the value published (nullopt: `value: null`, none is published)
  std::optional<Pairs> dimensions, extracted;
};

// One event of a rule test.
struct EventCase {
  Where where;
  std::string label;
  std::string event;       // the EventBridge event JSON
  bool from_record = false;  // a CloudTrail record wrapped as EventBridge wraps it (rule state applies)
  bool match = true;
};

// One element of a replay test's `input:`.
struct InputItem {
  Where where;
  std::string path;          // a file or directory (resolved against the test file's directory), or ...
  std::string name;          // ... in-memory records: the name problems and examples use ("t.tw.yaml:12")
  std::string data;          // {"Records":[...]} or NDJSON of events / messages
};

struct MetricExpect {
  Where where;
  std::string metric_namespace, metric_name, region;  // region "": any
  std::optional<Pairs> dimensions;                    // nullopt: the metric without dimensions, or any?
  std::optional<int64_t> at_ms;                       // a minute's datapoint; nullopt: the replay's total
  std::optional<double> sum, samples, minimum, maximum, average;
  std::string text;  // as written, for messages: "CloudTrailMetrics/ConsoleLoginFailure at 12:44"
};

struct AlarmExpect {
  Where where;
  std::string alarm, region;
  std::optional<int64_t> at_ms;  // the state after every transition at or before it; nullopt: the final state
  std::string state;             // OK | ALARM | INSUFFICIENT_DATA
  std::optional<uint64_t> transitions;  // the number of transitions (at or before at_ms)
};

struct FindingExpect {
  Where where;
  std::string kind;
  std::optional<uint64_t> count;  // the events the finding counts (summed over its findings of that kind)
};

struct TestCase {
  enum class Kind { kFilter, kRule, kReplay, kInvalid };
  Kind kind = Kind::kFilter;
  Where where;
  std::string name;
  std::optional<int64_t> start_ms;

  // kFilter: the metric filter (from the setup, or `filter_pattern:` with an optional transformation)
  std::string filter_name;  // "" for filter_pattern
  engine::MetricFilterConfig filter;
  std::vector<MessageCase> messages;

  // kRule
  std::string rule_name;  // "" for event_pattern
  engine::RuleConfig rule;
  std::vector<EventCase> events;

  // kReplay
  std::vector<InputItem> inputs;
  std::string log_group, log_group_region;  // `log_group:`: every input is a message of that log group
  std::vector<MetricExpect> metrics;
  std::vector<AlarmExpect> alarms;
  std::optional<std::vector<FindingExpect>> findings;  // [] : no finding at all
  std::vector<std::string> findings_absent;            // `findings_absent: [kind, ...]`

  // kInvalid: the pattern (filter or event), the exception expected, optionally a substring of the message
  bool invalid_event = false;
  std::string pattern;
  std::string invalid, message_contains;
};

struct TestFile {
  std::string path;
  int version = kSpecVersion;
  bool has_setup = false;
  engine::Setup setup;  // when has_setup
  std::vector<TestCase> tests;
};

Result<TestFile> ReadTestFile(const std::string& path);
// The same for the text of a file named `path` (relative paths resolve against its directory).
Result<TestFile> ParseTestFile(std::string_view text, const std::string& path);

// The test files under `paths`: files as given; directories walked recursively (sorted) for `*.tw.yaml`,
// `*.tw.yml`, `*_test.yaml` and `*_test.yml`. Links to directories are not followed (no cycles). A path
// that does not exist is an error.
Result<std::vector<std::string>> FindTestFiles(const std::vector<std::string>& paths);

}  // namespace trailwatch::spec
