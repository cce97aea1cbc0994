// replay.cc: Replay::Create (the plan: every pattern compiled once), Run (files split among worker threads,
// their tallies merged), the assembly of the result document, and the Stream of `tail`. The routing itself
// is worker.cc; what it counts, tally.h. See replay.h for the rules.
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
#include "engine/routing/plan.h"
#include "engine/routing/result.h"
#include "engine/routing/tally.h"
#include "engine/routing/worker.h"
#include "patterns/common/nearest.h"
#include "patterns/event/compile.h"
#include "patterns/event/parser.h"
#include "patterns/filter/metric.h"

namespace trailwatch::engine {

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
      AddWatchedFields(*plan.filters[fi].mf, fi, &lg.fields);
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
    lg.field_literals = IndexLiterals(&lg.fields);
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
  // Each rule target's bus or log group, and each trail's log group, found once (no lookup per event).
  for (RuleRt& rule : plan.rules) {
    for (const RuleTarget& t : rule.config->targets) {
      int index = -1;
      if (t.kind == RuleTarget::Kind::kEventBus) {
        index = plan.FindBus(t.account.empty() ? rule.config->account : t.account, t.region, t.name);
      } else if (t.kind == RuleTarget::Kind::kLogGroup) {
        index = plan.FindLogGroup(t.region, t.name);
      }
      rule.targets.push_back(index);
    }
  }
  for (const TrailConfig& t : s.trails) plan.trail_log_groups.push_back(plan.FindLogGroup(t.log_group_region, t.log_group));
  // The delivery paths, named once: input, each trail, each rule (ReplayPlan::vias).
  plan.vias.push_back("input");
  for (const TrailConfig& t : s.trails) plan.vias.push_back("trail " + t.name);
  for (const RuleRt& rule : plan.rules) plan.vias.push_back("rule " + rule.config->name + " (" + rule.config->region + ")");
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

ReplayResult Replay::Run(const std::vector<std::string>& raw_inputs) {
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
  Tally& tally = workers[0]->tally();
  for (size_t t = 1; t < workers.size(); ++t) tally.Merge(std::move(workers[t]->tally()), options_.max_examples);
  return Assemble(tally, total, file_order);
}

// ---- assembly --------------------------------------------------------------------------------------------
namespace {

FindingExample ToExample(const Example& e) {
  FindingExample x;
  x.file = e.file;
  x.line = e.line;
  x.offset = e.offset;
  x.index = e.index;
  x.event_id = e.event_id;
  x.region = e.region;
  x.event_time = e.event_time;
  x.detail = e.detail;
  return x;
}

Finding MakeFinding(FindingKind kind, std::string message, uint64_t count, const std::vector<Example>& examples) {
  Finding f;
  f.kind = kind;
  f.message = std::move(message);
  f.count = count;
  for (const Example& e : examples) f.examples.push_back(ToExample(e));
  return f;
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

// The words of a finding the worker counted per key (Tally::found).
std::string DescribeCounted(FindingKind kind, const std::string& key, const Counter& c, const ReplayPlan& plan,
                            const Tally& w) {
  const std::string n = std::to_string(c.count);
  switch (kind) {
    case FindingKind::kOtherAccount:
      return n + " CloudTrail record(s) belong to account " + key + ", but the setup simulates account " +
             plan.setup.account + ": no trail or bus of the setup sees them (set Account, or --account for templates)";
    case FindingKind::kMissed: {
      const FilterRt& f = plan.filters[IndexOfKey(key)];
      return n + " event(s) match metric filter " + f.config->name + " but never reached log group " +
             f.config->log_group + " (" + f.config->region + "): no trail or rule delivers them there";
    }
    case FindingKind::kUncoveredRegion:
      return n + " event(s) recorded in " + key + " match rule(s) deployed in other Regions (" + Join(c.notes, ", ") +
             ") but no rule in " + key + ": EventBridge never forwards them";
    case FindingKind::kShapeMismatch: {
      const size_t i = IndexOfKey(key);
      const FilterRt& f = plan.filters[i];
      const LogGroupStats& g = w.lg_stats[f.log_group];
      const bool only_raw = w.filter_stats[i].eventbridge == 0;
      return "metric filter " + f.config->name + " matches " +
             (only_raw ? "raw CloudTrail records but not EventBridge events"
                       : "EventBridge events but not raw CloudTrail records") +
             "; log group " + f.config->log_group + " receives both shapes (" + std::to_string(g.raw) + " raw, " +
             std::to_string(g.eventbridge) + " EventBridge) and " + n +
             " message(s) would have matched in their other shape";
    }
    case FindingKind::kTargetNotSimulated:
      return "rule " + key +
             " has targets that transform their input (Input, InputPath, InputTransformer); trailwatch does not "
             "deliver those";
    case FindingKind::kUnrouted:
      return n + " message(s) are neither CloudTrail records nor EventBridge events, so no trail or rule routes "
                 "them; replay them as a log group's messages with --log-group NAME";
    case FindingKind::kUndated:
      return n + " message(s) carry no timestamp; each was counted at the time of the message before it";
    default:
      return n + " " + std::string(Info(kind).name);
  }
}

}  // namespace

ReplayResult Replay::Assemble(Tally& w, const InputStats& raw_stats, const FileOrder& file_order) const {
  const ReplayPlan& plan = *plan_;
  const size_t max = options_.max_examples;
  std::stable_sort(w.problems.begin(), w.problems.end(), [&](const InputProblem& a, const InputProblem& b) {
    const uint32_t oa = OrdinalIn(file_order, a.file), ob = OrdinalIn(file_order, b.file);
    return std::tie(oa, a.file, a.line, a.offset) < std::tie(ob, b.file, b.line, b.offset);
  });
  if (w.problems.size() > options_.max_problems) w.problems.resize(options_.max_problems);

  ReplayResult r;
  r.log_group_mode = plan.direct_log_group >= 0;
  if (w.min_ts <= w.max_ts) {
    r.start_ms = w.min_ts;
    r.end_ms = w.max_ts;
  }
  // Records that do not parse were delivered by the reader but are malformed: they count as such.
  r.input.stats = raw_stats;
  InputStats& stats = r.input.stats;
  for (const auto& [file, n] : w.rejected) {
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
  r.input.cloudtrail_records = w.cloudtrail;
  r.input.eventbridge_events = w.eventbridge;
  r.input.other_messages = w.other;
  r.input.problems = w.problems;

  r.setup.account = plan.setup.account;
  r.setup.regions = plan.setup.regions;
  r.setup.trails = plan.setup.trails.size();
  r.setup.rules = plan.setup.rules.size();
  r.setup.log_groups = plan.setup.log_groups.size();
  r.setup.metric_filters = plan.setup.metric_filters.size();
  r.setup.alarms = plan.setup.alarms.size();
  r.setup.warnings = plan.setup.warnings;

  for (size_t i = 0; i < plan.log_groups.size(); ++i) {
    const LogGroupRt& lg = plan.log_groups[i];
    const LogGroupStats& s = w.lg_stats[i];
    r.log_groups.push_back({lg.name, lg.region, lg.defined, s.messages, s.raw, s.eventbridge, s.text});
  }
  for (size_t i = 0; i < plan.rules.size(); ++i) {
    const RuleConfig& c = *plan.rules[i].config;
    const RuleStats& s = w.rule_stats[i];
    r.rules.push_back({c.name, c.region, c.event_bus, c.state, s.matched, s.forwarded, s.written, s.not_simulated});
  }
  for (size_t i = 0; i < plan.filters.size(); ++i) {
    const MetricFilterConfig& c = *plan.filters[i].config;
    const FilterStats& s = w.filter_stats[i];
    r.metric_filters.push_back(
        {c.name, c.log_group, c.region, c.filter_pattern, s.matches, s.raw, s.eventbridge, s.text});
  }

  r.metrics = w.store.Series();
  const std::vector<MetricSeries>& series = r.metrics;
  AlarmWindow window;
  if (w.min_ts <= w.max_ts) {
    window.start_ms = w.min_ts;
    window.end_ms = w.max_ts;
  }
  r.alarms = EvaluateAlarms(plan.setup.alarms, series, window);

  // ---- findings: every kind in the table's order (most severe first), each kind in the order found.
  for (const FindingKindInfo& kind : kFindingKinds) {
    // The kinds counted per key by the worker (Tally::found): one finding per key.
    for (auto it = w.found.lower_bound({kind.kind, std::string()});
         it != w.found.end() && it->first.first == kind.kind; ++it) {
      const std::string& key = it->first.second;
      const Counter& c = it->second;
      if (c.count == 0) continue;
      r.findings.push_back(MakeFinding(kind.kind, DescribeCounted(kind.kind, key, c, plan, w), c.count, c.examples));
    }
    switch (kind.kind) {
      case FindingKind::kDoubleCounted: {
        std::map<std::string, std::pair<uint64_t, std::vector<Example>>> by_metric;  // metric -> (events, examples)
        std::map<std::string, std::set<std::string>> paths;
        for (auto& [k, d] : w.double_counts) {
          if (d.count < 2) continue;
          const std::string metric = k.substr(0, k.rfind('\n'));
          auto& [n, ex] = by_metric[metric];
          ++n;
          ex.push_back(ExampleOfDoubleCount(d, std::string_view(k).substr(k.rfind('\n') + 1), plan.vias, paths[metric]));
        }
        for (auto& [metric, v] : by_metric) {
          auto& [n, ex] = v;
          std::sort(ex.begin(), ex.end());
          if (ex.size() > max) ex.resize(max);
          std::string name = metric;
          std::replace(name.begin(), name.end(), '\n', '/');
          r.findings.push_back(MakeFinding(FindingKind::kDoubleCounted,
                                           std::to_string(n) + " event(s) were counted more than once by metric " +
                                               name + ", delivered through: " + Join(paths[metric], "; "),
                                           n, ex));
        }
        break;
      }
      case FindingKind::kDimensionCardinality:
        for (const CardinalityExcess& c : w.store.CardinalityExceeded()) {
          r.findings.push_back(MakeFinding(FindingKind::kDimensionCardinality,
                                           "metric filter " + c.filter + " (" + c.region + " " + c.log_group +
                                               ") published " + std::to_string(c.distinct) +
                                               " distinct dimension values in the hour from " +
                                               FormatIsoUtc(c.hour_start_ms) + "; AWS may disable a filter at 1,000 per hour",
                                           c.distinct, {}));
        }
        break;
      case FindingKind::kNeverMatched:
        for (size_t i = 0; i < plan.filters.size(); ++i) {
          const FilterRt& f = plan.filters[i];
          if (w.filter_stats[i].matches != 0) continue;
          r.findings.push_back(MakeFinding(FindingKind::kNeverMatched,
                                           "metric filter " + f.config->name + " (" + f.config->region + " " +
                                               f.config->log_group + ") matched none of the " +
                                               std::to_string(w.lg_stats[f.log_group].messages) +
                                               " message(s) its log group received",
                                           0, {}));
        }
        break;
      case FindingKind::kMisspelledField:
      case FindingKind::kAbsentField:
        for (size_t g = 0; g < plan.log_groups.size() && g < w.fields.size(); ++g) {
          if (w.json_messages[g] == 0) continue;  // fields are read from JSON messages only
          const LogGroupRt& lg = plan.log_groups[g];
          for (size_t k = 0; k < lg.fields.size() && k < w.fields[g].size(); ++k) {
            const FieldSeen& seen = w.fields[g][k];
            const WatchedField& f = lg.fields[k];
            if (seen.present) continue;
            std::string near;
            if (seen.examined && seen.depth < f.steps.size() &&
                f.steps[seen.depth].kind == filter::SelectorStep::Kind::kKey) {
              near = NearestName(f.steps[seen.depth].key, seen.near);
            }
            const bool misspelled = !near.empty();
            if (misspelled != (kind.kind == FindingKind::kMisspelledField)) continue;
            if (!misspelled && f.only_not_exists) continue;  // its absence is what the filter asks for
            std::string readers;
            for (size_t fi : f.filters) readers += (readers.empty() ? "" : ", ") + plan.filters[fi].config->name;
            std::string message = std::string(f.filters.size() == 1 ? "metric filter " : "metric filters ") +
                                  readers + " (" + lg.region + " " + lg.name + ") " +
                                  (f.filters.size() == 1 ? "reads `" : "read `") + f.path + "`, which none of the " +
                                  std::to_string(w.json_messages[g]) + " JSON message(s) of the log group had";
            if (misspelled) {
              message += "; did you mean `" + FieldPathWithKey(f.steps, seen.depth, near, true) + "`?";
            } else if (seen.examined && seen.depth > 0) {
              message += " (`" + FieldPath(f.steps, seen.depth) + "` exists)";
            }
            std::vector<Example> examples;
            if (seen.examined && (misspelled || seen.depth > 0) && max > 0) examples.push_back(seen.example);
            r.findings.push_back(MakeFinding(kind.kind, std::move(message), w.json_messages[g], examples));
          }
        }
        break;
      case FindingKind::kRejectedValues:
        if (w.store.rejected_values()) {
          r.findings.push_back(MakeFinding(FindingKind::kRejectedValues,
                                           std::to_string(w.store.rejected_values()) +
                                               " metric value(s) are out of CloudWatch's range and would be rejected",
                                           w.store.rejected_values(), {}));
        }
        break;
      default:
        break;
    }
  }
  return r;
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
  const std::vector<MetricSeries> series = worker_->tally().store.Series();
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

ReplayResult Replay::Stream::Finish(const InputStats& stats) {
  if (open_minute_ != INT64_MIN) CloseMinutesBefore(open_minute_ + 60000);
  return replay_.Assemble(worker_->tally(), stats, {});
}

}  // namespace trailwatch::engine
