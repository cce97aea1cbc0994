// resources.h: CloudFormation resource types <-> the setup model. What Ref and Fn::GetAtt return for
// each type, and how the evaluated Properties of AWS::Logs::LogGroup, AWS::Logs::MetricFilter,
// AWS::Events::Rule, AWS::CloudWatch::Alarm and AWS::CloudTrail::Trail become setup.h structs.
//
// Contract: works on properties whose intrinsics are already evaluated (intrinsics.h). AddResource()
// checks required properties, types and the values AWS accepts, and returns a Diagnostic naming the file,
// line:column, logical id and property; it appends to `warnings` what it accepts but wants the user to know
// (unknown properties, rules that are scheduled only, settings that are not simulated). What it makes
// beyond copies of the properties' text (the JSON of EventPattern and InputPathsMap) and what
// ResourceRef() / ResourceAttribute() return are charged to the document's Budget first. Nothing throws.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/setup/cloudformation/document.h"
#include "engine/setup/setup.h"

namespace trailwatch::engine::cfn {

enum class ResourceKind { kLogGroup, kMetricFilter, kRule, kAlarm, kTrail, kOther };
ResourceKind KindOf(std::string_view type);

// One resource of one stack (or setup file) in one Region.
struct ResourceContext {
  std::string path;        // the file, for messages
  std::string logical_id;
  std::string type;
  std::string region;
  std::string account;
  std::string partition;   // aws, aws-cn, aws-us-gov
  std::string stack_name;
  Mark mark;               // of the resource's entry
  std::string pointer;     // "/Resources/<LogicalId>"
  bool setup_file = false; // setup file: physical names default to the logical id, CloudFormation-only
                           // required properties (Trail IsLogging, S3BucketName) are optional
  // Where messages point: "file:line:col: LogicalId".
  std::string Where() const;
  // The name CloudFormation would generate when the name property is absent: the logical id in a setup
  // file, "<StackName>-<LogicalId>" for a template (CloudFormation adds a random suffix we leave out).
  std::string DefaultName() const;
};

// The property holding the resource's name for `type` ("" when unknown).
std::string_view NameProperty(std::string_view type);

// Ref and Fn::GetAtt. `props` are the evaluated Properties (nullptr when absent); `at` is the referring node.
Result<Value> ResourceRef(const ResourceContext& ctx, const Value* props, const Value& at, const std::string& pointer,
                          Budget& budget);
Result<Value> ResourceAttribute(const ResourceContext& ctx, const Value* props, const std::string& attribute,
                                const Value& at, const std::string& pointer, Budget& budget);

// A message the loader accepted (engine/setup/setup.h).
using Warning = SetupWarning;

// Adds one modelled resource (kind != kOther) to `setup`.
std::optional<Diagnostic> AddResource(const ResourceContext& ctx, const Value* props, Setup& setup,
                                      std::vector<Warning>& warnings, Budget& budget);

}  // namespace trailwatch::engine::cfn
