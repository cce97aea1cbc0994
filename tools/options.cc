// options.cc: the shared flags (options.h).
#include "tools/options.h"

namespace trailwatch::cli {

namespace po = boost::program_options;

bool ParseWithOperands(int argc, char** argv, const po::options_description& desc, const std::string& usage,
                       po::variables_map* vm, std::vector<std::string>* operands) {
  po::options_description hidden;
  hidden.add_options()("operand", po::value<std::vector<std::string>>(), "");
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("operand", -1);
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), *vm);
    po::notify(*vm);
  } catch (const po::error& e) {
    throw UsageError{OptionErrorText(e, desc) + "\n" + usage, kExitError};
  }
  if (vm->count("help")) {
    std::cout << usage << "\n" << desc;
    return false;
  }
  if (vm->count("operand")) *operands = (*vm)["operand"].as<std::vector<std::string>>();
  return true;
}

}  // namespace trailwatch::cli

namespace trailwatch::cli::flags {

void Help(po::options_description& d) { d.add_options()("help,h", "show this help"); }

void FilterPattern(po::options_description& d, bool short_name) {
  d.add_options()(short_name ? "filter-pattern,f" : "filter-pattern", po::value<std::string>()->value_name("PATTERN"),
                  "CloudWatch Logs filter pattern (or file://path)");
}

void EventPattern(po::options_description& d) {
  d.add_options()("event-pattern", po::value<std::string>()->value_name("PATTERN"), "EventBridge event pattern (or file://path)");
}

void PatternSizeLimit(po::options_description& d) {
  d.add_options()("pattern-size-limit", po::value<Count>()->default_value(Count{2048})->value_name("N"),
                  "largest event pattern accepted, in characters: 2048 (EventBridge's default quota) or up to 4096 "
                  "(raised)");
}

void Setup(po::options_description& d) {
  d.add_options()
      ("template,t", po::value<std::vector<std::string>>()->value_name("FILE[@REGIONS]"),
       "a CloudFormation template deployed to REGIONS (default us-east-1)")
      ("terraform", po::value<std::string>()->value_name("FILE"),
       "the JSON of `terraform show -json` for a saved plan or for the state")
      ("parameter,p", po::value<std::vector<std::string>>()->value_name("KEY=VALUE"), "template parameter KEY=VALUE")
      ("account", po::value<std::string>()->value_name("ID"),
       "account id for templates and Terraform plans (default 123456789012)")
      ("log-group", po::value<std::string>()->value_name("NAME"),
       "the inputs are messages of this log group: no routing")
      ("log-group-region", po::value<std::string>()->value_name("REGION"),
       "Region of --log-group when several have that name");
}

void TextOrJson(po::options_description& d) {
  d.add_options()("output,o", po::value<std::string>()->default_value("text")->value_name("text|json"), "output format");
}

void Findings(po::options_description& d) {
  d.add_options()("no-findings",
                  "skip the findings: no extra evaluations per record, and no memory for double counting (which "
                  "remembers every counted event; use it for endless streams)");
}

void Threads(po::options_description& d) {
  d.add_options()("threads,j", po::value<int>()->default_value(1)->value_name("N"), "worker threads (input files are split among them)");
}

void Progress(po::options_description& d) {
  d.add_options()("progress", po::value<std::string>()->default_value("auto")->value_name("auto|always|never"),
                  "progress bar on stderr (auto: when stderr is a terminal)");
}

void FailOn(po::options_description& d) {
  d.add_options()("fail-on", po::value<std::string>()->default_value("never")->value_name("high|medium|low|never"),
                  "exit 1 when findings of this severity or worse exist");
}

void MaxExamples(po::options_description& d) {
  d.add_options()("max-examples", po::value<Count>()->default_value(Count{5})->value_name("N"), "examples kept per finding");
}

void Explain(po::options_description& d) {
  d.add_options()("explain", "explain each input: the pattern's tree with each part's truth and the values it read");
}

}  // namespace trailwatch::cli::flags
