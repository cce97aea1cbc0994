// replay.cc: the replay plan (every pattern compiled once), the per-thread worker that routes records as
// AWS does and keeps the counts, and the assembly of the result document. See replay.h for the rules.
#include "engine/routing/replay.h"

#include <simdjson.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include "engine/event/cloudtrail.h"
#include "engine/event/matcher.h"
#include "engine/filter/filter_set.h"
#include "engine/routing/findings.h"
#include "engine/version.h"
#include "patterns/event/compile.h"
#include "patterns/event/parser.h"
#include "patterns/filter/metric.h"

namespace trailwatch::engine {

namespace {


std::string Key2(std::string_view a, std::string_view b) {
  std::string k(a);
  k += '\n';
  k += b;
  return k;
}

std::string Key3(std::string_view a, std::string_view b, std::string_view c) {
  return Key2(Key2(a, b), c);
}

// Global-service sources whose events a trail skips when IncludeGlobalServiceEvents is false.
bool IsGlobalServiceSource(std::string_view source) {
  return source == "iam.amazonaws.com" || source == "sts.amazonaws.com" || source == "cloudfront.amazonaws.com" ||
         source == "route53.amazonaws.com" || source == "signin.amazonaws.com";
}

// The value of the first `"key":"` string in compact JSON, without a parse (used for eventTime, time and
// eventID, which CloudTrail and EventBridge write at the top level, before any nested copy).
std::string_view FindStringField(std::string_view json, std::string_view quoted_key_colon_quote) {
  const void* at = memmem(json.data(), json.size(), quoted_key_colon_quote.data(), quoted_key_colon_quote.size());
  if (!at) return {};
  const size_t begin = static_cast<size_t>(static_cast<const char*>(at) - json.data()) + quoted_key_colon_quote.size();
  const size_t end = json.find('"', begin);
  if (end == std::string_view::npos || end - begin > 64) return {};
  return json.substr(begin, end - begin);
}

enum class Shape { kRaw, kEventBridge, kText };

// What the findings say about the event behind a message.
struct EventInfo {
  std::string_view id, region, time, name;
};

}  // namespace

// ---- the plan ------------------------------------------------------------------------------------------
struct FilterRt {
  const MetricFilterConfig* config = nullptr;
  std::shared_ptr<const filter::CompiledMetricFilter> mf;
  size_t log_group = 0;
  size_t index_in_group = 0;
  FilterSpec spec;
  std::string metric;  // region/namespace/name, the metric's identity for double counting
};

struct LogGroupRt {
  std::string region, name, account;
  bool defined = true;
  std::unique_ptr<FilterSet> set;
  std::vector<size_t> filters;
};

struct RuleRt {
  const RuleConfig* config = nullptr;
  RuleState state = RuleState::kEnabled;
  int bus = -1;
};

struct BusRt {
  std::string account, region, name;
  std::unique_ptr<EventMatcher> matcher;
  std::vector<size_t> rules;  // matcher pattern i -> rule index
};

class ReplayPlan {
 public:
  Setup setup;
  std::vector<FilterRt> filters;
  std::vector<LogGroupRt> log_groups;
  std::unordered_map<std::string, size_t> log_group_index;  // region\nname
  std::vector<RuleRt> rules;
  std::vector<BusRt> buses;
  std::unordered_map<std::string, size_t> bus_index;        // account\nregion\nname
  std::unique_ptr<FilterSet> all_filters;                   // every filter, in filter order
  std::unique_ptr<EventMatcher> all_rules;                  // every enabled rule, in rule order
  std::vector<size_t> all_rules_index;                      // matcher pattern -> rule
  int direct_log_group = -1;

  size_t LogGroup(const std::string& region, const std::string& name, const std::string& account) {
    const std::string k = Key2(region, name);
    auto it = log_group_index.find(k);
    if (it != log_group_index.end()) return it->second;
    LogGroupRt lg;
    lg.region = region;
    lg.name = name;
    lg.account = account;
    lg.defined = false;
    log_groups.push_back(std::move(lg));
    log_group_index.emplace(k, log_groups.size() - 1);
    return log_groups.size() - 1;
  }
  int FindLogGroup(const std::string& region, const std::string& name) const {
    auto it = log_group_index.find(Key2(region, name));
    return it == log_group_index.end() ? -1 : static_cast<int>(it->second);
  }
  int FindBus(std::string_view account, std::string_view region, std::string_view name) const {
    auto it = bus_index.find(Key3(account, region, name));
    return it == bus_index.end() ? -1 : static_cast<int>(it->second);
  }
};

// ---- examples and findings accumulators ------------------------------------------------------------------
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
    auto it = strings_.find(s);
    if (it == strings_.end()) it = strings_.emplace(s).first;
    return last_ = &*it;
  }

 private:
  std::set<std::string, std::less<>> strings_;
  const std::string* last_ = nullptr;
};

// Where one event was counted once: compact, since double counting remembers every counted event.
struct Delivery {
  uint32_t ordinal = 0;  // the file's input order (FileOrder)
  uint32_t index = 0;
  uint64_t line = 0, offset = 0;
  const std::string* file = nullptr;  // interned
  const std::string* via = nullptr;   // the delivery path, interned
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

uint32_t OrdinalIn(const FileOrder& order, const std::string& file) {
  const auto it = order.find(file);
  return it == order.end() ? UINT32_MAX : it->second;
}

// Input order of deliveries.
bool EarlierDelivery(const Delivery& a, const Delivery& b) {
  return std::tie(a.ordinal, *a.file, a.line, a.offset, a.index) <
         std::tie(b.ordinal, *b.file, b.line, b.offset, b.index);
}

// The example a double-count finding shows for one event: its earliest delivery, whose detail lists every
// delivery path in input order ("ConsoleLogin: counted via trail T and rule R (us-east-1)"); `paths`
// collects the delivery paths.
Example ExampleOfDoubleCount(const DoubleCount& d, std::string_view event_id, std::set<std::string>& paths) {
  std::vector<Delivery> all;
  all.reserve(1 + d.more.size());
  all.push_back(d.first);
  all.insert(all.end(), d.more.begin(), d.more.end());
  // Input order; one record's deliveries keep the order the routing made them in (trail, then rules).
  std::stable_sort(all.begin(), all.end(), EarlierDelivery);
  const std::string name = d.name != nullptr ? *d.name : "";
  std::string detail = name + (name.empty() ? "" : ": ") + "counted via ";
  for (size_t i = 0; i < all.size(); ++i) {
    if (i) detail += " and ";
    detail += *all[i].via;
    paths.insert(*all[i].via);
  }
  Example e;
  e.ordinal = all[0].ordinal;
  e.file = *all[0].file;
  e.line = all[0].line;
  e.offset = all[0].offset;
  e.index = all[0].index;
  e.event_id = std::string(event_id);
  if (d.region != nullptr) e.region = *d.region;
  e.event_time.assign(d.time, d.time_len);
  e.detail = std::move(detail);
  return e;
}

struct LogGroupStats {
  uint64_t messages = 0, raw = 0, eventbridge = 0, text = 0;
};
struct RuleStats {
  uint64_t matched = 0, forwarded = 0, written = 0, not_simulated = 0;
};
struct FilterStats {
  uint64_t matches = 0, raw = 0, eventbridge = 0, text = 0;
};

// ---- the worker ------------------------------------------------------------------------------------------
class ReplayWorker : public RecordSink {
 public:
  ReplayWorker(const ReplayPlan& plan, const ReplayOptions& options, const StreamCallbacks* callbacks,
               const FileOrder* file_order = nullptr)
      : plan_(plan), options_(options), callbacks_(callbacks), file_order_(file_order) {
    for (const FilterRt& f : plan.filters) store.AddFilter(f.spec);
    lg_stats.resize(plan.log_groups.size());
    rule_stats.resize(plan.rules.size());
    filter_stats.resize(plan.filters.size());
    shape_miss.resize(plan.filters.size());
    missed.resize(plan.filters.size());
  }

  bool OnRecord(const InputRecord& r) override;
  void OnProblem(const InputProblem& p) override {
    problems_by_kind[ProblemKindName(p.kind)]++;
    if (problems.size() < options_.max_problems) problems.push_back(p);
    if (callbacks_ && callbacks_->on_problem) callbacks_->on_problem(p);
  }

  // results
  MetricStore store;
  std::vector<LogGroupStats> lg_stats;
  std::vector<RuleStats> rule_stats;
  std::vector<FilterStats> filter_stats;
  uint64_t records = 0, cloudtrail = 0, eventbridge = 0, other = 0;
  int64_t min_ts = INT64_MAX, max_ts = INT64_MIN;
  std::vector<InputProblem> problems;
  std::map<std::string, uint64_t> problems_by_kind;
  Counter unrouted, undated;
  std::map<std::string, Counter> uncovered;         // by Region
  std::vector<Counter> missed;                      // by filter
  std::vector<Counter> shape_miss;                  // by filter
  std::unordered_map<std::string, DoubleCount> double_counts;  // metric \n event id
  std::map<std::string, Counter> not_simulated;     // by rule
  std::map<std::string, Counter> other_accounts;    // records of accounts the setup does not simulate
  std::map<std::string, uint64_t> rejected;         // by file: records that do not parse (counted malformed)

  int64_t last_ts() const { return last_ts_; }

 private:
  Example MakeExample(const InputRecord& r, std::string_view event_id, std::string_view region,
                      std::string_view time, std::string detail) const {
    Example e;
    e.ordinal = OrdinalOf(r.file);
    e.file = std::string(r.file);
    e.line = r.line;
    e.offset = r.offset;
    e.index = r.index;
    e.event_id = std::string(event_id);
    e.region = std::string(region);
    e.event_time = std::string(time);
    e.detail = std::move(detail);
    return e;
  }
  int64_t TimeOf(const InputRecord& r, std::string_view iso) {
    int64_t ts = -1;
    if (r.timestamp_ms >= 0) {
      ts = r.timestamp_ms;
    } else if (!iso.empty()) {
      if (auto t = ParseIsoUtc(iso)) ts = *t;
    }
    if (ts < 0) {
      undated.Add(MakeExample(r, {}, {}, {}, "no timestamp: counted at the previous event's time"),
                  options_.max_examples);
      ts = last_ts_ >= 0 ? last_ts_ : 0;
    }
    last_ts_ = ts;
    min_ts = std::min(min_ts, ts);
    max_ts = std::max(max_ts, ts);
    return ts;
  }

  void RouteCloudTrail(const InputRecord& r);
  void Reject(const InputRecord& r, std::string why);
  void RouteEventBridge(const InputRecord& r);
  void DeliverDirect(const InputRecord& r);
  void PutEvent(int bus, std::string_view event_json, const CloudTrailFacts* facts, const EventInfo& info,
                int64_t ts, const InputRecord& r, const std::string& path);
  void Deliver(size_t lg, std::string_view message, Shape shape, std::string_view alternate, int64_t ts,
               const EventInfo& info, const InputRecord& r, const std::string& via);
  void Findings(const CloudTrailFacts& f, const InputRecord& r);

  uint32_t OrdinalOf(std::string_view file) const {
    if (file_order_ == nullptr) return 0;
    if (file != ordinal_file_) {
      ordinal_file_.assign(file);
      const auto it = file_order_->find(ordinal_file_);
      ordinal_ = it == file_order_->end() ? UINT32_MAX : it->second;
    }
    return ordinal_;
  }

  const ReplayPlan& plan_;
  const ReplayOptions& options_;
  const StreamCallbacks* callbacks_;
  const FileOrder* file_order_;
  Interner interned_;
  mutable std::string ordinal_file_;  // the file OrdinalOf() looked up last, and its ordinal
  mutable uint32_t ordinal_ = 0;
  FilterScratch fs_;
  EventScratch es_;
  std::string envelope_;
  std::string error_;
  std::vector<int> visited_buses_;
  std::vector<size_t> matched_stack_;
  std::vector<size_t> counted_;  // filters that counted the current record
  uint64_t unevaluated_at_ = 0;  // `records` when the last record not evaluated was reported
  std::vector<size_t> unmatched_;
  std::string dim_text_;
  Dimensions dims_;
  int64_t last_ts_ = -1;
  simdjson::dom::parser dom_;
};

bool ReplayWorker::OnRecord(const InputRecord& r) {
  ++records;
  if (plan_.direct_log_group >= 0) {
    DeliverDirect(r);
    return true;
  }
  switch (r.shape) {
    case RecordShape::kCloudTrailRecord:
      ++cloudtrail;
      RouteCloudTrail(r);
      break;
    case RecordShape::kEventBridgeEvent:
      ++eventbridge;
      RouteEventBridge(r);
      break;
    default:
      ++other;
      unrouted.Add(MakeExample(r, {}, {}, {}, std::string(r.message.substr(0, 200))), options_.max_examples);
      break;
  }
  return true;
}

void ReplayWorker::DeliverDirect(const InputRecord& r) {
  Shape shape = Shape::kText;
  std::string_view iso;
  if (r.shape == RecordShape::kCloudTrailRecord) {
    shape = Shape::kRaw;
    ++cloudtrail;
    iso = FindStringField(r.message, "\"eventTime\":\"");
  } else if (r.shape == RecordShape::kEventBridgeEvent) {
    shape = Shape::kEventBridge;
    ++eventbridge;
    iso = FindStringField(r.message, "\"time\":\"");
  } else {
    ++other;
    if (r.shape == RecordShape::kJson && r.timestamp_ms < 0) {
      iso = FindStringField(r.message, "\"eventTime\":\"");
      if (iso.empty()) iso = FindStringField(r.message, "\"time\":\"");
      if (iso.empty()) iso = FindStringField(r.message, "\"@timestamp\":\"");
    }
  }
  const int64_t ts = TimeOf(r, iso);
  EventInfo info;
  info.time = iso;
  Deliver(static_cast<size_t>(plan_.direct_log_group), r.message, shape, {}, ts, info, r, "input");
}

void ReplayWorker::Reject(const InputRecord& r, std::string why) {
  ++rejected[std::string(r.file)];
  OnProblem(InputProblem{ProblemKind::kMalformedRecord, std::string(r.file), r.line, r.offset, std::move(why)});
}

void ReplayWorker::RouteCloudTrail(const InputRecord& r) {
  CloudTrailFacts f;
  if (!ReadCloudTrailFacts(r.message, &f, &error_)) {
    // Broken inside (the reader checks framing only), invalid UTF-8, nested too deeply: a record that
    // cannot be read cannot be routed; it counts as malformed, not as a record.
    --cloudtrail;
    Reject(r, "CloudTrail record does not parse (" + error_ + "): not routed");
    return;
  }
  const int64_t ts = TimeOf(r, f.event_time);
  counted_.clear();
  if (!plan_.setup.account.empty() && !f.account.empty() && f.account != plan_.setup.account) {
    // Another account's trail and buses: nothing of the simulated account sees it.
    Counter& c = other_accounts[f.account];
    c.Add(MakeExample(r, f.event_id, f.aws_region, f.event_time, f.event_name), options_.max_examples);
    return;
  }
  envelope_.clear();
  if (!WrapCloudTrailRecord(r.message, &envelope_, &error_)) envelope_.clear();
  const EventInfo info{f.event_id, f.aws_region, f.event_time, f.event_name};
  // 1. Trails deliver the raw record to their log group.
  for (const TrailConfig& t : plan_.setup.trails) {
    if (!t.logging || t.log_group.empty()) continue;
    if (!t.multi_region && t.home_region != f.aws_region) continue;
    if (!t.account.empty() && !f.account.empty() && t.account != f.account) continue;
    if (!t.include_global_events && IsGlobalServiceSource(f.event_source)) continue;
    if (f.management != 0) {
      if (t.management_events == "None") continue;
      if (t.management_events == "ReadOnly" && f.read_only == 0) continue;
      if (t.management_events == "WriteOnly" && f.read_only == 1) continue;
    }
    const int lg = plan_.FindLogGroup(t.log_group_region, t.log_group);
    if (lg < 0) continue;
    Deliver(static_cast<size_t>(lg), r.message, Shape::kRaw, envelope_, ts, info, r, "trail " + t.name);
  }
  // 2. EventBridge: the event goes to the default bus of its account in its Region.
  if (!envelope_.empty()) {
    visited_buses_.clear();
    const int bus = plan_.FindBus(f.account, f.aws_region, "default");
    PutEvent(bus, envelope_, &f, info, ts, r, "");
  }
  if (options_.findings) Findings(f, r);
}

void ReplayWorker::RouteEventBridge(const InputRecord& r) {
  simdjson::dom::element doc;
  std::string_view account, region, time, id;
  if (const auto err = dom_.parse(r.message.data(), r.message.size()).get(doc); err != simdjson::SUCCESS) {
    --eventbridge;
    Reject(r, std::string("EventBridge event does not parse (") + simdjson::error_message(err) + "): not routed");
    return;
  }
  if (doc.is_object()) {
    if (doc["account"].get(account) != simdjson::SUCCESS) account = {};
    if (doc["region"].get(region) != simdjson::SUCCESS) region = {};
    if (doc["time"].get(time) != simdjson::SUCCESS) time = {};
    if (doc["detail"]["eventID"].get(id) != simdjson::SUCCESS) id = {};
  }
  const int64_t ts = TimeOf(r, time);
  const std::string acc(account), reg(region);
  counted_.clear();
  visited_buses_.clear();
  EventInfo info;
  info.id = id;
  info.region = region;
  info.time = time;
  // The event JSON must outlive nested deliveries: r.message does.
  PutEvent(plan_.FindBus(acc, reg, "default"), r.message, nullptr, info, ts, r, "");
}

void ReplayWorker::PutEvent(int bus, std::string_view event_json, const CloudTrailFacts* facts,
                            const EventInfo& info, int64_t ts, const InputRecord& r, const std::string& path) {
  if (bus < 0) return;
  if (std::find(visited_buses_.begin(), visited_buses_.end(), bus) != visited_buses_.end()) return;
  visited_buses_.push_back(bus);
  const BusRt& b = plan_.buses[static_cast<size_t>(bus)];
  if (!b.matcher) return;
  if (!b.matcher->Evaluate(event_json, es_) && unevaluated_at_ != records) {
    unevaluated_at_ = records;  // once per record
    OnProblem(InputProblem{ProblemKind::kNotEvaluated, std::string(r.file), r.line, r.offset,
                           es_.status() == EventStatus::kTooDeep
                               ? "event nested deeper than " + std::to_string(EventMatcher::kMaxDepth) +
                                     " levels: event patterns cannot match it"
                               : std::string("event is not one valid JSON object: event patterns cannot match it")});
  }
  const size_t frame = matched_stack_.size();
  for (size_t i = 0; i < b.rules.size(); ++i) {
    if (b.matcher->Matched(i, es_)) matched_stack_.push_back(b.rules[i]);
  }
  const size_t end = matched_stack_.size();
  const std::string_view event_id = info.id;
  for (size_t k = frame; k < end; ++k) {
    const size_t ri = matched_stack_[k];
    const RuleRt& rule = plan_.rules[ri];
    if (rule.state == RuleState::kDisabled) continue;
    if (facts && !DeliveredToRule(*facts, rule.state)) continue;
    RuleStats& st = rule_stats[ri];
    ++st.matched;
    const std::string here = path + (path.empty() ? "" : " -> ") + "rule " + rule.config->name + " (" +
                             rule.config->region + ")";
    for (const RuleTarget& t : rule.config->targets) {
      if (!t.input.empty() || !t.input_path.empty() || !t.input_template.empty()) {
        ++st.not_simulated;
        Counter& c = not_simulated[rule.config->name + " (" + rule.config->region + ")"];
        c.Add(MakeExample(r, event_id, rule.config->region, {}, "target " + t.id + " transforms its input"),
              options_.max_examples);
        continue;
      }
      switch (t.kind) {
        case RuleTarget::Kind::kEventBus:
          ++st.forwarded;
          PutEvent(plan_.FindBus(t.account.empty() ? rule.config->account : t.account, t.region, t.name),
                   event_json, facts, info, ts, r, here);
          break;
        case RuleTarget::Kind::kLogGroup: {
          ++st.written;
          const int lg = plan_.FindLogGroup(t.region, t.name);
          if (lg >= 0) {
            std::string_view alternate = facts ? r.message : std::string_view();
            Deliver(static_cast<size_t>(lg), event_json, Shape::kEventBridge, alternate, ts, info, r,
                    "rule " + rule.config->name + " (" + rule.config->region + ")");
          }
          break;
        }
        case RuleTarget::Kind::kOther:
          ++st.not_simulated;
          break;
      }
    }
  }
  matched_stack_.resize(frame);
}

void ReplayWorker::Deliver(size_t lg_index, std::string_view message, Shape shape, std::string_view alternate,
                           int64_t ts, const EventInfo& info, const InputRecord& r, const std::string& via) {
  const LogGroupRt& lg = plan_.log_groups[lg_index];
  LogGroupStats& st = lg_stats[lg_index];
  ++st.messages;
  switch (shape) {
    case Shape::kRaw: ++st.raw; break;
    case Shape::kEventBridge: ++st.eventbridge; break;
    case Shape::kText: ++st.text; break;
  }
  store.RecordIngested(lg.region, lg.name, ts);
  if (lg.filters.empty()) return;
  lg.set->Evaluate(message, fs_);
  if (fs_.json_unparsed() && unevaluated_at_ != records) {
    // Reported once per record, however many log groups it reaches.
    unevaluated_at_ = records;
    OnProblem(InputProblem{ProblemKind::kNotEvaluated, std::string(r.file), r.line, r.offset,
                           fs_.json_error() + ": JSON filter patterns cannot match it (read as text)"});
  }
  unmatched_.clear();
  for (size_t k = 0; k < lg.filters.size(); ++k) {
    const size_t fi = lg.filters[k];
    const FilterRt& f = plan_.filters[fi];
    if (!lg.set->Matched(k, fs_)) {
      unmatched_.push_back(k);
      continue;
    }
    FilterStats& fst = filter_stats[fi];
    ++fst.matches;
    switch (shape) {
      case Shape::kRaw: ++fst.raw; break;
      case Shape::kEventBridge: ++fst.eventbridge; break;
      case Shape::kText: ++fst.text; break;
    }
    const std::optional<double> value = lg.set->NumberOf(k, f.mf->value, fs_);
    bool dims_ok = true;
    dims_.clear();
    for (const auto& [key, ref] : f.mf->dimensions) {
      if (!lg.set->TextOf(k, ref, fs_, &dim_text_)) {
        dims_ok = false;
        break;
      }
      dims_.emplace_back(key, dim_text_);
    }
    if (dims_ok) {
      store.RecordMatch(static_cast<MetricStore::FilterId>(fi), ts, value, dims_);
    } else {
      store.RecordFilterMatches(static_cast<MetricStore::FilterId>(fi), ts);
    }
    if (callbacks_ && callbacks_->on_match) callbacks_->on_match(f.config->name, lg.name, message, value);
    counted_.push_back(fi);
    std::string_view id = info.id;
    if (options_.findings && id.empty() && shape != Shape::kText) {
      id = FindStringField(message, "\"eventID\":\"");
    }
    // Double counting needs every counted event's id (memory grows with the matches): findings only.
    if (options_.findings && !id.empty()) {
      DoubleCount& d = double_counts[Key2(f.metric, id)];
      Delivery at;
      at.ordinal = OrdinalOf(r.file);
      at.index = r.index;
      at.line = r.line;
      at.offset = r.offset;
      at.file = interned_(r.file);
      at.via = interned_(via);
      if (d.count == 0) {
        std::string_view region = info.region.empty() ? FindStringField(message, "\"awsRegion\":\"") : info.region;
        d.name = info.name.empty() ? nullptr : interned_(info.name);
        d.region = region.empty() ? nullptr : interned_(region);
        d.time_len = static_cast<uint8_t>(std::min(info.time.size(), sizeof d.time));
        std::memcpy(d.time, info.time.data(), d.time_len);
        d.first = at;
      } else {
        d.more.push_back(at);
      }
      ++d.count;
    }
  }
  // A filter that did not match this message but matches the same event in its other shape (raw record vs
  // EventBridge event) counts only one of the two shapes the log group receives.
  if (options_.findings && !alternate.empty() && !unmatched_.empty()) {
    lg.set->Evaluate(alternate, fs_);
    for (size_t k : unmatched_) {
      if (!lg.set->Matched(k, fs_)) continue;
      const size_t fi = lg.filters[k];
      shape_miss[fi].Add(MakeExample(r, info.id, info.region, info.time,
                                     std::string(shape == Shape::kRaw ? "raw CloudTrail record via "
                                                                      : "EventBridge event via ") +
                                         via),
                         options_.max_examples);
    }
  }
}

void ReplayWorker::Findings(const CloudTrailFacts& f, const InputRecord& r) {
  // Rules deployed elsewhere that match this event, while no rule of its own Region does.
  if (plan_.all_rules && !envelope_.empty()) {
    plan_.all_rules->Evaluate(envelope_, es_);
    bool here = false;
    std::vector<std::string> elsewhere;
    for (size_t i = 0; i < plan_.all_rules_index.size(); ++i) {
      if (!plan_.all_rules->Matched(i, es_)) continue;
      const RuleRt& rule = plan_.rules[plan_.all_rules_index[i]];
      if (!DeliveredToRule(f, rule.state)) continue;
      if (rule.config->region == f.aws_region && rule.config->event_bus == "default") {
        here = true;
        break;
      }
      elsewhere.push_back(rule.config->name);
    }
    if (!here && !elsewhere.empty()) {
      Counter& c = uncovered[f.aws_region];
      c.Add(MakeExample(r, f.event_id, f.aws_region, f.event_time, f.event_name), options_.max_examples);
      c.notes.insert(elsewhere.begin(), elsewhere.end());
    }
  }
  // Events a filter would count that never reached it.
  if (plan_.all_filters && plan_.all_filters->size() > 0) {
    plan_.all_filters->Evaluate(r.message, fs_);
    std::vector<size_t> would;
    for (size_t i = 0; i < plan_.all_filters->size(); ++i) {
      if (plan_.all_filters->Matched(i, fs_)) would.push_back(i);
    }
    if (!envelope_.empty()) {
      plan_.all_filters->Evaluate(envelope_, fs_);
      for (size_t i = 0; i < plan_.all_filters->size(); ++i) {
        if (plan_.all_filters->Matched(i, fs_)) would.push_back(i);
      }
    }
    std::sort(would.begin(), would.end());
    would.erase(std::unique(would.begin(), would.end()), would.end());
    for (size_t fi : would) {
      if (std::find(counted_.begin(), counted_.end(), fi) != counted_.end()) continue;
      missed[fi].Add(MakeExample(r, f.event_id, f.aws_region, f.event_time, f.event_name), options_.max_examples);
    }
  }
}

// ---- Replay ---------------------------------------------------------------------------------------------
Replay::~Replay() = default;

Result<std::unique_ptr<Replay>> Replay::Create(const Setup& setup, const ReplayOptions& options,
                                               std::vector<ReplayError>* errors) {
  std::unique_ptr<Replay> replay(new Replay());
  replay->options_ = options;
  replay->plan_ = std::make_unique<ReplayPlan>();
  ReplayPlan& plan = *replay->plan_;
  plan.setup = setup;
  const Setup& s = plan.setup;
  // Log groups: defined ones, then the ones referenced.
  for (const LogGroupConfig& g : s.log_groups) {
    const size_t i = plan.LogGroup(g.region, g.name, g.account);
    plan.log_groups[i].defined = true;
  }
  for (const TrailConfig& t : s.trails) {
    if (!t.log_group.empty()) plan.LogGroup(t.log_group_region, t.log_group, t.log_group_account);
  }
  for (const RuleConfig& r : s.rules) {
    for (const RuleTarget& t : r.targets) {
      if (t.kind == RuleTarget::Kind::kLogGroup) plan.LogGroup(t.region, t.name, t.account);
    }
  }
  // Metric filters.
  std::vector<std::shared_ptr<const filter::CompiledPattern>> all_patterns;
  for (const MetricFilterConfig& c : s.metric_filters) {
    filter::MetricTransformation t;
    t.metric_name = c.transformation.metric_name;
    t.metric_namespace = c.transformation.metric_namespace;
    t.metric_value = c.transformation.metric_value;
    t.default_value = c.transformation.default_value;
    t.unit = c.transformation.unit;
    t.dimensions = c.transformation.dimensions;
    auto mf = filter::CompileMetricFilter(c.name, c.filter_pattern, t);
    if (!mf.ok()) {
      const Diagnostic& d = mf.error();
      errors->push_back(ReplayError{"metric filter " + c.name + " (" + c.region + " " + c.log_group + ")",
                                    d.source.empty() ? c.filter_pattern : d.source, d});
      continue;
    }
    FilterRt f;
    f.config = &c;
    f.mf = mf.value();
    f.log_group = plan.LogGroup(c.region, c.log_group, c.account);
    f.spec = MakeFilterSpec(c);
    f.metric = Key3(c.region, c.transformation.metric_namespace, c.transformation.metric_name);
    all_patterns.push_back(f.mf->pattern);
    plan.filters.push_back(std::move(f));
  }
  for (size_t fi = 0; fi < plan.filters.size(); ++fi) {
    FilterRt& f = plan.filters[fi];
    LogGroupRt& lg = plan.log_groups[f.log_group];
    f.index_in_group = lg.filters.size();
    lg.filters.push_back(fi);
  }
  for (LogGroupRt& lg : plan.log_groups) {
    std::vector<std::shared_ptr<const filter::CompiledPattern>> patterns;
    int with_regex = 0;
    for (size_t fi : lg.filters) {
      patterns.push_back(plan.filters[fi].mf->pattern);
      with_regex += plan.filters[fi].mf->pattern->HasRegex();
    }
    // PutMetricFilter quotas per log group.
    if (lg.filters.size() > 100) {
      errors->push_back(ReplayError{"log group " + lg.name + " (" + lg.region + ")", lg.name,
                                    Diagnostic{"LimitExceededException", "Resource limit exceeded.",
                                               std::to_string(lg.filters.size()) +
                                                   " metric filters; a log group has at most 100"}});
    }
    if (with_regex > 5) {
      errors->push_back(ReplayError{"log group " + lg.name + " (" + lg.region + ")", lg.name,
                                    Diagnostic{"LimitExceededException", "Resource limit exceeded.",
                                               std::to_string(with_regex) +
                                                   " metric filters use regular expressions; a log group has at "
                                                   "most 5"}});
    }
    lg.set = std::make_unique<FilterSet>(std::move(patterns), options.fast_paths.prefilter);
  }
  plan.all_filters = std::make_unique<FilterSet>(all_patterns, options.fast_paths.prefilter);
  // Rules and buses.
  std::vector<std::shared_ptr<const event::EventPattern>> all_rule_patterns;
  std::map<std::string, std::vector<std::pair<size_t, std::shared_ptr<const event::EventPattern>>>> by_bus;
  for (const RuleConfig& c : s.rules) {
    RuleRt rule;
    rule.config = &c;
    if (!ParseRuleState(c.state, &rule.state)) {
      errors->push_back(ReplayError{"rule " + c.name + " (" + c.region + ")", c.state,
                                    Diagnostic{"ValidationException", "Invalid State " + c.state,
                                               "State must be ENABLED, DISABLED or "
                                               "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"}});
      continue;
    }
    auto parsed = event::ParseEventPattern(c.event_pattern);
    if (!parsed.ok()) {
      errors->push_back(ReplayError{"rule " + c.name + " (" + c.region + ")", c.event_pattern, parsed.error()});
      continue;
    }
    auto pattern = std::make_shared<const event::EventPattern>(std::move(parsed).value());
    plan.rules.push_back(rule);
    const size_t ri = plan.rules.size() - 1;
    by_bus[Key3(c.account.empty() ? s.account : c.account, c.region, c.event_bus)].emplace_back(ri, pattern);
    if (rule.state != RuleState::kDisabled) {
      all_rule_patterns.push_back(pattern);
      plan.all_rules_index.push_back(ri);
    }
  }
  for (auto& [key, members] : by_bus) {
    BusRt b;
    const size_t a = key.find('\n'), c = key.find('\n', a + 1);
    b.account = key.substr(0, a);
    b.region = key.substr(a + 1, c - a - 1);
    b.name = key.substr(c + 1);
    std::vector<std::shared_ptr<const event::EventPattern>> patterns;
    for (auto& [ri, p] : members) {
      b.rules.push_back(ri);
      patterns.push_back(p);
    }
    b.matcher = std::make_unique<EventMatcher>(event::CompileRuleSet(std::move(patterns)), options.fast_paths.walk);
    plan.buses.push_back(std::move(b));
    plan.bus_index.emplace(key, plan.buses.size() - 1);
    for (size_t ri : plan.buses.back().rules) plan.rules[ri].bus = static_cast<int>(plan.buses.size() - 1);
  }
  // Buses that rules forward to but that hold no rules still exist (events reach them and stop there).
  if (!all_rule_patterns.empty()) {
    plan.all_rules = std::make_unique<EventMatcher>(event::CompileRuleSet(std::move(all_rule_patterns)), options.fast_paths.walk);
  }
  // Alarms are validated here so that a bad alarm stops the replay before any input is read.
  for (const AlarmConfig& a : s.alarms) {
    auto v = ValidateAlarm(a);
    if (!v.ok()) errors->push_back(ReplayError{"alarm " + a.name + " (" + a.region + ")", a.name, v.error()});
  }
  if (!options.log_group.empty()) {
    for (size_t i = 0; i < plan.log_groups.size(); ++i) {
      const LogGroupRt& lg = plan.log_groups[i];
      if (lg.name == options.log_group && (options.log_group_region.empty() || lg.region == options.log_group_region)) {
        if (plan.direct_log_group >= 0) {
          errors->push_back(ReplayError{"--log-group " + options.log_group, options.log_group,
                                        Diagnostic{"ValidationException", "ambiguous log group",
                                                   "log group " + options.log_group +
                                                       " exists in several Regions; add --log-group-region"}});
          break;
        }
        plan.direct_log_group = static_cast<int>(i);
      }
    }
    if (plan.direct_log_group < 0) {
      errors->push_back(ReplayError{"--log-group " + options.log_group, options.log_group,
                                    Diagnostic{"ResourceNotFoundException", "The specified log group does not exist.",
                                               "the setup has no log group " + options.log_group +
                                                   (options.log_group_region.empty() ? "" : " in " +
                                                                                                 options.log_group_region)}});
    }
  }
  if (!errors->empty()) {
    return Diagnostic{"ValidationException", "the setup has invalid resources",
                      std::to_string(errors->size()) + " resource(s) failed to compile"};
  }
  return replay;
}

namespace {

// Expands directories (recursively, sorted) so that files can be split among threads.
uint64_t FileSize(const std::string& path) {
  struct stat st;
  return path != "-" && stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

// Counts records and notices when a file is done (its records stop), for the progress callback.
class ProgressSink : public RecordSink {
 public:
  ProgressSink(RecordSink& inner, const ReplayOptions& o, std::atomic<uint64_t>& bytes, std::atomic<uint64_t>& recs)
      : inner_(inner), o_(o), bytes_(bytes), records_(recs) {}
  bool OnRecord(const InputRecord& r) override {
    if (r.file != current_) {
      FileDone();
      current_.assign(r.file);
    }
    if (++pending_ == 4096) Flush();
    return inner_.OnRecord(r);
  }
  void OnProblem(const InputProblem& p) override { inner_.OnProblem(p); }
  void FileDone() {
    if (!current_.empty()) bytes_ += FileSize(current_);
    current_.clear();
    Flush();
  }
  void Flush() {
    records_ += pending_;
    pending_ = 0;
    if (o_.progress) o_.progress(bytes_.load(), records_.load());
  }

 private:
  RecordSink& inner_;
  const ReplayOptions& o_;
  std::atomic<uint64_t>& bytes_;
  std::atomic<uint64_t>& records_;
  std::string current_;
  uint64_t pending_ = 0;
};

void AddStats(InputStats& into, const InputStats& s) {
  into.files += s.files;
  into.bytes += s.bytes;
  into.records += s.records;
  into.malformed += s.malformed;
  into.skipped += s.skipped;
  into.unreadable += s.unreadable;
  into.by_file.insert(into.by_file.end(), s.by_file.begin(), s.by_file.end());
}

}  // namespace

nlohmann::ordered_json Replay::Run(const std::vector<std::string>& raw_inputs) {
  // Directories walked, links read once, each input listed once (engine/input/reader.h PlanInputs).
  const std::vector<PlannedInput> inputs = PlanInputs(raw_inputs);
  const int threads = std::max(1, std::min<int>(options_.threads, static_cast<int>(std::max<size_t>(1, inputs.size()))));
  // Largest files first, each to the least-loaded thread; each thread then reads its files in input order.
  std::vector<std::vector<size_t>> assignment(static_cast<size_t>(threads));
  {
    std::vector<size_t> order(inputs.size());
    std::vector<uint64_t> sizes(inputs.size());
    for (size_t i = 0; i < inputs.size(); ++i) {
      order[i] = i;
      sizes[i] = inputs[i].size;
    }
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return sizes[a] > sizes[b]; });
    std::vector<uint64_t> load(static_cast<size_t>(threads), 0);
    for (size_t i : order) {
      const size_t t = static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
      assignment[t].push_back(i);
      load[t] += sizes[i] + 1;
    }
    for (auto& a : assignment) std::sort(a.begin(), a.end());
  }
  std::vector<std::unique_ptr<ReplayWorker>> workers;
  FileOrder file_order;
  for (size_t i = 0; i < inputs.size(); ++i) file_order.emplace(inputs[i].path, static_cast<uint32_t>(i));
  for (int t = 0; t < threads; ++t) {
    workers.push_back(std::make_unique<ReplayWorker>(*plan_, options_, nullptr, &file_order));
  }
  std::vector<InputStats> stats(static_cast<size_t>(threads));
  std::atomic<uint64_t> bytes{0}, records{0};
  auto work = [&](size_t t) {
    ProgressSink sink(*workers[t], options_, bytes, records);
    ReaderOptions ro;
    ro.streaming = false;
    if (!options_.fast_paths.whole_file) ro.windowed_from = 0;
    // The prefetcher's thread decompresses on a core of its own; when the workers already have every core,
    // it only adds memory (one prefetch window per worker).
    ro.prefetch = options_.fast_paths.prefetch && static_cast<unsigned>(threads) < std::max(1u, std::thread::hardware_concurrency());
    std::vector<PlannedInput> mine;
    for (size_t i : assignment[t]) mine.push_back(inputs[i]);
    InputReader reader(ro);  // one reader per thread: its parsers and buffers serve every file
    AddStats(stats[t], reader.Read(mine, sink));
    sink.FileDone();
  };
  if (threads == 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(work, static_cast<size_t>(t));
    for (auto& th : pool) th.join();
  }
  InputStats total;
  for (const InputStats& s : stats) AddStats(total, s);
  std::sort(total.by_file.begin(), total.by_file.end(),
            [](const FileStats& a, const FileStats& b) { return a.file < b.file; });
  return Assemble(workers, total, file_order);
}

// ---- assembly --------------------------------------------------------------------------------------------
namespace {

nlohmann::ordered_json ExampleJson(const Example& e) {
  nlohmann::ordered_json j;
  j["file"] = e.file;
  if (e.line) j["line"] = e.line;
  else j["offset"] = e.offset;
  if (e.index) j["index"] = e.index;
  if (!e.event_id.empty()) j["event_id"] = e.event_id;
  if (!e.region.empty()) j["region"] = e.region;
  if (!e.event_time.empty()) j["event_time"] = e.event_time;
  if (!e.detail.empty()) j["detail"] = e.detail;
  return j;
}

nlohmann::ordered_json Finding(FindingKind kind, const std::string& message, uint64_t count,
                               const std::vector<Example>& examples) {
  nlohmann::ordered_json j;
  j["kind"] = Info(kind).name;
  j["severity"] = SeverityName(Info(kind).severity);
  j["message"] = message;
  j["count"] = count;
  j["examples"] = nlohmann::ordered_json::array();
  for (const Example& e : examples) j["examples"].push_back(ExampleJson(e));
  return j;
}

std::string Join(const std::set<std::string>& items, const std::string& sep, size_t max = 6) {
  std::string out;
  size_t n = 0;
  for (const std::string& s : items) {
    if (n == max) {
      out += sep + "... (" + std::to_string(items.size() - max) + " more)";
      break;
    }
    out += (n++ ? sep : "") + s;
  }
  return out;
}

}  // namespace

nlohmann::ordered_json Replay::Assemble(std::vector<std::unique_ptr<ReplayWorker>>& workers,
                                        const InputStats& raw_stats, const FileOrder& file_order) const {
  const ReplayPlan& plan = *plan_;
  ReplayWorker& w = *workers[0];
  const size_t max = options_.max_examples;
  for (size_t t = 1; t < workers.size(); ++t) {
    ReplayWorker& o = *workers[t];
    w.store.Merge(o.store);
    for (size_t i = 0; i < w.lg_stats.size(); ++i) {
      w.lg_stats[i].messages += o.lg_stats[i].messages;
      w.lg_stats[i].raw += o.lg_stats[i].raw;
      w.lg_stats[i].eventbridge += o.lg_stats[i].eventbridge;
      w.lg_stats[i].text += o.lg_stats[i].text;
    }
    for (size_t i = 0; i < w.rule_stats.size(); ++i) {
      w.rule_stats[i].matched += o.rule_stats[i].matched;
      w.rule_stats[i].forwarded += o.rule_stats[i].forwarded;
      w.rule_stats[i].written += o.rule_stats[i].written;
      w.rule_stats[i].not_simulated += o.rule_stats[i].not_simulated;
    }
    for (size_t i = 0; i < w.filter_stats.size(); ++i) {
      w.filter_stats[i].matches += o.filter_stats[i].matches;
      w.filter_stats[i].raw += o.filter_stats[i].raw;
      w.filter_stats[i].eventbridge += o.filter_stats[i].eventbridge;
      w.filter_stats[i].text += o.filter_stats[i].text;
      w.missed[i].Merge(std::move(o.missed[i]), max);
      w.shape_miss[i].Merge(std::move(o.shape_miss[i]), max);
    }
    w.records += o.records;
    w.cloudtrail += o.cloudtrail;
    w.eventbridge += o.eventbridge;
    w.other += o.other;
    w.min_ts = std::min(w.min_ts, o.min_ts);
    w.max_ts = std::max(w.max_ts, o.max_ts);
    w.unrouted.Merge(std::move(o.unrouted), max);
    w.undated.Merge(std::move(o.undated), max);
    for (auto& [k, c] : o.uncovered) w.uncovered[k].Merge(std::move(c), max);
    for (auto& [k, c] : o.not_simulated) w.not_simulated[k].Merge(std::move(c), max);
    for (auto& [k, c] : o.other_accounts) w.other_accounts[k].Merge(std::move(c), max);
    // (Interned strings of every worker live until the end of Assemble.)
    for (auto& [k, d] : o.double_counts) {
      DoubleCount& into = w.double_counts[k];
      if (into.count == 0) {
        into = std::move(d);
        continue;
      }
      // The event's name, Region and time come from its earliest counting in input order, as with one thread.
      // `first` stays the earliest counting in input order (a worker's first is its earliest: it reads its
      // files in input order), whose name, Region and time the example shows, as with one thread; the
      // deliveries stay grouped by worker, so one record's keep their order (ExampleOfDoubleCount sorts
      // stably).
      if (EarlierDelivery(d.first, into.first)) std::swap(into, d);
      into.count += d.count;
      into.more.push_back(d.first);
      into.more.insert(into.more.end(), d.more.begin(), d.more.end());
    }
    for (auto& [k, n] : o.problems_by_kind) w.problems_by_kind[k] += n;
    w.problems.insert(w.problems.end(), o.problems.begin(), o.problems.end());
  }
  std::stable_sort(w.problems.begin(), w.problems.end(), [&](const InputProblem& a, const InputProblem& b) {
    const uint32_t oa = OrdinalIn(file_order, a.file), ob = OrdinalIn(file_order, b.file);
    return std::tie(oa, a.file, a.line, a.offset) < std::tie(ob, b.file, b.line, b.offset);
  });
  if (w.problems.size() > options_.max_problems) w.problems.resize(options_.max_problems);

  nlohmann::ordered_json out;
  out["trailwatch"] = trailwatch::kVersion;
  out["mode"] = plan.direct_log_group >= 0 ? "log-group" : "routing";
  nlohmann::ordered_json range;
  if (w.min_ts <= w.max_ts) {
    range["start"] = FormatIsoUtc(w.min_ts);
    range["end"] = FormatIsoUtc(w.max_ts);
  } else {
    range["start"] = nullptr;
    range["end"] = nullptr;
  }
  out["time_range"] = range;

  // Records that do not parse were delivered by the reader but are malformed: they count as such.
  InputStats stats = raw_stats;
  for (const auto& w2 : workers) {
    for (const auto& [file, n] : w2->rejected) {
      stats.records -= n;
      stats.malformed += n;
      for (FileStats& f : stats.by_file) {
        if (f.file == file) {
          f.records -= n;
          f.malformed += n;
          break;
        }
      }
    }
  }

  nlohmann::ordered_json in;
  in["files"] = stats.files;
  in["bytes"] = stats.bytes;
  in["records"] = stats.records;
  in["malformed"] = stats.malformed;
  in["skipped"] = stats.skipped;
  in["unreadable"] = stats.unreadable;
  in["cloudtrail_records"] = w.cloudtrail;
  in["eventbridge_events"] = w.eventbridge;
  in["other_messages"] = w.other;
  in["by_file"] = nlohmann::ordered_json::array();
  for (const FileStats& f : stats.by_file) {
    in["by_file"].push_back({{"file", f.file},
                             {"format", InputFormatName(f.format)},
                             {"bytes", f.bytes},
                             {"records", f.records},
                             {"malformed", f.malformed},
                             {"skipped", f.skipped}});
  }
  in["problems"] = nlohmann::ordered_json::array();
  for (const InputProblem& p : w.problems) {
    nlohmann::ordered_json j;
    j["file"] = p.file;
    if (p.line) j["line"] = p.line;
    j["offset"] = p.offset;
    j["kind"] = ProblemKindName(p.kind);
    j["message"] = p.message;
    in["problems"].push_back(std::move(j));
  }
  out["input"] = in;

  nlohmann::ordered_json setup;
  setup["account"] = plan.setup.account;
  setup["regions"] = plan.setup.regions;
  setup["trails"] = plan.setup.trails.size();
  setup["rules"] = plan.setup.rules.size();
  setup["log_groups"] = plan.setup.log_groups.size();
  setup["metric_filters"] = plan.setup.metric_filters.size();
  setup["alarms"] = plan.setup.alarms.size();
  setup["warnings"] = plan.setup.warnings;
  out["setup"] = setup;

  out["log_groups"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < plan.log_groups.size(); ++i) {
    const LogGroupRt& lg = plan.log_groups[i];
    const LogGroupStats& s = w.lg_stats[i];
    out["log_groups"].push_back({{"name", lg.name},
                                 {"region", lg.region},
                                 {"defined", lg.defined},
                                 {"messages", s.messages},
                                 {"raw_records", s.raw},
                                 {"eventbridge_events", s.eventbridge},
                                 {"text", s.text}});
  }
  out["rules"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < plan.rules.size(); ++i) {
    const RuleRt& r = plan.rules[i];
    const RuleStats& s = w.rule_stats[i];
    out["rules"].push_back({{"name", r.config->name},
                            {"region", r.config->region},
                            {"event_bus", r.config->event_bus},
                            {"state", r.config->state},
                            {"matched", s.matched},
                            {"forwarded", s.forwarded},
                            {"written_to_log_groups", s.written},
                            {"targets_not_simulated", s.not_simulated}});
  }
  out["metric_filters"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < plan.filters.size(); ++i) {
    const FilterRt& f = plan.filters[i];
    const FilterStats& s = w.filter_stats[i];
    out["metric_filters"].push_back({{"name", f.config->name},
                                     {"log_group", f.config->log_group},
                                     {"region", f.config->region},
                                     {"filter_pattern", f.config->filter_pattern},
                                     {"matches", s.matches},
                                     {"matched_raw_records", s.raw},
                                     {"matched_eventbridge_events", s.eventbridge},
                                     {"matched_text", s.text}});
  }

  const std::vector<MetricSeries> series = w.store.Series();
  out["metrics"] = MetricsToJson(series);
  AlarmWindow window;
  if (w.min_ts <= w.max_ts) {
    window.start_ms = w.min_ts;
    window.end_ms = w.max_ts;
  }
  out["alarms"] = AlarmsToJson(EvaluateAlarms(plan.setup.alarms, series, window));

  // ---- findings, most severe first
  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  for (auto& [account, c] : w.other_accounts) {
    findings.push_back(Finding(FindingKind::kOtherAccount,
                               std::to_string(c.count) + " CloudTrail record(s) belong to account " + account +
                                   ", but the setup simulates account " + plan.setup.account +
                                   ": no trail or bus of the setup sees them (set Account, or --account for "
                                   "templates)",
                               c.count, c.examples));
  }
  for (size_t i = 0; i < plan.filters.size(); ++i) {
    const FilterRt& f = plan.filters[i];
    if (w.missed[i].count) {
      findings.push_back(Finding(FindingKind::kMissed,
                                 std::to_string(w.missed[i].count) + " event(s) match metric filter " + f.config->name +
                                     " but never reached log group " + f.config->log_group + " (" +
                                     f.config->region + "): no trail or rule delivers them there",
                                 w.missed[i].count, w.missed[i].examples));
    }
  }
  for (auto& [region, c] : w.uncovered) {
    findings.push_back(Finding(FindingKind::kUncoveredRegion,
                               std::to_string(c.count) + " event(s) recorded in " + region +
                                   " match rule(s) deployed in other Regions (" + Join(c.notes, ", ") +
                                   ") but no rule in " + region + ": EventBridge never forwards them",
                               c.count, c.examples));
  }
  {
    std::map<std::string, std::pair<uint64_t, std::vector<Example>>> by_metric;  // metric -> (events, examples)
    std::map<std::string, std::set<std::string>> paths;
    for (auto& [k, d] : w.double_counts) {
      if (d.count < 2) continue;
      const std::string metric = k.substr(0, k.rfind('\n'));
      auto& [n, ex] = by_metric[metric];
      ++n;
      ex.push_back(ExampleOfDoubleCount(d, std::string_view(k).substr(k.rfind('\n') + 1), paths[metric]));
    }
    for (auto& [metric, v] : by_metric) {
      auto& [n, ex] = v;
      std::sort(ex.begin(), ex.end());
      if (ex.size() > max) ex.resize(max);
      std::string name = metric;
      std::replace(name.begin(), name.end(), '\n', '/');
      findings.push_back(Finding(FindingKind::kDoubleCounted,
                                 std::to_string(n) + " event(s) were counted more than once by metric " + name +
                                     ", delivered through: " + Join(paths[metric], "; "),
                                 n, ex));
    }
  }
  for (const CardinalityExcess& c : w.store.CardinalityExceeded()) {
    findings.push_back(Finding(FindingKind::kDimensionCardinality,
                               "metric filter " + c.filter + " (" + c.region + " " + c.log_group + ") published " +
                                   std::to_string(c.distinct) + " distinct dimension values in the hour from " +
                                   FormatIsoUtc(c.hour_start_ms) + "; AWS may disable a filter at 1,000 per hour",
                               c.distinct, {}));
  }
  for (size_t i = 0; i < plan.filters.size(); ++i) {
    const FilterRt& f = plan.filters[i];
    const FilterStats& s = w.filter_stats[i];
    const LogGroupStats& g = w.lg_stats[f.log_group];
    if (w.shape_miss[i].count) {
      const bool only_raw = s.eventbridge == 0;
      findings.push_back(Finding(FindingKind::kShapeMismatch,
          "metric filter " + f.config->name + " matches " +
              (only_raw ? "raw CloudTrail records but not EventBridge events"
                        : "EventBridge events but not raw CloudTrail records") +
              "; log group " + f.config->log_group + " receives both shapes (" + std::to_string(g.raw) + " raw, " +
              std::to_string(g.eventbridge) + " EventBridge) and " + std::to_string(w.shape_miss[i].count) +
              " message(s) would have matched in their other shape",
          w.shape_miss[i].count, w.shape_miss[i].examples));
    }
    if (s.matches == 0) {
      findings.push_back(Finding(FindingKind::kNeverMatched,
                                 "metric filter " + f.config->name + " (" + f.config->region + " " +
                                     f.config->log_group + ") matched none of the " + std::to_string(g.messages) +
                                     " message(s) its log group received",
                                 0, {}));
    }
  }
  for (auto& [rule, c] : w.not_simulated) {
    findings.push_back(Finding(FindingKind::kTargetNotSimulated,
                               "rule " + rule + " has targets that transform their input (Input, InputPath, "
                               "InputTransformer); trailwatch does not deliver those",
                               c.count, c.examples));
  }
  if (w.unrouted.count) {
    findings.push_back(Finding(FindingKind::kUnrouted,
                               std::to_string(w.unrouted.count) +
                                   " message(s) are neither CloudTrail records nor EventBridge events, so no trail or "
                                   "rule routes them; replay them as a log group's messages with --log-group NAME",
                               w.unrouted.count, w.unrouted.examples));
  }
  if (w.undated.count) {
    findings.push_back(Finding(FindingKind::kUndated,
                               std::to_string(w.undated.count) +
                                   " message(s) carry no timestamp; each was counted at the time of the message before "
                                   "it",
                               w.undated.count, w.undated.examples));
  }
  if (w.store.rejected_values()) {
    findings.push_back(Finding(FindingKind::kRejectedValues,
                               std::to_string(w.store.rejected_values()) +
                                   " metric value(s) are out of CloudWatch's range and would be rejected",
                               w.store.rejected_values(), {}));
  }
  // Most severe first (findings.h); within a severity, in the order they were found.
  std::stable_sort(findings.begin(), findings.end(), [](const nlohmann::ordered_json& a, const nlohmann::ordered_json& b) {
    return SeverityRank(a["severity"].get<std::string>()) < SeverityRank(b["severity"].get<std::string>());
  });
  out["findings"] = findings;
  return out;
}

// ---- streaming -----------------------------------------------------------------------------------------
std::unique_ptr<Replay::Stream> Replay::OpenStream(StreamCallbacks callbacks) const {
  return std::unique_ptr<Stream>(new Stream(*this, std::move(callbacks)));
}

Replay::Stream::Stream(const Replay& replay, StreamCallbacks callbacks)
    : replay_(replay), callbacks_(std::move(callbacks)) {
  worker_ = std::make_unique<ReplayWorker>(*replay.plan_, replay.options_, &callbacks_);
  transitions_reported_.assign(replay.plan_->setup.alarms.size(), 0);
}

Replay::Stream::~Stream() = default;

void Replay::Stream::CloseMinutesBefore(int64_t minute) {
  if (open_minute_ == INT64_MIN || minute <= open_minute_) return;
  const std::vector<MetricSeries> series = worker_->store.Series();
  if (callbacks_.on_minute) {
    std::vector<MetricSeries> closed;
    for (const MetricSeries& s : series) {
      MetricSeries m = s;
      m.datapoints.clear();
      for (const Datapoint& d : s.datapoints) {
        if (d.timestamp_ms == open_minute_) m.datapoints.push_back(d);
      }
      if (!m.datapoints.empty()) closed.push_back(std::move(m));
    }
    callbacks_.on_minute(open_minute_, closed);
  }
  if (callbacks_.on_transition) {
    AlarmWindow window;
    window.end_ms = minute;
    const auto evals = EvaluateAlarms(replay_.plan_->setup.alarms, series, window);
    for (size_t a = 0; a < evals.size(); ++a) {
      for (size_t t = transitions_reported_[a]; t < evals[a].transitions.size(); ++t) {
        if (evals[a].transitions[t].timestamp_ms > minute) break;
        callbacks_.on_transition(evals[a].config.name, evals[a].transitions[t]);
        transitions_reported_[a] = t + 1;
      }
    }
  }
}

bool Replay::Stream::Feed(const InputRecord& record) {
  worker_->OnRecord(record);
  const int64_t ts = worker_->last_ts();
  if (ts >= 0) {
    const int64_t minute = FloorDiv(ts, 60000) * 60000;
    if (open_minute_ == INT64_MIN) open_minute_ = minute;
    if (minute > open_minute_) {
      CloseMinutesBefore(minute);
      open_minute_ = minute;
    }
  }
  return true;
}

void Replay::Stream::Problem(const InputProblem& problem) { worker_->OnProblem(problem); }

nlohmann::ordered_json Replay::Stream::Finish(const InputStats& stats) {
  if (open_minute_ != INT64_MIN) CloseMinutesBefore(open_minute_ + 60000);
  std::vector<std::unique_ptr<ReplayWorker>> workers;
  workers.push_back(std::move(worker_));
  nlohmann::ordered_json out = replay_.Assemble(workers, stats, {});
  worker_ = std::move(workers[0]);
  return out;
}

}  // namespace trailwatch::engine
