// formats.h: the JSON formats — turns JSON values into records: {"Records":[...]} files, bare arrays,
// single records and events, `aws logs filter-log-events` / `get-log-events` output, `aws cloudtrail
// lookup-events` output, CloudWatch Logs subscription payloads (DATA_MESSAGE, CONTROL_MESSAGE, the Lambda
// {"awslogs":{"data":...}} event, base64 of gzip), CloudTrail digest files (skipped).
//
// Contract: a value is told apart by its top-level keys (json_scan.h ObjectKeys), never by file names.
// Containers are split with simdjson On-Demand over the bytes in place (raw_json() slices, no copy); a
// CloudTrail record or EventBridge event becomes compact JSON (the slice itself when it already is, else a
// minified copy in reused scratch space). When a container does not parse, the records before the damage
// are still delivered: the array is walked again with the structural scanner from the last good element,
// each element validated by simdjson DOM, and the first break in the array syntax is reported once as
// kMalformedJson with its line and offset (what follows a break is not guessed at). A value cut off by the
// end of a truncated gzip stream is not reported again (kTruncatedGzip already says so).
#pragma once

#include <string_view>

#include "engine/input/context.h"
#include "engine/input/reader.h"

namespace trailwatch::engine::input {

// How a JSON value or unit ends.
enum class Cut {
  kNo,          // complete
  kBroken,      // it does not close where it should (a broken line, an unterminated document)
  kEndOfInput,  // the input ended inside it
};

// Handles the JSON values in `unit` (one or several, separated by whitespace or nothing: NDJSON line,
// pretty-printed document, Firehose's {...}{...}). `cut` says whether the last value is complete.
// `single_format` is the InputFormat of a value delivered whole (kNdjson for a line, kJsonDocument for a
// multi-line document). `depth` counts payloads decoded from inside payloads (bounded).
void HandleJsonUnit(FileContext& ctx, std::string_view unit, Window& win, Cut cut, InputFormat single_format,
                    int depth = 0);

// Handles exactly one JSON value `value` (an object or array whose extent is known).
void HandleJsonValue(FileContext& ctx, std::string_view value, Window& win, Cut cut, InputFormat single_format,
                     int depth = 0);

// Delivers one JSON record (object) found at `raw` with the given shape (compact JSON message).
bool EmitJsonRecord(FileContext& ctx, std::string_view raw, Window& win, RecordShape shape, InputFormat format,
                    uint32_t index = 0);

// Decodes `base64` (a subscription payload: base64 of gzip of JSON) and reads what it holds; everything in
// it is reported at position `at`. Returns false when it is not decodable (the caller reports it).
bool HandleEncodedPayload(FileContext& ctx, std::string_view base64, Position at, int depth);

}  // namespace trailwatch::engine::input
