// setup.h: the AWS resources a replay simulates — the model both the setup file and CloudFormation
// templates are loaded into.
//
// Contract: plain data with every reference resolved (regions expanded, ARNs parsed, intrinsics evaluated).
// Patterns stay as text here; the replay compiles them (and reports their diagnostics with the resource's
// name). LoadSetupFile() and LoadTemplates() (sources.h) build it; nothing else mutates it after loading.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patterns/common/diagnostic.h"

namespace trailwatch::engine {

// The 17 Regions enabled by default in every account (they cannot be disabled): the Regions launched
// before 20 March 2019, in the order of AWS's Region table.
const std::vector<std::string>& DefaultRegions();

// True for a well-formed Region code ("us-east-1", "us-gov-west-1", "cn-north-1"); known or not.
bool IsRegionName(std::string_view name);

// Expands a Region list as users write it (setup file `Regions`, template deployments, CLI), a list of
// words or one comma-separated string:
//   default | all                the 17 default Regions
//   default-except:R1,R2,...     the 17 minus those (every word after the colon is an exclusion)
//   us-east-1, eu-west-1, ...    explicit Region codes (may be combined with `default`)
// Order: as written (`default` expands in DefaultRegions() order); duplicates dropped. An empty list, a
// malformed Region code or an exclusion that is not a default Region is an error.
Result<std::vector<std::string>> ExpandRegions(const std::vector<std::string>& words);
Result<std::vector<std::string>> ExpandRegions(std::string_view spec);

// A message a setup source accepted but wants the user to know, before FormatWarnings() (check.h) merges
// the ones that differ only by Region. `where` names the resource ("metric filter X (file:line:col)") or file.
struct SetupWarning {
  std::string where;
  std::string region;  // "" when the message is not about one Region
  std::string text;
};

// A 12-digit AWS account id.
bool IsAccountId(std::string_view s);

struct ParsedArn {
  std::string partition, service, region, account, resource;  // resource: after the 5th ':'
};
// "arn:partition:service:region:account:resource"; partition, service and resource must be non-empty.
std::optional<ParsedArn> ParseArn(const std::string& arn);

struct TrailConfig {
  std::string name;
  std::string home_region;
  bool multi_region = false;             // IsMultiRegionTrail
  bool include_global_events = true;     // IncludeGlobalServiceEvents
  bool logging = true;                   // IsLogging
  std::string log_group;                 // CloudWatchLogsLogGroupArn -> log group name ("" = none)
  std::string log_group_region;          // region of that log group (the trail's home region)
  // Added by the loader:
  std::string account;                   // the account the trail belongs to
  std::string log_group_account;         // account of that log group (from the ARN)
  std::string management_events = "All"; // EventSelectors: All | ReadOnly | WriteOnly | None
  std::string source;                    // where it was defined (file:line:col: logical id), for messages
};

struct RuleTarget {
  std::string id;
  std::string arn;
  enum class Kind { kEventBus, kLogGroup, kOther } kind = Kind::kOther;
  std::string region;   // from the ARN
  std::string account;  // from the ARN
  std::string name;     // event bus name or log group name
  // Added by the loader (all optional, "" = not set):
  std::string role_arn;          // RoleArn (EventBridge needs one for an event bus in another Region)
  std::string input;             // Input: constant JSON text sent instead of the event
  std::string input_path;        // InputPath: JSONPath of the part of the event sent
  std::string input_paths_map;   // InputTransformer.InputPathsMap as compact JSON
  std::string input_template;    // InputTransformer.InputTemplate
};

struct RuleConfig {
  std::string name;              // logical id or Name
  std::string region;
  std::string account;
  std::string event_bus = "default";
  std::string event_pattern;     // JSON text
  std::string state = "ENABLED"; // ENABLED | DISABLED | ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
  std::vector<RuleTarget> targets;
  std::string source;            // where it was defined (file and logical id), for messages
};

struct MetricTransformationConfig {
  std::string metric_name;
  std::string metric_namespace;
  std::string metric_value = "1";
  std::optional<double> default_value;
  std::string unit;
  std::vector<std::pair<std::string, std::string>> dimensions;
};

struct MetricFilterConfig {
  std::string name;
  std::string log_group;
  std::string region;
  std::string account;
  std::string filter_pattern;
  MetricTransformationConfig transformation;  // CloudFormation allows exactly one
  std::string source;
};

struct LogGroupConfig {
  std::string name;
  std::string region;
  std::string account;
  std::string source;
};

struct AlarmConfig {
  std::string name;
  std::string region;
  std::string account;
  std::string metric_namespace;
  std::string metric_name;
  std::vector<std::pair<std::string, std::string>> dimensions;
  std::string statistic = "Sum";     // SampleCount | Average | Sum | Minimum | Maximum
  int period = 60;                   // seconds, a multiple of 60
  int evaluation_periods = 1;
  int datapoints_to_alarm = 0;       // 0: same as evaluation_periods
  double threshold = 0;
  std::string comparison_operator = "GreaterThanOrEqualToThreshold";
  std::string treat_missing_data = "missing";  // missing | notBreaching | breaching | ignore
  std::string source;
  std::string unit;                  // Added: Unit ("" = any unit)
};

// Every vector below is sorted by (account, region, [bus | log group,] name), so a setup loaded from a setup
// file and the same setup loaded from templates compare equal field by field (`source` aside).
struct Setup {
  std::string account = "123456789012";
  // The regions the setup covers (events from others are still routed): the setup file's `Regions` or
  // LoadOptions::regions (default: the 17), plus every Region a resource was placed in.
  std::vector<std::string> regions;
  std::vector<TrailConfig> trails;
  std::vector<RuleConfig> rules;
  std::vector<LogGroupConfig> log_groups;
  std::vector<MetricFilterConfig> metric_filters;
  std::vector<AlarmConfig> alarms;
  std::vector<std::string> warnings;  // things the loader accepted but wants the user to know
};

}  // namespace trailwatch::engine
