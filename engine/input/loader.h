// loader.h: loads regular files for reading — open, mmap, gunzip — either on the calling thread or ahead on
// a worker thread (Prefetcher), so that decompressing the next file overlaps with splitting and delivering
// the current one; and the process-wide budget that bounds the memory of whole-file decompression.
//
// Contract: a LoadedFile holds the whole decompressed content of one file with kPadding readable bytes after
// it, plus what went wrong (open/read error, truncated gzip) — or, for a gzip file that cannot be
// decompressed whole within its limits (LoadLimits::whole_max bytes, and the process's DecodeBudget), only
// its compressed bytes with `stream` set: the caller reads it as a stream, in bounded windows. The
// Prefetcher hands files back strictly in the order they were listed; it keeps at most kPrefetchFiles files
// loaded (the one being read, the rest ahead) and loads ahead only while the files waiting, its own and
// every other prefetcher's in the process, hold less than kPrefetchBytes. All records and problems are
// still delivered by the caller's thread, never by the worker. Nothing throws: if the worker thread cannot
// start, files are loaded on the calling thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/input/source.h"

namespace trailwatch::engine::input {

// The memory all gzip files decompressed whole may hold at once, in the whole process (every thread and
// prefetcher together). A file that would take the budget past its total is read as a stream instead, so
// this never blocks and the answer is the same either way.
class DecodeBudget {
 public:
  static constexpr uint64_t kTotal = uint64_t{256} << 20;
  static DecodeBudget& Process();
  bool TryAcquire(uint64_t bytes);
  void Release(uint64_t bytes);
  uint64_t in_use() const;

 private:
  mutable std::mutex mu_;
  uint64_t used_ = 0;
};

struct LoadLimits {
  uint64_t max_decompressed = uint64_t{8} << 30;  // ReaderOptions::max_decompressed_bytes
  uint64_t whole_max = uint64_t{64} << 20;        // largest decompressed file held whole (windowed_from)
};

// Decompresses the gzip file `in` whole into `out` when that fits its limits and the process's budget; the
// budget taken is added to `held` (give it back with DecodeBudget::Process().Release()). Sets `stream` and
// releases `out` when the file must be read as a stream instead.
GunzipResult GunzipWhole(Gunzipper& g, std::string_view in, PaddedBuffer& out, const LoadLimits& limits,
                         uint64_t& held, bool& stream);

struct LoadedFile {
  ~LoadedFile();
  std::string error;         // non-empty: the file could not be opened or read (kUnreadable)
  bool gzip = false;
  bool stream = false;       // gzip too large to decompress whole: read `raw` as a stream
  GunzipResult gunzip;       // when gzip and !stream
  std::string_view content;  // decompressed bytes (padded), valid until the file is released

  // Storage, reused from one file to the next.
  FileBytes raw;
  PaddedBuffer decoded;
  Gunzipper gunzipper;
  uint64_t budget_held = 0;  // DecodeBudget bytes held for `decoded`
  void ReleaseBudget();
};

// Opens, maps and decompresses the regular file at `path` into `out`.
void LoadFile(const std::string& path, const LoadLimits& limits, LoadedFile& out);

inline constexpr size_t kPrefetchFiles = 3;
inline constexpr uint64_t kPrefetchBytes = uint64_t{64} << 20;

class Prefetcher {
 public:
  // Loads `paths` (regular files) in order; on a worker thread when `threaded` and there are two or more.
  Prefetcher(const std::vector<std::string>& paths, const LoadLimits& limits, bool threaded);
  ~Prefetcher();
  Prefetcher(const Prefetcher&) = delete;
  Prefetcher& operator=(const Prefetcher&) = delete;

  // The next file, in order (waits for the worker when needed). Valid until the next call. Returns nullptr
  // after the last one.
  LoadedFile* Next();

  // Bytes loaded ahead by every prefetcher of the process, not yet handed out (for tests).
  static uint64_t ProcessWaitingBytes();

 private:
  void Work();
  static uint64_t Footprint(const LoadedFile& f);

  const std::vector<std::string>& paths_;
  const LoadLimits limits_;
  std::vector<std::unique_ptr<LoadedFile>> slots_;  // file i lives in slots_[i % size]
  std::mutex mu_;
  std::condition_variable cv_;
  size_t loaded_ = 0;         // files loaded so far
  size_t given_ = 0;          // files handed to the caller (it holds file given_ - 1; the ones before are released)
  uint64_t waiting_bytes_ = 0;  // bytes of the files loaded but not yet handed out
  std::vector<uint64_t> footprint_;  // per slot, counted in waiting_bytes_ until handed out
  bool stop_ = false;
  bool threaded_ = false;
  std::thread worker_;
};

}  // namespace trailwatch::engine::input
