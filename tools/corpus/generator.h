// generator.h: a realistic, deterministic CloudTrail corpus of any size, and its expected benchmark counts.
//
// Contract: GenerateCorpus() writes, into options.out_dir, the same sequence of CloudTrail records in up to
// three forms — `records.ndjson` (one compact record per line), the S3 layout of a multi-Region trail
// (`AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_<YYYYMMDDTHHMM>Z_<16>.json.gz`,
// one `{"Records":[...]}` file per Region and delivery window), and `eventbridge.ndjson` (each record wrapped
// by engine::WrapCloudTrailRecord, as EventBridge delivers it) — plus `expected.json` (ExpectedJson()) and
// `rules16.json` (the EventBridge benchmark rules). Output depends only on the options (same options, same
// bytes); which forms are written never changes the records. Existing outputs are replaced only in a
// directory the generator wrote before (its expected.json names it); otherwise GenerateCorpus refuses.
//
// Records follow the real S3-delivered records' statistics (shared/data/cloudtrail/stats.json): eventName mix
// and eventSource per name, bodies, sizes, nesting, identity types, errorCode rate and codes per name,
// readOnly, userAgents, TLS details, CloudTrail's key order; eventTime increases with jitter (so records in a
// file are not sorted). Background records never use the names the benchmark filters watch; at `match_rate`
// per record, a "security event" is injected instead: console sign-ins (IAM users with and without MFA,
// failed authentication, unknown users, root, federated roles; Regions as AWS records them: root in
// us-east-1, IAM users in us-east-1, in us-east-2/eu-north-1/ap-southeast-2 with an account-alias cookie or in
// the Region of a Regional endpoint), root API usage, and the changes each CIS control watches.
// Errors are returned as text; nothing throws.
#pragma once

#include <cstdint>
#include <string>

#include "tools/corpus/expected.h"

namespace trailwatch::corpus {

struct CorpusOptions {
  uint64_t seed = 1;
  uint64_t target_bytes = 0;   // stop once records.ndjson holds this many bytes (when records == 0)
  uint64_t records = 0;        // exact number of records (takes precedence)
  std::string account = "123456789012";
  int64_t start = 1717200000;  // 2024-06-01T00:00:00Z
  int64_t duration = 12 * 3600;  // seconds the records span (approximate with target_bytes)
  double match_rate = 0.005;   // share of records that are injected security events
  int delivery_minutes = 5;    // one S3 file per Region per window of this length
  int gzip_level = 6;
  bool write_ndjson = true, write_s3 = true, write_eventbridge = true;
  std::string out_dir;
};

struct CorpusSummary {
  ExpectedCounts expected;
  uint64_t ndjson_bytes = 0, eventbridge_bytes = 0, s3_files = 0, s3_bytes = 0;
  int64_t first_time = 0, last_time = 0;
};

// Writes the corpus. False with a message on an I/O error or invalid options.
bool GenerateCorpus(const CorpusOptions& options, CorpusSummary* summary, std::string* error);

// The content of expected.json: options, sizes, and per filter / rule the exact expected counts.
std::string ExpectedJson(const CorpusOptions& options, const CorpusSummary& summary);

// CLI value parsers. False when the text is malformed.
bool ParseSize(const std::string& text, uint64_t* bytes);        // "1GB", "100MB", "64KiB", "12345" (K/M/G = 1024^n)
bool ParseDuration(const std::string& text, int64_t* seconds);   // "12h", "30m", "2d", "90s", "3600"
bool ParseTime(const std::string& text, int64_t* unix_seconds);  // "2024-06-01T00:00:00Z" or "2024-06-01"
std::string FormatTime(int64_t unix_seconds);                    // "2024-06-01T00:00:00Z"

}  // namespace trailwatch::corpus
