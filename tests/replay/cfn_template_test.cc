// cfn_template_test.cc: CloudFormation templates: every intrinsic function in short (YAML tag) and long
// form, parameters and their overrides, pseudo parameters, conditions, deployment to Regions, Ref and
// Fn::GetAtt of each resource type, resources that are not simulated.
#include <gtest/gtest.h>

#include "engine/setup/sources.h"
#include "tests/replay/setup_dump.h"

namespace trailwatch::engine {
namespace {

const std::string kDir = TW_TEST_DATA_DIR "/setup/";

engine::Setup MustLoad(const std::vector<TemplateSource>& sources, const LoadOptions& options = {}) {
  Result<engine::Setup> r = LoadTemplates(sources, options);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : engine::Setup{};
}

TemplateSource File(const std::string& name, std::vector<std::string> regions,
                    std::map<std::string, std::string> parameters = {}) {
  TemplateSource src;
  src.path = kDir + name;
  src.regions = std::move(regions);
  src.parameters = std::move(parameters);
  return src;
}

TemplateSource Text(std::string text, std::vector<std::string> regions = {}) {
  TemplateSource src;
  src.path = "t.yaml";
  src.text = std::move(text);
  src.regions = std::move(regions);
  return src;
}

const RuleConfig* FindRule(const engine::Setup& s, const std::string& region) {
  for (const RuleConfig& r : s.rules) {
    if (r.region == region) return &r;
  }
  return nullptr;
}

TEST(CfnTemplateTest, EveryIntrinsicShortForm) {
  engine::Setup s = MustLoad({File("intrinsics.yaml", {"us-east-1", "eu-west-1"})});
  ASSERT_EQ(s.rules.size(), 2u);
  const RuleConfig* use1 = FindRule(s, "us-east-1");
  ASSERT_NE(use1, nullptr);
  EXPECT_EQ(use1->name, "tw-b-7");  // Fn::Join, Ref (String, Number), Fn::Select, Fn::Split
  // Fn::Split of Fn::Join of a CommaDelimitedList, Ref AWS::Region, Fn::GetAZs, Fn::If -> AWS::NoValue.
  EXPECT_EQ(use1->event_pattern,
            R"({"source":["aws.signin","aws.iam"],"region":["us-east-1"],"detail":{"zone":["us-east-1a"]}})");
  ASSERT_EQ(use1->targets.size(), 2u);
  const RuleTarget& logs = use1->targets[0];
  EXPECT_EQ(logs.kind, RuleTarget::Kind::kLogGroup);
  EXPECT_EQ(logs.name, "/aws/events/intrinsics-dev");  // Fn::Sub with AWS::StackName (the file's stem)
  EXPECT_EQ(logs.arn, "arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/intrinsics-dev:*");  // GetAtt list
  // Fn::Sub list form, ${!Literal}, AWS::URLSuffix, ${Resource.Attr}, AWS::Partition.
  EXPECT_EQ(logs.input, R"({"region":"us-east-1","literal":"${Literal}","url":"amazonaws.com",)"
                        R"("arn":"arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/intrinsics-dev:*","p":"aws"})");
  const RuleTarget& bus = use1->targets[1];
  EXPECT_EQ(bus.kind, RuleTarget::Kind::kEventBus);
  EXPECT_EQ(bus.name, "tw-bus");
  EXPECT_EQ(bus.arn, "arn:aws:events:us-east-1:123456789012:event-bus/tw-bus");  // AWS::AccountId
  EXPECT_EQ(bus.input_template, "PHVzZXI+");                                       // Fn::Base64 "<user>"
  EXPECT_EQ(bus.input_paths_map, R"({"user":"$.detail.userIdentity.arn"})");
  EXPECT_EQ(bus.input_path, "$.detail");  // Fn::If false branch
  // Conditions: ProdOutsideIreland (Fn::And, Condition) is false for Env=dev: no metric filter.
  EXPECT_TRUE(s.metric_filters.empty());
  ASSERT_EQ(s.alarms.size(), 2u);
  // ProdOrIreland (Fn::Or, Fn::Not): true in eu-west-1 only.
  EXPECT_EQ(s.alarms[0].region, "eu-west-1");
  EXPECT_EQ(s.alarms[0].name, "intrinsics-failures");
  EXPECT_EQ(s.alarms[1].region, "us-east-1");
  EXPECT_EQ(s.alarms[1].name, "other");
  EXPECT_EQ(s.alarms[1].threshold, 10);  // Fn::FindInMap
  EXPECT_EQ(s.alarms[1].metric_namespace, "intrinsics");
}

TEST(CfnTemplateTest, ParameterOverrideAndConditions) {
  engine::Setup s = MustLoad({File("intrinsics.yaml", {"us-east-1", "eu-west-1"}, {{"Env", "prod"}})});
  const RuleConfig* use1 = FindRule(s, "us-east-1");
  ASSERT_NE(use1, nullptr);
  EXPECT_EQ(use1->event_pattern,
            R"({"source":["aws.signin","aws.iam"],"region":["us-east-1"],"detail":{"zone":["us-east-1a"],"all":["prod"]}})");
  EXPECT_EQ(use1->targets[1].input_path, "");  // Fn::If true branch: AWS::NoValue removes the property
  ASSERT_EQ(s.metric_filters.size(), 1u);      // ProdOutsideIreland: us-east-1 only
  EXPECT_EQ(s.metric_filters[0].region, "us-east-1");
  EXPECT_EQ(s.metric_filters[0].name, "tw-us-east-1");
  EXPECT_EQ(s.metric_filters[0].log_group, "/aws/events/intrinsics-prod");
  ASSERT_TRUE(s.metric_filters[0].transformation.default_value.has_value());
  EXPECT_EQ(*s.metric_filters[0].transformation.default_value, 0);
  ASSERT_EQ(s.alarms.size(), 2u);
  EXPECT_EQ(s.alarms[0].name, "intrinsics-failures");
  EXPECT_EQ(s.alarms[1].name, "intrinsics-failures");
  EXPECT_EQ(s.alarms[1].threshold, 3);
}

TEST(CfnTemplateTest, LongFormJsonEqualsShortFormYaml) {
  for (const char* env : {"dev", "prod"}) {
    SCOPED_TRACE(env);
    engine::Setup yaml = MustLoad({File("intrinsics.yaml", {"default"}, {{"Env", env}})});
    engine::Setup json = MustLoad({File("intrinsics.json", {"default"}, {{"Env", env}})});
    EXPECT_EQ(DumpSetup(json), DumpSetup(yaml));
    EXPECT_EQ(yaml.rules.size(), 17u);
  }
}

TEST(CfnTemplateTest, GlobalParametersApplyWhereDeclared) {
  LoadOptions options;
  options.parameters["Env"] = "prod";
  TemplateSource plain = Text("Resources:\n  G: {Type: AWS::Logs::LogGroup, Properties: {LogGroupName: /aws/events/g}}\n");
  engine::Setup s = MustLoad({File("intrinsics.yaml", {"us-east-1"}), plain}, options);
  EXPECT_EQ(s.metric_filters.size(), 1u);
  // The template's own value wins over the global one.
  s = MustLoad({File("intrinsics.yaml", {"us-east-1"}, {{"Env", "dev"}})}, options);
  EXPECT_EQ(s.metric_filters.size(), 0u);
}

TEST(CfnTemplateTest, RegionsAccountAndStackName) {
  const std::string text =
      "Resources:\n"
      "  R:\n"
      "    Type: AWS::Events::Rule\n"
      "    Properties:\n"
      "      EventPattern: {account: [!Ref AWS::AccountId], stack: [!Ref AWS::StackName]}\n";
  TemplateSource src = Text(text, {"default-except:us-east-1"});
  engine::Setup s = MustLoad({src});
  EXPECT_EQ(s.rules.size(), 16u);
  EXPECT_EQ(FindRule(s, "us-east-1"), nullptr);
  EXPECT_EQ(s.rules[0].name, "t-R");  // "<StackName>-<LogicalId>" when Name is absent
  EXPECT_EQ(s.rules[0].event_pattern, R"({"account":["123456789012"],"stack":["t"]})");

  src.regions.clear();  // LoadOptions::default_region
  src.account = "210987654321";
  src.stack_name = "console-login";
  LoadOptions options;
  options.default_region = "eu-north-1";
  options.regions = {"eu-north-1"};
  s = MustLoad({src}, options);
  ASSERT_EQ(s.rules.size(), 1u);
  EXPECT_EQ(s.rules[0].region, "eu-north-1");
  EXPECT_EQ(s.rules[0].account, "210987654321");
  EXPECT_EQ(s.rules[0].name, "console-login-R");
  EXPECT_EQ(s.rules[0].event_pattern, R"({"account":["210987654321"],"stack":["console-login"]})");
  EXPECT_EQ(s.regions, std::vector<std::string>{"eu-north-1"});
  EXPECT_EQ(s.account, "123456789012");
}

TEST(CfnTemplateTest, PartitionFollowsTheRegion) {
  TemplateSource src = Text("Resources:\n  G: {Type: AWS::Logs::LogGroup, Properties: {LogGroupName: !Sub '/aws/events/${AWS::Partition}-${AWS::URLSuffix}'}}\n",
                            {"cn-north-1", "us-gov-west-1"});
  engine::Setup s = MustLoad({src});
  ASSERT_EQ(s.log_groups.size(), 2u);
  EXPECT_EQ(s.log_groups[0].name, "/aws/events/aws-cn-amazonaws.com.cn");
  EXPECT_EQ(s.log_groups[1].name, "/aws/events/aws-us-gov-amazonaws.com");
}

TEST(CfnTemplateTest, RefAndGetAttOfEachType) {
  const std::string text = R"(
Resources:
  Bus: {Type: AWS::Events::EventBus, Properties: {Name: audit}}
  Role: {Type: AWS::IAM::Role, Properties: {RoleName: forwarder}}
  Topic: {Type: AWS::SNS::Topic, Properties: {TopicName: alerts}}
  Bucket: {Type: AWS::S3::Bucket}
  Logs: {Type: AWS::Logs::LogGroup, Properties: {LogGroupName: /aws/events/x}}
  OnBus:
    Type: AWS::Events::Rule
    Properties:
      Name: on-bus
      EventBusName: !Ref Bus
      EventPattern: {source: [x]}
      Targets: [{Id: logs, Arn: !GetAtt Logs.Arn}]
  Refs:
    Type: AWS::Events::Rule
    Properties:
      Name: refs
      EventPattern:
        rule: [!Ref OnBus, !GetAtt OnBus.Arn]
        bus: [!GetAtt Bus.Arn, !GetAtt Bus.Name]
        role: [!Ref Role, !GetAtt Role.Arn]
        topic: [!Ref Topic, !GetAtt Topic.TopicName]
        bucket: [!Ref Bucket, !GetAtt Bucket.Arn, !GetAtt Bucket.DomainName]
        alarm: [!Ref Alarm, !GetAtt Alarm.Arn]
        trail: [!Ref Trail, !GetAtt Trail.Arn]
        filter: [!Ref Filter]
      Targets: [{Id: bus, Arn: !GetAtt Bus.Arn, RoleArn: !GetAtt Role.Arn}]
  Trail: {Type: AWS::CloudTrail::Trail, Properties: {TrailName: tr, IsLogging: true, S3BucketName: !Ref Bucket}}
  Filter:
    Type: AWS::Logs::MetricFilter
    Properties:
      LogGroupName: !Ref Logs
      FilterPattern: ""
      MetricTransformations: [{MetricName: M, MetricNamespace: N, MetricValue: "1"}]
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties: {AlarmName: al, Namespace: N, MetricName: M, Statistic: Sum, Period: 60, EvaluationPeriods: 1,
                 Threshold: 1, ComparisonOperator: GreaterThanThreshold}
)";
  engine::Setup s = MustLoad({Text(text, {"eu-west-1"})});
  ASSERT_EQ(s.rules.size(), 2u);
  EXPECT_EQ(s.rules[0].event_bus, "audit");
  EXPECT_EQ(s.rules[1].name, "refs");
  EXPECT_EQ(s.rules[1].event_pattern,
            R"({"rule":["audit|on-bus","arn:aws:events:eu-west-1:123456789012:rule/audit/on-bus"],)"
            R"("bus":["arn:aws:events:eu-west-1:123456789012:event-bus/audit","audit"],)"
            R"("role":["forwarder","arn:aws:iam::123456789012:role/forwarder"],)"
            R"("topic":["arn:aws:sns:eu-west-1:123456789012:alerts","alerts"],)"
            R"("bucket":["t-Bucket","arn:aws:s3:::t-Bucket","t-Bucket.DomainName"],)"
            R"("alarm":["al","arn:aws:cloudwatch:eu-west-1:123456789012:alarm:al"],)"
            R"("trail":["tr","arn:aws:cloudtrail:eu-west-1:123456789012:trail/tr"],)"
            R"("filter":["t-Filter"]})");
  ASSERT_EQ(s.rules[1].targets.size(), 1u);
  EXPECT_EQ(s.rules[1].targets[0].kind, RuleTarget::Kind::kEventBus);
  EXPECT_EQ(s.rules[1].targets[0].name, "audit");
  EXPECT_EQ(s.rules[1].targets[0].role_arn, "arn:aws:iam::123456789012:role/forwarder");
  ASSERT_EQ(s.trails.size(), 1u);
  EXPECT_EQ(s.trails[0].name, "tr");
  // Types that are not simulated are listed once per file.
  ASSERT_FALSE(s.warnings.empty());
  EXPECT_EQ(s.warnings.back(),
            "t.yaml: not simulated (skipped): Bus (AWS::Events::EventBus), Role (AWS::IAM::Role), "
            "Topic (AWS::SNS::Topic), Bucket (AWS::S3::Bucket)");
}

TEST(CfnTemplateTest, SkippedResourcesMayUseAnything) {
  // Only the name of a resource that is not simulated is evaluated.
  const std::string text =
      "Resources:\n"
      "  Vpc: {Type: AWS::EC2::Subnet, Properties: {CidrBlock: !Select [0, !Cidr ['10.0.0.0/16', 4, 8]], "
      "VpcId: !ImportValue shared-vpc}}\n"
      "  G: {Type: AWS::Logs::LogGroup, Properties: {LogGroupName: /aws/events/g}}\n";
  engine::Setup s = MustLoad({Text(text)});
  EXPECT_EQ(s.log_groups.size(), 1u);
}

TEST(CfnTemplateTest, LanguageExtensionsFunctions) {
  const std::string text =
      "Transform: AWS::LanguageExtensions\n"
      "Resources:\n"
      "  R:\n"
      "    Type: AWS::Events::Rule\n"
      "    Properties:\n"
      "      Name: !Sub 'r${Len}'\n"
      "      EventPattern: !ToJsonString {source: [a, b]}\n"
      "      Targets: [{Id: t, Arn: 'arn:aws:events:us-east-1:123456789012:event-bus/default', "
      "Input: !ToJsonString [1, !Length [a, b, c]]}]\n"
      "Parameters:\n"
      "  Len: {Type: String, Default: x}\n";
  engine::Setup s = MustLoad({Text(text, {"eu-west-1"})});
  ASSERT_EQ(s.rules.size(), 1u);
  EXPECT_EQ(s.rules[0].name, "rx");
  EXPECT_EQ(s.rules[0].event_pattern, R"({"source":["a","b"]})");
  EXPECT_EQ(s.rules[0].targets[0].input, "[1,3]");
}

TEST(CfnTemplateTest, TwoTemplatesTogether) {
  // One stack per Region for the rule, one log group in us-east-1: the rule's Ref resolves inside its stack.
  TemplateSource rules = Text("Resources:\n  R: {Type: AWS::Events::Rule, Properties: {Name: r, EventPattern: {a: [1]}}}\n",
                              {"us-east-1", "us-west-2"});
  TemplateSource logs = Text("Resources:\n  G: {Type: AWS::Logs::LogGroup, Properties: {LogGroupName: /aws/events/g}}\n",
                             {"us-east-1"});
  logs.path = "logs.yaml";
  engine::Setup s = MustLoad({rules, logs});
  EXPECT_EQ(s.rules.size(), 2u);
  EXPECT_EQ(s.log_groups.size(), 1u);
  EXPECT_EQ(s.log_groups[0].source, "logs.yaml:2:3: G");
}

}  // namespace
}  // namespace trailwatch::engine
