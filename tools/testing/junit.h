// junit.h: the outcomes of `trailwatch test` as JUnit XML, the report GitHub Actions (test reporters),
// GitLab (artifacts:reports:junit) and Jenkins (junit step) read.
//
// Contract: one <testsuites> holding one <testsuite> per test file (name and file: the path; tests,
// failures, errors, skipped, time) and one <testcase> per test (name, classname: the file's path with its
// extension dropped and '/' made '.', as those tools group by it; file, line, time); a failed test holds
// one <failure> per failure (message: its one-line message, type: the test kind; text: expected, got and
// the explanation). A file whose setup does not load is a testsuite with one <error>. Text is escaped for
// XML 1.0 (characters XML cannot hold become U+FFFD); the output validates against
// tests/data/schemas/junit.xsd. Pure.
#pragma once

#include <string>
#include <vector>

#include "tools/testing/runner.h"

namespace trailwatch::spec {

std::string JunitXml(const std::vector<FileOutcome>& files);

// The text of one failure as the text output and JUnit show it: the message, "expected: ...", "got: ...",
// and the explanation, each line after the first indented by `indent`.
std::string FailureText(const Failure& f, const std::string& indent);

}  // namespace trailwatch::spec
