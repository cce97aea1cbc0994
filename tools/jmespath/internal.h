// internal.h (private to tools/jmespath): the syntax tree, the error the parser and the evaluator throw
// inside the library (Compile() and Search() turn it into a Diagnostic), and Python's renderings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/jmespath/jmespath.h"

namespace trailwatch::jmespath {

struct Node {
  enum class K {
    kField, kSubexpression, kIndexExpression, kIndex, kSlice, kProjection, kValueProjection, kFilterProjection,
    kFlatten, kIdentity, kCurrent, kLiteral, kMultiList, kMultiHash, kKeyVal, kOr, kAnd, kNot, kComparator,
    kPipe, kFunction, kExpref,
  };
  K kind = K::kIdentity;
  std::string name;  // field, function, key of a key-value pair, comparator (eq, ne, lt, lte, gt, gte)
  Json literal;
  int64_t index = 0;
  std::optional<int64_t> slice[3];
  std::vector<Node> children;
};

// What Python raises: its class name, its text, the column (code points) where known.
struct Error {
  std::string exception;
  std::string message;
  size_t column = 0;
};

Node ParseExpression(const std::string& text);                 // throws Error
Json Evaluate(const Node& node, const Json& value);             // throws Error
std::string DumpNode(const Node& node, int indent);

size_t CodePoints(std::string_view s);
std::string ReplaceAll(std::string s, std::string_view from, std::string_view to);
// json.loads() as Python reads JSON text (NaN, Infinity and -Infinity included).
bool ParsePythonJson(const std::string& text, Json* out);

}  // namespace trailwatch::jmespath
