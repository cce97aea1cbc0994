// reader_formats_test.cc: every input format, on the real data in tests/data/cloudtrail and the fixtures in
// tests/data/formats — record counts, messages, shapes, formats, timestamps, streams, skipped files.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/input/reader.h"
#include "tests/engine/reader_test_util.h"

namespace trailwatch::engine {
namespace {

using testing::kS3File63;
using testing::CollectingSink;
using testing::DataPath;
using testing::ExpectStatsMatchSink;
using testing::IsCompact;
using testing::Lines;
using testing::Read;
using testing::ReadFileBytes;
using testing::TempDir;
using testing::WriteFileBytes;

constexpr const char* kS3 = "cloudtrail/s3";

size_t CountContaining(const CollectingSink& sink, const std::string& needle) {
  size_t n = 0;
  for (const auto& r : sink.records) n += r.message.find(needle) != std::string::npos;
  return n;
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(ReaderFormatsTest, S3LayoutGzipDirectory) {
  CollectingSink sink;
  const InputStats stats = Read({DataPath(kS3)}, sink);
  EXPECT_EQ(sink.problems.size(), 0u) << sink.ProblemText();
  EXPECT_EQ(stats.files, 55u);
  EXPECT_EQ(stats.records, 2900u);
  EXPECT_EQ(stats.by_file.size(), 55u);
  ASSERT_EQ(sink.records.size(), 2900u);
  for (const auto& f : stats.by_file) EXPECT_EQ(f.format, InputFormat::kCloudTrailFile) << f.file;
  EXPECT_TRUE(std::is_sorted(stats.by_file.begin(), stats.by_file.end(),
                             [](const FileStats& a, const FileStats& b) { return a.file < b.file; }));
  for (const auto& r : sink.records) {
    EXPECT_EQ(r.shape, RecordShape::kCloudTrailRecord);
    EXPECT_EQ(r.format, InputFormat::kCloudTrailFile);
    EXPECT_EQ(r.line, 1u);
  }
  EXPECT_EQ(CountContaining(sink, "\"eventName\":\"ConsoleLogin\""), 2u);
  ExpectStatsMatchSink(stats, sink);
}

TEST(ReaderFormatsTest, S3RecordMessageIsTheCompactRecord) {
  // records.ndjson holds the first 1,000 records of the same files, one compact record per line.
  CollectingSink sink;
  Read({DataPath(kS3)}, sink);
  const std::vector<std::string> expected = Lines(ReadFileBytes(DataPath("cloudtrail/records.ndjson")));
  ASSERT_EQ(expected.size(), 1000u);
  ASSERT_GE(sink.records.size(), 1000u);
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(sink.records[i].message, expected[i]);
  }
}

TEST(ReaderFormatsTest, S3RecordOffsetsPointIntoTheDecompressedFile) {
  CollectingSink sink;
  Read({DataPath(kS3File63)}, sink);
  ASSERT_EQ(sink.records.size(), 63u);
  const std::string text = testing::Gunzip(ReadFileBytes(DataPath(kS3File63)));
  for (size_t i = 0; i < sink.records.size(); ++i) {
    const auto& r = sink.records[i];
    EXPECT_EQ(r.index, i);
    EXPECT_EQ(text.substr(r.offset, r.message.size()), r.message);  // the message is the slice itself
    EXPECT_TRUE(IsCompact(r.message));
  }
  EXPECT_EQ(sink.records[0].offset, 12u);  // right after {"Records":[
}

TEST(ReaderFormatsTest, ConsoleLoginFixtures) {
  CollectingSink s3, ndjson, eventbridge;
  Read({DataPath("cloudtrail/consolelogin/s3-layout")}, s3);
  Read({DataPath("cloudtrail/consolelogin/records.ndjson")}, ndjson);
  Read({DataPath("cloudtrail/consolelogin/eventbridge.ndjson")}, eventbridge);
  EXPECT_EQ(s3.records.size(), 15u);
  EXPECT_EQ(ndjson.records.size(), 15u);
  EXPECT_EQ(eventbridge.records.size(), 15u);
  EXPECT_EQ(CountContaining(s3, "\"eventName\":\"ConsoleLogin\""), 14u);
  EXPECT_EQ(CountContaining(ndjson, "\"eventName\":\"ConsoleLogin\""), 14u);
  EXPECT_EQ(Sorted(s3.Messages()), Sorted(ndjson.Messages()));
  for (const auto& r : ndjson.records) {
    EXPECT_EQ(r.format, InputFormat::kNdjson);
    EXPECT_EQ(r.shape, RecordShape::kCloudTrailRecord);
  }
  for (size_t i = 0; i < eventbridge.records.size(); ++i) {
    EXPECT_EQ(eventbridge.records[i].shape, RecordShape::kEventBridgeEvent);
    EXPECT_EQ(eventbridge.records[i].line, i + 1);
  }
  EXPECT_TRUE(s3.problems.empty() && ndjson.problems.empty() && eventbridge.problems.empty());
}

TEST(ReaderFormatsTest, StratusPrettyArrays) {
  CollectingSink sink;
  const InputStats stats = Read({DataPath("cloudtrail/stratus")}, sink);
  EXPECT_TRUE(sink.problems.empty()) << sink.ProblemText();
  ASSERT_EQ(stats.files, 6u);
  EXPECT_EQ(sink.records.size(), 10u);
  const std::vector<uint64_t> per_file{1, 1, 3, 1, 1, 3};  // sorted by name (bytes)
  for (size_t i = 0; i < per_file.size(); ++i) EXPECT_EQ(stats.by_file[i].records, per_file[i]) << i;
  for (const auto& r : sink.records) {
    EXPECT_EQ(r.format, InputFormat::kJsonArray);
    EXPECT_EQ(r.shape, RecordShape::kCloudTrailRecord);
    EXPECT_TRUE(IsCompact(r.message)) << r.message;  // minified from the pretty-printed array
    EXPECT_GE(r.line, 2u);
  }
  EXPECT_EQ(sink.records[0].line, 2u);  // "[" then "   {"
  EXPECT_EQ(CountContaining(sink, "\"eventName\":\"ConsoleLogin\""), 1u);
  // Pretty-printing gone, content intact: the records parse to the same values as the file's elements.
  simdjson::dom::parser parser;
  simdjson::dom::element file = parser.load(DataPath("cloudtrail/stratus/aws.initial-access.console-login-without-mfa.json"));
  EXPECT_EQ(simdjson::minify(file.at(0)), sink.records[6].message);
}

TEST(ReaderFormatsTest, RecordsNdjson) {
  CollectingSink sink;
  const InputStats stats = Read({DataPath("cloudtrail/records.ndjson")}, sink);
  ASSERT_EQ(sink.records.size(), 1000u);
  EXPECT_TRUE(sink.problems.empty());
  EXPECT_EQ(stats.by_file[0].format, InputFormat::kNdjson);
  const std::string text = ReadFileBytes(DataPath("cloudtrail/records.ndjson"));
  for (size_t i = 0; i < sink.records.size(); ++i) {
    EXPECT_EQ(sink.records[i].line, i + 1);
    EXPECT_EQ(text.substr(sink.records[i].offset, sink.records[i].message.size()), sink.records[i].message);
  }
}

TEST(ReaderFormatsTest, MalformedCloudTrailFileIsSalvaged) {
  CollectingSink sink;
  const std::string path = DataPath("cloudtrail/malformed/aws.execution.ec2-user-data.json");
  const InputStats stats = Read({path}, sink);
  ASSERT_EQ(sink.records.size(), 1u);  // the record before the missing comma
  EXPECT_EQ(sink.records[0].format, InputFormat::kCloudTrailFile);
  EXPECT_TRUE(IsCompact(sink.records[0].message));
  EXPECT_NE(sink.records[0].message.find("\"eventName\":\"StopInstances\""), std::string::npos);
  ASSERT_EQ(sink.problems.size(), 1u);
  const InputProblem& p = sink.problems[0];
  EXPECT_EQ(p.kind, ProblemKind::kMalformedJson);
  EXPECT_EQ(p.file, path);
  EXPECT_EQ(p.line, 112u);  // python: "Expecting ',' delimiter: line 112"
  const std::string text = ReadFileBytes(path);
  EXPECT_EQ(text[p.offset], '{');
  EXPECT_EQ(std::count(text.begin(), text.begin() + static_cast<long>(p.offset), '\n'), 111);
  EXPECT_EQ(stats.malformed, 1u);
  ExpectStatsMatchSink(stats, sink);
}

TEST(ReaderFormatsTest, FilterLogEvents) {
  CollectingSink sink;
  const InputStats stats = Read({DataPath("formats/filter-log-events.json")}, sink);
  EXPECT_TRUE(sink.problems.empty()) << sink.ProblemText();
  ASSERT_EQ(sink.records.size(), 63u);
  EXPECT_EQ(stats.by_file[0].format, InputFormat::kFilterLogEvents);
  for (const auto& r : sink.records) {
    EXPECT_EQ(r.format, InputFormat::kFilterLogEvents);
    EXPECT_EQ(r.shape, RecordShape::kCloudTrailRecord);
    EXPECT_EQ(r.log_stream, "218007301253_CloudTrail_us-east-1");
    EXPECT_GT(r.timestamp_ms, 1688900000000);
  }
  EXPECT_EQ(sink.records[0].timestamp_ms, 1688992045319);
  EXPECT_EQ(sink.records[1].index, 1u);
  EXPECT_EQ(sink.records[0].line, 3u);  // the events[0] object starts on line 3
}

TEST(ReaderFormatsTest, GetLogEventsHasNoStream) {
  CollectingSink sink;
  Read({DataPath("formats/get-log-events.json")}, sink);
  ASSERT_EQ(sink.records.size(), 63u);
  EXPECT_TRUE(sink.records[0].log_stream.empty());
  EXPECT_EQ(sink.records[0].timestamp_ms, 1688992045319);
}

TEST(ReaderFormatsTest, LogsTailDetailed) {
  CollectingSink sink;
  const InputStats stats = Read({DataPath("formats/aws-logs-tail-detailed.txt")}, sink);
  ASSERT_EQ(sink.records.size(), 63u);
  EXPECT_EQ(stats.by_file[0].format, InputFormat::kLogsTail);
  EXPECT_EQ(sink.records[0].timestamp_ms, 1688992045319);
  EXPECT_EQ(sink.records[0].log_stream, "218007301253_CloudTrail_us-east-1");
  EXPECT_EQ(sink.records[0].shape, RecordShape::kCloudTrailRecord);
  EXPECT_EQ(sink.records[62].line, 63u);
}

TEST(ReaderFormatsTest, CloudWatchLogsExportDirectory) {
  CollectingSink sink;
  const InputStats stats = Read({DataPath("formats/cloudwatch-logs-export-to-s3")}, sink);
  ASSERT_EQ(sink.records.size(), 63u);
  EXPECT_EQ(stats.files, 2u);
  EXPECT_EQ(stats.skipped, 1u);  // aws-logs-write-test
  ASSERT_EQ(sink.problems.size(), 1u);
  EXPECT_EQ(sink.problems[0].kind, ProblemKind::kSkippedFile);
  for (const auto& r : sink.records) {
    EXPECT_EQ(r.format, InputFormat::kCwlExport);
    EXPECT_EQ(r.log_stream, "218007301253_CloudTrail_us-east-1");  // from the export layout
    EXPECT_EQ(r.shape, RecordShape::kCloudTrailRecord);
  }
  EXPECT_EQ(sink.records[0].timestamp_ms, 1688992045319);
  ExpectStatsMatchSink(stats, sink);
}

TEST(ReaderFormatsTest, SameRecordsThroughEveryCloudWatchLogsFormat) {
  // The fixtures wrap the same 63 CloudTrail records: every reader must deliver identical messages.
  CollectingSink fle, gle, tail, exported, firehose, decoded, lambda;
  Read({DataPath("formats/filter-log-events.json")}, fle);
  Read({DataPath("formats/get-log-events.json")}, gle);
  Read({DataPath("formats/aws-logs-tail-detailed.txt")}, tail);
  Read({DataPath("formats/cloudwatch-logs-export-to-s3")}, exported);
  Read({DataPath("formats/firehose-s3-object.gz")}, firehose);
  Read({DataPath("formats/decoded-data-message.json")}, decoded);
  Read({DataPath("formats/lambda-event.json")}, lambda);
  const auto expected = fle.Messages();
  ASSERT_EQ(expected.size(), 63u);
  EXPECT_EQ(gle.Messages(), expected);
  EXPECT_EQ(tail.Messages(), expected);
  EXPECT_EQ(exported.Messages(), expected);
  EXPECT_EQ(Sorted(firehose.Messages()), Sorted(expected));
  EXPECT_EQ(decoded.Messages(), lambda.Messages());
  ASSERT_EQ(decoded.records.size(), 31u);
  for (const auto& m : decoded.Messages()) EXPECT_NE(std::find(expected.begin(), expected.end(), m), expected.end());
}

TEST(ReaderFormatsTest, SubscriptionPayloads) {
  CollectingSink decoded, lambda, firehose;
  Read({DataPath("formats/decoded-data-message.json")}, decoded);
  Read({DataPath("formats/lambda-event.json")}, lambda);
  const InputStats fs = Read({DataPath("formats/firehose-s3-object.gz")}, firehose);
  for (const CollectingSink* s : {&decoded, &lambda, &firehose}) {
    EXPECT_TRUE(s->problems.empty()) << s->ProblemText();
    for (const auto& r : s->records) {
      EXPECT_EQ(r.format, InputFormat::kSubscription);
      EXPECT_EQ(r.log_group, "aws-cloudtrail-logs-218007301253-0f1e2d3c");
      EXPECT_EQ(r.log_stream, "218007301253_CloudTrail_us-east-1");
      EXPECT_EQ(r.shape, RecordShape::kCloudTrailRecord);
      EXPECT_GT(r.timestamp_ms, 0);
    }
  }
  EXPECT_EQ(decoded.records.size(), 31u);
  EXPECT_EQ(lambda.records.size(), 31u);
  EXPECT_EQ(firehose.records.size(), 63u);  // 31 + 32, two gzip members, {...}{...}
  EXPECT_EQ(fs.records, 63u);
  EXPECT_EQ(firehose.records[31].index, 0u);  // first event of the second payload
}

TEST(ReaderFormatsTest, ControlMessageIsSkippedAndCounted) {
  CollectingSink sink;
  const InputStats stats = Read({DataPath("formats/control-message-lambda-event.json")}, sink);
  EXPECT_TRUE(sink.records.empty());
  EXPECT_TRUE(sink.problems.empty());
  EXPECT_EQ(stats.skipped, 1u);
  EXPECT_EQ(stats.by_file[0].skipped, 1u);
}

TEST(ReaderFormatsTest, EventBridgeFormats) {
  CollectingSink ndjson, target;
  Read({DataPath("formats/eventbridge-events.ndjson")}, ndjson);
  Read({DataPath("formats/eventbridge-rule-target-filter-log-events.json")}, target);
  ASSERT_EQ(ndjson.records.size(), 20u);
  ASSERT_EQ(target.records.size(), 3u);
  for (const auto& r : ndjson.records) {
    EXPECT_EQ(r.shape, RecordShape::kEventBridgeEvent);
    EXPECT_EQ(r.format, InputFormat::kNdjson);
  }
  for (const auto& r : target.records) {
    EXPECT_EQ(r.shape, RecordShape::kEventBridgeEvent);
    EXPECT_EQ(r.format, InputFormat::kFilterLogEvents);
    EXPECT_NE(r.message.find("\"detail-type\":\"AWS Console Sign In via CloudTrail\""), std::string::npos);
  }
}

TEST(ReaderFormatsTest, LookupEvents) {
  CollectingSink sink;
  Read({DataPath("formats/lookup-events.json")}, sink);
  ASSERT_EQ(sink.records.size(), 3u);
  const auto lines = Lines(ReadFileBytes(DataPath("cloudtrail/records.ndjson")));
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(sink.records[i].message, lines[i]);  // the decoded CloudTrailEvent string
    EXPECT_EQ(sink.records[i].format, InputFormat::kLookupEvents);
    EXPECT_EQ(sink.records[i].shape, RecordShape::kCloudTrailRecord);
  }
}

TEST(ReaderFormatsTest, MixedInputsAddUp) {
  CollectingSink sink;
  const InputStats stats =
      Read({DataPath("cloudtrail/records.ndjson"), DataPath("cloudtrail/stratus"), DataPath(kS3File63),
            DataPath("formats/lambda-event.json"), DataPath("formats/cloudwatch-logs-export-to-s3")},
           sink);
  EXPECT_EQ(stats.records, 1000u + 10u + 63u + 31u + 63u);
  EXPECT_EQ(stats.files, 1u + 6u + 1u + 1u + 2u);
  EXPECT_EQ(stats.skipped, 1u);
  EXPECT_EQ(sink.records.front().format, InputFormat::kNdjson);
  EXPECT_EQ(sink.records.back().format, InputFormat::kCwlExport);
  ExpectStatsMatchSink(stats, sink);
}

TEST(ReaderFormatsTest, DigestAndInsightFilesAreSkipped) {
  TempDir dir;
  const std::string gz = ReadFileBytes(DataPath(kS3File63));
  const std::string digest_path = dir.Path(
      "AWSLogs/1/CloudTrail-Digest/us-east-1/2023/07/10/1_CloudTrail-Digest_us-east-1_t_us-east-1_20230710T1300Z.json.gz");
  WriteFileBytes(digest_path, gz);
  WriteFileBytes(dir.Path("AWSLogs/1/CloudTrail-Insight/us-east-1/2023/07/10/x.json.gz"), gz);
  WriteFileBytes(dir.Path("AWSLogs/1/CloudTrail/us-east-1/2023/07/10/x.json.gz"), gz);
  // A digest found by content only (no tell-tale path).
  WriteFileBytes(dir.Path("digest-by-content.json"),
                 testing::Gzip(R"({"awsAccountId":"1","digestStartTime":"2023-07-10T12:00:00Z",)"
                               R"("digestEndTime":"2023-07-10T13:00:00Z","digestS3Bucket":"b","logFiles":[]})"));
  CollectingSink sink;
  const InputStats stats = Read({dir.path()}, sink);
  EXPECT_EQ(stats.records, 63u);
  EXPECT_EQ(stats.files, 4u);
  EXPECT_EQ(stats.skipped, 3u);
  EXPECT_EQ(sink.Count(ProblemKind::kSkippedFile), 3u);
  ExpectStatsMatchSink(stats, sink);
}

TEST(ReaderFormatsTest, PrettySingleDocumentsAndPythonStyleNdjson) {
  TempDir dir;
  const auto lines = Lines(ReadFileBytes(DataPath("cloudtrail/records.ndjson")));
  // json.dumps(record) default separators: ", " and ": ".
  simdjson::dom::parser parser;
  std::string python_style, pretty;
  for (size_t i = 0; i < 3; ++i) {
    std::string spaced;
    bool in_string = false, escape = false;
    for (char c : lines[i]) {
      spaced.push_back(c);
      if (escape) { escape = false; continue; }
      if (c == '\\') { escape = in_string; continue; }
      if (c == '"') in_string = !in_string;
      if (!in_string && (c == ',' || c == ':')) spaced.push_back(' ');
    }
    python_style += spaced + "\n";
    pretty += "{\n  \"wrapped\": false,\n  \"eventVersion\": \"1.08\",\n  \"n\": " + std::to_string(i) + "\n}\n";
  }
  WriteFileBytes(dir.Path("python.ndjson"), python_style);
  WriteFileBytes(dir.Path("pretty.json"), pretty);
  CollectingSink py, pr;
  Read({dir.Path("python.ndjson")}, py);
  Read({dir.Path("pretty.json")}, pr);
  ASSERT_EQ(py.records.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(py.records[i].message, lines[i]);  // minified back
  ASSERT_EQ(pr.records.size(), 3u) << pr.ProblemText();
  EXPECT_EQ(pr.records[1].message, "{\"wrapped\":false,\"eventVersion\":\"1.08\",\"n\":1}");
  EXPECT_EQ(pr.records[1].format, InputFormat::kJsonDocument);
  EXPECT_EQ(pr.records[1].shape, RecordShape::kCloudTrailRecord);
  EXPECT_EQ(pr.records[1].line, 6u);
}

TEST(ReaderFormatsTest, PlainTextLines) {
  TempDir dir;
  WriteFileBytes(dir.Path("app.log"), "\xEF\xBB\xBFhello world\n\nsecond line\r\n{\"level\":\"info\"}\nlast");
  CollectingSink sink;
  const InputStats stats = Read({dir.Path("app.log")}, sink);
  ASSERT_EQ(sink.records.size(), 4u);
  EXPECT_EQ(sink.records[0].message, "hello world");
  EXPECT_EQ(sink.records[1].message, "second line");
  EXPECT_EQ(sink.records[1].line, 3u);
  EXPECT_EQ(sink.records[2].shape, RecordShape::kJson);  // a JSON line in a text file: still a text record
  EXPECT_EQ(sink.records[2].format, InputFormat::kText);
  EXPECT_EQ(sink.records[3].message, "last");
  EXPECT_EQ(stats.by_file[0].format, InputFormat::kText);
  EXPECT_TRUE(sink.problems.empty());
}

TEST(ReaderFormatsTest, NoExpandPassesDocumentsThrough) {
  CollectingSink sink;
  ReaderOptions options;
  options.expand_containers = false;
  Read({DataPath("formats/lookup-events.json"), DataPath("cloudtrail/consolelogin/records.ndjson")}, sink, options);
  ASSERT_EQ(sink.records.size(), 1u + 15u);
  EXPECT_EQ(sink.records[0].format, InputFormat::kJsonDocument);
  EXPECT_TRUE(IsCompact(sink.records[0].message));
  EXPECT_EQ(sink.records[0].message.rfind("{\"Events\":[", 0), 0u);
}

TEST(ReaderFormatsTest, ReadMemoryEqualsReadingTheFile) {
  const std::string gz = ReadFileBytes(DataPath(kS3File63));
  CollectingSink from_file, from_memory, from_padded;
  Read({DataPath(kS3File63)}, from_file);
  ReadMemory("mem.json.gz", gz, ReaderOptions(), from_memory);
  std::string padded = gz + std::string(kReadMemoryPadding, '\0');
  ReadMemory("mem.json.gz", std::string_view(padded.data(), gz.size()), ReaderOptions(), from_padded, true);
  EXPECT_EQ(from_memory.Messages(), from_file.Messages());
  EXPECT_EQ(from_padded.Messages(), from_file.Messages());
  EXPECT_EQ(from_memory.records[0].file, "mem.json.gz");
}

TEST(ReaderFormatsTest, SinkCanStopTheReading) {
  CollectingSink sink;
  sink.stop_after = 5;
  const InputStats stats = Read({DataPath(kS3), DataPath("cloudtrail/records.ndjson")}, sink);
  EXPECT_EQ(sink.records.size(), 5u);
  EXPECT_EQ(stats.records, 5u);
  EXPECT_EQ(stats.files, 1u);
}

}  // namespace
}  // namespace trailwatch::engine
