// reader_stream_test.cc: reading pipes — each complete line is delivered as soon as it arrives (before the
// stream ends), pretty-printed documents and {"Records":[...]} files are accumulated until complete, gzip is
// inflated as it streams (multi-member, truncation reported), "-" reads stdin, the window is bounded.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <string>
#include <thread>

#include "engine/input/reader.h"
#include "tests/engine/reader_test_util.h"

namespace trailwatch::engine {
namespace {

using testing::kS3File63;
using testing::kS3File1;
using testing::DataPath;
using testing::ReadFileBytes;
using testing::TempDir;

// A sink another thread can watch.
class LiveSink : public RecordSink {
 public:
  bool OnRecord(const InputRecord& r) override {
    std::lock_guard<std::mutex> lock(mu_);
    messages_.emplace_back(r.message);
    cv_.notify_all();
    return true;
  }
  void OnProblem(const InputProblem& p) override {
    std::lock_guard<std::mutex> lock(mu_);
    problems_.push_back(p);
  }
  // Waits until at least n records arrived; false on timeout.
  bool WaitFor(size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return messages_.size() >= n; });
  }
  size_t size() {
    std::lock_guard<std::mutex> lock(mu_);
    return messages_.size();
  }
  std::vector<std::string> messages() {
    std::lock_guard<std::mutex> lock(mu_);
    return messages_;
  }
  std::vector<InputProblem> problems() {
    std::lock_guard<std::mutex> lock(mu_);
    return problems_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> messages_;
  std::vector<InputProblem> problems_;
};

void WriteAll(int fd, std::string_view s) {
  while (!s.empty()) {
    const ssize_t n = write(fd, s.data(), s.size());
    if (n <= 0) return;
    s.remove_prefix(static_cast<size_t>(n));
  }
}

void WriteInChunks(int fd, std::string_view s, size_t chunk) {
  for (size_t i = 0; i < s.size(); i += chunk) WriteAll(fd, s.substr(i, chunk));
}

class ReaderStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::signal(SIGPIPE, SIG_IGN);
    fifo_ = dir_.Path("pipe");
    ASSERT_EQ(mkfifo(fifo_.c_str(), 0600), 0);
  }
  // Runs `writer(fd)` on a thread writing into the FIFO while ReadInputs reads it.
  template <class Writer>
  InputStats ReadWhileWriting(RecordSink& sink, Writer writer, const ReaderOptions& options = ReaderOptions()) {
    std::thread t([&] {
      const int fd = open(fifo_.c_str(), O_WRONLY);
      writer(fd);
      close(fd);
    });
    InputStats stats = ReadInputs({fifo_}, options, sink);
    t.join();
    return stats;
  }

  TempDir dir_;
  std::string fifo_;
};

TEST_F(ReaderStreamTest, EachLineIsDeliveredBeforeTheStreamEnds) {
  LiveSink sink;
  bool first_arrived_live = false, partial_held_back = false, second_arrived_live = false;
  const InputStats stats = ReadWhileWriting(sink, [&](int fd) {
    WriteAll(fd, "{\"eventVersion\":\"1.08\",\"eventName\":\"ConsoleLogin\"}\n");
    first_arrived_live = sink.WaitFor(1);
    WriteAll(fd, "{\"eventVersion\":\"1.08\",");  // half a line: must not be delivered yet
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    partial_held_back = sink.size() == 1;
    WriteAll(fd, "\"eventName\":\"GetUser\"}\n");
    second_arrived_live = sink.WaitFor(2);
    WriteAll(fd, "{\"eventVersion\":\"1.08\",\"eventName\":\"Last\"}");  // no final newline
  });
  EXPECT_TRUE(first_arrived_live);
  EXPECT_TRUE(partial_held_back);
  EXPECT_TRUE(second_arrived_live);
  EXPECT_EQ(stats.records, 3u);
  EXPECT_EQ(sink.messages()[1], "{\"eventVersion\":\"1.08\",\"eventName\":\"GetUser\"}");
  EXPECT_TRUE(sink.problems().empty());
}

TEST_F(ReaderStreamTest, TextLinesAreDeliveredLive) {
  LiveSink sink;
  bool live = false;
  ReadWhileWriting(sink, [&](int fd) {
    WriteAll(fd, "2023-07-10T12:27:25.319Z {\"eventVersion\":\"1.08\"}\n");
    live = sink.WaitFor(1);
  });
  EXPECT_TRUE(live);
}

TEST_F(ReaderStreamTest, PrettyDocumentsAndRecordsFilesInSmallChunks) {
  const std::string pretty = ReadFileBytes(DataPath("cloudtrail/stratus/aws.initial-access.console-login-without-mfa.json"));
  const std::string records = testing::Gunzip(ReadFileBytes(DataPath(kS3File63)));
  testing::CollectingSink from_files;
  ReadInputs({DataPath("cloudtrail/stratus/aws.initial-access.console-login-without-mfa.json"), DataPath(kS3File63)},
             ReaderOptions(), from_files);
  LiveSink sink;
  const InputStats stats = ReadWhileWriting(sink, [&](int fd) {
    WriteInChunks(fd, pretty, 7);
    WriteAll(fd, "\n");
    WriteInChunks(fd, records, 4093);
  });
  EXPECT_EQ(stats.records, 1u + 63u);
  EXPECT_EQ(sink.messages(), from_files.Messages());
  EXPECT_TRUE(sink.problems().empty());
}

TEST_F(ReaderStreamTest, GzipStreamMultiMember) {
  const std::string gz = ReadFileBytes(DataPath(kS3File63)) + ReadFileBytes(DataPath(kS3File1));
  LiveSink sink;
  const InputStats stats = ReadWhileWriting(sink, [&](int fd) { WriteInChunks(fd, gz, 1000); });
  EXPECT_EQ(stats.records, 64u);
  EXPECT_TRUE(sink.problems().empty());
}

TEST_F(ReaderStreamTest, TruncatedGzipStream) {
  const std::string gz = ReadFileBytes(DataPath(kS3File63));
  const size_t cut = gz.size() * 2 / 3;
  LiveSink sink;
  const InputStats stats = ReadWhileWriting(sink, [&](int fd) { WriteInChunks(fd, gz.substr(0, cut), 999); });
  EXPECT_GT(stats.records, 20u);
  EXPECT_LT(stats.records, 63u);
  const auto problems = sink.problems();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].kind, ProblemKind::kTruncatedGzip);
  EXPECT_EQ(problems[0].offset, cut);
  EXPECT_EQ(problems[0].file, fifo_);
}

TEST_F(ReaderStreamTest, OversizeLineIsSkippedWithinTheWindow) {
  ReaderOptions options;
  options.max_document_bytes = 4096;
  LiveSink sink;
  const InputStats stats = ReadWhileWriting(
      sink,
      [&](int fd) {
        WriteInChunks(fd, "{\"eventVersion\":\"" + std::string(20000, 'x'), 1000);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the reader holds an incomplete line
        WriteAll(fd, "\"}\n{\"eventVersion\":\"ok\"}\n");
      },
      options);
  EXPECT_EQ(stats.records, 1u);
  const auto problems = sink.problems();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].kind, ProblemKind::kOversizeEvent);
  EXPECT_EQ(problems[0].line, 1u);
}

TEST(ReaderStdinTest, DashReadsStandardInput) {
  std::signal(SIGPIPE, SIG_IGN);
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const int saved = dup(0);
  ASSERT_GE(saved, 0);
  ASSERT_EQ(dup2(fds[0], 0), 0);
  close(fds[0]);
  const std::string text = ReadFileBytes(DataPath("cloudtrail/consolelogin/records.ndjson"));
  std::thread writer([&] {
    WriteInChunks(fds[1], text, 333);
    close(fds[1]);
  });
  testing::CollectingSink sink;
  const InputStats stats = ReadInputs({"-"}, ReaderOptions(), sink);
  writer.join();
  dup2(saved, 0);
  close(saved);
  EXPECT_EQ(stats.records, 15u);
  ASSERT_FALSE(sink.records.empty());
  EXPECT_EQ(sink.records[0].file, "-");
  EXPECT_EQ(sink.records[14].line, 15u);
}

}  // namespace
}  // namespace trailwatch::engine
