// event_differential_test.cc: the compiled matcher (many patterns in one shared set, one parse per event)
// against the reference interpreter (one pattern at a time), on generated patterns and events — with its
// fast paths on (structural walk, speculative pruning) and off (On-Demand walk). The events exercise what
// the fast paths special-case: keys and strings with escapes (\u spelling of letters and dots, \" \/),
// spaces between tokens, duplicate and dotted keys after the objects the pruning skipped, arrays of objects.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "engine/event/matcher.h"
#include "engine/event/reference.h"
#include "patterns/event/compile.h"
#include "patterns/event/parser.h"

namespace trailwatch::event {
namespace {

class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  template <size_t N>
  const char* Of(const char* const (&a)[N]) { return a[Pick(N)]; }

  std::string Scalar() {
    static const char* const kScalars[] = {"\"foo\"", "\"Foo\"", "\"bar\"", "\"10.0.0.1\"", "\"10.0.1.7\"", "\"\"",
                                           "\"xay\"", "\"2001:db8::1\"", "0", "1", "5", "5.0", "300", "3e2", "-1",
                                           "true", "false", "null", "0.30000000000000001", "\"FOO\"", "\"straße\"",
                                           "\"f\\u006fo\"", "\"\\u0062ar\"", "\"x\\\"y\"", "\"f\\/oo\"", "\"ba\\u0072\""};
    return Of(kScalars);
  }
  std::string Value(int depth) {
    const int k = Pick(10);
    if (k < 6 || depth > 2) return Scalar();
    if (k < 8) {
      std::string s = "[";
      const int n = Pick(4);
      for (int i = 0; i < n; ++i) s += (i ? "," : "") + (Pick(4) == 0 ? Object(depth + 1) : Scalar());
      return s + "]";
    }
    return Object(depth + 1);
  }
  std::string Object(int depth) {
    static const char* const kKeys[] = {"a", "b", "c", "d", "x", "y", "\\u0078", "c\\u002ed", "d.x"};
    std::string s = "{";
    const int n = 1 + Pick(3);
    for (int i = 0; i < n; ++i) s += std::string(i ? "," : "") + "\"" + Of(kKeys) + "\":" + Value(depth);
    return s + "}";
  }
  std::string Event() {
    std::vector<std::string> members = {"\"source\":" + Scalar(), "\"a\":" + Value(0), "\"c\":" + Object(1)};
    if (Pick(2)) members.push_back("\"arr\":[" + Object(2) + "," + Object(2) + "]");
    if (Pick(3) == 0) members.push_back("\"c.d\":" + Scalar());
    if (Pick(4) == 0) members.push_back("\"source\":" + Scalar());  // a duplicate, maybe after the objects
    if (Pick(5) == 0) members.push_back("\"sour\\u0063e\":" + Scalar());
    if (Pick(2)) std::shuffle(members.begin(), members.end(), rng_);
    std::string s = "{";
    for (size_t i = 0; i < members.size(); ++i) s += (i ? "," : "") + members[i];
    s += "}";
    return Pick(4) == 0 ? Spaced(s) : s;
  }
  // The same JSON with spaces and newlines between tokens (after punctuation and strings).
  std::string Spaced(const std::string& json) {
    std::string out;
    bool in_string = false, escaped = false;
    for (char c : json) {
      out.push_back(c);
      if (in_string) {
        if (escaped) escaped = false;
        else if (c == '\\') escaped = true;
        else if (c == '"') in_string = false;
        if (!in_string && Pick(2)) out += Pick(2) ? " " : "\n ";
        continue;
      }
      if (c == '"') in_string = true;
      else if (std::strchr("{}[],:", c) != nullptr && Pick(2)) out += Pick(2) ? " " : "\n\t";
    }
    return out;
  }

  std::string Element() {
    static const char* const kElements[] = {
        "\"foo\"", "\"bar\"", "5", "300", "null", "true", "\"10.0.0.1\"", "\"\"",
        "{\"prefix\":\"fo\"}", "{\"prefix\":\"\"}", "{\"suffix\":\"ar\"}", "{\"equals-ignore-case\":\"foo\"}",
        "{\"equals-ignore-case\":\"STRASSE\"}",
        "{\"prefix\":{\"equals-ignore-case\":\"FO\"}}", "{\"suffix\":{\"equals-ignore-case\":\"OO\"}}",
        "{\"wildcard\":\"x*y\"}", "{\"wildcard\":\"*o*\"}", "{\"anything-but\":\"foo\"}",
        "{\"anything-but\":[\"foo\",\"bar\"]}", "{\"anything-but\":5}", "{\"anything-but\":{\"prefix\":\"f\"}}",
        "{\"anything-but\":{\"suffix\":\"r\"}}", "{\"anything-but\":{\"equals-ignore-case\":\"FOO\"}}",
        "{\"anything-but\":{\"wildcard\":\"*a*\"}}", "{\"numeric\":[\">\",0,\"<=\",5]}", "{\"numeric\":[\"<\",0]}",
        "{\"numeric\":[\"=\",300]}", "{\"cidr\":\"10.0.0.0/24\"}", "{\"cidr\":\"2001:db8::/32\"}",
        "{\"exists\":true}", "{\"exists\":false}", "3.0e2", "false"};
    return Of(kElements);
  }
  std::string List() {
    std::string s = "[";
    const int n = 1 + Pick(3);
    for (int i = 0; i < n; ++i) s += (i ? "," : "") + Element();
    return s + "]";
  }
  std::string Fields(int depth) {
    static const char* const kPaths[] = {"source", "a", "c", "arr", "d", "x", "y", "c.d", "c.x"};
    std::string s;
    const int n = 1 + Pick(3);
    for (int i = 0; i < n; ++i) {
      if (i) s += ",";
      const std::string key = Of(kPaths);
      if (depth < 2 && Pick(3) == 0) s += "\"" + key + "\":{" + Fields(depth + 1) + "}";
      else s += "\"" + key + "\":" + List();
    }
    if (depth < 2 && Pick(6) == 0) s += ",\"$or\":[{" + Fields(depth + 1) + "},{" + Fields(depth + 1) + "}]";
    return s;
  }
  std::string Pattern() { return "{" + Fields(0) + "}"; }

 private:
  std::mt19937 rng_;
};

TEST(EventDifferentialTest, CompiledSetAgreesWithReference) {
  Gen gen(20240611);
  int compared = 0, matched = 0;
  for (int batch = 0; batch < 60; ++batch) {
    std::vector<std::shared_ptr<const EventPattern>> patterns;
    std::vector<std::string> texts;
    while (patterns.size() < 40) {
      std::string text = gen.Pattern();
      auto p = ParseEventPattern(text);
      if (!p.ok()) continue;
      patterns.push_back(std::make_shared<const EventPattern>(std::move(p).value()));
      texts.push_back(text);
    }
    auto set = CompileRuleSet(patterns);
    engine::EventMatcher fast(set, /*fast_paths=*/true), plain(set, /*fast_paths=*/false);
    engine::EventScratch fast_scratch, plain_scratch;
    for (int e = 0; e < 60; ++e) {
      const std::string event = gen.Event();
      JsonValue ev;
      std::string error;
      ASSERT_TRUE(ParseJsonValue(event, &ev, &error)) << event << ": " << error;
      ASSERT_TRUE(fast.Evaluate(event, fast_scratch)) << event;
      ASSERT_TRUE(plain.Evaluate(event, plain_scratch)) << event;
      for (size_t i = 0; i < patterns.size(); ++i) {
        const bool ref = engine::ReferenceMatches(*patterns[i], ev);
        ++compared;
        matched += ref;
        ASSERT_EQ(fast.Matched(i, fast_scratch), ref) << "fast paths on\npattern " << texts[i] << "\nevent " << event;
        ASSERT_EQ(plain.Matched(i, plain_scratch), ref) << "fast paths off\npattern " << texts[i] << "\nevent " << event;
      }
    }
  }
  // The generator must exercise both outcomes.
  std::printf("compared %d, matched %d\n", compared, matched);
  EXPECT_GT(matched, compared / 50);
  EXPECT_LT(matched, compared - compared / 50);
}

}  // namespace
}  // namespace trailwatch::event
