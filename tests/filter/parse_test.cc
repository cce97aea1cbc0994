// parse_test.cc: the filter-pattern parser, table-driven: pattern -> AST dump, and pattern -> diagnostic.
#include <gtest/gtest.h>

#include "patterns/common/json_number.h"
#include "patterns/common/nearest.h"
#include "patterns/filter/compile.h"
#include "patterns/filter/dump.h"

namespace trailwatch::filter {
namespace {

struct DumpCase {
  const char* pattern;
  const char* dump;
};

const DumpCase kDumpCases[] = {
    // match-all
    {"", "all{}"},
    {"   ", "all{}"},
    {"\n\t ", "all{}"},
    // terms
    {"ERROR", R"(terms{+"ERROR"})"},
    {"ERROR ARGUMENTS", R"(terms{+"ERROR" +"ARGUMENTS"})"},
    {R"("INTERNAL SERVER ERROR")", R"(terms{+"INTERNAL SERVER ERROR"})"},
    {R"("[ERROR]" Exception)", R"(terms{+"[ERROR]" +"Exception"})"},
    {"?ERROR ?WARN", R"(terms{?"ERROR" ?"WARN"})"},
    {"?ERROR ?ARGUMENTS REQUEST", R"(terms{?"ERROR"(ignored) ?"ARGUMENTS"(ignored) +"REQUEST"})"},
    {"ERROR -Exiting", R"(terms{+"ERROR" -"Exiting"})"},
    {R"(-"no such")", R"(terms{-"no such"})"},
    {R"(?"a b" ?c)", R"(terms{?"a b" ?"c"})"},
    {"ORDER-ITEM-1", R"(terms{+"ORDER" -"ITEM" -"1"})"},
    {R"("say \"hi\"" "back\\slash")", R"(terms{+"say \"hi\"" +"back\\slash"})"},
    {R"(" ")", R"(terms{+" "})"},
    {"404 snake_case", R"(terms{+"404" +"snake_case"})"},
    // regex
    {"%AUTHORIZED%", "regex{%AUTHORIZED%}"},
    {"%^starting|^initializing|^shutting down%", "regex{%^starting|^initializing|^shutting down%}"},
    {R"(%\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}%)", R"(regex{%\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}%})"},
    {"  %a{,5}%  ", "regex{%a{,5}%}"},
    // JSON
    {R"({ $.eventType = "UpdateTrail" })", R"(json{cmp{$.eventType = str"UpdateTrail"}})"},
    {R"({$.eventType="UpdateTrail"})", R"(json{cmp{$.eventType = str"UpdateTrail"}})"},
    {"{ $.sourceIPAddress != 123.123.* }", R"(json{cmp{$.sourceIPAddress != glob"123.123.*"}})"},
    {"{ $.eventSource = kms.amazonaws.com }", R"(json{cmp{$.eventSource = str"kms.amazonaws.com"}})"},
    {R"({ $.errorCode = "*UnauthorizedOperation" })", R"(json{cmp{$.errorCode = glob"*UnauthorizedOperation"}})"},
    {R"({ $.x = "Ev*ent" })", R"(json{cmp{$.x = str"Ev*ent"}})"},
    {"{ $.latency = * }", "json{cmp{$.latency = any}}"},
    {R"({ $.latency = "*" })", "json{cmp{$.latency = any}}"},
    {"{ $.errorCode = 4* }", R"(json{cmp{$.errorCode = glob"4*"}})"},
    {"{ $.latency >= 500 }", R"(json{cmp{$.latency >= num"500"}})"},
    {"{ $.numbers[0] < 10e3 }", R"(json{cmp{$.numbers[0] < num"10e3"}})"},
    {"{ $.numbers[0] < 10e-3 }", R"(json{cmp{$.numbers[0] < num"10e-3"}})"},
    {"{ $.processes[4].averageRuntime <= 55.5 }", R"(json{cmp{$.processes[4].averageRuntime <= num"55.5"}})"},
    {"{ $.latency > +1000 }", R"(json{cmp{$.latency > num"+1000"}})"},
    {"{ $.x = -1.5E+2 }", R"(json{cmp{$.x = num"-1.5E+2"}})"},
    {"{ $.coordinates[0][1] = nonmatch }", R"(json{cmp{$.coordinates[0][1] = str"nonmatch"}})"},
    {"{ $.SomeObject IS NULL }", "json{isnull{$.SomeObject}}"},
    {"{ $.ThisFlag IS TRUE }", "json{istrue{$.ThisFlag}}"},
    {"{ $.ThisFlag IS FALSE }", "json{isfalse{$.ThisFlag}}"},
    {"{ $.SomeOtherObject NOT EXISTS }", "json{notexists{$.SomeOtherObject}}"},
    {"{ $.arrayKey[*] = value }", R"(json{cmp{$.arrayKey[*] = str"value"}})"},
    {"{ $.* = %111\\.111% }", R"(json{cmp{$.* = re%111\.111%}})"},
    {"{ $.['cluster.name'] = \"c\" }", R"(json{cmp{$.['cluster.name'] = str"c"}})"},
    {"{ $.detail-type = x }", R"(json{cmp{$.detail-type = str"x"}})"},
    {"{ $.a = 1 && $.b = 2 || $.c = 3 }",
     R"(json{or{and{cmp{$.a = num"1"} cmp{$.b = num"2"}} cmp{$.c = num"3"}}})"},
    {"{ $.a = 1 || $.b = 2 && $.c = 3 }",
     R"(json{or{cmp{$.a = num"1"} and{cmp{$.b = num"2"} cmp{$.c = num"3"}}}})"},
    {"{ ($.a = 1 || $.b = 2) && $.c = 3 }",
     R"(json{and{group{or{cmp{$.a = num"1"} cmp{$.b = num"2"}}} cmp{$.c = num"3"}}})"},
    {"{((($.a=1)))}", R"(json{group{group{group{cmp{$.a = num"1"}}}}})"},
    {"{ $.eventName = ConsoleLogin }\n", R"(json{cmp{$.eventName = str"ConsoleLogin"}})"},
    // space-delimited
    {"[]", "delimited{}"},
    {"[ip, user, username, timestamp, request, status_code, bytes]",
     "delimited{field{ip} field{user} field{username} field{timestamp} field{request} field{status_code} "
     "field{bytes}}"},
    {"[..., status_code, bytes]", "delimited{ellipsis{} field{status_code} field{bytes}}"},
    {"[ip, user, ...]", "delimited{field{ip} field{user} ellipsis{}}"},
    {"[..., request=*.html*, status_code=4*,]",
     R"(delimited{ellipsis{} field{request = glob"*.html*"} field{status_code = glob"4*"} empty{}})"},
    {"[w1=ERROR, w2]", R"(delimited{field{w1 = str"ERROR"} field{w2}})"},
    {"[w1=ERROR || w1=%WARN%, w2]", R"(delimited{field{w1 = str"ERROR" || w1 = re%WARN%} field{w2}})"},
    {"[w1!=ERROR && w1!=WARNING, w2]", R"(delimited{field{w1 != str"ERROR" && w1 != str"WARNING"} field{w2}})"},
    {"[ip, user, username, timestamp, request, status_code = 404 || status_code = 410, bytes]",
     R"(delimited{field{ip} field{user} field{username} field{timestamp} field{request} field{status_code = num"404" || status_code = num"410"} field{bytes}})"},
    {R"([timestamp=*Z, request_id="*-*", event])",
     R"(delimited{field{timestamp = glob"*Z"} field{request_id = glob"*-*"} field{event}})"},
    {"[ip, user, username, timestamp, request, status_code, bytes > 1000]",
     R"(delimited{field{ip} field{user} field{username} field{timestamp} field{request} field{status_code} field{bytes > num"1000"}})"},
    {"[,]", "delimited{empty{} empty{}}"},
};

// JSON's number grammar (RFC 8259 section 6), shared by the setup loader and the filter set.
TEST(JsonNumberTest, Grammar) {
  for (const char* yes : {"0", "-0", "7", "42", "-12", "0.5", "1.25e3", "1E+9", "2e-7", "-0.0e0",
                          "123456789012345678901234567890", "1e400"}) {
    EXPECT_TRUE(IsJsonNumber(yes)) << yes;
  }
  for (const char* no : {"", "-", "+1", "01", "00", ".5", "1.", "1e", "1e+", "0x10", "1_000", " 1", "1 ", "NaN",
                         "Infinity", "--1", "1.2.3", "1e2e3"}) {
    EXPECT_FALSE(IsJsonNumber(no)) << no;
  }
}

TEST(FilterParseTest, Dumps) {
  for (const DumpCase& c : kDumpCases) {
    SCOPED_TRACE(c.pattern);
    Result<FilterAst> ast = AnalyzeFilterPattern(c.pattern);
    ASSERT_TRUE(ast.ok()) << ast.error().message;
    EXPECT_EQ(DumpAst(ast.value()), c.dump);
  }
}

struct ErrorCase {
  const char* pattern;
  const char* aws_message;  // first line of the AWS CLI error
  const char* message;      // substring of our message
  uint32_t column;          // 1-based
  const char* hint;         // substring of the hint ("" = any)
};

const ErrorCase kErrorCases[] = {
    // JSON
    {"{ $.eventName = ConsoleLogin ", "If a filter pattern starts with '{' it must end with '}'", "must end with '}'", 29,
     "}"},
    {"{ status = \"401\" }", "Invalid filter pattern", "selector starting with '$'", 3, "$.status"},
    {"{ $.x = 'abc' }", "Invalid filter pattern", "does not start a string", 9, "single quotes"},
    {"{ ($.errorCode = '*UnauthorizedOperation') }", "Invalid filter pattern", "does not start a string", 18,
     "double quotes"},
    {"{ $.x = email@example.com }", "Invalid filter pattern", "contains '@'", 14, "\"email@example.com\""},
    {"{ $.x IS NOT NULL }", "Invalid filter pattern", "IS NOT is not supported", 7, "NOT EXISTS"},
    {"{ $.x EXISTS }", "Invalid filter pattern", "EXISTS is not supported", 7, "= *"},
    {"{ $.x is null }", "Invalid filter pattern", "upper case", 7, ""},
    {"{ $.x == 1 }", "Invalid filter pattern", "'==' is not an operator", 7, "="},
    {"{ $.a = 1 & $.b = 2 }", "Invalid filter pattern", "single '&'", 11, "&&"},
    {"{ $.a = 1 AND $.b = 2 }", "Invalid filter pattern", "'AND' is not an operator", 11, "&&"},
    {"{ $.a = 1 $.b = 2 }", "Invalid filter pattern", "expected && or ||", 11, ""},
    {"{ ($.a = 1 }", "Invalid filter pattern", "'(' is never closed", 3, ")"},
    {"{ $.a = 1) }", "Invalid filter pattern", "unbalanced ')'", 10, ""},
    {"{ $.a > abc }", "Invalid filter pattern", "compares numbers", 9, "only = and !="},
    {"{ $.a > \"5\" }", "Invalid filter pattern", "compares numbers", 9, ""},
    {"{ $.a = }", "Invalid filter pattern", "missing value", 9, ""},
    {"{ $. = 1 }", "Invalid filter pattern", "expected a property name", 5, ""},
    {"{ $ = 1 }", "Invalid filter pattern", "needs a property", 3, ""},
    {"{ $.a[x] = 1 }", "Invalid filter pattern", "array index", 6, ""},
    {"{ $[0] = 1 }", "Invalid filter pattern", "must follow a property", 4, ""},
    {"{ $[*].a = 1 }", "Invalid filter pattern", "must follow a property", 4, ""},
    {"{ $.@timestamp = 1 }", "Invalid filter pattern", "not allowed in a selector", 5, "$.['key']"},
    {"{ }", "Invalid filter pattern", "empty JSON pattern", 1, ""},
    {"{ $.a = %(x)% }", "Invalid character(s) in term", "no groups", 10, "\\x28"},
    {"{ $.a = %x% && $.b = %y% && $.c = %z% }", "Invalid filter pattern", "more than 2 regular expressions", 35, ""},
    {"{ $.a[*].b[*] = 1 }", "Invalid filter pattern", "more than one wildcard", 3, ""},
    {"{ $.a[*] = 1 && $.b[*] = 1 && $.c[*] = 1 && $.d[*] = 1 }", "Invalid filter pattern",
     "more than 3 selectors with wildcards", 45, ""},
    {"{ $.x : 1 }", "Invalid filter pattern", "expected an operator", 7, "="},
    // terms
    {"email@domain.com", "Invalid filter pattern", "contains '@'", 6, "\"email@domain.com\""},
    {"text , text", "Invalid filter pattern", "contains ','", 6, ""},
    {"\xE2\x80\x9C" "ERROR" "\xE2\x80\x9D", "Invalid character(s) in term '\xE2\x80\x9C'", "contains", 1, "straight"},
    {"\"unterminated", "Invalid filter pattern", "unterminated quoted string", 1, ""},
    {"? ERROR", "Invalid filter pattern", "must be followed by a term", 1, ""},
    {"ERROR [x]", "Invalid filter pattern", "contains '['", 7, "quote"},
    {"ERROR %x%", "Invalid filter pattern", "contains '%'", 7, "whole pattern"},
    // regex
    {"%abc", "Invalid filter pattern", "unterminated regular expression", 1, ""},
    {"%abc% def", "Invalid filter pattern", "after the regular expression", 7, ""},
    {"%something!%", "Invalid character(s) in term", "'!' is not allowed", 11, "\\x"},
    {"%\\(x%", "Invalid character(s) in term", "even when escaped", 2, "\\x28"},
    {"%a{3,%", "Invalid character(s) in term", "incomplete repetition", 3, ""},
    {"%[abc%", "Invalid character(s) in term", "unterminated character class", 2, ""},
    {"%%", "Invalid character(s) in term", "empty regular expression", 1, ""},
    {"%\\b%", "Invalid character(s) in term", "unsupported escape", 2, ""},
    {"%\\x4%", "Invalid character(s) in term", "two hexadecimal digits", 2, ""},
    {"%caf\xC3\xA9%", "Invalid character(s) in term", "multi-byte", 5, ""},
    // space-delimited
    {"[a, b", "Invalid filter pattern", "must end with ']'", 6, ""},
    {"[ip, user, ..., status_code = 4* && bytes > 1000]", "Invalid filter pattern", "one field only", 37,
     "own field"},
    {"[..., a, ...]", "Invalid filter pattern", "only one ...", 10, ""},
    {"[a = 1 & a = 2]", "Invalid filter pattern", "single '&'", 8, "&&"},
    {"[=ERROR, w2]", "Invalid filter pattern", "expected a field name", 2, "name"},
    {"[a = %x%, b = %y%, c = %z%]", "Invalid filter pattern", "more than 2 regular expressions", 24, ""},
    {"[a > b]", "Invalid filter pattern", "compares numbers", 6, ""},
    {"[$a]", "Invalid filter pattern", "expected a field name", 2, "without $"},
};

TEST(FilterParseTest, Errors) {
  for (const ErrorCase& c : kErrorCases) {
    SCOPED_TRACE(c.pattern);
    Result<FilterAst> ast = AnalyzeFilterPattern(c.pattern);
    ASSERT_FALSE(ast.ok()) << DumpAst(ast.value());
    const Diagnostic& d = ast.error();
    EXPECT_EQ(d.exception, "InvalidParameterException");
    EXPECT_EQ(d.aws_message, c.aws_message);
    EXPECT_NE(d.message.find(c.message), std::string::npos) << d.message;
    EXPECT_EQ(ColumnOf(c.pattern, d.span.offset), c.column) << d.message;
    EXPECT_NE(d.hint.find(c.hint), std::string::npos) << d.hint;
  }
}

TEST(FilterParseTest, LengthLimitIsCheckedFirst) {
  std::string ok = "{ $.a = \"" + std::string(1024 - 12, 'x') + "\" }";
  ASSERT_EQ(ok.size(), 1024u);
  EXPECT_TRUE(AnalyzeFilterPattern(ok).ok());
  std::string too_long = "{ $.a = \"" + std::string(1024 - 7, 'x') + "\"";  // also lacks '}'
  Result<FilterAst> r = AnalyzeFilterPattern(too_long);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().aws_message.find("Member must have length less than or equal to 1024"), std::string::npos);
  EXPECT_EQ(r.error().aws_message.rfind("1 validation error detected: Value '", 0), 0u);
  EXPECT_EQ(r.error().span.offset, 1024u);
  // Characters, not bytes: 1024 two-byte characters are within the limit.
  std::string wide;
  for (int i = 0; i < 1022; ++i) wide += "\xC3\xA9";
  EXPECT_TRUE(AnalyzeFilterPattern("\"" + wide + "\"").ok());
}

// Issue 9, F19: AWS's APIs take only UTF-8, so any other byte is refused before anything else is checked,
// naming the byte and its column; well-formed UTF-8 of every length is accepted.
TEST(Issue9Test, F19FilterPatternsMustBeUtf8) {
  struct Case {
    std::string pattern;
    uint32_t column;
    const char* why;  // Jackson's words, as AWS's request reader would say
  };
  const std::vector<Case> bad = {
      {"ab\xC3(", 4, "Invalid UTF-8 middle byte 0x28"},           // a two-byte sequence broken
      {"\xFF", 1, "Invalid UTF-8 start byte 0xff"},               // never a UTF-8 byte
      {"{ $.a = \"\x80\" }", 10, "Invalid UTF-8 start byte 0x80"},  // a continuation byte alone
      {"\xC0\xAF", 1, "Invalid UTF-8 start byte 0xc0"},           // overlong '/'
      {"x \xED\xA0\x80", 4, "Invalid UTF-8 middle byte 0xa0"},    // a surrogate
      {"%\xF4\x90\x80\x80%", 3, "Invalid UTF-8 middle byte 0x90"},  // above U+10FFFF
      {"[a, b=\xE2\x82", 7, "Unexpected end-of-input in a UTF-8 character"},  // cut at the end
  };
  for (const Case& c : bad) {
    SCOPED_TRACE(c.pattern);
    Result<FilterAst> r = AnalyzeFilterPattern(c.pattern);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().exception, "InvalidParameterException");
    EXPECT_EQ(r.error().aws_message, "Invalid filter pattern");
    EXPECT_EQ(r.error().message, std::string("the pattern is not valid UTF-8: ") + c.why);
    EXPECT_EQ(ColumnOf(c.pattern, r.error().span.offset), c.column);
  }
  // Before the length limit: a 2,000-byte pattern with a bad byte reports the byte.
  EXPECT_NE(AnalyzeFilterPattern(std::string(2000, 'x') + "\xFF").error().message.find("UTF-8"), std::string::npos);
  for (const std::string ok : {"\"caf\xC3\xA9\"", "\"\xE2\x82\xAC\"", "\"\xF0\x9F\x98\x80\"", "\"\xF4\x8F\xBF\xBF\""}) {
    EXPECT_TRUE(AnalyzeFilterPattern(ok).ok()) << ok;
  }
}

// Issue 9, F6: a regex whose RE2 program is large matches in linear time, but slowly on long messages; it is
// accepted (AWS accepts it) with a warning that says how slow, under the regex.
TEST(Issue9Test, F6SlowRegexGetsAWarning) {
  const std::string p = "{ $.a = %a{1,1000}a{1,1000}a{1,1000}b% }";
  auto c = CompileFilterPattern(p);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c.value()->warnings.size(), 1u);
  const Diagnostic& w = c.value()->warnings[0];
  EXPECT_EQ(w.message,
            "regular expression %a{1,1000}a{1,1000}a{1,1000}b% compiles to 6002 instructions: on long messages "
            "matching it may cost up to about 30 µs per byte of message (a 256 KB message: 7.9 s)");
  EXPECT_EQ(ColumnOf(p, w.span.offset), 9u);
  EXPECT_EQ(w.span.length, 30u);
  for (const char* fast : {"%a{3,5}%", "%\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}%", "[ip, status=%^4[0-9]{2}$%]",
                           "%[Ee]rror|[Ff]ail%", "%a{1,100}b%"}) {
    auto f = CompileFilterPattern(fast);
    ASSERT_TRUE(f.ok()) << fast;
    EXPECT_TRUE(f.value()->warnings.empty()) << fast << ": " << f.value()->warnings[0].message;
  }
}

TEST(FilterParseTest, NestingIsBounded) {
  std::string deep = "{" + std::string(400, '(') + "$.a=1" + std::string(400, ')') + "}";
  Result<FilterAst> r = AnalyzeFilterPattern(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("nested too deeply"), std::string::npos);
}

TEST(FilterParseTest, RenderShowsCaretUnderColumn) {
  const std::string p = "{ $.x = email@example.com }";
  Result<FilterAst> r = AnalyzeFilterPattern(p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(RenderDiagnostic(p, r.error()),
            "error: unquoted value contains '@' at column 14\n"
            "  { $.x = email@example.com }\n"
            "               ^\n"
            "hint: values with characters other than letters, digits, _ . - + * must be quoted: \"email@example.com\"\n");
}

TEST(FilterParseTest, WarningsForAcceptedPitfalls) {
  auto c = CompileFilterPattern("ORDER-ITEM-1 ERROR");
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c.value()->warnings.size(), 1u);
  EXPECT_NE(c.value()->warnings[0].message.find("read as ORDER -ITEM -1"), std::string::npos);
  EXPECT_NE(c.value()->warnings[0].hint.find("\"ORDER-ITEM-1\""), std::string::npos);

  c = CompileFilterPattern("?ERROR ?WARN REQUEST");
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c.value()->warnings.size(), 1u);
  EXPECT_NE(c.value()->warnings[0].message.find("ignored"), std::string::npos);

  c = CompileFilterPattern("{ $.x = null }");
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c.value()->warnings.size(), 1u);
  EXPECT_NE(c.value()->warnings[0].hint.find("IS NULL"), std::string::npos);

  c = CompileFilterPattern("{ $.a = 1 || $.b = 2 && $.c = 3 }");
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c.value()->warnings.size(), 1u);
  EXPECT_NE(c.value()->warnings[0].message.find("&& binds tighter than ||"), std::string::npos);
  EXPECT_TRUE(CompileFilterPattern("{ $.a = 1 || ($.b = 2 && $.c = 3) }").value()->warnings.empty());

  c = CompileFilterPattern(R"({ ($.errorCode = "AccessDenied*") || ($.eventName != "HeadBucket") })");
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c.value()->warnings.size(), 1u);
  EXPECT_NE(c.value()->warnings[0].message.find("matches nearly everything"), std::string::npos);
  EXPECT_EQ(ColumnOf(c.value()->text, c.value()->warnings[0].span.offset), 39u);

  c = CompileFilterPattern("{ $.eventName = ConsoleLogin }");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c.value()->warnings.empty());
}

struct ProgramCase {
  const char* pattern;
  const char* program;
};

const ProgramCase kProgramCases[] = {
    {"", "match-all\n"},
    {R"(" ")", "match-all\n"},
    {R"(ERROR -Exiting ?ignored)", "terms\n  require \"ERROR\"\n  exclude \"Exiting\"\n"},
    {R"(?Error ?fatal)", "terms\n  any-of \"Error\" \"fatal\"\n"},
    {"%[Ee]rror%", "regex\n  search %[Ee]rror%\n"},
    {R"({ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") || ($.detail.eventName = ConsoleLogin) && ($.detail.errorMessage = "Failed authentication") })",
     "json\n"
     "  s0 $.eventName\n  s1 $.errorMessage\n  s2 $.detail.eventName\n  s3 $.detail.errorMessage\n"
     "  a0 s0 = str\"ConsoleLogin\"\n  a1 s1 = str\"Failed authentication\"\n"
     "  a2 s2 = str\"ConsoleLogin\"\n  a3 s3 = str\"Failed authentication\"\n"
     "  program: a0 a1 and/2 a2 a3 and/2 or/2\n"},
    {"{ $.a = 1 || $.a NOT EXISTS || $.['a'] IS NULL }",
     "json\n  s0 $.a\n  a0 s0 = num\"1\"\n  a1 s0 NOT EXISTS\n  a2 s0 IS NULL\n  program: a0 a1 a2 or/3\n"},
    {"[..., status_code=4*, bytes > 1000]",
     "space-delimited\n  fields 2 + ellipsis at 0\n  f0 ...\n  f1 status_code = glob\"4*\"\n  f2 bytes > num\"1000\"\n"},
};

TEST(FilterCompileTest, Programs) {
  for (const ProgramCase& c : kProgramCases) {
    SCOPED_TRACE(c.pattern);
    auto p = CompileFilterPattern(c.pattern);
    ASSERT_TRUE(p.ok()) << p.error().message;
    EXPECT_EQ(DumpProgram(*p.value()), c.program);
  }
}

}  // namespace
}  // namespace trailwatch::filter

TEST(NearestNameTest, CaseThenEditDistance) {
  const std::vector<std::string> keys = {"eventVersion", "eventName", "eventSource", "responseElements"};
  EXPECT_EQ(trailwatch::NearestName("eventname", keys), "eventName");          // case only
  EXPECT_EQ(trailwatch::NearestName("evnetName", keys), "eventName");          // a transposition
  EXPECT_EQ(trailwatch::NearestName("eventSourc", keys), "eventSource");       // a deletion
  EXPECT_EQ(trailwatch::NearestName("responseElement", keys), "responseElements");
  EXPECT_EQ(trailwatch::NearestName("foo", keys), "");                          // nothing close
  EXPECT_EQ(trailwatch::NearestName("eventName", keys), "");                    // itself is no suggestion
  EXPECT_EQ(trailwatch::NearestName("x", std::vector<std::string>{}), "");
  EXPECT_EQ(trailwatch::EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(trailwatch::EditDistance("ab", "BA"), 1u);
}
