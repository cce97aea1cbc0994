// format.cc: see format.h.
#include "tools/report/format.h"

#include <cmath>
#include <cstdio>

namespace trailwatch::report {

std::string FormatBytes(double b) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (b >= 1000 && u < 4) {
    b /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
  return buf;
}

std::string FormatProblem(const engine::InputProblem& p) {
  return p.file + ":" + (p.line > 0 ? std::to_string(p.line) : "@" + std::to_string(p.offset)) + ": " +
         engine::ProblemKindName(p.kind) + ": " + p.message;
}

std::string FormatMetricNumber(double v) {
  if (!std::isfinite(v)) return "-";
  if (v == std::trunc(v) && std::fabs(v) < 9.0e15) return std::to_string(static_cast<int64_t>(v));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace trailwatch::report
