// main.cc: the `trailwatch` command line — dispatches to a command, maps failures to exit codes.
#include <algorithm>
#include <cstring>
#include <exception>
#include <iostream>
#include <set>
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

struct Command {
  const char* group;  // nullptr for top-level commands
  const char* name;
  int (*run)(int, char**);
  trailwatch::cli::CommandSpec (*spec)();  // its declaration: help, man page, completion
};

// Parse, then run: the two layers of every command (tools/options.h).
template <class Config, trailwatch::cli::Parsed<Config> (*Parse)(int, char**), int (*Run)(const Config&)>
int Layered(int argc, char** argv) {
  return trailwatch::cli::Dispatch<Config>(Parse, Run, argc, argv);
}

namespace cli = trailwatch::cli;
constexpr Command kCommands[] = {
    {"logs", "test-metric-filter",
     Layered<cli::LogsTestConfig, cli::ParseLogsTestMetricFilter, cli::RunLogsTestMetricFilter>, cli::LogsTestMetricFilterSpec},
    {"events", "test-event-pattern",
     Layered<cli::EventsTestConfig, cli::ParseEventsTestEventPattern, cli::RunEventsTestEventPattern>, cli::EventsTestEventPatternSpec},
    {nullptr, "grep", Layered<cli::GrepConfig, cli::ParseGrep, cli::RunGrep>, cli::GrepSpec},
    {nullptr, "check", Layered<cli::CheckConfig, cli::ParseCheck, cli::RunCheck>, cli::CheckSpec},
    {nullptr, "explain", Layered<cli::ExplainConfig, cli::ParseExplain, cli::RunExplain>, cli::ExplainSpec},
    {nullptr, "replay", Layered<cli::ReplayConfig, cli::ParseReplay, cli::RunReplay>, cli::ReplaySpec},
    {nullptr, "tail", Layered<cli::TailConfig, cli::ParseTail, cli::RunTail>, cli::TailSpec},
    {nullptr, "test", Layered<cli::TestConfig, cli::ParseTest, cli::RunTest>, cli::TestSpec},
    {nullptr, "debug", Layered<cli::DebugConfig, cli::ParseDebug, cli::RunDebug>, cli::DebugSpec},
    {nullptr, "generate-corpus", Layered<cli::GenerateConfig, cli::ParseGenerateCorpus, cli::RunGenerateCorpus>,
     cli::GenerateCorpusSpec},
    {nullptr, "man", Layered<cli::DocsConfig, cli::ParseMan, cli::RunDocs>, cli::ManSpec},
    {nullptr, "completion", Layered<cli::DocsConfig, cli::ParseCompletion, cli::RunDocs>, cli::CompletionSpec},
};

// `trailwatch help`: every command with its summary, from the commands' declarations.
std::string HelpText() {
  std::string out =
      "trailwatch — test and replay CloudWatch Logs metric filters and EventBridge rules offline.\n\ncommands:\n";
  auto line = [&out](const std::string& name, const std::string& summary) {
    out += "  " + name + std::string(name.size() < 26 ? 26 - name.size() : 1, ' ') + summary + "\n";
  };
  for (const Command& c : kCommands) {
    const trailwatch::cli::CommandSpec spec = c.spec();
    line(spec.name, spec.summary);
  }
  line("version", "print the version and the build");
  out += "\nRun `trailwatch <command> --help` (or `trailwatch <command> help`) for a command's options, and\n"
         "`trailwatch man <command> | man -l -` for its manual.\n";
  return out;
}

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

namespace trailwatch::cli {

std::vector<CommandSpec> AllCommandSpecs() {
  std::vector<CommandSpec> specs;
  for (const Command& c : kCommands) specs.push_back(c.spec());
  return specs;
}

std::vector<std::string> CommandNames() {
  std::vector<std::string> names;
  for (const Command& c : kCommands) names.push_back(c.group ? std::string(c.group) + " " + c.name : c.name);
  return names;
}

}  // namespace trailwatch::cli

namespace {

// `trailwatch --region eu-west-1 --output text logs test-metric-filter ...`: the AWS CLI takes its global
// options before the service as well as after the operation; for the twin commands they move after the
// command, where its parser reads them. Anything else is left where it is.
std::vector<char*> AwsGlobalsAfterCommand(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  if (argc < 2 || std::strncmp(argv[1], "--", 2) != 0) return args;  // the usual case: nothing to move
  static const std::set<std::string> kGlobal = {
      "debug", "endpoint-url", "no-verify-ssl", "no-paginate", "output", "query", "profile", "region", "color",
      "no-sign-request", "ca-bundle", "cli-read-timeout", "cli-connect-timeout", "cli-binary-format",
      "no-cli-pager", "cli-auto-prompt", "no-cli-auto-prompt"};
  boost::program_options::options_description declared;
  trailwatch::cli::AddAwsCliOptions(declared, "");
  size_t i = 1;
  while (i < args.size() && std::strncmp(args[i], "--", 2) == 0) {
    std::string name = args[i] + 2;
    const bool inline_value = name.find('=') != std::string::npos;
    name = name.substr(0, name.find('='));
    const auto* d = declared.find_nothrow(name, false);
    if (!kGlobal.count(name) || d == nullptr) return args;
    i += (d->semantic()->max_tokens() > 0 && !inline_value) ? 2 : 1;
  }
  if (i == 1 || i + 1 >= args.size() || (std::strcmp(args[i], "logs") && std::strcmp(args[i], "events"))) return args;
  std::vector<char*> moved = {args[0], args[i], args[i + 1]};
  moved.insert(moved.end(), args.begin() + 1, args.begin() + static_cast<std::ptrdiff_t>(i));
  moved.insert(moved.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 2, args.end());
  return moved;
}

}  // namespace

int main(int raw_argc, char** raw_argv) {
  trailwatch::cli::GuardStandardDescriptors();
  std::vector<char*> args = AwsGlobalsAfterCommand(raw_argc, raw_argv);
  const int argc = static_cast<int>(args.size());
  args.push_back(nullptr);
  char** argv = args.data();
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
  char help_flag[] = "--help";
  // `trailwatch help replay`, `trailwatch help logs test-metric-filter` (as `git help`): the command's help
  if ((argc == 3 || argc == 4) && !std::strcmp(argv[1], "help")) {
    for (const Command& c : kCommands) {
      const bool named = c.group ? argc == 4 && !std::strcmp(argv[2], c.group) && !std::strcmp(argv[3], c.name)
                                 : argc == 3 && !std::strcmp(argv[2], c.name);
      if (named) {
        char* args[] = {argv[argc - 1], help_flag, nullptr};
        return c.run(2, args);
      }
    }
  }
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
    std::cout << HelpText();
    return argc < 2 ? kExitError : kExitOk;
  }
  if (!std::strcmp(argv[1], "version") || !std::strcmp(argv[1], "--version")) {
    PrintVersion();
    return kExitOk;
  }
  try {
    // `trailwatch COMMAND help` (as `aws logs test-metric-filter help`) is `--help`; not for grep, whose
    // arguments are files (as grep's and ripgrep's), so `trailwatch grep -f P help` still reads a file "help".
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
    std::cerr << "\n\n" << HelpText();
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
