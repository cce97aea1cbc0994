// check_cli_test.cc: `trailwatch check` — every check kind fires on a small setup made to show it and stays
// quiet on its corrected twin; the story's setup reports its real problem (double counting by construction)
// and nothing false; text, JSON and SARIF outputs; --fail-on; replay --output sarif. (The SARIF files'
// schema validation is the CTest test sarif_schema, tests/cli/validate_sarif.py.)
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "engine/setup/topology.h"
#include "tests/support/run_tool.h"
#include "tests/support/temp_path.h"

namespace trailwatch::testing {
namespace {

const std::string kSrc = TW_SOURCE_DIR;

std::string Write(const std::string& name, const std::string& text) {
  const std::string path = test_support::UniqueTempPath(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// A setup file: the header and the resources given.
std::string SetupFile(const std::string& resources, const std::string& regions = "us-east-1") {
  return "Account: \"123456789012\"\nRegion: us-east-1\nRegions: " + regions + "\nResources:\n" + resources;
}

const char* kLogGroup = R"(  Group:
    Type: AWS::Logs::LogGroup
    Properties: {LogGroupName: /aws/events/audit}
)";
const char* kMultiTrail = R"(  Trail:
    Type: AWS::CloudTrail::Trail
    Properties: {TrailName: t, IsMultiRegionTrail: true, IsLogging: true, S3BucketName: b,
                 CloudWatchLogsLogGroupArn: !GetAtt Group.Arn}
)";
const char* kRuleToGroup = R"(  ToLogs:
    Type: AWS::Events::Rule
    Properties:
      Name: to-logs
      EventPattern: {source: [aws.signin]}
      Targets: [{Id: g, Arn: !GetAtt Group.Arn}]
)";
std::string Filter(const std::string& pattern) {
  return "  F:\n    Type: AWS::Logs::MetricFilter\n    Properties:\n      FilterName: f\n      LogGroupName: "
         "/aws/events/audit\n      FilterPattern: '" +
         pattern + "'\n      MetricTransformations: [{MetricName: m, MetricNamespace: n, MetricValue: '1'}]\n";
}

struct CheckRun {
  int code;
  std::string out, err;
  nlohmann::json json;
};

CheckRun Check(const std::string& setup, const std::vector<std::string>& extra = {}) {
  const std::string path = Write("setup.yaml", setup);
  std::vector<std::string> args = {"check", path, "--output", "json", "--fail-on", "never"};
  args.insert(args.end(), extra.begin(), extra.end());
  ToolResult r = RunTool(args);
  CheckRun out{r.exit_code, r.out, r.err, nlohmann::json()};
  if (r.exit_code == 0) out.json = nlohmann::json::parse(r.out);
  return out;
}

std::vector<std::string> Kinds(const CheckRun& r) {
  std::vector<std::string> k;
  for (const auto& f : r.json["findings"]) k.push_back(f["kind"]);
  return k;
}

bool Has(const CheckRun& r, const std::string& kind) {
  const std::vector<std::string> k = Kinds(r);
  return std::find(k.begin(), k.end(), kind) != k.end();
}

TEST(CheckCli, TheStory) {
  ToolResult r = RunTool({"check", "samples/console-login/setup.yaml"}, "", kSrc);
  EXPECT_EQ(r.exit_code, 1) << r.err;  // --fail-on high by default
  EXPECT_NE(r.out.find("samples/console-login/setup.yaml:59:3: high: metric filter ConsoleLoginSuccess on "
                       "/aws/events/console-login (us-east-1) counts a record twice: trail management-events delivers "
                       "it raw and rule console-login-to-logs (us-east-1) as an EventBridge event, and the filter "
                       "matches both shapes [double-counted] (ConsoleLoginSuccessFilter)\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("check: 2 finding(s): 2 high, 0 medium, 0 low\n"), std::string::npos) << r.out;
  // The same setup as templates, with eu-west-1's forwarding rule left out: the Region is uncovered.
  ToolResult t = RunTool({"check", "--template", "samples/console-login/templates/central.yaml@us-east-1", "--template",
                          "samples/console-login/templates/forwarding.yaml@default-except:us-east-1,eu-west-1",
                          "--account", "123837392027", "--fail-on", "never"},
                         "", kSrc);
  EXPECT_EQ(t.exit_code, 0) << t.err;
  EXPECT_NE(t.out.find("no rule forwards from eu-west-1: EventBridge never forwards those Regions' events to rule "
                       "console-login-to-logs [uncovered-region]"),
            std::string::npos)
      << t.out;
}

TEST(CheckCli, DoubleCountedAndShapeMismatch) {
  CheckRun both = Check(SetupFile(std::string(kLogGroup) + kMultiTrail + kRuleToGroup +
                         Filter("{ $.eventName = ConsoleLogin || $.detail.eventName = ConsoleLogin }")));
  ASSERT_EQ(both.code, 0) << both.err;
  EXPECT_EQ(Kinds(both), std::vector<std::string>{"double-counted"}) << both.out;
  CheckRun raw_only = Check(SetupFile(std::string(kLogGroup) + kMultiTrail + kRuleToGroup + Filter("{ $.eventName = ConsoleLogin }")));
  EXPECT_EQ(Kinds(raw_only), std::vector<std::string>{"shape-mismatch"}) << raw_only.out;
  EXPECT_NE(raw_only.json["findings"][0]["message"].get<std::string>().find("reads only raw CloudTrail records"),
            std::string::npos);
  CheckRun event_only =
      Check(SetupFile(std::string(kLogGroup) + kMultiTrail + kRuleToGroup + Filter("{ $.detail.eventName = ConsoleLogin }")));
  EXPECT_EQ(Kinds(event_only), std::vector<std::string>{"shape-mismatch"}) << event_only.out;
  // One path only: nothing.
  CheckRun trail_only = Check(SetupFile(std::string(kLogGroup) + kMultiTrail + Filter("{ $.eventName = ConsoleLogin }")));
  EXPECT_TRUE(Kinds(trail_only).empty()) << trail_only.out;
  // A rule whose pattern cannot match CloudTrail events is no second path.
  std::string other_rule = kRuleToGroup;
  other_rule.replace(other_rule.find("{source: [aws.signin]}"), 22, "{detail-type: [EC2 Instance State-change Notification]}");
  CheckRun no_ct = Check(SetupFile(std::string(kLogGroup) + kMultiTrail + other_rule + Filter("{ $.eventName = X || $.detail.eventName = X }")));
  EXPECT_TRUE(Kinds(no_ct).empty()) << no_ct.out;
  // Two trails covering the same Region.
  std::string second = kMultiTrail;
  second.replace(second.find("  Trail:"), 8, "  Trail2:");
  second.replace(second.find("TrailName: t,"), 13, "TrailName: u,");
  CheckRun two = Check(SetupFile(std::string(kLogGroup) + kMultiTrail + second + Filter("{ $.eventName = X }")));
  ASSERT_EQ(Kinds(two), std::vector<std::string>{"double-counted"}) << two.out;
  EXPECT_NE(two.json["findings"][0]["message"].get<std::string>().find("trails t and u both deliver"), std::string::npos);
}

TEST(CheckCli, SingleRegionTrail) {
  std::string single = kMultiTrail;
  single.replace(single.find("IsMultiRegionTrail: true"), 24, "IsMultiRegionTrail: false");
  CheckRun r = Check(SetupFile(std::string(kLogGroup) + single + Filter("{ $.eventName = X }"), "[us-east-1, eu-west-1]"));
  ASSERT_EQ(Kinds(r), std::vector<std::string>{"single-region-trail"}) << r.out;
  EXPECT_EQ(r.json["findings"][0]["resource"], "Trail");
  EXPECT_NE(r.json["findings"][0]["message"].get<std::string>().find("never see the events of eu-west-1"),
            std::string::npos);
  CheckRun one_region = Check(SetupFile(std::string(kLogGroup) + single + Filter("{ $.eventName = X }"), "us-east-1"));
  EXPECT_TRUE(Kinds(one_region).empty()) << one_region.out;
  CheckRun multi = Check(SetupFile(std::string(kLogGroup) + kMultiTrail + Filter("{ $.eventName = X }"), "[us-east-1, eu-west-1]"));
  EXPECT_TRUE(Kinds(multi).empty()) << multi.out;
}

TEST(CheckCli, ReadOnlyDroppedAndLogGroupName) {
  const std::string rule = R"(  Watch:
    Type: AWS::Events::Rule
    Properties:
      Name: watch
      State: STATE
      EventPattern: {detail: {eventName: [DescribeInstances, RunInstances, GetSessionToken]}}
      Targets: [{Id: g, Arn: !GetAtt Group.Arn}]
)";
  std::string enabled = rule;
  enabled.replace(enabled.find("STATE"), 5, "ENABLED");
  CheckRun r = Check(SetupFile(std::string(kLogGroup) + enabled));
  ASSERT_EQ(Kinds(r), std::vector<std::string>{"read-only-dropped"}) << r.out;
  EXPECT_NE(r.json["findings"][0]["message"].get<std::string>().find("(DescribeInstances)"), std::string::npos)
      << r.out;  // GetSessionToken is delivered; RunInstances is no read
  std::string all = rule;
  all.replace(all.find("STATE"), 5, "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
  EXPECT_TRUE(Kinds(Check(SetupFile(std::string(kLogGroup) + all))).empty());
  std::string read_only = enabled;
  read_only.replace(read_only.find("{eventName: [DescribeInstances, RunInstances, GetSessionToken]}"), 63, "{readOnly: [true]}");
  EXPECT_EQ(Kinds(Check(SetupFile(std::string(kLogGroup) + read_only))), std::vector<std::string>{"read-only-dropped"});

  std::string outside = std::string(kLogGroup) + kRuleToGroup;
  outside.replace(outside.find("/aws/events/audit"), 17, "audit-logs");
  CheckRun name = Check(SetupFile(outside));
  EXPECT_EQ(Kinds(name), std::vector<std::string>{"log-group-name"}) << name.out;
  EXPECT_EQ(name.json["findings"][0]["severity"], "medium");
}

TEST(CheckCli, InvalidPatternsTransformationsAlarms) {
  const std::string alarm = R"(  A:
    Type: AWS::CloudWatch::Alarm
    Properties: {AlarmName: a, Namespace: n, MetricName: m, Statistic: Sum, Period: 45, EvaluationPeriods: 1,
                 Threshold: 1, ComparisonOperator: GreaterThanOrEqualToThreshold}
)";
  std::string bad_transform = Filter("{ $.a = 1 }");
  bad_transform.replace(bad_transform.find("MetricValue: '1'"), 16, "MetricValue: abc");
  const std::string bad_rule = R"(  R:
    Type: AWS::Events::Rule
    Properties: {Name: r, EventPattern: '{"source": "aws.signin"}'}
)";
  // An alarm the loader already refuses (Period 45) stops the check with the loader's error and place.
  ToolResult loader = RunTool({"check", Write("alarm.yaml", SetupFile(std::string(kLogGroup) + alarm))});
  EXPECT_EQ(loader.exit_code, 2);
  EXPECT_NE(loader.err.find("alarm.yaml:10:85: A (AWS::CloudWatch::Alarm)"), std::string::npos) << loader.err;
  EXPECT_NE(loader.err.find("Period 45 is not 10, 20, 30 or a multiple of 60"), std::string::npos) << loader.err;
  const std::string path = Write("invalid.yaml", SetupFile(std::string(kLogGroup) + Filter("{ $.a == 1 }") + bad_rule));
  ToolResult text = RunTool({"check", path});
  EXPECT_EQ(text.exit_code, 1) << text.err;
  EXPECT_NE(text.out.find("high: metric filter f: InvalidParameterException: "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("[invalid-pattern] (F)\n    error: "), std::string::npos) << text.out;  // the caret follows
  EXPECT_NE(text.out.find("^"), std::string::npos);
  EXPECT_NE(text.out.find("high: rule r: InvalidEventPatternException"), std::string::npos) << text.out;
  CheckRun t = Check(SetupFile(std::string(kLogGroup) + bad_transform));
  EXPECT_TRUE(Has(t, "invalid-transformation")) << t.out;
}

TEST(CheckCli, FailOnAndErrors) {
  const std::string name_only = std::string(kLogGroup) + kRuleToGroup;
  std::string outside = name_only;
  outside.replace(outside.find("/aws/events/audit"), 17, "audit-logs");
  const std::string path = Write("medium.yaml", SetupFile(outside));
  EXPECT_EQ(RunTool({"check", path}).exit_code, 0);                       // medium < high
  EXPECT_EQ(RunTool({"check", path, "--fail-on", "medium"}).exit_code, 1);
  EXPECT_EQ(RunTool({"check", path, "--fail-on", "bogus"}).exit_code, 2);
  EXPECT_EQ(RunTool({"check", "/nonexistent.yaml"}).exit_code, 2);
  EXPECT_EQ(RunTool({"check", path, "--log-group", "x"}).exit_code, 2);
  EXPECT_EQ(RunTool({"check", path, "--output", "yaml"}).exit_code, 2);
  EXPECT_EQ(RunTool({"check"}).exit_code, 2);
}

TEST(CheckCli, SarifShape) {
  ToolResult r = RunTool({"check", "samples/console-login/setup.yaml", "--output", "sarif"}, "", kSrc);
  EXPECT_EQ(r.exit_code, 1);
  nlohmann::json s = nlohmann::json::parse(r.out);
  EXPECT_EQ(s["version"], "2.1.0");
  const auto& run = s["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "trailwatch");
  EXPECT_EQ(run["tool"]["driver"]["rules"].size(), engine::kCheckKinds.size());
  ASSERT_EQ(run["results"].size(), 2u);
  const auto& res = run["results"][0];
  EXPECT_EQ(res["ruleId"], "double-counted");
  EXPECT_EQ(run["tool"]["driver"]["rules"][res["ruleIndex"].get<size_t>()]["id"], "double-counted");
  EXPECT_EQ(res["level"], "error");
  EXPECT_EQ(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "samples/console-login/setup.yaml");
  EXPECT_EQ(res["locations"][0]["physicalLocation"]["region"]["startLine"], 59);
  EXPECT_EQ(res["locations"][0]["physicalLocation"]["region"]["startColumn"], 3);
  EXPECT_EQ(res["locations"][0]["logicalLocations"][0]["name"], "ConsoleLoginSuccessFilter");
  EXPECT_EQ(res["partialFingerprints"]["trailwatch/v1"].get<std::string>().size(), 16u);
  // Deterministic: the same bytes twice.
  EXPECT_EQ(RunTool({"check", "samples/console-login/setup.yaml", "--output", "sarif"}, "", kSrc).out, r.out);

  ToolResult replay = RunTool({"replay", "samples/console-login/setup.yaml", "samples/console-login/events/AWSLogs",
                               "--output", "sarif"},
                              "", kSrc);
  EXPECT_EQ(replay.exit_code, 0) << replay.err;
  nlohmann::json rs = nlohmann::json::parse(replay.out);
  const auto& rr = rs["runs"][0]["results"];
  ASSERT_EQ(rr.size(), 3u);
  EXPECT_EQ(rr[0]["ruleId"], "uncovered-region");
  EXPECT_EQ(rr[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 1);
  EXPECT_NE(rr[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].get<std::string>().find("ap-east-1"),
            std::string::npos);
}

// README "trailwatch check" lists the kinds of kCheckKinds, row by row.
TEST(CheckCli, ReadmeTableMatchesKinds) {
  std::ifstream in(kSrc + "/README.md");
  std::string line;
  std::vector<std::string> rows;
  bool in_table = false;
  while (std::getline(in, line)) {
    if (line == "| check kind | severity | fires when |") in_table = true;
    else if (in_table && line.rfind("| `", 0) == 0) rows.push_back(line);
    else if (in_table && line.rfind("|---", 0) != 0) break;
  }
  ASSERT_EQ(rows.size(), engine::kCheckKinds.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& k = engine::kCheckKinds[i];
    EXPECT_EQ(rows[i].rfind("| `" + std::string(k.name) + "` | " + std::string(engine::SeverityName(k.severity)) + " | ", 0), 0u)
        << rows[i];
  }
}

}  // namespace
}  // namespace trailwatch::testing
