// loader.cc: LoadFile (open, mmap, gunzip) and the one-file-ahead Prefetcher (see loader.h).
#include "engine/input/loader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace trailwatch::engine::input {

void LoadFile(const std::string& path, uint64_t max_decompressed, LoadedFile& out) {
  out.error.clear();
  out.gzip = false;
  out.gunzip = GunzipResult();
  out.content = {};
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    out.error = std::strerror(errno);
    return;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    out.error = std::strerror(errno);
  } else if (!S_ISREG(st.st_mode)) {
    out.error = "not a regular file";
  } else {
    out.error = out.raw.Load(fd, static_cast<uint64_t>(st.st_size));
  }
  close(fd);
  if (!out.error.empty()) return;
  if (IsGzip(out.raw.view())) {
    out.gzip = true;
    out.gunzip = out.gunzipper.Decompress(out.raw.view(), out.decoded, max_decompressed);
    out.content = out.decoded.view();
  } else {
    out.content = out.raw.view();
  }
}

Prefetcher::Prefetcher(const std::vector<std::string>& paths, uint64_t max_decompressed, bool threaded)
    : paths_(paths), max_decompressed_(max_decompressed) {
  threaded = threaded && paths_.size() >= 2;
  const size_t slots = threaded ? std::min(kPrefetchFiles, paths_.size()) : 1;
  for (size_t i = 0; i < slots; ++i) slots_.push_back(std::make_unique<LoadedFile>());
  if (!threaded) return;
  try {
    worker_ = std::thread([this] { Work(); });
    threaded_ = true;
  } catch (const std::system_error&) {
    threaded_ = false;  // load on the calling thread instead
  }
}

Prefetcher::~Prefetcher() {
  if (!threaded_) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void Prefetcher::Work() {
  for (size_t i = 0; i < paths_.size(); ++i) {
    const size_t k = slots_.size();
    {
      // File i goes into slot i % k, free once file i - k is released (the caller took file i - k + 1);
      // beyond the file the caller needs next, only while the files waiting are under the byte budget.
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] {
        return stop_ || i == given_ || (i + 2 <= given_ + k && waiting_bytes_ < kPrefetchBytes);
      });
      if (stop_) return;
    }
    LoadedFile& slot = *slots_[i % k];
    LoadFile(paths_[i], max_decompressed_, slot);
    bool wake;
    {
      std::lock_guard<std::mutex> lock(mu_);
      loaded_ = i + 1;
      waiting_bytes_ += slot.content.size();
      wake = given_ == i;  // the caller may be waiting for this one
    }
    if (wake) cv_.notify_all();
  }
}

LoadedFile* Prefetcher::Next() {
  if (given_ >= paths_.size()) return nullptr;
  if (!threaded_) {
    LoadedFile* f = slots_[0].get();
    LoadFile(paths_[given_], max_decompressed_, *f);
    ++given_;
    return f;
  }
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return loaded_ > given_; });
  LoadedFile* f = slots_[given_ % slots_.size()].get();
  waiting_bytes_ -= f->content.size();
  ++given_;
  lock.unlock();
  cv_.notify_all();
  return f;
}

}  // namespace trailwatch::engine::input
