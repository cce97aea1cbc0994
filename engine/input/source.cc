// source.cc: byte sources — PaddedBuffer, FileBytes (mmap with a zero page behind), Gunzipper (libdeflate
// whole-buffer, multi-member, zlib salvage of a damaged member) and StreamInflater (zlib, for pipes).
#include "engine/input/source.h"

#include <libdeflate.h>
#include <simdjson.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>

namespace trailwatch::engine::input {

static_assert(kPadding == simdjson::SIMDJSON_PADDING, "the input buffers must carry simdjson's padding");

// ---------------------------------------------------------------------------------------------------------
// PaddedBuffer

namespace {

size_t PageSize() {
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return page;
}

size_t RoundToPage(size_t n) { return (n + PageSize() - 1) / PageSize() * PageSize(); }

}  // namespace

PaddedBuffer::~PaddedBuffer() { Release(); }

void PaddedBuffer::Release() {
  if (mapped_ != 0) {
    munmap(data_, mapped_);
  } else {
    delete[] data_;
  }
  data_ = nullptr;
  size_ = capacity_ = mapped_ = 0;
}

bool PaddedBuffer::Reserve(size_t n, size_t max_capacity) {
  if (n <= capacity_ && data_) return true;
  if (n > SIZE_MAX - kPadding - PageSize()) return false;
  size_t cap = std::max<size_t>({n, capacity_ + capacity_ / 2, 4096});
  if (n <= max_capacity) cap = std::min(cap, max_capacity);
  if (cap + kPadding >= kMapFrom) {
    // Large: an anonymous mapping, grown in place by mremap (no copy, never held twice). New pages are
    // zero, so the padding is readable.
    const size_t len = RoundToPage(cap + kPadding);
    void* p;
    if (mapped_ != 0) {
      p = mremap(data_, mapped_, len, MREMAP_MAYMOVE);
    } else {
      p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    }
    if (p == MAP_FAILED) return false;
    if (mapped_ == 0) {
      if (size_ > 0) std::memcpy(p, data_, size_);
      delete[] data_;
    }
    data_ = static_cast<char*>(p);
    mapped_ = len;
    capacity_ = len - kPadding;
    return true;
  }
  char* fresh = new (std::nothrow) char[cap + kPadding];
  if (fresh == nullptr) return false;
  if (size_ > 0) std::memcpy(fresh, data_, size_);
  std::memset(fresh + cap, 0, kPadding);
  delete[] data_;
  data_ = fresh;
  capacity_ = cap;
  return true;
}

void PaddedBuffer::Trim() {
  constexpr size_t kKeep = size_t{8} << 20;
  if (mapped_ == 0 || capacity_ <= kKeep || size_ > capacity_ / 4) return;
  const size_t len = RoundToPage(std::max(size_ * 2, kKeep) + kPadding);
  if (len >= mapped_) return;
  void* p = mremap(data_, mapped_, len, 0);  // shrinking never moves
  if (p == MAP_FAILED) return;
  mapped_ = len;
  capacity_ = len - kPadding;
  ZeroPadding();
}

void PaddedBuffer::ZeroPadding() {
  if (data_ != nullptr) std::memset(data_ + size_, 0, kPadding);
}

bool PaddedBuffer::Resize(size_t n) {
  if (!Reserve(n)) return false;
  size_ = n;
  ZeroPadding();
  return true;
}

bool PaddedBuffer::Append(const char* p, size_t n) {
  if (n == 0) return true;
  if (n > SIZE_MAX - size_ || !Reserve(size_ + n)) return false;
  std::memcpy(data_ + size_, p, n);
  size_ += n;
  ZeroPadding();
  return true;
}

void PaddedBuffer::Clear() {
  size_ = 0;
  ZeroPadding();
}

void PaddedBuffer::Consume(size_t n) {
  if (n >= size_) {
    Clear();
    return;
  }
  std::memmove(data_, data_ + n, size_ - n);
  size_ -= n;
  ZeroPadding();
}

// ---------------------------------------------------------------------------------------------------------
// FileBytes

FileBytes::~FileBytes() { Release(); }

void FileBytes::Release() {
  if (map_ != nullptr) munmap(map_, map_len_);
  map_ = nullptr;
  map_len_ = 0;
  data_ = nullptr;
  size_ = 0;
  fallback_.Clear();
}

std::string FileBytes::Load(int fd, uint64_t size_hint) {
  Release();
  // Small files are read into a reused buffer: cheaper than mapping and unmapping them (munmap in a
  // threaded process costs TLB shootdowns).
  if (size_hint >= kMapFrom) {
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    const size_t size = static_cast<size_t>(size_hint);
    const size_t rounded = (size + page - 1) / page * page;
    // Reserve the file's pages plus one more zero page, then map the file over the start of it: the bytes
    // after the end of the file are readable zeros (rest of the last page, then the extra page).
    void* reserve = mmap(nullptr, rounded + page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (reserve != MAP_FAILED) {
      void* file = mmap(reserve, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0);
      if (file != MAP_FAILED) {
        madvise(file, size, MADV_SEQUENTIAL);
        map_ = reserve;
        map_len_ = rounded + page;
        data_ = static_cast<const char*>(file);
        size_ = size;
        return {};
      }
      munmap(reserve, rounded + page);
    }
  }
  // Fallback: read() everything (files that report no size, file systems without mmap).
  fallback_.Clear();
  if (!fallback_.Reserve(static_cast<size_t>(size_hint) + 65536)) return "out of memory";
  for (;;) {
    if (fallback_.capacity() - fallback_.size() < 65536 && !fallback_.Reserve(fallback_.size() + 65536)) {
      return "out of memory";
    }
    ssize_t n = read(fd, fallback_.data() + fallback_.size(), fallback_.capacity() - fallback_.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::strerror(errno);
    }
    if (n == 0) break;
    (void)fallback_.Resize(fallback_.size() + static_cast<size_t>(n));
  }
  data_ = fallback_.data();
  size_ = fallback_.size();
  return {};
}

// ---------------------------------------------------------------------------------------------------------
// Gunzipper

namespace {

uint32_t Le32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return uint32_t{u[0]} | uint32_t{u[1]} << 8 | uint32_t{u[2]} << 16 | uint32_t{u[3]} << 24;
}

bool AllZero(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == 0; });
}

}  // namespace

Gunzipper::Gunzipper() : d_(libdeflate_alloc_decompressor()) {}
Gunzipper::~Gunzipper() { libdeflate_free_decompressor(d_); }

uint64_t Gunzipper::SizeHint(std::string_view in) {
  if (in.size() < 18) return 0;
  const uint64_t isize = Le32(in.data() + in.size() - 4);
  if (isize >= in.size() / 2 && isize <= static_cast<uint64_t>(in.size()) * 1100) return isize;
  return 0;
}

GunzipResult Gunzipper::Decompress(std::string_view in, PaddedBuffer& out, uint64_t max_out, OverLimit over) {
  out.Clear();
  GunzipResult result;
  const size_t cap = static_cast<size_t>(std::min<uint64_t>(std::max<uint64_t>(max_out, 1), SIZE_MAX / 2));
  auto over_limit = [&](size_t pos) {
    result.complete = false;
    result.limit_reached = true;
    result.stopped_at = pos;
    result.message = "decompressed size exceeds the limit of " + std::to_string(max_out) + " bytes";
    return result;
  };
  size_t pos = 0;
  while (pos < in.size()) {
    const std::string_view rest = in.substr(pos);
    if (!IsGzip(rest)) {
      if (result.members > 0 && AllZero(rest)) break;  // zero padding after the last member, as gzip(1) allows
      result.complete = false;
      result.stopped_at = pos;
      result.message = result.members == 0 ? "not a gzip stream" : "data after the last gzip member is not gzip";
      return result;
    }
    // Output size guess: the ISIZE trailer (right for a single member) when it is plausible, else 4x.
    uint64_t want = static_cast<uint64_t>(rest.size()) * 4;
    if (result.members == 0) {
      if (const uint64_t hint = SizeHint(in); hint != 0) {
        if (hint > max_out && over == OverLimit::kStop) return over_limit(pos);
        want = hint;
      }
    }
    want = std::max<uint64_t>(want, 4096);
    for (;;) {
      const uint64_t room_goal = std::min<uint64_t>(out.size() + want, cap);
      if (room_goal > out.capacity() && !out.Reserve(static_cast<size_t>(room_goal), cap)) {
        result.complete = false;
        result.stopped_at = pos;
        result.message = "out of memory while decompressing";
        return result;
      }
      const size_t avail = std::min(out.capacity(), cap) - out.size();
      size_t in_used = 0;
      size_t out_made = 0;
      const libdeflate_result r = libdeflate_gzip_decompress_ex(d_, rest.data(), rest.size(),
                                                                out.data() + out.size(), avail, &in_used, &out_made);
      if (r == LIBDEFLATE_SUCCESS) {
        (void)out.Resize(out.size() + out_made);
        pos += in_used;
        ++result.members;
        break;
      }
      if (r == LIBDEFLATE_INSUFFICIENT_SPACE) {
        if (out.size() + avail < cap) {
          want = std::max<uint64_t>(want * 2, static_cast<uint64_t>(avail) * 2);
          continue;
        }
        if (over == OverLimit::kStop) return over_limit(pos);
      }
      // Damaged, truncated or too large: let zlib decode what it can and say where it stopped.
      GunzipResult salvaged = Salvage(in, pos, out, cap, result.members);
      if (!salvaged.complete) return salvaged;
      // zlib decoded the member after all (libdeflate is stricter on some headers): go on after it.
      pos = static_cast<size_t>(salvaged.stopped_at);
      result.members = salvaged.members;
      break;
    }
  }
  return result;
}

GunzipResult Gunzipper::Salvage(std::string_view in, size_t pos, PaddedBuffer& out, uint64_t max_out,
                                uint64_t members) {
  GunzipResult result;
  result.members = members;
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) {
    result.complete = false;
    result.stopped_at = pos;
    result.message = "zlib initialisation failed";
    return result;
  }
  const size_t start_size = out.size();
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + pos));
  const size_t rest = in.size() - pos;
  z.avail_in = static_cast<uInt>(std::min<size_t>(rest, 1u << 30));
  size_t fed = z.avail_in;
  int ret = Z_OK;
  for (;;) {
    if (out.size() >= max_out) {
      // Everything allowed is decoded: the limit is exceeded unless the member ends right here.
      if (z.avail_in == 0 && fed < rest) {
        const size_t more = std::min<size_t>(rest - fed, 1u << 30);
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + pos + fed));
        z.avail_in = static_cast<uInt>(more);
        fed += more;
      }
      unsigned char probe;
      z.next_out = &probe;
      z.avail_out = 1;
      ret = inflate(&z, Z_NO_FLUSH);
      if (ret == Z_STREAM_END && z.avail_out == 1) break;
      result.complete = false;
      if (z.avail_out == 0) {
        result.limit_reached = true;
        result.message = "decompressed size exceeds the limit of " + std::to_string(max_out) + " bytes";
      } else if (ret == Z_OK || ret == Z_BUF_ERROR) {
        result.message = "unexpected end of gzip stream";
      } else {
        result.message = std::string("corrupt gzip data: ") + (z.msg != nullptr ? z.msg : "inflate error");
      }
      break;
    }
    const size_t chunk = std::min<uint64_t>(std::max<size_t>(out.size() - start_size, 1 << 16), 1 << 26);
    const size_t goal = std::min<uint64_t>(out.size() + chunk, max_out);
    if (!out.Reserve(goal, static_cast<size_t>(max_out))) {
      result.complete = false;
      result.message = "out of memory while decompressing";
      break;
    }
    const size_t room = std::min<size_t>(std::min<uint64_t>(out.capacity(), max_out) - out.size(), 1u << 30);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + out.size());
    z.avail_out = static_cast<uInt>(room);
    ret = inflate(&z, Z_NO_FLUSH);
    (void)out.Resize(out.size() + (room - z.avail_out));
    if (ret == Z_STREAM_END) break;
    if (ret == Z_OK || ret == Z_BUF_ERROR) {
      if (z.avail_in == 0 && fed < rest) {  // feed the next gigabyte
        const size_t more = std::min<size_t>(rest - fed, 1u << 30);
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + pos + fed));
        z.avail_in = static_cast<uInt>(more);
        fed += more;
        continue;
      }
      // Out of input: the end, unless the output room ran out too (zlib may still hold decoded bytes).
      if (z.avail_in == 0 && z.avail_out != 0) {
        result.complete = false;
        result.message = "unexpected end of gzip stream";
        break;
      }
      if (z.avail_in == 0) continue;
      if (ret == Z_BUF_ERROR && z.avail_out != 0) {
        result.complete = false;
        result.message = "gzip stream cannot make progress";
        break;
      }
      continue;
    }
    result.complete = false;
    result.message = std::string("corrupt gzip data: ") + (z.msg != nullptr ? z.msg : "inflate error");
    break;
  }
  const uint64_t consumed = (fed - z.avail_in);
  inflateEnd(&z);
  result.stopped_at = pos + consumed;
  if (result.complete) ++result.members;
  if (!result.complete) {
    result.message += " (member " + std::to_string(result.members + 1) + ", " +
                      std::to_string(out.size()) + " bytes decoded)";
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// StreamInflater

StreamInflater::StreamInflater() : z_(std::make_unique<z_stream_s>()) { *z_ = z_stream{}; }

StreamInflater::~StreamInflater() {
  if (initialized_) inflateEnd(z_.get());
}

void StreamInflater::Fail(std::string why) {
  failed_ = true;
  pending_ = false;
  error_ = std::move(why);
  error_offset_ = consumed_;
}

size_t StreamInflater::Feed(const char* p, size_t n, PaddedBuffer& out, uint64_t max_total, size_t max_step) {
  if (failed_) return 0;
  const char* const start = p;
  z_stream& z = *z_;
  size_t made = 0;
  max_step = std::max<size_t>(max_step, 1);
  while ((n > 0 || (pending_ && in_member_)) && made < max_step) {
    if (!in_member_) {
      // Between members: tolerate zero padding after a complete member, as gzip(1) does.
      if (initialized_ && *p == 0) {
        ++p;
        --n;
        ++consumed_;
        continue;
      }
      if (initialized_ && static_cast<unsigned char>(*p) != 0x1f) {
        Fail("data after the last gzip member is not gzip");
        break;
      }
      if (!initialized_) {
        if (inflateInit2(&z, 15 + 16) != Z_OK) {
          Fail("zlib initialisation failed");
          break;
        }
        initialized_ = true;
      } else {
        inflateReset(&z);
      }
      in_member_ = true;
      member_start_ = consumed_;
    }
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(p));
    z.avail_in = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    const size_t given = z.avail_in;
    if (produced_ >= max_total) {
      // Everything allowed is decoded: one more byte of output means the limit is exceeded.
      unsigned char probe;
      z.next_out = &probe;
      z.avail_out = 1;
      const int ret = inflate(&z, Z_NO_FLUSH);
      const size_t used = given - z.avail_in;
      p += used;
      n -= used;
      consumed_ += used;
      if (z.avail_out == 0) {
        limit_reached_ = true;
        Fail("decompressed size exceeds the limit of " + std::to_string(max_total) + " bytes" + Where());
        break;
      }
      pending_ = false;
      if (ret == Z_STREAM_END) {
        in_member_ = false;
        ++members_;
        continue;
      }
      if (ret != Z_OK && ret != Z_BUF_ERROR) {
        Fail(std::string("corrupt gzip data: ") + (z.msg != nullptr ? z.msg : "inflate error") + Where());
        break;
      }
      if (used == 0) break;  // needs more input
      continue;
    }
    const size_t want = static_cast<size_t>(
        std::min<uint64_t>({static_cast<uint64_t>(max_step - made), max_total - produced_, uint64_t{1} << 30}));
    if (out.capacity() - out.size() < want && !out.Reserve(out.size() + want)) {
      Fail("out of memory while decompressing" + Where());
      break;
    }
    z.next_out = reinterpret_cast<Bytef*>(out.data() + out.size());
    z.avail_out = static_cast<uInt>(want);
    const int ret = inflate(&z, Z_NO_FLUSH);
    const size_t used = given - z.avail_in;
    const size_t produced = want - z.avail_out;
    (void)out.Resize(out.size() + produced);
    produced_ += produced;
    made += produced;
    p += used;
    n -= used;
    consumed_ += used;
    // Output room filled: zlib may hold more (it is drained by the next call, with or without input).
    pending_ = z.avail_out == 0;
    if (ret == Z_STREAM_END) {
      in_member_ = false;
      pending_ = false;
      ++members_;
      continue;
    }
    if (ret != Z_OK && ret != Z_BUF_ERROR) {
      if (members_ > 0 && z.msg != nullptr && std::strcmp(z.msg, "incorrect header check") == 0) {
        // A later "member" that does not start with the gzip magic: worded and placed as the whole-buffer
        // decoder words it (engine/input/source.cc Decompress), so both reads report the same problem.
        Fail("data after the last gzip member is not gzip");
        error_offset_ = member_start_;
        break;
      }
      Fail(std::string("corrupt gzip data: ") + (z.msg != nullptr ? z.msg : "inflate error") + Where());
      break;
    }
    if (used == 0 && produced == 0) {  // no progress possible without more input
      pending_ = false;
      break;
    }
  }
  return static_cast<size_t>(p - start);
}

std::string StreamInflater::Where() const {
  return " (member " + std::to_string(members_ + 1) + ", " + std::to_string(produced_) + " bytes decoded)";
}

bool StreamInflater::CutMagic() const {
  return !failed_ && in_member_ && members_ > 0 && consumed_ - member_start_ < 2;
}

std::string StreamInflater::Problem() const {
  if (failed_) return error_;
  // One byte after the last member is not a member yet (the whole-buffer decoder needs both magic bytes).
  if (CutMagic()) return "data after the last gzip member is not gzip";
  return "unexpected end of gzip stream" + Where();
}

uint64_t StreamInflater::error_offset() const {
  if (failed_) return error_offset_;
  return CutMagic() ? member_start_ : consumed_;
}

}  // namespace trailwatch::engine::input
