// matcher.h: evaluates a compiled set of event patterns against events, one simdjson parse per event.
//
// Contract: an EventMatcher wraps an immutable CompiledRuleSet (patterns/event/compile.h) and is shared by
// threads; each thread owns an EventScratch. Evaluate() parses the event once (simdjson On-Demand, which keeps
// number spellings), walks only the parts of the document that some pattern names (the segment trie of the
// set; a key with dots is split so nested and dotted spellings meet), records each leaf at a named path with
// its array membership, tests each leaf against the atoms of its path (hash lookups for exact values, shared
// tests for the rest, each distinct test once per leaf), then examines only the sub-rules whose anchor atom
// fired (plus the absence-only ones), enforcing array consistency: the leaves a sub-rule uses must not come
// from different elements of the same event array, and an {"exists": false} field must have no leaf consistent
// with them. After Evaluate() the scratch answers Matched(i) until the next Evaluate(). No allocation per event
// once the scratch has grown. An event that is not a JSON object matches nothing (Evaluate returns false).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "engine/event/leaf.h"
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
  bool ok_ = false;
  bool has_arrays_ = false;
};

class EventMatcher {
 public:
  explicit EventMatcher(std::shared_ptr<const event::CompiledRuleSet> set);

  size_t size() const { return set_->pattern_count(); }
  const event::CompiledRuleSet& set() const { return *set_; }

  // Evaluates every pattern against `json`. Returns false when it is not a JSON object (nothing matches).
  bool Evaluate(std::string_view json, EventScratch& s) const;
  bool Matched(size_t pattern, const EventScratch& s) const { return s.matched_[pattern] != 0; }
  size_t MatchCount(const EventScratch& s) const;

 private:
  bool Visit(simdjson::ondemand::value value, uint32_t node, EventScratch& s, int depth) const;
  bool WalkObject(simdjson::ondemand::object object, uint32_t node, EventScratch& s, int depth) const;
  void AddLeaf(const Leaf& leaf, EventScratch& s) const;
  void TestLeaf(uint32_t leaf_index, EventScratch& s) const;
  void Hit(uint32_t atom, uint32_t leaf, EventScratch& s) const;
  bool EvalRule(const event::RuleSetRule& rule, EventScratch& s) const;
  bool Search(const event::RuleSetRule& rule, size_t k, EventScratch& s) const;
  bool Consistent(const Leaf& a, const Leaf& b, const EventScratch& s) const;
  bool ConsistentWithChosen(uint32_t leaf, const event::RuleSetRule& rule, size_t upto, EventScratch& s) const;

  std::shared_ptr<const event::CompiledRuleSet> set_;
};

}  // namespace trailwatch::engine
