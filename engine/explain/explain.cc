// explain.cc: see explain.h. Written for plainness: it runs once per message a user asks about.
#include "engine/explain/explain.h"

#include <re2/re2.h>

#include <algorithm>
#include <cstdio>

#include "engine/event/matcher.h"
#include "engine/event/reference.h"
#include "engine/fast_paths.h"
#include "engine/filter/delimited.h"
#include "engine/filter/filter_set.h"
#include "patterns/common/nearest.h"
#include "patterns/event/compile.h"
#include "patterns/event/json_value.h"
#include "patterns/event/parser.h"
#include "patterns/filter/compile.h"
#include "patterns/filter/number.h"

namespace trailwatch::explain {

namespace {

using event::JsonValue;

Truth Of(bool b) { return b ? Truth::kTrue : Truth::kFalse; }

std::string SpanText(std::string_view text, Span s) {
  if (s.offset >= text.size()) return "";
  return std::string(text.substr(s.offset, s.length));
}

// A value as the user would write it in JSON, shortened when long.
std::string Shown(const JsonValue& v) {
  std::string out;
  switch (v.type) {
    case JsonValue::kNull: return "null";
    case JsonValue::kTrue: return "true";
    case JsonValue::kFalse: return "false";
    case JsonValue::kNumber: return v.text;
    case JsonValue::kString: out = "\"" + v.text + "\""; break;
    case JsonValue::kArray: return "[...] (an array of " + std::to_string(v.elements.size()) + ")";
    case JsonValue::kObject: return "{...} (an object)";
  }
  if (out.size() > 80) out = out.substr(0, 77) + "...\"";
  return out;
}

// The member `key` of an object (the last one when a key repeats, as the engine reads duplicates).
const JsonValue* Member(const JsonValue& o, std::string_view key) {
  const JsonValue* found = nullptr;
  for (const event::JsonMember& m : o.members) {
    if (m.key == key) found = &m.value;
  }
  return found;
}

// ---- filter patterns: JSON ----------------------------------------------------------------------------------
struct Selected {
  std::vector<const JsonValue*> values;
  std::string missing;  // when none: where the path stopped, and the nearest key there
};

std::string StepText(const filter::SelectorStep& s) {
  switch (s.kind) {
    case filter::SelectorStep::Kind::kKey: return s.bracketed ? "['" + s.key + "']" : "." + s.key;
    case filter::SelectorStep::Kind::kIndex: return "[" + std::to_string(s.index) + "]";
    case filter::SelectorStep::Kind::kAnyKey: return ".*";
    case filter::SelectorStep::Kind::kAnyIndex: return "[*]";
  }
  return "";
}

void Select(const JsonValue& node, const filter::Selector& sel, size_t i, std::string prefix, Selected& out) {
  if (i == sel.steps.size()) {
    out.values.push_back(&node);
    return;
  }
  const filter::SelectorStep& s = sel.steps[i];
  auto stop = [&](const std::string& why) {
    if (out.missing.empty()) out.missing = why;
  };
  switch (s.kind) {
    case filter::SelectorStep::Kind::kKey: {
      if (node.type != JsonValue::kObject) {
        stop("`" + prefix + "` is " + Shown(node) + ", not an object with `" + s.key + "`");
        return;
      }
      if (const JsonValue* child = Member(node, s.key)) {
        Select(*child, sel, i + 1, prefix + StepText(s), out);
        return;
      }
      std::vector<std::string> keys;
      for (const event::JsonMember& m : node.members) keys.push_back(m.key);
      const std::string near = NearestName(s.key, keys);
      std::string rest;
      for (size_t k = i + 1; k < sel.steps.size(); ++k) rest += StepText(sel.steps[k]);
      stop("`" + prefix + StepText(s) + "` is not in the message" +
           (near.empty() ? "" : " (did you mean `" + prefix + "." + near + rest + "`?)"));
      return;
    }
    case filter::SelectorStep::Kind::kIndex:
      if (node.type != JsonValue::kArray || s.index >= node.elements.size()) {
        stop("`" + prefix + "` has no element [" + std::to_string(s.index) + "]" +
             (node.type == JsonValue::kArray ? " (it has " + std::to_string(node.elements.size()) + ")" : ""));
        return;
      }
      Select(node.elements[s.index], sel, i + 1, prefix + StepText(s), out);
      return;
    case filter::SelectorStep::Kind::kAnyKey:
      if (node.type != JsonValue::kObject || node.members.empty()) {
        stop("`" + prefix + "` has no member for `.*`");
        return;
      }
      for (const event::JsonMember& m : node.members) Select(m.value, sel, i + 1, prefix + "." + m.key, out);
      return;
    case filter::SelectorStep::Kind::kAnyIndex:
      if (node.type != JsonValue::kArray || node.elements.empty()) {
        stop("`" + prefix + "` has no element for `[*]`");
        return;
      }
      for (size_t k = 0; k < node.elements.size(); ++k) {
        Select(node.elements[k], sel, i + 1, prefix + "[" + std::to_string(k) + "]", out);
      }
      return;
  }
}

bool Cmp(filter::CompareOp op, double a, double b) {
  switch (op) {
    case filter::CompareOp::kEq: return a == b;
    case filter::CompareOp::kNe: return a != b;
    case filter::CompareOp::kLt: return a < b;
    case filter::CompareOp::kLe: return a <= b;
    case filter::CompareOp::kGt: return a > b;
    case filter::CompareOp::kGe: return a >= b;
  }
  return false;
}

bool RegexFinds(const std::string& re2, std::string_view text) {
  RE2::Options o;
  o.set_log_errors(false);
  RE2 re(re2, o);
  return re.ok() && RE2::PartialMatch(text, re);
}

// A value test on text: a JSON string, a number's spelling, a delimited field.
bool TestText(filter::CompareOp op, const filter::Value& v, std::string_view text) {
  bool eq = false;
  switch (v.kind) {
    case filter::ValueKind::kString: eq = v.glob.Matches(text); break;
    case filter::ValueKind::kRegex: eq = RegexFinds(v.regex.re2, text); break;
    case filter::ValueKind::kNumber: {
      double d = 0;
      if (!filter::ParseFilterNumber(text, &d)) return op == filter::CompareOp::kNe;
      return Cmp(op, d, v.number);
    }
  }
  return op == filter::CompareOp::kNe ? !eq : eq;
}

bool TestValue(const filter::JsonCondition& c, const JsonValue& v) {
  switch (c.test) {
    case filter::JsonTest::kIsNull: return v.type == JsonValue::kNull;
    case filter::JsonTest::kIsTrue: return v.type == JsonValue::kTrue;
    case filter::JsonTest::kIsFalse: return v.type == JsonValue::kFalse;
    case filter::JsonTest::kNotExists: return false;
    case filter::JsonTest::kCompare:
      if (v.type == JsonValue::kString || v.type == JsonValue::kNumber) return TestText(c.op, c.value, v.text);
      return false;
  }
  return false;
}

std::string Wanted(const filter::JsonCondition& c) {
  switch (c.test) {
    case filter::JsonTest::kIsNull: return "null";
    case filter::JsonTest::kIsTrue: return "true";
    case filter::JsonTest::kIsFalse: return "false";
    case filter::JsonTest::kNotExists: return "no such field";
    case filter::JsonTest::kCompare: break;
  }
  const std::string value = c.value.kind == filter::ValueKind::kRegex ? "%" + c.value.regex.source + "%"
                            : c.value.quoted                          ? "\"" + c.value.raw + "\""
                                                                      : c.value.raw;
  switch (c.op) {
    case filter::CompareOp::kEq:
      return c.value.kind == filter::ValueKind::kString && c.value.raw.find('*') != std::string::npos
                 ? "one like " + value
                 : value;
    case filter::CompareOp::kNe: return "anything but " + value;
    default: return std::string(filter::CompareOpText(c.op)) + " " + value;
  }
}

Node ExplainCondition(const filter::JsonCondition& c, const JsonValue& root, std::string_view pattern) {
  Node n;
  n.label = SpanText(pattern, c.span);
  n.span = c.span;
  Selected sel;
  Select(root, c.selector, 0, "$", sel);
  const std::string& path = c.selector.text;
  if (c.test == filter::JsonTest::kNotExists) {
    n.truth = Of(sel.values.empty());
    n.detail = sel.values.empty() ? "`" + path + "` is not in the message" : "`" + path + "` exists: " + Shown(*sel.values[0]);
    return n;
  }
  if (sel.values.empty()) {
    n.truth = Truth::kFalse;  // every test but NOT EXISTS needs a value (also !=, as AWS reads it)
    n.detail = sel.missing.empty() ? "`" + path + "` is not in the message" : sel.missing;
    return n;
  }
  bool any = false;
  std::string seen;
  size_t shown = 0;
  for (const JsonValue* v : sel.values) {
    const bool ok = TestValue(c, *v);
    any = any || ok;
    if (shown++ < 5) seen += (seen.empty() ? "" : ", ") + Shown(*v) + (sel.values.size() > 1 ? (ok ? " ✓" : " ✗") : "");
  }
  if (sel.values.size() > 5) seen += ", ... (" + std::to_string(sel.values.size()) + " values)";
  n.truth = Of(any);
  n.detail = "`" + path + "` = " + seen + (any ? "" : ", wanted " + Wanted(c));
  if (!any && c.test == filter::JsonTest::kCompare && c.value.kind == filter::ValueKind::kNumber) {
    for (const JsonValue* v : sel.values) {
      if (v->type == JsonValue::kString) {
        n.detail += " (a number comparison: the string is read as a number only when it is one)";
        break;
      }
    }
  }
  return n;
}

Node ExplainJson(const filter::JsonExpr& e, const JsonValue& root, std::string_view pattern) {
  switch (e.kind) {
    case filter::JsonExpr::Kind::kCondition: return ExplainCondition(e.condition, root, pattern);
    case filter::JsonExpr::Kind::kGroup: {
      Node n = ExplainJson(*e.children[0], root, pattern);
      return n;
    }
    case filter::JsonExpr::Kind::kAnd:
    case filter::JsonExpr::Kind::kOr: {
      const bool is_and = e.kind == filter::JsonExpr::Kind::kAnd;
      Node n;
      n.label = is_and ? "&&" : "||";
      n.span = e.span;
      bool all = true, any = false;
      for (const auto& child : e.children) {
        n.children.push_back(ExplainJson(*child, root, pattern));
        const bool t = n.children.back().truth == Truth::kTrue;
        all = all && t;
        any = any || t;
      }
      n.truth = Of(is_and ? all : any);
      n.detail = is_and ? (all ? "every part holds" : "a part does not hold") : (any ? "a part holds" : "no part holds");
      return n;
    }
  }
  return {};
}

// ---- filter patterns: terms, regex, space-delimited ---------------------------------------------------------
bool Blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

Node ExplainTerms(const filter::FilterAst& ast, std::string_view message, std::vector<std::string>& notes) {
  Node root;
  root.label = "all terms";
  bool ok = true, any_optional = false, optional_hit = false, optional_blank = false;
  for (const filter::Term& t : ast.terms) {
    Node n;
    n.span = t.span;
    n.label = SpanText(ast.text, t.span);
    if (t.mode == filter::TermMode::kExcluded && n.label.rfind('-', 0) != 0) n.label = "-" + n.label;
    if (t.mode == filter::TermMode::kOptional && n.label.rfind('?', 0) != 0) n.label = "?" + n.label;
    const bool found = message.find(t.text) != std::string_view::npos;
    const std::string shown = "\"" + t.text + "\"";
    switch (t.mode) {
      case filter::TermMode::kRequired:
        if (t.quoted && Blank(t.text)) {
          n.truth = Truth::kTrue;
          n.detail = "a blank quoted term matches every message";
        } else {
          n.truth = Of(found);
          n.detail = found ? shown + " occurs" : shown + " does not occur (terms are case-sensitive)";
        }
        break;
      case filter::TermMode::kExcluded:
        n.truth = Of(t.text.empty() || !found);
        n.detail = found ? shown + " occurs, and it is excluded" : shown + " does not occur";
        break;
      case filter::TermMode::kOptional:
        if (ast.optional_terms_ignored) {
          n.truth = Truth::kNotEvaluated;
          n.detail = "ignored: ?terms mixed with other terms are ignored (AWS)";
        } else {
          any_optional = true;
          optional_hit = optional_hit || found;
          optional_blank = optional_blank || (t.quoted && Blank(t.text));
          n.truth = Of(found);
          n.detail = found ? shown + " occurs" : shown + " does not occur";
        }
        break;
    }
    if (t.mode != filter::TermMode::kOptional && n.truth == Truth::kFalse) ok = false;
    root.children.push_back(std::move(n));
  }
  if (any_optional && !optional_hit && !optional_blank) {
    ok = false;
    notes.push_back("none of the ?optional terms occurs (one must)");
  }
  root.truth = Of(ok);
  return root;
}

Node ExplainDelimited(const filter::FilterAst& ast, const filter::CompiledPattern& cp, std::string_view message,
                      std::vector<std::pair<std::string, std::string>>& fields, std::vector<std::string>& notes) {
  Node root;
  root.label = "[...] fields";
  std::vector<engine::EventField> tokens;
  engine::TokenizeFields(message, &tokens);
  for (size_t i = 0; i < tokens.size(); ++i) {
    fields.emplace_back("$" + std::to_string(i + 1), std::string(message.substr(tokens[i].begin, tokens[i].end - tokens[i].begin)));
  }
  std::vector<engine::BoundField> bound;
  if (!engine::BindFields(cp, tokens, &bound)) {
    size_t fixed = 0;
    for (const filter::DelimitedField& f : ast.fields) fixed += f.kind != filter::DelimitedField::Kind::kEllipsis;
    root.truth = Truth::kFalse;
    root.detail = "the message has " + std::to_string(tokens.size()) + " field(s), the pattern needs " +
                  std::to_string(fixed);
    return root;
  }
  bool ok = true;
  for (const engine::BoundField& b : bound) {
    if (b.pattern_field < 0 || static_cast<size_t>(b.pattern_field) >= ast.fields.size()) continue;
    const filter::DelimitedField& f = ast.fields[static_cast<size_t>(b.pattern_field)];
    const std::string text(message.substr(b.begin, b.end - b.begin));
    Node n;
    n.span = f.span;
    n.label = SpanText(ast.text, f.span);
    const std::string name = f.kind == filter::DelimitedField::Kind::kNamed ? f.name : "$" + std::to_string(b.position);
    if (f.condition.any_of.empty()) {
      n.truth = Truth::kTrue;
      n.detail = name + " = \"" + text + "\" (no condition)";
    } else {
      bool any = false;
      for (const auto& conj : f.condition.any_of) {
        bool all = true;
        for (const filter::FieldCondition& fc : conj) all = all && TestText(fc.op, fc.value, text);
        any = any || all;
      }
      n.truth = Of(any);
      n.detail = name + " = \"" + text + "\"" + (any ? "" : ": the condition does not hold");
      ok = ok && any;
    }
    if (f.kind == filter::DelimitedField::Kind::kNamed) {
      for (auto& fl : fields) {
        if (fl.first == "$" + std::to_string(b.position)) fl.first += " (" + f.name + ")";
      }
    }
    root.children.push_back(std::move(n));
  }
  if (tokens.size() > bound.size()) notes.push_back("surplus fields are absorbed by the last pattern field");
  root.truth = Of(ok);
  return root;
}

}  // namespace

Result<Explanation> ExplainFilter(std::string_view pattern, std::string_view message) {
  Result<filter::FilterAst> ast = filter::AnalyzeFilterPattern(pattern);
  if (!ast.ok()) return ast.error();
  Result<std::shared_ptr<const filter::CompiledPattern>> compiled = filter::CompileFilterAst(ast.value());
  if (!compiled.ok()) return compiled.error();
  const filter::FilterAst& a = ast.value();
  Explanation x;
  x.kind = filter::PatternKindName(a.kind);
  engine::FilterSet set({compiled.value()}, false);
  engine::FilterScratch scratch;
  set.Evaluate(message, scratch);
  x.matched = set.Matched(0, scratch);
  switch (a.kind) {
    case filter::PatternKind::kMatchAll:
      x.root.label = "(every message)";
      x.root.truth = Truth::kTrue;
      x.root.detail = "an empty or blank pattern matches every message";
      break;
    case filter::PatternKind::kTerms:
      x.root = ExplainTerms(a, message, x.notes);
      break;
    case filter::PatternKind::kRegex:
      x.root.label = SpanText(a.text, a.regex.span);
      x.root.span = a.regex.span;
      x.root.truth = Of(RegexFinds(a.regex.re2, message));
      x.root.detail = x.root.truth == Truth::kTrue ? "the expression occurs in the message"
                                                   : "the expression does not occur in the message";
      break;
    case filter::PatternKind::kJson: {
      x.root.label = a.text;
      const size_t b = message.find_first_not_of(" \t\r\n");
      JsonValue root;
      std::string error;
      if (b == std::string_view::npos || (message[b] != '{' && message[b] != '[') ||
          !event::ParseJsonValue(message, &root, &error)) {
        x.root.truth = Truth::kFalse;
        x.root.detail = "the message is not JSON" + (error.empty() ? std::string() : " (" + error + ")") +
                        ": a JSON pattern matches nothing";
        x.notes.push_back("CloudWatch Logs reads a message that is not JSON as text: JSON patterns never match it");
        break;
      }
      x.root = ExplainJson(*a.json, root, a.text);
      break;
    }
    case filter::PatternKind::kDelimited:
      x.root = ExplainDelimited(a, *compiled.value(), message, x.fields, x.notes);
      break;
  }
  if (scratch.json_unparsed() && a.kind == filter::PatternKind::kJson) {
    x.notes.push_back("the engine could not parse the message as JSON (" + scratch.json_error() + ")");
  }
  if ((x.root.truth == Truth::kTrue) != x.matched) {
    x.notes.push_back(std::string("the engine's verdict (") + (x.matched ? "match" : "no match") +
                      ") differs from this reading at an edge case of the message: the verdict stands");
  }
  return x;
}

namespace {

// ---- event patterns -----------------------------------------------------------------------------------------
struct EventLeaf {
  const JsonValue* value;
};

void Leaves(const JsonValue& v, std::vector<const JsonValue*>& out, int depth) {
  if (depth > 256) return;
  if (v.type == JsonValue::kArray) {
    for (const JsonValue& e : v.elements) Leaves(e, out, depth + 1);
  } else if (v.type != JsonValue::kObject) {  // an object is no value: patterns match leaves only
    out.push_back(&v);
  }
}

// The leaves at a flattened path ("detail.eventName"), arrays entered; objects met on the way are walked by
// key. `missing` says where the path stopped.
void AtPath(const JsonValue& node, const std::vector<std::string>& parts, size_t i, std::string prefix,
            std::vector<const JsonValue*>& out, std::string& missing, int depth) {
  if (depth > 256) return;
  if (node.type == JsonValue::kArray) {
    for (const JsonValue& e : node.elements) AtPath(e, parts, i, prefix, out, missing, depth + 1);
    return;
  }
  if (i == parts.size()) {
    if (node.type != JsonValue::kObject) out.push_back(&node);
    else if (missing.empty()) missing = "`" + prefix + "` is an object, not a value";
    return;
  }
  if (node.type != JsonValue::kObject) {
    if (missing.empty()) missing = "`" + prefix + "` is " + Shown(node) + ", not an object";
    return;
  }
  if (const JsonValue* child = Member(node, parts[i])) {
    AtPath(*child, parts, i + 1, prefix.empty() ? parts[i] : prefix + "." + parts[i], out, missing, depth + 1);
    return;
  }
  if (missing.empty()) {
    std::vector<std::string> keys;
    for (const event::JsonMember& m : node.members) keys.push_back(m.key);
    const std::string near = NearestName(parts[i], keys);
    const std::string here = prefix.empty() ? parts[i] : prefix + "." + parts[i];
    missing = "`" + here + "` is not in the event" +
              (near.empty() ? "" : " (did you mean `" + (prefix.empty() ? near : prefix + "." + near) + "`?)");
  }
}

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t dot = path.find('.', start);
    parts.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

Node ExplainField(const event::Field& f, const JsonValue& ev, std::string_view pattern) {
  Node n;
  n.label = f.path + ": " + SpanText(pattern, f.span);
  n.span = f.span;
  // Event-ruler flattens nested keys and keys with dots alike; try the nested reading first.
  std::vector<const JsonValue*> leaves;
  std::string missing;
  AtPath(ev, SplitPath(f.path), 0, "", leaves, missing, 0);
  if (leaves.empty()) {
    if (const JsonValue* flat = Member(ev, f.path)) Leaves(*flat, leaves, 0);
  }
  bool wants_absent = false, wants_exists = false;
  for (const event::Matcher& m : f.values) {
    wants_absent = wants_absent || m.kind == event::MatchKind::kAbsent;
    wants_exists = wants_exists || m.kind == event::MatchKind::kExists;
  }
  if (leaves.empty()) {
    n.truth = Of(wants_absent);
    n.detail = (missing.empty() ? "`" + f.path + "` is not in the event" : missing) +
               (wants_absent ? ": {\"exists\": false} holds" : "");
    return n;
  }
  bool any = false;
  std::string seen;
  size_t shown = 0;
  for (const JsonValue* leaf : leaves) {
    std::string by;
    for (const event::Matcher& m : f.values) {
      if (m.kind == event::MatchKind::kExists) {
        by = SpanText(pattern, m.span);
        break;
      }
      if (m.kind == event::MatchKind::kAbsent) continue;
      if (engine::ReferenceValueMatches(m, *leaf)) {
        by = SpanText(pattern, m.span);
        break;
      }
    }
    any = any || !by.empty();
    if (shown++ < 5) seen += (seen.empty() ? "" : ", ") + Shown(*leaf) + (by.empty() ? " ✗" : " ✓ by " + by);
  }
  if (leaves.size() > 5) seen += ", ... (" + std::to_string(leaves.size()) + " values)";
  n.truth = Of(any);
  n.detail = "`" + f.path + "` = " + seen;
  if (!any && wants_absent) n.detail += " (the field exists: {\"exists\": false} does not hold)";
  return n;
}

}  // namespace

Result<Explanation> ExplainEvent(std::string_view pattern, std::string_view event_json) {
  Result<event::EventPattern> parsed = event::ParseEventPattern(pattern);
  if (!parsed.ok()) return parsed.error();
  const event::EventPattern& p = parsed.value();
  Explanation x;
  x.kind = "event";
  auto set = event::CompileRuleSet({std::make_shared<const event::EventPattern>(p)});
  engine::EventMatcher matcher(set, engine::FastPathEnabled(engine::FastPath::kWalk));
  engine::EventScratch scratch;
  matcher.Evaluate(event_json, scratch);
  x.matched = matcher.Matched(0, scratch);
  JsonValue ev;
  std::string error;
  if (!event::ParseJsonValue(event_json, &ev, &error) || ev.type != JsonValue::kObject) {
    x.root.label = "the event";
    x.root.truth = Truth::kFalse;
    x.root.detail = error.empty() ? "the event is not a JSON object: no pattern matches it"
                                  : "the event is not JSON (" + error + "): no pattern matches it";
    return x;
  }
  x.root.label = p.rules.size() > 1 ? "any of " + std::to_string(p.rules.size()) + " alternatives ($or)" : "every field";
  bool any_rule = false;
  for (const event::SubRule& rule : p.rules) {
    Node r;
    r.label = "every field";
    bool all = true;
    for (const event::Field& f : rule.fields) {
      r.children.push_back(ExplainField(f, ev, p.text));
      all = all && r.children.back().truth == Truth::kTrue;
    }
    r.truth = Of(all);
    any_rule = any_rule || all;
    if (p.rules.size() == 1) {
      x.root = std::move(r);
    } else {
      x.root.children.push_back(std::move(r));
    }
  }
  if (p.rules.size() > 1) x.root.truth = Of(any_rule);
  if (any_rule && !x.matched) {
    x.notes.push_back("each field matches on its own, but not within one element of an array: EventBridge matches "
                      "the fields of one rule against the same array element");
  } else if ((x.root.truth == Truth::kTrue) != x.matched) {
    x.notes.push_back(std::string("the engine's verdict (") + (x.matched ? "match" : "no match") +
                      ") differs from this reading at an edge case of the event: the verdict stands");
  }
  return x;
}

}  // namespace trailwatch::explain
