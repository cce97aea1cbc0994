// sarif.h: findings as SARIF 2.1.0, the format GitHub code scanning (github/codeql-action/upload-sarif),
// GitLab and IDEs read — for `trailwatch check --output sarif` and `replay --output sarif`.
//
// Contract: one run of tool "trailwatch" (version, informationUri) whose driver declares every kind of the
// table the findings come from as a rule (id = kind, shortDescription = the kind's meaning, default level
// from its severity: high → error, medium → warning, low → note), and one result per finding: ruleId,
// ruleIndex, level, message.text, locations (a physicalLocation with the file as a relative URI with
// forward slashes, and a region with startLine/startColumn only when known; a logicalLocation naming the
// resource), and a partialFingerprints entry (a stable hash of kind, resource and message) so re-runs
// deduplicate. A finding without a file gets no physicalLocation. Deterministic (golden-testable); the suite
// validates it against tests/data/schemas/sarif-2.1.0-subset.schema.json. Pure.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/routing/result.h"
#include "engine/setup/topology.h"

namespace trailwatch::report {

nlohmann::ordered_json CheckSarif(const std::vector<engine::CheckFinding>& findings);
nlohmann::ordered_json ReplaySarif(const engine::ReplayResult& result);

}  // namespace trailwatch::report
