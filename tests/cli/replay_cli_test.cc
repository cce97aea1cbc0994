// replay_cli_test.cc: `trailwatch replay` and `trailwatch tail` run as users run them. The bundled sample's
// expected output (samples/console-login/expected-output.{txt,json}) is checked byte for byte; setup file
// and CloudFormation templates give the same replay; options and errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "tests/support/temp_path.h"
#include "tests/support/run_tool.h"

namespace trailwatch::testing {
namespace {

const std::string kSrc = TW_SOURCE_DIR;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ReplayCli, SampleExpectedOutput) {
  ToolResult text = RunTool({"replay", "samples/console-login/setup.yaml", "samples/console-login/events/AWSLogs"}, "",
                            kSrc);
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out, ReadFile(kSrc + "/samples/console-login/expected-output.txt"));
  ToolResult json = RunTool(
      {"replay", "samples/console-login/setup.yaml", "samples/console-login/events/AWSLogs", "--output", "json"}, "", kSrc);
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(json.out, ReadFile(kSrc + "/samples/console-login/expected-output.json"));
}

TEST(ReplayCli, SampleTellsTheStory) {
  ToolResult r = RunTool(
      {"replay", "samples/console-login/setup.yaml", "samples/console-login/events/AWSLogs", "--output", "json"}, "", kSrc);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["input"]["records"], 16);
  // Every sign-in reaches the log group twice (trail + central rule) but the one in ap-east-1 (no rule there).
  EXPECT_EQ(j["log_groups"][0]["raw_records"], 16);
  EXPECT_EQ(j["log_groups"][0]["eventbridge_events"], 15);
  std::map<std::string, int> sums;
  for (const auto& m : j["metrics"]) sums[m["name"]] = m["sum"];
  EXPECT_EQ(sums["ConsoleLoginSuccess"], 17);  // 8 successes counted twice + the ap-east-1 one once
  EXPECT_EQ(sums["ConsoleLoginFailure"], 8);   // 4 "Failed authentication", counted twice
  std::map<std::string, int> findings;
  for (const auto& f : j["findings"]) findings[f["kind"]] += f["count"].get<int>();
  EXPECT_EQ(findings["uncovered-region"], 1);
  EXPECT_EQ(findings["double-counted"], 12);
  // The failure alarm fires at the end of the first 5-minute period.
  bool alarm = false;
  for (const auto& a : j["alarms"]) {
    for (const auto& t : a["transitions"]) alarm = alarm || (a["name"] == "console-login-failures" && t["to"] == "ALARM");
  }
  EXPECT_TRUE(alarm);
}

TEST(ReplayCli, TemplatesGiveTheSameReplayAsTheSetupFile) {
  ToolResult setup = RunTool(
      {"replay", "samples/console-login/setup.yaml", "samples/console-login/events/AWSLogs", "--output", "json"}, "", kSrc);
  ToolResult templates = RunTool({"replay", "--template", "samples/console-login/templates/central.yaml@us-east-1",
                                  "--template", "samples/console-login/templates/forwarding.yaml@default", "--account",
                                  "123837392027", "samples/console-login/events/AWSLogs", "--output", "json"},
                                 "", kSrc);
  ASSERT_EQ(templates.exit_code, 0) << templates.err;
  const auto a = nlohmann::json::parse(setup.out);
  const auto b = nlohmann::json::parse(templates.out);
  for (const char* key : {"metrics", "alarms", "findings", "log_groups", "input"}) {
    EXPECT_EQ(a[key], b[key]) << key;
  }
}

TEST(ReplayCli, ThreadsGiveTheSameAnswer) {
  ToolResult one = RunTool({"replay", "samples/console-login/setup.yaml", TW_TEST_DATA_DIR "/cloudtrail/s3",
                            "samples/console-login/events/AWSLogs", "--output", "json", "--threads", "1"},
                           "", kSrc);
  ToolResult four = RunTool({"replay", "samples/console-login/setup.yaml", TW_TEST_DATA_DIR "/cloudtrail/s3",
                             "samples/console-login/events/AWSLogs", "--output", "json", "--threads", "4"},
                            "", kSrc);
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(four.exit_code, 0) << four.err;
  EXPECT_EQ(one.out, four.out);
}

TEST(ReplayCli, ReportIsWritten) {
  const std::string report = trailwatch::test_support::UniqueTempPath("report.html");
  ToolResult r = RunTool({"replay", "samples/console-login/setup.yaml", "samples/console-login/events/AWSLogs",
                          "--report", report},
                         "", kSrc);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = ReadFile(report);
  EXPECT_NE(html.find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_NE(html.find("ConsoleLoginFailure"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(r.out.find("report: " + report), std::string::npos);
}

TEST(ReplayCli, FailOnFindings) {
  ToolResult r = RunTool({"replay", "samples/console-login/setup.yaml", "samples/console-login/events/AWSLogs",
                          "--fail-on", "high"},
                         "", kSrc);
  EXPECT_EQ(r.exit_code, 1);
  ToolResult never = RunTool({"replay", "samples/console-login/setup.yaml", "samples/console-login/events/AWSLogs",
                              "--fail-on", "never"},
                             "", kSrc);
  EXPECT_EQ(never.exit_code, 0);
}

// The issue's "a wrong-case field silently counts 0": the sample's setup with `$.eventName` written
// `$.eventname` in one filter. The replay names the field and the key it meant, in text, JSON and SARIF,
// and --fail-on medium fails on it.
TEST(ReplayCli, AMisspelledFieldIsNamed) {
  std::string setup = ReadFile(kSrc + "/samples/console-login/setup.yaml");
  const size_t at = setup.find("$.eventName");
  ASSERT_NE(at, std::string::npos);
  setup.replace(at, 11, "$.eventname");
  const std::string path = trailwatch::test_support::UniqueTempPath("misspelled.yaml");
  std::ofstream(path) << setup;
  const std::string events = kSrc + "/samples/console-login/events/AWSLogs";
  ToolResult text = RunTool({"replay", path, events, "--fail-on", "medium"});
  EXPECT_EQ(text.exit_code, 1) << text.err;
  EXPECT_NE(text.out.find("[MEDIUM] misspelled-field: metric filter "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("reads `$.eventname`, which none of the 31 JSON message(s) of the log group had; did "
                          "you mean `$.eventName`?"),
            std::string::npos)
      << text.out;
  ToolResult json = RunTool({"replay", path, events, "-o", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  int misspelled = 0;
  const auto doc = nlohmann::json::parse(json.out);  // (a range over a temporary's member would dangle)
  for (const auto& f : doc["findings"]) misspelled += f["kind"] == "misspelled-field";
  EXPECT_EQ(misspelled, 1);
  ToolResult sarif = RunTool({"replay", path, events, "-o", "sarif"});
  ASSERT_EQ(sarif.exit_code, 0) << sarif.err;
  bool result = false;
  const auto log = nlohmann::json::parse(sarif.out);
  for (const auto& r : log["runs"][0]["results"]) {
    result = result || (r["ruleId"] == "misspelled-field" && r["level"] == "warning");
  }
  EXPECT_TRUE(result) << sarif.out.substr(0, 2000);
}

TEST(ReplayCli, Errors) {
  ToolResult missing = RunTool({"replay"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("SETUP"), std::string::npos);
  ToolResult no_setup = RunTool({"replay", "/does/not/exist.yaml", "x"});
  EXPECT_EQ(no_setup.exit_code, 2);
  EXPECT_NE(no_setup.err.find("/does/not/exist.yaml"), std::string::npos);
  // A bad pattern names its resource and shows the caret.
  const std::string setup = trailwatch::test_support::UniqueTempPath("bad.yaml");
  std::ofstream(setup) << "Account: \"123456789012\"\n"
                          "Resources:\n"
                          "  Logs: {Type: AWS::Logs::LogGroup, Properties: {LogGroupName: /aws/events/x}}\n"
                          "  F:\n"
                          "    Type: AWS::Logs::MetricFilter\n"
                          "    Properties:\n"
                          "      LogGroupName: /aws/events/x\n"
                          "      FilterPattern: '{ $.eventName = ConsoleLogin '\n"
                          "      MetricTransformations: [{MetricName: m, MetricNamespace: n, MetricValue: '1'}]\n";
  ToolResult bad = RunTool({"replay", setup, "-"}, "");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("metric filter F"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("If a filter pattern starts with '{' it must end with '}'"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("^"), std::string::npos) << bad.err;
  ToolResult unreadable = RunTool({"replay", "samples/console-login/setup.yaml", "/does/not/exist"}, "", kSrc);
  EXPECT_EQ(unreadable.exit_code, 2);
  EXPECT_NE(unreadable.out.find("unreadable"), std::string::npos);
}

TEST(ReplayCli, LogGroupModeCountsLikeGrep) {
  // The metric totals of a replay equal `trailwatch grep -c` with the same pattern on the same records.
  const std::string pattern =
      R"({ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") || ($.detail.eventName = ConsoleLogin) && ($.detail.errorMessage = "Failed authentication") })";
  for (const char* input : {"samples/console-login/events/raw-cloudtrail.ndjson",
                            "samples/console-login/events/eventbridge-wrapped.ndjson",
                            "samples/console-login/events/AWSLogs"}) {
    SCOPED_TRACE(input);
    ToolResult grep = RunTool({"grep", "-c", "--filter-pattern", pattern, input}, "", kSrc);
    ToolResult replay = RunTool({"replay", "samples/console-login/setup.yaml", "--log-group", "/aws/events/console-login",
                                 input, "--output", "json"},
                                "", kSrc);
    ASSERT_EQ(replay.exit_code, 0) << replay.err;
    const auto j = nlohmann::json::parse(replay.out);
    int failures = -1;
    for (const auto& m : j["metrics"]) {
      if (m["name"] == "ConsoleLoginFailure") failures = m["sum"];
    }
    EXPECT_EQ(std::to_string(failures) + "\n", grep.out);
  }
}

TEST(ReplayCli, TailStreamsMatchesAndAlarms) {
  std::string input;
  std::ifstream in(kSrc + "/samples/console-login/events/raw-cloudtrail.ndjson");
  std::string line;
  while (std::getline(in, line)) input += line + "\n";
  ToolResult r = RunTool({"tail", "samples/console-login/setup.yaml"}, input, kSrc);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("match  ConsoleLoginFailure (/aws/events/console-login)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("minute 2023-07-10T12:40:00Z  CloudTrailMetrics/ConsoleLoginSuccess"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ALARM  console-login-failures  INSUFFICIENT_DATA -> ALARM"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("trailwatch replay: 16 records"), std::string::npos);

  ToolResult json = RunTool({"tail", "samples/console-login/setup.yaml", "--output", "json"}, input, kSrc);
  ASSERT_EQ(json.exit_code, 0);
  std::istringstream lines(json.out);
  std::map<std::string, int> types;
  while (std::getline(lines, line)) {
    // Every line is ripgrep's envelope: {"type": T, "data": {...}} and nothing else.
    const nlohmann::json j = nlohmann::json::parse(line);
    ASSERT_EQ(j.size(), 2u) << line;
    ASSERT_TRUE(j["data"].is_object()) << line;
    types[j["type"]]++;
    if (j["type"] == "match") {
      EXPECT_TRUE(j["data"].contains("filter") && j["data"].contains("message")) << line;
    }
    if (j["type"] == "alarm") {
      EXPECT_TRUE(j["data"].contains("alarm") && j["data"].contains("to")) << line;
    }
    if (j["type"] == "summary") {
      EXPECT_TRUE(j["data"].contains("metrics") && j["data"].contains("findings")) << line;
    }
  }
  EXPECT_GT(types["match"], 0);
  EXPECT_GT(types["minute"], 0);
  EXPECT_GT(types["alarm"], 0);
  EXPECT_EQ(types["summary"], 1);

  // The summary's findings (here: sign-ins counted twice, via the trail and the rule) go with --no-findings,
  // the metrics and alarms stay.
  const std::string with = r.out;
  ToolResult without = RunTool({"tail", "samples/console-login/setup.yaml", "--no-findings"}, input, kSrc);
  ASSERT_EQ(without.exit_code, 0) << without.err;
  EXPECT_NE(with.find("double-counted"), std::string::npos) << with;
  EXPECT_EQ(without.out.find("double-counted"), std::string::npos) << without.out;
  EXPECT_NE(without.out.find("ALARM  console-login-failures  INSUFFICIENT_DATA -> ALARM"), std::string::npos);
}

}  // namespace
}  // namespace trailwatch::testing
