// formats_cli_test.cc: real CloudTrail data through every input format. The same 63 real records, as the S3
// file CloudTrail delivered, as `aws logs filter-log-events` / `get-log-events` / `aws logs tail` output, as
// a CloudWatch Logs export to S3 and as a Firehose object of subscription payloads, give the same metric
// totals in `trailwatch replay --log-group`; and for every format the replay's totals equal
// `trailwatch grep -c` with the same patterns on the same input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "tests/support/temp_path.h"
#include "tests/support/run_tool.h"

namespace trailwatch::testing {
namespace {

const std::string kData = TW_TEST_DATA_DIR;

// The 14 CIS filters, the two seed filters, and one filter of each other kind.
std::vector<std::string> Patterns() {
  std::ifstream in(kData + "/cis.json");
  const auto cis = nlohmann::json::parse(in);
  std::vector<std::string> out;
  for (const auto& c : cis) {
    const std::string id = c["id"];
    if (id.rfind("CloudWatch.", 0) == 0) out.push_back(c["pattern"]);
  }
  out.push_back(
      R"({ (($.eventName = ConsoleLogin) && ($.responseElements.ConsoleLogin = "Success")) || (($.detail.eventName = ConsoleLogin) && ($.detail.responseElements.ConsoleLogin = "Success")) })");
  out.push_back(
      R"({ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") || ($.detail.eventName = ConsoleLogin) && ($.detail.errorMessage = "Failed authentication") })");
  out.push_back(R"("Describe" -"errorCode")");
  out.push_back("%Get[A-Z][a-z]+%");
  out.push_back(R"({ $.userIdentity.type = IAMUser && $.readOnly IS TRUE })");
  return out;
}

std::string SingleQuoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string WriteSetup(const std::vector<std::string>& patterns) {
  std::string yaml =
      "Account: \"123837392027\"\n"
      "Resources:\n"
      "  Logs: {Type: AWS::Logs::LogGroup, Properties: {LogGroupName: /test/trail}}\n";
  for (size_t i = 0; i < patterns.size(); ++i) {
    const std::string n = "F" + std::to_string(i);
    yaml += "  " + n + ":\n    Type: AWS::Logs::MetricFilter\n    Properties:\n      LogGroupName: /test/trail\n" +
            "      FilterPattern: " + SingleQuoted(patterns[i]) + "\n" +
            "      MetricTransformations: [{MetricName: " + n + ", MetricNamespace: Test, MetricValue: '1'}]\n";
  }
  const std::string path = trailwatch::test_support::UniqueTempPath("formats-setup.yaml");
  std::ofstream(path) << yaml;
  return path;
}

std::map<std::string, int64_t> Sums(const std::string& setup, const std::string& input) {
  ToolResult r = RunTool({"replay", setup, "--log-group", "/test/trail", input, "--output", "json", "--no-findings"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, int64_t> sums;
  if (r.exit_code != 0) return sums;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["input"]["malformed"], 0) << input;
  for (const auto& m : j["metrics"]) sums[m["name"]] = m["sum"].get<int64_t>();
  return sums;
}

TEST(FormatsCli, SameRecordsInEveryFormatGiveTheSameMetrics) {
  const std::vector<std::string> patterns = Patterns();
  const std::string setup = WriteSetup(patterns);
  const std::string original =
      kData + "/cloudtrail/s3/AWSLogs/218007301253/CloudTrail/us-east-1/2023/07/10/"
              "218007301253_CloudTrail_us-east-1_20230710T1230Z_AvIajGd5rkz6vTy4.json.gz";
  const auto expected = Sums(setup, original);
  int64_t total = 0;
  for (const auto& [name, sum] : expected) total += sum;
  ASSERT_GT(total, 0) << "the filters must match some of the 63 records";
  for (const std::string f : {"/formats/filter-log-events.json", "/formats/get-log-events.json",
                              "/formats/aws-logs-tail-detailed.txt", "/formats/cloudwatch-logs-export-to-s3",
                              "/formats/firehose-s3-object.gz"}) {
    SCOPED_TRACE(f);
    EXPECT_EQ(Sums(setup, kData + f), expected);
  }
}

TEST(FormatsCli, ReplayTotalsEqualGrepCountsOnEveryFormat) {
  const std::vector<std::string> patterns = Patterns();
  const std::string setup = WriteSetup(patterns);
  for (const std::string f :
       {"/cloudtrail/s3", "/cloudtrail/records.ndjson", "/cloudtrail/stratus", "/cloudtrail/consolelogin/eventbridge.ndjson",
        "/formats/filter-log-events.json", "/formats/aws-logs-tail-detailed.txt", "/formats/cloudwatch-logs-export-to-s3",
        "/formats/decoded-data-message.json", "/formats/lambda-event.json", "/formats/firehose-s3-object.gz",
        "/formats/lookup-events.json", "/formats/eventbridge-events.ndjson",
        "/formats/eventbridge-rule-target-filter-log-events.json"}) {
    SCOPED_TRACE(f);
    const auto sums = Sums(setup, kData + f);
    for (size_t i = 0; i < patterns.size(); ++i) {
      ToolResult grep = RunTool({"grep", "-c", "--filter-pattern", patterns[i], kData + f});
      ASSERT_TRUE(grep.exit_code == 0 || grep.exit_code == 1) << grep.err;
      const std::string name = "F" + std::to_string(i);
      EXPECT_EQ(std::to_string(sums.count(name) ? sums.at(name) : 0) + "\n", grep.out) << patterns[i];
    }
  }
}

}  // namespace
}  // namespace trailwatch::testing
