// cfn_document.h: the document tree the setup loader works on. A setup file or CloudFormation template,
// YAML or JSON, is read into one representation: YAML short-form intrinsics (`!Ref X`, `!GetAtt A.B`, ...)
// are rewritten to their long form ({"Ref": "X"}, {"Fn::GetAtt": "A.B"}), scalars keep their text, and
// every YAML node keeps its line and column for messages.
//
// Contract: ParseDocument() and ReadDocument() never throw (yaml-cpp and nlohmann exceptions become
// Diagnostics with the file's line:column) and bound the work: nesting deeper than kMaxDepth or more than
// kMaxNodes nodes (YAML aliases are expanded, so this stops "billion laughs") is an error. JSON is parsed
// by nlohmann (exact JSON: surrogate pairs, number spelling kept for floats); JSON nodes carry no position.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "patterns/common/diagnostic.h"

namespace trailwatch::engine::cfn {

inline constexpr int kMaxDepth = 64;
inline constexpr size_t kMaxNodes = 1'000'000;
inline constexpr size_t kMaxFileBytes = 16u << 20;

// 1-based line and column in the source file; 0 = unknown (JSON input, computed values).
struct Mark {
  uint32_t line = 0;
  uint32_t column = 0;
};

struct Value {
  enum class Kind {
    kNull,      // YAML null (~, null, empty) or JSON null
    kString,    // a quoted YAML scalar or a JSON string
    kPlain,     // a plain YAML scalar or a JSON number/boolean: its type is decided where it is used
    kSequence,  // children are the items
    kMap,       // children are the entries, each with its `key`, in document order, duplicates kept
    kNoValue,   // the result of {"Ref": "AWS::NoValue"}: removed from the enclosing map or list
  };
  Kind kind = Kind::kNull;
  std::string text;             // kString, kPlain
  std::string key;              // the key when this value is a map entry
  std::vector<Value> children;  // kSequence, kMap
  Mark mark;                    // where the value starts
  Mark key_mark;                // where its key starts, for a map entry (YAML only)

  static Value String(std::string s, Mark m = {});
  static Value Plain(std::string s, Mark m = {});
  // Where a map entry is best pointed at: its key, else its value.
  Mark EntryMark() const { return key_mark.line > 0 ? key_mark : mark; }
  bool IsScalar() const { return kind == Kind::kString || kind == Kind::kPlain; }
  bool IsMap() const { return kind == Kind::kMap; }
  bool IsSequence() const { return kind == Kind::kSequence; }
  bool IsAbsent() const { return kind == Kind::kNull || kind == Kind::kNoValue; }
  // The entry with that key (the last one if the key is repeated, as JSON parsers do); nullptr if none.
  const Value* Find(std::string_view k) const;
};

// kAuto: JSON when the path ends in ".json"; otherwise JSON when the first non-blank byte is '{' or '['
// (falling back to YAML, for YAML flow style, when that is not valid JSON); otherwise YAML.
enum class Syntax { kAuto, kYaml, kJson };

struct Document {
  std::string path;  // as given, for messages
  Value root;
};

Result<Document> ParseDocument(std::string_view text, const std::string& path, Syntax syntax = Syntax::kAuto);
Result<Document> ReadDocument(const std::string& path);  // kAuto

// A JSON text (e.g. an EventPattern given as a string) into a Value; errors name `path`.
Result<Value> ParseJsonValue(std::string_view text, const std::string& path);

// Compact JSON of a value: plain scalars become JSON numbers, booleans or null when they are spelled as
// such in JSON (YAML's True/TRUE/False/FALSE/Null/NULL/~ too), otherwise strings; keys keep their order.
std::string ToCompactJson(const Value& v);

// The JSON spelling of `s` as a string literal (quotes included).
std::string JsonQuote(std::string_view s);

// "path:line:column" (or "path" when the mark is unknown).
std::string Location(std::string_view path, Mark mark);

// A JSON pointer segment with '~' and '/' escaped.
std::string PointerSegment(std::string_view key);

// The loader's error: exception "ValidationError" (CloudFormation's), message "<location>: <text>",
// `pointer` the JSON pointer into the document, `source` the file path.
Diagnostic LoadError(std::string_view path, Mark mark, std::string pointer, std::string message,
                     std::string hint = {});

}  // namespace trailwatch::engine::cfn
