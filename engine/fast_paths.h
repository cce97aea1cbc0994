// fast_paths.h: the switches that turn trailwatch's fast paths off, one by one or all at once.
//
// Contract: every fast path has a plain path beside it that gives the same answers; the equivalence tests
// (tests/corpus, tests/filter, tests/event) run both. The environment variable TRAILWATCH_NO_FAST_PATHS,
// read once per process, chooses:
//   unset or empty         every fast path on (the default);
//   a comma-separated list of the names below: those fast paths off, the others on;
//   any other value        (e.g. `1` or `all`) every fast path off.
// Names:
//   prefilter   the Hyperscan literal prefilter of metric filters (engine/filter/prefilter.h); plain: every
//               pattern evaluated on every message;
//   walk        the event matcher's walk over simdjson's structural index with speculative pruning
//               (engine/event/matcher.h); plain: simdjson On-Demand over every named path;
//   whole-file  regular files under ReaderOptions::windowed_from read whole (mmap, gzip by libdeflate in one
//               call when the content fits too, engine/input/loader.h); plain: every file read as a stream in
//               windows (gzip by zlib's streaming inflate);
//   prefetch    the next file loaded and decompressed on a worker thread while the current one is read;
//               plain: files loaded one after the other on the reading thread.
// The libraries never read the environment themselves: every constructor and option struct defaults to the
// fast paths on (FilterSet, EventMatcher, ReaderOptions, ReplayOptions::fast_paths); the CLI (tools/) and the
// benchmarks pass what FastPathsFromEnvironment() says.
#pragma once

namespace trailwatch::engine {

enum class FastPath { kPrefilter, kWalk, kWholeFile, kPrefetch };

// What TRAILWATCH_NO_FAST_PATHS says of one fast path (read once per process).
bool FastPathEnabled(FastPath path);

// Every switch, as the replay engine takes them (ReplayOptions::fast_paths).
struct FastPaths {
  bool prefilter = true;
  bool walk = true;
  bool whole_file = true;
  bool prefetch = true;
};
FastPaths FastPathsFromEnvironment();

}  // namespace trailwatch::engine
