// topology.cc: the checks of `trailwatch check`. See topology.h; each rule below says exactly when it fires.
#include "engine/setup/topology.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <tuple>

#include "engine/cloudwatch/alarms.h"
#include "patterns/event/parser.h"
#include "patterns/filter/compile.h"
#include "patterns/filter/metric.h"

namespace trailwatch::engine {

SourceLocation ParseSourceLocation(std::string_view source) {
  SourceLocation loc;
  // "file:line:col: LogicalId" — the file may itself hold ':' (rare); take the last ":N:N: " pattern.
  auto number = [](std::string_view s, uint32_t* out) {
    if (s.empty()) return false;
    auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
  };
  const size_t sep = source.find(": ");
  std::string_view head = sep == std::string_view::npos ? source : source.substr(0, sep);
  loc.resource = sep == std::string_view::npos ? "" : std::string(source.substr(sep + 2));
  const size_t c2 = head.rfind(':');
  if (c2 != std::string_view::npos) {
    const size_t c1 = head.rfind(':', c2 - 1 == std::string_view::npos ? 0 : c2 - 1);
    if (c1 != std::string_view::npos && c1 < c2 && number(head.substr(c1 + 1, c2 - c1 - 1), &loc.line) &&
        number(head.substr(c2 + 1), &loc.column)) {
      loc.file = std::string(head.substr(0, c1));
      return loc;
    }
  }
  loc.line = loc.column = 0;
  loc.file = std::string(head);
  return loc;
}

namespace {

struct LogGroupKey {
  std::string account, region, name;
  friend auto operator<=>(const LogGroupKey&, const LogGroupKey&) = default;
};

std::string Place(const LogGroupKey& k) { return k.name + " (" + k.region + ")"; }

class Checker {
 public:
  explicit Checker(const Setup& s) : s_(s) {}

  std::vector<CheckFinding> Run() {
    CompileAll();
    Deliveries();
    LogGroupNames();
    ReadOnlyDropped();
    ShapesAndDoubleCounts();
    SingleRegionTrails();
    UncoveredRegions();
    Warnings();
    std::stable_sort(out_.begin(), out_.end(), [](const CheckFinding& a, const CheckFinding& b) {
      return std::tie(a.kind, a.file, a.line, a.column, a.message) < std::tie(b.kind, b.file, b.line, b.column, b.message);
    });
    return std::move(out_);
  }

 private:
  const Setup& s_;
  std::vector<CheckFinding> out_;
  // Per metric filter (index into s_.metric_filters): the shapes its pattern reads (JSON patterns only:
  // selectors under $.detail read the EventBridge event, others the raw record; other kinds read both).
  std::vector<bool> compiled_, reads_raw_, reads_event_, is_json_;
  std::vector<std::optional<event::EventPattern>> rule_patterns_;
  struct Feeders {
    std::vector<const TrailConfig*> trails;
    std::vector<const RuleConfig*> rules;  // rules that can deliver CloudTrail events there
  };
  std::map<LogGroupKey, Feeders> feeders_;

  CheckFinding& Add(CheckKind kind, const std::string& source, const std::string& region, std::string message) {
    const SourceLocation loc = ParseSourceLocation(source);
    CheckFinding f;
    f.kind = kind;
    f.message = std::move(message);
    f.resource = loc.resource;
    f.file = loc.file;
    f.line = loc.line;
    f.column = loc.column;
    f.region = region;
    out_.push_back(std::move(f));
    return out_.back();
  }

  // invalid-pattern, invalid-transformation, invalid-alarm: every metric filter compiled with its
  // transformation as PutMetricFilter checks it; every rule's pattern parsed as PutRule does; every alarm
  // validated as PutMetricAlarm does. One finding per resource (per Region it is in).
  void CompileAll() {
    const size_t n = s_.metric_filters.size();
    compiled_.assign(n, false);
    reads_raw_.assign(n, true);
    reads_event_.assign(n, true);
    is_json_.assign(n, false);
    for (size_t i = 0; i < n; ++i) {
      const MetricFilterConfig& f = s_.metric_filters[i];
      auto pattern = filter::CompileFilterPattern(f.filter_pattern);
      if (!pattern.ok()) {
        CheckFinding& c = Add(CheckKind::kInvalidPattern, f.source, f.region,
                              "metric filter " + f.name + ": " + pattern.error().exception + ": " +
                                  (pattern.error().aws_message.empty() ? pattern.error().message : pattern.error().aws_message));
        c.diagnostic = pattern.error();
        c.diagnostic_text = f.filter_pattern;
        continue;
      }
      filter::MetricTransformation t;
      t.metric_name = f.transformation.metric_name;
      t.metric_namespace = f.transformation.metric_namespace;
      t.metric_value = f.transformation.metric_value;
      t.default_value = f.transformation.default_value;
      t.unit = f.transformation.unit;
      t.dimensions = f.transformation.dimensions;
      auto mf = filter::CompileMetricFilter(f.name, f.filter_pattern, t);
      if (!mf.ok()) {
        const Diagnostic& d = mf.error();
        CheckFinding& c = Add(CheckKind::kInvalidTransformation, f.source, f.region,
                              "metric filter " + f.name + ": " + d.exception + ": " +
                                  (d.aws_message.empty() ? d.message : d.aws_message));
        c.diagnostic = d;
        c.diagnostic_text = d.source.empty() ? f.filter_pattern : d.source;
        continue;
      }
      compiled_[i] = true;
      const filter::CompiledPattern& cp = *pattern.value();
      if (cp.kind == filter::PatternKind::kJson) {
        is_json_[i] = true;
        bool raw = false, ev = false;
        for (const filter::Selector& sel : cp.selectors) {
          const bool detail = sel.text.rfind("$.detail.", 0) == 0 || sel.text == "$.detail";
          (detail ? ev : raw) = true;
        }
        reads_raw_[i] = raw;
        reads_event_[i] = ev;
      }
    }
    rule_patterns_.resize(s_.rules.size());
    for (size_t i = 0; i < s_.rules.size(); ++i) {
      const RuleConfig& r = s_.rules[i];
      auto p = event::ParseEventPattern(r.event_pattern);
      if (!p.ok()) {
        CheckFinding& c = Add(CheckKind::kInvalidPattern, r.source, r.region,
                              "rule " + r.name + ": " + p.error().exception + ": " +
                                  (p.error().aws_message.empty() ? p.error().message : p.error().aws_message));
        c.diagnostic = p.error();
        c.diagnostic_text = r.event_pattern;
        continue;
      }
      rule_patterns_[i] = std::move(p).value();
    }
    for (const AlarmConfig& a : s_.alarms) {
      auto v = ValidateAlarm(a);
      if (!v.ok()) {
        Add(CheckKind::kInvalidAlarm, a.source, a.region,
            "alarm " + a.name + ": " + v.error().exception + ": " +
                (v.error().aws_message.empty() ? v.error().message : v.error().aws_message));
      }
    }
  }

  // Whether a rule's pattern can match an EventBridge event made from a CloudTrail record: it has no
  // `detail-type` field, or one of its detail-type values could be "... via CloudTrail" (an exact string
  // that ends so, or any other matcher kind, which is not decided here).
  static bool CanMatchCloudTrail(const event::EventPattern& p) {
    for (const event::SubRule& sub : p.rules) {
      bool ok = true;
      for (const event::Field& f : sub.fields) {
        if (f.path != "detail-type") continue;
        bool any = false;
        for (const event::Matcher& m : f.values) {
          if (m.kind == event::MatchKind::kExactString) {
            any = any || (!m.strings.empty() && m.strings[0].size() >= 14 &&
                          m.strings[0].compare(m.strings[0].size() - 14, 14, "via CloudTrail") == 0);
          } else {
            any = true;
          }
        }
        ok = ok && any;
      }
      if (ok) return true;
    }
    return false;
  }

  void Deliveries() {
    for (const TrailConfig& t : s_.trails) {
      if (!t.logging || t.log_group.empty() || t.management_events == "None") continue;
      feeders_[{t.log_group_account, t.log_group_region, t.log_group}].trails.push_back(&t);
    }
    for (size_t i = 0; i < s_.rules.size(); ++i) {
      const RuleConfig& r = s_.rules[i];
      if (r.state == "DISABLED" || !rule_patterns_[i] || !CanMatchCloudTrail(*rule_patterns_[i])) continue;
      for (const RuleTarget& t : r.targets) {
        if (t.kind != RuleTarget::Kind::kLogGroup || !t.input.empty() || !t.input_path.empty() ||
            !t.input_template.empty()) {
          continue;  // transformed input is not the event
        }
        feeders_[{t.account, t.region, t.name}].rules.push_back(&r);
      }
    }
  }

  // log-group-name: a rule target that is a log group whose name does not start with /aws/events/.
  void LogGroupNames() {
    for (const RuleConfig& r : s_.rules) {
      for (const RuleTarget& t : r.targets) {
        if (t.kind == RuleTarget::Kind::kLogGroup && t.name.compare(0, 12, "/aws/events/") != 0) {
          Add(CheckKind::kLogGroupName, r.source, r.region,
              "rule " + r.name + " targets log group " + t.name +
                  ", whose name does not start with /aws/events/: EventBridge delivers there only if the log "
                  "group's resource policy allows events.amazonaws.com");
        }
      }
    }
  }

  // read-only-dropped: a rule in state ENABLED whose pattern asks (in any $or alternative) for
  // detail.readOnly true, or for detail.eventName values that are exact names or prefixes starting with
  // Get, List or Describe (not STS GetFederationToken / GetSessionToken, which are delivered). EventBridge
  // never delivers those read-only management events to ENABLED rules.
  void ReadOnlyDropped() {
    for (size_t i = 0; i < s_.rules.size(); ++i) {
      const RuleConfig& r = s_.rules[i];
      if (r.state != "ENABLED" || !rule_patterns_[i]) continue;
      std::set<std::string> asked;
      for (const event::SubRule& sub : rule_patterns_[i]->rules) {
        for (const event::Field& f : sub.fields) {
          for (const event::Matcher& m : f.values) {
            if (f.path == "detail.readOnly" && m.kind == event::MatchKind::kTrue) asked.insert("readOnly: true");
            if (f.path != "detail.eventName" || m.strings.empty()) continue;
            if (m.kind != event::MatchKind::kExactString && m.kind != event::MatchKind::kPrefix) continue;
            const std::string& v = m.strings[0];
            if (v == "GetFederationToken" || v == "GetSessionToken") continue;
            for (const char* p : {"Get", "List", "Describe"}) {
              const std::string prefix = p;
              if (v.size() > prefix.size() && v.compare(0, prefix.size(), prefix) == 0) {
                asked.insert(m.kind == event::MatchKind::kPrefix ? v + "*" : v);
              }
            }
          }
        }
      }
      if (asked.empty()) continue;
      std::string list;
      for (const std::string& a : asked) list += (list.empty() ? "" : ", ") + a;
      Add(CheckKind::kReadOnlyDropped, r.source, r.region,
          "rule " + r.name + " is ENABLED but asks for read-only management events (" + list +
              "): EventBridge delivers those only to rules in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
    }
  }

  std::vector<size_t> FiltersOn(const LogGroupKey& k) const {
    std::vector<size_t> out;
    for (size_t i = 0; i < s_.metric_filters.size(); ++i) {
      const MetricFilterConfig& f = s_.metric_filters[i];
      if (compiled_[i] && f.account == k.account && f.region == k.region && f.log_group == k.name) out.push_back(i);
    }
    return out;
  }

  static bool Covers(const TrailConfig& t, const std::string& region) { return t.multi_region || t.home_region == region; }

  // shape-mismatch: a log group fed raw records by a trail and EventBridge events by a rule that can match
  // CloudTrail events, and a JSON filter on it whose selectors all read one shape ($.detail... only, or no
  // $.detail at all). double-counted: on such a log group, a filter that reads both shapes (or is not a
  // JSON pattern) counts a record once per path; and two trails that cover a common Region and feed one log
  // group with filters deliver every record of that Region twice.
  void ShapesAndDoubleCounts() {
    for (const auto& [key, feed] : feeders_) {
      const std::vector<size_t> filters = FiltersOn(key);
      if (filters.empty()) continue;
      if (!feed.trails.empty() && !feed.rules.empty()) {
        const TrailConfig& t = *feed.trails.front();
        const RuleConfig& r = *feed.rules.front();
        for (size_t i : filters) {
          const MetricFilterConfig& f = s_.metric_filters[i];
          if (is_json_[i] && reads_raw_[i] != reads_event_[i]) {
            Add(CheckKind::kShapeMismatch, f.source, f.region,
                "metric filter " + f.name + " on " + Place(key) + " reads only " +
                    (reads_raw_[i] ? "raw CloudTrail records (no $.detail selector)"
                                   : "EventBridge events ($.detail selectors only)") +
                    ", while the log group receives both: raw records from trail " + t.name +
                    ", events from rule " + r.name + " — the other shape is never counted");
          } else {
            Add(CheckKind::kDoubleCounted, f.source, f.region,
                "metric filter " + f.name + " on " + Place(key) + " counts a record twice: trail " + t.name +
                    " delivers it raw and rule " + r.name + " (" + r.region +
                    ") as an EventBridge event, and the filter matches both shapes");
          }
        }
      }
      for (size_t a = 0; a < feed.trails.size(); ++a) {
        for (size_t b = a + 1; b < feed.trails.size(); ++b) {
          const TrailConfig& x = *feed.trails[a];
          const TrailConfig& y = *feed.trails[b];
          std::string common;
          for (const std::string& region : s_.regions) {
            if (Covers(x, region) && Covers(y, region)) {
              common = region;
              break;
            }
          }
          if (common.empty()) continue;
          for (size_t i : filters) {
            const MetricFilterConfig& f = s_.metric_filters[i];
            Add(CheckKind::kDoubleCounted, f.source, f.region,
                "metric filter " + f.name + " on " + Place(key) + " counts records twice: trails " + x.name + " and " +
                    y.name + " both deliver the events of " + common + " (and every Region both cover) to it");
          }
        }
      }
    }
  }

  // single-region-trail: a log group with metric filters whose only feeders are single-Region trails (no
  // multi-Region trail, no rule delivering CloudTrail events), while the setup covers Regions those trails
  // do not: the filters never see those Regions' events.
  void SingleRegionTrails() {
    for (const auto& [key, feed] : feeders_) {
      if (feed.trails.empty() || !feed.rules.empty() || FiltersOn(key).empty()) continue;
      bool any_multi = false;
      std::set<std::string> homes;
      for (const TrailConfig* t : feed.trails) {
        any_multi = any_multi || t->multi_region;
        homes.insert(t->home_region);
      }
      if (any_multi) continue;
      std::vector<std::string> others;
      for (const std::string& r : s_.regions) {
        if (!homes.count(r)) others.push_back(r);
      }
      if (others.empty()) continue;
      const TrailConfig& t = *feed.trails.front();
      std::string list;
      for (size_t i = 0; i < others.size() && i < 5; ++i) list += (i ? ", " : "") + others[i];
      if (others.size() > 5) list += ", ... (" + std::to_string(others.size()) + " Regions)";
      Add(CheckKind::kSingleRegionTrail, t.source, t.home_region,
          "trail " + t.name + " is a single-Region trail (" + t.home_region + ") and the only path to " + Place(key) +
              ", whose metric filters then never see the events of " + list +
              ": make it multi-Region (IsMultiRegionTrail: true)");
    }
  }

  // uncovered-region: a bus that rules of other Regions forward to (a central bus) and a covered default
  // Region, other than the bus's own, where no enabled rule forwards to that bus: the Region's events
  // never reach the central rules. One finding per central bus, naming the Regions.
  void UncoveredRegions() {
    using Bus = LogGroupKey;  // (account, Region, bus name)
    std::map<Bus, std::set<std::string>> forwarded_from;
    for (const RuleConfig& r : s_.rules) {
      if (r.state == "DISABLED") continue;
      for (const RuleTarget& t : r.targets) {
        if (t.kind == RuleTarget::Kind::kEventBus && t.region != r.region) {
          forwarded_from[{t.account, t.region, t.name}].insert(r.region);
        }
      }
    }
    const std::vector<std::string>& defaults = DefaultRegions();
    for (const auto& [bus, from] : forwarded_from) {
      std::vector<std::string> missing;
      for (const std::string& region : s_.regions) {
        if (region == bus.region || from.count(region)) continue;
        if (std::find(defaults.begin(), defaults.end(), region) == defaults.end()) continue;
        missing.push_back(region);
      }
      if (missing.empty()) continue;
      // The finding is placed on the bus's first rule (the central rule), else on a forwarding rule.
      const RuleConfig* at = nullptr;
      for (const RuleConfig& r : s_.rules) {
        if (r.account == bus.account && r.region == bus.region && r.event_bus == bus.name) {
          at = &r;
          break;
        }
      }
      for (const RuleConfig& r : s_.rules) {
        if (at) break;
        for (const RuleTarget& t : r.targets) {
          if (t.kind == RuleTarget::Kind::kEventBus && t.region == bus.region && t.name == bus.name) at = &r;
        }
      }
      std::string list;
      for (size_t i = 0; i < missing.size(); ++i) list += (i ? ", " : "") + missing[i];
      Add(CheckKind::kUncoveredRegion, at ? at->source : "", bus.region,
          "event bus " + bus.name + " (" + bus.region + ") receives events forwarded from " +
              std::to_string(from.size()) + " Region(s), but no rule forwards from " + list +
              ": EventBridge never forwards those Regions' events" +
              (at ? " to rule " + at->name : std::string()));
    }
  }

  // setup-warning: every warning of the loader, at the place it names.
  void Warnings() {
    for (const std::string& w : s_.warnings) {
      if (w.find("does not start with /aws/events/") != std::string::npos) continue;  // log-group-name says it
      const SourceLocation loc = ParseSourceLocation(w);
      CheckFinding f;
      f.kind = CheckKind::kSetupWarning;
      f.message = w;
      f.file = loc.line ? loc.file : "";
      f.line = loc.line;
      f.column = loc.column;
      out_.push_back(std::move(f));
    }
  }
};

}  // namespace

std::vector<CheckFinding> CheckTopology(const Setup& setup) { return Checker(setup).Run(); }

}  // namespace trailwatch::engine
