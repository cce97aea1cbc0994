// setup.h: the AWS resources a replay simulates — the model both the setup file and CloudFormation
// templates are loaded into.
//
// Contract: plain data with every reference resolved (regions expanded, ARNs parsed, intrinsics evaluated).
// Patterns stay as text here; the replay compiles them (and reports their diagnostics with the resource's
// name). LoadSetup() (setup_loader.h) builds it; nothing else mutates it after loading.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace trailwatch::engine {

// The 17 Regions enabled by default in every account (they cannot be disabled).
const std::vector<std::string>& DefaultRegions();

struct ParsedArn {
  std::string partition, service, region, account, resource;  // resource: after the 5th ':'
};
std::optional<ParsedArn> ParseArn(const std::string& arn);

struct TrailConfig {
  std::string name;
  std::string home_region;
  bool multi_region = false;             // IsMultiRegionTrail
  bool include_global_events = true;     // IncludeGlobalServiceEvents
  bool logging = true;                   // IsLogging
  std::string log_group;                 // CloudWatchLogsLogGroupArn -> log group name ("" = none)
  std::string log_group_region;          // region of that log group (the trail's home region)
};

struct RuleTarget {
  std::string id;
  std::string arn;
  enum class Kind { kEventBus, kLogGroup, kOther } kind = Kind::kOther;
  std::string region;   // from the ARN
  std::string account;  // from the ARN
  std::string name;     // event bus name or log group name
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
};

struct Setup {
  std::string account = "123456789012";
  std::vector<std::string> regions;  // the regions the setup covers (events from others are still routed)
  std::vector<TrailConfig> trails;
  std::vector<RuleConfig> rules;
  std::vector<LogGroupConfig> log_groups;
  std::vector<MetricFilterConfig> metric_filters;
  std::vector<AlarmConfig> alarms;
  std::vector<std::string> warnings;  // things the loader accepted but wants the user to know
};

}  // namespace trailwatch::engine
