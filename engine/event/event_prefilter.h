// event_prefilter.h: exact literal prefiltering of a compiled event-pattern set — an event whose raw text lacks
// the literals a sub-rule needs cannot match that sub-rule, so it need not be parsed for it.
//
// Contract: built once from a CompiledRuleSet (patterns/event/compile.h). For each sub-rule (RuleSetRule) it
// derives a *necessary condition*: a conjunction of clauses, each a disjunction of literals, that the raw
// text of every event the sub-rule matches satisfies, provided the event contains no "\u" escape:
// - a field that must hold a value (its list has no {"exists": false}) gives one clause when every element
//   of its list yields a literal: an exact string s yields "s" (with its quotes), a prefix p yields "p, a
//   suffix x yields x", a wildcard its longest literal piece (with the quote on an anchored end); else the
//   clause is the last segment of the field's path followed by the key's closing quote (seg"), since the
//   value must sit under a key ending so; numbers (300 = 3.0e2), IP addresses, equals-ignore-case (full
//   case folding), anything-but, numeric, cidr, null/true/false yield no literal;
// - a literal is used only when JSON could not spell it otherwise: no " \ / or control characters (their
//   escapes \" \\ \/ \n... are the only other spellings besides \u); an event containing "\u" anywhere is
//   not prefiltered (every sub-rule stays possible);
// - fields that may be absent give no clause; a sub-rule without clauses is always possible.
// One Hyperscan scan per event finds the literals of every sub-rule at once and counts satisfied clauses per
// sub-rule (work proportional to the literals found, not to the rule count). The prefilter is immutable and
// shared; the scan's state lives in a per-thread EventPrefilterScratch, which may serve several prefilters.
// Without Hyperscan (TRAILWATCH_HAVE_HYPERSCAN unset) or when no sub-rule has a clause, enabled() is false.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "patterns/event/compile.h"

namespace trailwatch::engine {

class EventPrefilterScratch;

class EventPrefilter {
 public:
  explicit EventPrefilter(const event::CompiledRuleSet& set);
  ~EventPrefilter();
  EventPrefilter(const EventPrefilter&) = delete;
  EventPrefilter& operator=(const EventPrefilter&) = delete;

  static bool Available();  // built with Hyperscan and the CPU runs it
  bool enabled() const { return db_ != nullptr; }

  // Scans the raw event. Returns false when the event cannot be prefiltered (it contains "\u", or the scan
  // failed): every sub-rule may match. Else Possible() lists the sub-rules that may match, each once.
  bool Scan(std::string_view json, EventPrefilterScratch& s) const;
  const std::vector<uint32_t>& Possible(const EventPrefilterScratch& s) const;

  size_t literal_count() const { return literals_.size(); }
  // Literals and each sub-rule's clauses, for tests and `debug dump-event-set`.
  std::string Dump() const;

 private:
  friend class EventPrefilterScratch;
  struct Callback;
  std::vector<std::string> literals_;
  std::vector<uint32_t> literal_begin_;    // literal i's clauses: literal_clauses_[begin[i], begin[i + 1])
  std::vector<uint32_t> literal_clauses_;
  std::vector<uint32_t> clause_rule_;      // clause -> sub-rule
  std::vector<std::vector<uint32_t>> clause_literals_;  // clause -> its literals (for Dump)
  std::vector<uint32_t> rule_clauses_;     // sub-rule -> number of clauses
  std::vector<uint32_t> unconditional_;    // sub-rules without clauses
  void* db_ = nullptr;                     // hs_database_t*
};

class EventPrefilterScratch {
 public:
  EventPrefilterScratch();
  ~EventPrefilterScratch();
  EventPrefilterScratch(const EventPrefilterScratch&) = delete;
  EventPrefilterScratch& operator=(const EventPrefilterScratch&) = delete;

 private:
  friend class EventPrefilter;
  friend struct EventPrefilter::Callback;
  uint32_t stamp_ = 0;
  std::vector<uint32_t> clause_stamp_;
  std::vector<uint32_t> rule_stamp_;
  std::vector<uint32_t> rule_count_;
  std::vector<uint32_t> possible_;
  bool escaped_ = false;
  void* scratch_ = nullptr;                // hs_scratch_t*, grown for every database in sized_for_
  std::vector<const void*> sized_for_;
};

}  // namespace trailwatch::engine
