// cmd_explain.cc: `trailwatch explain` — why a filter pattern matches a message (or not), or an event
// pattern an event: the pattern's tree with each sub-expression's truth and the values it read
// (engine/explain, printed by tools/report/explain_text). Exit 0: every input matched; 1: some did not;
// 2: a usage error or an invalid pattern (AWS's exception, message, column and caret).
#include <boost/program_options.hpp>

#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "engine/event/cloudtrail.h"
#include "engine/explain/explain.h"
#include "tools/cli_util.h"
#include "tools/commands.h"
#include "tools/options.h"
#include "tools/report/explain_text.h"

namespace po = boost::program_options;

namespace trailwatch::cli {

namespace {

constexpr const char* kUsage =
    "usage: trailwatch explain --filter-pattern P (--message M ... | --messages-file FILE)\n"
    "       trailwatch explain --event-pattern P (--event E ... | --record R ...)\n"
    "\n"
    "Explains why a pattern matches (or not): the pattern's tree with each sub-expression's truth value and\n"
    "the values it read, the nearest field when a selector names one that is not there, and for\n"
    "space-delimited patterns the fields as split. Values take file://path. Exit 0: every input matched;\n"
    "1: some did not; 2: usage error or invalid pattern.\n";

}  // namespace

CommandSpec ExplainSpec() {
  CommandSpec spec{"explain", "why a pattern matches a message or an event, or why not", kUsage};
  po::options_description& desc = spec.options;
  flags::Help(desc);
  flags::FilterPattern(desc, true);
  flags::EventPattern(desc);
  flags::TextOrJson(desc);
  desc.add_options()
      ("message,m", po::value<std::vector<std::string>>()->value_name("MESSAGE"), "a log event message (or file://path)")
      ("messages-file", po::value<std::string>()->value_name("FILE"), "a file of messages, one per line")
      ("event,e", po::value<std::vector<std::string>>()->value_name("EVENT"), "an EventBridge event (or file://path)")
      ("record,r", po::value<std::vector<std::string>>()->value_name("RECORD"),
       "a CloudTrail record, wrapped as EventBridge wraps it (or file://path)");
  spec.exit_status = "0 when every input matched, 1 when some did not, 2 on bad usage or an invalid pattern.";
  return spec;
}

Parsed<ExplainConfig> ParseExplain(int argc, char** argv) {
  const CommandSpec spec = ExplainSpec();
  const po::options_description& desc = spec.options;
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return Stop{kExitError, OptionErrorText(e, desc) + "\n" + kUsage};
  }
  if (vm.count("help")) {
    std::cout << kUsage << "\n" << desc;
    return Stop{};
  }
  ExplainConfig c;
  const bool filter = vm.count("filter-pattern") > 0, event = vm.count("event-pattern") > 0;
  if (filter == event) return Stop{kExitError, std::string("give one --filter-pattern or one --event-pattern\n") + kUsage};
  c.filter = filter;
  c.pattern = LoadParamValue(vm[filter ? "filter-pattern" : "event-pattern"].as<std::string>());
  c.output = vm["output"].as<std::string>();
  if (c.output != "text" && c.output != "json") return Stop{kExitError, "--output must be text or json"};
  auto values = [&](const char* key, bool wrap) {
    if (!vm.count(key)) return;
    for (const std::string& v : vm[key].as<std::vector<std::string>>()) c.inputs.push_back({LoadParamValue(v), wrap});
  };
  if (filter) {
    if (vm.count("event") || vm.count("record")) return Stop{kExitError, "--event and --record go with --event-pattern"};
    values("message", false);
    if (vm.count("messages-file")) {
      const std::string path = vm["messages-file"].as<std::string>();
      std::ifstream in(path, std::ios::binary);
      if (!in) return Stop{kExitError, "trailwatch: cannot read " + path};
      for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) c.inputs.push_back({line, false});
      }
    }
  } else {
    if (vm.count("message") || vm.count("messages-file")) {
      return Stop{kExitError, "--message and --messages-file go with --filter-pattern"};
    }
    values("event", false);
    values("record", true);
  }
  if (c.inputs.empty()) {
    return Stop{kExitError, std::string(filter ? "give a --message (or --messages-file)" : "give an --event or a --record") +
                                "\n" + kUsage};
  }
  return c;
}

int RunExplain(const ExplainConfig& c) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  bool all = true;
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    std::string input = c.inputs[i].text, error;
    if (c.inputs[i].wrap) {
      std::string event;
      if (!engine::WrapCloudTrailRecord(input, &event, &error)) {
        PrintToolError("--record " + std::to_string(i + 1) + " is not a CloudTrail record: " + error);
        return kExitError;
      }
      input = std::move(event);
    }
    Result<explain::Explanation> x =
        c.filter ? explain::ExplainFilter(c.pattern, input) : explain::ExplainEvent(c.pattern, input);
    if (!x.ok()) {
      const Diagnostic& d = x.error();
      std::cerr << "trailwatch: " << d.exception << ": " << (d.aws_message.empty() ? d.message : d.aws_message) << "\n"
                << RenderDiagnostic(c.pattern, d);
      return kExitError;
    }
    all = all && x.value().matched;
    if (c.output == "json") {
      nlohmann::ordered_json j;
      j[c.filter ? "message" : "event"] = input;
      j.update(report::ExplainJson(x.value()));
      out.push_back(std::move(j));
      continue;
    }
    if (c.inputs.size() > 1) std::cout << (i ? "\n" : "") << (c.filter ? "message " : "event ") << (i + 1) << ": " << input << "\n";
    std::cout << report::ExplainText(x.value());
  }
  if (c.output == "json") std::cout << out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  return all ? kExitOk : kExitNoMatch;
}

}  // namespace trailwatch::cli
