// terraform_test.cc: `terraform show -json` (engine/setup/terraform/): the story's plan and state are the
// story's setup; the CIS module and the for_each-over-Regions module load as planned; Regions in each pattern
// of the spec's table, values unknown at plan time, and every error and warning with its resource address.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "engine/setup/sources.h"
#include "engine/setup/terraform/terraform.h"
#include "tests/replay/setup_dump.h"

namespace trailwatch::engine {
namespace {

using J = nlohmann::json;
const std::string kData = TW_SOURCE_DIR "/tests/data/terraform/";

engine::Setup Load(const std::string& file, const std::string& account = "") {
  LoadOptions o;
  if (!account.empty()) o.account = account;
  Result<engine::Setup> r = LoadTerraform(kData + file, o);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : engine::Setup{};
}

Result<engine::Setup> LoadJson(const J& doc, const LoadOptions& o = {}) { return LoadTerraformText(doc.dump(), "p.json", o); }

// A plan with `resources` in the root module (values given), `config` its configuration resources.
J Plan(J resources, J config = J::array(), J providers = J::object(), J variables = J::object()) {
  return {{"format_version", "1.2"},
          {"variables", variables},
          {"planned_values", {{"root_module", {{"resources", resources}}}}},
          {"configuration", {{"provider_config", providers}, {"root_module", {{"resources", config}}}}}};
}

J Res(const std::string& type, const std::string& name, J values, J index = nullptr) {
  std::string address = type + "." + name;
  if (index.is_string()) address += "[\"" + index.get<std::string>() + "\"]";
  if (index.is_number()) address += "[" + index.dump() + "]";
  J r = {{"address", address}, {"mode", "managed"}, {"type", type}, {"name", name}, {"values", values}};
  if (!index.is_null()) r["index"] = index;
  return r;
}

J Cfg(const std::string& type, const std::string& name, const std::string& key, J expressions = J::object()) {
  return {{"address", type + "." + name}, {"mode", "managed"}, {"type", type}, {"name", name},
          {"provider_config_key", key}, {"expressions", expressions}};
}

J LogGroup(const std::string& name) { return {{"name", name}}; }

TEST(TerraformTest, StoryPlanAndStateAreTheSetupFile) {
  Result<engine::Setup> yaml = LoadSetupFile(TW_SOURCE_DIR "/samples/console-login/setup.yaml");
  ASSERT_TRUE(yaml.ok());
  engine::Setup plan = Load("story.plan.json", "123837392027");
  engine::Setup state = Load("story.state.json");
  EXPECT_TRUE(plan.warnings.empty()) << plan.warnings.front();
  EXPECT_TRUE(state.warnings.empty()) << state.warnings.front();
  EXPECT_EQ(DumpSetup(plan), DumpSetup(state));
  // jsonencode() sorts the pattern's keys: the rest is the setup file's, field by field.
  for (RuleConfig& r : plan.rules) {
    EXPECT_EQ(r.event_pattern, R"({"detail-type":["AWS Console Sign In via CloudTrail"],"source":["aws.signin"]})");
    r.event_pattern = R"({"source":["aws.signin"],"detail-type":["AWS Console Sign In via CloudTrail"]})";
  }
  // Terraform's log group ARN has no ":*" (the provider strips it; GetAtt's has it): the same log group.
  for (RuleConfig& r : yaml->rules) {
    for (RuleTarget& t : r.targets) {
      if (t.kind == RuleTarget::Kind::kLogGroup) t.arn.resize(t.arn.size() - 2);
    }
  }
  EXPECT_EQ(DumpSetup(plan), DumpSetup(*yaml));
  // The state's account comes from its ARNs; the plan's from --account.
  EXPECT_EQ(state.account, "123837392027");
  ASSERT_EQ(plan.trails.size(), 1u);
  EXPECT_EQ(plan.trails[0].log_group, "/aws/events/console-login");  // "${aws_cloudwatch_log_group.x.arn}:*"
  EXPECT_NE(plan.trails[0].source.find("aws_cloudtrail.management"), std::string::npos);
}

TEST(TerraformTest, CisModule) {
  engine::Setup s = Load("cis.plan.json");
  ASSERT_EQ(s.metric_filters.size(), 5u);
  ASSERT_EQ(s.alarms.size(), 4u);
  for (const MetricFilterConfig& f : s.metric_filters) {
    EXPECT_EQ(f.region, "eu-central-1");
    EXPECT_EQ(f.log_group, "cloudtrail/management");
  }
  EXPECT_EQ(s.metric_filters[0].name, "RootAccountUsage");
  EXPECT_EQ(s.metric_filters[0].source, kData + "cis.plan.json: module.baseline.aws_cloudwatch_log_metric_filter.root_usage[0]");
  ASSERT_TRUE(s.metric_filters[0].transformation.default_value.has_value());
  EXPECT_EQ(*s.metric_filters[0].transformation.default_value, 0);
  EXPECT_EQ(s.alarms[0].name, "cis-console_signin_without_mfa");
  EXPECT_EQ(s.alarms[0].metric_name, "console_signin_without_mfa");
  EXPECT_EQ(s.alarms[0].period, 300);
  ASSERT_EQ(s.trails.size(), 1u);
  EXPECT_EQ(s.trails[0].log_group, "cloudtrail/management");
  EXPECT_EQ(s.trails[0].log_group_region, "eu-central-1");
  EXPECT_EQ(s.warnings, std::vector<std::string>{kData + "cis.plan.json: not simulated (skipped): aws_sns_topic.alarms (aws_sns_topic)"});
}

TEST(TerraformTest, ForEachOverRegionsWithUnknownBusArn) {
  engine::Setup s = Load("fwd.plan.json");
  EXPECT_TRUE(s.warnings.empty()) << s.warnings.front();
  ASSERT_EQ(s.rules.size(), 3u);
  EXPECT_EQ(s.rules[0].region, "eu-central-1");
  EXPECT_EQ(s.rules[1].region, "eu-west-1");
  EXPECT_EQ(s.rules[1].source, kData + "fwd.plan.json: module.fwd[\"eu-west-1\"].aws_cloudwatch_event_rule.this");
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(s.rules[i].targets.size(), 1u);
    const RuleTarget& t = s.rules[i].targets[0];
    EXPECT_EQ(t.arn, "arn:aws:events:us-east-1:123456789012:event-bus/central");  // var.central_bus_arn
    EXPECT_EQ(t.kind, RuleTarget::Kind::kEventBus);
    EXPECT_EQ(t.role_arn, "arn:aws:iam::111122223333:role/forward-to-central");
  }
  EXPECT_EQ(s.rules[2].event_bus, "central");
  ASSERT_EQ(s.rules[2].targets.size(), 1u);
  EXPECT_EQ(s.rules[2].targets[0].arn, "arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/central");
}

J Provider(const std::string& name, J region_expr, const std::string& module = "") {
  J p = {{"name", "aws"}, {"full_name", "registry.terraform.io/hashicorp/aws"}, {"expressions", J::object()}};
  if (!region_expr.is_null()) p["expressions"]["region"] = region_expr;
  if (!module.empty()) p["module_address"] = module;
  (void)name;
  return p;
}

TEST(TerraformTest, RegionOfEachPattern) {
  struct Case {
    const char* name;
    J doc;
    std::string region;
    std::vector<std::string> warnings;
  };
  J child_module_plan = {
      {"format_version", "1.2"},
      {"planned_values",
       {{"root_module",
         {{"child_modules",
           {{{"address", "module.b_usw2"},
             {"resources",
              {{{"address", "module.b_usw2.aws_cloudwatch_log_group.g"}, {"mode", "managed"},
                {"type", "aws_cloudwatch_log_group"}, {"name", "g"}, {"values", LogGroup("g")}}}}}}}}}}},
      {"configuration",
       {{"provider_config",
         {{"aws", Provider("aws", {{"constant_value", "us-east-1"}})},
          {"module.b_usw2:aws", Provider("aws", {{"references", {"var.region"}}}, "module.b_usw2")}}},
        {"root_module",
         {{"module_calls",
           {{"b_usw2",
             {{"expressions", {{"region", {{"constant_value", "us-west-2"}}}}},
              {"module", {{"resources", {Cfg("aws_cloudwatch_log_group", "g", "module.b_usw2:aws")}},
                          {"variables", {{"region", J::object()}}}}}}}}}}}}}};
  J passed = child_module_plan;  // providers = { aws = aws.usw2 }: the parent's key
  passed["configuration"]["provider_config"] = {{"aws.usw2", Provider("aws", {{"constant_value", "us-west-2"}})}};
  passed["configuration"]["root_module"]["module_calls"]["b_usw2"]["module"]["resources"][0]["provider_config_key"] =
      "aws.usw2";
  std::vector<Case> cases = {
      {"v6 values.region", Plan({Res("aws_cloudwatch_log_group", "g", {{"name", "g"}, {"region", "eu-west-1"}}, "eu-west-1")},
                                {Cfg("aws_cloudwatch_log_group", "g", "aws", {{"region", {{"references", {"each.key"}}}}})},
                                {{"aws", Provider("aws", {{"constant_value", "us-east-1"}})}}),
       "eu-west-1", {}},
      {"alias", Plan({Res("aws_cloudwatch_log_group", "g", LogGroup("g"))}, {Cfg("aws_cloudwatch_log_group", "g", "aws.usw2")},
                     {{"aws", Provider("aws", {{"constant_value", "us-east-1"}})},
                      {"aws.usw2", Provider("aws", {{"constant_value", "us-west-2"}})}}),
       "us-west-2", {}},
      {"variable", Plan({Res("aws_cloudwatch_log_group", "g", LogGroup("g"))}, {Cfg("aws_cloudwatch_log_group", "g", "aws")},
                        {{"aws", Provider("aws", {{"references", {"var.region"}}})}},
                        {{"region", {{"value", "ap-south-1"}}}}),
       "ap-south-1", {}},
      {"provider in a child module", child_module_plan, "us-west-2", {}},
      {"provider passed to a module", passed, "us-west-2", {}},
      {"state ARN",
       {{"format_version", "1.0"},
        {"values", {{"root_module", {{"resources", {Res("aws_cloudwatch_log_group", "g",
                                                        {{"name", "g"}, {"arn", "arn:aws:logs:sa-east-1:210987654321:log-group:g"}})}}}}}}},
       "sa-east-1", {}},
      {"environment",
       Plan({Res("aws_cloudwatch_log_group", "g", LogGroup("g")), Res("aws_cloudwatch_log_group", "h", LogGroup("h"))},
            {Cfg("aws_cloudwatch_log_group", "g", "aws"), Cfg("aws_cloudwatch_log_group", "h", "aws")},
            {{"aws", Provider("aws", nullptr)}}),
       "us-east-1",
       {"p.json: aws_cloudwatch_log_group.g: provider `aws` sets no region (it comes from the environment or a "
        "profile): placed in us-east-1 with 1 more resources [us-east-1]"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<engine::Setup> r = LoadJson(c.doc);
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_FALSE(r->log_groups.empty());
    EXPECT_EQ(r->log_groups[0].region, c.region);
    EXPECT_EQ(r->warnings, c.warnings);
  }
}

TEST(TerraformTest, StateAccountAndCompanionRegions) {
  // No configuration, no ARN for a target or a metric filter: their rule's and log group's Region.
  J doc = {{"format_version", "1.0"},
           {"values",
            {{"root_module",
              {{"resources",
                {Res("aws_cloudwatch_log_group", "g", {{"name", "/aws/events/g"}, {"arn", "arn:aws:logs:eu-west-2:210987654321:log-group:/aws/events/g"}}),
                 Res("aws_cloudwatch_log_metric_filter", "f",
                     {{"name", "f"}, {"pattern", ""}, {"log_group_name", "/aws/events/g"},
                      {"metric_transformation", {{{"name", "M"}, {"namespace", "N"}, {"value", "1"}, {"default_value", ""}, {"unit", "None"}, {"dimensions", J::object()}}}}}),
                 Res("aws_cloudwatch_event_rule", "r",
                     {{"name", "r"}, {"event_pattern", R"({"source":["aws.s3"]})"}, {"event_bus_name", "default"}, {"state", "DISABLED"},
                      {"arn", "arn:aws:events:eu-west-2:210987654321:rule/r"}}),
                 Res("aws_cloudwatch_event_target", "t",
                     {{"rule", "r"}, {"target_id", "x"}, {"event_bus_name", "default"},
                      {"arn", "arn:aws:logs:eu-west-2:210987654321:log-group:/aws/events/g"}})}}}}}}};
  Result<engine::Setup> r = LoadJson(doc);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->account, "210987654321");
  ASSERT_EQ(r->metric_filters.size(), 1u);
  EXPECT_EQ(r->metric_filters[0].region, "eu-west-2");
  EXPECT_EQ(r->metric_filters[0].filter_pattern, "");
  EXPECT_EQ(r->metric_filters[0].transformation.unit, "");
  ASSERT_EQ(r->rules.size(), 1u);
  EXPECT_EQ(r->rules[0].state, "DISABLED");
  ASSERT_EQ(r->rules[0].targets.size(), 1u);
  EXPECT_EQ(r->rules[0].targets[0].name, "/aws/events/g");
}

TEST(TerraformTest, UnknownValues) {
  J unknown_trail = Plan(
      {Res("aws_cloudwatch_log_group", "ct", LogGroup("ct")),
       Res("aws_cloudtrail", "t", {{"name", "t"}, {"s3_bucket_name", "b"}})},
      {Cfg("aws_cloudwatch_log_group", "ct", "aws"),
       Cfg("aws_cloudtrail", "t", "aws",
           {{"cloud_watch_logs_group_arn", {{"references", {"aws_cloudwatch_log_group.ct.arn", "aws_cloudwatch_log_group.ct"}}}}})},
      {{"aws", Provider("aws", {{"constant_value", "eu-north-1"}})}});
  unknown_trail["resource_changes"] = {{{"address", "aws_cloudtrail.t"},
                                        {"change", {{"actions", {"create"}}, {"after_unknown", {{"cloud_watch_logs_group_arn", true}}}}}}};
  Result<engine::Setup> r = LoadJson(unknown_trail);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->trails.size(), 1u);
  EXPECT_EQ(r->trails[0].log_group, "ct");
  EXPECT_EQ(r->trails[0].log_group_region, "eu-north-1");
  EXPECT_TRUE(r->warnings.empty()) << r->warnings.front();

  // A local cannot be resolved: the warning names the address and the attribute.
  unknown_trail["configuration"]["root_module"]["resources"][1]["expressions"]["cloud_watch_logs_group_arn"] = {
      {"references", {"local.group_arn"}}};
  r = LoadJson(unknown_trail);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->trails[0].log_group, "");
  EXPECT_EQ(r->warnings, (std::vector<std::string>{
                             "p.json: aws_cloudtrail.t: cloud_watch_logs_group_arn is unknown until apply and its "
                             "references (local.group_arn) do not resolve to a resource of the plan [eu-north-1]",
                             "p.json: aws_cloudtrail.t: the trail is simulated without its CloudWatch Logs delivery [eu-north-1]"}));
}

TEST(TerraformTest, SkippedDeletesAndUnknownTypes) {
  J doc = Plan({Res("aws_cloudwatch_log_group", "gone", LogGroup("gone")), Res("aws_cloudwatch_log_group", "kept", LogGroup("kept")),
                Res("aws_iam_role", "r", {{"name", "r"}}), Res("aws_cloudwatch_event_bus", "b", {{"name", "b"}})});
  doc["resource_changes"] = {{{"address", "aws_cloudwatch_log_group.gone"}, {"change", {{"actions", {"delete"}}}}},
                             {{"address", "aws_cloudwatch_log_group.kept"}, {"change", {{"actions", {"delete", "create"}}}}}};
  doc["planned_values"]["root_module"]["resources"].push_back(
      {{"address", "data.aws_region.current"}, {"mode", "data"}, {"type", "aws_region"}, {"name", "current"}, {"values", {{"name", "x"}}}});
  doc["unknown_future_key"] = {{"anything", 1}};
  Result<engine::Setup> r = LoadJson(doc);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->log_groups.size(), 1u);
  EXPECT_EQ(r->log_groups[0].name, "kept");
  ASSERT_FALSE(r->warnings.empty());
  EXPECT_EQ(r->warnings.back(), "p.json: not simulated (skipped): aws_iam_role.r (aws_iam_role)");
}

TEST(TerraformTest, Errors) {
  struct Case {
    const char* name;
    std::string text;
    std::string message;
    std::string hint;
  };
  J bad_region = Plan({Res("aws_cloudwatch_log_group", "g", {{"name", "g"}, {"region", "mars-1"}}, "mars-1")});
  J no_pattern_filter = Plan({Res("aws_cloudwatch_log_metric_filter", "f", {{"name", "f"}, {"log_group_name", "g"}}, "us-east-1")});
  no_pattern_filter["planned_values"]["root_module"]["resources"][0]["address"] =
      "module.baseline.aws_cloudwatch_log_metric_filter.root_usage[\"us-east-1\"]";
  J bad_alarm = Plan({Res("aws_cloudwatch_metric_alarm", "a",
                          {{"alarm_name", "a"}, {"comparison_operator", "GreaterThanThreshold"}, {"evaluation_periods", 1},
                           {"metric_name", "M"}, {"namespace", "N"}, {"period", 45}, {"statistic", "Sum"}, {"threshold", 1}})});
  std::vector<Case> cases = {
      {"malformed", "{\"format_version\": \"1.0\",\n  \"values\": {,}}", "p.json:2:14: not valid JSON: syntax error while "
       "parsing object key - unexpected ','; expected string literal", ""},
      {"format 2", R"({"format_version": "2.0"})",
       "p.json: format_version `2.0` is not supported: trailwatch reads format 1.x of `terraform show -json`", ""},
      {"no format", R"({"planned_values": {}})", "p.json: no format_version: not the JSON of `terraform show -json`",
       "terraform show -json tfplan > plan.json (a saved plan) or terraform show -json > state.json"},
      {"raw state", R"({"version": 4, "resources": []})",
       "p.json: a raw state file (terraform.tfstate), not the JSON of `terraform show -json`", "terraform show -json > state.json"},
      {"not an object", "[]", "p.json: not the JSON of `terraform show -json`: the document is not an object", ""},
      {"bad region", bad_region.dump(), "p.json: aws_cloudwatch_log_group.g[\"mars-1\"] (aws_cloudwatch_log_group): region "
       "`mars-1` is not a Region code", ""},
      {"missing attribute", no_pattern_filter.dump(),
       "p.json: module.baseline.aws_cloudwatch_log_metric_filter.root_usage[\"us-east-1\"] (aws_cloudwatch_log_metric_filter): "
       "metric_transformation must be exactly one block", ""},
      {"value AWS rejects", bad_alarm.dump(),
       "p.json: aws_cloudwatch_metric_alarm.a (aws_cloudwatch_metric_alarm, read as AWS::CloudWatch::Alarm): Period 45 is "
       "not 10, 20, 30 or a multiple of 60", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<engine::Setup> r = LoadTerraformText(c.text, "p.json");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().exception, "ValidationError");
    EXPECT_EQ(r.error().message, c.message);
    EXPECT_EQ(r.error().hint, c.hint);
  }
  EXPECT_EQ(LoadTerraform(kData + "nonexistent.json").error().message, kData + "nonexistent.json: cannot open the file");
}

TEST(TerraformTest, FormatVersions) {
  for (const char* v : {"1.0", "1.2", "1.9", "1"}) {
    SCOPED_TRACE(v);
    EXPECT_TRUE(LoadTerraformText(std::string(R"({"format_version": ")") + v + "\"}", "p.json").ok());
  }
  for (const char* v : {"2.0", "0.1", "10.0"}) {
    SCOPED_TRACE(v);
    EXPECT_FALSE(LoadTerraformText(std::string(R"({"format_version": ")") + v + "\"}", "p.json").ok());
  }
}

TEST(TerraformTest, OneSource) {
  SetupSources s;
  s.terraform = kData + "fwd.plan.json";
  EXPECT_TRUE(LoadSetup(s).ok());
  s.setup_file = "x.yaml";
  EXPECT_FALSE(LoadSetup(s).ok());
}

}  // namespace
}  // namespace trailwatch::engine
