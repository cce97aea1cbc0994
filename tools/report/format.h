// format.h: the formatting every printer of a replay shares (text summary, progress line, HTML report), so
// that the same quantity reads the same everywhere.
//
// Contract: pure functions, no locale. Bytes are decimal (1 KB = 1,000 B, as `ls --si`, `du --si` and the
// AWS console's data sizes): "812 B", "16.2 KB", "3.4 GB" (one decimal from KB on).
#pragma once

#include <string>

namespace trailwatch::report {

std::string FormatBytes(double bytes);

}  // namespace trailwatch::report
