// reader.cc: ReadInputs(), ReadMemory(), PlanInputs() and InputReader — lists what the paths hold (files,
// directories walked recursively in byte order following links, each file and directory once, "-" for
// stdin, pipes), chooses how to get each input's bytes, and runs the splitter over them.
//
// Contract: a regular file under ReaderOptions::windowed_from is read whole (mmap; gzip decompressed whole by
// libdeflate when its content fits the whole-file limit and the process's DecodeBudget, loader.h); the
// Prefetcher loads and decompresses the next files on a worker thread while this one is split, within a
// bounded window, and hands them back in order. Larger files, gzip files too large to decompress whole,
// pipes, terminals and other streams are read as they arrive (zlib streaming inflate for gzip, at most 4 MiB
// decoded per step) and only the unfinished line or document is held (bounded by max_document_bytes, or
// max_line_bytes for text), so each complete line is delivered at once and memory does not grow with the
// input or its compression ratio. Digest, Insights and Lake files (by path), binary files, aliases, FIFOs in
// directories and unreadable paths are reported, never fatal. Records and problems reach the sink on the
// calling thread, in input order; reading stops as soon as the sink asks to.
#include "engine/input/reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <utility>

#include "engine/input/context.h"
#include "engine/input/loader.h"
#include "engine/input/source.h"
#include "engine/input/sniff.h"
#include "engine/input/splitter.h"

namespace trailwatch::engine {

const char* InputFormatName(InputFormat f) {
  switch (f) {
    case InputFormat::kCloudTrailFile: return "cloudtrail";
    case InputFormat::kJsonArray: return "json-array";
    case InputFormat::kNdjson: return "ndjson";
    case InputFormat::kFilterLogEvents: return "filter-log-events";
    case InputFormat::kLookupEvents: return "lookup-events";
    case InputFormat::kSubscription: return "subscription";
    case InputFormat::kCwlExport: return "cwl-export";
    case InputFormat::kLogsTail: return "logs-tail";
    case InputFormat::kText: return "text";
    case InputFormat::kJsonDocument: return "json-document";
  }
  return "?";
}

const char* ProblemKindName(ProblemKind k) {
  switch (k) {
    case ProblemKind::kUnreadable: return "unreadable";
    case ProblemKind::kTruncatedGzip: return "truncated gzip";
    case ProblemKind::kMalformedJson: return "malformed JSON";
    case ProblemKind::kMalformedRecord: return "malformed record";
    case ProblemKind::kOversizeEvent: return "oversize event";
    case ProblemKind::kSkippedFile: return "skipped file";
    case ProblemKind::kBinaryFile: return "binary file";
    case ProblemKind::kNotRead: return "not read";
    case ProblemKind::kNotEvaluated: return "not evaluated";
  }
  return "?";
}

namespace {

using input::FileContext;
using input::PaddedBuffer;
using input::Position;

// Where ReadStream() gets its bytes: a file descriptor (pipes, terminals, large files), or the compressed
// bytes of a gzip file already in memory that is too large to decompress whole.
struct StreamSource {
  int fd = -1;
  std::string_view memory;
  size_t pos = 0;
  // The next at most n bytes: read into `buf` (fd) or a view of the memory (no copy). Returns the byte
  // count, 0 at the end, -1 on a read error (errno set).
  ssize_t Next(char* buf, size_t n, const char** out) {
    if (fd < 0) {
      const size_t k = std::min(n, memory.size() - pos);
      *out = memory.data() + pos;
      pos += k;
      return static_cast<ssize_t>(k);
    }
    *out = buf;
    for (;;) {
      const ssize_t r = read(fd, buf, n);
      if (r >= 0 || errno != EINTR) return r;
    }
  }
};

// Lists what paths hold (PlanInputs()).
class Planner {
 public:
  explicit Planner(uint64_t windowed_from) : windowed_from_(windowed_from) {}

  void Plan(const std::string& path, std::vector<PlannedInput>& items) {
    if (path == "-") {
      items.push_back({Kind::kStdin, path, {}, 0});
      return;
    }
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
      items.push_back({Kind::kUnreadable, path, std::strerror(errno), 0});
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      PlanDirectory(path, st, items);
      return;
    }
    PlanFile(path, st, items);
  }

 private:
  using Kind = PlannedInput::Kind;

  // Each file and directory is listed once, whatever links lead to it again (a symlinked directory inside
  // the tree, two links to one file, a path given twice): the first path seen reads it, the others are
  // reported as aliases of it.
  bool FirstVisit(const std::string& path, const struct stat& st, std::vector<PlannedInput>& items) {
    const auto [it, fresh] = seen_.emplace(std::make_pair(st.st_dev, st.st_ino), path);
    if (fresh) return true;
    items.push_back({Kind::kNotRead, path,
                     std::string(S_ISDIR(st.st_mode) ? "same directory as " : "same file as ") + it->second +
                         " (a link to it or the path again): read once",
                     0});
    return false;
  }

  void PlanFile(const std::string& path, const struct stat& st, std::vector<PlannedInput>& items) {
    if (const char* why = input::SkipReasonForPath(path)) {
      items.push_back({Kind::kSkip, path, why, 0});
    } else if (S_ISREG(st.st_mode)) {
      if (!FirstVisit(path, st, items)) return;
      // A large file is read in windows (bounded memory) rather than whole.
      const uint64_t size = static_cast<uint64_t>(st.st_size);
      items.push_back({size >= windowed_from_ ? Kind::kLargeFile : Kind::kFile, path, {}, size});
    } else {
      items.push_back({Kind::kStream, path, {}, 0});  // a pipe, terminal, socket or device named explicitly
    }
  }

  void PlanDirectory(const std::string& dir, const struct stat& st, std::vector<PlannedInput>& items) {
    if (!FirstVisit(dir, st, items)) return;  // a symlink loop, or another way to a directory already walked
    std::error_code ec;
    std::filesystem::directory_iterator it(dir, ec);
    if (ec) {
      items.push_back({Kind::kUnreadable, dir, ec.message(), 0});
      return;
    }
    std::vector<std::string> names;
    for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      names.push_back(it->path().filename().string());
    }
    if (ec) items.push_back({Kind::kUnreadable, dir, ec.message(), 0});
    std::sort(names.begin(), names.end());
    const std::string prefix = (!dir.empty() && dir.back() == '/') ? dir : dir + "/";
    for (const std::string& name : names) {
      const std::string path = prefix + name;
      struct stat child;
      if (stat(path.c_str(), &child) != 0) {
        items.push_back({Kind::kUnreadable, path, std::strerror(errno), 0});
        continue;
      }
      if (S_ISDIR(child.st_mode)) {
        PlanDirectory(path, child, items);
      } else if (S_ISREG(child.st_mode)) {
        PlanFile(path, child, items);
      } else {
        // Pipes, sockets and devices inside a directory are not read (they could block forever).
        const char* what = S_ISFIFO(child.st_mode)   ? "a FIFO"
                           : S_ISSOCK(child.st_mode) ? "a socket"
                           : S_ISCHR(child.st_mode)  ? "a character device"
                           : S_ISBLK(child.st_mode)  ? "a block device"
                                                     : "not a regular file";
        items.push_back({Kind::kNotRead, path,
                         std::string(what) + " inside a directory is not read (name it to read it)", 0});
      }
    }
  }

  uint64_t windowed_from_;
  std::map<std::pair<dev_t, ino_t>, std::string> seen_;  // files and directories listed, by identity
};

// One call's reading: the paths, the sink, the counts; the parsers and buffers come from `shared`.
class Reader {
 public:
  Reader(const ReaderOptions& options, input::Shared& shared, RecordSink& sink)
      : options_(options), sink_(sink), shared_(shared) {
    limits_.max_decompressed = options_.max_decompressed_bytes;
    limits_.whole_max = options_.windowed_from;
  }

  // Reads planned inputs in order; regular files come from the prefetcher, which decompresses the next one
  // while this one is read.
  void ReadItems(const std::vector<PlannedInput>& items) {
    using Kind = PlannedInput::Kind;
    std::vector<std::string> files;
    for (const PlannedInput& item : items) {
      if (item.kind == Kind::kFile) files.push_back(item.path);
    }
    input::Prefetcher prefetcher(files, limits_, options_.prefetch);
    for (const PlannedInput& item : items) {
      if (stopped_) break;
      switch (item.kind) {
        case Kind::kUnreadable:
          Unreadable(item.path, item.why);
          break;
        case Kind::kSkip:
        case Kind::kNotRead: {
          FileStats fs;
          fs.file = item.path;
          SkipFile(fs, item.kind == Kind::kSkip ? ProblemKind::kSkippedFile : ProblemKind::kNotRead, item.why);
          break;
        }
        case Kind::kStdin:
          ReadOpenFd(0, "-");
          break;
        case Kind::kLargeFile:
        case Kind::kStream: {
          const int fd = open(item.path.c_str(), O_RDONLY | O_CLOEXEC);
          if (fd < 0) {
            Unreadable(item.path, std::strerror(errno));
            break;
          }
          StreamSource src;
          src.fd = fd;
          if (item.kind == Kind::kLargeFile) {  // read in 4 MiB windows
            posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
            ReadStream(src, item.path, kWindowBytes);
          } else {
            ReadOpenFd(fd, item.path);
          }
          close(fd);
          break;
        }
        case Kind::kFile: {
          input::LoadedFile* loaded = prefetcher.Next();
          if (loaded == nullptr) break;
          if (!loaded->error.empty()) {
            Unreadable(item.path, loaded->error);
            break;
          }
          if (loaded->stream) {  // a gzip file too large to decompress whole: in windows
            StreamSource src;
            src.memory = loaded->raw.view();
            ReadStream(src, item.path, kWindowBytes);
            break;
          }
          FileStats fs;
          fs.file = item.path;
          ReadContent(fs, loaded->content, loaded->gzip ? &loaded->gunzip : nullptr);
          loaded->ReleaseBudget();
          break;
        }
      }
    }
  }

  // Reads `data` as the content of a regular file named `name` (data has kPadding readable bytes after it).
  void ReadBytes(const std::string& name, std::string_view data) {
    FileStats fs;
    fs.file = name;
    if (const char* why = input::SkipReasonForPath(name)) {
      SkipFile(fs, ProblemKind::kSkippedFile, why);
      return;
    }
    ReadWhole(fs, data);
  }

  InputStats& stats() { return stats_; }

 private:
  static constexpr size_t kWindowBytes = size_t{4} << 20;

  void Unreadable(const std::string& path, const std::string& why) {
    ++stats_.unreadable;
    sink_.OnProblem(InputProblem{ProblemKind::kUnreadable, path, 0, 0, why});
  }

  void Finish(FileStats& fs) {
    ++stats_.files;
    stats_.bytes += fs.bytes;
    stats_.records += fs.records;
    stats_.malformed += fs.malformed;
    stats_.skipped += fs.skipped;
    stats_.by_file.push_back(std::move(fs));
  }

  void SkipFile(FileStats& fs, ProblemKind kind, const std::string& why) {
    FileContext ctx(sink_, options_, shared_, fs);
    ctx.Problem(kind, Position{}, why);
    Finish(fs);
  }

  void ReadOpenFd(int fd, const std::string& name) {
    struct stat st;
    if (fstat(fd, &st) != 0) {
      Unreadable(name, std::strerror(errno));
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      Unreadable(name, "is a directory");
      return;
    }
    if (S_ISREG(st.st_mode)) {
      input::FileBytes bytes;
      const std::string err = bytes.Load(fd, static_cast<uint64_t>(st.st_size));
      if (!err.empty()) {
        Unreadable(name, err);
        return;
      }
      FileStats fs;
      fs.file = name;
      ReadWhole(fs, bytes.view());
      return;
    }
    StreamSource src;
    src.fd = fd;
    ReadStream(src, name, 0);
  }

  // A whole regular file in memory (padded): decompressed here when it is gzip (within the decode budget;
  // otherwise read as a stream).
  void ReadWhole(FileStats& fs, std::string_view data) {
    if (input::IsGzip(data)) {
      uint64_t held = 0;
      bool stream = false;
      const input::GunzipResult gz = input::GunzipWhole(shared_.gunzip, data, shared_.file, limits_, held, stream);
      if (stream) {
        StreamSource src;
        src.memory = data;
        ReadStream(src, fs.file, kWindowBytes);
        return;
      }
      ReadContent(fs, shared_.file.view(), &gz);
      input::DecodeBudget::Process().Release(held);
    } else {
      ReadContent(fs, data, nullptr);
    }
  }

  // The decompressed content of a regular file (padded); `gz` says how its gunzip went, if it was gzip.
  void ReadContent(FileStats& fs, std::string_view content, const input::GunzipResult* gz) {
    FileContext ctx(sink_, options_, shared_, fs);
    ctx.path_stream = std::string(input::ExportStreamFromPath(fs.file));
    ctx.truncated_input = gz != nullptr && !gz->complete;
    fs.bytes = content.size();
    bool binary = false;
    if (const char* why = input::BinaryReason(content)) {
      // Not read at all: whether its gzip is complete does not matter (a stream stops reading here too).
      ctx.Problem(ProblemKind::kBinaryFile, Position{}, why);
      binary = true;
    } else {
      input::Splitter splitter(ctx);
      splitter.Process(content.data(), content.size(), 0, true);
    }
    if (gz != nullptr && !gz->complete && !ctx.stopped() && !binary) {
      ctx.Problem(ProblemKind::kTruncatedGzip, Position{0, gz->stopped_at},
                  gz->message + " at compressed byte " + std::to_string(gz->stopped_at) +
                      "; the data decoded before it was read");
    }
    if (ctx.stopped()) stopped_ = true;
    Finish(fs);
  }

  // A pipe, terminal, socket, device, large file, or a gzip file too large to decompress whole: read as it
  // arrives, in steps of at most `chunk_bytes` (0: 64 KiB when streaming, else 1 MiB) read and
  // kWindowBytes decompressed at a time, so only the unfinished line or document and one step are held.
  void ReadStream(StreamSource& src, const std::string& name, size_t chunk_bytes) {
    FileStats fs;
    fs.file = name;
    FileContext ctx(sink_, options_, shared_, fs);
    ctx.path_stream = std::string(input::ExportStreamFromPath(name));
    input::Splitter splitter(ctx);
    PaddedBuffer& window = shared_.window;
    window.Clear();
    if (!window.Reserve(1)) {  // storage from the start: the splitter may be handed an empty window
      Unreadable(name, "out of memory");
      return;
    }
    const size_t chunk_size = chunk_bytes ? chunk_bytes : options_.streaming ? size_t{1} << 16 : size_t{1} << 20;
    if (src.fd >= 0 && chunk_.size() < chunk_size) chunk_.resize(chunk_size);
    input::StreamInflater inflater;
    std::string head;  // first bytes, until gzip or not is known
    enum { kUndecided, kPlain, kGzip } kind = kUndecided;
    uint64_t base = 0;
    bool binary_checked = false;
    bool skipped = false;
    bool read_error = false;
    auto process = [&](bool at_eof) {
      if (!binary_checked && (window.size() > 0 || at_eof)) {
        binary_checked = true;
        if (const char* why = input::BinaryReason(window.view())) {
          ctx.Problem(ProblemKind::kBinaryFile, Position{}, why);
          skipped = true;
          return;
        }
      }
      if (!binary_checked) return;
      // Outside streaming mode, wait for the end (or a big window) before splitting.
      if (!options_.streaming && !at_eof && window.size() < kWindowBytes) return;
      const size_t done = splitter.Process(window.data(), window.size(), base, at_eof);
      window.Consume(done);
      window.Trim();
      base += done;
    };
    auto stop = [&] { return skipped || ctx.stopped() || read_error || inflater.failed(); };
    // Decompresses [p, p + n) one step at a time, each step split before the next is made; n == 0 drains.
    auto inflate = [&](const char* p, size_t n) {
      while (!stop()) {
        const size_t before = window.size();
        const size_t used = inflater.Feed(p, n, window, options_.max_decompressed_bytes, kWindowBytes);
        p += used;
        n -= used;
        fs.bytes += window.size() - before;
        if (window.size() != before) process(false);
        if (n == 0 && !inflater.pending()) break;
        if (used == 0 && window.size() == before) break;  // no progress: needs more input
      }
    };
    auto feed = [&](const char* p, size_t n) {
      if (kind == kGzip) {
        inflate(p, n);
        return;
      }
      if (!window.Append(p, n)) {
        Unreadable(name, "out of memory");
        read_error = true;
        return;
      }
      fs.bytes += n;
      process(false);
    };
    for (;;) {
      // Plain bytes from a file descriptor go straight into the window: one copy (the kernel's), not two.
      const char* got = nullptr;
      ssize_t n;
      if (kind == kPlain && src.fd >= 0) {
        if (window.capacity() - window.size() < chunk_size && !window.Reserve(window.size() + chunk_size)) {
          Unreadable(name, "out of memory");
          read_error = true;
          break;
        }
        n = src.Next(window.data() + window.size(), chunk_size, &got);
        if (n > 0) {
          (void)window.Resize(window.size() + static_cast<size_t>(n));
          fs.bytes += static_cast<size_t>(n);
          process(false);
        }
      } else {
        n = src.Next(chunk_.data(), chunk_size, &got);
        if (n > 0) {
          const size_t len = static_cast<size_t>(n);
          if (kind == kUndecided) {
            head.append(got, len);
            if (head.size() >= 2) {
              kind = input::IsGzip(head) ? kGzip : kPlain;
              feed(head.data(), head.size());
              head.clear();
            }
          } else {
            feed(got, len);
          }
        }
      }
      if (n < 0) {
        Unreadable(name, std::strerror(errno));
        read_error = true;
        break;
      }
      if (n == 0 || stop()) break;
    }
    if (kind == kUndecided && !head.empty()) {
      kind = kPlain;
      feed(head.data(), head.size());
    }
    if (kind == kGzip) inflate(nullptr, 0);  // what zlib still holds
    const bool gzip_cut = kind == kGzip && !inflater.Finish();
    ctx.truncated_input = gzip_cut;
    if (!skipped && !ctx.stopped()) process(true);
    if (gzip_cut && !ctx.stopped() && !skipped) {
      const std::string why = inflater.Problem();
      ctx.Problem(ProblemKind::kTruncatedGzip, Position{0, inflater.error_offset()},
                  why + " at compressed byte " + std::to_string(inflater.error_offset()) +
                      "; the data decoded before it was read");
    }
    window.Clear();
    window.Trim();
    if (ctx.stopped()) stopped_ = true;
    Finish(fs);
  }

  const ReaderOptions& options_;
  RecordSink& sink_;
  input::Shared& shared_;
  input::LoadLimits limits_;
  InputStats stats_;
  bool stopped_ = false;
  std::vector<char> chunk_;
};

}  // namespace

class InputReader::Impl {
 public:
  explicit Impl(const ReaderOptions& options) : options(options) {}
  ReaderOptions options;
  input::Shared shared;
};

InputReader::InputReader(const ReaderOptions& options) : impl_(std::make_unique<Impl>(options)) {}
InputReader::~InputReader() = default;

std::vector<PlannedInput> PlanInputs(const std::vector<std::string>& paths, uint64_t windowed_from) {
  Planner planner(windowed_from);
  std::vector<PlannedInput> items;
  for (const std::string& path : paths) planner.Plan(path, items);
  return items;
}

InputStats InputReader::Read(const std::vector<std::string>& paths, RecordSink& sink) {
  return Read(PlanInputs(paths, impl_->options.windowed_from), sink);
}

InputStats InputReader::Read(const std::vector<PlannedInput>& inputs, RecordSink& sink) {
  Reader reader(impl_->options, impl_->shared, sink);
  reader.ReadItems(inputs);
  return std::move(reader.stats());
}

InputStats InputReader::ReadMemory(std::string_view name, std::string_view data, RecordSink& sink, bool padded) {
  Reader reader(impl_->options, impl_->shared, sink);
  if (padded) {
    reader.ReadBytes(std::string(name), data);
  } else {
    PaddedBuffer copy;
    if (!copy.Append(data.data(), data.size()) || !copy.Reserve(1)) {
      sink.OnProblem(InputProblem{ProblemKind::kUnreadable, std::string(name), 0, 0, "out of memory"});
      InputStats stats;
      stats.unreadable = 1;
      return stats;
    }
    reader.ReadBytes(std::string(name), copy.view());
  }
  return std::move(reader.stats());
}

InputStats ReadInputs(const std::vector<std::string>& paths, const ReaderOptions& options, RecordSink& sink) {
  return InputReader(options).Read(paths, sink);
}

InputStats ReadMemory(std::string_view name, std::string_view data, const ReaderOptions& options,
                      RecordSink& sink, bool padded) {
  return InputReader(options).ReadMemory(name, data, sink, padded);
}

}  // namespace trailwatch::engine
