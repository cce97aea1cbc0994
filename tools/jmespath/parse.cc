// parse.cc: the JMESPath lexer and Pratt parser, a port of the grammar of Python's jmespath 1.0 (the AWS
// CLI's) with its binding powers and error texts. See jmespath.h.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "tools/jmespath/internal.h"

namespace trailwatch::jmespath {
namespace {

enum class T {
  kEof, kUnquoted, kQuoted, kLiteral, kRbracket, kRparen, kComma, kRbrace, kNumber, kCurrent, kExpref, kColon,
  kPipe, kOr, kAnd, kEq, kGt, kLt, kGte, kLte, kNe, kFlatten, kStar, kFilter, kDot, kNot, kLbrace, kLbracket,
  kLparen,
};

const char* TypeName(T t) {
  switch (t) {
    case T::kEof: return "eof";
    case T::kUnquoted: return "unquoted_identifier";
    case T::kQuoted: return "quoted_identifier";
    case T::kLiteral: return "literal";
    case T::kRbracket: return "rbracket";
    case T::kRparen: return "rparen";
    case T::kComma: return "comma";
    case T::kRbrace: return "rbrace";
    case T::kNumber: return "number";
    case T::kCurrent: return "current";
    case T::kExpref: return "expref";
    case T::kColon: return "colon";
    case T::kPipe: return "pipe";
    case T::kOr: return "or";
    case T::kAnd: return "and";
    case T::kEq: return "eq";
    case T::kGt: return "gt";
    case T::kLt: return "lt";
    case T::kGte: return "gte";
    case T::kLte: return "lte";
    case T::kNe: return "ne";
    case T::kFlatten: return "flatten";
    case T::kStar: return "star";
    case T::kFilter: return "filter";
    case T::kDot: return "dot";
    case T::kNot: return "not";
    case T::kLbrace: return "lbrace";
    case T::kLbracket: return "lbracket";
    case T::kLparen: return "lparen";
  }
  return "";
}

int BindingPower(T t) {
  switch (t) {
    case T::kPipe: return 1;
    case T::kOr: return 2;
    case T::kAnd: return 3;
    case T::kEq: case T::kGt: case T::kLt: case T::kGte: case T::kLte: case T::kNe: return 5;
    case T::kFlatten: return 9;
    case T::kStar: return 20;
    case T::kFilter: return 21;
    case T::kDot: return 40;
    case T::kNot: return 45;
    case T::kLbrace: return 50;
    case T::kLbracket: return 55;
    case T::kLparen: return 60;
    default: return 0;
  }
}
constexpr int kProjectionStop = 10;

struct Token {
  T type = T::kEof;
  std::string text;  // identifiers: the name; the value as Python's str() shows it, for error messages
  Json value;        // literals
  int64_t number = 0;
  size_t start = 0;  // in code points, as Python counts positions
};

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return s;
}

// ParseError's text: "<msg>: Parse error at column N, token "V" (TYPE), for expression:\n"E"\n   ^".
[[noreturn]] void ParseErrorAt(const std::string& expression, const Token& t, const std::string& msg) {
  throw Error{"ParseError",
              msg + ": Parse error at column " + std::to_string(t.start) + ", token \"" + t.text + "\" (" +
                  Upper(TypeName(t.type)) + "), for expression:\n\"" + expression + "\"\n" +
                  std::string(t.start + 1, ' ') + "^",
              t.start};
}

[[noreturn]] void Incomplete(const std::string& expression) {
  const size_t n = CodePoints(expression);
  throw Error{"IncompleteExpressionError",
              "Invalid jmespath expression: Incomplete expression:\n\"" + expression + "\"\n" + std::string(n + 1, ' ') + "^",
              n};
}

class Lexer {
 public:
  explicit Lexer(const std::string& e) : e_(e) {
    // Code point starts: Python positions count characters, not bytes.
    for (size_t i = 0; i < e.size(); ++i) {
      if ((static_cast<unsigned char>(e[i]) & 0xC0) != 0x80) starts_.push_back(i);
    }
    starts_.push_back(e.size());
  }

  std::vector<Token> Tokens() {
    std::vector<Token> out;
    while (pos_ < Count()) {
      const char c = Char();
      Token t;
      t.start = pos_;
      auto simple = [&](T type) {
        t.type = type;
        t.text = std::string(1, c);
        ++pos_;
        out.push_back(std::move(t));
      };
      switch (c) {
        case '.': simple(T::kDot); continue;
        case '*': simple(T::kStar); continue;
        case ']': simple(T::kRbracket); continue;
        case ',': simple(T::kComma); continue;
        case ':': simple(T::kColon); continue;
        case '@': simple(T::kCurrent); continue;
        case '(': simple(T::kLparen); continue;
        case ')': simple(T::kRparen); continue;
        case '{': simple(T::kLbrace); continue;
        case '}': simple(T::kRbrace); continue;
        case ' ': case '\t': case '\n': case '\r': ++pos_; continue;
        default: break;
      }
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
        const size_t b = pos_;
        while (pos_ < Count() && IsIdentChar(Char())) ++pos_;
        t.type = T::kUnquoted;
        t.text = Slice(b, pos_);
      } else if (c == '[') {
        ++pos_;
        if (pos_ < Count() && Char() == ']') {
          ++pos_;
          t.type = T::kFlatten;
          t.text = "[]";
        } else if (pos_ < Count() && Char() == '?') {
          ++pos_;
          t.type = T::kFilter;
          t.text = "[?";
        } else {
          t.type = T::kLbracket;
          t.text = "[";
        }
      } else if (c == '\'') {
        std::string lexeme = Until('\'');
        t.type = T::kLiteral;
        t.value = ReplaceAll(lexeme, "\\'", "'");
        t.text = PythonStr(t.value);
      } else if (c == '|') {
        t = OrElse('|', T::kOr, T::kPipe);
      } else if (c == '&') {
        t = OrElse('&', T::kAnd, T::kExpref);
      } else if (c == '`') {
        t = Literal();
      } else if ((c >= '0' && c <= '9') || c == '-') {
        const size_t b = pos_;
        ++pos_;
        while (pos_ < Count() && Char() >= '0' && Char() <= '9') ++pos_;
        const std::string digits = Slice(b, pos_);
        if (digits == "-") {
          throw Error{"LexerError", LexerText("Unknown token '-'", b), b};
        }
        t.type = T::kNumber;
        t.number = SaturatingInt(digits);
        t.text = std::to_string(t.number);  // Python shows the int it read
      } else if (c == '"') {
        const size_t b = pos_;
        const std::string lexeme = "\"" + Until('"') + "\"";
        Json v = Json::parse(lexeme, nullptr, false);
        if (v.is_discarded() || !v.is_string()) {
          throw Error{"LexerError", LexerText(QuotedError(lexeme), b), b};
        }
        t.type = T::kQuoted;
        t.text = v.get<std::string>();
      } else if (c == '<') {
        t = OrElse('=', T::kLte, T::kLt);
      } else if (c == '>') {
        t = OrElse('=', T::kGte, T::kGt);
      } else if (c == '!') {
        t = OrElse('=', T::kNe, T::kNot);
      } else if (c == '=') {
        ++pos_;
        if (pos_ < Count() && Char() == '=') {
          ++pos_;
          t.type = T::kEq;
          t.text = "==";
        } else {
          const size_t at = pos_ < Count() ? pos_ - 1 : t.start;
          throw Error{"LexerError", LexerText("Unknown token '='", at), at};
        }
      } else {
        throw Error{"LexerError", LexerText("Unknown token " + Slice(pos_, pos_ + 1), pos_), pos_};
      }
      out.push_back(std::move(t));
    }
    Token eof;
    eof.start = Count();
    out.push_back(eof);
    return out;
  }

 private:
  size_t Count() const { return starts_.size() - 1; }
  char Char() const { return e_[starts_[pos_]]; }
  std::string Slice(size_t from, size_t to) const {
    to = std::min(to, Count());
    return e_.substr(starts_[from], starts_[to] - starts_[from]);
  }
  static bool IsIdentChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
  std::string LexerText(const std::string& message, size_t at) const {
    return "Bad jmespath expression: " + message + ":\n" + e_ + "\n" + std::string(at, ' ') + "^";
  }
  Token OrElse(char expected, T match, T other) {
    Token t;
    t.start = pos_;
    const char c = Char();
    ++pos_;
    if (pos_ < Count() && Char() == expected) {
      ++pos_;
      t.type = match;
      t.text = std::string{c, expected};
    } else {
      t.type = other;
      t.text = std::string(1, c);
    }
    return t;
  }
  // Up to an unescaped `delimiter` (a backslash keeps itself and the next character); past it.
  std::string Until(char delimiter) {
    const size_t start = pos_;
    std::string buff;
    ++pos_;
    while (pos_ >= Count() || Char() != delimiter) {
      if (pos_ < Count() && Char() == '\\') {
        buff += '\\';
        ++pos_;
      }
      if (pos_ >= Count()) {
        throw Error{"LexerError", LexerText(std::string("Unclosed ") + delimiter + " delimiter", start), start};
      }
      buff += Slice(pos_, pos_ + 1);
      ++pos_;
    }
    ++pos_;
    return buff;
  }
  Token Literal() {
    Token t;
    t.start = pos_;
    const std::string lexeme = ReplaceAll(Until('`'), "\\`", "`");
    Json v;
    if (!ParsePythonJson(lexeme, &v)) {
      // JEP-12's deprecated form: text that is not JSON is a string.
      size_t b = 0;
      while (b < lexeme.size() && (lexeme[b] == ' ' || lexeme[b] == '\t' || lexeme[b] == '\n' || lexeme[b] == '\r' ||
                                   lexeme[b] == '\f' || lexeme[b] == '\v')) {
        ++b;
      }
      if (!ParsePythonJson("\"" + lexeme.substr(b) + "\"", &v)) {
        throw Error{"LexerError", LexerText("Bad token " + lexeme, t.start), t.start};
      }
    }
    t.type = T::kLiteral;
    t.value = std::move(v);
    t.text = PythonStr(t.value);
    return t;
  }
  static std::string QuotedError(const std::string& lexeme) {
    for (size_t i = 1; i + 1 < lexeme.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(lexeme[i]);
      if (c < 0x20) return "Invalid control character at";
      if (c == '\\') {
        const char n = lexeme[i + 1];
        if (n == 'u') {
          if (i + 5 >= lexeme.size()) return "Invalid \\uXXXX escape";
          for (size_t k = 2; k <= 5; ++k) {
            if (!std::isxdigit(static_cast<unsigned char>(lexeme[i + k]))) return "Invalid \\uXXXX escape";
          }
          i += 5;
        } else if (std::string_view("\"\\/bfnrt").find(n) == std::string_view::npos) {
          return "Invalid \\escape";
        } else {
          ++i;
        }
      }
    }
    return "Invalid string";
  }
  static int64_t SaturatingInt(const std::string& digits) {
    const bool neg = digits[0] == '-';
    int64_t v = 0;
    for (size_t i = neg ? 1 : 0; i < digits.size(); ++i) {
      const int d = digits[i] - '0';
      if (v > (INT64_MAX - d) / 10) return neg ? INT64_MIN : INT64_MAX;
      v = v * 10 + d;
    }
    return neg ? -v : v;
  }

  const std::string& e_;
  std::vector<size_t> starts_;
  size_t pos_ = 0;
};

class Parser {
 public:
  Parser(const std::string& expression, std::vector<Token> tokens) : e_(expression), t_(std::move(tokens)) {}

  Node Parse() {
    Node n = Expression(0);
    if (Current() != T::kEof) {
      const Token& t = Look(0);
      ParseErrorAt(e_, t, "Unexpected token: " + t.text);
    }
    return n;
  }

 private:
  T Current() const { return t_[i_].type; }
  T Lookahead(size_t n) const { return t_[std::min(i_ + n, t_.size() - 1)].type; }
  const Token& Look(size_t n) const { return t_[std::min(i_ + n, t_.size() - 1)]; }
  void Advance() {
    if (i_ + 1 < t_.size()) ++i_;
  }

  Node Expression(int bp) {
    if (++depth_ > kMaxDepth) {
      throw Error{"ParseError", "Invalid jmespath expression: nested more than " + std::to_string(kMaxDepth) +
                                    " levels deep", Look(0).start};
    }
    const Token left_token = Look(0);
    Advance();
    Node left = Nud(left_token);
    while (bp < BindingPower(Current())) left = Led(left);
    --depth_;
    return left;
  }

  static Node Make(Node::K kind, std::vector<Node> children = {}) {
    Node n;
    n.kind = kind;
    n.children = std::move(children);
    return n;
  }
  static Node Identity() { return Make(Node::K::kIdentity); }

  Node Nud(const Token& t) {
    switch (t.type) {
      case T::kLiteral: {
        Node n = Make(Node::K::kLiteral);
        n.literal = t.value;
        return n;
      }
      case T::kUnquoted: {
        Node n = Make(Node::K::kField);
        n.name = t.text;
        return n;
      }
      case T::kQuoted: {
        Node n = Make(Node::K::kField);
        n.name = t.text;
        if (Current() == T::kLparen) {
          Token at = Look(0);
          at.start = 0;
          ParseErrorAt(e_, at, "Quoted identifier not allowed for function names.");
        }
        return n;
      }
      case T::kStar: {
        Node right = Current() == T::kRbracket ? Identity() : ProjectionRhs(BindingPower(T::kStar));
        return Make(Node::K::kValueProjection, {Identity(), std::move(right)});
      }
      case T::kFilter: return LedFilter(Identity());
      case T::kLbrace: return MultiSelectHash();
      case T::kLparen: {
        Node n = Expression(0);
        Match(T::kRparen);
        return n;
      }
      case T::kFlatten: {
        Node left = Make(Node::K::kFlatten, {Identity()});
        Node right = ProjectionRhs(BindingPower(T::kFlatten));
        return Make(Node::K::kProjection, {std::move(left), std::move(right)});
      }
      case T::kNot: return Make(Node::K::kNot, {Expression(BindingPower(T::kNot))});
      case T::kLbracket:
        if (Current() == T::kNumber || Current() == T::kColon) {
          Node right = IndexExpression();
          return ProjectIfSlice(Identity(), std::move(right));
        }
        if (Current() == T::kStar && Lookahead(1) == T::kRbracket) {
          Advance();
          Advance();
          Node right = ProjectionRhs(BindingPower(T::kStar));
          return Make(Node::K::kProjection, {Identity(), std::move(right)});
        }
        return MultiSelectList();
      case T::kCurrent: return Make(Node::K::kCurrent);
      case T::kExpref: return Make(Node::K::kExpref, {Expression(BindingPower(T::kExpref))});
      case T::kEof: Incomplete(e_);
      default: ParseErrorAt(e_, t, "invalid token");
    }
  }

  Node Led(Node left) {
    const T type = Current();
    switch (type) {
      case T::kDot: {
        Advance();
        if (Current() != T::kStar) {
          Node right = DotRhs(BindingPower(T::kDot));
          if (left.kind == Node::K::kSubexpression) {
            left.children.push_back(std::move(right));
            return left;
          }
          return Make(Node::K::kSubexpression, {std::move(left), std::move(right)});
        }
        Advance();
        Node right = ProjectionRhs(BindingPower(T::kDot));
        return Make(Node::K::kValueProjection, {std::move(left), std::move(right)});
      }
      case T::kPipe: {
        Advance();
        Node right = Expression(BindingPower(T::kPipe));
        return Make(Node::K::kPipe, {std::move(left), std::move(right)});
      }
      case T::kOr: {
        Advance();
        Node right = Expression(BindingPower(T::kOr));
        return Make(Node::K::kOr, {std::move(left), std::move(right)});
      }
      case T::kAnd: {
        Advance();
        Node right = Expression(BindingPower(T::kAnd));
        return Make(Node::K::kAnd, {std::move(left), std::move(right)});
      }
      case T::kLparen: {
        Advance();
        if (left.kind != Node::K::kField) {
          const Token& prev = t_[i_ >= 2 ? i_ - 2 : 0];
          ParseErrorAt(e_, prev, "Invalid function name '" + prev.text + "'");
        }
        Node f = Make(Node::K::kFunction);
        f.name = left.name;
        while (Current() != T::kRparen) {
          Node arg = Expression(0);
          if (Current() == T::kComma) Match(T::kComma);
          f.children.push_back(std::move(arg));
        }
        Match(T::kRparen);
        return f;
      }
      case T::kFilter:
        Advance();
        return LedFilter(std::move(left));
      case T::kEq: case T::kNe: case T::kGt: case T::kGte: case T::kLt: case T::kLte: {
        Advance();
        Node right = Expression(BindingPower(type));
        Node n = Make(Node::K::kComparator, {std::move(left), std::move(right)});
        n.name = TypeName(type);
        return n;
      }
      case T::kFlatten: {
        Advance();
        Node l = Make(Node::K::kFlatten, {std::move(left)});
        Node right = ProjectionRhs(BindingPower(T::kFlatten));
        return Make(Node::K::kProjection, {std::move(l), std::move(right)});
      }
      case T::kLbracket: {
        Advance();
        if (Current() == T::kNumber || Current() == T::kColon) {
          Node right = IndexExpression();
          if (left.kind == Node::K::kIndexExpression) {
            left.children.push_back(std::move(right));
            return left;
          }
          return ProjectIfSlice(std::move(left), std::move(right));
        }
        Match(T::kStar);
        Match(T::kRbracket);
        Node right = ProjectionRhs(BindingPower(T::kStar));
        return Make(Node::K::kProjection, {std::move(left), std::move(right)});
      }
      default: ParseErrorAt(e_, Look(0), "invalid token");
    }
  }

  Node LedFilter(Node left) {
    Node condition = Expression(0);
    Match(T::kRbracket);
    Node right = Current() == T::kFlatten ? Identity() : ProjectionRhs(BindingPower(T::kFilter));
    return Make(Node::K::kFilterProjection, {std::move(left), std::move(right), std::move(condition)});
  }

  Node IndexExpression() {
    if (Lookahead(0) == T::kColon || Lookahead(1) == T::kColon) return SliceExpression();
    Node n = Make(Node::K::kIndex);
    n.index = Look(0).number;
    Advance();
    Match(T::kRbracket);
    return n;
  }

  Node SliceExpression() {
    Node n = Make(Node::K::kSlice);
    int index = 0;
    while (Current() != T::kRbracket && index < 3) {
      if (Current() == T::kColon) {
        ++index;
        if (index == 3) ParseErrorAt(e_, Look(0), "syntax error");
        Advance();
      } else if (Current() == T::kNumber) {
        n.slice[index] = Look(0).number;
        Advance();
      } else {
        ParseErrorAt(e_, Look(0), "syntax error");
      }
    }
    Match(T::kRbracket);
    return n;
  }

  Node ProjectIfSlice(Node left, Node right) {
    const bool slice = right.kind == Node::K::kSlice;
    Node index = Make(Node::K::kIndexExpression, {std::move(left), std::move(right)});
    if (!slice) return index;
    Node rhs = ProjectionRhs(BindingPower(T::kStar));
    return Make(Node::K::kProjection, {std::move(index), std::move(rhs)});
  }

  Node MultiSelectList() {
    Node n = Make(Node::K::kMultiList);
    while (true) {
      n.children.push_back(Expression(0));
      if (Current() == T::kRbracket) break;
      Match(T::kComma);
    }
    Match(T::kRbracket);
    return n;
  }

  Node MultiSelectHash() {
    Node n = Make(Node::K::kMultiHash);
    while (true) {
      const Token key = Look(0);
      if (Current() != T::kQuoted && Current() != T::kUnquoted) {
        ExpectOrEof("['quoted_identifier', 'unquoted_identifier']");
      }
      Advance();
      Match(T::kColon);
      Node pair = Make(Node::K::kKeyVal, {Expression(0)});
      pair.name = key.text;
      n.children.push_back(std::move(pair));
      if (Current() == T::kComma) {
        Match(T::kComma);
      } else if (Current() == T::kRbrace) {
        Match(T::kRbrace);
        break;
      }
    }
    return n;
  }

  Node ProjectionRhs(int bp) {
    if (BindingPower(Current()) < kProjectionStop) return Identity();
    if (Current() == T::kLbracket || Current() == T::kFilter) return Expression(bp);
    if (Current() == T::kDot) {
      Match(T::kDot);
      return DotRhs(bp);
    }
    ParseErrorAt(e_, Look(0), "syntax error");
  }

  Node DotRhs(int bp) {
    const T look = Current();
    if (look == T::kQuoted || look == T::kUnquoted || look == T::kStar) return Expression(bp);
    if (look == T::kLbracket) {
      Match(T::kLbracket);
      return MultiSelectList();
    }
    if (look == T::kLbrace) {
      Match(T::kLbrace);
      return MultiSelectHash();
    }
    ParseErrorAt(e_, Look(0),
                 std::string("Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: ") +
                     TypeName(look));
  }

  void Match(T type) {
    if (Current() == type) {
      Advance();
      return;
    }
    ExpectOrEof(TypeName(type));
  }
  [[noreturn]] void ExpectOrEof(const std::string& expected) {
    const Token& t = Look(0);
    if (t.type == T::kEof) Incomplete(e_);
    ParseErrorAt(e_, t, "Expecting: " + expected + ", got: " + TypeName(t.type));
  }

  const std::string& e_;
  std::vector<Token> t_;
  size_t i_ = 0;
  int depth_ = 0;
};

}  // namespace

Node ParseExpression(const std::string& text) {
  if (text.empty()) throw Error{"EmptyExpressionError", "Invalid JMESPath expression: cannot be empty.", 0};
  Lexer lexer(text);
  Parser parser(text, lexer.Tokens());
  return parser.Parse();
}

}  // namespace trailwatch::jmespath
