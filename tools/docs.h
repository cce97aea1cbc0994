// docs.h: the man pages and the shell completions, generated from the commands' declarations (CommandSpec,
// tools/commands.h): trailwatch(1) and one trailwatch-COMMAND(1) per command in roff (man(7) macros), and
// the bash and zsh completion scripts. Nothing about a flag is written here: names, short names, value
// names, defaults, help texts, choices (a value name `a|b|c`) and path values (a value name that is or ends
// in FILE or DIR) all come from the options each command parses with.
//
// Contract: pure functions of their arguments (no I/O); the same specs give the same bytes (no dates), so
// the pages built at install time are reproducible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>

#include "tools/commands.h"

namespace trailwatch::cli {

// One option as the documents show it, read off its Boost.Program_options declaration.
struct OptionDoc {
  std::string long_name;           // "filter-pattern"
  char short_name = 0;             // 'f', or 0
  std::string value;               // the value name ("PATTERN", "text|json"); empty: a switch
  bool optional_value = false;     // --generate-cli-skeleton [input|output]
  std::string default_value;       // as --help shows it, or empty
  std::string help;
  std::vector<std::string> choices;  // from a value name "a|b|c"
  bool path = false;               // the value is a file or directory
  bool repeatable = false;         // given several times (a list option)
};
std::vector<OptionDoc> OptionDocs(const boost::program_options::options_description& options);

// The man page file name of a command: "trailwatch-logs-test-metric-filter" (without ".1").
std::string ManPageName(const CommandSpec& spec);

// trailwatch-COMMAND(1): NAME, SYNOPSIS, DESCRIPTION (the usage text), OPTIONS, EXIT STATUS, SEE ALSO.
std::string ManPage(const CommandSpec& spec, std::string_view version);

// trailwatch(1): every command with its summary, the environment, the exit statuses, the pages to read next.
std::string MainManPage(const std::vector<CommandSpec>& specs, std::string_view version);

// `complete -F _trailwatch trailwatch`: commands, groups' subcommands, each command's options, option values
// (choices, paths), operands (files or a command's words). Needs bash 4 (compopt); no bash-completion package.
std::string BashCompletion(const std::vector<CommandSpec>& specs);

// A `#compdef trailwatch` function for zsh's completion system (_arguments per command); it also works when
// sourced after compinit.
std::string ZshCompletion(const std::vector<CommandSpec>& specs);

}  // namespace trailwatch::cli
