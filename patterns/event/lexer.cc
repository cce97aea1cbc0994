// lexer.cc: see lexer.h. Messages follow Jackson 2.x's wording for the same mistakes.
#include "patterns/event/lexer.h"

#include <cstdio>
#include <utility>

namespace trailwatch::event {

namespace {

constexpr const char* kExpectingValue =
    "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

bool IsWs(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentPart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
         c >= 0x80;
}
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes one UTF-8 sequence at text[at]; returns the code point and sets *len (1 for invalid bytes).
uint32_t DecodeAt(std::string_view text, size_t at, size_t* len) {
  const unsigned char c = static_cast<unsigned char>(text[at]);
  *len = 1;
  if (c < 0x80) return c;
  int n = 0;
  uint32_t cp = 0;
  if ((c & 0xE0) == 0xC0) n = 1, cp = c & 0x1F;
  else if ((c & 0xF0) == 0xE0) n = 2, cp = c & 0x0F;
  else if ((c & 0xF8) == 0xF0) n = 3, cp = c & 0x07;
  else return c;
  if (at + n >= text.size()) return c;
  for (int i = 1; i <= n; ++i) {
    const unsigned char d = static_cast<unsigned char>(text[at + i]);
    if ((d & 0xC0) != 0x80) return c;
    cp = (cp << 6) | (d & 0x3F);
  }
  *len = n + 1;
  return cp;
}

}  // namespace


bool IsNumberTok(Tok t) { return t == Tok::kNumberInt || t == Tok::kNumberFloat; }
bool IsScalarTok(Tok t) {
  return t == Tok::kString || IsNumberTok(t) || t == Tok::kTrue || t == Tok::kFalse || t == Tok::kNull;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string JacksonSourceRef(std::string_view text, uint32_t position) {
  // Jackson counts lines on '\n' and columns in UTF-16 units from the start of the line, 1-based.
  uint32_t line = 1, column = 1;
  size_t total_units = 0;
  for (size_t i = 0; i < text.size();) {
    size_t len;
    const uint32_t cp = DecodeAt(text, i, &len);
    const int units = cp >= 0x10000 ? 2 : 1;
    if (i < position) {
      if (cp == '\n') {
        ++line;
        column = 1;
      } else {
        column += units;
      }
    }
    total_units += units;
    i += len;
  }
  // Content: at most 500 UTF-16 units, then "[truncated N chars]".
  std::string content;
  size_t units = 0;
  size_t i = 0;
  for (; i < text.size();) {
    size_t len;
    const uint32_t cp = DecodeAt(text, i, &len);
    int bad;
    const bool well_formed = WellFormedUtf8At(text, i, &bad) > 0;
    const int u = well_formed && cp >= 0x10000 ? 2 : 1;
    if (units + u > 500) break;
    // A byte that does not decode is shown as U+FFFD, as Java decodes it, so the message stays UTF-8.
    if (well_formed) {
      content.append(text.substr(i, len));
    } else {
      content.append("\xEF\xBF\xBD");
      len = 1;
    }
    units += u;
    i += len;
  }
  std::string out = "[Source: (String)\"" + content + "\"";
  if (i < text.size()) out += "[truncated " + std::to_string(total_units - units) + " chars]";
  out += "; line: " + std::to_string(line) + ", column: " + std::to_string(column) + "]";
  return out;
}

std::string JacksonLocation(std::string_view text, uint32_t position) {
  return "\n at " + JacksonSourceRef(text, position);
}

Tok JsonLexer::Fail(std::string message, uint32_t position) {
  error_ = std::move(message);
  error_pos_ = position;
  pos_ = position;
  tok_.kind = Tok::kError;
  return tok_.kind;
}

std::string JsonLexer::CharDesc(uint32_t at) const {
  size_t len;
  const uint32_t cp = DecodeAt(text_, at, &len);
  if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return "(CTRL-CHAR, code " + std::to_string(cp) + ")";
  std::string ch(text_.substr(at, len));
  if (cp > 255) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "%x", cp);
    return "'" + ch + "' (code " + std::to_string(cp) + " / 0x" + hex + ")";
  }
  return "'" + ch + "' (code " + std::to_string(cp) + ")";
}

std::string JsonLexer::EofInContainer() const {
  const Ctx& c = stack_.back();
  return std::string("Unexpected end-of-input: expected close marker for ") + (c.object ? "Object" : "Array") +
         " (start marker at " + JacksonSourceRef(text_, c.start) + ")";
}

void JsonLexer::SkipWs() {
  while (pos_ < text_.size() && IsWs(text_[pos_])) ++pos_;
}

Tok JsonLexer::ScanString(uint32_t start, std::string* out, bool field_name) {
  // text_[start] is the opening quote. Decodes into *out; returns kString on success. For values an error is
  // deferred (tok_.string_error) because Jackson reports it only when the string is read or skipped.
  out->clear();
  uint32_t i = start + 1;
  std::string err;
  uint32_t err_pos = 0;
  auto set_err = [&](std::string m, uint32_t p) {
    if (err.empty()) {
      err = std::move(m);
      err_pos = p;
    }
  };
  while (true) {
    if (i >= text_.size()) {
      set_err(field_name ? "Unexpected end-of-input in field name"
                         : "Unexpected end-of-input: was expecting closing quote for a string value",
              static_cast<uint32_t>(text_.size()));
      break;
    }
    const char c = text_[i];
    if (c == '"') {
      ++i;
      break;
    }
    if (static_cast<unsigned char>(c) < 0x20) {
      set_err(std::string("Illegal unquoted character (") + CharDesc(i) +
                  "): has to be escaped using backslash to be included in " + (field_name ? "name" : "string value"),
              i + 1);
      out->push_back(c);
      ++i;
      continue;
    }
    if (c != '\\') {
      out->push_back(c);
      ++i;
      continue;
    }
    // escape
    if (i + 1 >= text_.size()) {
      set_err(field_name ? "Unexpected end-of-input in field name"
                         : "Unexpected end-of-input: was expecting closing quote for a string value",
              static_cast<uint32_t>(text_.size()));
      i = static_cast<uint32_t>(text_.size());
      break;
    }
    const char e = text_[i + 1];
    i += 2;
    switch (e) {
      case '"': out->push_back('"'); break;
      case '\\': out->push_back('\\'); break;
      case '/': out->push_back('/'); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'u': {
        uint32_t cp = 0;
        bool ok = true;
        for (int k = 0; k < 4; ++k) {
          if (i >= text_.size()) {
            set_err("Unexpected end-of-input in character escape sequence", static_cast<uint32_t>(text_.size()));
            ok = false;
            break;
          }
          const int h = HexValue(text_[i]);
          if (h < 0) {
            set_err("Unexpected character (" + CharDesc(i) + "): expected a hex-digit for character escape sequence",
                    i + 1);
            ok = false;
            break;
          }
          cp = cp * 16 + static_cast<uint32_t>(h);
          ++i;
        }
        if (!ok) break;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 5 < text_.size() && text_[i] == '\\' && text_[i + 1] == 'u') {
          uint32_t lo = 0;
          bool lo_ok = true;
          for (int k = 0; k < 4; ++k) {
            const int h = HexValue(text_[i + 2 + k]);
            if (h < 0) {
              lo_ok = false;
              break;
            }
            lo = lo * 16 + static_cast<uint32_t>(h);
          }
          if (lo_ok && lo >= 0xDC00 && lo <= 0xDFFF) {
            AppendUtf8(0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00), out);
            i += 6;
            break;
          }
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
        AppendUtf8(cp, out);
        break;
      }
      default:
        set_err("Unrecognized character escape " + CharDesc(i - 1), i);
        out->push_back(e);
        break;
    }
  }
  tok_.string_end = i;
  if (field_name) {
    if (!err.empty()) return Fail(err, err_pos);
  } else {
    tok_.string_error = err;
    tok_.string_error_pos = err_pos;
  }
  return Tok::kString;
}

Tok JsonLexer::ScanNumber() {
  const uint32_t start = pos_;
  uint32_t i = pos_;
  bool is_float = false;
  if (text_[i] == '-') {
    ++i;
    if (i >= text_.size() || !IsDigit(text_[i])) {
      if (i >= text_.size()) return Fail("Unexpected end-of-input in a Number value", i);
      return Fail("Unexpected character (" + CharDesc(i) +
                      ") in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value",
                  i + 1);
    }
  }
  if (text_[i] == '0' && i + 1 < text_.size() && IsDigit(text_[i + 1])) {
    return Fail("Invalid numeric value: Leading zeroes not allowed", i + 2);
  }
  while (i < text_.size() && IsDigit(text_[i])) ++i;
  if (i < text_.size() && text_[i] == '.') {
    is_float = true;
    ++i;
    if (i >= text_.size() || !IsDigit(text_[i])) {
      if (i >= text_.size()) return Fail("Unexpected end-of-input in a Number value", i);
      return Fail("Unexpected character (" + CharDesc(i) + ") in numeric value: Decimal point not followed by a digit",
                  i + 1);
    }
    while (i < text_.size() && IsDigit(text_[i])) ++i;
  }
  if (i < text_.size() && (text_[i] == 'e' || text_[i] == 'E')) {
    is_float = true;
    ++i;
    if (i < text_.size() && (text_[i] == '+' || text_[i] == '-')) ++i;
    if (i >= text_.size() || !IsDigit(text_[i])) {
      if (i >= text_.size()) return Fail("Unexpected end-of-input in a Number value", i);
      return Fail("Unexpected character (" + CharDesc(i) +
                      ") in numeric value: Exponent indicator not followed by a digit",
                  i + 1);
    }
    while (i < text_.size() && IsDigit(text_[i])) ++i;
  }
  tok_.begin = start;
  tok_.end = i;
  pos_ = i;
  return is_float ? Tok::kNumberFloat : Tok::kNumberInt;
}

// Reads the head of a value at pos_ (whitespace already skipped). Sets tok_.begin/tok_.end/pos_.
Tok JsonLexer::ReadValueHead(bool in_array_after_comma) {
  (void)in_array_after_comma;
  if (pos_ >= text_.size()) {
    if (stack_.empty()) return Tok::kEof;
    return Fail(EofInContainer(), pos_);
  }
  const char c = text_[pos_];
  tok_.begin = pos_;
  switch (c) {
    case '{':
    case '[':
      if (static_cast<int>(stack_.size()) >= kMaxDepth) {
        return Fail("Document nesting depth exceeds the maximum allowed (" + std::to_string(kMaxDepth) + ")",
                    pos_ + 1);
      }
      stack_.push_back({c == '{', false, pos_});
      ++pos_;
      tok_.end = pos_;
      return c == '{' ? Tok::kStartObject : Tok::kStartArray;
    case '"': {
      Tok t = ScanString(pos_, &tok_.value, false);
      if (t == Tok::kError) return t;
      tok_.end = tok_.string_end;
      pos_ = tok_.begin + 1;
      tok_.string_incomplete = true;
      return Tok::kString;
    }
    case 't':
    case 'f':
    case 'n': {
      const std::string_view word = c == 't' ? "true" : c == 'f' ? "false" : "null";
      if (text_.substr(pos_, word.size()) == word &&
          (pos_ + word.size() >= text_.size() || !IsIdentPart(static_cast<unsigned char>(text_[pos_ + word.size()])))) {
        pos_ += static_cast<uint32_t>(word.size());
        tok_.end = pos_;
        return c == 't' ? Tok::kTrue : c == 'f' ? Tok::kFalse : Tok::kNull;
      }
      break;
    }
    default:
      break;
  }
  if (c == '-' || IsDigit(c)) return ScanNumber();
  if (IsIdentPart(static_cast<unsigned char>(c))) {
    uint32_t i = pos_;
    while (i < text_.size() && IsIdentPart(static_cast<unsigned char>(text_[i])) && i - pos_ < 256) ++i;
    return Fail("Unrecognized token '" + std::string(text_.substr(pos_, i - pos_)) + "': was expecting " +
                    kExpectingValue,
                i);
  }
  return Fail("Unexpected character (" + CharDesc(pos_) + "): expected a valid value " + kExpectingValue, pos_);
}

Tok JsonLexer::Next() {
  if (tok_.kind == Tok::kError || tok_.kind == Tok::kEof) return tok_.kind;
  if (has_pending_) {
    has_pending_ = false;
    std::swap(tok_, pending_);
    return tok_.kind;
  }
  if (tok_.string_incomplete) {
    tok_.string_incomplete = false;
    if (!tok_.string_error.empty()) return Fail(tok_.string_error, tok_.string_error_pos);
    pos_ = tok_.string_end;
  }
  SkipWs();
  if (stack_.empty()) {
    if (started_) {
      if (pos_ < text_.size()) {
        return Fail("Unexpected character (" + CharDesc(pos_) + "): expected end of input", pos_);
      }
      tok_.kind = Tok::kEof;
      return tok_.kind;
    }
    started_ = true;
    tok_.kind = ReadValueHead(false);
    return tok_.kind;
  }
  Ctx& ctx = stack_.back();
  if (pos_ >= text_.size()) return Fail(EofInContainer(), pos_);
  const char c = text_[pos_];
  if (ctx.object) {
    if (c == '}' && !ctx.has_entries) {
      stack_.pop_back();
      tok_.begin = pos_;
      ++pos_;
      tok_.end = pos_;
      tok_.kind = Tok::kEndObject;
      return tok_.kind;
    }
    if (ctx.has_entries) {
      if (c == '}') {
        stack_.pop_back();
        tok_.begin = pos_;
        ++pos_;
        tok_.end = pos_;
        tok_.kind = Tok::kEndObject;
        return tok_.kind;
      }
      if (c != ',') {
        return Fail("Unexpected character (" + CharDesc(pos_) + "): was expecting comma to separate Object entries",
                    pos_);
      }
      ++pos_;
      SkipWs();
      if (pos_ >= text_.size()) return Fail(EofInContainer(), pos_);
    }
    if (text_[pos_] != '"') {
      return Fail("Unexpected character (" + CharDesc(pos_) + "): was expecting double-quote to start field name",
                  pos_);
    }
    const uint32_t name_begin = pos_;
    if (ScanString(pos_, &name_, true) == Tok::kError) return tok_.kind;
    pos_ = tok_.string_end;
    const uint32_t name_end = pos_;
    SkipWs();
    if (pos_ >= text_.size()) return Fail(EofInContainer(), pos_);
    if (text_[pos_] != ':') {
      return Fail("Unexpected character (" + CharDesc(pos_) +
                      "): was expecting a colon to separate field name and value",
                  pos_);
    }
    ++pos_;
    SkipWs();
    ctx.has_entries = true;
    // Jackson reads the value's head together with the name.
    const Tok head = ReadValueHead(false);
    if (head == Tok::kError) return head;
    if (head == Tok::kEof) return Fail(EofInContainer(), pos_);
    has_pending_ = true;
    tok_.kind = head;
    std::swap(tok_, pending_);
    tok_.kind = Tok::kFieldName;
    tok_.begin = name_begin;
    tok_.end = name_end;
    tok_.string_incomplete = false;
    return tok_.kind;
  }
  // array
  if (c == ']') {
    stack_.pop_back();
    tok_.begin = pos_;
    ++pos_;
    tok_.end = pos_;
    tok_.kind = Tok::kEndArray;
    return tok_.kind;
  }
  bool after_comma = false;
  if (ctx.has_entries) {
    if (c != ',') {
      return Fail("Unexpected character (" + CharDesc(pos_) + "): was expecting comma to separate Array entries",
                  pos_);
    }
    ++pos_;
    SkipWs();
    after_comma = true;
  }
  ctx.has_entries = true;
  const Tok t = ReadValueHead(after_comma);
  if (t == Tok::kEof) return Fail(EofInContainer(), pos_);
  tok_.kind = t;
  return tok_.kind;
}

std::string_view JsonLexer::Text() {
  switch (tok_.kind) {
    case Tok::kFieldName:
      return name_;
    case Tok::kString:
      if (tok_.string_incomplete) {
        tok_.string_incomplete = false;
        if (!tok_.string_error.empty()) {
          Fail(tok_.string_error, tok_.string_error_pos);
          return {};
        }
        pos_ = tok_.string_end;
      }
      return tok_.value;
    case Tok::kNumberInt:
    case Tok::kNumberFloat:
    case Tok::kTrue:
    case Tok::kFalse:
    case Tok::kNull:
      return RawText();
    case Tok::kStartObject: return "{";
    case Tok::kEndObject: return "}";
    case Tok::kStartArray: return "[";
    case Tok::kEndArray: return "]";
    default:
      return {};
  }
}

}  // namespace trailwatch::event
