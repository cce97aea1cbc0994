// event_test_util.h: helpers shared by the event-pattern tests: parse + compile + evaluate with both engines.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "engine/event/matcher.h"
#include "engine/event/reference.h"
#include "patterns/event/compile.h"
#include "patterns/event/parser.h"

namespace trailwatch::event::testing {

// Evaluates `pattern` on `event` with the compiled matcher (its fast walk and its plain walk) and the
// reference interpreter; a test failure is recorded when they disagree or the pattern does not parse.
// Returns the compiled matcher's answer.
inline bool Matches(const std::string& pattern, const std::string& event) {
  auto parsed = ParseEventPattern(pattern);
  if (!parsed.ok()) {
    ADD_FAILURE() << "pattern does not parse: " << parsed.error().aws_message;
    return false;
  }
  auto p = std::make_shared<const EventPattern>(std::move(parsed).value());
  auto set = CompileRuleSet({p});
  engine::EventMatcher fast_matcher(set, /*fast_paths=*/true), plain_matcher(set, /*fast_paths=*/false);
  engine::EventScratch scratch;
  fast_matcher.Evaluate(event, scratch);
  const bool fast = fast_matcher.Matched(0, scratch);
  plain_matcher.Evaluate(event, scratch);
  const bool plain = plain_matcher.Matched(0, scratch);
  const bool ref = engine::ReferenceMatchesText(*p, event);
  EXPECT_EQ(fast, ref) << "compiled matcher (fast walk) and reference disagree";
  EXPECT_EQ(plain, ref) << "compiled matcher (plain walk) and reference disagree";
  return fast;
}

// The first line of AWS's message for an invalid pattern ("" when the pattern is valid).
inline std::string AwsReason(const std::string& pattern, const PatternOptions& options = {}) {
  auto parsed = ParseEventPattern(pattern, options);
  if (parsed.ok()) return "";
  const std::string& m = parsed.error().aws_message;
  return m.substr(0, m.find('\n'));
}

}  // namespace trailwatch::event::testing
