// intrinsics.h: CloudFormation intrinsic functions over the document tree (document.h).
//
// Contract: Evaluate() returns a copy of a value with every intrinsic function replaced by its result:
// Ref, Fn::Sub (string and list forms, ${Param}, ${Resource.Attr}, ${!Literal}), Fn::GetAtt (string and
// list forms), Fn::Join, Fn::Select, Fn::Split, Fn::If, Fn::FindInMap, Fn::GetAZs, Fn::Base64, and
// Fn::Length / Fn::ToJsonString (AWS::LanguageExtensions). Fn::Equals, Fn::And, Fn::Or, Fn::Not and
// {"Condition": name} are evaluated by EvaluateCondition(). {"Ref": "AWS::NoValue"} yields kNoValue, which
// Evaluate() drops from the enclosing map or list. What a name refers to (parameters, pseudo parameters,
// resources, conditions, mappings) is the Scope's business. An unknown function, a function this loader
// cannot evaluate offline (Fn::ImportValue, Fn::Cidr, Fn::Transform, Fn::ForEach), or arguments of the wrong
// shape are Diagnostics that name the file, line:column and JSON pointer. Recursion is bounded by the
// document's depth (cfn::kMaxDepth). Every value made (copies of the document's, Ref results, the texts of
// Fn::Sub, Fn::Join, Fn::Base64, Fn::ToJsonString, the lists of Fn::Split, ...) is charged to the Scope's
// Budget before it is made; going over is BudgetError() at the function. Fn::Equals compares in place.
#pragma once

#include <string>
#include <string_view>

#include "engine/setup/cloudformation/document.h"

namespace trailwatch::engine::cfn {

// What intrinsic functions look up: one stack (template or setup file) in one Region.
class Scope {
 public:
  virtual ~Scope() = default;
  virtual const std::string& path() const = 0;
  virtual const std::string& region() const = 0;
  // A parameter, pseudo parameter or resource; `at` is the node that refers to it (for messages).
  virtual Result<Value> Ref(const std::string& name, const Value& at, const std::string& pointer) = 0;
  virtual Result<Value> GetAtt(const std::string& resource, const std::string& attribute, const Value& at,
                               const std::string& pointer) = 0;
  virtual Result<bool> Condition(const std::string& name, const Value& at, const std::string& pointer) = 0;
  virtual bool IsResource(const std::string& name) const = 0;
  virtual const Value* Mappings() const = 0;  // the Mappings section, or nullptr
  // The document's Budget. Ref and GetAtt charge what they return to it.
  virtual Budget& budget() = 0;
};

Result<Value> Evaluate(const Value& v, Scope& scope, const std::string& pointer);
Result<bool> EvaluateCondition(const Value& v, Scope& scope, const std::string& pointer);

// True when `v` is a one-entry map whose key is "Ref", "Condition" or starts with "Fn::".
bool IsIntrinsic(const Value& v);

}  // namespace trailwatch::engine::cfn
