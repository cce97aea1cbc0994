// report_html_test.cc: the HTML report renders the documented example, is well-formed (balanced tags),
// self-contained, escapes untrusted text, draws one chart per metric with the alarm threshold and
// transitions, and survives any document (mistyped fields, random structures, extreme values).
#include "tools/report/report_html.h"

#include <cstdio>
#include <fstream>
#include <functional>
#include <random>
#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "engine/cloudwatch/alarms.h"
#include "engine/cloudwatch/metrics.h"
#include "engine/routing/replay.h"
#include "engine/routing/result.h"
#include "engine/setup/sources.h"
#include "tests/support/temp_path.h"
#include "tools/report/format.h"

namespace trailwatch::engine {
namespace {

using J = nlohmann::ordered_json;

// The example document of the `trailwatch replay --output json` schema (README "replay --output json").
const char kExample[] = R"({"trailwatch": "0.1.0", "time_range": {"start": "2023-07-10T12:00:00Z", "end": "2023-07-10T13:00:00Z"},
 "input": {"files": 3, "bytes": 123, "records": 15, "malformed": 0, "skipped": 0, "unreadable": 0,
           "by_file": [{"file": "...", "format": "cloudtrail", "bytes": 1, "records": 1, "malformed": 0, "skipped": 0}],
           "problems": [{"file": "...", "line": 3, "offset": 120, "kind": "malformed JSON", "message": "..."}]},
 "log_groups": [{"name": "/aws/events/console-login", "region": "us-east-1", "messages": 30, "raw_records": 15, "eventbridge_events": 15, "text": 0}],
 "metrics": [{"namespace": "CloudTrailMetrics", "name": "ConsoleLoginFailure", "dimensions": {}, "unit": "Count",
              "filter": "ConsoleLoginFailureFilter", "log_group": "/aws/events/console-login",
              "sum": 4, "sample_count": 4,
              "datapoints": [{"timestamp": "2023-07-10T12:44:00Z", "sum": 1, "sample_count": 1, "min": 1, "max": 1}]}],
 "alarms": [{"name": "ConsoleLoginFailures", "region": "us-east-1", "namespace": "CloudTrailMetrics", "metric_name": "ConsoleLoginFailure",
             "dimensions": {}, "statistic": "Sum", "period": 300, "evaluation_periods": 1, "datapoints_to_alarm": 1,
             "threshold": 3, "comparison_operator": "GreaterThanOrEqualToThreshold", "treat_missing_data": "notBreaching",
             "final_state": "OK",
             "transitions": [{"timestamp": "2023-07-10T12:45:00Z", "from": "INSUFFICIENT_DATA", "to": "ALARM", "reason": "...", "value": 4}]}],
 "findings": [{"kind": "uncovered-region", "severity": "high", "message": "...", "count": 2,
               "examples": [{"file": "...", "line": 7, "event_id": "...", "region": "eu-west-1", "event_time": "...", "detail": "..."}]}]})";

size_t Count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + 1)) ++n;
  return n;
}

// Checks that every element we emit is closed in order. Returns "" when well-formed, else what is wrong.
std::string CheckBalanced(const std::string& html) {
  static const std::set<std::string> kVoid = {"meta", "br", "hr", "img", "input", "link"};
  std::vector<std::string> stack;
  size_t i = 0;
  while ((i = html.find('<', i)) != std::string::npos) {
    if (html.compare(i, 9, "<!DOCTYPE") == 0) {
      i = html.find('>', i);
      if (i == std::string::npos) return "unterminated doctype";
      continue;
    }
    if (html.compare(i, 4, "<!--") == 0) {
      i = html.find("-->", i);
      if (i == std::string::npos) return "unterminated comment";
      continue;
    }
    size_t close = html.find('>', i);
    if (close == std::string::npos) return "unterminated tag at " + std::to_string(i);
    std::string tag = html.substr(i + 1, close - i - 1);
    if (tag.find('<') != std::string::npos) return "'<' inside a tag at " + std::to_string(i);
    bool closing = !tag.empty() && tag[0] == '/';
    bool self = !tag.empty() && tag.back() == '/';
    size_t start = closing ? 1 : 0;
    size_t end = tag.find_first_of(" \t\n/", start);
    std::string name = tag.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (name.empty()) return "empty tag name at " + std::to_string(i);
    // Quotes in attributes must pair up.
    if (std::count(tag.begin(), tag.end(), '"') % 2 != 0) return "unbalanced quotes in <" + tag + ">";
    if (closing) {
      if (stack.empty() || stack.back() != name) {
        return "</" + name + "> closes " + (stack.empty() ? std::string("nothing") : "<" + stack.back() + ">");
      }
      stack.pop_back();
    } else if (!self && !kVoid.count(name)) {
      stack.push_back(name);
      if (name == "style") {  // raw text until </style>
        size_t s = html.find("</style>", close);
        if (s == std::string::npos) return "unterminated style";
        close = s - 1;
      }
    }
    i = close + 1;
  }
  if (!stack.empty()) return "unclosed <" + stack.back() + ">";
  return "";
}

void ExpectSelfContained(const std::string& html) {
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find(" src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  // url(...) only for in-page references (clip paths).
  for (size_t p = html.find("url("); p != std::string::npos; p = html.find("url(", p + 1)) {
    EXPECT_EQ(html[p + 4], '#') << html.substr(p, 40);
  }
}

// One byte formatter for every printer: decimal units (the text summary's; the report used to divide by 1024).
TEST(ReportFormatTest, BytesAreDecimal) {
  const std::pair<double, const char*> cases[] = {{0, "0 B"},         {999, "999 B"},       {1000, "1.0 KB"},
                                                  {16246, "16.2 KB"}, {1048576, "1.0 MB"}, {3.4e9, "3.4 GB"},
                                                  {2e15, "2000.0 TB"}};
  for (const auto& [bytes, text] : cases) EXPECT_EQ(report::FormatBytes(bytes), text) << bytes;
  std::string doc = kExample;
  doc.replace(doc.find("\"bytes\": 123"), 12, "\"bytes\": 16246");
  EXPECT_NE(RenderHtmlReport(nlohmann::ordered_json::parse(doc)).find("16.2 KB"), std::string::npos);
}

// The page from the typed result is the page from its JSON document, on a real replay: the sample's setup and
// sign-ins (metrics, alarms with transitions, findings with examples) plus a file with a malformed line and
// one without a newline at the end (input problems).
TEST(ReportHtmlTest, TypedResultAndItsJsonGiveTheSamePage) {
  const std::string sample = std::string(TW_SOURCE_DIR) + "/samples/console-login/";
  auto setup = LoadSetupFile(sample + "setup.yaml");
  ASSERT_TRUE(setup.ok()) << setup.error().message;
  const std::string broken = trailwatch::test_support::UniqueTempPath("broken.ndjson");
  {
    std::ofstream out(broken);
    out << "{\"eventVersion\": \"1.08\", \"eventName\": \"ConsoleLogin\"\n{not json\n";
  }
  std::vector<ReplayError> errors;
  auto replay = Replay::Create(setup.value(), {}, &errors);
  ASSERT_TRUE(replay.ok());
  const ReplayResult result = replay.value()->Run({sample + "events/AWSLogs", sample + "events/raw-cloudtrail.ndjson", broken});
  ASSERT_FALSE(result.findings.empty());
  ASSERT_FALSE(result.alarms.empty());
  ASSERT_FALSE(result.input.problems.empty());
  const std::string typed = RenderHtmlReport(result);
  EXPECT_EQ(typed, RenderHtmlReport(ToJson(result)));
  EXPECT_NE(typed.find("console-login-failures"), std::string::npos);
  std::remove(broken.c_str());
}

TEST(ReportHtmlTest, RendersTheDocumentedExample) {
  std::string html = RenderHtmlReport(J::parse(kExample));
  ASSERT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(CheckBalanced(html), "");
  ExpectSelfContained(html);
  EXPECT_EQ(Count(html, "<svg class=\"chart\""), 1u);
  EXPECT_EQ(Count(html, "<g class=\"threshold\">"), 1u);
  EXPECT_EQ(Count(html, "<g class=\"transition to-alarm\">"), 1u);
  EXPECT_EQ(Count(html, "<rect class=\"alarm-band\""), 1u);  // ALARM from 12:45 to the end of the range
  EXPECT_EQ(Count(html, "<rect class=\"bar\""), 1u);
  EXPECT_NE(html.find("CloudTrailMetrics / ConsoleLoginFailure"), std::string::npos);
  EXPECT_NE(html.find("ConsoleLoginFailures \xE2\x89\xA5 3 (Sum / 5 min)"), std::string::npos);
  EXPECT_NE(html.find("uncovered-region"), std::string::npos);
  EXPECT_NE(html.find("2023-07-10 12:00 UTC"), std::string::npos);
  EXPECT_NE(html.find("12:30"), std::string::npos);  // an x tick
  EXPECT_NE(html.find("<table class=\"transitions\">"), std::string::npos);
  EXPECT_NE(html.find("malformed JSON"), std::string::npos);
  EXPECT_NE(html.find("<svg class=\"state-strip\""), std::string::npos);
  // The Sum-per-5-min line of the alarm is drawn (its period differs from the 1-minute bars).
  EXPECT_EQ(Count(html, "<path class=\"stat\""), 1u);
}

TEST(ReportHtmlTest, EscapesUntrustedText) {
  J doc = J::parse(kExample);
  const std::string evil = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>&amp;";
  doc["findings"][0]["examples"][0]["detail"] = evil;
  doc["findings"][0]["message"] = evil;
  doc["findings"][0]["kind"] = evil;
  doc["findings"][0]["severity"] = evil;
  doc["metrics"][0]["name"] = evil;
  doc["metrics"][0]["dimensions"] = {{evil, evil}};
  doc["alarms"][0]["name"] = evil;
  doc["alarms"][0]["metric_name"] = evil;
  doc["alarms"][0]["dimensions"] = {{evil, evil}};
  doc["alarms"][0]["transitions"][0]["reason"] = evil;
  doc["alarms"][0]["comparison_operator"] = evil;
  doc["alarms"][0]["statistic"] = evil;
  doc["input"]["problems"][0]["message"] = evil;
  doc["input"]["by_file"][0]["file"] = evil;
  doc["log_groups"][0]["name"] = evil;
  doc["trailwatch"] = evil;
  std::string html = RenderHtmlReport(doc);
  EXPECT_EQ(CheckBalanced(html), "");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("onerror=alert(1)>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x"), std::string::npos);
  EXPECT_NE(html.find("&amp;amp;"), std::string::npos);
  // The alarm still finds its metric (same escaped-or-not name) and draws its threshold.
  EXPECT_EQ(Count(html, "<g class=\"threshold\">"), 1u);
}

TEST(ReportHtmlTest, HtmlEscapeReplacesInvalidUtf8AndControls) {
  EXPECT_EQ(HtmlEscape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
  EXPECT_EQ(HtmlEscape("caf\xC3\xA9 \xE2\x86\x92 \xF0\x9F\x94\x92"), "caf\xC3\xA9 \xE2\x86\x92 \xF0\x9F\x94\x92");
  EXPECT_EQ(HtmlEscape("x\xFFy"), "x\xEF\xBF\xBDy");
  EXPECT_EQ(HtmlEscape("\xC3"), "\xEF\xBF\xBD");             // truncated sequence
  EXPECT_EQ(HtmlEscape("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(HtmlEscape("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(HtmlEscape(std::string("a\0b\x1b[31m", 8)), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD[31m");
  EXPECT_EQ(HtmlEscape("\xC2\x85"), "\xEF\xBF\xBD");  // C1 control
  EXPECT_EQ(HtmlEscape("tab\tnl\n"), "tab\tnl\n");
}

// End to end from the engine: store -> series -> alarms -> JSON -> HTML, one chart per metric.
TEST(ReportHtmlTest, OneChartPerMetricFromTheEngine) {
  MetricStore store;
  FilterSpec ok{"ConsoleLoginSuccessFilter", "us-east-1", "/aws/events/console-login", "CloudTrailMetrics",
                "ConsoleLoginSuccess", "Count", 0.0, false};
  FilterSpec fail = ok;
  fail.name = "ConsoleLoginFailureFilter";
  fail.metric_name = "ConsoleLoginFailure";
  fail.default_value.reset();
  FilterSpec silent = ok;
  silent.name = "RootLoginFilter";
  silent.metric_name = "RootLogin";
  silent.default_value.reset();
  auto fok = store.AddFilter(ok), ffail = store.AddFilter(fail);
  store.AddFilter(silent);
  const int64_t t0 = *ParseIsoUtc("2023-07-10T12:00:00Z");
  for (int m = 0; m < 60; m += 3) {
    store.RecordIngested("us-east-1", "/aws/events/console-login", t0 + m * 60'000, 2);
    if (m % 9 == 0) store.RecordMatch(fok, t0 + m * 60'000, 1.0);
  }
  for (int m = 40; m < 46; ++m) store.RecordMatch(ffail, t0 + m * 60'000 + 1, 1.0);
  auto series = store.Series();
  ASSERT_EQ(series.size(), 3u);
  AlarmConfig a;
  a.name = "ConsoleLoginFailures";
  a.region = "us-east-1";
  a.metric_namespace = "CloudTrailMetrics";
  a.metric_name = "ConsoleLoginFailure";
  a.period = 300;
  a.threshold = 2;
  a.treat_missing_data = "notBreaching";
  AlarmConfig b = a;
  b.name = "NoSuccessfulLogins";
  b.metric_name = "ConsoleLoginSuccess";
  b.comparison_operator = "LessThanThreshold";
  b.threshold = 1;
  b.statistic = "Sum";
  b.period = 600;
  AlarmWindow window{t0, t0 + 3'600'000};
  auto evals = EvaluateAlarms({a, b}, series, window);
  J doc = J::parse(kExample);
  doc["metrics"] = MetricsToJson(series);
  doc["alarms"] = AlarmsToJson(evals);
  std::string html = RenderHtmlReport(doc);
  EXPECT_EQ(CheckBalanced(html), "");
  ExpectSelfContained(html);
  EXPECT_EQ(Count(html, "<svg class=\"chart\""), 3u);
  EXPECT_EQ(Count(html, "<g class=\"threshold\">"), 2u);
  EXPECT_NE(html.find("No datapoints: nothing was published to this metric"), std::string::npos);
  EXPECT_GE(Count(html, "<g class=\"transition to-alarm\">"), 1u);
  EXPECT_GE(Count(html, "<rect class=\"alarm-band\""), 1u);
  EXPECT_NE(html.find("Threshold Crossed: "), std::string::npos);
}

TEST(ReportHtmlTest, LongRangesAreBinned) {
  J doc = J::parse(kExample);
  J dps = J::array();
  const int64_t t0 = *ParseIsoUtc("2023-07-01T00:00:00Z");
  for (int m = 0; m < 30 * 1440; m += 7) {
    dps.push_back({{"timestamp", FormatIsoUtc(t0 + m * 60'000LL)}, {"sum", m % 5}, {"sample_count", 1}, {"min", 0}, {"max", 4}});
  }
  doc["metrics"][0]["datapoints"] = dps;
  doc["time_range"] = {{"start", "2023-07-01T00:00:00Z"}, {"end", "2023-07-31T00:00:00Z"}};
  std::string html = RenderHtmlReport(doc);
  EXPECT_EQ(CheckBalanced(html), "");
  EXPECT_LE(Count(html, "<rect class=\"bar\""), 721u);
  EXPECT_GE(Count(html, "<rect class=\"bar\""), 300u);
  EXPECT_NE(html.find("bars: sum per 1 h"), std::string::npos);
}

TEST(ReportHtmlTest, ToleratesMistypedAndMissingFields) {
  const char* docs[] = {
      "null", "[]", "\"text\"", "42", "{}",
      R"({"metrics": "x", "alarms": {}, "findings": 5, "input": [], "log_groups": null, "time_range": "bad"})",
      R"({"metrics": [1, "a", null, {"datapoints": [1, "a", {"timestamp": 5}, {"timestamp": "2023-07-10T12:00:00Z"},
          {"timestamp": "2023-07-10T12:00:00Z", "sum": "1"}, {"timestamp": "9999-12-31T23:59:00Z", "sum": 1e308},
          {"timestamp": "0001-01-01T00:00:00Z", "sum": -1e308}]}],
          "alarms": [{"period": 1e300, "threshold": "x", "transitions": [{"timestamp": "garbage"}, 7]},
                     {"period": -5, "threshold": 1e308, "statistic": "Average", "transitions": [
                       {"timestamp": "2023-07-10T12:00:00Z", "to": "ALARM"}]}],
          "findings": [{"examples": [1, {"line": "x", "file": ["a", {"b": 1}]}]}],
          "input": {"by_file": [{}], "problems": [null], "records": "many"},
          "time_range": {"start": "2023-07-10T13:00:00Z", "end": "2023-07-10T12:00:00Z"}})",
      R"({"metrics": [{"name": "M", "datapoints": [{"timestamp": "2023-07-10T12:00:00Z", "sum": 0}]}],
          "alarms": [{"metric_name": "M", "period": 60, "threshold": 0, "statistic": "Sum"}]})",
  };
  for (const char* text : docs) {
    SCOPED_TRACE(text);
    std::string html = RenderHtmlReport(J::parse(text));
    EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_EQ(CheckBalanced(html), "");
  }
}

// Random documents shaped like the schema, with random types and strings: never a crash, always balanced.
TEST(ReportHtmlTest, RandomDocumentsRenderWellFormed) {
  std::mt19937_64 rng(1234);
  const std::vector<std::string> strings = {"", "<", "&", "\"", "'", "x", "2023-07-10T12:44:00Z", "ALARM", "OK",
                                            "INSUFFICIENT_DATA", "Sum", "Average", "high", "\xFF\xFE", "</svg>",
                                            "GreaterThanThreshold", "LessThanOrEqualToThreshold",
                                            "2023-07-10T12:00:00Z", "1970-01-01T00:00:00Z"};
  const std::vector<std::string> keys = {"name", "namespace", "metric_name", "dimensions", "datapoints", "timestamp",
                                         "sum", "sample_count", "min", "max", "period", "threshold", "statistic",
                                         "comparison_operator", "transitions", "to", "from", "reason", "value",
                                         "examples", "severity", "kind", "message", "count", "detail", "file", "line",
                                         "final_state", "region"};
  std::function<J(int)> gen = [&](int depth) -> J {
    int kind = static_cast<int>(rng() % (depth > 3 ? 4 : 7));
    switch (kind) {
      case 0: return nullptr;
      case 1: return strings[rng() % strings.size()];
      case 2: return static_cast<double>(static_cast<int64_t>(rng() % 2000) - 500) * (rng() % 2 ? 1 : 0.25);
      case 3: return static_cast<bool>(rng() % 2);
      case 4:
      case 5: {
        J o = J::object();
        for (int i = 0, n = static_cast<int>(rng() % 6); i < n; ++i) o[keys[rng() % keys.size()]] = gen(depth + 1);
        return o;
      }
      default: {
        J a = J::array();
        for (int i = 0, n = static_cast<int>(rng() % 5); i < n; ++i) a.push_back(gen(depth + 1));
        return a;
      }
    }
  };
  for (int trial = 0; trial < 300; ++trial) {
    J doc = J::object();
    for (const char* top : {"metrics", "alarms", "findings", "log_groups"}) {
      J arr = J::array();
      for (int i = 0, n = static_cast<int>(rng() % 4); i < n; ++i) arr.push_back(gen(1));
      doc[top] = arr;
    }
    doc["input"] = gen(1);
    doc["time_range"] = gen(2);
    std::string html = RenderHtmlReport(doc);
    ASSERT_EQ(CheckBalanced(html), "") << doc.dump(-1, ' ', false, J::error_handler_t::replace);
  }
}

}  // namespace
}  // namespace trailwatch::engine
