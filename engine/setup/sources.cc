// sources.cc: LoadSetup() picks the source. See sources.h.
#include "engine/setup/sources.h"

namespace trailwatch::engine {

Result<Setup> LoadSetup(const SetupSources& sources) {
  const bool file = !sources.setup_file.empty();
  if (file == !sources.templates.empty()) {
    Diagnostic d;
    d.exception = "ValidationError";
    d.message = file ? "a setup file and templates are two setups: give one"
                     : "no setup: give a setup file or templates";
    return d;
  }
  if (file) return LoadSetupFile(sources.setup_file);
  return LoadTemplates(sources.templates, sources.template_options);
}

}  // namespace trailwatch::engine
