// cmd_replay.cc: the commands that take a setup — `trailwatch replay` (a batch replay of exported logs
// through a setup), `trailwatch tail` (the same engine on stdin, live) and `trailwatch check` (the setup
// alone, without events: engine/setup/topology.h).
//
// replay: a text summary on stdout (or --output json, the documented schema), --report FILE.html, a progress
// bar on stderr when stderr is a terminal, --threads N. Exit 0; 1 with --fail-on when findings of that
// severity exist; 2 on an error (bad setup, bad pattern, unreadable input).
// tail: reads stdin line-buffered and prints matched events, each minute's metrics as the minute closes and
// alarm transitions as they happen; at end of input, the replay's summary.
#include <boost/program_options.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>

#include "engine/routing/findings.h"
#include "engine/routing/replay.h"
#include "engine/setup/sources.h"
#include "tools/cli_util.h"
#include "tools/commands.h"
#include "tools/options.h"
#include "tools/report/format.h"
#include "tools/report/report_html.h"
#include "tools/report/sarif.h"
#include "engine/setup/topology.h"
#include "tools/report/tail.h"
#include "tools/report/text.h"

namespace po = boost::program_options;

namespace trailwatch::cli {

using namespace trailwatch::engine;

namespace {

constexpr const char* kReplayUsage =
    "usage: trailwatch replay SETUP [INPUT...] [options]\n"
    "       trailwatch replay --template FILE[@REGIONS] [--template ...] [INPUT...] [options]\n"
    "       trailwatch replay --terraform FILE [INPUT...] [options]\n"
    "\n"
    "Replays CloudTrail exports (files, directories, .json.gz, NDJSON, CloudWatch Logs exports, ... or - for\n"
    "stdin) through the AWS setup they would meet: trails, EventBridge rules in every Region, log groups,\n"
    "metric filters and alarms. Prints what each metric would have counted, when each alarm would have fired,\n"
    "and what the setup misses or double-counts.\n";

constexpr const char* kCheckUsage =
    "usage: trailwatch check SETUP [options]\n"
    "       trailwatch check --template FILE[@REGIONS] [--template ...] [options]\n"
    "       trailwatch check --terraform FILE [options]\n"
    "\n"
    "Checks a setup without events: every pattern, transformation and alarm as AWS would accept it, and the\n"
    "topology mistakes that need no events (Regions without forwarding rules, double counting by\n"
    "construction, filters reading the wrong shape, rules that never see read-only events, single-Region\n"
    "trails, log-group targets outside /aws/events/). Exit 0: nothing at or above --fail-on; 1: findings\n"
    "there; 2: the setup cannot be loaded or a usage error.\n";

constexpr const char* kTailUsage =
    "usage: trailwatch tail SETUP [options]\n"
    "       trailwatch tail --template FILE[@REGIONS] [--template ...] [options]\n"
    "       trailwatch tail --terraform FILE [options]\n"
    "\n"
    "Reads events from stdin as they arrive (e.g. aws logs tail GROUP --follow --format json | trailwatch tail\n"
    "setup.yaml) and prints matched events, each minute's metrics as the minute closes, and alarm transitions.\n";

void AddCommonOptions(po::options_description& desc) {
  flags::Help(desc);
  flags::Setup(desc);
  flags::TextOrJson(desc);
}

Result<Setup> LoadSetupFromOptions(const SetupArgs& c) {
  SetupSources sources;
  sources.setup_file = c.setup_file;
  sources.terraform = c.terraform;
  for (const std::string& t : c.templates) {
    auto s = ParseTemplateArg(t);
    if (!s.ok()) return s.error();
    sources.templates.push_back(std::move(s.value()));
  }
  if (!c.account.empty()) sources.template_options.account = c.account;
  for (const std::string& kv : c.parameters) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Diagnostic{"ValidationError", "", "--parameter " + kv + ": expected KEY=VALUE"};
    }
    sources.template_options.parameters[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return LoadSetup(sources);
}

// Prints a setup-loading diagnostic (its message starts "file:line:column:").
void PrintSetupError(const Diagnostic& d) {
  std::cerr << "trailwatch: " << d.message << "\n";
  if (!d.pointer.empty()) std::cerr << "  at " << d.pointer << "\n";
  if (!d.hint.empty()) std::cerr << "hint: " << d.hint << "\n";
}

void PrintReplayErrors(const std::vector<ReplayError>& errors) {
  for (const ReplayError& e : errors) {
    const Diagnostic& d = e.diagnostic;
    std::cerr << "trailwatch: " << e.resource << ": " << d.exception << ": "
              << (d.aws_message.empty() ? d.message : d.aws_message) << "\n";
    if (d.span.length > 0 || !d.hint.empty() || d.span.offset > 0) std::cerr << RenderDiagnostic(e.text, d);
    else if (d.message != d.aws_message && !d.message.empty()) std::cerr << "  " << d.message << "\n";
  }
}

// Parses argv into `c` and the variables map. Returns false (after printing help) when --help was given.
bool ParseCommon(int argc, char** argv, const po::options_description& desc, const char* usage, SetupArgs* c,
                 po::variables_map* vm, bool inputs_allowed, bool sarif = false) {
  std::vector<std::string> positional;
  if (!ParseWithOperands(argc, argv, desc, usage, vm, &positional)) return false;
  if (vm->count("template")) c->templates = (*vm)["template"].as<std::vector<std::string>>();
  if (vm->count("terraform")) c->terraform = (*vm)["terraform"].as<std::string>();
  if (vm->count("parameter")) c->parameters = (*vm)["parameter"].as<std::vector<std::string>>();
  if (vm->count("account")) c->account = (*vm)["account"].as<std::string>();
  if (vm->count("log-group")) c->log_group = (*vm)["log-group"].as<std::string>();
  if (vm->count("log-group-region")) c->log_group_region = (*vm)["log-group-region"].as<std::string>();
  c->output = (*vm)["output"].as<std::string>();
  if (c->output != "text" && c->output != "json" && !(sarif && c->output == "sarif")) {
    throw UsageError{std::string("--output must be text") + (sarif ? ", json or sarif" : " or json"), kExitError};
  }
  if (!c->terraform.empty() && !c->templates.empty()) {
    throw UsageError{std::string("--terraform and --template are two setups: give one\n") + usage, kExitError};
  }
  if (c->templates.empty() && c->terraform.empty()) {
    if (positional.empty()) {
      throw UsageError{std::string("a SETUP file, --template or --terraform is required\n") + usage, kExitError};
    }
    c->setup_file = positional.front();
    positional.erase(positional.begin());
  }
  if (!inputs_allowed && !positional.empty()) {
    throw UsageError{"tail reads stdin; unexpected argument " + positional.front() + "\n" + usage, kExitError};
  }
  c->inputs = positional;
  return true;
}

// A progress line on stderr when it is a terminal.
class Progress {
 public:
  explicit Progress(uint64_t total) : total_(total), start_(std::chrono::steady_clock::now()) {}
  void Update(uint64_t bytes, uint64_t records) {
    std::lock_guard<std::mutex> lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - start_).count();
    const double frac = total_ ? std::min(1.0, static_cast<double>(bytes) / static_cast<double>(total_)) : 0;
    const int width = 30, filled = static_cast<int>(frac * width);
    std::string bar(static_cast<size_t>(filled), '#');
    bar += std::string(static_cast<size_t>(width - filled), '.');
    std::fprintf(stderr, "\r[%s] %3.0f%%  %s / %s  %llu records  %s/s ", bar.c_str(), frac * 100,
                 report::FormatBytes(static_cast<double>(bytes)).c_str(), report::FormatBytes(static_cast<double>(total_)).c_str(),
                 static_cast<unsigned long long>(records),
                 report::FormatBytes(secs > 0 ? static_cast<double>(bytes) / secs : 0).c_str());
    std::fflush(stderr);
    drawn_ = true;
  }
  void Done() {
    if (drawn_) std::fprintf(stderr, "\r%*s\r", 100, "");
  }

 private:
  std::mutex mu_;
  uint64_t total_;
  std::chrono::steady_clock::time_point start_, last_{};
  bool drawn_ = false;
};

// What the progress bar counts to: the bytes of the files the replay will read (PlanInputs, as Run()
// lists them: each file once, links and repeated paths not twice).
uint64_t TotalInputBytes(const std::vector<std::string>& inputs) {
  uint64_t total = 0;
  for (const PlannedInput& in : PlanInputs(inputs)) total += in.size;
  return total;
}

std::unique_ptr<Replay> BuildReplay(const SetupArgs& c, ReplayOptions options, int* exit_code) {
  options.fast_paths = engine::FastPathsFromEnvironment();
  Result<Setup> setup = LoadSetupFromOptions(c);
  if (!setup.ok()) {
    PrintSetupError(setup.error());
    *exit_code = kExitError;
    return nullptr;
  }
  options.log_group = c.log_group;
  options.log_group_region = c.log_group_region;
  std::vector<ReplayError> errors;
  auto replay = Replay::Create(setup.value(), options, &errors);
  if (!replay.ok()) {
    PrintReplayErrors(errors);
    *exit_code = kExitError;
    return nullptr;
  }
  return std::move(replay.value());
}

}  // namespace

CommandSpec ReplaySpec() {
  CommandSpec spec{"replay", "replay CloudTrail exports through a setup: metrics, alarms, findings",
                   kReplayUsage};
  po::options_description& desc = spec.options;
  AddCommonOptions(desc);
  desc.add_options()("report", po::value<std::string>()->value_name("FILE"),
                     "also write a self-contained HTML report to FILE");
  flags::Threads(desc);
  flags::Findings(desc);
  flags::Progress(desc);
  flags::FailOn(desc);
  flags::MaxExamples(desc);
  spec.file_operands = true;
  spec.exit_status =
      "0; 1 with --fail-on when findings of that severity or worse exist; 2 when the setup or a pattern is "
      "invalid, an input is unreadable (everything readable is still replayed and reported), the result could not "
      "be written to standard output, or on bad usage.";
  return spec;
}

Parsed<ReplayConfig> ParseReplay(int argc, char** argv) {
  const CommandSpec spec = ReplaySpec();
  const po::options_description& desc = spec.options;
  ReplayConfig config;
  SetupArgs& c = config.setup;
  po::variables_map vm;
  if (!ParseCommon(argc, argv, desc, kReplayUsage, &c, &vm, true, true)) return Stop{};
  if (c.inputs.empty()) c.inputs.push_back("-");
  config.fail_on = vm["fail-on"].as<std::string>();
  if (engine::SeverityRank(config.fail_on) > 2 && config.fail_on != "never") {
    return Stop{kExitError, "--fail-on must be high, medium, low or never"};
  }
  config.threads = vm["threads"].as<int>();
  if (config.threads < 1 || config.threads > 256) return Stop{kExitError, "--threads must be between 1 and 256"};
  config.findings = vm.count("no-findings") == 0;
  config.max_examples = static_cast<size_t>(vm["max-examples"].as<Count>().value);
  config.progress = vm["progress"].as<std::string>();
  if (vm.count("report")) config.report = vm["report"].as<std::string>();
  return config;
}

int RunReplay(const ReplayConfig& config) {
  const SetupArgs& c = config.setup;
  const std::string& fail_on = config.fail_on;
  ReplayOptions options;
  options.threads = config.threads;
  options.findings = config.findings;
  options.max_examples = config.max_examples;
  const std::string& progress_mode = config.progress;
  const bool show_progress =
      progress_mode == "always" || (progress_mode == "auto" && isatty(STDERR_FILENO) && c.inputs != std::vector<std::string>{"-"});
  std::unique_ptr<Progress> progress;
  if (show_progress) {
    progress = std::make_unique<Progress>(TotalInputBytes(c.inputs));
    options.progress = [p = progress.get()](uint64_t bytes, uint64_t records) { p->Update(bytes, records); };
  }
  int code = kExitOk;
  std::unique_ptr<Replay> replay = BuildReplay(c, options, &code);
  if (!replay) return code;
  const ReplayResult result = replay->Run(c.inputs);
  if (progress) progress->Done();

  if (config.report) {
    const std::string& path = *config.report;
    std::ofstream out(path, std::ios::binary);
    out << RenderHtmlReport(result);
    if (!out) {
      PrintToolError("cannot write " + path);
      return kExitError;
    }
  }
  if (c.output == "json") {
    std::cout << ToJson(result).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  } else if (c.output == "sarif") {
    std::cout << report::ReplaySarif(result).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
              << "\n";
  } else {
    report::PrintSummary(result, std::cout);
    if (config.report) std::cout << "\nreport: " << *config.report << "\n";
  }
  std::cout.flush();
  if (result.input.stats.unreadable > 0) return kExitError;
  if (fail_on != "never") {
    for (const Finding& f : result.findings) {
      if (static_cast<int>(f.info().severity) <= engine::SeverityRank(fail_on)) return kExitNoMatch;
    }
  }
  return kExitOk;
}

namespace {

class TailSink : public RecordSink {
 public:
  explicit TailSink(Replay::Stream& stream) : stream_(stream) {}
  bool OnRecord(const InputRecord& r) override { return stream_.Feed(r); }
  void OnProblem(const InputProblem& p) override { stream_.Problem(p); }

 private:
  Replay::Stream& stream_;
};

}  // namespace

CommandSpec TailSpec() {
  CommandSpec spec{"tail", "replay live events from stdin through a setup, minute by minute", kTailUsage};
  po::options_description& desc = spec.options;
  AddCommonOptions(desc);
  desc.add_options()("quiet-matches", "do not print matched events (only minutes, alarms, summary)");
  flags::Findings(desc);
  spec.file_operands = true;  // the setup file
  spec.exit_status = "0 at the end of the input; 2 when the setup or a pattern is invalid, or on bad usage.";
  return spec;
}

Parsed<TailConfig> ParseTail(int argc, char** argv) {
  const CommandSpec spec = TailSpec();
  const po::options_description& desc = spec.options;
  TailConfig config;
  po::variables_map vm;
  if (!ParseCommon(argc, argv, desc, kTailUsage, &config.setup, &vm, false)) return Stop{};
  config.print_matches = vm.count("quiet-matches") == 0;
  config.findings = vm.count("no-findings") == 0;
  return config;
}

int RunTail(const TailConfig& config) {
  const SetupArgs& c = config.setup;
  const bool json = c.output == "json";
  const bool print_matches = config.print_matches;
  ReplayOptions options;
  options.findings = config.findings;
  int code = kExitOk;
  std::unique_ptr<Replay> replay = BuildReplay(c, options, &code);
  if (!replay) return code;

  report::TailPrinter printer(std::cout, json);
  StreamCallbacks cb;
  if (print_matches) {
    cb.on_match = [&printer](const std::string& filter, const std::string& lg, std::string_view message,
                             std::optional<double> value) { printer.Match(filter, lg, message, value); };
  }
  cb.on_minute = [&printer](int64_t minute, const std::vector<MetricSeries>& series) { printer.Minute(minute, series); };
  cb.on_transition = [&printer](const std::string& alarm, const AlarmTransition& t) { printer.Transition(alarm, t); };
  cb.on_problem = [](const InputProblem& p) {
    std::cerr << "trailwatch: " << report::FormatProblem(p) << "\n";
  };
  std::unique_ptr<Replay::Stream> stream = replay->OpenStream(cb);
  TailSink sink(*stream);
  ReaderOptions ro = ReaderOptionsFromEnvironment();
  ro.streaming = true;
  InputStats stats = ReadInputs({"-"}, ro, sink);
  printer.Summary(stream->Finish(stats));
  return kExitOk;
}

CommandSpec CheckSpec() {
  CommandSpec spec{"check", "check a setup without events: patterns, alarms, topology mistakes (SARIF for CI)",
                   kCheckUsage};
  po::options_description& desc = spec.options;
  flags::Help(desc);
  flags::Setup(desc);
  desc.add_options()("output,o", po::value<std::string>()->default_value("text")->value_name("text|json|sarif"),
                     "output format (sarif: SARIF 2.1.0 for code scanning)")
      ("fail-on", po::value<std::string>()->default_value("high")->value_name("high|medium|low|never"),
       "exit 1 when findings of this severity or worse exist");
  spec.file_operands = true;  // the setup file
  spec.exit_status = "0 when no finding is at or above --fail-on; 1 when some are; 2 when the setup cannot be "
                     "loaded, or on bad usage.";
  return spec;
}

Parsed<CheckConfig> ParseCheck(int argc, char** argv) {
  const CommandSpec spec = CheckSpec();
  const po::options_description& desc = spec.options;
  CheckConfig config;
  po::variables_map vm;
  if (!ParseCommon(argc, argv, desc, kCheckUsage, &config.setup, &vm, false, true)) return Stop{};
  if (!config.setup.log_group.empty()) return Stop{kExitError, "check takes no --log-group (it reads no events)"};
  config.fail_on = vm["fail-on"].as<std::string>();
  if (engine::SeverityRank(config.fail_on) > 2 && config.fail_on != "never") {
    return Stop{kExitError, "--fail-on must be high, medium, low or never"};
  }
  return config;
}

int RunCheck(const CheckConfig& config) {
  Result<Setup> setup = LoadSetupFromOptions(config.setup);
  if (!setup.ok()) {
    PrintSetupError(setup.error());
    return kExitError;
  }
  const std::vector<CheckFinding> findings = CheckTopology(setup.value());
  const std::string& output = config.setup.output;
  if (output == "sarif") {
    std::cout << report::CheckSarif(findings).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
              << "\n";
  } else if (output == "json") {
    nlohmann::ordered_json out;
    out["findings"] = nlohmann::ordered_json::array();
    for (const CheckFinding& f : findings) {
      nlohmann::ordered_json j;
      j["kind"] = std::string(f.info().name);
      j["severity"] = std::string(SeverityName(f.info().severity));
      j["message"] = f.message;
      j["resource"] = f.resource;
      j["region"] = f.region;
      j["file"] = f.file;
      j["line"] = f.line;
      j["column"] = f.column;
      out["findings"].push_back(std::move(j));
    }
    std::cout << out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  } else {
    size_t by[3] = {0, 0, 0};
    for (const CheckFinding& f : findings) {
      ++by[static_cast<int>(f.info().severity)];
      std::string where = f.file;
      if (f.line) where += ":" + std::to_string(f.line) + ":" + std::to_string(f.column);
      std::cout << (where.empty() ? std::string("setup") : where) << ": " << SeverityName(f.info().severity) << ": "
                << f.message << " [" << f.info().name << "]" << (f.resource.empty() ? "" : " (" + f.resource + ")")
                << "\n";
      if (f.diagnostic) {
        std::string rendered = RenderDiagnostic(f.diagnostic_text, *f.diagnostic);
        size_t start = 0;
        while (start < rendered.size()) {
          const size_t end = rendered.find('\n', start);
          std::cout << "    " << rendered.substr(start, end == std::string::npos ? std::string::npos : end - start) << "\n";
          if (end == std::string::npos) break;
          start = end + 1;
        }
      }
    }
    std::cout << "check: " << findings.size() << " finding(s): " << by[0] << " high, " << by[1] << " medium, " << by[2]
              << " low\n";
  }
  if (config.fail_on != "never") {
    for (const CheckFinding& f : findings) {
      if (static_cast<int>(f.info().severity) <= engine::SeverityRank(config.fail_on)) return kExitNoMatch;
    }
  }
  return kExitOk;
}

}  // namespace trailwatch::cli
