// reference_eval.cc: see reference_eval.h. Written for obviousness, not speed.
#include "tests/filter/reference_eval.h"

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include <charconv>
#include <vector>

#include "patterns/filter/number.h"

namespace trailwatch::testing {

namespace {

using filter::CompareOp;
using filter::ValueKind;
using Json = nlohmann::json;

bool Cmp(CompareOp op, double a, double b) {
  switch (op) {
    case CompareOp::kEq: return a == b;
    case CompareOp::kNe: return a != b;
    case CompareOp::kLt: return a < b;
    case CompareOp::kLe: return a <= b;
    case CompareOp::kGt: return a > b;
    case CompareOp::kGe: return a >= b;
  }
  return false;
}

bool RegexSearch(const std::string& re2, std::string_view text) {
  RE2::Options o;
  o.set_log_errors(false);
  RE2 re(re2, o);
  return RE2::PartialMatch(text, re);
}

// A value test on text (a JSON string, a number's text, or a delimited field).
bool TestText(CompareOp op, const filter::Value& v, const std::string& text) {
  bool eq = false;
  switch (v.kind) {
    case ValueKind::kString: eq = v.glob.Matches(text); break;
    case ValueKind::kRegex: eq = RegexSearch(v.regex.re2, text); break;
    case ValueKind::kNumber: {
      double d = 0;
      if (!filter::ParseFilterNumber(text, &d)) return op == CompareOp::kNe;
      return Cmp(op, d, v.number);
    }
  }
  return op == CompareOp::kNe ? !eq : eq;
}

std::string NumberText(const Json& j) {
  char buf[64];
  std::to_chars_result r;
  if (j.is_number_integer() && j.is_number_unsigned()) r = std::to_chars(buf, buf + 64, j.get<uint64_t>());
  else if (j.is_number_integer()) r = std::to_chars(buf, buf + 64, j.get<int64_t>());
  else r = std::to_chars(buf, buf + 64, j.get<double>());
  return std::string(buf, r.ptr);
}

void Select(const Json& node, const std::vector<filter::SelectorStep>& steps, size_t i, std::vector<const Json*>& out) {
  if (i == steps.size()) {
    out.push_back(&node);
    return;
  }
  const filter::SelectorStep& s = steps[i];
  switch (s.kind) {
    case filter::SelectorStep::Kind::kKey:
      if (node.is_object()) {
        auto it = node.find(s.key);
        if (it != node.end()) Select(*it, steps, i + 1, out);
      }
      break;
    case filter::SelectorStep::Kind::kIndex:
      if (node.is_array() && s.index < node.size()) Select(node[s.index], steps, i + 1, out);
      break;
    case filter::SelectorStep::Kind::kAnyKey:
      if (node.is_object()) {
        for (const auto& [k, v] : node.items()) Select(v, steps, i + 1, out);
      }
      break;
    case filter::SelectorStep::Kind::kAnyIndex:
      if (node.is_array()) {
        for (const auto& v : node) Select(v, steps, i + 1, out);
      }
      break;
  }
}

bool EvalCondition(const filter::JsonCondition& c, const Json& root) {
  std::vector<const Json*> values;
  Select(root, c.selector.steps, 0, values);
  if (c.test == filter::JsonTest::kNotExists) return values.empty();
  for (const Json* v : values) {
    switch (c.test) {
      case filter::JsonTest::kIsNull:
        if (v->is_null()) return true;
        break;
      case filter::JsonTest::kIsTrue:
        if (v->is_boolean() && v->get<bool>()) return true;
        break;
      case filter::JsonTest::kIsFalse:
        if (v->is_boolean() && !v->get<bool>()) return true;
        break;
      case filter::JsonTest::kNotExists:
        break;
      case filter::JsonTest::kCompare:
        if (v->is_string()) {
          if (TestText(c.op, c.value, v->get<std::string>())) return true;
        } else if (v->is_number()) {
          if (c.value.kind == ValueKind::kNumber) {
            if (Cmp(c.op, v->get<double>(), c.value.number)) return true;
          } else if (TestText(c.op, c.value, NumberText(*v))) {
            return true;
          }
        }
        break;
    }
  }
  return false;
}

bool EvalJson(const filter::JsonExpr& e, const Json& root) {
  switch (e.kind) {
    case filter::JsonExpr::Kind::kCondition: return EvalCondition(e.condition, root);
    case filter::JsonExpr::Kind::kGroup: return EvalJson(*e.children[0], root);
    case filter::JsonExpr::Kind::kAnd:
      for (const auto& c : e.children) {
        if (!EvalJson(*c, root)) return false;
      }
      return true;
    case filter::JsonExpr::Kind::kOr:
      for (const auto& c : e.children) {
        if (EvalJson(*c, root)) return true;
      }
      return false;
  }
  return false;
}

struct Tok {
  std::string value;
  size_t raw_begin, raw_end;
};

std::vector<Tok> Split(std::string_view m) {
  std::vector<Tok> out;
  size_t i = 0;
  auto sep = [](char c) { return c == ' ' || c == '\t'; };
  while (true) {
    while (i < m.size() && sep(m[i])) ++i;
    if (i >= m.size()) break;
    Tok t;
    t.raw_begin = i;
    if (m[i] == '"' || m[i] == '[') {
      char close = m[i] == '"' ? '"' : ']';
      size_t j = m.find(close, i + 1);
      if (j == std::string_view::npos) {
        t.value = std::string(m.substr(i + 1));
        t.raw_end = m.size();
      } else {
        t.value = std::string(m.substr(i + 1, j - i - 1));
        t.raw_end = j + 1;
      }
    } else {
      size_t j = i;
      while (j < m.size() && !sep(m[j])) ++j;
      t.value = std::string(m.substr(i, j - i));
      t.raw_end = j;
    }
    i = t.raw_end;
    out.push_back(t);
  }
  return out;
}

bool FieldOk(const filter::DelimitedField& f, const std::string& text) {
  if (f.condition.any_of.empty()) return true;
  for (const auto& conj : f.condition.any_of) {
    bool all = true;
    for (const auto& fc : conj) all = all && TestText(fc.op, fc.value, text);
    if (all) return true;
  }
  return false;
}

bool EvalDelimited(const filter::FilterAst& ast, std::string_view m) {
  std::vector<Tok> toks = Split(m);
  if (ast.fields.empty()) return true;
  int ellipsis = -1;
  size_t fixed = 0;
  for (size_t k = 0; k < ast.fields.size(); ++k) {
    if (ast.fields[k].kind == filter::DelimitedField::Kind::kEllipsis) ellipsis = static_cast<int>(k);
    else ++fixed;
  }
  if (toks.size() < fixed) return false;
  for (size_t k = 0; k < ast.fields.size(); ++k) {
    const auto& f = ast.fields[k];
    if (f.kind == filter::DelimitedField::Kind::kEllipsis) continue;
    size_t pos;
    if (ellipsis < 0 || static_cast<int>(k) < ellipsis) pos = k;
    else pos = toks.size() - (ast.fields.size() - k);
    std::string text = toks[pos].value;
    if (ellipsis < 0 && k + 1 == ast.fields.size() && toks.size() > fixed) {
      text = std::string(m.substr(toks[pos].raw_begin, toks.back().raw_end - toks[pos].raw_begin));
    }
    if (!FieldOk(f, text)) return false;
  }
  return true;
}

bool Blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

}  // namespace

bool ReferenceMatch(const filter::FilterAst& ast, std::string_view message) {
  switch (ast.kind) {
    case filter::PatternKind::kMatchAll:
      return true;
    case filter::PatternKind::kTerms: {
      bool any_optional = false, optional_hit = false, optional_blank = false;
      for (const filter::Term& t : ast.terms) {
        const bool found = message.find(t.text) != std::string_view::npos;
        switch (t.mode) {
          case filter::TermMode::kRequired:
            if (!(t.quoted && Blank(t.text)) && !found) return false;
            break;
          case filter::TermMode::kExcluded:
            if (!t.text.empty() && found) return false;
            break;
          case filter::TermMode::kOptional:
            if (ast.optional_terms_ignored) break;
            any_optional = true;
            optional_hit = optional_hit || found;
            optional_blank = optional_blank || (t.quoted && Blank(t.text));
            break;
        }
      }
      return !any_optional || optional_hit || optional_blank;
    }
    case filter::PatternKind::kRegex:
      return RegexSearch(ast.regex.re2, message);
    case filter::PatternKind::kJson: {
      size_t b = message.find_first_not_of(" \t\r\n");
      if (b == std::string_view::npos || (message[b] != '{' && message[b] != '[')) return false;
      // A raw NUL is never valid JSON (not even in a string); nlohmann's parser would stop at it and accept
      // what came before (found by fuzz_filter: "{...}\0\0").
      if (message.find('\0') != std::string_view::npos) return false;
      Json root = Json::parse(message.begin(), message.end(), nullptr, false);
      if (root.is_discarded()) return false;
      return EvalJson(*ast.json, root);
    }
    case filter::PatternKind::kDelimited:
      return EvalDelimited(ast, message);
  }
  return false;
}

}  // namespace trailwatch::testing
