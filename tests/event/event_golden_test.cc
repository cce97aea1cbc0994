// event_golden_test.cc: runs tests/golden/event/*.cases (documented AWS examples and AWS recordings, each
// citing its source) on both engines. One test instance per case, named Line<N>.
#include <gtest/gtest.h>

#include <cctype>

#include "tests/event/event_test_util.h"
#include "tests/support/cases.h"

namespace trailwatch::event {
namespace {

struct GoldenCase {
  std::string file;
  int line = 0;
  std::string source, pattern, event, expect, error;
};

std::vector<GoldenCase> LoadCases() {
  std::vector<GoldenCase> out;
  for (const test_support::KeyBlock& b : test_support::ReadKeyBlocks(TW_GOLDEN_DIR "/event")) {
    GoldenCase cur;
    cur.file = b.file + ".cases";
    cur.line = b.line;
    for (const test_support::KeyLine& l : b.lines) {
      std::string* dst = l.key == "source"    ? &cur.source
                         : l.key == "pattern" ? &cur.pattern
                         : l.key == "event"   ? &cur.event
                         : l.key == "expect"  ? &cur.expect
                         : l.key == "error"   ? &cur.error
                                              : nullptr;
      if (dst == nullptr) {
        ADD_FAILURE() << cur.file << ":" << l.number << ": unknown key '" << l.key << "'";
        continue;
      }
      *dst = l.value;
    }
    if (!cur.pattern.empty() || !cur.source.empty()) out.push_back(cur);
  }
  return out;
}

class EventGoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(EventGoldenTest, Case) {
  const GoldenCase& c = GetParam();
  SCOPED_TRACE(c.file + ":" + std::to_string(c.line) + " (" + c.source + ")");
  ASSERT_FALSE(c.source.empty()) << "every case must cite its source";
  if (!c.error.empty()) {
    EXPECT_EQ(testing::AwsReason(c.pattern), c.error);
    return;
  }
  ASSERT_TRUE(c.expect == "match" || c.expect == "nomatch");
  EXPECT_EQ(testing::Matches(c.pattern, c.event), c.expect == "match");
}

INSTANTIATE_TEST_SUITE_P(Docs, EventGoldenTest, ::testing::ValuesIn(LoadCases()),
                         [](const ::testing::TestParamInfo<GoldenCase>& info) {
                           std::string stem;
                           for (char ch : info.param.file.substr(0, info.param.file.find('.'))) {
                             if (std::isalnum(static_cast<unsigned char>(ch))) stem.push_back(ch);
                           }
                           return stem + "Line" + std::to_string(info.param.line);
                         });

}  // namespace
}  // namespace trailwatch::event
