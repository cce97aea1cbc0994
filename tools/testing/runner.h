// runner.h: runs the tests of a `trailwatch test` file (spec.h) and says, for each, passed or why not.
//
// Contract: RunTestFile() runs every selected test of a checked TestFile with the product's own engine —
// FilterSet and the metric transformation for filter tests, the event matcher and the rule state for rule
// tests, Replay::Stream over the inputs for replay tests, the pattern compilers for invalid-pattern tests —
// and returns typed outcomes: each failure with what was expected, what came out, and an explanation (the
// pattern's explanation, engine/explain, for a message or event that matched or not against the
// expectation; the metric's datapoints or the alarm's transitions for a replay). A setup whose patterns do
// not compile is `setup_error` (nothing of that file runs). Nothing prints; nothing throws.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "tools/testing/spec.h"

namespace trailwatch::spec {

struct Failure {
  Where where;              // the item of the spec that failed (a message, a metric expectation, ...)
  std::string message;      // one line: "message 2: expected no match, got a match"
  std::string expected, got;
  std::string explanation;  // multi-line; may be empty
};

struct TestOutcome {
  std::string name, kind;   // kind: "filter", "rule", "replay", "invalid"
  Where where;
  double seconds = 0;
  std::vector<Failure> failures;  // empty: passed
  bool passed() const { return failures.empty(); }
};

struct FileOutcome {
  std::string path;
  std::optional<std::string> setup_error;  // the setup's patterns do not compile: nothing ran
  std::vector<TestOutcome> tests;          // the selected tests, in file order
  double seconds = 0;
};

struct RunOptions {
  std::optional<std::regex> select;  // --run: tests whose name matches (std::regex_search)
};

const char* TestKindName(TestCase::Kind kind);

FileOutcome RunTestFile(const TestFile& file, const RunOptions& options);

}  // namespace trailwatch::spec
