// metric.cc: validation of metric transformations against their pattern. Entry: CompileMetricFilter().
#include "patterns/filter/metric.h"

#include "patterns/filter/compile.h"
#include "patterns/filter/number.h"
#include "patterns/filter/parser.h"

namespace trailwatch::filter {

namespace {

constexpr const char* kUnits[] = {
    "Seconds",         "Microseconds",     "Milliseconds",     "Bytes",           "Kilobytes",
    "Megabytes",       "Gigabytes",        "Terabytes",        "Bits",            "Kilobits",
    "Megabits",        "Gigabits",         "Terabits",         "Percent",         "Count",
    "Bytes/Second",    "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
    "Bits/Second",     "Kilobits/Second",  "Megabits/Second",  "Gigabits/Second", "Terabits/Second",
    "Count/Second",    "None"};

Diagnostic ParamError(std::string aws_message, std::string message, std::string pointer, std::string source,
                      Span span = {}, std::string hint = {}) {
  if (span.length == 0 && !source.empty()) span = Span{0, static_cast<uint32_t>(source.size())};
  Diagnostic d{kInvalidParameterException, std::move(aws_message), std::move(message), span, std::move(hint),
               std::move(pointer), std::move(source)};
  if (d.source.empty()) d.source = " ";  // render against the (empty) parameter, not the pattern
  return d;
}

// Resolves "$.a.b", "$name", "$3" or a number against the pattern. `what` names the parameter.
Result<ValueRef> ResolveRef(const std::string& text, const CompiledPattern& p, const std::string& pointer,
                            bool allow_literal) {
  ValueRef r;
  r.text = text;
  const bool json = p.kind == PatternKind::kJson;
  const bool delimited = p.kind == PatternKind::kDelimited;
  if (text.starts_with("$.") || text.starts_with("$[")) {
    if (!json) {
      return ParamError("Invalid metric transformation", "a JSON selector " + text + " needs a JSON { } pattern",
                        pointer, text, {}, delimited ? "space-delimited patterns reference fields as $name or $N" : "");
    }
    Result<Selector> sel = ParseSelector(text);
    if (!sel.ok()) {
      Diagnostic d = sel.error();
      d.pointer = pointer;
      d.source = text;
      d.aws_message = "Invalid metric transformation";
      return d;
    }
    r.kind = ValueRef::Kind::kJsonSelector;
    r.selector = sel.value();
    {
      // The pattern's own selector, compared by steps (spelling-independent: $.a.b == $.['a'].b).
      for (size_t i = 0; i < p.selectors.size(); ++i) {
        const auto& x = p.selectors[i].steps;
        const auto& y = r.selector.steps;
        bool same = x.size() == y.size();
        for (size_t k = 0; same && k < x.size(); ++k) {
          same = x[k].kind == y[k].kind && x[k].key == y[k].key && x[k].index == y[k].index;
        }
        if (same) r.selector_index = static_cast<int>(i);
      }
    }
    return r;
  }
  if (text.size() > 1 && text[0] == '$') {
    if (!delimited) {
      return ParamError("Invalid metric transformation",
                        text + " names a space-delimited field, but the pattern is not a [ ] pattern", pointer, text,
                        {}, json ? "JSON patterns reference values as $.selector" : "");
    }
    std::string_view rest = std::string_view(text).substr(1);
    bool digits = !rest.empty();
    for (char c : rest) digits = digits && c >= '0' && c <= '9';
    if (digits) {
      r.kind = ValueRef::Kind::kFieldIndex;
      r.index = static_cast<uint32_t>(std::stoul(std::string(rest.substr(0, 9))));
      if (r.index == 0) {
        return ParamError("Invalid metric transformation", "field positions start at $1", pointer, text);
      }
      r.name = text;
      return r;
    }
    bool found = false;
    for (const CompiledField& f : p.fields) found = found || (f.kind == DelimitedField::Kind::kNamed && f.name == rest);
    if (!found) {
      return ParamError("Invalid metric transformation", text + " is not a field of the pattern", pointer, text, {},
                        "name the field in the pattern, e.g. [..., " + std::string(rest) + "]");
    }
    r.kind = ValueRef::Kind::kFieldName;
    r.name = text;
    return r;
  }
  double v = 0;
  if (allow_literal && ParseFilterNumber(text, &v)) {
    r.kind = ValueRef::Kind::kLiteral;
    r.literal = v;
    return r;
  }
  std::string hint = allow_literal ? "a number such as 1, or a reference: $.selector (JSON patterns), $name or $N "
                                     "(space-delimited patterns)"
                                   : "a reference: $.selector (JSON patterns), $name or $N (space-delimited patterns)";
  return ParamError("Invalid metric transformation",
                    (allow_literal ? "metric value '" : "dimension value '") + text + "' is not " +
                        (allow_literal ? "a number or a field reference" : "a field reference"),
                    pointer, text.empty() ? " " : text, {}, hint);
}

bool ValidMetricName(std::string_view s) {
  if (s.empty() || s.size() > 255) return false;
  for (char c : s) {
    if (c == ':' || c == '*' || c == '$') return false;
  }
  return true;
}

}  // namespace

bool IsStandardUnit(std::string_view unit) {
  for (const char* u : kUnits) {
    if (unit == u) return true;
  }
  return false;
}

Result<std::shared_ptr<const CompiledMetricFilter>> CompileMetricFilter(std::string filter_name,
                                                                        std::string_view pattern,
                                                                        const MetricTransformation& t) {
  Result<std::shared_ptr<const CompiledPattern>> p = CompileFilterPattern(pattern);
  if (!p.ok()) return p.error();
  auto mf = std::make_shared<CompiledMetricFilter>();
  mf->filter_name = std::move(filter_name);
  mf->pattern = p.value();
  mf->transformation = t;
  mf->warnings = p.value()->warnings;
  const CompiledPattern& cp = *mf->pattern;

  if (!ValidMetricName(t.metric_name)) {
    return ParamError("1 validation error detected: Value '" + t.metric_name +
                          "' at 'metricTransformations.1.member.metricName' failed to satisfy constraint: Member must "
                          "satisfy regular expression pattern: [^:*$]*",
                      "metric name must be 1-255 characters without : * $", "metricName", t.metric_name);
  }
  if (!ValidMetricName(t.metric_namespace)) {
    return ParamError("1 validation error detected: Value '" + t.metric_namespace +
                          "' at 'metricTransformations.1.member.metricNamespace' failed to satisfy constraint: Member "
                          "must satisfy regular expression pattern: [^:*$]*",
                      "metric namespace must be 1-255 characters without : * $", "metricNamespace",
                      t.metric_namespace);
  }
  if (t.metric_value.empty() || t.metric_value.size() > 100) {
    return ParamError("1 validation error detected: Value '" + t.metric_value +
                          "' at 'metricTransformations.1.member.metricValue' failed to satisfy constraint: Member must "
                          "have length between 1 and 100",
                      "metric value must be 1-100 characters", "metricValue", t.metric_value);
  }
  mf->unit = t.unit.empty() ? "None" : t.unit;
  if (!IsStandardUnit(mf->unit)) {
    return ParamError("1 validation error detected: Value '" + t.unit +
                          "' at 'metricTransformations.1.member.unit' failed to satisfy constraint: Member must satisfy "
                          "enum value set",
                      "unknown unit '" + t.unit + "'", "unit", t.unit, {},
                      "one of Seconds, Milliseconds, Bytes, Count, Percent, Count/Second, None, ...");
  }
  Result<ValueRef> value = ResolveRef(t.metric_value, cp, "metricValue", true);
  if (!value.ok()) return value.error();
  mf->value = value.value();

  if (!t.dimensions.empty()) {
    if (cp.kind != PatternKind::kJson && cp.kind != PatternKind::kDelimited) {
      return Diagnostic{kInvalidParameterException, "The specified filter pattern does not support dimensions",
                        "dimensions need a JSON { } or space-delimited [ ] pattern",
                        Span{0, static_cast<uint32_t>(pattern.size())},
                        "term and regular-expression patterns cannot have dimensions", "dimensions", {}};
    }
    if (t.dimensions.size() > 3) {
      return ParamError("1 validation error detected: Value at 'metricTransformations.1.member.dimensions' failed to "
                        "satisfy constraint: Member must have length less than or equal to 3",
                        std::to_string(t.dimensions.size()) + " dimensions; at most 3 are allowed", "dimensions", {});
    }
    if (t.default_value) {
      return ParamError("Invalid metric transformation: dimensions and a default value cannot be used together",
                        "a metric with dimensions cannot have a defaultValue", "defaultValue", {}, {},
                        "drop defaultValue, or drop the dimensions");
    }
    for (const auto& [key, ref] : t.dimensions) {
      bool printable = !key.empty() && key.size() <= 255 && key[0] != ':';
      bool nonblank = false;
      for (char c : key) {
        printable = printable && static_cast<unsigned char>(c) < 0x80;
        nonblank = nonblank || (c != ' ' && c != '\t');
      }
      if (!printable || !nonblank) {
        return ParamError("Invalid metric transformation: invalid dimension key '" + key + "'",
                          "dimension keys are 1-255 ASCII characters, not blank, not starting with ':'", "dimensions",
                          key.empty() ? " " : key);
      }
      Result<ValueRef> r = ResolveRef(ref, cp, "dimensions." + key, false);
      if (!r.ok()) return r.error();
      mf->dimensions.emplace_back(key, r.value());
    }
  }
  auto warn_unreferenced = [&](const ValueRef& r, const std::string& what) {
    if (r.kind == ValueRef::Kind::kJsonSelector && r.selector_index < 0) {
      mf->warnings.push_back(Diagnostic{
          "Warning", {},
          what + " " + r.text + " is not referenced by the filter pattern, so no value is extracted for it",
          Span{0, static_cast<uint32_t>(r.text.size())},
          "add the field to the pattern, e.g. && " + r.text + " = *", what, r.text});
    }
  };
  warn_unreferenced(mf->value, "metricValue");
  for (const auto& [key, r] : mf->dimensions) warn_unreferenced(r, "dimension " + key);
  return std::shared_ptr<const CompiledMetricFilter>(std::move(mf));
}

}  // namespace trailwatch::filter
