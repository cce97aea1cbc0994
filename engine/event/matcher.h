// matcher.h: evaluates a compiled set of event patterns against events, one simdjson parse per event.
//
// Contract: an EventMatcher wraps an immutable CompiledRuleSet (patterns/event/compile.h) and is shared by
// threads; each thread owns an EventScratch (one scratch may serve several matchers). Evaluate() parses the
// event once (simdjson On-Demand, which keeps number spellings), walks only the parts of the document that some
// pattern names (the segment trie of the set; a key with dots is split so nested and dotted spellings meet;
// keys and string values without a backslash are compared as the raw bytes, the others decoded), records each
// leaf at a named path with its array membership, tests each leaf against the atoms of its path (table
// lookups for exact values, shared tests for the rest, each distinct test once per leaf), then examines only
// the sub-rules whose anchor atom fired (plus the absence-only ones), enforcing array consistency: the leaves
// a sub-rule uses must not come from different elements of the same event array, and an {"exists": false}
// field must have no leaf consistent with them. After Evaluate() the scratch answers Matched(i) until the
// next Evaluate(). No allocation per event once the scratch has grown.
//
// Fast path (on unless `fast_paths` is false; the default follows FastPathsEnabledByDefault(), i.e. the
// environment variable TRAILWATCH_NO_FAST_PATHS): the literal prefilter (event_prefilter.h) scans the raw
// event first; sub-rules whose necessary literals are missing are not examined, the walk enters only the
// keys the remaining sub-rules name, and an event no sub-rule may match is not parsed at all. Results are
// identical with and without it.
//
// Evaluate() returns false when the event is not a JSON object (nothing matches then). An event the prefilter
// rules out entirely is not parsed, so malformed JSON that no pattern could match may return true; either
// way Matched() is false for every pattern.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "engine/event/event_prefilter.h"
#include "engine/event/leaf.h"
#include "engine/filter/filter_set.h"  // FastPathsEnabledByDefault()
#include "patterns/event/compile.h"

namespace trailwatch::engine {

class EventMatcher;

class EventScratch {
 public:
  EventScratch() = default;
  EventScratch(const EventScratch&) = delete;
  EventScratch& operator=(const EventScratch&) = delete;

 private:
  friend class EventMatcher;
  simdjson::ondemand::parser parser_;
  std::string padded_;
  const char* end_ = nullptr;  // end of the event text in padded_
  EventPrefilterScratch prefilter_;
  bool restricted_ = false;         // the walk enters only nodes stamped in node_stamp_
  std::vector<uint32_t> node_stamp_;
  std::vector<Leaf> leaves_;
  std::vector<std::pair<uint32_t, uint32_t>> membership_;  // all leaves' (array id, index), concatenated
  std::vector<std::pair<uint32_t, uint32_t>> mem_stack_;
  uint32_t next_array_ = 0;
  uint32_t stamp_ = 0;
  std::vector<uint32_t> path_stamp_;
  std::vector<int32_t> path_head_;
  std::vector<uint32_t> atom_stamp_;
  std::vector<int32_t> atom_head_;
  std::vector<std::pair<uint32_t, int32_t>> hits_;  // (leaf, next hit of the same atom)
  std::vector<uint32_t> hit_atoms_;
  std::vector<uint32_t> rule_stamp_;
  std::vector<uint32_t> candidates_;
  std::vector<uint8_t> matched_;
  std::vector<std::vector<uint32_t>> field_leaves_;
  std::vector<uint32_t> order_;
  std::vector<int32_t> choice_;
  std::string fold_;
  uint64_t steps_ = 0;
  bool has_arrays_ = false;
};

class EventMatcher {
 public:
  explicit EventMatcher(std::shared_ptr<const event::CompiledRuleSet> set,
                        bool fast_paths = FastPathsEnabledByDefault());
  ~EventMatcher();
  EventMatcher(EventMatcher&&) noexcept;
  EventMatcher& operator=(EventMatcher&&) noexcept;

  size_t size() const { return set_->pattern_count(); }
  const event::CompiledRuleSet& set() const { return *set_; }
  // Whether the literal prefilter is in use (fast paths requested, Hyperscan available, some literal found).
  bool prefiltered() const { return prefilter_ != nullptr; }
  // The prefilter's literals and conditions ("prefilter: off" when not in use).
  std::string DumpPrefilter() const;

  // Evaluates every pattern against `json`. Returns false when it is not a JSON object (nothing matches).
  bool Evaluate(std::string_view json, EventScratch& s) const;
  bool Matched(size_t pattern, const EventScratch& s) const { return s.matched_[pattern] != 0; }
  size_t MatchCount(const EventScratch& s) const;

 private:
  bool Visit(simdjson::ondemand::value value, uint32_t node, EventScratch& s, int depth) const;
  bool WalkObject(simdjson::ondemand::object object, uint32_t node, EventScratch& s, int depth) const;
  void AddLeaf(const Leaf& leaf, EventScratch& s) const;
  bool NodeFor(std::string_view key, uint32_t* node) const;
  void TestLeaf(uint32_t leaf_index, EventScratch& s) const;
  void Hit(uint32_t atom, uint32_t leaf, EventScratch& s) const;
  bool EvalRule(const event::RuleSetRule& rule, EventScratch& s) const;
  bool Search(const event::RuleSetRule& rule, size_t k, EventScratch& s) const;
  bool Consistent(const Leaf& a, const Leaf& b, const EventScratch& s) const;
  bool ConsistentWithChosen(uint32_t leaf, const event::RuleSetRule& rule, size_t upto, EventScratch& s) const;

  std::shared_ptr<const event::CompiledRuleSet> set_;
  std::unique_ptr<EventPrefilter> prefilter_;
  std::vector<uint32_t> rule_node_begin_;  // sub-rule r's trie nodes: rule_nodes_[begin[r], begin[r + 1])
  std::vector<uint32_t> rule_nodes_;       // every node on the paths of its fields (root excluded)
};

}  // namespace trailwatch::engine
