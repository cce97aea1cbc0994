// commands.h: the `trailwatch` commands, each as two functions (tools/options.h has the layering):
// Parse<Command>(argc, argv) turns the raw command line into a validated config (or a Stop: help printed,
// usage error), Run<Command>(config) does the work and returns the exit code. main.cc dispatches.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/event/cloudtrail.h"
#include "tools/cli_util.h"
#include "tools/corpus/generator.h"
#include "tools/options.h"

namespace trailwatch::cli {

// trailwatch logs test-metric-filter
struct LogsTestConfig {
  std::string pattern;
  AwsGlobals output;      // --query (checked) and --output
  bool explain = false;  // --explain: each message's explanation on stderr
  std::vector<std::string> messages;
  int event_number_base = 1;
};
Parsed<LogsTestConfig> ParseLogsTestMetricFilter(int argc, char** argv);
int RunLogsTestMetricFilter(const LogsTestConfig& config);

// trailwatch events test-event-pattern
struct EventsTestConfig {
  std::string pattern, event;
  AwsGlobals output;      // --query and --output
  size_t pattern_size_limit = 2048;
};
Parsed<EventsTestConfig> ParseEventsTestEventPattern(int argc, char** argv);
int RunEventsTestEventPattern(const EventsTestConfig& config);

// trailwatch grep
struct GrepConfig {
  bool filter = true;  // --filter-pattern (else --event-pattern)
  std::string pattern;
  size_t pattern_size_limit = 2048;
  std::optional<engine::RuleState> rule_state;
  bool wrap = true, count = false, quiet = false, invert = false, with_filename = false, no_messages = false;
  bool expand = true;
  bool explain = false;  // --explain: each input's explanation after it
  uint64_t max_count = 0;
  std::vector<std::string> inputs;  // "-" when none were given
};
Parsed<GrepConfig> ParseGrep(int argc, char** argv);
int RunGrep(const GrepConfig& config);

// What replay and tail share: the setup (a setup file or templates), --log-group, the output format.
struct SetupArgs {
  std::string setup_file;
  std::vector<std::string> templates;
  std::vector<std::string> parameters;
  std::string account;
  std::string log_group, log_group_region;
  std::vector<std::string> inputs;
  std::string output = "text";
};

// trailwatch replay
struct ReplayConfig {
  SetupArgs setup;
  int threads = 1;
  bool findings = true;
  size_t max_examples = 5;
  std::string fail_on = "never";
  std::string progress = "auto";
  std::optional<std::string> report;  // --report FILE
};
Parsed<ReplayConfig> ParseReplay(int argc, char** argv);
int RunReplay(const ReplayConfig& config);

// trailwatch check
struct CheckConfig {
  SetupArgs setup;
  std::string fail_on = "high";
};
Parsed<CheckConfig> ParseCheck(int argc, char** argv);
int RunCheck(const CheckConfig& config);

// trailwatch tail
struct TailConfig {
  SetupArgs setup;
  bool findings = true;
  bool print_matches = true;
};
Parsed<TailConfig> ParseTail(int argc, char** argv);
int RunTail(const TailConfig& config);

// trailwatch explain
struct ExplainConfig {
  bool filter = true;  // --filter-pattern (else --event-pattern)
  std::string pattern;
  struct Input {
    std::string text;
    bool wrap = false;  // --record: a CloudTrail record to wrap as EventBridge does
  };
  std::vector<Input> inputs;
  std::string output = "text";
};
Parsed<ExplainConfig> ParseExplain(int argc, char** argv);
int RunExplain(const ExplainConfig& config);

// trailwatch test
struct TestConfig {
  std::vector<std::string> paths;
  std::string output = "text";
  std::optional<std::string> junit;  // --junit FILE
  std::optional<std::string> run;    // --run REGEX
};
Parsed<TestConfig> ParseTest(int argc, char** argv);
int RunTest(const TestConfig& config);

// trailwatch debug dump-ast|dump-program|dump-trie|dump-prefilter|dump-event-pattern|dump-event-set|fast-paths
struct DebugConfig {
  std::string what;
  std::vector<std::string> patterns;  // file:// already read; `jmespath`: the expression
  bool ast = false;                   // `jmespath --ast`
};
Parsed<DebugConfig> ParseDebug(int argc, char** argv);
int RunDebug(const DebugConfig& config);

// trailwatch generate-corpus
struct GenerateConfig {
  corpus::CorpusOptions options;
  bool quiet = false;
};
Parsed<GenerateConfig> ParseGenerateCorpus(int argc, char** argv);
int RunGenerateCorpus(const GenerateConfig& config);

}  // namespace trailwatch::cli
