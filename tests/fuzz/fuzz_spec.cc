// fuzz_spec.cc: libFuzzer target for the test files of `trailwatch test` (tools/testing/spec.h). The bytes
// are read as a test file; reading must return a checked TestFile or an error whose message starts with
// "file:" (its position) — never crash, hang or exhaust memory. A file that reads is run, but for replay
// tests whose inputs are paths (a fuzzed `input: [/]` would replay the machine's disk): filter, rule,
// invalid-pattern and inline replay tests run with the product's engine.
#include <string>
#include <string_view>

#include "tests/fuzz/fuzz_util.h"
#include "tools/testing/runner.h"
#include "tools/testing/spec.h"

using namespace trailwatch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > fuzz::kMaxInput) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  Result<spec::TestFile> file = spec::ParseTestFile(text, "fuzz-nowhere/spec.tw.yaml");
  if (!file.ok()) {
    const std::string& m = file.error().message;
    if (m.rfind("fuzz-nowhere/spec.tw.yaml", 0) != 0 && m.find("fuzz-nowhere") == std::string::npos) {
      fuzz::Disagree("a spec error that does not name the file", text, m);
    }
    return 0;
  }
  spec::TestFile& f = file.value();
  std::erase_if(f.tests, [](const spec::TestCase& c) {
    if (c.kind != spec::TestCase::Kind::kReplay) return false;
    for (const spec::InputItem& in : c.inputs) {
      if (!in.path.empty()) return true;
    }
    return false;
  });
  (void)spec::RunTestFile(f, spec::RunOptions{});
  return 0;
}
