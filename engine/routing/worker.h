// worker.h (internal to engine/routing): one thread's replay — routes each record as AWS does (trails,
// the default bus, rules, targets, log groups), runs the metric filters of every log group a message
// reaches and counts everything into its Tally.
//
// Contract: a worker reads the shared plan and owns its scratch (filter and event scratch, parser,
// buffers) and its Tally; it is used by one thread at a time. OnRecord() never fails: a record that cannot
// be routed is counted (malformed, unrouted, other account) and reported as an InputProblem. Nothing
// here prints. Callbacks (for `tail`) are called on the worker's thread.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/event/cloudtrail.h"
#include "engine/input/reader.h"
#include "engine/routing/fields.h"
#include "engine/routing/plan.h"
#include "engine/routing/replay.h"
#include "engine/routing/tally.h"

namespace trailwatch::engine {

enum class Shape { kRaw, kEventBridge, kText };

// What the findings say about the event behind a message.
struct EventInfo {
  std::string_view id, region, time, name;
};

class ReplayWorker : public RecordSink {
 public:
  ReplayWorker(const ReplayPlan& plan, const ReplayOptions& options, const StreamCallbacks* callbacks,
               const FileOrder* file_order = nullptr)
      : plan_(plan), options_(options), callbacks_(callbacks), file_order_(file_order) {
    tally_.Resize(plan.log_groups.size(), plan.rules.size(), plan.filters.size());
    for (const FilterRt& f : plan.filters) tally_.store.AddFilter(f.spec);
    tally_.fields.resize(plan.log_groups.size());
    tally_.json_messages.assign(plan.log_groups.size(), 0);
    field_pending_.resize(plan.log_groups.size());
    for (size_t g = 0; g < plan.log_groups.size(); ++g) {
      tally_.fields[g].resize(plan.log_groups[g].fields.size());
      for (uint32_t k = 0; k < plan.log_groups[g].fields.size(); ++k) field_pending_[g].push_back(k);
    }
  }

  bool OnRecord(const InputRecord& r) override;
  void OnProblem(const InputProblem& p) override {
    tally_.problems_by_kind[ProblemKindName(p.kind)]++;
    if (tally_.problems.size() < options_.max_problems) tally_.problems.push_back(p);
    if (callbacks_ && callbacks_->on_problem) callbacks_->on_problem(p);
  }

  // What this worker counted (merged with the other workers' by Tally::Merge).
  Tally& tally() { return tally_; }
  const Tally& tally() const { return tally_; }

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
      tally_.Found(FindingKind::kUndated).Add(MakeExample(r, {}, {}, {}, "no timestamp: counted at the previous event's time"),
                  options_.max_examples);
      ts = last_ts_ >= 0 ? last_ts_ : 0;
    }
    last_ts_ = ts;
    tally_.min_ts = std::min(tally_.min_ts, ts);
    tally_.max_ts = std::max(tally_.max_ts, ts);
    return ts;
  }

  // The default bus of an account in a Region (-1: none), remembered for the next record (records of one
  // Region come together), so routing builds no lookup key per record.
  int DefaultBus(std::string_view account, std::string_view region) {
    if (!default_bus_known_ || account != default_bus_account_ || region != default_bus_region_) {
      default_bus_account_.assign(account);
      default_bus_region_.assign(region);
      default_bus_ = plan_.FindBus(account, region, "default");
      default_bus_known_ = true;
    }
    return default_bus_;
  }

  void RouteCloudTrail(const InputRecord& r);
  void Reject(const InputRecord& r, std::string why);
  void RouteEventBridge(const InputRecord& r);
  void DeliverDirect(const InputRecord& r);
  void PutEvent(int bus, std::string_view event_json, const CloudTrailFacts* facts, const EventInfo& info,
                int64_t ts, const InputRecord& r);
  void Deliver(size_t lg, std::string_view message, Shape shape, std::string_view alternate, int64_t ts,
               const EventInfo& info, const InputRecord& r, uint32_t via);
  void Findings(const CloudTrailFacts& f, const InputRecord& r);
  void LookForFields(size_t lg, std::string_view message, const InputRecord& r);

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
  Tally tally_;
  mutable std::string ordinal_file_;  // the file OrdinalOf() looked up last, and its ordinal
  mutable uint32_t ordinal_ = 0;
  FilterScratch fs_;
  EventScratch es_;
  std::string envelope_;
  std::string error_;
  std::vector<int> visited_buses_;
  std::vector<size_t> matched_stack_;
  std::vector<size_t> counted_;  // filters that counted the current record
  uint64_t unevaluated_at_ = 0;  // `tally_.records` when the last record not evaluated was reported
  std::vector<size_t> unmatched_;
  std::string dim_text_;
  Dimensions dims_;
  int64_t last_ts_ = -1;
  CloudTrailReader cloudtrail_;  // one parse per CloudTrail record for its facts and its envelope
  CloudTrailFacts facts_;
  bool default_bus_known_ = false;
  std::string default_bus_account_, default_bus_region_;
  int default_bus_ = -1;
  simdjson::dom::parser dom_;
  // The field findings (fields.h): per log group, its watched fields not seen yet; a parser of their own
  // (dom_'s strings are in use while a record is routed).
  std::vector<std::vector<uint32_t>> field_pending_;
  simdjson::dom::parser field_dom_;
  std::string field_text_;
  FieldWalk field_walk_;
  std::vector<int8_t> literal_memo_;  // MayHave()'s answers for the current message
};

}  // namespace trailwatch::engine
