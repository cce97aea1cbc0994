// options.cc: the shared flags (options.h).
#include "tools/options.h"

namespace trailwatch::cli::flags {

void Help(po::options_description& d) { d.add_options()("help,h", "show this help"); }

void FilterPattern(po::options_description& d, bool short_name) {
  d.add_options()(short_name ? "filter-pattern,f" : "filter-pattern", po::value<std::string>(),
                  "CloudWatch Logs filter pattern (or file://path)");
}

void EventPattern(po::options_description& d) {
  d.add_options()("event-pattern", po::value<std::string>(), "EventBridge event pattern (or file://path)");
}

void PatternSizeLimit(po::options_description& d) {
  d.add_options()("pattern-size-limit", po::value<Count>()->default_value(Count{2048}),
                  "largest event pattern accepted, in characters: 2048 (EventBridge's default quota) or up to 4096 "
                  "(raised)");
}

void Setup(po::options_description& d) {
  d.add_options()
      ("template,t", po::value<std::vector<std::string>>(), "CloudFormation template FILE[@REGIONS] (repeatable)")
      ("parameter,p", po::value<std::vector<std::string>>(), "template parameter KEY=VALUE (repeatable)")
      ("account", po::value<std::string>(), "account id for templates (default 123456789012)")
      ("log-group", po::value<std::string>(), "the inputs are messages of this log group: no routing")
      ("log-group-region", po::value<std::string>(), "Region of --log-group when several have that name");
}

void TextOrJson(po::options_description& d) {
  d.add_options()("output,o", po::value<std::string>()->default_value("text"), "text | json");
}

void Findings(po::options_description& d) {
  d.add_options()("no-findings",
                  "skip the findings: no extra evaluations per record, and no memory for double counting (which "
                  "remembers every counted event; use it for endless streams)");
}

void Threads(po::options_description& d) {
  d.add_options()("threads,j", po::value<int>()->default_value(1), "worker threads (input files are split among them)");
}

void Progress(po::options_description& d) {
  d.add_options()("progress", po::value<std::string>()->default_value("auto"),
                  "progress bar on stderr: auto | always | never");
}

void FailOn(po::options_description& d) {
  d.add_options()("fail-on", po::value<std::string>()->default_value("never"),
                  "exit 1 when findings of this severity or worse exist: high | medium | low | never");
}

void MaxExamples(po::options_description& d) {
  d.add_options()("max-examples", po::value<Count>()->default_value(Count{5}), "examples kept per finding");
}

void Explain(po::options_description& d) {
  d.add_options()("explain", "explain each input: the pattern's tree with each part's truth and the values it read");
}

}  // namespace trailwatch::cli::flags
