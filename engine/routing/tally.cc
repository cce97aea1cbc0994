// tally.cc: Tally::Merge and the helpers of double counting. See tally.h.
#include "engine/routing/tally.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <tuple>

namespace trailwatch::engine {

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
Example ExampleOfDoubleCount(const DoubleCount& d, std::string_view event_id, const std::vector<std::string>& vias,
                             std::set<std::string>& paths) {
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
    detail += vias[all[i].via];
    paths.insert(vias[all[i].via]);
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

// Eight hex digits: fixed width sorts in index order, and fits the short-string buffer (no allocation per
// finding counted; a plan has far fewer than 2^32 filters).
std::string IndexKey(size_t index) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%08zx", index);
  return buf;
}

size_t IndexOfKey(const std::string& key) { return static_cast<size_t>(std::strtoull(key.c_str(), nullptr, 16)); }

void FieldSeen::Merge(FieldSeen&& o) {
  const bool any = present || o.present;
  if (o.examined && (!examined || o.depth > depth)) {
    *this = std::move(o);
  } else if (o.examined && o.depth == depth) {
    near.merge(o.near);
    // The example with a near key first, then the earliest: as one worker reading both inputs keeps it.
    if ((o.example_near && !example_near) || (o.example_near == example_near && o.example < example)) {
      example = std::move(o.example);
      example_near = o.example_near;
    }
  }
  present = any;
}

void Tally::Resize(size_t log_groups, size_t rules, size_t filters) {
  lg_stats.resize(log_groups);
  rule_stats.resize(rules);
  filter_stats.resize(filters);
}

void Tally::Merge(Tally&& o, size_t max) {
  store.Merge(o.store);
  for (size_t i = 0; i < lg_stats.size() && i < o.lg_stats.size(); ++i) {
    lg_stats[i].messages += o.lg_stats[i].messages;
    lg_stats[i].raw += o.lg_stats[i].raw;
    lg_stats[i].eventbridge += o.lg_stats[i].eventbridge;
    lg_stats[i].text += o.lg_stats[i].text;
  }
  for (size_t i = 0; i < rule_stats.size() && i < o.rule_stats.size(); ++i) {
    rule_stats[i].matched += o.rule_stats[i].matched;
    rule_stats[i].forwarded += o.rule_stats[i].forwarded;
    rule_stats[i].written += o.rule_stats[i].written;
    rule_stats[i].not_simulated += o.rule_stats[i].not_simulated;
  }
  for (size_t i = 0; i < filter_stats.size() && i < o.filter_stats.size(); ++i) {
    filter_stats[i].matches += o.filter_stats[i].matches;
    filter_stats[i].raw += o.filter_stats[i].raw;
    filter_stats[i].eventbridge += o.filter_stats[i].eventbridge;
    filter_stats[i].text += o.filter_stats[i].text;
  }
  records += o.records;
  cloudtrail += o.cloudtrail;
  eventbridge += o.eventbridge;
  other += o.other;
  min_ts = std::min(min_ts, o.min_ts);
  max_ts = std::max(max_ts, o.max_ts);
  for (auto& [k, c] : o.found) found[k].Merge(std::move(c), max);
  // The deliveries of `o` point into its Interner, which this tally takes over.
  strings.Merge(std::move(o.strings));
  for (auto& [k, d] : o.double_counts) {
    DoubleCount& into = double_counts[k];
    if (into.count == 0) {
      into = std::move(d);
      continue;
    }
    // `first` stays the earliest counting in input order (a worker's first is its earliest: it reads its
    // files in input order), whose name, Region and time the example shows, as with one thread; the
    // deliveries stay grouped by worker, so one record's keep their order (ExampleOfDoubleCount sorts
    // stably).
    if (EarlierDelivery(d.first, into.first)) std::swap(into, d);
    into.count += d.count;
    into.more.push_back(d.first);
    into.more.insert(into.more.end(), d.more.begin(), d.more.end());
  }
  for (auto& [k, n] : o.problems_by_kind) problems_by_kind[k] += n;
  problems.insert(problems.end(), o.problems.begin(), o.problems.end());
  for (auto& [file, n] : o.rejected) rejected[file] += n;
  if (fields.size() < o.fields.size()) fields.resize(o.fields.size());
  for (size_t g = 0; g < o.fields.size(); ++g) {
    if (fields[g].size() < o.fields[g].size()) fields[g].resize(o.fields[g].size());
    for (size_t k = 0; k < o.fields[g].size(); ++k) fields[g][k].Merge(std::move(o.fields[g][k]));
  }
  if (json_messages.size() < o.json_messages.size()) json_messages.resize(o.json_messages.size());
  for (size_t g = 0; g < o.json_messages.size(); ++g) json_messages[g] += o.json_messages[g];
  o = Tally();
}

}  // namespace trailwatch::engine
