// regex.cc: validation and translation of the %...% dialect. See regex.h for the accepted language.
#include "patterns/filter/regex.h"

#include <re2/re2.h>

#include <cctype>

namespace trailwatch::filter {

namespace {

constexpr const char* kInvalidParameter = "InvalidParameterException";

Diagnostic RegexError(std::string message, uint32_t offset, uint32_t length, std::string hint = {}) {
  return Diagnostic{kInvalidParameter, "Invalid character(s) in term", std::move(message),
                    Span{offset, length}, std::move(hint), {}};
}

bool IsLiteralSymbol(char c) {
  switch (c) {
    case ':': case '_': case '#': case '=': case '@': case '/': case ';': case ',': case '-': case ' ':
      return true;
    default:
      return false;
  }
}

bool IsOperator(char c) {
  switch (c) {
    case '^': case '$': case '?': case '[': case ']': case '{': case '}': case '|': case '\\': case '*':
    case '+': case '.':
      return true;
    default:
      return false;
  }
}

bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Printable(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (u < 0x20 || u >= 0x7f) {
    static const char* kHex = "0123456789abcdef";
    return std::string("\\x") + kHex[u >> 4] + kHex[u & 15];
  }
  return std::string(1, c);
}

}  // namespace

Result<std::string> TranslateCwlRegex(std::string_view body, uint32_t base) {
  if (body.empty()) {
    return RegexError("empty regular expression %%", base > 0 ? base - 1 : 0, 2,
                      "write something between the % signs, or drop the pattern to match everything");
  }
  std::string out;
  out.reserve(body.size() + 8);
  bool in_class = false;
  size_t class_start = 0;
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    const uint32_t at = base + static_cast<uint32_t>(i);
    const unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      size_t n = 1;
      while (i + n < body.size() && (static_cast<unsigned char>(body[i + n]) & 0xC0) == 0x80) ++n;
      return RegexError("multi-byte character '" + std::string(body.substr(i, n)) +
                            "' is not allowed in a regular expression",
                        at, static_cast<uint32_t>(n), "match it with . or with \\xhh escapes of an ASCII symbol");
    }
    if (c == '(' || c == ')') {
      return RegexError(std::string("'") + c + "' is not allowed: CloudWatch regular expressions have no groups",
                        at, 1, std::string("to match a literal ") + c + " write " + (c == '(' ? "\\x28" : "\\x29") +
                                   "; to group alternatives, split them with | at the top level");
    }
    if (c == '\\') {
      if (i + 1 >= body.size()) return RegexError("'\\' at the end of the regular expression", at, 1);
      const char n = body[i + 1];
      if (n == '(' || n == ')') {
        return RegexError(std::string("'\\") + n + "' is not allowed: parentheses are rejected even when escaped",
                          at, 2, std::string("write ") + (n == '(' ? "\\x28" : "\\x29") + " instead");
      }
      switch (n) {
        case 'd': case 'D': case 's': case 'S': case 'w': case 'W': case 't': case 'n': case 'r':
          out += '\\';
          out += n;
          ++i;
          continue;
        case 'x':
          if (i + 3 < body.size() && IsHex(body[i + 2]) && IsHex(body[i + 3])) {
            out += "\\x";
            out += body[i + 2];
            out += body[i + 3];
            i += 3;
            continue;
          }
          return RegexError("'\\x' must be followed by two hexadecimal digits", at,
                            static_cast<uint32_t>(std::min<size_t>(4, body.size() - i)), "e.g. \\x3A for ':'");
        default:
          break;
      }
      if (IsOperator(n) || IsLiteralSymbol(n) || n == '%') {
        out += '\\';
        out += n;
        ++i;
        continue;
      }
      return RegexError("unsupported escape '\\" + Printable(n) + "'", at, 2,
                        "supported escapes: \\d \\D \\s \\S \\w \\W \\xhh and \\ before an operator symbol");
    }
    if (in_class) {
      if (c == ']' && i > class_start) {
        in_class = false;
        out += ']';
        continue;
      }
      if (std::isalnum(u) || IsLiteralSymbol(c) || IsOperator(c)) {
        if (c == '[') {
          out += "\\[";
        } else {
          out += c;
        }
        continue;
      }
      return RegexError("character '" + Printable(c) + "' is not allowed in a regular expression", at, 1,
                        "write it as \\xhh (its ASCII code in hexadecimal)");
    }
    if (c == '[') {
      in_class = true;
      out += '[';
      class_start = i + 1;
      if (class_start < body.size() && body[class_start] == '^') {
        out += '^';
        ++i;
        class_start = i + 1;
      }
      continue;
    }
    if (c == '{') {
      // {m} {m,} {m,n} {,n}
      size_t j = i + 1;
      std::string lo, hi;
      while (j < body.size() && IsDigit(body[j])) lo += body[j++];
      bool comma = false;
      if (j < body.size() && body[j] == ',') {
        comma = true;
        ++j;
        while (j < body.size() && IsDigit(body[j])) hi += body[j++];
      }
      if (j >= body.size() || body[j] != '}' || (lo.empty() && hi.empty())) {
        return RegexError("incomplete repetition '" + std::string(body.substr(i, j - i + (j < body.size()))) +
                              "': expected {m}, {m,}, {,n} or {m,n}",
                          at, static_cast<uint32_t>(j - i + (j < body.size() ? 1 : 0)),
                          "to match a literal brace write \\{");
      }
      if (i == 0 || (out.size() > 0 && (out.back() == '|' || out.back() == '^'))) {
        return RegexError("repetition '" + std::string(body.substr(i, j - i + 1)) + "' has nothing to repeat", at,
                          static_cast<uint32_t>(j - i + 1));
      }
      out += '{';
      out += lo.empty() ? "0" : lo;
      if (comma) {
        out += ',';
        out += hi;
      }
      out += '}';
      i = j;
      continue;
    }
    if (c == '}' || c == ']') {
      return RegexError(std::string("unbalanced '") + c + "'", at, 1,
                        std::string("to match a literal ") + c + " write \\" + c);
    }
    if (std::isalnum(u) || IsLiteralSymbol(c) || IsOperator(c)) {  // RE2 reads all of these as CloudWatch does
      out += c;
      continue;
    }
    return RegexError("character '" + Printable(c) + "' is not allowed in a regular expression", at, 1,
                      "write it as \\xhh (its ASCII code in hexadecimal), e.g. \\x21 for '!'");
  }
  if (in_class) {
    return RegexError("unterminated character class '['", base + static_cast<uint32_t>(class_start - 1), 1,
                      "close it with ]");
  }
  if (std::string problem = Re2Problem(out); !problem.empty()) {
    return RegexError("invalid regular expression: " + problem, base, static_cast<uint32_t>(body.size()));
  }
  return out;
}

std::string Re2Problem(const std::string& re2_pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_never_capture(true);
  RE2 re(re2_pattern, options);
  return re.ok() ? std::string() : re.error();
}

}  // namespace trailwatch::filter
