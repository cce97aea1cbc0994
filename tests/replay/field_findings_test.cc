// field_findings_test.cc: the misspelled-field and absent-field findings (engine/routing/fields.h): a field
// a metric filter reads that no JSON message of its log group had becomes a finding naming the nearest
// field that existed — one case per rule (letter case, edit distance, nested paths, wildcards, metric
// values and dimensions, NOT EXISTS, duplicate keys, escaped keys, a field seen once deep in the input),
// the same findings in every split (threads, fast paths off, stream and batch), and none without findings.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "engine/input/reader.h"
#include "engine/routing/fields.h"
#include "engine/routing/replay.h"
#include "engine/setup/sources.h"
#include "patterns/common/nearest.h"
#include "tests/support/temp_path.h"

namespace trailwatch::engine {
namespace {

using Json = nlohmann::ordered_json;

std::string WriteLines(const std::string& name, const std::vector<std::string>& lines) {
  const std::string path = trailwatch::test_support::UniqueTempPath(name);
  std::ofstream out(path);
  for (const std::string& l : lines) out << l << "\n";
  return path;
}

// One log group, /app, with one metric filter `F` of `pattern` (and `value`, `dimension` as MetricValue
// and a dimension when given).
std::string LogSetup(const std::string& pattern, const std::string& value = "'1'", const std::string& dimension = "") {
  return "Account: \"111122223333\"\n"
         "Region: us-east-1\n"
         "Resources:\n"
         "  Logs:\n"
         "    Type: AWS::Logs::LogGroup\n"
         "    Properties: {LogGroupName: /app}\n"
         "  F:\n"
         "    Type: AWS::Logs::MetricFilter\n"
         "    Properties:\n"
         "      FilterName: F\n"
         "      LogGroupName: /app\n"
         "      FilterPattern: '" + pattern + "'\n"
         "      MetricTransformations: [{MetricName: M, MetricNamespace: Test, MetricValue: " + value +
         (dimension.empty() ? "" : ", Dimensions: [{Key: d, Value: " + dimension + "}]") + "}]\n";
}

std::unique_ptr<Replay> Make(const std::string& setup_yaml, ReplayOptions options) {
  auto setup = LoadSetupText(setup_yaml, "setup.yaml");
  EXPECT_TRUE(setup.ok()) << (setup.ok() ? "" : setup.error().message);
  if (!setup.ok()) return nullptr;
  options.log_group = "/app";
  std::vector<ReplayError> errors;
  auto replay = Replay::Create(setup.value(), options, &errors);
  EXPECT_TRUE(replay.ok()) << (errors.empty() ? "" : errors[0].resource + ": " + errors[0].diagnostic.message);
  if (!replay.ok()) return nullptr;
  return std::move(replay).value();
}

Json RunFields(const std::string& setup_yaml, const std::vector<std::string>& paths, ReplayOptions options = {}) {
  auto replay = Make(setup_yaml, options);
  if (!replay) return Json();
  return ToJson(replay->Run(paths));
}

std::vector<Json> FieldFindings(const Json& r) {
  std::vector<Json> out;
  for (const auto& f : r["findings"]) {
    if (f["kind"] == "misspelled-field" || f["kind"] == "absent-field") out.push_back(f);
  }
  return out;
}

// A CloudTrail-like message (compact, as a log group holds it).
std::string Message(const std::string& name, const std::string& extra = "") {
  return R"({"eventVersion":"1.08","userIdentity":{"type":"IAMUser","userName":"alice"},"eventTime":"2023-07-10T12:00:00Z",)"
         R"("eventName":")" + name + R"(","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.1",)"
         R"("responseElements":{"ConsoleLogin":"Success"},"resources":[{"ARN":"arn:aws:s3:::b","type":"AWS::S3::Bucket"}])" +
         extra + "}";
}

struct Case {
  std::string name;
  std::string pattern;
  std::vector<std::string> messages;
  std::string kind;     // "misspelled-field", "absent-field" or "" (no field finding)
  std::string message;  // a part of the finding's message
  std::string value = "'1'", dimension;
};

TEST(FieldFindingsTest, EachRule) {
  const std::vector<std::string> logins = {Message("ConsoleLogin"), Message("GetUser")};
  const std::vector<Case> cases = {
      {"letter case", "{ $.eventname = ConsoleLogin }", logins, "misspelled-field",
       "reads `$.eventname`, which none of the 2 JSON message(s) of the log group had; did you mean `$.eventName`?"},
      {"a transposition", "{ $.evnetName = ConsoleLogin }", logins, "misspelled-field", "did you mean `$.eventName`?"},
      {"nested: the rest of the path is kept", "{ $.userIdentity.Type = IAMUser }", logins, "misspelled-field",
       "did you mean `$.userIdentity.type`?"},
      {"a misspelled parent keeps the path below it", "{ $.useridentity.type = IAMUser }", logins, "misspelled-field",
       "did you mean `$.userIdentity.type`?"},
      {"under a wildcard", "{ $.resources[*].arn = \"arn:*\" }", logins, "misspelled-field",
       "did you mean `$.resources[*].ARN`?"},
      {"nothing near: the deepest part that exists", "{ $.userIdentity.sessionContext.mfaAuthenticated = true }",
       logins, "absent-field", "reads `$.userIdentity.sessionContext.mfaAuthenticated`, which none of the 2 JSON "
       "message(s) of the log group had (`$.userIdentity` exists)"},
      {"nothing at all", "{ $.additionalEventData.MFAUsed != Yes }", logins, "absent-field",
       "reads `$.additionalEventData.MFAUsed`, which none of the 2 JSON message(s) of the log group had"},
      {"a field some message has", "{ $.errorCode = AccessDenied }",
       {Message("GetUser"), Message("GetUser", R"(,"errorCode":"AccessDenied")")}, "", ""},
      {"a null value exists", "{ $.errorCode IS NULL }", {Message("GetUser", R"(,"errorCode":null)")}, "", ""},
      {"read only by NOT EXISTS: absence is what it asks", "{ $.errorCode NOT EXISTS }", logins, "", ""},
      {"NOT EXISTS of a near name", "{ $.eventname NOT EXISTS }", logins, "misspelled-field",
       "did you mean `$.eventName`?"},
      {"the last of duplicate keys wins", "{ $.a.b = 1 }", {R"({"a":{"b":1},"a":2})"}, "absent-field",
       "(`$.a` exists)"},
      {"an index past the end", "{ $.resources[1].ARN = * }", logins, "absent-field", "(`$.resources` exists)"},
      {"a metric value", "{ $.eventName = ConsoleLogin }", logins, "misspelled-field",
       "reads `$.additionalEventData.bytesTransferedIn`, which none of the 2 JSON message(s) of the log group had; "
       "did you mean `$.additionalEventData.bytesTransferredIn`?", "$.additionalEventData.bytesTransferedIn"},
      {"a dimension", "{ $.eventName = ConsoleLogin }", logins, "misspelled-field",
       "did you mean `$.sourceIPAddress`?", "'1'", "$.sourceIpAddress"},
      {"text messages have no fields", "{ $.eventname = ConsoleLogin }", {"ConsoleLogin by alice", "GetUser"}, "", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::string> messages = c.messages;
    if (c.name == "a metric value") messages[0] = Message("ConsoleLogin", R"(,"additionalEventData":{"bytesTransferredIn":12})");
    const std::string path = WriteLines("fields.ndjson", messages);
    const Json r = RunFields(LogSetup(c.pattern, c.value, c.dimension), {path});
    const std::vector<Json> found = FieldFindings(r);
    if (c.kind.empty()) {
      EXPECT_TRUE(found.empty()) << r["findings"].dump(1);
      continue;
    }
    ASSERT_EQ(found.size(), 1u) << r["findings"].dump(1);
    EXPECT_EQ(found[0]["kind"], c.kind);
    EXPECT_NE(found[0]["message"].get<std::string>().find(c.message), std::string::npos) << found[0]["message"];
    EXPECT_EQ(found[0]["severity"], c.kind == "misspelled-field" ? "medium" : "low");
  }
}

TEST(FieldFindingsTest, TheExampleShowsWhereTheNearKeyIs) {
  const std::string path = WriteLines("example.ndjson", {"plain text", Message("ConsoleLogin")});
  const Json r = RunFields(LogSetup("{ $.eventname = ConsoleLogin }"), {path});
  const std::vector<Json> found = FieldFindings(r);
  ASSERT_EQ(found.size(), 1u);
  ASSERT_EQ(found[0]["examples"].size(), 1u);
  EXPECT_EQ(found[0]["examples"][0]["line"], 2);
  EXPECT_EQ(found[0]["examples"][0]["detail"], "has `$.eventName`");
  EXPECT_EQ(found[0]["count"], 1);  // the JSON messages the log group received
}

// The literal test must never rule out a message that has the field: a field present in one message deep in
// the input (outside the sample), or only under an escaped key, is found and gives no finding.
TEST(FieldFindingsTest, AFieldSeenOnceIsSeen) {
  std::vector<std::string> lines;
  for (int i = 0; i < 2000; ++i) lines.push_back(Message(i % 2 ? "GetUser" : "ListUsers"));
  std::vector<std::string> once = lines, escaped = lines;
  once[1500] = Message("ConsoleLogin", R"(,"additionalEventData":{"MFAUsed":"No"})");
  escaped[1700] = Message("ConsoleLogin", R"(,"additionalEventData":{"MFA\u0055sed":"No"})");
  for (const auto& [name, input] : {std::pair{"once", once}, std::pair{"escaped", escaped}}) {
    SCOPED_TRACE(name);
    for (bool fast : {true, false}) {
      ReplayOptions o;
      o.fast_paths.prefilter = fast;
      const Json r = RunFields(LogSetup("{ $.additionalEventData.MFAUsed != Yes }"), {WriteLines("once.ndjson", input)}, o);
      EXPECT_TRUE(FieldFindings(r).empty()) << r["findings"].dump(1);
      EXPECT_EQ(r["metric_filters"][0]["matches"], 1);
    }
  }
  // Without it: the finding, counted over all 2000 messages.
  const Json r = RunFields(LogSetup("{ $.additionalEventData.MFAUsed != Yes }"), {WriteLines("none.ndjson", lines)});
  ASSERT_EQ(FieldFindings(r).size(), 1u);
  EXPECT_EQ(FieldFindings(r)[0]["count"], 2000);
}

// The same findings (near names and examples included) whatever the split of the input: threads, the
// literal test off, and a stream fed record by record.
TEST(FieldFindingsTest, TheSameInEverySplit) {
  std::vector<std::string> paths;
  for (int f = 0; f < 5; ++f) {
    std::vector<std::string> lines;
    for (int i = 0; i < 300; ++i) {
      // Near names of `$.requestParameters.bucketname` appear in a few records of some files only.
      const bool bucket = (i * 7 + f) % 97 == 0;
      lines.push_back(Message(i % 3 ? "GetUser" : "ConsoleLogin",
                              bucket ? R"(,"requestParameters":{"bucketName":"b","BucketName":"c"})"
                                     : R"(,"requestParameters":{"userName":"u)" + std::to_string(i) + R"("})"));
    }
    paths.push_back(WriteLines("split" + std::to_string(f) + ".ndjson", lines));
  }
  const std::string setup = LogSetup(
      "{ ($.eventname = ConsoleLogin) && ($.requestParameters.bucketname = b) && ($.userIdentity.sessionContext.x = 1) }");
  const Json base = RunFields(setup, paths);
  ASSERT_EQ(FieldFindings(base).size(), 3u) << base["findings"].dump(1);
  for (int threads : {2, 3, 5}) {
    ReplayOptions o;
    o.threads = threads;
    EXPECT_EQ(RunFields(setup, paths, o)["findings"], base["findings"]) << "threads " << threads;
  }
  ReplayOptions plain;
  plain.fast_paths.prefilter = false;
  EXPECT_EQ(RunFields(setup, paths, plain)["findings"], base["findings"]) << "literal test off";

  // A stream (as `tail` and `trailwatch test` feed it).
  auto replay = Make(setup, {});
  ASSERT_NE(replay, nullptr);
  auto stream = replay->OpenStream({});
  struct Sink : RecordSink {
    Replay::Stream* s;
    bool OnRecord(const InputRecord& r) override { return s->Feed(r); }
    void OnProblem(const InputProblem& p) override { s->Problem(p); }
  } sink;
  sink.s = stream.get();
  InputReader reader;
  const InputStats stats = reader.Read(paths, sink);
  Json streamed = ToJson(stream->Finish(stats));
  EXPECT_EQ(streamed["findings"], base["findings"]) << "stream";
}

TEST(FieldFindingsTest, NoneWithoutFindings) {
  ReplayOptions o;
  o.findings = false;
  const Json r = RunFields(LogSetup("{ $.eventname = ConsoleLogin }"), {WriteLines("off.ndjson", {Message("ConsoleLogin")})}, o);
  EXPECT_TRUE(FieldFindings(r).empty());
}

// The fast paths of fields.cc against their plain twins: ContainsLiteral against memmem on random texts
// of a small alphabet (so that near misses abound: every alignment and tail length), IsNearName against
// NearestName of one candidate.
TEST(FieldFindingsTest, FastPathsAgreeWithTheirTwins) {
  std::mt19937 rng(11);
  const std::string alphabet = "\"ab:{}";
  for (int round = 0; round < 20000; ++round) {
    std::string hay(rng() % 80, ' '), lit(1 + rng() % 7, ' ');
    for (char& c : hay) c = alphabet[rng() % alphabet.size()];
    for (char& c : lit) c = alphabet[rng() % alphabet.size()];
    if (rng() % 3 == 0 && hay.size() >= lit.size()) hay.replace(rng() % (hay.size() - lit.size() + 1), lit.size(), lit);
    const bool want = memmem(hay.data(), hay.size(), lit.data(), lit.size()) != nullptr;
    ASSERT_EQ(ContainsLiteral(hay, lit), want) << "hay " << hay << " literal " << lit;
  }
  const std::vector<std::string> names = {"eventName", "eventname", "evnetName", "eventNames", "event", "errorCode",
                                          "ConsoleLogin", "consolelogin", "x", "y", "ab", "ba", "MFAUsed", "MfaUsed"};
  for (const std::string& a : names) {
    for (const std::string& b : names) {
      EXPECT_EQ(IsNearName(a, b), NearestName(a, std::vector<std::string>{b}) == b) << a << " / " << b;
    }
  }
}

}  // namespace
}  // namespace trailwatch::engine
