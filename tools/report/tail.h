// tail.h: what `trailwatch tail` prints as events stream in — matches, closed minutes, alarm transitions —
// and the summary at the end, as text or as JSON Lines.
//
// Contract: JSON Lines are one object per line, each `{"type": T, "data": {...}}` (ripgrep's --json
// envelope): T is "match" (filter, log_group, value, message), "minute" (timestamp, namespace, name, sum,
// sample_count: one line per metric with samples in the minute), "alarm" (alarm, timestamp, from, to,
// reason) or "summary" (the whole result document, engine/routing/result.h ToJson). Invalid UTF-8 from
// events is replaced by U+FFFD in JSON. Text lines are the README's. Every line is flushed, so a pipe sees
// it at once. Never fails (a write error shows on the stream, which the command checks at the end).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/cloudwatch/alarms.h"
#include "engine/cloudwatch/metrics.h"
#include "engine/routing/result.h"

namespace trailwatch::report {

class TailPrinter {
 public:
  TailPrinter(std::ostream& out, bool json) : out_(out), json_(json) {}

  void Match(const std::string& filter, const std::string& log_group, std::string_view message,
             std::optional<double> value);
  void Minute(int64_t minute_start_ms, const std::vector<engine::MetricSeries>& minute);
  void Transition(const std::string& alarm, const engine::AlarmTransition& t);
  void Summary(const engine::ReplayResult& result);

 private:
  std::ostream& out_;
  const bool json_;
};

}  // namespace trailwatch::report
