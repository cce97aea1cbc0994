// event_parse_test.cc: pattern text -> parsed form (dump) and, for invalid patterns, AWS's exact message.
// The expected messages with their Jackson locations are AWS recordings (LocalStack's
// tests/aws/services/events/test_events_patterns.snapshot.json, recorded against the real TestEventPattern
// API, 2024-11/12) unless marked [er] (event-ruler's wording) or [tw] (limits whose text AWS does not publish).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "patterns/event/dump.h"
#include "patterns/event/json_value.h"
#include "patterns/event/parser.h"
#include "patterns/event/validate.h"
#include "tests/event/event_test_util.h"

namespace trailwatch::event {
namespace {

using testing::AwsReason;

struct DumpCase {
  const char* pattern;
  const char* dump;
};

TEST(EventParseTest, Dumps) {
  const DumpCase cases[] = {
      {R"({"source":["aws.ec2"]})", "rule{source: [exact:\"aws.ec2\"]}\n"},
      {R"({"detail":{"state":["a",1,null,true,false]}})",
       "rule{detail.state: [exact:\"a\", number:1, null, true, false]}\n"},
      {R"({"d":{"n":[{"numeric":[">",0,"<=",5]}]}})", "rule{d.n: [numeric(0,5]]}\n"},
      {R"({"d":{"n":[{"numeric":["=",3.018e2]}]}})", "rule{d.n: [numeric(=301.8)]}\n"},
      {R"({"d":{"n":[{"numeric":["<",10]}]}})", "rule{d.n: [numeric[-inf,10)]}\n"},
      {R"({"x":[0.30000000000000001]})", "rule{x: [number:0.30000000000000001(text)]}\n"},
      {R"({"ip":[{"cidr":"10.0.0.5/24"}]})", "rule{ip: [cidr:10.0.0.0-10.0.0.255]}\n"},
      {R"({"ip":["10.0.0.1"]})", "rule{ip: [ip:10.0.0.1]}\n"},
      {R"({"x":[{"exists":false},{"anything-but":["a","b"]}]})", "rule{x: [absent, anything-but:[\"a\",\"b\"]]}\n"},
      {R"({"x":[{"anything-but":{"prefix":"init"}}]})", "rule{x: [anything-but-prefix:[\"init\"]]}\n"},
      {R"({"x":[{"equals-ignore-case":"ALICE"}]})", "rule{x: [equals-ignore-case:\"alice\"]}\n"},
      {R"({"x":[{"prefix":{"equals-ignore-case":"EventB"}}]})", "rule{x: [prefix-ignore-case:\"eventb\"]}\n"},
      {R"({"a":{"b.c":["1"]},"a.b":{"c":["2"]}})", "rule{a.b.c: [exact:\"2\"]}\n"},
      {R"({"s":["x"],"$or":[{"a":["1"]},{"b":["2"]}]})", "rule{s: [exact:\"x\"]; a: [exact:\"1\"]}\nrule{s: [exact:\"x\"]; b: [exact:\"2\"]}\n"},
      {R"({"$or":[{"a":["1"]},{"$or":[{"b":["2"]},{"c":["3"]}]}]})",
       "rule{a: [exact:\"1\"]}\nrule{b: [exact:\"2\"]}\nrule{c: [exact:\"3\"]}\n"},
      {R"({"$or":{"a":["1"]}})", "rule{$or.a: [exact:\"1\"]}\n(legacy $or)\n"},
      {R"({"$or":[{"numeric":[">",0]},{"cidr":"10.0.0.0/8"}]})",
       "rule{$or: [numeric(0,+inf), cidr:10.0.0.0-10.255.255.255]}\n(legacy $or)\n"},
  };
  for (const DumpCase& c : cases) {
    SCOPED_TRACE(c.pattern);
    auto p = ParseEventPattern(c.pattern);
    ASSERT_TRUE(p.ok()) << p.error().aws_message;
    EXPECT_EQ(DumpPattern(p.value()), c.dump);
  }
}

struct ErrorCase {
  const char* pattern;
  const char* aws_message;  // full text, Jackson location lines included
};

TEST(EventParseTest, RecordedAwsErrors) {
  const ErrorCase cases[] = {
      {R"({"int": 42})",
       "Event pattern is not valid. Reason: \"int\" must be an object or an array\n at [Source: (String)\"{\"int\": 42}\"; line: 1, column: 11]"},
      {R"({"string": "my-value"})",
       "Event pattern is not valid. Reason: \"string\" must be an object or an array\n at [Source: (String)\"{\"string\": \"my-value\"}\"; line: 1, column: 13]"},
      {R"({"detail": {"equal": [{"NUMERIC": ["=", 5]}]}})",
       "Event pattern is not valid. Reason: Unrecognized match type NUMERIC\n at [Source: (String)\"{\"detail\": {\"equal\": [{\"NUMERIC\": [\"=\", 5]}]}}\"; line: 1, column: 36]"},
      {R"({"my_key": [{"EXISTS": true}]})",
       "Event pattern is not valid. Reason: Unrecognized match type EXISTS\n at [Source: (String)\"{\"my_key\": [{\"EXISTS\": true}]}\"; line: 1, column: 28]"},
      {R"({"resources": []})",
       "Event pattern is not valid. Reason: Empty arrays are not allowed\n at [Source: (String)\"{\"resources\": []}\"; line: 1, column: 17]"},
      {R"({"detail": {"c-count": [{"numeric": [">", 0, ">", 0]}]}})",
       "Event pattern is not valid. Reason: Bad numeric range operator: >\n at [Source: (String)\"{\"detail\": {\"c-count\": [{\"numeric\": [\">\", 0, \">\", 0]}]}}\"; line: 1, column: 49]"},
      {R"({"detail": {"c-count": [{"numeric": [">", 0, "<"]}]}})",
       "Event pattern is not valid. Reason: Value of < must be numeric\n at [Source: (String)\"{\"detail\": {\"c-count\": [{\"numeric\": [\">\", 0, \"<\"]}]}}\"; line: 1, column: 50]"},
      {R"({"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:**:event-bus/*"}]})",
       "Event pattern is not valid. Reason: Consecutive wildcard characters at pos 26\n at [Source: (String)\"{\"EventBusArn\": [{\"wildcard\": \"arn:aws:events:us-east-1:**:event-bus/*\"}]}\"; line: 1, column: 72]"},
      {R"({"detail-type": [{"equals-ignore-case": ["ec2 instance state-change notification"]}]})",
       "Event pattern is not valid. Reason: equals-ignore-case match pattern must be a string\n at [Source: (String)\"{\"detail-type\": [{\"equals-ignore-case\": [\"ec2 instance state-change notification\"]}]}\"; line: 1, column: 42]"},
      {R"({"detail-type": [{"equals-ignore-case": {"prefix": "ec2"}}]})",
       "Event pattern is not valid. Reason: equals-ignore-case match pattern must be a string\n at [Source: (String)\"{\"detail-type\": [{\"equals-ignore-case\": {\"prefix\": \"ec2\"}}]}\"; line: 1, column: 42]"},
      {R"({"source": [{"cidr": "10.0.0.0"}]})", "Event pattern is not valid. Reason: Malformed CIDR, one '/' required"},
      {R"({"source": [{"cidr": "10.0.0.0/a"}]})", "Event pattern is not valid. Reason: Malformed CIDR, mask bits must be an integer"},
      {R"({"source": [{"cidr": "xx.11.xx/8"}]})", "Event pattern is not valid. Reason: Nonstandard IP address: xx.11.xx"},
      {R"({"source": [{"cidr": "xxxx:db8:1234:1a00::/56"}]})",
       "Event pattern is not valid. Reason: Nonstandard IP address: xxxx:db8:1234:1a00::"},
      {R"({"detail": {"sourceIPAddress": [{"cidr": ["bad-type"]}]}})",
       "Event pattern is not valid. Reason: prefix match pattern must be a string\n at [Source: (String)\"{\"detail\": {\"sourceIPAddress\": [{\"cidr\": [\"bad-type\"]}]}}\"; line: 1, column: 43]"},
      {R"({"detail": {"state": [{"anything-but": {"equals-ignore-case": 123}}]}})",
       "Event pattern is not valid. Reason: Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.\n at [Source: (String)\"{\"detail\": {\"state\": [{\"anything-but\": {\"equals-ignore-case\": 123}}]}}\"; line: 1, column: 66]"},
      {R"({"detail": {"state": [{"anything-but": {"equals-ignore-case": [123, 456]}}]}})",
       "Event pattern is not valid. Reason: Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.\n at [Source: (String)\"{\"detail\": {\"state\": [{\"anything-but\": {\"equals-ignore-case\": [123, 456]}}]}}\"; line: 1, column: 67]\n at [Source: (String)\"{\"detail\": {\"state\": [{\"anything-but\": {\"equals-ignore-case\": [123, 456]}}]}}\"; line: 1, column: 67]"},
      {R"({"EventBusArn": [{"wildcard": 123}]})",
       "Event pattern is not valid. Reason: wildcard match pattern must be a string\n at [Source: (String)\"{\"EventBusArn\": [{\"wildcard\": 123}]}\"; line: 1, column: 34]"},
      {R"({"detail": {"state": [{"anything-but": {"wildcard": [123, "*/dir/*"]}}]}})",
       "Event pattern is not valid. Reason: wildcard match pattern must be a string\n at [Source: (String)\"{\"detail\": {\"state\": [{\"anything-but\": {\"wildcard\": [123, \"*/dir/*\"]}}]}}\"; line: 1, column: 57]\n at [Source: (String)\"{\"detail\": {\"state\": [{\"anything-but\": {\"wildcard\": [123, \"*/dir/*\"]}}]}}\"; line: 1, column: 57]"},
      {R"({"detail": {"FilePath": [{"anything-but": {"wildcard": 123}}]}})",
       "Event pattern is not valid. Reason: wildcard match pattern must be a string\n at [Source: (String)\"{\"detail\": {\"FilePath\": [{\"anything-but\": {\"wildcard\": 123}}]}}\"; line: 1, column: 59]"},
      {R"({"detail": {"FileName": [{"anything-but": {"suffix": [123, ".txt"]}}]}})",
       "Event pattern is not valid. Reason: prefix/suffix match pattern must be a string\n at [Source: (String)\"{\"detail\": {\"FileName\": [{\"anything-but\": {\"suffix\": [123, \".txt\"]}}]}}\"; line: 1, column: 58]\n at [Source: (String)\"{\"detail\": {\"FileName\": [{\"anything-but\": {\"suffix\": [123, \".txt\"]}}]}}\"; line: 1, column: 58]"},
      {R"({"detail": {"FileName": [{"anything-but": {"suffix": 123}}]}})",
       "Event pattern is not valid. Reason: prefix/suffix match pattern must be a string\n at [Source: (String)\"{\"detail\": {\"FileName\": [{\"anything-but\": {\"suffix\": 123}}]}}\"; line: 1, column: 57]"},
      {R"({"detail": {"state": [{"anything-but": {"prefix": 123}}]}})",
       "Event pattern is not valid. Reason: prefix/suffix match pattern must be a string\n at [Source: (String)\"{\"detail\": {\"state\": [{\"anything-but\": {\"prefix\": 123}}]}}\"; line: 1, column: 54]"},
      {R"({"time": [{"prefix": ["2022-07-13"]}]})",
       "Event pattern is not valid. Reason: prefix match pattern must be a string\n at [Source: (String)\"{\"time\": [{\"prefix\": [\"2022-07-13\"]}]}\"; line: 1, column: 23]"},
      {R"({"time": [{"prefix": 123}]})",
       "Event pattern is not valid. Reason: prefix match pattern must be a string\n at [Source: (String)\"{\"time\": [{\"prefix\": 123}]}\"; line: 1, column: 25]"},
      {R"({"FileName": [{"suffix": 123}]})",
       "Event pattern is not valid. Reason: suffix match pattern must be a string\n at [Source: (String)\"{\"FileName\": [{\"suffix\": 123}]}\"; line: 1, column: 29]"},
      {R"({"FileName": [{"suffix": [".png"]}]})",
       "Event pattern is not valid. Reason: suffix match pattern must be a string\n at [Source: (String)\"{\"FileName\": [{\"suffix\": [\".png\"]}]}\"; line: 1, column: 27]"},
      {R"({"detail": {"FileName": [{"anything-but": {"prefix": {"equals-ignore-case": "file"}}}]}})",
       "Event pattern is not valid. Reason: Value of anything-but must be an array or single string/number value.\n at [Source: (String)\"{\"detail\": {\"FileName\": [{\"anything-but\": {\"prefix\": {\"equals-ignore-case\": \"file\"}}}]}}\"; line: 1, column: 55]"},
      {"this is valid json but not a dict",
       "Event pattern is not valid. Reason: Unrecognized token 'this': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)\"this is valid json but not a dict\"; line: 1, column: 5]"},
      {"{'bad': 'quotation'}",
       "Event pattern is not valid. Reason: Unexpected character (''' (code 39)): was expecting double-quote to start field name\n at [Source: (String)\"{'bad': 'quotation'}\"; line: 1, column: 2]"},
      {R"({"not": closed mark")",
       "Event pattern is not valid. Reason: Unrecognized token 'closed': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)\"{\"not\": closed mark\"\"; line: 1, column: 15]"},
      {R"(["not", "a", "dict", "but valid json"])",
       "Event pattern is not valid. Reason: Filter is not an object\n at [Source: (String)\"[\"not\", \"a\", \"dict\", \"but valid json\"]\"; line: 1, column: 2]"},
      {R"({"x":[{"wildcard":"*:*:*:*:*:event-bus/*"}]})",
       "Event pattern is not valid. Reason: Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character"},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.pattern);
    auto p = ParseEventPattern(c.pattern);
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.error().exception, "InvalidEventPatternException");
    EXPECT_EQ(p.error().aws_message, c.aws_message);
  }
}

struct ReasonCase {
  const char* pattern;
  const char* reason;  // first line; "" = valid
};

TEST(EventParseTest, LibraryRules) {
  const ReasonCase cases[] = {
      // [er] structure
      {R"({})", "Event pattern is not valid. Reason: Empty objects are not allowed"},
      {R"({"a":{}})", "Event pattern is not valid. Reason: Empty objects are not allowed"},
      {R"({"a":[[1]]})", "Event pattern is not valid. Reason: Match value must be String, number, true, false, or null"},
      {R"({"a":[{}]})", "Event pattern is not valid. Reason: Match expression name not found"},
      {R"({"a":[{"prefix":"x","suffix":"y"}]})", "Event pattern is not valid. Reason: Only one key allowed in match expression"},
      {R"({"a":[{"Prefix":"x"}]})", "Event pattern is not valid. Reason: Unrecognized match type Prefix"},
      {"", "Event pattern is not valid. Reason: Filter is not an object"},
      // prefix / suffix / equals-ignore-case / wildcard
      {R"({"a":[{"prefix":""}]})", ""},
      {R"({"a":[{"suffix":""}]})", ""},
      {R"({"a":[{"equals-ignore-case":""}]})", ""},
      {R"({"a":[{"equals-ignore-case":5}]})", "Event pattern is not valid. Reason: equals-ignore-case match pattern must be a string"},
      {R"({"a":[{"prefix":{"equals-ignore-case":5}}]})", "Event pattern is not valid. Reason: equals-ignore-case match pattern must be a string"},
      {R"({"a":[{"prefix":{"wildcard":"x"}}]})", "Event pattern is not valid. Reason: Unsupported prefix pattern: wildcard"},
      {R"({"a":[{"wildcard":""}]})", ""},
      {R"({"a":[{"wildcard":"a\\b"}]})", "Event pattern is not valid. Reason: Invalid escape character at pos 2"},
      {R"({"a":[{"wildcard":"ab\\"}]})", "Event pattern is not valid. Reason: Invalid escape character at pos 3"},
      {R"({"a":[{"wildcard":"a\\*\\\\"}]})", ""},
      // anything-but
      {R"({"a":[{"anything-but":null}]})", "Event pattern is not valid. Reason: Value of anything-but must be an array or single string/number value."},
      {R"({"a":[{"anything-but":true}]})", "Event pattern is not valid. Reason: Value of anything-but must be an array or single string/number value."},
      {R"({"a":[{"anything-but":["a",1]}]})", "Event pattern is not valid. Reason: Inside anything but list, either all values are number or string, mixed type is not supported"},
      {R"({"a":[{"anything-but":[]}]})", "Event pattern is not valid. Reason: Inside anything but list, either all values are number or string, mixed type is not supported"},
      {R"({"a":[{"anything-but":["a",null]}]})", "Event pattern is not valid. Reason: Inside anything but list, start|null|boolean is not supported."},
      {R"({"a":[{"anything-but":{"prefix":""}}]})", "Event pattern is not valid. Reason: Null prefix/suffix not allowed"},
      {R"({"a":[{"anything-but":{"suffix":""}}]})", "Event pattern is not valid. Reason: Null prefix/suffix not allowed"},
      {R"({"a":[{"anything-but":{"prefix":["a",""]}}]})", "Event pattern is not valid. Reason: Null prefix/suffix not allowed"},
      {R"({"a":[{"anything-but":{"equals-ignore-case":""}}]})", ""},
      {R"({"a":[{"anything-but":{"wildcard":""}}]})", ""},
      {R"({"a":[{"anything-but":{"numeric":[">",1]}}]})", "Event pattern is not valid. Reason: Unsupported anything-but pattern: numeric"},
      {R"({"a":[{"anything-but":{"exists":true}}]})", "Event pattern is not valid. Reason: Unsupported anything-but pattern: exists"},
      {R"({"a":[{"anything-but":"x","prefix":"y"}]})", "Event pattern is not valid. Reason: Too many elements in numeric expression"},
      // numeric
      {R"({"a":[{"numeric":10}]})", "Event pattern is not valid. Reason: Value of numeric must be an array."},
      {R"({"a":[{"numeric":[">",1,"<",1]}]})", "Event pattern is not valid. Reason: Bottom must be less than top"},
      {R"({"a":[{"numeric":[">",30,"<",1]}]})", "Event pattern is not valid. Reason: Bottom must be less than top"},
      {R"({"a":[{"numeric":["<",1,">",0]}]})", "Event pattern is not valid. Reason: Too many elements in numeric expression"},
      {R"({"a":[{"numeric":["==",1]}]})", "Event pattern is not valid. Reason: Unrecognized numeric range operator: =="},
      {R"({"a":[{"numeric":[">","1"]}]})", "Event pattern is not valid. Reason: Value of > must be numeric"},
      {R"({"a":[{"numeric":[">",0,"<",5,6]}]})", "Event pattern is not valid. Reason: Too many terms in numeric range expression"},
      {R"({"a":[{"numeric":[1]}]})", "Event pattern is not valid. Reason: Invalid member in numeric match: 1"},
      {R"({"a":[{"numeric":["<",1e300]}]})", ""},
      {R"({"a":[{"numeric":["<",0.30000000000000001]}]})", "Event pattern is not valid. Reason: Cannot compare number 0.30000000000000001"},
      {R"({"a":[{"numeric":["<",9007199254740993]}]})", "Event pattern is not valid. Reason: Cannot compare number 9007199254740993"},
      {R"({"a":[{"numeric":["<",1E309]}]})", "Event pattern is not valid. Reason: Cannot compare number 1E309"},
      // cidr
      {R"({"a":[{"cidr":"10.0.0.1/32"}]})", "Event pattern is not valid. Reason: IPv4 mask bits must be < 32"},
      {R"({"a":[{"cidr":"2001:db8::1/128"}]})", "Event pattern is not valid. Reason: IPv6 mask bits must be < 128"},
      {R"({"a":[{"cidr":"10.0.0.0/-1"}]})", "Event pattern is not valid. Reason: Malformed CIDR, mask bits must not be negative"},
      {R"({"a":[{"cidr":"10.0.0.0/8/8"}]})", "Event pattern is not valid. Reason: Malformed CIDR, one '/' required"},
      {R"({"a":[{"cidr":"256.0.0.0/8"}]})", "Event pattern is not valid. Reason: Invalid IP address: 256.0.0.0"},
      {R"({"a":[{"cidr":"0.0.0.0/0"}]})", ""},
      // exists
      {R"({"a":[{"exists":"true"}]})", "Event pattern is not valid. Reason: exists match pattern must be either true or false."},
      // $or
      {R"({"$or":[{"a":["1"]},{"b":["2"]}]})", ""},
      {R"({"$or":[{"a":["1"]}]})", "Event pattern is not valid. Reason: Unrecognized match type a"},
      {R"({"$or":[]})", "Event pattern is not valid. Reason: Empty arrays are not allowed"},
      {R"({"$or":"x"})", "Event pattern is not valid. Reason: \"$or\" must be an object or an array"},
      {R"({"$or":[{"a":["1"]},{"b":[]}]})", "Event pattern is not valid. Reason: Unrecognized match type a"},
      // exactly (event-ruler)
      {R"({"a":[{"exactly":"x"}]})", ""},
  };
  for (const ReasonCase& c : cases) {
    SCOPED_TRACE(c.pattern);
    EXPECT_EQ(AwsReason(c.pattern), c.reason);
  }
}

TEST(EventParseTest, SizeLimits) {
  std::string pattern = R"({"a":[")" + std::string(2100, 'x') + R"("]})";
  EXPECT_EQ(AwsReason(pattern),
            "Event pattern is not valid. Reason: Event pattern length 2110 exceeds the maximum of 2048 characters");
  PatternOptions raised;
  raised.max_size = 4096;
  EXPECT_EQ(AwsReason(pattern, raised), "");
  std::string big = R"({"a":[")" + std::string(4100, 'x') + R"("]})";
  EXPECT_NE(AwsReason(big, raised), "");
  // exactly at the limit is fine; characters are counted, not bytes
  std::string at_limit = R"({"a":[")" + std::string(2048 - 10, 'x') + R"("]})";
  EXPECT_EQ(AwsReason(at_limit), "");
  std::string wide = R"({"a":[")";
  for (int i = 0; i < 1000; ++i) wide += "é";
  wide += R"("]})";
  EXPECT_EQ(AwsReason(wide), "");
}

TEST(EventParseTest, OrCombinationLimit) {
  // 10 x 10 x 10 = 1000 combinations are allowed, 10 x 10 x 11 are not.
  auto make = [](int a, int b, int c) {
    std::string p = "{";
    int counts[] = {a, b, c};
    for (int k = 0; k < 3; ++k) {
      p += std::string(k ? "," : "") + "\"o" + std::to_string(k) + "\":{\"$or\":[";
      for (int i = 0; i < counts[k]; ++i) p += std::string(i ? "," : "") + "{\"f" + std::to_string(i) + "\":[1]}";
      p += "]}";
    }
    return p + "}";
  };
  EXPECT_EQ(AwsReason(make(10, 10, 10)), "");
  EXPECT_EQ(AwsReason(make(10, 10, 11)),
            "Event pattern is not valid. Reason: The $or combinations of the event pattern exceed the limit of 1000");
  // An exponential blow-up is refused without materializing it.
  std::string deep = "{";
  for (int k = 0; k < 60; ++k) deep += std::string(k ? "," : "") + "\"k" + std::to_string(k) + "\":{\"$or\":[{\"a\":[1]},{\"b\":[2]}]}";
  deep += "}";
  PatternOptions big;
  big.max_size = 4096;
  EXPECT_NE(AwsReason(deep, big), "");
}

TEST(EventParseTest, DiagnosticPointsAtTheMistake) {
  auto p = ParseEventPattern(R"({"detail": {"state": [{"Prefix": "x"}]}})");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().pointer, "/detail/state/0/Prefix");
  EXPECT_FALSE(p.error().hint.empty());
  const std::string rendered = RenderDiagnostic(R"({"detail": {"state": [{"Prefix": "x"}]}})", p.error());
  EXPECT_NE(rendered.find("^"), std::string::npos);
}

// ---- Issue 9: reliability (fuzzing and a differential run against aws/event-ruler) ------------------------

// E1: a numeric bound is comparable when Java prints its double as a decimal of the same value. Java prints
// the smallest double, Double.MIN_VALUE, as 4.9E-324 (two digits, closer than the shortest 5E-324), so
// event-ruler accepts 4.9e-324 and rejects 5e-324 ("Cannot compare number"), although both read as the
// same double. The other subnormals whose shortest form has one digit behave the same way.
TEST(Issue9Test, E1SmallestDoubleIsSpelledAsJavaPrintsIt) {
  const ReasonCase cases[] = {
      {R"({"a":[{"numeric":["=",4.9e-324]}]})", ""},
      {R"({"a":[{"numeric":["=",4.9E-324]}]})", ""},
      {R"({"a":[{"numeric":[">",-4.9e-324]}]})", ""},
      {R"({"a":[{"numeric":["=",0.49e-323]}]})", ""},
      {R"({"a":[{"numeric":["=",5e-324]}]})", "Event pattern is not valid. Reason: Cannot compare number 5e-324"},
      {R"({"a":[{"numeric":["<",-5E-324]}]})", "Event pattern is not valid. Reason: Cannot compare number -5E-324"},
      {R"({"a":[{"numeric":["=",4.94e-324]}]})", "Event pattern is not valid. Reason: Cannot compare number 4.94e-324"},
      // 2 x MIN_VALUE prints as 9.9E-324; 3 x MIN_VALUE already has a two-digit shortest form
      {R"({"a":[{"numeric":["=",9.9e-324]}]})", ""},
      {R"({"a":[{"numeric":["=",1e-323]}]})", "Event pattern is not valid. Reason: Cannot compare number 1e-323"},
      {R"({"a":[{"numeric":["=",1.5e-323]}]})", ""},
      // a one-digit subnormal whose two-digit neighbour is the same value, and the smallest normal double
      {R"({"a":[{"numeric":["=",1e-310]}]})", ""},
      {R"({"a":[{"numeric":["=",2.2250738585072014e-308]}]})", ""},
      {R"({"a":[{"anything-but":[4.9e-324]}]})", ""},
      {R"({"a":[{"anything-but":[5e-324]}]})", "Event pattern is not valid. Reason: Cannot compare number 5e-324"},
      // below half of MIN_VALUE the text reads as 0
      {R"({"a":[{"numeric":["=",2e-324]}]})", "Event pattern is not valid. Reason: Cannot compare number 2e-324"},
  };
  for (const ReasonCase& c : cases) {
    SCOPED_TRACE(c.pattern);
    EXPECT_EQ(AwsReason(c.pattern), c.reason);
  }
  // The oracle agrees on every subnormal with a one-digit shortest form among the first thousand multiples of
  // MIN_VALUE: the two-digit spelling parses, the one-digit one is rejected exactly when they differ in value.
  int differing = 0;
  for (int k = 1; k <= 1000; ++k) {
    const double d = k * 4.9406564584124654e-324;
    char one[32];
    std::snprintf(one, sizeof one, "%.0e", d);
    if (std::strtod(one, nullptr) != d) continue;  // the shortest form has more digits
    const std::string java = testing::JavaDoubleToString(d);
    SCOPED_TRACE(std::string(one) + " java " + java);
    EXPECT_EQ(AwsReason(std::string(R"({"a":[{"numeric":["=",)") + java + "]}]}"), "");
    const bool same = testing::CanonicalDecimal(one) == testing::CanonicalDecimal(java);
    differing += !same;
    EXPECT_EQ(AwsReason(std::string(R"({"a":[{"numeric":["=",)") + one + "]}]}").empty(), same);
  }
  EXPECT_GT(differing, 0);
}

// E9: whole numbers from 2^63 to about 1e22 written with 16-17 digits were compared with the exact binary
// value (std::to_chars' plain form prints 15104463631334033408 for 1.5104463631334033e+19), so Java's
// spelling was rejected and the exact integer accepted: the reverse of event-ruler.
TEST(Issue9Test, E9WholeNumbersAbove2To63) {
  const ReasonCase cases[] = {
      {R"({"x":[{"numeric":["=",1.5104463631334033e+19]}]})", ""},
      {R"({"x":[{"numeric":[">",7.583829473921843e+19]}]})", ""},
      {R"({"x":[{"numeric":["<",75838294739218430000]}]})", ""},
      {R"({"x":[{"numeric":["<",75838294739218432000]}]})",
       "Event pattern is not valid. Reason: Cannot compare number 75838294739218432000"},
      {R"({"x":[{"numeric":["=",15104463631334033408]}]})",
       "Event pattern is not valid. Reason: Cannot compare number 15104463631334033408"},
      {R"({"x":[{"numeric":["=",9.223372036854775807e18]}]})",
       "Event pattern is not valid. Reason: Cannot compare number 9.223372036854775807e18"},
      {R"({"x":[{"numeric":["=",9223372036854775808]}]})",
       "Event pattern is not valid. Reason: Cannot compare number 9223372036854775808"},
      {R"({"x":[{"numeric":["=",9.223372036854776e18]}]})", ""},
      {R"({"x":[{"numeric":["=",1e22]}]})", ""},
      {R"({"x":[{"numeric":["=",1e23]}]})", ""},
      {R"({"x":[{"numeric":["=",99999999999999991611392]}]})",
       "Event pattern is not valid. Reason: Cannot compare number 99999999999999991611392"},
  };
  for (const ReasonCase& c : cases) {
    SCOPED_TRACE(c.pattern);
    EXPECT_EQ(AwsReason(c.pattern), c.reason);
  }
  // Random doubles in [9.2e18, 1e22), written as printf's %.17g and as their exact integer value: the bound
  // parses exactly when Java's BigDecimal.valueOf(d) equals it.
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> exponent(std::log10(9.2e18), 22.0);
  int comparable = 0, total = 0;
  for (int k = 0; k < 3000; ++k) {
    const double d = std::pow(10.0, exponent(rng));
    char g17[40], exact[40];
    std::snprintf(g17, sizeof g17, "%.17g", d);
    std::snprintf(exact, sizeof exact, "%.0f", d);
    for (const char* spelling : {static_cast<const char*>(g17), static_cast<const char*>(exact)}) {
      const bool expected = testing::JavaComparable(spelling);
      SCOPED_TRACE(std::string(spelling) + " java " + testing::JavaDoubleToString(d));
      EXPECT_EQ(AwsReason(std::string(R"({"x":[{"numeric":["=",)") + spelling + "]}]}").empty(), expected);
      comparable += expected;
      ++total;
    }
  }
  // Both outcomes occur: 17-digit forms that are Java's, and ones (like every exact integer value whose
  // shortest form is shorter) that are not.
  EXPECT_GT(comparable, total / 10);
  EXPECT_LT(comparable, total - total / 10);
}

// E10: an empty anything-but value set. event-ruler's compiler returns an empty set that its machine then
// cannot add; EventBridge cannot accept such a rule, so it is an InvalidEventPatternException, reported after
// the list like the plain anything-but list's type check (one location).
TEST(Issue9Test, E10AnythingButEmptyListsAreRejected) {
  const ErrorCase cases[] = {
      {R"({"x":[{"anything-but":{"equals-ignore-case":[]}}]})",
       "Event pattern is not valid. Reason: Inside anything-but/equals-ignore-case list, empty arrays are not "
       "allowed\n at [Source: (String)\"{\"x\":[{\"anything-but\":{\"equals-ignore-case\":[]}}]}\"; line: 1, "
       "column: 47]"},
      {R"({"x":[{"anything-but":{"prefix":[]}}]})",
       "Event pattern is not valid. Reason: Inside anything-but/prefix list, empty arrays are not allowed\n at "
       "[Source: (String)\"{\"x\":[{\"anything-but\":{\"prefix\":[]}}]}\"; line: 1, column: 35]"},
      {R"({"x":[{"anything-but":{"suffix":[ ]}}]})",
       "Event pattern is not valid. Reason: Inside anything-but/suffix list, empty arrays are not allowed\n at "
       "[Source: (String)\"{\"x\":[{\"anything-but\":{\"suffix\":[ ]}}]}\"; line: 1, column: 36]"},
      {"{\"x\":[{\"anything-but\":{\"wildcard\":\n[]}}]}",
       "Event pattern is not valid. Reason: Inside anything-but/wildcard list, empty arrays are not allowed\n at "
       "[Source: (String)\"{\"x\":[{\"anything-but\":{\"wildcard\":\n[]}}]}\"; line: 2, column: 3]"},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.pattern);
    auto p = ParseEventPattern(c.pattern);
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.error().exception, kInvalidPatternException);
    EXPECT_EQ(p.error().aws_message, c.aws_message);
    EXPECT_FALSE(p.error().hint.empty());
  }
  auto p = ParseEventPattern(R"({"detail":{"x":[{"anything-but":{"prefix":[]}}]}})");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().pointer, "/detail/x/0/anything-but/prefix");
  EXPECT_EQ(p.error().span.offset, 16u);  // the match expression's '{'
  // One value is enough, and the plain list keeps event-ruler's own message.
  EXPECT_EQ(AwsReason(R"({"x":[{"anything-but":{"prefix":["a"]}}]})"), "");
  EXPECT_EQ(AwsReason(R"({"x":[{"anything-but":{"wildcard":["*"]}}]})"), "");
  EXPECT_EQ(AwsReason(R"({"x":[{"anything-but":[]}]})"),
            "Event pattern is not valid. Reason: Inside anything but list, either all values are number or string, "
            "mixed type is not supported");
  // Inside $or it is a parse error like the others: the pattern is read again with "$or" as a field name and
  // that reading's error is reported (README: `$or`).
  EXPECT_EQ(AwsReason(R"({"$or":[{"x":[{"anything-but":{"suffix":[]}}]},{"y":["1"]}]})"),
            "Event pattern is not valid. Reason: Unrecognized match type x");
  EXPECT_EQ(AwsReason(R"({"a":{"$or":[{"x":[{"anything-but":{"suffix":[]}}]},{"y":["1"]}]}})"),
            "Event pattern is not valid. Reason: Unrecognized match type x");
}

// F19: AWS reads requests as UTF-8 and refuses any other, so a pattern that is not well-formed UTF-8 is
// refused wherever the bad byte is (even after the closing brace, which the rule compiler would not read),
// with the words of Jackson's UTF-8 reader and the location just past the byte. Overlong forms, surrogates
// and code points above U+10FFFF are not UTF-8 either.
TEST(Issue9Test, F19InvalidUtf8IsRejected) {
  const ReasonCase cases[] = {
      {"{\"x\":[\"a\xff\"]}", "Event pattern is not valid. Reason: Invalid UTF-8 start byte 0xff"},
      {"{\"x\":[\"\x80\"]}", "Event pattern is not valid. Reason: Invalid UTF-8 start byte 0x80"},
      {"{\"x\xc3\":[\"a\"]}", "Event pattern is not valid. Reason: Invalid UTF-8 middle byte 0x22"},
      {"{\"x\":[\"\xc0\xaf\"]}", "Event pattern is not valid. Reason: Invalid UTF-8 start byte 0xc0"},
      {"{\"x\":[\"\xe0\x80\xaf\"]}", "Event pattern is not valid. Reason: Invalid UTF-8 middle byte 0x80"},
      {"{\"x\":[\"\xed\xa0\x80\"]}", "Event pattern is not valid. Reason: Invalid UTF-8 middle byte 0xa0"},
      {"{\"x\":[\"\xf4\x90\x80\x80\"]}", "Event pattern is not valid. Reason: Invalid UTF-8 middle byte 0x90"},
      {"{\"x\":[\"\xf8\x88\x80\x80\x80\"]}", "Event pattern is not valid. Reason: Invalid UTF-8 start byte 0xf8"},
      {"{\"x\":[\"\xe2\x82\"]}", "Event pattern is not valid. Reason: Invalid UTF-8 middle byte 0x22"},
      {"{\"x\":[{\"prefix\":\"\xe9t\xe9\"}]}", "Event pattern is not valid. Reason: Invalid UTF-8 middle byte 0x74"},
      {"{\"x\":[\"a\"]} \xff", "Event pattern is not valid. Reason: Invalid UTF-8 start byte 0xff"},
      {"{\"x\":[\"a\"]}\xf0\x9f", "Event pattern is not valid. Reason: Unexpected end-of-input in a UTF-8 character"},
      // well-formed text of every length still parses
      {"{\"x\":[\"\xc3\xa9\",\"\xe2\x82\xac\",\"\xf0\x9f\x98\x80\",\"\xf4\x8f\xbf\xbf\",\"\xef\xbf\xbd\"]}", ""},
  };
  for (const ReasonCase& c : cases) {
    SCOPED_TRACE(c.pattern);
    EXPECT_EQ(AwsReason(c.pattern), c.reason);
  }
  // The whole message: Jackson's location just past the bad byte, the excerpt showing it as U+FFFD so that
  // the message itself stays UTF-8; the span covers the byte.
  auto p = ParseEventPattern("{\"x\":[\"a\xff\"]}");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().exception, kInvalidPatternException);
  EXPECT_EQ(p.error().aws_message,
            "Event pattern is not valid. Reason: Invalid UTF-8 start byte 0xff\n at [Source: (String)\"{\"x\":[\"a"
            "\xef\xbf\xbd\"]}\"; line: 1, column: 10]");
  EXPECT_EQ(p.error().span.offset, 8u);
  EXPECT_EQ(p.error().span.length, 1u);
  // The event side's JSON reader (the reference interpreter's) refuses it too, as simdjson does.
  JsonValue v;
  std::string error;
  EXPECT_FALSE(ParseJsonValue("{\"x\":\"a\xff\"}", &v, &error));
  EXPECT_EQ(error, "Invalid UTF-8 start byte 0xff");
  EXPECT_TRUE(ParseJsonValue("{\"x\":\"\xc3\xa9\"}", &v, &error)) << error;
}

// B1: JsonValue holds its members through a struct of its own; with std::pair<std::string, JsonValue> the
// tree did not compile with clang 14 and libstdc++ 12. Copies, moves and reset-by-assignment keep the tree.
TEST(Issue9Test, B1JsonValueMembersAreACompleteType) {
  JsonValue v;
  std::string error;
  ASSERT_TRUE(ParseJsonValue(R"({"a":{"b":[1,{"c":null}]},"a":"dup"})", &v, &error)) << error;
  ASSERT_EQ(v.members.size(), 2u);
  EXPECT_EQ(v.members[0].key, "a");
  EXPECT_EQ(v.members[1].value.text, "dup");
  const JsonValue copy = v;
  const auto& [key, inner] = copy.members[0];
  EXPECT_EQ(key, "a");
  ASSERT_EQ(inner.members.size(), 1u);
  EXPECT_EQ(inner.members[0].value.elements[1].members[0].key, "c");
  v = JsonValue{};
  EXPECT_TRUE(v.members.empty());
  EXPECT_EQ(copy.members.size(), 2u);
}

}  // namespace
}  // namespace trailwatch::event
