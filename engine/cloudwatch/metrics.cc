// metrics.cc: MetricStore (per-minute CloudWatch statistics, defaultValue, cardinality), ExactSum and period
// re-aggregation. See metrics.h for the contract; the UTC time helpers are in time.cc.
#include "engine/cloudwatch/metrics.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <tuple>

namespace trailwatch::engine {
namespace {

// The "None" unit: what CloudWatch records when a metric filter names no unit.
std::string UnitName(std::string_view unit) { return unit.empty() ? std::string("None") : std::string(unit); }

// FNV-1a over the canonical dimension list: stable across runs and platforms.
uint64_t HashDimensions(const Dimensions& dims) {
  uint64_t h = 0xcbf29ce484222325ULL;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 0x100000001b3ULL;
    }
    h ^= 0xff;  // separator no byte of UTF-8 text produces
    h *= 0x100000001b3ULL;
  };
  for (const auto& [name, value] : dims) {
    mix(name);
    mix(value);
  }
  return h;
}

// Adds `count` samples of `value` to an exact sum without rounding: count is split into 32-bit halves, each
// product is computed with its exact rounding error (fma).
void AddRepeated(ExactSum& sum, double value, uint64_t count) {
  const double parts[2] = {static_cast<double>(count & 0xffffffffULL),
                           static_cast<double>(count >> 32) * 4294967296.0};
  for (double part : parts) {
    if (part == 0) continue;
    double p = part * value;
    double e = std::fma(part, value, -p);
    sum.Add(p);
    if (e != 0) sum.Add(e);
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------
// Helpers

bool IsAcceptedMetricValue(double value) {
  if (!std::isfinite(value)) return false;
  if (value == 0) return true;
  double m = std::fabs(value);
  return m >= std::ldexp(1.0, -360) && m <= std::ldexp(1.0, 360);
}

MetricKey MakeMetricKey(std::string region, std::string metric_namespace, std::string name,
                        Dimensions dimensions) {
  std::stable_sort(dimensions.begin(), dimensions.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  Dimensions unique;
  unique.reserve(dimensions.size());
  for (auto& d : dimensions) {
    if (!unique.empty() && unique.back().first == d.first) {
      unique.back().second = std::move(d.second);  // last value wins
    } else {
      unique.push_back(std::move(d));
    }
  }
  return MetricKey{std::move(region), std::move(metric_namespace), std::move(name), std::move(unique)};
}

FilterSpec MakeFilterSpec(const MetricFilterConfig& c) {
  FilterSpec f;
  f.name = c.name;
  f.region = c.region;
  f.log_group = c.log_group;
  f.metric_namespace = c.transformation.metric_namespace;
  f.metric_name = c.transformation.metric_name;
  f.unit = c.transformation.unit;
  f.default_value = c.transformation.default_value;
  f.has_dimensions = !c.transformation.dimensions.empty();
  return f;
}

// ---------------------------------------------------------------------------------------------------------
// ExactSum: each Add keeps the partials non-overlapping, so their (infinite-precision) sum is exactly the
// sum of every value added; Value() rounds that sum once, correctly.

void ExactSum::Add(double x) {
  size_t i = 0;
  for (size_t j = 0; j < partials_.size(); ++j) {
    double y = partials_[j];
    if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
    double hi = x + y;
    double lo = y - (hi - x);
    if (lo != 0) partials_[i++] = lo;
    x = hi;
  }
  partials_.resize(i);
  if (x != 0) partials_.push_back(x);
}

void ExactSum::Add(const ExactSum& other) {
  if (&other == this) {
    std::vector<double> copy = partials_;
    for (double p : copy) Add(p);
    return;
  }
  for (double p : other.partials_) Add(p);
}

double ExactSum::Value() const {
  size_t n = partials_.size();
  if (n == 0) return 0.0;
  double hi = partials_[n - 1];
  double lo = 0;
  size_t i = n - 1;
  while (i > 0) {
    double x = hi;
    double y = partials_[--i];
    hi = x + y;
    double yr = hi - x;
    lo = y - yr;
    if (lo != 0) break;
  }
  // Round half to even across the remaining partials: if the rest has the sign of `lo`, the exact sum is
  // past the halfway point hi + lo, so round away.
  if (i > 0 && ((lo < 0 && partials_[i - 1] < 0) || (lo > 0 && partials_[i - 1] > 0))) {
    double y = lo * 2;
    double x = hi + y;
    double yr = x - hi;
    if (y == yr) hi = x;
  }
  return hi;
}

// ---------------------------------------------------------------------------------------------------------
// Statistics

void Statistics::Combine(const Statistics& o) {
  if (o.sample_count == 0) return;
  if (sample_count == 0) {
    *this = o;
    return;
  }
  sample_count += o.sample_count;
  sum += o.sum;
  minimum = std::min(minimum, o.minimum);
  maximum = std::max(maximum, o.maximum);
}

Result<std::vector<Datapoint>> AggregatePeriods(const std::vector<Datapoint>& minutes, int period_seconds) {
  if (period_seconds <= 0 || period_seconds % 60 != 0) {
    return Diagnostic{.exception = "InvalidParameterValue",
                      .message = "metric datapoints are per minute: a period must be a positive multiple of 60 "
                                 "seconds, not " + std::to_string(period_seconds)};
  }
  const int64_t period_ms = static_cast<int64_t>(period_seconds) * 1000;
  std::vector<Datapoint> out;
  for (const Datapoint& dp : minutes) {
    if (dp.stats.sample_count == 0) continue;
    int64_t start = FloorDiv(dp.timestamp_ms, period_ms) * period_ms;
    if (out.empty() || out.back().timestamp_ms != start) {
      if (!out.empty() && out.back().timestamp_ms > start) {
        // Unsorted input: fall back to a keyed merge (rare; Series() output is sorted).
        auto it = std::lower_bound(out.begin(), out.end(), start,
                                   [](const Datapoint& a, int64_t t) { return a.timestamp_ms < t; });
        if (it != out.end() && it->timestamp_ms == start) {
          it->stats.Combine(dp.stats);
        } else {
          out.insert(it, Datapoint{start, dp.stats});
        }
        continue;
      }
      out.push_back(Datapoint{start, {}});
    }
    out.back().stats.Combine(dp.stats);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// MetricStore

void MetricStore::Bucket::AddValue(double v) {
  if (count == 0) {
    minimum = maximum = v;
  } else {
    minimum = std::min(minimum, v);
    maximum = std::max(maximum, v);
  }
  ++count;
  sum.Add(v);
}

void MetricStore::Bucket::AddBucket(const Bucket& b) {
  if (b.count == 0) return;
  if (count == 0) {
    minimum = b.minimum;
    maximum = b.maximum;
  } else {
    minimum = std::min(minimum, b.minimum);
    maximum = std::max(maximum, b.maximum);
  }
  count += b.count;
  sum.Add(b.sum);
}

std::string MetricStore::FilterKeyOf(const FilterSpec& spec) {
  std::string k = spec.region;
  k.push_back('\0');
  k += spec.log_group;
  k.push_back('\0');
  k += spec.name;
  return k;
}

MetricStore::SeriesData& MetricStore::SeriesFor(const MetricKey& key) { return series_[key]; }

MetricStore::FilterId MetricStore::AddFilter(const FilterSpec& spec) {
  std::string fkey = FilterKeyOf(spec);
  auto it = filter_ids_.find(fkey);
  if (it != filter_ids_.end()) return it->second;
  FilterId id = static_cast<FilterId>(filters_.size());
  FilterData f;
  f.spec = spec;
  f.key = fkey;
  f.base_key = MakeMetricKey(spec.region, spec.metric_namespace, spec.metric_name);
  filters_.push_back(std::move(f));
  filter_ids_.emplace(fkey, id);
  if (!spec.has_dimensions) {
    SeriesData& sd = SeriesFor(filters_.back().base_key);
    sd.filters.insert(fkey);
    sd.units.try_emplace(UnitName(spec.unit), 0);
  }
  return id;
}

void MetricStore::RecordIngested(std::string_view region, std::string_view log_group, int64_t timestamp_ms,
                                 uint64_t events) {
  if (events == 0) return;
  if (!IsAcceptedTimestamp(timestamp_ms)) {
    ++rejected_timestamps_;
    return;
  }
  ingested_[LogGroupKey(region, log_group)][FloorDiv(timestamp_ms, kMinuteMs)] += events;
}

PublishStatus MetricStore::RecordFilterMatches(FilterId filter, int64_t timestamp_ms, uint64_t matches) {
  if (filter >= filters_.size()) return PublishStatus::kUnknownFilter;
  if (!IsAcceptedTimestamp(timestamp_ms)) {
    ++rejected_timestamps_;
    return PublishStatus::kRejectedTimestamp;
  }
  if (matches > 0) filters_[filter].matches[FloorDiv(timestamp_ms, kMinuteMs)] += matches;
  return PublishStatus::kOk;
}

PublishStatus MetricStore::RecordMatch(FilterId filter, int64_t timestamp_ms, std::optional<double> value,
                                       const Dimensions& dimensions) {
  PublishStatus st = RecordFilterMatches(filter, timestamp_ms, 1);
  if (st != PublishStatus::kOk || !value) return st;
  FilterData& f = filters_[filter];
  const FilterSpec& spec = f.spec;
  SeriesData* sdp = nullptr;
  if (dimensions.empty()) {
    sdp = &SeriesFor(f.base_key);  // no key to build: the common case costs one map lookup
  } else {
    MetricKey key = MakeMetricKey(spec.region, spec.metric_namespace, spec.metric_name, dimensions);
    f.dims_by_hour[FloorDiv(timestamp_ms, kHourMs)].insert(HashDimensions(key.dimensions));
    sdp = &SeriesFor(key);
  }
  SeriesData& sd = *sdp;
  if (sd.filters.find(f.key) == sd.filters.end()) sd.filters.insert(f.key);
  if (!IsAcceptedMetricValue(*value)) {
    ++sd.rejected;
    ++rejected_values_;
    return PublishStatus::kRejectedValue;
  }
  ++sd.units[UnitName(spec.unit)];
  sd.minutes[FloorDiv(timestamp_ms, kMinuteMs)].AddValue(*value);
  return PublishStatus::kOk;
}

PublishStatus MetricStore::Add(const MetricKey& key, std::string_view unit, int64_t timestamp_ms, double value) {
  if (!IsAcceptedTimestamp(timestamp_ms)) {
    ++rejected_timestamps_;
    return PublishStatus::kRejectedTimestamp;
  }
  MetricKey canonical = MakeMetricKey(key.region, key.metric_namespace, key.name, key.dimensions);
  SeriesData& sd = SeriesFor(canonical);
  if (!IsAcceptedMetricValue(value)) {
    ++sd.rejected;
    ++rejected_values_;
    return PublishStatus::kRejectedValue;
  }
  ++sd.units[UnitName(unit)];
  sd.minutes[FloorDiv(timestamp_ms, kMinuteMs)].AddValue(value);
  return PublishStatus::kOk;
}

void MetricStore::Merge(const MetricStore& other) {
  if (&other == this) return;  // merging a store into itself would double it: refuse silently
  for (const FilterData& of : other.filters_) {
    FilterId id = AddFilter(of.spec);
    FilterData& f = filters_[id];
    for (const auto& [minute, n] : of.matches) f.matches[minute] += n;
    for (const auto& [hour, hashes] : of.dims_by_hour) f.dims_by_hour[hour].insert(hashes.begin(), hashes.end());
  }
  for (const auto& [lg, minutes] : other.ingested_) {
    auto& mine = ingested_[lg];
    for (const auto& [minute, n] : minutes) mine[minute] += n;
  }
  for (const auto& [key, osd] : other.series_) {
    SeriesData& sd = SeriesFor(key);
    for (const auto& [unit, n] : osd.units) sd.units[unit] += n;
    for (const auto& [minute, bucket] : osd.minutes) sd.minutes[minute].AddBucket(bucket);
    sd.filters.insert(osd.filters.begin(), osd.filters.end());
    sd.rejected += osd.rejected;
  }
  rejected_values_ += other.rejected_values_;
  rejected_timestamps_ += other.rejected_timestamps_;
}

std::vector<MetricSeries> MetricStore::Series() const {
  // defaultValue samples per metric and minute, computed from the raw observations (so Merge() stays a
  // plain union of observations).
  std::map<MetricKey, std::map<int64_t, Bucket>> defaults;
  for (const FilterData& f : filters_) {
    if (!f.spec.default_value || f.spec.has_dimensions) continue;
    double d = *f.spec.default_value;
    if (!IsAcceptedMetricValue(d)) continue;
    auto ing = ingested_.find(LogGroupKey(f.spec.region, f.spec.log_group));
    if (ing == ingested_.end()) continue;
    const MetricKey& key = f.base_key;
    for (const auto& [minute, events] : ing->second) {
      if (events == 0) continue;
      auto m = f.matches.find(minute);
      if (m != f.matches.end() && m->second > 0) continue;
      Bucket b;
      b.count = events;
      b.minimum = b.maximum = d;
      AddRepeated(b.sum, d, events);
      defaults[key][minute].AddBucket(b);
    }
  }

  std::vector<MetricSeries> out;
  out.reserve(series_.size());
  for (const auto& [key, sd] : series_) {
    MetricSeries s;
    s.key = key;
    std::string unit;
    size_t units_used = 0;
    for (const auto& [u, n] : sd.units) {
      if (unit.empty()) unit = u;
      ++units_used;
    }
    s.unit = unit.empty() ? "None" : unit;
    s.unit_conflict = units_used > 1;
    std::set<std::string> names, groups;
    for (const std::string& fk : sd.filters) {
      size_t a = fk.find('\0');
      size_t b = fk.find('\0', a + 1);
      groups.insert(fk.substr(a + 1, b - a - 1));
      names.insert(fk.substr(b + 1));
    }
    s.filters.assign(names.begin(), names.end());
    s.log_groups.assign(groups.begin(), groups.end());
    s.rejected_values = sd.rejected;

    const std::map<int64_t, Bucket>* def = nullptr;
    if (auto it = defaults.find(key); it != defaults.end()) def = &it->second;
    std::map<int64_t, Bucket> merged;
    const std::map<int64_t, Bucket>* minutes = &sd.minutes;
    if (def) {
      merged = sd.minutes;
      for (const auto& [minute, b] : *def) {
        merged[minute].AddBucket(b);
        s.default_samples += b.count;
      }
      minutes = &merged;
    }
    Bucket total;
    s.datapoints.reserve(minutes->size());
    for (const auto& [minute, b] : *minutes) {
      if (b.count == 0) continue;
      s.datapoints.push_back(Datapoint{minute * kMinuteMs, Statistics{b.count, b.sum.Value(), b.minimum, b.maximum}});
      total.AddBucket(b);
    }
    s.total = Statistics{total.count, total.sum.Value(), total.minimum, total.maximum};
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<CardinalityExcess> MetricStore::CardinalityExceeded(uint64_t limit) const {
  std::vector<CardinalityExcess> out;
  for (const FilterData& f : filters_) {
    for (const auto& [hour, hashes] : f.dims_by_hour) {
      if (hashes.size() >= limit) {
        out.push_back(CardinalityExcess{f.spec.name, f.spec.region, f.spec.log_group, hour * kHourMs,
                                        static_cast<uint64_t>(hashes.size())});
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const CardinalityExcess& a, const CardinalityExcess& b) {
    return std::tie(a.filter, a.region, a.log_group, a.hour_start_ms) <
           std::tie(b.filter, b.region, b.log_group, b.hour_start_ms);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// JSON

}  // namespace trailwatch::engine
