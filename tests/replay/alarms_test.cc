// alarms_test.cc: CloudWatch alarm evaluation: the AWS user guide's missing-data tables, every comparison
// operator and statistic, validation errors, the transition timeline on a realistic ConsoleLogin series,
// reason texts and the `alarms` JSON.
#include "engine/cloudwatch/alarms.h"

#include <sstream>

#include <gtest/gtest.h>

#include "engine/routing/result.h"  // MetricsToJson, AlarmsToJson, JsonNumber

namespace trailwatch::engine {
namespace {

const int64_t kT0 = *ParseIsoUtc("2023-07-10T12:00:00Z");
constexpr int64_t kMin = 60'000;

AlarmConfig Config(int n, int m, std::string treat, std::string op = "GreaterThanOrEqualToThreshold",
                   double threshold = 3, int period = 300, std::string statistic = "Sum") {
  AlarmConfig c;
  c.name = "ConsoleLoginFailures";
  c.region = "us-east-1";
  c.metric_namespace = "CloudTrailMetrics";
  c.metric_name = "ConsoleLoginFailure";
  c.statistic = std::move(statistic);
  c.period = period;
  c.evaluation_periods = n;
  c.datapoints_to_alarm = m;
  c.threshold = threshold;
  c.comparison_operator = std::move(op);
  c.treat_missing_data = std::move(treat);
  return c;
}

AlarmSpec Spec(const AlarmConfig& c) {
  Result<AlarmSpec> s = ValidateAlarm(c);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return s.ok() ? *s : AlarmSpec{};
}

// "0 - X - X" (oldest first): 0 not breaching, X breaching, - missing.
std::vector<std::optional<EvaluatedDatapoint>> Range(const std::string& text) {
  std::vector<std::optional<EvaluatedDatapoint>> out;
  std::istringstream in(text);
  std::string tok;
  int64_t t = kT0;
  while (in >> tok) {
    if (tok == "-") out.push_back(std::nullopt);
    else out.push_back(EvaluatedDatapoint{t, tok == "X" ? 5.0 : 1.0, tok == "X"});
    t += 300'000;
  }
  return out;
}

const char* kRetain = "retain";

std::string Outcome(const AlarmDecision& d) { return d.state ? AlarmStateName(*d.state) : kRetain; }

struct MissingDataRow {
  const char* points;
  int filled;  // "# of data points that must be filled"
  const char* missing;
  const char* ignore;
  const char* breaching;
  const char* not_breaching;
};

void RunMissingDataTable(int datapoints_to_alarm, const std::vector<MissingDataRow>& rows) {
  for (const MissingDataRow& row : rows) {
    SCOPED_TRACE(row.points);
    auto range = Range(row.points);
    ASSERT_EQ(range.size(), 5u);
    const std::pair<const char*, const char*> cells[] = {
        {"missing", row.missing}, {"ignore", row.ignore}, {"breaching", row.breaching},
        {"notBreaching", row.not_breaching}};
    for (const auto& [treat, want] : cells) {
      SCOPED_TRACE(treat);
      AlarmSpec spec = Spec(Config(3, datapoints_to_alarm, treat));
      EXPECT_EQ(spec.evaluation_range, 5);
      AlarmDecision d = DecideAlarmState(spec, range);
      EXPECT_EQ(Outcome(d), want);
      if (std::string(treat) == "breaching" || std::string(treat) == "notBreaching") {
        EXPECT_EQ(d.filled, row.filled);
      }
    }
  }
}

// AWS CloudWatch user guide, "Configuring how CloudWatch alarms treat missing data" > "How alarm state is
// evaluated when data is missing", first table: Datapoints to Alarm and Evaluation Periods both 3, evaluation
// range 5. https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data
TEST(MissingDataTableTest, ThreeOutOfThree) {
  RunMissingDataTable(3, {
      {"0 - X - X", 0, "OK", "OK", "OK", "OK"},
      {"0 - - - -", 2, "OK", "OK", "OK", "OK"},
      {"- - - - -", 3, "INSUFFICIENT_DATA", kRetain, "ALARM", "OK"},
      {"0 X X - X", 0, "ALARM", "ALARM", "ALARM", "ALARM"},
      {"- - X - -", 2, "ALARM", kRetain, "ALARM", "OK"},
  });
}

// Same page, second table: a 2 out of 3 alarm, evaluation range 5.
TEST(MissingDataTableTest, TwoOutOfThree) {
  RunMissingDataTable(2, {
      {"0 - X - X", 0, "ALARM", "ALARM", "ALARM", "ALARM"},
      {"0 0 X 0 X", 0, "ALARM", "ALARM", "ALARM", "ALARM"},
      {"0 - X - -", 1, "OK", "OK", "ALARM", "OK"},
      {"- - - - 0", 2, "OK", "OK", "ALARM", "OK"},
      {"- - - X -", 2, "ALARM", kRetain, "ALARM", "OK"},
  });
}

// Same page, "Avoiding premature transitions to alarm state": with Datapoints to Alarm 3 the alarm does not
// go to ALARM on "- - - - X" or "- - - X -" (the next datapoint may be non-breaching), and once a later
// datapoint is non-breaching ("- - - X 0", "- - X - 0") it is OK. An earlier revision of the page also lists
// "X - - - -" (MISSING: ALARM, IGNORE: retain, BREACHING: ALARM, NOT BREACHING: OK) and "- - - - X"
// (MISSING: INSUFFICIENT_DATA, IGNORE: retain).
TEST(MissingDataTableTest, PrematureAlarmAvoidance) {
  AlarmSpec missing = Spec(Config(3, 3, "missing"));
  AlarmSpec ignore = Spec(Config(3, 3, "ignore"));
  AlarmSpec breaching = Spec(Config(3, 3, "breaching"));
  AlarmSpec not_breaching = Spec(Config(3, 3, "notBreaching"));
  EXPECT_EQ(Outcome(DecideAlarmState(missing, Range("- - - - X"))), "INSUFFICIENT_DATA");
  EXPECT_EQ(Outcome(DecideAlarmState(missing, Range("- - - X -"))), "INSUFFICIENT_DATA");
  EXPECT_EQ(Outcome(DecideAlarmState(ignore, Range("- - - - X"))), kRetain);
  EXPECT_EQ(Outcome(DecideAlarmState(missing, Range("- - - X 0"))), "OK");
  EXPECT_EQ(Outcome(DecideAlarmState(missing, Range("- - X - 0"))), "OK");
  AlarmDecision old = DecideAlarmState(missing, Range("X - - - -"));
  EXPECT_EQ(Outcome(old), "ALARM");
  EXPECT_TRUE(old.premature_rule);
  EXPECT_EQ(Outcome(DecideAlarmState(ignore, Range("X - - - -"))), kRetain);
  EXPECT_EQ(Outcome(DecideAlarmState(breaching, Range("X - - - -"))), "ALARM");
  EXPECT_EQ(Outcome(DecideAlarmState(not_breaching, Range("X - - - -"))), "OK");
  // M out of N: the oldest breaching datapoint at least M periods old fires regardless of M.
  AlarmSpec two_of_three = Spec(Config(3, 2, "missing"));
  EXPECT_EQ(Outcome(DecideAlarmState(two_of_three, Range("- - - - X"))), "INSUFFICIENT_DATA");
  EXPECT_EQ(Outcome(DecideAlarmState(two_of_three, Range("- - - X X"))), "ALARM");
}

TEST(MissingDataTableTest, DecisionsUseTheMostRecentRealDatapoints) {
  AlarmSpec spec = Spec(Config(3, 3, "breaching"));
  AlarmDecision d = DecideAlarmState(spec, Range("0 X X - X"));
  ASSERT_EQ(d.evaluated.size(), 3u);  // newest first; the oldest "0" is not needed
  EXPECT_TRUE(d.evaluated[0].breaching && d.evaluated[1].breaching && d.evaluated[2].breaching);
  EXPECT_EQ(d.evaluated[0].timestamp_ms, kT0 + 4 * 300'000);
  EXPECT_EQ(d.filled, 0);
}

TEST(AlarmOperatorTest, EveryComparisonOperator) {
  struct Case {
    const char* op;
    double value;
    bool breaching;
  };
  const Case cases[] = {
      {"GreaterThanOrEqualToThreshold", 3, true},  {"GreaterThanOrEqualToThreshold", 2.999, false},
      {"GreaterThanOrEqualToThreshold", 4, true},  {"GreaterThanThreshold", 3, false},
      {"GreaterThanThreshold", 3.001, true},       {"GreaterThanThreshold", -5, false},
      {"LessThanThreshold", 3, false},             {"LessThanThreshold", 2.5, true},
      {"LessThanThreshold", 10, false},            {"LessThanOrEqualToThreshold", 3, true},
      {"LessThanOrEqualToThreshold", 3.5, false},  {"LessThanOrEqualToThreshold", -1, true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.op) + " " + std::to_string(c.value));
    AlarmSpec spec = Spec(Config(1, 1, "missing", c.op, 3));
    EXPECT_EQ(IsBreaching(spec.comparison, c.value, spec.threshold), c.breaching);
    std::vector<std::optional<EvaluatedDatapoint>> range = {
        std::nullopt, std::nullopt,
        EvaluatedDatapoint{kT0, c.value, IsBreaching(spec.comparison, c.value, spec.threshold)}};
    EXPECT_EQ(Outcome(DecideAlarmState(spec, range)), c.breaching ? "ALARM" : "OK");
  }
}

// One 5-minute period with samples 1, 2 and 6: SampleCount 3, Average 3, Sum 9, Minimum 1, Maximum 6. Each
// statistic's alarm fires with the threshold at the value and not just above it.
TEST(AlarmStatisticTest, EveryStatistic) {
  MetricSeries s;
  s.key = MakeMetricKey("us-east-1", "CloudTrailMetrics", "ConsoleLoginFailure");
  s.datapoints = {{kT0 + 1 * kMin, Statistics{1, 1, 1, 1}}, {kT0 + 2 * kMin, Statistics{2, 8, 2, 6}}};
  const std::pair<const char*, double> stats[] = {
      {"SampleCount", 3}, {"Average", 3}, {"Sum", 9}, {"Minimum", 1}, {"Maximum", 6}};
  for (const auto& [name, value] : stats) {
    SCOPED_TRACE(name);
    AlarmEvaluation hit = EvaluateAlarm(Config(1, 1, "missing", "GreaterThanOrEqualToThreshold", value, 300, name), &s);
    ASSERT_FALSE(hit.error) << hit.error->message;
    ASSERT_FALSE(hit.transitions.empty());
    EXPECT_EQ(hit.transitions[0].to, AlarmState::kAlarm);
    ASSERT_EQ(hit.transitions[0].evaluated.size(), 1u);
    EXPECT_EQ(hit.transitions[0].evaluated[0].value, value);
    AlarmEvaluation miss =
        EvaluateAlarm(Config(1, 1, "missing", "GreaterThanOrEqualToThreshold", value + 0.5, 300, name), &s);
    ASSERT_FALSE(miss.transitions.empty());
    EXPECT_EQ(miss.transitions[0].to, AlarmState::kOk);
  }
}

TEST(AlarmValidationTest, Errors) {
  struct Case {
    AlarmConfig config;
    const char* fragment;
  };
  std::vector<Case> cases;
  auto add = [&](auto mutate, const char* fragment) {
    AlarmConfig c = Config(1, 1, "missing");
    mutate(c);
    cases.push_back({c, fragment});
  };
  add([](AlarmConfig& c) { c.comparison_operator = "LessThanLowerOrGreaterThanUpperThreshold"; }, "anomaly");
  add([](AlarmConfig& c) { c.comparison_operator = "GreaterThanUpperThreshold"; }, "anomaly");
  add([](AlarmConfig& c) { c.comparison_operator = "LessThanLowerThreshold"; }, "anomaly");
  add([](AlarmConfig& c) { c.comparison_operator = "Bigger"; }, "unknown comparison operator");
  add([](AlarmConfig& c) { c.statistic = "p99"; }, "extended statistic");
  add([](AlarmConfig& c) { c.statistic = "Median"; }, "unknown statistic");
  add([](AlarmConfig& c) { c.period = 10; }, "high-resolution");
  add([](AlarmConfig& c) { c.period = 30; }, "high-resolution");
  add([](AlarmConfig& c) { c.period = 90; }, "multiple of 60");
  add([](AlarmConfig& c) { c.period = 0; }, "multiple of 60");
  add([](AlarmConfig& c) { c.period = -60; }, "multiple of 60");
  add([](AlarmConfig& c) { c.evaluation_periods = 0; }, "at least 1");
  add([](AlarmConfig& c) { c.datapoints_to_alarm = 2; }, "not within 1..1");
  add([](AlarmConfig& c) { c.datapoints_to_alarm = -1; }, "not within");
  add([](AlarmConfig& c) { c.evaluation_periods = 1441; c.period = 60; }, "exceeds 86400");
  add([](AlarmConfig& c) { c.evaluation_periods = 169; c.period = 3600; }, "exceeds 604800");
  add([](AlarmConfig& c) { c.treat_missing_data = "zero"; }, "treat_missing_data");
  add([](AlarmConfig& c) { c.threshold = NAN; }, "finite");
  for (const Case& c : cases) {
    SCOPED_TRACE(c.fragment);
    Result<AlarmSpec> r = ValidateAlarm(c.config);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find(c.fragment), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("ConsoleLoginFailures"), std::string::npos);
    AlarmEvaluation e = EvaluateAlarm(c.config, nullptr, AlarmWindow{kT0, kT0 + 3'600'000});
    EXPECT_TRUE(e.error.has_value());
    EXPECT_TRUE(e.transitions.empty());
  }
  // Limits that pass.
  AlarmConfig ok = Config(1440, 0, "");
  ok.period = 60;
  Result<AlarmSpec> spec = ValidateAlarm(ok);
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->datapoints_to_alarm, 1440);  // 0 means "same as evaluation periods"
  EXPECT_EQ(spec->treat_missing_data, TreatMissingData::kMissing);
  EXPECT_EQ(spec->evaluation_range, 1442);
}

// The story's failure alarm: 4 failed sign-ins between 12:41 and 12:44, Sum over 5 minutes >= 3.
MetricSeries FailureSeries() {
  MetricSeries s;
  s.key = MakeMetricKey("us-east-1", "CloudTrailMetrics", "ConsoleLoginFailure");
  for (int m : {41, 42, 43, 44}) s.datapoints.push_back({kT0 + m * kMin, Statistics{1, 1, 1, 1}});
  return s;
}

TEST(AlarmTimelineTest, ConsoleLoginFailuresNotBreaching) {
  MetricSeries s = FailureSeries();
  AlarmEvaluation e = EvaluateAlarm(Config(1, 1, "notBreaching"), &s);
  ASSERT_FALSE(e.error);
  ASSERT_EQ(e.transitions.size(), 2u);
  const AlarmTransition& up = e.transitions[0];
  EXPECT_EQ(FormatIsoUtc(up.timestamp_ms), "2023-07-10T12:45:00Z");
  EXPECT_EQ(up.from, AlarmState::kInsufficientData);
  EXPECT_EQ(up.to, AlarmState::kAlarm);
  EXPECT_EQ(up.reason,
            "Threshold Crossed: 1 out of the last 1 datapoints [4.0 (10/07/23 12:40:00)] was greater than or equal "
            "to the threshold (3.0) (minimum 1 datapoint for INSUFFICIENT_DATA -> ALARM transition).");
  // The datapoint stays in the 3-period evaluation range (12:40, 12:45, 12:50), so the alarm stays in ALARM
  // until 13:00, when only missing periods remain and they count as not breaching.
  const AlarmTransition& down = e.transitions[1];
  EXPECT_EQ(FormatIsoUtc(down.timestamp_ms), "2023-07-10T13:00:00Z");
  EXPECT_EQ(down.to, AlarmState::kOk);
  EXPECT_EQ(down.reason,
            "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as "
            "[NonBreaching].");
  EXPECT_EQ(e.final_state, AlarmState::kOk);
  EXPECT_EQ(FormatIsoUtc(e.evaluated_from_ms), "2023-07-10T12:45:00Z");
  EXPECT_EQ(FormatIsoUtc(e.evaluated_to_ms), "2023-07-10T13:00:00Z");
}

TEST(AlarmTimelineTest, WindowStartsBeforeTheData) {
  MetricSeries s = FailureSeries();
  AlarmEvaluation e = EvaluateAlarm(Config(1, 1, "notBreaching"), &s, AlarmWindow{kT0, kT0 + 3'600'000});
  ASSERT_EQ(e.transitions.size(), 3u);
  EXPECT_EQ(FormatIsoUtc(e.transitions[0].timestamp_ms), "2023-07-10T12:05:00Z");
  EXPECT_EQ(e.transitions[0].to, AlarmState::kOk);
  EXPECT_EQ(e.transitions[1].from, AlarmState::kOk);
  EXPECT_EQ(e.transitions[1].to, AlarmState::kAlarm);
  EXPECT_NE(e.transitions[1].reason.find("(minimum 1 datapoint for OK -> ALARM transition)"), std::string::npos);
  EXPECT_EQ(FormatIsoUtc(e.transitions[2].timestamp_ms), "2023-07-10T13:00:00Z");
  EXPECT_EQ(e.evaluations, 12u);  // 12:05 .. 13:00
}

TEST(AlarmTimelineTest, MissingGoesBackToInsufficientData) {
  MetricSeries s = FailureSeries();
  AlarmEvaluation e = EvaluateAlarm(Config(1, 1, "missing"), &s);
  ASSERT_EQ(e.transitions.size(), 2u);
  EXPECT_EQ(e.transitions[1].to, AlarmState::kInsufficientData);
  EXPECT_EQ(e.transitions[1].reason, "Insufficient Data: 1 datapoint was unknown.");
  EXPECT_EQ(FormatIsoUtc(e.transitions[1].timestamp_ms), "2023-07-10T13:00:00Z");
}

TEST(AlarmTimelineTest, IgnoreKeepsAlarmAndBreachingAlarmsWithoutData) {
  MetricSeries s = FailureSeries();
  AlarmEvaluation ignore = EvaluateAlarm(Config(1, 1, "ignore"), &s, AlarmWindow{std::nullopt, kT0 + 86'400'000});
  ASSERT_EQ(ignore.transitions.size(), 1u);
  EXPECT_EQ(ignore.final_state, AlarmState::kAlarm);
  // Breaching: with no data at all the alarm is in ALARM from the first evaluation.
  AlarmEvaluation breaching = EvaluateAlarm(Config(1, 1, "breaching"), nullptr, AlarmWindow{kT0, kT0 + 900'000});
  EXPECT_FALSE(breaching.metric_found);
  ASSERT_EQ(breaching.transitions.size(), 1u);
  EXPECT_EQ(breaching.transitions[0].to, AlarmState::kAlarm);
  EXPECT_EQ(breaching.transitions[0].reason,
            "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as "
            "[Breaching].");
  // Missing without data: INSUFFICIENT_DATA throughout, no transition.
  AlarmEvaluation missing = EvaluateAlarm(Config(1, 1, "missing"), nullptr, AlarmWindow{kT0, kT0 + 900'000});
  EXPECT_TRUE(missing.transitions.empty());
  EXPECT_EQ(missing.final_state, AlarmState::kInsufficientData);
  EXPECT_EQ(missing.evaluations, 3u);
  // No data and no window: nothing to evaluate.
  EXPECT_EQ(EvaluateAlarm(Config(1, 1, "notBreaching"), nullptr).evaluations, 0u);
}

// A 2-out-of-3 alarm on 1-minute periods over a bursty series, checked minute by minute.
TEST(AlarmTimelineTest, TwoOutOfThreeOneMinutePeriods) {
  MetricSeries s;
  s.key = MakeMetricKey("us-east-1", "CloudTrailMetrics", "ConsoleLoginFailure");
  // Values per minute from 12:00: 5 0 5 | - - | 0 0 0 | 5 5
  const double v[] = {5, 0, 5, -1, -1, 0, 0, 0, 5, 5};
  for (int i = 0; i < 10; ++i) {
    if (v[i] >= 0) s.datapoints.push_back({kT0 + i * kMin, Statistics{1, v[i], v[i], v[i]}});
  }
  AlarmEvaluation e = EvaluateAlarm(Config(3, 2, "missing", "GreaterThanThreshold", 1, 60, "Maximum"), &s);
  ASSERT_FALSE(e.error);
  std::vector<std::string> got;
  for (const auto& t : e.transitions) got.push_back(FormatIsoUtc(t.timestamp_ms).substr(11, 5) + " " + AlarmStateName(t.to));
  // 12:01 [5]: 1 real breaching, age 1 < 2 -> INSUFFICIENT_DATA (no change); 12:02 [5 0]: OK;
  // 12:03 [5 0 5]: 2 of 3 -> ALARM; 12:04, 12:05 [5 0 5 - -] still the 3 most recent real -> ALARM;
  // 12:06 [0 5 - - 0] -> OK; 12:09 [- 0 0 0 5] -> OK; 12:10 [0 0 0 5 5] -> ALARM; then the data ages
  // out: 12:13 [5 5 - - -] has 2 breaching -> ALARM; 12:14 [5 - - - -] the oldest breaching datapoint is 5
  // periods old -> ALARM; 12:15 nothing left in range -> INSUFFICIENT_DATA.
  EXPECT_EQ(got, (std::vector<std::string>{"12:02 OK", "12:03 ALARM", "12:06 OK", "12:10 ALARM",
                                           "12:15 INSUFFICIENT_DATA"}));
  ASSERT_EQ(e.transitions[1].evaluated.size(), 3u);
  EXPECT_EQ(e.transitions[1].reason,
            "Threshold Crossed: 2 out of the last 3 datapoints [5.0 (10/07/23 12:02:00), 5.0 (10/07/23 12:00:00)] "
            "were greater than the threshold (1.0) (minimum 2 datapoints for OK -> ALARM transition).");
  EXPECT_EQ(e.transitions[2].reason,
            "Threshold Crossed: 2 out of the last 3 datapoints [0.0 (10/07/23 12:05:00), 0.0 (10/07/23 12:01:00)] "
            "were not greater than the threshold (1.0) (minimum 2 datapoints for ALARM -> OK transition).");
}

TEST(AlarmTimelineTest, LongSparseWindowIsCheap) {
  MetricSeries s = FailureSeries();
  s.datapoints.push_back({kT0 + 20LL * 86'400'000, Statistics{5, 5, 1, 1}});
  AlarmConfig c = Config(1, 1, "notBreaching");
  c.period = 60;
  AlarmEvaluation e = EvaluateAlarm(c, &s, AlarmWindow{kT0, kT0 + 30LL * 86'400'000});
  EXPECT_EQ(e.evaluations, 30u * 1440u);
  EXPECT_EQ(e.final_state, AlarmState::kOk);
  EXPECT_EQ(e.transitions.size(), 3u);  // OK; ALARM on day 20 (1-minute sums of 1 stay below 3); OK
  // Far too many periods: an error, not an endless loop.
  AlarmEvaluation huge = EvaluateAlarm(c, &s, AlarmWindow{0, 253'402'300'799'000});
  ASSERT_TRUE(huge.error.has_value());
  EXPECT_NE(huge.error->message.find("evaluations"), std::string::npos);
}

TEST(AlarmMatchTest, MatchesNamespaceNameDimensionsAndRegion) {
  std::vector<MetricSeries> series(4);
  series[0].key = MakeMetricKey("us-east-1", "CloudTrailMetrics", "ConsoleLoginFailure", {{"user", "bob"}});
  series[1].key = MakeMetricKey("eu-west-1", "CloudTrailMetrics", "ConsoleLoginFailure");
  series[2].key = MakeMetricKey("us-east-1", "CloudTrailMetrics", "ConsoleLoginFailure");
  series[3].key = MakeMetricKey("", "CloudTrailMetrics", "ConsoleLoginFailure");
  AlarmConfig plain = Config(1, 1, "missing");
  EXPECT_FALSE(AlarmWatches(plain, series[0]));
  EXPECT_FALSE(AlarmWatches(plain, series[1]));
  EXPECT_TRUE(AlarmWatches(plain, series[2]));
  EXPECT_TRUE(AlarmWatches(plain, series[3]));
  AlarmConfig bob = plain;
  bob.dimensions = {{"user", "bob"}};
  EXPECT_TRUE(AlarmWatches(bob, series[0]));
  series[2].datapoints = {{kT0, Statistics{3, 3, 1, 1}}};
  auto evals = EvaluateAlarms({plain, bob}, series);
  ASSERT_EQ(evals.size(), 2u);
  EXPECT_TRUE(evals[0].metric_found);
  EXPECT_EQ(evals[0].final_state, AlarmState::kInsufficientData);
  ASSERT_FALSE(evals[0].transitions.empty());
  EXPECT_EQ(evals[0].transitions[0].to, AlarmState::kAlarm);  // picked the us-east-1 series with data
  EXPECT_TRUE(evals[1].metric_found);
}

TEST(AlarmJsonTest, Shape) {
  MetricSeries s = FailureSeries();
  auto evals = EvaluateAlarms({Config(1, 0, "notBreaching")}, {s});
  auto j = AlarmsToJson(evals);
  ASSERT_EQ(j.size(), 1u);
  const auto& a = j[0];
  std::vector<std::string> keys;
  for (auto it = a.begin(); it != a.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"name", "region", "namespace", "metric_name", "dimensions", "statistic",
                                            "period", "evaluation_periods", "datapoints_to_alarm", "threshold",
                                            "comparison_operator", "treat_missing_data", "final_state",
                                            "transitions", "metric_found"}));
  EXPECT_EQ(a["datapoints_to_alarm"], 1);
  EXPECT_EQ(a["threshold"].dump(), "3");
  EXPECT_EQ(a["final_state"], "OK");
  ASSERT_EQ(a["transitions"].size(), 2u);
  EXPECT_EQ(a["transitions"][0]["timestamp"], "2023-07-10T12:45:00Z");
  EXPECT_EQ(a["transitions"][0]["from"], "INSUFFICIENT_DATA");
  EXPECT_EQ(a["transitions"][0]["to"], "ALARM");
  EXPECT_EQ(a["transitions"][0]["value"], 4);
  EXPECT_EQ(a["transitions"][0]["datapoints"][0]["timestamp"], "2023-07-10T12:40:00Z");
  EXPECT_TRUE(a["transitions"][1]["value"].is_null());
  EXPECT_EQ(a["transitions"][1]["filled_missing"], 1);
  // An invalid alarm keeps its place with an error.
  AlarmConfig bad = Config(1, 1, "missing", "GreaterThanUpperThreshold");
  auto jb = AlarmsToJson(EvaluateAlarms({bad}, {s}));
  EXPECT_TRUE(jb[0].contains("error"));
  EXPECT_TRUE(jb[0]["transitions"].empty());
}

TEST(AlarmNumberTest, JavaStyle) {
  EXPECT_EQ(FormatAlarmNumber(5), "5.0");
  EXPECT_EQ(FormatAlarmNumber(0), "0.0");
  EXPECT_EQ(FormatAlarmNumber(0.25), "0.25");
  EXPECT_EQ(FormatAlarmNumber(15.803533), "15.803533");
  EXPECT_EQ(FormatAlarmNumber(20000), "20000.0");
  EXPECT_EQ(FormatAlarmNumber(-3), "-3.0");
  EXPECT_EQ(FormatAlarmNumber(1e7), "1.0E7");
  EXPECT_EQ(FormatAlarmNumber(1.5e-4), "1.5E-4");
  EXPECT_EQ(FormatAlarmNumber(0.001), "0.001");
}

}  // namespace
}  // namespace trailwatch::engine
