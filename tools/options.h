// options.h: the CLI's two layers. Layer 1, here: every flag more than one command takes is declared once
// (name, short name, value type, default, help), so `--filter-pattern` or `--no-findings` mean and read the
// same everywhere. Layer 2, in each command's file: Parse<Command>() turns raw options into a validated
// config, Run<Command>() does the work from the config alone; main.cc dispatches (Dispatch()) and maps the
// outcome to the exit code. The library (engine/) never sees raw options or the environment: the fast-path
// switches are read here (FastPathsFromEnvironment) and passed in.
//
// Contract: Parse functions never run the command; they return a Config or a Stop — the command is already
// done (--help or a skeleton printed: exit 0) or a usage error (message for stderr, exit code: 252 for the
// AWS twins as the AWS CLI, 2 for the stream tools as grep). Run functions return the exit code.
#pragma once

#include <boost/program_options.hpp>

#include <iostream>
#include <string>
#include <variant>
#include <vector>

#include "tools/cli_util.h"

namespace trailwatch::cli {

// What parsing a command line can end in besides a config.
struct Stop {
  int code = kExitOk;
  std::string message;  // printed on stderr when not empty
};
template <class Config>
using Parsed = std::variant<Config, Stop>;

// Parses with `parse`, runs with `run`; usage errors (UsageError thrown while parsing, e.g. by
// LoadParamValue) become a Stop. The exit code of the command.
template <class Config>
int Dispatch(Parsed<Config> (*parse)(int, char**), int (*run)(const Config&), int argc, char** argv) {
  Parsed<Config> parsed = [&]() -> Parsed<Config> {
    try {
      return parse(argc, argv);
    } catch (const UsageError& e) {
      return Stop{e.code, e.message};
    }
  }();
  if (Stop* stop = std::get_if<Stop>(&parsed)) {
    if (!stop->message.empty()) std::cerr << stop->message << "\n";
    return stop->code;
  }
  return run(std::get<Config>(parsed));
}

// Parses argv with `desc` and any number of operands (the arguments that are not options: files, a
// command's words), as grep, replay, check, tail, test and man take them. A usage error throws UsageError
// (exit 2; an unknown option names the nearest one); --help prints `usage` and the options, and returns false.
bool ParseWithOperands(int argc, char** argv, const boost::program_options::options_description& desc,
                       const std::string& usage, boost::program_options::variables_map* vm,
                       std::vector<std::string>* operands);

namespace flags {

namespace po = boost::program_options;

void Help(po::options_description& d);                                    // -h, --help
void FilterPattern(po::options_description& d, bool short_name);         // --filter-pattern [-f] TEXT|file://
void EventPattern(po::options_description& d);                           // --event-pattern TEXT|file://
void PatternSizeLimit(po::options_description& d);                       // --pattern-size-limit N (2048)
void Setup(po::options_description& d);      // -t/--template, -p/--parameter, --account, --log-group[-region]
void TextOrJson(po::options_description& d); // -o, --output text|json (text)
void Findings(po::options_description& d);   // --no-findings
void Threads(po::options_description& d);    // -j, --threads N (1)
void Progress(po::options_description& d);   // --progress auto|always|never
void FailOn(po::options_description& d);     // --fail-on high|medium|low|never
void MaxExamples(po::options_description& d);  // --max-examples N (5)
void Explain(po::options_description& d);      // --explain

}  // namespace flags
}  // namespace trailwatch::cli
