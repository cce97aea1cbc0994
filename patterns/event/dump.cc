// dump.cc: see dump.h.
#include "patterns/event/dump.h"

#include <charconv>

namespace trailwatch::event {

namespace {
std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}
std::string Num(double d) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, end);
}
std::string List(const Matcher& m) {
  std::string out = "[";
  if (m.numeric_set) {
    for (size_t i = 0; i < m.numbers.size(); ++i) out += (i ? "," : "") + Num(m.numbers[i]);
  } else {
    for (size_t i = 0; i < m.strings.size(); ++i) out += (i ? "," : "") + Quote(m.strings[i]);
  }
  return out + "]";
}
}  // namespace

std::string DumpMatcher(const Matcher& m) {
  const std::string name = MatchKindName(m.kind);
  switch (m.kind) {
    case MatchKind::kExactString:
    case MatchKind::kPrefix:
    case MatchKind::kSuffix:
    case MatchKind::kPrefixIgnoreCase:
    case MatchKind::kSuffixIgnoreCase:
    case MatchKind::kEqualsIgnoreCase:
    case MatchKind::kWildcard:
      return name + ":" + Quote(m.strings[0]);
    case MatchKind::kExactNumber:
      return name + ":" + m.strings[0] + (m.exact ? "" : "(text)");
    case MatchKind::kNull:
    case MatchKind::kTrue:
    case MatchKind::kFalse:
    case MatchKind::kExists:
    case MatchKind::kAbsent:
      return name;
    case MatchKind::kIpAddress:
      return name + ":" + FormatIp(m.range.low);
    case MatchKind::kCidr:
      return name + ":" + FormatIp(m.range.low) + "-" + FormatIp(m.range.high);
    case MatchKind::kNumeric: {
      if (m.has_low && m.has_high && m.low == m.high && !m.low_open && !m.high_open) return name + "(=" + Num(m.low) + ")";
      std::string out = name + (m.has_low && m.low_open ? "(" : "[");
      out += m.has_low ? Num(m.low) : "-inf";
      out += ",";
      out += m.has_high ? Num(m.high) : "+inf";
      out += m.has_high && !m.high_open ? "]" : ")";
      return out;
    }
    case MatchKind::kAnythingBut:
    case MatchKind::kAnythingButPrefix:
    case MatchKind::kAnythingButSuffix:
    case MatchKind::kAnythingButIgnoreCase:
    case MatchKind::kAnythingButWildcard:
      return name + ":" + List(m);
  }
  return name;
}

std::string DumpPattern(const EventPattern& p) {
  std::string out;
  for (const SubRule& r : p.rules) {
    out += "rule{";
    for (size_t i = 0; i < r.fields.size(); ++i) {
      const Field& f = r.fields[i];
      out += (i ? "; " : "") + f.path + ": [";
      for (size_t k = 0; k < f.values.size(); ++k) out += (k ? ", " : "") + DumpMatcher(f.values[k]);
      out += "]";
    }
    out += "}\n";
  }
  if (p.legacy_or) out += "(legacy $or)\n";
  return out;
}

}  // namespace trailwatch::event
