// output_errors_test.cc: what every command does when its output cannot be written (issue 9, F8), when an
// input is binary (F9), and with negative counts (F16) — the real binary, with stdout on /dev/full, closed,
// or a pipe whose reader has gone.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/run_tool.h"
#include "tests/support/temp_path.h"

namespace trailwatch::testing {
namespace {

const std::string kSrc = TW_SOURCE_DIR;

enum class Stdout { kFull, kClosed, kBrokenPipe };

struct Outcome {
  int exit_code = -1;
  std::string err;
};

// Runs trailwatch with stdout on /dev/full, closed, or a pipe closed by its reader before anything is read.
Outcome RunWithStdout(const std::vector<std::string>& args, Stdout out) {
  int err_pipe[2];
  if (pipe(err_pipe) != 0) return {};
  int out_pipe[2] = {-1, -1};
  if (out == Stdout::kBrokenPipe) {
    if (pipe(out_pipe) != 0) return {};
    close(out_pipe[0]);  // nobody will read
  }
  const pid_t pid = fork();
  if (pid == 0) {
    std::signal(SIGPIPE, SIG_DFL);
    dup2(err_pipe[1], 2);
    close(err_pipe[0]);
    close(err_pipe[1]);
    if (out == Stdout::kFull) {
      const int fd = open("/dev/full", O_WRONLY);
      dup2(fd, 1);
      close(fd);
    } else if (out == Stdout::kClosed) {
      close(1);
    } else {
      dup2(out_pipe[1], 1);
      close(out_pipe[1]);
    }
    const int in = open("/dev/null", O_RDONLY);
    dup2(in, 0);
    if (chdir(kSrc.c_str()) != 0) _exit(127);
    std::vector<char*> argv;
    std::string binary = TW_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(err_pipe[1]);
  if (out_pipe[1] >= 0) close(out_pipe[1]);
  Outcome o;
  char buf[4096];
  ssize_t n;
  while ((n = read(err_pipe[0], buf, sizeof buf)) > 0) o.err.append(buf, static_cast<size_t>(n));
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return o;
}

const std::vector<std::string> kReplay = {"replay", "samples/console-login/setup.yaml",
                                          "samples/console-login/events/AWSLogs"};
const std::vector<std::string> kGrep = {"grep", "--filter-pattern", "{ $.eventName = ConsoleLogin }",
                                        "samples/console-login/events/AWSLogs"};
const std::vector<std::string> kTestMetricFilter = {"logs", "test-metric-filter", "--filter-pattern", "ERROR",
                                                    "--log-event-messages", "ERROR x", "INFO y"};
const std::vector<std::string> kTestEventPattern = {
    "events", "test-event-pattern", "--event-pattern", "{\"source\":[\"aws.ec2\"]}", "--event",
    R"({"id":"1","source":"aws.ec2","detail-type":"x","account":"1","time":"2023-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail":{}})"};

TEST(Issue9Test, F8FullOrClosedStdoutIsAnError) {
  struct Case {
    std::vector<std::string> args;
    int code;  // grep and replay: 2; the AWS CLI twins: 255 (the CLI's "any other failure")
  };
  std::vector<std::string> grep_count = kGrep;
  grep_count.insert(grep_count.begin() + 1, "-c");
  std::vector<std::string> replay_json = kReplay;
  replay_json.insert(replay_json.end(), {"--output", "json"});
  const std::vector<Case> cases = {{kGrep, 2}, {grep_count, 2}, {kReplay, 2}, {replay_json, 2},
                                   {kTestMetricFilter, 255}, {kTestEventPattern, 255}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args[0] + " " + c.args[1]);
    const Outcome full = RunWithStdout(c.args, Stdout::kFull);
    EXPECT_EQ(full.exit_code, c.code) << full.err;
    EXPECT_NE(full.err.find("trailwatch: error writing to standard output: No space left on device"), std::string::npos)
        << full.err;
    const Outcome closed = RunWithStdout(c.args, Stdout::kClosed);
    EXPECT_EQ(closed.exit_code, c.code) << closed.err;
    EXPECT_NE(closed.err.find("trailwatch: error writing to standard output: Bad file descriptor"), std::string::npos)
        << closed.err;
  }
  // tail writes as events arrive.
  const Outcome tail = RunWithStdout({"tail", "samples/console-login/setup.yaml"}, Stdout::kFull);
  EXPECT_EQ(tail.exit_code, 2) << tail.err;
}

// A broken pipe is not an error for grep (ripgrep's convention: the reader has what it wanted).
TEST(Issue9Test, F8BrokenPipeEndsGrepQuietly) {
  const Outcome o = RunWithStdout(kGrep, Stdout::kBrokenPipe);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.err, "");
}

// A file skipped as binary is reported by grep, and the exit status says an input was not read (2), as GNU
// grep's; a NUL inside an NDJSON line does not make the file binary.
TEST(Issue9Test, F9GrepReportsBinaryFiles) {
  const std::string dir = test_support::UniqueTempPath("f9");
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir + "/a.log", std::ios::binary) << std::string("ERROR one\n\0\0\0ERROR two\n", 23);
    std::string ndjson = "{\"n\":1,\"s\":\"ERROR\"}\n{\"n\":2,\"s\":\"a";
    ndjson += '\0';
    ndjson += "\"}\n{\"n\":3,\"s\":\"ERROR\"}\n";
    std::ofstream(dir + "/b.ndjson", std::ios::binary) << ndjson;
  }
  const ToolResult r = RunTool({"grep", "--filter-pattern", "ERROR", dir});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "{\"n\":1,\"s\":\"ERROR\"}\n{\"n\":3,\"s\":\"ERROR\"}\n");
  EXPECT_EQ(r.err, "trailwatch: " + dir + "/a.log:@0: binary file: binary data (a NUL byte in the first 4 KB of a text file)\n");
  const ToolResult quiet = RunTool({"grep", "-s", "--filter-pattern", "ERROR", dir + "/a.log"});
  EXPECT_EQ(quiet.exit_code, 2);
  EXPECT_EQ(quiet.err, "");
  std::filesystem::remove_all(dir);
}

// Counts are whole numbers: a negative one is a usage error, not 2^64 - 5.
TEST(Issue9Test, F16NegativeCountsAreRejected) {
  const ToolResult replay = RunTool({"replay", "samples/console-login/setup.yaml", "--max-examples", "-5", "/dev/null"}, "", kSrc);
  EXPECT_EQ(replay.exit_code, 2);
  EXPECT_NE(replay.err.find("the argument ('-5') for option '--max-examples' is invalid"), std::string::npos) << replay.err;
  const ToolResult grep = RunTool({"grep", "-m", "-1", "--filter-pattern", "x", "/dev/null"});
  EXPECT_EQ(grep.exit_code, 2);
  EXPECT_NE(grep.err.find("the argument ('-1') for option '--max-count' is invalid"), std::string::npos) << grep.err;
  const ToolResult events = RunTool({"events", "test-event-pattern", "--pattern-size-limit", "-1", "--event-pattern", "{}",
                                     "--event", "{}"});
  EXPECT_EQ(events.exit_code, 252);
  EXPECT_NE(events.err.find("the argument ('-1') for option '--pattern-size-limit' is invalid"), std::string::npos)
      << events.err;
  const ToolResult big = RunTool({"replay", "samples/console-login/setup.yaml", "--max-examples", "18446744073709551616",
                                  "/dev/null"}, "", kSrc);
  EXPECT_EQ(big.exit_code, 2) << big.err;
}

// F10 / F13 in grep: a JSON-looking line that a JSON pattern cannot evaluate is reported (not a silent
// non-match); a term pattern reads it as text, as CloudWatch Logs would.
TEST(Issue9Test, F10GrepReportsRecordsItCannotEvaluate) {
  const std::string deep = "{\"eventName\":\"ConsoleLogin\",\"d\":" + std::string(1500, '[') + std::string(1500, ']') + "}";
  const std::string input = "{\"eventName\":\"ConsoleLogin\"}\n" + deep + "\n";
  const ToolResult json = RunTool({"grep", "-c", "--filter-pattern", "{ $.eventName = ConsoleLogin }"}, input);
  EXPECT_EQ(json.exit_code, 0);
  EXPECT_EQ(json.out, "1\n");
  EXPECT_EQ(json.err,
            "trailwatch: -:2: not evaluated: JSON nested deeper than 1024 levels: JSON filter patterns cannot match "
            "it (read as text)\n");
  const ToolResult terms = RunTool({"grep", "-c", "--filter-pattern", "ConsoleLogin"}, input);
  EXPECT_EQ(terms.out, "2\n");
  EXPECT_EQ(terms.err, "");
  const ToolResult events = RunTool({"grep", "-c", "--event-pattern", "{\"eventName\":[\"ConsoleLogin\"]}"}, input);
  EXPECT_EQ(events.out, "1\n");
  EXPECT_EQ(events.err, "trailwatch: -:2: not evaluated: event nested deeper than 1000 levels: event patterns cannot match it\n");
}

}  // namespace
}  // namespace trailwatch::testing
