// jmespath_cli_test.cc: `trailwatch debug jmespath EXPRESSION`, run as users run it: a JSON document on stdin
// (here the twin commands' own outputs), the result printed as the AWS CLI prints JSON, the AWS CLI's error
// texts and exit codes (252 for an expression that does not parse, 255 for one that fails on the document).
#include <gtest/gtest.h>

#include "tests/support/run_tool.h"

namespace trailwatch::testing {
namespace {

TEST(JmespathCli, QueriesTheTwinsOutput) {
  ToolResult out = RunTool({"logs", "test-metric-filter", "--filter-pattern", "[ip, user, code=4*]",
                            "--log-event-messages", "10.0.0.1 alice 404", "10.0.0.2 bob 200", "10.0.0.3 eve 403"});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  ToolResult n = RunTool({"debug", "jmespath", "length(matches)"}, out.out);
  EXPECT_EQ(n.exit_code, 0) << n.err;
  EXPECT_EQ(n.out, "2\n");
  ToolResult users = RunTool({"debug", "jmespath", "matches[?extractedValues.\"$code\" == '403'].extractedValues.\"$user\""},
                             out.out);
  EXPECT_EQ(users.exit_code, 0) << users.err;
  EXPECT_EQ(users.out, "[\n    \"eve\"\n]\n");
  ToolResult hash = RunTool({"debug", "jmespath", "{first: matches[0].eventNumber, n: length(matches)}"}, out.out);
  EXPECT_EQ(hash.out, "{\n    \"first\": 1,\n    \"n\": 2\n}\n");
}

TEST(JmespathCli, ErrorsAsTheAwsCli) {
  ToolResult parse = RunTool({"debug", "jmespath", "length("}, "{}");
  EXPECT_EQ(parse.exit_code, 252);
  EXPECT_EQ(parse.err,
            "\nBad value for --query length(: Invalid jmespath expression: Incomplete expression:\n\"length(\"\n        ^\n");
  ToolResult type = RunTool({"debug", "jmespath", "abs(a)"}, R"({"a":"x"})");
  EXPECT_EQ(type.exit_code, 255);
  EXPECT_EQ(type.err, "\nIn function abs(), invalid type for value: x, expected one of: ['number'], received: \"string\"\n");
  ToolResult not_json = RunTool({"debug", "jmespath", "a"}, "not json");
  EXPECT_EQ(not_json.exit_code, 2);
  EXPECT_NE(not_json.err.find("not one JSON document"), std::string::npos);
  ToolResult usage = RunTool({"debug", "jmespath"});
  EXPECT_EQ(usage.exit_code, 2);
}

TEST(JmespathCli, AstShowsTheTree) {
  ToolResult ast = RunTool({"debug", "jmespath", "a[*].b", "--ast"});
  EXPECT_EQ(ast.exit_code, 0) << ast.err;
  EXPECT_EQ(ast.out, "projection\n  field a\n  field b\n");
}

}  // namespace
}  // namespace trailwatch::testing
