// compile.cc: see compile.h.
#include "patterns/event/compile.h"

#include <algorithm>
#include <map>

#include "patterns/event/dump.h"

namespace trailwatch::event {

namespace {

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out(1);
  for (char c : path) {
    if (c == '.') out.emplace_back();
    else out.back().push_back(c);
  }
  return out;
}

bool IsPositive(MatchKind k) { return k != MatchKind::kAbsent; }

// Lower is more selective: exact lookups first, then literals, then scanned tests, then exists.
int Selectivity(const Matcher& m) {
  switch (m.kind) {
    case MatchKind::kExactString:
    case MatchKind::kExactNumber:
      return 0;
    case MatchKind::kNull:
    case MatchKind::kTrue:
    case MatchKind::kFalse:
    case MatchKind::kIpAddress:
      return 1;
    case MatchKind::kExists:
      return 4;
    case MatchKind::kAnythingBut:
    case MatchKind::kAnythingButPrefix:
    case MatchKind::kAnythingButSuffix:
    case MatchKind::kAnythingButIgnoreCase:
    case MatchKind::kAnythingButWildcard:
      return 3;
    default:
      return 2;
  }
}

}  // namespace

std::string AtomKey(const Matcher& m) { return DumpMatcher(m); }

std::shared_ptr<const CompiledRuleSet> CompileRuleSet(std::vector<std::shared_ptr<const EventPattern>> patterns) {
  auto set = std::make_shared<CompiledRuleSet>();
  set->patterns_ = std::move(patterns);
  set->nodes_.emplace_back();
  std::map<std::pair<uint32_t, std::string>, uint32_t> atom_ids;

  auto path_id = [&](const std::string& path) -> uint32_t {
    uint32_t node = 0;
    for (const std::string& seg : SplitPath(path)) {
      if (const uint32_t* found = set->nodes_[node].children.Find(seg)) {
        node = *found;
      } else {
        const uint32_t child = static_cast<uint32_t>(set->nodes_.size());
        set->nodes_[node].children[seg] = child;
        set->nodes_[node].key_filter |= RuleSetTrieNode::KeyFilterBit(seg);
        set->nodes_.emplace_back();
        node = child;
      }
    }
    if (set->nodes_[node].path < 0) {
      set->nodes_[node].path = static_cast<int32_t>(set->paths_.size());
      set->paths_.emplace_back();
      set->paths_.back().path = path;
    }
    return static_cast<uint32_t>(set->nodes_[node].path);
  };

  auto atom_id = [&](uint32_t path, const Matcher& m) -> uint32_t {
    const auto key = std::make_pair(path, AtomKey(m));
    auto it = atom_ids.find(key);
    if (it != atom_ids.end()) return it->second;
    const uint32_t id = static_cast<uint32_t>(set->atoms_.size());
    atom_ids.emplace(key, id);
    set->atoms_.push_back({path, &m});
    RuleSetPath& p = set->paths_[path];
    p.atoms.push_back(id);
    switch (m.kind) {
      case MatchKind::kExactString:
        p.exact_strings[m.strings[0]].push_back(id);
        break;
      case MatchKind::kExactNumber:
        p.number_texts[m.strings[0]].push_back(id);
        if (m.exact) {
          const double v = m.numbers[0] == 0 ? 0.0 : m.numbers[0];
          auto it = std::lower_bound(p.number_values.begin(), p.number_values.end(), v,
                                     [](const auto& e, double x) { return e.first < x; });
          if (it == p.number_values.end() || it->first != v) it = p.number_values.insert(it, {v, {}});
          it->second.push_back(id);
          p.needs_number = true;
        }
        break;
      case MatchKind::kNull:
      case MatchKind::kTrue:
      case MatchKind::kFalse:
        p.literal_atoms.push_back(id);
        break;
      case MatchKind::kAbsent:
        p.absent_atoms.push_back(id);
        break;
      case MatchKind::kEqualsIgnoreCase:
        p.folded_strings[m.strings[0]].push_back(id);
        p.needs_folding = true;
        break;
      case MatchKind::kPrefix:
      case MatchKind::kSuffix: {
        const bool prefix = m.kind == MatchKind::kPrefix;
        (prefix ? p.prefixes : p.suffixes)[m.strings[0]].push_back(id);
        std::vector<uint32_t>& lengths = prefix ? p.prefix_lengths : p.suffix_lengths;
        const uint32_t n = static_cast<uint32_t>(m.strings[0].size());
        auto at = std::lower_bound(lengths.begin(), lengths.end(), n);
        if (at == lengths.end() || *at != n) lengths.insert(at, n);
        break;
      }
      default:
        p.scan_atoms.push_back(id);
        if (m.kind == MatchKind::kPrefixIgnoreCase ||
            m.kind == MatchKind::kSuffixIgnoreCase || m.kind == MatchKind::kAnythingButIgnoreCase) {
          p.needs_folding = true;
        }
        if (m.kind == MatchKind::kNumeric || (m.kind == MatchKind::kAnythingBut && m.numeric_set)) {
          p.needs_number = true;
        }
        break;
    }
    return id;
  };

  for (uint32_t pi = 0; pi < set->patterns_.size(); ++pi) {
    for (const SubRule& sub : set->patterns_[pi]->rules) {
      RuleSetRule rule;
      rule.pattern = pi;
      for (const Field& f : sub.fields) {
        RuleSetField rf;
        rf.path = path_id(f.path);
        for (const Matcher& m : f.values) {
          const uint32_t a = atom_id(rf.path, m);
          if (!IsPositive(m.kind)) {
            rf.absent_ok = true;
          } else if (std::find(rf.atoms.begin(), rf.atoms.end(), a) == rf.atoms.end()) {
            rf.atoms.push_back(a);
          }
        }
        rule.fields.push_back(std::move(rf));
      }
      set->rules_.push_back(std::move(rule));
    }
  }
  // Anchors: the most selective field that needs a positive atom; among equally selective ones the shallowest
  // (envelope fields such as `source` come first in events, so the matcher learns early which sub-rules are
  // out), then the one with the fewest atoms.
  set->anchored_.resize(set->atoms_.size());
  for (uint32_t ri = 0; ri < set->rules_.size(); ++ri) {
    const RuleSetRule& r = set->rules_[ri];
    int best = -1, best_score = 1 << 30;
    for (size_t fi = 0; fi < r.fields.size(); ++fi) {
      const RuleSetField& f = r.fields[fi];
      if (f.absent_ok || f.atoms.empty()) continue;
      int score = 0;
      for (uint32_t a : f.atoms) score = std::max(score, Selectivity(*set->atoms_[a].matcher));
      const std::string& path = set->paths_[f.path].path;
      const int segments = 1 + static_cast<int>(std::count(path.begin(), path.end(), '.'));
      score = score * 1000000 + std::min(segments, 999) * 1000 + std::min(static_cast<int>(f.atoms.size()), 999);
      if (score < best_score) {
        best_score = score;
        best = static_cast<int>(fi);
      }
    }
    if (best < 0) {
      set->always_.push_back(ri);
    } else {
      for (uint32_t a : r.fields[best].atoms) set->anchored_[a].push_back(ri);
    }
  }
  return set;
}

std::string CompiledRuleSet::Dump() const {
  std::string out;
  out += "paths " + std::to_string(paths_.size()) + ", atoms " + std::to_string(atoms_.size()) + ", rules " +
         std::to_string(rules_.size()) + " (" + std::to_string(always_.size()) + " always examined)\n";
  for (const RuleSetPath& p : paths_) {
    out += "  " + p.path + ":";
    for (uint32_t a : p.atoms) out += " #" + std::to_string(a) + "=" + AtomKey(*atoms_[a].matcher);
    out += "\n";
  }
  return out;
}

}  // namespace trailwatch::event
