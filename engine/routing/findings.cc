// findings.cc: severity names and the lookup by name of kFindingKinds (findings.h).
#include "engine/routing/findings.h"

namespace trailwatch::engine {

static_assert([] {
  for (size_t i = 0; i < kFindingKinds.size(); ++i) {
    if (static_cast<size_t>(kFindingKinds[i].kind) != i) return false;  // Info() indexes by kind
    if (i > 0 && kFindingKinds[i].severity < kFindingKinds[i - 1].severity) return false;  // most severe first
  }
  return true;
}());

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kHigh: return "high";
    case Severity::kMedium: return "medium";
    case Severity::kLow: return "low";
  }
  return "low";
}

int SeverityRank(std::string_view name) {
  if (name == "high") return 0;
  if (name == "medium") return 1;
  if (name == "low") return 2;
  return 3;
}

const FindingKindInfo* FindingKindByName(std::string_view name) {
  for (const FindingKindInfo& k : kFindingKinds) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

}  // namespace trailwatch::engine
