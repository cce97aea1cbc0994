// delimited.h: splitting a log event into space-delimited fields, and binding a pattern's fields to them.
//
// Contract (the AWS rules, and our readings where the user guide is silent — README "AWS behaviour"):
// - fields are separated by runs of spaces and tabs; a field that starts with " runs to the next ", one that
//   starts with [ runs to the next ], and the delimiters are not part of its value; an unterminated " or [
//   runs to the end of the message;
// - pattern fields bind left to right; with `...`, the fields after it bind from the right; without `...`,
//   surplus event fields are absorbed by the last pattern field, whose value is then the raw text from its
//   first field to the end of the message; fewer event fields than pattern fields: no match.
// TokenizeFields() appends to a caller-owned vector (cleared first) so that no allocation happens per event
// once the vector has grown.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "patterns/filter/program.h"

namespace trailwatch::engine {

struct EventField {
  uint32_t begin = 0, end = 0;          // the value, without " or [ ]
  uint32_t raw_begin = 0, raw_end = 0;  // including the delimiters
};

void TokenizeFields(std::string_view message, std::vector<EventField>* out);

// One bound pattern field: pattern field `pattern_field` (or -1 for an event field covered by `...` or by
// `[]`) has the text message[begin, end). `position` is the 1-based event field number ($N).
struct BoundField {
  int pattern_field = -1;
  uint32_t position = 0;
  uint32_t begin = 0, end = 0;
};

// Binds `p`'s fields to `fields`. Returns false when the event has too few fields. `out` is cleared first.
bool BindFields(const filter::CompiledPattern& p, const std::vector<EventField>& fields, std::vector<BoundField>* out);

}  // namespace trailwatch::engine
