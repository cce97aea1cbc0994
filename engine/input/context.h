// context.h: the state shared by the stages while one input is read — where the bytes are (Window), who gets
// the records and problems and how they are counted (FileContext), and the reusable parsers and buffers
// (Shared, one per ReadInputs call, so nothing is allocated per record).
//
// Contract: FileContext::Emit() is the only way a record reaches the sink and FileContext::Problem() the only
// way a problem does; together they keep FileStats exact: every delivered record counts in `records`, every
// problem of kind kMalformedJson / kMalformedRecord / kTruncatedGzip / kOversizeEvent in `malformed`, every
// kSkippedFile, kBinaryFile and kNotRead (and every skipped CONTROL_MESSAGE, which is counted without a
// problem) in `skipped`.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/input/reader.h"
#include "engine/input/source.h"

namespace trailwatch::engine::input {

struct Position {
  uint64_t line = 0;    // 1-based, 0 when unknown
  uint64_t offset = 0;  // byte offset in the (decompressed) input
};

// A buffer being read: maps pointers inside it to positions in the input (line numbers are counted
// incrementally, so queries in increasing order cost the distance between them), and knows how far past
// its end the memory is readable (for simdjson's padding). A pinned window (a payload decoded from inside
// the input) reports one fixed position for everything in it.
class Window {
 public:
  Window(const char* base, const char* pad_limit, Position base_pos)
      : base_(base), pad_limit_(pad_limit), base_pos_(base_pos), last_(base), last_line_(base_pos.line) {}
  static Window Pinned(const char* base, const char* pad_limit, Position at) {
    Window w(base, pad_limit, at);
    w.pinned_ = true;
    return w;
  }
  // A window over one line: no line breaks to count.
  static Window SingleLine(const char* base, const char* pad_limit, Position at) {
    Window w(base, pad_limit, at);
    w.single_line_ = true;
    return w;
  }

  Position At(const char* p);
  // The readable capacity from p on, for simdjson::padded_string_view.
  size_t CapacityFrom(const char* p) const { return static_cast<size_t>(pad_limit_ - p); }
  bool Contains(std::string_view v) const { return v.data() >= base_ && v.data() + v.size() + kPadding <= pad_limit_; }
  bool pinned() const { return pinned_; }

 private:
  const char* base_;
  const char* pad_limit_;
  Position base_pos_;
  const char* last_;
  uint64_t last_line_;
  bool pinned_ = false;
  bool single_line_ = false;
};

// Reusable parsers and scratch space, one set per ReadInputs() call.
struct Shared {
  simdjson::ondemand::parser outer;     // container documents ({"Records":[...]}, arrays, ...)
  simdjson::ondemand::parser inner;     // elements that need parsing (filter-log-events entries, ...)
  simdjson::dom::parser validator;      // salvage: validates elements one by one
  std::string compact;                  // minified records
  std::string text;                     // unescaped strings, base64 output
  Gunzipper gunzip;
  PaddedBuffer file;                    // decompressed file
  PaddedBuffer window;                  // the unfinished part of a stream
  std::vector<std::unique_ptr<PaddedBuffer>> nested;  // decoded payloads, one per nesting level
  PaddedBuffer& Nested(size_t level);
};

class FileContext {
 public:
  FileContext(RecordSink& sink, const ReaderOptions& options, Shared& shared, FileStats& stats)
      : sink_(sink), options_(options), shared_(shared), stats_(stats) {}

  // Delivers one record (its `file` is filled in here). A message over max_event_bytes is reported as
  // kOversizeEvent instead. Returns false when reading must stop (the sink said so, now or before).
  bool Emit(InputRecord& record);
  void Problem(ProblemKind kind, Position at, std::string message);
  // A record skipped on purpose without a problem report (CONTROL_MESSAGE).
  void SkipRecord() { ++stats_.skipped; }
  bool stopped() const { return stopped_; }
  void Stop() { stopped_ = true; }

  const ReaderOptions& options() const { return options_; }
  Shared& shared() { return shared_; }
  FileStats& stats() { return stats_; }
  std::string_view file() const { return stats_.file; }

  // Set when the decompressed data ended early (truncated gzip): the unterminated tail it leaves is
  // explained by the kTruncatedGzip problem and not reported again.
  bool truncated_input = false;
  // Log stream name known from the path (CloudWatch Logs export layout).
  std::string path_stream;

 private:
  RecordSink& sink_;
  const ReaderOptions& options_;
  Shared& shared_;
  FileStats& stats_;
  bool stopped_ = false;
  bool format_set_ = false;
};

}  // namespace trailwatch::engine::input
