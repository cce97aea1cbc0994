// json_value.h: a small JSON tree that keeps what event matching needs and generic parsers drop.
//
// Contract: ParseJsonValue() builds a tree from JSON text with the JsonLexer: the text must be well-formed
// UTF-8 (FindInvalidUtf8), strings decoded, numbers kept as their spelling, object members in order with
// every duplicate kept (the event side treats each occurrence as a value, as a streaming reader sees them).
// Nesting is bounded by JsonLexer::kMaxDepth and the builder is iterative, so any input is safe. Used by the
// reference matcher and tests; the fast matcher reads events with simdjson instead.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace trailwatch::event {

struct JsonMember;

// The members are held through a struct declared here and defined below: std::pair<std::string, JsonValue>
// would need JsonValue complete where the vector's special members are first instantiated, which clang
// with libstdc++ 12 does inside JsonValue's own definition. A vector of an incomplete class is allowed.
struct JsonValue {
  enum Type { kNull, kTrue, kFalse, kNumber, kString, kArray, kObject } type = kNull;
  std::string text;  // string value (decoded) or number spelling
  std::vector<JsonValue> elements;
  std::vector<JsonMember> members;
};

struct JsonMember {
  std::string key;
  JsonValue value;
};

// Parses one JSON value (trailing whitespace allowed, nothing else). Returns false on error and sets *error.
bool ParseJsonValue(std::string_view text, JsonValue* out, std::string* error);

}  // namespace trailwatch::event
