// event_cli_test.cc: `trailwatch events test-event-pattern` and `trailwatch grep --event-pattern`, run as the
// real binary: output, stderr texts and exit codes as the AWS CLI v2 (test-event-pattern) and grep (grep).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>

#include "tests/support/run_tool.h"
#include "tests/support/temp_path.h"

namespace trailwatch::event {
namespace {

using trailwatch::testing::RunTool;

constexpr const char* kEvent =
    R"({"version":"0","id":"1","detail-type":"EC2 Instance State-change Notification","source":"aws.ec2",)"
    R"("account":"111122223333","time":"2017-12-22T18:43:48Z","region":"us-west-1","resources":[],)"
    R"("detail":{"state":"running","c-count":5}})";

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = trailwatch::test_support::UniqueTempPath(name);
  std::ofstream(path) << text;
  return path;
}

TEST(EventCliTest, MatchAndNoMatch) {
  auto r = RunTool({"events", "test-event-pattern", "--event-pattern", R"({"source":["aws.ec2"]})", "--event", kEvent});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "{\n    \"Result\": true\n}\n");
  r = RunTool({"events", "test-event-pattern", "--event-pattern", R"({"source":["aws.s3"]})", "--event", kEvent,
               "--region", "us-east-1", "--profile", "x", "--no-cli-pager"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "{\n    \"Result\": false\n}\n");
}

TEST(EventCliTest, FileValuesAndCliInputJson) {
  const std::string pattern = WriteTemp("tw_pattern.json", R"({"detail":{"c-count":[{"numeric":[">",0,"<=",5]}]}})");
  const std::string event = WriteTemp("tw_event.json", kEvent);
  auto r = RunTool({"events", "test-event-pattern", "--event-pattern", "file://" + pattern, "--event",
                    "file://" + event});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "{\n    \"Result\": true\n}\n");
  const std::string request = WriteTemp(
      "tw_request.json", std::string(R"({"EventPattern": "{\"source\":[\"aws.ec2\"]}", "Event": )") + "\"" +
                             [] {
                               std::string e;
                               for (char c : std::string(kEvent)) {
                                 if (c == '"') e += "\\\"";
                                 else e += c;
                               }
                               return e;
                             }() + "\"}");
  r = RunTool({"events", "test-event-pattern", "--cli-input-json", "file://" + request});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "{\n    \"Result\": true\n}\n");
  r = RunTool({"events", "test-event-pattern", "--cli-input-json", R"({"EventPattern": "{}", "Bogus": 1})"});
  EXPECT_EQ(r.exit_code, 252);
  EXPECT_NE(r.err.find("Unknown parameter in input: \"Bogus\""), std::string::npos) << r.err;
}

TEST(EventCliTest, Skeleton) {
  auto r = RunTool({"events", "test-event-pattern", "--generate-cli-skeleton"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "{\n    \"EventPattern\": \"\",\n    \"Event\": \"\"\n}\n");
  r = RunTool({"events", "test-event-pattern", "--generate-cli-skeleton", "output"});
  EXPECT_EQ(r.out, "{\n    \"Result\": true\n}\n");
}

TEST(EventCliTest, InvalidPatternIsAwsError) {
  auto r = RunTool({"events", "test-event-pattern", "--event-pattern", R"({"int": 42})", "--event", kEvent});
  EXPECT_EQ(r.exit_code, 254);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("\nAn error occurred (InvalidEventPatternException) when calling the TestEventPattern "
                        "operation: Event pattern is not valid. Reason: \"int\" must be an object or an array\n"
                        " at [Source: (String)\"{\"int\": 42}\"; line: 1, column: 11]\n",
                        0),
            0u)
      << r.err;
  EXPECT_NE(r.err.find("^"), std::string::npos) << r.err;  // our caret diagnostic follows
}

TEST(EventCliTest, InvalidEventIsValidationException) {
  const char* expected =
      "\nAn error occurred (ValidationException) when calling the TestEventPattern operation: Parameter Event is not "
      "valid.\n";
  for (const char* event : {R"({"source":"aws.ec2"})", "plain string", R"(["a"])",
                            R"({"id":"1","account":"1","source":"s","time":"t","region":"r"})"}) {
    SCOPED_TRACE(event);
    auto r = RunTool({"events", "test-event-pattern", "--event-pattern", R"({"source":["aws.ec2"]})", "--event",
                      event});
    EXPECT_EQ(r.exit_code, 254);
    EXPECT_EQ(r.err, expected);
  }
}

TEST(EventCliTest, UsageErrors) {
  auto r = RunTool({"events", "test-event-pattern", "--event-pattern", R"({"source":["aws.ec2"]})"});
  EXPECT_EQ(r.exit_code, 252);
  EXPECT_NE(r.err.find("the following arguments are required: --event"), std::string::npos) << r.err;
  r = RunTool({"events", "test-event-pattern", "--event-pattern", "file:///nonexistent/p.json", "--event", kEvent});
  EXPECT_EQ(r.exit_code, 252);
  r = RunTool({"events", "test-event-pattern", "--bogus"});
  EXPECT_EQ(r.exit_code, 252);
}

TEST(EventCliTest, PatternSizeLimit) {
  const std::string pattern = R"({"source":[")" + std::string(3000, 'x') + R"("]})";
  auto r = RunTool({"events", "test-event-pattern", "--event-pattern", pattern, "--event", kEvent});
  EXPECT_EQ(r.exit_code, 254);
  EXPECT_NE(r.err.find("exceeds the maximum of 2048 characters"), std::string::npos);
  r = RunTool({"events", "test-event-pattern", "--event-pattern", pattern, "--event", kEvent,
               "--pattern-size-limit", "4096"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(EventCliTest, GrepEventPatternOnCloudTrailRecords) {
  const std::string records = TW_TEST_DATA_DIR "/cloudtrail/consolelogin/records.ndjson";
  const std::string events = TW_TEST_DATA_DIR "/cloudtrail/consolelogin/eventbridge.ndjson";
  const char* signin = R"({"source":["aws.signin"],"detail-type":["AWS Console Sign In via CloudTrail"]})";
  // NDJSON of EventBridge events: matched as they are.
  auto r = RunTool({"grep", "-c", "--event-pattern", signin, events});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "15\n");
  // Failed sign-ins, printed as the events they are.
  r = RunTool({"grep", "--event-pattern", R"({"detail":{"responseElements":{"ConsoleLogin":["Failure"]}}})", events});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 6);
  // NDJSON of CloudTrail records: the input layer recognises each line as a CloudTrail record (as it does
  // for a {"Records":[...]} file), so each is matched as the EventBridge event it becomes...
  r = RunTool({"grep", "-c", "--event-pattern", signin}, ReadText(records));
  EXPECT_EQ(r.out, "15\n");
  EXPECT_EQ(r.exit_code, 0);
  r = RunTool({"grep", "-c", "--event-pattern", R"({"detail":{"eventName":["ConsoleLogin"]}})"}, ReadText(records));
  EXPECT_EQ(r.out, "14\n");
  // ...and, not wrapped, a pattern on the record's own fields matches the record itself.
  r = RunTool({"grep", "-c", "--no-wrap", "--event-pattern", R"({"eventName":["ConsoleLogin"]})"}, ReadText(records));
  EXPECT_EQ(r.out, "14\n");
}

TEST(EventCliTest, GrepWrapsCloudTrailFiles) {
  // A CloudTrail file ({"Records":[...]}): each record is matched as the EventBridge event it becomes.
  std::string file = "{\"Records\":[";
  {
    std::ifstream in(TW_TEST_DATA_DIR "/cloudtrail/consolelogin/records.ndjson");
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      file += (first ? "" : ",") + line;
      first = false;
    }
  }
  file += "]}";
  const std::string path = WriteTemp("tw_cloudtrail.json", file);
  const char* signin = R"({"source":["aws.signin"],"detail-type":["AWS Console Sign In via CloudTrail"]})";
  auto r = RunTool({"grep", "-c", "--event-pattern", signin, path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "15\n");
  r = RunTool({"grep", "-m", "1", "--event-pattern", signin, path});
  EXPECT_EQ(r.out.rfind("{\"version\":\"0\",\"id\":", 0), 0u) << r.out;  // printed as the wrapped event
  r = RunTool({"grep", "-c", "--no-wrap", "--event-pattern", signin, path});
  EXPECT_EQ(r.out, "0\n");
  EXPECT_EQ(r.exit_code, 1);
}

TEST(EventCliTest, DebugDumps) {
  auto r = RunTool({"debug", "dump-event-pattern", R"({"s":["x"],"$or":[{"a":["1"]},{"b":["2"]}]})"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "rule{s: [exact:\"x\"]; a: [exact:\"1\"]}\nrule{s: [exact:\"x\"]; b: [exact:\"2\"]}\n");
  r = RunTool({"debug", "dump-event-set", R"({"source":["aws.ec2"]})", R"({"source":["aws.ec2"],"x":[1]})"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("paths 2, atoms 2, rules 2", 0), 0u) << r.out;  // the shared "source" test is one atom
}

TEST(EventCliTest, GrepErrors) {
  auto r = RunTool({"grep", "--event-pattern", R"({"a": 1})"}, "{}\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("InvalidEventPatternException"), std::string::npos);
  EXPECT_NE(r.err.find("\"a\" must be an object or an array"), std::string::npos);
  r = RunTool({"grep", "--event-pattern", R"({"a":["b"]})", "--filter-pattern", "x"}, "{}\n");
  EXPECT_EQ(r.exit_code, 2);
  r = RunTool({"grep"}, "{}\n");
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace trailwatch::event
