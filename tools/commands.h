// commands.h: the `trailwatch` commands, each as two functions (tools/options.h has the layering):
// Parse<Command>(argc, argv) turns the raw command line into a validated config (or a Stop: help printed,
// usage error), Run<Command>(config) does the work and returns the exit code. main.cc dispatches.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "engine/event/cloudtrail.h"
#include "tools/cli_util.h"
#include "tools/corpus/generator.h"
#include "tools/options.h"

namespace trailwatch::cli {

// What a command declares about itself, once: its parser reads its options from here, --help prints `usage`
// and `options`, and the man pages and shell completions (tools/docs.h) are generated from it, so nothing
// about a flag is written twice. An option's value name says how its value completes: `a|b|c` are its
// choices, a name that is or ends in FILE or DIR (`FILE[@REGIONS]`, `OUT_DIR`) a path.
struct CommandSpec {
  std::string name;     // "grep", "logs test-metric-filter"
  std::string summary;  // one line: `trailwatch help`, the man page's NAME
  std::string usage;    // "usage: ..." lines, an empty line, then what the command does
  boost::program_options::options_description options{"options"};
  bool file_operands = false;      // its operands (arguments besides options) are files
  std::vector<std::string> words;  // or its first operand is one of these (debug's subcommands)
  std::string exit_status;         // the man page's EXIT STATUS
};

// The exit status of the AWS CLI twins, as the AWS CLI v2's.
inline constexpr const char* kAwsExitStatus =
    "0 on success; 252 on bad usage or a parameter the AWS CLI itself rejects; 254 when the request is rejected as "
    "the service rejects it (an invalid pattern); 255 on any other failure (a --query that fails on the response, a "
    "failed write to standard output).";

// trailwatch logs test-metric-filter
struct LogsTestConfig {
  std::string pattern;
  AwsGlobals output;      // --query (checked) and --output
  bool explain = false;  // --explain: each message's explanation on stderr
  std::vector<std::string> messages;
  int event_number_base = 1;
};
CommandSpec LogsTestMetricFilterSpec();
Parsed<LogsTestConfig> ParseLogsTestMetricFilter(int argc, char** argv);
int RunLogsTestMetricFilter(const LogsTestConfig& config);

// trailwatch events test-event-pattern
struct EventsTestConfig {
  std::string pattern, event;
  AwsGlobals output;      // --query and --output
  size_t pattern_size_limit = 2048;
};
CommandSpec EventsTestEventPatternSpec();
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
CommandSpec GrepSpec();
Parsed<GrepConfig> ParseGrep(int argc, char** argv);
int RunGrep(const GrepConfig& config);

// What replay and tail share: the setup (a setup file or templates), --log-group, the output format.
struct SetupArgs {
  std::string setup_file;
  std::vector<std::string> templates;
  std::string terraform;  // --terraform FILE
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
CommandSpec ReplaySpec();
Parsed<ReplayConfig> ParseReplay(int argc, char** argv);
int RunReplay(const ReplayConfig& config);

// trailwatch check
struct CheckConfig {
  SetupArgs setup;
  std::string fail_on = "high";
};
CommandSpec CheckSpec();
Parsed<CheckConfig> ParseCheck(int argc, char** argv);
int RunCheck(const CheckConfig& config);

// trailwatch tail
struct TailConfig {
  SetupArgs setup;
  bool findings = true;
  bool print_matches = true;
};
CommandSpec TailSpec();
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
CommandSpec ExplainSpec();
Parsed<ExplainConfig> ParseExplain(int argc, char** argv);
int RunExplain(const ExplainConfig& config);

// trailwatch test
struct TestConfig {
  std::vector<std::string> paths;
  std::string output = "text";
  std::optional<std::string> junit;  // --junit FILE
  std::optional<std::string> run;    // --run REGEX
};
CommandSpec TestSpec();
Parsed<TestConfig> ParseTest(int argc, char** argv);
int RunTest(const TestConfig& config);

// trailwatch debug dump-ast|dump-program|dump-trie|dump-prefilter|dump-event-pattern|dump-event-set|fast-paths
struct DebugConfig {
  std::string what;
  std::vector<std::string> patterns;  // file:// already read; `jmespath`: the expression
  bool ast = false;                   // `jmespath --ast`
};
CommandSpec DebugSpec();
Parsed<DebugConfig> ParseDebug(int argc, char** argv);
int RunDebug(const DebugConfig& config);

// trailwatch generate-corpus
struct GenerateConfig {
  corpus::CorpusOptions options;
  bool quiet = false;
};
CommandSpec GenerateCorpusSpec();
Parsed<GenerateConfig> ParseGenerateCorpus(int argc, char** argv);
int RunGenerateCorpus(const GenerateConfig& config);

// trailwatch man, trailwatch completion (tools/cmd_docs.cc)
struct DocsConfig {
  std::string what;     // "man" | "completion"
  std::string command;  // man: the command's page ("" for trailwatch(1))
  std::string out_dir;  // man --out-dir: every page into it
  std::string shell;    // completion: "bash" | "zsh"
};
CommandSpec ManSpec();
CommandSpec CompletionSpec();
Parsed<DocsConfig> ParseMan(int argc, char** argv);
Parsed<DocsConfig> ParseCompletion(int argc, char** argv);
int RunDocs(const DocsConfig& config);

// Every command's declaration, in `trailwatch help` order (main.cc holds the table).
std::vector<CommandSpec> AllCommandSpecs();
std::vector<std::string> CommandNames();  // the same, without building the specs

}  // namespace trailwatch::cli
