// sources.h: the one entry point from what users give (a setup file, or CloudFormation templates deployed to
// Regions) to the neutral Setup a replay simulates. Each source has its folder (setup_file/,
// cloudformation/); a new source (Terraform, CDK) adds its folder, a member here and a branch in
// LoadSetup(), and nothing else: the model (setup.h), the checks (check.h) and everything downstream stay.
//
// Contract: exactly one source is given; LoadSetup() returns what that source's loader returns (see
// setup_file.h, templates.h). Nothing throws or prints.
#pragma once

#include <string>
#include <vector>

#include "engine/setup/check.h"
#include "engine/setup/cloudformation/templates.h"
#include "engine/setup/setup.h"
#include "engine/setup/setup_file/setup_file.h"
#include "patterns/common/diagnostic.h"

namespace trailwatch::engine {

struct SetupSources {
  std::string setup_file;                 // --setup FILE
  std::vector<TemplateSource> templates;  // --template FILE[@REGIONS] ...
  LoadOptions template_options;           // --account, --regions, --parameter (templates only)
};

Result<Setup> LoadSetup(const SetupSources& sources);

}  // namespace trailwatch::engine
