// topology.h: what can be known of a setup without a single event — `trailwatch check`.
//
// Contract: CheckTopology() reads a loaded Setup (sources.h): it compiles every metric filter (pattern and
// transformation, as PutMetricFilter checks them), every rule's event pattern (PutRule) and validates every
// alarm (PutMetricAlarm), and finds the topology mistakes that need no events, each rule of README
// "trailwatch check" (the comment atop each rule in topology.cc says exactly when it fires). It returns
// typed findings, most severe first (kCheckKinds order), then by file, line and message, each with the
// resource's place as the loaders know it (`source`: "file:line:col: LogicalId"; JSON files have no line).
// kCheckKinds is the one table of check kinds; README "trailwatch check" prints it and a test compares the
// two. Kinds whose meaning is a replay finding's (findings.h) keep its name. Nothing prints or throws.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/routing/findings.h"
#include "engine/setup/setup.h"
#include "patterns/common/diagnostic.h"

namespace trailwatch::engine {

enum class CheckKind {
  kInvalidPattern,
  kInvalidTransformation,
  kInvalidAlarm,
  kUncoveredRegion,
  kDoubleCounted,
  kSingleRegionTrail,
  kReadOnlyDropped,
  kShapeMismatch,
  kLogGroupName,
  kSetupWarning,
};

struct CheckKindInfo {
  CheckKind kind;
  std::string_view name;
  Severity severity;
  std::string_view meaning;
};

inline constexpr std::array<CheckKindInfo, 10> kCheckKinds = {{
    {CheckKind::kInvalidPattern, "invalid-pattern", Severity::kHigh,
     "a filter pattern or event pattern AWS would reject (PutMetricFilter, PutRule)"},
    {CheckKind::kInvalidTransformation, "invalid-transformation", Severity::kHigh,
     "a metric transformation PutMetricFilter would reject (metric value, dimensions, unit, names)"},
    {CheckKind::kInvalidAlarm, "invalid-alarm", Severity::kHigh, "an alarm PutMetricAlarm would reject"},
    {CheckKind::kUncoveredRegion, "uncovered-region", Severity::kHigh,
     "a central rule receives events forwarded from other Regions, but a covered default Region has no rule "
     "forwarding to it: EventBridge never forwards that Region's events"},
    {CheckKind::kDoubleCounted, "double-counted", Severity::kHigh,
     "two paths (a trail and a rule, or two trails) deliver the same CloudTrail record to one log group, and "
     "a filter there counts both copies: double counting by construction"},
    {CheckKind::kSingleRegionTrail, "single-region-trail", Severity::kHigh,
     "a single-Region trail is the only trail of a log group with metric filters while the setup covers other "
     "Regions: their events never reach the filters by that trail"},
    {CheckKind::kReadOnlyDropped, "read-only-dropped", Severity::kHigh,
     "a rule in state ENABLED asks for read-only management events (readOnly true, or Get*, List*, Describe* "
     "names), which EventBridge delivers only to rules in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"},
    {CheckKind::kShapeMismatch, "shape-mismatch", Severity::kMedium,
     "a log group receives both shapes (raw records from a trail, EventBridge events from a rule) while a JSON "
     "filter on it reads only one of them"},
    {CheckKind::kLogGroupName, "log-group-name", Severity::kMedium,
     "a rule targets a log group whose name does not start with /aws/events/: EventBridge delivers there only "
     "if the log group's resource policy allows it"},
    {CheckKind::kSetupWarning, "setup-warning", Severity::kLow, "a warning of the setup loader (README \"Warnings\")"},
}};

constexpr const CheckKindInfo& Info(CheckKind kind) { return kCheckKinds[static_cast<size_t>(kind)]; }

// A resource's place from its `source` ("file:line:col: LogicalId" or "file: LogicalId").
struct SourceLocation {
  std::string file;
  uint32_t line = 0, column = 0;  // 0: unknown
  std::string resource;
};
SourceLocation ParseSourceLocation(std::string_view source);

struct CheckFinding {
  CheckKind kind = CheckKind::kInvalidPattern;
  std::string message;
  std::string resource;  // the logical id ("" when about the file)
  std::string file;
  uint32_t line = 0, column = 0;  // 0: unknown
  std::string region;
  std::optional<Diagnostic> diagnostic;  // compile errors: the diagnostic and the text its span points into
  std::string diagnostic_text;

  const CheckKindInfo& info() const { return Info(kind); }
};

std::vector<CheckFinding> CheckTopology(const Setup& setup);

}  // namespace trailwatch::engine
