// filter_set.h: evaluates many compiled filter patterns against one log event, sharing the work.
//
// Contract: a FilterSet is built once from compiled patterns and is immutable afterwards, so threads share
// it; each thread owns a FilterScratch. Evaluate() looks at the message once per kind of work: at most one
// simdjson parse (only when a JSON pattern exists and the message starts like JSON), one walk of the parsed
// document along a trie that merges the selectors of every JSON pattern (each atom is tested at most once,
// a duplicate key's last value wins), at most one split into space-delimited fields. After Evaluate(), the
// scratch answers which patterns matched and what they extracted, until the next Evaluate(). No allocation
// happens per event once the scratch has grown to the largest event.
//
// JSON evaluation rules (AWS user guide; README "AWS behaviour" for the readings we chose):
// - a message that is not a JSON object or array matches no JSON pattern;
// - a selector that is missing makes its comparison false, != included; a selector that lands on an object,
//   an array, null or a boolean makes =, != and the numeric operators false;
// - a number literal compares numerically with JSON numbers and with strings that are entirely a number;
//   a string literal (with * wildcards) or a regex compares with the text of strings and numbers;
// - IS NULL / IS TRUE / IS FALSE test JSON null / true / false; NOT EXISTS is true when the selector
//   reaches nothing at all (a null value exists);
// - with a wildcard selector ($.*, [*]) a condition holds when it holds for any selected value.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "engine/filter/delimited.h"
#include "engine/filter/prefilter.h"
#include "patterns/filter/metric.h"
#include "patterns/filter/program.h"

namespace trailwatch::engine {

class FilterSet;

// Per-thread evaluation state. Create one per thread per FilterSet (or reuse it across sets).
class FilterScratch {
 public:
  FilterScratch();
  ~FilterScratch();
  FilterScratch(const FilterScratch&) = delete;
  FilterScratch& operator=(const FilterScratch&) = delete;

  // True when the last evaluated message parsed as a JSON object or array.
  bool json_ok() const { return json_ok_; }
  // True when the last evaluated message looked like JSON (starts with '{' or '['), a JSON pattern needed it
  // (the literal prefilter did not rule every JSON pattern out), and it does not parse: broken JSON, invalid
  // UTF-8, a raw control character in a string, or nesting deeper than kMaxJsonDepth. JSON patterns do not
  // match it (CloudWatch Logs treats it as text); callers report it (json_error() says why).
  bool json_unparsed() const { return json_error_ != 0; }
  // What was wrong, when json_unparsed().
  std::string json_error() const;

 private:
  friend class FilterSet;
  std::string_view message_;
  std::vector<uint8_t> matched_;
  // JSON
  simdjson::dom::parser parser_;
  std::string padded_;  // message copy with SIMDJSON_PADDING zero bytes
  simdjson::dom::element root_;
  bool json_ok_ = false;
  int json_error_ = 0;  // simdjson::error_code of the failed parse
  std::vector<uint64_t> atom_bits_;
  std::vector<uint64_t> visited_;                 // trie nodes reached in this event
  std::vector<simdjson::dom::element> value_;     // last value seen at each trie node
  std::vector<simdjson::dom::element> slot_;      // deferred child values (last duplicate key wins)
  std::vector<uint64_t> slot_stamp_;
  uint64_t stamp_ = 0;
  std::vector<uint8_t> stack_;
  // space-delimited
  bool fields_ready_ = false;
  std::vector<EventField> fields_;
  std::vector<std::vector<BoundField>> bound_;   // per pattern (only delimited ones are filled)
  char number_text_[40];
  PrefilterScratch prefilter_;
};

// Deepest nesting of a message's JSON that JSON patterns evaluate (simdjson's default depth; about the
// 1,000 levels Jackson, AWS's Java JSON reader, accepts). Real CloudTrail records nest at most 11 levels.
inline constexpr size_t kMaxJsonDepth = simdjson::DEFAULT_MAX_DEPTH;

class FilterSet {
 public:
  explicit FilterSet(std::vector<std::shared_ptr<const filter::CompiledPattern>> patterns,
                     bool fast_paths = true);
  ~FilterSet();
  FilterSet(FilterSet&&) noexcept;
  FilterSet& operator=(FilterSet&&) noexcept;

  size_t size() const { return patterns_.size(); }
  const filter::CompiledPattern& pattern(size_t i) const { return *patterns_[i]; }
  bool has_json() const { return has_json_; }

  // Evaluates every pattern against `message`. The message must stay alive until the scratch is reused.
  void Evaluate(std::string_view message, FilterScratch& s) const;
  bool Matched(size_t i, const FilterScratch& s) const { return s.matched_[i] != 0; }

  // TestMetricFilter's extractedValues for pattern i (which matched): "$name" / "$N" -> text for
  // space-delimited patterns; nothing for the other kinds.
  void ExtractedValues(size_t i, const FilterScratch& s, std::vector<std::pair<std::string, std::string>>* out) const;

  // The number a metric reference yields for pattern i on the last event, or nullopt when the referenced
  // value is missing or not a number.
  std::optional<double> NumberOf(size_t i, const filter::ValueRef& ref, FilterScratch& s) const;
  // The text a dimension reference yields (strings and numbers), or false when missing.
  bool TextOf(size_t i, const filter::ValueRef& ref, FilterScratch& s, std::string* out) const;

  // Debug dump of the merged selector trie.
  std::string DumpTrie() const;
  // Debug dump of the literal prefilter ("" when it is off).
  std::string DumpPrefilter() const;
  bool prefilter_enabled() const { return prefilter_ && prefilter_->enabled(); }

 private:
  struct Node;
  void Visit(const simdjson::dom::element& e, uint32_t node, FilterScratch& s) const;
  bool EvalJsonPattern(size_t i, FilterScratch& s) const;
  bool EvalDelimited(size_t i, FilterScratch& s) const;
  const simdjson::dom::element* ValueAt(size_t i, int selector, const FilterScratch& s) const;

  std::vector<std::shared_ptr<const filter::CompiledPattern>> patterns_;
  std::vector<Node> nodes_;
  std::vector<uint32_t> atom_base_;                  // per pattern: global id of its atom 0
  std::vector<std::vector<uint32_t>> selector_node_;  // per pattern, per selector: trie node
  std::vector<const filter::JsonAtom*> atoms_;       // global atom id -> atom
  std::vector<uint32_t> atom_node_;                  // global atom id -> trie node
  size_t max_stack_ = 1;
  std::unique_ptr<LiteralPrefilter> prefilter_;
  bool has_json_ = false;
  bool has_delimited_ = false;
};

// simdjson refuses a document holding a number that fits neither 64-bit integers nor a finite double, while
// AWS's parser reads it: rewrites each such number as a string of its own text into `out` (true when one was
// rewritten). For callers that parse messages themselves after simdjson::NUMBER_ERROR.
bool QuoteUnrepresentableNumbers(std::string_view in, std::string* out);

// Value tests shared by JSON and space-delimited evaluation (exposed for tests and the reference).
bool MatchText(const filter::Matcher& m, std::string_view text);
bool MatchNumber(const filter::Matcher& m, double value, std::string_view text);
bool CompareNumbers(filter::CompareOp op, double a, double b);

}  // namespace trailwatch::engine
