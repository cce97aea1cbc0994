// alarms.h: CloudWatch metric alarm evaluation over a replay, as a timeline of state transitions.
//
// Contract: EvaluateAlarm() validates an AlarmConfig (setup.h) and replays CloudWatch's evaluation of it
// over the metric's per-minute datapoints (metrics.h): at every period boundary (periods aligned to the
// epoch) the alarm looks at its *evaluation range*, the last `evaluation_periods + 2` periods, and decides a
// state with DecideAlarmState(). The result lists every state change (the alarm starts in
// INSUFFICIENT_DATA) with its time (the end of the newest evaluated period), the datapoints that decided it
// and a reason text in the style of CloudWatch's StateReason. Invalid or unsupported configurations (an
// anomaly-detection operator, a percentile statistic, a period of 10/20/30 s that a per-minute metric filter
// cannot feed, ...) give an error Diagnostic and no timeline. Nothing here prints, throws or aborts.
//
// The decision (AWS user guide, "Configuring how CloudWatch alarms treat missing data",
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data):
//   N = evaluation_periods, M = datapoints_to_alarm, range = the last N + 2 periods, "real" = periods with a
//   datapoint. A real datapoint is breaching when `value <op> threshold`.
//   1. real >= N: the N most recent real datapoints decide; >= M breaching -> ALARM, else OK (the missing
//      data setting is not needed).
//   2. real < N, breaching / notBreaching: every real datapoint plus N - real filled ones (breaching or not)
//      decide the same way.
//   3. real < N, missing / ignore: >= M real breaching -> ALARM; else any real non-breaching -> OK; else
//      (no real datapoint, or all real ones breaching but fewer than M):
//        missing: none -> INSUFFICIENT_DATA; otherwise the "premature alarm" rule: ALARM when the oldest
//                 breaching datapoint is at least M periods old, else INSUFFICIENT_DATA;
//        ignore:  the current state is kept.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/cloudwatch/metrics.h"
#include "engine/setup/setup.h"
#include "patterns/common/diagnostic.h"

namespace trailwatch::engine {

enum class AlarmState { kInsufficientData, kOk, kAlarm };
const char* AlarmStateName(AlarmState s);  // "INSUFFICIENT_DATA", "OK", "ALARM"

enum class AlarmStatistic { kSampleCount, kAverage, kSum, kMinimum, kMaximum };
enum class ComparisonOperator {
  kGreaterThanOrEqualToThreshold,
  kGreaterThanThreshold,
  kLessThanThreshold,
  kLessThanOrEqualToThreshold,
};
enum class TreatMissingData { kMissing, kNotBreaching, kBreaching, kIgnore };

// An AlarmConfig after validation.
struct AlarmSpec {
  AlarmStatistic statistic = AlarmStatistic::kSum;
  int period = 60;                 // seconds, a positive multiple of 60
  int evaluation_periods = 1;      // N
  int datapoints_to_alarm = 1;     // M, 1 <= M <= N
  double threshold = 0;
  ComparisonOperator comparison = ComparisonOperator::kGreaterThanOrEqualToThreshold;
  TreatMissingData treat_missing_data = TreatMissingData::kMissing;
  int evaluation_range = 3;        // periods retrieved per evaluation: N + 2
};

// Checks an AlarmConfig as PutMetricAlarm would, plus what a replay of metric-filter metrics can evaluate.
Result<AlarmSpec> ValidateAlarm(const AlarmConfig& config);

// The statistic of one period's samples.
double StatisticValue(AlarmStatistic statistic, const Statistics& stats);
// Whether `value <op> threshold` holds.
bool IsBreaching(ComparisonOperator op, double value, double threshold);

// One period's value as the alarm saw it.
struct EvaluatedDatapoint {
  int64_t timestamp_ms = 0;  // start of the period
  double value = 0;
  bool breaching = false;
};

// One evaluation's outcome.
struct AlarmDecision {
  std::optional<AlarmState> state;               // nullopt: keep the current state (ignore)
  std::vector<EvaluatedDatapoint> evaluated;     // the real datapoints that decided, newest first
  int filled = 0;                                // missing datapoints filled in (breaching or notBreaching)
  bool premature_rule = false;                   // ALARM by the "oldest breaching datapoint" rule
};

// One evaluation: `range` holds the evaluation range's periods, oldest first (spec.evaluation_range of them
// in an evaluation; any length is accepted), nullopt for a missing datapoint. Pure: the unit of the AWS
// table of examples.
AlarmDecision DecideAlarmState(const AlarmSpec& spec, std::span<const std::optional<EvaluatedDatapoint>> range);

// A state change.
struct AlarmTransition {
  int64_t timestamp_ms = 0;                  // the evaluation time: end of the newest period of the range
  AlarmState from = AlarmState::kInsufficientData;
  AlarmState to = AlarmState::kInsufficientData;
  std::string reason;                        // CloudWatch-style StateReason
  std::vector<EvaluatedDatapoint> evaluated; // newest first
  int filled = 0;
};

struct AlarmEvaluation {
  AlarmConfig config;
  std::optional<Diagnostic> error;           // set: invalid/unsupported configuration, no timeline
  bool metric_found = false;                 // a series with the alarm's metric exists
  AlarmState final_state = AlarmState::kInsufficientData;
  std::vector<AlarmTransition> transitions;
  int64_t evaluated_from_ms = 0;             // first and last evaluation times (0 when none)
  int64_t evaluated_to_ms = 0;
  uint64_t evaluations = 0;
};

// The time range to evaluate over. Unset ends come from the data: the first evaluation ends the period
// holding the first datapoint (or `start_ms`); evaluation continues until the last datapoint has left the
// evaluation range (or `end_ms`, whichever is later), so recoveries are seen.
struct AlarmWindow {
  std::optional<int64_t> start_ms;
  std::optional<int64_t> end_ms;
};

inline constexpr uint64_t kMaxAlarmEvaluations = 10'000'000;

// `series`: the alarm's metric, or nullptr when no series matches (every period is then missing).
AlarmEvaluation EvaluateAlarm(const AlarmConfig& config, const MetricSeries* series, const AlarmWindow& window = {});

// Whether a series is the alarm's metric: same namespace, name and dimension set; same region unless
// either region is "".
bool AlarmWatches(const AlarmConfig& config, const MetricSeries& series);

// Evaluates every alarm against the series it watches, in config order.
std::vector<AlarmEvaluation> EvaluateAlarms(const std::vector<AlarmConfig>& alarms,
                                            const std::vector<MetricSeries>& series,
                                            const AlarmWindow& window = {});

// CloudWatch's number format in reasons (Java's Double.toString): 5.0, 0.25, 1.0E7.
std::string FormatAlarmNumber(double v);


}  // namespace trailwatch::engine
