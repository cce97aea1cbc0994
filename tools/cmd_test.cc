// cmd_test.cc: `trailwatch test FILE|DIR...` — runs test files (tools/testing/spec.h, docs/test-files.md)
// as `promtool test rules` runs its: every file is read and checked first (a wrong spec is an error with
// file:line:column and nothing runs), then every test runs; each failure is printed with expected, got
// and the explanation, then "N passed, N failed". Exit 0: all passed; 1: some failed; 2: a spec or setup
// error, or a usage error. --junit FILE writes JUnit XML, --output json the outcomes as JSON, --run REGEX
// selects tests by name.
#include <boost/program_options.hpp>

#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "tools/cli_util.h"
#include "tools/commands.h"
#include "tools/options.h"
#include "tools/testing/junit.h"
#include "tools/testing/runner.h"
#include "tools/testing/spec.h"

namespace po = boost::program_options;

namespace trailwatch::cli {

namespace {

constexpr const char* kUsage =
    "usage: trailwatch test FILE|DIR... [--junit FILE] [--output text|json] [--run REGEX]\n"
    "\n"
    "Runs the tests of trailwatch test files (YAML; a directory: every *.tw.yaml and *_test.yaml in it):\n"
    "filters on messages, rules on events, replays through the setup with the metrics, alarms and findings\n"
    "expected. Exit 0 when all pass, 1 when some fail, 2 on a spec or setup error. Reference:\n"
    "docs/test-files.md.\n";

nlohmann::ordered_json OutcomesJson(const std::vector<spec::FileOutcome>& files, size_t passed, size_t failed) {
  nlohmann::ordered_json out;
  out["version"] = spec::kSpecVersion;
  out["passed"] = passed;
  out["failed"] = failed;
  out["files"] = nlohmann::ordered_json::array();
  for (const spec::FileOutcome& f : files) {
    nlohmann::ordered_json jf;
    jf["file"] = f.path;
    jf["setup_error"] = f.setup_error ? nlohmann::ordered_json(*f.setup_error) : nlohmann::ordered_json();
    jf["tests"] = nlohmann::ordered_json::array();
    for (const spec::TestOutcome& t : f.tests) {
      nlohmann::ordered_json jt;
      jt["name"] = t.name;
      jt["kind"] = t.kind;
      jt["line"] = t.where.line;
      jt["passed"] = t.passed();
      jt["failures"] = nlohmann::ordered_json::array();
      for (const spec::Failure& fl : t.failures) {
        nlohmann::ordered_json jfl;
        jfl["message"] = fl.message;
        jfl["line"] = fl.where.line;
        jfl["column"] = fl.where.column;
        jfl["expected"] = fl.expected;
        jfl["got"] = fl.got;
        jfl["explanation"] = fl.explanation;
        jt["failures"].push_back(std::move(jfl));
      }
      jf["tests"].push_back(std::move(jt));
    }
    out["files"].push_back(std::move(jf));
  }
  return out;
}

}  // namespace

CommandSpec TestSpec() {
  CommandSpec spec{"test",
                   "run test files: filters on messages, rules on events, replays with expected results",
                   kUsage};
  po::options_description& desc = spec.options;
  flags::Help(desc);
  flags::TextOrJson(desc);
  desc.add_options()
      ("junit", po::value<std::string>()->value_name("FILE"), "also write JUnit XML to FILE (CI test reports)")
      ("run", po::value<std::string>()->value_name("REGEX"), "run only the tests whose name matches REGEX (ECMAScript syntax)");
  spec.file_operands = true;
  spec.exit_status = "0 when every test passes, 1 when some fail, 2 on a test file or setup error or bad usage.";
  return spec;
}

Parsed<TestConfig> ParseTest(int argc, char** argv) {
  const CommandSpec spec = TestSpec();
  const po::options_description& desc = spec.options;
  po::variables_map vm;
  std::vector<std::string> paths;
  if (!ParseWithOperands(argc, argv, desc, kUsage, &vm, &paths)) return Stop{};
  TestConfig config;
  config.paths = std::move(paths);
  if (config.paths.empty()) return Stop{kExitError, std::string("a test FILE or DIR is required\n") + kUsage};
  config.output = vm["output"].as<std::string>();
  if (config.output != "text" && config.output != "json") return Stop{kExitError, "--output must be text or json"};
  if (vm.count("junit")) config.junit = vm["junit"].as<std::string>();
  if (vm.count("run")) {
    config.run = vm["run"].as<std::string>();
    try {
      std::regex check(*config.run);
    } catch (const std::regex_error& e) {
      return Stop{kExitError, "--run: invalid regular expression: " + std::string(e.what())};
    }
  }
  return config;
}

int RunTest(const TestConfig& config) {
  Result<std::vector<std::string>> found = spec::FindTestFiles(config.paths);
  if (!found.ok()) {
    std::cerr << "trailwatch: " << found.error().message << "\n";
    return kExitError;
  }
  if (found.value().empty()) {
    std::cerr << "trailwatch: no test files (*.tw.yaml, *_test.yaml) under the paths given\n";
    return kExitError;
  }
  // Every file is read and checked before any test runs: a wrong spec runs nothing.
  std::vector<spec::TestFile> files;
  bool spec_errors = false;
  for (const std::string& path : found.value()) {
    Result<spec::TestFile> f = spec::ReadTestFile(path);
    if (!f.ok()) {
      std::cerr << "trailwatch: " << f.error().message << "\n";
      if (!f.error().pointer.empty()) std::cerr << "  at " << f.error().pointer << "\n";
      if (!f.error().hint.empty()) std::cerr << "hint: " << f.error().hint << "\n";
      spec_errors = true;
      continue;
    }
    files.push_back(std::move(f.value()));
  }
  if (spec_errors) return kExitError;

  spec::RunOptions options;
  if (config.run) options.select.emplace(*config.run);
  std::vector<spec::FileOutcome> outcomes;
  size_t passed = 0, failed = 0;
  bool setup_errors = false;
  const bool text = config.output == "text";
  for (const spec::TestFile& f : files) {
    outcomes.push_back(spec::RunTestFile(f, options));
    const spec::FileOutcome& o = outcomes.back();
    if (o.setup_error) {
      setup_errors = true;
      std::cerr << "trailwatch: " << f.path << ": the setup cannot be replayed: " << *o.setup_error << "\n";
      continue;
    }
    if (text && !o.tests.empty()) std::cout << f.path << "\n";
    for (const spec::TestOutcome& t : o.tests) {
      (t.passed() ? passed : failed) += 1;
      if (!text) continue;
      if (t.passed()) {
        std::cout << "  ok    " << t.name << "\n";
        continue;
      }
      std::cout << "  FAIL  " << t.name << "  (" << t.where.Text() << ")\n";
      for (const spec::Failure& fl : t.failures) std::cout << "        " << spec::FailureText(fl, "          ");
    }
  }
  if (config.junit) {
    std::ofstream out(*config.junit, std::ios::binary);
    out << spec::JunitXml(outcomes);
    if (!out) {
      PrintToolError("cannot write " + *config.junit);
      return kExitError;
    }
  }
  if (text) {
    std::cout << passed << " passed, " << failed << " failed\n";
  } else {
    std::cout << OutcomesJson(outcomes, passed, failed).dump(2, ' ', false,
                                                             nlohmann::ordered_json::error_handler_t::replace)
              << "\n";
  }
  if (setup_errors) return kExitError;
  if (passed + failed == 0 && config.run) {
    std::cerr << "trailwatch: no test matches --run " << *config.run << "\n";
    return kExitError;
  }
  return failed > 0 ? kExitNoMatch : kExitOk;
}

}  // namespace trailwatch::cli
