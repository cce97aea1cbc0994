// source.h: byte sources for the input layer — padded buffers, memory-mapped files, whole-buffer gunzip
// (libdeflate, multi-member) and streaming gunzip (zlib) for pipes.
//
// Contract: every buffer produced here keeps kPadding readable bytes after its end, so simdjson can parse
// any slice of it in place (simdjson reads up to SIMDJSON_PADDING bytes past a document; their values do
// not matter). Nothing here prints or throws; failures are values (a status and a message).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct libdeflate_decompressor;
struct z_stream_s;

namespace trailwatch::engine::input {

inline constexpr size_t kPadding = 64;  // == SIMDJSON_PADDING (checked in source.cc)

// A growable byte buffer that always has kPadding readable bytes after size(). Contents survive growth.
class PaddedBuffer {
 public:
  PaddedBuffer() = default;
  PaddedBuffer(const PaddedBuffer&) = delete;
  PaddedBuffer& operator=(const PaddedBuffer&) = delete;

  char* data() { return data_.get(); }
  const char* data() const { return data_.get(); }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  std::string_view view() const { return {data_.get(), size_}; }

  // Makes room for at least n bytes (plus padding), keeping the contents. Returns false when out of memory.
  bool Reserve(size_t n);
  // Sets the size (growing the capacity as needed). Returns false when out of memory.
  bool Resize(size_t n);
  bool Append(const char* p, size_t n);
  void Clear() { size_ = 0; }
  // Removes the first n bytes.
  void Consume(size_t n);

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;  // usable bytes; the allocation is capacity_ + kPadding
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
};

// Whole-buffer gunzip with libdeflate: decodes every member of `in` (Firehose objects are several members
// back to back) into `out` (replacing its contents). The output buffer is sized from the ISIZE trailer and
// grown when that is wrong. On a truncated or corrupt member, zlib decodes it again to find exactly how far
// the data is good: `out` then holds everything decoded before the damage, and the result says where it
// stopped. `max_out` bounds the output (a decompression bomb is reported, not followed).
class Gunzipper {
 public:
  Gunzipper();
  ~Gunzipper();
  Gunzipper(const Gunzipper&) = delete;
  Gunzipper& operator=(const Gunzipper&) = delete;

  GunzipResult Decompress(std::string_view in, PaddedBuffer& out, uint64_t max_out);

 private:
  // zlib fallback for the member starting at in[pos]: appends what decodes to `out`.
  GunzipResult Salvage(std::string_view in, size_t pos, PaddedBuffer& out, uint64_t max_out, uint64_t members);
  libdeflate_decompressor* d_ = nullptr;
};

// Streaming gunzip (zlib) for pipes: Feed() takes compressed bytes as they arrive and appends what they
// decode to `out`; members follow each other (multi-member). Finish() at end of input says whether the
// stream ended cleanly.
class StreamInflater {
 public:
  StreamInflater();
  ~StreamInflater();
  StreamInflater(const StreamInflater&) = delete;
  StreamInflater& operator=(const StreamInflater&) = delete;

  // Returns false once the data is corrupt (error() says why; error_offset() where, in compressed bytes);
  // later calls do nothing.
  bool Feed(const char* p, size_t n, PaddedBuffer& out, uint64_t max_out);
  // True when the input ended at a member boundary.
  bool Finish() const { return !failed_ && !in_member_; }
  bool failed() const { return failed_; }
  const std::string& error() const { return error_; }
  // Why the stream is not a complete gzip stream, worded as Gunzipper::Decompress() words it: error(), or
  // "unexpected end of gzip stream (member N, B bytes decoded)".
  std::string Problem() const;
  uint64_t error_offset() const { return failed_ ? error_offset_ : consumed_; }
  uint64_t consumed() const { return consumed_; }

 private:
  std::unique_ptr<z_stream_s> z_;
  bool initialized_ = false;
  bool in_member_ = false;  // inside a member (started, not ended)
  bool failed_ = false;
  std::string error_;
  uint64_t consumed_ = 0;
  uint64_t error_offset_ = 0;
  uint64_t produced_ = 0;
  uint64_t members_ = 0;  // members decoded completely
  std::string Where() const;  // " (member N, B bytes decoded)"
};

}  // namespace trailwatch::engine::input
