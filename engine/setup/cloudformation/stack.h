// stack.h (internal to engine/setup): one CloudFormation document instantiated as one stack in Regions,
// shared by the two sources built on CloudFormation: templates (templates.h) and setup files
// (engine/setup/setup_file).
//
// Contract: LoadStack() appends the stack's resources to `setup` (unsorted; FinishSetup() in check.h sorts
// and checks them), its warnings to `warnings` and every Region a resource was instantiated in to
// `regions_used`. A problem is a Diagnostic as setup_file.h and templates.h describe. Nothing throws.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/setup/cloudformation/document.h"
#include "engine/setup/setup.h"
#include "patterns/common/diagnostic.h"

namespace trailwatch::engine::cfn {

struct StackSpec {
  const Document* doc = nullptr;
  bool setup_file = false;  // a setup file: resources may carry `Regions`; names default to the logical id
  std::string account;
  std::string stack_name;
  std::map<std::string, std::string> parameters;  // ParameterKey -> ParameterValue (override Default)
  // A template's stack Regions, or a setup file's home Region (for resources without `Regions`).
  std::vector<std::string> regions;
};

std::optional<Diagnostic> LoadStack(const StackSpec& spec, Setup& setup, std::vector<SetupWarning>& warnings,
                                    std::set<std::string>& regions_used);

// The stack name CloudFormation tools derive from a file: its name without directories and extension.
std::string StackNameOf(const std::string& path);

// A Region list written in a document (one string or a list of strings), expanded by ExpandRegions().
Result<std::vector<std::string>> RegionsOf(const Value& v, const std::string& path, const std::string& pointer);

}  // namespace trailwatch::engine::cfn
