// corpus_test.cc: the corpus generator (`trailwatch generate-corpus`, tools/corpus/) against trailwatch.
//
// A small corpus (2,000 records, a high match rate so every filter and rule has matches) is generated once;
// then, in all three output forms (records.ndjson, the S3 layout of .json.gz files, eventbridge.ndjson):
// `trailwatch grep -c` with each of the 16 benchmark filters, `trailwatch replay bench/setup16.json
// --log-group`, the EventMatcher with the 16 benchmark rules (in-process, over the reader's records,
// wrapped as EventBridge delivers them) and `trailwatch grep -c --event-pattern` with two of them, all give
// exactly the counts the generator computed by construction. The same seed
// gives byte-identical output; records parse, keep CloudTrail's key order and look like CloudTrail; the
// bench/ files the macro script uses are the ones the tests check.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "engine/event/cloudtrail.h"
#include "engine/event/matcher.h"
#include "engine/input/reader.h"
#include "patterns/event/compile.h"
#include "patterns/event/parser.h"
#include "tests/support/run_tool.h"
#include "tests/support/temp_path.h"
#include "tools/corpus/expected.h"
#include "tools/corpus/generator.h"

namespace trailwatch::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kSource = TW_SOURCE_DIR;
constexpr int kRecords = 2000;  // with a quarter injected, every filter and rule has matches

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Per process: CTest runs each test in its own process, possibly in parallel.
std::string TempPath(const std::string& name) { return test_support::UniqueTempPath(name); }

std::vector<std::string> GenerateArgs(const std::string& dir, const std::string& seed) {
  return {"generate-corpus", "--out-dir",   dir,  "--records", std::to_string(kRecords), "--seed", seed,
          "--duration",      "2h",          "--match-rate", "0.25", "--account", "123456789012", "-q"};
}

class CorpusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(TempPath("tw-corpus-test"));
    fs::remove_all(*dir_);
    const ToolResult r = RunTool(GenerateArgs(*dir_, "7"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expected_ = new json(json::parse(ReadFile(*dir_ + "/expected.json")));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete expected_;
  }

  static std::vector<std::string> Inputs() {
    return {*dir_ + "/records.ndjson", *dir_ + "/AWSLogs", *dir_ + "/eventbridge.ndjson"};
  }
  static bool IsEventBridge(const std::string& input) { return input.ends_with("eventbridge.ndjson"); }

  // The 16 benchmark filters, by FilterName, from the setup file the macro script replays.
  static std::vector<std::pair<std::string, std::string>> Filters() {
    const json setup = json::parse(ReadFile(kSource + "/bench/setup16.json"));
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [id, r] : setup["Resources"].items()) {
      if (r["Type"] == "AWS::Logs::MetricFilter") {
        out.emplace_back(r["Properties"]["FilterName"], r["Properties"]["FilterPattern"]);
      }
    }
    return out;
  }

  static inline std::string* dir_ = nullptr;
  static inline json* expected_ = nullptr;
};

TEST_F(CorpusTest, EveryFilterAndRuleHasMatches) {
  EXPECT_EQ((*expected_)["records"], kRecords);
  for (int i = 0; i < corpus::kFilterCount; ++i) {
    SCOPED_TRACE(corpus::FilterId(i));
    const json& f = (*expected_)["filters"][corpus::FilterId(i)];
    EXPECT_GT(f["records"].get<int>(), 0);
    // On EventBridge events only the $.detail halves of the story's filters can match.
    if (i < 14) EXPECT_EQ(f["eventbridge"].get<int>(), 0); else EXPECT_EQ(f["eventbridge"], f["records"]);
  }
  for (int i = 0; i < corpus::kRuleCount; ++i) {
    SCOPED_TRACE(corpus::RuleId(i));
    EXPECT_GT((*expected_)["rules"][corpus::RuleId(i)].get<int>(), 0);
  }
  const json& s = (*expected_)["sign_ins"];
  EXPECT_GT(s["unknown_user"].get<int>(), 0);
  EXPECT_GT(s["root"].get<int>(), 0);
  EXPECT_GT(s["check_mfa"].get<int>(), 0);
}

TEST_F(CorpusTest, BenchFilesAreTheCheckedOnes) {
  // bench/setup16.json holds CloudWatch.1-14 of tests/data/cis.json and the story's two seed filters.
  const json cis = json::parse(ReadFile(kSource + "/tests/data/cis.json"));
  std::map<std::string, std::string> want;
  for (const auto& c : cis) {
    if (c["id"].get<std::string>().starts_with("CloudWatch.")) want[c["id"]] = c["pattern"];
  }
  std::istringstream seeds(ReadFile(kSource + "/samples/console-login/filters.txt"));
  std::getline(seeds, want["ConsoleLoginSuccess"]);
  std::getline(seeds, want["ConsoleLoginFailure"]);
  const auto filters = Filters();
  ASSERT_EQ(filters.size(), 16u);
  for (const auto& [name, pattern] : filters) {
    SCOPED_TRACE(name);
    EXPECT_EQ(pattern, want[name]);
  }
  // bench/rules16.json is what the generator writes.
  EXPECT_EQ(ReadFile(kSource + "/bench/rules16.json"), corpus::RulesJson());
  EXPECT_EQ(ReadFile(*dir_ + "/rules16.json"), corpus::RulesJson());
}

TEST_F(CorpusTest, GrepCountsEqualExpectedInEveryForm) {
  for (const std::string& input : Inputs()) {
    for (const auto& [name, pattern] : Filters()) {
      SCOPED_TRACE(input + " " + name);
      const ToolResult r = RunTool({"grep", "-c", "--filter-pattern", pattern, input});
      ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
      const json& want = (*expected_)["filters"][name][IsEventBridge(input) ? "eventbridge" : "records"];
      EXPECT_EQ(std::stoll(r.out), want.get<int64_t>());
    }
  }
}

TEST_F(CorpusTest, ReplayLogGroupEqualsExpectedInEveryForm) {
  for (const std::string& input : Inputs()) {
    SCOPED_TRACE(input);
    const ToolResult r = RunTool({"replay", kSource + "/bench/setup16.json", "--log-group", "/bench/trail", input,
                                  "--threads", "2", "--no-findings", "-o", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json out = json::parse(r.out);
    EXPECT_EQ(out["input"]["records"], (*expected_)["records"]);
    EXPECT_EQ(out["input"]["malformed"], 0);
    ASSERT_EQ(out["metric_filters"].size(), 16u);
    for (const auto& f : out["metric_filters"]) {
      const std::string name = f["name"];
      SCOPED_TRACE(name);
      EXPECT_EQ(f["matches"], (*expected_)["filters"][name][IsEventBridge(input) ? "eventbridge" : "records"]);
    }
  }
}

// Counts, per rule, the events of `input` the EventMatcher matches; raw records are wrapped first, as
// EventBridge delivers them (engine::WrapCloudTrailRecord).
class RuleCountingSink : public engine::RecordSink {
 public:
  explicit RuleCountingSink(const engine::EventMatcher& matcher) : matcher_(matcher), counts(matcher.size(), 0) {}
  bool OnRecord(const engine::InputRecord& r) override {
    std::string_view message = r.message;
    if (r.shape == engine::RecordShape::kCloudTrailRecord) {
      std::string error;
      EXPECT_TRUE(engine::WrapCloudTrailRecord(message, &wrapped_, &error)) << error;
      message = wrapped_;
    }
    ++events;
    EXPECT_TRUE(matcher_.Evaluate(message, scratch_));
    for (size_t i = 0; i < counts.size(); ++i) counts[i] += matcher_.Matched(i, scratch_);
    return true;
  }
  void OnProblem(const engine::InputProblem& p) override { ADD_FAILURE() << p.message; }

 private:
  const engine::EventMatcher& matcher_;
  engine::EventScratch scratch_;
  std::string wrapped_;

 public:
  std::vector<int64_t> counts;
  int64_t events = 0;
};

TEST_F(CorpusTest, EventPatternCountsEqualExpectedInEveryForm) {
  const json rules = json::parse(ReadFile(kSource + "/bench/rules16.json"));
  ASSERT_EQ(rules.size(), 16u);
  // The matcher the EventBridge benchmark uses: all 16 rules in one compiled set, on every form.
  std::vector<std::shared_ptr<const event::EventPattern>> patterns;
  for (const auto& rule : rules) {
    auto p = event::ParseEventPattern(rule["pattern"].dump());
    ASSERT_TRUE(p.ok()) << rule["id"];
    patterns.push_back(std::make_shared<const event::EventPattern>(std::move(p).value()));
  }
  const engine::EventMatcher matcher(event::CompileRuleSet(patterns));
  for (const std::string& input : Inputs()) {
    SCOPED_TRACE(input);
    RuleCountingSink sink(matcher);
    engine::ReadInputs({input}, engine::ReaderOptions{}, sink);
    EXPECT_EQ(sink.events, (*expected_)["records"].get<int64_t>());
    for (size_t i = 0; i < 16; ++i) {
      SCOPED_TRACE(rules[i]["id"].get<std::string>());
      EXPECT_EQ(sink.counts[i], (*expected_)["rules"][rules[i]["id"].get<std::string>()].get<int64_t>());
    }
  }
  // And `trailwatch grep -c --event-pattern` (which wraps raw records itself), for the story's forwarding
  // rule and the $or rule, in every form.
  for (const std::string& input : Inputs()) {
    for (size_t i : {size_t{0}, size_t{6}}) {
      SCOPED_TRACE(input + " " + rules[i]["id"].get<std::string>());
      const ToolResult r = RunTool({"grep", "-c", "--event-pattern", rules[i]["pattern"].dump(), input});
      ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
      EXPECT_EQ(std::stoll(r.out), (*expected_)["rules"][rules[i]["id"].get<std::string>()].get<int64_t>());
    }
  }
}

// Issue 5's "same answers on every path": the replay, with the routing setup of the story (EventBridge rules
// in every Region: the event matcher's walk) and with the 16 benchmark filters on one log group (the literal
// prefilter), over every form of the corpus plus damaged inputs (a truncated gzip, a non-JSON line, a
// malformed record), gives byte-identical JSON with each fast path turned off (engine/fast_paths.h), with
// all of them off, and with two and three threads.
TEST_F(CorpusTest, ReplayIsTheSameOnEveryPath) {
  const std::string damaged = TempPath("tw-corpus-test-damaged");
  fs::remove_all(damaged);
  fs::create_directories(damaged);
  {
    // The first records of the corpus, then a non-JSON line and a record that is not an object.
    std::ifstream in(*dir_ + "/records.ndjson");
    std::ofstream out(damaged + "/lines.ndjson", std::ios::binary);
    std::string line;
    for (int i = 0; i < 50 && std::getline(in, line); ++i) out << line << "\n";
    out << "this is not JSON\n[1, 2]\n{\"eventVersion\": \"1.08\", \"eventName\": \n";
  }
  {
    // A .json.gz of the S3 layout, cut in the middle.
    std::vector<fs::path> gz;
    for (const auto& e : fs::recursive_directory_iterator(*dir_ + "/AWSLogs")) {
      if (e.is_regular_file() && e.path().string().ends_with(".json.gz")) gz.push_back(e.path());
    }
    ASSERT_FALSE(gz.empty());
    std::sort(gz.begin(), gz.end());
    const std::string bytes = ReadFile(gz.front());
    std::ofstream out(damaged + "/cut.json.gz", std::ios::binary);
    out << bytes.substr(0, bytes.size() / 2);
  }
  std::vector<std::string> inputs = Inputs();
  inputs.push_back(damaged);

  const std::vector<std::vector<std::string>> setups = {
      {"--template", kSource + "/samples/console-login/templates/central.yaml@us-east-1", "--template",
       kSource + "/samples/console-login/templates/forwarding.yaml@default", "--account", "123456789012"},
      {kSource + "/bench/setup16.json", "--log-group", "/bench/trail"},
  };
  struct Variant {
    std::string no_fast_paths;  // TRAILWATCH_NO_FAST_PATHS
    std::string threads;
  };
  const std::vector<Variant> variants = {{"prefilter", "1"}, {"walk", "1"},         {"whole-file", "1"},
                                         {"prefetch", "1"},  {"prefilter,walk,whole-file,prefetch", "1"},
                                         {"1", "1"},         {"", "2"},             {"1", "2"},
                                         {"", "3"}};
  for (const auto& setup : setups) {
    SCOPED_TRACE(setup.front());
    auto run = [&](const Variant& v) {
      std::vector<std::string> args = {"replay"};
      args.insert(args.end(), setup.begin(), setup.end());
      args.insert(args.end(), inputs.begin(), inputs.end());
      args.insert(args.end(), {"--threads", v.threads, "-o", "json", "--progress", "never"});
      return RunTool(args, "", "", {"TRAILWATCH_NO_FAST_PATHS=" + v.no_fast_paths});
    };
    const ToolResult base = run({"", "1"});
    ASSERT_EQ(base.exit_code, 0) << base.err;
    const json out = json::parse(base.out);
    // The baseline itself is a real replay: matches, and every kind of damage counted.
    EXPECT_GT(out["input"]["malformed"].get<int64_t>(), 2);
    bool matched = false;
    for (const auto& f : out["metric_filters"]) matched |= f["matches"].get<int64_t>() > 0;
    EXPECT_TRUE(matched);
    for (const Variant& v : variants) {
      SCOPED_TRACE("TRAILWATCH_NO_FAST_PATHS=" + v.no_fast_paths + " --threads " + v.threads);
      const ToolResult r = run(v);
      EXPECT_EQ(r.exit_code, base.exit_code) << r.err;
      EXPECT_EQ(r.err, base.err);
      if (r.out == base.out) continue;
      // Name the first differing line of the indented JSON (the whole outputs are megabytes).
      std::istringstream a(out.dump(1)), b(json::parse(r.out).dump(1));
      std::string la, lb;
      int line = 1;
      while (std::getline(a, la) && std::getline(b, lb) && la == lb) ++line;
      ADD_FAILURE() << "outputs differ from line " << line << " of the indented JSON:\n  all fast paths: " << la
                    << "\n  this variant:   " << lb;
    }
  }
  fs::remove_all(damaged);
}

// The switches the test above flips really switch: each name turns off its path and no other; `1` and
// unknown names turn off all.
TEST(FastPathSwitches, EachNameTurnsOffItsPath) {
  auto states = [](const std::string& value) {
    const ToolResult r = RunTool({"debug", "fast-paths"}, "", "", {"TRAILWATCH_NO_FAST_PATHS=" + value});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string compact;  // "prefilter=on walk=off ..."
    std::istringstream in(r.out);
    std::string name, state;
    while (in >> name >> state) {
      compact += (compact.empty() ? "" : " ") + name + "=" + state;
      in.ignore(1000, '\n');
    }
    return compact;
  };
  EXPECT_EQ(states(""), "prefilter=on walk=on whole-file=on prefetch=on");
  EXPECT_EQ(states("prefilter"), "prefilter=off walk=on whole-file=on prefetch=on");
  EXPECT_EQ(states("walk"), "prefilter=on walk=off whole-file=on prefetch=on");
  EXPECT_EQ(states("whole-file"), "prefilter=on walk=on whole-file=off prefetch=on");
  EXPECT_EQ(states("prefetch"), "prefilter=on walk=on whole-file=on prefetch=off");
  EXPECT_EQ(states("walk, prefetch"), "prefilter=on walk=off whole-file=on prefetch=off");
  EXPECT_EQ(states("1"), "prefilter=off walk=off whole-file=off prefetch=off");
  EXPECT_EQ(states("all"), "prefilter=off walk=off whole-file=off prefetch=off");
  EXPECT_EQ(states("walk,nonsense"), "prefilter=off walk=off whole-file=off prefetch=off");
  // `fast-paths` takes no arguments.
  const ToolResult extra = RunTool({"debug", "fast-paths", "prefilter"});
  EXPECT_EQ(extra.exit_code, 2);
  EXPECT_NE(extra.err.find("usage: trailwatch debug"), std::string::npos) << extra.err;
}

std::map<std::string, std::string> Tree(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) files[fs::relative(e.path(), root).string()] = ReadFile(e.path());
  }
  return files;
}

TEST_F(CorpusTest, SameSeedSameBytes) {
  const std::string again = TempPath("tw-corpus-test-again");
  fs::remove_all(again);
  const ToolResult r = RunTool(GenerateArgs(again, "7"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto a = Tree(*dir_), b = Tree(again);
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [name, bytes] : a) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(b.count(name));
    EXPECT_TRUE(bytes == b.at(name));
  }
  // Another seed, other records; writing one form only, the same records.
  const std::string other = TempPath("tw-corpus-test-other");
  fs::remove_all(other);
  ASSERT_EQ(RunTool(GenerateArgs(other, "8")).exit_code, 0);
  EXPECT_NE(ReadFile(other + "/records.ndjson"), a.at("records.ndjson"));
  const std::string only = TempPath("tw-corpus-test-only");
  fs::remove_all(only);
  std::vector<std::string> args = GenerateArgs(only, "7");
  args.insert(args.end(), {"--format", "ndjson"});
  ASSERT_EQ(RunTool(args).exit_code, 0);
  EXPECT_TRUE(ReadFile(only + "/records.ndjson") == a.at("records.ndjson"));
  EXPECT_FALSE(fs::exists(only + "/AWSLogs"));
  EXPECT_FALSE(fs::exists(only + "/eventbridge.ndjson"));
  for (const std::string& d : {again, other, only}) fs::remove_all(d);
}

TEST_F(CorpusTest, RecordsLookLikeCloudTrail) {
  static const std::vector<std::string> kOrder = {
      "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress",
      "userAgent", "errorCode", "errorMessage", "requestParameters", "responseElements", "additionalEventData",
      "requestID", "eventID", "readOnly", "resources", "eventType", "apiVersion", "managementEvent",
      "recipientAccountId", "sharedEventID", "serviceEventDetails", "vpcEndpointId", "vpcEndpointAccountId",
      "eventCategory", "tlsDetails", "sessionCredentialFromConsole"};
  static const std::vector<std::string> kRegions = {
      "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ap-south-1", "ap-northeast-1", "ap-northeast-2",
      "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-west-1",
      "eu-west-2", "eu-west-3", "eu-north-1", "sa-east-1"};
  const std::regex time_re(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
  std::ifstream in(*dir_ + "/records.ndjson");
  std::string line, previous_time;
  int lines = 0, out_of_order = 0, errors = 0, sign_in_regions_other = 0;
  std::map<std::string, int> ids;
  while (std::getline(in, line)) {
    ++lines;
    const nlohmann::ordered_json r = nlohmann::ordered_json::parse(line);
    EXPECT_EQ(r.dump(), line);  // compact, as CloudTrail writes it
    size_t k = 0;
    for (const auto& [key, value] : r.items()) {
      while (k < kOrder.size() && kOrder[k] != key) ++k;
      ASSERT_LT(k, kOrder.size()) << "key " << key << " out of CloudTrail's order in line " << lines;
    }
    for (const char* key : {"eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion",
                            "sourceIPAddress", "requestParameters", "responseElements", "eventID", "eventType",
                            "recipientAccountId", "eventCategory"}) {
      ASSERT_TRUE(r.contains(key)) << key << " missing in line " << lines;
    }
    const std::string t = r["eventTime"];
    EXPECT_TRUE(std::regex_match(t, time_re)) << t;
    EXPECT_GE(t, "2024-06-01T00:00:00Z");
    EXPECT_LE(t, "2024-06-01T02:01:00Z");
    if (!previous_time.empty() && t < previous_time) ++out_of_order;
    previous_time = t;
    EXPECT_NE(std::find(kRegions.begin(), kRegions.end(), r["awsRegion"].get<std::string>()), kRegions.end());
    EXPECT_EQ(r["recipientAccountId"], "123456789012");
    errors += r.contains("errorCode");
    ++ids[r["eventID"]];
    if (r["eventName"] == "ConsoleLogin") {
      const std::string region = r["awsRegion"];
      if (r["userIdentity"]["type"] == "Root") {
        EXPECT_EQ(region, "us-east-1");
      }
      sign_in_regions_other += region != "us-east-1";
      EXPECT_EQ(r["eventType"], "AwsConsoleSignIn");
      EXPECT_TRUE(r["requestParameters"].is_null());
      EXPECT_FALSE(r.contains("errorCode"));  // sign-in failures have errorMessage only
      EXPECT_TRUE(r["additionalEventData"].contains("MFAUsed"));
    }
  }
  EXPECT_EQ(lines, kRecords);
  EXPECT_EQ(ids.size(), static_cast<size_t>(kRecords));  // eventIDs are unique
  EXPECT_GT(out_of_order, 0);    // increasing with jitter, not sorted
  EXPECT_GT(sign_in_regions_other, 0);
  // About 10% of the background (three quarters of the records here) fails with an errorCode, as in the
  // real records.
  EXPECT_GT(errors, kRecords * 0.75 * 0.06);
  EXPECT_LT(errors, kRecords * 0.15);

  // The S3 layout: real key layout and file names, {"Records":[...]} content, records of the file's Region.
  const std::regex name_re(R"(123456789012_CloudTrail_([a-z0-9-]+)_(\d{8})T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz)");
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(*dir_ + "/AWSLogs")) {
    if (!e.is_regular_file()) continue;
    ++files;
    const std::string rel = fs::relative(e.path(), *dir_).string();
    std::smatch m;
    const std::string name = e.path().filename().string();
    ASSERT_TRUE(std::regex_match(name, m, name_re)) << rel;
    const std::string date = m[2];
    EXPECT_EQ(rel, "AWSLogs/123456789012/CloudTrail/" + m[1].str() + "/" + date.substr(0, 4) + "/" +
                       date.substr(4, 2) + "/" + date.substr(6, 2) + "/" + name);
  }
  EXPECT_EQ(files, (*expected_)["s3_files"].get<int>());
  EXPECT_GT(files, 17);
}

TEST(CorpusOptionsTest, ParsesSizesDurationsTimes) {
  uint64_t bytes = 0;
  EXPECT_TRUE(corpus::ParseSize("1GB", &bytes));
  EXPECT_EQ(bytes, uint64_t{1} << 30);
  EXPECT_TRUE(corpus::ParseSize("100MB", &bytes));
  EXPECT_EQ(bytes, uint64_t{100} << 20);
  EXPECT_TRUE(corpus::ParseSize("12345", &bytes));
  EXPECT_EQ(bytes, 12345u);
  for (const char* bad : {"", "MB", "1XB", "0", "-5MB"}) EXPECT_FALSE(corpus::ParseSize(bad, &bytes)) << bad;
  int64_t s = 0;
  EXPECT_TRUE(corpus::ParseDuration("12h", &s));
  EXPECT_EQ(s, 43200);
  EXPECT_TRUE(corpus::ParseDuration("90", &s));
  EXPECT_EQ(s, 90);
  for (const char* bad : {"", "h", "0s", "5y", "99999999999h"}) EXPECT_FALSE(corpus::ParseDuration(bad, &s)) << bad;
  EXPECT_TRUE(corpus::ParseTime("2024-06-01T00:00:00Z", &s));
  EXPECT_EQ(s, 1717200000);
  EXPECT_EQ(corpus::FormatTime(s), "2024-06-01T00:00:00Z");
  EXPECT_TRUE(corpus::ParseTime("2024-02-29", &s));
  EXPECT_EQ(corpus::FormatTime(s), "2024-02-29T00:00:00Z");
  for (const char* bad : {"", "2024-13-01", "2024-06-01T00:00:00", "yesterday", "2024-06-01T25:00:00Z"}) {
    EXPECT_FALSE(corpus::ParseTime(bad, &s)) << bad;
  }
}

TEST(CorpusCliTest, RejectsBadUsage) {
  const std::string dir = TempPath("tw-corpus-bad");
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"generate-corpus"},
           {"generate-corpus", "--out-dir", dir},
           {"generate-corpus", "--out-dir", dir, "--size", "lots"},
           {"generate-corpus", "--out-dir", dir, "--records", "10", "--format", "xml"},
           {"generate-corpus", "--out-dir", dir, "--records", "10", "--account", "12"},
           {"generate-corpus", "--out-dir", dir, "--records", "10", "--match-rate", "2"},
           {"generate-corpus", "--out-dir", dir, "--records", "10", "--start", "now"},
           {"generate-corpus", "--out-dir", "/proc/nope/x", "--records", "10"}}) {
    const ToolResult r = RunTool(args);
    EXPECT_EQ(r.exit_code, 2) << args.back() << ": " << r.err;
    EXPECT_FALSE(r.err.empty());
  }
  // A directory it did not write keeps its files.
  fs::create_directories(dir + "/AWSLogs");
  std::ofstream(dir + "/AWSLogs/real.json.gz") << "x";
  const ToolResult r = RunTool({"generate-corpus", "--out-dir", dir, "--records", "10"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not written by generate-corpus"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(dir + "/AWSLogs/real.json.gz"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace trailwatch::testing
