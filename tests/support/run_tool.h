// run_tool.h: runs the real `trailwatch` binary (TW_BINARY) for the CLI tests (tests/cli, tests/event):
// arguments without a shell, optional stdin and environment, captured stdout/stderr and exit code.
#pragma once

#include <string>
#include <vector>

namespace trailwatch::testing {

struct ToolResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// `env`: NAME=VALUE settings added to (or replacing in) the child's environment.
ToolResult RunTool(const std::vector<std::string>& args, const std::string& stdin_text = "",
                   const std::string& cwd = "", const std::vector<std::string>& env = {});

}  // namespace trailwatch::testing
