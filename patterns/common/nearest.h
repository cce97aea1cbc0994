// nearest.h: "did you mean" — the candidate closest to a name a user wrote.
//
// Contract: NearestName() returns the candidate most likely meant by `name`, or "" when none is close
// enough. Closeness, in order: the same name but for letter case (`eventname` → `eventName`); else the
// smallest edit distance (insertions, deletions, substitutions, adjacent transpositions; letter case
// ignored) of at most max(1, size / 3) — so `evnetName` finds `eventName` but `foo` does not find `bar`.
// Ties go to the candidate that comes first. Pure; quadratic in the two lengths (names are short: a name
// longer than 256 bytes is compared only for the case rule). Used by `trailwatch explain`, the replay's
// absent-field finding, spec errors of `trailwatch test` and the CLI's unknown-command message.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace trailwatch {

inline char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

// Optimal-string-alignment distance, letter case ignored. Allocates nothing when `b` has at most 64 bytes
// (the replay's field findings compare every key of the objects they look into).
inline size_t EditDistance(std::string_view a, std::string_view b) {
  const size_t n = a.size(), m = b.size();
  size_t small[3][65];
  std::vector<size_t> large;
  size_t *prev2 = small[0], *prev = small[1], *cur = small[2];
  if (m > 64) {
    large.resize(3 * (m + 1));
    prev2 = large.data();
    prev = prev2 + (m + 1);
    cur = prev + (m + 1);
  }
  for (size_t j = 0; j <= m; ++j) prev[j] = j;
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= m; ++j) {
      const bool same = AsciiLower(a[i - 1]) == AsciiLower(b[j - 1]);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
      if (i > 1 && j > 1 && AsciiLower(a[i - 1]) == AsciiLower(b[j - 2]) &&
          AsciiLower(a[i - 2]) == AsciiLower(b[j - 1])) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
    }
    size_t* t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[m];
}

// True when NearestName(name, {candidate}) would return `candidate`: the same name but for letter case, or
// within the edit distance NearestName allows.
inline bool IsNearName(std::string_view name, std::string_view candidate) {
  if (candidate == name) return false;
  if (EqualsIgnoreAsciiCase(candidate, name)) return true;
  if (name.size() > 256 || candidate.size() > 256) return false;
  const size_t limit = std::max<size_t>(1, name.size() / 3);
  const size_t lo = std::min(candidate.size(), name.size()), hi = std::max(candidate.size(), name.size());
  return hi - lo <= limit && EditDistance(name, candidate) <= limit;
}

// `max_distance` 0: the rule above; else that many edits at most (command names, where a typo of two
// letters in a short word is still plainly meant: `replp` for `replay`).
template <class Range>
std::string NearestName(std::string_view name, const Range& candidates, size_t max_distance = 0) {
  for (const auto& c : candidates) {
    if (std::string_view(c) != name && EqualsIgnoreAsciiCase(c, name)) return std::string(c);
  }
  if (name.size() > 256) return "";
  const size_t limit = max_distance ? max_distance : std::max<size_t>(1, name.size() / 3);
  std::string best;
  size_t best_distance = limit + 1;
  for (const auto& c : candidates) {
    const std::string_view cv(c);
    if (cv == name || cv.size() > 256) continue;
    const size_t lo = std::min(cv.size(), name.size()), hi = std::max(cv.size(), name.size());
    if (hi - lo > limit) continue;
    const size_t d = EditDistance(name, cv);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(cv);
    }
  }
  return best;
}

}  // namespace trailwatch
