// cmd_debug.cc: `trailwatch debug dump-ast|dump-program|dump-trie|dump-prefilter PATTERN...` — the compiler's
// stages, printed; `dump-event-pattern|dump-event-set` for event patterns; `fast-paths`, which fast paths are on;
// `jmespath EXPRESSION [--ast]`, a JMESPath expression evaluated on the JSON document on stdin, as --query.
#include <iostream>
#include <iterator>

#include "engine/fast_paths.h"
#include "engine/filter/filter_set.h"
#include "engine/filter/prefilter.h"
#include "patterns/event/compile.h"
#include "patterns/event/dump.h"
#include "patterns/event/parser.h"
#include "patterns/filter/compile.h"
#include "patterns/filter/dump.h"
#include "tools/cli_util.h"
#include "tools/commands.h"
#include "tools/jmespath/jmespath.h"
#include "tools/options.h"

namespace trailwatch::cli {

namespace {

const std::string kDebugUsage =
      "usage: trailwatch debug dump-ast PATTERN | dump-program PATTERN | dump-trie PATTERN...\n"
      "       trailwatch debug dump-prefilter PATTERN...\n"
      "       trailwatch debug dump-event-pattern EVENT_PATTERN... | dump-event-set EVENT_PATTERN...\n"
      "       trailwatch debug fast-paths\n"
      "       trailwatch debug jmespath EXPRESSION [--ast]   (a JSON document on stdin)\n"
      "Prints a filter pattern's syntax tree, its compiled program, the selector trie shared by patterns or\n"
      "their literal prefilter; an EventBridge event pattern's sub-rules, or the shared set compiled from\n"
      "several event patterns; which fast paths are on (TRAILWATCH_NO_FAST_PATHS turns them off); a JMESPath\n"
      "expression (the AWS CLI's --query) evaluated on a JSON document read from stdin, printed as the AWS CLI\n"
      "prints JSON (--ast: its syntax tree instead). Errors are the AWS CLI's: exit 252 for an expression that\n"
      "does not parse, 255 for one that fails on the document.\n";

}  // namespace

CommandSpec DebugSpec() {
  CommandSpec spec{"debug",
                   "dump a pattern's syntax tree, compiled program or selector trie; evaluate JMESPath",
                   kDebugUsage};
  spec.options.add_options()("help,h", "show this help");
  spec.words = {"dump-ast", "dump-program", "dump-trie", "dump-prefilter", "dump-event-pattern", "dump-event-set",
                "fast-paths", "jmespath"};
  spec.exit_status = "0; 2 on bad usage or an invalid pattern; `jmespath`: 252 when the expression does not "
                     "parse, 255 when it fails on the document (as the AWS CLI's --query).";
  return spec;
}

Parsed<DebugConfig> ParseDebug(int argc, char** argv) {
  DebugConfig config;
  if (argc == 2 && std::string(argv[1]) == "fast-paths") {
    config.what = "fast-paths";
    return config;
  }
  const std::string what = argc >= 2 ? argv[1] : "";
  if (argc == 2 && (what == "--help" || what == "-h")) {
    std::cout << kDebugUsage;
    return Stop{};
  }
  if (what == "jmespath") {
    if (argc < 3 || argc > 4 || (argc == 4 && std::string(argv[3]) != "--ast")) return Stop{kExitError, kDebugUsage};
    config.what = what;
    config.patterns.push_back(argv[2]);
    config.ast = argc == 4;
    return config;
  }
  const bool known = what == "dump-ast" || what == "dump-program" || what == "dump-trie" ||
                     what == "dump-prefilter" || what == "dump-event-pattern" || what == "dump-event-set";
  if (argc < 3 || !known) return Stop{kExitError, kDebugUsage};
  config.what = what;
  for (int i = 2; i < argc; ++i) config.patterns.push_back(LoadParamValue(argv[i]));
  return config;
}

int RunDebug(const DebugConfig& config) {
  const std::string& what = config.what;
  if (what == "jmespath") {
    const std::string& text = config.patterns[0];
    auto expression = jmespath::Expression::Compile(text);
    if (!expression.ok()) {
      std::cerr << "\nBad value for --query " << text << ": " << expression.error().aws_message << "\n";
      return kExitAwsUsage;
    }
    if (config.ast) {
      std::cout << expression->Dump();
      return kExitOk;
    }
    const std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    const jmespath::Json document = jmespath::Json::parse(input, nullptr, false);
    if (document.is_discarded()) {
      std::cerr << "trailwatch debug jmespath: stdin is not one JSON document\n";
      return kExitError;
    }
    auto result = expression->Search(document);
    if (!result.ok()) {
      std::cerr << "\n" << result.error().aws_message << "\n";
      return kExitAwsOther;
    }
    PrintAwsJson(result.value());
    return kExitOk;
  }
  if (what == "fast-paths") {
    const std::pair<const char*, engine::FastPath> paths[] = {{"prefilter", engine::FastPath::kPrefilter},
                                                              {"walk", engine::FastPath::kWalk},
                                                              {"whole-file", engine::FastPath::kWholeFile},
                                                              {"prefetch", engine::FastPath::kPrefetch}};
    for (const auto& [name, path] : paths) {
      const bool on = engine::FastPathEnabled(path);
      std::cout << name << "\t" << (on ? "on" : "off");
      if (on && path == engine::FastPath::kPrefilter && !engine::LiteralPrefilter::Available()) {
        std::cout << " (not built: Hyperscan was not found at build time)";
      }
      std::cout << "\n";
    }
    return kExitOk;
  }
  if (what == "dump-event-pattern" || what == "dump-event-set") {
    std::vector<std::shared_ptr<const event::EventPattern>> patterns;
    for (const std::string& pattern : config.patterns) {
      auto p = event::ParseEventPattern(pattern);
      if (!p.ok()) {
        std::cerr << p.error().aws_message << "\n" << RenderDiagnostic(pattern, p.error());
        return kExitError;
      }
      if (what == "dump-event-pattern") std::cout << event::DumpPattern(p.value());
      patterns.push_back(std::make_shared<const event::EventPattern>(std::move(p).value()));
    }
    if (what == "dump-event-set") std::cout << event::CompileRuleSet(patterns)->Dump();
    return kExitOk;
  }
  std::vector<std::shared_ptr<const filter::CompiledPattern>> compiled;
  for (const std::string& pattern : config.patterns) {
    if (what == "dump-ast") {
      auto ast = filter::AnalyzeFilterPattern(pattern);
      if (!ast.ok()) {
        std::cerr << RenderDiagnostic(pattern, ast.error());
        return kExitError;
      }
      std::cout << filter::DumpAst(ast.value()) << "\n";
      continue;
    }
    auto c = filter::CompileFilterPattern(pattern);
    if (!c.ok()) {
      std::cerr << RenderDiagnostic(pattern, c.error());
      return kExitError;
    }
    if (what == "dump-program") std::cout << filter::DumpProgram(*c.value());
    compiled.push_back(c.value());
  }
  if (what == "dump-trie") {
    std::cout << engine::FilterSet(compiled, engine::FastPathEnabled(engine::FastPath::kPrefilter)).DumpTrie();
  } else if (what == "dump-prefilter") {
    engine::FilterSet set(compiled, engine::FastPathEnabled(engine::FastPath::kPrefilter));
    std::cout << (set.prefilter_enabled() ? set.DumpPrefilter() : "prefilter off\n");
  }
  return kExitOk;
}

}  // namespace trailwatch::cli
