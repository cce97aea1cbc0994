// patterns.cc: compiles a filter pattern and an event pattern with trailwatch::patterns alone; prints what
// the pattern languages report (the install test compares it).
#include <cstdio>

#include "patterns/event/parser.h"
#include "patterns/filter/compile.h"

int main() {
  auto filter = trailwatch::filter::CompileFilterPattern("{ $.errorCode = \"AccessDenied\" }");
  auto bad = trailwatch::filter::CompileFilterPattern("{ $.errorCode = }");
  auto event = trailwatch::event::ParseEventPattern(R"({"source": ["aws.signin"]})");
  if (!filter.ok() || bad.ok() || !event.ok()) return 1;
  std::printf("filter ok; invalid pattern: %s\n", bad.error().exception.c_str());
  return 0;
}
