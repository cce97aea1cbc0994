// number.h: the number grammar shared by filter-pattern values and by the values they are compared with.
//
// Contract: ParseFilterNumber() accepts exactly [+-]? digits [ . digits ] [ (e|E) [+-]? digits ] — "an integer
// or a decimal with an optional + or - sign, or scientific notation" (AWS user guide) — and nothing else
// (no spaces, no hex, no inf/nan). Used for pattern literals, space-delimited fields and JSON strings.
#pragma once

#include <string_view>

namespace trailwatch::filter {

bool ParseFilterNumber(std::string_view text, double* out);

}  // namespace trailwatch::filter
