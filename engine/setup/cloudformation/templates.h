// templates.h: CloudFormation templates deployed to Regions -> Setup, the source behind `--template`.
// The format is described in README "The setup".
//
// Contract: never throws, prints or exits. A problem that makes the setup unusable (unreadable or invalid
// YAML/JSON, a missing required property, a property of the wrong type or value, an unknown or unsupported
// intrinsic function, a Ref to nothing, a bad ARN, a bad Region list, two resources with the same name in
// the same place, a document over one of the limits of document.h: nesting, nodes, or the bytes it
// would make the loader materialize) is a Diagnostic whose message starts "file:line:column:" (JSON files:
// "file:", but for nesting), whose `pointer` is the JSON pointer of the fault in the document and whose
// `exception` is "ValidationError".
// Everything else worth knowing (skipped resource types, unknown properties, the checks of CheckSetup())
// ends up in Setup::warnings. The result's vectors are sorted (see Setup).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/setup/setup.h"
#include "patterns/common/diagnostic.h"

namespace trailwatch::engine {

// One CloudFormation template deployed as one stack in each of `regions` (as StackSets do).
struct TemplateSource {
  std::string path;                    // the file (also names it in messages)
  std::optional<std::string> text;     // when set: the template's text (the file is not read)
  std::vector<std::string> regions;    // ExpandRegions() words; empty = LoadOptions::default_region
  std::map<std::string, std::string> parameters;  // ParameterKey -> ParameterValue (overrides Default)
  std::string account;                 // "" = LoadOptions::account
  std::string stack_name;              // "" = the file name without directories and extension
};

struct LoadOptions {
  std::string account = "123456789012";
  std::string default_region = "us-east-1";     // for templates without regions
  std::vector<std::string> regions;             // Regions the setup covers; empty = the 17 default Regions
  // Parameter values for every template that declares the parameter (TemplateSource::parameters win);
  // a key no template declares is an error.
  std::map<std::string, std::string> parameters;
};

Result<Setup> LoadTemplates(const std::vector<TemplateSource>& sources, const LoadOptions& options = {});

// The CLI's template argument "FILE[@REGIONS]": REGIONS is an ExpandRegions() spec, e.g.
// "forwarding.yaml@default-except:us-east-1", "central.yaml@us-east-1", "x.yaml@us-east-1,eu-west-1".
// The last '@' splits (unless a '/' follows it, so paths with '@' work without regions).
Result<TemplateSource> ParseTemplateArg(std::string_view arg);

}  // namespace trailwatch::engine
