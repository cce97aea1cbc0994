// setup_check.h (internal to engine/replay): the loader's warning list and the cross-resource checks.
//
// Contract: CheckSetupInto() only reads the setup and appends Warnings; FormatWarnings() merges warnings
// that differ only by Region ("... [16 Regions: ap-northeast-1, ...]") and keeps first-seen order.
#pragma once

#include <string>
#include <vector>

#include "engine/replay/cfn_resources.h"
#include "engine/replay/setup.h"

namespace trailwatch::engine::cfn {

void CheckSetupInto(const Setup& setup, std::vector<Warning>& warnings);
std::vector<std::string> FormatWarnings(const std::vector<Warning>& warnings);

}  // namespace trailwatch::engine::cfn
