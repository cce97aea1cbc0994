// main.cc: the `trailwatch` command line — dispatches to a command, maps failures to exit codes.
#include <algorithm>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "engine/version.h"
#include "tools/build_info.h"
#include "patterns/common/nearest.h"
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
    "Run `trailwatch <command> --help` (or `trailwatch <command> help`) for a command's options.\n";

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

// `trailwatch version`: the version on the first line (what scripts read), then the build: commit (at
// configure time), build type, compiler, sanitizers, the fast paths' libraries and the SIMD kernel simdjson
// chose on this machine.
void PrintVersion() {
  using namespace trailwatch::cli;
  std::cout << "trailwatch " << trailwatch::kVersion << "\n";
  std::cout << "build: " << (*kBuildCommit ? std::string("commit ") + kBuildCommit + ", " : std::string())
            << (*kBuildType ? kBuildType : "no build type") << ", " << kBuildCompiler
            << (std::string(kBuildSanitize) == "ON" ? ", ASan+UBSan" : "") << "\n";
  std::cout << "libraries:";
  bool first = true;
  for (const BuildLibrary& lib : kBuildLibraries) {
    std::cout << (first ? " " : ", ") << lib.name;
    if (*lib.version) {
      std::cout << " " << lib.version;
    } else if (std::string_view(lib.name) == "Hyperscan") {
      std::cout << " (not found: the literal prefilter is off)";
    }
    first = false;
  }
  std::cout << "\nsimdjson kernel: " << simdjson::get_active_implementation()->name() << "\n";
}

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
    PrintVersion();
    return kExitOk;
  }
  try {
    // `trailwatch COMMAND help` (as `aws logs test-metric-filter help`) is `--help`; not for grep, whose
    // arguments are files (as grep's and ripgrep's), so `trailwatch grep -f P help` still reads a file "help".
    char help_flag[] = "--help";
    for (const Command& c : kCommands) {
      if (c.group) {
        if (std::strcmp(argv[1], c.group) != 0) continue;
        if (argc < 3 || (argc == 3 && std::strcmp(argv[2], "help") == 0)) {
          std::ostream& out = argc < 3 ? std::cerr : std::cout;  // asked for: stdout; missing: a usage error
          out << "usage: trailwatch " << c.group << " <command> [options]\n\ncommands:\n";
          for (const Command& g : kCommands) {
            if (g.group && std::strcmp(g.group, c.group) == 0) out << "  " << g.name << "\n";
          }
          return argc < 3 ? kExitAwsUsage : kExitOk;
        }
        if (std::strcmp(argv[2], c.name) == 0) {
          if (argc == 4 && std::strcmp(argv[3], "help") == 0) {
            char* args[] = {argv[2], help_flag, nullptr};
            return c.run(2, args);
          }
          return c.run(argc - 2, argv + 2);
        }
      } else if (std::strcmp(argv[1], c.name) == 0) {
        if (argc == 3 && std::strcmp(argv[2], "help") == 0 && std::strcmp(c.name, "grep") != 0) {
          char* args[] = {argv[1], help_flag, nullptr};
          return c.run(2, args);
        }
        return c.run(argc - 1, argv + 1);
      }
    }
    // Unknown: the nearest command, as git and the AWS CLI suggest one.
    std::vector<std::string> names;
    for (const Command& c : kCommands) names.push_back(c.group ? std::string(c.group) + " " + c.name : c.name);
    names.push_back("version");
    names.push_back("help");
    std::string attempted = argv[1];
    bool group = false;
    for (const Command& c : kCommands) group = group || (c.group && attempted == c.group);
    if (argc > 2 && argv[2][0] != '-' && group) attempted += std::string(" ") + argv[2];
    std::string near = trailwatch::NearestName(attempted, names, std::max<size_t>(2, attempted.size() / 3));
    if (near.empty() && !group) {
      // `trailwatch lgos test-metric-filter`: the group misspelt
      for (const Command& c : kCommands) {
        if (c.group && argc > 2 && std::strcmp(argv[2], c.name) == 0 && trailwatch::IsNearName(attempted, c.group)) {
          near = std::string(c.group) + " " + c.name;
          attempted += std::string(" ") + argv[2];
        }
      }
    }
    std::cerr << "trailwatch: unknown command '" << attempted << "'";
    if (!near.empty()) std::cerr << "; did you mean '" << near << "'?";
    std::cerr << "\n\n" << kHelp;
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
