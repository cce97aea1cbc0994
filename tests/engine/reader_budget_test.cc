// reader_budget_test.cc: the input layer's resource budgets (issue 9: decompression bombs, long lines,
// nested payloads, links met twice, FIFOs, NUL bytes). Each test builds its large input cheaply (gzip members
// repeated: a multi-member file decodes to their concatenation) and checks what is delivered and reported;
// outside sanitizer builds it also checks the peak resident memory of the read (VmHWM, reset first), which
// must stay within the documented budget whatever the input's decompressed size.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#include "engine/input/loader.h"
#include "tests/engine/reader_test_util.h"

namespace trailwatch::engine {
namespace {

using testing::CollectingSink;
using testing::ExpectStatsMatchSink;
using testing::Gzip;
using testing::Read;
using testing::TempDir;
using testing::WriteFileBytes;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kMeasureRss = false;  // ASan's shadow memory and quarantine make RSS meaningless
constexpr int kScale = 4;            // and it is slow: smaller bombs, still past every limit they test
#else
constexpr bool kMeasureRss = true;
constexpr int kScale = 1;
#endif

double StatusMib(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return std::stod(line.substr(std::strlen(key))) / 1024.0;
  }
  return 0;
}

double g_baseline = 0;

// Gives the test's own freed memory back to the system, then starts measuring from the memory in use.
void ResetPeakRss() {
  malloc_trim(0);
  { std::ofstream("/proc/self/clear_refs") << "5"; }
  g_baseline = StatusMib("VmRSS:");
}

// How far the resident set grew above what was in use at the reset, at its peak, in MiB.
double PeakRssMib() {
  const double peak = StatusMib("VmHWM:") - g_baseline;
  std::printf("peak RSS growth: %.1f MiB\n", peak);
  return peak;
}

// A gzip file of `copies` members, each the gzip of `unit`: it decodes to `unit` repeated.
std::string RepeatedGzip(const std::string& unit, int copies) {
  const std::string member = Gzip(unit, 9);
  std::string out;
  out.reserve(member.size() * static_cast<size_t>(copies));
  for (int i = 0; i < copies; ++i) out += member;
  return out;
}

std::string Lines(size_t line_bytes, size_t total) {
  std::string line(line_bytes - 1, 'x');
  line += '\n';
  std::string out;
  out.reserve(total);
  while (out.size() + line.size() <= total) out += line;
  return out;
}

// F2: a small gzip that decodes to far more than it takes (zeros: binary; text without line breaks: one
// endless line) is neither decompressed whole nor held: memory stays flat, the file is reported.
TEST(Issue9Test, F2GzipBombIsNotDecompressedWhole) {
  TempDir dir;
  WriteFileBytes(dir.Path("zeros.gz"), RepeatedGzip(std::string(size_t{16} << 20, '\0'), 64));  // 1 GiB
  WriteFileBytes(dir.Path("text.gz"), RepeatedGzip(std::string(size_t{16} << 20, 'a'), 16 / kScale + 1));  // past the whole-file limit
  WriteFileBytes(dir.Path("after.ndjson"), "{\"a\":1}\n");
  for (bool prefetch : {true, false}) {
    SCOPED_TRACE(prefetch);
    ReaderOptions options;
    options.prefetch = prefetch;
    CollectingSink sink;
    ResetPeakRss();
    const InputStats stats = Read({dir.Path("zeros.gz"), dir.Path("text.gz"), dir.Path("after.ndjson")}, sink, options);
    const double peak = PeakRssMib();
    ASSERT_EQ(sink.records.size(), 1u) << sink.ProblemText();
    EXPECT_EQ(sink.Count(ProblemKind::kBinaryFile), 1u) << sink.ProblemText();
    ASSERT_EQ(sink.Count(ProblemKind::kOversizeEvent), 1u) << sink.ProblemText();
    for (const InputProblem& p : sink.problems) {
      if (p.kind == ProblemKind::kOversizeEvent) {
        EXPECT_EQ(p.file, dir.Path("text.gz"));
        EXPECT_EQ(p.message, "line over 16777216 bytes skipped");
      }
    }
    EXPECT_EQ(input::DecodeBudget::Process().in_use(), 0u);
    EXPECT_EQ(input::Prefetcher::ProcessWaitingBytes(), 0u);
    ExpectStatsMatchSink(stats, sink);
    if (kMeasureRss) {
      EXPECT_LT(peak, 120.0) << "peak RSS in MiB";
    }
  }
}

// F2 (threads): readers on several threads share one decode budget; the answer does not depend on it.
TEST(Issue9Test, F2DecodeBudgetIsSharedByThreads) {
  TempDir dir;
  const std::string lines = Lines(100, size_t{12} << 20);  // under the whole-file limit
  WriteFileBytes(dir.Path("a.gz"), Gzip(lines, 1));
  WriteFileBytes(dir.Path("b.gz"), Gzip(lines, 1));
  const size_t expected = lines.size() / 100;
  std::vector<std::thread> threads;
  std::vector<size_t> counts(3);
  ResetPeakRss();
  for (size_t t = 0; t < counts.size(); ++t) {
    threads.emplace_back([&, t] {
      CollectingSink sink;
      Read({dir.Path("a.gz"), dir.Path("b.gz")}, sink);
      counts[t] = sink.records.size() + sink.problems.size();
    });
  }
  for (auto& t : threads) t.join();
  for (size_t c : counts) EXPECT_EQ(c, 2 * expected);
  EXPECT_EQ(input::DecodeBudget::Process().in_use(), 0u);
  EXPECT_EQ(input::Prefetcher::ProcessWaitingBytes(), 0u);
}

// F4: a subscription payload (base64 of gzip) that decodes to more than the payload limit is read up to the
// limit (its records delivered), and the rest reported, without holding more.
TEST(Issue9Test, F4NestedPayloadIsBounded) {
  std::string data = "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"1\",\"logGroup\":\"g\",\"logStream\":\"s\","
                     "\"subscriptionFilters\":[\"f\"],\"logEvents\":[";
  const std::string event = "{\"id\":\"1\",\"timestamp\":1,\"message\":\"" + std::string(1000, 'm') + "\"}";
  const size_t events = (size_t{64} << 20) / event.size();  // 64 MiB decoded
  for (size_t i = 0; i < events; ++i) data += (i ? "," : "") + event;
  data += "]}";
  const std::string gz = Gzip(data, 9);
  std::string().swap(data);
  static const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string b64;
  for (size_t i = 0; i < gz.size(); i += 3) {
    const uint32_t v = (static_cast<uint8_t>(gz[i]) << 16) | (i + 1 < gz.size() ? static_cast<uint8_t>(gz[i + 1]) << 8 : 0) |
                       (i + 2 < gz.size() ? static_cast<uint8_t>(gz[i + 2]) : 0);
    b64 += kB64[v >> 18];
    b64 += kB64[(v >> 12) & 63];
    b64 += i + 1 < gz.size() ? kB64[(v >> 6) & 63] : '=';
    b64 += i + 2 < gz.size() ? kB64[v & 63] : '=';
  }
  TempDir dir;
  WriteFileBytes(dir.Path("lambda.json"), "{\"awslogs\":{\"data\":\"" + b64 + "\"}}\n");
  CollectingSink sink;
  ResetPeakRss();
  const InputStats stats = Read({dir.Path("lambda.json")}, sink);
  const double peak = PeakRssMib();
  ASSERT_EQ(sink.problems.size(), 1u) << sink.ProblemText();
  ASSERT_EQ(sink.Count(ProblemKind::kTruncatedGzip), 1u) << sink.ProblemText();
  EXPECT_NE(sink.problems[0].message.find("payload: decompressed size exceeds the limit of 16777216 bytes"),
            std::string::npos)
      << sink.problems[0].message;
  // Everything complete within the first 16 MiB is delivered; the event the limit cuts is not.
  const size_t fit = ((size_t{16} << 20) - 120) / (event.size() + 1);
  EXPECT_GE(sink.records.size(), fit - 1);
  EXPECT_LE(sink.records.size(), fit + 1);
  EXPECT_EQ(sink.records.back().message, std::string(1000, 'm'));
  ExpectStatsMatchSink(stats, sink);
  if (kMeasureRss) {
    EXPECT_LT(peak, 100.0) << "peak RSS in MiB";
  }
}

// F5: a streamed gzip of short lines does not decode more than one step ahead of the splitter, so memory
// does not grow with the compression ratio (the file is read in windows because it is "large").
TEST(Issue9Test, F5StreamedGzipIsDecodedInSteps) {
  TempDir dir;
  // 512 MiB of short lines; the members are ~1000:1, so a 4 MiB compressed chunk would decode to 4 GiB.
  const int copies = 32 / kScale;  // past the 64 MiB whole-file limit either way
  WriteFileBytes(dir.Path("lines.gz"), RepeatedGzip(Lines(1000, size_t{16} << 20), copies));
  for (uint64_t windowed_from : {uint64_t{1} << 10, uint64_t{64} << 20}) {  // large-file stream, whole-file fallback
    SCOPED_TRACE(windowed_from);
    ReaderOptions options;
    options.windowed_from = windowed_from;
    struct CountingSink : RecordSink {
      bool OnRecord(const InputRecord& r) override {
        ++records;
        bytes += r.message.size();
        return true;
      }
      void OnProblem(const InputProblem& p) override { problems += ProblemKindName(p.kind) + (": " + p.message) + "\n"; }
      uint64_t records = 0, bytes = 0;
      std::string problems;
    } sink;
    ResetPeakRss();
    const InputStats stats = ReadInputs({dir.Path("lines.gz")}, options, sink);
    const double peak = PeakRssMib();
    EXPECT_EQ(sink.problems, "");
    EXPECT_EQ(sink.records, uint64_t(copies) * ((size_t{16} << 20) / 1000));
    EXPECT_EQ(stats.bytes, uint64_t(copies) * ((size_t{16} << 20) / 1000) * 1000);
    if (kMeasureRss) {
      EXPECT_LT(peak, 80.0) << "peak RSS in MiB";
    }
  }
}

// F14: a very long line on a pipe is held once (the window grows in place), up to the document limit, and
// then skipped without being held; the next line is read.
TEST(Issue9Test, F14LongLineOnAPipeIsHeldOnce) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const size_t line = (size_t{256} << 20) / kScale;
  std::thread writer([&] {
    std::string chunk(size_t{1} << 20, 'x');
    chunk.replace(0, 6, "{\"a\":\"");
    size_t written = 0;
    while (written < line) {
      const size_t n = std::min(chunk.size(), line - written);
      if (write(fds[1], chunk.data(), n) != static_cast<ssize_t>(n)) break;
      chunk.assign(chunk.size(), 'x');
      written += n;
    }
    const std::string tail = "\"}\n{\"b\":2}\n";
    (void)!write(fds[1], tail.data(), tail.size());
    close(fds[1]);
  });
  ReaderOptions options;
  options.max_document_bytes = (size_t{96} << 20) / kScale;
  CollectingSink sink;
  ResetPeakRss();
  const InputStats stats = Read({"/proc/self/fd/" + std::to_string(fds[0])}, sink, options);
  const double peak = PeakRssMib();
  writer.join();
  close(fds[0]);
  ASSERT_EQ(sink.records.size(), 1u) << sink.ProblemText();
  EXPECT_EQ(sink.records[0].message, "{\"b\":2}");
  EXPECT_EQ(sink.records[0].line, 2u);
  ASSERT_EQ(sink.Count(ProblemKind::kOversizeEvent), 1u);
  EXPECT_EQ(sink.problems[0].message,
            "line or JSON document over " + std::to_string((size_t{96} << 20) / kScale) + " bytes skipped");
  ExpectStatsMatchSink(stats, sink);
  // The window holds at most the document limit plus one read, never twice the limit.
  if (kMeasureRss) {
    EXPECT_LT(peak, 96.0 + 40.0) << "peak RSS in MiB";
  }
}

// F15: decompression stops exactly at the limit, and the line the limit cuts is not delivered (whole-file and
// streamed reads agree).
TEST(Issue9Test, F15DecompressionStopsAtTheLimit) {
  TempDir dir;
  std::string text;
  for (int i = 0; text.size() < (size_t{3} << 20); ++i) text += "line " + std::to_string(i) + " of the log\n";
  WriteFileBytes(dir.Path("log.gz"), Gzip(text));
  const uint64_t limit = uint64_t{1} << 20;
  const std::string kept = text.substr(0, limit);
  const size_t complete = kept.rfind('\n') + 1;
  std::vector<std::string> expected = testing::Lines(kept.substr(0, complete));
  for (uint64_t windowed_from : {uint64_t{64} << 20, uint64_t{1}}) {
    SCOPED_TRACE(windowed_from);
    ReaderOptions options;
    options.max_decompressed_bytes = limit;
    options.windowed_from = windowed_from;
    CollectingSink sink;
    const InputStats stats = Read({dir.Path("log.gz")}, sink, options);
    EXPECT_EQ(sink.Messages(), expected);
    ASSERT_EQ(sink.Count(ProblemKind::kTruncatedGzip), 1u) << sink.ProblemText();
    EXPECT_NE(sink.problems[0].message.find("decompressed size exceeds the limit of 1048576 bytes"),
              std::string::npos)
        << sink.problems[0].message;
    EXPECT_EQ(stats.bytes, limit);
    ExpectStatsMatchSink(stats, sink);
  }
  // Exactly at the limit is not past it.
  ReaderOptions exact;
  exact.max_decompressed_bytes = text.size();
  CollectingSink sink;
  Read({dir.Path("log.gz")}, sink, exact);
  EXPECT_EQ(sink.problems.size(), 0u) << sink.ProblemText();
  EXPECT_EQ(sink.records.size(), testing::Lines(text).size());
}

// F7: a directory reached through several symlinks (a DAG, not a loop) is walked once, a file reached
// through a link is read once, and every alias is reported with the path it repeats.
TEST(Issue9Test, F7LinksAreReadOnce) {
  TempDir dir;
  WriteFileBytes(dir.Path("tree/d18/event.ndjson"), "{\"eventVersion\":\"1.08\",\"eventName\":\"X\"}\n");
  for (int level = 17; level >= 0; --level) {
    const std::string d = dir.Path("tree/d" + std::to_string(level));
    std::filesystem::create_directories(d);
    std::filesystem::create_directory_symlink(dir.Path("tree/d" + std::to_string(level + 1)), d + "/a");
    std::filesystem::create_directory_symlink(dir.Path("tree/d" + std::to_string(level + 1)), d + "/b");
  }
  std::filesystem::create_symlink(dir.Path("tree/d18/event.ndjson"), dir.Path("tree/d18/link.ndjson"));
  CollectingSink sink;
  const InputStats stats = Read({dir.Path("tree/d0"), dir.Path("tree/d18/event.ndjson")}, sink);
  EXPECT_EQ(sink.records.size(), 1u);
  ASSERT_EQ(sink.Count(ProblemKind::kNotRead), 20u) << sink.ProblemText();  // 18 directories, the link, the path again
  std::string deepest = "tree/d0";
  for (int i = 0; i < 18; ++i) deepest += "/a";  // the first path to d18
  bool saw_dir = false, saw_file = false;
  for (const InputProblem& p : sink.problems) {
    saw_dir = saw_dir || (p.file == dir.Path("tree/d0/b") &&
                          p.message == "same directory as " + dir.Path("tree/d0/a") + " (a link to it or the path again): read once");
    saw_file = saw_file || (p.file == dir.Path(deepest + "/link.ndjson") &&
                            p.message == "same file as " + dir.Path(deepest + "/event.ndjson") +
                                             " (a link to it or the path again): read once");
  }
  EXPECT_TRUE(saw_dir) << sink.ProblemText();
  EXPECT_TRUE(saw_file) << sink.ProblemText();
  EXPECT_EQ(stats.records, 1u);
  ExpectStatsMatchSink(stats, sink);
}

// F9: a NUL byte in a JSON input breaks only its own line; the other records are read. A text input with
// NUL bytes is binary and reported as such.
TEST(Issue9Test, F9NulInJsonInputIsNotBinary) {
  TempDir dir;
  std::string ndjson = "{\"eventVersion\":\"1.08\",\"n\":1}\n{\"eventVersion\":\"1.08\",\"n\":\"a";
  ndjson += '\0';
  ndjson += "b\"}\n";
  for (int i = 2; i < 2000; ++i) ndjson += "{\"eventVersion\":\"1.08\",\"n\":" + std::to_string(i) + "}\n";
  WriteFileBytes(dir.Path("events.ndjson"), ndjson);
  WriteFileBytes(dir.Path("text.log"), std::string("ERROR one\nERROR \0two\n", 21));
  CollectingSink sink;
  const InputStats stats = Read({dir.Path("events.ndjson"), dir.Path("text.log")}, sink);
  EXPECT_EQ(sink.records.size(), 2000u);  // the NUL record is delivered: its parse reports it (replay, grep)
  ASSERT_EQ(sink.Count(ProblemKind::kBinaryFile), 1u) << sink.ProblemText();
  EXPECT_EQ(sink.problems[0].file, dir.Path("text.log"));
  EXPECT_EQ(sink.problems[0].message, "binary data (a NUL byte in the first 4 KB of a text file)");
  ExpectStatsMatchSink(stats, sink);
}

// F18: a FIFO inside a directory is not read (it could block forever) and is reported.
TEST(Issue9Test, F18FifoInsideADirectoryIsReported) {
  TempDir dir;
  WriteFileBytes(dir.Path("d/a.log"), "hello\n");
  ASSERT_EQ(mkfifo(dir.Path("d/pipe").c_str(), 0600), 0);
  CollectingSink sink;
  const InputStats stats = Read({dir.Path("d")}, sink);
  EXPECT_EQ(sink.records.size(), 1u);
  ASSERT_EQ(sink.Count(ProblemKind::kNotRead), 1u) << sink.ProblemText();
  EXPECT_EQ(sink.problems[0].file, dir.Path("d/pipe"));
  EXPECT_EQ(sink.problems[0].message, "a FIFO inside a directory is not read (name it to read it)");
  EXPECT_EQ(stats.skipped, 1u);
  ExpectStatsMatchSink(stats, sink);
}

// Found by fuzz_reader: after a complete member, bytes that are not a gzip member are reported in the same
// words at the same offset whether the file is decompressed whole or as a stream.
TEST(Issue9Test, FuzzBytesAfterTheLastMemberAgree) {
  const std::string member = Gzip("{\"a\":1}\n{\"a\":2}\n");
  for (const std::string& tail : {std::string("\x1f"), std::string("\x1fX rest"), std::string("XY"),
                                  std::string("\x1f\x8b\x08")}) {
    SCOPED_TRACE(tail);
    std::vector<std::string> texts;
    for (uint64_t windowed_from : {uint64_t{64} << 20, uint64_t{0}}) {
      ReaderOptions options;
      options.windowed_from = windowed_from;
      CollectingSink sink;
      ReadMemory("x.gz", member + tail, options, sink);
      EXPECT_EQ(sink.records.size(), 2u);
      texts.push_back(sink.ProblemText());
    }
    EXPECT_EQ(texts[0], texts[1]);
    EXPECT_NE(texts[0], "");
  }
}

}  // namespace
}  // namespace trailwatch::engine
