// time.h: the times of the CloudWatch simulation — UTC milliseconds since the epoch, as CloudWatch Logs
// timestamps them, the ISO-8601 text every output prints, and the floor division that puts a timestamp in
// its minute, hour or alarm period. Used by the metric store, alarms, routing, the printers and the CLI.
//
// Contract: pure functions; no time zone but UTC, no leap seconds (as CloudWatch). Nothing throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trailwatch::engine {

inline constexpr int64_t kMinuteMs = 60'000;
inline constexpr int64_t kHourMs = 3'600'000;
inline constexpr int64_t kDayMs = 86'400'000;
inline constexpr int64_t kMaxTimestampMs = 253'402'300'800'000;  // 10000-01-01T00:00:00Z

// Floor division of a timestamp by a positive period, as a period index.
int64_t FloorDiv(int64_t a, int64_t b);

// Whether the metric store accepts a timestamp (1970-01-01T00:00:00Z <= t < 10000-01-01T00:00:00Z).
bool IsAcceptedTimestamp(int64_t timestamp_ms);

// "2023-07-10T12:44:00Z" (milliseconds appear only when not zero: "...:00.250Z").
std::string FormatIsoUtc(int64_t timestamp_ms);
// Parses "YYYY-MM-DDTHH:MM:SS[.fff]Z" (also "+00:00", "z", and a space for the "T"); nullopt for anything
// else.
std::optional<int64_t> ParseIsoUtc(std::string_view text);

}  // namespace trailwatch::engine
