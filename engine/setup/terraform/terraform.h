// terraform.h: the JSON of `terraform show -json` (a saved plan, or the state) -> Setup, the source behind
// `--terraform`. README "Terraform" has what is read; the format is Terraform's JSON output format
// (https://developer.hashicorp.com/terraform/internals/json-format).
//
// Contract: never throws, prints or exits. The document is read with the limits of the CloudFormation reader
// (cloudformation/document.h: size, nesting, nodes, Budget); a JSON syntax error is a ValidationError
// "file:line:column: not valid JSON: ...". Every other problem that makes the setup unusable (a format_version
// other than 1.x, a document that is not `terraform show -json` output, a missing or mistyped required
// attribute, a value AWS rejects, an unusable Region) is a ValidationError whose message starts
// "file: <resource address> (<type>): ". Everything else worth knowing (resource types that are not simulated,
// values unknown at plan time that could not be resolved, Regions taken from --region's default) is a warning
// in Setup::warnings naming the address. Resources are mapped to the model as the CloudFormation loader maps
// the equivalent CloudFormation resources (their values go through cfn::AddResource), then FinishSetup()
// (check.h) sorts and checks them.
//
// Regions, in this order: the instance's `region` (AWS provider 6), its provider configuration's `region`
// (a constant or a variable, followed through module calls), the Region of its own ARN (state), the Region of
// the resource it belongs to (a target's rule, a metric filter's log group: state), else
// LoadOptions::default_region with a warning naming the provider key. Account: the account of the first own
// ARN of a simulated resource (state), else LoadOptions::account. Values unknown at plan time are resolved
// through the configuration's references: the referenced instance's known values, Region and account.
#pragma once

#include <string>
#include <string_view>

#include "engine/setup/cloudformation/templates.h"
#include "engine/setup/setup.h"
#include "patterns/common/diagnostic.h"

namespace trailwatch::engine {

// `options`: account (when no ARN gives it), default_region (resources whose Region nothing gives), regions
// (the Regions the setup covers; empty = the 17 default Regions). Parameters do not apply.
Result<Setup> LoadTerraform(const std::string& path, const LoadOptions& options = {});
// The same from text; `path` names it in messages.
Result<Setup> LoadTerraformText(std::string_view text, const std::string& path, const LoadOptions& options = {});

}  // namespace trailwatch::engine
