// reader.h: every input format users feed trailwatch, detected automatically, turned into log records.
//
// Contract: ReadInputs() reads files, directories (recursively, in sorted order) and "-" (stdin), detects
// each input's format from its bytes (gzip is decompressed first, multi-member included; see the sniffing
// table in README "Input formats"), and pushes one InputRecord per log message to a RecordSink, in input
// order. A record's `message` is what CloudWatch Logs would hold: for a CloudTrail record, the record as
// compact JSON (as CloudTrail delivers it to CloudWatch Logs); for an EventBridge event, the event JSON; for
// a log line, the line without its end-of-line. Bad input never stops the reading and is never dropped
// silently: each malformed record, non-JSON line in a JSON stream, truncated gzip or oversize event is
// reported to the sink as an InputProblem with its file and line or byte offset, and counted in InputStats.
// The views in an InputRecord are valid only during the OnRecord() call.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>


namespace trailwatch::engine {

// What a record is, as far as its format tells.
enum class RecordShape {
  kText,              // a plain log line
  kCloudTrailRecord,  // one CloudTrail record (eventVersion, eventName, ...)
  kEventBridgeEvent,  // an EventBridge event envelope (version, id, detail-type, source, ..., detail)
  kJson,              // any other JSON value (e.g. an application's JSON log line)
};

// Where the input format said the message came from, when it says so.
enum class InputFormat {
  kCloudTrailFile,        // {"Records":[...]} (S3 delivery, console download), plain or .json.gz
  kJsonArray,             // [ {...}, ... ] of records or events
  kNdjson,                // one JSON value per line
  kFilterLogEvents,       // `aws logs filter-log-events` / `get-log-events` output
  kLookupEvents,          // `aws cloudtrail lookup-events` output (CloudTrailEvent strings)
  kSubscription,          // CloudWatch Logs subscription payload (DATA_MESSAGE), raw, base64 or Lambda event
  kCwlExport,             // CloudWatch Logs export-to-S3 lines "<ISO-8601 timestamp> <message>"
  kLogsTail,              // `aws logs tail` detailed text lines "<timestamp> <stream> <message>"
  kText,                  // plain text lines
  kJsonDocument,          // one or more JSON documents spanning lines (pretty-printed), or concatenated
};
const char* InputFormatName(InputFormat f);

struct InputRecord {
  std::string_view message;
  RecordShape shape = RecordShape::kText;
  InputFormat format = InputFormat::kText;
  int64_t timestamp_ms = -1;     // CloudWatch Logs ingestion time when the format carries one, else -1
  std::string_view log_group;    // when the format names it (filter-log-events has none; subscription does)
  std::string_view log_stream;
  std::string_view file;         // input path, "-" for stdin; inside an archive: "path.gz"
  uint64_t line = 0;             // 1-based line of the (decompressed) input where the record starts; 0 if n/a
  uint64_t offset = 0;           // byte offset of the record in the (decompressed) input
  uint32_t index = 0;            // 0-based position inside its container (Records[i], events[i]); 0 otherwise
};

enum class ProblemKind {
  kUnreadable,      // cannot open or read the file (I/O error)
  kTruncatedGzip,   // gzip stream ends early or is corrupt: what was decoded before is still read
  kMalformedJson,   // a JSON document or line that does not parse
  kMalformedRecord, // parses, but is not what its container requires (e.g. a Records element that is no object)
  kOversizeEvent,   // a message over 256 KB (CloudWatch Logs and EventBridge refuse those)
  kSkippedFile,     // a file that holds no events: CloudTrail digest or Insights file, a directory marker
  kBinaryFile,      // a file that is not text or JSON (zip, bzip2, zstd, NUL bytes in a text file): not read
  kNotRead,         // a path met again through a link (each file and directory is read once), or a FIFO,
                    // socket or device inside a directory (only read when named explicitly)
  kNotEvaluated,    // not reported by the reader, but by the evaluators' callers (grep, replay): a delivered
                    // record whose JSON a pattern needed could not be parsed (nested too deeply, invalid
                    // UTF-8, broken inside); JSON patterns do not match it (CloudWatch Logs reads it as text).
                    // Counted as a record, not as malformed.
};
const char* ProblemKindName(ProblemKind k);

struct InputProblem {
  ProblemKind kind = ProblemKind::kMalformedJson;
  std::string file;
  uint64_t line = 0;     // 1-based, 0 when unknown
  uint64_t offset = 0;   // byte offset in the (decompressed) input; for kTruncatedGzip, in the compressed input
  std::string message;   // what is wrong, e.g. "TAPE_ERROR: ..." or "unexpected end of gzip stream"
};

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // Return false to stop reading (e.g. grep -m, or a broken pipe).
  virtual bool OnRecord(const InputRecord& record) = 0;
  virtual void OnProblem(const InputProblem& problem) = 0;
};

struct ReaderOptions {
  // Expand {"Records":[...]} and other containers into one record per element (true), or pass each line /
  // document through as one message (false).
  bool expand_containers = true;
  // Deliver each line of a non-regular input (pipe, terminal) as soon as it is complete, for `tail -f |`.
  bool streaming = true;
  // Load and decompress the next regular files on a worker thread while the current one is read (at most
  // kPrefetchFiles files in memory, engine/input/loader.h). Records and problems are always delivered on the
  // calling thread, in order.
  bool prefetch = true;
  // Regular files from this size on are read in 4 MiB windows rather than whole (and not prefetched), so
  // memory stays flat however large a file is; a gzip file smaller than this is decompressed whole only
  // when its decompressed content is smaller than this too, and the process's decode budget (256 MiB for
  // every thread together, engine/input/loader.h) allows it, else it is read in windows as well.
  // (0: the whole-file fast path off, engine/fast_paths.h.)
  uint64_t windowed_from = uint64_t{64} << 20;
  // Largest message accepted; larger ones are reported as kOversizeEvent and not delivered.
  size_t max_event_bytes = 256 * 1024;
  // Largest amount of data decompressed from one gzip file (a guard against decompression bombs); decoding
  // stops exactly there and the rest is reported as kTruncatedGzip.
  uint64_t max_decompressed_bytes = uint64_t{8} << 30;
  // Largest JSON document or line held while reading a stream (the bounded window); a larger one is
  // reported as kOversizeEvent and skipped without being held.
  size_t max_document_bytes = size_t{1} << 30;
  // Largest line of a text input held while reading a stream: a text line is one log event (at most
  // max_event_bytes) or one base64 payload (a Kinesis or Firehose record: at most 1 MB), so longer ones are
  // skipped as kOversizeEvent without being held.
  size_t max_line_bytes = size_t{16} << 20;
  // Largest decompressed size of one payload decoded from inside the input (the base64 of gzip of a
  // CloudWatch Logs subscription: Kinesis records and Firehose records hold at most 1 MB, a Lambda event
  // 6 MB); what decodes up to it is read, the rest is reported as kTruncatedGzip.
  uint64_t max_payload_bytes = uint64_t{16} << 20;
};

struct FileStats {
  std::string file;
  InputFormat format = InputFormat::kText;
  uint64_t bytes = 0;      // bytes read after decompression
  uint64_t records = 0;    // records delivered
  uint64_t malformed = 0;  // problems of kind kMalformedJson / kMalformedRecord / kTruncatedGzip / kOversizeEvent
  uint64_t skipped = 0;    // records or files skipped (digest files, CONTROL_MESSAGE, binary files, aliases, ...)
  uint64_t problems = 0;   // problems reported for this file (all kinds)
};

struct InputStats {
  uint64_t files = 0;
  uint64_t bytes = 0;
  uint64_t records = 0;
  uint64_t malformed = 0;
  uint64_t skipped = 0;
  uint64_t unreadable = 0;
  std::vector<FileStats> by_file;
};

// One input of a read, as PlanInputs() lists them: something to read, or a path that is reported without
// being read (its problem kind follows from `kind`, the message is `why`).
struct PlannedInput {
  enum class Kind {
    kFile,        // a regular file read whole (and prefetched)
    kLargeFile,   // a regular file from ReaderOptions::windowed_from bytes on: read in windows
    kStream,      // a pipe, terminal, socket or device named explicitly: read as it arrives
    kStdin,       // "-"
    kUnreadable,  // reported as kUnreadable
    kSkip,        // reported as kSkippedFile (digest, Insights, Lake, export marker: by path)
    kNotRead,     // reported as kNotRead (a link to what is already listed; a FIFO, socket or device inside a
                  // directory)
  };
  Kind kind = Kind::kFile;
  std::string path;
  std::string why;
  uint64_t size = 0;  // regular files: bytes on disk
};

// Lists what `paths` hold, in reading order: "-" is stdin; a directory is walked recursively in byte order
// following symlinks; every file and directory is listed once, by device and inode, however many links or
// repeated paths lead to it (the others are kNotRead aliases naming the first path). Regular files from
// `windowed_from` bytes on are kLargeFile.
std::vector<PlannedInput> PlanInputs(const std::vector<std::string>& paths,
                                     uint64_t windowed_from = ReaderOptions().windowed_from);

// Reads every path in order (PlanInputs(), then each input).
InputStats ReadInputs(const std::vector<std::string>& paths, const ReaderOptions& options, RecordSink& sink);

// Bytes readable after the end of a buffer handed to ReadMemory(..., padded=true).
inline constexpr size_t kReadMemoryPadding = 64;

// Reads `data` as the whole content of one regular file named `name` (format detection, gzip and
// everything else as ReadInputs does for a file). When `padded` is true the caller guarantees that
// kReadMemoryPadding bytes after data.end() are readable and zero (simdjson reads the byte past a cut-off
// document as a token), which saves a copy.
InputStats ReadMemory(std::string_view name, std::string_view data, const ReaderOptions& options,
                      RecordSink& sink, bool padded = false);

// A reader that keeps its parsers and buffers from one call to the next (use one per thread): reading many
// inputs through one InputReader allocates only when an input is bigger than every one before it.
// ReadInputs() and ReadMemory() use a temporary one.
class InputReader {
 public:
  explicit InputReader(const ReaderOptions& options = ReaderOptions());
  ~InputReader();
  InputReader(const InputReader&) = delete;
  InputReader& operator=(const InputReader&) = delete;

  InputStats Read(const std::vector<std::string>& paths, RecordSink& sink);
  // Reads inputs listed by PlanInputs() (a share of them, e.g. one thread's part of a replay).
  InputStats Read(const std::vector<PlannedInput>& inputs, RecordSink& sink);
  InputStats ReadMemory(std::string_view name, std::string_view data, RecordSink& sink, bool padded = false);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace trailwatch::engine
