// simdjson_walk.cc: the parser's floor for the macro benchmark (bench/macro.sh) — a plain simdjson On-Demand
// walk over an NDJSON file that reads `eventName` of every record and counts the ConsoleLogin ones.
//
// Contract: `simdjson_walk FILE [--lines]` maps FILE the way trailwatch's reader does (mmap with
// MAP_POPULATE over a reserved range, so readable zero padding follows the last byte), then walks it with
// iterate_many (default; 1 MB batches) or, with --lines, one iterate() per line. Prints one line:
//   records=<n> console_login=<n> bytes=<n> seconds=<s> mb_per_s=<x>
// (seconds: the walk itself, after mapping). Exit 0; 2 on a usage, I/O or parse error (nothing crashes).
#include <fcntl.h>
#include <simdjson.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string_view>

namespace {

struct Mapped {
  const char* data = nullptr;
  size_t size = 0;
  void* base = nullptr;
  size_t base_len = 0;
};

bool MapFile(const char* path, Mapped* m) {
  const int fd = open(path, O_RDONLY);
  if (fd < 0) return false;
  struct stat st;
  if (fstat(fd, &st) != 0 || st.st_size <= 0) {
    close(fd);
    return false;
  }
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  const size_t size = static_cast<size_t>(st.st_size);
  const size_t rounded = (size + page - 1) / page * page;
  void* reserve = mmap(nullptr, rounded + page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (reserve == MAP_FAILED) {
    close(fd);
    return false;
  }
  void* file = mmap(reserve, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0);
  close(fd);
  if (file == MAP_FAILED) {
    munmap(reserve, rounded + page);
    return false;
  }
  madvise(file, size, MADV_SEQUENTIAL);
  m->data = static_cast<const char*>(file);
  m->size = size;
  m->base = reserve;
  m->base_len = rounded + page;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3 || (argc == 3 && std::strcmp(argv[2], "--lines") != 0)) {
    std::fprintf(stderr, "usage: simdjson_walk FILE.ndjson [--lines]\n");
    return 2;
  }
  const bool lines = argc == 3;
  Mapped m;
  if (!MapFile(argv[1], &m)) {
    std::fprintf(stderr, "simdjson_walk: cannot map %s\n", argv[1]);
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  simdjson::ondemand::parser parser;
  uint64_t records = 0, console = 0, errors = 0;
  if (!lines) {
    simdjson::ondemand::document_stream stream;
    if (parser.iterate_many(m.data, m.size, size_t{1} << 20).get(stream)) {
      std::fprintf(stderr, "simdjson_walk: cannot start the document stream\n");
      return 2;
    }
    for (auto doc : stream) {
      std::string_view name;
      if (doc["eventName"].get_string().get(name)) {
        ++errors;
        continue;
      }
      ++records;
      console += name == "ConsoleLogin";
    }
  } else {
    const char* p = m.data;
    const char* end = m.data + m.size;
    while (p < end) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      const char* line_end = nl != nullptr ? nl : end;
      const size_t len = static_cast<size_t>(line_end - p);
      if (len > 0) {
        // The bytes after a line are the next lines, then the zero padding: readable, as simdjson requires.
        simdjson::ondemand::document doc;
        std::string_view name;
        if (parser.iterate(simdjson::padded_string_view(p, len, len + simdjson::SIMDJSON_PADDING)).get(doc) ||
            doc["eventName"].get_string().get(name)) {
          ++errors;
        } else {
          ++records;
          console += name == "ConsoleLogin";
        }
      }
      p = line_end + 1;
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("records=%llu console_login=%llu bytes=%zu seconds=%.3f mb_per_s=%.1f\n",
              static_cast<unsigned long long>(records), static_cast<unsigned long long>(console), m.size, seconds,
              static_cast<double>(m.size) / 1e6 / seconds);
  munmap(m.base, m.base_len);
  if (errors > 0) {
    std::fprintf(stderr, "simdjson_walk: %llu record(s) without a readable eventName\n",
                 static_cast<unsigned long long>(errors));
    return 2;
  }
  return 0;
}
