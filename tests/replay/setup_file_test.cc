// setup_file_test.cc: setup files in YAML and JSON: every field of the model, per-resource Regions,
// defaults, and YAML vs JSON giving the same setup.
#include <gtest/gtest.h>

#include "engine/setup/sources.h"
#include "tests/replay/setup_dump.h"

namespace trailwatch::engine {
namespace {

const std::string kDir = TW_TEST_DATA_DIR "/setup/";

engine::Setup MustLoad(const std::string& path) {
  Result<engine::Setup> r = LoadSetupFile(path);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : Setup{};
}

TEST(SetupFileTest, StoryJsonEveryField) {
  engine::Setup s = MustLoad(kDir + "story.json");
  EXPECT_EQ(DumpSetup(s),
            "account 111122223333\n"
            "regions eu-west-1 eu-central-1 us-east-1\n"
            "trail 111122223333/eu-west-1/Trail multi_region=1 global=0 logging=1 "
            "log_group=/aws/events/console-login@eu-west-1/111122223333 management=WriteOnly\n"
            "rule 111122223333/eu-central-1/default/forward state=ENABLED "
            "pattern={\"source\":[\"aws.signin\"],\"detail-type\":[\"AWS Console Sign In via CloudTrail\"],"
            "\"detail\":{\"eventTime\":[{\"numeric\":[\">\",1.50]}],\"x\":[\"\xF0\x9F\x98\x80\"]}}\n"
            "  target agg bus 111122223333/eu-west-1/default arn=arn:aws:events:eu-west-1:111122223333:event-bus/default "
            "role=arn:aws:iam::111122223333:role/fwd input= input_path= paths= template=\n"
            "rule 111122223333/eu-west-1/default/Central state=ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS "
            "pattern={\"source\":[\"aws.signin\"]}\n"
            "  target logs log_group 111122223333/eu-west-1//aws/events/console-login "
            "arn=arn:aws:logs:eu-west-1:111122223333:log-group:/aws/events/console-login:* role= input= input_path= "
            "paths= template=\n"
            "rule 111122223333/us-east-1/default/forward state=ENABLED "
            "pattern={\"source\":[\"aws.signin\"],\"detail-type\":[\"AWS Console Sign In via CloudTrail\"],"
            "\"detail\":{\"eventTime\":[{\"numeric\":[\">\",1.50]}],\"x\":[\"\xF0\x9F\x98\x80\"]}}\n"
            "  target agg bus 111122223333/eu-west-1/default arn=arn:aws:events:eu-west-1:111122223333:event-bus/default "
            "role=arn:aws:iam::111122223333:role/fwd input= input_path= paths= template=\n"
            "log_group 111122223333/eu-west-1//aws/events/console-login\n"
            "filter 111122223333/eu-west-1//aws/events/console-login/Failures "
            "pattern={ $.errorMessage = \"Failed authentication\" } metric=Story/Failures value=$.count default=none "
            "unit=Count dims=user:$.userIdentity.arn;\n"
            "alarm 111122223333/eu-west-1/FailureAlarm metric=Story/Failures "
            "dims=user:arn:aws:iam::111122223333:user/bob; stat=Maximum period=120 evals=5 datapoints=3 "
            "threshold=2.5 op=GreaterThanThreshold missing=breaching unit=Count\n");
  EXPECT_TRUE(s.warnings.empty()) << s.warnings.front();
}

TEST(SetupFileTest, YamlAndJsonGiveTheSameSetup) {
  engine::Setup json = MustLoad(kDir + "story.json");
  engine::Setup yaml = MustLoad(kDir + "story.yaml");
  EXPECT_EQ(DumpSetup(yaml), DumpSetup(json));
  EXPECT_EQ(yaml.warnings, json.warnings);
}

TEST(SetupFileTest, SourcesNameFileLineAndLogicalId) {
  engine::Setup yaml = MustLoad(kDir + "story.yaml");
  ASSERT_EQ(yaml.log_groups.size(), 1u);
  EXPECT_EQ(yaml.log_groups[0].source, kDir + "story.yaml:21:3: Logs");
  ASSERT_EQ(yaml.trails.size(), 1u);
  EXPECT_EQ(yaml.trails[0].source, kDir + "story.yaml:30:3: Trail");
  engine::Setup json = MustLoad(kDir + "story.json");
  EXPECT_EQ(json.log_groups[0].source, kDir + "story.json: Logs");  // JSON nodes carry no position
}

TEST(SetupFileTest, Defaults) {
  Result<engine::Setup> r = LoadSetupText(
      "Resources:\n"
      "  G: {Type: AWS::Logs::LogGroup}\n"
      "  R:\n"
      "    Type: AWS::Events::Rule\n"
      "    Properties: {EventPattern: {source: [x]}}\n",
      "mini.yaml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->account, "123456789012");
  EXPECT_EQ(r->regions, DefaultRegions());
  ASSERT_EQ(r->log_groups.size(), 1u);
  EXPECT_EQ(r->log_groups[0].name, "G");  // a setup file's default physical name is the logical id
  EXPECT_EQ(r->log_groups[0].region, "us-east-1");
  ASSERT_EQ(r->rules.size(), 1u);
  EXPECT_EQ(r->rules[0].name, "R");
  EXPECT_EQ(r->rules[0].event_bus, "default");
  EXPECT_EQ(r->rules[0].state, "ENABLED");
  EXPECT_EQ(r->rules[0].event_pattern, "{\"source\":[\"x\"]}");
  EXPECT_TRUE(r->rules[0].targets.empty());
}

TEST(SetupFileTest, RegionsOfResourcesAreAddedToTheCoveredRegions) {
  Result<engine::Setup> r = LoadSetupText(
      "Regions: [eu-west-1]\n"
      "Region: eu-west-1\n"
      "Resources:\n"
      "  G: {Type: AWS::Logs::LogGroup, Regions: [af-south-1, eu-west-1]}\n",
      "x.yaml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->regions, (std::vector<std::string>{"eu-west-1", "af-south-1"}));
  ASSERT_EQ(r->log_groups.size(), 2u);
  EXPECT_EQ(r->log_groups[0].region, "af-south-1");  // sorted
  EXPECT_EQ(r->log_groups[1].region, "eu-west-1");
}

TEST(SetupFileTest, RefFromARegionToAResourceInOneOtherRegion) {
  // Forwarding rules in 16 Regions refer to the one log group of us-east-1 (and its ARN says so).
  Result<engine::Setup> r = LoadSetupText(
      "Resources:\n"
      "  G: {Type: AWS::Logs::LogGroup, Properties: {LogGroupName: /aws/events/x}}\n"
      "  R:\n"
      "    Type: AWS::Events::Rule\n"
      "    Regions: default-except:us-east-1\n"
      "    Properties:\n"
      "      EventPattern: {source: [x]}\n"
      "      Targets: [{Id: t, Arn: !Sub '${G.Arn}'}]\n",
      "x.yaml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->rules.size(), 16u);
  for (const RuleConfig& rule : r->rules) {
    ASSERT_EQ(rule.targets.size(), 1u);
    EXPECT_EQ(rule.targets[0].arn, "arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/x:*");
  }
}

TEST(SetupFileTest, PlainScalarsInEventPatternsBecomeJsonTypes) {
  Result<engine::Setup> r = LoadSetupText(
      "Resources:\n"
      "  R:\n"
      "    Type: AWS::Events::Rule\n"
      "    Properties:\n"
      "      EventPattern:\n"
      "        a: [1, -2.5e3, \"3\", true, False, null, ~, 007, +1, 0x1F, yes, '', \"quote\\\"d\"]\n"
      "        b: [{exists: false}]\n",
      "x.yaml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rules[0].event_pattern,
            "{\"a\":[1,-2.5e3,\"3\",true,false,null,null,\"007\",\"+1\",\"0x1F\",\"yes\",\"\",\"quote\\\"d\"],"
            "\"b\":[{\"exists\":false}]}");
}

TEST(SetupFileTest, EventPatternStringThatIsNotJsonIsKeptVerbatim) {
  // The replay compiles the pattern and reports AWS's error with the rule's name.
  Result<engine::Setup> r = LoadSetupText(
      "Resources:\n  R: {Type: AWS::Events::Rule, Properties: {EventPattern: '{\"source\": [x'}}\n", "x.yaml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rules[0].event_pattern, "{\"source\": [x");
}

TEST(SetupFileTest, DuplicateJsonKeysLastWins) {
  Result<engine::Setup> r = LoadSetupText(
      R"({"Resources": {"G": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "a", "LogGroupName": "b"}}}})",
      "x.json");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->log_groups[0].name, "b");
}

TEST(SetupFileTest, YamlFlowStyleThatIsNotJson) {
  Result<engine::Setup> r = LoadSetupText("{Resources: {G: {Type: AWS::Logs::LogGroup}}}", "x.yaml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->log_groups.size(), 1u);
}

TEST(SetupFileTest, ScheduledRulesAreSkippedWithAWarning) {
  Result<engine::Setup> r = LoadSetupText(
      "Resources:\n  R: {Type: AWS::Events::Rule, Properties: {ScheduleExpression: rate(5 minutes)}}\n", "x.yaml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->rules.empty());
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_EQ(r->warnings[0], "x.yaml:2:3: R: a scheduled rule (no EventPattern) is not simulated (skipped) [us-east-1]");
}

TEST(SetupFileTest, MetricsWithOneMetricStatIsASingleMetricAlarm) {
  Result<engine::Setup> r = LoadSetupText(
      "Resources:\n"
      "  A:\n"
      "    Type: AWS::CloudWatch::Alarm\n"
      "    Properties:\n"
      "      EvaluationPeriods: 2\n"
      "      Threshold: 1\n"
      "      ComparisonOperator: LessThanThreshold\n"
      "      Metrics:\n"
      "        - Id: m1\n"
      "          MetricStat:\n"
      "            Metric: {Namespace: N, MetricName: M, Dimensions: [{Name: d, Value: v}]}\n"
      "            Period: 300\n"
      "            Stat: Average\n"
      "            Unit: Seconds\n",
      "x.yaml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->alarms.size(), 1u);
  const AlarmConfig& a = r->alarms[0];
  EXPECT_EQ(a.metric_namespace, "N");
  EXPECT_EQ(a.metric_name, "M");
  EXPECT_EQ(a.dimensions, (std::vector<std::pair<std::string, std::string>>{{"d", "v"}}));
  EXPECT_EQ(a.statistic, "Average");
  EXPECT_EQ(a.period, 300);
  EXPECT_EQ(a.unit, "Seconds");
  EXPECT_EQ(a.evaluation_periods, 2);
  EXPECT_EQ(a.datapoints_to_alarm, 0);
  EXPECT_EQ(a.comparison_operator, "LessThanThreshold");
}

TEST(SetupFileTest, TrailEventSelectors) {
  struct Case {
    const char* selectors;
    const char* management;
  } cases[] = {
      {"[{ReadWriteType: All}]", "All"},
      {"[{ReadWriteType: ReadOnly}]", "ReadOnly"},
      {"[{ReadWriteType: ReadOnly}, {ReadWriteType: WriteOnly}]", "All"},
      {"[{IncludeManagementEvents: false}]", "None"},
      {"[{}]", "All"},
      {"[]", "All"},  // no selectors (the CDK's Trail without addEventSelector): all management events
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.selectors);
    Result<engine::Setup> r = LoadSetupText(std::string("Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n"
                                                "    Properties: {EventSelectors: ") +
                                        c.selectors + "}\n",
                                    "x.yaml");
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->trails.size(), 1u);
    EXPECT_EQ(r->trails[0].management_events, c.management);
    EXPECT_TRUE(r->trails[0].logging);  // IsLogging defaults to true in a setup file
    EXPECT_FALSE(r->trails[0].multi_region);
    EXPECT_TRUE(r->trails[0].log_group.empty());
  }
}

}  // namespace
}  // namespace trailwatch::engine
