// event_golden_test.cc: runs tests/golden/event/*.cases (documented AWS examples and AWS recordings, each
// citing its source) on both engines. One test instance per case, named Line<N>.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/event/event_test_util.h"

namespace trailwatch::event {
namespace {

struct GoldenCase {
  std::string file;
  int line = 0;
  std::string source, pattern, event, expect, error;
};

std::vector<GoldenCase> LoadCases() {
  std::vector<GoldenCase> out;
  for (const auto& entry : std::filesystem::directory_iterator(TW_GOLDEN_DIR "/event")) {
    if (entry.path().extension() != ".cases") continue;
    std::ifstream in(entry.path());
    std::string line;
    int n = 0;
    GoldenCase cur;
    auto flush = [&]() {
      if (!cur.pattern.empty() || !cur.source.empty()) out.push_back(cur);
      cur = GoldenCase{};
    };
    while (std::getline(in, line)) {
      ++n;
      if (!line.empty() && line[0] == '#') continue;
      if (line.empty()) {
        flush();
        continue;
      }
      if (cur.line == 0) {
        cur.line = n;
        cur.file = entry.path().filename().string();
      }
      auto take = [&](const char* key, std::string* dst) {
        const std::string k = std::string(key) + ": ";
        if (line.rfind(k, 0) == 0) {
          *dst = line.substr(k.size());
          return true;
        }
        return false;
      };
      if (!take("source", &cur.source) && !take("pattern", &cur.pattern) && !take("event", &cur.event) &&
          !take("expect", &cur.expect) && !take("error", &cur.error)) {
        ADD_FAILURE() << entry.path() << ":" << n << ": unknown line: " << line;
      }
    }
    flush();
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
