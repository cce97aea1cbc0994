// leaf.cc: see leaf.h.
#include "engine/event/leaf.h"

#include "patterns/event/values.h"
#include "patterns/event/wildcard.h"

namespace trailwatch::engine {

namespace {

using event::MatchKind;

bool InRange(const event::Matcher& m, double d) {
  if (m.has_low && (m.low_open ? !(d > m.low) : !(d >= m.low))) return false;
  if (m.has_high && (m.high_open ? !(d < m.high) : !(d <= m.high))) return false;
  return true;
}

bool IsString(const Leaf& l) { return l.type == LeafType::kString; }

}  // namespace

bool LeafMatches(const event::Matcher& m, const Leaf& leaf, LeafContext& context) {
  const std::string_view folded = context.folded;
  switch (m.kind) {
    case MatchKind::kExactString:
      return IsString(leaf) && leaf.text == m.strings[0];
    case MatchKind::kExactNumber:
      return leaf.type == LeafType::kNumber &&
             (leaf.text == m.strings[0] || (m.exact && leaf.exact && leaf.number == m.numbers[0]));
    case MatchKind::kNull: return leaf.type == LeafType::kNull;
    case MatchKind::kTrue: return leaf.type == LeafType::kTrue;
    case MatchKind::kFalse: return leaf.type == LeafType::kFalse;
    case MatchKind::kIpAddress:
    case MatchKind::kCidr: {
      if (!IsString(leaf)) return false;
      if (context.ip_state < 0) context.ip_state = event::ParseIp(leaf.text, &context.ip) ? 1 : 0;
      return context.ip_state == 1 && m.range.Contains(context.ip);
    }
    case MatchKind::kPrefix:
      return IsString(leaf) && leaf.text.starts_with(m.strings[0]);
    case MatchKind::kSuffix:
      return IsString(leaf) && leaf.text.ends_with(m.strings[0]);
    case MatchKind::kPrefixIgnoreCase:
      return IsString(leaf) && folded.starts_with(m.strings[0]);
    case MatchKind::kSuffixIgnoreCase:
      return IsString(leaf) && folded.ends_with(m.strings[0]);
    case MatchKind::kEqualsIgnoreCase:
      return IsString(leaf) && folded == m.strings[0];
    case MatchKind::kWildcard:
      return IsString(leaf) && event::MatchWildcard(m.wildcards[0], leaf.text);
    case MatchKind::kAnythingBut:
      if (m.numeric_set) {
        if (leaf.type != LeafType::kNumber || !leaf.exact) return true;
        for (double d : m.numbers) {
          if (d == leaf.number) return false;
        }
        return true;
      }
      if (!IsString(leaf)) return true;
      for (const std::string& s : m.strings) {
        if (leaf.text == s) return false;
      }
      return true;
    case MatchKind::kAnythingButPrefix:
      if (!IsString(leaf)) return true;
      for (const std::string& s : m.strings) {
        if (leaf.text.starts_with(s)) return false;
      }
      return true;
    case MatchKind::kAnythingButSuffix:
      if (!IsString(leaf)) return true;
      for (const std::string& s : m.strings) {
        if (leaf.text.ends_with(s)) return false;
      }
      return true;
    case MatchKind::kAnythingButIgnoreCase:
      if (!IsString(leaf)) return true;
      for (const std::string& s : m.strings) {
        if (folded == s) return false;
      }
      return true;
    case MatchKind::kAnythingButWildcard:
      if (!IsString(leaf)) return true;
      for (const event::Wildcard& w : m.wildcards) {
        if (event::MatchWildcard(w, leaf.text)) return false;
      }
      return true;
    case MatchKind::kNumeric:
      return leaf.type == LeafType::kNumber && leaf.exact && InRange(m, leaf.number);
    case MatchKind::kExists:
      return true;
    case MatchKind::kAbsent:
      return false;
  }
  return false;
}

}  // namespace trailwatch::engine
