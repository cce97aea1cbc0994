// loader.h: loads regular files for reading — open, mmap, gunzip — either on the calling thread or one file
// ahead on a worker thread (Prefetcher), so that decompressing the next file overlaps with splitting and
// delivering the current one.
//
// Contract: a LoadedFile holds the whole decompressed content of one file with kPadding readable bytes after
// it, plus what went wrong (open/read error, truncated gzip). The Prefetcher hands files back strictly in
// the order they were listed; it keeps at most kPrefetchFiles files loaded (the one being read, the rest
// ahead) and stops loading ahead once the files waiting hold kPrefetchBytes (so memory stays bounded: the
// file being read plus that window). All records and problems are still delivered by the caller's thread,
// never by the worker. Nothing throws: if the worker thread cannot start, files are loaded on the calling
// thread.
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

struct LoadedFile {
  std::string error;         // non-empty: the file could not be opened or read (kUnreadable)
  bool gzip = false;
  GunzipResult gunzip;       // when gzip
  std::string_view content;  // decompressed bytes (padded), valid until the file is released

  // Storage, reused from one file to the next.
  FileBytes raw;
  PaddedBuffer decoded;
  Gunzipper gunzipper;
};

// Opens, maps and decompresses the regular file at `path` into `out`.
void LoadFile(const std::string& path, uint64_t max_decompressed, LoadedFile& out);

inline constexpr size_t kPrefetchFiles = 3;
inline constexpr uint64_t kPrefetchBytes = uint64_t{64} << 20;

class Prefetcher {
 public:
  // Loads `paths` (regular files) in order; on a worker thread when `threaded` and there are two or more.
  Prefetcher(const std::vector<std::string>& paths, uint64_t max_decompressed, bool threaded);
  ~Prefetcher();
  Prefetcher(const Prefetcher&) = delete;
  Prefetcher& operator=(const Prefetcher&) = delete;

  // The next file, in order (waits for the worker when needed). Valid until the next call. Returns nullptr
  // after the last one.
  LoadedFile* Next();

 private:
  void Work();

  const std::vector<std::string>& paths_;
  const uint64_t max_decompressed_;
  std::vector<std::unique_ptr<LoadedFile>> slots_;  // file i lives in slots_[i % size]
  std::mutex mu_;
  std::condition_variable cv_;
  size_t loaded_ = 0;         // files loaded so far
  size_t given_ = 0;          // files handed to the caller (it holds file given_ - 1; the ones before are released)
  uint64_t waiting_bytes_ = 0;  // bytes of the files loaded but not yet handed out
  bool stop_ = false;
  bool threaded_ = false;
  std::thread worker_;
};

}  // namespace trailwatch::engine::input
