// commands.h: one entry point per `trailwatch` command; main.cc dispatches to them.
// Each returns the process exit code and may throw cli::UsageError.
#pragma once

namespace trailwatch::cli {

int RunLogsTestMetricFilter(int argc, char** argv);  // trailwatch logs test-metric-filter
int RunEventsTestEventPattern(int argc, char** argv);  // trailwatch events test-event-pattern
int RunGrep(int argc, char** argv);                  // trailwatch grep
int RunReplay(int argc, char** argv);                // trailwatch replay
int RunTail(int argc, char** argv);                  // trailwatch tail
int RunDebug(int argc, char** argv);                 // trailwatch debug dump-ast|dump-program|dump-trie
int RunGenerateCorpus(int argc, char** argv);        // trailwatch generate-corpus

}  // namespace trailwatch::cli
