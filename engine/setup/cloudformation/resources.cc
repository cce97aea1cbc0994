// resources.cc: Ref/Fn::GetAtt per resource type, and evaluated Properties -> setup.h structs.
// Only entry points: those of resources.h.
#include "engine/setup/cloudformation/resources.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <set>
#include <type_traits>

namespace trailwatch::engine::cfn {

ResourceKind KindOf(std::string_view type) {
  if (type == "AWS::Logs::LogGroup") return ResourceKind::kLogGroup;
  if (type == "AWS::Logs::MetricFilter") return ResourceKind::kMetricFilter;
  if (type == "AWS::Events::Rule") return ResourceKind::kRule;
  if (type == "AWS::CloudWatch::Alarm") return ResourceKind::kAlarm;
  if (type == "AWS::CloudTrail::Trail") return ResourceKind::kTrail;
  return ResourceKind::kOther;
}

std::string ResourceContext::Where() const { return Location(path, mark) + ": " + logical_id; }

std::string ResourceContext::DefaultName() const {
  return setup_file ? logical_id : stack_name + "-" + logical_id;
}

std::string_view NameProperty(std::string_view type) {
  struct Entry {
    std::string_view type, property;
  };
  static constexpr Entry kNames[] = {
      {"AWS::Logs::LogGroup", "LogGroupName"},   {"AWS::Logs::MetricFilter", "FilterName"},
      {"AWS::Events::Rule", "Name"},             {"AWS::CloudWatch::Alarm", "AlarmName"},
      {"AWS::CloudTrail::Trail", "TrailName"},   {"AWS::Events::EventBus", "Name"},
      {"AWS::S3::Bucket", "BucketName"},         {"AWS::IAM::Role", "RoleName"},
      {"AWS::IAM::ManagedPolicy", "ManagedPolicyName"}, {"AWS::IAM::Policy", "PolicyName"},
      {"AWS::SNS::Topic", "TopicName"},          {"AWS::SQS::Queue", "QueueName"},
      {"AWS::Lambda::Function", "FunctionName"}, {"AWS::Logs::ResourcePolicy", "PolicyName"},
      {"AWS::Events::EventBusPolicy", "StatementId"},
  };
  for (const Entry& e : kNames) {
    if (e.type == type) return e.property;
  }
  return {};
}

namespace {

// The name property's text, or nullptr when the default name applies.
const std::string* NamePropertyOf(const ResourceContext& ctx, const Value* props) {
  std::string_view prop = NameProperty(ctx.type);
  if (props != nullptr && !prop.empty()) {
    if (const Value* v = props->Find(prop); v != nullptr && v->IsScalar() && !v->text.empty()) return &v->text;
  }
  return nullptr;
}

std::string NameOf(const ResourceContext& ctx, const Value* props) {
  const std::string* name = NamePropertyOf(ctx, props);
  return name != nullptr ? *name : ctx.DefaultName();
}

// Charges what Ref or GetAtt is about to build for this resource: at most its name, its bus, the ARN's
// parts and a fixed text of under 64 bytes ("arn:", ":log-group:", "https://sqs.", ...).
bool TakeResult(const ResourceContext& ctx, const Value* props, std::string_view attribute, Budget& budget) {
  const std::string* name = NamePropertyOf(ctx, props);
  size_t bytes = kNodeBytes + 64 + (name != nullptr ? name->size() : ctx.stack_name.size() + 1 + ctx.logical_id.size());
  if (props != nullptr) {
    if (const Value* bus = props->Find("EventBusName"); bus != nullptr) bytes += bus->text.size();
  }
  bytes += ctx.partition.size() + 2 * ctx.region.size() + ctx.account.size() + ctx.type.size() + attribute.size();
  return budget.Take(bytes);
}

// The service part of an ARN for a type: AWS::SNS::Topic -> sns.
std::string ServiceOf(std::string_view type) {
  std::string out;
  size_t start = type.find("::");
  if (start == std::string_view::npos) return "unknown";
  start += 2;
  size_t end = type.find("::", start);
  for (char c : type.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start)) {
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return out;
}

std::string Arn(const ResourceContext& ctx, std::string_view service, std::string_view region,
                std::string_view account, std::string_view resource) {
  return "arn:" + ctx.partition + ":" + std::string(service) + ":" + std::string(region) + ":" + std::string(account) +
         ":" + std::string(resource);
}

std::string RuleBus(const Value* props) {
  if (props == nullptr) return "default";
  const Value* bus = props->Find("EventBusName");
  if (bus == nullptr || !bus->IsScalar() || bus->text.empty()) return "default";
  if (std::optional<ParsedArn> arn = ParseArn(bus->text)) {
    if (arn->resource.compare(0, 10, "event-bus/") == 0) return arn->resource.substr(10);
  }
  return bus->text;
}

}  // namespace

Result<Value> ResourceRef(const ResourceContext& ctx, const Value* props, const Value& at, const std::string& pointer,
                          Budget& budget) {
  if (!TakeResult(ctx, props, "", budget)) return BudgetError(ctx.path, at.mark, pointer);
  const std::string name = NameOf(ctx, props);
  const std::string_view type = ctx.type;
  if (type == "AWS::Events::Rule") {
    // Rules on a custom bus: Ref is "<bus>|<rule>" (CloudFormation's return value for AWS::Events::Rule).
    std::string bus = RuleBus(props);
    return Value::String(bus == "default" ? name : bus + "|" + name, ctx.mark);
  }
  if (type == "AWS::SNS::Topic") return Value::String(Arn(ctx, "sns", ctx.region, ctx.account, name), ctx.mark);
  if (type == "AWS::SQS::Queue") {
    return Value::String("https://sqs." + ctx.region + ".amazonaws.com/" + ctx.account + "/" + name, ctx.mark);
  }
  return Value::String(name, ctx.mark);
}

Result<Value> ResourceAttribute(const ResourceContext& ctx, const Value* props, const std::string& attribute,
                                const Value& at, const std::string& pointer, Budget& budget) {
  if (!TakeResult(ctx, props, attribute, budget)) return BudgetError(ctx.path, at.mark, pointer);
  const std::string name = NameOf(ctx, props);
  const std::string_view type = ctx.type;
  auto unsupported = [&]() -> Result<Value> {
    Diagnostic d = LoadError(ctx.path, at.mark, pointer,
                             "Fn::GetAtt: " + ctx.logical_id + " (" + ctx.type + ") has no attribute " + attribute);
    d.aws_message = "Template error: resource " + ctx.logical_id + " does not support attribute type " + attribute +
                    " in Fn::GetAtt";
    return d;
  };
  switch (KindOf(type)) {
    case ResourceKind::kLogGroup:
      if (attribute == "Arn") {
        return Value::String(Arn(ctx, "logs", ctx.region, ctx.account, "log-group:" + name + ":*"), at.mark);
      }
      return unsupported();
    case ResourceKind::kMetricFilter:
      return unsupported();
    case ResourceKind::kRule: {
      if (attribute != "Arn") return unsupported();
      std::string bus = RuleBus(props);
      return Value::String(
          Arn(ctx, "events", ctx.region, ctx.account, bus == "default" ? "rule/" + name : "rule/" + bus + "/" + name),
          at.mark);
    }
    case ResourceKind::kAlarm:
      if (attribute == "Arn") return Value::String(Arn(ctx, "cloudwatch", ctx.region, ctx.account, "alarm:" + name), at.mark);
      return unsupported();
    case ResourceKind::kTrail:
      if (attribute == "Arn") return Value::String(Arn(ctx, "cloudtrail", ctx.region, ctx.account, "trail/" + name), at.mark);
      if (attribute == "SnsTopicArn") {
        return Value::String(Arn(ctx, "sns", ctx.region, ctx.account, name + "-notifications"), at.mark);
      }
      return unsupported();
    case ResourceKind::kOther:
      break;
  }
  // Resources that are not simulated: plausible values, so templates that use them still load.
  if (attribute == "Arn" || attribute == "TopicArn" || attribute == "QueueArn") {
    if (type == "AWS::Events::EventBus") {
      return Value::String(Arn(ctx, "events", ctx.region, ctx.account, "event-bus/" + name), at.mark);
    }
    if (type == "AWS::S3::Bucket") return Value::String(Arn(ctx, "s3", "", "", name), at.mark);
    if (type == "AWS::IAM::Role") return Value::String(Arn(ctx, "iam", "", ctx.account, "role/" + name), at.mark);
    if (type == "AWS::IAM::ManagedPolicy") {
      return Value::String(Arn(ctx, "iam", "", ctx.account, "policy/" + name), at.mark);
    }
    if (type == "AWS::SNS::Topic") return Value::String(Arn(ctx, "sns", ctx.region, ctx.account, name), at.mark);
    if (type == "AWS::SQS::Queue") return Value::String(Arn(ctx, "sqs", ctx.region, ctx.account, name), at.mark);
    if (type == "AWS::Lambda::Function") {
      return Value::String(Arn(ctx, "lambda", ctx.region, ctx.account, "function:" + name), at.mark);
    }
    return Value::String(Arn(ctx, ServiceOf(type), ctx.region, ctx.account, name), at.mark);
  }
  if (attribute == "Name" || attribute == "TopicName" || attribute == "QueueName") return Value::String(name, at.mark);
  return Value::String(name + "." + attribute, at.mark);
}

namespace {

const char* KindName(Value::Kind k) {
  switch (k) {
    case Value::Kind::kNull: return "null";
    case Value::Kind::kString: return "a string";
    case Value::Kind::kPlain: return "a scalar";
    case Value::Kind::kSequence: return "a list";
    case Value::Kind::kMap: return "a map";
    case Value::Kind::kNoValue: return "AWS::NoValue";
  }
  return "?";
}

// Reads the properties of one map (the resource's Properties, or a nested one such as a Target), keeping
// the first error; getters return a default once an error is recorded, so callers check ok() at the end.
class PropReader {
 public:
  PropReader(const Value* map, std::string pointer, std::string label, const ResourceContext& ctx,
             std::optional<Diagnostic>& error, Budget& budget)
      : map_(map), pointer_(std::move(pointer)), label_(std::move(label)), ctx_(ctx), error_(error), budget_(budget) {}

  bool ok() const { return !error_.has_value(); }
  const ResourceContext& ctx() const { return ctx_; }
  Budget& budget() const { return budget_; }

  // The document's Budget is spent at property `name` (`at` its value).
  void FailBudget(const Value* at, std::string_view name) {
    if (!error_) error_ = BudgetError(ctx_.path, at != nullptr && at->mark.line > 0 ? at->mark : ctx_.mark, PointerTo(name));
  }

  const Value* Get(std::string_view name) const {
    if (map_ == nullptr || !map_->IsMap()) return nullptr;
    const Value* v = map_->Find(name);
    return v == nullptr || v->IsAbsent() ? nullptr : v;
  }

  std::string PointerTo(std::string_view name) const { return pointer_ + "/" + PointerSegment(name); }
  std::string Label(std::string_view name) const { return label_ + std::string(name); }

  void Fail(const Value* at, std::string_view name, const std::string& message, std::string hint = {}) {
    if (error_) return;
    Mark m = at != nullptr && at->mark.line > 0 ? at->mark
             : map_ != nullptr && map_->mark.line > 0 ? map_->mark
                                                      : ctx_.mark;
    error_ = LoadError(ctx_.path, m, name.empty() ? pointer_ : PointerTo(name),
                       ctx_.logical_id + " (" + ctx_.type + "): " + message, std::move(hint));
  }

  const Value* Required(std::string_view name) {
    const Value* v = Get(name);
    if (v == nullptr) Fail(nullptr, name, "missing required property " + Label(name));
    return v;
  }

  std::optional<std::string> OptString(std::string_view name) {
    const Value* v = Get(name);
    if (v == nullptr || !ok()) return std::nullopt;
    if (!v->IsScalar()) {
      Fail(v, name, "property " + Label(name) + " must be a string, not " + KindName(v->kind));
      return std::nullopt;
    }
    return v->text;
  }

  std::string String(std::string_view name, std::string def = {}) { return OptString(name).value_or(std::move(def)); }

  std::string RequiredString(std::string_view name) {
    if (Required(name) == nullptr) return {};
    return String(name);
  }

  std::optional<bool> OptBool(std::string_view name) {
    std::optional<std::string> s = OptString(name);
    if (!s) return std::nullopt;
    std::string lower;
    for (char c : *s) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (lower == "true") return true;
    if (lower == "false") return false;
    Fail(Get(name), name, "property " + Label(name) + " must be true or false, not `" + *s + "`");
    return std::nullopt;
  }

  std::optional<double> OptNumber(std::string_view name) {
    std::optional<std::string> s = OptString(name);
    if (!s) return std::nullopt;
    double d = 0;
    auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), d);
    if (s->empty() || ec != std::errc() || p != s->data() + s->size() || !std::isfinite(d)) {
      Fail(Get(name), name, "property " + Label(name) + " must be a number, not `" + *s + "`");
      return std::nullopt;
    }
    return d;
  }

  std::optional<int> OptInt(std::string_view name) {
    std::optional<std::string> s = OptString(name);
    if (!s) return std::nullopt;
    int n = 0;
    auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), n);
    if (s->empty() || ec != std::errc() || p != s->data() + s->size()) {
      Fail(Get(name), name, "property " + Label(name) + " must be an integer, not `" + *s + "`");
      return std::nullopt;
    }
    return n;
  }

  const Value* OptList(std::string_view name) {
    const Value* v = Get(name);
    if (v == nullptr || !ok()) return nullptr;
    if (!v->IsSequence()) {
      Fail(v, name, "property " + Label(name) + " must be a list, not " + KindName(v->kind));
      return nullptr;
    }
    return v;
  }

  // Warns about properties that are not in `known` (CloudFormation rejects them; we ignore them).
  void WarnUnknown(std::initializer_list<std::string_view> known, std::vector<Warning>& warnings) const {
    if (map_ == nullptr || !map_->IsMap()) return;
    std::set<std::string> seen;
    for (const Value& c : map_->children) {
      if (std::find(known.begin(), known.end(), c.key) != known.end() || !seen.insert(c.key).second) continue;
      warnings.push_back({ctx_.Where(), ctx_.region,
                          "unknown property " + Label(c.key) + " of " + ctx_.type + " (ignored)"});
    }
  }

  // A nested map (a list item or a property) read with the same error slot.
  PropReader Nested(const Value* map, const std::string& pointer, const std::string& label) {
    PropReader nested(map, pointer, label, ctx_, error_, budget_);
    if (map != nullptr && !map->IsMap() && ok()) {
      nested.Fail(map, "", "property " + label.substr(0, label.size() - 1) + " must be a map, not " +
                               KindName(map->kind));
    }
    return nested;
  }

 private:
  const Value* map_;
  std::string pointer_;
  std::string label_;  // prefix for property names in messages, e.g. "Targets[0]."
  const ResourceContext& ctx_;
  std::optional<Diagnostic>& error_;
  Budget& budget_;
};

bool OneOf(const std::string& s, std::initializer_list<std::string_view> values) {
  return std::find(values.begin(), values.end(), s) != values.end();
}

// Reads a list of {<key>: ..., <value>: ...} pairs (metric filter and alarm dimensions).
std::vector<std::pair<std::string, std::string>> Pairs(PropReader& r, std::string_view name, std::string_view key,
                                                       std::string_view value, size_t max) {
  std::vector<std::pair<std::string, std::string>> out;
  const Value* list = r.OptList(name);
  if (list == nullptr) return out;
  if (list->children.size() > max) {
    r.Fail(list, name, "property " + r.Label(name) + " has " + std::to_string(list->children.size()) +
                           " entries; at most " + std::to_string(max) + " are allowed");
    return out;
  }
  for (size_t i = 0; i < list->children.size() && r.ok(); ++i) {
    const std::string idx = std::to_string(i);
    PropReader item = r.Nested(&list->children[i], r.PointerTo(name) + "/" + idx, r.Label(name) + "[" + idx + "].");
    std::string k = item.RequiredString(key);
    std::string v = item.RequiredString(value);
    if (item.ok()) out.emplace_back(std::move(k), std::move(v));
  }
  return out;
}

bool ValidLogGroupName(std::string_view name) {
  if (name.empty() || name.size() > 512) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
              c == '_' || c == '/' || c == '#';
    if (!ok) return false;
  }
  return true;
}

// A JSON-valued property `name` (EventPattern, InputPathsMap): a map or list is written as compact JSON; a
// string that parses as JSON is compacted; any other string is kept verbatim (the replay reports the
// pattern error). The parsed tree and the JSON text are charged to the Budget first.
std::string JsonProperty(PropReader& r, std::string_view name, const Value* v) {
  const Value* json = v;
  Result<Value> parsed = Value{};
  if (v->IsScalar()) {
    parsed = ParseJsonValue(v->text, r.ctx().path, r.budget());
    if (!parsed.ok()) {
      if (r.budget().exhausted()) r.FailBudget(v, name);
      return r.budget().exhausted() ? std::string() : v->text;
    }
    json = &*parsed;
  } else if (!v->IsMap() && !v->IsSequence()) {
    return {};
  }
  if (!r.budget().Take(CompactJsonSize(*json))) {
    r.FailBudget(v, name);
    return {};
  }
  return ToCompactJson(*json);
}

bool ReadLogGroup(PropReader& r, LogGroupConfig& lg, std::vector<Warning>& warnings) {
  r.WarnUnknown({"LogGroupName", "RetentionInDays", "KmsKeyId", "DataProtectionPolicy", "LogGroupClass", "Tags",
                 "FieldIndexPolicies", "ResourcePolicyDocument", "DeletionProtectionEnabled"},
                warnings);
  if (r.ok() && !ValidLogGroupName(lg.name)) {
    r.Fail(r.Get("LogGroupName"), "LogGroupName",
           "`" + lg.name + "` is not a valid log group name (1 to 512 of a-z A-Z 0-9 . _ - / #)");
  }
  return true;
}

bool ReadMetricFilter(PropReader& r, MetricFilterConfig& mf, std::vector<Warning>& warnings) {
  r.WarnUnknown({"FilterName", "FilterPattern", "LogGroupName", "MetricTransformations", "ApplyOnTransformedLogs",
                 "EmitSystemFieldDimensions", "FieldSelectionCriteria"},
                warnings);
  if (const Value* p = r.Required("FilterPattern")) {
    if (!p->IsScalar()) {
      r.Fail(p, "FilterPattern", std::string("property FilterPattern must be a string, not ") + KindName(p->kind),
             "quote the pattern in YAML: an unquoted { ... } is a YAML map, not text");
    } else {
      mf.filter_pattern = p->text;
    }
  }
  mf.log_group = r.RequiredString("LogGroupName");
  if (const Value* list = r.Required("MetricTransformations"); list != nullptr && r.ok()) {
    if (!list->IsSequence() || list->children.size() != 1) {
      r.Fail(list, "MetricTransformations",
             "property MetricTransformations must be a list of exactly one transformation (CloudFormation's limit)");
    } else {
      PropReader t = r.Nested(&list->children[0], r.PointerTo("MetricTransformations") + "/0",
                              "MetricTransformations[0].");
      t.WarnUnknown({"MetricName", "MetricNamespace", "MetricValue", "DefaultValue", "Unit", "Dimensions"}, warnings);
      MetricTransformationConfig& x = mf.transformation;
      x.metric_name = t.RequiredString("MetricName");
      x.metric_namespace = t.RequiredString("MetricNamespace");
      x.metric_value = t.RequiredString("MetricValue");
      x.default_value = t.OptNumber("DefaultValue");
      x.unit = t.String("Unit");
      x.dimensions = Pairs(t, "Dimensions", "Key", "Value", 3);
      if (t.ok() && x.default_value && !x.dimensions.empty()) {
        t.Fail(t.Get("DefaultValue"), "DefaultValue",
               "a metric transformation cannot have both DefaultValue and Dimensions (CloudWatch Logs rejects it)");
      }
    }
  }
  return true;
}

bool ReadRule(PropReader& r, RuleConfig& rule, std::vector<Warning>& warnings) {
  const ResourceContext& ctx = r.ctx();
  r.WarnUnknown({"Name", "Description", "EventBusName", "EventPattern", "ScheduleExpression", "State", "Targets",
                 "RoleArn"},
                warnings);
  if (std::optional<std::string> bus = r.OptString("EventBusName"); bus && !bus->empty()) {
    rule.event_bus = *bus;
    if (std::optional<ParsedArn> arn = ParseArn(*bus)) {
      if (arn->service != "events" || arn->resource.compare(0, 10, "event-bus/") != 0) {
        r.Fail(r.Get("EventBusName"), "EventBusName", "`" + *bus + "` is not an event bus ARN");
        return false;
      }
      rule.event_bus = arn->resource.substr(10);
      if (arn->region != ctx.region || arn->account != ctx.account) {
        warnings.push_back({ctx.Where(), ctx.region,
                            "EventBusName names a bus in " + arn->region + "/" + arn->account +
                                "; the rule is simulated on bus `" + rule.event_bus + "` of its own Region and account"});
      }
    }
  }
  const Value* pattern = r.Get("EventPattern");
  if (pattern == nullptr) {
    if (r.Get("ScheduleExpression") != nullptr) {
      warnings.push_back({ctx.Where(), ctx.region, "a scheduled rule (no EventPattern) is not simulated (skipped)"});
      return false;
    }
    r.Fail(nullptr, "EventPattern", "missing required property EventPattern (a rule needs an EventPattern or a "
                                    "ScheduleExpression)");
    return false;
  }
  rule.event_pattern = JsonProperty(r, "EventPattern", pattern);
  rule.state = r.String("State", "ENABLED");
  if (r.ok() && !OneOf(rule.state, {"ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"})) {
    r.Fail(r.Get("State"), "State",
           "State `" + rule.state + "` is not one of ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
  }
  if (const Value* targets = r.OptList("Targets")) {
    if (targets->children.size() > 5) {
      r.Fail(targets, "Targets", "a rule has at most 5 targets; this one has " + std::to_string(targets->children.size()));
    }
    for (size_t i = 0; i < targets->children.size() && r.ok(); ++i) {
      const std::string idx = std::to_string(i);
      PropReader t = r.Nested(&targets->children[i], r.PointerTo("Targets") + "/" + idx, "Targets[" + idx + "].");
      t.WarnUnknown({"Id", "Arn", "RoleArn", "Input", "InputPath", "InputTransformer", "DeadLetterConfig",
                     "RetryPolicy", "EcsParameters", "BatchParameters", "KinesisParameters", "RunCommandParameters",
                     "SqsParameters", "HttpParameters", "RedshiftDataParameters", "SageMakerPipelineParameters",
                     "AppSyncParameters"},
                    warnings);
      RuleTarget target;
      target.id = t.RequiredString("Id");
      target.arn = t.RequiredString("Arn");
      target.role_arn = t.String("RoleArn");
      target.input = t.String("Input");
      target.input_path = t.String("InputPath");
      if (const Value* tr = t.Get("InputTransformer"); tr != nullptr && t.ok()) {
        PropReader x = t.Nested(tr, t.PointerTo("InputTransformer"), t.Label("InputTransformer."));
        if (const Value* paths = x.Get("InputPathsMap")) {
          target.input_paths_map = JsonProperty(x, "InputPathsMap", paths);
        }
        target.input_template = x.RequiredString("InputTemplate");
      }
      if (!t.ok()) break;
      std::optional<ParsedArn> arn = ParseArn(target.arn);
      if (!arn) {
        t.Fail(t.Get("Arn"), "Arn", "Targets[" + idx + "].Arn `" + target.arn + "` is not an ARN",
               "an ARN is arn:<partition>:<service>:<region>:<account>:<resource>");
        break;
      }
      for (const RuleTarget& other : rule.targets) {
        if (other.id == target.id) t.Fail(t.Get("Id"), "Id", "two targets have the Id `" + target.id + "`");
      }
      target.region = arn->region;
      target.account = arn->account;
      if (arn->service == "events" && arn->resource.compare(0, 10, "event-bus/") == 0) {
        target.kind = RuleTarget::Kind::kEventBus;
        target.name = arn->resource.substr(10);
      } else if (arn->service == "logs" && arn->resource.compare(0, 10, "log-group:") == 0) {
        target.kind = RuleTarget::Kind::kLogGroup;
        target.name = arn->resource.substr(10);
        if (target.name.size() >= 2 && target.name.compare(target.name.size() - 2, 2, ":*") == 0) {
          target.name.resize(target.name.size() - 2);
        }
      } else {
        target.kind = RuleTarget::Kind::kOther;
        target.name = arn->resource;
      }
      rule.targets.push_back(std::move(target));
    }
  }
  return true;
}

bool ReadAlarm(PropReader& r, AlarmConfig& alarm, std::vector<Warning>& warnings) {
  const ResourceContext& ctx = r.ctx();
  r.WarnUnknown({"AlarmName", "AlarmDescription", "ActionsEnabled", "AlarmActions", "OKActions",
                 "InsufficientDataActions", "MetricName", "Namespace", "Dimensions", "Statistic", "ExtendedStatistic",
                 "Period", "EvaluationPeriods", "DatapointsToAlarm", "Threshold", "ThresholdMetricId",
                 "ComparisonOperator", "TreatMissingData", "EvaluateLowSampleCountPercentile", "Unit", "Metrics",
                 "Tags"},
                warnings);
  std::optional<int> period;
  if (r.Get("ThresholdMetricId") != nullptr) {
    r.Fail(r.Get("ThresholdMetricId"), "ThresholdMetricId", "anomaly-detection alarms (ThresholdMetricId) are not "
                                                             "supported");
    return false;
  }
  if (r.Get("ExtendedStatistic") != nullptr) {
    r.Fail(r.Get("ExtendedStatistic"), "ExtendedStatistic",
           "percentile statistics (ExtendedStatistic) are not supported", "use Statistic: Sum, Average, ...");
    return false;
  }
  if (const Value* metrics = r.OptList("Metrics")) {
    // Metric math is not simulated; one MetricStat query is the single-metric alarm written another way.
    const Value* only = metrics->children.size() == 1 ? &metrics->children[0] : nullptr;
    if (only == nullptr || !only->IsMap() || only->Find("MetricStat") == nullptr || only->Find("Expression") != nullptr) {
      r.Fail(metrics, "Metrics", "metric math alarms (Metrics with expressions or several queries) are not supported",
             "use MetricName, Namespace, Statistic and Period, or a single Metrics entry with a MetricStat");
      return false;
    }
    if (r.Get("MetricName") != nullptr || r.Get("Namespace") != nullptr || r.Get("Statistic") != nullptr) {
      r.Fail(metrics, "Metrics", "Metrics cannot be combined with MetricName, Namespace or Statistic");
      return false;
    }
    PropReader q = r.Nested(only, r.PointerTo("Metrics") + "/0", "Metrics[0].");
    PropReader stat = q.Nested(q.Required("MetricStat"), q.PointerTo("MetricStat"), "Metrics[0].MetricStat.");
    PropReader metric = stat.Nested(stat.Required("Metric"), stat.PointerTo("Metric"), "Metrics[0].MetricStat.Metric.");
    alarm.metric_name = metric.RequiredString("MetricName");
    alarm.metric_namespace = metric.RequiredString("Namespace");
    alarm.dimensions = Pairs(metric, "Dimensions", "Name", "Value", 30);
    alarm.statistic = stat.RequiredString("Stat");
    if (stat.Required("Period") != nullptr) period = stat.OptInt("Period");
    alarm.unit = stat.String("Unit");
  } else {
    alarm.metric_name = r.RequiredString("MetricName");
    alarm.metric_namespace = r.RequiredString("Namespace");
    alarm.dimensions = Pairs(r, "Dimensions", "Name", "Value", 30);
    alarm.statistic = r.RequiredString("Statistic");
    if (r.Required("Period") != nullptr) period = r.OptInt("Period");
    alarm.unit = r.String("Unit");
  }
  if (!r.ok()) return false;
  if (!OneOf(alarm.statistic, {"SampleCount", "Average", "Sum", "Minimum", "Maximum"})) {
    r.Fail(r.Get("Statistic"), "Statistic",
           "Statistic `" + alarm.statistic + "` is not one of SampleCount, Average, Sum, Minimum, Maximum");
    return false;
  }
  if (period) {
    alarm.period = *period;
    const bool valid = *period == 10 || *period == 20 || *period == 30 || (*period >= 60 && *period % 60 == 0);
    if (!valid) {
      r.Fail(r.Get("Period"), "Period", "Period " + std::to_string(*period) + " is not 10, 20, 30 or a multiple of 60");
      return false;
    }
    if (*period < 60) {
      warnings.push_back({ctx.Where(), ctx.region,
                          "Period " + std::to_string(*period) +
                              " s: metric filters publish standard-resolution (1-minute) metrics"});
    }
  }
  std::optional<int> evaluation_periods;
  if (r.Required("EvaluationPeriods") != nullptr) evaluation_periods = r.OptInt("EvaluationPeriods");
  if (!r.ok()) return false;
  alarm.evaluation_periods = evaluation_periods.value_or(1);
  if (alarm.evaluation_periods < 1) {
    r.Fail(r.Get("EvaluationPeriods"), "EvaluationPeriods", "EvaluationPeriods must be at least 1");
    return false;
  }
  if (std::optional<int> dta = r.OptInt("DatapointsToAlarm")) {
    if (*dta < 1 || *dta > alarm.evaluation_periods) {
      r.Fail(r.Get("DatapointsToAlarm"), "DatapointsToAlarm",
             "DatapointsToAlarm must be between 1 and EvaluationPeriods (" +
                 std::to_string(alarm.evaluation_periods) + ")");
      return false;
    }
    alarm.datapoints_to_alarm = *dta;
  }
  if (r.Required("Threshold") != nullptr) alarm.threshold = r.OptNumber("Threshold").value_or(0);
  alarm.comparison_operator = r.RequiredString("ComparisonOperator");
  if (!r.ok()) return false;
  if (!OneOf(alarm.comparison_operator, {"GreaterThanOrEqualToThreshold", "GreaterThanThreshold",
                                         "LessThanThreshold", "LessThanOrEqualToThreshold"})) {
    r.Fail(r.Get("ComparisonOperator"), "ComparisonOperator",
           "ComparisonOperator `" + alarm.comparison_operator +
               "` is not supported (one of GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, "
               "LessThanOrEqualToThreshold; anomaly-detection operators are not simulated)");
    return false;
  }
  alarm.treat_missing_data = r.String("TreatMissingData", "missing");
  if (r.ok() && !OneOf(alarm.treat_missing_data, {"missing", "notBreaching", "breaching", "ignore"})) {
    r.Fail(r.Get("TreatMissingData"), "TreatMissingData",
           "TreatMissingData `" + alarm.treat_missing_data + "` is not one of missing, notBreaching, breaching, ignore");
  }
  return true;
}

bool ReadTrail(PropReader& r, TrailConfig& trail, std::vector<Warning>& warnings) {
  const ResourceContext& ctx = r.ctx();
  r.WarnUnknown({"TrailName", "S3BucketName", "S3KeyPrefix", "IsLogging", "IsMultiRegionTrail",
                 "IncludeGlobalServiceEvents", "CloudWatchLogsLogGroupArn", "CloudWatchLogsRoleArn",
                 "EnableLogFileValidation", "EventSelectors", "AdvancedEventSelectors", "InsightSelectors",
                 "IsOrganizationTrail", "KMSKeyId", "SnsTopicName", "Tags"},
                warnings);
  if (!ctx.setup_file) {
    r.Required("S3BucketName");
    r.Required("IsLogging");
  }
  trail.logging = r.OptBool("IsLogging").value_or(true);
  trail.multi_region = r.OptBool("IsMultiRegionTrail").value_or(false);
  trail.include_global_events = r.OptBool("IncludeGlobalServiceEvents").value_or(true);
  if (r.OptBool("IsOrganizationTrail").value_or(false)) {
    warnings.push_back({ctx.Where(), ctx.region,
                        "an organization trail also records the member accounts; only this account is simulated"});
  }
  if (std::optional<std::string> arn_text = r.OptString("CloudWatchLogsLogGroupArn"); arn_text && r.ok()) {
    std::optional<ParsedArn> arn = ParseArn(*arn_text);
    if (!arn || arn->service != "logs" || arn->resource.compare(0, 10, "log-group:") != 0) {
      r.Fail(r.Get("CloudWatchLogsLogGroupArn"), "CloudWatchLogsLogGroupArn",
             "CloudWatchLogsLogGroupArn `" + *arn_text + "` is not a log group ARN",
             "arn:aws:logs:<region>:<account>:log-group:<name>:* (!GetAtt <LogGroup>.Arn gives it)");
      return false;
    }
    trail.log_group = arn->resource.substr(10);
    if (trail.log_group.size() >= 2 && trail.log_group.compare(trail.log_group.size() - 2, 2, ":*") == 0) {
      trail.log_group.resize(trail.log_group.size() - 2);
    }
    trail.log_group_region = arn->region;
    trail.log_group_account = arn->account;
  }
  // Management events the selectors let through (the union over basic selectors). An empty list (what the
  // CDK's Trail synthesizes when no selector is added) is a trail without selectors: CloudTrail logs all
  // management events.
  const Value* selectors = r.OptList("EventSelectors");
  if (r.Get("AdvancedEventSelectors") != nullptr) {
    warnings.push_back({ctx.Where(), ctx.region,
                        "AdvancedEventSelectors are not simulated: all management events are assumed recorded"});
  } else if (selectors != nullptr && !selectors->children.empty()) {
    bool read = false, write = false;
    for (size_t i = 0; i < selectors->children.size() && r.ok(); ++i) {
      const std::string idx = std::to_string(i);
      PropReader s = r.Nested(&selectors->children[i], r.PointerTo("EventSelectors") + "/" + idx,
                              "EventSelectors[" + idx + "].");
      if (!s.OptBool("IncludeManagementEvents").value_or(true)) continue;
      std::string rw = s.String("ReadWriteType", "All");
      if (!OneOf(rw, {"All", "ReadOnly", "WriteOnly"})) {
        s.Fail(s.Get("ReadWriteType"), "ReadWriteType", "ReadWriteType `" + rw + "` is not All, ReadOnly or WriteOnly");
      }
      read |= rw != "WriteOnly";
      write |= rw != "ReadOnly";
    }
    trail.management_events = read && write ? "All" : read ? "ReadOnly" : write ? "WriteOnly" : "None";
  }
  return true;
}

// What every modelled resource has is read the same way for each type: its name (the type's name property,
// NameProperty(), else the default name), its Region (a trail's home Region), account and where it is defined.
// `read` reads the rest, warning first of the properties the type does not know, and says whether the resource
// is kept (a scheduled rule is not); a kept resource joins `list` unless an error was recorded.
template <typename Config>
void AddConfig(PropReader& r, bool (*read)(PropReader&, Config&, std::vector<Warning>&), std::vector<Config>& list,
               std::vector<Warning>& warnings) {
  const ResourceContext& ctx = r.ctx();
  Config config;
  config.name = r.String(NameProperty(ctx.type), ctx.DefaultName());
  if constexpr (std::is_same_v<Config, TrailConfig>) {
    config.home_region = ctx.region;
  } else {
    config.region = ctx.region;
  }
  config.account = ctx.account;
  config.source = ctx.Where();
  if (read(r, config, warnings) && r.ok()) list.push_back(std::move(config));
}

}  // namespace

std::optional<Diagnostic> AddResource(const ResourceContext& ctx, const Value* props, Setup& setup,
                                      std::vector<Warning>& warnings, Budget& budget) {
  std::optional<Diagnostic> error;
  if (props != nullptr && !props->IsMap() && !props->IsAbsent()) {
    return LoadError(ctx.path, props->mark.line > 0 ? props->mark : ctx.mark, ctx.pointer + "/Properties",
                     ctx.logical_id + " (" + ctx.type + "): Properties must be a map");
  }
  PropReader r(props, ctx.pointer + "/Properties", "", ctx, error, budget);
  switch (KindOf(ctx.type)) {
    case ResourceKind::kLogGroup: AddConfig(r, ReadLogGroup, setup.log_groups, warnings); break;
    case ResourceKind::kMetricFilter: AddConfig(r, ReadMetricFilter, setup.metric_filters, warnings); break;
    case ResourceKind::kRule: AddConfig(r, ReadRule, setup.rules, warnings); break;
    case ResourceKind::kAlarm: AddConfig(r, ReadAlarm, setup.alarms, warnings); break;
    case ResourceKind::kTrail: AddConfig(r, ReadTrail, setup.trails, warnings); break;
    case ResourceKind::kOther: break;
  }
  return error;
}

}  // namespace trailwatch::engine::cfn
