// fuzz_terraform.cc: libFuzzer target for the Terraform loader (engine/setup/terraform/). The bytes are loaded
// as the JSON of `terraform show -json`; loading must return a setup or an error — never crash, hang or
// exhaust memory (the document limits of cloudformation/document.h apply). A setup that loads is also
// compiled into a replay plan.
#include <string>
#include <vector>

#include "engine/routing/replay.h"
#include "engine/setup/terraform/terraform.h"
#include "tests/fuzz/fuzz_util.h"

using namespace trailwatch;
using namespace trailwatch::engine;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > fuzz::kMaxInput) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  Result<Setup> setup = LoadTerraformText(text, "plan.json");
  if (setup.ok()) {
    std::vector<ReplayError> errors;
    (void)Replay::Create(setup.value(), ReplayOptions(), &errors);
  }
  return 0;
}
