// compile.cc: AnalyzeFilterPattern() (limit, parse, check) and the lowering of a FilterAst to an immutable
// CompiledPattern. Entry points: AnalyzeFilterPattern(), CompileFilterPattern(), CompileFilterAst().
#include "patterns/filter/compile.h"

#include <re2/re2.h>

#include <cstdio>

#include "patterns/common/utf8.h"
#include "patterns/filter/parser.h"

namespace trailwatch::filter {

namespace {

size_t CodePointCount(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

size_t ByteOffsetOfCodePoint(std::string_view s, size_t cp) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (n == cp) return i;
      ++n;
    }
  }
  return s.size();
}

bool IsBlankText(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

std::shared_ptr<const re2::RE2> CompileRe2(const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_never_capture(true);
  options.set_max_mem(8 << 20);
  return std::make_shared<const re2::RE2>(pattern, options);
}

Diagnostic Warning(std::string message, Span span, std::string hint) {
  return Diagnostic{"Warning", {}, std::move(message), span, std::move(hint), {}};
}

std::string CanonicalSelector(const Selector& s) {
  std::string out = "$";
  for (const SelectorStep& st : s.steps) {
    switch (st.kind) {
      case SelectorStep::Kind::kKey: {
        bool plain = !st.key.empty();
        for (char c : st.key) {
          if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) plain = false;
        }
        out += plain ? "." + st.key : ".['" + st.key + "']";
        break;
      }
      case SelectorStep::Kind::kIndex: out += "[" + std::to_string(st.index) + "]"; break;
      case SelectorStep::Kind::kAnyKey: out += ".*"; break;
      case SelectorStep::Kind::kAnyIndex: out += "[*]"; break;
    }
  }
  return out;
}

// Lints on a JSON expression: patterns AWS accepts whose meaning is probably not what was meant.
void LintJson(const JsonExpr& e, const std::string& text, std::vector<Diagnostic>& warnings) {
  if (e.kind == JsonExpr::Kind::kOr) {
    bool mixed = false;
    for (const auto& c : e.children) mixed = mixed || c->kind == JsonExpr::Kind::kAnd;
    if (mixed) {
      warnings.push_back(Warning("&& binds tighter than ||: this reads as (... && ...) || (... && ...)", e.span,
                                 "add parentheses to make the grouping explicit"));
    }
    for (const auto& c : e.children) {
      const JsonExpr* alt = c.get();
      while (alt->kind == JsonExpr::Kind::kGroup) alt = alt->children[0].get();
      if (alt->kind == JsonExpr::Kind::kCondition && alt->condition.test == JsonTest::kCompare &&
          alt->condition.op == CompareOp::kNe) {
        warnings.push_back(Warning("this alternative alone matches every event whose " + alt->condition.selector.text +
                                       " is not " + alt->condition.value.raw + ", so the || matches nearly everything",
                                   alt->span, "did you mean && instead of ||?"));
        break;
      }
    }
  }
  for (const auto& c : e.children) LintJson(*c, text, warnings);
}

class Lowering {
 public:
  explicit Lowering(CompiledPattern& p) : p_(p) {}

  Matcher LowerValue(CompareOp op, const Value& v) {
    Matcher m;
    m.op = op;
    m.kind = v.kind;
    switch (v.kind) {
      case ValueKind::kString:
        m.glob = v.glob;
        break;
      case ValueKind::kNumber:
        m.number = v.number;
        m.text = v.raw;
        break;
      case ValueKind::kRegex:
        m.text = v.regex.source;
        m.re = CompileRe2(v.regex.re2);
        ++p_.regex_count;
        break;
    }
    return m;
  }

  uint32_t SelectorIndex(const Selector& s) {
    const std::string canon = CanonicalSelector(s);
    for (size_t i = 0; i < p_.selectors.size(); ++i) {
      if (CanonicalSelector(p_.selectors[i]) == canon) return static_cast<uint32_t>(i);
    }
    Selector copy = s;
    copy.text = canon;
    p_.selectors.push_back(std::move(copy));
    return static_cast<uint32_t>(p_.selectors.size() - 1);
  }

  // Emits postfix code for `e`; returns the stack depth it needs.
  uint32_t LowerJson(const JsonExpr& e) {
    switch (e.kind) {
      case JsonExpr::Kind::kGroup:
        return LowerJson(*e.children[0]);
      case JsonExpr::Kind::kCondition: {
        const JsonCondition& c = e.condition;
        JsonAtom atom;
        atom.selector = SelectorIndex(c.selector);
        atom.test = c.test;
        if (c.test == JsonTest::kCompare) {
          atom.matcher = LowerValue(c.op, c.value);
          if (c.value.kind == ValueKind::kString && !c.value.quoted &&
              (c.value.raw == "null" || c.value.raw == "true" || c.value.raw == "false")) {
            std::string kw = c.value.raw == "null" ? "IS NULL" : c.value.raw == "true" ? "IS TRUE" : "IS FALSE";
            p_.warnings.push_back(Warning("'" + c.value.raw + "' is compared as text and never equals a JSON " +
                                              c.value.raw,
                                          c.value.span, "write " + c.selector.text + " " + kw));
          }
        }
        p_.atoms.push_back(std::move(atom));
        p_.program.push_back(ExprOp{ExprOp::Kind::kAtom, static_cast<uint32_t>(p_.atoms.size() - 1)});
        return 1;
      }
      case JsonExpr::Kind::kAnd:
      case JsonExpr::Kind::kOr: {
        uint32_t depth = 0;
        for (size_t i = 0; i < e.children.size(); ++i) {
          depth = std::max<uint32_t>(depth, static_cast<uint32_t>(i) + LowerJson(*e.children[i]));
        }
        p_.program.push_back(ExprOp{e.kind == JsonExpr::Kind::kAnd ? ExprOp::Kind::kAnd : ExprOp::Kind::kOr,
                                    static_cast<uint32_t>(e.children.size())});
        return depth;
      }
    }
    return 1;
  }

 private:
  CompiledPattern& p_;
};

}  // namespace

Result<FilterAst> AnalyzeFilterPattern(std::string_view pattern) {
  // AWS's APIs take only UTF-8: other bytes are refused before the pattern is looked at (README decision).
  uint32_t bad = 0;
  std::string why;
  if (FindInvalidUtf8(pattern, &bad, &why)) {
    return Diagnostic{kInvalidParameterException, "Invalid filter pattern",
                      "the pattern is not valid UTF-8: " + why, Span{bad, bad < pattern.size() ? 1u : 0u},
                      "AWS accepts only UTF-8 text; write the character in UTF-8 (or \\xHH inside a regex)",
                      {}};
  }
  if (CodePointCount(pattern) > kMaxPatternLength) {
    const size_t at = ByteOffsetOfCodePoint(pattern, kMaxPatternLength);
    return Diagnostic{kInvalidParameterException,
                      "1 validation error detected: Value '" + std::string(pattern) +
                          "' at 'filterPattern' failed to satisfy constraint: Member must have length less than or "
                          "equal to 1024",
                      "pattern is " + std::to_string(CodePointCount(pattern)) + " characters long; the limit is 1024",
                      Span{static_cast<uint32_t>(at), static_cast<uint32_t>(pattern.size() - at)},
                      "split it into several metric filters",
                      {}};
  }
  Result<FilterAst> ast = ParseFilterPattern(pattern);
  if (!ast.ok()) return ast;
  if (std::optional<Diagnostic> d = CheckFilterPattern(ast.value())) return std::move(*d);
  return ast;
}

Result<std::shared_ptr<const CompiledPattern>> CompileFilterPattern(std::string_view pattern) {
  Result<FilterAst> ast = AnalyzeFilterPattern(pattern);
  if (!ast.ok()) return ast.error();
  return CompileFilterAst(ast.value());
}

Result<std::shared_ptr<const CompiledPattern>> CompileFilterAst(const FilterAst& ast) {
  auto p = std::make_shared<CompiledPattern>();
  p->text = ast.text;
  p->kind = ast.kind;
  Lowering lower(*p);
  switch (ast.kind) {
    case PatternKind::kMatchAll:
      break;
    case PatternKind::kTerms: {
      bool optional_matches_all = false;
      for (const Term& t : ast.terms) {
        const bool blank = t.quoted && IsBlankText(t.text);
        switch (t.mode) {
          case TermMode::kRequired:
            if (!blank) p->required.push_back(t.text);
            break;
          case TermMode::kExcluded:
            if (!t.text.empty()) p->excluded.push_back(t.text);  // -" " excludes messages holding a blank
            break;
          case TermMode::kOptional:
            if (ast.optional_terms_ignored) break;
            if (blank) optional_matches_all = true;
            p->any_of.push_back(t.text);
            break;
        }
      }
      if (optional_matches_all) p->any_of.clear();
      // Warnings: words split by '-' or '?', and ?terms ignored.
      for (size_t i = 0; i < ast.terms.size(); ++i) {
        const Term& t = ast.terms[i];
        if (t.split_from_word && (i == 0 || !ast.terms[i - 1].split_from_word ||
                                  ast.terms[i - 1].span.offset + ast.terms[i - 1].span.length != t.span.offset)) {
          size_t j = i;
          while (j + 1 < ast.terms.size() && ast.terms[j + 1].split_from_word &&
                 ast.terms[j].span.offset + ast.terms[j].span.length == ast.terms[j + 1].span.offset) {
            ++j;
          }
          const uint32_t b = t.span.offset;
          const uint32_t e = ast.terms[j].span.offset + ast.terms[j].span.length;
          const std::string word = ast.text.substr(b, e - b);
          std::string reading;
          for (size_t k = i; k <= j; ++k) {
            if (k > i) reading += ' ';
            const Term& tk = ast.terms[k];
            reading += tk.mode == TermMode::kExcluded ? "-" : tk.mode == TermMode::kOptional ? "?" : "";
            reading += tk.text;
          }
          p->warnings.push_back(Warning("unquoted " + word + " is read as " + reading +
                                            " (a - or ? inside a word starts a new term)",
                                        Span{b, e - b}, "to find the text, quote it: \"" + word + "\""));
          i = j;
        }
      }
      if (ast.optional_terms_ignored) {
        for (const Term& t : ast.terms) {
          if (t.mode == TermMode::kOptional) {
            p->warnings.push_back(Warning("?" + t.text + " is ignored: ?terms mixed with other terms are ignored",
                                          t.span, "use only ?terms for OR, or write one metric filter per alternative"));
            break;
          }
        }
      }
      if (p->required.empty() && p->excluded.empty() && p->any_of.empty()) p->kind = PatternKind::kMatchAll;
      break;
    }
    case PatternKind::kRegex:
      p->regex_source = ast.regex.source;
      p->regex = CompileRe2(ast.regex.re2);
      p->regex_count = 1;
      break;
    case PatternKind::kJson:
      p->max_stack = lower.LowerJson(*ast.json);
      LintJson(*ast.json, ast.text, p->warnings);
      break;
    case PatternKind::kDelimited: {
      for (size_t i = 0; i < ast.fields.size(); ++i) {
        const DelimitedField& f = ast.fields[i];
        CompiledField cf;
        cf.kind = f.kind;
        cf.name = f.name;
        for (const auto& conj : f.condition.any_of) {
          std::vector<Matcher> ms;
          for (const FieldCondition& fc : conj) ms.push_back(lower.LowerValue(fc.op, fc.value));
          cf.any_of.push_back(std::move(ms));
        }
        if (f.kind == DelimitedField::Kind::kEllipsis) {
          p->ellipsis = static_cast<int>(i);
        } else {
          ++p->fixed_fields;
        }
        p->fields.push_back(std::move(cf));
      }
      break;
    }
  }
  // RE2 may still refuse what the dialect allows (e.g. a repetition over 1000).
  auto check_re = [&](const std::shared_ptr<const re2::RE2>& re, const std::string& src) -> std::optional<Diagnostic> {
    if (re && !re->ok()) {
      return Diagnostic{kInvalidParameterException, "Invalid character(s) in term",
                        "invalid regular expression %" + src + "%: " + re->error(), Span{0, 0}, {}, {}};
    }
    return std::nullopt;
  };
  // RE2 matches in linear time, but a regex whose automaton is large (counted repetitions such as
  // a{1,1000}a{1,1000}) overflows the DFA's memory on long messages and falls back to simulating the whole
  // program per byte: measured at about 5 ns per instruction per byte. Such regexes get a warning.
  auto warn_slow = [&](const std::shared_ptr<const re2::RE2>& re, const std::string& src) {
    if (!re || !re->ok() || re->ProgramSize() <= kSlowRegexInstructions) return;
    const int size = re->ProgramSize();
    const double us_per_byte = size * 0.005;
    const size_t at = p->text.find("%" + src + "%");
    const Span span = at == std::string::npos ? Span{0, 0}
                                              : Span{static_cast<uint32_t>(at), static_cast<uint32_t>(src.size() + 2)};
    char cost[96];
    std::snprintf(cost, sizeof cost, "up to about %.0f µs per byte of message (a 256 KB message: %.1f s)", us_per_byte,
                  us_per_byte * 256 * 1024 / 1e6);
    p->warnings.push_back(Warning("regular expression %" + src + "% compiles to " + std::to_string(size) +
                                      " instructions: on long messages matching it may cost " + cost,
                                  span, "use smaller repetition counts, or fewer of them in a row"));
  };
  if (auto d = check_re(p->regex, p->regex_source)) return *d;
  warn_slow(p->regex, p->regex_source);
  for (const JsonAtom& a : p->atoms) {
    if (auto d = check_re(a.matcher.re, a.matcher.text)) return *d;
    warn_slow(a.matcher.re, a.matcher.text);
  }
  for (const CompiledField& f : p->fields) {
    for (const auto& conj : f.any_of) {
      for (const Matcher& m : conj) {
        if (auto d = check_re(m.re, m.text)) return *d;
        warn_slow(m.re, m.text);
      }
    }
  }
  return std::shared_ptr<const CompiledPattern>(std::move(p));
}

}  // namespace trailwatch::filter
