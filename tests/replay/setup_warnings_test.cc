// setup_warnings_test.cc: every warning of the setup loader and of CheckSetup(), from a golden file
// (tests/data/setup/warnings.cases), plus the merging of warnings repeated across Regions and
// CheckSetup() on a setup built by hand.
#include <gtest/gtest.h>

#include "engine/setup/sources.h"
#include "tests/support/cases.h"

namespace trailwatch::engine {
namespace {

struct WarningCase {
  test_support::SetupCase setup;
  std::vector<std::string> warnings;
};

void PrintTo(const WarningCase& c, std::ostream* os) { *os << c.setup.name; }

std::vector<WarningCase> ReadCases() {
  std::vector<WarningCase> out;
  for (test_support::SetupCase& setup : test_support::ReadSetupCases(TW_TEST_DATA_DIR "/setup/warnings.cases")) {
    WarningCase c{std::move(setup)};
    for (const test_support::CaseLine& l : c.setup.expected) {
      if (l.text.rfind("--> ", 0) == 0) {
        c.warnings.push_back(l.text.substr(4));
      } else {
        ADD_FAILURE() << "warnings.cases:" << l.number << ": unexpected line " << l.text;
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

class SetupWarningsTest : public testing::TestWithParam<WarningCase> {};

TEST_P(SetupWarningsTest, ExactWarnings) {
  const WarningCase& c = GetParam();
  SCOPED_TRACE("warnings.cases:" + std::to_string(c.setup.line));
  Result<engine::Setup> r = test_support::LoadSetupCase(c.setup);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->warnings, c.warnings);
}

INSTANTIATE_TEST_SUITE_P(Golden, SetupWarningsTest, testing::ValuesIn(ReadCases()),
                         [](const testing::TestParamInfo<WarningCase>& info) { return info.param.setup.name; });

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
