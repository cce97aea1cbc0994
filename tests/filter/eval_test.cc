// eval_test.cc: the filter evaluator (engine/filter/filter_set.h), table-driven: pattern x message -> match,
// plus extracted values, metric values and the sharing of one parse by many patterns. Every case is also
// checked against the reference interpreter (tests/filter/reference_eval.h).
#include <gtest/gtest.h>

#include "engine/filter/filter_set.h"
#include "patterns/filter/compile.h"
#include "patterns/filter/metric.h"
#include "tests/filter/reference_eval.h"

namespace trailwatch::engine {
namespace {

struct Case {
  const char* pattern;
  const char* message;
  bool match;
  bool check_reference = true;  // false: the reference's JSON library cannot represent the event exactly
};

// The JSON document of the AWS user guide's examples (matching-terms-json-log-events).
constexpr const char* kGuideDoc =
    R"({"eventType":"UpdateTrail","sourceIPAddress":"111.111.111.111","arrayKey":["value","another value"],)"
    R"("objectList":[{"name":"a","id":1},{"name":"b","id":2}],"SomeObject":null,"ThisFlag":true})";
constexpr const char* kCompoundDoc =
    R"({"user":{"id":1,"email":"John.Stiles@example.com"},"users":[{"id":2,"email":"John.Doe@example.com"},)"
    R"({"id":3,"email":"Jane.Doe@example.com"}],"actions":["GET","PUT","DELETE"],"coordinates":[[0,1,2],[4,5,6],[7,8,9]]})";

const Case kCases[] = {
    // ---- match-all
    {"", "anything", true},
    {" ", "", true},
    {R"(" ")", "nospace", true},
    // ---- terms: case-sensitive substring, AND, ?OR, -exclusion
    {"ERROR", "[ERROR] A fatal exception has occurred", true},
    {"ERROR", "Exiting with ERRORCODE: -1", true},
    {"ERROR", "error: lower case", false},
    {"ERROR Exception", "[ERROR] Caught IllegalArgumentException", true},
    {"ERROR Exception", "[ERROR] Caught Illegal", false},
    {"ERROR -Exiting", "Exiting with ERRORCODE: -1", false},
    {"ERROR -Exiting", "[ERROR] A fatal exception", true},
    {"?ERROR ?WARN", "WARN message", true},
    {"?ERROR ?WARN", "INFO message", false},
    {"?Error ?fatal", "[ERROR] A fatal exception has occurred", true},
    {"?Error ?fatal", "[ERROR] Caught IllegalArgumentException", false},
    {"?ERROR ?ARGUMENTS REQUEST", "REQUEST only", true},
    {"?ERROR ?ARGUMENTS REQUEST", "ERROR ARGUMENTS", false},
    {R"("[ERROR]" Exception)", "[ERROR] Unhanded exception: InvalidQueryException", true},
    {R"("INTERNAL SERVER ERROR")", "500 INTERNAL SERVER ERROR here", true},
    {R"("INTERNAL SERVER ERROR")", "INTERNAL ERROR SERVER", false},
    {"ORDER-ITEM-1", "ORDER-ITEM-1 shipped", false},  // read as ORDER -ITEM -1
    {R"("ORDER-ITEM-1")", "ORDER-ITEM-1 shipped", true},
    {"-DEBUG", "INFO line", true},
    {"-DEBUG", "DEBUG line", false},
    {R"("a \"quoted\" word")", R"(say a "quoted" word)", true},
    // ---- standalone regex
    {"%AUTHORIZED%", "[ERROR 401] UNAUTHORIZED REQUEST", true},
    {"%^[hc]at%", "hat trick", true},
    {"%^[hc]at%", "that", false},
    {"%[hc]at$%", "that", true},
    {"%colou?r%", "color", true},
    {"%a{3,5}%", "baaab", true},
    {"%a{3,5}%", "baab", false},
    {"%a{,2}b%", "b", true},
    {"%gra|ey%", "grey", true},
    {"%gra|ey%", "gr", false},
    {"%10\\.10\\.0\\.1%", "10010,051", false},
    {"%10.10.0.1%", "10010,051", true},
    {"%\\x3A%", "key:value", true},
    {"%\\x28%", "f(x)", true},
    {"%[Ee]rror|[Ff]ail%", "Failed to start", true},
    {"%\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}%", "from 192.168.0.1 port", true},
    {"%^starting|^initializing|^shutting down%", "shutting down now", true},
    {"%^starting|^initializing|^shutting down%", "now shutting down", false},
    // ---- JSON: the user guide's examples
    {R"({ $.eventType = "UpdateTrail" })", kGuideDoc, true},
    {"{ $.sourceIPAddress != 123.123.* }", kGuideDoc, true},
    {"{ $.sourceIPAddress != 111.111.* }", kGuideDoc, false},
    {R"({ $.arrayKey[0] = "value" })", kGuideDoc, true},
    {"{ $.objectList[1].id = 2 }", kGuideDoc, true},
    {"{ $.SomeObject IS NULL }", kGuideDoc, true},
    {"{ $.SomeOtherObject NOT EXISTS }", kGuideDoc, true},
    {"{ $.SomeObject NOT EXISTS }", kGuideDoc, false},
    {"{ $.ThisFlag IS TRUE }", kGuideDoc, true},
    {"{ $.ThisFlag IS FALSE }", kGuideDoc, false},
    {"{ $.eventType = %Trail% }", kGuideDoc, true},
    {"{ $.* = %111\\.111\\.111\\.1[0-9]{1,2}% }", kGuideDoc, true},
    {"{ $.arrayKey[*] = \"another value\" }", kGuideDoc, true},
    {"{ $.objectList[*].name = b }", kGuideDoc, true},
    {"{ $.objectList[*].name = c }", kGuideDoc, false},
    {R"({ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") })", kCompoundDoc, true},
    {R"({ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" })", kCompoundDoc, false},
    {R"({ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch })",
     kCompoundDoc, true},
    {R"({ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch })",
     kCompoundDoc, false},
    {"{ $.coordinates[1][2] = 6 }", kCompoundDoc, true},
    // a selector that lands on an object or array never matches, = and != alike
    {"{ $.users = 1 }", R"({"users":[1,2,3]})", false},
    {"{ $.users != 1 }", R"({"users":[1,2,3]})", false},
    {"{ $.user != x }", kCompoundDoc, false},
    // a missing field makes every comparison false, != included
    {R"({ $.userIdentity.invokedBy != "cloudfront.amazonaws.com" })", R"({"userIdentity":{"type":"Root"}})", false},
    {R"({ $.userIdentity.invokedBy != "cloudfront.amazonaws.com" })", R"({"userIdentity":{"invokedBy":"x"}})", true},
    {"{ $.a.b = 1 }", R"({"a":"text"})", false},
    {"{ $.a.b NOT EXISTS }", R"({"a":"text"})", true},
    {"{ $.a[5] NOT EXISTS }", R"({"a":[1]})", true},
    // numbers
    {"{ $.latency >= 500 }", R"({"latency":500})", true},
    {"{ $.latency > +1000 }", R"({"latency":1000.5})", true},
    {"{ $.numbers[0] < 10e3 }", R"({"numbers":[9999]})", true},
    {"{ $.numbers[0] < 10e-3 }", R"({"numbers":[0.01]})", false},
    {"{ $.processes[4].averageRuntime <= 55.5 }", R"({"processes":[0,1,2,3,{"averageRuntime":55.5}]})", true},
    {"{ $.errorCode = 400 }", R"({"errorCode":400})", true},
    {"{ $.errorCode != 500 }", R"({"errorCode":400})", true},
    {"{ $.x = 1e+3 }", R"({"x":1000})", true},
    {"{ $.x = 1000 }", R"({"x":1e3})", true},
    {"{ $.errorCode = 4* }", R"({"errorCode":404})", true},
    {"{ $.errorCode = 4* }", R"({"errorCode":504})", false},
    // number literal vs string value (decision A8): numeric when the string is a number
    {"{ $.count = 3 }", R"({"count":"3"})", true},
    {"{ $.count = 3 }", R"({"count":"3.0"})", true},
    {"{ $.count > 2 }", R"({"count":"3"})", true},
    {"{ $.count > 2 }", R"({"count":"three"})", false},
    {"{ $.count != 2 }", R"({"count":"three"})", true},
    {"{ $.recipientAccountId = 123456789012 }", R"({"recipientAccountId":"123456789012"})", true},
    // string literal vs number value: compared with the number's text
    {R"({ $.status = "404" })", R"({"status":404})", true},
    // booleans and null only through IS
    {"{ $.flag = true }", R"({"flag":true})", false},
    {"{ $.flag != x }", R"({"flag":true})", false},
    {"{ $.v = * }", R"({"v":null})", false},
    {"{ $.v = * }", R"({"v":""})", true},
    {"{ $.v = * }", R"({"v":0})", true},
    {"{ $.v IS NULL }", R"({"v":"null"})", false},
    {"{ $.v IS TRUE }", R"({"v":"true"})", false},
    // wildcards in values
    {R"({ $.errorCode = "*UnauthorizedOperation" })", R"({"errorCode":"Client.UnauthorizedOperation"})", true},
    {R"({ $.errorCode = "AccessDenied*" })", R"({"errorCode":"AccessDeniedException"})", true},
    {R"({ $.errorCode = "AccessDenied*" })", R"({"errorCode":"Client.AccessDenied"})", false},
    {"{ $.x = *Event }", R"({"x":"PutEvent"})", true},
    {"{ $.x = Event* }", R"({"x":"EventName"})", true},
    {"{ $.x = Ev*ent }", R"({"x":"Evxxent"})", false},
    {"{ $.x = Ev*ent }", R"({"x":"Ev*ent"})", true},
    {"{ $.x = *mid* }", R"({"x":"amidb"})", true},
    // case-sensitive values
    {R"({ $.r = "Success" })", R"({"r":"success"})", false},
    // bracket keys, dotted keys, hyphens
    {"{ $.['cluster.name'] = c }", R"({"cluster.name":"c"})", true},
    {"{ $.cluster.name = c }", R"({"cluster.name":"c"})", false},
    {"{ $.cluster.name = c }", R"({"cluster":{"name":"c"}})", true},
    {"{ $.detail-type = x }", R"({"detail-type":"x"})", true},
    // a duplicate key: the last value wins
    {"{ $.a = 1 }", R"({"a":1,"a":2})", false},
    {"{ $.a = 2 }", R"({"a":1,"a":2})", true},
    {"{ $.* = 1 }", R"({"a":1,"a":2})", false},
    // not JSON: no JSON pattern matches, not even NOT EXISTS
    {"{ $.a NOT EXISTS }", "plain text", false},
    {"{ $.a NOT EXISTS }", "{broken json", false},
    {"{ $.a NOT EXISTS }", "{}", true},
    {"{ $.a = 1 }", R"(  {"a":1}  )", true},
    {"{ $.a = 1 }", R"(2023-01-01 INFO {"a":1})", false},
    // numbers beyond 64-bit integers and doubles still parse (AWS's parser reads them)
    {"{ $.a = 1 }", R"({"a":1,"b":123456789012345678901234567890})", true},
    {"{ $.b = 1234567890123456789012345* }", R"({"b":123456789012345678901234567890})", true, false},
    {"{ $.b > 1e20 }", R"({"b":123456789012345678901234567890})", true},
    {"{ $.b > 5 }", R"({"b":1e400})", true, false},
    {"{ $.b = 18446744073709551615 }", R"({"b":18446744073709551615})", true},
    // escapes in JSON strings are decoded before matching
    {R"({ $.a = "x\"y" })", R"({"a":"x\"y"})", true},
    {"{ $.a = \"\xC3\xA9t\xC3\xA9\" }", R"({"a":"\u00e9t\u00e9"})", true},
    // ---- the story's two filters: && binds tighter than ||
    {R"({ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") || ($.detail.eventName = ConsoleLogin) && ($.detail.errorMessage = "Failed authentication") })",
     R"({"eventName":"ConsoleLogin","errorMessage":"Failed authentication"})", true},
    {R"({ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") || ($.detail.eventName = ConsoleLogin) && ($.detail.errorMessage = "Failed authentication") })",
     R"({"detail":{"eventName":"ConsoleLogin","errorMessage":"Failed authentication"}})", true},
    {R"({ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") || ($.detail.eventName = ConsoleLogin) && ($.detail.errorMessage = "Failed authentication") })",
     R"({"eventName":"ConsoleLogin","detail":{"errorMessage":"Failed authentication"}})", false},
    // ---- space-delimited
    {"[ip, user, username, timestamp, request, status_code, bytes > 1000]",
     R"(127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534)", true},
    {"[ip, user, username, timestamp, request, status_code, bytes > 1000]",
     R"(127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 534)", false},
    {"[ip, user, username, timestamp, request, status_code = 4*, bytes]",
     R"(127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534)", true},
    {"[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]",
     R"(127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534)", true},
    {"[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]",
     R"(127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.php HTTP/1.0" 404 1534)", false},
    {"[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]",
     R"(127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /x HTTP/1.0" 403 1534)", false},
    {"[..., status_code = 404 || status_code = 410, bytes]", "a b 410 12", true},
    {"[..., status_code = 404 || status_code = 410, bytes]", "a b 411 12", false},
    {"[w1=ERROR, w2]", "ERROR 09/25/2014 12:00:02 Failed to process request", true},
    {"[w1=ERROR]", "ERROR 09/25/2014 12:00:02 Failed to process request", false},
    {"[w1=ERROR]", "ERROR", true},
    {"[w1=ERROR || w1=WARN, w2]", "WARN message", true},
    {"[w1=ERROR || w1=%WARN%, w2]", "xWARNx message", true},
    {"[w1!=ERROR && w1!=WARNING, w2]", "INFO message", true},
    {"[w1!=ERROR && w1!=WARNING, w2]", "WARNING message", false},
    {"[a, b, c]", "only two", false},
    {"[...]", "", true},
    {"[]", "a b c", true},
    {R"([timestamp=*Z, request_id="*-*", event])",
     "2019-01-01T00:00:00.000Z\t8f5f8a2e-1c3b-4d2a-9e8f-000000000000\tINFO\tstarted", true},
    {R"([timestamp=*Z, request_id="*-*", event])", "2019-01-01T00:00:00.000 abc INFO started", false},
    {"[a, b = 5]", "x 5.0", true},
    {"[a, b = 5]", "x five", false},
    {"[a, b != 5]", "x five", true},
    {"[a, b >= 10]", "x 1e1", true},
    {"[..., url = %/service/resource/[0-9]+$%]", "GET /service/resource/42", true},
    {"[..., url = %/service/resource/[0-9]+$%]", "GET /service/resource/42x", false},
    {"[ip, ...]", "   10.0.0.1    more   fields  ", true},
    {R"([a, b="x y", c])", R"(1 "x y" 3)", true},
    {R"([a, b, c])", R"(1 "unterminated quote)", false},
    {R"([a, b])", R"(1 "unterminated quote)", true},
};

TEST(FilterEvalTest, Table) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(std::string(c.pattern) + "  ON  " + c.message);
    auto ast = filter::AnalyzeFilterPattern(c.pattern);
    ASSERT_TRUE(ast.ok()) << ast.error().message;
    auto compiled = filter::CompileFilterAst(ast.value());
    ASSERT_TRUE(compiled.ok());
    FilterSet set({compiled.value()});
    FilterScratch scratch;
    set.Evaluate(c.message, scratch);
    EXPECT_EQ(set.Matched(0, scratch), c.match);
    if (c.check_reference) {
      EXPECT_EQ(testing::ReferenceMatch(ast.value(), c.message), c.match) << "reference interpreter";
    }
  }
}

// Every pattern of the table evaluated together against every message gives the same answers as one by one:
// the shared parse and trie change nothing.
TEST(FilterEvalTest, ManyPatternsShareOneParse) {
  std::vector<std::shared_ptr<const filter::CompiledPattern>> all;
  for (const Case& c : kCases) all.push_back(filter::CompileFilterPattern(c.pattern).value());
  FilterSet set(all);
  FilterScratch scratch;
  FilterScratch one_scratch;
  for (const Case& m : kCases) {
    set.Evaluate(m.message, scratch);
    for (size_t i = 0; i < all.size(); ++i) {
      FilterSet one({all[i]});
      one.Evaluate(m.message, one_scratch);
      ASSERT_EQ(set.Matched(i, scratch), one.Matched(0, one_scratch)) << kCases[i].pattern << " ON " << m.message;
    }
  }
}

// The literal prefilter never rejects a message that matches: literals spelled with \u escapes, numbers
// spelled differently, keywords, negations — each case evaluated with and without the fast paths.
TEST(FilterEvalTest, PrefilterIsExact) {
  const Case cases[] = {
      {"{ $.eventName = ConsoleLogin }", R"({"eventName":"Console\u004cogin"})", true},
      {"{ $.eventName = ConsoleLogin }", R"({"eventName":"ConsoleLogin"})", true},
      {"{ $.eventName = ConsoleLogin }", R"({"eventName":"GetUser"})", false},
      {"{ $.a = \"x/y\" }", R"({"a":"x\/y"})", true},
      {R"({ $.a = "say \"hi\"" })", R"({"a":"say \"hi\""})", true},
      {"{ $.n = \"400\" }", R"({"n":4e2})", true},
      {"{ $.n = 4* }", R"({"n":4.0e2})", true},
      {"{ $.e = AccessDenied* || $.f != x }", R"({"f":"y"})", true},
      {"{ $.e = AccessDenied* && $.f != x }", R"({"f":"y"})", false},
      {"{ $.flag IS TRUE }", R"({"flag":true})", true},
      {"{ $.a NOT EXISTS }", R"({"b":1})", true},
      {"ERROR -DEBUG ?x ?y", "ERROR y", true},   // ?terms ignored: ERROR -DEBUG
      {"ERROR -DEBUG ?x ?y", "ERROR DEBUG x", false},
      {"?x ?y", "zzz y", true},
      {"?x ?y", "zzz", false},
      {"ERROR -DEBUG", "ERROR DEBUG", false},
      {R"("a\u004cb")", R"(a\u004cb)", true},
      {"%Access.*Denied%", "xxAccessYYDenied", true},
      {"[a, b = Denied*]", "1 DeniedX", true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.pattern) + "  ON  " + c.message);
    auto compiled = filter::CompileFilterPattern(c.pattern);
    ASSERT_TRUE(compiled.ok());
    for (bool fast : {true, false}) {
      FilterSet set({compiled.value()}, fast);
      FilterScratch scratch;
      set.Evaluate(c.message, scratch);
      EXPECT_EQ(set.Matched(0, scratch), c.match) << (fast ? "fast paths" : "plain");
    }
  }
}

using Values = std::vector<std::pair<std::string, std::string>>;

Values Extract(const char* pattern, const char* message) {
  auto c = filter::CompileFilterPattern(pattern);
  EXPECT_TRUE(c.ok());
  FilterSet set({c.value()});
  FilterScratch s;
  set.Evaluate(message, s);
  Values v;
  set.ExtractedValues(0, s, &v);
  return v;
}

// TestMetricFilter API reference examples (extractedValues).
TEST(FilterEvalTest, ExtractedValuesLikeTestMetricFilter) {
  const char* apache = R"(127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534)";
  EXPECT_EQ(Extract("[..., request=*.html*, status_code=4*,]", apache),
            (Values{{"$1", "127.0.0.1"}, {"$2", "-"}, {"$3", "frank"}, {"$4", "10/Oct/2000:13:25:15 -0700"},
                    {"$request", "GET /index.html HTTP/1.0"}, {"$status_code", "404"}, {"$7", "1534"}}));
  EXPECT_EQ(Extract("[..., size]", apache),
            (Values{{"$1", "127.0.0.1"}, {"$2", "-"}, {"$3", "frank"}, {"$4", "10/Oct/2000:13:25:15 -0700"},
                    {"$5", "GET /index.html HTTP/1.0"}, {"$6", "404"}, {"$size", "1534"}}));
  EXPECT_EQ(Extract("[]", apache),
            (Values{{"$1", "127.0.0.1"}, {"$2", "-"}, {"$3", "frank"}, {"$4", "10/Oct/2000:13:25:15 -0700"},
                    {"$5", "GET /index.html HTTP/1.0"}, {"$6", "404"}, {"$7", "1534"}}));
  EXPECT_EQ(Extract("[..., status_code=404, size]", apache),
            (Values{{"$1", "127.0.0.1"}, {"$2", "-"}, {"$3", "frank"}, {"$4", "10/Oct/2000:13:25:15 -0700"},
                    {"$5", "GET /index.html HTTP/1.0"}, {"$status_code", "404"}, {"$size", "1534"}}));
  // The last field absorbs the rest of the line.
  EXPECT_EQ(Extract("[w1=ERROR, w2]", "ERROR 09/25/2014 12:00:02 Failed to process request"),
            (Values{{"$w1", "ERROR"}, {"$w2", "09/25/2014 12:00:02 Failed to process request"}}));
  // Other kinds extract nothing.
  EXPECT_TRUE(Extract("ERROR", "ERROR x").empty());
  EXPECT_TRUE(Extract("{ $.a = 1 }", R"({"a":1})").empty());
}

std::optional<double> MetricValue(const char* pattern, const char* value, const char* message,
                                  std::vector<std::pair<std::string, std::string>> dims = {},
                                  std::vector<std::string>* dim_values = nullptr) {
  filter::MetricTransformation t;
  t.metric_name = "m";
  t.metric_namespace = "ns";
  t.metric_value = value;
  t.dimensions = std::move(dims);
  auto mf = filter::CompileMetricFilter("f", pattern, t);
  EXPECT_TRUE(mf.ok()) << (mf.ok() ? "" : mf.error().message);
  if (!mf.ok()) return std::nullopt;
  FilterSet set({mf.value()->pattern});
  FilterScratch s;
  set.Evaluate(message, s);
  if (!set.Matched(0, s)) return std::nullopt;
  if (dim_values) {
    for (const auto& [k, ref] : mf.value()->dimensions) {
      std::string text;
      dim_values->push_back(set.TextOf(0, ref, s, &text) ? text : "<missing>");
    }
  }
  return set.NumberOf(0, mf.value()->value, s);
}

TEST(FilterEvalTest, MetricValues) {
  EXPECT_EQ(MetricValue("{ $.latency = * }", "$.latency", R"({"latency":50})"), 50.0);
  EXPECT_EQ(MetricValue("{ $.latency = * }", "$.latency", R"({"latency":"50"})"), 50.0);
  EXPECT_EQ(MetricValue("{ $.latency = * }", "$.latency", R"({"latency":"fast"})"), std::nullopt);
  EXPECT_EQ(MetricValue("{ $.latency = * }", "1", R"({"latency":"fast"})"), 1.0);
  EXPECT_EQ(MetricValue("ERROR", "2.5", "ERROR"), 2.5);
  // Not referenced by the pattern: no value (AWS extracts only fields the pattern matched).
  EXPECT_EQ(MetricValue("{ $.a = 1 }", "$.latency", R"({"a":1,"latency":50})"), std::nullopt);
  // Space-delimited: $name and $N.
  const char* apache = R"(127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534)";
  EXPECT_EQ(MetricValue("[ip, user, username, timestamp, request, status_code, size]", "$size", apache), 1534.0);
  EXPECT_EQ(MetricValue("[..., status_code, size]", "$6", apache), std::nullopt);  // $6 is named status_code
  EXPECT_EQ(MetricValue("[..., size]", "$6", apache), 404.0);
  EXPECT_EQ(MetricValue("[]", "$7", apache), 1534.0);
  // Dimensions.
  std::vector<std::string> dims;
  EXPECT_EQ(MetricValue("{ $.eventType = * }", "1", R"({"eventType":"UpdateTrail"})", {{"EventType", "$.eventType"}},
                        &dims),
            1.0);
  EXPECT_EQ(dims, std::vector<std::string>{"UpdateTrail"});
  dims.clear();
  MetricValue("[ip, server, ...]", "1", "10.0.0.1 Prod x", {{"Server", "$server"}}, &dims);
  EXPECT_EQ(dims, std::vector<std::string>{"Prod"});
}

struct MetricError {
  const char* pattern;
  const char* value;
  std::vector<std::pair<std::string, std::string>> dims;
  bool with_default;
  const char* unit;
  const char* aws_substring;
};

TEST(FilterEvalTest, MetricTransformationErrors) {
  const MetricError cases[] = {
      {"ERROR", "1", {{"k", "$.x"}}, false, "", "The specified filter pattern does not support dimensions"},
      {"%ERR%", "1", {{"k", "$1"}}, false, "", "The specified filter pattern does not support dimensions"},
      {"{ $.a = * }", "1", {{"k", "$.a"}}, true, "", "dimensions and a default value cannot be used together"},
      {"{ $.a = * }", "1", {{"a", "$.a"}, {"b", "$.a"}, {"c", "$.a"}, {"d", "$.a"}}, false, "",
       "Member must have length less than or equal to 3"},
      {"{ $.a = * }", "$size", {}, false, "", "Invalid metric transformation"},
      {"[a, b]", "$.a", {}, false, "", "Invalid metric transformation"},
      {"[a, b]", "$c", {}, false, "", "Invalid metric transformation"},
      {"[a, b]", "lots", {}, false, "", "Invalid metric transformation"},
      {"{ $.a = * }", "1", {{"k", "constant"}}, false, "", "Invalid metric transformation"},
      {"{ $.a = * }", "1", {}, false, "Furlongs", "enum value set"},
      {"{ $.a = * ", "1", {}, false, "", "must end with '}'"},
  };
  for (const MetricError& c : cases) {
    SCOPED_TRACE(std::string(c.pattern) + " value=" + c.value);
    filter::MetricTransformation t;
    t.metric_name = "m";
    t.metric_namespace = "ns";
    t.metric_value = c.value;
    t.dimensions = c.dims;
    t.unit = c.unit;
    if (c.with_default) t.default_value = 0;
    auto r = filter::CompileMetricFilter("f", c.pattern, t);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().aws_message.find(c.aws_substring), std::string::npos) << r.error().aws_message;
  }
  filter::MetricTransformation ok;
  ok.metric_name = "ConsoleLoginFailures";
  ok.metric_namespace = "CloudTrailMetrics";
  ok.unit = "Count";
  ok.default_value = 0;
  EXPECT_TRUE(filter::CompileMetricFilter("f", "{ $.eventName = ConsoleLogin }", ok).ok());
  ok.metric_name = "bad:name";
  EXPECT_FALSE(filter::CompileMetricFilter("f", "{ $.eventName = ConsoleLogin }", ok).ok());
}

}  // namespace
}  // namespace trailwatch::engine
