// fuzz_setup.cc: libFuzzer target for the setup loaders. The bytes are loaded as a setup file (YAML, then
// JSON) and as a CloudFormation template; loading must return a setup or an error with a position — never
// crash, hang or exhaust memory (the loaders' document, nesting, node and expansion budgets). A setup that
// loads is also compiled into a replay plan.
#include <string>
#include <vector>

#include "engine/routing/replay.h"
#include "engine/setup/sources.h"
#include "tests/fuzz/fuzz_util.h"

using namespace trailwatch;
using namespace trailwatch::engine;

namespace {

void Plan(const Result<Setup>& setup) {
  if (!setup.ok()) return;
  std::vector<ReplayError> errors;
  (void)Replay::Create(setup.value(), ReplayOptions(), &errors);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > fuzz::kMaxInput) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  Plan(LoadSetupText(text, "setup.yaml"));
  Plan(LoadSetupText(text, "setup.json"));
  TemplateSource t;
  t.path = "template.yaml";
  t.text = text;
  t.regions = {"us-east-1", "eu-west-1"};
  Plan(LoadTemplates({t}));
  return 0;
}
