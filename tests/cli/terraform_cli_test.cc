// terraform_cli_test.cc: `trailwatch replay --terraform FILE` as users run it: the story's Terraform plan and
// state replay the sample's events exactly as samples/console-login/setup.yaml does (text and JSON, byte for
// byte); `check` and the usage errors.
#include <gtest/gtest.h>

#include "tests/support/run_tool.h"

namespace trailwatch::testing {
namespace {

const std::string kSrc = TW_SOURCE_DIR;
const std::string kEvents = "samples/console-login/events/AWSLogs";

TEST(TerraformCli, PlanAndStateReplayAsTheSetupFile) {
  for (const char* output : {"text", "json"}) {
    SCOPED_TRACE(output);
    ToolResult expected = RunTool({"replay", "samples/console-login/setup.yaml", kEvents, "--output", output}, "", kSrc);
    ASSERT_EQ(expected.exit_code, 0) << expected.err;
    ToolResult plan = RunTool({"replay", "--terraform", "tests/data/terraform/story.plan.json", "--account", "123837392027",
                               kEvents, "--output", output},
                              "", kSrc);
    EXPECT_EQ(plan.exit_code, 0) << plan.err;
    EXPECT_EQ(plan.out, expected.out);
    ToolResult state =
        RunTool({"replay", "--terraform", "tests/data/terraform/story.state.json", kEvents, "--output", output}, "", kSrc);
    EXPECT_EQ(state.exit_code, 0) << state.err;
    EXPECT_EQ(state.out, expected.out);
  }
}

TEST(TerraformCli, CheckAndErrors) {
  ToolResult check = RunTool({"check", "--terraform", "tests/data/terraform/story.state.json"}, "", kSrc);
  ToolResult expected = RunTool({"check", "samples/console-login/setup.yaml"}, "", kSrc);
  EXPECT_EQ(check.exit_code, expected.exit_code) << check.err;
  // The same findings, named by the resource address instead of the setup file's line and logical id.
  EXPECT_NE(check.out.find("tests/data/terraform/story.state.json: high: metric filter ConsoleLoginFailure on "
                           "/aws/events/console-login (us-east-1) counts a record twice"),
            std::string::npos)
      << check.out;
  EXPECT_NE(check.out.find("[double-counted] (aws_cloudwatch_log_metric_filter.success)"), std::string::npos);
  EXPECT_EQ(check.out.substr(check.out.find("check: ")), expected.out.substr(expected.out.find("check: ")));

  ToolResult both = RunTool({"replay", "--terraform", "a.json", "--template", "b.yaml"}, "", kSrc);
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.err.find("--terraform and --template are two setups"), std::string::npos) << both.err;

  ToolResult bad = RunTool({"replay", "--terraform", "samples/console-login/setup.yaml", kEvents}, "", kSrc);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("samples/console-login/setup.yaml:1:1: not valid JSON"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace trailwatch::testing
