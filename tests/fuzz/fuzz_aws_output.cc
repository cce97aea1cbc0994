// fuzz_aws_output.cc: libFuzzer target for the AWS CLI's renderings and its YAML reader (tools/aws_output).
// The input is read as --cli-input-yaml reads it: a document or an error with an exception name and aws's
// line, never a crash. Whatever it reads (or, when the input is JSON, that document) goes through every
// --output format: the text, YAML and table printers must terminate without crashing, and what FormatYaml
// prints must read back (ParseCliInputYaml) as the same document — the YAML it writes is YAML it reads.
#include <algorithm>
#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/fuzz/fuzz_util.h"
#include "tools/aws_output/table.h"
#include "tools/aws_output/text.h"
#include "tools/aws_output/yaml.h"

using namespace trailwatch;

namespace {

// Floats that YAML cannot give back exactly as JSON compares them (NaN is never equal to itself).
bool HasNan(const nlohmann::ordered_json& v) {
  if (v.is_number_float()) return std::isnan(v.get<double>());
  if (v.is_structured()) {
    for (const auto& c : v) {
      if (HasNan(c)) return true;
    }
  }
  return false;
}

int Depth(const nlohmann::ordered_json& v) {
  int d = 0;
  if (v.is_structured()) {
    for (const auto& c : v) d = std::max(d, Depth(c));
  }
  return d + 1;
}

void Render(const nlohmann::ordered_json& doc, const std::string& in) {
  (void)awsout::FormatText(doc);
  (void)awsout::FormatTable(doc, {"TestMetricFilter", 80, false});
  (void)awsout::FormatTable(doc, {"TestMetricFilter", 20, true});
  const std::string yaml = awsout::FormatYaml(doc);
  // (the reader's nesting limit is 1000 levels; keys compare sorted: YAML sorts them)
  if (doc.is_structured() && !HasNan(doc) && Depth(doc) < 500) {
    auto back = awsout::ParseCliInputYaml(yaml);
    if (!back.ok()) fuzz::Disagree("FormatYaml wrote YAML the reader refuses", yaml, back.error().message);
    if (nlohmann::json::parse(back.value().dump()) != nlohmann::json::parse(doc.dump())) {
      fuzz::Disagree("FormatYaml's YAML reads back differently", yaml, in);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > fuzz::kMaxInput) return 0;
  const std::string in(reinterpret_cast<const char*>(data), size);
  auto parsed = awsout::ParseCliInputYaml(in);
  if (parsed.ok()) {
    Render(parsed.value(), in);
  } else if (parsed.error().exception.empty() || parsed.error().aws_message.empty()) {
    fuzz::Disagree("a YAML error without an exception name and aws's line", in, parsed.error().message);
  }
  const nlohmann::ordered_json json = nlohmann::ordered_json::parse(in, nullptr, false);
  if (!json.is_discarded()) Render(json, in);
  return 0;
}
