// source.h: byte sources for the input layer — padded buffers, memory-mapped files, whole-buffer gunzip
// (libdeflate, multi-member) and streaming gunzip (zlib) for pipes.
//
// Contract: every buffer produced here keeps kPadding readable bytes after its end, so simdjson can parse
// any slice of it in place (simdjson reads up to SIMDJSON_PADDING bytes past a document). Those bytes are
// zero: simdjson On-Demand reads the byte just past a document as its last token when the document is cut
// off, so stale bytes there (']' from data consumed earlier) would change what a broken document gives.
// Nothing here prints or throws; failures are values (a status and a message).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

struct libdeflate_decompressor;
struct z_stream_s;

namespace trailwatch::engine::input {

inline constexpr size_t kPadding = 64;  // == SIMDJSON_PADDING (checked in source.cc)

// A growable byte buffer that always has kPadding zero bytes after size(). Contents survive growth.
// From kMapFrom bytes on the storage is an anonymous mapping that grows in place (mremap): a large buffer
// is never copied and never held twice while it grows, so a buffer of N bytes costs N bytes of memory.
class PaddedBuffer {
 public:
  static constexpr size_t kMapFrom = size_t{1} << 20;

  PaddedBuffer() = default;
  ~PaddedBuffer();
  PaddedBuffer(const PaddedBuffer&) = delete;
  PaddedBuffer& operator=(const PaddedBuffer&) = delete;

  char* data() { return data_; }
  const char* data() const { return data_; }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  std::string_view view() const { return {data_, size_}; }

  // Makes room for at least n bytes (plus padding), keeping the contents; grows by half again at least,
  // but never beyond `max_capacity` (when n is within it). Returns false when out of memory.
  bool Reserve(size_t n, size_t max_capacity = SIZE_MAX);
  // Sets the size (growing the capacity as needed). Returns false when out of memory.
  bool Resize(size_t n);
  bool Append(const char* p, size_t n);
  void Clear();
  // Removes the first n bytes.
  void Consume(size_t n);
  // Gives memory back when the buffer is large and mostly unused (after a long line or document).
  void Trim();
  // Frees the storage.
  void Release();

 private:
  void ZeroPadding();
  char* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;  // usable bytes; the allocation is capacity_ + kPadding (or mapped_)
  size_t mapped_ = 0;    // length of the mapping when the storage is mapped, else 0
};

// The whole content of a regular file with kPadding readable bytes after its end: files from kMapFrom bytes
// on are memory-mapped read-only (a zero page is reserved behind the mapping); smaller ones, and files that
// cannot be mapped, are read into a buffer that is reused from one file to the next.
class FileBytes {
 public:
  static constexpr uint64_t kMapFrom = uint64_t{4} << 20;

  FileBytes() = default;
  ~FileBytes();
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;

  // Loads the regular file open on `fd` (not closed here). Returns an empty string on success, else the
  // error text (strerror).
  std::string Load(int fd, uint64_t size_hint);
  std::string_view view() const { return {data_, size_}; }

 private:
  void Release();
  const char* data_ = nullptr;
  size_t size_ = 0;
  void* map_ = nullptr;
  size_t map_len_ = 0;
  PaddedBuffer fallback_;
};

inline bool IsGzip(std::string_view b) {
  return b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0x1f && static_cast<unsigned char>(b[1]) == 0x8b;
}

// Outcome of decompressing a gzip file.
struct GunzipResult {
  bool complete = true;          // every member decoded and the input ended right after the last one
  uint64_t members = 0;          // members fully decoded
  uint64_t stopped_at = 0;       // compressed offset where decoding stopped when !complete
  std::string message;           // what went wrong when !complete
  bool limit_reached = false;    // !complete because the output would exceed max_out
};

// What Gunzipper::Decompress() does when the output would exceed max_out.
enum class OverLimit {
  kSalvage,  // decode up to the limit and stop there (the output holds everything up to it)
  kStop,     // stop at once (the output is to be discarded: the caller reads the file as a stream instead)
};

// Whole-buffer gunzip with libdeflate: decodes every member of `in` (Firehose objects are several members
// back to back) into `out` (replacing its contents). The output buffer is sized from the ISIZE trailer and
// grown when that is wrong. On a truncated or corrupt member, zlib decodes it again to find exactly how far
// the data is good: `out` then holds everything decoded before the damage, and the result says where it
// stopped. `max_out` bounds the output (a decompression bomb is reported, not followed), and the buffer
// never grows beyond it.
class Gunzipper {
 public:
  Gunzipper();
  ~Gunzipper();
  Gunzipper(const Gunzipper&) = delete;
  Gunzipper& operator=(const Gunzipper&) = delete;

  GunzipResult Decompress(std::string_view in, PaddedBuffer& out, uint64_t max_out,
                          OverLimit over = OverLimit::kSalvage);
  // The decompressed size the gzip trailer announces when it is plausible for a single member (else 0).
  static uint64_t SizeHint(std::string_view in);

 private:
  // zlib fallback for the member starting at in[pos]: appends what decodes to `out`.
  GunzipResult Salvage(std::string_view in, size_t pos, PaddedBuffer& out, uint64_t max_out, uint64_t members);
  libdeflate_decompressor* d_ = nullptr;
};

// Streaming gunzip (zlib) for pipes and for files too large to decompress whole: Feed() takes compressed
// bytes as they arrive and appends what they decode to `out`, at most `max_step` bytes per call (so the
// caller consumes them before more are made: memory does not grow with the compression ratio) and at most
// `max_total` bytes in all (decoding stops exactly there); members follow each other (multi-member).
// Finish() at end of input says whether the stream ended cleanly.
class StreamInflater {
 public:
  StreamInflater();
  ~StreamInflater();
  StreamInflater(const StreamInflater&) = delete;
  StreamInflater& operator=(const StreamInflater&) = delete;

  // Decodes from [p, p + n) and returns how many of those bytes it used: fewer than n when max_step bytes
  // were made (call again with the rest once they are consumed). With n == 0 it drains what zlib still
  // holds (see pending()). Once the data is corrupt or over max_total, failed() is true (error() says why;
  // error_offset() where, in compressed bytes) and later calls do nothing.
  size_t Feed(const char* p, size_t n, PaddedBuffer& out, uint64_t max_total, size_t max_step);
  // True when zlib may hold decoded output that the last Feed() had no room for.
  bool pending() const { return pending_ && !failed_; }
  // True when the input ended at a member boundary.
  bool Finish() const { return !failed_ && !in_member_; }
  bool failed() const { return failed_; }
  bool limit_reached() const { return limit_reached_; }
  const std::string& error() const { return error_; }
  // Why the stream is not a complete gzip stream, worded as Gunzipper::Decompress() words it: error(), or
  // "unexpected end of gzip stream (member N, B bytes decoded)".
  std::string Problem() const;
  uint64_t error_offset() const;
  uint64_t consumed() const { return consumed_; }

 private:
  std::unique_ptr<z_stream_s> z_;
  bool initialized_ = false;
  bool in_member_ = false;  // inside a member (started, not ended)
  bool failed_ = false;
  bool limit_reached_ = false;
  bool pending_ = false;
  std::string error_;
  uint64_t consumed_ = 0;
  uint64_t error_offset_ = 0;
  uint64_t produced_ = 0;
  uint64_t members_ = 0;  // members decoded completely
  uint64_t member_start_ = 0;  // compressed offset where the current member began
  std::string Where() const;  // " (member N, B bytes decoded)"
  void Fail(std::string why);
  bool CutMagic() const;  // the input ended one byte into what would be the next member
};

}  // namespace trailwatch::engine::input
