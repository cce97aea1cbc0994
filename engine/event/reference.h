// reference.h: the plain reference interpreter for event patterns, kept beside the compiled matcher.
//
// Contract: ReferenceMatches() decides whether one parsed pattern matches one event by the rules written out
// as directly as possible, with no sharing, no indexes and its own value tests: flatten the event into
// (path, leaf, array membership) triples, then for each sub-rule look for an assignment of one leaf per field
// (or "absent" for a field whose list holds {"exists": false}) such that every chosen leaf matches an element
// of its field's list, no two chosen leaves come from different elements of one array, and no leaf of an
// absent field is consistent with the chosen ones. It exists to be obviously right; the differential test
// compares it with EventMatcher. Never throws; exponential only in pathological patterns (bounded search).
#pragma once

#include <string_view>

#include "patterns/event/ast.h"
#include "patterns/event/json_value.h"

namespace trailwatch::engine {

bool ReferenceMatches(const event::EventPattern& pattern, const event::JsonValue& event);
// The reference's test of one pattern element on one leaf value (string, number, true, false, null) — what
// `trailwatch explain` shows per value. kExists / kAbsent are decided by the presence of a leaf, not here.
bool ReferenceValueMatches(const event::Matcher& m, const event::JsonValue& leaf);
// Convenience: parses the event JSON first; an event that is not a JSON object matches nothing.
bool ReferenceMatchesText(const event::EventPattern& pattern, std::string_view event_json);

}  // namespace trailwatch::engine
