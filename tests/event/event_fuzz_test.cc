// event_fuzz_test.cc: a quick fuzz pass — random bytes and mutated patterns/events must never crash the lexer,
// the parser, the compiler, the matcher or the reference; when a pattern parses, both engines agree.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "engine/event/cloudtrail.h"
#include "engine/event/matcher.h"
#include "engine/event/reference.h"
#include "patterns/event/compile.h"
#include "patterns/event/json_value.h"
#include "patterns/event/parser.h"

namespace trailwatch::event {
namespace {

const char* const kSeeds[] = {
    R"({"source":["aws.ec2"],"detail":{"state":[{"anything-but":["a","b"]},{"exists":false}]}})",
    R"({"a":[{"numeric":[">",0,"<=",5]}],"b":{"c":[{"cidr":"10.0.0.0/24"}]}})",
    R"({"$or":[{"a":[{"prefix":{"equals-ignore-case":"X"}}]},{"b.c":[{"wildcard":"a*b\\*"}]}]})",
    R"({"x":[{"anything-but":{"wildcard":["*a*","b*"]}},{"suffix":".png"},null,true,1e3]})",
    R"({"source":"aws.ec2","detail":{"state":["a",{"x":[1,2,{"y":null}]}],"n":3.0e2},"a":[[["deep"]]]})",
};

const char kRandomTokens[] = "{}[]\",:\\u0aXtruefalsn-1.e ";

std::string Mutate(std::mt19937& rng, std::string s) {
  std::uniform_int_distribution<int> op(0, 4), byte(0, 255);
  const int n = 1 + static_cast<int>(rng() % 4);
  static const char kTokens[] = "{}[]\",:\\*.$0123456789-+eE tnf";
  for (int k = 0; k < n && !s.empty(); ++k) {
    const size_t at = rng() % (s.size() + 1);
    switch (op(rng)) {
      case 0: s.insert(at, 1, kTokens[rng() % (sizeof kTokens - 1)]); break;
      case 1: if (at < s.size()) s.erase(at, 1); break;
      case 2: if (at < s.size()) s[at] = static_cast<char>(byte(rng)); break;
      case 3: s.insert(at, s.substr(rng() % s.size(), rng() % 8)); break;
      default: if (at < s.size()) s[at] = kTokens[rng() % (sizeof kTokens - 1)]; break;
    }
  }
  return s;
}

TEST(EventFuzzTest, NeverCrashesAndEnginesAgree) {
  std::mt19937 rng(7);
  engine::EventScratch scratch;
  int parsed = 0;
  // TW_FUZZ_ITERATIONS=N runs a longer pass locally.
  const char* env = std::getenv("TW_FUZZ_ITERATIONS");
  const int iterations = env ? std::atoi(env) : 4000;
  for (int i = 0; i < iterations; ++i) {
    std::string pattern = Mutate(rng, kSeeds[rng() % 5]);
    if (i % 10 == 0) {
      pattern.clear();
      for (int k = rng() % 64; k > 0; --k) pattern.push_back(static_cast<char>(rng() % 256));
    }
    auto p = ParseEventPattern(pattern);
    if (!p.ok()) {
      (void)RenderDiagnostic(pattern, p.error());
      continue;
    }
    ++parsed;
    auto shared = std::make_shared<const EventPattern>(std::move(p).value());
    auto set = CompileRuleSet({shared});
    engine::EventMatcher fast(set, /*fast_paths=*/true), plain(set, /*fast_paths=*/false);
    for (int e = 0; e < 5; ++e) {
      std::string event = Mutate(rng, kSeeds[4]);
      if (e == 4) {  // random bytes in an object
        event = "{\"a\":";
        for (int k = rng() % 48; k > 0; --k) event.push_back(kRandomTokens[rng() % (sizeof kRandomTokens - 1)]);
        event += "}";
      }
      JsonValue ev;
      std::string error;
      const bool valid = ParseJsonValue(event, &ev, &error);
      for (const engine::EventMatcher* m : {&fast, &plain}) {
        const bool ok = m->Evaluate(event, scratch);
        if (ok && valid) {
          ASSERT_EQ(m->Matched(0, scratch), engine::ReferenceMatches(*shared, ev))
              << (m == &fast ? "fast paths on" : "fast paths off") << "\npattern " << pattern << "\nevent " << event;
        }
      }
      std::string wrapped;
      (void)engine::WrapCloudTrailRecord(event, &wrapped, &error);
    }
  }
  EXPECT_GT(parsed, 100);
}

TEST(EventFuzzTest, DeepNestingIsBounded) {
  PatternOptions raised;
  raised.max_size = 4096;
  std::string deep = "{\"a\":" + std::string(4000, '[');
  EXPECT_FALSE(ParseEventPattern(deep, raised).ok());
  std::string obj;
  for (int i = 0; i < 600; ++i) obj += "{\"a\":";
  EXPECT_FALSE(ParseEventPattern(obj, raised).ok());
  obj += "[1]" + std::string(600, '}');
  EXPECT_TRUE(ParseEventPattern(obj, raised).ok());
  JsonValue v;
  std::string error;
  EXPECT_FALSE(ParseJsonValue(std::string(100000, '['), &v, &error));
  auto p = ParseEventPattern(R"({"a":[{"exists":false}]})");
  ASSERT_TRUE(p.ok());
  auto set = CompileRuleSet({std::make_shared<const EventPattern>(std::move(p).value())});
  for (bool fast : {true, false}) {
    engine::EventMatcher matcher(set, fast);
    engine::EventScratch scratch;
    // Deeper than the limit, walked or skipped: not evaluated, and said so (Issue9Test.F11 in
    // event_match_test.cc has the limit itself).
    std::string event = "{\"a\":" + std::string(5000, '[') + std::string(5000, ']') + "}";
    EXPECT_FALSE(matcher.Evaluate(event, scratch));
    EXPECT_EQ(scratch.status(), engine::EventStatus::kTooDeep);
    event = "{\"b\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
    EXPECT_FALSE(matcher.Evaluate(event, scratch));
    EXPECT_EQ(scratch.status(), engine::EventStatus::kTooDeep);
    EXPECT_FALSE(matcher.Matched(0, scratch));
    event = "{\"a\":" + std::string(100000, '{') + "}";
    EXPECT_FALSE(matcher.Evaluate(event, scratch));
    event = "{\"b\":" + std::string(999, '[') + std::string(999, ']') + "}";  // at the limit
    EXPECT_TRUE(matcher.Evaluate(event, scratch));
    EXPECT_TRUE(matcher.Matched(0, scratch));
  }
}

}  // namespace
}  // namespace trailwatch::event
