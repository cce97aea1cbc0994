// metrics_test.cc: the metric store: per-minute aggregation, exact sums, merge equivalence (randomized
// splits), the defaultValue rule (the AWS user guide's example), period re-aggregation, dimension
// cardinality, refused values, JSON shape and timestamp helpers.
#include "engine/cloudwatch/metrics.h"

#include <algorithm>
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "engine/routing/result.h"  // MetricsToJson, AlarmsToJson, JsonNumber

namespace trailwatch::engine {
namespace {

const int64_t kT0 = *ParseIsoUtc("2023-07-10T12:00:00Z");
constexpr int64_t kMin = 60'000;

FilterSpec Filter(std::string name, std::optional<double> default_value = std::nullopt, bool dims = false) {
  FilterSpec f;
  f.name = std::move(name);
  f.region = "us-east-1";
  f.log_group = "/aws/events/console-login";
  f.metric_namespace = "CloudTrailMetrics";
  f.metric_name = f.name + "Metric";
  f.unit = "Count";
  f.default_value = default_value;
  f.has_dimensions = dims;
  return f;
}

void ExpectSameSeries(const std::vector<MetricSeries>& a, const std::vector<MetricSeries>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE(a[i].key.name);
    EXPECT_EQ(a[i].key, b[i].key);
    EXPECT_EQ(a[i].unit, b[i].unit);
    EXPECT_EQ(a[i].unit_conflict, b[i].unit_conflict);
    EXPECT_EQ(a[i].filters, b[i].filters);
    EXPECT_EQ(a[i].log_groups, b[i].log_groups);
    EXPECT_EQ(a[i].default_samples, b[i].default_samples);
    EXPECT_EQ(a[i].rejected_values, b[i].rejected_values);
    EXPECT_EQ(a[i].total, b[i].total);
    ASSERT_EQ(a[i].datapoints.size(), b[i].datapoints.size());
    for (size_t j = 0; j < a[i].datapoints.size(); ++j) EXPECT_EQ(a[i].datapoints[j], b[i].datapoints[j]) << j;
  }
}

TEST(MetricStoreTest, AggregatesPerMinute) {
  MetricStore store;
  MetricKey key = MakeMetricKey("us-east-1", "NS", "M");
  EXPECT_EQ(store.Add(key, "Count", kT0 + 1'000, 1), PublishStatus::kOk);
  EXPECT_EQ(store.Add(key, "Count", kT0 + 59'999, 5), PublishStatus::kOk);
  EXPECT_EQ(store.Add(key, "Count", kT0 + 60'000, -2), PublishStatus::kOk);
  auto series = store.Series();
  ASSERT_EQ(series.size(), 1u);
  const MetricSeries& s = series[0];
  EXPECT_EQ(s.unit, "Count");
  ASSERT_EQ(s.datapoints.size(), 2u);
  EXPECT_EQ(s.datapoints[0].timestamp_ms, kT0);
  EXPECT_EQ(s.datapoints[0].stats, (Statistics{2, 6, 1, 5}));
  EXPECT_EQ(s.datapoints[0].stats.Average(), 3);
  EXPECT_EQ(s.datapoints[1].timestamp_ms, kT0 + kMin);
  EXPECT_EQ(s.datapoints[1].stats, (Statistics{1, -2, -2, -2}));
  EXPECT_EQ(s.total, (Statistics{3, 4, -2, 5}));
}

TEST(MetricStoreTest, DimensionsAreSortedAndIdentifyMetrics) {
  MetricStore store;
  store.Add(MakeMetricKey("r", "NS", "M", {{"b", "2"}, {"a", "1"}}), "", kT0, 1);
  store.Add(MakeMetricKey("r", "NS", "M", {{"a", "1"}, {"b", "2"}}), "", kT0, 1);
  store.Add(MakeMetricKey("r", "NS", "M", {{"a", "1"}}), "", kT0, 1);
  auto series = store.Series();
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[0].key.dimensions, (Dimensions{{"a", "1"}}));
  EXPECT_EQ(series[1].key.dimensions, (Dimensions{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(series[1].total.sample_count, 2u);
  EXPECT_EQ(series[0].unit, "None");
  // A repeated dimension name keeps the last value.
  EXPECT_EQ(MakeMetricKey("", "", "", {{"a", "1"}, {"a", "2"}}).dimensions, (Dimensions{{"a", "2"}}));
}

TEST(MetricStoreTest, SeriesOrderIsStable) {
  MetricStore a, b;
  std::vector<MetricKey> keys = {MakeMetricKey("us-east-1", "B", "x"), MakeMetricKey("eu-west-1", "A", "y"),
                                 MakeMetricKey("us-east-1", "A", "z", {{"d", "1"}}),
                                 MakeMetricKey("us-east-1", "A", "z")};
  for (const auto& k : keys) a.Add(k, "", kT0, 1);
  for (auto it = keys.rbegin(); it != keys.rend(); ++it) b.Add(*it, "", kT0, 1);
  auto sa = a.Series(), sb = b.Series();
  ExpectSameSeries(sa, sb);
  EXPECT_TRUE(std::is_sorted(sa.begin(), sa.end(), [](const auto& x, const auto& y) { return x.key < y.key; }));
}

TEST(ExactSumTest, IsExactAndOrderIndependent) {
  ExactSum s;
  s.Add(1e100);
  s.Add(1.0);
  s.Add(-1e100);
  EXPECT_EQ(s.Value(), 1.0);
  std::mt19937_64 rng(42);
  std::vector<double> values;
  std::uniform_real_distribution<double> mant(-1, 1);
  std::uniform_int_distribution<int> exp(-60, 60);
  for (int i = 0; i < 2000; ++i) values.push_back(std::ldexp(mant(rng), exp(rng)));
  ExactSum ref;
  for (double v : values) ref.Add(v);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(values.begin(), values.end(), rng);
    // Split into random chunks, sum each, add the chunks together.
    ExactSum total;
    size_t i = 0;
    while (i < values.size()) {
      size_t len = 1 + rng() % 300;
      ExactSum chunk;
      for (size_t j = i; j < std::min(values.size(), i + len); ++j) chunk.Add(values[j]);
      total.Add(chunk);
      i += len;
    }
    EXPECT_EQ(total.Value(), ref.Value());
  }
  ExactSum tenth;
  for (int i = 0; i < 10; ++i) tenth.Add(0.1);
  EXPECT_EQ(tenth.Value(), 1.0);  // correctly rounded, unlike naive summation (0.9999999999999999)
  ExactSum empty;
  EXPECT_EQ(empty.Value(), 0.0);
}

// The same observations split across stores in random ways, in random order, merged in random order, must
// give exactly the single store's result.
TEST(MetricStoreTest, MergeEqualsSingleStoreRandomized) {
  struct Obs {
    int kind;  // 0 ingest, 1 match with value, 2 match without value, 3 direct Add
    int filter;
    int64_t ts;
    double value;
    uint64_t count;
    Dimensions dims;
  };
  std::mt19937_64 rng(7);
  std::vector<FilterSpec> filters = {Filter("Success", 0.0), Filter("Failure"), Filter("ByUser", std::nullopt, true),
                                     Filter("Half", 0.5)};
  filters[3].log_group = "/other";
  for (int trial = 0; trial < 30; ++trial) {
    SCOPED_TRACE(trial);
    std::vector<Obs> obs;
    std::uniform_int_distribution<int64_t> minute(0, 240);
    const double values[] = {1, 0.1, 2.5, -3, 1e-3, 123456.789, 1e15, 0};
    for (int i = 0; i < 3000; ++i) {
      Obs o;
      o.kind = static_cast<int>(rng() % 4);
      o.filter = static_cast<int>(rng() % filters.size());
      o.ts = kT0 + minute(rng) * kMin + static_cast<int64_t>(rng() % kMin);
      o.value = values[rng() % std::size(values)];
      o.count = 1 + rng() % 3;
      if (filters[o.filter].has_dimensions) o.dims = {{"user", "u" + std::to_string(rng() % 1100)}};
      if (rng() % 50 == 0) o.value = std::nan("");
      obs.push_back(o);
    }
    auto apply = [&](MetricStore& st, const Obs& o) {
      const FilterSpec& f = filters[o.filter];
      MetricStore::FilterId id = st.AddFilter(f);
      switch (o.kind) {
        case 0: st.RecordIngested(f.region, f.log_group, o.ts, o.count); break;
        case 1: (void)st.RecordMatch(id, o.ts, o.value, o.dims); break;
        case 2: (void)st.RecordMatch(id, o.ts, std::nullopt, o.dims); break;
        case 3: (void)st.Add(MakeMetricKey(f.region, "Direct", "D"), "Bytes", o.ts, o.value); break;
      }
    };
    MetricStore single;
    for (const Obs& o : obs) apply(single, o);

    const size_t k = 1 + rng() % 6;
    std::vector<MetricStore> parts(k);
    std::vector<Obs> shuffled = obs;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    for (const Obs& o : shuffled) apply(parts[rng() % k], o);
    std::vector<size_t> order(k);
    for (size_t i = 0; i < k; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);
    MetricStore merged;
    for (size_t i : order) merged.Merge(parts[i]);

    ExpectSameSeries(single.Series(), merged.Series());
    auto ca = single.CardinalityExceeded(50), cb = merged.CardinalityExceeded(50);
    ASSERT_EQ(ca.size(), cb.size());
    for (size_t i = 0; i < ca.size(); ++i) {
      EXPECT_EQ(ca[i].filter, cb[i].filter);
      EXPECT_EQ(ca[i].hour_start_ms, cb[i].hour_start_ms);
      EXPECT_EQ(ca[i].distinct, cb[i].distinct);
    }
    EXPECT_EQ(single.rejected_values(), merged.rejected_values());
  }
}

// AWS user guide (CloudWatch Logs, "Creating metrics from log events using filters", Default Value): "a log
// group that publishes two records every minute and the Metric Value is 1 and the Default Value is 0 ... If
// there are no matches in the log records published in the second minute, the Default Value of 0 is used for
// both log records and the metric value for that minute is 0." And: "if no log events are ingested during a
// one-minute period, then no value is reported."
TEST(MetricStoreTest, DefaultValueUserGuideExample) {
  MetricStore store;
  MetricStore::FilterId f = store.AddFilter(Filter("Success", 0.0));
  const std::string region = "us-east-1", group = "/aws/events/console-login";
  // Minute 0: two records, both match. Minute 1: two records, no match. Minute 2: nothing ingested.
  // Minute 3: two records, one matches.
  for (int64_t m : {0, 1, 3}) store.RecordIngested(region, group, kT0 + m * kMin + 5'000, 2);
  EXPECT_EQ(store.RecordMatch(f, kT0 + 1'000, 1.0), PublishStatus::kOk);
  EXPECT_EQ(store.RecordMatch(f, kT0 + 2'000, 1.0), PublishStatus::kOk);
  EXPECT_EQ(store.RecordMatch(f, kT0 + 3 * kMin + 10, 1.0), PublishStatus::kOk);
  auto series = store.Series();
  ASSERT_EQ(series.size(), 1u);
  const auto& dps = series[0].datapoints;
  ASSERT_EQ(dps.size(), 3u);
  EXPECT_EQ(dps[0].timestamp_ms, kT0);
  EXPECT_EQ(dps[0].stats, (Statistics{2, 2, 1, 1}));
  EXPECT_EQ(dps[1].timestamp_ms, kT0 + kMin);
  EXPECT_EQ(dps[1].stats, (Statistics{2, 0, 0, 0}));  // one defaultValue sample per ingested record
  EXPECT_EQ(dps[2].timestamp_ms, kT0 + 3 * kMin);     // minute 2: no value reported
  EXPECT_EQ(dps[2].stats, (Statistics{1, 1, 1, 1}));  // a minute with a match publishes only the match
  EXPECT_EQ(series[0].default_samples, 2u);
}

TEST(MetricStoreTest, DefaultValueEdgeCases) {
  MetricStore store;
  FilterSpec with_default = Filter("A", 2.5);
  MetricStore::FilterId a = store.AddFilter(with_default);
  FilterSpec dims_default = Filter("B", 0.0, /*dims=*/true);  // AWS refuses this; the store ignores the default
  store.AddFilter(dims_default);
  FilterSpec other_group = Filter("C", 7.0);
  other_group.log_group = "/elsewhere";
  store.AddFilter(other_group);
  store.RecordIngested("us-east-1", "/aws/events/console-login", kT0, 3);
  store.RecordIngested("us-east-1", "/aws/events/console-login", kT0 + kMin, 1);
  store.RecordIngested("eu-west-1", "/aws/events/console-login", kT0 + 2 * kMin, 1);  // another region's group
  // Minute 1: the filter matched but its value could not be extracted: no default, no sample.
  EXPECT_EQ(store.RecordMatch(a, kT0 + kMin, std::nullopt), PublishStatus::kOk);
  auto series = store.Series();
  ASSERT_EQ(series.size(), 2u);  // A and C (B has dimensions: no base series until it publishes)
  const MetricSeries& sa = series[0];
  EXPECT_EQ(sa.key.name, "AMetric");
  ASSERT_EQ(sa.datapoints.size(), 1u);
  EXPECT_EQ(sa.datapoints[0].stats, (Statistics{3, 7.5, 2.5, 2.5}));
  const MetricSeries& sc = series[1];
  EXPECT_EQ(sc.key.name, "CMetric");
  EXPECT_TRUE(sc.datapoints.empty());  // its log group ingested nothing
  EXPECT_EQ(sc.filters, std::vector<std::string>{"C"});
  EXPECT_EQ(sc.log_groups, std::vector<std::string>{"/elsewhere"});
}

TEST(MetricStoreTest, FilterSpecFromSetup) {
  MetricFilterConfig c;
  c.name = "ConsoleLoginFailureFilter";
  c.log_group = "/aws/events/console-login";
  c.region = "us-east-1";
  c.transformation.metric_name = "ConsoleLoginFailure";
  c.transformation.metric_namespace = "CloudTrailMetrics";
  c.transformation.default_value = 0;
  c.transformation.unit = "Count";
  FilterSpec f = MakeFilterSpec(c);
  EXPECT_EQ(f.name, c.name);
  EXPECT_EQ(f.region, "us-east-1");
  EXPECT_EQ(f.log_group, c.log_group);
  EXPECT_EQ(f.metric_namespace, "CloudTrailMetrics");
  EXPECT_EQ(f.metric_name, "ConsoleLoginFailure");
  EXPECT_EQ(f.unit, "Count");
  EXPECT_EQ(f.default_value, 0.0);
  EXPECT_FALSE(f.has_dimensions);
  c.transformation.dimensions = {{"user", "$.userIdentity.userName"}};
  EXPECT_TRUE(MakeFilterSpec(c).has_dimensions);
}

TEST(MetricStoreTest, DeclaredFilterWithoutDataHasAnEmptySeries) {
  MetricStore store;
  store.AddFilter(Filter("Failure"));
  auto series = store.Series();
  ASSERT_EQ(series.size(), 1u);
  EXPECT_TRUE(series[0].datapoints.empty());
  EXPECT_EQ(series[0].unit, "Count");
  EXPECT_EQ(series[0].total.sample_count, 0u);
  // Declaring again returns the same id.
  EXPECT_EQ(store.AddFilter(Filter("Failure")), 0u);
  EXPECT_EQ(store.RecordMatch(99, kT0, 1.0), PublishStatus::kUnknownFilter);
}

TEST(MetricStoreTest, RefusesWhatCloudWatchRefuses) {
  MetricStore store;
  MetricKey key = MakeMetricKey("", "NS", "M");
  EXPECT_EQ(store.Add(key, "", kT0, std::nan("")), PublishStatus::kRejectedValue);
  EXPECT_EQ(store.Add(key, "", kT0, INFINITY), PublishStatus::kRejectedValue);
  EXPECT_EQ(store.Add(key, "", kT0, -INFINITY), PublishStatus::kRejectedValue);
  EXPECT_EQ(store.Add(key, "", kT0, 1e200), PublishStatus::kRejectedValue);
  EXPECT_EQ(store.Add(key, "", kT0, 1e-200), PublishStatus::kRejectedValue);
  EXPECT_EQ(store.Add(key, "", kT0, std::ldexp(1.0, 360)), PublishStatus::kOk);
  EXPECT_EQ(store.Add(key, "", kT0, -std::ldexp(1.0, -360)), PublishStatus::kOk);
  EXPECT_EQ(store.Add(key, "", kT0, 0.0), PublishStatus::kOk);
  EXPECT_EQ(store.Add(key, "", -1, 1.0), PublishStatus::kRejectedTimestamp);
  EXPECT_EQ(store.Add(key, "", INT64_MAX, 1.0), PublishStatus::kRejectedTimestamp);
  EXPECT_EQ(store.Add(key, "", INT64_MIN, 1.0), PublishStatus::kRejectedTimestamp);
  store.RecordIngested("r", "g", INT64_MIN, 5);
  EXPECT_EQ(store.rejected_values(), 5u);
  EXPECT_EQ(store.rejected_timestamps(), 4u);
  auto series = store.Series();
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0].total.sample_count, 3u);
  EXPECT_EQ(series[0].rejected_values, 5u);
}

TEST(MetricStoreTest, UnitConflictIsDeterministic) {
  MetricStore a, b;
  MetricKey key = MakeMetricKey("", "NS", "M");
  a.Add(key, "Seconds", kT0, 1);
  a.Add(key, "Count", kT0, 1);
  b.Add(key, "Count", kT0, 1);
  b.Add(key, "Seconds", kT0, 1);
  EXPECT_EQ(a.Series()[0].unit, "Count");
  EXPECT_TRUE(a.Series()[0].unit_conflict);
  ExpectSameSeries(a.Series(), b.Series());
}

TEST(AggregatePeriodsTest, FiveMinutePeriodsAlignedToTheEpoch) {
  std::vector<Datapoint> minutes;
  for (int m = 3; m < 12; ++m) minutes.push_back({kT0 + m * kMin, Statistics{1, double(m), double(m), double(m)}});
  auto periods = AggregatePeriods(minutes, 300);
  ASSERT_TRUE(periods.ok());
  ASSERT_EQ(periods->size(), 3u);
  EXPECT_EQ((*periods)[0].timestamp_ms, kT0);  // minutes 3, 4
  EXPECT_EQ((*periods)[0].stats, (Statistics{2, 7, 3, 4}));
  EXPECT_EQ((*periods)[1].timestamp_ms, kT0 + 5 * kMin);  // 5..9
  EXPECT_EQ((*periods)[1].stats, (Statistics{5, 35, 5, 9}));
  EXPECT_EQ((*periods)[2].timestamp_ms, kT0 + 10 * kMin);  // 10, 11
  EXPECT_EQ((*periods)[2].stats, (Statistics{2, 21, 10, 11}));
  // One-minute periods give the minutes back; an hour sums everything.
  EXPECT_EQ(*AggregatePeriods(minutes, 60), minutes);
  auto hour = AggregatePeriods(minutes, 3600);
  ASSERT_TRUE(hour.ok());
  ASSERT_EQ(hour->size(), 1u);
  EXPECT_EQ((*hour)[0].stats, (Statistics{9, 63, 3, 11}));
  // Unsorted input still lands in the right periods.
  std::vector<Datapoint> reversed(minutes.rbegin(), minutes.rend());
  EXPECT_EQ(*AggregatePeriods(reversed, 300), *periods);
  for (int bad : {0, -60, 10, 30, 90, 61}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(AggregatePeriods(minutes, bad).ok());
  }
}

TEST(MetricStoreTest, CardinalityPerFilterPerHour) {
  MetricStore store;
  MetricStore::FilterId f = store.AddFilter(Filter("ByUser", std::nullopt, true));
  MetricStore::FilterId g = store.AddFilter(Filter("Few", std::nullopt, true));
  // Hour 0: 1,000 distinct users (each twice); hour 1: 999 distinct.
  for (int rep = 0; rep < 2; ++rep) {
    for (int u = 0; u < 1000; ++u) {
      store.RecordMatch(f, kT0 + (u % 60) * kMin, 1.0, {{"user", "u" + std::to_string(u)}});
    }
  }
  for (int u = 0; u < 999; ++u) store.RecordMatch(f, kT0 + 3'600'000 + 5, 1.0, {{"user", "u" + std::to_string(u)}});
  for (int u = 0; u < 10; ++u) store.RecordMatch(g, kT0, 1.0, {{"user", "u" + std::to_string(u)}});
  auto over = store.CardinalityExceeded();
  ASSERT_EQ(over.size(), 1u);
  EXPECT_EQ(over[0].filter, "ByUser");
  EXPECT_EQ(over[0].hour_start_ms, kT0);
  EXPECT_EQ(over[0].distinct, 1000u);
  EXPECT_EQ(over[0].log_group, "/aws/events/console-login");
  EXPECT_EQ(store.CardinalityExceeded(999).size(), 2u);
  EXPECT_EQ(store.CardinalityExceeded(10).size(), 3u);
  // Dimension order does not make a new set.
  MetricStore two;
  MetricStore::FilterId h = two.AddFilter(Filter("Two", std::nullopt, true));
  two.RecordMatch(h, kT0, 1.0, {{"a", "1"}, {"b", "2"}});
  two.RecordMatch(h, kT0, 1.0, {{"b", "2"}, {"a", "1"}});
  EXPECT_EQ(two.CardinalityExceeded(2).size(), 0u);
  EXPECT_EQ(two.CardinalityExceeded(1).size(), 1u);
}

TEST(MetricStoreTest, MemoryIsBoundedByMinutesNotEvents) {
  MetricStore store;
  MetricStore::FilterId f = store.AddFilter(Filter("Success", 0.0));
  for (int i = 0; i < 200'000; ++i) {
    store.RecordIngested("us-east-1", "/aws/events/console-login", kT0 + (i % 10) * kMin);
    store.RecordMatch(f, kT0 + (i % 10) * kMin, 0.1);
  }
  auto s = store.Series();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].datapoints.size(), 10u);
  EXPECT_EQ(s[0].total.sample_count, 200'000u);
  EXPECT_EQ(s[0].datapoints[0].stats.sum, 2000.0);  // exact: 20,000 x 0.1 correctly rounded
}

TEST(MetricsJsonTest, Shape) {
  MetricStore store;
  MetricStore::FilterId f = store.AddFilter(Filter("ConsoleLoginFailure"));
  store.RecordMatch(f, *ParseIsoUtc("2023-07-10T12:44:10Z"), 1.0);
  store.RecordMatch(f, *ParseIsoUtc("2023-07-10T12:44:50Z"), 3.0);
  auto j = MetricsToJson(store.Series());
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0].dump(),
            R"({"namespace":"CloudTrailMetrics","name":"ConsoleLoginFailureMetric","dimensions":{},"unit":"Count",)"
            R"("filter":"ConsoleLoginFailure","log_group":"/aws/events/console-login","sum":4,"sample_count":2,)"
            R"("datapoints":[{"timestamp":"2023-07-10T12:44:00Z","sum":4,"sample_count":2,"min":1,"max":3}],)"
            R"("region":"us-east-1","default_samples":0,"rejected_values":0})");
  EXPECT_EQ(JsonNumber(0.5).dump(), "0.5");
  EXPECT_EQ(JsonNumber(-3).dump(), "-3");
  EXPECT_EQ(JsonNumber(1e300).dump(), "1e+300");
  EXPECT_EQ(JsonNumber(NAN).dump(), "null");
}

TEST(TimeFormatTest, IsoRoundTrip) {
  EXPECT_EQ(FormatIsoUtc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIsoUtc(kT0), "2023-07-10T12:00:00Z");
  EXPECT_EQ(FormatIsoUtc(kT0 + 250), "2023-07-10T12:00:00.250Z");
  EXPECT_EQ(ParseIsoUtc("2023-07-10T12:00:00.250Z"), kT0 + 250);
  EXPECT_EQ(ParseIsoUtc("2023-07-10T12:00:00+00:00"), kT0);
  EXPECT_EQ(ParseIsoUtc("2024-02-29T00:00:00Z"), 1709164800000);
  for (const char* bad : {"", "2023-02-29T00:00:00Z", "2023-07-10T25:00:00Z", "2023-07-10T12:00:00",
                          "2023-07-10T12:00:00.Z", "2023-07-10T12:00:00+01:00", "garbage", "2023-7-10T12:00:00Z"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(ParseIsoUtc(bad).has_value());
  }
  EXPECT_EQ(FloorDiv(-1, 60), -1);
  EXPECT_EQ(FloorDiv(59, 60), 0);
  EXPECT_EQ(FloorDiv(-60, 60), -1);
}

}  // namespace
}  // namespace trailwatch::engine
