// routing_test.cc: the replay engine's routing, as AWS routes, one rule per test: trails and their Region
// coverage, the default bus of the event's Region, rule states and read-only events, forwarding between
// buses (account and Region kept, no loops), log-group targets, metric filters and defaultValue, the
// --log-group mode, and every finding (missed, uncovered-region, double-counted, shape-mismatch,
// never-matched, other-account, dimension-cardinality).
#include <gtest/gtest.h>

#include <fstream>
#include <algorithm>

#include "tests/support/temp_path.h"
#include "engine/routing/findings.h"
#include "engine/routing/replay.h"
#include "engine/setup/sources.h"

namespace trailwatch::engine {
namespace {

using Json = nlohmann::ordered_json;

// A CloudTrail record.
std::string Record(const std::string& name, const std::string& region, const std::string& time, const std::string& id,
                   const std::string& extra = "", const std::string& account = "111122223333") {
  std::string source = name == "ConsoleLogin" ? "signin.amazonaws.com" : "iam.amazonaws.com";
  std::string type = name == "ConsoleLogin" ? "AwsConsoleSignIn" : "AwsApiCall";
  bool read_only = name.starts_with("Get") || name.starts_with("List") || name.starts_with("Describe");
  return R"({"eventVersion":"1.08","userIdentity":{"type":"IAMUser","accountId":")" + account +
         R"(","userName":"alice"},"eventTime":")" + time + R"(","eventSource":")" + source + R"(","eventName":")" +
         name + R"(","awsRegion":")" + region + R"(","sourceIPAddress":"192.0.2.1","requestParameters":null,)" +
         R"("responseElements":{"ConsoleLogin":"Success"},"eventID":")" + id + R"(","readOnly":)" +
         (read_only ? "true" : "false") + R"(,"eventType":")" + type +
         R"(","managementEvent":true,"recipientAccountId":")" + account + R"(","eventCategory":"Management")" + extra +
         "}";
}

std::string WriteInput(const std::string& name, const std::vector<std::string>& lines) {
  const std::string path = trailwatch::test_support::UniqueTempPath(name);
  std::ofstream out(path);
  for (const std::string& l : lines) out << l << "\n";
  return path;
}

Json RunReplay(const std::string& setup_yaml, const std::vector<std::string>& records, ReplayOptions options = {},
         int threads = 1) {
  auto setup = LoadSetupText(setup_yaml, "setup.yaml");
  EXPECT_TRUE(setup.ok()) << (setup.ok() ? "" : setup.error().message);
  if (!setup.ok()) return Json();
  options.threads = threads;
  std::vector<ReplayError> errors;
  auto replay = Replay::Create(setup.value(), options, &errors);
  EXPECT_TRUE(replay.ok()) << (errors.empty() ? "" : errors[0].resource + ": " + errors[0].diagnostic.message);
  if (!replay.ok()) return Json();
  return ToJson(replay.value()->Run({WriteInput("records.ndjson", records)}));
}

double MetricSum(const Json& r, const std::string& name) {
  for (const auto& m : r["metrics"]) {
    if (m["name"] == name) return m["sum"].get<double>();
  }
  return -1;
}

uint64_t FindingCount(const Json& r, const std::string& kind) {
  uint64_t n = 0;
  for (const auto& f : r["findings"]) {
    if (f["kind"] == kind) n += f["count"].get<uint64_t>();
  }
  return n;
}

const Json* FindingOf(const Json& r, const std::string& kind) {
  for (const auto& f : r["findings"]) {
    if (f["kind"] == kind) return &f;
  }
  return nullptr;
}

// A log group with a filter counting ConsoleLogin in both shapes, plus the given resources.
std::string MakeSetup(const std::string& resources, const std::string& filter =
                                                    "'{ $.eventName = ConsoleLogin || $.detail.eventName = ConsoleLogin }'") {
  return "Account: \"111122223333\"\n"
         "Region: us-east-1\n"
         "Resources:\n"
         "  Logs:\n"
         "    Type: AWS::Logs::LogGroup\n"
         "    Properties: {LogGroupName: /aws/events/logins}\n"
         "  Logins:\n"
         "    Type: AWS::Logs::MetricFilter\n"
         "    Properties:\n"
         "      LogGroupName: /aws/events/logins\n"
         "      FilterPattern: " + filter + "\n"
         "      MetricTransformations: [{MetricName: Logins, MetricNamespace: Test, MetricValue: '1'}]\n" +
         resources;
}

const std::string kMultiRegionTrail =
    "  Trail:\n"
    "    Type: AWS::CloudTrail::Trail\n"
    "    Properties:\n"
    "      IsLogging: true\n"
    "      IsMultiRegionTrail: true\n"
    "      S3BucketName: b\n"
    "      CloudWatchLogsLogGroupArn: arn:aws:logs:us-east-1:111122223333:log-group:/aws/events/logins:*\n"
    "      CloudWatchLogsRoleArn: arn:aws:iam::111122223333:role/r\n";

const std::string kSingleRegionTrail =
    "  Trail:\n"
    "    Type: AWS::CloudTrail::Trail\n"
    "    Properties:\n"
    "      IsLogging: true\n"
    "      IsMultiRegionTrail: false\n"
    "      S3BucketName: b\n"
    "      CloudWatchLogsLogGroupArn: arn:aws:logs:us-east-1:111122223333:log-group:/aws/events/logins:*\n"
    "      CloudWatchLogsRoleArn: arn:aws:iam::111122223333:role/r\n";

const std::string kCentralRule =
    "  Central:\n"
    "    Type: AWS::Events::Rule\n"
    "    Properties:\n"
    "      EventPattern: {source: [aws.signin]}\n"
    "      Targets: [{Id: logs, Arn: 'arn:aws:logs:us-east-1:111122223333:log-group:/aws/events/logins'}]\n";

std::string Forwarding(const std::string& regions) {
  return "  Forward:\n"
         "    Type: AWS::Events::Rule\n"
         "    Regions: " + regions + "\n"
         "    Properties:\n"
         "      Name: forward\n"
         "      EventPattern: {source: [aws.signin]}\n"
         "      Targets: [{Id: central, Arn: 'arn:aws:events:us-east-1:111122223333:event-bus/default', "
         "RoleArn: 'arn:aws:iam::111122223333:role/f'}]\n";
}

TEST(ReplayRoutingTest, MultiRegionTrailDeliversEveryRegion) {
  Json r = RunReplay(MakeSetup(kMultiRegionTrail),
               {Record("ConsoleLogin", "us-east-1", "2023-07-10T12:00:00Z", "e1"),
                Record("ConsoleLogin", "eu-west-1", "2023-07-10T12:00:10Z", "e2"),
                Record("ConsoleLogin", "ap-east-1", "2023-07-10T12:00:20Z", "e3")});
  EXPECT_EQ(MetricSum(r, "Logins"), 3);
  EXPECT_EQ(r["log_groups"][0]["raw_records"], 3);
  EXPECT_EQ(r["log_groups"][0]["eventbridge_events"], 0);
}

TEST(ReplayRoutingTest, SingleRegionTrailDeliversItsRegionOnly) {
  Json r = RunReplay(MakeSetup(kSingleRegionTrail), {Record("ConsoleLogin", "us-east-1", "2023-07-10T12:00:00Z", "e1"),
                                           Record("ConsoleLogin", "eu-west-1", "2023-07-10T12:00:10Z", "e2")});
  EXPECT_EQ(MetricSum(r, "Logins"), 1);
  // The eu-west-1 sign-in matches the filter but reaches no log group: a finding, with its example.
  const Json* missed = FindingOf(r, "missed");
  ASSERT_NE(missed, nullptr);
  EXPECT_EQ((*missed)["count"], 1);
  EXPECT_EQ((*missed)["examples"][0]["region"], "eu-west-1");
  EXPECT_EQ((*missed)["examples"][0]["event_id"], "e2");
}

TEST(ReplayRoutingTest, RuleDeliversTheWholeEventToTheLogGroup) {
  Json r = RunReplay(MakeSetup(kCentralRule), {Record("ConsoleLogin", "us-east-1", "2023-07-10T12:00:00Z", "e1"),
                                     Record("GetUser", "us-east-1", "2023-07-10T12:00:10Z", "e2")});
  EXPECT_EQ(MetricSum(r, "Logins"), 1);
  EXPECT_EQ(r["log_groups"][0]["eventbridge_events"], 1);
  EXPECT_EQ(r["rules"][0]["matched"], 1);
  EXPECT_EQ(r["rules"][0]["written_to_log_groups"], 1);
}

TEST(ReplayRoutingTest, ForwardingKeepsRegionAndUncoveredRegionsAreFound) {
  // Forwarding from eu-west-1 only: a sign-in in eu-central-1 never reaches the central bus.
  Json r = RunReplay(MakeSetup(kCentralRule + Forwarding("[eu-west-1]")),
               {Record("ConsoleLogin", "eu-west-1", "2023-07-10T12:00:00Z", "e1"),
                Record("ConsoleLogin", "eu-central-1", "2023-07-10T12:00:10Z", "e2")});
  EXPECT_EQ(MetricSum(r, "Logins"), 1);
  EXPECT_EQ(FindingCount(r, "uncovered-region"), 1);
  EXPECT_EQ(FindingCount(r, "missed"), 1);
  const Json* u = FindingOf(r, "uncovered-region");
  ASSERT_NE(u, nullptr);
  EXPECT_EQ((*u)["examples"][0]["region"], "eu-central-1");
  EXPECT_NE((*u)["message"].get<std::string>().find("forward"), std::string::npos);
}

TEST(ReplayRoutingTest, ForwardedEventsKeepTheirRegionForCentralRules) {
  // The central rule matches only events whose region is eu-west-1: forwarded events keep their region.
  const std::string central_eu =
      "  Central:\n"
      "    Type: AWS::Events::Rule\n"
      "    Properties:\n"
      "      EventPattern: {source: [aws.signin], region: [eu-west-1]}\n"
      "      Targets: [{Id: logs, Arn: 'arn:aws:logs:us-east-1:111122223333:log-group:/aws/events/logins'}]\n";
  Json r = RunReplay(MakeSetup(central_eu + Forwarding("[eu-west-1, eu-central-1]")),
               {Record("ConsoleLogin", "eu-west-1", "2023-07-10T12:00:00Z", "e1"),
                Record("ConsoleLogin", "eu-central-1", "2023-07-10T12:00:10Z", "e2")});
  EXPECT_EQ(MetricSum(r, "Logins"), 1);
}

TEST(ReplayRoutingTest, ForwardingLoopsStop) {
  // us-east-1 forwards to eu-west-1 and back: each bus sees the event once.
  const std::string loop =
      "  A:\n"
      "    Type: AWS::Events::Rule\n"
      "    Properties:\n"
      "      EventPattern: {source: [aws.signin]}\n"
      "      Targets:\n"
      "        - {Id: eu, Arn: 'arn:aws:events:eu-west-1:111122223333:event-bus/default', RoleArn: 'arn:aws:iam::111122223333:role/f'}\n"
      "        - {Id: logs, Arn: 'arn:aws:logs:us-east-1:111122223333:log-group:/aws/events/logins'}\n"
      "  B:\n"
      "    Type: AWS::Events::Rule\n"
      "    Regions: [eu-west-1]\n"
      "    Properties:\n"
      "      EventPattern: {source: [aws.signin]}\n"
      "      Targets: [{Id: us, Arn: 'arn:aws:events:us-east-1:111122223333:event-bus/default', RoleArn: 'arn:aws:iam::111122223333:role/f'}]\n";
  Json r = RunReplay(MakeSetup(loop), {Record("ConsoleLogin", "us-east-1", "2023-07-10T12:00:00Z", "e1")});
  EXPECT_EQ(MetricSum(r, "Logins"), 1);
}

TEST(ReplayRoutingTest, ReadOnlyEventsReachOnlyRulesThatAskForThem) {
  const std::string filter = "'{ $.detail.eventName = GetUser }'";
  auto rule = [](const std::string& state) {
    return "  R:\n"
           "    Type: AWS::Events::Rule\n"
           "    Properties:\n"
           "      State: " + state + "\n"
           "      EventPattern: {source: [aws.iam]}\n"
           "      Targets: [{Id: logs, Arn: 'arn:aws:logs:us-east-1:111122223333:log-group:/aws/events/logins'}]\n";
  };
  const std::vector<std::string> records = {Record("GetUser", "us-east-1", "2023-07-10T12:00:00Z", "e1")};
  EXPECT_EQ(MetricSum(RunReplay(MakeSetup(rule("ENABLED"), filter), records), "Logins"), 0);
  EXPECT_EQ(MetricSum(RunReplay(MakeSetup(rule("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"), filter), records), "Logins"), 1);
  EXPECT_EQ(MetricSum(RunReplay(MakeSetup(rule("DISABLED"), filter), records), "Logins"), 0);
}

TEST(ReplayRoutingTest, TrailAndRuleTogetherDoubleCount) {
  Json r = RunReplay(MakeSetup(kMultiRegionTrail + kCentralRule),
               {Record("ConsoleLogin", "us-east-1", "2023-07-10T12:00:00Z", "e1")});
  EXPECT_EQ(MetricSum(r, "Logins"), 2);
  const Json* d = FindingOf(r, "double-counted");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ((*d)["count"], 1);
  EXPECT_NE((*d)["message"].get<std::string>().find("trail"), std::string::npos);
  EXPECT_NE((*d)["message"].get<std::string>().find("rule Central"), std::string::npos);
}

TEST(ReplayRoutingTest, ShapeMismatchIsFound) {
  // The filter reads raw records only; the log group also receives EventBridge events.
  Json r = RunReplay(MakeSetup(kMultiRegionTrail + kCentralRule, "'{ $.eventName = ConsoleLogin }'"),
               {Record("ConsoleLogin", "us-east-1", "2023-07-10T12:00:00Z", "e1")});
  EXPECT_EQ(MetricSum(r, "Logins"), 1);
  EXPECT_EQ(FindingCount(r, "shape-mismatch"), 1);
  EXPECT_EQ(FindingCount(r, "double-counted"), 0);
}

TEST(ReplayRoutingTest, NeverMatchedAndOtherAccount) {
  Json r = RunReplay(MakeSetup(kMultiRegionTrail),
               {Record("GetUser", "us-east-1", "2023-07-10T12:00:00Z", "e1"),
                Record("ConsoleLogin", "us-east-1", "2023-07-10T12:00:00Z", "e2", "", "999988887777")});
  EXPECT_EQ(MetricSum(r, "Logins"), 0);
  EXPECT_NE(FindingOf(r, "never-matched"), nullptr);
  EXPECT_EQ(FindingCount(r, "other-account"), 1);
}

TEST(ReplayRoutingTest, DefaultValueForMinutesWithoutMatches) {
  std::string setup = MakeSetup(kMultiRegionTrail);
  const std::string from = "MetricValue: '1'}]";
  setup.replace(setup.find(from), from.size(), "MetricValue: '1', DefaultValue: 0}]");
  Json r = RunReplay(setup, {Record("ConsoleLogin", "us-east-1", "2023-07-10T12:00:00Z", "e1"),
                       Record("GetUser", "us-east-1", "2023-07-10T12:01:00Z", "e2"),
                       Record("GetUser", "us-east-1", "2023-07-10T12:01:30Z", "e3")});
  ASSERT_EQ(r["metrics"][0]["datapoints"].size(), 2u);
  EXPECT_EQ(r["metrics"][0]["datapoints"][0]["sum"], 1);
  EXPECT_EQ(r["metrics"][0]["datapoints"][1]["sum"], 0);
  EXPECT_EQ(r["metrics"][0]["datapoints"][1]["sample_count"], 2);  // one default sample per ingested event
}

TEST(ReplayRoutingTest, DimensionsAndCardinality) {
  std::string setup = MakeSetup(kMultiRegionTrail, "'{ $.eventName = ConsoleLogin && $.sourceIPAddress = * }'");
  const std::string from = "MetricValue: '1'}]";
  setup.replace(setup.find(from), from.size(),
                "MetricValue: '1', Dimensions: [{Key: ip, Value: $.sourceIPAddress}]}]");
  std::vector<std::string> records;
  for (int i = 0; i < 1001; ++i) {
    std::string rec = Record("ConsoleLogin", "us-east-1", "2023-07-10T12:00:00Z", "e" + std::to_string(i));
    const std::string ip = "192.0.2.1";
    rec.replace(rec.find(ip), ip.size(), "10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256));
    records.push_back(rec);
  }
  Json r = RunReplay(setup, records);
  EXPECT_EQ(r["metrics"].size(), 1001u);
  EXPECT_EQ(FindingCount(r, "dimension-cardinality"), 1001u);
}

TEST(ReplayRoutingTest, LogGroupModeTakesEveryMessage) {
  ReplayOptions o;
  o.log_group = "/aws/events/logins";
  Json r = RunReplay(MakeSetup(""), {Record("ConsoleLogin", "us-east-1", "2023-07-10T12:00:00Z", "e1"),
                           "plain text line", R"({"detail":{"eventName":"ConsoleLogin"},"time":"2023-07-10T12:05:00Z"})"},
               o);
  EXPECT_EQ(r["mode"], "log-group");
  EXPECT_EQ(MetricSum(r, "Logins"), 2);
  // A text line inside an NDJSON file is malformed input: counted and reported, not a message.
  EXPECT_EQ(r["log_groups"][0]["messages"], 2);
  EXPECT_EQ(r["input"]["malformed"], 1);
  ASSERT_EQ(r["input"]["problems"].size(), 1u);
  EXPECT_EQ(r["input"]["problems"][0]["line"], 2);
  // A text file is a file of messages.
  Json t = RunReplay(MakeSetup("", "'ConsoleLogin'"), {"ConsoleLogin ok", "nothing", "ConsoleLogin again"}, o);
  EXPECT_EQ(MetricSum(t, "Logins"), 2);
  EXPECT_EQ(t["log_groups"][0]["text"], 3);
}

TEST(ReplayRoutingTest, InvalidResourcesAreNamed) {
  auto setup = LoadSetupText(MakeSetup(kCentralRule, "'{ $.eventName = '"), "s.yaml");
  ASSERT_TRUE(setup.ok());
  std::vector<ReplayError> errors;
  auto r = Replay::Create(setup.value(), {}, &errors);
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].resource.find("metric filter Logins"), std::string::npos);
  EXPECT_EQ(errors[0].diagnostic.exception, "InvalidParameterException");

  ReplayOptions o;
  o.log_group = "/no/such/group";
  errors.clear();
  auto setup2 = LoadSetupText(MakeSetup(""), "s.yaml");
  EXPECT_FALSE(Replay::Create(setup2.value(), o, &errors).ok());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].diagnostic.exception, "ResourceNotFoundException");
}

TEST(ReplayRoutingTest, ThreadCountDoesNotChangeTheResult) {
  std::vector<std::string> paths;
  std::vector<std::string> all;
  for (int f = 0; f < 6; ++f) {
    std::vector<std::string> records;
    for (int i = 0; i < 50; ++i) {
      const std::string region = i % 3 == 0 ? "eu-west-1" : i % 3 == 1 ? "us-east-1" : "ap-east-1";
      records.push_back(Record(i % 4 ? "ConsoleLogin" : "GetUser", region,
                               "2023-07-10T12:" + std::to_string(10 + i % 40) + ":00Z",
                               "f" + std::to_string(f) + "e" + std::to_string(i)));
    }
    paths.push_back(WriteInput("part" + std::to_string(f) + ".ndjson", records));
  }
  auto setup = LoadSetupText(MakeSetup(kMultiRegionTrail + kCentralRule + Forwarding("[eu-west-1]")), "s.yaml");
  ASSERT_TRUE(setup.ok());
  std::string first;
  for (int threads : {1, 2, 3, 6}) {
    ReplayOptions o;
    o.threads = threads;
    std::vector<ReplayError> errors;
    auto replay = Replay::Create(setup.value(), o, &errors);
    ASSERT_TRUE(replay.ok());
    const std::string out = ToJson(replay.value()->Run(paths)).dump();
    if (first.empty()) first = out;
    EXPECT_EQ(out, first) << "threads " << threads;
  }
}

// Issue 9, F13: a record with a raw NUL or invalid UTF-8 inside a string does not parse: it is a malformed
// record (reported with its file and line, counted as malformed, not as a record), not an unrouted finding.
TEST(Issue9Test, F13RecordsThatDoNotParseAreMalformed) {
  std::string nul = Record("ConsoleLogin", "us-east-1", "2023-07-10T12:00:00Z", "e1");
  nul.replace(nul.find("alice"), 5, std::string("al\0ce", 5));
  std::string utf8 = Record("ConsoleLogin", "us-east-1", "2023-07-10T12:00:01Z", "e2");
  utf8.replace(utf8.find("alice"), 5, "al\xC3(e");
  const std::string ok = Record("ConsoleLogin", "us-east-1", "2023-07-10T12:00:02Z", "e3");
  for (int threads : {1, 2}) {
    SCOPED_TRACE(threads);
    Json r = RunReplay(MakeSetup(kMultiRegionTrail + kCentralRule), {nul, utf8, ok}, {}, threads);
    EXPECT_EQ(r["input"]["records"], 1);
    EXPECT_EQ(r["input"]["malformed"], 2);
    EXPECT_EQ(r["input"]["cloudtrail_records"], 1);
    EXPECT_EQ(r["input"]["by_file"][0]["records"], 1);
    EXPECT_EQ(r["input"]["by_file"][0]["malformed"], 2);
    ASSERT_EQ(r["input"]["problems"].size(), 2u);
    EXPECT_EQ(r["input"]["problems"][0]["line"], 1);
    EXPECT_EQ(r["input"]["problems"][0]["kind"], "malformed record");
    EXPECT_EQ(r["input"]["problems"][0]["message"],
              "CloudTrail record does not parse (Within strings, some characters must be escaped, we found unescaped "
              "characters): not routed");
    EXPECT_EQ(r["input"]["problems"][1]["line"], 2);
    EXPECT_EQ(r["input"]["problems"][1]["message"], "CloudTrail record does not parse (The input is not valid UTF-8): not routed");
    EXPECT_EQ(FindingCount(r, "unrouted"), 0u);
    EXPECT_EQ(MetricSum(r, "Logins"), 2);  // the good one, by the trail and by the rule
  }
}

// Issue 9, F10: a valid record nested deeper than JSON patterns evaluate is reported (not a silent
// non-match), in routing mode (a record that cannot be read is malformed) and in --log-group mode (the
// message is delivered as text, and reported as not evaluated).
TEST(Issue9Test, F10DeepRecordsAreReported) {
  std::string deep = Record("ConsoleLogin", "us-east-1", "2023-07-10T12:00:00Z", "e1",
                            ",\"deep\":" + std::string(2000, '[') + std::string(2000, ']'));
  Json routed = RunReplay(MakeSetup(kMultiRegionTrail), {deep});
  EXPECT_EQ(routed["input"]["malformed"], 1);
  ASSERT_EQ(routed["input"]["problems"].size(), 1u);
  EXPECT_NE(routed["input"]["problems"][0]["message"].get<std::string>().find("too deep"), std::string::npos)
      << routed["input"]["problems"][0];
  ReplayOptions o;
  o.log_group = "/aws/events/logins";
  Json direct = RunReplay(MakeSetup(""), {deep, Record("ConsoleLogin", "us-east-1", "2023-07-10T12:00:01Z", "e2")}, o);
  EXPECT_EQ(direct["input"]["records"], 2);
  EXPECT_EQ(direct["input"]["malformed"], 0);
  ASSERT_EQ(direct["input"]["problems"].size(), 1u);
  EXPECT_EQ(direct["input"]["problems"][0]["kind"], "not evaluated");
  EXPECT_EQ(direct["input"]["problems"][0]["line"], 1);
  EXPECT_EQ(direct["input"]["problems"][0]["message"],
            "JSON nested deeper than 1024 levels: JSON filter patterns cannot match it (read as text)");
  EXPECT_EQ(MetricSum(direct, "Logins"), 1);
  // Deep enough for the JSON parser (1,024) but not for event patterns (1,000): routed by the trail, its
  // EventBridge event is reported as not evaluated.
  const std::string deep_event = Record("ConsoleLogin", "us-east-1", "2023-07-10T12:00:00Z", "e3",
                                        ",\"deep\":" + std::string(1005, '[') + std::string(1005, ']'));
  Json rules = RunReplay(MakeSetup(kMultiRegionTrail + kCentralRule), {deep_event});
  EXPECT_EQ(rules["input"]["malformed"], 0);
  ASSERT_EQ(rules["input"]["problems"].size(), 1u) << rules["input"];
  EXPECT_EQ(rules["input"]["problems"][0]["kind"], "not evaluated");
  EXPECT_EQ(rules["input"]["problems"][0]["message"], "event nested deeper than 1000 levels: event patterns cannot match it");
  EXPECT_EQ(MetricSum(rules, "Logins"), 1);  // by the trail; the rule never saw it
}

// Findings come most severe first: rejected-values (medium) before unrouted (low), though it is found last.
TEST(FindingKindsTest, FindingsAreSortedMostSevereFirst) {
  std::string setup = MakeSetup(kMultiRegionTrail, "'{ $.eventName = ConsoleLogin && $.big = * }'");
  const std::string from = "MetricValue: '1'}]";
  setup.replace(setup.find(from), from.size(), "MetricValue: $.big}]");
  Json r = RunReplay(setup, {Record("ConsoleLogin", "us-east-1", "2023-07-10T12:00:00Z", "e1", R"(,"big":1e200)"),
                             Record("ConsoleLogin", "us-east-1", "2023-07-10T12:00:00Z", "e2", "", "999988887777"),
                             R"({"hello": "world", "@timestamp": "2023-07-10T12:00:01Z"})"});
  ASSERT_NE(FindingOf(r, "rejected-values"), nullptr) << r["findings"].dump();
  ASSERT_NE(FindingOf(r, "unrouted"), nullptr);
  ASSERT_NE(FindingOf(r, "other-account"), nullptr);
  std::vector<std::string> kinds;
  int last = 0;
  for (const auto& f : r["findings"]) {
    kinds.push_back(f["kind"].get<std::string>());
    const FindingKindInfo* info = FindingKindByName(kinds.back());
    ASSERT_NE(info, nullptr) << kinds.back();
    EXPECT_EQ(f["severity"], std::string(SeverityName(info->severity))) << kinds.back();
    const int rank = SeverityRank(f["severity"].get<std::string>());
    EXPECT_GE(rank, last) << "findings out of order at " << kinds.back();
    last = rank;
  }
  EXPECT_LT(std::find(kinds.begin(), kinds.end(), "rejected-values"), std::find(kinds.begin(), kinds.end(), "unrouted"));
}

// The README's findings table is kFindingKinds, row by row, in order.
TEST(FindingKindsTest, ReadmeTableIsTheCodeTable) {
  std::ifstream in(std::string(TW_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(in) << "README.md";
  std::string line;
  while (std::getline(in, line) && line != "#### Findings") {
  }
  while (std::getline(in, line) && line != "|---|---|---|") {
  }
  size_t row = 0;
  while (std::getline(in, line) && line.starts_with("| `")) {
    ASSERT_LT(row, kFindingKinds.size()) << "README has more rows than kFindingKinds: " << line;
    const FindingKindInfo& k = kFindingKinds[row++];
    EXPECT_EQ(line, "| `" + std::string(k.name) + "` | " + std::string(SeverityName(k.severity)) + " | " +
                        std::string(k.meaning) + " |");
  }
  EXPECT_EQ(row, kFindingKinds.size()) << "README's findings table misses kinds";
}

TEST(FindingKindsTest, SeverityNamesAndRanks) {
  EXPECT_EQ(SeverityRank("high"), 0);
  EXPECT_EQ(SeverityRank("medium"), 1);
  EXPECT_EQ(SeverityRank("low"), 2);
  EXPECT_EQ(SeverityRank("critical"), 3);
  for (const FindingKindInfo& k : kFindingKinds) {
    EXPECT_EQ(&Info(k.kind), &k);
    EXPECT_EQ(FindingKindByName(k.name), &k);
    EXPECT_EQ(SeverityRank(SeverityName(k.severity)), static_cast<int>(k.severity));
  }
  EXPECT_EQ(FindingKindByName("no-such-kind"), nullptr);
}

}  // namespace
}  // namespace trailwatch::engine
