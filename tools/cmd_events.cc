// cmd_events.cc: `trailwatch events test-event-pattern`, the offline twin of `aws events test-event-pattern`.
//
// Same parameters (--event-pattern, --event, --cli-input-json {"EventPattern", "Event"}, file:// values,
// --generate-cli-skeleton), same output ({"Result": true|false}, 4-space JSON), same errors and exit codes as
// the AWS CLI v2: an event that is not a JSON object with id, account, source, time, region and detail-type is
// "ValidationException: Parameter Event is not valid." (254); an invalid pattern is AWS's
// InvalidEventPatternException text (254) followed by our caret diagnostic; usage and parameter-validation
// errors exit 252. --region, --profile and --no-cli-pager are accepted and ignored (offline).
#include <boost/program_options.hpp>

#include <iostream>
#include <memory>

#include "engine/event/matcher.h"
#include "patterns/event/compile.h"
#include "patterns/event/json_value.h"
#include "patterns/event/parser.h"
#include "tools/cli_util.h"
#include "tools/commands.h"
#include "tools/options.h"

namespace po = boost::program_options;

namespace trailwatch::cli {

namespace {

constexpr const char* kUsage =
    "usage: trailwatch events test-event-pattern --event-pattern <value> --event <value>\n"
    "       trailwatch events test-event-pattern --cli-input-json <json | file://request.json>\n"
    "       trailwatch events test-event-pattern --cli-input-yaml <yaml | file://request.yaml>\n"
    "\n"
    "Tests whether an EventBridge event pattern matches an event, offline, exactly as\n"
    "`aws events test-event-pattern` does (no credentials needed).\n";

constexpr const char* kOperation = "TestEventPattern";

// What `aws events test-event-pattern --generate-cli-skeleton yaml-input` prints (awscli 2.9.19), byte for byte.
constexpr const char* kYamlInputSkeleton =
    "EventPattern: ''  # [REQUIRED] The event pattern.\n"
    "Event: '' # [REQUIRED] The event, in JSON format, to test against the event pattern.\n";

// TestEventPattern's own check of the event: a JSON object carrying the envelope fields.
bool EventIsValid(const std::string& text) {
  event::JsonValue v;
  std::string error;
  if (!event::ParseJsonValue(text, &v, &error) || v.type != event::JsonValue::kObject) return false;
  for (const char* key : {"id", "account", "source", "time", "region", "detail-type"}) {
    bool found = false;
    for (const auto& [k, value] : v.members) found = found || k == key;
    if (!found) return false;
  }
  return true;
}

// botocore's words for a member that is not a string: Python's str() of the value and its type.
std::string NotAString(const nlohmann::ordered_json& v, const std::string& name) {
  return "Invalid type for parameter " + name + ", value: " + jmespath::PythonStr(v) + ", type: <class '" +
         jmespath::PythonTypeName(v) + "'>, valid types: <class 'str'>";
}

}  // namespace

CommandSpec EventsTestEventPatternSpec() {
  CommandSpec spec{"events test-event-pattern",
                   "test an EventBridge event pattern on an event (like `aws events test-event-pattern`)",
                   kUsage};
  po::options_description& desc = spec.options;
  flags::EventPattern(desc);
  desc.add_options()("event", po::value<std::string>()->value_name("EVENT"),
                     "the event, a JSON object with the EventBridge envelope (or file://path)");
  flags::PatternSizeLimit(desc);
  AddAwsCliOptions(desc, "request JSON {\"EventPattern\", \"Event\"} or file://");
  spec.exit_status = kAwsExitStatus;
  return spec;
}

Parsed<EventsTestConfig> ParseEventsTestEventPattern(int argc, char** argv) {
  const CommandSpec spec = EventsTestEventPatternSpec();
  const po::options_description& desc = spec.options;
  AwsTwin twin{kUsage, kOperation, {}, {}, kYamlInputSkeleton};
  twin.input_skeleton["EventPattern"] = "";
  twin.input_skeleton["Event"] = "";
  twin.output_skeleton["Result"] = true;
  po::variables_map vm;
  AwsGlobals globals;
  if (!ParseAwsCliCommand(argc, argv, desc, twin, &vm, &globals)) return Stop{};

  std::optional<std::string> pattern, event_text;
  // botocore's validation of the request document: missing members, unknown keys, then each member's type
  std::vector<std::string> unknown;
  const std::optional<nlohmann::ordered_json> in = LoadCliInput(vm);
  bool pattern_given = false, event_given = false, event_first = false;  // botocore: the document's order
  std::string pattern_error, event_error;
  if (in) {
    for (auto it = in->begin(); it != in->end(); ++it) {
      if (it.key() == "EventPattern" || it.key() == "Event") {
        const bool is_pattern = it.key() == "EventPattern";
        if (!pattern_given && !event_given) event_first = !is_pattern;
        (is_pattern ? pattern_given : event_given) = true;
        if (it.value().is_string()) {
          (is_pattern ? pattern : event_text) = it.value().get<std::string>();
        } else {
          (is_pattern ? pattern_error : event_error) = NotAString(it.value(), it.key());
        }
      } else {
        unknown.push_back("Unknown parameter in input: \"" + it.key() + "\", must be one of: EventPattern, Event");
      }
    }
  }
  // Explicit options take precedence over --cli-input-json (or -yaml), as in the AWS CLI.
  if (vm.count("event-pattern")) {
    pattern = LoadParamValue(vm["event-pattern"].as<std::string>());
    pattern_given = true;
    pattern_error.clear();
  }
  if (vm.count("event")) {
    event_text = LoadParamValue(vm["event"].as<std::string>());
    event_given = true;
    event_error.clear();
  }
  if (in) {
    std::vector<std::string> problems;
    if (!pattern_given) problems.push_back("Missing required parameter in input: \"EventPattern\"");
    if (!event_given) problems.push_back("Missing required parameter in input: \"Event\"");
    problems.insert(problems.end(), unknown.begin(), unknown.end());
    for (const std::string* e : event_first ? std::vector{&event_error, &pattern_error}
                                            : std::vector{&pattern_error, &event_error}) {
      if (!e->empty()) problems.push_back(*e);
    }
    if (!problems.empty()) {
      std::string m = "\nParameter validation failed:";
      for (const std::string& p : problems) m += "\n" + p;
      throw UsageError{m};
    }
  }
  std::vector<std::string> missing;
  if (!pattern) missing.push_back("--event-pattern");
  if (!event_text) missing.push_back("--event");
  if (!missing.empty()) {
    std::string m = "the following arguments are required: ";
    for (size_t i = 0; i < missing.size(); ++i) m += (i ? ", " : "") + missing[i];
    throw UsageError{std::string(kUsage) + "trailwatch: error: " + m};
  }
  EventsTestConfig config;
  config.pattern = std::move(*pattern);
  config.output = std::move(globals);
  config.event = std::move(*event_text);
  config.pattern_size_limit = static_cast<size_t>(vm["pattern-size-limit"].as<Count>().value);
  return config;
}

int RunEventsTestEventPattern(const EventsTestConfig& config) {
  const std::string* pattern = &config.pattern;
  const std::string* event_text = &config.event;
  PrintAwsDebugRequest(config.output, "events", "AWSEvents.TestEventPattern",
                       {{"EventPattern", *pattern}, {"Event", *event_text}});
  if (!EventIsValid(*event_text)) {
    std::cerr << "\nAn error occurred (ValidationException) when calling the " << kOperation
              << " operation: Parameter Event is not valid.\n";
    return kExitAwsService;
  }
  event::PatternOptions options;
  options.max_size = config.pattern_size_limit;
  Result<event::EventPattern> parsed = event::ParseEventPattern(*pattern, options);
  if (!parsed.ok()) {
    PrintAwsError(kOperation, *pattern, parsed.error());
    return kExitAwsService;
  }
  auto compiled = event::CompileRuleSet({std::make_shared<const event::EventPattern>(std::move(parsed).value())});
  engine::EventMatcher matcher(compiled, engine::FastPathEnabled(engine::FastPath::kWalk));
  engine::EventScratch scratch;
  matcher.Evaluate(*event_text, scratch);
  nlohmann::ordered_json out;
  out["Result"] = matcher.Matched(0, scratch);
  return PrintAwsResponse(out, config.output);
}

}  // namespace trailwatch::cli
