// metric.h: metric filters — a filter pattern plus its metric transformation — checked as PutMetricFilter
// checks them.
//
// Contract: CompileMetricFilter() validates a MetricTransformation against its pattern (metricValue is a
// number, a JSON selector $.x for JSON patterns, or $name / $N for space-delimited ones; at most 3
// dimensions, only for JSON and space-delimited patterns, never with defaultValue; unit from CloudWatch's
// StandardUnit list; name and namespace constraints) and resolves every reference once. The runtime that
// turns a matching event into the value to publish is engine/filter/metric_eval.h.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patterns/common/diagnostic.h"
#include "patterns/filter/program.h"

namespace trailwatch::filter {

struct MetricTransformation {
  std::string metric_name;
  std::string metric_namespace;
  std::string metric_value = "1";
  std::optional<double> default_value;
  std::string unit;  // empty: None
  std::vector<std::pair<std::string, std::string>> dimensions;  // key -> $reference, in the order given
};

// Where a published number or dimension value comes from.
struct ValueRef {
  enum class Kind { kLiteral, kJsonSelector, kFieldName, kFieldIndex } kind = Kind::kLiteral;
  std::string text;      // as written
  double literal = 0;    // kLiteral
  Selector selector;     // kJsonSelector
  int selector_index = -1;  // kJsonSelector: index in the pattern's selectors, -1 if the pattern lacks it
  std::string name;      // kFieldName: "$name" key of the extracted values
  uint32_t index = 0;    // kFieldIndex: 1-based event field ("$N")
};

struct CompiledMetricFilter {
  std::string filter_name;
  std::shared_ptr<const CompiledPattern> pattern;
  MetricTransformation transformation;
  std::string unit;  // normalized: "None" when not given
  ValueRef value;
  std::vector<std::pair<std::string, ValueRef>> dimensions;
  std::vector<Diagnostic> warnings;
};

bool IsStandardUnit(std::string_view unit);

Result<std::shared_ptr<const CompiledMetricFilter>> CompileMetricFilter(std::string filter_name,
                                                                        std::string_view pattern,
                                                                        const MetricTransformation& t);

}  // namespace trailwatch::filter
