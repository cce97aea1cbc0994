// document.h: the document tree the setup loader works on. A setup file or CloudFormation template,
// YAML or JSON, is read into one representation: YAML short-form intrinsics (`!Ref X`, `!GetAtt A.B`, ...)
// are rewritten to their long form ({"Ref": "X"}, {"Fn::GetAtt": "A.B"}), scalars keep their text, and
// every YAML node keeps its line and column for messages.
//
// Contract: ParseDocument() and ReadDocument() never throw (yaml-cpp and nlohmann exceptions become
// Diagnostics with the file's line:column) and bound the work and the memory, whatever the input:
//   - a document is at most kMaxFileBytes;
//   - nesting deeper than kMaxDepth (root = 0) is an error at the first node too deep, with line:column
//     and pointer. YAML flow collections are pre-scanned (iteratively) first, so yaml-cpp, whose parser
//     recurses and whose scanner buffers a flow collection that could be a key until it closes, never
//     sees one nested deeper than kMaxDepth + 1 or one such collection of over kMaxFlowKeyTokens tokens;
//   - more than kMaxNodes nodes (YAML aliases expanded) is an error;
//   - a Budget (kMaxExpandedBytes per document) is charged for every node before it is made: the tree,
//     each YAML alias expansion, and later (intrinsics, resources, the stack loader) every intrinsic
//     function result, JSON text and per-Region copy. Going over it is an error at the node that would.
// A limit stops reading at once; other YAML errors (unknown tag, a key that is not a string) are reported
// once the whole document has been read, so a later syntax error wins over them (as with YAML::Load). JSON
// is parsed by nlohmann (exact JSON: surrogate pairs, number spelling kept for floats); JSON nodes carry
// no position (the nesting error computes its own).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "patterns/common/diagnostic.h"

namespace trailwatch::engine::cfn {

// The limits, per document.
inline constexpr size_t kMaxFileBytes = 16u << 20;       // the text
inline constexpr int kMaxDepth = 64;                     // nodes nested in 64 others at most
inline constexpr size_t kMaxNodes = 1'000'000;           // nodes read, YAML aliases expanded
inline constexpr size_t kMaxExpandedBytes = 128u << 20;  // Budget: bytes materialized (see Budget)
inline constexpr size_t kMaxFlowKeyTokens = 1u << 19;    // in a YAML flow collection that may be a key

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

// What one node costs the Budget besides its text and key: the node itself (112 bytes with libstdc++).
inline constexpr size_t kNodeBytes = sizeof(Value);

// The bytes one document may make the loader materialize. Every node made counts kNodeBytes plus the
// bytes of its text and key; every other text made (a JSON text, a name, a resource's copy) its bytes.
// Counted once per copy, whether or not it is freed later, and charged before the copy is made: a
// document that would go over fails without allocating. 128 MiB: the largest alias-free document the
// other limits admit (16 MiB of text, 1,000,000 nodes) converts to 16 MiB + 112 MB, just under it; and a
// template at CloudFormation's own limits (500 resources, 1 MB) deployed to the 17 default Regions takes
// about 50 MB (Issue9Test.F3BudgetFitsTheLargestTemplates).
class Budget {
 public:
  Budget() = default;
  explicit Budget(size_t limit) : limit_(limit) {}
  // Takes `bytes`; false (nothing taken, exhausted() from now on) when that would go over the limit.
  [[nodiscard]] bool Take(size_t bytes) {
    if (bytes > limit_ - used_) {
      exhausted_ = true;
      return false;
    }
    used_ += bytes;
    return true;
  }
  size_t used() const { return used_; }
  size_t limit() const { return limit_; }
  bool exhausted() const { return exhausted_; }

 private:
  size_t limit_ = kMaxExpandedBytes;
  size_t used_ = 0;
  bool exhausted_ = false;
};

// What a copy of `v` costs: kNodeBytes, text and key of each node below it, and v's own text (not its key,
// which the copy's owner sets). Stops counting once past `cap` (the answer is then > cap).
size_t CopyBytes(const Value& v, size_t cap = SIZE_MAX);

// The error for a document over its Budget, at `mark` (the node that would have gone over) and `pointer`.
Diagnostic BudgetError(std::string_view path, Mark mark, std::string pointer);

// kAuto: JSON when the path ends in ".json"; otherwise JSON when the first non-blank byte is '{' or '['
// (falling back to YAML, for YAML flow style, when that is not valid JSON); otherwise YAML.
enum class Syntax { kAuto, kYaml, kJson };

struct Document {
  std::string path;  // as given, for messages
  Value root;
  Budget budget;     // what reading took; the loader charges its copies to the rest
};

Result<Document> ParseDocument(std::string_view text, const std::string& path, Syntax syntax = Syntax::kAuto);
Result<Document> ReadDocument(const std::string& path);  // kAuto

// A JSON text (e.g. an EventPattern given as a string) into a Value, charged to `budget` (when it runs
// out, the error is a parse error and budget.exhausted() tells); errors name `path`.
Result<Value> ParseJsonValue(std::string_view text, const std::string& path, Budget& budget);

// Compact JSON of a value: plain scalars become JSON numbers, booleans or null when they are spelled as
// such in JSON (YAML's True/TRUE/False/FALSE/Null/NULL/~ too), otherwise strings; keys keep their order.
// CompactJsonSize() is its length, computed without building it (to charge a Budget first).
std::string ToCompactJson(const Value& v);
size_t CompactJsonSize(const Value& v);

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
