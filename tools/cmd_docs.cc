// cmd_docs.cc: `trailwatch man` and `trailwatch completion` — the man pages and the shell completion
// scripts, generated from every command's declaration (tools/docs.h). The build runs both to install them
// (cmake/install.cmake); users may too: `trailwatch man replay | man -l -`, `source <(trailwatch completion bash)`.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "engine/version.h"
#include "tools/commands.h"
#include "tools/docs.h"
#include "tools/options.h"

namespace po = boost::program_options;

namespace trailwatch::cli {

namespace {

constexpr const char* kManUsage =
    "usage: trailwatch man [COMMAND]\n"
    "       trailwatch man --out-dir DIR\n"
    "\n"
    "Prints the man page of trailwatch, or of one of its commands (`trailwatch man replay`, `trailwatch man logs\n"
    "test-metric-filter`), in roff: read it with `trailwatch man replay | man -l -`. With --out-dir, writes every\n"
    "page into DIR as trailwatch.1 and trailwatch-COMMAND.1 instead (what the build installs).\n";

constexpr const char* kCompletionUsage =
    "usage: trailwatch completion bash|zsh\n"
    "\n"
    "Prints the completion script of a shell: commands, options, option values (choices, files) and operands.\n"
    "bash: `source <(trailwatch completion bash)` (or install it as\n"
    "/usr/share/bash-completion/completions/trailwatch); zsh: save it as _trailwatch in a directory of $fpath\n"
    "(or `source <(trailwatch completion zsh)` after compinit).\n";

}  // namespace

CommandSpec ManSpec() {
  CommandSpec spec{"man", "print a man page (roff), or write them all", kManUsage};
  spec.options.add_options()("help,h", "show this help")(
      "out-dir,d", po::value<std::string>()->value_name("DIR"), "write every page into DIR instead");
  for (const std::string& name : CommandNames()) {
    const std::string first = name.substr(0, name.find(' '));  // `man logs test-metric-filter`
    if (std::find(spec.words.begin(), spec.words.end(), first) == spec.words.end()) spec.words.push_back(first);
  }
  spec.exit_status = "0; 2 on bad usage (an unknown command) or a page that cannot be written.";
  return spec;
}

CommandSpec CompletionSpec() {
  CommandSpec spec{"completion", "print the bash or zsh completion script", kCompletionUsage};
  spec.options.add_options()("help,h", "show this help");
  spec.words = {"bash", "zsh"};
  spec.exit_status = "0; 2 on bad usage (a shell other than bash and zsh).";
  return spec;
}

Parsed<DocsConfig> ParseMan(int argc, char** argv) {
  const CommandSpec spec = ManSpec();
  po::variables_map vm;
  std::vector<std::string> operands;
  if (!ParseWithOperands(argc, argv, spec.options, kManUsage, &vm, &operands)) return Stop{};
  DocsConfig config;
  config.what = "man";
  if (vm.count("out-dir")) {
    if (!operands.empty()) return Stop{kExitError, std::string("--out-dir writes every page; give no COMMAND\n") + kManUsage};
    config.out_dir = vm["out-dir"].as<std::string>();
    return config;
  }
  std::string name;
  for (const std::string& w : operands) name += (name.empty() ? "" : " ") + w;
  if (name.starts_with("trailwatch-")) name = name.substr(11);  // `trailwatch man trailwatch-replay`
  if (name.empty() || name == "trailwatch") return config;
  for (const CommandSpec& s : AllCommandSpecs()) {
    std::string dashed = s.name;
    std::replace(dashed.begin(), dashed.end(), ' ', '-');
    if (s.name == name || dashed == name) {
      config.command = s.name;
      return config;
    }
  }
  return Stop{kExitError, "trailwatch man: no command '" + name + "' (`trailwatch help` lists them)"};
}

Parsed<DocsConfig> ParseCompletion(int argc, char** argv) {
  const CommandSpec spec = CompletionSpec();
  po::variables_map vm;
  std::vector<std::string> operands;
  if (!ParseWithOperands(argc, argv, spec.options, kCompletionUsage, &vm, &operands)) return Stop{};
  if (operands.size() != 1 || (operands[0] != "bash" && operands[0] != "zsh")) {
    return Stop{kExitError, std::string("name one shell: bash or zsh\n") + kCompletionUsage};
  }
  DocsConfig config;
  config.what = "completion";
  config.shell = operands[0];
  return config;
}

int RunDocs(const DocsConfig& config) {
  const std::vector<CommandSpec> specs = AllCommandSpecs();
  if (config.what == "completion") {
    std::cout << (config.shell == "bash" ? BashCompletion(specs) : ZshCompletion(specs));
    return kExitOk;
  }
  if (!config.out_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(config.out_dir, ec);
    bool ok = WriteTextFile(config.out_dir + "/trailwatch.1", MainManPage(specs, kVersion));
    for (const CommandSpec& s : specs) {
      ok = ok && WriteTextFile(config.out_dir + "/" + ManPageName(s) + ".1", ManPage(s, kVersion));
    }
    if (!ok) {
      PrintToolError("cannot write the man pages into " + config.out_dir);
      return kExitError;
    }
    return kExitOk;
  }
  if (config.command.empty()) {
    std::cout << MainManPage(specs, kVersion);
    return kExitOk;
  }
  for (const CommandSpec& s : specs) {
    if (s.name == config.command) std::cout << ManPage(s, kVersion);
  }
  return kExitOk;
}

}  // namespace trailwatch::cli
