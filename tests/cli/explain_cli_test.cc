// explain_cli_test.cc: `trailwatch explain`, `logs test-metric-filter --explain` and `grep --explain` as users
// run them: output, exit codes, JSON, records wrapped as EventBridge wraps them, invalid patterns.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/run_tool.h"

namespace trailwatch::testing {
namespace {

TEST(ExplainCli, FilterPattern) {
  ToolResult r = RunTool({"explain", "--filter-pattern", "{ $.eventname = ConsoleLogin }", "--message",
                          R"({"eventName":"ConsoleLogin"})"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out,
            "no match (json pattern)\n✗ $.eventname = ConsoleLogin    `$.eventname` is not in the message (did you "
            "mean `$.eventName`?)\n");
  ToolResult ok = RunTool({"explain", "-f", "ERROR", "-m", "ERROR disk", "-m", "error disk"});
  EXPECT_EQ(ok.exit_code, 1);
  EXPECT_NE(ok.out.find("message 1: ERROR disk\nmatch (terms pattern)\n"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("message 2: error disk\nno match (terms pattern)\n"), std::string::npos) << ok.out;
  ToolResult all = RunTool({"explain", "-f", "ERROR", "-m", "ERROR disk"});
  EXPECT_EQ(all.exit_code, 0);
}

TEST(ExplainCli, EventPatternAndRecord) {
  const std::string pattern = R"({"source": ["aws.signin"], "detail": {"eventName": ["ConsoleLogin"]}})";
  ToolResult e = RunTool({"explain", "--event-pattern", pattern, "--event",
                          R"({"source":"aws.signin","detail":{"eventName":"ConsoleLogin"}})"});
  EXPECT_EQ(e.exit_code, 0) << e.err;
  EXPECT_NE(e.out.find("match (event pattern)\n✓ every field\n"), std::string::npos) << e.out;
  ToolResult r = RunTool({"explain", "--event-pattern", pattern, "--record",
                          R"({"eventVersion":"1.08","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","eventType":"AwsConsoleSignIn"})"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("`source` = \"aws.signin\" ✓"), std::string::npos) << r.out;
}

TEST(ExplainCli, Json) {
  ToolResult r = RunTool({"explain", "-f", "{ $.a = 1 }", "-m", R"({"a":2})", "--output", "json"});
  EXPECT_EQ(r.exit_code, 1);
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["message"], R"({"a":2})");
  EXPECT_EQ(j[0]["matched"], false);
  EXPECT_EQ(j[0]["tree"]["detail"], "`$.a` = 2, wanted 1");
}

TEST(ExplainCli, Errors) {
  ToolResult bad = RunTool({"explain", "-f", "{ $.a == 1 }", "-m", "x"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("InvalidParameterException"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("^"), std::string::npos) << bad.err;
  EXPECT_EQ(RunTool({"explain", "-f", "x"}).exit_code, 2);
  EXPECT_EQ(RunTool({"explain", "-m", "x"}).exit_code, 2);
  EXPECT_EQ(RunTool({"explain", "-f", "x", "--event-pattern", "{}", "-m", "x"}).exit_code, 2);
  EXPECT_EQ(RunTool({"explain", "-f", "x", "--event", "{}"}).exit_code, 2);
  ToolResult rec = RunTool({"explain", "--event-pattern", R"({"a":[1]})", "--record", "[1]"});
  EXPECT_EQ(rec.exit_code, 2);
  EXPECT_NE(rec.err.find("is not a CloudTrail record"), std::string::npos) << rec.err;
  EXPECT_EQ(RunTool({"explain", "--help"}).exit_code, 0);
}

TEST(ExplainCli, LogsTestMetricFilterExplain) {
  const std::vector<std::string> args = {"logs", "test-metric-filter", "--filter-pattern", "[ip, user, status=4*]",
                                         "--log-event-messages", "1.2.3.4 bob 404", "1.2.3.4 bob 200"};
  ToolResult plain = RunTool(args);
  std::vector<std::string> with = args;
  with.push_back("--explain");
  ToolResult explained = RunTool(with);
  EXPECT_EQ(explained.exit_code, 0);
  EXPECT_EQ(explained.out, plain.out);  // the AWS output is unchanged
  EXPECT_EQ(plain.err, "");
  EXPECT_NE(explained.err.find("message 2: 1.2.3.4 bob 200\n  no match (space-delimited pattern)\n"), std::string::npos)
      << explained.err;
  EXPECT_NE(explained.err.find("✗ status=4*    status = \"200\": the condition does not hold"), std::string::npos);
}

TEST(ExplainCli, GrepExplain) {
  ToolResult r = RunTool({"grep", "-v", "--explain", "-f", "{ $.eventName = ConsoleLogin }"},
                         "{\"eventName\":\"ConsoleLogin\"}\n{\"eventName\":\"Other\"}\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"eventName\":\"Other\"}\n    no match (json pattern)\n    ✗ $.eventName = ConsoleLogin    "
            "`$.eventName` = \"Other\", wanted ConsoleLogin\n");
  ToolResult ev = RunTool({"grep", "--explain", "--event-pattern", R"({"source": ["aws.signin"]})"},
                          "{\"source\":\"aws.signin\"}\n");
  EXPECT_EQ(ev.exit_code, 0);
  EXPECT_NE(ev.out.find("    match (event pattern)\n"), std::string::npos) << ev.out;
}

}  // namespace
}  // namespace trailwatch::testing
