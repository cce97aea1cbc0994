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

// Evaluates `pattern` on `event` with the compiled matcher and the reference interpreter; a test failure is
// recorded when they disagree or the pattern does not parse. Returns the compiled matcher's answer.
inline bool Matches(const std::string& pattern, const std::string& event) {
  auto parsed = ParseEventPattern(pattern);
  if (!parsed.ok()) {
    ADD_FAILURE() << "pattern does not parse: " << parsed.error().aws_message;
    return false;
  }
  auto p = std::make_shared<const EventPattern>(std::move(parsed).value());
  engine::EventMatcher matcher(CompileRuleSet({p}));
  engine::EventScratch scratch;
  matcher.Evaluate(event, scratch);
  const bool fast = matcher.Matched(0, scratch);
  const bool ref = engine::ReferenceMatchesText(*p, event);
  EXPECT_EQ(fast, ref) << "compiled matcher and reference disagree";
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
