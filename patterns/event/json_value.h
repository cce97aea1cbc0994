// json_value.h: a small JSON tree that keeps what event matching needs and generic parsers drop.
//
// Contract: ParseJsonValue() builds a tree from JSON text with the JsonLexer: strings decoded, numbers kept as
// their spelling, object members in order with every duplicate kept (the event side treats each occurrence as
// a value, as a streaming reader sees them). Nesting is bounded by JsonLexer::kMaxDepth and the builder is
// iterative, so any input is safe. Used by the reference matcher and tests; the fast matcher reads events
// with simdjson instead.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trailwatch::event {

struct JsonValue {
  enum Type { kNull, kTrue, kFalse, kNumber, kString, kArray, kObject } type = kNull;
  std::string text;  // string value (decoded) or number spelling
  std::vector<JsonValue> elements;
  std::vector<std::pair<std::string, JsonValue>> members;
};

// Parses one JSON value (trailing whitespace allowed, nothing else). Returns false on error and sets *error.
bool ParseJsonValue(std::string_view text, JsonValue* out, std::string* error);

}  // namespace trailwatch::event
