// diagnostic.cc: column computation and caret rendering for Diagnostic. No I/O.
#include "patterns/common/diagnostic.h"

#include <algorithm>

namespace trailwatch {

namespace {
bool IsContinuationByte(unsigned char c) { return (c & 0xC0) == 0x80; }

// Number of code points in text[begin, end).
uint32_t CodePoints(std::string_view text, size_t begin, size_t end) {
  uint32_t n = 0;
  for (size_t i = begin; i < end && i < text.size(); ++i) {
    if (!IsContinuationByte(static_cast<unsigned char>(text[i]))) ++n;
  }
  return n;
}
}  // namespace

uint32_t ColumnOf(std::string_view text, uint32_t offset) {
  return CodePoints(text, 0, std::min<size_t>(offset, text.size())) + 1;
}

std::string RenderDiagnostic(std::string_view pattern, const Diagnostic& d) {
  if (!d.source.empty()) pattern = d.source;
  const size_t off = std::min<size_t>(d.span.offset, pattern.size());
  const size_t len = std::max<size_t>(1, d.span.length);
  std::string out = "error: " + d.message;
  out += " at column " + std::to_string(ColumnOf(pattern, static_cast<uint32_t>(off)));
  if (!d.pointer.empty()) out += " at " + d.pointer;
  out += "\n";

  // Window of at most ~100 code points around the span, cut on code-point boundaries.
  constexpr size_t kWindow = 100;
  size_t begin = 0, end = pattern.size();
  if (CodePoints(pattern, 0, pattern.size()) > kWindow) {
    begin = off > 40 ? off - 40 : 0;
    while (begin > 0 && IsContinuationByte(static_cast<unsigned char>(pattern[begin]))) --begin;
    end = std::min(pattern.size(), begin + kWindow);
    while (end < pattern.size() && IsContinuationByte(static_cast<unsigned char>(pattern[end]))) ++end;
  }
  std::string line = "  ";
  std::string caret = "  ";
  if (begin > 0) {
    line += "...";
    caret += "   ";
  }
  for (size_t i = begin; i < end; ++i) {
    unsigned char c = static_cast<unsigned char>(pattern[i]);
    line += (c < 0x20 || c == 0x7f) ? ' ' : static_cast<char>(c);
  }
  if (end < pattern.size()) line += "...";
  caret += std::string(CodePoints(pattern, begin, off), ' ');
  const size_t span_cp = std::max<uint32_t>(1, CodePoints(pattern, off, std::min(pattern.size(), off + len)));
  caret += '^';
  caret += std::string(span_cp - 1, '~');
  out += line + "\n" + caret + "\n";
  if (!d.hint.empty()) out += "hint: " + d.hint + "\n";
  return out;
}

}  // namespace trailwatch
