// cmd_grep.cc: `trailwatch grep` — filter a stream of log events with a CloudWatch Logs filter pattern
// (--filter-pattern) or an EventBridge event pattern (--event-pattern; exactly one of the two).
//
// With --event-pattern every JSON object is an event (envelope or not); a CloudTrail record is matched as the
// EventBridge event it becomes (wrapped, engine/event/cloudtrail.h) and printed as matched, unless --no-wrap;
// --rule-state STATE drops the CloudTrail records a rule in that state would not receive.
// grep's conventions: matching messages on stdout (one per line), -c counts, -q is silent, exit 0 when
// something matched, 1 when nothing did, 2 on an error (unreadable input, invalid pattern, bad usage).
// Malformed records are reported on stderr with their file and position and counted, but do not change the
// exit status; an unreadable input or a file skipped as binary makes it 2 (as GNU grep's). A failed write to
// stdout is an error (exit 2), except a broken pipe (exit 0, as in ripgrep). Reading a pipe, each match is printed (and flushed) as soon as its line arrives.
#include <boost/program_options.hpp>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>

#include "engine/event/cloudtrail.h"
#include "engine/event/matcher.h"
#include "engine/filter/filter_set.h"
#include "engine/input/reader.h"
#include "patterns/event/compile.h"
#include "patterns/event/parser.h"
#include "patterns/filter/compile.h"
#include "engine/explain/explain.h"
#include "tools/cli_util.h"
#include "tools/report/explain_text.h"
#include "tools/report/format.h"
#include "tools/commands.h"
#include "tools/options.h"

namespace po = boost::program_options;

namespace trailwatch::cli {

namespace {

constexpr const char* kUsage =
    "usage: trailwatch grep --filter-pattern PATTERN [options] [FILE...]\n"
    "       trailwatch grep --event-pattern PATTERN [--no-wrap] [--rule-state STATE] [options] [FILE...]\n"
    "\n"
    "Prints the log events that a CloudWatch Logs filter pattern (or the events that an EventBridge event\n"
    "pattern) matches. FILEs may be log files, CloudTrail\n"
    "files ({\"Records\":[...]}, plain or .gz: one event per record), NDJSON, `aws logs filter-log-events`\n"
    "output, directories (read recursively) or - for stdin (the default).\n";

class GrepSink : public engine::RecordSink {
 public:
  GrepSink(const engine::FilterSet* filters, const engine::EventMatcher* events, bool count_only, bool quiet,
           bool invert, bool with_filename, uint64_t max_count, bool flush_each)
      : filters_(filters), events_(events), count_only_(count_only), quiet_(quiet), invert_(invert),
        with_filename_(with_filename), max_count_(max_count), flush_each_(flush_each) {}

  bool wrap_ = true;
  bool has_rule_state_ = false;
  engine::RuleState rule_state_ = engine::RuleState::kEnabled;

  bool OnRecord(const engine::InputRecord& r) override {
    std::string_view message = r.message;
    bool matched;
    if (events_ != nullptr) {
      if (r.shape == engine::RecordShape::kCloudTrailRecord) {
        if ((has_rule_state_ || wrap_) && cloudtrail_.Read(message, &facts_, &error_text_)) {
          if (has_rule_state_ && !engine::DeliveredToRule(facts_, rule_state_)) {
            return true;  // the rule never sees this record: neither a match nor a non-match
          }
          if (wrap_) {
            cloudtrail_.Wrap(message, facts_, &wrapped_);
            message = wrapped_;
          }
        }
      }
      matched = events_->Evaluate(message, event_scratch_) && events_->Matched(0, event_scratch_);
      const engine::EventStatus status = event_scratch_.status();
      if (status == engine::EventStatus::kTooDeep ||
          (status == engine::EventStatus::kInvalid && r.shape != engine::RecordShape::kText)) {
        OnProblem(engine::InputProblem{
            engine::ProblemKind::kNotEvaluated, std::string(r.file), r.line, r.offset,
            status == engine::EventStatus::kTooDeep
                ? "event nested deeper than " + std::to_string(engine::EventMatcher::kMaxDepth) +
                      " levels: event patterns cannot match it"
                : std::string("event is not one valid JSON object: event patterns cannot match it")});
      }
    } else {
      filters_->Evaluate(message, scratch_);
      matched = filters_->Matched(0, scratch_);
      if (scratch_.json_unparsed()) {
        OnProblem(engine::InputProblem{engine::ProblemKind::kNotEvaluated, std::string(r.file), r.line, r.offset,
                                       scratch_.json_error() + ": JSON filter patterns cannot match it (read as text)"});
      }
    }
    if (matched == invert_) return true;
    ++matches_;
    if (quiet_) return false;  // the answer is known
    if (!count_only_) {
      if (with_filename_) {
        std::fwrite(r.file.data(), 1, r.file.size(), stdout);
        if (r.line > 0) std::fprintf(stdout, ":%llu", static_cast<unsigned long long>(r.line));
        std::fputc(':', stdout);
      }
      std::fwrite(message.data(), 1, message.size(), stdout);
      std::fputc('\n', stdout);
      if (explain_) {
        Result<explain::Explanation> x =
            events_ != nullptr ? explain::ExplainEvent(pattern_, message) : explain::ExplainFilter(pattern_, message);
        if (x.ok()) {
          const std::string text = report::ExplainText(x.value(), "    ");
          std::fwrite(text.data(), 1, text.size(), stdout);
        }
      }
      if (flush_each_) std::fflush(stdout);
      if (std::ferror(stdout)) {
        write_errno_ = errno;
        broken_ = true;
        return false;
      }
    }
    return max_count_ == 0 || matches_ < max_count_;
  }

  void OnProblem(const engine::InputProblem& p) override {
    // An input that could not be read (or was skipped as binary) makes the exit status 2, as in GNU grep;
    // files that hold no events by design (digests, ...) are skipped silently.
    if (p.kind == engine::ProblemKind::kUnreadable || p.kind == engine::ProblemKind::kBinaryFile) error_ = true;
    if (p.kind == engine::ProblemKind::kSkippedFile || suppress_) return;
    std::fflush(stdout);
    std::cerr << "trailwatch: " << report::FormatProblem(p) << "\n";
  }

  uint64_t matches() const { return matches_; }
  bool error() const { return error_; }
  bool broken() const { return broken_; }
  int write_errno() const { return write_errno_; }
  int write_errno_ = 0;
  bool broken_ = false;
  bool suppress_ = false;
  bool explain_ = false;     // --explain: each printed event's explanation after it
  std::string pattern_;      // the pattern text, for the explanation

 private:
  const engine::FilterSet* filters_;
  const engine::EventMatcher* events_;
  engine::FilterScratch scratch_;
  engine::EventScratch event_scratch_;
  std::string wrapped_;
  engine::CloudTrailReader cloudtrail_;  // one parse per CloudTrail record for its rule state and its envelope
  engine::CloudTrailFacts facts_;
  std::string error_text_;
  bool count_only_, quiet_, invert_, with_filename_;
  uint64_t max_count_;
  bool flush_each_;
  uint64_t matches_ = 0;
  bool error_ = false;
};

}  // namespace

CommandSpec GrepSpec() {
  CommandSpec spec{"grep",
                   "print the events a filter pattern or an event pattern matches (files, CloudTrail, stdin)",
                   kUsage};
  po::options_description& desc = spec.options;
  flags::Help(desc);
  flags::FilterPattern(desc, true);
  flags::EventPattern(desc);
  desc.add_options()
      ("no-wrap", "--event-pattern: match CloudTrail records as they are, not as EventBridge events")
      ("rule-state",
       po::value<std::string>()->value_name("ENABLED|ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS|DISABLED"),
       "--event-pattern: skip CloudTrail records a rule in this state does not receive");
  flags::PatternSizeLimit(desc);
  desc.add_options()
      ("count,c", "print only the number of matching events")
      ("quiet,q", "print nothing; exit 0 on the first match")
      ("invert-match,v", "select the events that do not match")
      ("with-filename,H", "prefix each match with its file and line")
      ("max-count,m", po::value<Count>()->default_value(Count{0})->value_name("N"), "stop after N matches")
      ("no-messages,s", "do not report malformed input on stderr (it is still counted)")
      ("no-expand", "treat each line or document as one message (do not split {\"Records\":[...]})");
  flags::Explain(desc);
  spec.file_operands = true;
  spec.exit_status =
      "0 when something matched, 1 when nothing did, 2 on an error: bad usage, an invalid pattern, an unreadable "
      "input or a file skipped as binary, a failed write to standard output (a broken pipe is not one). Malformed "
      "records are reported and counted but do not change it.";
  return spec;
}

Parsed<GrepConfig> ParseGrep(int argc, char** argv) {
  const CommandSpec spec = GrepSpec();
  const po::options_description& desc = spec.options;
  po::variables_map vm;
  std::vector<std::string> inputs;
  if (!ParseWithOperands(argc, argv, desc, kUsage, &vm, &inputs)) return Stop{};
  const bool use_filter = vm.count("filter-pattern") > 0, use_event = vm.count("event-pattern") > 0;
  if (use_filter == use_event) {
    return Stop{kExitError, std::string("exactly one of --filter-pattern and --event-pattern is required\n") + kUsage};
  }
  GrepConfig c;
  c.filter = use_filter;
  c.pattern = LoadParamValue(vm[use_filter ? "filter-pattern" : "event-pattern"].as<std::string>());
  c.pattern_size_limit = static_cast<size_t>(vm["pattern-size-limit"].as<Count>().value);
  if (vm.count("rule-state")) {
    engine::RuleState state = engine::RuleState::kEnabled;
    if (!engine::ParseRuleState(vm["rule-state"].as<std::string>(), &state)) {
      return Stop{kExitError, "--rule-state must be ENABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS or DISABLED"};
    }
    c.rule_state = state;
  }
  c.wrap = vm.count("no-wrap") == 0;
  c.count = vm.count("count") > 0;
  c.quiet = vm.count("quiet") > 0;
  c.invert = vm.count("invert-match") > 0;
  c.with_filename = vm.count("with-filename") > 0;
  c.max_count = vm["max-count"].as<Count>().value;
  c.no_messages = vm.count("no-messages") > 0;
  c.expand = vm.count("no-expand") == 0;
  c.explain = vm.count("explain") > 0;
  c.inputs = std::move(inputs);
  if (c.inputs.empty()) c.inputs.push_back("-");
  return c;
}

int RunGrep(const GrepConfig& c) {
  std::optional<engine::FilterSet> filter_set;
  std::optional<engine::EventMatcher> event_matcher;
  const std::string& pattern = c.pattern;
  if (c.filter) {
    auto compiled = filter::CompileFilterPattern(pattern);
    if (!compiled.ok()) {
      const Diagnostic& d = compiled.error();
      std::cerr << "trailwatch: invalid filter pattern (" << d.exception << ": "
                << (d.aws_message.empty() ? d.message : d.aws_message) << ")\n"
                << RenderDiagnostic(pattern, d);
      return kExitError;
    }
    PrintWarnings(pattern, compiled.value()->warnings);
    filter_set.emplace(std::vector<std::shared_ptr<const filter::CompiledPattern>>{compiled.value()},
                       engine::FastPathEnabled(engine::FastPath::kPrefilter));
  } else {
    event::PatternOptions options;
    options.max_size = c.pattern_size_limit;
    auto parsed = event::ParseEventPattern(pattern, options);
    if (!parsed.ok()) {
      PrintAwsError("TestEventPattern", pattern, parsed.error());
      return kExitError;
    }
    event_matcher.emplace(
        event::CompileRuleSet({std::make_shared<const event::EventPattern>(std::move(parsed).value())}),
        engine::FastPathEnabled(engine::FastPath::kWalk));
  }
  const std::vector<std::string>& inputs = c.inputs;

  std::signal(SIGPIPE, SIG_IGN);
  static char buffer[1 << 16];
  const bool tty = StdoutIsTerminal();
  if (!tty) std::setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
  // Flush each match when reading a pipe or terminal, so `tail -f | trailwatch grep` shows matches live.
  bool flush_each = tty;
  for (const std::string& in : inputs) flush_each = flush_each || in == "-";

  GrepSink sink(filter_set ? &*filter_set : nullptr, event_matcher ? &*event_matcher : nullptr, c.count, c.quiet,
                c.invert, c.with_filename, c.max_count, flush_each);
  sink.suppress_ = c.no_messages;
  sink.explain_ = c.explain;
  sink.pattern_ = pattern;
  sink.wrap_ = c.wrap;
  sink.has_rule_state_ = c.rule_state.has_value();
  sink.rule_state_ = c.rule_state.value_or(engine::RuleState::kEnabled);
  engine::ReaderOptions options = ReaderOptionsFromEnvironment();
  options.expand_containers = c.expand;
  engine::ReadInputs(inputs, options, sink);
  if (c.count) std::printf("%llu\n", static_cast<unsigned long long>(sink.matches()));
  if (std::fflush(stdout) != 0 && !sink.broken()) {
    sink.write_errno_ = errno;
    sink.broken_ = true;
  }
  if (sink.broken()) {
    std::clearerr(stdout);  // handled here, not again by main()
    if (sink.write_errno() == EPIPE) return kExitOk;  // like ripgrep, a closed pipe is not an error
    std::fprintf(stderr, "trailwatch: error writing to standard output: %s\n", std::strerror(sink.write_errno()));
    return kExitError;
  }
  if (c.quiet && sink.matches() > 0) return kExitOk;
  if (sink.error()) return kExitError;
  return sink.matches() > 0 ? kExitOk : kExitNoMatch;
}

}  // namespace trailwatch::cli
