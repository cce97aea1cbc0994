// cmd_generate.cc: `trailwatch generate-corpus` — writes a realistic, deterministic CloudTrail corpus (NDJSON,
// the S3 layout of .json.gz files, EventBridge-wrapped NDJSON) for benchmarks and tests, and prints the exact
// number of records each benchmark filter and rule matches (also written to expected.json). The work is in
// tools/corpus/ (generator.h); this file maps options to it. Exit 0 on success, 2 on bad usage or I/O error.
#include <boost/program_options.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "tools/cli_util.h"
#include "tools/commands.h"
#include "tools/options.h"
#include "tools/corpus/generator.h"

namespace po = boost::program_options;

namespace trailwatch::cli {

namespace {

constexpr const char* kUsage =
    "usage: trailwatch generate-corpus --out-dir DIR (--size SIZE | --records N) [options]\n"
    "\n"
    "Writes a realistic CloudTrail corpus, the same records in up to three forms:\n"
    "  DIR/records.ndjson       one compact record per line\n"
    "  DIR/AWSLogs/...          the S3 layout of a multi-Region trail (.json.gz per Region and delivery window)\n"
    "  DIR/eventbridge.ndjson   each record as the EventBridge event it becomes\n"
    "and DIR/expected.json (exact counts for the 16 benchmark filters and rules), DIR/rules16.json (the\n"
    "EventBridge benchmark rules). The same options always give the same bytes.\n";

}  // namespace

CommandSpec GenerateCorpusSpec() {
  CommandSpec spec{"generate-corpus", "write a realistic CloudTrail corpus and its expected benchmark counts",
                   kUsage};
  po::options_description& desc = spec.options;
  flags::Help(desc);
  desc.add_options()
      ("out-dir,d", po::value<std::string>()->value_name("DIR"), "output directory (created)")
      ("size", po::value<std::string>()->value_name("SIZE"), "size of records.ndjson: 100MB, 1GB, ... (K/M/G are powers of 1024)")
      ("records,n", po::value<Count>()->value_name("N"), "exact number of records (instead of --size)")
      ("seed", po::value<Count>()->default_value(Count{1})->value_name("N"), "random seed")
      ("format,f", po::value<std::string>()->default_value("all")->value_name("FORMATS"),
       "what to write: all, or a comma list of ndjson, s3, eventbridge")
      ("account", po::value<std::string>()->default_value("123456789012")->value_name("ID"), "the 12-digit account id")
      ("start", po::value<std::string>()->default_value("2024-06-01T00:00:00Z")->value_name("TIME"), "time of the first record")
      ("duration", po::value<std::string>()->default_value("12h")->value_name("DURATION"), "time the records span: 90s, 30m, 12h, 2d")
      ("match-rate", po::value<double>()->default_value(0.005)->value_name("RATE"),
       "share of records that are injected security events (sign-ins, root usage, CIS-watched changes)")
      ("delivery-minutes", po::value<int>()->default_value(5)->value_name("N"), "one S3 file per Region per this many minutes")
      ("gzip-level", po::value<int>()->default_value(6)->value_name("N"), "libdeflate level of the .json.gz files (1-12)")
      ("quiet,q", "print nothing");
  spec.exit_status = "0 when the corpus is written, 2 on bad usage or a file that cannot be written.";
  return spec;
}

Parsed<GenerateConfig> ParseGenerateCorpus(int argc, char** argv) {
  const CommandSpec spec = GenerateCorpusSpec();
  const po::options_description& desc = spec.options;
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError{OptionErrorText(e, desc) + "\n" + kUsage, kExitError};
  }
  if (vm.count("help")) {
    std::cout << kUsage << "\n" << desc;
    return Stop{};
  }
  GenerateConfig config;
  corpus::CorpusOptions& o = config.options;
  if (!vm.count("out-dir")) throw UsageError{std::string("--out-dir is required\n") + kUsage, kExitError};
  o.out_dir = vm["out-dir"].as<std::string>();
  if (vm.count("records")) {
    o.records = vm["records"].as<Count>().value;
    if (o.records == 0) throw UsageError{"--records must be positive", kExitError};
  } else if (vm.count("size")) {
    if (!corpus::ParseSize(vm["size"].as<std::string>(), &o.target_bytes)) {
      throw UsageError{"--size: expected a size such as 100MB or 1GB", kExitError};
    }
  } else {
    throw UsageError{std::string("--size or --records is required\n") + kUsage, kExitError};
  }
  o.seed = vm["seed"].as<Count>().value;
  o.account = vm["account"].as<std::string>();
  if (!corpus::ParseTime(vm["start"].as<std::string>(), &o.start)) {
    throw UsageError{"--start: expected YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DD", kExitError};
  }
  if (!corpus::ParseDuration(vm["duration"].as<std::string>(), &o.duration)) {
    throw UsageError{"--duration: expected a duration such as 90s, 30m, 12h or 2d", kExitError};
  }
  o.match_rate = vm["match-rate"].as<double>();
  o.delivery_minutes = vm["delivery-minutes"].as<int>();
  o.gzip_level = vm["gzip-level"].as<int>();
  const std::string format = vm["format"].as<std::string>();
  if (format != "all") {
    o.write_ndjson = o.write_s3 = o.write_eventbridge = false;
    std::stringstream ss(format);
    std::string item;
    while (std::getline(ss, item, ',')) {
      if (item == "ndjson") o.write_ndjson = true;
      else if (item == "s3") o.write_s3 = true;
      else if (item == "eventbridge") o.write_eventbridge = true;
      else throw UsageError{"--format: expected all, or a comma list of ndjson, s3, eventbridge", kExitError};
    }
  }
  config.quiet = vm.count("quiet") > 0;
  return config;
}

int RunGenerateCorpus(const GenerateConfig& config) {
  const corpus::CorpusOptions& o = config.options;
  corpus::CorpusSummary summary;
  std::string error;
  if (!corpus::GenerateCorpus(o, &summary, &error)) {
    PrintToolError(error);
    return kExitError;
  }
  const std::string expected = corpus::ExpectedJson(o, summary);
  if (!WriteTextFile(o.out_dir + "/expected.json", expected) || !WriteTextFile(o.out_dir + "/rules16.json", corpus::RulesJson())) {
    PrintToolError("cannot write " + o.out_dir + "/expected.json");
    return kExitError;
  }
  if (!config.quiet) {
    const corpus::ExpectedCounts& e = summary.expected;
    std::printf("trailwatch generate-corpus: %llu records, %.1f MB NDJSON", static_cast<unsigned long long>(e.records),
                static_cast<double>(summary.ndjson_bytes) / 1e6);
    if (o.write_s3) {
      std::printf(", %llu .json.gz files (%.1f MB)", static_cast<unsigned long long>(summary.s3_files),
                  static_cast<double>(summary.s3_bytes) / 1e6);
    }
    std::printf(", %s to %s\n", corpus::FormatTime(summary.first_time).c_str(),
                corpus::FormatTime(summary.last_time).c_str());
    std::printf("expected matches (records | EventBridge events):\n");
    for (int i = 0; i < corpus::kFilterCount; ++i) {
      std::printf("  %-22s %10llu | %llu\n", corpus::FilterId(i),
                  static_cast<unsigned long long>(e.filter_records[i]),
                  static_cast<unsigned long long>(e.filter_wrapped[i]));
    }
    std::printf("EventBridge rules (bench/rules16.json):\n");
    for (int i = 0; i < corpus::kRuleCount; ++i) {
      std::printf("  %-28s %10llu\n", corpus::RuleId(i), static_cast<unsigned long long>(e.rules[i]));
    }
  }
  return kExitOk;
}

}  // namespace trailwatch::cli
