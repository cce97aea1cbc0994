// input_scan_test.cc: the parser-free pieces of the input layer — structure scanner, top-level keys, shape
// classification, compactness, base64, string unescaping, timestamps, text line formats, path rules.
#include <gtest/gtest.h>

#include <string>

#include "engine/input/json_scan.h"
#include "engine/input/sniff.h"

namespace trailwatch::engine::input {
namespace {

TEST(StructureScannerTest, FindsTheEndOfAValue) {
  struct Case {
    std::string text;
    long end;  // -1: still open
  };
  const Case cases[] = {
      {R"({"a":1} rest)", 7},
      {R"([1,[2,{"x":"]"}]],3)", 17},
      {R"({"a":"\"}"})", 11},
      {R"({"a":"\\"}x)", 10},
      {R"({"a":{"b":[)", -1},
      {R"({"a":"unterminated)", -1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    StructureScanner s;
    const char* e = s.Feed(c.text.data(), c.text.data() + c.text.size());
    EXPECT_EQ(e == nullptr ? -1 : e - c.text.data(), c.end);
  }
}

TEST(StructureScannerTest, ResumesAcrossChunksEvenInsideEscapes) {
  const std::string text = R"({"a":"x\"}y","b":[1,2]})";
  for (size_t split = 0; split <= text.size(); ++split) {
    StructureScanner s;
    const char* e = s.Feed(text.data(), text.data() + split);
    if (e == nullptr) e = s.Feed(text.data() + split, text.data() + text.size());
    ASSERT_NE(e, nullptr) << split;
    EXPECT_EQ(e, text.data() + text.size()) << split;
  }
  StructureScanner s;
  s.Feed(text.data(), text.data() + 8);
  EXPECT_TRUE(s.in_string());
}

TEST(ObjectKeysTest, FindsContainersAndShapes) {
  const ObjectKeys k = ScanObjectKeys(
      R"({"owner":"1", "logGroup":"g\"x","logStream":"s","subscriptionFilters":["f"],"messageType":"DATA_MESSAGE","logEvents":[{"id":"1"}]})");
  EXPECT_TRUE(k.ok);
  EXPECT_EQ(k.log_group, R"("g\"x")");
  EXPECT_EQ(k.log_events, R"([{"id":"1"}])");
  EXPECT_EQ(k.message_type, R"("DATA_MESSAGE")");
  EXPECT_EQ(k.other, 0u);
  EXPECT_EQ(k.members, 6u);
  const ObjectKeys bad = ScanObjectKeys(R"({"Records":[1,2] "x":1})");
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.error_at, 17u);
  EXPECT_EQ(bad.records, "[1,2]");
  const ObjectKeys open = ScanObjectKeys(R"({"a":1,"Records":[{"b":)");
  EXPECT_FALSE(open.ok);
}

TEST(ClassifyTest, Shapes) {
  EXPECT_EQ(ClassifyJson(R"({"eventVersion":"1.08","eventName":"X"})"), RecordShape::kCloudTrailRecord);
  EXPECT_EQ(ClassifyJson(R"({"@timestamp":"t","eventName":"X","eventSource":"s"})"), RecordShape::kCloudTrailRecord);
  EXPECT_EQ(ClassifyJson(R"({"version":"0","id":"1","detail-type":"AWS API Call via CloudTrail","source":"aws.s3","detail":{}})"),
            RecordShape::kEventBridgeEvent);
  EXPECT_EQ(ClassifyJson(R"({"source":"aws.s3","detail":{"eventVersion":"1"},"detail-type":"x"})"),
            RecordShape::kEventBridgeEvent);
  EXPECT_EQ(ClassifyJson(R"({"detail":{"eventVersion":"1.08"}})"), RecordShape::kJson);  // nested keys do not count
  EXPECT_EQ(ClassifyJson(R"({"level":"info"})"), RecordShape::kJson);
  EXPECT_EQ(ClassifyJson(R"([1,2])"), RecordShape::kJson);
  EXPECT_EQ(ClassifyJson("plain text"), RecordShape::kText);
  EXPECT_EQ(ClassifyJson(R"({"broken" 1})"), RecordShape::kText);
}

TEST(CompactJsonTest, SlicesWhenCompactMinifiesOtherwise) {
  std::string scratch;
  const std::string compact = R"j({"userAgent":"Mozilla/5.0 (KHTML, like Gecko)","a":[1,2],"b":"x : y"})j";
  EXPECT_EQ(CompactJson(compact, scratch).data(), compact.data());  // spaces only inside strings
  const std::string spaced = R"({"a": [1, 2], "b" : "x , y" })";
  EXPECT_EQ(CompactJson(spaced, scratch), R"({"a":[1,2],"b":"x , y"})");
  const std::string pretty = "{\n  \"a\": 1\n}";
  EXPECT_EQ(CompactJson(pretty, scratch), R"({"a":1})");
  EXPECT_TRUE(IsCompactJson("{\"a\":\"tab\tinside\"}", scratch));  // a raw tab inside a string stays
}

TEST(Base64Test, DecodesWithJsonEscapes) {
  std::string out;
  EXPECT_TRUE(Base64Decode("aGVsbG8gd29ybGQ=", out));
  EXPECT_EQ(out, "hello world");
  EXPECT_TRUE(Base64Decode("YS9i\\/w==", out));  // "\/" is an escaped '/'
  EXPECT_FALSE(Base64Decode("a$b", out));
  EXPECT_FALSE(Base64Decode("YQ==YQ", out));
}

TEST(UnescapeTest, JsonStrings) {
  std::string out;
  EXPECT_TRUE(UnescapeJsonString(R"("a\"b\\c\/d\n\u00e9\ud83d\ude00")", out));
  EXPECT_EQ(out, "a\"b\\c/d\n\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_FALSE(UnescapeJsonString(R"("bad \q")", out));
  EXPECT_FALSE(UnescapeJsonString(R"("cut \u12")", out));
}

TEST(SniffTest, Timestamps) {
  int64_t ms = 0;
  EXPECT_EQ(ParseIsoTimestamp("2023-07-10T12:27:25.319Z", ms), 24u);
  EXPECT_EQ(ms, 1688992045319);
  EXPECT_EQ(ParseIsoTimestamp("2023-07-10T12:27:25.319000+00:00 x", ms), 32u);
  EXPECT_EQ(ms, 1688992045319);
  EXPECT_GT(ParseIsoTimestamp("2023-07-10T14:27:25+02:00", ms), 0u);
  EXPECT_EQ(ms, 1688992045000);
  EXPECT_EQ(ParseIsoTimestamp("2023-07-10T12:27:25", ms), 0u);  // no zone
  EXPECT_EQ(ParseIsoTimestamp("1970-01-01T00:00:00Z", ms), 20u);
  EXPECT_EQ(ms, 0);
}

TEST(SniffTest, TextLineFormats) {
  int64_t ms = 0;
  std::string_view message, stream;
  EXPECT_TRUE(ParseExportLine("2023-07-10T12:27:25.319Z {\"a\":1}", ms, message));
  EXPECT_EQ(message, "{\"a\":1}");
  EXPECT_FALSE(ParseExportLine("2023-07-10T12:27:25.319000+00:00 s {\"a\":1}", ms, message));
  EXPECT_TRUE(ParseTailLine("2023-07-10T12:27:25.319000+00:00 my-stream hello world", ms, stream, message));
  EXPECT_EQ(stream, "my-stream");
  EXPECT_EQ(message, "hello world");
  EXPECT_TRUE(ParseTailLine("\x1b[32m2023-07-10T12:27:25.319000+00:00\x1b[0m \x1b[36ms\x1b[0m m", ms, stream, message));
  EXPECT_EQ(stream, "s");
  EXPECT_EQ(message, "m");
  EXPECT_FALSE(ParseTailLine("2023-07-10T12:27:25.319Z s m", ms, stream, message));
  EXPECT_TRUE(LooksLikeBase64Gzip("H4sIAAAAAAAA/+1daVMiSbf+K0Z/um84Kbkv3rgfEBRBcAEE"));
  EXPECT_FALSE(LooksLikeBase64Gzip("H4sI not base64 at all, really"));
}

TEST(SniffTest, PathRules) {
  EXPECT_NE(SkipReasonForPath("b/AWSLogs/1/CloudTrail-Digest/us-east-1/2023/07/10/x.json.gz"), nullptr);
  EXPECT_NE(SkipReasonForPath("AWSLogs/o-1/1/CloudTrail-Insight/us-east-1/x.json.gz"), nullptr);
  EXPECT_NE(SkipReasonForPath("x/1_CloudTrail-Digest_us-east-1_t_us-east-1_20230710T1300Z.json.gz"), nullptr);
  EXPECT_NE(SkipReasonForPath("exportedlogs/aws-logs-write-test"), nullptr);
  EXPECT_EQ(SkipReasonForPath("AWSLogs/1/CloudTrail/us-east-1/2023/07/10/1_CloudTrail_us-east-1_x.json.gz"), nullptr);
  EXPECT_EQ(SkipReasonForPath("my-CloudTrail-Digest-notes.txt"), nullptr);
  EXPECT_EQ(ExportStreamFromPath("exportedlogs/task/218007301253_CloudTrail_us-east-1/000000.gz"),
            "218007301253_CloudTrail_us-east-1");
  EXPECT_EQ(ExportStreamFromPath("logs/x.gz"), "");
  EXPECT_NE(BinaryReason(std::string("PK\x03\x04", 4)), nullptr);
  EXPECT_EQ(BinaryReason("{\"a\":1}"), nullptr);
}

}  // namespace
}  // namespace trailwatch::engine::input
