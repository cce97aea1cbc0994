// check.h: what every setup source does last — sort, reject duplicates, run the cross-resource checks,
// merge the warnings.
//
// Contract: CheckSetupInto() only reads the setup and appends warnings; FormatWarnings() merges warnings
// that differ only by Region ("... [16 Regions: ap-northeast-1, ...]") and keeps first-seen order.
// FinishSetup() sorts the setup's vectors (see Setup), rejects two resources with the same name in the same
// place (a ValidationError naming both sources), adds every Region used to the covered ones, runs the checks
// and sets Setup::warnings. Nothing throws.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "engine/setup/setup.h"
#include "patterns/common/diagnostic.h"

namespace trailwatch::engine {

void CheckSetupInto(const Setup& setup, std::vector<SetupWarning>& warnings);
std::vector<std::string> FormatWarnings(const std::vector<SetupWarning>& warnings);

// The cross-resource checks, appended to setup.warnings (FinishSetup() runs them): rule targets (log group
// name not under /aws/events/, log group or bus not in the setup, log group in another Region, event bus
// in another Region without RoleArn, a rule forwarding to its own bus, targets that are not simulated),
// metric filters on log groups the setup does not define, alarms on metrics no filter produces, trails
// delivering to a log group in another Region or account or to one the setup does not define.
void CheckSetup(Setup& setup);

// `covered`: the Regions the source says the setup covers; `used`: the Regions its resources are in.
Result<Setup> FinishSetup(Setup setup, std::vector<std::string> covered, const std::set<std::string>& used,
                          std::vector<SetupWarning>& warnings);

}  // namespace trailwatch::engine
