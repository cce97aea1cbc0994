// aws_yaml_test.cc: the AWS CLI's YAML (tools/aws_output/yaml.h) — FormatYaml's rules, one table row each
// (quoting of strings the resolver would read as another type, indicators, spaces, line breaks, folding at
// 80 columns, escapes, unicode, nesting, empty collections, key order, long and multi-line keys, numbers,
// top-level scalars by json.dump), ParseCliInputYaml's rules (YAML 1.2 resolution, tags, merges, anchors,
// timestamps, errors), then differential runs against the Python code Debian's awscli runs
// (tests/aws_output/yaml_reference.py; skipped when awscli or ruamel.yaml is not installed): thousands of
// random JSON documents must print byte for byte the same, and the loader must give the same JSON (or fail
// too) on that output, on hand-written YAML and on invalid YAML. TW_YAML_SEED and TW_YAML_CASES run other
// and longer random series.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/temp_path.h"
#include "tools/aws_output/yaml.h"
#include "tools/jmespath/jmespath.h"

namespace trailwatch::awsout {
namespace {

using Json = nlohmann::ordered_json;

struct DumpCase {
  std::string json;
  std::string want;
  std::string why;
};

TEST(FormatYamlTest, Rules) {
  const std::vector<DumpCase> cases = {
      // top-level scalars: json.dump(value, ensure_ascii=False) + "\n"
      {R"("a")", "\"a\"\n", "a top-level string is JSON, not YAML"},
      {"\"\\u00fc\\n\\u0001\\t\\\"\"", "\"\xC3\xBC\\n\\u0001\\t\\\"\"\n",
       "ensure_ascii=False; controls as \\uXXXX"},
      {"\"\\u007f\\u2028\"", "\"\x7F\xE2\x80\xA8\"\n", "json.dump escapes nothing above U+001F"},
      {"null", "null\n", "None"},
      {"true", "true\n", "True"},
      {"12", "12\n", "an int"},
      {"1e16", "1e+16\n", "Python's float repr"},
      {"1.0", "1.0\n", "a float keeps its .0"},
      {"-0.0", "-0.0\n", "negative zero"},
      // collections
      {"{}", "{}\n", "an empty mapping is flow style (the caller prints nothing for {})"},
      {"[]", "[]\n", "an empty sequence"},
      {R"({"b":1,"a":2,"B":3})", "B: 3\na: 2\nb: 1\n", "keys sorted by code point"},
      {R"({"k":[1,2]})", "k:\n- 1\n- 2\n", "a sequence in a mapping is indentless"},
      {R"([[1,2],[3]])", "- - 1\n  - 2\n- - 3\n", "lists of lists"},
      {R"([{"a":1,"b":2}])", "- a: 1\n  b: 2\n", "a mapping in a sequence"},
      {R"({"a":{"b":{"c":1}}})", "a:\n  b:\n    c: 1\n", "nested mappings indent by 2"},
      {R"({"a":[],"b":{},"c":[[]]})", "a: []\nb: {}\nc:\n- []\n", "empty collections inside"},
      // numbers and other scalars inside collections
      {R"([null,true,false,-5,1.5,1e-05,1e+300,123456789012345678])",
       "- null\n- true\n- false\n- -5\n- 1.5\n- 1e-05\n- 1e+300\n- 123456789012345678\n", "plain scalars"},
      {"[18446744073709551615]", "- 18446744073709551615\n", "uint64"},
      // strings the YAML 1.2 resolver reads as another type are quoted
      {R"(["1","-1","1.5","1e3",".5","+1","0x1f","0o17","0b1","1_000","017"])",
       "- '1'\n- '-1'\n- '1.5'\n- '1e3'\n- '.5'\n- '+1'\n- '0x1f'\n- '0o17'\n- '0b1'\n- '1_000'\n- '017'\n",
       "numbers as strings"},
      {R"(["true","False","TRUE","null","Null","~","",".inf","-.Inf",".nan","2001-12-14","<<","="])",
       "- 'true'\n- 'False'\n- 'TRUE'\n- 'null'\n- 'Null'\n- '~'\n- ''\n- '.inf'\n- '-.Inf'\n- '.nan'\n"
       "- '2001-12-14'\n- '<<'\n- '='\n",
       "booleans, nulls, specials, timestamps, merge and value keys"},
      {R"(["yes","no","on","Off","y","n","1:30","_1","1e","0x","tRue","nULL","1.2.3","2001-1-2"])",
       "- yes\n- no\n- on\n- Off\n- y\n- n\n- 1:30\n- _1\n- 1e\n- 0x\n- tRue\n- nULL\n- 1.2.3\n- 2001-1-2\n",
       "YAML 1.1 booleans and sexagesimals are plain: the dumper's resolver is 1.2's"},
      // indicators
      {R"(["- a","-a","? a","?a",": a",":a","a:","a: b","a:b","#x","a #x","a#x","@x","`x","%x","!x","&x","*x"])",
       "- '- a'\n- -a\n- '? a'\n- ?a\n- ': a'\n- :a\n- 'a:'\n- 'a: b'\n- a:b\n- '#x'\n- 'a #x'\n- a#x\n- "
       "'@x'\n"
       "- '`x'\n- '%x'\n- '!x'\n- '&x'\n- '*x'\n",
       "indicators at the start, `: ` and ` #` inside"},
      {R"(["|x",">x","'x","\"x","[x","x]","{x","x}",",x","x,y","-","?",":","---","---x","...","a---"])",
       "- '|x'\n- '>x'\n- '''x'\n- '\"x'\n- '[x'\n- x]\n- '{x'\n- x}\n- ',x'\n- x,y\n- '-'\n- '?'\n- ':'\n"
       "- '---'\n- '---x'\n- '...'\n- a---\n",
       "flow indicators are fine inside block plain scalars; document markers are not"},
      {R"(["x'y","it's"])", "- x'y\n- it's\n", "a quote inside a plain scalar"},
      {R"([" a","a ","a  b","\u00a0x"])", "- ' a'\n- 'a '\n- a  b\n- \xC2\xA0x\n",
       "leading and trailing spaces"},
      // line breaks, escapes and unicode
      {R"({"a":"x\ny"})", "a: 'x\n\n  y'\n", "a line break is doubled in single quotes"},
      {R"({"a":"x\n"})", "a: 'x\n\n  '\n", "a trailing line break"},
      {R"({"a":"x \ny"})", "a: \"x \\ny\"\n", "a space before a break needs double quotes"},
      {R"({"a":"x\n y"})", "a: \"x\\n y\"\n", "a space after a break needs double quotes"},
      {R"(["a\tb","a\rb","\u0000","\u001b","\u007f","\u0085","\ufeffx","\ud83d\ude00","\u00e9\u65e5"])",
       "- \"a\\tb\"\n- \"a\\rb\"\n- \"\\0\"\n- \"\\e\"\n- \"\\x7F\"\n- \"\\N\"\n- \"\\uFEFFx\"\n- "
       "\"\\U0001F600\"\n"
       "- \xC3\xA9\xE6\x97\xA5\n",
       "non-printable characters are escaped; printable unicode is kept"},
      {R"(["\\","a\"b"])", "- \\\n- a\"b\n", "a backslash and a double quote are plain"},
      {R"(["\u2028x"])", "- '\xE2\x80\xA8  x'\n", "U+2028 is a line break: single-quoted, then indented"},
      // folding at 80 columns
      {R"({"k":"aaaaaaaaa bbbbbbbbb ccccccccc ddddddddd eeeeeeeee fffffffff ggggggggg hhhhhhhhh iiiiiiiii jjjjjjjjj"})",
       "k: aaaaaaaaa bbbbbbbbb ccccccccc ddddddddd eeeeeeeee fffffffff ggggggggg hhhhhhhhh\n  iiiiiiiii "
       "jjjjjjjjj\n",
       "a plain scalar folds at a space once past column 80, continuing indented"},
      {R"(["aaaaaaaaa bbbbbbbbb ccccccccc ddddddddd eeeeeeeee fffffffff ggggggggg hhhhhhhhh iiiiiiiii: jjj"])",
       "- 'aaaaaaaaa bbbbbbbbb ccccccccc ddddddddd eeeeeeeee fffffffff ggggggggg hhhhhhhhh\n  iiiiiiiii: "
       "jjj'\n",
       "so does a single-quoted one"},
      {R"(["aaaaaaaaa bbbbbbbbb ccccccccc ddddddddd eeeeeeeee fffffffff ggggggggg hhhhhhhhh iiiiiiiii\tjjj kkk"])",
       "- \"aaaaaaaaa bbbbbbbbb ccccccccc ddddddddd eeeeeeeee fffffffff ggggggggg hhhhhhhhh\n  "
       "iiiiiiiii\\tjjj kkk\"\n",
       "and a double-quoted one"},
      {"[\"" + std::string(133, 'a') + "\"]", "- " + std::string(133, 'a') + "\n",
       "a word longer than the line is not broken"},
      // keys
      {R"({"1":"a","yes":"b","a b":"c","- x":"d","":"e"})", "'': e\n'- x': d\n'1': a\na b: c\nyes: b\n",
       "keys follow the same quoting rules"},
      {R"({"a\nb":1})", "? 'a\n\n  b'\n: 1\n", "a multi-line key is a complex key"},
      {"{\"" + std::string(129, 'k') + "\":[1]}", "? " + std::string(129, 'k') + "\n: - 1\n",
       "a key over 128 bytes is a complex key"},
      {"{\"" + std::string(129, 'k') + "\":{\"a\":1}}", "? " + std::string(129, 'k') + "\n: a: 1\n",
       "a mapping after `: `"},
      {"{\"" + std::string(128, 'k') + "\":{\"a\":1}}", std::string(128, 'k') + ":\n  a: 1\n",
       "a key of exactly 128 bytes is still simple"},
      {R"({"a\tb":"x\ty"})", "\"a\\tb\": \"x\\ty\"\n", "a double-quoted key"},
  };
  for (const DumpCase& c : cases) {
    EXPECT_EQ(FormatYaml(Json::parse(c.json)), c.want) << c.why << ": " << c.json;
  }
}

TEST(FormatYamlTest, NeverFailsOnOddValues) {
  // Invalid UTF-8 is repaired with U+FFFD; NaN and infinities print as ruamel prints them.
  EXPECT_EQ(FormatYaml(Json::array({std::string("a\xFF"
                                                "b")})),
            "- a\xEF\xBF\xBD"
            "b\n");
  EXPECT_EQ(FormatYaml(Json::array({NAN, INFINITY, -INFINITY})), "- .nan\n- .inf\n- -.inf\n");
  EXPECT_EQ(FormatYaml(Json(INFINITY)), "Infinity\n");
  // Deep nesting is walked without recursion.
  Json deep = 1;
  for (int i = 0; i < 100000; ++i) deep = Json::array({std::move(deep)});
  const std::string out = FormatYaml(deep);
  EXPECT_TRUE(out.starts_with("- - - - ")) << out.substr(0, 20);
  // nlohmann's destructor recurses: unwind the value by hand.
  while (deep.is_array() && !deep.empty()) {
    Json inner = std::move(deep[0]);
    deep = std::move(inner);
  }
}

struct LoadCase {
  const char* yaml;
  const char* want;  // Python's json.dumps(separators=(',', ':')) of the result, or "error: CLASS"
  const char* why;
};

std::string Loaded(const std::string& yaml) {
  auto r = ParseCliInputYaml(yaml);
  if (!r.ok()) return "error: " + r.error().exception;
  return jmespath::PythonJsonDumps(r.value());
}

TEST(ParseCliInputYamlTest, Rules) {
  const std::vector<LoadCase> cases = {
      {"a: 1\nb: x\n", R"({"a":1,"b":"x"})", "a block mapping"},
      {"{a: 1, b: [x, y]}", R"({"a":1,"b":["x","y"]})", "flow style"},
      {"", "null", "an empty document is None"},
      {"# only a comment\n", "null", "so is a comment"},
      {"a: [yes, no, on, off, y, n]", R"({"a":["yes","no","on","off","y","n"]})", "1.2: no yes/no booleans"},
      {"a: [true, False, TRUE]", R"({"a":[true,false,true]})", "1.2 booleans"},
      {"a: [~, null, Null, NULL, ]", R"({"a":[null,null,null,null]})", "nulls"},
      {"a:\nb: ''", R"({"a":null,"b":""})", "an empty value is None, '' is a string"},
      {"a: [12, +1, -0, 0x1F, 0o17, 017, 0b101, 1_000]", R"({"a":[12,1,0,31,15,17,5,1000]})", "1.2 integers"},
      {"a: [1.5, .5, 1e3, 1.0e3, 1., -2.5E-3, .inf, -.Inf]",
       R"({"a":[1.5,0.5,1000.0,1000.0,1.0,-0.0025,Infinity,-Infinity]})", "1.2 floats"},
      {"a: [1:30, 0x, _1, 1e, 1.2.3]", R"({"a":["1:30","0x","_1","1e","1.2.3"]})",
       "strings that look numeric"},
      {"%YAML 1.1\n---\na: [yes, 017, 1:30, Off]", R"({"a":[true,15,90,false]})", "a %YAML 1.1 directive"},
      {"a: '1'\nb: \"true\"\nc: |\n  12\n", R"({"a":"1","b":"true","c":"12\n"})",
       "quoted and block scalars are str"},
      {"a: |\n  x\n  y\nb: >\n  folded\n  text\n\nc: |-\n  z\n",
       R"({"a":"x\ny\n","b":"folded text\n","c":"z"})", "block scalars"},
      {"a: 'it''s'\nb: \"t\\tu\\u00e9\"", R"({"a":"it's","b":"t\tu\u00e9"})", "quoted forms"},
      {"a: !!str 1\nb: !!int '7'\nc: !!float 2\nd: !!bool yes\ne: !!str null\nf: !!str",
       R"({"a":"1","b":7,"c":2.0,"d":true,"e":"null","f":""})", "explicit tags"},
      {"a: ! 12\nb: ! '12'", R"({"a":12,"b":12})", "the non-specific tag resolves as plain (as ruamel does)"},
      {"base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3", R"({"base":{"x":1,"y":2},"other":{"x":1,"y":3}})",
       "a merge key; the mapping's own keys win"},
      {"- &a {a: 1, c: 1}\n- &b {b: 2, a: 0}\n- <<: [*a, *b]\n  c: 3",
       R"([{"a":1,"c":1},{"b":2,"a":0},{"b":2,"a":1,"c":3}])", "a list of merges: earlier ones win"},
      {"a: &x [1, 2]\nb: *x", R"({"a":[1,2],"b":[1,2]})", "aliases are copies"},
      {"{1: a, 1.5: b, null: c, false: d}", R"({"1":"a","1.5":"b","null":"c","false":"d"})",
       "keys as json.dumps writes them"},
      {"a: 2001-12-14", R"({"a":"2001-12-14"})", "a date"},
      {"a: 2001-12-14t21:59:43.10-05:00", R"({"a":"2001-12-15T02:59:43.100000"})",
       "a datetime, moved to UTC"},
      {"a: 2001-12-14 21:59:43.1234567", R"({"a":"2001-12-14T21:59:43.123457"})", "microseconds rounded"},
      {"a: !!binary aGVsbG8=", R"({"a":"hello"})", "binary as its UTF-8 text"},
      {"a: !!set {x}", R"({"a":["x"]})", "a set as a list"},
      {"!!omap [a: 1, b: 2]", R"({"a":1,"b":2})", "an ordered map"},
      {"!!pairs [a: 1, b: 2]", R"([["a",1],["b",2]])", "pairs"},
      {"=: 1", R"({"=":1})", "a value key is a string"},
      {"? complex\n: value", R"({"complex":"value"})", "an explicit key"},
      // errors
      {"a: \"unterminated", "error: YAMLError", "syntax"},
      {"a: [1, 2", "error: YAMLError", "an unclosed flow sequence"},
      {"a: b: c", "error: YAMLError", "a mapping value where none may be"},
      {"{a: 1, a: 2}", "error: YAMLError", "a duplicate key"},
      {"{1: a, true: b}", "error: YAMLError", "keys equal in Python"},
      {"a: b\n---\nc: d", "error: YAMLError", "two documents"},
      {"a: !foo x", "error: YAMLError", "an unknown tag"},
      {"a: [=]", "error: YAMLError", "a value scalar outside a key"},
      {"{{a: 1}: 2}", "error: YAMLError", "a mapping as a key"},
      {"a: *nothing", "error: YAMLError", "an undefined alias"},
      {"a: !!int 12x", "error: ValueError", "int() fails"},
      {"a: 2001-13-14", "error: ValueError", "date() fails"},
      {"[1, 2]: x", "error: TypeError", "json.dumps fails on a tuple key"},
      {"&a [*a]", "error: YAMLError", "a recursive alias cannot be JSON (deliberate)"},
      {"a: !!binary /w==", "error: YAMLError", "binary that is not UTF-8 (deliberate)"},
  };
  for (const LoadCase& c : cases) EXPECT_EQ(Loaded(c.yaml), c.want) << c.why << ": " << c.yaml;

  auto r = ParseCliInputYaml("a: 1\nb: [x, y\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().aws_message, kInvalidYamlMessage);
  EXPECT_NE(r.error().message.find("line "), std::string::npos) << r.error().message;
  // Alias expansion is bounded.
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'k'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", " : "") + "*" + static_cast<char>(c - 1);
    bomb += "]\n";
  }
  EXPECT_EQ(Loaded(bomb), "error: YAMLError");
}

TEST(ParseCliInputYamlTest, NeverFailsBadly) {
  // Deep nesting, long alias chains and random damage give values or errors, never a crash.
  EXPECT_EQ(Loaded(std::string(5000, '[') + std::string(5000, ']')), "error: YAMLError");
  std::string chain = "a0: &a0 [1]\n";
  for (int i = 1; i < 1500; ++i)
    chain += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" + std::to_string(i - 1) + "]\n";
  EXPECT_EQ(Loaded(chain), "error: YAMLError");  // nesting deeper than 1000 through aliases
  const std::vector<std::string> seeds = {"a: [1, {b: 'x\n\n  y'}, \"\\u00e9\\N\"]\n? k\n: &r v\nc: *r\n",
                                          "- !!binary aGVsbG8=\n- <<: {a: 1}\n- 2001-12-14 21:59:43.10 -5\n"};
  const std::string junk = "[]{}'\"!&*:-?#|>\n \t\\,x1\xC3\xA9\xFF";
  std::mt19937 rng(11);
  for (int i = 0; i < 3000; ++i) {
    std::string t = seeds[i % seeds.size()];
    for (int k = 0; k < 1 + static_cast<int>(rng() % 4); ++k) {
      const size_t at = rng() % (t.size() + 1);
      if (rng() % 2 && at < t.size())
        t.erase(at, 1);
      else
        t.insert(at, 1, junk[rng() % junk.size()]);
    }
    auto r = ParseCliInputYaml(t);
    if (r.ok()) {
      EXPECT_NO_THROW(FormatYaml(r.value()));
    } else {
      EXPECT_FALSE(r.error().message.empty()) << t;
    }
  }
}

// ---- the differential runs
// ---------------------------------------------------------------------------------

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  std::string String() {
    static const std::vector<std::string> kFragments = {"0",
                                                        "1",
                                                        "9",
                                                        "12",
                                                        ".",
                                                        "e",
                                                        "E",
                                                        "-",
                                                        "+",
                                                        ":",
                                                        "#",
                                                        " ",
                                                        " ",
                                                        "\n",
                                                        "\t",
                                                        "'",
                                                        "\"",
                                                        "\\",
                                                        "yes",
                                                        "no",
                                                        "on",
                                                        "null",
                                                        "Null",
                                                        "~",
                                                        "true",
                                                        "False",
                                                        "0x",
                                                        "0o",
                                                        "0b",
                                                        "_",
                                                        "inf",
                                                        ".inf",
                                                        ".nan",
                                                        "<<",
                                                        "=",
                                                        "!",
                                                        "&",
                                                        "*",
                                                        "?",
                                                        "|",
                                                        ">",
                                                        "%",
                                                        "@",
                                                        "`",
                                                        ",",
                                                        "[",
                                                        "]",
                                                        "{",
                                                        "}",
                                                        "\xC3\xA9",
                                                        "\xE6\x97\xA5\xE6\x9C\xAC",
                                                        "\xF0\x9F\x98\x80",
                                                        "\xE2\x80\xA8",
                                                        "\xC2\x85",
                                                        "\xC2\xA0",
                                                        "\xEF\xBB\xBF",
                                                        "\x01",
                                                        "\x7F",
                                                        "\r",
                                                        "  ",
                                                        "---",
                                                        "...",
                                                        "2001-12-14",
                                                        " #",
                                                        ": ",
                                                        "- ",
                                                        "a",
                                                        "b",
                                                        "abc",
                                                        "word",
                                                        "x1",
                                                        "\x1B",
                                                        std::string(1, '\0'),
                                                        "supercalifragilisticexpialidocious",
                                                        "1e3",
                                                        "1_0",
                                                        "3.14"};
    std::string s;
    const int shape = Pick(10);
    if (shape == 0) {  // long text that folds
      const int words = 10 + Pick(30);
      for (int i = 0; i < words; ++i) {
        s += (i ? (Pick(8) == 0 ? "  " : " ") : "") +
             std::string(1 + Pick(12), static_cast<char>('a' + Pick(26)));
        if (Pick(15) == 0) s += kFragments[Pick(kFragments.size())];
      }
      return s;
    }
    if (shape == 1) return std::string(120 + Pick(20), 'k');  // around the simple-key limit
    const int n = Pick(6);
    for (int i = 0; i < n; ++i) s += kFragments[Pick(kFragments.size())];
    return s;
  }

  Json Scalar() {
    switch (Pick(9)) {
      case 0: return nullptr;
      case 1: return Pick(2) == 0;
      case 2: return static_cast<int64_t>(Pick(2000)) - 1000;
      case 3: {
        std::uniform_int_distribution<int64_t> d(INT64_MIN, INT64_MAX);
        return d(rng_);
      }
      case 4: {
        static const double kFloats[] = {
            0.0, -0.0, 0.1, 1.5, 1e16, 1e-5, 1e-7, 123.0, 1e22, 2.5e-300, 1.7976931348623157e308};
        return kFloats[Pick(std::size(kFloats))] * (Pick(2) ? 1 : -1);
      }
      case 5: {
        std::uniform_real_distribution<double> d(-1e6, 1e6);
        return d(rng_);
      }
      default: return String();
    }
  }

  Json Value(int depth) {
    const int k = depth <= 0 ? 0 : Pick(4);
    if (k <= 1) return Scalar();
    Json v = k == 2 ? Json::array() : Json::object();
    const int n = Pick(5);
    for (int i = 0; i < n; ++i) {
      if (k == 2)
        v.push_back(Value(depth - 1));
      else
        v[String()] = Value(depth - 1);
    }
    return v;
  }

  Json Document() {
    if (Pick(20) == 0) return Scalar();
    Json v = Pick(2) ? Json::array() : Json::object();
    const int n = 1 + Pick(5);
    for (int i = 0; i < n; ++i) {
      if (v.is_array())
        v.push_back(Value(3));
      else
        v[String()] = Value(3);
    }
    return v;
  }

 private:
  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  std::mt19937 rng_;
};

// Runs the reference in `mode` over JSON lines; false when it is not installed (exit 77).
bool RunReference(const std::string& mode, const std::vector<Json>& requests, std::vector<Json>& answers) {
  const std::string in = test_support::UniqueTempPath("yaml-" + mode + "-cases.ndjson");
  const std::string out = test_support::UniqueTempPath("yaml-" + mode + "-answers.ndjson");
  {
    std::ofstream f(in, std::ios::binary);
    for (const Json& r : requests) f << r.dump() << "\n";
  }
  const std::string command = "/usr/bin/python3 " + std::string(TW_SOURCE_DIR) +
                              "/tests/aws_output/yaml_reference.py " + mode + " < " + in + " > " + out;
  const int status = std::system(command.c_str());
  if (WIFEXITED(status) && WEXITSTATUS(status) == 77) return false;
  EXPECT_EQ(status, 0) << command;
  std::ifstream f(out, std::ios::binary);
  std::string line;
  while (std::getline(f, line)) answers.push_back(Json::parse(line));
  EXPECT_EQ(answers.size(), requests.size());
  return true;
}

// Integers beyond 64 bits: Python keeps them exact, nlohmann (and so ParseCliInputYaml) makes them doubles.
bool HasBigInteger(const std::string& python_json) {
  bool in_string = false, escaped = false;
  for (size_t i = 0; i < python_json.size(); ++i) {
    const char c = python_json[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    if (c < '0' || c > '9' ||
        (i > 0 && ((python_json[i - 1] >= '0' && python_json[i - 1] <= '9') || python_json[i - 1] == '.' ||
                   python_json[i - 1] == 'e'))) {
      continue;
    }
    size_t end = i;
    while (end < python_json.size() && python_json[end] >= '0' && python_json[end] <= '9') ++end;
    if (end < python_json.size() && (python_json[end] == '.' || python_json[end] == 'e')) continue;
    const std::string digits = python_json.substr(i, end - i);
    const std::string limit =
        i > 0 && python_json[i - 1] == '-' ? "9223372036854775808" : "18446744073709551615";
    if (digits.size() > limit.size() || (digits.size() == limit.size() && digits > limit)) return true;
  }
  return false;
}

// The deliberate exception of yaml.h: ruamel's scanner takes U+0085, U+2028 and U+2029 for line breaks (as
// YAML 1.1 did), yaml-cpp for ordinary characters (as YAML 1.2 does); only quoted scalars are decoded again
// with ruamel's rules, so hand-written YAML with them elsewhere is not compared. (FormatYaml's output writes
// them in quoted scalars only, and is compared in full.)
bool HasUnicodeLineBreak(const std::string& text) {
  return text.find("\xC2\x85") != std::string::npos || text.find("\xE2\x80\xA8") != std::string::npos ||
         text.find("\xE2\x80\xA9") != std::string::npos;
}

// Compares ParseCliInputYaml with ruamel on `texts`; returns how many both read.
size_t CompareLoads(const std::vector<std::string>& texts, bool expect_errors,
                    bool skip_unicode_breaks = true) {
  std::vector<Json> requests;
  for (const std::string& t : texts) requests.push_back(Json{{"y", t}});
  std::vector<Json> answers;
  if (!RunReference("load", requests, answers)) return 0;
  size_t read = 0;
  for (size_t i = 0; i < texts.size() && i < answers.size(); ++i) {
    const Json& want = answers[i];
    if (skip_unicode_breaks && HasUnicodeLineBreak(texts[i])) continue;
    auto got = ParseCliInputYaml(texts[i]);
    if (want.contains("ok")) {
      const std::string w = want["ok"];
      if (HasBigInteger(w)) continue;  // the deliberate exception of yaml.h
      EXPECT_FALSE(expect_errors) << "ruamel reads it: " << texts[i];
      if (!got.ok()) {
        ADD_FAILURE() << texts[i] << "\nwant " << w << "\ngot error " << got.error().message;
        continue;
      }
      EXPECT_EQ(jmespath::PythonJsonDumps(got.value()), w) << texts[i];
      ++read;
    } else {
      EXPECT_FALSE(got.ok()) << texts[i] << "\nruamel: " << want.dump() << "\ngot "
                             << (got.ok() ? jmespath::PythonJsonDumps(got.value()) : "");
      if (!got.ok() && want["yaml"].get<bool>()) {
        EXPECT_EQ(got.error().exception, "YAMLError") << texts[i] << ": " << want.dump();
      }
    }
  }
  return read;
}

TEST(AwsYamlDifferentialTest, FormatYamlAndReadingItBack) {
  if (!std::ifstream("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3";
  const char* seed = std::getenv("TW_YAML_SEED");
  const char* count = std::getenv("TW_YAML_CASES");
  Generator gen(seed ? static_cast<uint32_t>(std::atoi(seed)) : 20260301u);
  const int n = count ? std::atoi(count) : 4000;
  std::vector<Json> documents, requests;
  for (int i = 0; i < n; ++i) {
    documents.push_back(gen.Document());
    requests.push_back(Json{{"v", documents.back()}});
  }
  std::vector<Json> answers;
  if (!RunReference("dump", requests, answers))
    GTEST_SKIP() << "Debian's awscli (ruamel.yaml) is not installed";
  size_t same = 0, differences = 0;
  std::vector<std::string> texts;
  for (size_t i = 0; i < documents.size() && i < answers.size(); ++i) {
    ASSERT_TRUE(answers[i].contains("ok")) << documents[i].dump() << ": " << answers[i].dump();
    const std::string want = answers[i]["ok"], got = FormatYaml(documents[i]);
    if (got == want) {
      ++same;
    } else if (++differences <= 20) {
      ADD_FAILURE() << "document " << documents[i].dump() << "\nwant:\n" << want << "\ngot:\n" << got;
    }
    if (documents[i].is_object() || documents[i].is_array()) texts.push_back(got);
  }
  EXPECT_EQ(differences, 0u);
  EXPECT_EQ(same, documents.size());
  // What we print, read back by both loaders.
  EXPECT_GT(CompareLoads(texts, false, false), texts.size() * 9 / 10);
}

TEST(AwsYamlDifferentialTest, HandWrittenYaml) {
  if (!std::ifstream("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3";
  const std::vector<std::string> valid = {
      "a: 1\nb: x\n",
      "{a: 1, b: [x, y]}",
      "[a, {b: c}, [d]]",
      "",
      "# comment\n",
      "---\na: 1\n...\n",
      "a: [yes, no, on, off, y, n, Yes, NO]",
      "a: [true, False, TRUE, tRue]",
      "a: [~, null, Null, NULL, nUll]",
      "a:\nb: ''\nc: \"\"",
      "a: [12, +1, -0, 0x1F, 0o17, 017, 0b101, 1_000, 09, 0o8, 0b2, 0x1g]",
      "a: [1.5, .5, 1e3, 1.0e3, 1., -2.5E-3, .inf, -.Inf, +.INF, .NaN, .5e+3, .5e3, 1_0.5, 1e-400, 1e400]",
      "a: [1:30, 0x, _1, 1e, 1.2.3, '+', -, 0x_, 0b_, 1__0]",
      "%YAML 1.1\n---\na: [yes, 017, 1:30, Off, 1:30.5, 0o17]",
      "%YAML 1.2\n---\na: [yes, 017]",
      "a: '1'\nb: \"true\"\nc: |\n  12\n",
      "a: |\n  x\n  y\nb: >\n  folded\n  text\n\n  para\nc: |-\n  z\nd: |+\n  w\n\ne: >2\n   indented\n",
      "a: 'it''s'\nb: \"t\\tu\\u00e9\\x41\\U0001F600\\N\\_\\L\\P\\e\\0\\a\\/\"",
      "a: 'multi\n  line'\nb: \"multi\n  line\\\n  joined\"\nc: plain\n  continued\n\n  para",
      "a: !!str 1\nb: !!int '7'\nc: !!float 2\nd: !!bool yes\ne: !!str null\nf: !!str\ng: !!null x\nh: !!str "
      "~",
      "a: ! 12\nb: ! '12'\nc: ! x",
      "a: !!int 0x_1F\nb: !!int ' 12 '\nc: !!float ' 1.5 '\nd: !!float 1_0\ne: !!int +0b11",
      "a: !!float infinity\nb: !!float -nan\nc: !!bool OFF\nd: !!int -0o17",
      "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n  z: 4",
      "- &a {a: 1, c: 1}\n- &b {b: 2, a: 0}\n- <<: [*a, *b]\n  c: 3",
      "a: {<<: {}, b: 1}",
      "x: &x {a: 1}\ny: {<<: *x, a: 2, a: 3}",
      "a: &x [1, 2]\nb: *x\nc: &y {k: *x}\nd: *y",
      "{1: a, 1.5: b, null: c, true: d, -2: e, 0x10: f}",
      "a: [2001-12-14, 2001-12-14t21:59:43.10-05:00]",
      "a: [2001-12-14 21:59:43.10 Z, 2001-12-14 21:59:43.1234567, 2001-12-14T00:00:00+01:30, 2001-12-31 "
      "23:59:59.9999999]",
      "a: !!timestamp 2001-1-2\nb: 2001-1-2\nc: '2001-12-14'",
      "a: !!binary aGVsbG8=\nb: !!binary |\n  aGVs\n  bG8=",
      "a: !!set {x}",
      "!!omap [a: 1, b: 2]",
      "!!pairs [a: 1, b: 2, a: 3]",
      "=: 1",
      "? complex\n: value",
      "? [a, b]\n: x",
      "a: b #comment\n#c\nc: d # more",
      "key with spaces: value with spaces",
      "\"quoted key\": 1\n'single': 2",
      "a:\n  - b\n  - c:\n      d: e",
      "- - - x\n  - y\n- z",
      "a: &anc !!str null\nb: *anc",
      "a: !<tag:yaml.org,2002:str> 12",
      "a: [a, b, ]",
      "a: {x: 1, }",
      "a: \"\\u00e9t\\u00e9\"",
      "\xC3\xA9t\xC3\xA9: caf\xC3\xA9",
      "a: 1\r\nb: 2\r\n",
      "a:    spaced   \n",
      "a: x:y\nb: -x\nc: ?x\nd: x#y",
      "- 1\n- -1\n- - 1",
      "[1, [2, [3, [4]]]]",
      "a: !!seq [1]\nb: !!map {c: 1}",
      "a: !!str |\n  block",
      "a: !!int 1:30",
      "a: !!float 1:30",
      "%YAML 1.1\n---\na: !!int 1:30\nb: !!float 1:30.5\nc: 0b1_1\nd: 0x_A\ne: 08",
      "a: 100000000000000000000000",
      "? |\n  block key\n: v",
      "a: {? b : c}",
      "[a: 1, b: 2]",
  };
  const std::vector<std::string> more = {
      "a: 1\n...\n",
      "--- \na: 1",
      "--- |\n  x\n",
      "a: !!str 'x\n\n  y'",
      "a: &x 'p\n\n  q'\nb: *x",
      "k: \"a\\\n  b\"",
      "k: \"a \\\n  b\"",
      "k: 'a\n  \n  b'",
      "%TAG ! tag:yaml.org,2002:\n---\na: !str 1",
      "a: -.5\nb: +.5\nc: .5e3\nd: 1__2\ne: 0b\nf: 0o\ng: 0x_\nh: 1e5_0",
      "k: '\n\n  '\nl: \"\n\n\n  \"",
      "k: 'x\n\n\n  '\nl: 'x\xE2\x80\xA8  y'\nm: \"\\N\\_\\L\\P\"",
  };
  std::vector<std::string> all = valid;
  all.insert(all.end(), more.begin(), more.end());
  EXPECT_GT(CompareLoads(all, false), all.size() * 3 / 4);
  const std::vector<std::string> invalid = {
      "a: \"unterminated",
      "a: 'unterminated",
      "a: [1, 2",
      "a: {x: 1",
      "a: b: c",
      "a:\n  - b\n c: d",
      "{a: 1, a: 2}",
      "{1: a, true: b}",
      "a: 1\na: 2",
      "a: b\n---\nc: d",
      "a: !foo x",
      "a: [=]",
      "a: <<",
      "{{a: 1}: 2}",
      "a: *nothing",
      "a: !!int 12x",
      "a: 2001-13-14",
      "a: 2001-02-30",
      "a: !!bool maybe",
      "a: !!float x",
      "[1, 2]: x",
      "a: !!binary abc",
      "a: !!binary a",
      "a: !!seq x",
      "a: !!map [1]",
      "a: !!str [1]",
      "a: !!int {}",
      "<<: 1",
      "<<: [1]",
      "a: {<<: {x: 1}, <<: {y: 2}}",
      "!!omap [a: 1, a: 2]",
      "!!omap {a: 1}",
      "!!omap [a]",
      "!!omap [{a: 1, b: 2}]",
      "!!pairs x",
      "a: \"\\q\"",
      "a: [1]]",
      "]",
      "a: &x\n  b: *y",
      "a: @b",
      "a: `b",
      "- a\nb: c",
      "a: !!timestamp 2001",
      "a: 1\n---\n",
      "---\n---\n",
      "a: !!python/name:os.system x",
      "a: !!float .",
      "a: !!int ''",
      "a: !!null [1]",
      "a: 'x'y",
      "key: \"a\" b",
  };
  CompareLoads(invalid, true);
}

}  // namespace
}  // namespace trailwatch::awsout
