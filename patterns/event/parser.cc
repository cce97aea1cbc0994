// parser.cc: see parser.h. The control flow mirrors event-ruler's JsonRuleCompiler / RuleCompiler (the order
// of reads decides which error comes first and where Jackson's location points); the code is ours.
#include "patterns/event/parser.h"

#include <algorithm>
#include <utility>

#include "patterns/event/casefold.h"
#include "patterns/event/lexer.h"
#include "patterns/event/validate.h"
#include "patterns/event/values.h"
#include "patterns/event/wildcard.h"

namespace trailwatch::event {

namespace {

constexpr const char* kOr = "$or";
constexpr size_t kMaterializeCap = 1001;  // beyond this many sub-rules only the count is kept

bool IsReservedInOr(std::string_view name) {
  static constexpr const char* kReserved[] = {
      "exactly", "equals-ignore-case", "prefix", "suffix", "anything-but", "exists", "wildcard", "numeric", "cidr",
      "=", "<", "<=", ">", ">=", "regex", "not-wildcard", "not-equals-ignore-case", "date-after",
      "date-on-or-after", "date-before", "date-on-or-before", "in-date-range", "ip-address-in-range",
      "ip-address-not-in-range"};
  for (const char* r : kReserved) {
    if (name == r) return true;
  }
  return false;
}

std::string PointerEscape(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out.push_back(c);
  }
  return out;
}

// An error while compiling. `parse` errors are Jackson JsonParseExceptions (they carry locations and allow
// the legacy $or fallback); the others are IllegalArgumentExceptions escaping the compiler (no location).
struct CompileError {
  std::string reason;
  uint32_t begin = 0;
  uint32_t position = 0;
  int locations = 1;
  bool parse = true;
  std::string pointer;
  std::string hint;
};

std::string HintFor(const std::string& reason) {
  if (reason.find("must be an object or an array") != std::string::npos)
    return "a field's value must be a JSON array of values, e.g. \"field\": [\"value\"]";
  if (reason.starts_with("Unrecognized match type"))
    return "operators are lower case: prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, cidr, "
           "exists";
  if (reason.starts_with("Empty arrays")) return "a value list needs at least one value";
  if (reason.ends_with("list, empty arrays are not allowed")) return "anything-but needs at least one value to exclude";
  if (reason.starts_with("IPv4 mask bits") || reason.starts_with("IPv6 mask bits"))
    return "to match one address, write it as a plain string: [\"10.0.0.1\"]";
  if (reason.starts_with("Consecutive wildcard")) return "one '*' already matches any run of characters";
  if (reason.starts_with("Invalid escape character")) return "only \\* and \\\\ are escapes in a wildcard";
  if (reason.find("$or") != std::string::npos) return "$or takes an array of at least two pattern objects";
  if (reason.starts_with("Value of numeric must be an array")) return "write {\"numeric\": [\">\", 0, \"<=\", 5]}";
  return {};
}

class Compiler {
 public:
  Compiler(std::string_view text, bool or_mode) : lex_(text), or_mode_(or_mode) {}

  // Returns true on success; otherwise error() is set.
  bool Run() {
    try {
      const Tok t = Next();
      if (t != Tok::kStartObject) Barf("Filter is not an object", lex_.TokenBegin());
      std::vector<std::string> path;
      ParseObject(&rules_, &path, false);
      return true;
    } catch (CompileError& e) {
      error_ = std::move(e);
      return false;
    }
  }

  const CompileError& error() const { return error_; }
  bool saw_or() const { return saw_or_; }
  bool overflow() const { return overflow_; }
  std::vector<SubRule>& rules() { return rules_; }

 private:
  [[noreturn]] void Barf(std::string reason, uint32_t begin) {
    CompileError e;
    e.reason = std::move(reason);
    e.position = lex_.Position();
    e.begin = std::min(begin, e.position);
    e.locations = 1 + catching_;
    e.pointer = Pointer();
    e.hint = HintFor(e.reason);
    throw e;
  }
  // An IllegalArgumentException: inside a catching region it becomes a parse error with a location.
  [[noreturn]] void Illegal(std::string reason, uint32_t begin) {
    if (catching_ > 0 || numeric_catch_ > 0) {
      CompileError e;
      e.reason = std::move(reason);
      e.position = lex_.Position();
      e.begin = std::min(begin, e.position);
      e.locations = 1;
      e.pointer = Pointer();
      e.hint = HintFor(e.reason);
      throw e;
    }
    CompileError e;
    e.reason = std::move(reason);
    e.position = lex_.Position();
    e.begin = std::min(begin, e.position);
    e.locations = 0;
    e.parse = false;
    e.pointer = Pointer();
    e.hint = HintFor(e.reason);
    throw e;
  }
  Tok Next() {
    const Tok t = lex_.Next();
    if (t == Tok::kError) SyntaxError();
    return t;
  }
  std::string Text() {
    std::string s(lex_.Text());
    if (lex_.current() == Tok::kError) SyntaxError();
    return s;
  }
  [[noreturn]] void SyntaxError() {
    CompileError e;
    e.reason = lex_.error();
    e.position = lex_.error_position();
    e.begin = e.position;
    e.locations = 1 + catching_;
    e.pointer = Pointer();
    throw e;
  }
  std::string Pointer() const {
    std::string p;
    for (const std::string& s : ptr_) p += "/" + PointerEscape(s);
    return p;
  }

  static std::string Join(const std::vector<std::string>& path, std::string_view step) {
    std::string out;
    for (const std::string& p : path) {
      out += p;
      out += '.';
    }
    out += step;
    return out;
  }

  void Put(std::vector<SubRule>* rules, Field field) {
    if (rules->empty()) rules->emplace_back();
    for (SubRule& r : *rules) {
      auto it = std::find_if(r.fields.begin(), r.fields.end(), [&](const Field& f) { return f.path == field.path; });
      if (it != r.fields.end()) *it = field;
      else r.fields.push_back(field);
    }
  }

  void ParseObject(std::vector<SubRule>* rules, std::vector<std::string>* path, bool in_or) {
    const uint32_t object_begin = lex_.TokenBegin();
    bool fields_present = false;
    while (true) {
      const Tok t = Next();
      if (t == Tok::kEndObject) break;
      fields_present = true;
      const uint32_t name_begin = lex_.TokenBegin();
      const std::string name = Text();
      ptr_.push_back(name);
      if (or_mode_ && name == kOr) {
        saw_or_ = true;
        ParseOr(rules, path, name_begin);
        ptr_.pop_back();
        continue;
      }
      if (name == kOr) saw_or_ = true;
      if (in_or && IsReservedInOr(name)) {
        Barf(name + " is Ruler reserved fieldName which cannot be used inside $or.", name_begin);
      }
      const Tok v = Next();
      if (v == Tok::kStartObject) {
        path->push_back(name);
        ParseObject(rules, path, in_or);
        path->pop_back();
      } else if (v == Tok::kStartArray) {
        WriteRules(rules, Join(*path, name));
      } else {
        Barf("\"" + name + "\" must be an object or an array", name_begin);
      }
      ptr_.pop_back();
    }
    if (!fields_present) Barf("Empty objects are not allowed", object_begin);
  }

  void ParseOr(std::vector<SubRule>* rules, std::vector<std::string>* path, uint32_t name_begin) {
    std::vector<SubRule> current = *rules;
    rules->clear();
    if (Next() != Tok::kStartArray) Barf("It must be an Array followed with $or.", name_begin);
    const uint32_t array_begin = lex_.TokenBegin();
    int branches = 0;
    while (true) {
      const Tok t = Next();
      if (t == Tok::kEndArray) break;
      ptr_.push_back(std::to_string(branches));
      ++branches;
      if (t != Tok::kStartObject) Barf("Only JSON object is allowed in array of $or relationship.", lex_.TokenBegin());
      std::vector<SubRule> branch = current;
      if (branch.empty()) branch.emplace_back();
      ParseObject(&branch, path, true);
      for (SubRule& r : branch) rules->push_back(std::move(r));
      if (rules->size() > kMaterializeCap) {
        overflow_ = true;
        rules->resize(1);
      }
      ptr_.pop_back();
    }
    if (branches < 2) Barf("There must have at least 2 Objects in $or relationship.", array_begin);
  }

  void WriteRules(std::vector<SubRule>* rules, std::string name) {
    Field field;
    field.path = std::move(name);
    field.pointer = Pointer();
    field.span.offset = lex_.TokenBegin();
    int index = 0;
    while (true) {
      const Tok t = Next();
      if (t == Tok::kEndArray) break;
      ptr_.push_back(std::to_string(index++));
      const uint32_t begin = lex_.TokenBegin();
      Matcher m;
      switch (t) {
        case Tok::kStartObject:
          m = ProcessMatchExpression();
          break;
        case Tok::kString: {
          std::string s = Text();
          IpAddress ip;
          if (LooksLikeIp(s) && ParseIp(s, &ip)) {
            m.kind = MatchKind::kIpAddress;
            m.range = SingleAddress(ip);
          } else {
            m.kind = MatchKind::kExactString;
          }
          m.strings.push_back(std::move(s));
          break;
        }
        case Tok::kNumberInt:
        case Tok::kNumberFloat: {
          m.kind = MatchKind::kExactNumber;
          const std::string spelling(lex_.RawText());
          double d;
          if (ExactDouble(spelling, &d)) {
            m.exact = true;
            m.numbers.push_back(d);
          }
          m.strings.push_back(spelling);
          break;
        }
        case Tok::kNull: m.kind = MatchKind::kNull; break;
        case Tok::kTrue: m.kind = MatchKind::kTrue; break;
        case Tok::kFalse: m.kind = MatchKind::kFalse; break;
        default:
          Barf("Match value must be String, number, true, false, or null", begin);
      }
      m.span.offset = begin;
      m.span.length = std::max(lex_.TokenEnd(), lex_.Position()) - begin;
      field.values.push_back(std::move(m));
      ptr_.pop_back();
    }
    if (field.values.empty()) Barf("Empty arrays are not allowed", field.span.offset);
    field.span.length = lex_.Position() - field.span.offset;
    Put(rules, std::move(field));
  }

  std::string ExpectString(const char* message, uint32_t begin) {
    if (Next() != Tok::kString) Barf(message, begin);
    return Text();
  }
  void ExpectEndObject(uint32_t begin) {
    if (Next() != Tok::kEndObject) Barf("Only one key allowed in match expression", begin);
  }

  Matcher ProcessMatchExpression() {
    const uint32_t begin = lex_.TokenBegin();
    if (Next() != Tok::kFieldName) Barf("Match expression name not found", begin);
    const std::string op = Text();
    ptr_.push_back(op);
    Matcher m;
    if (op == "exactly") {
      m.kind = MatchKind::kExactString;
      m.strings.push_back(ExpectString("exact match pattern must be a string", begin));
      ExpectEndObject(begin);
    } else if (op == "prefix" || op == "suffix") {
      const bool prefix = op == "prefix";
      const Tok t = Next();
      if (t == Tok::kStartObject) {
        m = AffixIgnoreCase(prefix, begin);
      } else {
        if (t != Tok::kString) Barf(prefix ? "prefix match pattern must be a string" : "suffix match pattern must be a string", begin);
        m.kind = prefix ? MatchKind::kPrefix : MatchKind::kSuffix;
        m.strings.push_back(Text());
        ExpectEndObject(begin);
      }
    } else if (op == "numeric") {
      if (Next() != Tok::kStartArray) Barf("Value of numeric must be an array.", begin);
      m = ProcessNumeric(begin);
      if (Next() != Tok::kEndObject) Barf("Too many elements in numeric expression", begin);
    } else if (op == "anything-but") {
      m = ProcessAnythingBut(begin);
    } else if (op == "exists") {
      const Tok t = Next();
      if (t == Tok::kTrue) m.kind = MatchKind::kExists;
      else if (t == Tok::kFalse) m.kind = MatchKind::kAbsent;
      else Barf("exists match pattern must be either true or false.", begin);
      ExpectEndObject(begin);
    } else if (op == "cidr") {
      const std::string text = ExpectString("prefix match pattern must be a string", begin);
      std::string error;
      if (!ParseCidr(text, &m.range, &error)) Illegal(error, begin);
      m.kind = MatchKind::kCidr;
      m.strings.push_back(text);
      ExpectEndObject(begin);
    } else if (op == "equals-ignore-case") {
      const std::string text = ExpectString("equals-ignore-case match pattern must be a string", begin);
      m.kind = MatchKind::kEqualsIgnoreCase;
      m.strings.push_back(FoldCase(text));
      ExpectEndObject(begin);
    } else if (op == "wildcard") {
      const std::string text = ExpectString("wildcard match pattern must be a string", begin);
      Wildcard w;
      std::string error;
      if (!ParseWildcard(text, &w, &error)) Barf(error, begin);
      m.kind = MatchKind::kWildcard;
      m.strings.push_back(text);
      m.wildcards.push_back(std::move(w));
      ExpectEndObject(begin);
    } else {
      Barf("Unrecognized match type " + op, begin);
    }
    ptr_.pop_back();
    return m;
  }

  Matcher AffixIgnoreCase(bool prefix, uint32_t begin) {
    if (Next() != Tok::kFieldName) Barf(prefix ? "Prefix expression name not found" : "Suffix expression name not found", begin);
    const std::string op = Text();
    if (op != "equals-ignore-case") Barf(std::string(prefix ? "Unsupported prefix pattern: " : "Unsupported suffix pattern: ") + op, begin);
    const std::string text = ExpectString("equals-ignore-case match pattern must be a string", begin);
    Matcher m;
    m.kind = prefix ? MatchKind::kPrefixIgnoreCase : MatchKind::kSuffixIgnoreCase;
    m.strings.push_back(FoldCase(text));
    ExpectEndObject(begin);
    ExpectEndObject(begin);
    return m;
  }

  // A number that takes part in comparisons; otherwise an IllegalArgumentException as event-ruler raises.
  double Comparable(const std::string& spelling, uint32_t begin) {
    double d;
    if (!ExactDouble(spelling, &d)) Illegal("Cannot compare number " + spelling, begin);
    return d;
  }

  Matcher ProcessNumeric(uint32_t begin) {
    Matcher m;
    m.kind = MatchKind::kNumeric;
    Tok t = Next();
    if (t != Tok::kString) Barf("Invalid member in numeric match: " + Text(), begin);
    const std::string op = Text();
    t = Next();
    ++numeric_catch_;
    if (op == "=") {
      if (!IsNumberTok(t)) Barf("Value of equals must be numeric", begin);
      const std::string v(lex_.RawText());
      if (Next() != Tok::kEndArray) Barf("Too many elements in numeric expression", begin);
      const double d = Comparable(v, begin);
      m.has_low = m.has_high = true;
      m.low = m.high = d;
    } else if (op == ">=" || op == ">") {
      if (!IsNumberTok(t)) Barf("Value of " + op + " must be numeric", begin);
      const std::string bottom(lex_.RawText());
      t = Next();
      m.has_low = true;
      m.low_open = op == ">";
      if (t == Tok::kEndArray) {
        m.low = Comparable(bottom, begin);
      } else {
        if (t != Tok::kString) Barf("Bad value in numeric range: " + Text(), begin);
        const std::string op2 = Text();
        if (op2 == "<") m.high_open = true;
        else if (op2 != "<=") Barf("Bad numeric range operator: " + op2, begin);
        if (!IsNumberTok(Next())) Barf("Value of " + op2 + " must be numeric", begin);
        const std::string top(lex_.RawText());
        if (Next() != Tok::kEndArray) Barf("Too many terms in numeric range expression", begin);
        m.has_high = true;
        m.low = Comparable(bottom, begin);
        m.high = Comparable(top, begin);
        if (!(m.low < m.high)) Illegal("Bottom must be less than top", begin);
      }
    } else if (op == "<=" || op == "<") {
      if (!IsNumberTok(t)) Barf("Value of " + op + " must be numeric", begin);
      const std::string top(lex_.RawText());
      if (Next() != Tok::kEndArray) Barf("Too many elements in numeric expression", begin);
      m.has_high = true;
      m.high_open = op == "<";
      m.high = Comparable(top, begin);
    } else {
      Barf("Unrecognized numeric range operator: " + op, begin);
    }
    --numeric_catch_;
    return m;
  }

  Matcher ProcessAnythingBut(uint32_t begin) {
    Matcher m;
    m.kind = MatchKind::kAnythingBut;
    Tok t = Next();
    if (t == Tok::kStartObject) {
      if (Next() != Tok::kFieldName) Barf("Anything-But expression name not found", begin);
      const std::string op = Text();
      if (op == "equals-ignore-case") m.kind = MatchKind::kAnythingButIgnoreCase;
      else if (op == "prefix") m.kind = MatchKind::kAnythingButPrefix;
      else if (op == "suffix") m.kind = MatchKind::kAnythingButSuffix;
      else if (op == "wildcard") m.kind = MatchKind::kAnythingButWildcard;
      else Barf("Unsupported anything-but pattern: " + op, begin);
      ptr_.push_back(op);
      t = Next();
    }
    if (t != Tok::kStartArray && t != Tok::kString && !IsNumberTok(t)) {
      Barf("Value of anything-but must be an array or single string/number value.", begin);
    }
    if (m.kind == MatchKind::kAnythingBut) {
      if (t == Tok::kStartArray) AnythingButList(&m, begin);
      else AnythingButSingle(&m, t, begin);
    } else {
      if (t == Tok::kStartArray) ValuesSetList(&m, begin);
      else ValuesSetSingle(&m, t, begin);
      ptr_.pop_back();
    }
    if (Next() != Tok::kEndObject) Barf("Too many elements in numeric expression", begin);
    if (m.kind != MatchKind::kAnythingBut && Next() != Tok::kEndObject) {
      Barf("Too many elements in numeric expression", begin);
    }
    return m;
  }

  void AnythingButList(Matcher* m, uint32_t begin) {
    bool has_number = false, has_string = false;
    ++catching_;
    while (true) {
      const Tok t = Next();
      if (t == Tok::kEndArray) break;
      if (t == Tok::kString) {
        m->strings.push_back(Text());
        has_string = true;
      } else if (IsNumberTok(t)) {
        m->numbers.push_back(Comparable(std::string(lex_.RawText()), begin));
        has_number = true;
      } else {
        Barf("Inside anything but list, start|null|boolean is not supported.", begin);
      }
    }
    --catching_;
    if (has_number == has_string) {
      Barf("Inside anything but list, either all values are number or string, mixed type is not supported", begin);
    }
    m->numeric_set = has_number;
  }

  void AnythingButSingle(Matcher* m, Tok t, uint32_t begin) {
    if (t == Tok::kString) {
      m->strings.push_back(Text());
    } else {  // a number (checked by the caller)
      m->numbers.push_back(Comparable(std::string(lex_.RawText()), begin));
      m->numeric_set = true;
    }
  }

  void AddSetValue(Matcher* m, std::string text) {
    if (m->kind == MatchKind::kAnythingButIgnoreCase) text = FoldCase(text);
    m->strings.push_back(std::move(text));
  }

  static const char* SetOperatorName(MatchKind kind) {
    switch (kind) {
      case MatchKind::kAnythingButIgnoreCase: return "equals-ignore-case";
      case MatchKind::kAnythingButPrefix: return "prefix";
      case MatchKind::kAnythingButSuffix: return "suffix";
      default: return "wildcard";
    }
  }

  [[noreturn]] void SetTypeError(const Matcher& m, uint32_t begin) {
    if (m.kind == MatchKind::kAnythingButIgnoreCase) {
      Barf("Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.", begin);
    } else if (m.kind == MatchKind::kAnythingButWildcard) {
      Barf("wildcard match pattern must be a string", begin);
    }
    Barf("prefix/suffix match pattern must be a string", begin);
  }

  void ParseSetWildcards(Matcher* m, uint32_t begin) {
    if (m->kind != MatchKind::kAnythingButWildcard) return;
    for (const std::string& s : m->strings) {
      Wildcard w;
      std::string error;
      if (!ParseWildcard(s, &w, &error)) Barf(error, begin);
      m->wildcards.push_back(std::move(w));
    }
  }

  void ValuesSetList(Matcher* m, uint32_t begin) {
    const bool affix = m->kind == MatchKind::kAnythingButPrefix || m->kind == MatchKind::kAnythingButSuffix;
    ++catching_;
    while (true) {
      const Tok t = Next();
      if (t == Tok::kEndArray) break;
      if (t != Tok::kString) SetTypeError(*m, begin);
      std::string text = Text();
      if (affix && text.empty()) Barf("Null prefix/suffix not allowed", begin);
      AddSetValue(m, std::move(text));
    }
    --catching_;
    // event-ruler compiles an empty set without complaint and then cannot add the rule (its machine gets no
    // state to continue from); EventBridge rejects such a pattern. Reported like the plain list's type check,
    // after the list, with one location.
    if (m->strings.empty()) {
      Barf(std::string("Inside anything-but/") + SetOperatorName(m->kind) + " list, empty arrays are not allowed",
           begin);
    }
    ParseSetWildcards(m, begin);
  }

  void ValuesSetSingle(Matcher* m, Tok t, uint32_t begin) {
    const bool affix = m->kind == MatchKind::kAnythingButPrefix || m->kind == MatchKind::kAnythingButSuffix;
    if (t != Tok::kString) SetTypeError(*m, begin);
    std::string text = Text();
    if (affix && text.empty()) Barf("Null prefix/suffix not allowed", begin);
    AddSetValue(m, std::move(text));
    ParseSetWildcards(m, begin);
  }

  JsonLexer lex_;
  bool or_mode_;
  bool saw_or_ = false;
  bool overflow_ = false;
  int catching_ = 0;       // inside event-ruler's try { } catch (IllegalArgumentException | IOException)
  int numeric_catch_ = 0;  // inside the numeric try { } catch (IllegalArgumentException)
  std::vector<std::string> ptr_;
  std::vector<SubRule> rules_;
  CompileError error_;
};

Diagnostic ToDiagnostic(std::string_view text, const CompileError& e) {
  Diagnostic d;
  d.exception = kInvalidPatternException;
  d.aws_message = std::string(kInvalidPatternPrefix) + e.reason;
  for (int i = 0; i < e.locations; ++i) d.aws_message += JacksonLocation(text, e.position);
  d.message = e.reason;
  d.span.offset = e.begin;
  d.span.length = e.position > e.begin ? e.position - e.begin : 1;
  d.hint = e.hint;
  d.pointer = e.pointer.empty() ? "/" : e.pointer;
  return d;
}

}  // namespace

const char* MatchKindName(MatchKind k) {
  switch (k) {
    case MatchKind::kExactString: return "exact";
    case MatchKind::kExactNumber: return "number";
    case MatchKind::kNull: return "null";
    case MatchKind::kTrue: return "true";
    case MatchKind::kFalse: return "false";
    case MatchKind::kIpAddress: return "ip";
    case MatchKind::kPrefix: return "prefix";
    case MatchKind::kSuffix: return "suffix";
    case MatchKind::kPrefixIgnoreCase: return "prefix-ignore-case";
    case MatchKind::kSuffixIgnoreCase: return "suffix-ignore-case";
    case MatchKind::kEqualsIgnoreCase: return "equals-ignore-case";
    case MatchKind::kWildcard: return "wildcard";
    case MatchKind::kAnythingBut: return "anything-but";
    case MatchKind::kAnythingButPrefix: return "anything-but-prefix";
    case MatchKind::kAnythingButSuffix: return "anything-but-suffix";
    case MatchKind::kAnythingButIgnoreCase: return "anything-but-ignore-case";
    case MatchKind::kAnythingButWildcard: return "anything-but-wildcard";
    case MatchKind::kNumeric: return "numeric";
    case MatchKind::kCidr: return "cidr";
    case MatchKind::kExists: return "exists";
    case MatchKind::kAbsent: return "absent";
  }
  return "?";
}

Result<EventPattern> ParseEventPattern(std::string_view text, const PatternOptions& options) {
  if (auto utf8_error = CheckUtf8(text)) return *utf8_error;
  if (auto size_error = CheckPatternSize(text, options)) return *size_error;
  Compiler primary(text, true);
  EventPattern pattern;
  pattern.text = std::string(text);
  if (primary.Run()) {
    pattern.rules = std::move(primary.rules());
    if (auto e = CheckCombinations(text, primary.overflow() ? options.max_combinations + 1 : pattern.rules.size(),
                                   options)) {
      return *e;
    }
  } else {
    const CompileError& first = primary.error();
    if (!first.parse || !primary.saw_or()) return ToDiagnostic(text, first);
    Compiler legacy(text, false);
    if (!legacy.Run()) return ToDiagnostic(text, legacy.error());
    pattern.rules = std::move(legacy.rules());
    pattern.legacy_or = true;
  }
  if (auto e = CheckWildcardComplexity(text, &pattern, options)) return *e;
  return pattern;
}

}  // namespace trailwatch::event
