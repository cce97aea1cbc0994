// format.h: the formatting every printer of a replay shares (text summary, progress line, HTML report), so
// that the same quantity reads the same everywhere.
//
// Contract: pure functions, no locale. Bytes are decimal (1 KB = 1,000 B, as `ls --si`, `du --si` and the
// AWS console's data sizes): "812 B", "16.2 KB", "3.4 GB" (one decimal from KB on). An input problem is
// "file:line: kind: message", or "file:@offset: kind: message" where there is no line (grep's file:line
// prefix). Times are ISO-8601 UTC (engine/cloudwatch/time.h FormatIsoUtc).
#pragma once

#include <string>

#include "engine/input/reader.h"

namespace trailwatch::report {

std::string FormatBytes(double bytes);

// "file:line: kind: message" (grep, tail and the summary print input problems this way).
std::string FormatProblem(const engine::InputProblem& p);

// A metric value as the summary shows it: whole numbers without a fraction ("42"), others as %g ("0.25"),
// "-" for NaN and infinities (which no CloudWatch datum holds).
std::string FormatMetricNumber(double v);

}  // namespace trailwatch::report
