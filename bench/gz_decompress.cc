// gz_decompress.cc: the decompression floor for the macro benchmark (bench/macro.sh) — libdeflate (the
// library trailwatch's reader uses) on every .gz file under a directory, one thread, nothing else.
//
// Contract: `gz_decompress DIR|FILE...` reads each .gz file (read() into a reused buffer), decompresses all
// of its gzip members into a reused buffer sized from the ISIZE trailer (grown when too small), and prints:
//   files=<n> compressed_bytes=<n> bytes=<n> seconds=<s> mb_per_s=<x>   (MB/s of decompressed output)
// Exit 0; 2 on a usage or I/O error or a corrupt file (reported, never a crash).
#include <fcntl.h>
#include <libdeflate.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace fs = std::filesystem;

namespace {

bool ReadAll(const std::string& path, std::vector<char>* buf) {
  const int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0) return false;
  buf->clear();
  size_t used = 0;
  for (;;) {
    if (buf->size() - used < 65536) buf->resize(std::max<size_t>(buf->size() * 2, used + 65536));
    const ssize_t n = read(fd, buf->data() + used, buf->size() - used);
    if (n < 0) {
      close(fd);
      return false;
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  close(fd);
  buf->resize(used);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: gz_decompress DIR|FILE.gz...\n");
    return 2;
  }
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::error_code ec;
    if (fs::is_directory(argv[i], ec)) {
      for (auto it = fs::recursive_directory_iterator(argv[i], ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == ".gz") files.push_back(it->path().string());
      }
    } else {
      files.push_back(argv[i]);
    }
  }
  std::sort(files.begin(), files.end());
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  if (d == nullptr) return 2;
  const auto start = std::chrono::steady_clock::now();
  std::vector<char> in, out(1 << 20);
  uint64_t compressed = 0, bytes = 0;
  for (const std::string& f : files) {
    if (!ReadAll(f, &in)) {
      std::fprintf(stderr, "gz_decompress: cannot read %s\n", f.c_str());
      return 2;
    }
    compressed += in.size();
    size_t pos = 0;
    while (pos + 18 <= in.size()) {
      // ISIZE of the last member: the size of a single-member file's content.
      const auto* t = reinterpret_cast<const unsigned char*>(in.data() + in.size() - 4);
      const size_t hint = uint32_t{t[0]} | uint32_t{t[1]} << 8 | uint32_t{t[2]} << 16 | uint32_t{t[3]} << 24;
      if (out.size() < hint) out.resize(hint);
      size_t in_used = 0, out_used = 0;
      libdeflate_result r;
      for (;;) {
        r = libdeflate_gzip_decompress_ex(d, in.data() + pos, in.size() - pos, out.data(), out.size(), &in_used,
                                          &out_used);
        if (r != LIBDEFLATE_INSUFFICIENT_SPACE) break;
        out.resize(out.size() * 2);
      }
      if (r != LIBDEFLATE_SUCCESS) {
        std::fprintf(stderr, "gz_decompress: %s is not valid gzip\n", f.c_str());
        return 2;
      }
      bytes += out_used;
      pos += in_used;
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  libdeflate_free_decompressor(d);
  std::printf("files=%zu compressed_bytes=%llu bytes=%llu seconds=%.3f mb_per_s=%.1f\n", files.size(),
              static_cast<unsigned long long>(compressed), static_cast<unsigned long long>(bytes), seconds,
              static_cast<double>(bytes) / 1e6 / seconds);
  return 0;
}
