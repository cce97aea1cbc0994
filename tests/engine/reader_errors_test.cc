// reader_errors_test.cc: bad input is never fatal and never dropped silently — truncated and corrupt gzip,
// concatenated members, broken JSON, non-object records, oversize events, unreadable and binary files —
// and every problem carries its file and line or offset, and the counts add up.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "engine/input/reader.h"
#include "tests/engine/reader_test_util.h"

namespace trailwatch::engine {
namespace {

using testing::kS3File63;
using testing::kS3File1;
using testing::CollectingSink;
using testing::DataPath;
using testing::ExpectStatsMatchSink;
using testing::Lines;
using testing::Read;
using testing::ReadFileBytes;
using testing::TempDir;
using testing::WriteFileBytes;

TEST(ReaderErrorsTest, TruncatedGzipDeliversWhatDecodedThenReports) {
  const std::string gz = ReadFileBytes(DataPath(kS3File63));
  CollectingSink full;
  Read({DataPath(kS3File63)}, full);
  ASSERT_EQ(full.records.size(), 63u);
  TempDir dir;
  for (size_t cut : {gz.size() / 2, gz.size() - 9, size_t{100}, size_t{11}}) {
    SCOPED_TRACE(cut);
    const std::string path = dir.Path("cut.json.gz");
    WriteFileBytes(path, gz.substr(0, cut));
    CollectingSink sink;
    const InputStats stats = Read({path}, sink);
    if (cut == gz.size() - 9) {
      EXPECT_GE(sink.records.size(), 62u);  // only the trailer and the last bits are lost
    } else {
      EXPECT_LT(sink.records.size(), 63u);
    }
    if (cut == gz.size() / 2) {
      EXPECT_GT(sink.records.size(), 10u);
    }
    for (size_t i = 0; i < sink.records.size(); ++i) EXPECT_EQ(sink.records[i].message, full.records[i].message);
    ASSERT_EQ(sink.problems.size(), 1u) << sink.ProblemText();  // the cut record is not reported again
    EXPECT_EQ(sink.problems[0].kind, ProblemKind::kTruncatedGzip);
    EXPECT_EQ(sink.problems[0].file, path);
    EXPECT_EQ(sink.problems[0].offset, cut);  // the compressed offset where the data ends
    EXPECT_EQ(stats.malformed, 1u);
    ExpectStatsMatchSink(stats, sink);
  }
}

TEST(ReaderErrorsTest, CorruptGzipIsReportedWithItsOffset) {
  std::string gz = ReadFileBytes(DataPath(kS3File63));
  for (size_t i = gz.size() / 2; i < gz.size() / 2 + 64; ++i) gz[i] = static_cast<char>(gz[i] ^ 0x5a);
  TempDir dir;
  WriteFileBytes(dir.Path("bad.json.gz"), gz);
  CollectingSink sink;
  const InputStats stats = Read({dir.Path("bad.json.gz")}, sink);
  ASSERT_GE(sink.Count(ProblemKind::kTruncatedGzip), 1u) << sink.ProblemText();
  for (const auto& p : sink.problems) {
    if (p.kind == ProblemKind::kTruncatedGzip) {
      EXPECT_LE(p.offset, gz.size());
    }
  }
  EXPECT_LT(sink.records.size(), 63u);
  ExpectStatsMatchSink(stats, sink);
}

TEST(ReaderErrorsTest, ConcatenatedGzipMembers) {
  const std::string a = ReadFileBytes(DataPath(kS3File63));
  const std::string b = ReadFileBytes(DataPath(kS3File1));
  TempDir dir;
  WriteFileBytes(dir.Path("two.json.gz"), a + b);
  WriteFileBytes(dir.Path("padded.json.gz"), a + std::string(512, '\0'));  // zero padding, as gzip(1) allows
  WriteFileBytes(dir.Path("garbage.json.gz"), a + "garbage");
  CollectingSink two, padded, garbage;
  Read({dir.Path("two.json.gz")}, two);
  Read({dir.Path("padded.json.gz")}, padded);
  Read({dir.Path("garbage.json.gz")}, garbage);
  EXPECT_EQ(two.records.size(), 64u);
  EXPECT_TRUE(two.problems.empty()) << two.ProblemText();
  EXPECT_EQ(padded.records.size(), 63u);
  EXPECT_TRUE(padded.problems.empty()) << padded.ProblemText();
  EXPECT_EQ(garbage.records.size(), 63u);
  ASSERT_EQ(garbage.problems.size(), 1u);
  EXPECT_EQ(garbage.problems[0].kind, ProblemKind::kTruncatedGzip);
  EXPECT_EQ(garbage.problems[0].offset, a.size());
}

TEST(ReaderErrorsTest, MultiMemberOutputBufferGrows) {
  // The ISIZE trailer at the end of the file only describes the last (tiny) member: the output buffer
  // sized from it must grow for the big first member.
  std::string gz = ReadFileBytes(DataPath(kS3File63));
  std::string member = testing::Gzip(testing::Gunzip(gz));
  CollectingSink sink;
  // Two members: the ISIZE at the end belongs to the small second member only.
  const std::string small = testing::Gzip("{\"Records\":[]}\n");
  ReadMemory("isize.json.gz", member + small, ReaderOptions(), sink);
  EXPECT_EQ(sink.records.size(), 63u);
  EXPECT_TRUE(sink.problems.empty()) << sink.ProblemText();
}

TEST(ReaderErrorsTest, NonJsonLineInNdjsonIsReportedWithItsLine) {
  auto lines = Lines(ReadFileBytes(DataPath("cloudtrail/consolelogin/records.ndjson")));
  std::string text;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i == 2) text += "this is not json\n";
    if (i == 5) text += lines[i].substr(0, 100) + "\n";  // a record cut in the middle of a string
    if (i == 8) text += "{\"eventVersion\":\"1.08\",\n";  // cut after a separator
    text += lines[i] + "\n";
  }
  TempDir dir;
  WriteFileBytes(dir.Path("mixed.ndjson"), text);
  CollectingSink sink;
  const InputStats stats = Read({dir.Path("mixed.ndjson")}, sink);
  EXPECT_EQ(sink.records.size(), lines.size());  // no good line is swallowed
  ASSERT_EQ(sink.problems.size(), 3u) << sink.ProblemText();
  EXPECT_EQ(sink.problems[0].line, 3u);
  EXPECT_EQ(sink.problems[1].line, 7u);
  EXPECT_EQ(sink.problems[2].line, 11u);
  for (const auto& p : sink.problems) {
    EXPECT_EQ(p.kind, ProblemKind::kMalformedJson);
    EXPECT_EQ(p.file, dir.Path("mixed.ndjson"));
  }
  EXPECT_EQ(stats.records + stats.malformed, lines.size() + 3);
  ExpectStatsMatchSink(stats, sink);
}

TEST(ReaderErrorsTest, RecordsElementThatIsNotAnObject) {
  CollectingSink sink;
  const InputStats stats = ReadMemory(
      "x.json", R"({"Records":[{"eventVersion":"1.08","eventName":"A"},42,"s",[1],{"eventVersion":"1.08","eventName":"B"}]})",
      ReaderOptions(), sink);
  ASSERT_EQ(sink.records.size(), 2u);
  EXPECT_EQ(sink.records[1].index, 4u);
  ASSERT_EQ(sink.problems.size(), 3u);
  for (const auto& p : sink.problems) EXPECT_EQ(p.kind, ProblemKind::kMalformedRecord);
  EXPECT_EQ(sink.problems[0].offset, 52u);
  EXPECT_NE(sink.problems[0].message.find("Records[1]"), std::string::npos);
  EXPECT_EQ(stats.malformed, 3u);
}

TEST(ReaderErrorsTest, BrokenContainersAreSalvaged) {
  struct Case {
    const char* text;
    size_t records;
    size_t problems;
  };
  const Case cases[] = {
      {R"({"Records":[{"eventVersion":"1"},{"eventVersion":"2"}] )", 2, 1},           // missing }
      {R"({"Records":[{"eventVersion":"1"},{"eventVersion":"2"},)", 2, 1},             // cut after a comma
      {R"({"Records":[{"eventVersion":"1"} {"eventVersion":"2"}]})", 1, 1},            // missing comma
      {"{\"Records\":[{\"eventVersion\":\"1\"},{\"eventVersion\":\"\xff\"},{\"eventVersion\":\"3\"}]}", 2, 1},  // bad UTF-8
      {R"({"Records":[{"eventVersion":"1"},{"eventVersion" "2"},{"eventVersion":"3"}]})", 2, 1},  // first member
      // Deeper inside a record only the framing is checked: the evaluator sees a message that is not JSON.
      {R"({"Records":[{"eventVersion":"1"},{"eventVersion":"2","x":{"y" 1}},{"eventVersion":"3"}]})", 3, 0},
      {R"({"Records":{"eventVersion":"1"}})", 0, 1},                                  // not an array
      {R"([{"a":1},{"a":2}]]})", 2, 1},                                               // trailing garbage
      {R"({"events":[{"message":"a","timestamp":1},{"timestamp":2},{"message":"c"}]})", 2, 1},  // no message
      {R"({"Events":[{"CloudTrailEvent":"{\"eventVersion\":\"1\"}"},{"CloudTrailEvent":5}]})", 1, 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    CollectingSink sink;
    const InputStats stats = ReadMemory("case.json", c.text, ReaderOptions(), sink);
    EXPECT_EQ(sink.records.size(), c.records);
    EXPECT_EQ(sink.problems.size(), c.problems) << sink.ProblemText();
    ExpectStatsMatchSink(stats, sink);
  }
}

TEST(ReaderErrorsTest, OversizeEventIsReportedNotDelivered) {
  const auto lines = Lines(ReadFileBytes(DataPath("cloudtrail/consolelogin/records.ndjson")));
  std::string big = "{\"eventVersion\":\"1.08\",\"pad\":\"" + std::string(300 * 1024, 'x') + "\"}";
  TempDir dir;
  WriteFileBytes(dir.Path("big.ndjson"), lines[0] + "\n" + big + "\n" + lines[1] + "\n");
  WriteFileBytes(dir.Path("big-records.json"), "{\"Records\":[" + lines[0] + "," + big + "]}");
  CollectingSink sink;
  const InputStats stats = Read({dir.Path("big.ndjson"), dir.Path("big-records.json")}, sink);
  EXPECT_EQ(sink.records.size(), 3u);
  ASSERT_EQ(sink.problems.size(), 2u);
  EXPECT_EQ(sink.problems[0].kind, ProblemKind::kOversizeEvent);
  EXPECT_EQ(sink.problems[0].line, 2u);
  EXPECT_EQ(sink.problems[1].kind, ProblemKind::kOversizeEvent);
  EXPECT_EQ(sink.problems[1].offset, 12u + lines[0].size() + 1);
  EXPECT_EQ(stats.malformed, 2u);
  ExpectStatsMatchSink(stats, sink);
}

TEST(ReaderErrorsTest, UnreadableBinaryAndEmptyFiles) {
  TempDir dir;
  WriteFileBytes(dir.Path("empty.json"), "");
  WriteFileBytes(dir.Path("archive.zip"), std::string("PK\x03\x04", 4) + "rest of a zip");
  WriteFileBytes(dir.Path("nul.bin"), std::string("abc\0def", 7));
  WriteFileBytes(dir.Path("blank.json"), "\n\n   \n");
  CollectingSink sink;
  const InputStats stats = Read({dir.Path("missing.json"), dir.path()}, sink);
  EXPECT_EQ(stats.unreadable, 1u);
  EXPECT_EQ(sink.Count(ProblemKind::kUnreadable), 1u);
  EXPECT_EQ(sink.problems[0].file, dir.Path("missing.json"));
  EXPECT_EQ(sink.Count(ProblemKind::kBinaryFile), 2u);
  EXPECT_EQ(stats.skipped, 2u);
  EXPECT_EQ(stats.records, 0u);
  EXPECT_EQ(stats.files, 4u);
  ExpectStatsMatchSink(stats, sink);
  if (geteuid() != 0) {  // root reads anything
    WriteFileBytes(dir.Path("locked/x.json"), "{}");
    chmod(dir.Path("locked/x.json").c_str(), 0);
    CollectingSink locked;
    Read({dir.Path("locked/x.json")}, locked);
    EXPECT_EQ(locked.Count(ProblemKind::kUnreadable), 1u);
  }
}

TEST(ReaderErrorsTest, BrokenPrettyDocumentIsReportedOnce) {
  // A pretty-printed array whose second element has a raw line break inside a string.
  const std::string text = "[\n  {\n    \"eventVersion\": \"1\"\n  },\n  {\n    \"eventVersion\": \"2\n\"\n  }\n]\n";
  CollectingSink sink;
  const InputStats stats = ReadMemory("broken.json", text, ReaderOptions(), sink);
  EXPECT_EQ(sink.records.size(), 1u);
  ASSERT_EQ(sink.problems.size(), 1u) << sink.ProblemText();
  EXPECT_EQ(sink.problems[0].kind, ProblemKind::kMalformedJson);
  EXPECT_EQ(sink.problems[0].line, 5u);  // where the broken element starts
  ExpectStatsMatchSink(stats, sink);
}

TEST(ReaderErrorsTest, UnterminatedDocumentAtEndOfFile) {
  CollectingSink sink;
  ReadMemory("cut.json", "[\n {\"eventVersion\":\"1\"},\n {\"eventVersion\":\"2\"},\n {\"eventVers", ReaderOptions(),
             sink);
  EXPECT_EQ(sink.records.size(), 2u);
  ASSERT_EQ(sink.problems.size(), 1u);
  EXPECT_EQ(sink.problems[0].line, 4u);
}

TEST(ReaderErrorsTest, DeeplyNestedInputDoesNotOverflow) {
  std::string deep = "{\"Records\":[" + std::string(100000, '[') + std::string(100000, ']') + "]}";
  CollectingSink sink;
  ReadMemory("deep.json", deep, ReaderOptions(), sink);
  EXPECT_EQ(sink.records.size(), 0u);
  EXPECT_GE(sink.problems.size(), 1u);
  std::string deep_ndjson = std::string(50000, '{') + "\n" + std::string(50000, '[') + "\n";
  CollectingSink sink2;
  ReadMemory("deep.ndjson", deep_ndjson, ReaderOptions(), sink2);
  EXPECT_EQ(sink2.records.size(), 0u);
  EXPECT_GE(sink2.problems.size(), 1u);
}

}  // namespace
}  // namespace trailwatch::engine
