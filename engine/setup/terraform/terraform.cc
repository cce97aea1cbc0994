// terraform.cc: `terraform show -json` -> Setup. The document is walked into one Instance per resource
// instance (planned_values or values, with resource_changes and configuration beside it); each instance gets
// its Region and account; unknown values are resolved through the configuration; each simulated instance
// becomes the Properties of the equivalent CloudFormation resource and goes through cfn::AddResource (targets
// join their rule's Targets). See terraform.h.
#include "engine/setup/terraform/terraform.h"

#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "engine/setup/check.h"
#include "engine/setup/cloudformation/document.h"
#include "engine/setup/cloudformation/resources.h"

namespace trailwatch::engine {
namespace {

using cfn::Value;

// The entry `key` of a map, nullptr when absent or null.
const Value* Get(const Value* map, std::string_view key) {
  if (map == nullptr || !map->IsMap()) return nullptr;
  const Value* v = map->Find(key);
  return v == nullptr || v->IsAbsent() ? nullptr : v;
}

// The text of a scalar entry; nullopt when absent, null or not a scalar.
std::optional<std::string> Text(const Value* map, std::string_view key) {
  const Value* v = Get(map, key);
  if (v == nullptr || !v->IsScalar()) return std::nullopt;
  return v->text;
}

// A non-empty string entry (Terraform's state stores "" for unset optional strings).
std::optional<std::string> NonEmpty(const Value* map, std::string_view key) {
  std::optional<std::string> t = Text(map, key);
  if (t && t->empty()) return std::nullopt;
  return t;
}

// A for_each/count key as a comparable text: "s:eu-west-1" or "n:0"; "" = no key.
std::string KeyOf(const Value* index) {
  if (index == nullptr) return {};
  return (index->kind == Value::Kind::kString ? "s:" : "n:") + index->text;
}

// One module instance of an address: "module.fwd[\"eu-west-1\"]" -> {fwd, s:eu-west-1}.
struct ModuleStep {
  std::string name;
  std::string key;      // KeyOf form
  std::string address;  // the module instance's address up to and including this step
};

// "module.a[\"k\"].module.b" -> steps; nullopt when it is not a module address.
std::optional<std::vector<ModuleStep>> ParseModuleAddress(std::string_view a) {
  std::vector<ModuleStep> steps;
  size_t i = 0;
  while (i < a.size()) {
    if (i > 0) {
      if (a[i] != '.') return std::nullopt;
      ++i;
    }
    if (a.substr(i, 7) != "module.") return std::nullopt;
    i += 7;
    ModuleStep s;
    while (i < a.size() && a[i] != '.' && a[i] != '[') s.name += a[i++];
    if (s.name.empty()) return std::nullopt;
    if (i < a.size() && a[i] == '[') {
      ++i;
      if (i < a.size() && a[i] == '"') {
        std::string key;
        for (++i; i < a.size() && a[i] != '"'; ++i) {
          if (a[i] == '\\' && i + 1 < a.size()) ++i;
          key += a[i];
        }
        if (i >= a.size()) return std::nullopt;
        ++i;
        s.key = "s:" + key;
      } else {
        std::string n;
        while (i < a.size() && a[i] != ']') n += a[i++];
        s.key = "n:" + n;
      }
      if (i >= a.size() || a[i] != ']') return std::nullopt;
      ++i;
    }
    s.address = std::string(a.substr(0, i));
    steps.push_back(std::move(s));
  }
  return steps;
}

// The CloudFormation type whose loader the Terraform type goes through ("" = read but not simulated,
// nullopt = not a type trailwatch knows).
std::optional<std::string_view> CfnTypeOf(std::string_view type) {
  if (type == "aws_cloudwatch_log_group") return "AWS::Logs::LogGroup";
  if (type == "aws_cloudwatch_log_metric_filter") return "AWS::Logs::MetricFilter";
  if (type == "aws_cloudwatch_event_rule") return "AWS::Events::Rule";
  if (type == "aws_cloudwatch_metric_alarm") return "AWS::CloudWatch::Alarm";
  if (type == "aws_cloudtrail") return "AWS::CloudTrail::Trail";
  if (type == "aws_cloudwatch_event_target") return "";  // joins its rule
  if (type == "aws_cloudwatch_event_bus") return "";     // buses are implicit in the model
  if (type == "aws_cloudwatch_log_resource_policy") return "";
  return std::nullopt;
}

// Types whose `arn` is their own (an event target's `arn` is its destination; a metric filter and a resource
// policy have none).
bool HasOwnArn(std::string_view type) {
  return type == "aws_cloudwatch_log_group" || type == "aws_cloudwatch_event_rule" ||
         type == "aws_cloudwatch_event_bus" || type == "aws_cloudwatch_metric_alarm" || type == "aws_cloudtrail";
}

struct Instance {
  std::string address;
  std::vector<ModuleStep> module;  // the module instances it is in (empty: root)
  std::string module_address;      // "" for the root module
  std::string mode, type, name;
  std::string key;                 // its own for_each/count key (KeyOf), "" when none
  std::string pointer;             // JSON pointer of its entry in the document
  const Value* values = nullptr;
  const Value* unknown = nullptr;  // change.after_unknown (plan)
  const Value* config = nullptr;   // its configuration block
  std::string region, account, partition = "aws";
  bool placed = false;             // region known
};

class Loader {
 public:
  Loader(cfn::Document& doc, const LoadOptions& options) : doc_(doc), options_(options) {}

  Result<Setup> Load();

 private:
  std::string Where(const Instance& in) const { return doc_.path + ": " + in.address; }
  Diagnostic Error(const std::string& pointer, const std::string& message, std::string hint = {}) const {
    return cfn::LoadError(doc_.path, {}, pointer, message, std::move(hint));
  }
  Diagnostic InstanceError(const Instance& in, const std::string& message, std::string hint = {}) const {
    return Error(in.pointer, in.address + " (" + in.type + "): " + message, std::move(hint));
  }
  void Warn(const Instance& in, const std::string& text) { warnings_.push_back({Where(in), in.region, text}); }

  std::optional<Diagnostic> Walk(const Value* module, const std::string& pointer, int depth);
  const Value* ConfigModule(const std::vector<ModuleStep>& steps, size_t n) const;
  const Value* ConfigResource(const Instance& in) const;
  std::optional<std::string> Variable(const std::vector<ModuleStep>& steps, size_t n, const std::string& var,
                                      int depth) const;
  std::optional<std::string> ConstantOf(const Value* expr, const std::vector<ModuleStep>& steps, size_t n,
                                        const std::string& each_key, int depth) const;
  std::optional<Diagnostic> Place(Instance& in);
  void PlaceByCompanion(Instance& in);
  std::optional<std::string> Resolve(const Instance& in, const std::vector<ModuleStep>& steps, size_t n,
                                     const Value* expr, const std::string& attr, int depth) const;
  std::optional<std::string> Built(const Instance& target, const std::string& attr) const;
  const Instance* Find(const std::string& module_address, const std::string& type, const std::string& name,
                       const std::string& key, const std::string& want_key) const;
  // The value of attribute `attr`: known, or resolved through the configuration; `unresolved` is set (and
  // a warning given) when it is unknown at plan time and cannot be resolved.
  std::optional<std::string> Attr(const Instance& in, const std::string& attr, bool* unresolved);

  std::optional<Diagnostic> Map(const Instance& in, Value& props, bool* keep);
  std::optional<Diagnostic> MapTarget(const Instance& in, Value& target, std::string* rule_key, bool* keep);

  cfn::Document& doc_;
  const LoadOptions& options_;
  const Value* config_ = nullptr;     // configuration
  const Value* variables_ = nullptr;  // variables (plan)
  std::map<std::string, const Value*> changes_;  // resource_changes by address
  std::vector<Instance> instances_;
  std::vector<SetupWarning> warnings_;
  std::map<std::string, std::vector<std::string>> no_region_;  // provider key -> addresses
};

void Push(Value& map, std::string key, Value v) {
  v.key = std::move(key);
  map.children.push_back(std::move(v));
}

Value MapValue() {
  Value v;
  v.kind = Value::Kind::kMap;
  return v;
}

Value ListValue() {
  Value v;
  v.kind = Value::Kind::kSequence;
  return v;
}

// A copy of a scalar entry of `from` into `to` under `key` (when set and, for strings, non-empty).
void CopyScalar(const Value* from, std::string_view attr, Value& to, std::string key) {
  const Value* v = Get(from, attr);
  if (v == nullptr || !v->IsScalar() || (v->kind == Value::Kind::kString && v->text.empty())) return;
  Value c = *v;
  Push(to, std::move(key), std::move(c));
}

// The first block of a block list (`metric_transformation: [{...}]`), nullptr when none.
const Value* FirstBlock(const Value* map, std::string_view attr) {
  const Value* list = Get(map, attr);
  if (list == nullptr || !list->IsSequence() || list->children.empty()) return nullptr;
  return &list->children[0];
}

// A map attribute ({K: V}) as CloudFormation's list of {<k>: K, <v>: V}.
std::optional<Value> PairList(const Value* map, std::string_view attr, std::string_view k, std::string_view v) {
  const Value* m = Get(map, attr);
  if (m == nullptr || !m->IsMap() || m->children.empty()) return std::nullopt;
  Value list = ListValue();
  for (const Value& e : m->children) {
    Value item = MapValue();
    Push(item, std::string(k), Value::String(e.key));
    Push(item, std::string(v), Value::String(e.text));
    list.children.push_back(std::move(item));
  }
  return list;
}

const Value* ConfigResourceIn(const Value* module, const Instance& in) {
  const Value* resources = Get(module, "resources");
  if (resources == nullptr || !resources->IsSequence()) return nullptr;
  for (const Value& r : resources->children) {
    if (Text(&r, "type") == in.type && Text(&r, "name") == in.name && Text(&r, "mode").value_or("managed") == in.mode) {
      return &r;
    }
  }
  return nullptr;
}

const Value* Loader::ConfigModule(const std::vector<ModuleStep>& steps, size_t n) const {
  const Value* m = Get(config_, "root_module");
  for (size_t i = 0; i < n && m != nullptr; ++i) m = Get(Get(Get(m, "module_calls"), steps[i].name), "module");
  return m;
}

const Value* Loader::ConfigResource(const Instance& in) const {
  return ConfigResourceIn(ConfigModule(in.module, in.module.size()), in);
}

// Variable `var` of the module steps[0..n): the plan's value (root), the module call's expression, else the
// variable's default.
std::optional<std::string> Loader::Variable(const std::vector<ModuleStep>& steps, size_t n, const std::string& var,
                                            int depth) const {
  if (depth > cfn::kMaxDepth) return std::nullopt;
  if (n == 0) {
    if (std::optional<std::string> v = Text(Get(variables_, var), "value")) return v;
  } else {
    const Value* call = Get(Get(ConfigModule(steps, n - 1), "module_calls"), steps[n - 1].name);
    if (const Value* expr = Get(Get(call, "expressions"), var)) {
      std::string each = steps[n - 1].key.size() > 2 && steps[n - 1].key[0] == 's' ? steps[n - 1].key.substr(2) : "";
      return ConstantOf(expr, steps, n - 1, each, depth + 1);
    }
  }
  return Text(Get(Get(ConfigModule(steps, n), "variables"), var), "default");
}

// A configuration expression that is a constant, one variable or each.key, evaluated in module steps[0..n).
std::optional<std::string> Loader::ConstantOf(const Value* expr, const std::vector<ModuleStep>& steps, size_t n,
                                              const std::string& each_key, int depth) const {
  if (std::optional<std::string> c = Text(expr, "constant_value")) return c;
  const Value* refs = Get(expr, "references");
  if (refs == nullptr || !refs->IsSequence() || refs->children.empty()) return std::nullopt;
  // One traversal (its prefixes aside): "var.x" or "each.key".
  const std::string& first = refs->children[0].text;
  for (const Value& r : refs->children) {
    if (first.compare(0, r.text.size(), r.text) != 0) return std::nullopt;
  }
  if (first.compare(0, 4, "var.") == 0 && first.find('.', 4) == std::string::npos) {
    return Variable(steps, n, first.substr(4), depth + 1);
  }
  if (first == "each.key" && !each_key.empty()) return each_key;
  return std::nullopt;
}

std::optional<Diagnostic> Loader::Walk(const Value* module, const std::string& pointer, int depth) {
  if (module == nullptr) return std::nullopt;
  if (!module->IsMap()) return Error(pointer, "a module must be an object");
  std::vector<ModuleStep> steps;
  std::string module_address;
  if (depth > 0) {
    std::optional<std::string> a = Text(module, "address");
    std::optional<std::vector<ModuleStep>> parsed = a ? ParseModuleAddress(*a) : std::nullopt;
    if (!parsed) {
      return Error(pointer + "/address", "module address `" + a.value_or("") + "` is not module.NAME[KEY]...");
    }
    steps = std::move(*parsed);
    module_address = *a;
  }
  if (const Value* resources = Get(module, "resources")) {
    if (!resources->IsSequence()) return Error(pointer + "/resources", "resources must be a list");
    for (size_t i = 0; i < resources->children.size(); ++i) {
      const Value& r = resources->children[i];
      Instance in;
      in.pointer = pointer + "/resources/" + std::to_string(i);
      in.address = Text(&r, "address").value_or("");
      in.mode = Text(&r, "mode").value_or("managed");
      in.type = Text(&r, "type").value_or("");
      in.name = Text(&r, "name").value_or("");
      if (in.address.empty() || in.type.empty() || in.name.empty()) {
        return Error(in.pointer, "a resource needs an address, a type and a name");
      }
      in.key = KeyOf(Get(&r, "index"));
      in.module = steps;
      in.module_address = module_address;
      in.values = Get(&r, "values");
      if (in.values != nullptr && !in.values->IsMap()) return InstanceError(in, "values must be an object");
      if (auto c = changes_.find(in.address); c != changes_.end()) {
        const Value* change = Get(c->second, "change");
        in.unknown = Get(change, "after_unknown");
        const Value* actions = Get(change, "actions");
        if (actions != nullptr && actions->IsSequence() && actions->children.size() == 1 &&
            actions->children[0].text == "delete") {
          continue;  // being destroyed
        }
      }
      in.config = ConfigResource(in);
      instances_.push_back(std::move(in));
    }
  }
  if (const Value* children = Get(module, "child_modules")) {
    if (!children->IsSequence()) return Error(pointer + "/child_modules", "child_modules must be a list");
    for (size_t i = 0; i < children->children.size(); ++i) {
      if (auto e = Walk(&children->children[i], pointer + "/child_modules/" + std::to_string(i), depth + 1)) return e;
    }
  }
  return std::nullopt;
}

std::optional<Diagnostic> Loader::Place(Instance& in) {
  auto set = [&](const std::string& region, const std::string& what) -> std::optional<Diagnostic> {
    if (!IsRegionName(region)) return InstanceError(in, what + " `" + region + "` is not a Region code");
    in.region = region;
    in.placed = true;
    return std::nullopt;
  };
  if (std::optional<std::string> r = NonEmpty(in.values, "region")) return set(*r, "region");
  if (std::optional<std::string> key = Text(in.config, "provider_config_key")) {
    const Value* provider = Get(Get(config_, "provider_config"), *key);
    if (const Value* expr = Get(Get(provider, "expressions"), "region")) {
      std::vector<ModuleStep> steps;
      if (std::optional<std::string> m = Text(provider, "module_address")) {
        steps = ParseModuleAddress(*m).value_or(std::vector<ModuleStep>{});
      }
      if (std::optional<std::string> r = ConstantOf(expr, steps, steps.size(), "", 0)) {
        return set(*r, "the region of provider `" + *key + "`");
      }
      return InstanceError(in, "the region of provider `" + *key + "` is not a constant or a variable",
                           "trailwatch reads region = \"us-east-1\" or region = var.NAME");
    }
  }
  if (HasOwnArn(in.type)) {
    if (std::optional<std::string> a = NonEmpty(in.values, "arn")) {
      if (std::optional<ParsedArn> arn = ParseArn(*a); arn && !arn->region.empty()) return set(arn->region, "the ARN's Region");
    }
  }
  return std::nullopt;
}

// A target in its rule's Region, a metric filter in its log group's (state: no configuration, no ARN).
void Loader::PlaceByCompanion(Instance& in) {
  std::string type, name;
  if (in.type == "aws_cloudwatch_event_target") {
    type = "aws_cloudwatch_event_rule";
    name = Text(in.values, "rule").value_or("");
  } else if (in.type == "aws_cloudwatch_log_metric_filter") {
    type = "aws_cloudwatch_log_group";
    name = Text(in.values, "log_group_name").value_or("");
  } else {
    return;
  }
  const Instance* local = nullptr;
  const Instance* anywhere = nullptr;
  int count = 0;
  for (const Instance& o : instances_) {
    if (o.type != type || !o.placed || Text(o.values, "name").value_or("") != name) continue;
    if (o.module_address == in.module_address && local == nullptr) local = &o;
    anywhere = &o;
    ++count;
  }
  const Instance* c = local != nullptr ? local : count == 1 ? anywhere : nullptr;
  if (c != nullptr) {
    in.region = c->region;
    in.account = c->account;
    in.placed = true;
  }
}

const Instance* Loader::Find(const std::string& module_address, const std::string& type, const std::string& name,
                             const std::string& key, const std::string& want_key) const {
  std::vector<const Instance*> all;
  for (const Instance& o : instances_) {
    if (o.module_address == module_address && o.type == type && o.name == name && o.mode == "managed") all.push_back(&o);
  }
  if (!key.empty()) {
    for (const Instance* o : all) {
      if (o->key == key) return o;
    }
    return nullptr;
  }
  if (all.size() == 1) return all[0];
  for (const Instance* o : all) {
    if (!want_key.empty() && o->key == want_key) return o;  // each.key -> the same key
  }
  return nullptr;
}

// The attribute of another instance: known, or built from its known values (spec §1.4).
std::optional<std::string> Loader::Built(const Instance& t, const std::string& attr) const {
  if (std::optional<std::string> v = NonEmpty(t.values, attr)) return v;
  const std::optional<std::string> name = NonEmpty(t.values, "name");
  if (!name || !t.placed) return std::nullopt;
  const std::string account = t.account.empty() ? options_.account : t.account;
  auto arn = [&](const std::string& service, const std::string& resource) {
    return "arn:" + t.partition + ":" + service + ":" + t.region + ":" + account + ":" + resource;
  };
  if (attr == "name") return name;
  if (t.type == "aws_cloudwatch_log_group") {
    if (attr == "arn") return arn("logs", "log-group:" + *name);
    if (attr == "id") return name;
  }
  if (t.type == "aws_cloudwatch_event_bus") {
    if (attr == "arn") return arn("events", "event-bus/" + *name);
    if (attr == "id") return name;
  }
  if (t.type == "aws_cloudwatch_event_rule") {
    std::string bus = NonEmpty(t.values, "event_bus_name").value_or("default");
    if (std::optional<ParsedArn> b = ParseArn(bus); b && b->resource.compare(0, 10, "event-bus/") == 0) {
      bus = b->resource.substr(10);
    }
    if (attr == "arn") return arn("events", bus == "default" ? "rule/" + *name : "rule/" + bus + "/" + *name);
    if (attr == "id") return bus == "default" ? *name : bus + "/" + *name;
  }
  return std::nullopt;
}

// Resolves `expr` (an expression of module steps[0..n), read for `in`) to the value of the first managed
// resource it references (through variables and module outputs).
std::optional<std::string> Loader::Resolve(const Instance& in, const std::vector<ModuleStep>& steps, size_t n,
                                           const Value* expr, const std::string& attr, int depth) const {
  if (depth > cfn::kMaxDepth) return std::nullopt;
  if (std::optional<std::string> c = Text(expr, "constant_value")) return c;
  const Value* refs = Get(expr, "references");
  if (refs == nullptr || !refs->IsSequence()) return std::nullopt;
  const std::string module_address = n == 0 ? "" : steps[n - 1].address;
  for (const Value& ref : refs->children) {
    const std::string& r = ref.text;
    if (r.compare(0, 4, "var.") == 0) {
      const std::string var = r.substr(4, r.find_first_of(".[", 4) - 4);
      if (n == 0) continue;  // a root variable's value is known at plan time
      const Value* call = Get(Get(ConfigModule(steps, n - 1), "module_calls"), steps[n - 1].name);
      const Value* e = Get(Get(call, "expressions"), var);
      if (e == nullptr) continue;
      if (std::optional<std::string> v = Resolve(in, steps, n - 1, e, attr, depth + 1)) return v;
      continue;
    }
    if (r.compare(0, 7, "module.") == 0) {
      // module.M.OUT -> that module's output expression, in its (single) instance.
      const size_t dot = r.find('.', 7);
      if (dot == std::string::npos) continue;
      const std::string m = r.substr(7, dot - 7);
      const std::string out = r.substr(dot + 1, r.find_first_of(".[", dot + 1) - dot - 1);
      const Value* call = Get(Get(ConfigModule(steps, n), "module_calls"), m);
      const Value* e = Get(Get(Get(Get(call, "module"), "outputs"), out), "expression");
      if (e == nullptr) continue;
      std::vector<ModuleStep> inner(steps.begin(), steps.begin() + static_cast<long>(n));
      inner.push_back({m, "", (module_address.empty() ? "" : module_address + ".") + "module." + m});
      if (std::optional<std::string> v = Resolve(in, inner, inner.size(), e, attr, depth + 1)) return v;
      continue;
    }
    if (r.compare(0, 4, "aws_") != 0) continue;  // local., data., each., count., path., other providers
    // TYPE.NAME[KEY]?.ATTR?
    const size_t dot = r.find('.');
    if (dot == std::string::npos) continue;
    const std::string type = r.substr(0, dot);
    size_t end = r.find_first_of(".[", dot + 1);
    const std::string name = r.substr(dot + 1, end == std::string::npos ? std::string::npos : end - dot - 1);
    std::string key;
    if (end != std::string::npos && r[end] == '[') {
      const size_t close = r.find(']', end);
      if (close == std::string::npos) continue;
      std::string k = r.substr(end + 1, close - end - 1);
      key = k.size() >= 2 && k.front() == '"' ? "s:" + k.substr(1, k.size() - 2) : "n:" + k;
      end = close + 1 < r.size() ? close + 1 : std::string::npos;
    }
    std::string ref_attr = attr;
    if (end != std::string::npos && r[end] == '.') ref_attr = r.substr(end + 1, r.find_first_of(".[", end + 1) - end - 1);
    const std::string want = !in.key.empty() ? in.key : n > 0 ? steps[n - 1].key : "";
    const Instance* t = Find(module_address, type, name, key, want);
    if (t == nullptr) continue;
    if (std::optional<std::string> v = Built(*t, ref_attr)) return v;
  }
  return std::nullopt;
}

std::optional<std::string> Loader::Attr(const Instance& in, const std::string& attr, bool* unresolved) {
  if (const Value* v = Get(in.values, attr); v != nullptr && v->IsScalar()) return v->text;
  const Value* expr = Get(Get(in.config, "expressions"), attr);
  const bool unknown = Get(in.unknown, attr) != nullptr && Get(in.unknown, attr)->text == "true";
  if (!unknown && Get(expr, "references") == nullptr) return std::nullopt;  // not set
  if (std::optional<std::string> v = Resolve(in, in.module, in.module.size(), expr, attr, 0)) return v;
  std::string refs;
  if (const Value* list = Get(expr, "references")) {
    for (const Value& r : list->children) refs += (refs.empty() ? "" : ", ") + r.text;
  }
  Warn(in, attr + " is unknown until apply and " +
               (refs.empty() ? std::string("the configuration does not say what it references")
                             : "its references (" + refs + ") do not resolve to a resource of the plan"));
  *unresolved = true;
  return std::nullopt;
}

bool IsTrue(const std::optional<std::string>& s, bool def) { return s ? *s == "true" : def; }

// The CloudFormation Properties of a simulated instance; `keep` false: skipped (a warning says why).
std::optional<Diagnostic> Loader::Map(const Instance& in, Value& p, bool* keep) {
  const Value* v = in.values;
  bool unresolved = false;
  auto required = [&](const std::string& attr) -> std::optional<std::string> {
    std::optional<std::string> s = Attr(in, attr, &unresolved);
    return s;
  };
  auto missing = [&](const std::string& attr) { return InstanceError(in, "missing required attribute " + attr); };
  if (in.type == "aws_cloudwatch_log_group") {
    std::optional<std::string> name = NonEmpty(v, "name");
    if (!name) {
      if (std::optional<std::string> prefix = NonEmpty(v, "name_prefix")) {
        Warn(in, "name is generated from name_prefix at apply time: simulated as `" + *prefix + "`");
        name = prefix;
      } else {
        return missing("name");
      }
    }
    Push(p, "LogGroupName", Value::String(*name));
  } else if (in.type == "aws_cloudwatch_log_metric_filter") {
    std::optional<std::string> name = required("name"), pattern = Text(v, "pattern"), group = required("log_group_name");
    if (unresolved) {
      Warn(in, "the metric filter is skipped");
      *keep = false;
      return std::nullopt;
    }
    if (!name) return missing("name");
    if (!group) return missing("log_group_name");
    Push(p, "FilterName", Value::String(*name));
    Push(p, "FilterPattern", Value::String(pattern.value_or("")));
    Push(p, "LogGroupName", Value::String(*group));
    const Value* list = Get(v, "metric_transformation");
    if (list == nullptr || !list->IsSequence() || list->children.size() != 1) {
      return InstanceError(in, "metric_transformation must be exactly one block");
    }
    const Value* t = &list->children[0];
    Value x = MapValue();
    for (auto [attr, prop] : {std::pair<const char*, const char*>{"name", "MetricName"}, {"namespace", "MetricNamespace"},
                              {"value", "MetricValue"}}) {
      if (!NonEmpty(t, attr)) return missing(std::string("metric_transformation.") + attr);
      CopyScalar(t, attr, x, prop);
    }
    CopyScalar(t, "default_value", x, "DefaultValue");
    if (NonEmpty(t, "unit").value_or("None") != "None") CopyScalar(t, "unit", x, "Unit");
    if (std::optional<Value> d = PairList(t, "dimensions", "Key", "Value")) Push(x, "Dimensions", std::move(*d));
    Value xs = ListValue();
    xs.children.push_back(std::move(x));
    Push(p, "MetricTransformations", std::move(xs));
  } else if (in.type == "aws_cloudwatch_event_rule") {
    std::optional<std::string> name = NonEmpty(v, "name");
    if (!name) name = NonEmpty(v, "name_prefix");
    if (!name) return missing("name");
    Push(p, "Name", Value::String(*name));
    CopyScalar(v, "event_pattern", p, "EventPattern");
    CopyScalar(v, "schedule_expression", p, "ScheduleExpression");
    std::optional<std::string> bus = required("event_bus_name");
    if (unresolved) {
      Warn(in, "the rule is skipped");
      *keep = false;
      return std::nullopt;
    }
    if (bus && !bus->empty()) Push(p, "EventBusName", Value::String(*bus));
    std::optional<std::string> state = NonEmpty(v, "state");
    if (!state) state = IsTrue(Text(v, "is_enabled"), true) ? "ENABLED" : "DISABLED";
    Push(p, "State", Value::String(*state));
  } else if (in.type == "aws_cloudwatch_metric_alarm") {
    if (!NonEmpty(v, "alarm_name")) return missing("alarm_name");
    if (!NonEmpty(v, "comparison_operator")) return missing("comparison_operator");
    if (!NonEmpty(v, "evaluation_periods")) return missing("evaluation_periods");
    CopyScalar(v, "alarm_name", p, "AlarmName");
    CopyScalar(v, "comparison_operator", p, "ComparisonOperator");
    CopyScalar(v, "evaluation_periods", p, "EvaluationPeriods");
    CopyScalar(v, "threshold", p, "Threshold");
    CopyScalar(v, "threshold_metric_id", p, "ThresholdMetricId");
    CopyScalar(v, "treat_missing_data", p, "TreatMissingData");
    CopyScalar(v, "unit", p, "Unit");
    if (Text(v, "datapoints_to_alarm").value_or("0") != "0") CopyScalar(v, "datapoints_to_alarm", p, "DatapointsToAlarm");
    const Value* queries = Get(v, "metric_query");
    if (queries != nullptr && queries->IsSequence() && !queries->children.empty()) {
      Value metrics = ListValue();
      for (const Value& q : queries->children) {
        Value m = MapValue();
        CopyScalar(&q, "id", m, "Id");
        CopyScalar(&q, "expression", m, "Expression");
        CopyScalar(&q, "return_data", m, "ReturnData");
        if (const Value* metric = FirstBlock(&q, "metric")) {
          Value stat = MapValue(), inner = MapValue();
          CopyScalar(metric, "metric_name", inner, "MetricName");
          CopyScalar(metric, "namespace", inner, "Namespace");
          if (std::optional<Value> d = PairList(metric, "dimensions", "Name", "Value")) Push(inner, "Dimensions", std::move(*d));
          Push(stat, "Metric", std::move(inner));
          CopyScalar(metric, "period", stat, "Period");
          CopyScalar(metric, "stat", stat, "Stat");
          CopyScalar(metric, "unit", stat, "Unit");
          Push(m, "MetricStat", std::move(stat));
        }
        metrics.children.push_back(std::move(m));
      }
      Push(p, "Metrics", std::move(metrics));
    } else {
      CopyScalar(v, "metric_name", p, "MetricName");
      CopyScalar(v, "namespace", p, "Namespace");
      CopyScalar(v, "statistic", p, "Statistic");
      CopyScalar(v, "extended_statistic", p, "ExtendedStatistic");
      if (Text(v, "period").value_or("0") != "0") CopyScalar(v, "period", p, "Period");
      if (std::optional<Value> d = PairList(v, "dimensions", "Name", "Value")) Push(p, "Dimensions", std::move(*d));
      for (auto [attr, prop] : {std::pair<const char*, const char*>{"metric_name", "MetricName"},
                                {"namespace", "Namespace"}, {"period", "Period"}}) {
        if (Get(&p, prop) == nullptr) return missing(std::string(attr) + " (or metric_query)");
      }
      if (Get(&p, "Statistic") == nullptr && Get(&p, "ExtendedStatistic") == nullptr) {
        return missing("statistic (or extended_statistic)");
      }
    }
    if (Get(&p, "Threshold") == nullptr && Get(&p, "ThresholdMetricId") == nullptr) return missing("threshold");
  } else if (in.type == "aws_cloudtrail") {
    if (!NonEmpty(v, "name")) return missing("name");
    if (!NonEmpty(v, "s3_bucket_name")) return missing("s3_bucket_name");
    CopyScalar(v, "name", p, "TrailName");
    CopyScalar(v, "s3_bucket_name", p, "S3BucketName");
    Push(p, "IsLogging", Value::Plain(IsTrue(Text(v, "enable_logging"), true) ? "true" : "false"));
    Push(p, "IsMultiRegionTrail", Value::Plain(IsTrue(Text(v, "is_multi_region_trail"), false) ? "true" : "false"));
    Push(p, "IncludeGlobalServiceEvents",
         Value::Plain(IsTrue(Text(v, "include_global_service_events"), true) ? "true" : "false"));
    Push(p, "IsOrganizationTrail", Value::Plain(IsTrue(Text(v, "is_organization_trail"), false) ? "true" : "false"));
    bool group_unresolved = false;
    if (std::optional<std::string> g = Attr(in, "cloud_watch_logs_group_arn", &group_unresolved); g && !g->empty()) {
      Push(p, "CloudWatchLogsLogGroupArn", Value::String(*g));
    }
    if (group_unresolved) Warn(in, "the trail is simulated without its CloudWatch Logs delivery");
    CopyScalar(v, "cloud_watch_logs_role_arn", p, "CloudWatchLogsRoleArn");
    const Value* advanced = Get(v, "advanced_event_selector");
    if (advanced != nullptr && advanced->IsSequence() && !advanced->children.empty()) {
      Push(p, "AdvancedEventSelectors", Value(*advanced));
    } else if (const Value* selectors = Get(v, "event_selector");
               selectors != nullptr && selectors->IsSequence() && !selectors->children.empty()) {
      Value list = ListValue();
      for (const Value& s : selectors->children) {
        Value m = MapValue();
        CopyScalar(&s, "read_write_type", m, "ReadWriteType");
        CopyScalar(&s, "include_management_events", m, "IncludeManagementEvents");
        list.children.push_back(std::move(m));
      }
      Push(p, "EventSelectors", std::move(list));
    }
  }
  return std::nullopt;
}

// A target's CloudFormation Targets entry and the key of its rule ("region|account|bus|name").
std::optional<Diagnostic> Loader::MapTarget(const Instance& in, Value& t, std::string* rule_key, bool* keep) {
  const Value* v = in.values;
  bool unresolved = false;
  std::optional<std::string> rule = Attr(in, "rule", &unresolved);
  std::optional<std::string> arn = Attr(in, "arn", &unresolved);
  std::optional<std::string> bus = Attr(in, "event_bus_name", &unresolved);
  if (unresolved) {
    Warn(in, "the target is skipped");
    *keep = false;
    return std::nullopt;
  }
  if (!rule || rule->empty()) return InstanceError(in, "missing required attribute rule");
  if (!arn || arn->empty()) return InstanceError(in, "missing required attribute arn");
  std::string b = bus && !bus->empty() ? *bus : "default";
  if (std::optional<ParsedArn> a = ParseArn(b); a && a->resource.compare(0, 10, "event-bus/") == 0) b = a->resource.substr(10);
  std::string r = *rule;
  if (size_t slash = r.rfind('/'); slash != std::string::npos && b == "default") {  // a rule id "BUS/NAME"
    b = r.substr(0, slash);
    r = r.substr(slash + 1);
  }
  *rule_key = in.region + "|" + in.account + "|" + b + "|" + r;
  Push(t, "Id", Value::String(NonEmpty(v, "target_id").value_or(in.address)));
  Push(t, "Arn", Value::String(*arn));
  CopyScalar(v, "role_arn", t, "RoleArn");
  CopyScalar(v, "input", t, "Input");
  CopyScalar(v, "input_path", t, "InputPath");
  if (const Value* x = FirstBlock(v, "input_transformer")) {
    Value tr = MapValue();
    if (const Value* paths = Get(x, "input_paths"); paths != nullptr && paths->IsMap() && !paths->children.empty()) {
      Push(tr, "InputPathsMap", Value(*paths));
    }
    CopyScalar(x, "input_template", tr, "InputTemplate");
    Push(t, "InputTransformer", std::move(tr));
  }
  return std::nullopt;
}

// The loader's messages name the Terraform type, not the CloudFormation one it was read as.
Diagnostic Retyped(Diagnostic d, const std::string& cfn_type, const std::string& type) {
  const std::string from = " (" + cfn_type + "): ";
  if (size_t at = d.message.find(from); at != std::string::npos) {
    d.message.replace(at, from.size(), " (" + type + ", read as " + cfn_type + "): ");
  }
  return d;
}

Result<Setup> Loader::Load() {
  const Value& root = doc_.root;
  if (!root.IsMap()) return Error("", "not the JSON of `terraform show -json`: the document is not an object");
  std::optional<std::string> format = Text(&root, "format_version");
  if (!format) {
    if (Get(&root, "resources") != nullptr && Get(&root, "version") != nullptr) {
      return Error("", "a raw state file (terraform.tfstate), not the JSON of `terraform show -json`",
                   "terraform show -json > state.json");
    }
    return Error("/format_version", "no format_version: not the JSON of `terraform show -json`",
                 "terraform show -json tfplan > plan.json (a saved plan) or terraform show -json > state.json");
  }
  if (format->compare(0, 2, "1.") != 0 && *format != "1") {
    return Error("/format_version", "format_version `" + *format +
                                        "` is not supported: trailwatch reads format 1.x of `terraform show -json`");
  }
  config_ = Get(&root, "configuration");
  variables_ = Get(&root, "variables");
  if (const Value* changes = Get(&root, "resource_changes"); changes != nullptr && changes->IsSequence()) {
    for (const Value& c : changes->children) {
      if (std::optional<std::string> a = Text(&c, "address")) changes_[*a] = &c;
    }
  }
  const Value* values = Get(&root, "planned_values");
  std::string pointer = "/planned_values/root_module";
  if (values == nullptr) {
    values = Get(&root, "values");
    pointer = "/values/root_module";
  }
  if (auto e = Walk(Get(values, "root_module"), pointer, 0)) return *e;

  // Regions and accounts.
  Setup setup;
  std::string account;
  for (Instance& in : instances_) {
    if (in.mode != "managed") continue;
    if (auto e = Place(in)) return *e;
    if (HasOwnArn(in.type)) {
      if (std::optional<ParsedArn> arn = ParseArn(NonEmpty(in.values, "arn").value_or(""))) {
        in.account = arn->account;
        in.partition = arn->partition;
        if (account.empty() && IsAccountId(arn->account)) account = arn->account;
      }
    }
  }
  if (account.empty()) account = options_.account;
  if (!IsAccountId(account)) {
    Diagnostic d;
    d.exception = "ValidationError";
    d.message = "account `" + account + "` is not a 12-digit account id";
    return d;
  }
  setup.account = account;
  for (Instance& in : instances_) {
    if (in.mode != "managed") continue;
    if (!in.placed) PlaceByCompanion(in);
    if (in.account.empty()) in.account = account;
  }
  std::string skipped;
  for (Instance& in : instances_) {
    if (in.mode != "managed" || in.placed) continue;
    std::optional<std::string_view> cfn_type = CfnTypeOf(in.type);
    if (!cfn_type || cfn_type->empty()) continue;  // its Region does not matter
    in.region = options_.default_region;
    in.placed = true;
    no_region_[Text(in.config, "provider_config_key").value_or("")].push_back(in.address);
  }
  for (const auto& [key, addresses] : no_region_) {
    SetupWarning w{doc_.path + ": " + addresses[0], options_.default_region, ""};
    w.text = (key.empty() ? std::string("nothing in the document gives the Region")
                          : "provider `" + key + "` sets no region (it comes from the environment or a profile)") +
             ": placed in " + options_.default_region +
             (addresses.size() > 1 ? " with " + std::to_string(addresses.size() - 1) + " more resources" : "");
    warnings_.push_back(std::move(w));
  }

  std::vector<std::string> covered = DefaultRegions();
  if (!options_.regions.empty()) {
    Result<std::vector<std::string>> r = ExpandRegions(options_.regions);
    if (!r.ok()) return r.error();
    covered = std::move(r).value();
  }

  // Targets first: each joins its rule's Targets.
  std::map<std::string, std::vector<std::pair<const Instance*, Value>>> targets;  // rule key -> targets
  for (const Instance& in : instances_) {
    if (in.mode != "managed" || in.type != "aws_cloudwatch_event_target") continue;
    Value t = MapValue();
    std::string key;
    bool keep = true;
    if (auto e = MapTarget(in, t, &key, &keep)) return *e;
    if (keep) targets[key].emplace_back(&in, std::move(t));
  }
  std::set<std::string> used;
  std::set<std::string> rules_seen;
  for (const Instance& in : instances_) {
    if (in.mode != "managed") continue;
    std::optional<std::string_view> cfn_type = CfnTypeOf(in.type);
    if (!cfn_type) {
      skipped += (skipped.empty() ? "" : ", ") + in.address + " (" + in.type + ")";
      continue;
    }
    if (cfn_type->empty()) continue;
    Value props = MapValue();
    bool keep = true;
    if (auto e = Map(in, props, &keep)) return *e;
    if (!keep) continue;
    if (in.type == "aws_cloudwatch_event_rule") {
      std::string bus = Text(&props, "EventBusName").value_or("default");
      if (std::optional<ParsedArn> a = ParseArn(bus); a && a->resource.compare(0, 10, "event-bus/") == 0) {
        bus = a->resource.substr(10);
      }
      const std::string key = in.region + "|" + in.account + "|" + bus + "|" + Text(&props, "Name").value_or("");
      rules_seen.insert(key);
      if (auto t = targets.find(key); t != targets.end()) {
        Value list = ListValue();
        for (auto& [target, value] : t->second) list.children.push_back(value);
        Push(props, "Targets", std::move(list));
      }
    }
    if (!doc_.budget.Take(cfn::CopyBytes(props))) return cfn::BudgetError(doc_.path, {}, in.pointer);
    cfn::ResourceContext ctx;
    ctx.path = doc_.path;
    ctx.logical_id = in.address;
    ctx.type = std::string(*cfn_type);
    ctx.region = in.region;
    ctx.account = in.account;
    ctx.partition = in.partition;
    ctx.stack_name = "terraform";
    ctx.pointer = in.pointer;
    if (auto e = cfn::AddResource(ctx, &props, setup, warnings_, doc_.budget)) return Retyped(*e, ctx.type, in.type);
    used.insert(in.region);
  }
  for (const auto& [key, list] : targets) {
    if (rules_seen.count(key) != 0) continue;
    for (const auto& [target, value] : list) {
      const std::string rule = key.substr(key.rfind('|') + 1);
      warnings_.push_back({Where(*target), target->region,
                           "its rule `" + rule + "` is not in the " + (config_ != nullptr ? "plan" : "state") +
                               " (the target is skipped)"});
    }
  }
  if (!skipped.empty()) warnings_.push_back({doc_.path, "", "not simulated (skipped): " + skipped});
  return FinishSetup(std::move(setup), std::move(covered), used, warnings_);
}

}  // namespace

Result<Setup> LoadTerraformText(std::string_view text, const std::string& path, const LoadOptions& options) {
  Result<cfn::Document> doc = cfn::ParseDocument(text, path, cfn::Syntax::kJson);
  if (!doc.ok()) return doc.error();
  Loader loader(*doc, options);
  return loader.Load();
}

Result<Setup> LoadTerraform(const std::string& path, const LoadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return cfn::LoadError(path, {}, "", "cannot open the file");
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > cfn::kMaxFileBytes) {
      return cfn::LoadError(path, {}, "", "larger than " + std::to_string(cfn::kMaxFileBytes >> 20) + " MiB");
    }
  }
  if (in.bad()) return cfn::LoadError(path, {}, "", "cannot read the file");
  return LoadTerraformText(text, path, options);
}

}  // namespace trailwatch::engine
