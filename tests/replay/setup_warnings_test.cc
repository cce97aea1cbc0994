// setup_warnings_test.cc: every warning of the setup loader and of CheckSetup(), from a golden file
// (tests/data/setup/warnings.cases), plus the merging of warnings repeated across Regions and
// CheckSetup() on a setup built by hand.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/setup/sources.h"

namespace trailwatch::engine {
namespace {

struct WarningCase {
  std::string name, file, text;
  std::vector<std::string> warnings;
  int line = 0;
};

void PrintTo(const WarningCase& c, std::ostream* os) { *os << c.name; }

std::vector<WarningCase> ReadCases() {
  std::ifstream in(TW_TEST_DATA_DIR "/setup/warnings.cases");
  std::vector<WarningCase> out;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.rfind("=== ", 0) == 0) {
      std::istringstream header(line.substr(4));
      WarningCase c;
      header >> c.name >> c.file;
      c.line = n;
      out.push_back(c);
    } else if (out.empty()) {
      continue;  // the header comment
    } else if (line.rfind("--> ", 0) == 0) {
      out.back().warnings.push_back(line.substr(4));
    } else if (out.back().warnings.empty()) {
      out.back().text += line + "\n";
    } else {
      ADD_FAILURE() << "warnings.cases:" << n << ": unexpected line " << line;
    }
  }
  return out;
}

class SetupWarningsTest : public testing::TestWithParam<WarningCase> {};

TEST_P(SetupWarningsTest, ExactWarnings) {
  const WarningCase& c = GetParam();
  SCOPED_TRACE("warnings.cases:" + std::to_string(c.line));
  Result<engine::Setup> r = engine::Setup{};
  if (c.file == "t.yaml") {
    TemplateSource src;
    src.path = c.file;
    src.text = c.text;
    src.regions = {"us-east-1"};
    r = LoadTemplates({src});
  } else {
    r = LoadSetupText(c.text, c.file);
  }
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->warnings, c.warnings);
}

INSTANTIATE_TEST_SUITE_P(Golden, SetupWarningsTest, testing::ValuesIn(ReadCases()),
                         [](const testing::TestParamInfo<WarningCase>& info) { return info.param.name; });

TEST(SetupWarningsApiTest, GoldenFileIsComplete) { EXPECT_GE(ReadCases().size(), 29u); }

TEST(SetupWarningsApiTest, CheckSetupOnAHandBuiltSetup) {
  engine::Setup s;
  RuleConfig rule;
  rule.name = "r";
  rule.region = "eu-west-1";
  rule.account = s.account;
  rule.source = "hand";
  RuleTarget t;
  t.id = "t";
  t.arn = "arn:aws:logs:eu-west-1:123456789012:log-group:app";
  t.kind = RuleTarget::Kind::kLogGroup;
  t.region = "eu-west-1";
  t.account = s.account;
  t.name = "app";
  rule.targets.push_back(t);
  s.rules.push_back(rule);
  CheckSetup(s);
  EXPECT_EQ(s.warnings,
            (std::vector<std::string>{
                "hand: target t: log group `app` does not start with /aws/events/: the console and the CDK only target "
                "log groups under /aws/events/; elsewhere EventBridge delivers only if the log group's resource policy "
                "allows events.amazonaws.com [eu-west-1]",
                "hand: target t: log group `app` is not defined in the setup [eu-west-1]"}));
}

}  // namespace
}  // namespace trailwatch::engine
