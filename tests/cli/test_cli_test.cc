// test_cli_test.cc: `trailwatch test` run as users run it — the story's test file passes; deliberately
// wrong tests fail with expected, got and the explanation; wrong specs are errors with file:line:column and
// run nothing; JUnit XML and --output json parse back; --run selects. (The JUnit file's schema validation
// is the CTest test junit_schema, tests/cli/validate_reports.sh.)
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/run_tool.h"
#include "tests/support/temp_path.h"

namespace trailwatch::testing {
namespace {

const std::string kSrc = TW_SOURCE_DIR;
const std::string kSetup = kSrc + "/samples/console-login/setup.yaml";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A directory holding `name` with `text` (and whatever else the test writes there).
std::string WriteSpec(const std::string& dir_name, const std::string& name, const std::string& text) {
  const std::string dir = test_support::UniqueTempPath(dir_name);
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/" + name, std::ios::binary) << text;
  return dir;
}

size_t Count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

TEST(TestCli, TheSampleTestsPass) {
  ToolResult r = RunTool({"test", "samples/console-login/tests"}, "", kSrc);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("samples/console-login/tests/console-login.tw.yaml\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("8 passed, 0 failed\n"), std::string::npos) << r.out;
  EXPECT_EQ(Count(r.out, "  ok    "), 8u) << r.out;
}

const char* kFailing = R"(setup: SETUP
start: 2023-07-10T12:40:00Z
tests:
  - name: a filter with a wrong-case field
    filter_pattern: '{ $.eventname = ConsoleLogin }'
    messages:
      - record: {eventName: ConsoleLogin}
        match: true
  - name: a value, dimensions and extracted values that differ
    filter_pattern: '{ $.eventName = ConsoleLogin && $.n = * && $.user = * }'
    metric_value: $.n
    dimensions: {User: $.user}
    messages:
      - message: '{"eventName":"ConsoleLogin","n":3,"user":"bert"}'
        value: 4
        dimensions: {User: ernie}
        extracted: {$.n: "3"}
      - message: '{"eventName":"ConsoleLogin","n":"x","user":"bert"}'
        value: null
        dimensions: {User: bert}
  - name: a read-only event that an ENABLED rule never sees
    event_pattern: {source: [aws.ec2]}
    events:
      - record: {eventVersion: "1.08", eventSource: ec2.amazonaws.com, eventName: DescribeInstances,
                 awsRegion: eu-west-1, eventType: AwsApiCall, readOnly: true}
        match: true
  - name: the same event for a rule with all management events
    event_pattern: {source: [aws.ec2]}
    state: ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
    events:
      - record: {eventVersion: "1.08", eventSource: ec2.amazonaws.com, eventName: DescribeInstances,
                 awsRegion: eu-west-1, eventType: AwsApiCall, readOnly: true}
        match: true
  - name: wrong metric, alarm and findings
    input: [EXPORT_DIR]
    expect:
      metrics: [{metric: CloudTrailMetrics/ConsoleLoginFailure, at: +4m, sum: 3}]
      alarms: [{alarm: console-login-failures, at: +4m, state: ALARM}]
      findings: [{kind: double-counted, count: 5}, missed]
  - name: a valid pattern said to be invalid
    filter_pattern: '{ $.eventName = ConsoleLogin }'
    invalid: InvalidParameterException
  - name: the wrong exception
    filter_pattern: '{ $.eventName == ConsoleLogin }'
    invalid: LimitExceededException
  - name: the right exception, another message
    filter_pattern: '{ $.eventName == ConsoleLogin }'
    invalid: InvalidParameterException
    message_contains: no such words
)";

std::string Failing() {
  std::string s = kFailing;
  s.replace(s.find("SETUP"), 5, kSetup);
  s.replace(s.find("EXPORT_DIR"), 10, kSrc + "/samples/console-login/events/AWSLogs");
  return s;
}

TEST(TestCli, FailuresSayExpectedGotAndWhy) {
  const std::string dir = WriteSpec("failing", "failing.tw.yaml", Failing());
  ToolResult r = RunTool({"test", dir + "/failing.tw.yaml"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("1 passed, 7 failed\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  ok    the same event for a rule with all management events\n"), std::string::npos) << r.out;
  for (const char* want : {
           "FAIL  a filter with a wrong-case field  (", "message 1: expected a match, got no match",
           "expected: match", "got:      no match", "failing.tw.yaml:7:9",
           "message 1: the value published differs", "expected: 4", "got:      3",
           "message 1: the dimensions differ", "expected: {User: ernie}", "got:      {User: bert}",
           "message 1: the extracted values differ",
           "the rule's state is ENABLED: EventBridge does not deliver the read-only management event DescribeInstances",
           "CloudTrailMetrics/ConsoleLoginFailure at 2023-07-10T12:44:00Z: sum differs", "2023-07-10T12:44:00Z  sum 4",
           "alarm console-login-failures at 2023-07-10T12:44:00Z: the state differs", "got:      INSUFFICIENT_DATA",
           "INSUFFICIENT_DATA -> ALARM", "double-counted: the count differs", "expected: 5", "got:      12",
           "expected a missed finding, got none", "the pattern is valid: AWS would accept it",
           "the pattern is rejected with another exception", "expected: LimitExceededException",
           "the error message does not contain the expected text"}) {
    EXPECT_NE(r.out.find(want), std::string::npos) << want << "\n" << r.out;
  }
  // `value: null` (no number published) and the right dimensions pass: message 2 of that test is silent.
  EXPECT_EQ(r.out.find("message 2:"), std::string::npos) << r.out;
}

TEST(TestCli, JsonAndJunitParseBack) {
  const std::string dir = WriteSpec("reports", "failing.tw.yaml", Failing());
  const std::string junit = dir + "/junit.xml";
  ToolResult r = RunTool({"test", dir, "--output", "json", "--junit", junit});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["passed"], 1);
  EXPECT_EQ(j["failed"], 7);
  ASSERT_EQ(j["files"].size(), 1u);
  const auto& tests = j["files"][0]["tests"];
  ASSERT_EQ(tests.size(), 8u);
  EXPECT_EQ(tests[0]["name"], "a filter with a wrong-case field");
  EXPECT_EQ(tests[0]["kind"], "filter");
  EXPECT_EQ(tests[0]["line"], 4);
  EXPECT_EQ(tests[0]["passed"], false);
  EXPECT_EQ(tests[0]["failures"][0]["line"], 7);
  EXPECT_EQ(tests[0]["failures"][0]["expected"], "match");
  EXPECT_EQ(tests[3]["passed"], true);
  EXPECT_EQ(tests[4]["kind"], "replay");

  const std::string xml = ReadFile(junit);
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"trailwatch test\" tests=\"8\" "
                      "failures=\"7\" errors=\"0\" time=\"",
                      0),
            0u)
      << xml;
  EXPECT_EQ(Count(xml, "<testsuite "), 1u);
  EXPECT_EQ(Count(xml, "<testcase "), 8u);
  EXPECT_EQ(Count(xml, "<failure "), 12u) << xml;
  EXPECT_NE(xml.find("<testcase name=\"a filter with a wrong-case field\" classname=\""), std::string::npos);
  EXPECT_NE(xml.find("line=\"4\""), std::string::npos);
  EXPECT_NE(xml.find("<failure message=\"message 1: expected a match, got no match\" type=\"filter\">"),
            std::string::npos);
  EXPECT_NE(xml.find("&quot;eventName&quot;"), std::string::npos);  // the message, escaped
}

TEST(TestCli, RunSelectsByName) {
  const std::string dir = WriteSpec("run", "failing.tw.yaml", Failing());
  ToolResult r = RunTool({"test", dir, "--run", "all management"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("1 passed, 0 failed\n"), std::string::npos) << r.out;
  ToolResult none = RunTool({"test", dir, "--run", "^nothing$"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("no test matches --run"), std::string::npos) << none.err;
  ToolResult bad = RunTool({"test", dir, "--run", "("});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--run: invalid regular expression"), std::string::npos) << bad.err;
}

// A wrong spec: an error with file:line:column (and a did-you-mean where one helps), exit 2, nothing run.
TEST(TestCli, SpecErrorsHaveLineAndColumn) {
  struct Case {
    std::string spec, error;
  };
  const std::string setup = "setup: " + kSetup + "\n";
  const Case cases[] = {
      {"tests:\n  - name: x\n    filtr: A\n", "e.tw.yaml:3:5: unknown key `filtr` (did you mean `filter`?)"},
      {"tset: []\n", "e.tw.yaml:1:1: unknown key `tset`"},
      {"version: 2\ntests: []\n", "e.tw.yaml:1:10: version 2 is not known"},
      {"start: yesterday\ntests: []\n", "e.tw.yaml:1:8: `start`: \"yesterday\" is not an RFC 3339 time"},
      {"tests: {}\n", "e.tw.yaml:1:8: `tests:` must be a list of tests"},
      {"tests:\n  - filter_pattern: x\n", "e.tw.yaml:2:5: a test needs a `name:`"},
      {"tests:\n  - name: x\n", "e.tw.yaml:2:5: test \"x\" tests nothing"},
      {"tests:\n  - {name: x, invalid: InvalidParameterException, filter_pattern: a}\n  - {name: x, invalid: "
       "InvalidParameterException, filter_pattern: a}\n",
       "e.tw.yaml:3:5: two tests are named \"x\""},
      {setup + "tests:\n  - name: x\n    filter: ConsoleLoginSucess\n    messages: [{message: a, match: true}]\n",
       "e.tw.yaml:4:13: the setup has no metric filter named ConsoleLoginSucess (did you mean ConsoleLoginSuccess?)"},
      {setup + "tests:\n  - name: x\n    rule: forward-console-logins\n    events: [{event: {a: 1}, match: true}]\n",
       "e.tw.yaml:4:11: the setup has no rule named forward-console-logins (did you mean forward-console-login?)"},
      {"tests:\n  - name: x\n    filter: A\n    messages: [{message: a, match: true}]\n",
       "e.tw.yaml:3:13: `filter:` names a filter of the setup, and this file has no setup"},
      {"tests:\n  - name: x\n    filter_pattern: a\n    messages:\n      - message: a\n        match: maybe\n",
       "e.tw.yaml:6:16: `match` must be true or false, not \"maybe\""},
      {"tests:\n  - name: x\n    filter_pattern: a\n    messages:\n      - message: a\n",
       "e.tw.yaml:5:9: a message says whether it should match"},
      {"tests:\n  - name: x\n    filter_pattern: a\n    messages:\n      - {message: a, record: {}, match: true}\n",
       "e.tw.yaml:5:9: a message gives exactly one of"},
      {"tests:\n  - name: x\n    filter_pattern: a\n    messages:\n      - file: nope.json\n        match: true\n",
       "e.tw.yaml:5:15: `file`: "},
      {"tests:\n  - name: x\n    filter_pattern: a\n    messages: [{record: {eventTime: +5m}, match: true}]\n",
       "e.tw.yaml:4:37: `eventTime`: the offset +5m needs a `start:`"},
      {"start: 2023-07-10T12:40:00Z\ntests:\n  - name: x\n    filter_pattern: a\n    messages: [{record: {eventTime: "
       "+5x}, match: true}]\n",
       "e.tw.yaml:5:37: `eventTime`: \"+5x\" is no offset"},
      {"tests:\n  - name: x\n    filter_pattern: a\n    events: [{event: {}, match: true}]\n",
       "e.tw.yaml:3:5: `filter_pattern` does not belong in a rule test"},
      {"tests:\n  - name: x\n    input: [x]\n    expect: {}\n", "e.tw.yaml:2:5: a replay test (`input:`/`expect:`) needs a setup"},
      {setup + "tests:\n  - name: x\n    input: [nowhere]\n    expect: {findings: []}\n", "e.tw.yaml:4:13: `input`: "},
      {setup + "tests:\n  - name: x\n    input: [{records: [{}]}]\n    expect: {metrics: [{metric: A/B, sum: 1}]}\n",
       "e.tw.yaml:5:33: no metric filter of the setup publishes A/B"},
      {setup + "tests:\n  - name: x\n    input: [{records: [{}]}]\n    expect: {alarms: [{alarm: console-login-failure, "
               "state: OK}]}\n",
       "e.tw.yaml:5:31: the setup has no alarm named console-login-failure (did you mean console-login-failures?)"},
      {setup + "tests:\n  - name: x\n    input: [{records: [{}]}]\n    expect: {findings: [double-count]}\n",
       "e.tw.yaml:5:25: no finding kind is called double-count (did you mean double-counted?)"},
      {setup + "tests:\n  - name: x\n    input: [{records: [{}]}]\n    expect: {metrics: [{metric: "
               "CloudTrailMetrics/ConsoleLoginFailure, at: 2023-07-10T12:44:30Z, sum: 1}]}\n",
       "e.tw.yaml:5:76: `at` is the start of a minute"},
      {"tests:\n  - name: x\n    filter_pattern: a\n    invalid: InvalidParameterExeption\n",
       "e.tw.yaml:4:14: `invalid`: InvalidParameterExeption is no exception a pattern gets (did you mean "
       "InvalidParameterException?)"},
      {"tests: [1\n", "e.tw.yaml:"},
      {"setup: missing.yaml\ntests: []\n", "e.tw.yaml:1:8: `setup`: "},
      {"tests:\n  - name: x\n    filter_pattern: a\n    messages:\n      - file: .\n        match: true\n",
       "e.tw.yaml:5:15: `file`: . is a directory: give a file of records"},
  };
  for (const Case& c : cases) {
    const std::string dir = WriteSpec("spec", "e.tw.yaml", c.spec);
    ToolResult r = RunTool({"test", "e.tw.yaml"}, "", dir);
    EXPECT_EQ(r.exit_code, 2) << c.spec << r.out << r.err;
    EXPECT_EQ(r.out, "") << c.spec;  // nothing ran
    EXPECT_NE(r.err.find("trailwatch: " + c.error), std::string::npos) << c.spec << "\n" << r.err;
    std::filesystem::remove_all(dir);
  }
}

// One wrong file among good ones: nothing runs at all.
TEST(TestCli, OneWrongFileRunsNothing) {
  const std::string dir = WriteSpec("mixed", "a.tw.yaml",
                                    "tests:\n  - {name: ok, filter_pattern: '{ $.a == 1 }', invalid: "
                                    "InvalidParameterException}\n");
  std::ofstream(dir + "/b_test.yaml") << "tests:\n  - name: x\n    nonsense: 1\n";
  std::ofstream(dir + "/ignored.yaml") << "not: a test file\n";
  ToolResult r = RunTool({"test", dir});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("b_test.yaml:3:5: unknown key `nonsense`"), std::string::npos) << r.err;
  std::filesystem::remove(dir + "/b_test.yaml");
  ToolResult ok = RunTool({"test", dir});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("1 passed, 0 failed"), std::string::npos);
}

// A setup whose patterns do not compile is a setup error (exit 2), not a failed test.
TEST(TestCli, SetupThatDoesNotCompile) {
  const std::string dir = WriteSpec("badsetup", "setup.yaml",
                                    "Account: \"123456789012\"\nRegion: us-east-1\nResources:\n  G:\n    Type: "
                                    "AWS::Logs::LogGroup\n    Properties: {LogGroupName: g}\n  F:\n    Type: "
                                    "AWS::Logs::MetricFilter\n    Properties:\n      LogGroupName: g\n      "
                                    "FilterPattern: '{ $.a == 1 }'\n      MetricTransformations: [{MetricName: m, "
                                    "MetricNamespace: n, MetricValue: '1'}]\n");
  std::ofstream(dir + "/t.tw.yaml") << "setup: setup.yaml\ntests:\n  - {name: x, filter_pattern: a, invalid: "
                                       "InvalidParameterException}\n";
  ToolResult r = RunTool({"test", dir + "/t.tw.yaml"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("the setup cannot be replayed"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("InvalidParameterException"), std::string::npos) << r.err;
}

// Inline records with offsets, log-group mode with plain messages, findings that must be absent.
TEST(TestCli, InlineInputsAndLogGroupMode) {
  const std::string spec = "setup: " + kSetup + R"(
start: 2023-07-10T12:00:00Z
tests:
  - name: failures as plain messages of the log group
    log_group: /aws/events/console-login
    input:
      - messages:
          - '{"eventName":"ConsoleLogin","errorMessage":"Failed authentication","eventTime":"2023-07-10T12:01:10Z"}'
          - '{"eventName":"ConsoleLogin","errorMessage":"Failed authentication","eventTime":"2023-07-10T12:02:10Z"}'
          - '{"eventName":"ConsoleLogin","errorMessage":"Failed authentication","eventTime":"2023-07-10T12:02:20Z"}'
    expect:
      metrics:
        - {metric: CloudTrailMetrics/ConsoleLoginFailure, sum: 3, samples: 3, min: 1, max: 1, average: 1}
        - {metric: CloudTrailMetrics/ConsoleLoginFailure, at: +2m, sum: 2}
        - {metric: CloudTrailMetrics/ConsoleLoginFailure, at: +3m, sum: 0}
        - {metric: CloudTrailMetrics/ConsoleLoginSuccess, sum: 0}
      alarms:
        - {alarm: console-login-failures, at: +5m, state: ALARM, transitions: 1}
      absent_findings: [double-counted]
  - name: events given as EventBridge events reach the central rule
    input:
      - events:
          - {version: "0", id: a, detail-type: AWS Console Sign In via CloudTrail, source: aws.signin,
             account: "123837392027", time: +1m, region: us-east-1, resources: [],
             detail: {eventName: ConsoleLogin, eventTime: +1m, eventID: e1, responseElements: {ConsoleLogin: Success}}}
    expect:
      metrics: [{metric: CloudTrailMetrics/ConsoleLoginSuccess, at: +1m, sum: 1}]
      alarms: [{alarm: console-login-success, at: +2m, state: ALARM}]
      findings: [never-matched]
)";
  const std::string dir = WriteSpec("inline", "inline.tw.yaml", spec);
  ToolResult r = RunTool({"test", dir});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("2 passed, 0 failed"), std::string::npos) << r.out;
}

TEST(TestCli, UsageErrors) {
  ToolResult none = RunTool({"test"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("a test FILE or DIR is required"), std::string::npos);
  ToolResult missing = RunTool({"test", "/nonexistent/dir"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("/nonexistent/dir: no such file or directory"), std::string::npos) << missing.err;
  const std::string empty = test_support::UniqueTempPath("empty");
  std::filesystem::create_directories(empty);
  ToolResult nothing = RunTool({"test", empty});
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_NE(nothing.err.find("no test files"), std::string::npos);
  ToolResult help = RunTool({"test", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("usage: trailwatch test"), std::string::npos);
  ToolResult output = RunTool({"test", "x", "--output", "yaml"});
  EXPECT_EQ(output.exit_code, 2);
}

}  // namespace
}  // namespace trailwatch::testing
