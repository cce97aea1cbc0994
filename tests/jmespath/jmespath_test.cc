// jmespath_test.cc: the JMESPath library (tools/jmespath) — the specification's rules, one table row each
// (identifiers, sub-expressions, indexes and slices, projections of every kind and where they stop,
// flatten, filters and comparisons, pipes, multi-selects, literals, booleans, every built-in function with
// its type and arity errors), then a differential run against Python's jmespath, the implementation the AWS
// CLI runs (tests/jmespath/reference.py; skipped when Debian's python3-jmespath is not installed): a list of
// hard cases and thousands of random expressions on random documents must give the same JSON text (numbers'
// kinds and key order included) or the same exception with the same message.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/temp_path.h"
#include "tools/jmespath/internal.h"
#include "tools/jmespath/jmespath.h"
#include "tools/jmespath/pyjson.h"

namespace trailwatch::jmespath {
namespace {

// The result as Python's json.dumps(separators=(',', ':')) writes it, or "error: CLASS".
std::string Answer(const std::string& expression, const std::string& document) {
  auto e = Expression::Compile(expression);
  if (!e.ok()) return "error: " + e.error().exception;
  auto r = e->Search(Json::parse(document));
  if (!r.ok()) return "error: " + r.error().exception;
  return PythonJsonDumps(r.value());
}

struct Case {
  std::string expression, document, want;
};

TEST(JmespathTest, TheSpecificationsRules) {
  const std::vector<Case> cases = {
      // identifiers and sub-expressions
      {"foo", R"({"foo":"value"})", R"("value")"},
      {"bar", R"({"foo":"value"})", "null"},
      {"foo.bar", R"({"foo":{"bar":"value"}})", R"("value")"},
      {"foo.bar.baz", R"({"foo":{"bar":"value"}})", "null"},
      {"\"with space\"", R"({"with space":1})", "1"},
      {"\"\\u00e9\"", "{\"\xc3\xa9\":1}", "1"},
      {"foo", "[1]", "null"},
      // indexes and slices
      {"[1]", "[0,1,2]", "1"},
      {"[-1]", "[0,1,2]", "2"},
      {"[3]", "[0,1,2]", "null"},
      {"foo[0]", R"({"foo":{"0":1}})", "null"},
      {"[0:2]", "[0,1,2,3]", "[0,1]"},
      {"[::2]", "[0,1,2,3,4]", "[0,2,4]"},
      {"[::-1]", "[0,1,2]", "[2,1,0]"},
      {"[-2:]", "[0,1,2,3]", "[2,3]"},
      {"[10:]", "[0,1]", "[]"},
      {"[1:0]", "[0,1]", "[]"},
      {"[::0]", "[0,1]", "error: ValueError"},
      {"[0:1]", R"("abc")", "null"},
      {"[:2].a", R"([{"a":1},{"b":2},{"a":3}])", "[1]"},
      // projections: list, object, flatten, filter; nulls dropped; where they stop
      {"[*].a", R"([{"a":1},{"b":2},{"a":3}])", "[1,3]"},
      {"*.a", R"({"x":{"a":1},"y":{"a":2},"z":{}})", "[1,2]"},
      {"*", R"({"x":1,"y":2})", "[1,2]"},
      {"[*]", R"({"x":1})", "null"},
      {"*", "[1,2]", "null"},
      {"[*].a[0]", R"([{"a":[1,2]},{"a":[3]}])", "[1,3]"},
      {"[*].a | [0]", R"([{"a":[1,2]},{"a":[3]}])", "[1,2]"},
      {"[]", "[1,[2,[3]],4]", "[1,2,[3],4]"},
      {"[][]", "[1,[2,[3]],4]", "[1,2,3,4]"},
      {"a[].b", R"({"a":[{"b":1},[{"b":2}],{"c":3}]})", "[1,2]"},
      {"a[*].b[]", R"({"a":[{"b":[1,2]},{"b":[3]}]})", "[1,2,3]"},
      {"[?a > `1`].a", R"([{"a":1},{"a":2},{"a":3}])", "[2,3]"},
      {"[?a == 'x']", R"([{"a":"x"},{"a":"y"}])", R"([{"a":"x"}])"},
      {"[?a]", R"([{"a":0},{"a":""},{"a":[]},{"a":{}},{"a":false},{"a":null},{}])", R"([{"a":0}])"},
      {"[?a > 'b'].a", R"([{"a":"a"},{"a":"c"}])", R"(["c"])"},
      {"[?a < `2`]", R"([{"a":"x"}])", "error: TypeError"},  // Python's: str < int
      {"[?a == `1`]", R"([{"a":1.0},{"a":true}])", "[{\"a\":1.0}]"},
      {"[?!a]", R"([{"a":0},{"a":false}])", R"([{"a":false}])"},
      {"foo[?bar == `1`] | [0]", R"({"foo":[{"bar":1,"n":1},{"bar":1,"n":2}]})", R"({"bar":1,"n":1})"},
      // comparisons, and/or/not
      {"`1` == `1.0`", "{}", "true"},
      {"`true` == `1`", "{}", "false"},
      {"`[true]` == `[1]`", "{}", "true"},
      {"`{\"a\":1,\"b\":2}` == `{\"b\":2,\"a\":1}`", "{}", "true"},
      {"a < b", R"({"a":1,"b":"x"})", "error: TypeError"},
      {"a < b", R"({"a":null,"b":1})", "null"},
      {"a || b", R"({"a":[],"b":"x"})", R"("x")"},
      {"a && b", R"({"a":"","b":"x"})", R"("")"},
      {"!a", R"({"a":0})", "false"},
      {"!a", R"({"a":""})", "true"},
      // multi-select
      {"[a, b]", R"({"a":1})", "[1,null]"},
      {"{x: a, y: b}", R"({"a":1})", R"({"x":1,"y":null})"},
      {"foo.[a, b]", "{}", "null"},
      {"{a: a b: b}", R"({"a":1,"b":2})", R"({"a":1,"b":2})"},
      // literals
      {"`\"a\"`", "{}", R"("a")"},
      {"`foo`", "{}", R"("foo")"},
      {"'a\\'b'", "{}", R"("a'b")"},
      {"'a\\\\b'", "{}", R"("a\\\\b")"},
      {"`[1, {\"a\": 2}]`", "{}", R"([1,{"a":2}])"},
      {"@", R"({"a":1})", R"({"a":1})"},
      // functions
      {"abs(`-1`)", "{}", "1"},
      {"abs(`-1.5`)", "{}", "1.5"},
      {"avg(`[1, 2]`)", "{}", "1.5"},
      {"avg(`[]`)", "{}", "null"},
      {"ceil(`1.2`)", "{}", "2"},
      {"floor(`1.8`)", "{}", "1"},
      {"contains(`[1, 2]`, `2`)", "{}", "true"},
      {"contains('abc', 'b')", "{}", "true"},
      {"ends_with('abc', 'bc')", "{}", "true"},
      {"starts_with('abc', 'b')", "{}", "false"},
      {"join(', ', `[\"a\", \"b\"]`)", "{}", R"("a, b")"},
      {"keys(@)", R"({"b":1,"a":2})", R"(["b","a"])"},
      {"values(@)", R"({"b":1,"a":2})", "[1,2]"},
      {"length('\xc3\xa9t\xc3\xa9')", "{}", "3"},
      {"length(@)", R"({"a":1})", "1"},
      {"map(&a, @)", R"([{"a":1},{}])", "[1,null]"},
      {"max(`[1, 3, 2]`)", "{}", "3"},
      {"min(`[\"b\", \"a\"]`)", "{}", R"("a")"},
      {"max(`[]`)", "{}", "null"},
      {"max_by(@, &a)", R"([{"a":1},{"a":3},{"a":3,"x":1}])", R"({"a":3})"},
      {"min_by(@, &a)", R"([{"a":2},{"a":1}])", R"({"a":1})"},
      {"merge(`{\"a\": 1, \"b\": 2}`, `{\"a\": 3}`)", "{}", R"({"a":3,"b":2})"},
      {"not_null(a, b, `3`)", R"({"b":2})", "2"},
      {"reverse('abc')", "{}", R"("cba")"},
      {"reverse(`[1, 2]`)", "{}", "[2,1]"},
      {"sort(`[3, 1, 2]`)", "{}", "[1,2,3]"},
      {"sort_by(@, &a)[*].n", R"([{"a":2,"n":1},{"a":1,"n":2},{"a":2,"n":3}])", "[2,1,3]"},
      {"sum(`[1, 2]`)", "{}", "3"},
      {"sum(`[1, 2.5]`)", "{}", "3.5"},
      {"sum(`[]`)", "{}", "0"},
      {"to_array(`1`)", "{}", "[1]"},
      {"to_string(`[1, \"\\u00e9\"]`)", "{}", R"("[1,\"\\u00e9\"]")"},
      {"to_number('1.5')", "{}", "1.5"},
      {"to_number('12')", "{}", "12"},
      {"to_number('x')", "{}", "null"},
      {"type(`null`)", "{}", R"("null")"},
      {"length(matches)", R"({"matches":[{},{}]})", "2"},
      {"foo.length(@)", R"({"foo":"abc"})", "3"},
      // errors
      {"", "{}", "error: EmptyExpressionError"},
      {"foo.", "{}", "error: ParseError"},
      {"foo[", "{}", "error: IncompleteExpressionError"},
      {"]", "{}", "error: ParseError"},
      {"foo bar", "{}", "error: ParseError"},
      {"a = b", "{}", "error: LexerError"},
      {"`foo", "{}", "error: LexerError"},
      {"\"foo\"(@)", "{}", "error: ParseError"},
      {"abs('a')", "{}", "error: JMESPathTypeError"},
      {"avg(`[\"a\"]`)", "{}", "error: JMESPathTypeError"},
      {"length(`1`, `2`)", "{}", "error: ArityError"},
      {"merge()", "{}", "error: VariadictArityError"},
      {"nope(@)", "{}", "error: UnknownFunctionError"},
      {"sort_by(@, &a)", R"([{"a":1},{"a":"x"}])", "error: JMESPathTypeError"},
      {"&a", "{}", "error: TypeError"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Answer(c.expression, c.document), c.want) << c.expression << " on " << c.document;
  }
}

TEST(JmespathTest, ErrorsReadAsTheAwsCliPrintsThem) {
  struct ErrorCase {
    std::string expression, document, message;
  };
  const std::vector<ErrorCase> cases = {
      {"length(", "{}", "Invalid jmespath expression: Incomplete expression:\n\"length(\"\n        ^"},
      {"foo]", "{}",
       "Unexpected token: ]: Parse error at column 3, token \"]\" (RBRACKET), for expression:\n\"foo]\"\n    ^"},
      {"a = b", "{}", "Bad jmespath expression: Unknown token '=':\na = b\n  ^"},
      {"abs(@)", "[1]",
       "In function abs(), invalid type for value: [1], expected one of: ['number'], received: \"array\""},
      {"avg(@)", "[\"a\"]",
       "In function avg(), invalid type for value: a, expected one of: ['array-number'], received: \"str\""},
      {"length(`1`, `2`)", "{}", "Expected 1 argument for function length(), received 2"},
      {"nope(@)", "{}", "Unknown function: nope()"},
      {"[::0]", "[]", "slice step cannot be zero"},
  };
  for (const ErrorCase& c : cases) {
    auto e = Expression::Compile(c.expression);
    std::string got;
    if (!e.ok()) {
      got = e.error().aws_message;
    } else {
      auto r = e->Search(Json::parse(c.document));
      ASSERT_FALSE(r.ok()) << c.expression;
      got = r.error().aws_message;
    }
    EXPECT_EQ(got, c.message) << c.expression;
  }
}

TEST(JmespathTest, DeepNestingIsAnErrorNotACrash) {
  const std::string deep = std::string(100000, '(') + "a" + std::string(100000, ')');
  auto e = Expression::Compile(deep);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().exception, "ParseError");
  const std::string not_deep = std::string(100000, '!') + "a";
  EXPECT_FALSE(Expression::Compile(not_deep).ok());
}

// ---- the differential run against Python's jmespath ----------------------------------------------------------
class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  std::string Expression(int depth) {
    if (depth <= 0) return Atom();
    switch (Pick(17)) {
      case 0: return Expression(depth - 1) + "." + Name();
      case 1: return Expression(depth - 1) + "[" + std::to_string(static_cast<int>(Pick(5)) - 2) + "]";
      case 2: return Expression(depth - 1) + "[" + SliceText() + "]";
      case 3: return Expression(depth - 1) + "[*]." + Name();
      case 4: return Expression(depth - 1) + ".*";
      case 5: return Expression(depth - 1) + "[]";
      case 6: return Expression(depth - 1) + "[?" + Comparison(depth - 1) + "]";
      case 7: return Expression(depth - 1) + " | " + Expression(depth - 1);
      case 8: return Expression(depth - 1) + (Pick(2) ? " || " : " && ") + Expression(depth - 1);
      case 9: return "!" + Expression(depth - 1);
      case 10: return "[" + Expression(depth - 1) + ", " + Expression(depth - 1) + "]";
      case 11: return "{k: " + Expression(depth - 1) + ", " + Name() + ": " + Expression(depth - 1) + "}";
      case 12: return Function(depth - 1);
      case 13: return "(" + Expression(depth - 1) + ")";
      case 14: return Comparison(depth - 1);
      case 15: return Expression(depth - 1) + Noise();
      default: return Atom();
    }
  }

  std::string Document(int depth) {
    if (depth <= 0) return Scalar();
    switch (Pick(3)) {
      case 0: {
        std::string out = "[";
        const uint32_t n = Pick(4);
        for (uint32_t i = 0; i < n; ++i) out += (i ? "," : "") + Document(depth - 1);
        return out + "]";
      }
      case 1: {
        std::string out = "{";
        const uint32_t n = Pick(4);
        for (uint32_t i = 0; i < n; ++i) out += std::string(i ? "," : "") + "\"" + Name() + "\":" + Document(depth - 1);
        return out + "}";
      }
      default: return Scalar();
    }
  }

 private:
  uint32_t Pick(uint32_t n) { return static_cast<uint32_t>(rng_() % n); }
  std::string Name() {
    static const char* names[] = {"a", "b", "c", "foo", "bar"};
    return names[Pick(5)];
  }
  std::string Scalar() {
    static const char* scalars[] = {"1", "0", "-2", "2.5", "1.0", "\"x\"", "\"\"", "\"abc\"", "true", "false",
                                    "null", "[]", "{}", "[1,2,3]", "[\"b\",\"a\"]", "[1,\"a\"]", "{\"a\":1}"};
    return scalars[Pick(17)];
  }
  std::string Atom() {
    switch (Pick(9)) {
      case 0: return "@";
      case 1: return "`" + Scalar() + "`";
      case 2: return "'" + std::string(Pick(2) ? "x" : "abc") + "'";
      case 3: return "*";
      case 4: return "[*]";
      case 5: return "[]";
      default: return Name();
    }
  }
  std::string SliceText() {
    auto part = [&] { return Pick(3) == 0 ? std::string() : std::to_string(static_cast<int>(Pick(7)) - 3); };
    std::string s = part() + ":" + part();
    if (Pick(2)) s += ":" + part();
    return s;
  }
  std::string Comparison(int depth) {
    static const char* ops[] = {"==", "!=", "<", "<=", ">", ">="};
    return Expression(depth) + " " + ops[Pick(6)] + " " + Expression(depth);
  }
  std::string Function(int depth) {
    static const char* fns[] = {"abs", "avg", "ceil", "contains", "ends_with", "floor", "join", "keys", "length",
                                "map", "max", "max_by", "merge", "min", "min_by", "not_null", "reverse", "sort",
                                "sort_by", "starts_with", "sum", "to_array", "to_number", "to_string", "type",
                                "values", "nope"};
    const std::string name = fns[Pick(27)];
    std::string args;
    const uint32_t n = Pick(4);
    for (uint32_t i = 0; i < n; ++i) {
      args += i ? ", " : "";
      args += Pick(4) == 0 ? "&" + Expression(depth) : Expression(depth);
    }
    return name + "(" + args + ")";
  }
  std::string Noise() {
    static const char* noise[] = {"]", ")", ".", "[", "{", ",", "=", "&&", "|", "`", "'", "\"x", "[?", ":", "-"};
    return noise[Pick(15)];
  }

  std::mt19937 rng_;
};

TEST(JmespathTest, SameAnswersAsPythonsJmespath) {
  std::vector<std::pair<std::string, std::string>> cases = {
      {"foo.\"bar\"", R"({"foo":{"bar":1}})"},
      {"[0:-1:2]", "[1,2,3,4,5]"},
      {"[-10:10:-1]", "[1,2,3]"},
      {"`1e400`", "{}"},
      {"`-0.0`", "{}"},
      {"`0.0001`", "{}"},
      {"`0.00001`", "{}"},
      {"`1e16`", "{}"},
      {"`123456789012345678`", "{}"},
      {"to_string(`0.1`)", "{}"},
      {"to_string(`1e100`)", "{}"},
      {"to_string(`\"\\ud83d\\ude00\"`)", "{}"},
      {"to_string(`[\"\\ud83d\\ude00\", \"\\n\"]`)", "{}"},
      {"to_number(' 12 ')", "{}"},
      {"to_number('1_000')", "{}"},
      {"to_number('1e3')", "{}"},
      {"to_number('.5')", "{}"},
      {"to_number('-')", "{}"},
      {"abs(`-0`)", "{}"},
      {"min_by(@, &a)", R"([{"a":1},{"a":"x"}])"},
      {"max_by(@, &a)", R"([{"a":"x"},{"a":1}])"},
      {"sort(@)", R"([1, "a"])"},
      {"max(@)", R"(["a", 1])"},
      {"contains(@, `1`)", "[true]"},
      {"contains(@, `true`)", "[1]"},
      {"abs('it''s')", "{}"},
      {"abs(`\"it's\"`)", "{}"},
      {"abs(`\"a\\\"'b\"`)", "{}"},
      {"abs(`{\"a\": [1, null, true]}`)", "{}"},
      {"length(&a)", "{}"},
      {"map(a, @)", "[]"},
      {"type(&a)", "{}"},
      {"not_null()", "{}"},
      {"[?a == `1`", "[]"},
      {"{a: b", "{}"},
      {"{a b}", "{}"},
      {"{\"a\": b}", R"({"b":1})"},
      {"a.{b: c}", R"({"a":[1]})"},
      {"a[?b].c[0]", R"({"a":[{"b":1,"c":[5]}]})"},
      {"`foo bar`", "{}"},
      {"` foo`", "{}"},
      {"`\"a\"b`", "{}"},
      {"\"a\\qb\"", "{}"},
      {"'unclosed", "{}"},
      {"-1", "{}"},
      {"[-]", "{}"},
      {"a.-1", "{}"},
      {"a.1", "{}"},
      {"a[1:2:3:4]", "{}"},
      {"a[a]", "{}"},
      {"a[0, 1]", "{}"},
      {"*.*", R"({"a":{"b":1}})"},
      {"[*][*]", "[[1,2],[3]]"},
      {"[*].*", R"([{"a":1}])"},
      {"a.*.b", R"({"a":{"x":{"b":1},"y":[1]}})"},
      {"!`0` == `false`", "{}"},
      {"@.@", "{}"},
      {"a.length(@)", "{}"},
      {"a.\"b\"(@)", "{}"},
      {"(a)(@)", "{}"},
      {"\xc3\xa9", "{}"},
      {"a \xc3\xa9", "{}"},
      {"[?a==`1`] | length(@)", R"([{"a":1},{"a":1.0}])"},
      {"join(`,`, @)", R"(["a"])"},
      {"join(',', @)", R"(["a", 1])"},
  };
  // TW_JMESPATH_SEED and TW_JMESPATH_CASES run other and longer random series (90,000 cases were run so).
  const char* seed = std::getenv("TW_JMESPATH_SEED");
  const char* count = std::getenv("TW_JMESPATH_CASES");
  Generator gen(seed ? static_cast<uint32_t>(std::atoi(seed)) : 20261204u);
  const int n = count ? std::atoi(count) : 4000;
  for (int i = 0; i < n; ++i) cases.emplace_back(gen.Expression(1 + i % 4), gen.Document(3));

  const std::string in = trailwatch::test_support::UniqueTempPath("jmespath-cases.ndjson");
  const std::string out = trailwatch::test_support::UniqueTempPath("jmespath-answers.ndjson");
  {
    std::ofstream f(in);
    for (const auto& [e, d] : cases) f << Json{{"e", e}, {"d", Json::parse(d)}}.dump() << "\n";
  }
  const std::string command = "/usr/bin/python3 " + std::string(TW_SOURCE_DIR) + "/tests/jmespath/reference.py < " +
                              in + " > " + out;
  const int status = std::system(command.c_str());
  if (WIFEXITED(status) && WEXITSTATUS(status) == 77) GTEST_SKIP() << "python3-jmespath is not installed";
  ASSERT_EQ(status, 0) << command;
  std::ifstream answers(out);
  std::string line;
  size_t i = 0, compared = 0, errors = 0;
  while (std::getline(answers, line)) {
    ASSERT_LT(i, cases.size());
    const auto& [expression, document] = cases[i++];
    Json want = Json::parse(line);
    // An &expression's repr carries its address: compare without it.
    static const std::regex address(" at 0x[0-9a-f]+>");
    for (const char* key : {"ok", "message"}) {
      if (want.contains(key)) want[key] = std::regex_replace(want[key].get<std::string>(), address, ">");
    }
    std::string got_kind, got_text;
    auto e = Expression::Compile(expression);
    if (!e.ok()) {
      got_kind = e.error().exception;
      got_text = e.error().aws_message;
    } else {
      auto r = e->Search(Json::parse(document));
      if (r.ok()) {
        got_text = PythonJsonDumps(r.value());
      } else {
        got_kind = r.error().exception;
        got_text = r.error().aws_message;
      }
    }
    // merge() of a later argument that is no object: Python's dict.update() fails with its own words (or
    // merges a list of pairs); trailwatch says the JMESPath type error, as for the first argument.
    if (got_text.starts_with("In function merge(), invalid type") &&
        (want.contains("ok") || want["error"] == "TypeError" || want["error"] == "ValueError")) {
      continue;
    }
    if (want.contains("ok")) {
      EXPECT_EQ(got_kind, "") << expression << " on " << document << ": " << got_text;
      EXPECT_EQ(got_text, want["ok"].get<std::string>()) << expression << " on " << document;
    } else {
      const std::string kind = want["error"], message = want["message"];
      // Python's own failure where the specification has an answer: `contains` of a string with a non-string.
      if (kind == "TypeError" && message.starts_with("'in <string>'")) continue;
      ++errors;
      EXPECT_EQ(got_kind, kind) << expression << " on " << document << ": " << message;
      EXPECT_EQ(got_text, message) << expression << " on " << document;
    }
    ++compared;
  }
  EXPECT_EQ(i, cases.size());
  EXPECT_GT(compared, cases.size() * 9 / 10);
  EXPECT_GT(errors, 100u);                    // the errors are compared too
  EXPECT_GT(compared - errors, 1000u);        // and so are the answers
}

// PythonJsonError against Python's json.loads (the AWS CLI's "Invalid JSON: ..." texts): hand-picked damage
// and random mutations of valid JSON.
TEST(PythonJsonTest, SameErrorsAsPythonsJson) {
  if (!std::ifstream("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3";
  std::vector<std::string> texts = {
      "[ERROR] x", "[1,]", "[\"a\" \"b\"]", "[\"a\\q\"]", "[\"\\u12\"]", "[\"\\u12zz\"]", "[\"abc",
      "[\"a\x01\"]", "[1] x", "[{\"a\" 1}]", "[{a:1}]", "[{\"a\":1,}]", "[{\"a\":}]", "[-]", "[01]", "[1.]",
      "[\n1,\n  x]", "[\"\xc3\xa9\", x]", "[\"\\ud800\\u12\"]", "[\"\\ud800\\x\"]", "[NaN, Infinity, -Infinity]",
      "[1e5,-0.5]", "[tru]", "[nul]", "[\"a\"]]", "[\"\\", "[", "[ ", "[\"a\",", "[{", "[{\"a\"", "[{\"a\":1",
      "[1e]", "[1e+]", "[-01]", "[.5]", "[\"\\ud83d\\ude00\"]", "  [1", "[1]\n\n x",
  };
  std::mt19937 rng(7);
  const std::vector<std::string> seeds = {R"(["a", {"b": [1, 2.5e-3, true, null]}, "c\"d"])", R"([{"k": "v", "n": -0}])"};
  const std::string junk = "[]{}\",:\\ abe1-.\n\x01";
  for (int i = 0; i < 3000; ++i) {
    std::string t = seeds[rng() % seeds.size()];
    for (int k = 0; k < 1 + static_cast<int>(rng() % 3); ++k) {
      const size_t at = rng() % (t.size() + 1);
      switch (rng() % 3) {
        case 0: t.insert(at, 1, junk[rng() % junk.size()]); break;
        case 1: if (at < t.size()) t.erase(at, 1); break;
        default: if (at < t.size()) t[at] = junk[rng() % junk.size()]; break;
      }
    }
    texts.push_back(t);
  }
  const std::string in = trailwatch::test_support::UniqueTempPath("pyjson-cases.ndjson");
  const std::string out = trailwatch::test_support::UniqueTempPath("pyjson-answers.txt");
  {
    std::ofstream f(in);
    for (const std::string& t : texts) f << Json(t).dump() << "\n";
  }
  const std::string script =
      "import json,sys\n"
      "for line in sys.stdin:\n"
      "  t = json.loads(line)\n"
      "  try:\n"
      "    json.loads(t); print('')\n"
      "  except ValueError as e:\n"
      "    print(str(e))\n";
  const std::string py = trailwatch::test_support::UniqueTempPath("pyjson.py");
  std::ofstream(py) << script;
  ASSERT_EQ(std::system(("/usr/bin/python3 " + py + " < " + in + " > " + out).c_str()), 0);
  std::ifstream answers(out);
  std::string line;
  size_t i = 0, errors = 0;
  while (std::getline(answers, line)) {
    ASSERT_LT(i, texts.size());
    EXPECT_EQ(PythonJsonError(texts[i]), line) << Json(texts[i]).dump();
    errors += !line.empty();
    ++i;
  }
  EXPECT_EQ(i, texts.size());
  EXPECT_GT(errors, 1000u);
}

}  // namespace
}  // namespace trailwatch::jmespath
