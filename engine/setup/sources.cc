// sources.cc: LoadSetup() picks the source. See sources.h.
#include "engine/setup/sources.h"

namespace trailwatch::engine {

Result<Setup> LoadSetup(const SetupSources& sources) {
  const int given = !sources.setup_file.empty() + !sources.templates.empty() + !sources.terraform.empty();
  if (given != 1) {
    Diagnostic d;
    d.exception = "ValidationError";
    d.message = given == 0 ? "no setup: give a setup file, templates or a Terraform plan or state"
                           : "a setup file, templates and a Terraform plan or state are different setups: give one";
    return d;
  }
  if (!sources.setup_file.empty()) return LoadSetupFile(sources.setup_file);
  if (!sources.terraform.empty()) return LoadTerraform(sources.terraform, sources.template_options);
  return LoadTemplates(sources.templates, sources.template_options);
}

}  // namespace trailwatch::engine
