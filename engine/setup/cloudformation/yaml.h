// yaml.h: YAML text -> the loader's Value tree (document.h), with every limit of a document.
//
// Contract: ReadYaml() never throws and bounds time, stack and memory whatever the input:
//   1. ScanYamlFlow() pre-scans the text, iteratively, for what yaml-cpp cannot be trusted with: flow
//      collections ([...], {...}) nested deeper than kMaxDepth + 1 (yaml-cpp's parser recurses, and its
//      scanner reads a flow collection that could be a key whole before the parser sees any of it) and
//      such collections of more than kMaxFlowKeyTokens tokens (that scanner keeps ~130 bytes per token).
//      A too-deep collection is cut out (a plain scalar left in its place, its line breaks kept, so the
//      marks before it and the lines after it are unchanged) and the node reading stops at it with the
//      ordinary nesting error; a too-long one is an error at its start.
//   2. yaml-cpp's event parser (not YAML::Load, whose node graph costs ~480 bytes per node before any
//      limit can be checked) feeds a builder that makes each Value itself: short-form tags become long
//      forms, marks become 1-based line:column (yaml-cpp counts columns in bytes), YAML aliases are
//      expanded by copying their anchor's value. Before each node is made it checks nesting
//      (kMaxDepth), the node count (kMaxNodes) and charges the Budget, and stops at once, with
//      line:column and JSON pointer, when one would be exceeded (yaml-cpp then never recurses more than
//      kMaxDepth + 2 levels). An unknown tag or a key that is not a string is reported only once the
//      document has been read, so that a later syntax error wins, as with YAML::Load.
// Only the first document of a stream is read (as YAML::Load does).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "engine/setup/cloudformation/document.h"

namespace trailwatch::engine::cfn {

// What the pre-scan found, as byte offsets into the text (npos: nothing).
struct FlowScan {
  static constexpr size_t npos = std::string_view::npos;
  size_t deep = npos;      // the first flow bracket nested deeper than kMaxDepth + 1 ...
  size_t deep_end = npos;  // ... and the offset just past its closing bracket (text size if unclosed)
  size_t long_key = npos;  // the first flow collection that may be a key and has over kMaxFlowKeyTokens
  bool unclosed = false;   // the document ends inside a flow collection
};

FlowScan ScanYamlFlow(std::string_view text);

// The YAML text of `path` into a Value, charging `budget`. `*limit` (when given) tells whether an error
// is a limit's (nesting, nodes, Budget, a long potential key) rather than the text's.
Result<Value> ReadYaml(std::string_view text, const std::string& path, Budget& budget, bool* limit = nullptr);

}  // namespace trailwatch::engine::cfn
