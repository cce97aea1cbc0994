// splitter.h: cuts an input (a whole file, or a stream arriving in pieces) into lines and JSON documents and
// hands each to its format: JSON values to formats.h, text lines to the text formats (CloudWatch Logs
// export lines, `aws logs tail` lines, base64 payloads, plain lines).
//
// Contract — the sniffing rules, decided once per input from its first non-blank line:
// - It starts with '{' or '[': a JSON input. Each line is one or more JSON values (NDJSON, or a whole
//   compact {"Records":[...]} file on one line); a value that does not close on its line continues on the
//   next lines (a pretty-printed document) until its brackets balance outside strings. Which of the two the
//   input is, is decided by its first value: when that closed on its own line the input is NDJSON, and later
//   a value may only span lines if its first line holds nothing but opening brackets ("{", "[", "[{"),
//   otherwise the line is reported as broken JSON. A line that ends inside a string is broken (JSON strings
//   cannot hold raw line breaks). A non-JSON line in a JSON input is reported as kMalformedJson (file:line)
//   and not delivered; after a broken multi-line document, lines up to the next one that starts with '{' or
//   '[' in column 1 belong to the reported document.
// - Otherwise a text input: every line is one record. If the first line is a CloudWatch Logs export line
//   ("<ISO timestamp>Z <message>") or an `aws logs tail` line ("<timestamp>+00:00 <stream> <message>") or a
//   base64 gzip payload ("H4sI..."), every line of that form is read as such (timestamp, stream, payload)
//   and any other line is a plain text record; a mostly-text file is just text, JSON-looking lines included.
// - Blank lines are not records. A UTF-8 byte-order mark at the start is ignored; "\r\n" ends a line too.
// Fast paths: an NDJSON line that starts with {"eventVersion": or {"version":"0","id":...,"detail-type": is
// delivered without any scan (its shape is known), a line starting with {"Records":[ goes straight to the
// On-Demand splitter. Everything is delivered as soon as its line (or document) is complete, so a pipe is
// read live.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/input/context.h"
#include "engine/input/formats.h"
#include "engine/input/json_scan.h"

namespace trailwatch::engine::input {

class Splitter {
 public:
  explicit Splitter(FileContext& ctx) : ctx_(ctx) {}

  // Processes the window data[0, size), which starts at absolute input offset `base` and holds the bytes not
  // yet finished with (what the previous call did not consume) followed by new ones; kPadding bytes after
  // it must be readable. Handles every complete line, and with `at_eof` everything. Returns how many leading
  // bytes of the window are finished with: the caller drops them and passes the rest again next time.
  size_t Process(const char* data, size_t size, uint64_t base, bool at_eof);

 private:
  enum class Mode { kUnknown, kJson, kJsonLines, kJsonDocs, kText };
  enum class TextFormat { kPlain, kCwlExport, kLogsTail, kBase64 };

  void HandleLine(const char* line, const char* line_end, bool last_partial);
  void HandleJsonLine(std::string_view trimmed, bool last_partial);
  void HandleTextLine(std::string_view line);
  void FeedPending(const char* line, const char* line_end, bool last_partial);
  void FinishPending(const char* end, Cut cut);
  Window WindowAt(const char* p, uint64_t line) const;
  uint64_t Abs(const char* p) const { return base_ + static_cast<uint64_t>(p - data_); }

  FileContext& ctx_;
  // Current window (valid during Process).
  const char* data_ = nullptr;
  const char* pad_limit_ = nullptr;
  uint64_t base_ = 0;

  Mode mode_ = Mode::kUnknown;
  TextFormat text_format_ = TextFormat::kPlain;
  uint64_t next_abs_ = 0;       // start of the next line to handle
  uint64_t search_abs_ = 0;     // where to look for the next '\n' (past what was searched already)
  uint64_t line_no_ = 1;        // line number of next_abs_
  bool discard_line_ = false;   // skipping the rest of an oversize line (streams)
  bool resync_ = false;         // skipping the lines of a broken multi-line document
  // A multi-line JSON document being accumulated.
  bool pending_ = false;
  uint64_t pending_abs_ = 0;
  uint64_t pending_line_ = 0;
  StructureScanner scanner_;
};

}  // namespace trailwatch::engine::input
