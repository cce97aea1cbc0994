// bench_event.cc: EventBridge event patterns — matching 1, 16 and 256 rules per event with one shared compiled
// set (one simdjson parse per event), against the same rules as separate single-rule sets (one parse each).
// Events: the 1,000 invictus CloudTrail records wrapped as EventBridge delivers them. Reports events/s
// (SetItemsProcessed). Each benchmark first checks its match count against the reference interpreter and
// calls SkipWithError on disagreement, so a fast wrong answer cannot pass.
#include <benchmark/benchmark.h>

#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/event/cloudtrail.h"
#include "engine/event/matcher.h"
#include "engine/event/reference.h"
#include "patterns/event/compile.h"
#include "patterns/event/parser.h"

namespace {

using trailwatch::engine::EventMatcher;
using trailwatch::engine::EventScratch;
using trailwatch::event::EventPattern;

struct Corpus {
  std::vector<std::string> events;
  std::vector<std::string> sources, names;
};

const Corpus& GetCorpus() {
  static const Corpus corpus = [] {
    Corpus c;
    std::ifstream in(std::string(TW_SOURCE_DIR) + "/tests/data/cloudtrail/records.ndjson");
    std::string line, wrapped, error;
    std::set<std::string> sources, names;
    while (std::getline(in, line)) {
      if (line.empty() || !trailwatch::engine::WrapCloudTrailRecord(line, &wrapped, &error)) continue;
      c.events.push_back(wrapped);
      trailwatch::engine::CloudTrailFacts f;
      if (trailwatch::engine::ReadCloudTrailFacts(line, &f, &error)) {
        sources.insert(trailwatch::engine::SourceFor(f));
        names.insert(f.event_name);
      }
    }
    c.sources.assign(sources.begin(), sources.end());
    c.names.assign(names.begin(), names.end());
    return c;
  }();
  return corpus;
}

// N realistic rules: source + detail-type + eventName lists, prefixes, anything-but, CIDR, exists, $or.
std::vector<std::string> MakeRules(int n) {
  const Corpus& c = GetCorpus();
  std::vector<std::string> rules;
  rules.push_back(R"({"source":["aws.signin"],"detail-type":["AWS Console Sign In via CloudTrail"]})");
  for (int i = 1; i < n; ++i) {
    const std::string src = c.sources[i % c.sources.size()];
    const std::string name = c.names[(i * 7) % c.names.size()];
    const std::string name2 = c.names[(i * 13 + 5) % c.names.size()];
    switch (i % 8) {
      case 0: rules.push_back(R"({"source":[")" + src + R"("],"detail":{"eventName":[")" + name + R"(",")" + name2 + R"("]}})"); break;
      case 1: rules.push_back(R"({"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventName":[{"prefix":")" + name.substr(0, 6) + R"("}]}})"); break;
      case 2: rules.push_back(R"({"source":[")" + src + R"("],"detail":{"errorCode":[{"exists":true}],"userIdentity":{"type":[{"anything-but":"AWSService"}]}}})"); break;
      case 3: rules.push_back(R"({"detail":{"sourceIPAddress":[{"cidr":"10.)" + std::to_string(i % 256) + R"(.0.0/16"}],"eventName":[")" + name + R"("]}})"); break;
      case 4: rules.push_back(R"({"source":[")" + src + R"("],"$or":[{"detail":{"readOnly":[false]}},{"detail":{"errorCode":[{"prefix":"Access"}]}}]})"); break;
      case 5: rules.push_back(R"({"detail":{"eventName":[{"equals-ignore-case":")" + name + R"("}],"userIdentity":{"invokedBy":[{"exists":false}]}}})"); break;
      case 6: rules.push_back(R"({"account":["123837392027"],"detail":{"eventSource":[{"wildcard":"*)" + src.substr(4, 2) + R"(*.amazonaws.com"}],"eventName":[")" + name2 + R"("]}})"); break;
      default: rules.push_back(R"({"source":[")" + src + R"("],"detail":{"requestParameters":{"maxResults":[{"numeric":[">",)" + std::to_string(i % 50) + R"(]}]}}})"); break;
    }
  }
  return rules;
}

std::vector<std::shared_ptr<const EventPattern>> Parse(const std::vector<std::string>& rules) {
  std::vector<std::shared_ptr<const EventPattern>> out;
  for (const std::string& r : rules) {
    auto p = trailwatch::event::ParseEventPattern(r);
    if (p.ok()) out.push_back(std::make_shared<const EventPattern>(std::move(p).value()));
  }
  return out;
}

size_t ReferenceCount(const std::vector<std::shared_ptr<const EventPattern>>& patterns) {
  size_t n = 0;
  for (const std::string& e : GetCorpus().events) {
    trailwatch::event::JsonValue ev;
    std::string error;
    if (!trailwatch::event::ParseJsonValue(e, &ev, &error)) continue;
    for (const auto& p : patterns) n += trailwatch::engine::ReferenceMatches(*p, ev);
  }
  return n;
}

// All rules in one compiled set: one parse per event serves every rule.
void BM_MatchRules(benchmark::State& state) {
  const auto patterns = Parse(MakeRules(static_cast<int>(state.range(0))));
  if (patterns.size() != static_cast<size_t>(state.range(0))) {
    state.SkipWithError("a benchmark rule does not parse");
    return;
  }
  EventMatcher matcher(trailwatch::event::CompileRuleSet(patterns));
  EventScratch scratch;
  const auto& events = GetCorpus().events;
  size_t expected = ReferenceCount(patterns), got = 0;
  for (const std::string& e : events) {
    matcher.Evaluate(e, scratch);
    got += matcher.MatchCount(scratch);
  }
  if (got != expected) {
    state.SkipWithError("match count differs from the reference interpreter");
    return;
  }
  size_t bytes = 0;
  for (const std::string& e : events) bytes += e.size();
  for (auto _ : state) {
    size_t matches = 0;
    for (const std::string& e : events) {
      matcher.Evaluate(e, scratch);
      matches += matcher.MatchCount(scratch);
    }
    benchmark::DoNotOptimize(matches);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * events.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["matches/event"] = static_cast<double>(expected) / static_cast<double>(events.size());
}
BENCHMARK(BM_MatchRules)->Arg(1)->Arg(16)->Arg(256)->Unit(benchmark::kMillisecond);

// The same rules, each in its own set: what N rules would cost without sharing (N parses per event).
void BM_MatchRulesSeparately(benchmark::State& state) {
  const auto patterns = Parse(MakeRules(static_cast<int>(state.range(0))));
  std::vector<EventMatcher> matchers;
  for (const auto& p : patterns) matchers.emplace_back(trailwatch::event::CompileRuleSet({p}));
  EventScratch scratch;
  const auto& events = GetCorpus().events;
  size_t expected = ReferenceCount(patterns), got = 0;
  for (const std::string& e : events) {
    for (const EventMatcher& m : matchers) {
      m.Evaluate(e, scratch);
      got += m.MatchCount(scratch);
    }
  }
  if (got != expected) {
    state.SkipWithError("match count differs from the reference interpreter");
    return;
  }
  for (auto _ : state) {
    size_t matches = 0;
    for (const std::string& e : events) {
      for (const EventMatcher& m : matchers) {
        m.Evaluate(e, scratch);
        matches += m.MatchCount(scratch);
      }
    }
    benchmark::DoNotOptimize(matches);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * events.size()));
}
BENCHMARK(BM_MatchRulesSeparately)->Arg(16)->Arg(256)->Unit(benchmark::kMillisecond);

// Pattern compilation (parse + validate + compile into a set), per pattern.
void BM_CompileRules(benchmark::State& state) {
  const auto rules = MakeRules(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto patterns = Parse(rules);
    auto set = trailwatch::event::CompileRuleSet(patterns);
    benchmark::DoNotOptimize(set);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rules.size()));
}
BENCHMARK(BM_CompileRules)->Arg(256)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
