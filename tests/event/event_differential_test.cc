// event_differential_test.cc: the compiled matcher (many patterns in one shared set, one parse per event)
// against the reference interpreter (one pattern at a time), on generated patterns and events — with its
// fast paths on (structural walk, speculative pruning) and off (On-Demand walk). The events exercise what
// the fast paths special-case: keys and strings with escapes (\u spelling of letters and dots, \" \/),
// spaces between tokens, duplicate and dotted keys after the objects the pruning skipped, arrays of objects;
// and the number shapes the issue-9 differential run against event-ruler found (whole numbers above 2^63 as
// %.17g and as their exact integer value, the smallest double as 4.9e-324 and 5e-324), and nesting around
// the matcher's limit.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
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
  explicit Gen(uint32_t seed) : rng_(seed) {
    // A few doubles in [9.2e18, 1e22), each spelled as %.17g, %.16g and its exact integer value; patterns
    // and events draw from the same pool so that different spellings of one double meet.
    std::uniform_real_distribution<double> exponent(std::log10(9.2e18), 22.0);
    for (int k = 0; k < 4; ++k) {
      const double d = std::pow(10.0, exponent(rng_));
      char buf[40];
      for (const char* format : {"%.17g", "%.16g", "%.0f"}) {
        std::snprintf(buf, sizeof buf, format, d);
        big_numbers_.push_back(buf);
      }
    }
  }
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  template <size_t N>
  const char* Of(const char* const (&a)[N]) { return a[Pick(N)]; }

  std::string BigNumber() { return big_numbers_[Pick(static_cast<int>(big_numbers_.size()))]; }
  std::string Scalar() {
    if (Pick(8) == 0) return BigNumber();
    static const char* const kScalars[] = {"4.9e-324", "5e-324", "4.9E-324", "-4.9e-324", "9.9e-324", "1e-323",
                                           "75838294739218430000", "7.583829473921843e+19",
                                           "75838294739218432000", "15104463631334033408",
                                           "\"foo\"", "\"Foo\"", "\"bar\"", "\"10.0.0.1\"", "\"10.0.1.7\"", "\"\"",
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
    if (Pick(8) == 0) {
      const std::string n = BigNumber();
      switch (Pick(4)) {
        case 0: return n;
        case 1: return "{\"numeric\":[\"=\"," + n + "]}";
        case 2: return "{\"numeric\":[\">=\"," + n + "]}";
        default: return "{\"anything-but\":[" + n + "]}";
      }
    }
    static const char* const kElements[] = {
        "4.9e-324", "5e-324", "{\"numeric\":[\"<\",4.9e-324]}", "{\"numeric\":[\">\",0,\"<=\",4.9e-324]}",
        "{\"anything-but\":4.9e-324}", "7.583829473921843e+19", "{\"numeric\":[\"=\",1.5104463631334033e+19]}",
        "{\"numeric\":[\">\",9.2e18]}",
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
  std::vector<std::string> big_numbers_;
};

// `depth` nested objects {"k":{"k":...}} around `inner`.
std::string Nest(int depth, const std::string& inner) {
  std::string s;
  for (int i = 0; i < depth; ++i) s += "{\"k\":";
  return s + inner + std::string(depth, '}');
}

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

// Generated patterns and events placed hundreds of objects deep (a pattern as deep as AWS's 4,096 characters
// allow), some events carrying arrays or an unnamed sibling that take them just below or just past the
// matcher's limit of 1,000 containers: the walks agree with the reference, both walks report the same
// status, and an event the reference's reader refuses as too deep is EventStatus::kTooDeep.
TEST(EventDifferentialTest, DeepNestingAgreesWithReference) {
  Gen gen(20250911);
  PatternOptions options;
  options.max_size = 4096;
  int compared = 0, matched = 0, too_deep = 0;
  for (int round = 0; round < 400; ++round) {
    const int depth = gen.Pick(2) ? 490 + gen.Pick(30) : 600 + gen.Pick(80);
    const std::string text = Nest(depth, gen.Pattern());
    auto parsed = ParseEventPattern(text, options);
    if (!parsed.ok()) continue;
    auto p = std::make_shared<const EventPattern>(std::move(parsed).value());
    auto set = CompileRuleSet({p});
    engine::EventMatcher fast(set, /*fast_paths=*/true), plain(set, /*fast_paths=*/false);
    engine::EventScratch fs, ps;
    for (int e = 0; e < 6; ++e) {
      std::string inner = gen.Event();
      // an unnamed sibling nested to around the limit: the inner object is container `depth + 1`
      if (gen.Pick(3) == 0) {
        const int room = 1000 - depth - 1 + gen.Pick(5) - 2;
        inner.insert(1, "\"deep\":" + std::string(room, '[') + std::string(room, ']') + ",");
      }
      const std::string event = Nest(gen.Pick(4) == 0 ? depth - 1 : depth, inner);
      JsonValue ev;
      std::string error;
      const bool readable = ParseJsonValue(event, &ev, &error);
      fast.Evaluate(event, fs);
      plain.Evaluate(event, ps);
      ASSERT_EQ(fs.status(), ps.status()) << "pattern " << text << "\nevent " << event;
      ASSERT_EQ(fs.status() == engine::EventStatus::kTooDeep, !readable) << error << "\nevent " << event;
      const bool ref = readable && engine::ReferenceMatches(*p, ev);
      ++compared;
      matched += ref;
      too_deep += !readable;
      ASSERT_EQ(fast.Matched(0, fs), ref) << "fast paths on\npattern " << text << "\nevent " << event;
      ASSERT_EQ(plain.Matched(0, ps), ref) << "fast paths off\npattern " << text << "\nevent " << event;
    }
  }
  std::printf("compared %d, matched %d, too deep %d\n", compared, matched, too_deep);
  EXPECT_GT(compared, 1000);
  EXPECT_GT(matched, compared / 50);
  EXPECT_GT(too_deep, compared / 50);
  EXPECT_LT(matched + too_deep, compared - compared / 50);
}

}  // namespace
}  // namespace trailwatch::event
