// setup_file.h: a setup file -> Setup, the source behind `--setup`. A setup file is a CloudFormation
// template plus the keys `Account`, `Region` (home Region), `Regions` (the Regions covered) and, on each
// resource, `Regions` (where that resource exists; default: the home Region). README "The setup" has the
// format.
//
// Contract: as templates.h (never throws, prints or exits; problems are ValidationError Diagnostics with
// "file:line:column:", a JSON pointer and, where it helps, a hint; warnings in Setup::warnings; vectors
// sorted).
#pragma once

#include <string>
#include <string_view>

#include "engine/setup/setup.h"
#include "patterns/common/diagnostic.h"

namespace trailwatch::engine {

Result<Setup> LoadSetupFile(const std::string& path);
// The same from text; `name` names it in messages (e.g. "-" for stdin).
Result<Setup> LoadSetupText(std::string_view text, const std::string& name);

}  // namespace trailwatch::engine
