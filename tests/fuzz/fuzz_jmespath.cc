// fuzz_jmespath.cc: libFuzzer target for JMESPath (tools/jmespath, the CLI's --query). The first line is the
// expression, the rest a JSON document (a fixed one when the rest is not JSON). Compiling must give an
// Expression or an error with Python's exception name and text; searching must give a value or such an
// error, the same twice over — never crash, hang or recurse without bound.
#include <string>

#include "tests/fuzz/fuzz_util.h"
#include "tools/jmespath/jmespath.h"

using namespace trailwatch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > fuzz::kMaxInput) return 0;
  const std::string in(reinterpret_cast<const char*>(data), size);
  const size_t nl = in.find('\n');
  const std::string expression = in.substr(0, nl);
  jmespath::Json document = nl == std::string::npos ? jmespath::Json() : jmespath::Json::parse(in.substr(nl + 1), nullptr, false);
  if (document.is_discarded() || nl == std::string::npos) {
    document = jmespath::Json::parse(R"({"a":[1,2.5,"x",null,true,{"b":[{"c":1}]}],"b":{"c":"d"},"e":[]})");
  }
  auto e = jmespath::Expression::Compile(expression);
  if (!e.ok()) {
    if (e.error().exception.empty() || e.error().aws_message.empty()) {
      fuzz::Disagree("a compile error without Python's exception and text", expression, e.error().message);
    }
    return 0;
  }
  auto first = e->Search(document);
  auto second = e->Search(document);
  if (first.ok() != second.ok() || (first.ok() && first.value() != second.value())) {
    fuzz::Disagree("two searches of one expression differ", expression, in);
  }
  if (!first.ok() && (first.error().exception.empty() || first.error().aws_message.empty())) {
    fuzz::Disagree("a search error without Python's exception and text", expression, first.error().message);
  }
  (void)e->Dump();
  return 0;
}
