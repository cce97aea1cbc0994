// main.cc: the `trailwatch` command line — dispatches to a command, maps failures to exit codes.
#include <cstring>
#include <exception>
#include <iostream>
#include <string>

#include "engine/version.h"
#include "tools/cli_util.h"
#include "tools/commands.h"

namespace {

constexpr const char* kHelp =
    "trailwatch — test and replay CloudWatch Logs metric filters and EventBridge rules offline.\n"
    "\n"
    "commands:\n"
    "  logs test-metric-filter   test a filter pattern on messages (like `aws logs test-metric-filter`)\n"
    "  events test-event-pattern test an EventBridge event pattern on an event (like `aws events test-event-pattern`)\n"
    "  grep                      print the events a filter pattern or an event pattern matches (files, CloudTrail, stdin)\n"
    "  check                     check a setup without events: patterns, alarms, topology mistakes (SARIF for CI)\n"
    "  explain                   why a pattern matches a message or an event, or why not\n"
    "  replay                    replay CloudTrail exports through a setup: metrics, alarms, findings\n"
    "  tail                      the same on live events from stdin\n"
    "  test                      run test files: filters on messages, rules on events, replays with expected\n"
    "                            metrics, alarms and findings (JUnit XML for CI)\n"
    "  debug                     dump a pattern's syntax tree, compiled program or selector trie\n"
    "  generate-corpus           write a realistic CloudTrail corpus and its expected benchmark counts\n"
    "  version                   print the version\n"
    "\n"
    "Run `trailwatch <command> --help` for a command's options.\n";

struct Command {
  const char* group;  // nullptr for top-level commands
  const char* name;
  int (*run)(int, char**);
};

// Parse, then run: the two layers of every command (tools/options.h).
template <class Config, trailwatch::cli::Parsed<Config> (*Parse)(int, char**), int (*Run)(const Config&)>
int Layered(int argc, char** argv) {
  return trailwatch::cli::Dispatch<Config>(Parse, Run, argc, argv);
}

namespace cli = trailwatch::cli;
constexpr Command kCommands[] = {
    {"logs", "test-metric-filter",
     Layered<cli::LogsTestConfig, cli::ParseLogsTestMetricFilter, cli::RunLogsTestMetricFilter>},
    {"events", "test-event-pattern",
     Layered<cli::EventsTestConfig, cli::ParseEventsTestEventPattern, cli::RunEventsTestEventPattern>},
    {nullptr, "grep", Layered<cli::GrepConfig, cli::ParseGrep, cli::RunGrep>},
    {nullptr, "check", Layered<cli::CheckConfig, cli::ParseCheck, cli::RunCheck>},
    {nullptr, "explain", Layered<cli::ExplainConfig, cli::ParseExplain, cli::RunExplain>},
    {nullptr, "replay", Layered<cli::ReplayConfig, cli::ParseReplay, cli::RunReplay>},
    {nullptr, "tail", Layered<cli::TailConfig, cli::ParseTail, cli::RunTail>},
    {nullptr, "test", Layered<cli::TestConfig, cli::ParseTest, cli::RunTest>},
    {nullptr, "debug", Layered<cli::DebugConfig, cli::ParseDebug, cli::RunDebug>},
    {nullptr, "generate-corpus", Layered<cli::GenerateConfig, cli::ParseGenerateCorpus, cli::RunGenerateCorpus>},
};

int Main(int argc, char** argv);

}  // namespace

int main(int argc, char** argv) {
  trailwatch::cli::GuardStandardDescriptors();
  const int code = Main(argc, argv);
  // A result that did not reach stdout is a failure, whatever the command thought (AWS-mirroring commands:
  // 255, as the AWS CLI for any other failure; the others: 2).
  if (!trailwatch::cli::CheckStdout() && code != trailwatch::cli::kExitError) {
    return (argc > 1 && (!std::strcmp(argv[1], "logs") || !std::strcmp(argv[1], "events")))
               ? trailwatch::cli::kExitAwsOther
               : trailwatch::cli::kExitError;
  }
  return code;
}

namespace {

int Main(int argc, char** argv) {
  using namespace trailwatch::cli;
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
    std::cout << kHelp;
    return argc < 2 ? kExitError : kExitOk;
  }
  if (!std::strcmp(argv[1], "version") || !std::strcmp(argv[1], "--version")) {
    std::cout << "trailwatch " << trailwatch::kVersion << "\n";
    return kExitOk;
  }
  try {
    for (const Command& c : kCommands) {
      if (c.group) {
        if (std::strcmp(argv[1], c.group) != 0) continue;
        if (argc < 3) {
          std::cerr << "usage: trailwatch " << c.group << " <command> [options]\n";
          return kExitAwsUsage;
        }
        if (std::strcmp(argv[2], c.name) == 0) return c.run(argc - 2, argv + 2);
      } else if (std::strcmp(argv[1], c.name) == 0) {
        return c.run(argc - 1, argv + 1);
      }
    }
    std::string attempted = argv[1];
    if (argc > 2 && argv[2][0] != '-') attempted += std::string(" ") + argv[2];
    std::cerr << "trailwatch: unknown command '" << attempted << "'\n\n" << kHelp;
    return kExitError;
  } catch (const UsageError& e) {
    if (!e.message.empty()) std::cerr << e.message << "\n";
    return e.code;
  } catch (const std::exception& e) {
    std::cerr << "trailwatch: internal error: " << e.what() << "\n";
    return kExitAwsOther;
  }
}

}  // namespace
