// event_cloudtrail_test.cc: the CloudTrail envelope and rule states against real and wrapped data, and the
// story's rules (per-region forwarding of sign-ins, the central rule) on real records and wrapped events.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <zlib.h>

#include <filesystem>
#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/event/cloudtrail.h"
#include "engine/event/matcher.h"
#include "engine/input/reader.h"
#include "tests/event/event_test_util.h"

namespace trailwatch::engine {
namespace {

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

// Whole content of a gzip file (the tests do not depend on the input reader, rewritten elsewhere).
std::string Gunzip(const std::string& path) {
  std::string out;
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return out;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, n);
  gzclose(f);
  return out;
}

// Collects every record the reader delivers.
class Collect : public RecordSink {
 public:
  bool OnRecord(const InputRecord& r) override {
    records.push_back({std::string(r.message), r.shape});
    return true;
  }
  void OnProblem(const InputProblem& p) override { problems.push_back(p.message); }
  std::vector<std::pair<std::string, RecordShape>> records;
  std::vector<std::string> problems;
};

void ExpectSameEnvelope(const nlohmann::json& got, const nlohmann::json& want) {
  for (const char* key : {"version", "detail-type", "source", "account", "time", "region", "resources", "detail"}) {
    EXPECT_EQ(got[key], want[key]) << key;
  }
  // Same keys in the same order as AWS prints them.
  std::vector<std::string> got_keys, want_keys;
  for (auto it = got.begin(); it != got.end(); ++it) got_keys.push_back(it.key());
  for (auto it = want.begin(); it != want.end(); ++it) want_keys.push_back(it.key());
  EXPECT_EQ(got_keys.size(), want_keys.size());
}

TEST(CloudTrailEnvelopeTest, ConsoleLoginRecordsWrapLikeEventBridge) {
  const auto records = ReadLines(TW_TEST_DATA_DIR "/cloudtrail/consolelogin/records.ndjson");
  const auto events = ReadLines(TW_TEST_DATA_DIR "/cloudtrail/consolelogin/eventbridge.ndjson");
  ASSERT_EQ(records.size(), 15u);
  ASSERT_EQ(records.size(), events.size());
  for (size_t i = 0; i < records.size(); ++i) {
    SCOPED_TRACE("record " + std::to_string(i));
    std::string wrapped, error;
    ASSERT_TRUE(WrapCloudTrailRecord(records[i], &wrapped, &error)) << error;
    const auto got = nlohmann::ordered_json::parse(wrapped);
    const auto want = nlohmann::ordered_json::parse(events[i]);
    ExpectSameEnvelope(got, want);
    // Field order as AWS prints it.
    std::vector<std::string> keys;
    for (auto it = got.begin(); it != got.end(); ++it) keys.push_back(it.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"version", "id", "detail-type", "source", "account", "time", "region",
                                              "resources", "detail"}));
  }
}

TEST(CloudTrailEnvelopeTest, IdIsDeterministicUuid) {
  const auto records = ReadLines(TW_TEST_DATA_DIR "/cloudtrail/consolelogin/records.ndjson");
  std::string a, b, error;
  ASSERT_TRUE(WrapCloudTrailRecord(records[0], &a, &error));
  ASSERT_TRUE(WrapCloudTrailRecord(records[0], &b, &error));
  EXPECT_EQ(a, b);
  const std::string id = nlohmann::json::parse(a)["id"];
  // uuid5(NAMESPACE_URL, "trailwatch:cloudtrail:0b6dd308-a4c6-4528-bf93-97ee96c4b847"), Python's uuid module
  EXPECT_EQ(id, "00df97de-0295-5d1b-913c-a4e16d6219b8");
  std::string c;
  ASSERT_TRUE(WrapCloudTrailRecord(records[1], &c, &error));
  EXPECT_NE(nlohmann::json::parse(c)["id"], id);
}

// RFC 4122 version-5 UUIDs in the URL namespace, as Python's uuid.uuid5(uuid.NAMESPACE_URL, name) computes
// them; the lengths put the hashed bytes (16 + name) on every SHA-1 padding boundary (55/56, 63/64) and past
// one block.
TEST(CloudTrailEnvelopeTest, NameBasedUuidsAreRfc4122) {
  const std::pair<std::string, const char*> cases[] = {
      {"http://python.org/", "4c565f0d-3f5a-5890-b41b-20cf47701c5e"},
      {"", "1b4db7eb-4057-5ddf-91e0-36dec72071f5"},
      {std::string(39, 'a'), "615eac0e-03db-567b-8580-916c1aca1cc2"},
      {std::string(40, 'a'), "c5c985c8-6875-5a42-b6e3-2872703afed4"},
      {std::string(47, 'a'), "60100e11-180f-59cb-911f-bdb3aa734c9d"},
      {std::string(48, 'a'), "aa33c522-9edc-58a5-b5af-e2a12995886e"},
      {std::string(100, 'a'), "864949eb-2508-5b93-a1e7-0fe6ca888495"},
      {"trailwatch:cloudtrail:3e75f447-6fd2-4e39-bd26-9732ef237ab7", "18f8d9ff-e548-5229-ad8c-f4c28c46f7bd"},
  };
  for (const auto& [name, uuid] : cases) EXPECT_EQ(NameBasedUuid(name), uuid) << name.size();
}

TEST(CloudTrailEnvelopeTest, DetailTypesAndSources) {
  CloudTrailFacts f;
  f.event_source = "iam.amazonaws.com";
  f.event_type = "AwsApiCall";
  EXPECT_EQ(DetailTypeFor(f), "AWS API Call via CloudTrail");
  EXPECT_EQ(SourceFor(f), "aws.iam");
  f.event_type = "AwsConsoleSignIn";
  EXPECT_EQ(DetailTypeFor(f), "AWS Console Sign In via CloudTrail");
  f.event_type = "AwsConsoleAction";
  EXPECT_EQ(DetailTypeFor(f), "AWS Console Action via CloudTrail");
  f.event_type = "AwsServiceEvent";
  EXPECT_EQ(DetailTypeFor(f), "AWS Service Event via CloudTrail");
  f.event_type = "AwsCloudTrailInsight";
  EXPECT_EQ(DetailTypeFor(f), "AWS Insight via CloudTrail");
  f.event_source = "signin.amazonaws.com";
  EXPECT_EQ(SourceFor(f), "aws.signin");
}

TEST(CloudTrailRuleStateTest, ReadOnlyManagementEvents) {
  struct Case {
    const char* name;
    int read_only;
    bool enabled;  // delivered to an ENABLED rule
  };
  const Case cases[] = {
      {"DescribeInstances", 1, false}, {"GetUser", 1, false},          {"ListBuckets", 1, false},
      {"GetSessionToken", 1, true},    {"GetFederationToken", 1, true}, {"Decrypt", 1, true},
      {"LookupEvents", 1, true},       {"CreateRole", 0, true},         {"GetObjectThing", 0, true},
      {"DescribeThing", -1, false},    {"ConsoleLogin", 0, true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    CloudTrailFacts f;
    f.event_name = c.name;
    f.read_only = c.read_only;
    f.management = 1;
    EXPECT_EQ(DeliveredToRule(f, RuleState::kEnabled), c.enabled);
    EXPECT_TRUE(DeliveredToRule(f, RuleState::kEnabledWithAllCloudTrailManagementEvents));
    EXPECT_FALSE(DeliveredToRule(f, RuleState::kDisabled));
  }
  RuleState s;
  EXPECT_TRUE(ParseRuleState("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS", &s));
  EXPECT_EQ(s, RuleState::kEnabledWithAllCloudTrailManagementEvents);
  EXPECT_FALSE(ParseRuleState("enabled", &s));
}

// The 2,900 invictus records through a default-state rule: exactly the 867 events of the shared fixture, with
// the same envelopes.
TEST(CloudTrailRuleStateTest, DefaultStateReproducesFixtureSelection) {
  // The 55 S3 objects, {"Records":[...]} each, records re-serialised compactly.
  std::vector<std::pair<std::string, RecordShape>> records;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(TW_TEST_DATA_DIR "/cloudtrail/s3")) {
    if (e.path().extension() == ".gz") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 55u);
  for (const auto& file : files) {
    const auto doc = nlohmann::ordered_json::parse(Gunzip(file.string()));
    for (const auto& r : doc["Records"]) records.push_back({r.dump(), RecordShape::kCloudTrailRecord});
  }
  ASSERT_EQ(records.size(), 2900u);
  std::map<std::string, nlohmann::json> want;
  std::istringstream fixture(Gunzip(TW_TEST_DATA_DIR "/cloudtrail/eventbridge/cloudtrail-events.ndjson.gz"));
  std::string line;
  while (std::getline(fixture, line)) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line);
    want[j["detail"]["eventID"]] = j;
  }
  ASSERT_EQ(want.size(), 867u);
  size_t delivered = 0;
  for (const auto& [text, shape] : records) {
    EXPECT_EQ(shape, RecordShape::kCloudTrailRecord);
    CloudTrailFacts f;
    std::string error;
    ASSERT_TRUE(ReadCloudTrailFacts(text, &f, &error)) << error;
    const bool in_fixture = want.count(f.event_id) > 0;
    EXPECT_EQ(DeliveredToRule(f, RuleState::kEnabled), in_fixture) << f.event_name;
    EXPECT_TRUE(DeliveredToRule(f, RuleState::kEnabledWithAllCloudTrailManagementEvents));
    if (!in_fixture) continue;
    ++delivered;
    std::string wrapped;
    ASSERT_TRUE(WrapCloudTrailRecord(text, &wrapped, &error));
    SCOPED_TRACE(f.event_id);
    ExpectSameEnvelope(nlohmann::json::parse(wrapped), want[f.event_id]);
  }
  EXPECT_EQ(delivered, 867u);
}

// The story: a rule in every default region forwards sign-ins to the aggregator; there a central rule sends
// ConsoleLogin events to the log group. Both must match the wrapped events and not the raw records.
TEST(CloudTrailStoryTest, ForwardingAndCentralRules) {
  const char* forwarding = R"({"source":["aws.signin"],"detail-type":["AWS Console Sign In via CloudTrail"]})";
  const char* central =
      R"({"source":["aws.signin"],"detail-type":["AWS Console Sign In via CloudTrail"],)"
      R"("detail":{"eventSource":["signin.amazonaws.com"],"eventName":["ConsoleLogin"]}})";
  const char* failures =
      R"({"source":["aws.signin"],"detail":{"eventName":["ConsoleLogin"],"responseElements":{"ConsoleLogin":["Failure"]}}})";
  const char* failed_auth = R"({"detail":{"eventName":["ConsoleLogin"],"errorMessage":["Failed authentication"]}})";
  const char* root_or_no_mfa =
      R"({"detail":{"$or":[{"userIdentity":{"type":["Root"]}},{"additionalEventData":{"MFAUsed":["No"]}}]}})";
  std::vector<std::shared_ptr<const event::EventPattern>> patterns;
  for (const char* p : {forwarding, central, failures, failed_auth, root_or_no_mfa}) {
    auto parsed = event::ParseEventPattern(p);
    ASSERT_TRUE(parsed.ok()) << parsed.error().aws_message;
    patterns.push_back(std::make_shared<const event::EventPattern>(std::move(parsed).value()));
  }
  EventMatcher matcher(event::CompileRuleSet(patterns));
  EventScratch scratch;
  auto count = [&](const std::vector<std::string>& events, bool wrap) {
    std::vector<int> counts(patterns.size(), 0);
    for (const std::string& e : events) {
      std::string text = e, error;
      if (wrap) {
        EXPECT_TRUE(WrapCloudTrailRecord(e, &text, &error));
      }
      matcher.Evaluate(text, scratch);
      for (size_t i = 0; i < patterns.size(); ++i) {
        counts[i] += matcher.Matched(i, scratch);
        EXPECT_EQ(matcher.Matched(i, scratch), ReferenceMatchesText(*patterns[i], text));
      }
    }
    return counts;
  };
  const auto records = ReadLines(TW_TEST_DATA_DIR "/cloudtrail/consolelogin/records.ndjson");
  const auto events = ReadLines(TW_TEST_DATA_DIR "/cloudtrail/consolelogin/eventbridge.ndjson");
  // expected.json: 15 sign-in records, 14 ConsoleLogin, 6 failures, 4 "Failed authentication".
  EXPECT_EQ(count(events, false), (std::vector<int>{15, 14, 6, 4, 12}));
  EXPECT_EQ(count(records, true), (std::vector<int>{15, 14, 6, 4, 12}));
  EXPECT_EQ(count(records, false), (std::vector<int>{0, 0, 0, 0, 0}));
}

}  // namespace
}  // namespace trailwatch::engine
