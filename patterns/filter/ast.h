// ast.h: the abstract syntax tree of a CloudWatch Logs filter pattern.
//
// Contract: produced by ParseFilterPattern() (parser.h), printed by DumpAst() (dump.h), checked against
// AWS's creation-time restrictions by CheckFilterPattern() (check.h), lowered by CompileFilterPattern()
// (compile.h). Plain data, no behaviour; every node keeps the span of pattern text it came from so that
// later stages can point at it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "patterns/common/diagnostic.h"
#include "patterns/filter/glob.h"

namespace trailwatch::filter {

enum class PatternKind {
  kMatchAll,   // "", blanks, `" "`: every event
  kTerms,      // unstructured: ERROR "exact phrase" ?optional -excluded
  kRegex,      // %regex% as the whole pattern
  kJson,       // { selector op value && ... }
  kDelimited,  // [field, field=cond, ..., field]
};

// ---- term patterns --------------------------------------------------------------------------------------
enum class TermMode { kRequired, kOptional /* ?term */, kExcluded /* -term */ };

struct Term {
  TermMode mode = TermMode::kRequired;
  std::string text;     // decoded: quotes removed, \" and \\ unescaped
  bool quoted = false;
  bool split_from_word = false;  // came from an unquoted word such as ORDER-ITEM (the '-' split it)
  Span span;
};

// ---- regular expressions --------------------------------------------------------------------------------
struct Regex {
  std::string source;  // body between the % signs, as written (CloudWatch dialect)
  std::string re2;     // the same expression in RE2 syntax
  Span span;           // includes the % signs
};

// ---- values on the right of a comparison (JSON and space-delimited) -------------------------------------
enum class ValueKind {
  kString,  // bare or "quoted" text, possibly with * wildcards (glob)
  kNumber,  // [+-]digits[.digits][e[+-]digits]
  kRegex,   // %...%
};

struct Value {
  ValueKind kind = ValueKind::kString;
  std::string raw;      // as written (without surrounding quotes)
  bool quoted = false;
  Glob glob;            // kString: what to match ("*" alone is Glob::Any)
  double number = 0;    // kNumber
  Regex regex;          // kRegex
  Span span;
};

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe };
const char* CompareOpText(CompareOp op);

// ---- JSON patterns --------------------------------------------------------------------------------------
struct SelectorStep {
  enum class Kind { kKey, kIndex, kAnyKey /* .* */, kAnyIndex /* [*] */ } kind = Kind::kKey;
  std::string key;     // kKey
  uint32_t index = 0;  // kIndex
  bool bracketed = false;  // written as ['key']
};

struct Selector {
  std::string text;  // as written, e.g. "$.detail.eventName"
  std::vector<SelectorStep> steps;
  Span span;
  int WildcardCount() const;
};

enum class JsonTest {
  kCompare,    // selector op value
  kIsNull,     // IS NULL
  kIsTrue,     // IS TRUE
  kIsFalse,    // IS FALSE
  kNotExists,  // NOT EXISTS
};

struct JsonCondition {
  Selector selector;
  JsonTest test = JsonTest::kCompare;
  CompareOp op = CompareOp::kEq;  // kCompare
  Value value;                    // kCompare
  Span span;                      // the whole condition
};

// Boolean expression tree. Parentheses are kept as kGroup so that dumps show what was written.
struct JsonExpr {
  enum class Kind { kCondition, kAnd, kOr, kGroup } kind = Kind::kCondition;
  JsonCondition condition;                        // kCondition
  std::vector<std::unique_ptr<JsonExpr>> children;  // kAnd/kOr: >= 2; kGroup: 1
  Span span;
};

// ---- space-delimited patterns ---------------------------------------------------------------------------
struct FieldCondition {
  CompareOp op = CompareOp::kEq;
  Value value;
  Span span;
};

// A field's condition: a disjunction of conjunctions (&& binds tighter than ||), every condition on the
// field itself.
struct FieldConditionExpr {
  std::vector<std::vector<FieldCondition>> any_of;  // empty: no condition
};

struct DelimitedField {
  enum class Kind { kNamed, kEmpty /* nothing between commas */, kEllipsis /* ... */ } kind = Kind::kNamed;
  std::string name;  // kNamed
  FieldConditionExpr condition;
  Span span;
};

// ---- the pattern ---------------------------------------------------------------------------------------
struct FilterAst {
  std::string text;  // the pattern as given
  PatternKind kind = PatternKind::kMatchAll;
  std::vector<Term> terms;                // kTerms (all of them, including ignored ?terms)
  bool optional_terms_ignored = false;    // kTerms: ?terms mixed with other terms are ignored (AWS rule)
  Regex regex;                            // kRegex
  std::unique_ptr<JsonExpr> json;         // kJson
  std::vector<DelimitedField> fields;     // kDelimited
};

const char* PatternKindName(PatternKind kind);

}  // namespace trailwatch::filter
