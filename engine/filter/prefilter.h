// prefilter.h: exact literal prefiltering of filter patterns — a message that lacks the literals a pattern
// needs cannot match it, so it need not be parsed for that pattern.
//
// Contract: built once from a FilterSet's patterns. For each pattern it derives a *necessary condition*: a
// boolean formula over "literal L occurs in the raw message" that every matching message satisfies:
// - terms: required terms AND (one of the ?terms) — exact, terms are searched in the raw message anyway;
// - JSON: `=` with a string or wildcard string needs its literal parts;
//   `!=`, numbers, regexes, `= *`, NOT EXISTS need nothing; && and || combine conditions.
//   A decoded JSON string holds a part only if the raw text does, unless the part is written with \u
//   escapes: parts with " \ / or control characters, or made only of number characters (a number's
//   text may be spelled differently in the raw message), are not used, and a message containing "\u"
//   skips the prefilter for JSON patterns altogether; IS TRUE/FALSE/NULL add nothing (their words are in
//   nearly every record);
// - regexes and space-delimited patterns: no condition (always evaluated).
// Conditions small enough are put in disjunctive normal form and each conjunct reduced to its most selective
// literal (a weaker condition, still necessary), so the common tokens of CloudTrail records are not scanned
// for when a rarer literal is required with them.
// One Hyperscan scan per message finds every literal of every pattern at once (when trailwatch is built
// with Hyperscan; otherwise the prefilter is off and every pattern is evaluated). The scan's state lives in
// a per-thread PrefilterScratch; the prefilter itself is immutable and shared.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "patterns/filter/program.h"

namespace trailwatch::engine {

class PrefilterScratch;

class LiteralPrefilter {
 public:
  explicit LiteralPrefilter(const std::vector<std::shared_ptr<const filter::CompiledPattern>>& patterns);
  ~LiteralPrefilter();
  LiteralPrefilter(const LiteralPrefilter&) = delete;
  LiteralPrefilter& operator=(const LiteralPrefilter&) = delete;

  // False when built without Hyperscan, or when no pattern has a condition worth scanning for.
  bool enabled() const { return db_ != nullptr; }
  static bool Available();  // built with Hyperscan

  // Finds which literals occur in `message` and decides, for every pattern, whether it may match.
  void Scan(std::string_view message, PrefilterScratch& s) const;
  // After Scan(): false when pattern i cannot match the message. For a term pattern (HasTermProgram) the
  // answer is exact: the prefilter saw every term.
  bool MayMatch(size_t i, const PrefilterScratch& s) const;
  bool HasTermProgram(size_t i) const { return term_exact_[i]; }
  // After Scan(): whether some JSON pattern may match (else the message need not be parsed).
  bool AnyJsonMayMatch(const PrefilterScratch& s) const;

  size_t literal_count() const { return literals_.size(); }
  // Literals the scan looks for (the others are not needed by any condition).
  size_t scanned_literal_count() const { return static_cast<size_t>(std::count(scanned_.begin(), scanned_.end(), 1)); }
  std::string Dump() const;

 private:
  struct Op {
    enum class Kind : uint8_t { kTrue, kLit, kAnd, kOr, kNotLit } kind = Kind::kTrue;
    uint32_t arg = 0;
  };
  uint32_t LiteralId(const std::string& literal);
  bool Eval(const std::vector<Op>& program, const PrefilterScratch& s) const;
  // The condition of each pattern, flattened when small enough: may match iff some literal of `any` occurs
  // (`always`: no condition). Each conjunct of the condition's disjunctive normal form contributes its most
  // selective literal alone, a weaker but still necessary condition that keeps common literals out of the
  // scan.
  struct Masks {
    bool flat = false;   // false: evaluate the postfix program instead
    bool always = false;
    std::vector<uint64_t> any;
  };
  void Flatten(size_t pattern);
  bool EvalMasks(const Masks& m, const PrefilterScratch& s) const;
  std::vector<Masks> masks_;

  std::vector<std::string> literals_;
  std::vector<uint8_t> scanned_;  // per literal
  std::vector<std::vector<Op>> conditions_;  // per pattern; empty: always true
  std::vector<uint8_t> json_;                // per pattern: a JSON pattern (affected by \u escapes)
  std::vector<uint8_t> term_exact_;          // per pattern: a term pattern fully decided by the literals
  std::vector<std::vector<Op>> term_programs_;
  void* db_ = nullptr;                       // hs_database_t*
  friend class PrefilterScratch;
};

class PrefilterScratch {
 public:
  PrefilterScratch();
  ~PrefilterScratch();
  PrefilterScratch(const PrefilterScratch&) = delete;
  PrefilterScratch& operator=(const PrefilterScratch&) = delete;

 private:
  friend class LiteralPrefilter;
  std::vector<uint64_t> seen_;
  std::vector<uint8_t> may_;  // per pattern, after Scan()
  bool any_json_ = false;
  bool escaped_ = false;
  void* scratch_ = nullptr;       // hs_scratch_t*, grown for every database it has served
  const void* sized_for_ = nullptr;
  std::vector<uint8_t> stack_;
};

}  // namespace trailwatch::engine
