// engine.cc: a setup file loaded and inputs replayed with trailwatch::engine, as the CLI does; prints the
// result document (the install test compares its metrics and alarms with `trailwatch replay`'s).
// Usage: consumer_engine SETUP INPUT...
#include <cstdio>
#include <string>
#include <vector>

#include "engine/routing/replay.h"
#include "engine/setup/sources.h"

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  trailwatch::engine::SetupSources sources;
  sources.setup_file = argv[1];
  auto setup = trailwatch::engine::LoadSetup(sources);
  if (!setup.ok()) {
    std::fprintf(stderr, "%s\n", setup.error().message.c_str());
    return 1;
  }
  std::vector<trailwatch::engine::ReplayError> errors;
  auto replay = trailwatch::engine::Replay::Create(setup.value(), {}, &errors);
  if (!replay.ok() || !errors.empty()) return 1;
  const nlohmann::ordered_json result =
      trailwatch::engine::ToJson(replay.value()->Run(std::vector<std::string>(argv + 2, argv + argc)));
  std::printf("%s\n", result.dump(2).c_str());
  return 0;
}
