// alarms.cc: ValidateAlarm, DecideAlarmState (the M-out-of-N and missing-data rules), EvaluateAlarm (the
// timeline over period boundaries), CloudWatch-style reasons and the `alarms` JSON. See alarms.h.
#include "engine/cloudwatch/alarms.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

namespace trailwatch::engine {
namespace {

Diagnostic AlarmError(const AlarmConfig& c, std::string exception, std::string aws_message, std::string message,
                      std::string parameter, std::string hint = "") {
  Diagnostic d;
  d.exception = std::move(exception);
  d.aws_message = std::move(aws_message);
  d.message = "alarm " + c.name + ": " + message;
  d.pointer = std::move(parameter);
  d.hint = std::move(hint);
  d.source = c.source;
  return d;
}

const char* OperatorPhrase(ComparisonOperator op) {
  switch (op) {
    case ComparisonOperator::kGreaterThanOrEqualToThreshold: return "greater than or equal to";
    case ComparisonOperator::kGreaterThanThreshold: return "greater than";
    case ComparisonOperator::kLessThanThreshold: return "less than";
    case ComparisonOperator::kLessThanOrEqualToThreshold: return "less than or equal to";
  }
  return "?";
}

// "10/07/23 12:40:00": the date format of CloudWatch's StateReason (dd/MM/yy HH:mm:ss, UTC).
std::string ReasonTime(int64_t ms) {
  using namespace std::chrono;
  int64_t days = FloorDiv(ms, 86'400'000);
  int64_t secs = (ms - days * 86'400'000) / 1000;
  year_month_day ymd{sys_days{std::chrono::days{days}}};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%02u/%02u/%02d %02d:%02d:%02d", static_cast<unsigned>(ymd.day()),
                static_cast<unsigned>(ymd.month()), static_cast<int>(ymd.year()) % 100,
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  return buf;
}

std::string Plural(int64_t n, const char* one, const char* many) { return n == 1 ? one : many; }

std::string DatapointList(const std::vector<EvaluatedDatapoint>& dps) {
  std::string out = "[";
  for (size_t i = 0; i < dps.size(); ++i) {
    if (i) out += ", ";
    out += FormatAlarmNumber(dps[i].value) + " (" + ReasonTime(dps[i].timestamp_ms) + ")";
  }
  return out + "]";
}

std::string Reason(const AlarmSpec& spec, const AlarmDecision& d, AlarmState from, AlarmState to) {
  const int n = spec.evaluation_periods;
  const int m = spec.datapoints_to_alarm;
  if (to == AlarmState::kInsufficientData) {
    int unknown = std::max(1, n - static_cast<int>(d.evaluated.size()));
    return "Insufficient Data: " + std::to_string(unknown) + " " + Plural(unknown, "datapoint was", "datapoints were") +
           " unknown.";
  }
  const bool to_alarm = to == AlarmState::kAlarm;
  const char* fill_kind = spec.treat_missing_data == TreatMissingData::kBreaching ? "[Breaching]" : "[NonBreaching]";
  const int minimum = to_alarm ? m : n - m + 1;
  const std::string transition = " (minimum " + std::to_string(minimum) + " " + Plural(minimum, "datapoint", "datapoints") +
                                 " for " + AlarmStateName(from) + " -> " + AlarmStateName(to) + " transition";
  const std::string threshold = " the threshold (" + FormatAlarmNumber(spec.threshold) + ")";
  std::string fills;
  if (d.filled > 0) {
    fills = std::to_string(d.filled) + " missing " + Plural(d.filled, "datapoint was", "datapoints were") +
            " treated as " + fill_kind;
  }
  if (d.evaluated.empty()) {
    return "Threshold Crossed: no datapoints were received for " + std::to_string(d.filled) + " " +
           Plural(d.filled, "period", "periods") + " and " + fills + ".";
  }
  std::vector<EvaluatedDatapoint> agreeing;
  for (const EvaluatedDatapoint& e : d.evaluated) {
    if (e.breaching == to_alarm) agreeing.push_back(e);
  }
  const int total = d.filled > 0 || static_cast<int>(d.evaluated.size()) >= n ? n : static_cast<int>(d.evaluated.size());
  if (agreeing.empty()) {
    // Decided by filled datapoints alone, against the real ones.
    const int r = static_cast<int>(d.evaluated.size());
    return "Threshold Crossed: " + fills + " (" + std::to_string(r) + " out of the last " + std::to_string(total) + " " +
           std::string("datapoints ") + DatapointList(d.evaluated) + " " +
           Plural(r, "was", "were") + (to_alarm ? " not " : " ") + OperatorPhrase(spec.comparison) + threshold + ")" +
           transition + ").";
  }
  const int k = static_cast<int>(agreeing.size());
  std::string out = "Threshold Crossed: " + std::to_string(k) + " out of the last " + std::to_string(total) + " " +
                    std::string("datapoints ") + DatapointList(agreeing) + " " +
                    Plural(k, "was", "were") + (to_alarm ? " " : " not ") + OperatorPhrase(spec.comparison) + threshold;
  if (!fills.empty()) out += " and " + fills;
  out += transition;
  if (d.premature_rule) {
    out += "; the oldest breaching datapoint is at least " + std::to_string(m) + " " + Plural(m, "period", "periods") +
           " old and no newer datapoint is non-breaching";
  }
  return out + ").";
}

}  // namespace

const char* AlarmStateName(AlarmState s) {
  switch (s) {
    case AlarmState::kInsufficientData: return "INSUFFICIENT_DATA";
    case AlarmState::kOk: return "OK";
    case AlarmState::kAlarm: return "ALARM";
  }
  return "?";
}

std::string FormatAlarmNumber(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  char buf[64];
  double a = std::fabs(v);
  if (a >= 1e-3 && a < 1e7) {
    auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    std::string s(buf, r.ptr);
    if (s.find('.') == std::string::npos) s += ".0";
    return s;
  }
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string s(buf, r.ptr);  // e.g. "1.5e+07", "1e-05"
  size_t e = s.find('e');
  std::string mantissa = s.substr(0, e);
  if (mantissa.find('.') == std::string::npos) mantissa += ".0";
  int exponent = std::atoi(s.c_str() + e + 1);
  return mantissa + "E" + std::to_string(exponent);
}

Result<AlarmSpec> ValidateAlarm(const AlarmConfig& c) {
  AlarmSpec spec;
  // Statistic.
  const std::string& st = c.statistic;
  if (st == "SampleCount") spec.statistic = AlarmStatistic::kSampleCount;
  else if (st == "Average") spec.statistic = AlarmStatistic::kAverage;
  else if (st == "Sum") spec.statistic = AlarmStatistic::kSum;
  else if (st == "Minimum") spec.statistic = AlarmStatistic::kMinimum;
  else if (st == "Maximum") spec.statistic = AlarmStatistic::kMaximum;
  else if (!st.empty() && (st[0] == 'p' || st[0] == 't' || st[0] == 'w' || st.rfind("PR", 0) == 0 ||
                           st.rfind("TC", 0) == 0 || st.rfind("TM", 0) == 0 || st.rfind("TS", 0) == 0 ||
                           st.rfind("WM", 0) == 0 || st == "IQM")) {
    return AlarmError(c, "InvalidParameterValue", "", "extended statistic '" + st + "' is not supported",
                      "ExtendedStatistic",
                      "the replay keeps SampleCount, Sum, Minimum and Maximum per minute, not distributions; use "
                      "SampleCount, Average, Sum, Minimum or Maximum");
  } else {
    return AlarmError(c, "InvalidParameterValue",
                      "1 validation error detected: Value '" + st +
                          "' at 'statistic' failed to satisfy constraint: Member must satisfy enum value set: "
                          "[Maximum, SampleCount, Sum, Minimum, Average]",
                      "unknown statistic '" + st + "'", "Statistic");
  }
  // Period.
  if (c.period == 10 || c.period == 20 || c.period == 30) {
    return AlarmError(c, "InvalidParameterValue", "",
                      "a period of " + std::to_string(c.period) +
                          " seconds makes a high-resolution alarm, but metric filters publish standard-resolution "
                          "(1-minute) metrics, so it can never see a complete period",
                      "Period", "use a period of 60 seconds or a multiple of 60");
  }
  if (c.period <= 0 || c.period % 60 != 0) {
    return AlarmError(c, "InvalidParameterValue", "The parameter Period must be 10, 20, 30 or a multiple of 60.",
                      "period " + std::to_string(c.period) + " is not 10, 20, 30 or a multiple of 60 seconds", "Period");
  }
  spec.period = c.period;
  // Evaluation periods and datapoints to alarm.
  if (c.evaluation_periods < 1) {
    return AlarmError(c, "ValidationError", "The parameter EvaluationPeriods must be greater than or equal to 1.",
                      "evaluation_periods must be at least 1", "EvaluationPeriods");
  }
  const int64_t window = static_cast<int64_t>(c.period) * c.evaluation_periods;
  const int64_t max_window = c.period >= 3600 ? 7 * 86'400 : 86'400;
  if (window > max_window) {
    return AlarmError(c, "ValidationError",
                      "The evaluation period multiplied by the period cannot exceed " +
                          std::string(max_window == 86'400 ? "one day (86400 seconds)." : "7 days (604800 seconds)."),
                      "period x evaluation_periods = " + std::to_string(window) + " seconds exceeds " +
                          std::to_string(max_window),
                      "EvaluationPeriods");
  }
  spec.evaluation_periods = c.evaluation_periods;
  spec.datapoints_to_alarm = c.datapoints_to_alarm == 0 ? c.evaluation_periods : c.datapoints_to_alarm;
  if (spec.datapoints_to_alarm < 1 || spec.datapoints_to_alarm > spec.evaluation_periods) {
    return AlarmError(c, "ValidationError",
                      "DatapointsToAlarm must be between 1 and EvaluationPeriods.",
                      "datapoints_to_alarm " + std::to_string(c.datapoints_to_alarm) + " is not within 1.." +
                          std::to_string(c.evaluation_periods),
                      "DatapointsToAlarm");
  }
  // Threshold.
  if (!std::isfinite(c.threshold)) {
    return AlarmError(c, "InvalidParameterValue", "", "the threshold must be a finite number", "Threshold");
  }
  spec.threshold = c.threshold;
  // Comparison.
  const std::string& op = c.comparison_operator;
  if (op == "GreaterThanOrEqualToThreshold") spec.comparison = ComparisonOperator::kGreaterThanOrEqualToThreshold;
  else if (op == "GreaterThanThreshold") spec.comparison = ComparisonOperator::kGreaterThanThreshold;
  else if (op == "LessThanThreshold") spec.comparison = ComparisonOperator::kLessThanThreshold;
  else if (op == "LessThanOrEqualToThreshold") spec.comparison = ComparisonOperator::kLessThanOrEqualToThreshold;
  else if (op == "LessThanLowerOrGreaterThanUpperThreshold" || op == "LessThanLowerThreshold" ||
           op == "GreaterThanUpperThreshold") {
    return AlarmError(c, "InvalidParameterValue", "",
                      "comparison operator " + op +
                          " belongs to anomaly-detection alarms, which compare with a band CloudWatch learns from "
                          "the metric's history; the replay cannot model that band",
                      "ComparisonOperator", "use a static threshold with GreaterThan*/LessThan* operators");
  } else {
    return AlarmError(c, "ValidationError",
                      "1 validation error detected: Value '" + op +
                          "' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set",
                      "unknown comparison operator '" + op + "'", "ComparisonOperator");
  }
  // Missing data.
  const std::string& t = c.treat_missing_data;
  if (t.empty() || t == "missing") spec.treat_missing_data = TreatMissingData::kMissing;
  else if (t == "notBreaching") spec.treat_missing_data = TreatMissingData::kNotBreaching;
  else if (t == "breaching") spec.treat_missing_data = TreatMissingData::kBreaching;
  else if (t == "ignore") spec.treat_missing_data = TreatMissingData::kIgnore;
  else {
    return AlarmError(c, "InvalidParameterValue", "",
                      "treat_missing_data '" + t + "' is not one of breaching, notBreaching, ignore, missing",
                      "TreatMissingData");
  }
  spec.evaluation_range = spec.evaluation_periods + 2;
  return spec;
}

double StatisticValue(AlarmStatistic statistic, const Statistics& s) {
  switch (statistic) {
    case AlarmStatistic::kSampleCount: return static_cast<double>(s.sample_count);
    case AlarmStatistic::kAverage: return s.Average();
    case AlarmStatistic::kSum: return s.sum;
    case AlarmStatistic::kMinimum: return s.minimum;
    case AlarmStatistic::kMaximum: return s.maximum;
  }
  return 0;
}

bool IsBreaching(ComparisonOperator op, double value, double threshold) {
  switch (op) {
    case ComparisonOperator::kGreaterThanOrEqualToThreshold: return value >= threshold;
    case ComparisonOperator::kGreaterThanThreshold: return value > threshold;
    case ComparisonOperator::kLessThanThreshold: return value < threshold;
    case ComparisonOperator::kLessThanOrEqualToThreshold: return value <= threshold;
  }
  return false;
}

AlarmDecision DecideAlarmState(const AlarmSpec& spec, std::span<const std::optional<EvaluatedDatapoint>> range) {
  const int n = std::max(1, spec.evaluation_periods);
  const int m = std::clamp(spec.datapoints_to_alarm, 1, n);
  AlarmDecision d;
  // Real datapoints, newest first, with their age (1 = the newest period of the range).
  std::vector<std::pair<EvaluatedDatapoint, size_t>> real;
  for (size_t i = range.size(); i-- > 0;) {
    if (range[i]) real.emplace_back(*range[i], range.size() - i);
  }
  // 1. Enough real datapoints: the N most recent decide; the missing-data setting is not needed.
  if (static_cast<int>(real.size()) >= n) {
    int breaching = 0;
    for (int i = 0; i < n; ++i) {
      d.evaluated.push_back(real[i].first);
      breaching += real[i].first.breaching ? 1 : 0;
    }
    d.state = breaching >= m ? AlarmState::kAlarm : AlarmState::kOk;
    return d;
  }
  int breaching = 0;
  bool any_ok = false;
  for (const auto& [e, age] : real) {
    d.evaluated.push_back(e);
    breaching += e.breaching ? 1 : 0;
    any_ok = any_ok || !e.breaching;
  }
  const int fill = n - static_cast<int>(real.size());
  switch (spec.treat_missing_data) {
    // 2. Fill the missing datapoints, as few as possible, with the chosen treatment.
    case TreatMissingData::kBreaching:
      d.filled = fill;
      d.state = breaching + fill >= m ? AlarmState::kAlarm : AlarmState::kOk;
      return d;
    case TreatMissingData::kNotBreaching:
      d.filled = fill;
      d.state = breaching >= m ? AlarmState::kAlarm : AlarmState::kOk;
      return d;
    // 3. Missing data is not evaluated.
    case TreatMissingData::kMissing:
    case TreatMissingData::kIgnore:
      if (breaching >= m) {
        d.state = AlarmState::kAlarm;
      } else if (any_ok) {
        d.state = AlarmState::kOk;
      } else if (spec.treat_missing_data == TreatMissingData::kIgnore) {
        d.state = std::nullopt;  // retain the current state
      } else if (real.empty()) {
        d.state = AlarmState::kInsufficientData;
      } else if (static_cast<int>(real.back().second) >= m) {
        // Every real datapoint breaches and the oldest one is at least M periods old: "premature alarm"
        // avoidance is over, the alarm fires although fewer than M datapoints exist.
        d.state = AlarmState::kAlarm;
        d.premature_rule = true;
      } else {
        d.state = AlarmState::kInsufficientData;  // too recent to tell (- - - - X with M = 3)
      }
      return d;
  }
  return d;
}

bool AlarmWatches(const AlarmConfig& c, const MetricSeries& s) {
  if (c.metric_namespace != s.key.metric_namespace || c.metric_name != s.key.name) return false;
  if (!c.region.empty() && !s.key.region.empty() && c.region != s.key.region) return false;
  MetricKey want = MakeMetricKey("", "", "", c.dimensions);
  return want.dimensions == s.key.dimensions;
}

AlarmEvaluation EvaluateAlarm(const AlarmConfig& config, const MetricSeries* series, const AlarmWindow& window) {
  AlarmEvaluation out;
  out.config = config;
  out.metric_found = series != nullptr;
  Result<AlarmSpec> spec_or = ValidateAlarm(config);
  if (!spec_or.ok()) {
    out.error = spec_or.error();
    return out;
  }
  const AlarmSpec& spec = *spec_or;
  const int64_t period_ms = static_cast<int64_t>(spec.period) * 1000;
  const int64_t range = spec.evaluation_range;

  // Period values, ascending by period index.
  std::vector<std::pair<int64_t, EvaluatedDatapoint>> values;
  if (series) {
    Result<std::vector<Datapoint>> periods = AggregatePeriods(series->datapoints, spec.period);
    if (periods.ok()) {
      for (const Datapoint& dp : *periods) {
        double v = StatisticValue(spec.statistic, dp.stats);
        values.emplace_back(FloorDiv(dp.timestamp_ms, period_ms),
                            EvaluatedDatapoint{dp.timestamp_ms, v, IsBreaching(spec.comparison, v, spec.threshold)});
      }
    }
  }

  // Newest periods of the first and last evaluation ranges.
  constexpr int64_t kNone = std::numeric_limits<int64_t>::min();
  int64_t first = kNone, last = kNone;
  if (window.start_ms) first = FloorDiv(*window.start_ms, period_ms);
  else if (!values.empty()) first = values.front().first;
  if (first == kNone) return out;  // no data and no window: nothing to evaluate
  if (!values.empty()) last = values.back().first + range;  // the last datapoint has left the range
  if (window.end_ms) last = std::max(last, FloorDiv(*window.end_ms - 1, period_ms));
  if (last == kNone) last = first;
  if (last < first) return out;
  if (static_cast<uint64_t>(last - first) >= kMaxAlarmEvaluations) {
    Diagnostic d;
    d.exception = "LimitExceeded";
    d.message = "alarm " + config.name + ": the replay spans " + std::to_string(last - first + 1) +
                " periods of " + std::to_string(spec.period) + " seconds; at most " +
                std::to_string(kMaxAlarmEvaluations) + " evaluations are replayed";
    d.hint = "use a longer period or a shorter time range";
    d.source = config.source;
    out.error = d;
    return out;
  }

  AlarmState state = AlarmState::kInsufficientData;
  std::vector<std::optional<EvaluatedDatapoint>> slots(static_cast<size_t>(range));
  bool previous_empty = false;
  out.evaluated_from_ms = (first + 1) * period_ms;
  for (int64_t p = first; p <= last; ++p) {
    const int64_t lo = p - range + 1;
    auto it = std::lower_bound(values.begin(), values.end(), lo,
                               [](const auto& v, int64_t idx) { return v.first < idx; });
    const bool empty = it == values.end() || it->first > p;
    if (empty && previous_empty) {
      // Nothing in range, again: the same decision as last time, so nothing changes until data comes back
      // into the range (at period it->first) or the window ends. Skip those evaluations.
      int64_t next = it == values.end() ? last : std::min(last, it->first - 1);
      next = std::max(next, p);
      out.evaluations += static_cast<uint64_t>(next - p + 1);
      p = next;
      continue;
    }
    std::fill(slots.begin(), slots.end(), std::nullopt);
    for (; it != values.end() && it->first <= p; ++it) slots[static_cast<size_t>(it->first - lo)] = it->second;
    AlarmDecision d = DecideAlarmState(spec, slots);
    ++out.evaluations;
    previous_empty = empty;
    AlarmState next = d.state.value_or(state);
    if (next != state) {
      AlarmTransition t;
      t.timestamp_ms = (p + 1) * period_ms;
      t.from = state;
      t.to = next;
      t.reason = Reason(spec, d, state, next);
      t.evaluated = std::move(d.evaluated);
      t.filled = d.filled;
      out.transitions.push_back(std::move(t));
      state = next;
    }
  }
  out.evaluated_to_ms = (last + 1) * period_ms;
  out.final_state = state;
  return out;
}

std::vector<AlarmEvaluation> EvaluateAlarms(const std::vector<AlarmConfig>& alarms,
                                            const std::vector<MetricSeries>& series, const AlarmWindow& window) {
  std::vector<AlarmEvaluation> out;
  out.reserve(alarms.size());
  for (const AlarmConfig& a : alarms) {
    const MetricSeries* found = nullptr;
    for (const MetricSeries& s : series) {
      if (!AlarmWatches(a, s)) continue;
      // Prefer the series of the alarm's own region over a region-less one.
      if (!found || (s.key.region == a.region && found->key.region != a.region)) found = &s;
    }
    out.push_back(EvaluateAlarm(a, found, window));
  }
  return out;
}

}  // namespace trailwatch::engine
