// splitter.cc: lines and JSON documents out of a file or a stream (see splitter.h for the rules).
#include "engine/input/splitter.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "engine/input/formats.h"
#include "engine/input/sniff.h"

namespace trailwatch::engine::input {

namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && std::memcmp(s.data(), prefix.data(), prefix.size()) == 0;
}

// A line holding nothing but opening brackets ("{", "[", "[{", "[ {"): the start of a pretty document.
bool OpenersOnly(std::string_view s) {
  for (char c : s) {
    if (c != '{' && c != '[' && !IsJsonSpace(c)) return false;
  }
  return true;
}

RecordShape TextShape(std::string_view message) {
  if (message.empty() || message[0] != '{') return RecordShape::kText;
  return ClassifyJson(message);
}

std::string Excerpt(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 40)) out.push_back(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f ? c : '?');
  if (s.size() > 40) out += "...";
  return "'" + out + "'";
}

}  // namespace

Window Splitter::WindowAt(const char* p, uint64_t line) const {
  return Window(p, pad_limit_, Position{line, Abs(p)});
}

size_t Splitter::Process(const char* data, size_t size, uint64_t base, bool at_eof) {
  data_ = data;
  base_ = base;
  pad_limit_ = data + size + kPadding;
  const char* const end = data + size;
  while (!ctx_.stopped()) {
    const char* p = data + (next_abs_ - base);
    if (p >= end) break;
    // A text line is one event or payload: held up to max_line_bytes; a JSON line or document up to
    // max_document_bytes (a whole CloudTrail file may be one line).
    bool text = mode_ == Mode::kText;
    if (mode_ == Mode::kUnknown) {
      const char* q = p;
      while (q < end && IsJsonSpace(*q)) ++q;
      text = q < end && *q != '{' && *q != '[' && *q != '\xEF';
    }
    const uint64_t max_unit =
        text ? std::min<uint64_t>(ctx_.options().max_line_bytes, ctx_.options().max_document_bytes)
             : ctx_.options().max_document_bytes;
    const char* search = data + ((search_abs_ > next_abs_ ? search_abs_ : next_abs_) - base);
    const char* nl = static_cast<const char*>(std::memchr(search, '\n', static_cast<size_t>(end - search)));
    if (nl == nullptr) {
      search_abs_ = base + size;
      if (!at_eof) {
        // An incomplete line: wait for more, within the bounded window.
        const uint64_t unit_start = pending_ ? pending_abs_ : next_abs_;
        if (!discard_line_ && base + size - unit_start > max_unit) {
          ctx_.Problem(ProblemKind::kOversizeEvent,
                       pending_ ? Position{pending_line_, pending_abs_} : Position{line_no_, next_abs_},
                       std::string(text ? "line" : "line or JSON document") + " over " + std::to_string(max_unit) +
                           " bytes skipped");
          if (pending_) {
            pending_ = false;
            resync_ = true;
          }
          discard_line_ = true;
        }
        if (discard_line_) next_abs_ = base + size;
        break;
      }
      if (!discard_line_) HandleLine(p, end, true);
      discard_line_ = false;
      next_abs_ = base + size;
      break;
    }
    if (discard_line_) {
      discard_line_ = false;
    } else {
      HandleLine(p, nl, false);
    }
    next_abs_ = Abs(nl + 1);
    search_abs_ = next_abs_;
    ++line_no_;
  }
  if (at_eof && pending_ && !ctx_.stopped()) FinishPending(end, Cut::kEndOfInput);
  const uint64_t keep_from = pending_ ? pending_abs_ : next_abs_;
  return static_cast<size_t>(keep_from - base);
}

void Splitter::HandleLine(const char* line, const char* line_end, bool last_partial) {
  if (line_end > line && line_end[-1] == '\r') --line_end;
  if (Abs(line) == 0 && line_end - line >= 3 && std::memcmp(line, "\xEF\xBB\xBF", 3) == 0) line += 3;
  if (pending_) {
    FeedPending(line, line_end, last_partial);
    return;
  }
  const std::string_view raw(line, static_cast<size_t>(line_end - line));
  const std::string_view trimmed = TrimJsonSpace(raw);
  if (resync_) {
    if (raw.empty() || (raw[0] != '{' && raw[0] != '[')) return;  // still inside the broken document
    resync_ = false;
  }
  if (mode_ == Mode::kUnknown) {
    if (trimmed.empty()) return;
    if (trimmed[0] == '{' || trimmed[0] == '[') {
      mode_ = Mode::kJson;
    } else {
      mode_ = Mode::kText;
      int64_t ts;
      std::string_view a, b;
      if (ParseExportLine(raw, ts, a)) {
        text_format_ = TextFormat::kCwlExport;
      } else if (ParseTailLine(raw, ts, a, b)) {
        text_format_ = TextFormat::kLogsTail;
      } else if (LooksLikeBase64Gzip(trimmed)) {
        text_format_ = TextFormat::kBase64;
      }
    }
  }
  if (mode_ == Mode::kText) {
    // The end of a truncated gzip stream cuts its last line: that fragment is not an event (the
    // kTruncatedGzip problem accounts for it).
    if (last_partial && ctx_.truncated_input) return;
    if (!raw.empty()) HandleTextLine(raw);
    return;
  }
  if (!trimmed.empty()) HandleJsonLine(trimmed, last_partial);
}

void Splitter::HandleJsonLine(std::string_view text, bool last_partial) {
  // `text` (trimmed) holds one or more values; the last one may open a document that spans lines.
  while (!text.empty() && !ctx_.stopped()) {
    Window win = Window::SingleLine(text.data(), pad_limit_, Position{line_no_, Abs(text.data())});
    const char c = text[0];
    if (c != '{' && c != '[') {
      ctx_.Problem(ProblemKind::kMalformedJson, Position{line_no_, Abs(text.data())},
                   "not JSON (in a JSON input): " + Excerpt(text));
      return;
    }
    const Cut whole = last_partial ? Cut::kEndOfInput : Cut::kNo;
    if (c == '{' && text.back() == '}') {
      // Fast paths for the canonical shapes: no scan at all.
      if (StartsWith(text, "{\"eventVersion\":")) {
        if (mode_ == Mode::kJson) mode_ = Mode::kJsonLines;
        EmitJsonRecord(ctx_, text, win, RecordShape::kCloudTrailRecord, InputFormat::kNdjson);
        return;
      }
      if (StartsWith(text, "{\"version\":\"0\",\"id\":\"") &&
          text.substr(0, 256).find("\"detail-type\":") != std::string_view::npos) {
        if (mode_ == Mode::kJson) mode_ = Mode::kJsonLines;
        EmitJsonRecord(ctx_, text, win, RecordShape::kEventBridgeEvent, InputFormat::kNdjson);
        return;
      }
      if (StartsWith(text, "{\"Records\":[")) {
        if (mode_ == Mode::kJson) mode_ = Mode::kJsonLines;
        HandleJsonUnit(ctx_, text, win, whole, InputFormat::kNdjson);
        return;
      }
    }
    scanner_.Reset();
    const char* closed = scanner_.Feed(text.data(), text.data() + text.size());
    if (closed != nullptr) {
      if (mode_ == Mode::kJson) mode_ = Mode::kJsonLines;
      const size_t len = static_cast<size_t>(closed - text.data());
      const std::string_view rest = TrimJsonSpace(text.substr(len));
      HandleJsonValue(ctx_, text.substr(0, len), win, Cut::kNo, InputFormat::kNdjson);
      text = rest;
      continue;
    }
    if (scanner_.in_string() || last_partial || (mode_ == Mode::kJsonLines && !OpenersOnly(text))) {
      HandleJsonUnit(ctx_, text, win, last_partial ? Cut::kEndOfInput : Cut::kBroken, InputFormat::kNdjson);
      return;
    }
    // A document spanning lines starts here.
    if (mode_ == Mode::kJson) mode_ = Mode::kJsonDocs;
    pending_ = true;
    pending_abs_ = Abs(text.data());
    pending_line_ = line_no_;
    return;
  }
}

void Splitter::FeedPending(const char* line, const char* line_end, bool last_partial) {
  const char* closed = scanner_.Feed(line, line_end);
  if (closed != nullptr) {
    const std::string_view rest = TrimJsonSpace(std::string_view(closed, static_cast<size_t>(line_end - closed)));
    FinishPending(closed, last_partial && rest.empty() ? Cut::kEndOfInput : Cut::kNo);
    if (!rest.empty()) HandleJsonLine(rest, last_partial);  // more values after it on the same line
    return;
  }
  if (scanner_.in_string()) {  // a JSON string cannot hold a raw line break: the document is broken here
    FinishPending(line_end, last_partial ? Cut::kEndOfInput : Cut::kBroken);
    return;
  }
  if (Abs(line_end) - pending_abs_ > ctx_.options().max_document_bytes) {
    ctx_.Problem(ProblemKind::kOversizeEvent, Position{pending_line_, pending_abs_},
                 "JSON document over " + std::to_string(ctx_.options().max_document_bytes) + " bytes skipped");
    pending_ = false;
    resync_ = true;
    return;
  }
  if (last_partial) FinishPending(line_end, Cut::kEndOfInput);
}

void Splitter::FinishPending(const char* end, Cut cut) {
  pending_ = false;
  const char* start = data_ + (pending_abs_ - base_);
  Window win = WindowAt(start, pending_line_);
  HandleJsonUnit(ctx_, std::string_view(start, static_cast<size_t>(end - start)), win, cut,
                 InputFormat::kJsonDocument);
  if (cut == Cut::kBroken) resync_ = true;
}

void Splitter::HandleTextLine(std::string_view raw) {
  InputRecord r;
  r.line = line_no_;
  r.offset = Abs(raw.data());
  int64_t ts = -1;
  std::string_view message, stream;
  switch (text_format_) {
    case TextFormat::kCwlExport:
      if (ParseExportLine(raw, ts, message)) {
        r.message = message;
        r.format = InputFormat::kCwlExport;
        r.timestamp_ms = ts;
        r.log_stream = ctx_.path_stream;
        r.shape = TextShape(message);
        ctx_.Emit(r);
        return;
      }
      break;
    case TextFormat::kLogsTail:
      if (ParseTailLine(raw, ts, stream, message)) {
        r.message = message;
        r.format = InputFormat::kLogsTail;
        r.timestamp_ms = ts;
        r.log_stream = stream;
        r.shape = TextShape(message);
        ctx_.Emit(r);
        return;
      }
      break;
    case TextFormat::kBase64: {
      const std::string_view trimmed = TrimJsonSpace(raw);
      if (LooksLikeBase64Gzip(trimmed)) {
        if (!HandleEncodedPayload(ctx_, trimmed, Position{r.line, r.offset}, 0)) {
          ctx_.Problem(ProblemKind::kMalformedRecord, Position{r.line, r.offset}, "line is not valid base64");
        }
        return;
      }
      break;
    }
    case TextFormat::kPlain:
      break;
  }
  r.message = raw;
  r.format = InputFormat::kText;
  r.shape = TextShape(raw);
  ctx_.Emit(r);
}

}  // namespace trailwatch::engine::input
