// validate.cc: see validate.h.
#include "patterns/event/validate.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "patterns/event/lexer.h"

namespace trailwatch::event {

namespace {

Diagnostic Make(std::string reason, Span span, std::string hint) {
  Diagnostic d;
  d.exception = kInvalidPatternException;
  d.aws_message = std::string(kInvalidPatternPrefix) + reason;
  d.message = std::move(reason);
  d.span = span;
  d.hint = std::move(hint);
  d.pointer = "/";
  return d;
}

}  // namespace

size_t PatternLength(std::string_view text) {
  size_t units = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    units += (c >= 0xF0) ? 2 : 1;      // 4-byte sequences are surrogate pairs in UTF-16
  }
  return units;
}

std::optional<Diagnostic> CheckUtf8(std::string_view text) {
  uint32_t offset;
  std::string reason;
  if (!FindInvalidUtf8(text, &offset, &reason)) return std::nullopt;
  const uint32_t position = std::min<uint32_t>(offset + 1, static_cast<uint32_t>(text.size()));
  Diagnostic d = Make(reason, Span{offset, 1}, "event patterns are UTF-8 text; AWS refuses a request that is not");
  d.aws_message += JacksonLocation(text, position);
  return d;
}

std::optional<Diagnostic> CheckPatternSize(std::string_view text, const PatternOptions& options) {
  const size_t limit = std::min<size_t>(options.max_size, 4096);
  const size_t length = PatternLength(text);
  if (length <= limit) return std::nullopt;
  // Point the caret at the first character past the limit.
  uint32_t offset = 0;
  size_t units = 0;
  for (; offset < text.size(); ++offset) {
    const unsigned char c = static_cast<unsigned char>(text[offset]);
    if ((c & 0xC0) == 0x80) continue;
    if (units >= limit) break;
    units += (c >= 0xF0) ? 2 : 1;
  }
  return Make("Event pattern length " + std::to_string(length) + " exceeds the maximum of " + std::to_string(limit) +
                  " characters",
              Span{offset, static_cast<uint32_t>(text.size() - offset)},
              limit < 4096 ? "the service quota is 2,048 characters by default and can be raised to 4,096"
                           : "EventBridge accepts at most 4,096 characters");
}

std::optional<Diagnostic> CheckCombinations(std::string_view text, size_t combinations,
                                            const PatternOptions& options) {
  if (combinations <= options.max_combinations) return std::nullopt;
  const size_t at = text.find("$or");
  return Make("The $or combinations of the event pattern exceed the limit of " +
                  std::to_string(options.max_combinations),
              Span{static_cast<uint32_t>(at == std::string_view::npos ? 0 : at), 3},
              "each $or multiplies the number of combinations by its number of branches; factor common fields out");
}

std::optional<Diagnostic> CheckWildcardComplexity(std::string_view text, EventPattern* pattern,
                                                  const PatternOptions& options) {
  // All wildcard values on one path share one matcher in the service, whatever sub-rule they come from.
  std::map<std::string, std::vector<const Matcher*>> by_path;
  for (const SubRule& r : pattern->rules) {
    for (const Field& f : r.fields) {
      for (const Matcher& m : f.values) {
        if (m.kind == MatchKind::kWildcard) {
          auto& v = by_path[f.path];
          bool dup = false;
          for (const Matcher* o : v) dup = dup || (o->span.offset == m.span.offset);
          if (!dup) v.push_back(&m);
        }
      }
    }
  }
  const int cap = options.max_wildcard_complexity > 0 ? options.max_wildcard_complexity : 1000;
  for (auto& [path, matchers] : by_path) {
    std::vector<const Wildcard*> ws;
    for (const Matcher* m : matchers) ws.push_back(&m->wildcards[0]);
    const int c = WildcardComplexity(ws, cap);
    pattern->wildcard_complexity = std::max(pattern->wildcard_complexity, c);
    if (options.max_wildcard_complexity > 0 && c >= options.max_wildcard_complexity) {
      const Matcher* m = matchers.back();
      Diagnostic d = Make(
          "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after "
          "a wildcard character",
          m->span, "wildcard complexity " + std::to_string(c) + " reaches the limit " +
                       std::to_string(options.max_wildcard_complexity) + " on field \"" + path + "\"");
      return d;
    }
  }
  (void)text;
  return std::nullopt;
}

}  // namespace trailwatch::event
