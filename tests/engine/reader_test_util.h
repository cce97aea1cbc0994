// reader_test_util.h: helpers for the input-layer tests — a sink that keeps copies of what it gets, temporary
// directories, whole-file read/write, gzip.
#pragma once

#include <gtest/gtest.h>
#include <libdeflate.h>
#include <simdjson.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "engine/input/reader.h"

namespace trailwatch::engine::testing {

struct Rec {
  std::string message;
  RecordShape shape;
  InputFormat format;
  int64_t timestamp_ms;
  std::string log_group, log_stream, file;
  uint64_t line, offset;
  uint32_t index;
};

class CollectingSink : public RecordSink {
 public:
  bool OnRecord(const InputRecord& r) override {
    records.push_back(Rec{std::string(r.message), r.shape, r.format, r.timestamp_ms, std::string(r.log_group),
                          std::string(r.log_stream), std::string(r.file), r.line, r.offset, r.index});
    return records.size() < stop_after;
  }
  void OnProblem(const InputProblem& p) override { problems.push_back(p); }

  size_t Count(ProblemKind kind) const {
    size_t n = 0;
    for (const auto& p : problems) n += p.kind == kind;
    return n;
  }
  std::vector<std::string> Messages() const {
    std::vector<std::string> out;
    for (const auto& r : records) out.push_back(r.message);
    return out;
  }
  std::string ProblemText() const {
    std::string s;
    for (const auto& p : problems) {
      s += p.file + ":" + std::to_string(p.line) + ":@" + std::to_string(p.offset) + ": " + ProblemKindName(p.kind) +
           ": " + p.message + "\n";
    }
    return s;
  }

  std::vector<Rec> records;
  std::vector<InputProblem> problems;
  size_t stop_after = static_cast<size_t>(-1);
};

inline std::string DataPath(const std::string& rel) { return std::string(TW_TEST_DATA_DIR) + "/" + rel; }

// Two S3 delivery files of tests/data (relative to it): 63 records, and 1 record.
inline constexpr const char* kS3File63 =
    "cloudtrail/s3/AWSLogs/218007301253/CloudTrail/us-east-1/2023/07/10/"
    "218007301253_CloudTrail_us-east-1_20230710T1230Z_AvIajGd5rkz6vTy4.json.gz";
inline constexpr const char* kS3File1 =
    "cloudtrail/s3/AWSLogs/218007301253/CloudTrail/us-east-1/2023/07/10/"
    "218007301253_CloudTrail_us-east-1_20230710T1215Z_dTTFsx4I2m3om5Oy.json.gz";

inline std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void WriteFileBytes(const std::string& path, std::string_view bytes) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline std::string Gzip(std::string_view data, int level = 6) {
  libdeflate_compressor* c = libdeflate_alloc_compressor(level);
  std::string out(libdeflate_gzip_compress_bound(c, data.size()), '\0');
  out.resize(libdeflate_gzip_compress(c, data.data(), data.size(), out.data(), out.size()));
  libdeflate_free_compressor(c);
  return out;
}

inline std::string Gunzip(std::string_view gz) {
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  std::string out(gz.size() * 20 + 4096, '\0');
  size_t in_used = 0, n = 0;
  std::string all;
  size_t pos = 0;
  while (pos < gz.size()) {
    if (libdeflate_gzip_decompress_ex(d, gz.data() + pos, gz.size() - pos, out.data(), out.size(), &in_used, &n) !=
        LIBDEFLATE_SUCCESS) {
      break;
    }
    all.append(out.data(), n);
    pos += in_used;
  }
  libdeflate_free_decompressor(d);
  return all;
}

// True when s has no whitespace outside strings (it equals its minified form).
inline bool IsCompact(const std::string& s) {
  std::string out(s.size() + 64, '\0');
  size_t len = 0;
  if (simdjson::minify(s.data(), s.size(), out.data(), len) != simdjson::SUCCESS) return false;
  return len == s.size();
}

// Lines of a file (without end-of-line), blank lines dropped.
inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(line);
    pos = nl + 1;
  }
  return out;
}

// A fresh temporary directory, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "tw-input-XXXXXX").string();
    path_ = mkdtemp(tmpl.data()) != nullptr ? tmpl : std::string();
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ec);
    std::filesystem::remove_all(path_, ec);
  }
  std::string Path(const std::string& rel) const { return path_ + "/" + rel; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline InputStats Read(const std::vector<std::string>& paths, CollectingSink& sink,
                       const ReaderOptions& options = ReaderOptions()) {
  return ReadInputs(paths, options, sink);
}

// Checks that the stats agree with what the sink saw.
inline void ExpectStatsMatchSink(const InputStats& stats, const CollectingSink& sink) {
  EXPECT_EQ(stats.records, sink.records.size());
  const size_t malformed = sink.Count(ProblemKind::kMalformedJson) + sink.Count(ProblemKind::kMalformedRecord) +
                           sink.Count(ProblemKind::kTruncatedGzip) + sink.Count(ProblemKind::kOversizeEvent);
  EXPECT_EQ(stats.malformed, malformed);
  EXPECT_EQ(stats.unreadable, sink.Count(ProblemKind::kUnreadable));
  EXPECT_GE(stats.skipped, sink.Count(ProblemKind::kSkippedFile) + sink.Count(ProblemKind::kBinaryFile) +
                               sink.Count(ProblemKind::kNotRead));
  uint64_t records = 0, bad = 0, skipped = 0;
  for (const auto& f : stats.by_file) {
    records += f.records;
    bad += f.malformed;
    skipped += f.skipped;
  }
  EXPECT_EQ(records, stats.records);
  EXPECT_EQ(bad, stats.malformed);
  EXPECT_EQ(skipped, stats.skipped);
}

}  // namespace trailwatch::engine::testing
