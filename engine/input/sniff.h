// sniff.h: format detection that does not need a JSON parser — which paths hold no events, binary data,
// and the text line formats (CloudWatch Logs export lines, `aws logs tail` lines, base64 payloads).
//
// Contract: pure functions of their arguments (no I/O, no allocation). The JSON formats are told apart by
// their top-level keys (json_scan.h ObjectKeys) in formats.cc; the choice between JSON and text for a whole
// input is made by the splitter from its first non-blank line (splitter.h).
#pragma once

#include <cstdint>
#include <string_view>

namespace trailwatch::engine::input {

// Why a file is skipped from its path alone, or nullptr: CloudTrail digest, Insights and Lake folders
// (AWSLogs/<acct>/CloudTrail-Digest/..., CloudTrail-Insight/..., CloudTrail-Lake/...) and the
// `aws-logs-write-test` marker an export task writes.
const char* SkipReasonForPath(std::string_view path);

// Why decompressed content is not text or JSON, or nullptr: a zip, bzip2 or zstd signature, or a NUL byte in
// the first 4 KB of a text input (as grep decides). A JSON input (first non-blank byte '{' or '[') is never
// binary: a NUL in it breaks only the record that holds it.
const char* BinaryReason(std::string_view head);

// Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)" at the start of s. On success returns the
// length consumed and sets epoch milliseconds (fraction truncated to ms); returns 0 otherwise.
size_t ParseIsoTimestamp(std::string_view s, int64_t& epoch_ms);

// CloudWatch Logs export-to-S3 line: "<ISO-8601 UTC timestamp ending in Z> <message>".
bool ParseExportLine(std::string_view line, int64_t& epoch_ms, std::string_view& message);

// `aws logs tail` detailed line: "<ISO-8601 timestamp with +HH:MM offset> <log stream> <message>"; ANSI
// colour codes around the timestamp and the stream (--color on) are ignored.
bool ParseTailLine(std::string_view line, int64_t& epoch_ms, std::string_view& stream, std::string_view& message);

// A line that is base64 of gzip ("H4sI..."), e.g. a Kinesis record's Data from a subscription.
bool LooksLikeBase64Gzip(std::string_view line);

// For an export part file ".../<taskId>/<logStreamName>/000000.gz", the log stream name; else empty.
std::string_view ExportStreamFromPath(std::string_view path);

}  // namespace trailwatch::engine::input
