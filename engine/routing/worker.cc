// worker.cc: the routing of one record, as worker.h and replay.h describe.
#include "engine/routing/worker.h"

#include <algorithm>
#include <cstring>

namespace trailwatch::engine {
namespace {

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

}  // namespace

bool ReplayWorker::OnRecord(const InputRecord& r) {
  ++tally_.records;
  if (plan_.direct_log_group >= 0) {
    DeliverDirect(r);
    return true;
  }
  switch (r.shape) {
    case RecordShape::kCloudTrailRecord:
      ++tally_.cloudtrail;
      RouteCloudTrail(r);
      break;
    case RecordShape::kEventBridgeEvent:
      ++tally_.eventbridge;
      RouteEventBridge(r);
      break;
    default:
      ++tally_.other;
      tally_.Found(FindingKind::kUnrouted).Add(MakeExample(r, {}, {}, {}, std::string(r.message.substr(0, 200))), options_.max_examples);
      break;
  }
  return true;
}

void ReplayWorker::DeliverDirect(const InputRecord& r) {
  Shape shape = Shape::kText;
  std::string_view iso;
  if (r.shape == RecordShape::kCloudTrailRecord) {
    shape = Shape::kRaw;
    ++tally_.cloudtrail;
    iso = FindStringField(r.message, "\"eventTime\":\"");
  } else if (r.shape == RecordShape::kEventBridgeEvent) {
    shape = Shape::kEventBridge;
    ++tally_.eventbridge;
    iso = FindStringField(r.message, "\"time\":\"");
  } else {
    ++tally_.other;
    if (r.shape == RecordShape::kJson && r.timestamp_ms < 0) {
      iso = FindStringField(r.message, "\"eventTime\":\"");
      if (iso.empty()) iso = FindStringField(r.message, "\"time\":\"");
      if (iso.empty()) iso = FindStringField(r.message, "\"@timestamp\":\"");
    }
  }
  const int64_t ts = TimeOf(r, iso);
  EventInfo info;
  info.time = iso;
  Deliver(static_cast<size_t>(plan_.direct_log_group), r.message, shape, {}, ts, info, r, ReplayPlan::kInputVia);
}

void ReplayWorker::Reject(const InputRecord& r, std::string why) {
  ++tally_.rejected[std::string(r.file)];
  OnProblem(InputProblem{ProblemKind::kMalformedRecord, std::string(r.file), r.line, r.offset, std::move(why)});
}

void ReplayWorker::RouteCloudTrail(const InputRecord& r) {
  CloudTrailFacts& f = facts_;  // the worker's: its strings keep their capacity from record to record
  if (!cloudtrail_.Read(r.message, &f, &error_)) {
    // Broken inside (the reader checks framing only), invalid UTF-8, nested too deeply: a record that
    // cannot be read cannot be routed; it counts as malformed, not as a record.
    --tally_.cloudtrail;
    Reject(r, "CloudTrail record does not parse (" + error_ + "): not routed");
    return;
  }
  const int64_t ts = TimeOf(r, f.event_time);
  counted_.clear();
  if (!plan_.setup.account.empty() && !f.account.empty() && f.account != plan_.setup.account) {
    // Another account's trail and buses: nothing of the simulated account sees it.
    Counter& c = tally_.Found(FindingKind::kOtherAccount, std::string(f.account));
    c.Add(MakeExample(r, f.event_id, f.aws_region, f.event_time, f.event_name), options_.max_examples);
    return;
  }
  cloudtrail_.Wrap(r.message, f, &envelope_);
  const EventInfo info{f.event_id, f.aws_region, f.event_time, f.event_name};
  // 1. Trails deliver the raw record to their log group.
  for (size_t ti = 0; ti < plan_.setup.trails.size(); ++ti) {
    const TrailConfig& t = plan_.setup.trails[ti];
    if (!t.logging || t.log_group.empty()) continue;
    if (!t.multi_region && t.home_region != f.aws_region) continue;
    if (!t.account.empty() && !f.account.empty() && t.account != f.account) continue;
    if (!t.include_global_events && IsGlobalServiceSource(f.event_source)) continue;
    if (f.management != 0) {
      if (t.management_events == "None") continue;
      if (t.management_events == "ReadOnly" && f.read_only == 0) continue;
      if (t.management_events == "WriteOnly" && f.read_only == 1) continue;
    }
    const int lg = plan_.trail_log_groups[ti];
    if (lg < 0) continue;
    Deliver(static_cast<size_t>(lg), r.message, Shape::kRaw, envelope_, ts, info, r, plan_.TrailVia(ti));
  }
  // 2. EventBridge: the event goes to the default bus of its account in its Region.
  if (!envelope_.empty()) {
    visited_buses_.clear();
    PutEvent(DefaultBus(f.account, f.aws_region), envelope_, &f, info, ts, r);
  }
  if (options_.findings) Findings(f, r);
}

void ReplayWorker::RouteEventBridge(const InputRecord& r) {
  simdjson::dom::element doc;
  std::string_view account, region, time, id;
  if (const auto err = dom_.parse(r.message.data(), r.message.size()).get(doc); err != simdjson::SUCCESS) {
    --tally_.eventbridge;
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
  counted_.clear();
  visited_buses_.clear();
  EventInfo info;
  info.id = id;
  info.region = region;
  info.time = time;
  // The event JSON must outlive nested deliveries: r.message does.
  PutEvent(DefaultBus(account, region), r.message, nullptr, info, ts, r);
}

void ReplayWorker::PutEvent(int bus, std::string_view event_json, const CloudTrailFacts* facts,
                            const EventInfo& info, int64_t ts, const InputRecord& r) {
  if (bus < 0) return;
  if (std::find(visited_buses_.begin(), visited_buses_.end(), bus) != visited_buses_.end()) return;
  visited_buses_.push_back(bus);
  const BusRt& b = plan_.buses[static_cast<size_t>(bus)];
  if (!b.matcher) return;
  if (!b.matcher->Evaluate(event_json, es_) && unevaluated_at_ != tally_.records) {
    unevaluated_at_ = tally_.records;  // once per record
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
    RuleStats& st = tally_.rule_stats[ri];
    ++st.matched;
    for (size_t ti = 0; ti < rule.config->targets.size(); ++ti) {
      const RuleTarget& t = rule.config->targets[ti];
      if (!t.input.empty() || !t.input_path.empty() || !t.input_template.empty()) {
        ++st.not_simulated;
        Counter& c = tally_.Found(FindingKind::kTargetNotSimulated, rule.config->name + " (" + rule.config->region + ")");
        c.Add(MakeExample(r, event_id, rule.config->region, {}, "target " + t.id + " transforms its input"),
              options_.max_examples);
        continue;
      }
      switch (t.kind) {
        case RuleTarget::Kind::kEventBus:
          ++st.forwarded;
          PutEvent(rule.targets[ti], event_json, facts, info, ts, r);
          break;
        case RuleTarget::Kind::kLogGroup: {
          ++st.written;
          const int lg = rule.targets[ti];
          if (lg >= 0) {
            std::string_view alternate = facts ? r.message : std::string_view();
            Deliver(static_cast<size_t>(lg), event_json, Shape::kEventBridge, alternate, ts, info, r,
                    plan_.RuleVia(ri));
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
                           int64_t ts, const EventInfo& info, const InputRecord& r, uint32_t via) {
  const LogGroupRt& lg = plan_.log_groups[lg_index];
  LogGroupStats& st = tally_.lg_stats[lg_index];
  ++st.messages;
  switch (shape) {
    case Shape::kRaw: ++st.raw; break;
    case Shape::kEventBridge: ++st.eventbridge; break;
    case Shape::kText: ++st.text; break;
  }
  tally_.store.RecordIngested(lg.region, lg.name, ts);
  if (lg.filters.empty()) return;
  if (options_.findings && !field_pending_[lg_index].empty()) LookForFields(lg_index, message, r);
  lg.set->Evaluate(message, fs_);
  if (fs_.json_unparsed() && unevaluated_at_ != tally_.records) {
    // Reported once per record, however many log groups it reaches.
    unevaluated_at_ = tally_.records;
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
    FilterStats& fst = tally_.filter_stats[fi];
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
      tally_.store.RecordMatch(static_cast<MetricStore::FilterId>(fi), ts, value, dims_);
    } else {
      tally_.store.RecordFilterMatches(static_cast<MetricStore::FilterId>(fi), ts);
    }
    if (callbacks_ && callbacks_->on_match) callbacks_->on_match(f.config->name, lg.name, message, value);
    counted_.push_back(fi);
    std::string_view id = info.id;
    if (options_.findings && id.empty() && shape != Shape::kText) {
      id = FindStringField(message, "\"eventID\":\"");
    }
    // Double counting needs every counted event's id (memory grows with the matches): findings only.
    if (options_.findings && !id.empty()) {
      DoubleCount& d = tally_.double_counts[Key2(f.metric, id)];
      Delivery at;
      at.ordinal = OrdinalOf(r.file);
      at.index = r.index;
      at.line = r.line;
      at.offset = r.offset;
      at.file = tally_.strings(r.file);
      at.via = via;
      if (d.count == 0) {
        std::string_view region = info.region.empty() ? FindStringField(message, "\"awsRegion\":\"") : info.region;
        d.name = info.name.empty() ? nullptr : tally_.strings(info.name);
        d.region = region.empty() ? nullptr : tally_.strings(region);
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
      tally_.Found(FindingKind::kShapeMismatch, IndexKey(fi)).Add(MakeExample(r, info.id, info.region, info.time,
                                     std::string(shape == Shape::kRaw ? "raw CloudTrail record via "
                                                                      : "EventBridge event via ") +
                                         plan_.vias[via]),
                         options_.max_examples);
    }
  }
}

void ReplayWorker::LookForFields(size_t lg, std::string_view message, const InputRecord& r) {
  if (!LooksLikeJsonDocument(message)) return;
  ++tally_.json_messages[lg];
  const std::vector<WatchedField>& fields = plan_.log_groups[lg].fields;
  std::vector<uint32_t>& pending = field_pending_[lg];
  std::vector<FieldSeen>& seen = tally_.fields[lg];
  // A message is walked when it may have a field not seen yet, or is in the sample (whose walks are the
  // only ones that say how far a path got: a function of the messages alone). The literal test is a fast
  // path: TRAILWATCH_NO_FAST_PATHS=prefilter walks every message, with the same findings.
  const bool sampled = SampledForFields(message, r);
  bool walk = sampled || !options_.fast_paths.prefilter;
  if (!walk) {
    const bool escapes = HasKeyEscapes(message);
    const size_t literals = plan_.log_groups[lg].field_literals.size();
    if (literal_memo_.size() < literals) literal_memo_.resize(literals);
    std::fill_n(literal_memo_.begin(), literals, int8_t{0});
    int8_t* memo = literal_memo_.data();
    for (uint32_t k : pending) {
      // The key the path stopped at so far is the likeliest to be absent: test it first.
      const WatchedField& f = fields[k];
      const size_t first = seen[k].examined ? seen[k].depth : f.steps.size() - 1;
      if (!MayHave(message, f, first, escapes, memo)) continue;
      bool all = true;
      for (size_t i = 0; i < f.steps.size() && all; ++i) all = MayHave(message, f, i, escapes, memo);
      if (all) {
        walk = true;
        break;
      }
    }
  }
  if (!walk) return;
  simdjson::dom::element root;
  field_text_.assign(message.data(), message.size());
  field_text_.append(simdjson::SIMDJSON_PADDING, '\0');
  auto doc = field_dom_.parse(field_text_.data(), message.size(), false);
  if (doc.error() == simdjson::NUMBER_ERROR) {
    std::string rewritten;
    if (QuoteUnrepresentableNumbers(message, &rewritten)) {
      const size_t size = rewritten.size();
      field_text_ = std::move(rewritten);
      field_text_.append(simdjson::SIMDJSON_PADDING, '\0');
      doc = field_dom_.parse(field_text_.data(), size, false);
    }
  }
  if (doc.get(root) != simdjson::SUCCESS) return;  // not JSON: no filter reads its fields either
  for (size_t p = 0; p < pending.size();) {
    const uint32_t k = pending[p];
    WalkField(root, fields[k], &field_walk_);
    if (field_walk_.present) {
      seen[k].present = true;
      pending[p] = pending.back();
      pending.pop_back();
      continue;
    }
    if (sampled) {
      const uint32_t depth = field_walk_.depth;
      seen[k].Add(depth, field_walk_.near, [&] {
        const WatchedField& f = fields[k];
        std::string detail;
        if (!field_walk_.near.empty()) {
          detail = "has `" + FieldPathWithKey(f.steps, depth, *field_walk_.near.begin(), false) + "`";
        } else if (depth > 0) {
          detail = "has `" + FieldPath(f.steps, depth) + "` but not `" + f.path + "`";
        }
        return MakeExample(r, {}, {}, {}, std::move(detail));
      });
    }
    ++p;
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
      Counter& c = tally_.Found(FindingKind::kUncoveredRegion, std::string(f.aws_region));
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
      tally_.Found(FindingKind::kMissed, IndexKey(fi)).Add(MakeExample(r, f.event_id, f.aws_region, f.event_time, f.event_name), options_.max_examples);
    }
  }
}

}  // namespace trailwatch::engine
