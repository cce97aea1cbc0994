// diagnostic.h: the error value every pattern compiler returns, and its caret rendering.
//
// Contract: the pattern libraries never print, throw across their API, abort or exit. A pattern that AWS
// would reject becomes a Diagnostic: AWS's exception name, AWS's message, where in the pattern (a byte
// span, and for JSON event patterns a JSON pointer) and an optional hint for the usual mistake.
// RenderDiagnostic() turns it into the text the CLI prints: the message, the pattern, a caret line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace trailwatch {

// A half-open byte range [offset, offset + length) in the pattern text.
struct Span {
  uint32_t offset = 0;
  uint32_t length = 0;
};

struct Diagnostic {
  std::string exception;    // AWS exception name, e.g. "InvalidParameterException"
  std::string aws_message;  // what AWS itself says (first line of the AWS CLI error); may be empty
  std::string message;      // what is wrong, precisely (our words)
  Span span;              // where; offset == pattern size means "at the end"
  std::string hint;       // how to fix the usual mistake; may be empty
  std::string pointer;    // JSON pointer into the pattern (event patterns), or the parameter at fault
  std::string source;     // the text `span` refers to when it is not the pattern (e.g. a metricValue)
};

// 1-based column (in Unicode code points) of a byte offset in `text`.
uint32_t ColumnOf(std::string_view text, uint32_t offset);

// Multi-line rendering:
//   error: <message> at column N [at <pointer>]
//     <pattern, control characters shown as spaces>
//     <spaces>^~~~
//   hint: <hint>
// Long patterns are windowed around the span so the caret stays on screen.
std::string RenderDiagnostic(std::string_view pattern, const Diagnostic& d);

// Either a value or a Diagnostic. Small on purpose: C++20 has no std::expected.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}                // NOLINT(google-explicit-constructor)
  Result(Diagnostic error) : v_(std::move(error)) {}       // NOLINT(google-explicit-constructor)
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Diagnostic& error() const { return std::get<1>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Diagnostic> v_;
};

}  // namespace trailwatch
