// fuzz_reader.cc: libFuzzer target for the input reader. The bytes are read as the content of a file under
// several names (plain, .gz, a CloudTrail S3 key, an export part), whole and — for gzip — decompressed as a
// stream in bounded steps; non-gzip bytes are also split as a stream arriving in pieces. Every way must
// deliver the same records and problems, the counts must match what the sink saw, and no message may be over
// the event size limit.
#include <cstring>
#include <string>
#include <vector>

#include "engine/input/context.h"
#include "engine/input/reader.h"
#include "engine/input/source.h"
#include "engine/input/splitter.h"
#include "tests/fuzz/fuzz_util.h"

using namespace trailwatch;
using namespace trailwatch::engine;

namespace {

struct Sink : RecordSink {
  bool OnRecord(const InputRecord& r) override {
    out += "R " + std::to_string(r.line) + ":" + std::to_string(r.offset) + ":" + std::to_string(r.index) + " " +
           std::to_string(static_cast<int>(r.shape)) + " " + std::string(r.message) + "\n";
    if (r.message.size() > ReaderOptions().max_event_bytes) std::abort();
    ++records;
    return true;
  }
  void OnProblem(const InputProblem& p) override {
    out += std::string("P ") + ProblemKindName(p.kind) + " " + std::to_string(p.line) + ":" + std::to_string(p.offset) +
           " " + p.message + "\n";
    ++problems[static_cast<int>(p.kind)];
  }
  std::string out;
  uint64_t records = 0;
  uint64_t problems[16] = {};
};

void CheckCounts(const InputStats& stats, const Sink& sink, std::string_view data) {
  const uint64_t malformed = sink.problems[static_cast<int>(ProblemKind::kMalformedJson)] +
                             sink.problems[static_cast<int>(ProblemKind::kMalformedRecord)] +
                             sink.problems[static_cast<int>(ProblemKind::kTruncatedGzip)] +
                             sink.problems[static_cast<int>(ProblemKind::kOversizeEvent)];
  uint64_t records = 0, bad = 0;
  for (const FileStats& f : stats.by_file) {
    records += f.records;
    bad += f.malformed;
  }
  if (stats.records != sink.records || records != sink.records || stats.malformed != malformed || bad != malformed) {
    fuzz::Disagree("stats do not match what the sink saw", "", data);
  }
}

Sink ReadAs(std::string_view name, std::string_view data, const ReaderOptions& options) {
  Sink sink;
  const InputStats stats = ReadMemory(name, data, options, sink);
  CheckCounts(stats, sink, data);
  return sink;
}

// The splitter fed in pieces, as a pipe delivers (no binary check, no gzip: for plain input only).
std::string ReadInPieces(std::string_view data, size_t piece) {
  Sink sink;
  input::Shared shared;
  FileStats fs;
  fs.file = "pieces";
  ReaderOptions options;
  input::FileContext ctx(sink, options, shared, fs);
  input::Splitter splitter(ctx);
  input::PaddedBuffer window;
  uint64_t base = 0;
  for (size_t pos = 0; pos < data.size();) {
    const size_t n = std::min(piece, data.size() - pos);
    window.Append(data.data() + pos, n);
    pos += n;
    const size_t done = splitter.Process(window.data(), window.size(), base, false);
    window.Consume(done);
    base += done;
  }
  window.Reserve(1);
  splitter.Process(window.data(), window.size(), base, true);
  return sink.out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size > fuzz::kMaxInput) return 0;
  const std::string_view data(reinterpret_cast<const char*>(bytes), size);
  ReaderOptions options;
  options.max_payload_bytes = 1 << 20;
  options.max_decompressed_bytes = 1 << 22;  // keeps bombs quick; the paths must agree at the limit too
  const Sink whole = ReadAs("input.json", data, options);
  (void)ReadAs("AWSLogs/1/CloudTrail/us-east-1/2023/07/10/1_CloudTrail_us-east-1_x.json.gz", data, options);
  (void)ReadAs("exportedlogs/task/stream/000000.gz", data, options);
  if (input::IsGzip(data)) {
    ReaderOptions streamed = options;
    streamed.windowed_from = 0;  // decompressed as a stream, in steps
    const Sink s = ReadAs("input.json", data, streamed);
    if (s.out != whole.out) fuzz::Disagree("whole and streamed gunzip disagree", whole.out, s.out);
  } else if (whole.problems[static_cast<int>(ProblemKind::kBinaryFile)] == 0) {
    for (size_t piece : {size_t{1}, size_t{7}, size_t{4096}}) {
      const std::string pieces = ReadInPieces(data, piece);
      if (pieces != whole.out) {
        std::fprintf(stderr, "pieces of %zu bytes\n", piece);
        fuzz::Disagree("whole and piecewise reads disagree", whole.out, pieces);
      }
    }
  }
  return 0;
}
