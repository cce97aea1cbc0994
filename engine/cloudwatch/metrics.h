// metrics.h: the metric store of a replay: what CloudWatch would hold after the metric filters published.
//
// Contract: a MetricStore receives what a replay observes (log events ingested per log group and minute,
// metric-filter matches with their values and dimensions) and aggregates published values per metric and
// per minute (floor(timestamp / 60 s)) into CloudWatch statistics: SampleCount, Sum, Minimum, Maximum
// (Average = Sum / SampleCount). Memory grows with metrics x minutes (and filters x minutes, log groups x
// minutes), never with events. One store per thread, then Merge(): the merged store is exactly equal to the
// store that would have seen every event, in any split and any order (sums are exact: see ExactSum).
// Series() materializes the result in a stable order, applying the metric filters' defaultValue rule:
//
//   a minute in which the filter's log group ingested K > 0 events and the filter matched none publishes
//   K samples of defaultValue (one per ingested event: the AWS user guide's example of two records per
//   minute and Default Value 0); a minute with at least one match publishes only the matches' values; a
//   minute with no ingested event publishes nothing.
//
// Dimension cardinality: the distinct dimension-value sets each filter publishes are counted per clock
// hour; CardinalityExceeded() lists the (filter, hour) pairs that reach the limit at which AWS may disable
// the filter (1,000). Values CloudWatch rejects (NaN, infinities, magnitudes outside [2^-360, 2^360] other
// than 0) and timestamps outside [1970, 10000) are refused and counted, never stored.
//
// The store never prints, throws or aborts; any input is safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/cloudwatch/time.h"
#include "engine/setup/setup.h"
#include "patterns/common/diagnostic.h"

namespace trailwatch::engine {

// Dimension name/value pairs. In a MetricKey they are sorted by name, names unique.
using Dimensions = std::vector<std::pair<std::string, std::string>>;

// Identifies a metric: CloudWatch metrics are regional, then (namespace, name, dimensions).
struct MetricKey {
  std::string region;            // "" when unknown: alarms then match it from any region
  std::string metric_namespace;
  std::string name;
  Dimensions dimensions;         // sorted by name

  friend auto operator<=>(const MetricKey&, const MetricKey&) = default;
  friend bool operator==(const MetricKey&, const MetricKey&) = default;
};

// Builds a key with its dimensions sorted by name; for a repeated name the last value wins.
MetricKey MakeMetricKey(std::string region, std::string metric_namespace, std::string name,
                        Dimensions dimensions = {});

// Order-independent exact sum of doubles (Shewchuk's non-overlapping partials). Value() is the exact sum
// rounded to nearest (ties to even), so it does not depend on the order of Add() calls or on how the values
// were split between sums that were then added together. Inputs must be finite (the store guarantees it).
class ExactSum {
 public:
  void Add(double x);
  void Add(const ExactSum& other);
  double Value() const;
  bool empty() const { return partials_.empty(); }

 private:
  std::vector<double> partials_;  // non-overlapping, increasing magnitude
};

// CloudWatch statistics of a set of samples. With sample_count == 0 the other fields are 0.
struct Statistics {
  uint64_t sample_count = 0;
  double sum = 0;
  double minimum = 0;
  double maximum = 0;

  double Average() const { return sample_count == 0 ? 0.0 : sum / static_cast<double>(sample_count); }
  // Adds another period's statistics (sums are added as doubles: use for re-aggregation of rounded sums).
  void Combine(const Statistics& other);
  friend bool operator==(const Statistics&, const Statistics&) = default;
};

// The statistics of one period starting at timestamp_ms (UTC milliseconds, aligned to the period).
struct Datapoint {
  int64_t timestamp_ms = 0;
  Statistics stats;
  friend bool operator==(const Datapoint&, const Datapoint&) = default;
};

// One metric as materialized by MetricStore::Series().
struct MetricSeries {
  MetricKey key;
  std::string unit;                      // "None" when not set; on conflicting units the smallest name
  bool unit_conflict = false;            // values were published with different units
  std::vector<std::string> filters;      // metric filters that publish it, sorted
  std::vector<std::string> log_groups;   // their log groups, sorted
  std::vector<Datapoint> datapoints;     // one per minute with samples, ascending
  Statistics total;                      // over all minutes
  uint64_t default_samples = 0;          // samples that came from defaultValue
  uint64_t rejected_values = 0;          // values CloudWatch would refuse
};

// A metric filter as the store needs it (MetricFilterConfig after validation).
struct FilterSpec {
  std::string name;
  std::string region;
  std::string log_group;
  std::string metric_namespace;
  std::string metric_name;
  std::string unit;                      // "" = None
  std::optional<double> default_value;
  bool has_dimensions = false;           // AWS refuses defaultValue together with dimensions
};

// The FilterSpec of a loaded metric filter (its one metric transformation).
FilterSpec MakeFilterSpec(const MetricFilterConfig& config);

// A (filter, hour) whose distinct dimension-value sets reached the limit.
struct CardinalityExcess {
  std::string filter;
  std::string region;
  std::string log_group;
  int64_t hour_start_ms = 0;
  uint64_t distinct = 0;                 // distinct dimension-value sets published in that hour
};

inline constexpr uint64_t kDimensionValuesPerHourLimit = 1000;

enum class PublishStatus {
  kOk,
  kRejectedValue,      // NaN, +-Infinity, or |value| outside [2^-360, 2^360] (and not 0)
  kRejectedTimestamp,  // before 1970 or from year 10000 on
  kUnknownFilter,      // a FilterId this store did not hand out
};

class MetricStore {
 public:
  using FilterId = uint32_t;

  // Declares a metric filter. Idempotent on (region, log_group, name): declaring it again returns the same
  // id (the first declaration's spec is kept). Stores of one replay may declare filters in any order.
  FilterId AddFilter(const FilterSpec& spec);

  // `events` log events were ingested by log group (region, log_group) in the minute of timestamp_ms.
  void RecordIngested(std::string_view region, std::string_view log_group, int64_t timestamp_ms,
                      uint64_t events = 1);

  // The filter matched `matches` events in the minute of timestamp_ms, without publishing values (e.g. the
  // metric value could not be extracted). Such a minute publishes no defaultValue.
  PublishStatus RecordFilterMatches(FilterId filter, int64_t timestamp_ms, uint64_t matches = 1);

  // The filter matched one event: counts the match and publishes `value` (if any) on the filter's metric
  // with `dimensions` (any order; empty for a filter without dimensions). A rejected value still counts as a
  // match (the event matched; CloudWatch refused the datum).
  PublishStatus RecordMatch(FilterId filter, int64_t timestamp_ms, std::optional<double> value,
                            const Dimensions& dimensions = {});

  // Publishes one value directly on a metric (no filter bookkeeping). `unit` "" means None.
  PublishStatus Add(const MetricKey& key, std::string_view unit, int64_t timestamp_ms, double value);

  // Adds everything `other` recorded. Filters are matched by (region, log_group, name).
  void Merge(const MetricStore& other);

  // Every metric with its per-minute datapoints, defaultValue applied, sorted by key. A declared filter
  // without dimensions always has its series (possibly without datapoints: "the filter never published").
  std::vector<MetricSeries> Series() const;

  // (filter, hour) pairs whose distinct dimension-value sets reach `limit`, by filter then hour.
  std::vector<CardinalityExcess> CardinalityExceeded(uint64_t limit = kDimensionValuesPerHourLimit) const;

  uint64_t rejected_values() const { return rejected_values_; }
  uint64_t rejected_timestamps() const { return rejected_timestamps_; }

 private:
  struct Bucket {
    uint64_t count = 0;
    double minimum = 0;
    double maximum = 0;
    ExactSum sum;
    void AddValue(double v);
    void AddBucket(const Bucket& b);
  };
  struct SeriesData {
    std::map<std::string, uint64_t> units;   // unit -> samples published with it
    std::map<int64_t, Bucket> minutes;       // minute index -> bucket
    std::set<std::string> filters;           // "region\0log_group\0name" of the filters feeding it
    uint64_t rejected = 0;
  };
  struct FilterData {
    FilterSpec spec;
    std::string key;                                    // FilterKeyOf(spec)
    MetricKey base_key;                                 // the metric without dimensions
    std::map<int64_t, uint64_t> matches;                // minute -> matched events
    std::map<int64_t, std::set<uint64_t>> dims_by_hour; // hour -> hashes of distinct dimension sets
  };
  using LogGroupKey = std::pair<std::string, std::string>;  // (region, name)

  SeriesData& SeriesFor(const MetricKey& key);
  static std::string FilterKeyOf(const FilterSpec& spec);

  std::map<MetricKey, SeriesData> series_;
  std::vector<FilterData> filters_;
  std::map<std::string, FilterId> filter_ids_;             // FilterKeyOf -> id
  std::map<LogGroupKey, std::map<int64_t, uint64_t>> ingested_;
  uint64_t rejected_values_ = 0;
  uint64_t rejected_timestamps_ = 0;
};

// Re-aggregates minute datapoints (ascending) into periods of `period_seconds`, a positive multiple of 60,
// aligned to the epoch (a minute starting at t belongs to the period starting at floor(t / period) *
// period). Only periods with samples are returned. Errors for other periods.
Result<std::vector<Datapoint>> AggregatePeriods(const std::vector<Datapoint>& minutes, int period_seconds);

// Whether CloudWatch accepts `value` as a datum (finite, 0 or magnitude within [2^-360, 2^360]).
bool IsAcceptedMetricValue(double value);



}  // namespace trailwatch::engine
