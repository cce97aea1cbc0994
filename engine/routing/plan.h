// plan.h (internal to engine/routing): the immutable plan of a replay, built once by Replay::Create() and
// shared by every worker: each metric filter with its compiled pattern and metric, each log group with the
// FilterSet of its filters, each rule with its state and bus, each bus with the EventMatcher of its rules,
// and the sets of every filter and every enabled rule that the findings evaluate.
//
// Contract: read-only once built (workers only read it, from any thread). Indexes are stable: filter i,
// log group i and rule i are the i-th of the Setup's (log groups referenced but not defined come after the
// defined ones).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/cloudwatch/metrics.h"
#include "engine/event/cloudtrail.h"
#include "engine/event/matcher.h"
#include "engine/filter/filter_set.h"
#include "engine/routing/fields.h"
#include "engine/setup/setup.h"
#include "patterns/filter/metric.h"

namespace trailwatch::engine {

// Map keys of two or three parts ("region\nname").
inline std::string Key2(std::string_view a, std::string_view b) {
  std::string k(a);
  k += '\n';
  k += b;
  return k;
}

inline std::string Key3(std::string_view a, std::string_view b, std::string_view c) {
  return Key2(Key2(a, b), c);
}

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
  std::vector<WatchedField> fields;  // the JSON selectors its filters read (the field findings)
  std::vector<std::string> field_literals;  // their distinct quoted keys (WatchedField::literal_ids)
};

struct RuleRt {
  const RuleConfig* config = nullptr;
  RuleState state = RuleState::kEnabled;
  int bus = -1;
  std::vector<int> targets;  // per target: its bus (event bus targets) or log group index; -1: none
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
  std::vector<int> trail_log_groups;  // per trail of the setup: its log group's index (-1: none)
  // The paths a message takes to a log group, named once (what a Delivery's `via` indexes): kInputVia, then
  // "trail T" for each trail, then "rule R (Region)" for each rule.
  static constexpr uint32_t kInputVia = 0;
  std::vector<std::string> vias;
  uint32_t TrailVia(size_t trail) const { return static_cast<uint32_t>(1 + trail); }
  uint32_t RuleVia(size_t rule) const { return static_cast<uint32_t>(1 + setup.trails.size() + rule); }

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

}  // namespace trailwatch::engine
