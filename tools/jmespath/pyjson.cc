// pyjson.cc: Python's json.loads() errors, as its C scanner reports them. See pyjson.h.
#include "tools/jmespath/pyjson.h"

#include <cstddef>
#include <vector>

namespace trailwatch::jmespath {
namespace {

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  std::string Check() {
    size_t i = SkipWs(0);
    if (!Value(i, &i)) return error_;
    i = SkipWs(i);
    if (i != s_.size()) Fail("Extra data", i);
    return error_;
  }

 private:
  bool At(size_t i, char c) const { return i < s_.size() && s_[i] == c; }
  size_t SkipWs(size_t i) const {
    while (i < s_.size() && (s_[i] == ' ' || s_[i] == '\t' || s_[i] == '\n' || s_[i] == '\r')) ++i;
    return i;
  }
  bool Fail(const char* what, size_t pos) {
    // line, column and char as Python counts them: in code points.
    size_t line = 1, col = 0, chars = 0;
    for (size_t k = 0; k < pos && k < s_.size(); ++k) {
      if ((static_cast<unsigned char>(s_[k]) & 0xC0) == 0x80) continue;
      ++chars;
      if (s_[k] == '\n') {
        ++line;
        col = 0;
      } else {
        ++col;
      }
    }
    error_ = std::string(what) + ": line " + std::to_string(line) + " column " + std::to_string(col + 1) +
             " (char " + std::to_string(chars) + ")";
    return false;
  }
  bool Word(size_t i, std::string_view w) const { return s_.substr(i, w.size()) == w; }

  // scan_once: a value at i (no leading whitespace); StopIteration is "Expecting value" at i.
  bool Value(size_t i, size_t* end) {
    if (i >= s_.size()) return Fail("Expecting value", i);
    const char c = s_[i];
    if (c == '"') return String(i + 1, end);
    if (c == '{') return Object(i + 1, end);
    if (c == '[') return Array(i + 1, end);
    for (std::string_view w : {"null", "true", "false", "NaN", "Infinity", "-Infinity"}) {
      if (Word(i, w)) {
        *end = i + w.size();
        return true;
      }
    }
    // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?
    size_t k = i;
    if (At(k, '-')) ++k;
    if (At(k, '0')) {
      ++k;
    } else if (k < s_.size() && s_[k] >= '1' && s_[k] <= '9') {
      while (k < s_.size() && s_[k] >= '0' && s_[k] <= '9') ++k;
    } else {
      return Fail("Expecting value", i);
    }
    if (At(k, '.') && k + 1 < s_.size() && s_[k + 1] >= '0' && s_[k + 1] <= '9') {
      k += 2;
      while (k < s_.size() && s_[k] >= '0' && s_[k] <= '9') ++k;
    }
    if ((At(k, 'e') || At(k, 'E'))) {
      size_t e = k + 1;
      if (At(e, '+') || At(e, '-')) ++e;
      if (e < s_.size() && s_[e] >= '0' && s_[e] <= '9') {
        while (e < s_.size() && s_[e] >= '0' && s_[e] <= '9') ++e;
        k = e;
      }
    }
    *end = k;
    return true;
  }

  static bool Hex4(std::string_view h) {
    if (h.size() != 4) return false;
    for (char c : h) {
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
    }
    return true;
  }

  // scanstring: i is just past the opening quote.
  bool String(size_t i, size_t* end) {
    const size_t begin = i - 1;
    while (true) {
      if (i >= s_.size()) return Fail("Unterminated string starting at", begin);
      const unsigned char c = static_cast<unsigned char>(s_[i]);
      if (c == '"') {
        *end = i + 1;
        return true;
      }
      if (c < 0x20) return Fail("Invalid control character at", i);
      if (c != '\\') {
        ++i;
        continue;
      }
      if (i + 1 >= s_.size()) return Fail("Unterminated string starting at", begin);
      const char e = s_[i + 1];
      if (e != 'u') {
        if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) return Fail("Invalid \\escape", i);
        i += 2;
        continue;
      }
      const size_t u = i + 1;  // errors of \u name the 'u'
      if (!Hex4(s_.substr(u + 1, 4))) return Fail("Invalid \\uXXXX escape", u);
      unsigned v = static_cast<unsigned>(std::stoul(std::string(s_.substr(u + 1, 4)), nullptr, 16));
      i = u + 5;
      if (v >= 0xD800 && v <= 0xDBFF && At(i, '\\') && At(i + 1, 'u')) {
        if (!Hex4(s_.substr(i + 2, 4))) return Fail("Invalid \\uXXXX escape", i + 1);
        const unsigned low = static_cast<unsigned>(std::stoul(std::string(s_.substr(i + 2, 4)), nullptr, 16));
        if (low >= 0xDC00 && low <= 0xDFFF) i += 6;  // a pair; else the second escape is read on its own
      }
    }
  }

  bool Array(size_t i, size_t* end) {
    i = SkipWs(i);
    if (At(i, ']')) {
      *end = i + 1;
      return true;
    }
    while (true) {
      if (!Value(i, &i)) return false;
      i = SkipWs(i);
      if (At(i, ']')) {
        *end = i + 1;
        return true;
      }
      if (!At(i, ',')) return Fail("Expecting ',' delimiter", i);
      i = SkipWs(i + 1);
    }
  }

  bool Object(size_t i, size_t* end) {
    i = SkipWs(i);
    if (At(i, '}')) {
      *end = i + 1;
      return true;
    }
    while (true) {
      if (!At(i, '"')) return Fail("Expecting property name enclosed in double quotes", i);
      if (!String(i + 1, &i)) return false;
      i = SkipWs(i);
      if (!At(i, ':')) return Fail("Expecting ':' delimiter", i);
      i = SkipWs(i + 1);
      if (!Value(i, &i)) return false;
      i = SkipWs(i);
      if (At(i, '}')) {
        *end = i + 1;
        return true;
      }
      if (!At(i, ',')) return Fail("Expecting ',' delimiter", i);
      i = SkipWs(i + 1);
    }
  }

  std::string_view s_;
  std::string error_;
};

}  // namespace

std::string PythonJsonError(std::string_view text) { return Scanner(text).Check(); }

}  // namespace trailwatch::jmespath
