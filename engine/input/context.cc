// context.cc: Window positions and FileContext delivery/counting (see context.h for the contract).
#include "engine/input/context.h"

#include <cstring>

namespace trailwatch::engine::input {

Position Window::At(const char* p) {
  if (pinned_) return base_pos_;
  if (single_line_) return Position{base_pos_.line, base_pos_.offset + static_cast<uint64_t>(p - base_)};
  if (p < last_) {
    last_ = base_;
    last_line_ = base_pos_.line;
  }
  const char* q = last_;
  while (q < p) {
    const void* nl = std::memchr(q, '\n', static_cast<size_t>(p - q));
    if (nl == nullptr) break;
    ++last_line_;
    q = static_cast<const char*>(nl) + 1;
  }
  last_ = p;
  return Position{last_line_, base_pos_.offset + static_cast<uint64_t>(p - base_)};
}

PaddedBuffer& Shared::Nested(size_t level) {
  while (nested.size() <= level) nested.push_back(std::make_unique<PaddedBuffer>());
  return *nested[level];
}

bool FileContext::Emit(InputRecord& record) {
  if (stopped_) return false;
  if (record.message.size() > options_.max_event_bytes) {
    Problem(ProblemKind::kOversizeEvent, Position{record.line, record.offset},
            "event of " + std::to_string(record.message.size()) + " bytes is over the limit of " +
                std::to_string(options_.max_event_bytes) + " bytes (CloudWatch Logs and EventBridge drop it)");
    return true;
  }
  record.file = stats_.file;
  if (!format_set_) {
    stats_.format = record.format;
    format_set_ = true;
  }
  ++stats_.records;
  if (!sink_.OnRecord(record)) {
    stopped_ = true;
    return false;
  }
  return true;
}

void FileContext::Problem(ProblemKind kind, Position at, std::string message) {
  switch (kind) {
    case ProblemKind::kMalformedJson:
    case ProblemKind::kMalformedRecord:
    case ProblemKind::kTruncatedGzip:
    case ProblemKind::kOversizeEvent:
      ++stats_.malformed;
      break;
    case ProblemKind::kSkippedFile:
    case ProblemKind::kBinaryFile:
    case ProblemKind::kNotRead:
      ++stats_.skipped;
      break;
    case ProblemKind::kUnreadable:
    case ProblemKind::kNotEvaluated:
      break;
  }
  ++stats_.problems;
  sink_.OnProblem(InputProblem{kind, stats_.file, at.line, at.offset, std::move(message)});
}

}  // namespace trailwatch::engine::input
