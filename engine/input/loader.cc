// loader.cc: LoadFile (open, mmap, gunzip within the decode budget), DecodeBudget and the Prefetcher (see
// loader.h).
#include "engine/input/loader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <system_error>

namespace trailwatch::engine::input {

namespace {
std::atomic<uint64_t> g_waiting_bytes{0};  // every prefetcher's files loaded ahead, not yet handed out
}  // namespace

DecodeBudget& DecodeBudget::Process() {
  static DecodeBudget budget;
  return budget;
}

bool DecodeBudget::TryAcquire(uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  if (bytes > kTotal - used_) return false;
  used_ += bytes;
  return true;
}

void DecodeBudget::Release(uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  used_ -= std::min(bytes, used_);
}

uint64_t DecodeBudget::in_use() const {
  std::lock_guard<std::mutex> lock(mu_);
  return used_;
}

GunzipResult GunzipWhole(Gunzipper& g, std::string_view in, PaddedBuffer& out, const LoadLimits& limits,
                         uint64_t& held, bool& stream) {
  stream = false;
  const uint64_t cap = std::min(limits.whole_max, limits.max_decompressed);
  const uint64_t hint = Gunzipper::SizeHint(in);
  auto give_up = [&] {
    stream = true;
    out.Release();
    return GunzipResult{};
  };
  if (cap == 0 || (hint > cap && cap < limits.max_decompressed)) return give_up();
  // Ask for what the trailer announces (exact for a single member), else 4 times the compressed size; ask
  // again for more when that was too little (several members, or a trailer that lies).
  uint64_t grant = std::min<uint64_t>(hint != 0 ? hint + 1 : static_cast<uint64_t>(in.size()) * 4 + 4096, cap);
  grant = std::max<uint64_t>(grant, std::min<uint64_t>(4096, cap));
  // A buffer much larger than this file needs is given back rather than kept.
  if (out.capacity() > std::max<uint64_t>(2 * grant, uint64_t{8} << 20)) out.Release();
  for (;;) {
    if (!DecodeBudget::Process().TryAcquire(grant)) return give_up();
    held += grant;
    GunzipResult r = g.Decompress(in, out, grant, OverLimit::kStop);
    // A damaged stream that stops right at the grant may hold more than zlib could show in the room it had
    // (the last code of a cut stream decodes only with room to spare): ask for more, as for a limit.
    const bool at_grant = !r.complete && out.size() >= grant && grant < cap;
    if (!r.limit_reached && !at_grant) return r;
    DecodeBudget::Process().Release(grant);
    held -= grant;
    // Past the whole-file limit (or past the decompression limit itself: the stream reads everything up to
    // it and reports the rest).
    if (grant >= cap) return give_up();
    grant = std::min(grant * 4, cap);
  }
}

LoadedFile::~LoadedFile() { ReleaseBudget(); }

void LoadedFile::ReleaseBudget() {
  if (budget_held != 0) DecodeBudget::Process().Release(budget_held);
  budget_held = 0;
}

void LoadFile(const std::string& path, const LoadLimits& limits, LoadedFile& out) {
  out.ReleaseBudget();
  out.error.clear();
  out.gzip = false;
  out.stream = false;
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
    out.gunzip = GunzipWhole(out.gunzipper, out.raw.view(), out.decoded, limits, out.budget_held, out.stream);
    if (!out.stream) out.content = out.decoded.view();
  } else {
    out.content = out.raw.view();
  }
}

uint64_t Prefetcher::ProcessWaitingBytes() { return g_waiting_bytes.load(); }

uint64_t Prefetcher::Footprint(const LoadedFile& f) {
  return f.raw.view().size() + (f.gzip && !f.stream ? f.content.size() : 0);
}

Prefetcher::Prefetcher(const std::vector<std::string>& paths, const LoadLimits& limits, bool threaded)
    : paths_(paths), limits_(limits) {
  threaded = threaded && paths_.size() >= 2;
  const size_t slots = threaded ? std::min(kPrefetchFiles, paths_.size()) : 1;
  for (size_t i = 0; i < slots; ++i) slots_.push_back(std::make_unique<LoadedFile>());
  footprint_.assign(slots, 0);
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
  // Files loaded but never handed out no longer wait.
  for (size_t i = given_; i < loaded_; ++i) g_waiting_bytes -= footprint_[i % slots_.size()];
}

void Prefetcher::Work() {
  for (size_t i = 0; i < paths_.size(); ++i) {
    const size_t k = slots_.size();
    {
      // File i goes into slot i % k, free once file i - k is released (the caller took file i - k + 1);
      // beyond the file the caller needs next, only while the files waiting (here and in every other
      // prefetcher of the process) are under the byte budget. Other prefetchers do not wake this one, so
      // that condition is polled.
      std::unique_lock<std::mutex> lock(mu_);
      auto locally_ready = [&] { return stop_ || i == given_ || (i + 2 <= given_ + k && waiting_bytes_ < kPrefetchBytes); };
      auto ready = [&] { return stop_ || i == given_ || g_waiting_bytes.load() < kPrefetchBytes; };
      for (;;) {
        cv_.wait(lock, locally_ready);  // the caller wakes us when it takes a file
        if (ready()) break;
        cv_.wait_for(lock, std::chrono::milliseconds(2));  // only the other prefetchers' files hold us back
        if (locally_ready() && ready()) break;
      }
      if (stop_) return;
    }
    LoadedFile& slot = *slots_[i % k];
    LoadFile(paths_[i], limits_, slot);
    const uint64_t bytes = Footprint(slot);
    bool wake;
    {
      std::lock_guard<std::mutex> lock(mu_);
      loaded_ = i + 1;
      waiting_bytes_ += bytes;
      footprint_[i % k] = bytes;
      g_waiting_bytes += bytes;
      wake = given_ == i;  // the caller may be waiting for this one
    }
    if (wake) cv_.notify_all();
  }
}

LoadedFile* Prefetcher::Next() {
  if (given_ >= paths_.size()) return nullptr;
  if (!threaded_) {
    LoadedFile* f = slots_[0].get();
    LoadFile(paths_[given_], limits_, *f);
    ++given_;
    return f;
  }
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return loaded_ > given_; });
  const size_t slot = given_ % slots_.size();
  LoadedFile* f = slots_[slot].get();
  waiting_bytes_ -= footprint_[slot];
  g_waiting_bytes -= footprint_[slot];
  footprint_[slot] = 0;
  ++given_;
  lock.unlock();
  cv_.notify_all();
  return f;
}

}  // namespace trailwatch::engine::input
