// reference.cc: see reference.h.
#include "engine/event/reference.h"

#include <string>
#include <utility>
#include <vector>

#include "patterns/event/casefold.h"
#include "patterns/event/values.h"
#include "patterns/event/wildcard.h"

namespace trailwatch::engine {

namespace {

using event::JsonValue;
using event::MatchKind;

struct RefLeaf {
  std::string path;
  const JsonValue* value;
  std::vector<std::pair<int, int>> membership;  // (array id, element index), outermost first
};

void Flatten(const JsonValue& v, const std::string& path, bool root, std::vector<std::pair<int, int>>& mem,
             int& next_array, std::vector<RefLeaf>& out, int depth) {
  if (depth > 2000) return;
  switch (v.type) {
    case JsonValue::kObject:
      for (const auto& [k, child] : v.members) {
        Flatten(child, root ? k : path + "." + k, false, mem, next_array, out, depth + 1);
      }
      return;
    case JsonValue::kArray: {
      const int id = next_array++;
      for (size_t i = 0; i < v.elements.size(); ++i) {
        mem.push_back({id, static_cast<int>(i)});
        Flatten(v.elements[i], path, root, mem, next_array, out, depth + 1);
        mem.pop_back();
      }
      return;
    }
    default:
      out.push_back({path, &v, mem});
  }
}

bool Consistent(const RefLeaf& a, const RefLeaf& b) {
  // Any array both leaves sit in must be entered through the same element.
  for (const auto& [id_a, idx_a] : a.membership) {
    for (const auto& [id_b, idx_b] : b.membership) {
      if (id_a == id_b && idx_a != idx_b) return false;
    }
  }
  return true;
}

bool NumberValue(const JsonValue& v, double* d) { return v.type == JsonValue::kNumber && event::ExactDouble(v.text, d); }

bool ValueMatches(const event::Matcher& m, const JsonValue& v) {
  const bool is_str = v.type == JsonValue::kString;
  double d = 0;
  switch (m.kind) {
    case MatchKind::kExactString: return is_str && v.text == m.strings[0];
    case MatchKind::kExactNumber: {
      if (v.type != JsonValue::kNumber) return false;
      if (v.text == m.strings[0]) return true;
      double pd;
      return NumberValue(v, &d) && event::ExactDouble(m.strings[0], &pd) && d == pd;
    }
    case MatchKind::kNull: return v.type == JsonValue::kNull;
    case MatchKind::kTrue: return v.type == JsonValue::kTrue;
    case MatchKind::kFalse: return v.type == JsonValue::kFalse;
    case MatchKind::kIpAddress:
    case MatchKind::kCidr: {
      event::IpAddress ip;
      return is_str && event::ParseIp(v.text, &ip) && m.range.Contains(ip);
    }
    case MatchKind::kPrefix: return is_str && v.text.compare(0, m.strings[0].size(), m.strings[0]) == 0 && v.text.size() >= m.strings[0].size();
    case MatchKind::kSuffix:
      return is_str && v.text.size() >= m.strings[0].size() &&
             v.text.compare(v.text.size() - m.strings[0].size(), m.strings[0].size(), m.strings[0]) == 0;
    case MatchKind::kPrefixIgnoreCase: {
      if (!is_str) return false;
      const std::string f = event::FoldCase(v.text);
      return f.rfind(m.strings[0], 0) == 0;
    }
    case MatchKind::kSuffixIgnoreCase: {
      if (!is_str) return false;
      const std::string f = event::FoldCase(v.text);
      return f.size() >= m.strings[0].size() && f.substr(f.size() - m.strings[0].size()) == m.strings[0];
    }
    case MatchKind::kEqualsIgnoreCase: return is_str && event::FoldCase(v.text) == m.strings[0];
    case MatchKind::kWildcard: return is_str && event::MatchWildcard(m.wildcards[0], v.text);
    case MatchKind::kAnythingBut: {
      if (m.numeric_set) {
        if (!NumberValue(v, &d)) return true;
        for (double n : m.numbers) {
          if (n == d) return false;
        }
        return true;
      }
      if (!is_str) return true;
      for (const auto& s : m.strings) {
        if (s == v.text) return false;
      }
      return true;
    }
    case MatchKind::kAnythingButPrefix:
      if (!is_str) return true;
      for (const auto& s : m.strings) {
        if (v.text.rfind(s, 0) == 0) return false;
      }
      return true;
    case MatchKind::kAnythingButSuffix:
      if (!is_str) return true;
      for (const auto& s : m.strings) {
        if (v.text.size() >= s.size() && v.text.compare(v.text.size() - s.size(), s.size(), s) == 0) return false;
      }
      return true;
    case MatchKind::kAnythingButIgnoreCase: {
      if (!is_str) return true;
      const std::string f = event::FoldCase(v.text);
      for (const auto& s : m.strings) {
        if (s == f) return false;
      }
      return true;
    }
    case MatchKind::kAnythingButWildcard:
      if (!is_str) return true;
      for (const auto& w : m.wildcards) {
        if (event::MatchWildcard(w, v.text)) return false;
      }
      return true;
    case MatchKind::kNumeric: {
      if (!NumberValue(v, &d)) return false;
      if (m.has_low && (m.low_open ? d <= m.low : d < m.low)) return false;
      if (m.has_high && (m.high_open ? d >= m.high : d > m.high)) return false;
      return true;
    }
    case MatchKind::kExists: return true;
    case MatchKind::kAbsent: return false;
  }
  return false;
}

struct Search {
  const event::SubRule& rule;
  const std::vector<RefLeaf>& leaves;
  std::vector<std::vector<size_t>> candidates;  // per field: leaves matching one of its elements
  std::vector<bool> absent_ok;
  std::vector<long> choice;                     // leaf index, or -1 for absent
  long budget = 2'000'000;

  bool Run(size_t k) {
    if (--budget < 0) return false;
    if (k == rule.fields.size()) {
      for (size_t f = 0; f < rule.fields.size(); ++f) {
        if (choice[f] >= 0) continue;
        for (const RefLeaf& l : leaves) {
          if (l.path != rule.fields[f].path) continue;
          bool consistent = true;
          for (size_t g = 0; g < rule.fields.size(); ++g) {
            if (choice[g] >= 0 && !Consistent(l, leaves[choice[g]])) consistent = false;
          }
          if (consistent) return false;
        }
      }
      return true;
    }
    for (size_t li : candidates[k]) {
      bool ok = true;
      for (size_t g = 0; g < k; ++g) {
        if (choice[g] >= 0 && !Consistent(leaves[li], leaves[choice[g]])) ok = false;
      }
      if (!ok) continue;
      choice[k] = static_cast<long>(li);
      if (Run(k + 1)) return true;
    }
    if (absent_ok[k]) {
      choice[k] = -1;
      if (Run(k + 1)) return true;
    }
    return false;
  }
};

}  // namespace

bool ReferenceValueMatches(const event::Matcher& m, const JsonValue& leaf) { return ValueMatches(m, leaf); }

bool ReferenceMatches(const event::EventPattern& pattern, const JsonValue& ev) {
  if (ev.type != JsonValue::kObject) return false;
  std::vector<RefLeaf> leaves;
  std::vector<std::pair<int, int>> mem;
  int next_array = 0;
  Flatten(ev, "", true, mem, next_array, leaves, 0);
  for (const event::SubRule& rule : pattern.rules) {
    Search s{rule, leaves, {}, {}, {}};
    s.candidates.resize(rule.fields.size());
    s.absent_ok.resize(rule.fields.size());
    s.choice.assign(rule.fields.size(), -1);
    for (size_t f = 0; f < rule.fields.size(); ++f) {
      for (const event::Matcher& m : rule.fields[f].values) s.absent_ok[f] = s.absent_ok[f] || m.kind == MatchKind::kAbsent;
      for (size_t li = 0; li < leaves.size(); ++li) {
        if (leaves[li].path != rule.fields[f].path) continue;
        for (const event::Matcher& m : rule.fields[f].values) {
          if (ValueMatches(m, *leaves[li].value)) {
            s.candidates[f].push_back(li);
            break;
          }
        }
      }
    }
    if (s.Run(0)) return true;
  }
  return false;
}

bool ReferenceMatchesText(const event::EventPattern& pattern, std::string_view event_json) {
  JsonValue ev;
  std::string error;
  if (!event::ParseJsonValue(event_json, &ev, &error)) return false;
  return ReferenceMatches(pattern, ev);
}

}  // namespace trailwatch::engine
