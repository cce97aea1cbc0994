// fast_paths.cc: TRAILWATCH_NO_FAST_PATHS parsed once (see fast_paths.h).
#include "engine/fast_paths.h"

#include <array>
#include <cstdlib>
#include <string_view>

namespace trailwatch::engine {
namespace {

constexpr std::array<std::string_view, 4> kNames = {"prefilter", "walk", "whole-file", "prefetch"};

// Bit i set: fast path i is off.
unsigned DisabledMask() {
  const char* env = std::getenv("TRAILWATCH_NO_FAST_PATHS");
  if (env == nullptr || *env == '\0') return 0;
  unsigned mask = 0;
  std::string_view rest(env);
  while (true) {
    const size_t comma = rest.find(',');
    std::string_view name = rest.substr(0, comma);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    size_t i = 0;
    while (i < kNames.size() && kNames[i] != name) ++i;
    if (i == kNames.size()) return ~0u;  // `1`, `all`, or anything not a name: every fast path off
    mask |= 1u << i;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return mask;
}

}  // namespace

bool FastPathEnabled(FastPath path) {
  static const unsigned disabled = DisabledMask();
  return (disabled & (1u << static_cast<unsigned>(path))) == 0;
}

FastPaths FastPathsFromEnvironment() {
  FastPaths f;
  f.prefilter = FastPathEnabled(FastPath::kPrefilter);
  f.walk = FastPathEnabled(FastPath::kWalk);
  f.whole_file = FastPathEnabled(FastPath::kWholeFile);
  f.prefetch = FastPathEnabled(FastPath::kPrefetch);
  return f;
}

}  // namespace trailwatch::engine
