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

bool PaddedBuffer::Reserve(size_t n) {
  if (n <= capacity_ && data_) return true;
  size_t cap = std::max<size_t>({n, capacity_ + capacity_ / 2, 4096});
  std::unique_ptr<char[]> fresh(new (std::nothrow) char[cap + kPadding]);
  if (!fresh) {
    cap = n;  // retry without slack
    fresh.reset(new (std::nothrow) char[cap + kPadding]);
    if (!fresh) return false;
  }
  if (size_ > 0) std::memcpy(fresh.get(), data_.get(), size_);
  std::memset(fresh.get() + cap, 0, kPadding);
  data_ = std::move(fresh);
  capacity_ = cap;
  return true;
}

bool PaddedBuffer::Resize(size_t n) {
  if (!Reserve(n)) return false;
  size_ = n;
  return true;
}

bool PaddedBuffer::Append(const char* p, size_t n) {
  if (n == 0) return true;
  if (!Reserve(size_ + n)) return false;
  std::memcpy(data_.get() + size_, p, n);
  size_ += n;
  return true;
}

void PaddedBuffer::Consume(size_t n) {
  if (n >= size_) {
    size_ = 0;
    return;
  }
  std::memmove(data_.get(), data_.get() + n, size_ - n);
  size_ -= n;
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

GunzipResult Gunzipper::Decompress(std::string_view in, PaddedBuffer& out, uint64_t max_out) {
  out.Clear();
  GunzipResult result;
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
    if (result.members == 0 && rest.size() >= 18) {
      const uint64_t isize = Le32(in.data() + in.size() - 4);
      if (isize >= rest.size() / 2 && isize <= static_cast<uint64_t>(rest.size()) * 1100) want = isize;
    }
    want = std::max<uint64_t>(want, 4096);
    for (;;) {
      const uint64_t room_goal = std::min<uint64_t>(out.size() + want, std::max<uint64_t>(max_out, 1));
      if (room_goal > out.capacity() && !out.Reserve(static_cast<size_t>(room_goal))) {
        result.complete = false;
        result.stopped_at = pos;
        result.message = "out of memory while decompressing";
        return result;
      }
      const size_t avail = out.capacity() - out.size();
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
      if (r == LIBDEFLATE_INSUFFICIENT_SPACE && out.capacity() < max_out) {
        want = std::max<uint64_t>(want * 2, static_cast<uint64_t>(avail) * 2);
        continue;
      }
      // Damaged, truncated or too large: let zlib decode what it can and say where it stopped.
      GunzipResult salvaged = Salvage(in, pos, out, max_out, result.members);
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
      result.complete = false;
      result.message = "decompressed size exceeds the limit of " + std::to_string(max_out) + " bytes";
      break;
    }
    const size_t chunk = std::min<uint64_t>(std::max<size_t>(out.size() - start_size, 1 << 16), 1 << 26);
    const size_t goal = std::min<uint64_t>(out.size() + chunk, max_out);
    if (!out.Reserve(goal)) {
      result.complete = false;
      result.message = "out of memory while decompressing";
      break;
    }
    const size_t room = std::min<size_t>(goal - out.size(), 1u << 30);
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
      if (z.avail_in == 0) {
        result.complete = false;
        result.message = "unexpected end of gzip stream";
        break;
      }
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

bool StreamInflater::Feed(const char* p, size_t n, PaddedBuffer& out, uint64_t max_out) {
  if (failed_) return false;
  z_stream& z = *z_;
  while (n > 0) {
    if (!in_member_) {
      // Between members: tolerate zero padding after a complete member, as gzip(1) does.
      if (initialized_ && *p == 0) {
        ++p;
        --n;
        ++consumed_;
        continue;
      }
      if (initialized_ && static_cast<unsigned char>(*p) != 0x1f) {
        failed_ = true;
        error_ = "data after the last gzip member is not gzip";
        error_offset_ = consumed_;
        return false;
      }
      if (!initialized_) {
        if (inflateInit2(&z, 15 + 16) != Z_OK) {
          failed_ = true;
          error_ = "zlib initialisation failed";
          error_offset_ = consumed_;
          return false;
        }
        initialized_ = true;
      } else {
        inflateReset(&z);
      }
      in_member_ = true;
    }
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(p));
    z.avail_in = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    const size_t given = z.avail_in;
    if (!out.Reserve(out.size() + 65536)) {
      failed_ = true;
      error_ = "out of memory while decompressing" + Where();
      error_offset_ = consumed_;
      return false;
    }
    const size_t room = std::min<size_t>(out.capacity() - out.size(), 1u << 30);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + out.size());
    z.avail_out = static_cast<uInt>(room);
    const int ret = inflate(&z, Z_NO_FLUSH);
    const size_t used = given - z.avail_in;
    (void)out.Resize(out.size() + (room - z.avail_out));
    produced_ += room - z.avail_out;
    p += used;
    n -= used;
    consumed_ += used;
    if (ret == Z_STREAM_END) {
      in_member_ = false;
      ++members_;
      continue;
    }
    if (ret != Z_OK && ret != Z_BUF_ERROR) {
      failed_ = true;
      error_ = std::string("corrupt gzip data: ") + (z.msg != nullptr ? z.msg : "inflate error") + Where();
      error_offset_ = consumed_;
      return false;
    }
    if (produced_ > max_out) {
      failed_ = true;
      error_ = "decompressed size exceeds the limit of " + std::to_string(max_out) + " bytes" + Where();
      error_offset_ = consumed_;
      return false;
    }
    if (ret == Z_BUF_ERROR && used == 0 && room == z.avail_out) break;  // no progress possible
  }
  return true;
}

std::string StreamInflater::Where() const {
  return " (member " + std::to_string(members_ + 1) + ", " + std::to_string(produced_) + " bytes decoded)";
}

std::string StreamInflater::Problem() const {
  return failed_ ? error_ : "unexpected end of gzip stream" + Where();
}

}  // namespace trailwatch::engine::input
