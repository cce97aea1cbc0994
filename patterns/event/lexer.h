// lexer.h: a pull tokenizer for JSON that reports tokens and errors the way Jackson's streaming parser does.
//
// Contract: JsonLexer walks a JSON text token by token (Next()), like Jackson's JsonParser.nextToken(), which
// is what EventBridge's rule compiler (aws/event-ruler) reads patterns with. It keeps what that compiler's
// error messages depend on: the exact syntax-error texts for the common mistakes, and Jackson's "current
// location" (Position()): after a FIELD_NAME the value's head is already consumed (a number or literal whole,
// a bracket, the opening quote of a string), a string is consumed to its closing quote only once its text is
// read (Text()). Number spelling is kept (RawText()). Strings are decoded to UTF-8 (lone surrogates become
// U+FFFD). Nesting deeper than kMaxDepth is an error, so nothing here can exhaust the stack.
// JacksonLocation() renders " at [Source: (String)"..."; line: L, column: C]" for a byte position.
// FindInvalidUtf8() finds the first byte that is not well-formed UTF-8 (the lexer itself passes bytes >= 0x80
// inside strings through unchecked; its callers check the whole text first).
// No I/O, no allocation beyond the decoded string buffer and the context stack.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "patterns/common/utf8.h"

namespace trailwatch::event {

enum class Tok {
  kNone,
  kStartObject,
  kEndObject,
  kStartArray,
  kEndArray,
  kFieldName,
  kString,
  kNumberInt,
  kNumberFloat,
  kTrue,
  kFalse,
  kNull,
  kEof,    // end of input at the root (no error)
  kError,  // syntax error: see error(), error_position()
};

bool IsNumberTok(Tok t);
bool IsScalarTok(Tok t);

class JsonLexer {
 public:
  static constexpr int kMaxDepth = 1000;

  explicit JsonLexer(std::string_view text) : text_(text) {}

  // The next token (Jackson's nextToken()). After kError or kEof every call returns the same.
  Tok Next();
  Tok current() const { return tok_.kind; }

  // Text of the current token: the decoded name (kFieldName), the decoded value (kString; this completes the
  // string, moving Position() past its closing quote), the spelling (numbers), "true"/"false"/"null".
  std::string_view Text();
  // The number spelling of the current number token.
  std::string_view RawText() const { return text_.substr(tok_.begin, tok_.end - tok_.begin); }
  // Byte offset where the current token starts (its first character, e.g. the opening quote).
  uint32_t TokenBegin() const { return tok_.begin; }
  // Byte offset just past the whole current token (closing quote of a string, closing bracket of a container
  // is not included: for containers this is the opening bracket + 1).
  uint32_t TokenEnd() const { return tok_.end; }
  // Jackson's current location as a byte offset into the text.
  uint32_t Position() const { return pos_; }
  // After kError: Jackson's message and the byte position its location points at.
  const std::string& error() const { return error_; }
  uint32_t error_position() const { return error_pos_; }
  std::string_view text() const { return text_; }
  int depth() const { return static_cast<int>(stack_.size()); }

 private:
  struct Ctx {
    bool object;
    bool has_entries;
    uint32_t start;
  };
  // A token as the lexer holds it: the current one (tok_), and in the same form the head of a value read
  // together with its field name and returned by the next Next() (pending_).
  struct Token {
    Tok kind = Tok::kNone;
    uint32_t begin = 0;
    uint32_t end = 0;
    bool string_incomplete = false;  // kString not yet read to its closing quote
    uint32_t string_end = 0;
    std::string string_error;        // deferred error inside the string value
    uint32_t string_error_pos = 0;
    std::string value;               // the string value (decoded)
  };
  Tok Fail(std::string message, uint32_t position);
  Tok ReadValueHead(bool in_array_after_comma);
  Tok ScanString(uint32_t start, std::string* out, bool field_name);
  Tok ScanNumber();
  void SkipWs();
  std::string CharDesc(uint32_t at) const;
  std::string EofInContainer() const;

  std::string_view text_;
  uint32_t pos_ = 0;
  Token tok_;
  bool has_pending_ = false;  // pending_ holds a value head not yet returned
  Token pending_;
  std::string name_;          // current field name
  bool started_ = false;
  std::vector<Ctx> stack_;
  std::string error_;
  uint32_t error_pos_ = 0;
};

// " at [Source: (String)\"<text, at most 500 chars>\"; line: L, column: C]" as Jackson appends to its
// messages, for a byte position in `text` (columns count UTF-16 units, 1-based).
std::string JacksonLocation(std::string_view text, uint32_t position);
// "[Source: ...; line: L, column: C]" without the leading " at ".
std::string JacksonSourceRef(std::string_view text, uint32_t position);

// Appends the UTF-8 encoding of a code point.
void AppendUtf8(uint32_t cp, std::string* out);

// FindInvalidUtf8(): patterns/common/utf8.h.
using ::trailwatch::FindInvalidUtf8;

}  // namespace trailwatch::event
