// setup_robustness_test.cc: the loader never crashes, hangs or throws on damaged input. Every sample and
// fixture is truncated at many points and mutated with YAML/JSON/intrinsic syntax bytes (fixed seed), then
// loaded as a setup file and as a template; each load must return a Setup or a Diagnostic with a message.
// Meant for the sanitizer build (TRAILWATCH_SANITIZE=ON).
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "engine/replay/setup_loader.h"

namespace trailwatch::engine {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream o;
  o << in.rdbuf();
  return o.str();
}

void LoadBoth(const std::string& text, const std::string& name) {
  Result<engine::Setup> a = LoadSetupText(text, name);
  if (!a.ok()) EXPECT_FALSE(a.error().message.empty());
  TemplateSource src;
  src.path = name;
  src.text = text;
  src.regions = {"default"};
  Result<engine::Setup> b = LoadTemplates({src});
  if (!b.ok()) EXPECT_FALSE(b.error().message.empty());
}

class SetupRobustnessTest : public testing::TestWithParam<const char*> {};

TEST_P(SetupRobustnessTest, TruncationsAndMutations) {
  const std::string path = std::string(TW_SOURCE_DIR "/") + GetParam();
  const std::string text = Slurp(path);
  ASSERT_FALSE(text.empty()) << path;
  LoadBoth(text, path);
  const size_t step = std::max<size_t>(1, text.size() / 150);
  for (size_t n = 0; n < text.size(); n += step) LoadBoth(text.substr(0, n), path);
  std::mt19937 rng(20240614);
  const std::string bytes = std::string("{}[]:,!&*\"'\n -$|>#?%@`\\\t", 25) + std::string("\0\xff\xc3", 3);
  for (int i = 0; i < 150; ++i) {
    std::string m = text;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      size_t at = rng() % m.size();
      switch (rng() % 3) {
        case 0: m[at] = bytes[rng() % bytes.size()]; break;
        case 1: m.insert(at, 1, bytes[rng() % bytes.size()]); break;
        default: m.erase(at, 1 + rng() % 8); break;
      }
      if (m.empty()) m = "x";
    }
    LoadBoth(m, path);
  }
}

TEST(SetupRobustnessExtremeTest, DeepNestingAndLongInputs) {
  const std::string deep(100000, '[');
  for (const std::string& text : {deep, "Resources: " + deep, "{\"Resources\": " + deep, std::string(100000, '{'),
                                  "a: " + std::string(100000, '-'), "- " + std::string(50000, '!') + "Ref x",
                                  std::string(200000, 'x') + ":"}) {
    LoadBoth(text, "deep.yaml");
  }
  // A long Fn::Sub and a long Fn::Split are linear.
  std::string sub = "Resources:\n  G: {Type: AWS::Logs::LogGroup, Properties: {LogGroupName: !Sub '";
  for (int i = 0; i < 20000; ++i) sub += "${AWS::Region}${!x}";
  LoadBoth(sub + "'}}\n", "long.yaml");
}

INSTANTIATE_TEST_SUITE_P(Files, SetupRobustnessTest,
                         testing::Values("samples/console-login/setup.yaml",
                                         "samples/console-login/templates/central.yaml",
                                         "samples/console-login/templates/forwarding.yaml",
                                         "tests/data/setup/story.json", "tests/data/setup/story.yaml",
                                         "tests/data/setup/intrinsics.yaml", "tests/data/setup/intrinsics.json"),
                         [](const testing::TestParamInfo<const char*>& info) {
                           std::string name;
                           for (const char* p = info.param; *p; ++p) name += std::isalnum(*p) ? *p : '_';
                           return name;
                         });

}  // namespace
}  // namespace trailwatch::engine
