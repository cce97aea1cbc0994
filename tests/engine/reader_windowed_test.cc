// reader_windowed_test.cc: large regular files are read in windows (bounded memory); reading every file in
// windows must give exactly the records, positions, problems and counts of reading it whole — on the real
// data, in every format, including the malformed file.
#include <gtest/gtest.h>

#include "tests/engine/reader_test_util.h"

namespace trailwatch::engine::testing {
namespace {

struct Outcome {
  CollectingSink sink;
  InputStats stats;
};

void Read(const std::vector<std::string>& paths, uint64_t windowed_from, Outcome& out) {
  ReaderOptions o;
  o.streaming = false;
  o.windowed_from = windowed_from;
  out.stats = ReadInputs(paths, o, out.sink);
}

TEST(ReaderWindowedTest, WindowsGiveWhatWholeFilesGive) {
  const std::vector<std::string> inputs = {
      DataPath("cloudtrail/s3"),          DataPath("cloudtrail/records.ndjson"), DataPath("cloudtrail/stratus"),
      DataPath("cloudtrail/malformed"),   DataPath("cloudtrail/consolelogin"),   DataPath("formats")};
  for (const std::string& in : inputs) {
    SCOPED_TRACE(in);
    Outcome whole, windowed;
    Read({in}, uint64_t{1} << 40, whole);
    Read({in}, 1, windowed);  // every file read in windows
    ASSERT_GT(whole.sink.records.size() + whole.sink.problems.size(), 0u);
    ASSERT_EQ(whole.sink.records.size(), windowed.sink.records.size());
    for (size_t i = 0; i < whole.sink.records.size(); ++i) {
      const Rec& a = whole.sink.records[i];
      const Rec& b = windowed.sink.records[i];
      ASSERT_EQ(a.message, b.message) << i;
      EXPECT_EQ(a.shape, b.shape) << i;
      EXPECT_EQ(a.format, b.format) << i;
      EXPECT_EQ(a.file, b.file) << i;
      EXPECT_EQ(a.line, b.line) << i;
      EXPECT_EQ(a.offset, b.offset) << i;
      EXPECT_EQ(a.index, b.index) << i;
      EXPECT_EQ(a.timestamp_ms, b.timestamp_ms) << i;
    }
    EXPECT_EQ(whole.sink.ProblemText(), windowed.sink.ProblemText());
    EXPECT_EQ(whole.stats.records, windowed.stats.records);
    EXPECT_EQ(whole.stats.malformed, windowed.stats.malformed);
    EXPECT_EQ(whole.stats.skipped, windowed.stats.skipped);
    EXPECT_EQ(whole.stats.bytes, windowed.stats.bytes);
  }
}

}  // namespace
}  // namespace trailwatch::engine::testing
