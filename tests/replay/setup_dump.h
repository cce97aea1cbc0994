// setup_dump.h: a canonical text dump of a Setup for tests (one line per resource, every field), so
// equivalent setups compare as equal strings and differences show up as readable diffs.
#pragma once

#include <sstream>
#include <string>

#include "engine/setup/setup.h"

namespace trailwatch::engine {

inline std::string DumpSetup(const Setup& s, bool with_source = false) {
  std::ostringstream o;
  o << "account " << s.account << "\nregions";
  for (const std::string& r : s.regions) o << ' ' << r;
  o << '\n';
  auto src = [&](const std::string& source) { return with_source ? " source=" + source : std::string(); };
  for (const TrailConfig& t : s.trails) {
    o << "trail " << t.account << '/' << t.home_region << '/' << t.name << " multi_region=" << t.multi_region
      << " global=" << t.include_global_events << " logging=" << t.logging << " log_group=" << t.log_group << '@'
      << t.log_group_region << '/' << t.log_group_account << " management=" << t.management_events << src(t.source)
      << '\n';
  }
  for (const RuleConfig& r : s.rules) {
    o << "rule " << r.account << '/' << r.region << '/' << r.event_bus << '/' << r.name << " state=" << r.state
      << " pattern=" << r.event_pattern << src(r.source) << '\n';
    for (const RuleTarget& t : r.targets) {
      const char* kind = t.kind == RuleTarget::Kind::kEventBus   ? "bus"
                         : t.kind == RuleTarget::Kind::kLogGroup ? "log_group"
                                                                 : "other";
      o << "  target " << t.id << ' ' << kind << ' ' << t.account << '/' << t.region << '/' << t.name
        << " arn=" << t.arn << " role=" << t.role_arn << " input=" << t.input << " input_path=" << t.input_path
        << " paths=" << t.input_paths_map << " template=" << t.input_template << '\n';
    }
  }
  for (const LogGroupConfig& g : s.log_groups) {
    o << "log_group " << g.account << '/' << g.region << '/' << g.name << src(g.source) << '\n';
  }
  for (const MetricFilterConfig& f : s.metric_filters) {
    const MetricTransformationConfig& m = f.transformation;
    o << "filter " << f.account << '/' << f.region << '/' << f.log_group << '/' << f.name << " pattern=" << f.filter_pattern
      << " metric=" << m.metric_namespace << '/' << m.metric_name << " value=" << m.metric_value
      << " default=" << (m.default_value ? std::to_string(*m.default_value) : "none") << " unit=" << m.unit
      << " dims=";
    for (const auto& [k, v] : m.dimensions) o << k << ':' << v << ';';
    o << src(f.source) << '\n';
  }
  for (const AlarmConfig& a : s.alarms) {
    o << "alarm " << a.account << '/' << a.region << '/' << a.name << " metric=" << a.metric_namespace << '/'
      << a.metric_name << " dims=";
    for (const auto& [k, v] : a.dimensions) o << k << ':' << v << ';';
    o << " stat=" << a.statistic << " period=" << a.period << " evals=" << a.evaluation_periods
      << " datapoints=" << a.datapoints_to_alarm << " threshold=" << a.threshold << " op=" << a.comparison_operator
      << " missing=" << a.treat_missing_data << " unit=" << a.unit << src(a.source) << '\n';
  }
  return o.str();
}

}  // namespace trailwatch::engine
