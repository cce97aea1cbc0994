// sources.h: the one entry point from what users give (a setup file, or CloudFormation templates deployed to
// Regions) to the neutral Setup a replay simulates. Each source has its folder (setup_file/,
// cloudformation/, terraform/); a new source (Terraform, CDK) adds its folder, a member here and a branch in
// LoadSetup(), and nothing else: the model (setup.h), the checks (check.h) and everything downstream stay.
//
// Contract: exactly one source is given; LoadSetup() returns what that source's loader returns (see
// setup_file.h, templates.h, terraform.h). Nothing throws or prints.
#pragma once

#include <string>
#include <vector>

#include "engine/setup/check.h"
#include "engine/setup/cloudformation/templates.h"
#include "engine/setup/setup.h"
#include "engine/setup/setup_file/setup_file.h"
#include "engine/setup/terraform/terraform.h"
#include "patterns/common/diagnostic.h"

namespace trailwatch::engine {

struct SetupSources {
  std::string setup_file;                 // --setup FILE
  std::vector<TemplateSource> templates;  // --template FILE[@REGIONS] ...
  std::string terraform;                  // --terraform FILE (`terraform show -json` of a plan or state)
  LoadOptions template_options;           // --account, --regions, --parameter (templates; Terraform: account)
};

Result<Setup> LoadSetup(const SetupSources& sources);

}  // namespace trailwatch::engine
