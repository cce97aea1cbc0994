// golden_test.cc: runs the golden conformance files tests/golden/filter/*.cases (format in their README):
// documented AWS examples, each citing its source, as pattern/message/verdict/extractedValues triples and as
// rejected patterns with AWS's error text and our column. One test per block, named <file>_L<line>.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cctype>

#include "engine/filter/filter_set.h"
#include "patterns/filter/compile.h"
#include "tests/support/cases.h"

namespace trailwatch::engine {
namespace {

using test_support::KeyBlock;
using test_support::KeyLine;

class FilterGoldenTest : public ::testing::TestWithParam<KeyBlock> {};

TEST_P(FilterGoldenTest, Case) {
  const KeyBlock& b = GetParam();
  ASSERT_FALSE(b.lines.empty());
  ASSERT_EQ(b.lines[0].key, "source") << "every block cites its source first";
  std::shared_ptr<const filter::CompiledPattern> compiled;
  std::optional<Diagnostic> failure;
  std::string pattern;
  FilterScratch scratch;
  std::optional<FilterSet> set;
  bool last_match = false;
  int checks = 0;
  for (const KeyLine& l : b.lines) {
    SCOPED_TRACE(b.file + ".cases:" + std::to_string(l.number));
    if (l.key == "source") continue;
    if (l.key == "pattern") {
      pattern = l.value;
      auto c = filter::CompileFilterPattern(pattern);
      ASSERT_TRUE(c.ok()) << c.error().message;
      compiled = c.value();
      set.emplace(std::vector<std::shared_ptr<const filter::CompiledPattern>>{compiled});
    } else if (l.key == "match" || l.key == "nomatch") {
      ASSERT_TRUE(set.has_value());
      set->Evaluate(l.value, scratch);
      last_match = set->Matched(0, scratch);
      EXPECT_EQ(last_match, l.key == "match") << "pattern: " << pattern << "\nmessage: " << l.value;
      ++checks;
    } else if (l.key == "values") {
      ASSERT_TRUE(last_match) << "values: follows a match: line";
      std::vector<std::pair<std::string, std::string>> got;
      set->ExtractedValues(0, scratch, &got);
      nlohmann::json expected = nlohmann::json::parse(l.value);
      nlohmann::json got_json = nlohmann::json::object();
      for (auto& [k, v] : got) got_json[k] = v;
      EXPECT_EQ(got_json, expected);
      ++checks;
    } else if (l.key == "fail") {
      pattern = l.value;
      auto c = filter::CompileFilterPattern(pattern);
      ASSERT_FALSE(c.ok()) << "AWS rejects: " << pattern;
      failure = c.error();
      EXPECT_EQ(failure->exception, "InvalidParameterException");
    } else if (l.key == "aws") {
      ASSERT_TRUE(failure.has_value());
      EXPECT_EQ(failure->aws_message, l.value);
      ++checks;
    } else if (l.key == "column") {
      ASSERT_TRUE(failure.has_value());
      EXPECT_EQ(ColumnOf(pattern, failure->span.offset), static_cast<uint32_t>(std::stoul(l.value)))
          << failure->message;
      ++checks;
    } else {
      FAIL() << "unknown key '" << l.key << "'";
    }
  }
  EXPECT_GT(checks, 0);
}

INSTANTIATE_TEST_SUITE_P(Docs, FilterGoldenTest, ::testing::ValuesIn(test_support::ReadKeyBlocks(TW_GOLDEN_DIR "/filter")),
                         [](const ::testing::TestParamInfo<KeyBlock>& info) {
                           std::string name = info.param.file + "_L" + std::to_string(info.param.line);
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace trailwatch::engine
