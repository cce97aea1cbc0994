// cmd_logs.cc: `trailwatch logs test-metric-filter`, the offline twin of `aws logs test-metric-filter`.
//
// Same parameters (--filter-pattern, --log-event-messages, --cli-input-json, --generate-cli-skeleton), same
// JSON output ({"matches": [{"eventNumber", "eventMessage", "extractedValues"}]}), same error text and exit
// codes as the AWS CLI v2; needs no credentials and takes any number of messages.
#include <boost/program_options.hpp>

#include <algorithm>
#include <iostream>

#include "engine/explain/explain.h"
#include "engine/filter/filter_set.h"
#include "tools/report/explain_text.h"
#include "patterns/filter/compile.h"
#include "tools/cli_util.h"
#include "tools/jmespath/jmespath.h"
#include "tools/jmespath/pyjson.h"
#include "tools/commands.h"
#include "tools/options.h"

namespace po = boost::program_options;

namespace trailwatch::cli {

namespace {

constexpr const char* kUsage =
    "usage: trailwatch logs test-metric-filter --filter-pattern <value> --log-event-messages <value> [<value>...]\n"
    "       trailwatch logs test-metric-filter --cli-input-json <json | file://request.json>\n"
    "       trailwatch logs test-metric-filter --cli-input-yaml <yaml | file://request.yaml>\n"
    "\n"
    "Tests a CloudWatch Logs filter pattern against log event messages, offline, exactly as\n"
    "`aws logs test-metric-filter` does (no credentials, any number of messages).\n";

// What `aws logs test-metric-filter --generate-cli-skeleton yaml-input` prints (awscli 2.9.19: ruamel's layout
// of the comments it takes from the API model's documentation), byte for byte.
constexpr const char* kYamlInputSkeleton =
    "filterPattern: ''  # [REQUIRED] A symbolic description of how CloudWatch Logs should interpret the data in "
    "each log event.\n"
    "logEventMessages: # [REQUIRED] The log event messages to test.\n"
    "- ''\n";

// Python's str() of a parameter value and its type, as botocore's validation errors show them; values
// read from a JSON parameter are OrderedDicts (the AWS CLI parses them with object_pairs_hook=OrderedDict).
std::string PyValue(const nlohmann::ordered_json& v, bool ordered) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object() && ordered) {
    std::string out = "OrderedDict([";
    bool first = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
      out += (first ? "(" : ", (") + jmespath::PythonRepr(it.key()) + ", " +
             (it.value().is_string() ? jmespath::PythonRepr(it.value()) : PyValue(it.value(), true)) + ")";
      first = false;
    }
    return out + "])";
  }
  if (v.is_array() && ordered) {
    std::string out = "[";
    for (size_t i = 0; i < v.size(); ++i) {
      out += (i ? ", " : "") + (v[i].is_string() ? jmespath::PythonRepr(v[i]) : PyValue(v[i], true));
    }
    return out + "]";
  }
  return jmespath::PythonRepr(v);
}

std::string PyType(const nlohmann::ordered_json& v, bool ordered) {
  if (v.is_object()) return ordered ? "<class 'collections.OrderedDict'>" : "<class 'dict'>";
  return "<class '" + jmespath::PythonTypeName(v) + "'>";
}

void CheckMessages(const nlohmann::ordered_json& list, bool ordered, std::vector<std::string>* messages,
                   std::vector<std::string>* invalid) {
  if (!list.is_array()) {
    invalid->push_back("Invalid type for parameter logEventMessages, value: " + PyValue(list, ordered) + ", type: " +
                       PyType(list, ordered) + ", valid types: <class 'list'>, <class 'tuple'>");
    return;
  }
  for (size_t i = 0; i < list.size(); ++i) {
    const auto& m = list[i];
    if (!m.is_string()) {
      invalid->push_back("Invalid type for parameter logEventMessages[" + std::to_string(i) + "], value: " +
                         PyValue(m, ordered) + ", type: " + PyType(m, ordered) + ", valid types: <class 'str'>");
      continue;
    }
    messages->push_back(m.get<std::string>());
  }
}

bool StartsLikeJsonList(const std::string& v) {
  const size_t b = v.find_first_not_of(" \t\n\r\f\v");
  return b != std::string::npos && v[b] == '[';
}

}  // namespace

CommandSpec LogsTestMetricFilterSpec() {
  CommandSpec spec{"logs test-metric-filter",
                   "test a filter pattern on messages (like `aws logs test-metric-filter`)",
                   kUsage};
  po::options_description& desc = spec.options;
  flags::FilterPattern(desc, false);
  desc.add_options()
      ("log-event-messages", po::value<std::vector<std::string>>()->multitoken()->value_name("MESSAGE"), "log event messages")
      ("event-number-base", po::value<int>()->default_value(1)->value_name("1|0"),
       "number matches from 1 (AWS CLI) or 0 (API reference examples)");
  flags::Explain(desc);
  AddAwsCliOptions(desc, "request JSON {\"filterPattern\", \"logEventMessages\"} or file://");
  spec.exit_status = kAwsExitStatus;
  return spec;
}

Parsed<LogsTestConfig> ParseLogsTestMetricFilter(int argc, char** argv) {
  const CommandSpec spec = LogsTestMetricFilterSpec();
  const po::options_description& desc = spec.options;
  AwsTwin twin{kUsage, "TestMetricFilter", {}, {}, kYamlInputSkeleton};
  twin.input_skeleton["filterPattern"] = "";
  twin.input_skeleton["logEventMessages"] = nlohmann::ordered_json::array({""});
  twin.output_skeleton["matches"] = nlohmann::ordered_json::array(
      {{{"eventNumber", 0}, {"eventMessage", "eventMessage"}, {"extractedValues", {{"KeyName", ""}}}}});
  po::variables_map vm;
  AwsGlobals globals;
  if (!ParseAwsCliCommand(argc, argv, desc, twin, &vm, &globals)) return Stop{};

  std::optional<std::string> pattern;
  std::vector<std::string> messages;
  bool have_messages = false;
  // botocore's parameter validation: every problem, unknown keys first, then each parameter's, in member
  // order. An explicit option replaces its --cli-input-json (or -yaml) value, problems included.
  std::vector<std::string> unknown, pattern_errors, message_errors;
  std::vector<std::string> member_order;  // botocore checks the members in the document's order
  const std::optional<nlohmann::ordered_json> in = LoadCliInput(vm);
  if (in) {
    for (auto it = in->begin(); it != in->end(); ++it) {
      if (it.key() == "filterPattern" || it.key() == "logEventMessages") member_order.push_back(it.key());
      if (it.key() == "filterPattern") {
        if (!it.value().is_string()) {
          pattern_errors.push_back("Invalid type for parameter filterPattern, value: " + PyValue(it.value(), false) +
                                   ", type: " + PyType(it.value(), false) + ", valid types: <class 'str'>");
          continue;
        }
        pattern = it.value().get<std::string>();
      } else if (it.key() == "logEventMessages") {
        have_messages = true;
        CheckMessages(it.value(), false, &messages, &message_errors);
      } else {
        unknown.push_back("Unknown parameter in input: \"" + it.key() +
                          "\", must be one of: filterPattern, logEventMessages");
      }
    }
  }
  // Explicit options take precedence over --cli-input-json, as in the AWS CLI.
  if (vm.count("filter-pattern")) {
    pattern = LoadParamValue(vm["filter-pattern"].as<std::string>());
    pattern_errors.clear();
  }
  if (vm.count("log-event-messages")) {
    messages.clear();
    message_errors.clear();
    std::vector<std::string> values;
    for (const std::string& m : vm["log-event-messages"].as<std::vector<std::string>>()) values.push_back(LoadParamValue(m));
    // The AWS CLI reads one value that starts with `[` as a JSON list ('["a","b"]' is two messages).
    if (values.size() == 1 && StartsLikeJsonList(values[0])) {
      if (const std::string error = jmespath::PythonJsonError(values[0]); !error.empty()) {
        throw UsageError{"\nError parsing parameter '--log-event-messages': Invalid JSON: " + error +
                         "\nJSON received: " + values[0]};
      }
      const nlohmann::ordered_json list = nlohmann::ordered_json::parse(values[0], nullptr, false);
      if (list.is_discarded()) {
        throw UsageError{"\nError parsing parameter '--log-event-messages': Invalid JSON: " + values[0]};
      }
      CheckMessages(list, true, &messages, &message_errors);
    } else {
      messages = std::move(values);
    }
    have_messages = true;
  }
  // The model's minimum lengths, which botocore checks before sending (logEventMessages: 1 to 50 messages of
  // at least one character; the maxima are the service's to check).
  if (have_messages && message_errors.empty()) {
    if (messages.empty()) {
      message_errors.push_back("Invalid length for parameter logEventMessages, value: 0, valid min length: 1");
    }
    for (size_t i = 0; i < messages.size(); ++i) {
      if (messages[i].empty()) {
        message_errors.push_back("Invalid length for parameter logEventMessages[" + std::to_string(i) +
                                 "], value: 0, valid min length: 1");
      }
    }
  }
  // With a request document, botocore checks the required members (first, in member order); without one,
  // the CLI's argument parser does (below).
  std::vector<std::string> missing_members;
  if (in && !pattern && pattern_errors.empty()) missing_members.push_back("Missing required parameter in input: \"filterPattern\"");
  if (in && !have_messages) missing_members.push_back("Missing required parameter in input: \"logEventMessages\"");
  for (const char* member : {"filterPattern", "logEventMessages"}) {
    if (std::find(member_order.begin(), member_order.end(), member) == member_order.end()) {
      member_order.push_back(member);
    }
  }
  std::vector<const std::vector<std::string>*> in_order = {&missing_members, &unknown};
  for (const std::string& member : member_order) {
    in_order.push_back(member == "filterPattern" ? &pattern_errors : &message_errors);
  }
  if (!missing_members.empty() || !unknown.empty() || !pattern_errors.empty() || !message_errors.empty()) {
    std::string m = "\nParameter validation failed:";
    for (const auto* errors : in_order) {
      for (const std::string& e : *errors) m += "\n" + e;
    }
    throw UsageError{m};
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
  config.output = std::move(globals);
  config.messages = std::move(messages);
  config.event_number_base = vm["event-number-base"].as<int>();
  config.explain = vm.count("explain") > 0;
  return config;
}

int RunLogsTestMetricFilter(const LogsTestConfig& config) {
  const std::vector<std::string>& messages = config.messages;
  const std::string* pattern = &config.pattern;
  PrintAwsDebugRequest(config.output, "logs", "Logs_20140328.TestMetricFilter",
                       {{"filterPattern", *pattern}, {"logEventMessages", messages}});
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
