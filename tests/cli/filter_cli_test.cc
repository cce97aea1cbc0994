// filter_cli_test.cc: `trailwatch logs test-metric-filter` and `trailwatch grep --filter-pattern`, run as a
// user runs them (the real binary), compared with the AWS CLI's documented output, texts and exit codes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/support/temp_path.h"
#include "tests/support/run_tool.h"

namespace trailwatch::testing {
namespace {

const std::string kData = TW_TEST_DATA_DIR;
const std::string kSamples = TW_SOURCE_DIR "/samples/console-login/events";
const std::string kSuccess =
    R"({ (($.eventName = ConsoleLogin) && ($.responseElements.ConsoleLogin = "Success")) || (($.detail.eventName = ConsoleLogin) && ($.detail.responseElements.ConsoleLogin = "Success")) })";
const std::string kFailure =
    R"({ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") || ($.detail.eventName = ConsoleLogin) && ($.detail.errorMessage = "Failed authentication") })";

// The AWS CLI reference example, output byte for byte.
TEST(TestMetricFilterCli, AwsCliReferenceExample) {
  ToolResult r = RunTool({"logs", "test-metric-filter", "--filter-pattern", "ERROR", "--log-event-messages",
                          "[ERROR] 400 BAD REQUEST", "[ERROR] 400 BAD REQUEST", "[INFO] 200 OK"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\n"
            "    \"matches\": [\n"
            "        {\n"
            "            \"eventNumber\": 1,\n"
            "            \"eventMessage\": \"[ERROR] 400 BAD REQUEST\",\n"
            "            \"extractedValues\": {}\n"
            "        },\n"
            "        {\n"
            "            \"eventNumber\": 2,\n"
            "            \"eventMessage\": \"[ERROR] 400 BAD REQUEST\",\n"
            "            \"extractedValues\": {}\n"
            "        }\n"
            "    ]\n"
            "}\n");
  EXPECT_EQ(r.err, "");
}

TEST(TestMetricFilterCli, NoMatchesIsAnEmptyList) {
  ToolResult r = RunTool({"logs", "test-metric-filter", "--filter-pattern", "WARN", "--log-event-messages", "a", "b"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "{\n    \"matches\": []\n}\n");
}

TEST(TestMetricFilterCli, ExtractedValuesAndEventNumberBase) {
  ToolResult r = RunTool({"logs", "test-metric-filter", "--filter-pattern", "[..., status_code=4*, size]",
                          "--log-event-messages", "a 200 1", "b 404 7", "--event-number-base", "0"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("\"eventNumber\": 1,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"$1\": \"b\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"$status_code\": \"404\""), std::string::npos);
  EXPECT_NE(r.out.find("\"$size\": \"7\""), std::string::npos);
}

TEST(TestMetricFilterCli, CliInputJsonInlineAndFile) {
  const std::string request =
      R"({"filterPattern": "{ $.eventName = ConsoleLogin }", "logEventMessages": ["{\"eventName\":\"ConsoleLogin\"}", "{\"eventName\":\"GetUser\"}"]})";
  ToolResult inline_r = RunTool({"logs", "test-metric-filter", "--cli-input-json", request});
  EXPECT_EQ(inline_r.exit_code, 0) << inline_r.err;
  EXPECT_NE(inline_r.out.find("\"eventNumber\": 1"), std::string::npos);
  EXPECT_EQ(inline_r.out.find("GetUser"), std::string::npos);

  const std::string path = trailwatch::test_support::UniqueTempPath("request.json");
  std::ofstream(path) << request;
  ToolResult file_r = RunTool({"logs", "test-metric-filter", "--cli-input-json", "file://" + path});
  EXPECT_EQ(file_r.exit_code, 0);
  EXPECT_EQ(file_r.out, inline_r.out);

  // An explicit option overrides the request, as in the AWS CLI.
  ToolResult override_r = RunTool({"logs", "test-metric-filter", "--cli-input-json", request, "--filter-pattern",
                                   "GetUser"});
  EXPECT_NE(override_r.out.find("GetUser"), std::string::npos);
  EXPECT_EQ(override_r.out.find("\"eventNumber\": 1"), std::string::npos);
}

TEST(TestMetricFilterCli, InvalidPatternLikeTheAwsCli) {
  ToolResult r = RunTool({"logs", "test-metric-filter", "--filter-pattern", "{ $.eventName = ConsoleLogin",
                          "--log-event-messages", "x"});
  EXPECT_EQ(r.exit_code, 254);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "\nAn error occurred (InvalidParameterException) when calling the TestMetricFilter operation: If a filter "
            "pattern starts with '{' it must end with '}'\n"
            "error: a JSON pattern must end with '}' at column 29\n"
            "  { $.eventName = ConsoleLogin\n"
            "                              ^\n"
            "hint: add the closing } at the end\n");
}

TEST(TestMetricFilterCli, UsageErrors) {
  ToolResult missing = RunTool({"logs", "test-metric-filter", "--filter-pattern", "x"});
  EXPECT_EQ(missing.exit_code, 252);
  EXPECT_NE(missing.err.find("the following arguments are required: --log-event-messages"), std::string::npos);

  ToolResult unknown = RunTool({"logs", "test-metric-filter", "--cli-input-json", R"({"filterPatern": "x"})"});
  EXPECT_EQ(unknown.exit_code, 252);
  EXPECT_NE(unknown.err.find("Unknown parameter in input: \"filterPatern\", must be one of: filterPattern, "
                             "logEventMessages"),
            std::string::npos);

  ToolResult bad_json = RunTool({"logs", "test-metric-filter", "--cli-input-json", "{not json"});
  EXPECT_EQ(bad_json.exit_code, 252);

  ToolResult no_file = RunTool({"logs", "test-metric-filter", "--filter-pattern", "file:///does/not/exist",
                                "--log-event-messages", "x"});
  EXPECT_EQ(no_file.exit_code, 252);
  EXPECT_NE(no_file.err.find("Unable to load paramfile"), std::string::npos);

  ToolResult empty_message = RunTool({"logs", "test-metric-filter", "--filter-pattern", "x", "--log-event-messages", ""});
  // botocore checks the model's minimum lengths before sending, as aws 2.9 does (the service's own text,
  // "Member must have length greater than or equal to 1", is never reached from the CLI).
  EXPECT_EQ(empty_message.exit_code, 252);
  EXPECT_EQ(empty_message.err, "\nParameter validation failed:\nInvalid length for parameter logEventMessages[0], value: 0, "
                               "valid min length: 1\n");
  ToolResult skeleton = RunTool({"logs", "test-metric-filter", "--cli-input-json",
                                 R"({"filterPattern": "", "logEventMessages": [""]})"});
  EXPECT_EQ(skeleton.exit_code, 252);  // an unfilled skeleton: client-side validation, as aws
  ToolResult none = RunTool({"logs", "test-metric-filter", "--cli-input-json", R"({"filterPattern": "", "logEventMessages": []})"});
  EXPECT_EQ(none.err, "\nParameter validation failed:\nInvalid length for parameter logEventMessages, value: 0, valid min "
                      "length: 1\n");
}

TEST(TestMetricFilterCli, SkeletonAndHelp) {
  ToolResult r = RunTool({"logs", "test-metric-filter", "--generate-cli-skeleton"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "{\n    \"filterPattern\": \"\",\n    \"logEventMessages\": [\n        \"\"\n    ]\n}\n");
  ToolResult help = RunTool({"logs", "test-metric-filter", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--filter-pattern"), std::string::npos);
}

// --query and --output json|text on the output skeleton, byte for byte as Debian's aws 2.9 renders them
// (tests/data/aws-cli/skeleton-renderings.txt, recorded by record.sh beside it): blocks "== FORMAT QUERY".
TEST(TestMetricFilterCli, AwsCliRenderings) {
  std::ifstream in(kData + "/aws-cli/skeleton-renderings.txt");
  ASSERT_TRUE(in) << "tests/data/aws-cli/skeleton-renderings.txt";
  std::vector<std::pair<std::string, std::string>> cases;  // header, expected output
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("== ")) {
      cases.emplace_back(line.substr(3), "");
    } else {
      ASSERT_FALSE(cases.empty());
      cases.back().second += line + "\n";
    }
  }
  ASSERT_GT(cases.size(), 20u);
  for (const auto& [header, want] : cases) {
    const size_t sp = header.find(' ');
    const std::string format = header.substr(0, sp), query = sp == std::string::npos ? "" : header.substr(sp + 1);
    std::vector<std::string> args = {"logs", "test-metric-filter", "--filter-pattern", "", "--log-event-messages", "a",
                                     "--generate-cli-skeleton", "output", "--output", format};
    if (!query.empty()) args.insert(args.end(), {"--query", query});
    ToolResult r = RunTool(args);
    EXPECT_EQ(r.exit_code, 0) << header << ": " << r.err;
    EXPECT_EQ(r.out, want) << header;
  }
}

// Whole command lines that Debian's aws 2.9 answers offline — every skeleton, every --output of the output
// skeleton through --query (yaml, yaml-stream, table with and without colour, text, json), --cli-input-yaml
// and --cli-input-json documents with botocore's validation — compared in stdout, stderr and exit code
// (tests/data/aws-cli/cli-cases.txt, recorded by record-cli.sh beside it).
TEST(TestMetricFilterCli, AwsCliCases) {
  std::ifstream in(kData + "/aws-cli/cli-cases.txt");
  ASSERT_TRUE(in) << "tests/data/aws-cli/cli-cases.txt";
  struct Case {
    std::vector<std::string> args;
    int exit_code = 0;
    std::string out, err;
  };
  std::vector<Case> cases;
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("== ")) {
      cases.emplace_back();
      cases.back().args = nlohmann::json::parse(line.substr(3)).get<std::vector<std::string>>();
    } else if (line.starts_with("-- exit ")) {
      cases.back().exit_code = std::stoi(line.substr(8));
    } else if (line.starts_with("-- stdout ")) {
      cases.back().out = nlohmann::json::parse(line.substr(10)).get<std::string>();
    } else if (line.starts_with("-- stderr ")) {
      cases.back().err = nlohmann::json::parse(line.substr(10)).get<std::string>();
    } else {
      FAIL() << "unexpected line in cli-cases.txt: " << line;
    }
  }
  ASSERT_GT(cases.size(), 90u);
  for (const Case& c : cases) {
    const std::string name = nlohmann::json(c.args).dump();
    ToolResult r = RunTool(c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << name << "\n" << r.err;
    EXPECT_EQ(r.out, c.out) << name;
    // aws says no more than its line for invalid YAML; trailwatch adds where the problem is
    std::string err = r.err;
    if (const size_t at = err.find("Invalid YAML received.\ntrailwatch: "); at != std::string::npos) {
      err.erase(at + 22, err.find('\n', at + 23) - (at + 22));
    }
    EXPECT_EQ(err, c.err) << name;
  }
}

// --query on responses; "Bad value for --query" exits 252, an expression that fails on the response 255,
// both with aws's texts; --output's choices.
TEST(TestMetricFilterCli, QueryAsTheAwsCli) {
  ToolResult n = RunTool({"logs", "test-metric-filter", "--filter-pattern", "[ip, user, code=4*]", "--log-event-messages",
                          "10.0.0.1 alice 404", "10.0.0.2 bob 200", "10.0.0.3 eve 403", "--query", "length(matches)"});
  EXPECT_EQ(n.exit_code, 0) << n.err;
  EXPECT_EQ(n.out, "2\n");
  ToolResult users = RunTool({"logs", "test-metric-filter", "--filter-pattern", "[ip, user, code=4*]",
                              "--log-event-messages", "10.0.0.1 alice 404", "10.0.0.3 eve 403", "--query",
                              "matches[].extractedValues.\"$user\""});
  EXPECT_EQ(users.out, "[\n    \"alice\",\n    \"eve\"\n]\n");

  ToolResult bad = RunTool({"logs", "test-metric-filter", "--filter-pattern", "", "--log-event-messages", "a", "--query",
                            "length("});
  EXPECT_EQ(bad.exit_code, 252);
  EXPECT_EQ(bad.out, "");
  EXPECT_EQ(bad.err,
            "\nBad value for --query length(: Invalid jmespath expression: Incomplete expression:\n\"length(\"\n        ^\n");
  ToolResult empty = RunTool({"logs", "test-metric-filter", "--filter-pattern", "", "--log-event-messages", "a",
                              "--query", ""});
  EXPECT_EQ(empty.exit_code, 252);
  EXPECT_EQ(empty.err, "\nBad value for --query : Invalid JMESPath expression: cannot be empty.\n");
  ToolResult fails = RunTool({"logs", "test-metric-filter", "--filter-pattern", "", "--log-event-messages", "a",
                              "--query", "abs(matches)"});
  EXPECT_EQ(fails.exit_code, 255);
  EXPECT_EQ(fails.out, "");
  EXPECT_EQ(fails.err,
            "\nIn function abs(), invalid type for value: [{'eventNumber': 1, 'eventMessage': 'a', 'extractedValues': "
            "{}}], expected one of: ['number'], received: \"array\"\n");
  ToolResult events = RunTool({"events", "test-event-pattern", "--event-pattern", R"({"source": ["aws.signin"]})",
                               "--event", R"({"id":"1","account":"111122223333","source":"aws.signin","time":"2023-07-10T12:00:00Z","region":"us-east-1","resources":[],"detail-type":"x","detail":{}})",
                               "--query", "Result"});
  EXPECT_EQ(events.exit_code, 0) << events.err;
  EXPECT_EQ(events.out, "true\n");
  ToolResult text = RunTool({"logs", "test-metric-filter", "--filter-pattern", "[ip, user, code=4*]",
                             "--log-event-messages", "10.0.0.1 alice 404", "10.0.0.3 eve 403", "--output", "text"});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out, "MATCHES\t10.0.0.1 alice 404\t1\nEXTRACTEDVALUES\t404\t10.0.0.1\talice\n"
                      "MATCHES\t10.0.0.3 eve 403\t2\nEXTRACTEDVALUES\t403\t10.0.0.3\teve\n");
  ToolResult choice = RunTool({"logs", "test-metric-filter", "--filter-pattern", "", "--log-event-messages", "a",
                               "--output", "xml"});
  EXPECT_EQ(choice.exit_code, 252);
  EXPECT_NE(choice.err.find("argument --output: Invalid choice, valid choices are:"), std::string::npos);
}

TEST(TestMetricFilterCli, WarningsGoToStderr) {
  ToolResult r = RunTool({"logs", "test-metric-filter", "--filter-pattern", "ORDER-ITEM-1", "--log-event-messages",
                          "ORDER-ITEM-1"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "{\n    \"matches\": []\n}\n");
  EXPECT_NE(r.err.find("warning: unquoted ORDER-ITEM-1 is read as ORDER -ITEM -1"), std::string::npos) << r.err;
}

// ---- grep ----
TEST(GrepCli, SeedFiltersCountBothShapes) {
  for (const char* file : {"/raw-cloudtrail.ndjson", "/eventbridge-wrapped.ndjson"}) {
    SCOPED_TRACE(file);
    ToolResult s = RunTool({"grep", "-c", "--filter-pattern", kSuccess, kSamples + file});
    EXPECT_EQ(s.exit_code, 0) << s.err;
    EXPECT_EQ(s.out, "9\n");  // 8 sign-ins of the fixture and one in ap-east-1
    ToolResult f = RunTool({"grep", "-c", "--filter-pattern", kFailure, kSamples + file});
    EXPECT_EQ(f.out, "4\n");
  }
}

TEST(GrepCli, PrintsMatchingMessagesAndExitCodes) {
  const std::string input = "INFO start\nERROR one\nINFO middle\nERROR two\n";
  ToolResult r = RunTool({"grep", "--filter-pattern", "ERROR"}, input);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "ERROR one\nERROR two\n");
  ToolResult none = RunTool({"grep", "--filter-pattern", "FATAL"}, input);
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(none.out, "");
  ToolResult count_none = RunTool({"grep", "-c", "--filter-pattern", "FATAL"}, input);
  EXPECT_EQ(count_none.exit_code, 1);
  EXPECT_EQ(count_none.out, "0\n");
  ToolResult invert = RunTool({"grep", "-v", "--filter-pattern", "ERROR"}, input);
  EXPECT_EQ(invert.out, "INFO start\nINFO middle\n");
  ToolResult quiet = RunTool({"grep", "-q", "--filter-pattern", "ERROR"}, input);
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.out, "");
  ToolResult max = RunTool({"grep", "-m", "1", "--filter-pattern", "ERROR"}, input);
  EXPECT_EQ(max.out, "ERROR one\n");
}

TEST(GrepCli, InvalidPatternIsExit2WithCaret) {
  ToolResult r = RunTool({"grep", "--filter-pattern", "{ $.x = 'a' }"}, "x\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("InvalidParameterException"), std::string::npos);
  EXPECT_NE(r.err.find("        ^"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("double quotes"), std::string::npos);
}

TEST(GrepCli, UnreadableFileIsExit2) {
  ToolResult r = RunTool({"grep", "--filter-pattern", "x", "/does/not/exist"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/does/not/exist"), std::string::npos);
}

TEST(GrepCli, UsageErrorIsExit2) {
  EXPECT_EQ(RunTool({"grep"}).exit_code, 2);
  EXPECT_EQ(RunTool({"grep", "--bogus"}).exit_code, 2);
}

TEST(GrepCli, CloudTrailFileGivesOneMessagePerRecord) {
  // A {"Records":[...]} file: each record is a message, as CloudTrail delivers them to CloudWatch Logs.
  const std::string path = trailwatch::test_support::UniqueTempPath("trail.json");
  std::ofstream(path) << R"({"Records":[{"eventName":"ConsoleLogin","x":1},{"eventName":"GetUser"},{"eventName":"ConsoleLogin","x":2}]})";
  ToolResult r = RunTool({"grep", "--filter-pattern", "{ $.eventName = ConsoleLogin }", path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "{\"eventName\":\"ConsoleLogin\",\"x\":1}\n{\"eventName\":\"ConsoleLogin\",\"x\":2}\n");
}

TEST(Cli, UnknownCommandAndVersion) {
  ToolResult r = RunTool({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown command 'frobnicate'"), std::string::npos);
  ToolResult v = RunTool({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out.rfind("trailwatch ", 0), 0u);
  // The version alone on the first line (what scripts read), then the build's details.
  std::istringstream lines(v.out);
  std::string line;
  std::vector<std::string> got;
  while (std::getline(lines, line)) got.push_back(line);
  ASSERT_EQ(got.size(), 4u) << v.out;
  EXPECT_EQ(got[0].find(' ', 11), std::string::npos) << got[0];
  EXPECT_EQ(got[1].rfind("build: ", 0), 0u) << got[1];
  EXPECT_TRUE(got[1].find("GNU") != std::string::npos || got[1].find("Clang") != std::string::npos) << got[1];
  EXPECT_EQ(got[2].rfind("libraries: simdjson ", 0), 0u) << got[2];
  EXPECT_NE(got[2].find("RE2"), std::string::npos);
  EXPECT_EQ(got[3].rfind("simdjson kernel: ", 0), 0u) << got[3];
  EXPECT_EQ(RunTool({"version"}).out, v.out);
}

// `trailwatch help` lists every command from the commands' declarations; `trailwatch man` and
// `trailwatch completion` print what the build installs (tests/install/docs_test.sh reads those with groff,
// man, bash and zsh), and refuse what they do not know.
TEST(Cli, HelpManAndCompletion) {
  ToolResult help = RunTool({"help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* name : {"logs test-metric-filter", "events test-event-pattern", "grep", "check", "explain", "replay",
                           "tail", "test", "debug", "generate-corpus", "man", "completion", "version"}) {
    EXPECT_NE(help.out.find(std::string("\n  ") + name + " "), std::string::npos) << name << "\n" << help.out;
  }
  ToolResult none = RunTool(std::vector<std::string>{});  // no command: the same list, exit 2
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.out, help.out);

  ToolResult main_page = RunTool({"man"});
  EXPECT_EQ(main_page.exit_code, 0);
  EXPECT_EQ(main_page.out.rfind(".\\\" Generated by `trailwatch man`", 0), 0u) << main_page.out.substr(0, 80);
  EXPECT_NE(main_page.out.find(".TH TRAILWATCH 1 "), std::string::npos);
  ToolResult replay = RunTool({"man", "replay"});
  EXPECT_NE(replay.out.find(".TH TRAILWATCH\\-REPLAY 1 "), std::string::npos);
  EXPECT_NE(replay.out.find("\\fB\\-\\-fail\\-on\\fR \\fIhigh|medium|low|never\\fR"), std::string::npos) << replay.out;
  EXPECT_EQ(RunTool({"man", "logs", "test-metric-filter"}).out, RunTool({"man", "trailwatch-logs-test-metric-filter"}).out);
  EXPECT_NE(RunTool({"man", "logs", "test-metric-filter"}).out.find("\\fB\\-\\-query\\fR \\fIEXPRESSION\\fR"),
            std::string::npos);
  ToolResult unknown = RunTool({"man", "replya"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err, "trailwatch man: no command 'replya' (`trailwatch help` lists them)\n");

  ToolResult bash = RunTool({"completion", "bash"});
  EXPECT_EQ(bash.exit_code, 0);
  EXPECT_NE(bash.out.find("complete -F _trailwatch trailwatch\n"), std::string::npos);
  ToolResult zsh = RunTool({"completion", "zsh"});
  EXPECT_EQ(zsh.out.rfind("#compdef trailwatch\n", 0), 0u);
  ToolResult fish = RunTool({"completion", "fish"});
  EXPECT_EQ(fish.exit_code, 2);
  EXPECT_EQ(fish.err.rfind("name one shell: bash or zsh\n", 0), 0u) << fish.err;
  ToolResult debug = RunTool({"debug", "help"});
  EXPECT_EQ(debug.exit_code, 0);
  EXPECT_EQ(debug.out.rfind("usage: trailwatch debug", 0), 0u);
}

// --log-event-messages in every form the AWS CLI takes: space-separated values (taken as they are, even
// when they start with `[`), one JSON list, and its errors — Python's "Invalid JSON" text with what was
// received, and botocore's validation of every element (texts as Debian's aws 2.9 prints them).
TEST(TestMetricFilterCli, ListParameterForms) {
  auto run = [](std::vector<std::string> messages) {
    std::vector<std::string> args = {"logs", "test-metric-filter", "--filter-pattern", "[level, ...]", "--query",
                                     "matches[].eventMessage", "--output", "text", "--log-event-messages"};
    args.insert(args.end(), messages.begin(), messages.end());
    return RunTool(args);
  };
  ToolResult spaced = run({"[ERROR] a", "[INFO] b"});
  EXPECT_EQ(spaced.exit_code, 0) << spaced.err;
  EXPECT_EQ(spaced.out, "[ERROR] a\t[INFO] b\n");
  ToolResult list = run({R"(["[ERROR] a", "[INFO] b"])"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out, "[ERROR] a\t[INFO] b\n");
  ToolResult one = run({"plain, with a comma"});
  EXPECT_EQ(one.out, "plain, with a comma\n");
  ToolResult bad = run({"[ERROR] x"});
  EXPECT_EQ(bad.exit_code, 252);
  EXPECT_EQ(bad.err,
            "\nError parsing parameter '--log-event-messages': Invalid JSON: Expecting value: line 1 column 2 (char 1)\n"
            "JSON received: [ERROR] x\n");
  ToolResult types = run({R"(["a", 1, {"b": [true, null]}])"});
  EXPECT_EQ(types.exit_code, 252);
  EXPECT_EQ(types.err,
            "\nParameter validation failed:\n"
            "Invalid type for parameter logEventMessages[1], value: 1, type: <class 'int'>, valid types: <class 'str'>\n"
            "Invalid type for parameter logEventMessages[2], value: OrderedDict([('b', [True, None])]), type: <class "
            "'collections.OrderedDict'>, valid types: <class 'str'>\n");
  ToolResult input = RunTool({"logs", "test-metric-filter", "--cli-input-json",
                              R"({"filterPattern": 1, "logEventMessages": "a", "zz": 2})"});
  EXPECT_EQ(input.exit_code, 252);
  EXPECT_EQ(input.err,
            "\nParameter validation failed:\n"
            "Unknown parameter in input: \"zz\", must be one of: filterPattern, logEventMessages\n"
            "Invalid type for parameter filterPattern, value: 1, type: <class 'int'>, valid types: <class 'str'>\n"
            "Invalid type for parameter logEventMessages, value: a, type: <class 'str'>, valid types: <class 'list'>, "
            "<class 'tuple'>\n");
  // Explicit options replace the request's values, their problems included (aws then sends the request).
  ToolResult replaced = RunTool({"logs", "test-metric-filter", "--cli-input-json",
                                 R"({"filterPattern": 1, "logEventMessages": [1]})", "--filter-pattern", "x",
                                 "--log-event-messages", "x"});
  EXPECT_EQ(replaced.exit_code, 0) << replaced.err;
  EXPECT_NE(replaced.out.find("\"eventMessage\": \"x\""), std::string::npos) << replaced.out;
}

// The AWS CLI's other global options: --debug shows the request botocore would send (its JSON body as
// botocore serializes it), --endpoint-url is checked as aws checks it, --color's choices; the options that
// mean nothing offline are accepted and change nothing.
TEST(TestMetricFilterCli, GlobalOptions) {
  const std::vector<std::string> base = {"logs", "test-metric-filter", "--filter-pattern", "x", "--log-event-messages",
                                         "a", "\xc3\xa9"};
  ToolResult plain = RunTool(base);
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  std::vector<std::string> all = base;
  all.insert(all.end(), {"--region", "eu-west-1", "--profile", "p", "--no-cli-pager", "--no-paginate", "--color", "off",
                         "--no-verify-ssl", "--no-sign-request", "--ca-bundle", "/x.pem", "--cli-read-timeout", "5",
                         "--cli-connect-timeout", "5", "--cli-binary-format", "raw-in-base64-out", "--no-cli-auto-prompt"});
  ToolResult accepted = RunTool(all);
  EXPECT_EQ(accepted.exit_code, 0) << accepted.err;
  EXPECT_EQ(accepted.out, plain.out);
  EXPECT_EQ(accepted.err, "");
  std::vector<std::string> debug = base;
  debug.insert(debug.end(), {"--debug", "--region", "eu-west-1"});
  ToolResult d = RunTool(debug);
  EXPECT_EQ(d.out, plain.out);
  EXPECT_NE(d.err.find("https://logs.eu-west-1.amazonaws.com/"), std::string::npos) << d.err;
  EXPECT_NE(d.err.find("X-Amz-Target: Logs_20140328.TestMetricFilter"), std::string::npos) << d.err;
  EXPECT_NE(d.err.find(R"(body: {"filterPattern": "x", "logEventMessages": ["a", "\u00e9"]})"), std::string::npos) << d.err;
  std::vector<std::string> endpoint = base;
  endpoint.insert(endpoint.end(), {"--endpoint-url", "localhost:4566"});
  ToolResult e = RunTool(endpoint);
  EXPECT_EQ(e.exit_code, 252);
  EXPECT_EQ(e.err, "\nBad value for --endpoint-url \"localhost:4566\": scheme is missing.  Must be of the form "
                   "http://<hostname>/ or https://<hostname>/\n");
  std::vector<std::string> color = base;
  color.insert(color.end(), {"--color", "blue"});
  ToolResult c = RunTool(color);
  EXPECT_EQ(c.exit_code, 252);
  EXPECT_NE(c.err.find("argument --color: Invalid choice, valid choices are:"), std::string::npos);
}

// The AWS CLI's global options before the service, as runbooks write them (`aws --region X --output text logs
// ...`), work before the twin command too.
TEST(Cli, GlobalOptionsBeforeTheCommand) {
  const std::vector<std::string> tail = {"test-metric-filter", "--filter-pattern", "[a, b]", "--log-event-messages",
                                         "x y"};
  auto with = [&](std::vector<std::string> front) {
    front.push_back("logs");
    front.insert(front.end(), tail.begin(), tail.end());
    return RunTool(front);
  };
  ToolResult r = with({"--output", "text", "--query", "matches[0].extractedValues.\"$b\"", "--region=eu-west-1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "y\n");
  ToolResult debug = with({"--debug", "--endpoint-url", "http://localhost:4566", "--no-cli-pager"});
  EXPECT_EQ(debug.exit_code, 0) << debug.err;
  EXPECT_NE(debug.err.find("would POST to http://localhost:4566"), std::string::npos) << debug.err;
  ToolResult yaml = with({"--output", "yaml"});
  EXPECT_EQ(yaml.out.rfind("matches:\n- eventMessage: x y\n", 0), 0u) << yaml.out;
  // a command option is not a global one: as in aws, it is not taken before the service
  ToolResult option = with({"--filter-pattern", "x"});
  EXPECT_EQ(option.exit_code, 2);
  EXPECT_NE(option.err.find("unknown command '--filter-pattern'"), std::string::npos) << option.err;
}

// "Did you mean" for commands (as git and aws suggest one) and for options; `COMMAND help` as in aws.
TEST(Cli, SuggestionsAndHelp) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> unknown = {
      {{"replp", "x"}, "trailwatch: unknown command 'replp'; did you mean 'replay'?"},
      {{"tset"}, "trailwatch: unknown command 'tset'; did you mean 'test'?"},
      {{"lgos", "test-metric-filter"}, "trailwatch: unknown command 'lgos test-metric-filter'; did you mean 'logs test-metric-filter'?"},
      {{"logs", "test-metric-filtr"}, "trailwatch: unknown command 'logs test-metric-filtr'; did you mean 'logs test-metric-filter'?"},
      {{"events", "test-event-patern"}, "did you mean 'events test-event-pattern'?"},
  };
  for (const auto& [args, want] : unknown) {
    ToolResult r = RunTool(args);
    EXPECT_EQ(r.exit_code, 2) << args[0];
    EXPECT_NE(r.err.find(want), std::string::npos) << r.err;
  }
  ToolResult far = RunTool({"xyzzy"});
  EXPECT_EQ(far.err.find("did you mean"), std::string::npos) << far.err;

  ToolResult option = RunTool({"logs", "test-metric-filter", "--fliter-pattern", "x", "--log-event-messages", "a"});
  EXPECT_EQ(option.exit_code, 252);
  EXPECT_NE(option.err.find("unrecognised option '--fliter-pattern' (did you mean --filter-pattern?)"), std::string::npos)
      << option.err;
  ToolResult replay = RunTool({"replay", "--threds", "2"});
  EXPECT_EQ(replay.exit_code, 2);
  EXPECT_NE(replay.err.find("(did you mean --threads?)"), std::string::npos) << replay.err;

  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"logs", "test-metric-filter", "help"}, {"events", "test-event-pattern", "help"}, {"replay", "help"},
           {"check", "help"}, {"test", "help"}}) {
    ToolResult h = RunTool(args);
    ToolResult dash = RunTool([&] {
      std::vector<std::string> a(args.begin(), args.end() - 1);
      a.push_back("--help");
      return a;
    }());
    EXPECT_EQ(h.exit_code, 0) << args[0];
    EXPECT_EQ(h.out, dash.out) << args[0];
    EXPECT_NE(h.out.find("usage: trailwatch"), std::string::npos);
  }
  EXPECT_EQ(RunTool({"help", "replay"}).out, RunTool({"replay", "--help"}).out);
  EXPECT_EQ(RunTool({"help", "logs", "test-metric-filter"}).out, RunTool({"logs", "test-metric-filter", "--help"}).out);
  EXPECT_EQ(RunTool({"help", "grep"}).out, RunTool({"grep", "--help"}).out);
  ToolResult group = RunTool({"logs", "help"});
  EXPECT_EQ(group.exit_code, 0);
  EXPECT_EQ(group.out, "usage: trailwatch logs <command> [options]\n\ncommands:\n  test-metric-filter\n");
  // grep's arguments are files, as grep's and ripgrep's: `grep --filter-pattern x help` reads a file "help".
  const std::string dir = trailwatch::test_support::UniqueTempPath("grep-help");
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/help") << "no\nhelp me\n";
  ToolResult grep = RunTool({"grep", "--filter-pattern", "help", "help"}, "", dir);
  EXPECT_EQ(grep.exit_code, 0) << grep.err;
  EXPECT_EQ(grep.out, "help me\n");
  ToolResult bare = RunTool({"grep", "help"}, "", dir);
  EXPECT_EQ(bare.exit_code, 2);
  EXPECT_EQ(bare.out, "");
}

}  // namespace
}  // namespace trailwatch::testing
