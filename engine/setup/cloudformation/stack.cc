// stack.cc: one CloudFormation document (a template, or a setup file) instantiated as a stack in its
// Regions. Takes the document's sections apart (Parameters, Mappings, Conditions, Resources), instantiates
// each resource in each of its Regions with intrinsics evaluated on demand (intrinsics.h; a Ref or Fn::GetAtt
// resolves the resource it names first, with cycle detection) and converts it (resources.h). What a document
// makes the loader build (parameter values, evaluated properties in each Region, references, instances) is
// charged to the Budget its reading started (cfn::Document::budget), before it is built. Entry: stack.h.
#include "engine/setup/cloudformation/stack.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_set>

#include "engine/setup/cloudformation/intrinsics.h"
#include "engine/setup/cloudformation/resources.h"

namespace trailwatch::engine {
namespace {

using cfn::Document;
using cfn::LoadError;
using cfn::Mark;
using cfn::Value;

constexpr int kMaxResolveDepth = 100;
// What one resource in one Region costs the Budget besides its properties: its instance, the context
// its references build and its entry in the Setup (which copies at most the text of its properties).
constexpr size_t kInstanceBytes = 1024;

std::string Partition(const std::string& region) {
  if (region.compare(0, 3, "cn-") == 0) return "aws-cn";
  if (region.compare(0, 7, "us-gov-") == 0) return "aws-us-gov";
  if (region.compare(0, 8, "us-isob-") == 0) return "aws-iso-b";
  if (region.compare(0, 7, "us-iso-") == 0) return "aws-iso";
  return "aws";
}

std::string UrlSuffix(const std::string& partition) {
  if (partition == "aws-cn") return "amazonaws.com.cn";
  if (partition == "aws-iso") return "c2s.ic.gov";
  if (partition == "aws-iso-b") return "sc2s.sgov.gov";
  return "amazonaws.com";
}

bool IsAlphanumeric(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

}  // namespace

namespace cfn {

std::string StackNameOf(const std::string& path) {
  std::string name = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  if (size_t dot = name.find('.'); dot != std::string::npos && dot > 0) name.resize(dot);
  return name.empty() ? "stack" : name;
}

// A Region list written in a document: one string or a list of strings.
Result<std::vector<std::string>> RegionsOf(const Value& v, const std::string& path, const std::string& pointer) {
  std::vector<std::string> words;
  if (v.IsScalar()) {
    Result<std::vector<std::string>> r = ExpandRegions(std::string_view(v.text));
    if (r.ok()) return r;
    return LoadError(path, v.mark, pointer, r.error().message, r.error().hint);
  }
  if (!v.IsSequence()) return LoadError(path, v.mark, pointer, "Regions must be a string or a list of strings");
  for (const Value& item : v.children) {
    if (!item.IsScalar()) return LoadError(path, item.mark, pointer, "Regions must be a string or a list of strings");
    words.push_back(item.text);
  }
  Result<std::vector<std::string>> r = ExpandRegions(words);
  if (r.ok()) return r;
  return LoadError(path, v.mark, pointer, r.error().message, r.error().hint);
}

}  // namespace cfn

namespace {

using cfn::RegionsOf;

// One document (a setup file or a template) instantiated in its Regions.
class StackLoader {
 public:
  StackLoader(const Document& doc, bool setup_file, std::string account, std::string stack_name, Setup& setup,
              std::vector<cfn::Warning>& warnings)
      : doc_(doc),
        setup_file_(setup_file),
        account_(std::move(account)),
        stack_name_(std::move(stack_name)),
        setup_(setup),
        warnings_(warnings),
        budget_(doc.budget) {}

  // `regions`: a template's stack Regions, or a setup file's home Region (resources without `Regions`).
  std::optional<Diagnostic> Load(const std::map<std::string, std::string>& parameters,
                                 const std::vector<std::string>& regions) {
    const Value& root = doc_.root;
    if (!root.IsMap()) {
      return LoadError(doc_.path, root.mark, "",
                       setup_file_ ? "a setup file is a map with Resources" : "a template is a map with Resources");
    }
    if (auto e = CheckSections()) return e;
    if (auto e = LoadParameters(parameters)) return e;
    mappings_ = root.Find("Mappings");
    conditions_ = root.Find("Conditions");
    if (conditions_ != nullptr && !conditions_->IsMap() && !conditions_->IsAbsent()) {
      return LoadError(doc_.path, conditions_->mark, "/Conditions", "Conditions must be a map");
    }
    if (auto e = LoadDeclarations(regions)) return e;
    return Instantiate();
  }

  const std::set<std::string>& regions_used() const { return regions_used_; }

 private:
  struct Decl {
    std::string id;
    std::string type;
    const Value* node = nullptr;
    const Value* properties = nullptr;
    std::string condition;
    std::vector<std::string> regions;
  };
  struct Instance {
    enum class State { kTodo, kBusy, kDone, kAbsent } state = State::kTodo;
    Value properties;  // evaluated (for resources that are not simulated: only the name property)
    bool has_properties = false;
  };

  class RegionScope : public cfn::Scope {
   public:
    RegionScope(StackLoader& loader, std::string region)
        : loader_(loader), region_(std::move(region)), partition_(Partition(region_)) {}
    const std::string& path() const override { return loader_.doc_.path; }
    const std::string& region() const override { return region_; }
    const Value* Mappings() const override { return loader_.mappings_; }
    bool IsResource(const std::string& name) const override { return loader_.decls_.count(name) > 0; }
    cfn::Budget& budget() override { return loader_.budget_; }

    Result<Value> Ref(const std::string& name, const Value& at, const std::string& pointer) override {
      if (auto it = loader_.parameters_.find(name); it != loader_.parameters_.end()) {
        if (!budget().Take(cfn::CopyBytes(it->second))) return cfn::BudgetError(path(), at.mark, pointer);
        Value v = it->second;
        v.mark = at.mark;
        return v;
      }
      if (name.compare(0, 5, "AWS::") == 0) return Pseudo(name, at, pointer);
      auto decl = loader_.decls_.find(name);
      if (decl == loader_.decls_.end()) return Unresolved(name, at, pointer);
      Result<std::pair<cfn::ResourceContext, const Instance*>> r = loader_.Resolve(decl->second, region_, at, pointer);
      if (!r.ok()) return r.error();
      const Instance* inst = r->second;
      return cfn::ResourceRef(r->first, inst->has_properties ? &inst->properties : nullptr, at, pointer, budget());
    }

    Result<Value> GetAtt(const std::string& resource, const std::string& attribute, const Value& at,
                         const std::string& pointer) override {
      auto decl = loader_.decls_.find(resource);
      if (decl == loader_.decls_.end()) return Unresolved(resource, at, pointer);
      Result<std::pair<cfn::ResourceContext, const Instance*>> r = loader_.Resolve(decl->second, region_, at, pointer);
      if (!r.ok()) return r.error();
      const Instance* inst = r->second;
      return cfn::ResourceAttribute(r->first, inst->has_properties ? &inst->properties : nullptr, attribute, at,
                                    pointer, budget());
    }

    Result<bool> Condition(const std::string& name, const Value& at, const std::string& pointer) override {
      return loader_.ConditionValue(name, region_, at, pointer);
    }

   private:
    Result<Value> Pseudo(const std::string& name, const Value& at, const std::string& pointer) {
      // The longest is AWS::StackId: the partition, Region, account and stack name and 64 bytes more.
      const size_t bytes = cfn::kNodeBytes + 64 + partition_.size() + region_.size() + loader_.account_.size() +
                           loader_.stack_name_.size();
      if (!budget().Take(bytes)) return cfn::BudgetError(path(), at.mark, pointer);
      if (name == "AWS::Region") return Value::String(region_, at.mark);
      if (name == "AWS::AccountId") return Value::String(loader_.account_, at.mark);
      if (name == "AWS::Partition") return Value::String(partition_, at.mark);
      if (name == "AWS::URLSuffix") return Value::String(UrlSuffix(partition_), at.mark);
      if (name == "AWS::StackName") return Value::String(loader_.stack_name_, at.mark);
      if (name == "AWS::StackId") {
        return Value::String("arn:" + partition_ + ":cloudformation:" + region_ + ":" + loader_.account_ + ":stack/" +
                                 loader_.stack_name_ + "/00000000-0000-0000-0000-000000000000",
                             at.mark);
      }
      if (name == "AWS::NoValue") {
        Value v;
        v.kind = Value::Kind::kNoValue;
        return v;
      }
      if (name == "AWS::NotificationARNs") {
        Value v;
        v.kind = Value::Kind::kSequence;
        v.mark = at.mark;
        return v;
      }
      return Unresolved(name, at, pointer);
    }

    Result<Value> Unresolved(const std::string& name, const Value& at, const std::string& pointer) {
      Diagnostic d = LoadError(loader_.doc_.path, at.mark, pointer,
                               "`" + name + "` is not a parameter, pseudo parameter or resource of this " +
                                   (loader_.setup_file_ ? "setup file" : "template"));
      d.aws_message = "Template format error: Unresolved resource dependencies [" + name +
                      "] in the Resources block of the template";
      return d;
    }

    StackLoader& loader_;
    std::string region_;
    std::string partition_;
  };

  std::optional<Diagnostic> CheckSections() {
    static const std::set<std::string> kTemplate = {"AWSTemplateFormatVersion", "Description", "Metadata",
                                                    "Parameters", "Rules", "Mappings", "Conditions", "Transform",
                                                    "Resources", "Outputs", "Hooks"};
    for (const Value& section : doc_.root.children) {
      const bool setup_key = section.key == "Account" || section.key == "Region" || section.key == "Regions";
      if (kTemplate.count(section.key) > 0 || (setup_file_ && setup_key)) continue;
      warnings_.push_back({cfn::Location(doc_.path, section.EntryMark()), "",
                           "unknown top-level key `" + section.key + "` (ignored)" +
                               (setup_key ? ": Account and Regions of a template are given on the command line" : "")});
    }
    if (const Value* t = doc_.root.Find("Transform"); t != nullptr && !t->IsAbsent()) {
      std::vector<const Value*> names;
      if (t->IsSequence()) {
        for (const Value& c : t->children) names.push_back(&c);
      } else {
        names.push_back(t);
      }
      for (const Value* n : names) {
        if (!n->IsScalar() || n->text != "AWS::LanguageExtensions") {
          return LoadError(doc_.path, n->mark, "/Transform",
                           "Transform " + (n->IsScalar() ? n->text : std::string("(a map)")) +
                               " cannot be applied offline",
                           "deploy-time macros (AWS::Serverless, ...) need CloudFormation: load the processed "
                           "template (aws cloudformation get-template --template-stage Processed)");
        }
      }
    }
    return std::nullopt;
  }

  std::optional<Diagnostic> LoadParameters(const std::map<std::string, std::string>& overrides) {
    const Value* params = doc_.root.Find("Parameters");
    if (params != nullptr && !params->IsMap() && !params->IsAbsent()) {
      return LoadError(doc_.path, params->mark, "/Parameters", "Parameters must be a map");
    }
    for (const auto& [name, value] : overrides) {
      if (params == nullptr || params->Find(name) == nullptr) {
        Diagnostic d = LoadError(doc_.path, {}, "/Parameters",
                                 "a value is given for parameter `" + name + "`, which the template does not declare");
        d.aws_message = "Parameters: [" + name + "] do not exist in the template";
        return d;
      }
    }
    if (params == nullptr || !params->IsMap()) return std::nullopt;
    for (const Value& p : params->children) {
      const std::string pointer = "/Parameters/" + cfn::PointerSegment(p.key);
      if (!p.IsMap()) return LoadError(doc_.path, p.EntryMark(), pointer, "parameter " + p.key + " must be a map");
      const Value* type = p.Find("Type");
      if (type == nullptr || !type->IsScalar()) {
        return LoadError(doc_.path, p.EntryMark(), pointer + "/Type", "parameter " + p.key + ": missing required Type");
      }
      std::string text;
      Mark mark = p.EntryMark();
      // The value's text, then (below) its Value and list items: each charged before it is made.
      auto take = [&](size_t bytes) { return budget_.Take(bytes); };
      const Value* def = p.Find("Default");
      if (auto it = overrides.find(p.key); it != overrides.end()) {
        if (!take(it->second.size())) return cfn::BudgetError(doc_.path, mark, pointer);
        text = it->second;
      } else if (def != nullptr && def->IsScalar()) {
        if (!take(def->text.size())) return cfn::BudgetError(doc_.path, def->mark, pointer);
        text = def->text;
        mark = def->mark;
      } else if (def != nullptr && def->IsSequence()) {
        size_t size = 0;
        for (const Value& c : def->children) size += c.text.size() + 1;
        if (!take(size)) return cfn::BudgetError(doc_.path, def->mark, pointer);
        for (const Value& c : def->children) text += (text.empty() ? "" : ",") + c.text;
        mark = def->mark;
      } else {
        return LoadError(doc_.path, p.EntryMark(), pointer,
                         "parameter " + p.key + " has no Default and no value was given",
                         "give one: trailwatch ... --parameter " + p.key + "=VALUE");
      }
      const std::string& t = type->text;
      if (t.compare(0, 27, "AWS::SSM::Parameter::Value<") == 0 && overrides.count(p.key) == 0) {
        return LoadError(doc_.path, type->mark, pointer + "/Type",
                         "parameter " + p.key + " is read from SSM Parameter Store, which cannot be done offline",
                         "give its value: --parameter " + p.key + "=VALUE");
      }
      Value value;
      const bool list = t == "CommaDelimitedList" || t.compare(0, 5, "List<") == 0 ||
                        t.find("<List<") != std::string::npos;
      std::vector<std::string> items;
      if (!take(cfn::kNodeBytes)) return cfn::BudgetError(doc_.path, mark, pointer);
      if (list) {
        value.kind = Value::Kind::kSequence;
        size_t start = 0;
        while (start <= text.size()) {
          size_t comma = text.find(',', start);
          if (comma == std::string::npos) comma = text.size();
          std::string_view item = std::string_view(text).substr(start, comma - start);
          while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
          while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
          // The item in `items` and in the list.
          if (!take(cfn::kNodeBytes + 2 * item.size() + 32)) return cfn::BudgetError(doc_.path, mark, pointer);
          items.emplace_back(item);
          value.children.push_back(Value::String(std::string(item), mark));
          start = comma + 1;
        }
      } else {
        if (t == "Number") {
          double d = 0;
          auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
          if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
            return LoadError(doc_.path, mark, pointer, "parameter " + p.key + " is a Number, not `" + text + "`");
          }
        }
        if (!take(2 * text.size())) return cfn::BudgetError(doc_.path, mark, pointer);
        items.push_back(text);
        value = Value::String(text, mark);
      }
      if (const Value* allowed = p.Find("AllowedValues"); allowed != nullptr && allowed->IsSequence()) {
        std::unordered_set<std::string_view> values;  // a set: a long list checked against a long list
        if (!take(allowed->children.size() * 64)) return cfn::BudgetError(doc_.path, allowed->mark, pointer);
        for (const Value& a : allowed->children) {
          if (a.IsScalar()) values.insert(a.text);
        }
        for (const std::string& item : items) {
          if (values.count(item) == 0) {
            return LoadError(doc_.path, mark, pointer,
                             "parameter " + p.key + ": `" + item + "` is not one of its AllowedValues");
          }
        }
      }
      parameters_[p.key] = std::move(value);
    }
    return std::nullopt;
  }

  std::optional<Diagnostic> LoadDeclarations(const std::vector<std::string>& regions) {
    const Value* resources = doc_.root.Find("Resources");
    if (resources == nullptr || !resources->IsMap() || resources->children.empty()) {
      return LoadError(doc_.path, resources != nullptr ? resources->EntryMark() : doc_.root.mark, "/Resources",
                       "Resources must be a map with at least one resource");
    }
    static const std::set<std::string> kAttributes = {"Type",           "Properties",          "DependsOn",
                                                      "Metadata",       "DeletionPolicy",      "UpdateReplacePolicy",
                                                      "CreationPolicy", "UpdatePolicy",        "Condition",
                                                      "Version"};
    for (const Value& r : resources->children) {
      const std::string pointer = "/Resources/" + cfn::PointerSegment(r.key);
      if (!IsAlphanumeric(r.key)) {
        return LoadError(doc_.path, r.EntryMark(), pointer, "logical id `" + r.key + "` must be alphanumeric (A-Z a-z 0-9)");
      }
      if (decls_.count(r.key) > 0) return LoadError(doc_.path, r.EntryMark(), pointer, "resource " + r.key + " is defined twice");
      if (!r.IsMap()) return LoadError(doc_.path, r.EntryMark(), pointer, "resource " + r.key + " must be a map");
      Decl d;
      d.id = r.key;
      d.node = &r;
      const Value* type = r.Find("Type");
      if (type == nullptr || !type->IsScalar() || type->text.empty()) {
        return LoadError(doc_.path, r.EntryMark(), pointer + "/Type", "resource " + r.key + ": missing required Type");
      }
      d.type = type->text;
      d.properties = r.Find("Properties");
      if (const Value* c = r.Find("Condition"); c != nullptr) {
        if (!c->IsScalar()) return LoadError(doc_.path, c->mark, pointer + "/Condition", "Condition must be a name");
        if (conditions_ == nullptr || conditions_->Find(c->text) == nullptr) {
          return LoadError(doc_.path, c->mark, pointer + "/Condition",
                           "resource " + r.key + ": condition `" + c->text + "` is not in Conditions");
        }
        d.condition = c->text;
      }
      d.regions = regions;
      if (const Value* rr = r.Find("Regions"); rr != nullptr) {
        if (!setup_file_) {
          return LoadError(doc_.path, rr->mark, pointer + "/Regions",
                           "resource " + r.key + ": `Regions` belongs to setup files; a template's Regions are "
                                                 "given where it is loaded",
                           "trailwatch replay --template FILE@REGIONS");
        }
        Result<std::vector<std::string>> expanded = RegionsOf(*rr, doc_.path, pointer + "/Regions");
        if (!expanded.ok()) return expanded.error();
        d.regions = std::move(expanded).value();
      }
      for (const Value& attr : r.children) {
        if (kAttributes.count(attr.key) == 0 && !(setup_file_ && attr.key == "Regions")) {
          warnings_.push_back({cfn::Location(doc_.path, attr.EntryMark()) + ": " + r.key, "",
                               "unknown resource attribute `" + attr.key + "` (ignored)" +
                                   (setup_file_ && attr.key == "Region" ? ": did you mean Regions?" : "")});
        }
      }
      order_.push_back(r.key);
      decls_.emplace(r.key, std::move(d));
    }
    return std::nullopt;
  }

  cfn::ResourceContext ContextOf(const Decl& d, const std::string& region) const {
    cfn::ResourceContext ctx;
    ctx.path = doc_.path;
    ctx.logical_id = d.id;
    ctx.type = d.type;
    ctx.region = region;
    ctx.account = account_;
    ctx.partition = Partition(region);
    ctx.stack_name = stack_name_;
    ctx.mark = d.node->EntryMark();
    ctx.pointer = "/Resources/" + cfn::PointerSegment(d.id);
    ctx.setup_file = setup_file_;
    return ctx;
  }

  // What ContextOf() copies.
  size_t ContextBytes(const Decl& d, const std::string& region) const {
    return sizeof(cfn::ResourceContext) + doc_.path.size() + 2 * d.id.size() + d.type.size() + region.size() +
           account_.size() + stack_name_.size() + 32;
  }

  // The instance of `d` that a reference from `region` means: the one in that Region, else the only one.
  Result<std::pair<cfn::ResourceContext, const Instance*>> Resolve(const Decl& d, const std::string& region,
                                                                   const Value& at, const std::string& pointer) {
    std::string where = region;
    if (std::find(d.regions.begin(), d.regions.end(), region) == d.regions.end()) {
      if (d.regions.size() != 1) {
        return LoadError(doc_.path, at.mark, pointer,
                         "resource " + d.id + " exists in several Regions but not in " + region +
                             ", so which one is meant is ambiguous");
      }
      where = d.regions[0];
    }
    if (!budget_.Take(ContextBytes(d, where))) return cfn::BudgetError(doc_.path, at.mark, pointer);
    auto [it, added] = instances_.try_emplace({d.id, where});
    if (added && !budget_.Take(kInstanceBytes)) return cfn::BudgetError(doc_.path, at.mark, pointer);
    Instance& inst = it->second;
    cfn::ResourceContext ctx = ContextOf(d, where);
    switch (inst.state) {
      case Instance::State::kDone:
        return std::make_pair(std::move(ctx), static_cast<const Instance*>(&inst));
      case Instance::State::kBusy: {
        Diagnostic e = LoadError(doc_.path, at.mark, pointer, "circular reference: " + d.id + " depends on itself");
        e.aws_message = "Circular dependency between resources";
        return e;
      }
      case Instance::State::kAbsent:
        return LoadError(doc_.path, at.mark, pointer,
                         "resource " + d.id + " is not created in " + where + " (its Condition " + d.condition +
                             " is false)",
                         "refer to it inside !If [" + d.condition + ", ..., ...]");
      case Instance::State::kTodo:
        break;
    }
    if (++resolve_depth_ > kMaxResolveDepth) {
      --resolve_depth_;
      return LoadError(doc_.path, at.mark, pointer, "references between resources are nested too deeply");
    }
    inst.state = Instance::State::kBusy;
    std::optional<Diagnostic> error = Evaluate(d, where, inst);
    --resolve_depth_;
    if (error) {
      inst.state = Instance::State::kTodo;
      return *error;
    }
    if (inst.state == Instance::State::kAbsent) {
      return LoadError(doc_.path, at.mark, pointer,
                       "resource " + d.id + " is not created in " + where + " (its Condition " + d.condition +
                           " is false)",
                       "refer to it inside !If [" + d.condition + ", ..., ...]");
    }
    return std::make_pair(std::move(ctx), static_cast<const Instance*>(&inst));
  }

  // Evaluates the condition, then the properties of one instance (state kBusy on entry).
  std::optional<Diagnostic> Evaluate(const Decl& d, const std::string& region, Instance& inst) {
    const std::string pointer = "/Resources/" + cfn::PointerSegment(d.id);
    if (!d.condition.empty()) {
      Result<bool> on = ConditionValue(d.condition, region, *d.node, pointer + "/Condition");
      if (!on.ok()) return on.error();
      if (!*on) {
        inst.state = Instance::State::kAbsent;
        return std::nullopt;
      }
    }
    RegionScope scope(*this, region);
    if (d.properties != nullptr && !d.properties->IsAbsent()) {
      if (cfn::KindOf(d.type) != cfn::ResourceKind::kOther) {
        Result<Value> props = cfn::Evaluate(*d.properties, scope, pointer + "/Properties");
        if (!props.ok()) return props.error();
        inst.properties = std::move(props).value();
        inst.has_properties = true;
      } else if (std::string_view name = cfn::NameProperty(d.type); !name.empty() && d.properties->IsMap()) {
        // Not simulated: only the name is evaluated (for Ref / Fn::GetAtt), so the rest may use anything.
        inst.properties.kind = Value::Kind::kMap;
        inst.has_properties = true;
        if (const Value* n = d.properties->Find(name)) {
          Result<Value> v = cfn::Evaluate(*n, scope, pointer + "/Properties/" + std::string(name));
          if (!v.ok()) return v.error();
          v->key = std::string(name);
          inst.properties.children.push_back(std::move(v).value());
        }
      }
    }
    inst.state = Instance::State::kDone;
    return std::nullopt;
  }

  Result<bool> ConditionValue(const std::string& name, const std::string& region, const Value& at,
                              const std::string& pointer) {
    const Value* def = conditions_ != nullptr ? conditions_->Find(name) : nullptr;
    if (def == nullptr) {
      return LoadError(doc_.path, at.mark, pointer, "condition `" + name + "` is not in Conditions");
    }
    auto key = std::make_pair(name, region);
    if (auto it = condition_values_.find(key); it != condition_values_.end()) return it->second;
    if (!conditions_busy_.insert(key).second) {
      return LoadError(doc_.path, def->mark, "/Conditions/" + cfn::PointerSegment(name),
                       "condition " + name + " depends on itself");
    }
    if (conditions_busy_.size() > static_cast<size_t>(kMaxResolveDepth)) {
      conditions_busy_.erase(key);
      return LoadError(doc_.path, def->mark, "/Conditions/" + cfn::PointerSegment(name),
                       "conditions refer to each other too deeply");
    }
    RegionScope scope(*this, region);
    Result<bool> r = cfn::EvaluateCondition(*def, scope, "/Conditions/" + cfn::PointerSegment(name));
    conditions_busy_.erase(key);
    if (r.ok()) condition_values_[key] = *r;
    return r;
  }

  std::optional<Diagnostic> Instantiate() {
    std::string skipped;
    for (const std::string& id : order_) {
      const Decl& d = decls_.at(id);
      if (cfn::KindOf(d.type) == cfn::ResourceKind::kOther) {
        skipped += (skipped.empty() ? "" : ", ") + d.id + " (" + d.type + ")";
        continue;
      }
      for (const std::string& region : d.regions) {
        Result<std::pair<cfn::ResourceContext, const Instance*>> r = Resolve(d, region, *d.node, "/Resources/" + id);
        if (!r.ok()) {
          if (instances_[{d.id, region}].state == Instance::State::kAbsent) continue;  // Condition false
          return r.error();
        }
        const Instance* inst = r->second;
        if (auto e = cfn::AddResource(r->first, inst->has_properties ? &inst->properties : nullptr, setup_, warnings_,
                                      budget_)) {
          return e;
        }
        regions_used_.insert(region);
      }
    }
    if (!skipped.empty()) warnings_.push_back({doc_.path, "", "not simulated (skipped): " + skipped});
    return std::nullopt;
  }

  const Document& doc_;
  const bool setup_file_;
  const std::string account_;
  const std::string stack_name_;
  Setup& setup_;
  std::vector<cfn::Warning>& warnings_;

  std::map<std::string, Value> parameters_;
  const Value* mappings_ = nullptr;
  const Value* conditions_ = nullptr;
  std::map<std::string, Decl> decls_;
  std::vector<std::string> order_;
  std::map<std::pair<std::string, std::string>, Instance> instances_;  // (logical id, Region)
  std::map<std::pair<std::string, std::string>, bool> condition_values_;
  std::set<std::pair<std::string, std::string>> conditions_busy_;
  std::set<std::string> regions_used_;
  int resolve_depth_ = 0;
  cfn::Budget budget_;  // the document's: what reading it took, then every copy made here
};

}  // namespace

namespace cfn {

std::optional<Diagnostic> LoadStack(const StackSpec& spec, Setup& setup, std::vector<Warning>& warnings,
                                    std::set<std::string>& regions_used) {
  StackLoader loader(*spec.doc, spec.setup_file, spec.account, spec.stack_name, setup, warnings);
  if (auto e = loader.Load(spec.parameters, spec.regions)) return e;
  regions_used.insert(loader.regions_used().begin(), loader.regions_used().end());
  return std::nullopt;
}

}  // namespace cfn
}  // namespace trailwatch::engine
