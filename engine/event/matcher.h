// matcher.h: evaluates a compiled set of event patterns against events, one simdjson parse per event.
//
// Contract: an EventMatcher wraps an immutable CompiledRuleSet (patterns/event/compile.h) and is shared by
// threads; each thread owns an EventScratch (one scratch may serve several matchers). Evaluate() parses the
// event once, walks only the parts of the document that some pattern names (the segment trie of the set; a
// key with dots is split so nested and dotted spellings meet; keys and string values without a backslash are
// compared as their raw bytes, the others decoded; numbers keep their spelling), records each leaf at a named
// path with its array membership, tests each leaf against the atoms of its path (table lookups for exact
// values, shared tests for the rest, each distinct test once per leaf), then examines only the sub-rules
// whose anchor atom fired (plus the absence-only ones), enforcing array consistency: the leaves a sub-rule
// uses must not come from different elements of the same event array, and an {"exists": false} field must
// have no leaf consistent with them. After Evaluate() the scratch answers Matched(i) until the next
// Evaluate(). No allocation per event once the scratch has grown.
//
// Two walks, same results (`fast_paths`, default on; the CLI turns it off when the environment
// variable TRAILWATCH_NO_FAST_PATHS names `walk` or is `1`, engine/fast_paths.h):
// - fast: simdjson's stage 1 (structural indexing, UTF-8 and string validation) and a walk over its
//   structural index that skips unnamed values by bracket depth, without simdjson On-Demand's per-token
//   bookkeeping; and speculative pruning: on entering an object, only the sub-rules still alive are served
//   (a sub-rule is out when its anchor path, outside that object, already has leaves and none of its anchor
//   atoms fired — e.g. `source` differs), and if a later duplicate key revives one, the event is walked again
//   without pruning;
// - plain: simdjson On-Demand over every named path.
// The fast walk checks the grammar of what it walks and the bracket balance of what it skips, as On-Demand
// does; malformed events may be reported differently by the two walks, valid ones never.
//
// Evaluate() returns true when it evaluated the event; otherwise nothing matches and the scratch's status()
// says why, for the caller to count (an event that was not evaluated is never a silent non-match):
// - EventStatus::kInvalid: the text is not one JSON object (malformed JSON, invalid UTF-8, another type,
//   anything but whitespace after the object);
// - EventStatus::kTooDeep: valid JSON that nests more than EventMatcher::kMaxDepth (1,000) containers
//   anywhere, named by a pattern or not. That is the limit of the Jackson parser EventBridge reads events with
//   (StreamReadConstraints' default maximum nesting depth), and the limit the pattern parser applies
//   (patterns/event/lexer.h), so every path a pattern can name is walked.
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

// What the last Evaluate() with a scratch did with the event.
enum class EventStatus : uint8_t {
  kEvaluated,  // every pattern was evaluated: Matched() answers
  kInvalid,    // not one JSON object: nothing matches
  kTooDeep,    // nested deeper than EventMatcher::kMaxDepth containers: not evaluated, nothing matches
};
const char* EventStatusName(EventStatus status);  // "evaluated", "invalid", "too-deep"

class EventScratch {
 public:
  EventScratch() = default;
  EventScratch(const EventScratch&) = delete;
  EventScratch& operator=(const EventScratch&) = delete;

  // The status of the last Evaluate() (kInvalid before the first).
  EventStatus status() const { return status_; }

 private:
  friend class EventMatcher;
  simdjson::ondemand::parser parser_;
  std::string padded_;
  const char* end_ = nullptr;  // end of the event text in padded_
  // Fast walk: stage 1's structural index over padded_, and the buffer escaped strings are decoded into.
  std::unique_ptr<simdjson::internal::dom_parser_implementation> stage1_;
  size_t stage1_capacity_ = 0;
  const uint32_t* index_ = nullptr;
  uint32_t tokens_ = 0;
  std::unique_ptr<uint8_t[]> strings_;
  size_t strings_capacity_ = 0;
  uint8_t* strings_next_ = nullptr;
  bool restricted_ = false;         // the walk enters only nodes stamped in node_stamp_
  bool speculate_ = false;          // this walk restricts objects to the sub-rules still alive
  std::vector<uint32_t> node_stamp_;
  std::vector<uint32_t> closed_stamp_;  // per path: an anchor path judged complete during this walk ...
  std::vector<uint32_t> closed_at_;     // ... when hit_atoms_ had this many entries
  bool closed_any_ = false;
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
  size_t match_count_ = 0;
  std::vector<std::vector<uint32_t>> field_leaves_;
  std::vector<uint32_t> order_;
  std::vector<int32_t> choice_;
  std::string fold_;
  uint64_t steps_ = 0;
  bool has_arrays_ = false;
  bool too_deep_ = false;  // the walk met more nesting than kMaxDepth
  EventStatus status_ = EventStatus::kInvalid;
};

class EventMatcher {
 public:
  // The deepest nesting (containers, the root object counting 1) an event may have to be evaluated.
  static constexpr int kMaxDepth = 1000;

  explicit EventMatcher(std::shared_ptr<const event::CompiledRuleSet> set,
                        bool fast_paths = true);
  ~EventMatcher();
  EventMatcher(EventMatcher&&) noexcept;
  EventMatcher& operator=(EventMatcher&&) noexcept;

  size_t size() const { return set_->pattern_count(); }
  const event::CompiledRuleSet& set() const { return *set_; }
  bool fast_paths() const { return fast_; }

  // Evaluates every pattern against `json`. Returns false when the event was not evaluated (nothing matches;
  // s.status() says why).
  bool Evaluate(std::string_view json, EventScratch& s) const;
  bool Matched(size_t pattern, const EventScratch& s) const { return s.matched_[pattern] != 0; }
  size_t MatchCount(const EventScratch& s) const;

 private:
  // Plain walk (On-Demand).
  bool Visit(simdjson::ondemand::value& value, uint32_t node, EventScratch& s, int depth) const;
  bool WalkObject(simdjson::ondemand::object object, uint32_t node, EventScratch& s, int depth) const;
  // Fast walk over the structural index; `*i` is the token of the value, and is left after it.
  bool FastVisit(uint32_t* i, uint32_t node, EventScratch& s, int depth) const;
  bool FastWalkObject(uint32_t* i, uint32_t node, EventScratch& s, int depth) const;
  bool Stage1(std::string_view json, EventScratch& s) const;
  static bool TooDeep(EventScratch& s);  // records that the nesting limit was met; returns false
  Leaf& NewLeaf(uint32_t path, EventScratch& s) const;
  bool NodeFor(std::string_view key, uint32_t* node) const;
  bool Speculate(uint32_t node, EventScratch& s) const;
  void MarkUnder(uint32_t node, uint32_t begin, uint32_t end, EventScratch& s) const;
  bool Revived(const EventScratch& s) const;
  enum class Outcome { kOk, kInvalid, kRedo };
  Outcome EvaluateOnce(std::string_view json, EventScratch& s, bool speculate) const;
  void Reset(EventScratch& s) const;
  void Decide(EventScratch& s) const;
  void TestLeaf(uint32_t leaf_index, EventScratch& s) const;
  void Hit(uint32_t atom, uint32_t leaf, EventScratch& s) const;
  bool EvalRule(const event::RuleSetRule& rule, EventScratch& s) const;
  bool Search(const event::RuleSetRule& rule, size_t k, EventScratch& s) const;
  bool Consistent(const Leaf& a, const Leaf& b, const EventScratch& s) const;
  bool ConsistentWithChosen(uint32_t leaf, const event::RuleSetRule& rule, size_t upto, EventScratch& s) const;

  std::shared_ptr<const event::CompiledRuleSet> set_;
  bool fast_ = false;
  std::vector<uint32_t> rule_node_begin_;  // sub-rule r's trie nodes: rule_nodes_[begin[r], begin[r + 1])
  std::vector<uint32_t> rule_nodes_;       // every node on the paths of its fields (root excluded)
  // Speculative pruning (fast paths): the trie in preorder (node n's subtree is preorder [pre_[n], end_[n]))
  // and, as node lists [begin, end) into spec_nodes_, the nodes the sub-rules anchored on each anchor path,
  // on each atom, and the always-examined ones need.
  std::vector<uint32_t> pre_, end_;
  std::vector<uint32_t> path_node_;
  struct AnchorPath {
    uint32_t path;
    uint32_t begin, end;  // nodes of all sub-rules anchored on this path
  };
  std::vector<AnchorPath> anchor_paths_;
  std::vector<uint32_t> atom_nodes_begin_;  // atom a: spec_nodes_[begin[a], begin[a + 1])
  uint32_t always_begin_ = 0, always_end_ = 0;
  std::vector<uint32_t> spec_nodes_;
};

}  // namespace trailwatch::engine
