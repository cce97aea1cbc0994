// robustness_test.cc: nothing crashes on any input. Random and mutated patterns must compile or give a
// well-formed diagnostic (span inside the pattern, a message, a renderable caret); whatever compiles must
// evaluate on random messages. Run under ASan+UBSan in CI, this is our always-on fuzzer.
#include <gtest/gtest.h>

#include <random>

#include "engine/filter/filter_set.h"
#include "patterns/filter/compile.h"
#include "patterns/filter/metric.h"

namespace trailwatch::engine {
namespace {

const std::vector<std::string> kSeeds = {
    R"({ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") || ($.detail.eventName = ConsoleLogin) })",
    R"({ $.a[*].b = %^x{1,3}$% && $.* != "*y" || $.['k.l'] IS NULL && $.z NOT EXISTS })",
    R"([ip, user, ..., status_code = 4* && status_code != 403 || status_code = %5\d\d%, bytes > 1e3,])",
    R"(?ERROR ?"WARN x" -"no" "[ERROR]" word_1)",
    R"(%^[hc]at|\d{2,}\.\x3A[^a-z]?%)",
    R"({ $.latency >= -1.5e+3 })",
};

std::string RandomPattern(std::mt19937& rng) {
  static const std::string kAlphabet =
      "{}[]()$.*%\"'?-=!<>&|, \t\\abcXYZ019_:@/;#+eE\n";
  std::uniform_int_distribution<int> len(0, 60), pick(0, static_cast<int>(kAlphabet.size()) - 1), coin(0, 9);
  std::string s;
  const int n = len(rng);
  for (int i = 0; i < n; ++i) {
    if (coin(rng) == 0) s += "\xC3\xA9";  // a multi-byte character now and then
    else if (coin(rng) == 1) s += "\xFF";  // and an invalid byte
    else s += kAlphabet[static_cast<size_t>(pick(rng))];
  }
  return s;
}

std::string Mutate(std::string s, std::mt19937& rng) {
  static const std::string kChars = "{}[]()$.*%\"'?-=!<>&| ,\\a1";
  std::uniform_int_distribution<int> edits(1, 4), kind(0, 2), ch(0, static_cast<int>(kChars.size()) - 1);
  const int n = edits(rng);
  for (int e = 0; e < n && !s.empty(); ++e) {
    std::uniform_int_distribution<size_t> pos(0, s.size() - 1);
    const size_t p = pos(rng);
    switch (kind(rng)) {
      case 0: s.erase(p, 1); break;
      case 1: s.insert(p, 1, kChars[static_cast<size_t>(ch(rng))]); break;
      default: s[p] = kChars[static_cast<size_t>(ch(rng))]; break;
    }
  }
  return s;
}

const std::vector<std::string> kMessages = {
    "",
    "plain text ERROR 404",
    R"({"eventName":"ConsoleLogin","errorMessage":"Failed authentication","a":[{"b":"x"}],"k.l":null})",
    R"({"a":[[[[[[[[1]]]]]]]],"z":{"z":{"z":{}}},"latency":-1500})",
    "127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /x HTTP/1.0\" 503 1534",
    "{\"unterminated\": \"",
    "[1,2,3]",
    "\xFF\xFE not utf8 {\"a\":1}",
    std::string(3000, '['),
    "\"\"\"[[[ ]]] \t\t  \"",
};

void CheckOne(const std::string& pattern) {
  auto r = filter::CompileFilterPattern(pattern);
  if (!r.ok()) {
    const Diagnostic& d = r.error();
    EXPECT_EQ(d.exception, "InvalidParameterException") << pattern;
    EXPECT_FALSE(d.message.empty()) << pattern;
    EXPECT_LE(d.span.offset, pattern.size()) << pattern;
    EXPECT_FALSE(RenderDiagnostic(pattern, d).empty());
    return;
  }
  FilterSet set({r.value()});
  FilterScratch scratch;
  std::vector<std::pair<std::string, std::string>> values;
  for (const std::string& m : kMessages) {
    set.Evaluate(m, scratch);
    set.ExtractedValues(0, scratch, &values);
  }
}

TEST(FilterRobustnessTest, RandomPatterns) {
  std::mt19937 rng(12345);
  for (int i = 0; i < 20000; ++i) CheckOne(RandomPattern(rng));
}

TEST(FilterRobustnessTest, MutatedValidPatterns) {
  std::mt19937 rng(777);
  for (const std::string& seed : kSeeds) {
    ASSERT_TRUE(filter::CompileFilterPattern(seed).ok()) << seed;
    for (int i = 0; i < 3000; ++i) CheckOne(Mutate(seed, rng));
  }
}

TEST(FilterRobustnessTest, RandomMetricTransformations) {
  std::mt19937 rng(99);
  const std::vector<std::string> values = {"1", "$.a", "$1", "$size", "", "$", "$.", "$[0]", "1e400", "-0", "$0",
                                           "$999999999999", "abc", "$.a[*]"};
  for (const std::string& seed : kSeeds) {
    for (const std::string& v : values) {
      filter::MetricTransformation t;
      t.metric_name = "m";
      t.metric_namespace = "n";
      t.metric_value = v;
      t.dimensions = {{"k", v}};
      auto mf = filter::CompileMetricFilter("f", seed, t);
      if (!mf.ok()) {
        EXPECT_FALSE(RenderDiagnostic(seed, mf.error()).empty());
        continue;
      }
      FilterSet set({mf.value()->pattern});
      FilterScratch s;
      for (const std::string& m : kMessages) {
        set.Evaluate(m, s);
        (void)set.NumberOf(0, mf.value()->value, s);
        std::string text;
        for (const auto& [k, ref] : mf.value()->dimensions) (void)set.TextOf(0, ref, s, &text);
      }
    }
  }
  (void)rng;
}

}  // namespace
}  // namespace trailwatch::engine
