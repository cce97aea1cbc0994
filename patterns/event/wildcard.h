// wildcard.h: EventBridge `wildcard` values: parsing with AWS's escape rules, matching, complexity.
//
// Contract: ParseWildcard() splits a wildcard value into literal pieces around unescaped '*' ("\*" is a
// literal star, "\\" a literal backslash; any other backslash, "**" and a trailing lone backslash are errors
// with event-ruler's messages, whose "pos" counts UTF-8 bytes of the value with a leading quote, as the
// library reports them). MatchWildcard() is a whole-string match in linear-ish time (greedy piece search, no
// backtracking explosion). WildcardComplexity() estimates what EventBridge's MachineComplexityEvaluator
// measures: the largest number of NFA states a single input can keep alive at once, over all wildcards of one
// field, capped. No I/O; no allocation in MatchWildcard().
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace trailwatch::event {

struct Wildcard {
  std::vector<std::string> pieces;  // pattern = pieces[0] * pieces[1] * ... * pieces[n-1]
};

// Returns false and sets *error on an invalid value.
bool ParseWildcard(std::string_view value, Wildcard* out, std::string* error);
bool MatchWildcard(const Wildcard& w, std::string_view s);
// Max simultaneously live states over all inputs, for the union of `wildcards`; stops counting at `cap`.
int WildcardComplexity(const std::vector<const Wildcard*>& wildcards, int cap);

}  // namespace trailwatch::event
