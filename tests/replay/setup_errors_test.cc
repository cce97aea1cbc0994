// setup_errors_test.cc: every error of the setup loader. The document-level ones are a golden file
// (tests/data/setup/errors.cases: document, then the exact message, pointer, hint, CloudFormation's
// wording); the API-level ones (files, options, CLI arguments) are below. Every error is a value, with
// exception "ValidationError" and a location.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <fstream>

#include "tests/support/cases.h"
#include "tests/support/temp_path.h"
#include "engine/setup/sources.h"

namespace trailwatch::engine {
namespace {

struct ErrorCase {
  test_support::SetupCase setup;
  std::string message, pointer, hint, aws;
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.setup.name; }

std::vector<ErrorCase> ReadCases() {
  std::vector<ErrorCase> out;
  for (test_support::SetupCase& setup : test_support::ReadSetupCases(TW_TEST_DATA_DIR "/setup/errors.cases")) {
    ErrorCase c{std::move(setup)};
    for (const test_support::CaseLine& l : c.setup.expected) {
      if (l.text.rfind("--> ", 0) == 0) {
        c.message = l.text.substr(4);
      } else if (l.text.rfind("ptr ", 0) == 0) {
        c.pointer = l.text.substr(4);
      } else if (l.text.rfind("hint ", 0) == 0) {
        c.hint = l.text.substr(5);
      } else if (l.text.rfind("aws ", 0) == 0) {
        c.aws = l.text.substr(4);
      } else {
        ADD_FAILURE() << "errors.cases:" << l.number << ": unexpected line " << l.text;
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

class SetupErrorsTest : public testing::TestWithParam<ErrorCase> {};

TEST_P(SetupErrorsTest, ExactDiagnostic) {
  const ErrorCase& c = GetParam();
  SCOPED_TRACE("errors.cases:" + std::to_string(c.setup.line));
  Result<engine::Setup> r = test_support::LoadSetupCase(c.setup);
  ASSERT_FALSE(r.ok()) << "loaded without error";
  const Diagnostic& d = r.error();
  EXPECT_EQ(d.message, c.message);
  EXPECT_EQ(d.pointer, c.pointer);
  EXPECT_EQ(d.hint, c.hint);
  EXPECT_EQ(d.aws_message, c.aws);
  EXPECT_EQ(d.exception, "ValidationError");
}

INSTANTIATE_TEST_SUITE_P(Golden, SetupErrorsTest, testing::ValuesIn(ReadCases()),
                         [](const testing::TestParamInfo<ErrorCase>& info) { return info.param.setup.name; });

TEST(SetupErrorsApiTest, GoldenFileIsComplete) { EXPECT_GE(ReadCases().size(), 90u); }

TEST(SetupErrorsApiTest, Files) {
  Result<engine::Setup> missing = LoadSetupFile("/nonexistent/setup.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "/nonexistent/setup.yaml: cannot open the file");
  Result<engine::Setup> dir = LoadSetupFile(TW_TEST_DATA_DIR "/setup");
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.error().message, TW_TEST_DATA_DIR "/setup: cannot read the file");
  TemplateSource src;
  src.path = "/nonexistent/t.yaml";
  Result<engine::Setup> t = LoadTemplates({src});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message, "/nonexistent/t.yaml: cannot open the file");
}

TEST(SetupErrorsApiTest, JsonExtensionIsAlwaysJson) {
  const std::string path = trailwatch::test_support::UniqueTempPath("yaml-in-disguise.json");
  std::ofstream(path) << "Resources:\n  G: {Type: AWS::Logs::LogGroup}\n";
  Result<engine::Setup> r = LoadSetupFile(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, path + ":1:1: not valid JSON: syntax error while parsing value - invalid literal; "
                                      "last read: 'R'");
  std::filesystem::remove(path);
}

TemplateSource Minimal() {
  TemplateSource src;
  src.path = "t.yaml";
  src.text = "Parameters:\n  P: {Type: String, Default: x}\nResources:\n  G: {Type: AWS::Logs::LogGroup}\n";
  return src;
}

TEST(SetupErrorsApiTest, TemplateOptions) {
  struct Case {
    const char* name;
    std::function<void(TemplateSource&, LoadOptions&)> change;
    const char* message;
  } cases[] = {
      {"bad account", [](TemplateSource&, LoadOptions& o) { o.account = "12"; },
       "account `12` is not a 12-digit account id"},
      {"bad template account", [](TemplateSource& s, LoadOptions&) { s.account = "x"; },
       "t.yaml: account `x` is not a 12-digit account id"},
      {"bad default region", [](TemplateSource&, LoadOptions& o) { o.default_region = "moon"; },
       "`moon` is not a Region code"},
      {"bad template regions", [](TemplateSource& s, LoadOptions&) { s.regions = {"us-east-1", "moon-1"}; },
       "t.yaml: `moon-1` is not a Region code or a Region list keyword"},
      {"bad covered regions", [](TemplateSource&, LoadOptions& o) { o.regions = {"nowhere"}; },
       "`nowhere` is not a Region code or a Region list keyword"},
      {"undeclared template parameter", [](TemplateSource& s, LoadOptions&) { s.parameters["Q"] = "1"; },
       "t.yaml: a value is given for parameter `Q`, which the template does not declare"},
      {"undeclared global parameter", [](TemplateSource&, LoadOptions& o) { o.parameters["Q"] = "1"; },
       "parameter `Q` is declared by none of the templates"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TemplateSource src = Minimal();
    LoadOptions options;
    c.change(src, options);
    Result<engine::Setup> r = LoadTemplates({src}, options);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, c.message);
    EXPECT_EQ(r.error().exception, "ValidationError");
  }
  Result<engine::Setup> none = LoadTemplates({});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message, "no template to load");
  // The undeclared-parameter error carries CloudFormation's own wording.
  TemplateSource src = Minimal();
  src.parameters["Q"] = "1";
  EXPECT_EQ(LoadTemplates({src}).error().aws_message, "Parameters: [Q] do not exist in the template");
}

}  // namespace
}  // namespace trailwatch::engine
