// compile.h: many event patterns -> one immutable rule set whose field lookups and value tests are shared.
//
// Contract: CompileRuleSet() merges patterns the way event-ruler's and quamina's automata share work (ideas,
// not code): every path named by any pattern becomes one node of a segment trie (segments split on '.', so
// nested keys, dotted keys and any mix of the two reach the same node); identical value tests on the same path
// are one "atom" however many patterns use them; exact strings and exactly-representable numbers on a path are
// indexed in hash maps, so N patterns keyed on different values of `source` cost one lookup, not N
// comparisons; each sub-rule is indexed under one "anchor" field (a field that cannot match without one of its
// atoms matching), so only sub-rules whose anchor fired are examined. Rules made only of fields that can match
// by absence are always examined. The set is pure data: engine/event/matcher.h evaluates it over a simdjson
// parse of the event; threads share it. Entry point: CompileRuleSet().
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "patterns/event/ast.h"

namespace trailwatch::event {

// Transparent string hashing, so lookups by string_view do not allocate.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <class V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

struct RuleSetPath {
  std::string path;
  std::vector<uint32_t> atoms;  // every atom on this path
  StringMap<std::vector<uint32_t>> exact_strings;  // value -> kExactString atoms
  StringMap<std::vector<uint32_t>> number_texts;  // spelling -> kExactNumber atoms
  std::unordered_map<double, std::vector<uint32_t>> number_values;       // value -> exact kExactNumber atoms
  std::vector<uint32_t> literal_atoms;  // kNull / kTrue / kFalse
  std::vector<uint32_t> scan_atoms;     // every other positive atom (tested one by one)
  std::vector<uint32_t> absent_atoms;   // kAbsent (matched by the absence of a consistent leaf)
  bool needs_folding = false;           // some atom compares case-folded text
  bool needs_number = false;            // some atom compares numbers by value
};

struct RuleSetAtom {
  uint32_t path = 0;
  const Matcher* matcher = nullptr;
};

struct RuleSetField {
  uint32_t path = 0;
  std::vector<uint32_t> atoms;  // positive atoms of the value list (deduplicated)
  bool absent_ok = false;       // the list holds {"exists": false}
};

struct RuleSetRule {
  uint32_t pattern = 0;
  std::vector<RuleSetField> fields;
};

struct RuleSetTrieNode {
  StringMap<uint32_t> children;  // segment -> node
  int32_t path = -1;                                    // RuleSetPath id when a pattern names this node
};

class CompiledRuleSet {
 public:
  size_t pattern_count() const { return patterns_.size(); }
  const EventPattern& pattern(size_t i) const { return *patterns_[i]; }

  std::vector<std::shared_ptr<const EventPattern>> patterns_;
  std::vector<RuleSetTrieNode> nodes_;  // [0] is the root
  std::vector<RuleSetPath> paths_;
  std::vector<RuleSetAtom> atoms_;
  std::vector<RuleSetRule> rules_;
  std::vector<std::vector<uint32_t>> anchored_;  // atom -> rules anchored on it
  std::vector<uint32_t> always_;                 // rules examined for every event
  std::string Dump() const;
};

std::shared_ptr<const CompiledRuleSet> CompileRuleSet(std::vector<std::shared_ptr<const EventPattern>> patterns);

// The canonical text of a matcher, used to deduplicate atoms (equal keys test the same thing).
std::string AtomKey(const Matcher& m);

}  // namespace trailwatch::event
