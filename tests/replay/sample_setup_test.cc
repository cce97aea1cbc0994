// sample_setup_test.cc: samples/console-login/ — the story's setup file and its CloudFormation templates
// load, say exactly the story (16 forwarding rules + the central rule: one rule in each of the 17 default
// Regions; the log group; the multi-region trail; the two seed filters; an alarm on each), and are
// equivalent to each other.
#include <gtest/gtest.h>

#include <fstream>

#include "engine/cloudwatch/alarms.h"
#include "engine/setup/sources.h"
#include "patterns/event/parser.h"
#include "patterns/filter/compile.h"
#include "tests/replay/setup_dump.h"

namespace trailwatch::engine {
namespace {

const std::string kSample = TW_SOURCE_DIR "/samples/console-login/";
constexpr const char* kPattern = R"({"source":["aws.signin"],"detail-type":["AWS Console Sign In via CloudTrail"]})";

engine::Setup LoadSetupSample() {
  Result<engine::Setup> r = LoadSetupFile(kSample + "setup.yaml");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : engine::Setup{};
}

engine::Setup LoadTemplateSample(const std::string& forwarding_regions) {
  Result<TemplateSource> central = ParseTemplateArg(kSample + "templates/central.yaml@us-east-1");
  Result<TemplateSource> forwarding = ParseTemplateArg(kSample + "templates/forwarding.yaml@" + forwarding_regions);
  EXPECT_TRUE(central.ok() && forwarding.ok());
  if (!central.ok() || !forwarding.ok()) return {};
  LoadOptions options;
  options.account = "123837392027";  // the sample's account (the account of its CloudTrail records)
  Result<engine::Setup> r = LoadTemplates({*central, *forwarding}, options);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : engine::Setup{};
}

TEST(SampleSetupTest, SetupFileIsTheStory) {
  engine::Setup s = LoadSetupSample();
  EXPECT_EQ(s.account, "123837392027");
  EXPECT_EQ(s.regions, DefaultRegions());
  EXPECT_TRUE(s.warnings.empty()) << s.warnings.front();

  // One rule per default Region: 16 forward to us-east-1's default bus, us-east-1's sends to the log group.
  ASSERT_EQ(s.rules.size(), 17u);
  int forwarding = 0;
  for (const RuleConfig& r : s.rules) {
    SCOPED_TRACE(r.region);
    EXPECT_EQ(r.event_bus, "default");
    EXPECT_EQ(r.state, "ENABLED");
    EXPECT_EQ(r.event_pattern, kPattern);
    ASSERT_EQ(r.targets.size(), 1u);
    const RuleTarget& t = r.targets[0];
    if (r.region == "us-east-1") {
      EXPECT_EQ(r.name, "console-login-to-logs");
      EXPECT_EQ(t.kind, RuleTarget::Kind::kLogGroup);
      EXPECT_EQ(t.name, "/aws/events/console-login");
      EXPECT_EQ(t.region, "us-east-1");
    } else {
      ++forwarding;
      EXPECT_EQ(r.name, "forward-console-login");
      EXPECT_EQ(t.kind, RuleTarget::Kind::kEventBus);
      EXPECT_EQ(t.arn, "arn:aws:events:us-east-1:123837392027:event-bus/default");
      EXPECT_EQ(t.name, "default");
      EXPECT_EQ(t.region, "us-east-1");
      EXPECT_EQ(t.account, "123837392027");
      EXPECT_EQ(t.role_arn, "arn:aws:iam::123837392027:role/console-login-forwarder");
    }
  }
  EXPECT_EQ(forwarding, 16);
  std::set<std::string> rule_regions;
  for (const RuleConfig& r : s.rules) rule_regions.insert(r.region);
  EXPECT_EQ(rule_regions, std::set<std::string>(DefaultRegions().begin(), DefaultRegions().end()));

  ASSERT_EQ(s.log_groups.size(), 1u);
  EXPECT_EQ(s.log_groups[0].name, "/aws/events/console-login");
  EXPECT_EQ(s.log_groups[0].region, "us-east-1");

  ASSERT_EQ(s.trails.size(), 1u);
  const TrailConfig& trail = s.trails[0];
  EXPECT_EQ(trail.name, "management-events");
  EXPECT_EQ(trail.home_region, "us-east-1");
  EXPECT_TRUE(trail.multi_region);
  EXPECT_TRUE(trail.include_global_events);
  EXPECT_TRUE(trail.logging);
  EXPECT_EQ(trail.log_group, "/aws/events/console-login");
  EXPECT_EQ(trail.log_group_region, "us-east-1");
  EXPECT_EQ(trail.management_events, "All");

  // The two seed filters of the sample story (samples/console-login/filters.txt), byte for byte.
  std::ifstream in(kSample + "filters.txt");
  std::string success, failure;
  std::getline(in, success);
  std::getline(in, failure);
  ASSERT_EQ(s.metric_filters.size(), 2u);
  const MetricFilterConfig& f0 = s.metric_filters[0];  // sorted by name: ConsoleLoginFailure first
  const MetricFilterConfig& f1 = s.metric_filters[1];
  EXPECT_EQ(f0.name, "ConsoleLoginFailure");
  EXPECT_EQ(f0.filter_pattern, failure);
  EXPECT_EQ(f1.name, "ConsoleLoginSuccess");
  EXPECT_EQ(f1.filter_pattern, success);
  for (const MetricFilterConfig& f : s.metric_filters) {
    SCOPED_TRACE(f.name);
    EXPECT_EQ(f.log_group, "/aws/events/console-login");
    EXPECT_EQ(f.region, "us-east-1");
    EXPECT_EQ(f.transformation.metric_namespace, "CloudTrailMetrics");
    EXPECT_EQ(f.transformation.metric_name, f.name);
    EXPECT_EQ(f.transformation.metric_value, "1");
    EXPECT_TRUE(filter::CompileFilterPattern(f.filter_pattern).ok());
  }

  ASSERT_EQ(s.alarms.size(), 2u);
  const AlarmConfig& failures = s.alarms[0];  // console-login-failures
  const AlarmConfig& successes = s.alarms[1];
  EXPECT_EQ(failures.name, "console-login-failures");
  EXPECT_EQ(failures.metric_name, "ConsoleLoginFailure");
  EXPECT_EQ(failures.period, 300);
  EXPECT_EQ(failures.threshold, 3);
  EXPECT_EQ(successes.name, "console-login-success");
  EXPECT_EQ(successes.metric_name, "ConsoleLoginSuccess");
  EXPECT_EQ(successes.period, 60);
  EXPECT_EQ(successes.threshold, 1);
  for (const AlarmConfig& a : s.alarms) {
    EXPECT_EQ(a.metric_namespace, "CloudTrailMetrics");
    EXPECT_EQ(a.statistic, "Sum");
    EXPECT_EQ(a.comparison_operator, "GreaterThanOrEqualToThreshold");
    EXPECT_EQ(a.treat_missing_data, "notBreaching");
    EXPECT_EQ(a.region, "us-east-1");
  }
}

TEST(SampleSetupTest, EveryPatternAndAlarmIsValid) {
  engine::Setup s = LoadSetupSample();
  for (const RuleConfig& r : s.rules) {
    Result<event::EventPattern> p = event::ParseEventPattern(r.event_pattern);
    EXPECT_TRUE(p.ok()) << r.region << ": " << (p.ok() ? "" : p.error().message);
  }
  for (const MetricFilterConfig& f : s.metric_filters) {
    EXPECT_TRUE(filter::CompileFilterPattern(f.filter_pattern).ok()) << f.name;
  }
  for (const AlarmConfig& a : s.alarms) {
    Result<AlarmSpec> spec = ValidateAlarm(a);
    EXPECT_TRUE(spec.ok()) << a.name << ": " << (spec.ok() ? "" : spec.error().message);
  }
}

TEST(SampleSetupTest, TemplatesEqualTheSetupFile) {
  const std::string expected = DumpSetup(LoadSetupSample());
  EXPECT_EQ(DumpSetup(LoadTemplateSample("default-except:us-east-1")), expected);
  // Deployed to all 17: the IsForwardingRegion condition leaves us-east-1 out by itself.
  EXPECT_EQ(DumpSetup(LoadTemplateSample("default")), expected);
}

TEST(SampleSetupTest, TemplateWarningsAreOnlyTheSkippedResources) {
  engine::Setup s = LoadTemplateSample("default-except:us-east-1");
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_EQ(s.warnings[0], kSample + "templates/central.yaml: not simulated (skipped): TrailBucket (AWS::S3::Bucket), "
                                     "TrailBucketPolicy (AWS::S3::BucketPolicy), EventsToLogGroupPolicy "
                                     "(AWS::Logs::ResourcePolicy), TrailToLogsRole (AWS::IAM::Role), ForwarderRole "
                                     "(AWS::IAM::Role)");
}

TEST(SampleSetupTest, TemplateParametersChangeTheSetup) {
  Result<TemplateSource> forwarding = ParseTemplateArg(kSample + "templates/forwarding.yaml@default");
  ASSERT_TRUE(forwarding.ok());
  forwarding->parameters["AggregatorRegion"] = "eu-west-1";
  Result<engine::Setup> r = LoadTemplates({*forwarding});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->rules.size(), 16u);
  for (const RuleConfig& rule : r->rules) {
    EXPECT_NE(rule.region, "eu-west-1");
    EXPECT_EQ(rule.targets[0].arn, "arn:aws:events:eu-west-1:123456789012:event-bus/default");
  }
  // No central stack: the forwarded events reach no rule, which the checks say (once, for the 16 Regions).
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].find("no enabled rule of the setup is on bus `default` in eu-west-1: events sent there "
                                "go nowhere [16 Regions: ap-northeast-1, "),
            std::string::npos)
      << r->warnings[0];
}

}  // namespace
}  // namespace trailwatch::engine
