// explain_text.cc: see explain_text.h.
#include "tools/report/explain_text.h"

namespace trailwatch::report {

namespace {

const char* Mark(explain::Truth t) {
  switch (t) {
    case explain::Truth::kTrue: return "✓";
    case explain::Truth::kFalse: return "✗";
    case explain::Truth::kNotEvaluated: return "·";
  }
  return "?";
}

const char* Word(explain::Truth t) {
  switch (t) {
    case explain::Truth::kTrue: return "true";
    case explain::Truth::kFalse: return "false";
    case explain::Truth::kNotEvaluated: return "not evaluated";
  }
  return "?";
}

void Tree(const explain::Node& n, std::string_view indent, int depth, std::string& out) {
  out += std::string(indent) + std::string(static_cast<size_t>(depth) * 2, ' ') + Mark(n.truth) + " " + n.label;
  if (!n.detail.empty()) out += "    " + n.detail;
  out += "\n";
  for (const explain::Node& c : n.children) Tree(c, indent, depth + 1, out);
}

nlohmann::ordered_json NodeJson(const explain::Node& n) {
  nlohmann::ordered_json j;
  j["label"] = n.label;
  j["truth"] = Word(n.truth);
  j["detail"] = n.detail;
  j["offset"] = n.span.offset;
  j["length"] = n.span.length;
  j["children"] = nlohmann::ordered_json::array();
  for (const explain::Node& c : n.children) j["children"].push_back(NodeJson(c));
  return j;
}

}  // namespace

std::string ExplainText(const explain::Explanation& x, std::string_view indent) {
  std::string out = std::string(indent) + (x.matched ? "match" : "no match") + " (" + x.kind + " pattern)\n";
  if (!x.fields.empty()) {
    out += std::string(indent) + "fields:";
    for (const auto& [name, value] : x.fields) out += " " + name + "=\"" + value + "\"";
    out += "\n";
  }
  Tree(x.root, indent, 0, out);
  for (const std::string& note : x.notes) out += std::string(indent) + "note: " + note + "\n";
  return out;
}

nlohmann::ordered_json ExplainJson(const explain::Explanation& x) {
  nlohmann::ordered_json j;
  j["matched"] = x.matched;
  j["kind"] = x.kind;
  j["fields"] = nlohmann::ordered_json::array();
  for (const auto& [name, value] : x.fields) j["fields"].push_back({{"field", name}, {"value", value}});
  j["tree"] = NodeJson(x.root);
  j["notes"] = x.notes;
  return j;
}

}  // namespace trailwatch::report
