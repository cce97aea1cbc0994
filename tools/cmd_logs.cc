// cmd_logs.cc: `trailwatch logs test-metric-filter`, the offline twin of `aws logs test-metric-filter`.
//
// Same parameters (--filter-pattern, --log-event-messages, --cli-input-json, --generate-cli-skeleton), same
// JSON output ({"matches": [{"eventNumber", "eventMessage", "extractedValues"}]}), same error text and exit
// codes as the AWS CLI v2; needs no credentials and takes any number of messages.
#include <boost/program_options.hpp>

#include <iostream>

#include "engine/explain/explain.h"
#include "engine/filter/filter_set.h"
#include "tools/report/explain_text.h"
#include "patterns/filter/compile.h"
#include "tools/cli_util.h"
#include "tools/commands.h"
#include "tools/options.h"

namespace po = boost::program_options;

namespace trailwatch::cli {

namespace {

constexpr const char* kUsage =
    "usage: trailwatch logs test-metric-filter --filter-pattern <value> --log-event-messages <value> [<value>...]\n"
    "       trailwatch logs test-metric-filter --cli-input-json <json | file://request.json>\n"
    "\n"
    "Tests a CloudWatch Logs filter pattern against log event messages, offline, exactly as\n"
    "`aws logs test-metric-filter` does (no credentials, any number of messages).\n";

}  // namespace

Parsed<LogsTestConfig> ParseLogsTestMetricFilter(int argc, char** argv) {
  po::options_description desc("options");
  flags::FilterPattern(desc, false);
  desc.add_options()
      ("log-event-messages", po::value<std::vector<std::string>>()->multitoken(), "log event messages")
      ("event-number-base", po::value<int>()->default_value(1),
       "number matches from 1 (AWS CLI) or 0 (API reference examples)");
  flags::Explain(desc);
  AddAwsCliOptions(desc, "request JSON {\"filterPattern\", \"logEventMessages\"} or file://");
  nlohmann::ordered_json input_skeleton;
  input_skeleton["filterPattern"] = "";
  input_skeleton["logEventMessages"] = nlohmann::ordered_json::array({""});
  nlohmann::ordered_json output_skeleton;
  output_skeleton["matches"] = nlohmann::ordered_json::array(
      {{{"eventNumber", 0}, {"eventMessage", "eventMessage"}, {"extractedValues", {{"KeyName", ""}}}}});
  po::variables_map vm;
  if (!ParseAwsCliCommand(argc, argv, desc, kUsage, input_skeleton, output_skeleton, &vm)) return Stop{};

  std::optional<std::string> pattern;
  std::vector<std::string> messages;
  bool have_messages = false;
  if (vm.count("cli-input-json")) {
    nlohmann::ordered_json in = LoadCliInputJson(vm["cli-input-json"].as<std::string>());
    for (auto it = in.begin(); it != in.end(); ++it) {
      if (it.key() == "filterPattern") {
        if (!it.value().is_string()) {
          throw UsageError{"Parameter validation failed:\nInvalid type for parameter filterPattern, value: " +
                           it.value().dump() + ", type: " + it.value().type_name() + ", valid types: <class 'str'>"};
        }
        pattern = it.value().get<std::string>();
      } else if (it.key() == "logEventMessages") {
        if (!it.value().is_array()) {
          throw UsageError{"Parameter validation failed:\nInvalid type for parameter logEventMessages, value: " +
                           it.value().dump() + ", valid types: <class 'list'>, <class 'tuple'>"};
        }
        for (const auto& m : it.value()) {
          if (!m.is_string()) {
            throw UsageError{"Parameter validation failed:\nInvalid type for parameter logEventMessages[" +
                             std::to_string(messages.size()) + "], value: " + m.dump() + ", valid types: <class 'str'>"};
          }
          messages.push_back(m.get<std::string>());
        }
        have_messages = true;
      } else {
        throw UsageError{"Parameter validation failed:\nUnknown parameter in input: \"" + it.key() +
                         "\", must be one of: filterPattern, logEventMessages"};
      }
    }
  }
  // Explicit options take precedence over --cli-input-json, as in the AWS CLI.
  if (vm.count("filter-pattern")) pattern = LoadParamValue(vm["filter-pattern"].as<std::string>());
  if (vm.count("log-event-messages")) {
    messages.clear();
    for (const std::string& m : vm["log-event-messages"].as<std::vector<std::string>>()) {
      messages.push_back(LoadParamValue(m));
    }
    have_messages = true;
  }
  std::vector<std::string> missing;
  if (!pattern) missing.push_back("--filter-pattern");
  if (!have_messages) missing.push_back("--log-event-messages");
  if (!missing.empty()) {
    std::string m = "the following arguments are required: ";
    for (size_t i = 0; i < missing.size(); ++i) m += (i ? ", " : "") + missing[i];
    throw UsageError{std::string(kUsage) + "trailwatch: error: " + m};
  }
  LogsTestConfig config;
  config.pattern = std::move(*pattern);
  config.output = AwsOutputOf(vm);
  config.messages = std::move(messages);
  config.event_number_base = vm["event-number-base"].as<int>();
  config.explain = vm.count("explain") > 0;
  return config;
}

int RunLogsTestMetricFilter(const LogsTestConfig& config) {
  const std::vector<std::string>& messages = config.messages;
  const std::string* pattern = &config.pattern;
  if (messages.empty()) {
    Diagnostic d{"InvalidParameterException",
                 "1 validation error detected: Value '[]' at 'logEventMessages' failed to satisfy constraint: Member "
                 "must have length greater than or equal to 1",
                 "no log event messages", {}, "pass at least one message"};
    std::cerr << "\nAn error occurred (" << d.exception << ") when calling the TestMetricFilter operation: "
              << d.aws_message << "\n";
    return kExitAwsService;
  }
  for (size_t i = 0; i < messages.size(); ++i) {
    if (messages[i].empty()) {
      std::cerr << "\nAn error occurred (InvalidParameterException) when calling the TestMetricFilter operation: 1 "
                   "validation error detected: Value at 'logEventMessages."
                << (i + 1) << ".member' failed to satisfy constraint: Member must have length greater than or equal to 1\n";
      return kExitAwsService;
    }
  }

  Result<std::shared_ptr<const filter::CompiledPattern>> compiled = filter::CompileFilterPattern(*pattern);
  if (!compiled.ok()) {
    PrintAwsError("TestMetricFilter", *pattern, compiled.error());
    return kExitAwsService;
  }
  PrintWarnings(*pattern, compiled.value()->warnings);

  engine::FilterSet set({compiled.value()}, engine::FastPathEnabled(engine::FastPath::kPrefilter));
  engine::FilterScratch scratch;
  const int base = config.event_number_base;
  nlohmann::ordered_json out;
  out["matches"] = nlohmann::ordered_json::array();
  std::vector<std::pair<std::string, std::string>> extracted;
  for (size_t i = 0; i < messages.size(); ++i) {
    set.Evaluate(messages[i], scratch);
    if (!set.Matched(0, scratch)) continue;
    set.ExtractedValues(0, scratch, &extracted);
    nlohmann::ordered_json m;
    m["eventNumber"] = static_cast<int64_t>(i) + base;
    m["eventMessage"] = messages[i];
    m["extractedValues"] = nlohmann::ordered_json::object();
    for (auto& [k, v] : extracted) m["extractedValues"][k] = v;
    out["matches"].push_back(std::move(m));
  }
  const int code = PrintAwsResponse(out, config.output);
  if (config.explain) {
    // After the AWS output (byte-identical without --explain), on stderr: why each message matched or not.
    for (size_t i = 0; i < messages.size(); ++i) {
      Result<explain::Explanation> x = explain::ExplainFilter(*pattern, messages[i]);
      if (!x.ok()) continue;
      std::cerr << "\nmessage " << (static_cast<int64_t>(i) + base) << ": " << messages[i] << "\n"
                << report::ExplainText(x.value(), "  ");
    }
  }
  return code;
}

}  // namespace trailwatch::cli
