// text.h: the text summary of a replay (`trailwatch replay` without --output json, and the end of
// `trailwatch tail`).
//
// Contract: PrintSummary() writes the typed result (engine/routing/result.h) as the sections the README
// shows: input (with every listed input problem), setup warnings, log groups, metrics, alarms with their
// transitions, findings (most severe first, at most three examples each). Bytes, problems and times are
// written with tools/report/format.h, as every printer writes them. Never fails.
#pragma once

#include <ostream>

#include "engine/routing/result.h"

namespace trailwatch::report {

void PrintSummary(const engine::ReplayResult& result, std::ostream& out);

}  // namespace trailwatch::report
