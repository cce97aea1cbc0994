// cmd_grep.cc: `trailwatch grep` — filter a stream of log events with a CloudWatch Logs filter pattern.
//
// grep's conventions: matching messages on stdout (one per line), -c counts, -q is silent, exit 0 when
// something matched, 1 when nothing did, 2 on an error (unreadable input, invalid pattern, bad usage).
// Malformed records are reported on stderr with their file and position and counted, but do not change the
// exit status. Reading a pipe, each match is printed (and flushed) as soon as its line arrives.
#include <boost/program_options.hpp>

#include <csignal>
#include <cstdio>
#include <iostream>

#include "engine/filter/filter_set.h"
#include "engine/input/reader.h"
#include "patterns/filter/compile.h"
#include "tools/cli_util.h"
#include "tools/commands.h"

namespace po = boost::program_options;

namespace trailwatch::cli {

namespace {

constexpr const char* kUsage =
    "usage: trailwatch grep --filter-pattern PATTERN [options] [FILE...]\n"
    "\n"
    "Prints the log events that a CloudWatch Logs filter pattern matches. FILEs may be log files, CloudTrail\n"
    "files ({\"Records\":[...]}, plain or .gz: one event per record), NDJSON, `aws logs filter-log-events`\n"
    "output, directories (read recursively) or - for stdin (the default).\n";

class GrepSink : public engine::RecordSink {
 public:
  GrepSink(const engine::FilterSet& set, bool count_only, bool quiet, bool invert, bool with_filename,
           uint64_t max_count, bool flush_each)
      : set_(set), count_only_(count_only), quiet_(quiet), invert_(invert), with_filename_(with_filename),
        max_count_(max_count), flush_each_(flush_each) {}

  bool OnRecord(const engine::InputRecord& r) override {
    set_.Evaluate(r.message, scratch_);
    if (set_.Matched(0, scratch_) == invert_) return true;
    ++matches_;
    if (quiet_) return false;  // the answer is known
    if (!count_only_) {
      if (with_filename_) {
        std::fwrite(r.file.data(), 1, r.file.size(), stdout);
        if (r.line > 0) std::fprintf(stdout, ":%llu", static_cast<unsigned long long>(r.line));
        std::fputc(':', stdout);
      }
      std::fwrite(r.message.data(), 1, r.message.size(), stdout);
      std::fputc('\n', stdout);
      if (flush_each_) std::fflush(stdout);
      if (std::ferror(stdout)) {
        broken_ = true;
        return false;
      }
    }
    return max_count_ == 0 || matches_ < max_count_;
  }

  void OnProblem(const engine::InputProblem& p) override {
    if (p.kind == engine::ProblemKind::kUnreadable) error_ = true;
    if (p.kind == engine::ProblemKind::kSkippedFile || suppress_) return;
    std::fflush(stdout);
    std::cerr << "trailwatch: " << p.file;
    if (p.line > 0) std::cerr << ":" << p.line;
    else std::cerr << ":@" << p.offset;
    std::cerr << ": " << engine::ProblemKindName(p.kind) << ": " << p.message << "\n";
  }

  uint64_t matches() const { return matches_; }
  bool error() const { return error_; }
  bool broken() const { return broken_; }
  bool suppress_ = false;

 private:
  const engine::FilterSet& set_;
  engine::FilterScratch scratch_;
  bool count_only_, quiet_, invert_, with_filename_;
  uint64_t max_count_;
  bool flush_each_;
  uint64_t matches_ = 0;
  bool error_ = false;
  bool broken_ = false;
};

}  // namespace

int RunGrep(int argc, char** argv) {
  po::options_description desc("options");
  desc.add_options()
      ("help,h", "show this help")
      ("filter-pattern,f", po::value<std::string>(), "CloudWatch Logs filter pattern (or file://path)")
      ("count,c", "print only the number of matching events")
      ("quiet,q", "print nothing; exit 0 on the first match")
      ("invert-match,v", "select the events that do not match")
      ("with-filename,H", "prefix each match with its file and line")
      ("max-count,m", po::value<uint64_t>()->default_value(0), "stop after N matches")
      ("no-messages,s", "do not report malformed input on stderr (it is still counted)")
      ("no-expand", "treat each line or document as one message (do not split {\"Records\":[...]})");
  po::options_description hidden;
  hidden.add_options()("input", po::value<std::vector<std::string>>(), "inputs");
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("input", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError{std::string(e.what()) + "\n" + kUsage, kExitError};
  }
  if (vm.count("help")) {
    std::cout << kUsage << "\n" << desc;
    return kExitOk;
  }
  if (!vm.count("filter-pattern")) throw UsageError{std::string("--filter-pattern is required\n") + kUsage, kExitError};
  const std::string pattern = LoadParamValue(vm["filter-pattern"].as<std::string>());
  auto compiled = filter::CompileFilterPattern(pattern);
  if (!compiled.ok()) {
    const Diagnostic& d = compiled.error();
    std::cerr << "trailwatch: invalid filter pattern (" << d.exception << ": "
              << (d.aws_message.empty() ? d.message : d.aws_message) << ")\n"
              << RenderDiagnostic(pattern, d);
    return kExitError;
  }
  PrintWarnings(pattern, compiled.value()->warnings);
  engine::FilterSet set({compiled.value()});

  std::vector<std::string> inputs;
  if (vm.count("input")) inputs = vm["input"].as<std::vector<std::string>>();
  if (inputs.empty()) inputs.push_back("-");

  std::signal(SIGPIPE, SIG_IGN);
  static char buffer[1 << 16];
  const bool tty = StdoutIsTerminal();
  if (!tty) std::setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
  // Flush each match when reading a pipe or terminal, so `tail -f | trailwatch grep` shows matches live.
  bool flush_each = tty;
  for (const std::string& in : inputs) flush_each = flush_each || in == "-";

  GrepSink sink(set, vm.count("count") > 0, vm.count("quiet") > 0, vm.count("invert-match") > 0,
                vm.count("with-filename") > 0, vm["max-count"].as<uint64_t>(), flush_each);
  sink.suppress_ = vm.count("no-messages") > 0;
  engine::ReaderOptions options;
  options.expand_containers = vm.count("no-expand") == 0;
  engine::ReadInputs(inputs, options, sink);
  if (vm.count("count")) std::printf("%llu\n", static_cast<unsigned long long>(sink.matches()));
  std::fflush(stdout);
  if (sink.broken()) return kExitOk;  // like ripgrep, a closed pipe is not an error
  if (vm.count("quiet") && sink.matches() > 0) return kExitOk;
  if (sink.error()) return kExitError;
  return sink.matches() > 0 ? kExitOk : kExitNoMatch;
}

}  // namespace trailwatch::cli
