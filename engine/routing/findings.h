// findings.h: every kind of finding a replay reports, declared once.
//
// Contract: kFindingKinds is the one table of finding kinds — kind, name (the JSON "kind"), severity and the
// one-line meaning README "Findings" prints (a test compares the README's table with this one, row by row).
// Its order is the order findings are reported in: most severe first (high, medium, low), and within a
// severity the order below. A new finding kind is a row here and the code that counts it in routing.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace trailwatch::engine {

enum class Severity { kHigh, kMedium, kLow };

std::string_view SeverityName(Severity s);  // "high", "medium", "low"
// 0 for high, 1 medium, 2 low; 3 for a word that is no severity. Lower is more severe.
int SeverityRank(std::string_view name);

enum class FindingKind {
  kOtherAccount,
  kMissed,
  kUncoveredRegion,
  kDoubleCounted,
  kDimensionCardinality,
  kShapeMismatch,
  kNeverMatched,
  kMisspelledField,
  kRejectedValues,
  kTargetNotSimulated,
  kUnrouted,
  kUndated,
  kAbsentField,
};

struct FindingKindInfo {
  FindingKind kind;
  std::string_view name;
  Severity severity;
  std::string_view meaning;
};

inline constexpr std::array<FindingKindInfo, 13> kFindingKinds = {{
    {FindingKind::kOtherAccount, "other-account", Severity::kHigh,
     "records of an account the setup does not simulate"},
    {FindingKind::kMissed, "missed", Severity::kHigh,
     "an event a metric filter would count (in either shape) never reached that filter's log group — e.g. a "
     "single-Region trail, or a Region without a forwarding rule and no trail"},
    {FindingKind::kUncoveredRegion, "uncovered-region", Severity::kHigh,
     "an event matches rules deployed in other Regions but no rule of its own Region: EventBridge never "
     "forwards it (the central lesson of the story)"},
    {FindingKind::kDoubleCounted, "double-counted", Severity::kHigh,
     "one event (same `eventID`) counted more than once by one metric, with the trail and rules that "
     "delivered it"},
    {FindingKind::kDimensionCardinality, "dimension-cardinality", Severity::kHigh,
     "a filter published 1,000 or more distinct dimension values in an hour: AWS may disable it"},
    {FindingKind::kShapeMismatch, "shape-mismatch", Severity::kMedium,
     "a filter matches only one shape (raw record or EventBridge event) while its log group receives both, "
     "and messages of the other shape would have matched"},
    {FindingKind::kNeverMatched, "never-matched", Severity::kMedium, "a filter matched nothing"},
    {FindingKind::kMisspelledField, "misspelled-field", Severity::kMedium,
     "a filter reads a field that no JSON message of its log group had, while a key of nearly the same name "
     "existed there (`$.eventname` for `$.eventName`): the finding names it"},
    {FindingKind::kRejectedValues, "rejected-values", Severity::kMedium,
     "metric values CloudWatch would refuse (NaN, infinities, out of range)"},
    {FindingKind::kTargetNotSimulated, "target-not-simulated", Severity::kLow,
     "a rule's targets transform their input (Input, InputPath, InputTransformer): trailwatch does not "
     "deliver those"},
    {FindingKind::kUnrouted, "unrouted", Severity::kLow,
     "messages that are neither CloudTrail records nor EventBridge events: no trail or rule routes them"},
    {FindingKind::kUndated, "undated", Severity::kLow,
     "messages without a timestamp (each is counted at the time of the message before it)"},
    {FindingKind::kAbsentField, "absent-field", Severity::kLow,
     "a filter reads a field that no JSON message of its log group had, and no key of a near name existed: "
     "the finding names the deepest part of the path that did (not reported for fields read only by NOT "
     "EXISTS)"},
}};

constexpr const FindingKindInfo& Info(FindingKind kind) { return kFindingKinds[static_cast<size_t>(kind)]; }

// The row of a JSON "kind", or nullptr.
const FindingKindInfo* FindingKindByName(std::string_view name);

}  // namespace trailwatch::engine
