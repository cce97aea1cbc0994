// tally.h (internal to engine/routing): what routing counts, as one mergeable value.
//
// Contract: a Tally holds everything a worker counts while it routes records — the metric store, per log
// group, rule and filter counts, record counts and time range, input problems, the accumulators of every
// finding (counts and first examples) and the deliveries double counting needs. Merge() adds another
// tally into this one: the result is the tally one worker would have made reading both inputs, in any
// split (examples and deliveries are kept in input order, by FileOrder ordinals); it is how Run() merges
// its threads and how partial replays merge across processes. The strings deliveries point to live in the
// tally's own Interner, and move with it on Merge().
#pragma once

#include <algorithm>
#include <cstdint>
#include <list>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "engine/cloudwatch/metrics.h"
#include "engine/input/reader.h"
#include "engine/routing/findings.h"

namespace trailwatch::engine {

// Input order of the files a replay reads (PlanInputs), so that examples, double-count deliveries and
// problems come out in the same order whichever thread read which file.
using FileOrder = std::unordered_map<std::string, uint32_t>;

struct Example {
  uint32_t ordinal = 0;  // the file's position in the input order (FileOrder)
  std::string file;
  uint64_t line = 0, offset = 0;
  uint32_t index = 0;
  std::string event_id, region, event_time, detail;

  bool operator<(const Example& o) const {
    return std::tie(ordinal, file, line, offset, index, detail) <
           std::tie(o.ordinal, o.file, o.line, o.offset, o.index, o.detail);
  }
};

struct Counter {
  uint64_t count = 0;
  std::vector<Example> examples;
  std::set<std::string> notes;  // e.g. rule names, delivery paths
  void Add(Example e, size_t max) {
    ++count;
    if (examples.size() < max) examples.push_back(std::move(e));
  }
  void Merge(Counter&& o, size_t max) {
    count += o.count;
    for (auto& e : o.examples) examples.push_back(std::move(e));
    std::sort(examples.begin(), examples.end());
    if (examples.size() > max) examples.resize(max);
    notes.insert(o.notes.begin(), o.notes.end());
  }
};

// Strings many records share (file names, delivery paths, Regions, event names), stored once per worker;
// the pointers stay valid as long as the worker.
class Interner {
 public:
  const std::string* operator()(std::string_view s) {
    if (last_ != nullptr && *last_ == s) return last_;
    auto it = index_.find(s);
    if (it == index_.end()) {
      storage_.emplace_back(s);
      it = index_.emplace(storage_.back(), &storage_.back()).first;
    }
    return last_ = it->second;
  }
  // Takes `o`'s strings: every pointer `o` handed out stays valid, now owned here.
  void Merge(Interner&& o) {
    for (const auto& [view, str] : o.index_) index_.emplace(view, str);
    storage_.splice(storage_.end(), o.storage_);
    o.index_.clear();
    o.last_ = nullptr;
  }

 private:
  std::list<std::string> storage_;  // node-based: strings never move
  std::map<std::string_view, const std::string*, std::less<>> index_;
  const std::string* last_ = nullptr;
};

// Where one event was counted once: compact, since double counting remembers every counted event.
struct Delivery {
  uint32_t ordinal = 0;  // the file's input order (FileOrder)
  uint32_t index = 0;
  uint64_t line = 0, offset = 0;
  const std::string* file = nullptr;  // interned
  uint32_t via = 0;                   // the delivery path: an index of ReplayPlan::vias
};

// One event's countings by one metric (keyed by metric and event id). The finding's example is the
// earliest delivery, listing every path in input order (ExampleOfDoubleCount).
struct DoubleCount {
  uint32_t count = 0;
  uint8_t time_len = 0;
  char time[31] = {};                   // the event's time as written (ISO-8601 fits)
  const std::string* name = nullptr;    // eventName, interned
  const std::string* region = nullptr;  // interned
  Delivery first;
  std::vector<Delivery> more;  // the other deliveries (only events counted more than once have any)
};

uint32_t OrdinalIn(const FileOrder& order, const std::string& file);

// Input order of deliveries.
bool EarlierDelivery(const Delivery& a, const Delivery& b);

// The example a double-count finding shows for one event: its earliest delivery, whose detail lists every
// delivery path in input order ("ConsoleLogin: counted via trail T and rule R (us-east-1)"); `paths`
// collects the delivery paths.
// `vias` names the delivery paths (ReplayPlan::vias).
Example ExampleOfDoubleCount(const DoubleCount& d, std::string_view event_id, const std::vector<std::string>& vias,
                             std::set<std::string>& paths);

// What a worker learnt of one watched field of one log group (fields.h): whether a message had it, and from
// the sampled messages, how deep its path got, the keys there near the key it wanted, and an example.
struct FieldSeen {
  bool present = false;         // some message had the whole path
  bool examined = false;        // some sampled message was walked: depth, near and example hold
  uint32_t depth = 0;           // the deepest prefix a sampled message had
  std::set<std::string> near;   // the near keys at that depth, from every sampled message that reached it
  Example example;              // the earliest sampled message at that depth with a near key, else without
  bool example_near = false;    // the example has a near key

  // Adds one walk (fields.h FieldWalk) that did not find the field; `example_of` makes its example when it
  // is the one to keep (called before `walk_near` is taken).
  template <class MakeExample>
  void Add(uint32_t walk_depth, std::set<std::string>& walk_near, MakeExample&& example_of) {
    if (examined && walk_depth < depth) return;
    if (!examined || walk_depth > depth) {
      examined = true;
      depth = walk_depth;
      near.clear();
      example = example_of();
      example_near = !walk_near.empty();
    } else if (!example_near && !walk_near.empty()) {
      example = example_of();
      example_near = true;
    }
    near.merge(walk_near);
  }
  void Merge(FieldSeen&& o);
};

struct LogGroupStats {
  uint64_t messages = 0, raw = 0, eventbridge = 0, text = 0;
};
struct RuleStats {
  uint64_t matched = 0, forwarded = 0, written = 0, not_simulated = 0;
};
struct FilterStats {
  uint64_t matches = 0, raw = 0, eventbridge = 0, text = 0;
};

// A plan index as a key of Tally::found that sorts in index order ("0000001c"), and back.
std::string IndexKey(size_t index);
size_t IndexOfKey(const std::string& key);

// Everything one worker counted. Vectors are indexed as the plan's filters, log groups and rules.
struct Tally {
  MetricStore store;
  std::vector<LogGroupStats> lg_stats;
  std::vector<RuleStats> rule_stats;
  std::vector<FilterStats> filter_stats;
  uint64_t records = 0, cloudtrail = 0, eventbridge = 0, other = 0;
  int64_t min_ts = INT64_MAX, max_ts = INT64_MIN;
  std::vector<InputProblem> problems;
  std::map<std::string, uint64_t> problems_by_kind;
  // The findings counted per key — an account (other-account), a Region (uncovered-region), a filter
  // (missed, shape-mismatch: IndexKey), a rule (target-not-simulated), or none (unrouted, undated) —
  // merged alike, reported in key order.
  std::map<std::pair<FindingKind, std::string>, Counter> found;
  std::unordered_map<std::string, DoubleCount> double_counts;  // metric \n event id
  std::map<std::string, uint64_t> rejected;         // by file: records that do not parse (counted malformed)
  // Per log group: its watched fields (LogGroupRt::fields) and the JSON messages it received while one of
  // them was still unseen (every one it received, when a field stays unseen to the end).
  std::vector<std::vector<FieldSeen>> fields;
  std::vector<uint64_t> json_messages;

  Interner strings;                                 // what deliveries point to

  void Resize(size_t log_groups, size_t rules, size_t filters);
  Counter& Found(FindingKind kind, std::string key = {}) { return found[{kind, std::move(key)}]; }
  // Adds `o` into this tally; keeps at most `max_examples` examples per finding (the earliest in input
  // order). `o` is left empty.
  void Merge(Tally&& o, size_t max_examples);
};

}  // namespace trailwatch::engine
