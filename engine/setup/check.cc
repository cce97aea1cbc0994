// check.cc: the cross-resource checks of a loaded setup (warnings, never errors), the merging of warnings
// repeated across Regions, and the common end of every setup source (FinishSetup). See check.h.
#include "engine/setup/check.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace trailwatch::engine {
namespace {

std::string Place(const std::string& region, const std::string& account, const std::string& home_account) {
  return account == home_account || account.empty() ? region : region + " (account " + account + ")";
}

bool HasLogGroup(const Setup& s, const std::string& account, const std::string& region, const std::string& name) {
  return std::any_of(s.log_groups.begin(), s.log_groups.end(), [&](const LogGroupConfig& lg) {
    return lg.account == account && lg.region == region && lg.name == name;
  });
}

bool HasRuleOnBus(const Setup& s, const std::string& account, const std::string& region, const std::string& bus) {
  return std::any_of(s.rules.begin(), s.rules.end(), [&](const RuleConfig& r) {
    return r.account == account && r.region == region && r.event_bus == bus && r.state != "DISABLED";
  });
}

// Whether a trail or a rule target delivers to that log group.
bool Delivered(const Setup& s, const std::string& account, const std::string& region, const std::string& name) {
  for (const TrailConfig& t : s.trails) {
    if (t.log_group == name && t.log_group_region == region && t.log_group_account == account) return true;
  }
  for (const RuleConfig& r : s.rules) {
    for (const RuleTarget& t : r.targets) {
      if (t.kind == RuleTarget::Kind::kLogGroup && t.name == name && t.region == region && t.account == account) {
        return true;
      }
    }
  }
  return false;
}

std::string DimensionNames(const std::vector<std::pair<std::string, std::string>>& dims) {
  std::set<std::string> names;
  for (const auto& d : dims) names.insert(d.first);
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ",") + n;
  return out.empty() ? "none" : out;
}

void CheckRules(const Setup& s, std::vector<SetupWarning>& w) {
  for (const RuleConfig& rule : s.rules) {
    for (const RuleTarget& t : rule.targets) {
      const std::string target = "target " + t.id;
      const bool same_place = t.region == rule.region && t.account == rule.account;
      switch (t.kind) {
        case RuleTarget::Kind::kLogGroup:
          if (t.name.compare(0, 12, "/aws/events/") != 0) {
            w.push_back({rule.source, rule.region,
                         target + ": log group `" + t.name +
                             "` does not start with /aws/events/: the console and the CDK only target log groups "
                             "under /aws/events/; elsewhere EventBridge delivers only if the log group's resource "
                             "policy allows events.amazonaws.com"});
          }
          if (!same_place) {
            w.push_back({rule.source, rule.region,
                         target + ": log group `" + t.name + "` is in " + Place(t.region, t.account, rule.account) +
                             ": EventBridge delivers to log groups of the rule's own Region and account only"});
          } else if (!HasLogGroup(s, t.account, t.region, t.name)) {
            w.push_back({rule.source, rule.region,
                         target + ": log group `" + t.name + "` is not defined in the setup"});
          }
          break;
        case RuleTarget::Kind::kEventBus:
          if (same_place && t.name == rule.event_bus) {
            w.push_back({rule.source, rule.region,
                         target + ": the rule sends events back to its own bus `" + t.name + "` (a loop)"});
            break;
          }
          if (!same_place && t.role_arn.empty()) {
            w.push_back({rule.source, rule.region,
                         target + ": no RoleArn: EventBridge needs an execution role to send events to an event bus "
                                  "in another Region or account"});
          }
          if (!HasRuleOnBus(s, t.account, t.region, t.name)) {
            w.push_back({rule.source, rule.region,
                         target + ": no enabled rule of the setup is on bus `" + t.name + "` in " +
                             (same_place ? std::string("the rule's Region") : Place(t.region, t.account, rule.account)) +
                             ": events sent there go nowhere"});
          }
          break;
        case RuleTarget::Kind::kOther: {
          std::optional<ParsedArn> arn = ParseArn(t.arn);
          w.push_back({rule.source, rule.region,
                       target + " (" + (arn ? arn->service : std::string("?")) +
                           ") is not simulated: what it receives is not counted"});
          break;
        }
      }
    }
  }
}

void CheckMetricFilters(const Setup& s, std::vector<SetupWarning>& w) {
  for (const MetricFilterConfig& f : s.metric_filters) {
    if (!HasLogGroup(s, f.account, f.region, f.log_group)) {
      w.push_back({f.source, f.region, "metric filter on log group `" + f.log_group + "`, which the setup does not define"});
    } else if (!Delivered(s, f.account, f.region, f.log_group)) {
      w.push_back({f.source, f.region,
                   "no trail or rule of the setup delivers to log group `" + f.log_group + "`: the filter sees nothing"});
    }
  }
}

void CheckAlarms(const Setup& s, std::vector<SetupWarning>& w) {
  for (const AlarmConfig& a : s.alarms) {
    bool same_metric = false, same_dimensions = false;
    std::string filter_dims;
    for (const MetricFilterConfig& f : s.metric_filters) {
      const MetricTransformationConfig& m = f.transformation;
      if (f.account != a.account || f.region != a.region || m.metric_namespace != a.metric_namespace ||
          m.metric_name != a.metric_name) {
        continue;
      }
      same_metric = true;
      filter_dims = DimensionNames(m.dimensions);
      if (filter_dims == DimensionNames(a.dimensions)) same_dimensions = true;
    }
    const std::string metric = a.metric_namespace + "/" + a.metric_name;
    if (!same_metric) {
      w.push_back({a.source, a.region,
                   "alarm on " + metric + ", which no metric filter of the setup produces in the alarm's Region: "
                   "the alarm gets no data"});
    } else if (!same_dimensions) {
      w.push_back({a.source, a.region,
                   "alarm on " + metric + " with dimensions " + DimensionNames(a.dimensions) +
                       ", but the metric filters publish it with dimensions " + filter_dims +
                       ": the alarm gets no data"});
    }
  }
}

void CheckTrails(const Setup& s, std::vector<SetupWarning>& w) {
  std::map<std::pair<std::string, std::string>, int> multi_region;
  for (const TrailConfig& t : s.trails) {
    if (t.multi_region) ++multi_region[{t.account, t.name}];
    if (!t.logging) w.push_back({t.source, t.home_region, "IsLogging is false: the trail records nothing"});
    if (t.log_group.empty()) continue;
    if (t.log_group_region != t.home_region) {
      w.push_back({t.source, t.home_region,
                   "CloudWatchLogsLogGroupArn names a log group in " + t.log_group_region +
                       ", not in the trail's Region " + t.home_region +
                       ": CloudTrail expects the log group in the trail's home Region"});
    } else if (t.log_group_account != t.account) {
      w.push_back({t.source, t.home_region,
                   "CloudWatchLogsLogGroupArn names a log group of account " + t.log_group_account +
                       ", not the trail's account " + t.account});
    } else if (!HasLogGroup(s, t.log_group_account, t.log_group_region, t.log_group)) {
      w.push_back({t.source, t.home_region, "log group `" + t.log_group + "` is not defined in the setup"});
    }
  }
  for (const TrailConfig& t : s.trails) {
    auto it = multi_region.find({t.account, t.name});
    if (it != multi_region.end() && it->second > 1) {
      w.push_back({t.source, "",
                   "multi-region trail `" + t.name + "` is defined in " + std::to_string(it->second) +
                       " Regions: each copy records the events of every Region (define it once, in its home Region)"});
      it->second = 0;
    }
  }
}

}  // namespace

void CheckSetupInto(const Setup& setup, std::vector<SetupWarning>& warnings) {
  CheckRules(setup, warnings);
  CheckMetricFilters(setup, warnings);
  CheckAlarms(setup, warnings);
  CheckTrails(setup, warnings);
}

std::vector<std::string> FormatWarnings(const std::vector<SetupWarning>& warnings) {
  std::vector<std::pair<std::string, std::vector<std::string>>> merged;  // "where: text" -> Regions
  std::map<std::string, size_t> index;
  for (const SetupWarning& w : warnings) {
    std::string key = w.where + ": " + w.text;
    auto [it, inserted] = index.emplace(key, merged.size());
    if (inserted) merged.push_back({key, {}});
    std::vector<std::string>& regions = merged[it->second].second;
    if (!w.region.empty() && std::find(regions.begin(), regions.end(), w.region) == regions.end()) {
      regions.push_back(w.region);
    }
  }
  std::vector<std::string> out;
  for (auto& [text, regions] : merged) {
    std::string line = text;
    if (regions.size() == 1) {
      line += " [" + regions[0] + "]";
    } else if (regions.size() > 1) {
      std::sort(regions.begin(), regions.end());
      line += " [" + std::to_string(regions.size()) + " Regions: ";
      for (size_t i = 0; i < regions.size(); ++i) line += (i ? ", " : "") + regions[i];
      line += "]";
    }
    out.push_back(std::move(line));
  }
  return out;
}

void CheckSetup(Setup& setup) {
  std::vector<SetupWarning> warnings;
  CheckSetupInto(setup, warnings);
  for (std::string& w : FormatWarnings(warnings)) setup.warnings.push_back(std::move(w));
}

namespace {

Diagnostic Duplicate(const std::string& what, const std::string& first, const std::string& second) {
  Diagnostic d;
  d.exception = "ValidationError";
  d.message = second + ": " + what + " is already defined by " + first;
  return d;
}

// Sorts the setup, rejects duplicates, covers every Region used, runs the checks, formats the warnings.
}  // namespace

Result<Setup> FinishSetup(Setup setup, std::vector<std::string> covered, const std::set<std::string>& used,
                     std::vector<SetupWarning>& warnings) {
  for (const std::string& r : used) {
    if (std::find(covered.begin(), covered.end(), r) == covered.end()) covered.push_back(r);
  }
  setup.regions = std::move(covered);
  auto by = [](auto key) { return [key](const auto& a, const auto& b) { return key(a) < key(b); }; };
  auto rule_key = [](const RuleConfig& r) { return std::tie(r.account, r.region, r.event_bus, r.name); };
  auto log_group_key = [](const LogGroupConfig& g) { return std::tie(g.account, g.region, g.name); };
  auto filter_key = [](const MetricFilterConfig& f) { return std::tie(f.account, f.region, f.log_group, f.name); };
  auto alarm_key = [](const AlarmConfig& a) { return std::tie(a.account, a.region, a.name); };
  auto trail_key = [](const TrailConfig& t) { return std::tie(t.account, t.home_region, t.name); };
  std::stable_sort(setup.rules.begin(), setup.rules.end(), by(rule_key));
  std::stable_sort(setup.log_groups.begin(), setup.log_groups.end(), by(log_group_key));
  std::stable_sort(setup.metric_filters.begin(), setup.metric_filters.end(), by(filter_key));
  std::stable_sort(setup.alarms.begin(), setup.alarms.end(), by(alarm_key));
  std::stable_sort(setup.trails.begin(), setup.trails.end(), by(trail_key));
  for (size_t i = 1; i < setup.rules.size(); ++i) {
    const RuleConfig &a = setup.rules[i - 1], &b = setup.rules[i];
    if (rule_key(a) == rule_key(b)) {
      return Duplicate("rule `" + b.name + "` on bus " + b.event_bus + " in " + b.region, a.source, b.source);
    }
  }
  for (size_t i = 1; i < setup.log_groups.size(); ++i) {
    const LogGroupConfig &a = setup.log_groups[i - 1], &b = setup.log_groups[i];
    if (log_group_key(a) == log_group_key(b)) {
      return Duplicate("log group `" + b.name + "` in " + b.region, a.source, b.source);
    }
  }
  for (size_t i = 1; i < setup.metric_filters.size(); ++i) {
    const MetricFilterConfig &a = setup.metric_filters[i - 1], &b = setup.metric_filters[i];
    if (filter_key(a) == filter_key(b)) {
      return Duplicate("metric filter `" + b.name + "` on log group " + b.log_group + " in " + b.region, a.source,
                       b.source);
    }
  }
  for (size_t i = 1; i < setup.alarms.size(); ++i) {
    const AlarmConfig &a = setup.alarms[i - 1], &b = setup.alarms[i];
    if (alarm_key(a) == alarm_key(b)) return Duplicate("alarm `" + b.name + "` in " + b.region, a.source, b.source);
  }
  for (size_t i = 1; i < setup.trails.size(); ++i) {
    const TrailConfig &a = setup.trails[i - 1], &b = setup.trails[i];
    if (trail_key(a) == trail_key(b)) {
      return Duplicate("trail `" + b.name + "` in " + b.home_region, a.source, b.source);
    }
  }
  CheckSetupInto(setup, warnings);
  setup.warnings = FormatWarnings(warnings);
  return setup;
}

}  // namespace trailwatch::engine
