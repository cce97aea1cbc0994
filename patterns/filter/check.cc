// check.cc: AWS's creation-time restrictions on a parsed filter pattern. Entry: CheckFilterPattern().
//
// - at most 2 regular expressions in a JSON or space-delimited pattern (user guide, "Regular expressions");
// - at most one wildcard (* or [*]) per JSON selector, and at most 3 wildcard selectors per pattern
//   (user guide, "Using filter patterns to match terms in JSON log events").
#include <optional>

#include "patterns/filter/compile.h"
#include "patterns/filter/parser.h"

namespace trailwatch::filter {

namespace {

struct Counts {
  int regex = 0;
  int wildcard_selectors = 0;
  const Regex* third_regex = nullptr;
  const Selector* fourth_wildcard = nullptr;
  const Selector* double_wildcard = nullptr;
};

void CountValue(const Value& v, Counts& c) {
  if (v.kind != ValueKind::kRegex) return;
  if (++c.regex == kMaxRegexPerPattern + 1) c.third_regex = &v.regex;
}

void CountJson(const JsonExpr& e, Counts& c) {
  if (e.kind == JsonExpr::Kind::kCondition) {
    const Selector& s = e.condition.selector;
    const int w = s.WildcardCount();
    if (w > 1 && !c.double_wildcard) c.double_wildcard = &s;
    if (w > 0 && ++c.wildcard_selectors == kMaxWildcardSelectors + 1) c.fourth_wildcard = &s;
    if (e.condition.test == JsonTest::kCompare) CountValue(e.condition.value, c);
    return;
  }
  for (const auto& child : e.children) CountJson(*child, c);
}

Diagnostic Quota(std::string message, Span span, std::string hint) {
  return Diagnostic{kInvalidParameterException, "Invalid filter pattern", std::move(message), span,
                    std::move(hint), {}};
}

}  // namespace

std::optional<Diagnostic> CheckFilterPattern(const FilterAst& ast) {
  Counts c;
  if (ast.kind == PatternKind::kJson && ast.json) CountJson(*ast.json, c);
  if (ast.kind == PatternKind::kDelimited) {
    for (const DelimitedField& f : ast.fields) {
      for (const auto& conj : f.condition.any_of) {
        for (const FieldCondition& fc : conj) CountValue(fc.value, c);
      }
    }
  }
  if (c.double_wildcard) {
    return Quota("selector " + c.double_wildcard->text + " has more than one wildcard", c.double_wildcard->span,
                 "a selector may hold one * or [*]");
  }
  if (c.fourth_wildcard) {
    return Quota("more than " + std::to_string(kMaxWildcardSelectors) + " selectors with wildcards",
                 c.fourth_wildcard->span, "a JSON pattern may use at most 3 wildcard selectors");
  }
  if (c.third_regex) {
    return Quota("more than " + std::to_string(kMaxRegexPerPattern) + " regular expressions in one pattern",
                 c.third_regex->span, "JSON and space-delimited patterns may hold at most 2 %regex% values");
  }
  return std::nullopt;
}

}  // namespace trailwatch::filter
