// time.cc: UTC timestamps in milliseconds <-> ISO-8601 text, floor division by periods. See time.h.
#include "engine/cloudwatch/time.h"

#include <chrono>
#include <cstdio>

namespace trailwatch::engine {

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b) != 0 && ((a < 0) != (b < 0))) --q;
  return q;
}

bool IsAcceptedTimestamp(int64_t timestamp_ms) { return timestamp_ms >= 0 && timestamp_ms < kMaxTimestampMs; }


std::string FormatIsoUtc(int64_t timestamp_ms) {
  using namespace std::chrono;
  int64_t days = FloorDiv(timestamp_ms, kDayMs);
  int64_t rem = timestamp_ms - days * kDayMs;
  year_month_day ymd{sys_days{std::chrono::days{days}}};
  int64_t secs = rem / 1000, ms = rem % 1000;
  char buf[48];
  if (ms == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60),
                  static_cast<int>(ms));
  }
  return buf;
}

std::optional<int64_t> ParseIsoUtc(std::string_view s) {
  auto digits = [&s](size_t pos, size_t n) -> std::optional<int> {
    if (pos + n > s.size()) return std::nullopt;
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  auto at = [&s](size_t pos, char c) { return pos < s.size() && s[pos] == c; };
  auto y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2), h = digits(11, 2), mi = digits(14, 2),
       sec = digits(17, 2);
  if (!y || !mo || !d || !h || !mi || !sec || !at(4, '-') || !at(7, '-') || !(at(10, 'T') || at(10, ' ')) ||
      !at(13, ':') || !at(16, ':')) {
    return std::nullopt;
  }
  if (*h > 23 || *mi > 59 || *sec > 60) return std::nullopt;
  size_t pos = 19;
  int64_t ms = 0;
  if (at(pos, '.')) {
    ++pos;
    int scale = 100, n = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      ms += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
      ++n;
    }
    if (n == 0) return std::nullopt;
  }
  std::string_view zone = s.substr(pos);
  if (zone != "Z" && zone != "+00:00" && zone != "z") return std::nullopt;
  using namespace std::chrono;
  year_month_day ymd{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  int64_t days = sys_days{ymd}.time_since_epoch().count();
  return days * kDayMs + (static_cast<int64_t>(*h) * 3600 + *mi * 60 + *sec) * 1000 + ms;
}

}  // namespace trailwatch::engine
