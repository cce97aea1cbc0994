// parser.cc: recursive-descent parser for the four kinds of filter pattern. Entry: ParseFilterPattern().
//
// Grammar (formalised from the AWS CloudWatch Logs user guide; see README "AWS behaviour" for the readings
// we chose where the guide is silent):
//   terms      := term (ws+ term)*        term := [?-]? ( [A-Za-z0-9_]+ | "quoted \" \\" )
//   regex      := % body %                (whole pattern)
//   json       := { or }                  or := and (|| and)*   and := primary (&& primary)*
//   primary    := ( or ) | selector op value | selector IS (NULL|TRUE|FALSE) | selector NOT EXISTS
//   delimited  := [ field (, field)* ]    field := ... | <empty> | name [op value ((&&|||) name op value)*]
// Recursion depth is bounded by the 1024-character pattern limit checked before parsing.
#include "patterns/filter/parser.h"

#include <cctype>
#include <optional>

#include "patterns/filter/number.h"
#include "patterns/filter/regex.h"

namespace trailwatch::filter {

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentChar(char c) { return IsWordChar(c) || c == '-'; }
// Characters an unquoted JSON value may hold: alphanumerics and _ (documented), plus . * - + which AWS's
// own published patterns use unquoted (kms.amazonaws.com, 123.123.*, +1000).
bool IsBareJsonValueChar(char c) { return IsWordChar(c) || c == '.' || c == '*' || c == '-' || c == '+'; }

// Length in bytes of the UTF-8 sequence starting at s[i] (1 for ASCII and for stray bytes).
size_t Utf8Length(std::string_view s, size_t i) {
  size_t n = 1;
  if (static_cast<unsigned char>(s[i]) >= 0x80) {
    while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) ++n;
  }
  return n;
}

class Parser {
 public:
  explicit Parser(std::string_view src) : src_(src) {}

  Result<FilterAst> Parse();
  Result<Selector> ParseSelectorOnly();

 private:
  // ---- error helpers ----
  struct Failure {
    Diagnostic d;
  };
  [[noreturn]] void Fail(std::string message, size_t offset, size_t length, std::string hint = {},
                         std::string aws_message = "Invalid filter pattern") {
    throw Failure{Diagnostic{kInvalidParameterException, std::move(aws_message), std::move(message),
                             Span{static_cast<uint32_t>(offset), static_cast<uint32_t>(length)}, std::move(hint),
                             {}}};
  }
  std::string CharAt(size_t i) const { return std::string(src_.substr(i, Utf8Length(src_, i))); }
  // Hint for a character that is not a straight double quote but looks like one.
  std::string QuoteHint(size_t i) const {
    std::string c = CharAt(i);
    if (c == "'") return "single quotes are not string delimiters in filter patterns; use double quotes \"...\"";
    if (c == "\u201c" || c == "\u201d" || c == "\u201e" || c == "\u00ab" || c == "\u00bb")
      return "typographic quotes are not quotes; use straight double quotes \"...\"";
    return {};
  }

  void SkipBlanks() {
    while (i_ < end_ && IsBlank(src_[i_])) ++i_;
  }
  bool AtEnd() const { return i_ >= end_; }
  bool LookingAt(std::string_view s) const { return src_.substr(i_, end_ - i_).starts_with(s); }

  std::string ParseQuoted(bool* ok);  // at '"'; leaves i_ after the closing quote
  Regex ParseRegexValue();             // at '%'

  void ParseTerms(FilterAst& ast);
  void ParseRegexPattern(FilterAst& ast);
  void ParseJsonPattern(FilterAst& ast);
  void ParseDelimitedPattern(FilterAst& ast);

  std::unique_ptr<JsonExpr> ParseOr(int depth);
  std::unique_ptr<JsonExpr> ParseAnd(int depth);
  std::unique_ptr<JsonExpr> ParsePrimary(int depth);
  JsonCondition ParseCondition();
  Selector ParseSelector();
  std::optional<CompareOp> ParseCompareOp();
  Value ParseJsonValue(CompareOp op);
  Value ParseDelimitedValue(CompareOp op, const std::string& field);
  // What the two pattern kinds share in a value; only the scanning of a bare (unquoted) value differs. A glob
  // reading is how the kind reads '*' in a string: Glob::Json or Glob::Delimited.
  using GlobReading = Glob (*)(std::string_view);
  // At '"' or '%': the quoted string or the regular expression. Elsewhere fails on a quote look-alike and
  // returns nothing, for the caller to scan a bare value.
  std::optional<Value> ParseQuotedOrRegexValue(GlobReading glob);
  // A bare value as written: a number when it reads as one, else a string.
  static Value BareValue(std::string_view raw, GlobReading glob);
  // Closes the value that began at `start`: its span up to i_, and the check that a relational operator
  // compares a number.
  Value FinishValue(CompareOp op, size_t start, Value v);
  void ExpectJsonConnectiveOrEnd(size_t stop);

  std::string_view src_;
  size_t i_ = 0;
  size_t end_ = 0;
};

// ------------------------------------------------------------------------------------------------------
Result<FilterAst> Parser::Parse() {
  FilterAst ast;
  ast.text = std::string(src_);
  try {
    size_t b = 0, e = src_.size();
    while (b < e && IsBlank(src_[b])) ++b;
    while (e > b && IsBlank(src_[e - 1])) --e;
    i_ = b;
    end_ = e;
    if (b == e) {
      ast.kind = PatternKind::kMatchAll;
      return ast;
    }
    switch (src_[b]) {
      case '{':
        ParseJsonPattern(ast);
        break;
      case '[':
        ParseDelimitedPattern(ast);
        break;
      case '%':
        ParseRegexPattern(ast);
        break;
      default:
        ParseTerms(ast);
        break;
    }
  } catch (Failure& f) {
    return std::move(f.d);
  }
  return ast;
}

Result<Selector> Parser::ParseSelectorOnly() {
  try {
    i_ = 0;
    end_ = src_.size();
    Selector s = ParseSelector();
    if (!AtEnd()) Fail("unexpected text after the selector", i_, end_ - i_);
    return s;
  } catch (Failure& f) {
    return std::move(f.d);
  }
}

std::string Parser::ParseQuoted(bool* ok) {
  const size_t open = i_;
  ++i_;
  std::string out;
  while (i_ < end_) {
    char c = src_[i_];
    if (c == '\\' && i_ + 1 < end_ && (src_[i_ + 1] == '"' || src_[i_ + 1] == '\\')) {
      out += src_[i_ + 1];
      i_ += 2;
      continue;
    }
    if (c == '"') {
      ++i_;
      *ok = true;
      return out;
    }
    out += c;
    ++i_;
  }
  *ok = false;
  Fail("unterminated quoted string", open, 1, "close the string with \" (write \\\" for a quote inside it)");
}

// ---- terms ---------------------------------------------------------------------------------------------
void Parser::ParseTerms(FilterAst& ast) {
  ast.kind = PatternKind::kTerms;
  while (true) {
    SkipBlanks();
    if (AtEnd()) break;
    const size_t start = i_;
    TermMode mode = TermMode::kRequired;
    if (src_[i_] == '?' || src_[i_] == '-') {
      mode = src_[i_] == '?' ? TermMode::kOptional : TermMode::kExcluded;
      ++i_;
      if (AtEnd() || IsBlank(src_[i_])) {
        Fail(std::string("'") + src_[start] + "' must be followed by a term", start, 1,
             std::string("write ") + src_[start] + "term or " + src_[start] + "\"a phrase\"");
      }
    }
    if (src_[i_] == '"') {
      bool ok = false;
      std::string text = ParseQuoted(&ok);
      if (!AtEnd() && !IsBlank(src_[i_])) {
        Fail("a quoted term must be followed by a space or the end of the pattern", i_, 1,
             "separate terms with spaces; put the whole phrase inside the quotes");
      }
      ast.terms.push_back(Term{mode, std::move(text), true, false, Span{uint32_t(start), uint32_t(i_ - start)}});
      continue;
    }
    // Unquoted word: [A-Za-z0-9_]+, where an inner '-' or '?' starts a new excluded/optional term, as AWS
    // reads ORDER-ITEM-1 (ORDER, -ITEM, -1).
    size_t word_start = i_;
    bool split = false;
    while (true) {
      const size_t b = i_;
      while (i_ < end_ && IsWordChar(src_[i_])) ++i_;
      if (i_ == b) {
        // Not a word character: find the whole unquoted word for the message and hint.
        size_t we = start;
        while (we < end_ && !IsBlank(src_[we])) we += Utf8Length(src_, we);
        std::string word(src_.substr(start, we - start));
        std::string hint = QuoteHint(i_);
        if (hint.empty()) {
          if (src_[i_] == '%') {
            hint = "a regular expression %...% must be the whole pattern (or a value in { } or [ ] patterns)";
          } else if (src_[i_] == '{' || src_[i_] == '[') {
            hint = std::string("a pattern is JSON or space-delimited only when it starts with ") + src_[i_] +
                   "; to find the text, quote it: \"" + word + "\"";
          } else {
            hint = "terms with characters other than letters, digits and _ must be quoted: \"" + word + "\"";
          }
        }
        const bool non_ascii = static_cast<unsigned char>(src_[i_]) >= 0x80;
        Fail("unquoted term contains '" + CharAt(i_) + "'", i_, Utf8Length(src_, i_), hint,
             non_ascii ? "Invalid character(s) in term '" + CharAt(i_) + "'" : "Invalid filter pattern");
      }
      ast.terms.push_back(Term{mode, std::string(src_.substr(b, i_ - b)), false, split,
                               Span{uint32_t(word_start), uint32_t(i_ - word_start)}});
      if (i_ < end_ && (src_[i_] == '-' || src_[i_] == '?') && i_ + 1 < end_ && IsWordChar(src_[i_ + 1])) {
        mode = src_[i_] == '-' ? TermMode::kExcluded : TermMode::kOptional;
        word_start = i_;
        ++i_;
        split = true;
        ast.terms.back().split_from_word = true;
        continue;
      }
      break;
    }
    if (!AtEnd() && !IsBlank(src_[i_])) {
      size_t we = start;
      while (we < end_ && !IsBlank(src_[we])) we += Utf8Length(src_, we);
      std::string word(src_.substr(start, we - start));
      std::string hint = QuoteHint(i_);
      if (hint.empty()) hint = "terms with characters other than letters, digits and _ must be quoted: \"" + word + "\"";
      const bool non_ascii = static_cast<unsigned char>(src_[i_]) >= 0x80;
      Fail("unquoted term contains '" + CharAt(i_) + "'", i_, Utf8Length(src_, i_), hint,
           non_ascii ? "Invalid character(s) in term '" + CharAt(i_) + "'" : "Invalid filter pattern");
    }
  }
  bool has_plain = false, has_optional = false;
  for (const Term& t : ast.terms) {
    if (t.mode == TermMode::kOptional) has_optional = true; else has_plain = true;
  }
  ast.optional_terms_ignored = has_plain && has_optional;
}

// ---- standalone regex ----------------------------------------------------------------------------------
Regex Parser::ParseRegexValue() {
  const size_t open = i_;
  size_t close = src_.find('%', open + 1);
  if (close == std::string_view::npos || close >= end_) {
    Fail("unterminated regular expression: no closing %", open, 1, "end the regular expression with %");
  }
  std::string_view body = src_.substr(open + 1, close - open - 1);
  Result<std::string> re2 = TranslateCwlRegex(body, static_cast<uint32_t>(open + 1));
  if (!re2.ok()) throw Failure{re2.error()};
  i_ = close + 1;
  return Regex{std::string(body), std::move(re2.value()), Span{uint32_t(open), uint32_t(close + 1 - open)}};
}

void Parser::ParseRegexPattern(FilterAst& ast) {
  ast.kind = PatternKind::kRegex;
  ast.regex = ParseRegexValue();
  SkipBlanks();
  if (!AtEnd()) {
    Fail("unexpected text after the regular expression", i_, end_ - i_,
         "a %...% regular expression must be the whole pattern; it cannot be combined with terms");
  }
}

// ---- JSON ----------------------------------------------------------------------------------------------
void Parser::ParseJsonPattern(FilterAst& ast) {
  ast.kind = PatternKind::kJson;
  if (src_[end_ - 1] != '}' || end_ - i_ < 2) {
    Fail("a JSON pattern must end with '}'", end_, 0, "add the closing } at the end",
         "If a filter pattern starts with '{' it must end with '}'");
  }
  const size_t open = i_;
  ++i_;
  const size_t outer_end = end_;
  end_ = outer_end - 1;  // parse inside the braces
  SkipBlanks();
  if (AtEnd()) Fail("empty JSON pattern { }", open, outer_end - open, "write a condition such as { $.eventName = ConsoleLogin }");
  ast.json = ParseOr(0);
  SkipBlanks();
  if (!AtEnd()) {
    if (src_[i_] == ')') Fail("unbalanced ')'", i_, 1, "remove it or add the matching (");
    Fail("unexpected '" + CharAt(i_) + "' after a condition", i_, Utf8Length(src_, i_),
         "join conditions with && or ||");
  }
  end_ = outer_end;
  i_ = outer_end;
}

std::unique_ptr<JsonExpr> Parser::ParseOr(int depth) {
  const size_t start = i_;
  auto first = ParseAnd(depth);
  SkipBlanks();
  if (!LookingAt("||")) return first;
  auto node = std::make_unique<JsonExpr>();
  node->kind = JsonExpr::Kind::kOr;
  node->children.push_back(std::move(first));
  while (LookingAt("||")) {
    i_ += 2;
    node->children.push_back(ParseAnd(depth));
    SkipBlanks();
  }
  node->span = Span{uint32_t(start), uint32_t(i_ - start)};
  return node;
}

std::unique_ptr<JsonExpr> Parser::ParseAnd(int depth) {
  const size_t start = i_;
  auto first = ParsePrimary(depth);
  SkipBlanks();
  if (!LookingAt("&&")) {
    ExpectJsonConnectiveOrEnd(start);
    return first;
  }
  auto node = std::make_unique<JsonExpr>();
  node->kind = JsonExpr::Kind::kAnd;
  node->children.push_back(std::move(first));
  while (LookingAt("&&")) {
    i_ += 2;
    node->children.push_back(ParsePrimary(depth));
    SkipBlanks();
  }
  ExpectJsonConnectiveOrEnd(start);
  node->span = Span{uint32_t(start), uint32_t(i_ - start)};
  return node;
}

// After a primary: only &&, ||, ')' or the end may follow. Diagnose the usual mistakes.
void Parser::ExpectJsonConnectiveOrEnd(size_t) {
  SkipBlanks();
  if (AtEnd() || LookingAt("&&") || LookingAt("||") || src_[i_] == ')') return;
  if (src_[i_] == '&' || src_[i_] == '|') {
    Fail(std::string("single '") + src_[i_] + "' is not an operator", i_, 1,
         std::string("write ") + (src_[i_] == '&' ? "&&" : "||"));
  }
  size_t we = i_;
  while (we < end_ && IsWordChar(src_[we])) ++we;
  std::string word(src_.substr(i_, we - i_));
  if (word == "AND" || word == "and" || word == "OR" || word == "or") {
    Fail("'" + word + "' is not an operator", i_, word.size(),
         std::string("write ") + (word[0] == 'A' || word[0] == 'a' ? "&&" : "||"));
  }
  Fail("expected && or || between conditions, found '" + CharAt(i_) + "'", i_, Utf8Length(src_, i_),
       "join conditions with && or ||; quote values that contain spaces or symbols");
}

std::unique_ptr<JsonExpr> Parser::ParsePrimary(int depth) {
  SkipBlanks();
  if (AtEnd()) {
    Fail("expected a condition", i_, 0, "a condition looks like $.field = value");
  }
  if (src_[i_] == '(') {
    if (depth > 200) Fail("parentheses nested too deeply", i_, 1);
    const size_t open = i_;
    ++i_;
    SkipBlanks();
    if (!AtEnd() && src_[i_] == ')') Fail("empty parentheses", open, i_ + 1 - open);
    auto inner = ParseOr(depth + 1);
    SkipBlanks();
    if (AtEnd() || src_[i_] != ')') {
      Fail("'(' is never closed", open, 1, "add the matching )");
    }
    ++i_;
    auto node = std::make_unique<JsonExpr>();
    node->kind = JsonExpr::Kind::kGroup;
    node->children.push_back(std::move(inner));
    node->span = Span{uint32_t(open), uint32_t(i_ - open)};
    return node;
  }
  if (src_[i_] == ')') Fail("unexpected ')'", i_, 1, "a condition is missing before it");
  auto node = std::make_unique<JsonExpr>();
  node->kind = JsonExpr::Kind::kCondition;
  node->condition = ParseCondition();
  node->span = node->condition.span;
  return node;
}

Selector Parser::ParseSelector() {
  const size_t start = i_;
  Selector sel;
  if (AtEnd() || src_[i_] != '$') {
    size_t we = i_;
    while (we < end_ && (IsIdentChar(src_[we]) || src_[we] == '.')) ++we;
    std::string word(src_.substr(i_, we - i_));
    std::string hint = QuoteHint(i_);
    if (!word.empty()) {
      hint = "selectors start with $. — write $." + word;
    } else if (!AtEnd() && src_[i_] == '"') {
      hint = "selectors are not quoted: write $.name, or $.['dotted.name'] for a key with dots";
    }
    Fail("expected a selector starting with '$'", i_, std::max<size_t>(1, we - i_), hint);
  }
  ++i_;
  while (i_ < end_) {
    SelectorStep step;
    if (src_[i_] == '.') {
      ++i_;
      if (i_ < end_ && src_[i_] == '*') {
        step.kind = SelectorStep::Kind::kAnyKey;
        ++i_;
      } else if (i_ < end_ && src_[i_] == '[') {
        continue;  // $.['key'] — handled as a bracket step on the next iteration
      } else {
        const size_t b = i_;
        while (i_ < end_ && IsIdentChar(src_[i_])) ++i_;
        if (i_ == b) {
          if (i_ < end_ && !IsBlank(src_[i_]) && src_[i_] != '=' && src_[i_] != '!' && src_[i_] != '<' &&
              src_[i_] != '>' && src_[i_] != ')') {
            Fail("'" + CharAt(i_) + "' is not allowed in a selector", i_, Utf8Length(src_, i_),
                 "property names are letters, digits, - and _; for other keys use bracket notation $.['key']");
          }
          Fail("expected a property name after '.'", b, 1, "e.g. $.eventName");
        }
        step.kind = SelectorStep::Kind::kKey;
        step.key = std::string(src_.substr(b, i_ - b));
      }
    } else if (src_[i_] == '[') {
      const size_t open = i_;
      if (sel.steps.empty() && (open == start + 1) && !(i_ + 1 < end_ && src_[i_ + 1] == '\'')) {
        // "Array elements are denoted with [NUMBER] syntax, and must follow a property" (user guide).
        Fail("an array index must follow a property", open, 1, "e.g. $.records[0]; a JSON log event is an object");
      }
      ++i_;
      if (i_ < end_ && src_[i_] == '*') {
        step.kind = SelectorStep::Kind::kAnyIndex;
        ++i_;
      } else if (i_ < end_ && src_[i_] == '\'') {
        const size_t q = src_.find('\'', i_ + 1);
        if (q == std::string_view::npos || q >= end_) Fail("unterminated ['key']", open, i_ - open + 1);
        step.kind = SelectorStep::Kind::kKey;
        step.key = std::string(src_.substr(i_ + 1, q - i_ - 1));
        step.bracketed = true;
        i_ = q + 1;
      } else {
        const size_t b = i_;
        while (i_ < end_ && std::isdigit(static_cast<unsigned char>(src_[i_]))) ++i_;
        if (i_ == b) {
          std::string hint = (i_ < end_ && src_[i_] == '"') ? "quote keys with single quotes: $.['key']" : "";
          Fail("expected an array index, * or 'key' inside [ ]", open, 1, hint);
        }
        if (i_ - b > 9) Fail("array index too large", b, i_ - b);
        step.kind = SelectorStep::Kind::kIndex;
        step.index = static_cast<uint32_t>(std::stoul(std::string(src_.substr(b, i_ - b))));
      }
      if (i_ >= end_ || src_[i_] != ']') Fail("expected ']'", i_ < end_ ? i_ : end_, 1, "close the bracket with ]");
      ++i_;
    } else {
      break;
    }
    sel.steps.push_back(std::move(step));
  }
  if (sel.steps.empty()) {
    Fail("a selector needs a property after '$'", start, i_ - start, "e.g. $.eventName");
  }
  sel.text = std::string(src_.substr(start, i_ - start));
  sel.span = Span{uint32_t(start), uint32_t(i_ - start)};
  return sel;
}

std::optional<CompareOp> Parser::ParseCompareOp() {
  if (LookingAt("!=")) { i_ += 2; return CompareOp::kNe; }
  if (LookingAt("<=")) { i_ += 2; return CompareOp::kLe; }
  if (LookingAt(">=")) { i_ += 2; return CompareOp::kGe; }
  if (LookingAt("==")) Fail("'==' is not an operator", i_, 2, "write = for equality");
  if (LookingAt("<>")) Fail("'<>' is not an operator", i_, 2, "write != for inequality");
  if (LookingAt("=<") || LookingAt("=>")) Fail("'" + std::string(src_.substr(i_, 2)) + "' is not an operator", i_, 2,
                                             "write <= or >=");
  if (LookingAt("=")) { i_ += 1; return CompareOp::kEq; }
  if (LookingAt("<")) { i_ += 1; return CompareOp::kLt; }
  if (LookingAt(">")) { i_ += 1; return CompareOp::kGt; }
  return std::nullopt;
}

JsonCondition Parser::ParseCondition() {
  JsonCondition cond;
  const size_t start = i_;
  cond.selector = ParseSelector();
  SkipBlanks();
  if (AtEnd()) {
    Fail("the condition on " + cond.selector.text + " has no operator", i_, 0,
         "e.g. " + cond.selector.text + " = value, " + cond.selector.text + " IS NULL, " + cond.selector.text +
             " NOT EXISTS");
  }
  // Keywords.
  auto word_at = [&](size_t at) {
    size_t e = at;
    while (e < end_ && std::isalpha(static_cast<unsigned char>(src_[e]))) ++e;
    return std::string(src_.substr(at, e - at));
  };
  auto upper = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  };
  std::string w = word_at(i_);
  std::string uw = upper(w);
  if (uw == "IS" || uw == "NOT" || uw == "EXISTS") {
    if (w != uw) {
      Fail("keywords are upper case: write " + uw + " instead of " + w, i_, w.size(), "e.g. $.x IS NULL, $.x NOT EXISTS");
    }
    const size_t kw = i_;
    i_ += w.size();
    if (w == "EXISTS") {
      Fail("EXISTS is not supported by CloudWatch Logs", kw, w.size(),
           "to require a value write " + cond.selector.text + " = *; to require absence write " + cond.selector.text +
               " NOT EXISTS");
    }
    SkipBlanks();
    const size_t kw2 = i_;
    std::string w2 = word_at(i_);
    std::string uw2 = upper(w2);
    if (w2 != uw2 && !w2.empty()) {
      Fail("keywords are upper case: write " + uw2 + " instead of " + w2, i_, w2.size());
    }
    i_ += w2.size();
    if (w == "IS") {
      if (w2 == "NULL") cond.test = JsonTest::kIsNull;
      else if (w2 == "TRUE") cond.test = JsonTest::kIsTrue;
      else if (w2 == "FALSE") cond.test = JsonTest::kIsFalse;
      else if (w2 == "NOT")
        Fail("IS NOT is not supported by CloudWatch Logs", kw, i_ - kw,
             "use != for values, or NOT EXISTS for absence; IS NULL, IS TRUE and IS FALSE are supported");
      else
        Fail("expected NULL, TRUE or FALSE after IS", kw2, std::max<size_t>(1, w2.size()));
    } else {  // NOT
      if (w2 != "EXISTS") Fail("expected EXISTS after NOT", kw2, std::max<size_t>(1, w2.size()), "write NOT EXISTS");
      cond.test = JsonTest::kNotExists;
    }
    cond.span = Span{uint32_t(start), uint32_t(i_ - start)};
    return cond;
  }
  std::optional<CompareOp> op = ParseCompareOp();
  if (!op) {
    std::string hint = "use =, !=, <, <=, >, >=, IS NULL, IS TRUE, IS FALSE or NOT EXISTS";
    if (src_[i_] == ':') hint = "write = instead of :";
    Fail("expected an operator after " + cond.selector.text + ", found '" + CharAt(i_) + "'", i_,
         Utf8Length(src_, i_), hint);
  }
  cond.test = JsonTest::kCompare;
  cond.op = *op;
  cond.value = ParseJsonValue(*op);
  cond.span = Span{uint32_t(start), uint32_t(i_ - start)};
  return cond;
}

std::optional<Value> Parser::ParseQuotedOrRegexValue(GlobReading glob) {
  Value v;
  if (src_[i_] == '"') {
    bool ok = false;
    v.raw = ParseQuoted(&ok);
    v.quoted = true;
    v.kind = ValueKind::kString;
    v.glob = glob(v.raw);
  } else if (src_[i_] == '%') {
    v.kind = ValueKind::kRegex;
    v.regex = ParseRegexValue();
    v.raw = v.regex.source;
  } else {
    std::string hint = QuoteHint(i_);
    if (!hint.empty()) Fail("'" + CharAt(i_) + "' does not start a string", i_, Utf8Length(src_, i_), hint);
    return std::nullopt;
  }
  return v;
}

Value Parser::BareValue(std::string_view raw, GlobReading glob) {
  Value v;
  v.raw = std::string(raw);
  double n = 0;
  if (ParseFilterNumber(v.raw, &n)) {
    v.kind = ValueKind::kNumber;
    v.number = n;
  } else {
    v.kind = ValueKind::kString;
    v.glob = glob(v.raw);
  }
  return v;
}

Value Parser::FinishValue(CompareOp op, size_t start, Value v) {
  v.span = Span{uint32_t(start), uint32_t(i_ - start)};
  const bool relational = op != CompareOp::kEq && op != CompareOp::kNe;
  if (relational && v.kind != ValueKind::kNumber) {
    Fail(std::string("'") + CompareOpText(op) + "' compares numbers; '" + v.raw + "' is not a number", start,
         i_ - start, "strings and regular expressions support only = and !=");
  }
  return v;
}

Value Parser::ParseJsonValue(CompareOp op) {
  SkipBlanks();
  const size_t start = i_;
  if (AtEnd() || src_[i_] == ')' || LookingAt("&&") || LookingAt("||")) {
    Fail(std::string("missing value after '") + CompareOpText(op) + "'", i_, 0, "e.g. = \"value\", = 42, = *");
  }
  std::optional<Value> v = ParseQuotedOrRegexValue(Glob::Json);
  if (!v) {
    while (i_ < end_ && IsBareJsonValueChar(src_[i_])) ++i_;
    if (i_ < end_ && !IsBlank(src_[i_]) && src_[i_] != ')' && src_[i_] != '&' && src_[i_] != '|') {
      size_t we = start;
      while (we < end_ && !IsBlank(src_[we]) && src_[we] != ')') we += Utf8Length(src_, we);
      Fail("unquoted value contains '" + CharAt(i_) + "'", i_, Utf8Length(src_, i_),
           "values with characters other than letters, digits, _ . - + * must be quoted: \"" +
               std::string(src_.substr(start, we - start)) + "\"");
    }
    if (i_ == start) Fail("missing value", i_, 1);
    v = BareValue(src_.substr(start, i_ - start), Glob::Json);
  }
  return FinishValue(op, start, std::move(*v));
}

// ---- space-delimited -----------------------------------------------------------------------------------
Value Parser::ParseDelimitedValue(CompareOp op, const std::string& field) {
  SkipBlanks();
  const size_t start = i_;
  if (AtEnd() || src_[i_] == ',' || LookingAt("&&") || LookingAt("||")) {
    Fail(std::string("missing value after '") + CompareOpText(op) + "' on field " + field, i_, 0);
  }
  std::optional<Value> v = ParseQuotedOrRegexValue(Glob::Delimited);
  if (!v) {
    while (i_ < end_ && !IsBlank(src_[i_]) && src_[i_] != ',' && src_[i_] != '&' && src_[i_] != '|' &&
           src_[i_] != '"' && src_[i_] != '%' && static_cast<unsigned char>(src_[i_]) < 0x80) {
      ++i_;
    }
    if (i_ < end_ && (src_[i_] == '"' || src_[i_] == '%' || static_cast<unsigned char>(src_[i_]) >= 0x80)) {
      Fail("unquoted value contains '" + CharAt(i_) + "'", i_, Utf8Length(src_, i_), "quote the value: \"...\"");
    }
    v = BareValue(src_.substr(start, i_ - start), Glob::Delimited);
  }
  return FinishValue(op, start, std::move(*v));
}

void Parser::ParseDelimitedPattern(FilterAst& ast) {
  ast.kind = PatternKind::kDelimited;
  if (src_[end_ - 1] != ']' || end_ - i_ < 2) {
    Fail("a space-delimited pattern must end with ']'", end_, 0, "add the closing ] at the end");
  }
  const size_t outer_end = end_;
  ++i_;
  end_ = outer_end - 1;
  SkipBlanks();
  if (AtEnd()) {  // [] : every event, every field extracted
    end_ = outer_end;
    i_ = outer_end;
    return;
  }
  bool seen_ellipsis = false;
  while (true) {
    SkipBlanks();
    DelimitedField f;
    const size_t start = i_;
    if (AtEnd() || src_[i_] == ',') {
      f.kind = DelimitedField::Kind::kEmpty;
    } else if (LookingAt("...")) {
      f.kind = DelimitedField::Kind::kEllipsis;
      i_ += 3;
      if (seen_ellipsis) Fail("only one ... is allowed in a space-delimited pattern", start, 3);
      seen_ellipsis = true;
      SkipBlanks();
      if (!AtEnd() && src_[i_] != ',') Fail("'...' stands alone; it takes no name or condition", i_, 1);
    } else {
      while (i_ < end_ && IsIdentChar(src_[i_])) ++i_;
      if (i_ == start) {
        std::string hint;
        if (src_[i_] == '$') hint = "field names are written without $ (the $ is for extracted values)";
        else if (src_[i_] == '=' || src_[i_] == '!' || src_[i_] == '<' || src_[i_] == '>')
          hint = "give the field a name before its condition, e.g. status_code=404";
        else if (src_[i_] == '"' || src_[i_] == '%')
          hint = "conditions need a field name, e.g. level=\"ERROR\" or level=%ERR%";
        Fail("expected a field name, '...' or ','; found '" + CharAt(i_) + "'", i_, Utf8Length(src_, i_), hint);
      }
      f.kind = DelimitedField::Kind::kNamed;
      f.name = std::string(src_.substr(start, i_ - start));
      SkipBlanks();
      if (!AtEnd() && src_[i_] != ',') {
        std::vector<FieldCondition> conj;
        while (true) {
          SkipBlanks();
          const size_t cstart = i_;
          std::optional<CompareOp> op = ParseCompareOp();
          if (!op) {
            Fail("expected an operator or ',' after field " + f.name + ", found '" + CharAt(i_) + "'", i_,
                 Utf8Length(src_, i_), "separate fields with commas; conditions use = != < <= > >=");
          }
          FieldCondition fc;
          fc.op = *op;
          fc.value = ParseDelimitedValue(*op, f.name);
          fc.span = Span{uint32_t(cstart), uint32_t(i_ - cstart)};
          conj.push_back(std::move(fc));
          SkipBlanks();
          if (LookingAt("&&") || LookingAt("||")) {
            const bool is_or = src_[i_] == '|';
            i_ += 2;
            if (is_or) {
              f.condition.any_of.push_back(std::move(conj));
              conj.clear();
            }
            SkipBlanks();
            const size_t nstart = i_;
            while (i_ < end_ && IsIdentChar(src_[i_])) ++i_;
            std::string other(src_.substr(nstart, i_ - nstart));
            if (other.empty()) {
              Fail("expected the field name " + f.name + " after " + (is_or ? "||" : "&&"), nstart, 1,
                   "repeat the field name: " + f.name + "=a " + (is_or ? "||" : "&&") + " " + f.name + "=b");
            }
            if (other != f.name) {
              Fail("&& and || combine conditions on one field only; '" + other + "' is not '" + f.name + "'", nstart,
                   other.size(),
                   "put the condition on its own field: [..., " + f.name + "=..., " + other + "...] — conditions on "
                   "different fields already all have to hold");
            }
            continue;
          }
          if (AtEnd() || src_[i_] == ',') break;
          if (src_[i_] == '&' || src_[i_] == '|') {
            Fail(std::string("single '") + src_[i_] + "' is not an operator", i_, 1,
                 std::string("write ") + (src_[i_] == '&' ? "&&" : "||"));
          }
          Fail("unexpected '" + CharAt(i_) + "' in the condition on field " + f.name, i_, Utf8Length(src_, i_),
               "separate fields with commas; quote values with spaces");
        }
        f.condition.any_of.push_back(std::move(conj));
      }
    }
    f.span = Span{uint32_t(start), uint32_t(i_ - start)};
    ast.fields.push_back(std::move(f));
    SkipBlanks();
    if (AtEnd()) break;
    if (src_[i_] != ',') Fail("expected ',' between fields", i_, 1);
    ++i_;
  }
  end_ = outer_end;
  i_ = outer_end;
}

}  // namespace

// ------------------------------------------------------------------------------------------------------
const char* CompareOpText(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "=";
    case CompareOp::kNe: return "!=";
    case CompareOp::kLt: return "<";
    case CompareOp::kLe: return "<=";
    case CompareOp::kGt: return ">";
    case CompareOp::kGe: return ">=";
  }
  return "?";
}

const char* PatternKindName(PatternKind kind) {
  switch (kind) {
    case PatternKind::kMatchAll: return "match-all";
    case PatternKind::kTerms: return "terms";
    case PatternKind::kRegex: return "regex";
    case PatternKind::kJson: return "json";
    case PatternKind::kDelimited: return "space-delimited";
  }
  return "?";
}

int Selector::WildcardCount() const {
  int n = 0;
  for (const SelectorStep& s : steps) {
    if (s.kind == SelectorStep::Kind::kAnyKey || s.kind == SelectorStep::Kind::kAnyIndex) ++n;
  }
  return n;
}

Result<FilterAst> ParseFilterPattern(std::string_view pattern) { return Parser(pattern).Parse(); }

Result<Selector> ParseSelector(std::string_view text) { return Parser(text).ParseSelectorOnly(); }

}  // namespace trailwatch::filter
