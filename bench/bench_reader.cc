// bench_reader.cc: the input layer's throughput (bytes/s of decompressed input, records/s) on ~50 MB built in
// memory from the real records in tests/data (no big file is committed):
//   ReadNdjson            NDJSON of CloudTrail records (one compact record per line)
//   ReadRecordsPlain      one compact {"Records":[...]} document
//   ReadRecordsGzip       the same document gzipped (one member, level 6)
//   GunzipOnly            baseline: libdeflate decompression of that gzip alone
//   OnDemandNdjsonWalk    baseline: simdjson On-Demand iterate_many over the NDJSON, touching eventName
//   ReadS3Directory       the 55 real .json.gz files of tests/data/cloudtrail/s3 through an InputReader (mmap,
//                         the next file decompressed on a worker thread); ...NoPrefetch: all on one thread
//   GunzipS3Only          baseline: libdeflate on the same 55 files already in memory
// Each benchmark checks its record count against the reference before timing (SkipWithError otherwise).
#include <benchmark/benchmark.h>
#include <libdeflate.h>
#include <simdjson.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "engine/input/reader.h"

namespace {

using trailwatch::engine::InputProblem;
using trailwatch::engine::InputRecord;
using trailwatch::engine::InputStats;
using trailwatch::engine::ReaderOptions;
using trailwatch::engine::ReadInputs;
using trailwatch::engine::ReadMemory;
using trailwatch::engine::RecordSink;

constexpr size_t kTargetBytes = size_t{50} << 20;

class CountingSink : public RecordSink {
 public:
  bool OnRecord(const InputRecord& r) override {
    ++records;
    bytes += r.message.size();
    return true;
  }
  void OnProblem(const InputProblem&) override { ++problems; }
  uint64_t records = 0, bytes = 0, problems = 0;
};

class CollectSink : public RecordSink {
 public:
  bool OnRecord(const InputRecord& r) override {
    messages.emplace_back(r.message);
    return true;
  }
  void OnProblem(const InputProblem&) override {}
  std::vector<std::string> messages;
};

std::string S3Dir() { return std::string(TW_SOURCE_DIR) + "/tests/data/cloudtrail/s3"; }

struct Corpus {
  std::string ndjson, records, gzip;  // each followed by padding bytes (capacity), sizes below
  size_t ndjson_size = 0, records_size = 0, gzip_size = 0;
  uint64_t count = 0;  // records in each
};

const Corpus& GetCorpus() {
  static const Corpus corpus = [] {
    Corpus c;
    CollectSink sink;
    ReadInputs({S3Dir()}, ReaderOptions(), sink);
    c.records = "{\"Records\":[";
    while (c.ndjson.size() < kTargetBytes && !sink.messages.empty()) {
      for (const std::string& m : sink.messages) {
        c.ndjson += m;
        c.ndjson += '\n';
        if (c.count > 0) c.records += ',';
        c.records += m;
        ++c.count;
      }
    }
    c.records += "]}\n";
    libdeflate_compressor* z = libdeflate_alloc_compressor(6);
    c.gzip.resize(libdeflate_gzip_compress_bound(z, c.records.size()));
    c.gzip.resize(libdeflate_gzip_compress(z, c.records.data(), c.records.size(), c.gzip.data(), c.gzip.size()));
    libdeflate_free_compressor(z);
    c.ndjson_size = c.ndjson.size();
    c.records_size = c.records.size();
    c.gzip_size = c.gzip.size();
    for (std::string* s : {&c.ndjson, &c.records, &c.gzip}) s->append(trailwatch::engine::kReadMemoryPadding, '\0');
    return c;
  }();
  return corpus;
}

void RunRead(benchmark::State& state, std::string_view name, const std::string& data, size_t size,
             uint64_t decompressed) {
  const Corpus& c = GetCorpus();
  {
    CountingSink check;
    ReadMemory(name, std::string_view(data.data(), size), ReaderOptions(), check, true);
    if (check.records != c.count || check.problems != 0) {
      state.SkipWithError("record count differs from the reference");
      return;
    }
  }
  // One InputReader for all iterations, as a replay keeps one per thread: its buffers are warm.
  trailwatch::engine::InputReader reader;
  for (auto _ : state) {
    CountingSink sink;
    reader.ReadMemory(name, std::string_view(data.data(), size), sink, true);
    benchmark::DoNotOptimize(sink.bytes);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * decompressed));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * c.count));
}

void BM_ReadNdjson(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  RunRead(state, "bench.ndjson", c.ndjson, c.ndjson_size, c.ndjson_size);
}
BENCHMARK(BM_ReadNdjson)->Unit(benchmark::kMillisecond);

void BM_ReadRecordsPlain(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  RunRead(state, "bench.json", c.records, c.records_size, c.records_size);
}
BENCHMARK(BM_ReadRecordsPlain)->Unit(benchmark::kMillisecond);

void BM_ReadRecordsGzip(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  RunRead(state, "bench.json.gz", c.gzip, c.gzip_size, c.records_size);
}
BENCHMARK(BM_ReadRecordsGzip)->Unit(benchmark::kMillisecond);

void BM_GunzipOnly(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  std::string out(c.records_size + 64, '\0');
  size_t n = 0;
  if (libdeflate_gzip_decompress(d, c.gzip.data(), c.gzip_size, out.data(), out.size(), &n) != LIBDEFLATE_SUCCESS ||
      n != c.records_size) {
    state.SkipWithError("gunzip failed");
  }
  for (auto _ : state) {
    libdeflate_gzip_decompress(d, c.gzip.data(), c.gzip_size, out.data(), out.size(), &n);
    benchmark::DoNotOptimize(out.data());
  }
  libdeflate_free_decompressor(d);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.records_size));
}
BENCHMARK(BM_GunzipOnly)->Unit(benchmark::kMillisecond);

void BM_OnDemandNdjsonWalk(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  simdjson::ondemand::parser parser;
  auto walk = [&] {
    uint64_t docs = 0, names = 0;
    simdjson::ondemand::document_stream stream;
    if (parser.iterate_many(c.ndjson.data(), c.ndjson_size, size_t{1} << 20).get(stream)) return uint64_t{0};
    for (auto doc : stream) {
      std::string_view name;
      if (!doc["eventName"].get_string().get(name)) names += name.size();
      ++docs;
    }
    benchmark::DoNotOptimize(names);
    return docs;
  };
  if (walk() != c.count) state.SkipWithError("document count differs from the reference");
  for (auto _ : state) benchmark::DoNotOptimize(walk());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.ndjson_size));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * c.count));
}
BENCHMARK(BM_OnDemandNdjsonWalk)->Unit(benchmark::kMillisecond);

void ReadS3Directory(benchmark::State& state, bool prefetch) {
  ReaderOptions options;
  options.prefetch = prefetch;
  CountingSink check;
  const InputStats stats = ReadInputs({S3Dir()}, options, check);
  if (check.records != 2900 || check.problems != 0) state.SkipWithError("expected 2,900 records");
  trailwatch::engine::InputReader reader(options);
  for (auto _ : state) {
    CountingSink sink;
    reader.Read({S3Dir()}, sink);
    benchmark::DoNotOptimize(sink.bytes);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * stats.bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 2900));
}

void BM_ReadS3Directory(benchmark::State& state) { ReadS3Directory(state, true); }
BENCHMARK(BM_ReadS3Directory)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ReadS3DirectoryNoPrefetch(benchmark::State& state) { ReadS3Directory(state, false); }
BENCHMARK(BM_ReadS3DirectoryNoPrefetch)->Unit(benchmark::kMillisecond)->UseRealTime();

// Baseline for the two above: libdeflate on the same 55 files, already in memory.
void BM_GunzipS3Only(benchmark::State& state) {
  std::vector<std::string> files;
  CollectSink names;
  const InputStats stats = ReadInputs({S3Dir()}, ReaderOptions(), names);
  for (const auto& f : stats.by_file) {
    std::ifstream in(f.file, std::ios::binary);
    files.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  std::string out(8 << 20, '\0');
  for (auto _ : state) {
    size_t total = 0;
    for (const std::string& gz : files) {
      size_t n = 0;
      libdeflate_gzip_decompress(d, gz.data(), gz.size(), out.data(), out.size(), &n);
      total += n;
    }
    benchmark::DoNotOptimize(total);
  }
  libdeflate_free_decompressor(d);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * stats.bytes));
}
BENCHMARK(BM_GunzipS3Only)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
