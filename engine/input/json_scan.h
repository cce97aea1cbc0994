// json_scan.h: cheap structural scans of JSON text that need no parser — where a value ends (string-aware
// bracket depth, resumable across chunks of a stream), the top-level members of an object, what kind of
// record an object is, whether a record is already compact JSON, base64 decoding.
//
// Contract: these functions look at structure only (strings, brackets, separators); they do not validate
// numbers, literals or escapes — simdjson does that where it matters. They never read outside the view
// they are given and never allocate, except CompactJson()/Base64Decode() into the caller's scratch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/input/reader.h"

namespace trailwatch::engine::input {

inline bool IsJsonSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
std::string_view TrimJsonSpace(std::string_view s);
std::string_view TrimRightJsonSpace(std::string_view s);

// Finds where a JSON object or array ends, tracking bracket depth outside strings. Resumable: feed the
// value in pieces (a stream) and the state carries over. Start it on the opening '{' or '['.
class StructureScanner {
 public:
  void Reset() {
    depth_ = 0;
    in_string_ = false;
    escape_ = false;
  }
  // Scans [p, end). Returns the position just after the bracket that closes the value, or nullptr when the
  // value is still open at `end`.
  const char* Feed(const char* p, const char* end);
  bool in_string() const { return in_string_; }
  uint64_t depth() const { return depth_; }

 private:
  uint64_t depth_ = 0;
  bool in_string_ = false;
  bool escape_ = false;
};

// Returns the end of the JSON string starting at s[pos] == '"' (the position after its closing quote), or
// npos when it does not close inside s.
size_t SkipJsonString(std::string_view s, size_t pos);

// Returns the end of the JSON value starting at s[pos] (object, array, string or scalar), or npos when it
// does not end inside s. A scalar ends before the next separator, bracket or space.
size_t SkipJsonValue(std::string_view s, size_t pos);

// The members of a JSON object that matter to format detection, found by one structural pass.
struct ObjectKeys {
  bool ok = false;         // the object was scanned to its closing brace with valid member syntax
  size_t error_at = 0;     // when !ok: offset in the view where the syntax broke
  uint32_t members = 0;
  uint32_t other = 0;      // members not listed below
  // Containers
  std::string_view records;       // "Records": value
  std::string_view events;        // "events"
  std::string_view lookup_events; // "Events"
  std::string_view log_events;    // "logEvents"
  std::string_view message_type;  // "messageType"
  std::string_view log_group;     // "logGroup"
  std::string_view log_stream;    // "logStream"
  std::string_view awslogs;       // "awslogs"
  uint32_t paging = 0;            // nextToken, nextForwardToken, nextBackwardToken, searchedLogStreams, NextToken
  uint32_t subscription_meta = 0; // owner, subscriptionFilters, policyLevel
  // Record shapes
  bool event_version = false, event_name = false, event_source = false;
  bool detail_type = false, source = false, detail = false;
  // CloudTrail digest files
  bool digest = false;            // digestStartTime / digestEndTime / digestPublicKeyFingerprint
};

// Scans the object starting at s[0] == '{'. When an array value does not close inside s, its key is still
// noted (with the view to the end of s) before the scan fails, so a container cut off can be salvaged.
ObjectKeys ScanObjectKeys(std::string_view s);

// The shape of one JSON value, from its top-level keys (CloudTrail record: eventVersion, or eventName and
// eventSource; EventBridge event: detail-type, source and detail; any other JSON: kJson). A fast path
// recognises the canonical key order ({"eventVersion": / {"version":"0","id":...,"detail-type":) without a
// scan. A view that does not start with '{' or '[' is kText.
RecordShape ClassifyJson(std::string_view s);
RecordShape ShapeFromKeys(const ObjectKeys& k);

// Returns `raw` when it is already compact JSON (no whitespace outside strings), else its minified copy in
// `scratch`. Exact: a single-line value is examined only around its spaces (one word-at-a-time pass), and
// simdjson::minify runs only when a space sits next to a bracket or separator.
std::string_view CompactJson(std::string_view raw, std::string& scratch);
bool IsCompactJson(std::string_view raw, std::string& scratch);

// Decodes standard base64 (ignoring JSON escapes of '/' and line breaks) into `out`. Returns false on a
// character outside the alphabet or bad padding.
bool Base64Decode(std::string_view in, std::string& out);

// Unescapes the JSON string literal `quoted` (with its quotes) into `out`. Returns false when malformed.
bool UnescapeJsonString(std::string_view quoted, std::string& out);

}  // namespace trailwatch::engine::input
