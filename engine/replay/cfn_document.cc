// cfn_document.cc: YAML (yaml-cpp) and JSON (nlohmann SAX) into the loader's Value tree; compact JSON out.
// Only entry points: ParseDocument(), ReadDocument(), ParseJsonValue(), ToCompactJson() and the helpers of
// cfn_document.h. No exception escapes: yaml-cpp throws, so its calls are wrapped here.
#include "engine/replay/cfn_document.h"

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>

namespace trailwatch::engine::cfn {

Value Value::String(std::string s, Mark m) {
  Value v;
  v.kind = Kind::kString;
  v.text = std::move(s);
  v.mark = m;
  return v;
}

Value Value::Plain(std::string s, Mark m) {
  Value v;
  v.kind = Kind::kPlain;
  v.text = std::move(s);
  v.mark = m;
  return v;
}

const Value* Value::Find(std::string_view k) const {
  if (kind != Kind::kMap) return nullptr;
  for (auto it = children.rbegin(); it != children.rend(); ++it) {
    if (it->key == k) return &*it;
  }
  return nullptr;
}

std::string Location(std::string_view path, Mark mark) {
  std::string out(path);
  if (mark.line > 0) out += ":" + std::to_string(mark.line) + ":" + std::to_string(mark.column);
  return out;
}

std::string PointerSegment(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

Diagnostic LoadError(std::string_view path, Mark mark, std::string pointer, std::string message, std::string hint) {
  Diagnostic d;
  d.exception = "ValidationError";
  d.message = Location(path, mark) + ": " + message;
  d.pointer = std::move(pointer);
  d.source = std::string(path);
  d.hint = std::move(hint);
  return d;
}

namespace {

// CloudFormation's YAML short forms and the long-form key each stands for.
constexpr std::array<std::pair<std::string_view, std::string_view>, 19> kShortForms = {{
    {"!Ref", "Ref"},
    {"!Condition", "Condition"},
    {"!Sub", "Fn::Sub"},
    {"!GetAtt", "Fn::GetAtt"},
    {"!Join", "Fn::Join"},
    {"!Select", "Fn::Select"},
    {"!Split", "Fn::Split"},
    {"!If", "Fn::If"},
    {"!Equals", "Fn::Equals"},
    {"!And", "Fn::And"},
    {"!Or", "Fn::Or"},
    {"!Not", "Fn::Not"},
    {"!FindInMap", "Fn::FindInMap"},
    {"!GetAZs", "Fn::GetAZs"},
    {"!Base64", "Fn::Base64"},
    {"!ImportValue", "Fn::ImportValue"},
    {"!Cidr", "Fn::Cidr"},
    {"!Length", "Fn::Length"},
    {"!ToJsonString", "Fn::ToJsonString"},
}};

Mark LineColumnOf(std::string_view text, size_t offset) {
  Mark m{1, 1};
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++m.line;
      m.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++m.column;
    }
  }
  return m;
}

class YamlConverter {
 public:
  explicit YamlConverter(const std::string& path) : path_(path) {}

  // Returns false (with error()) on the first problem.
  bool Convert(const YAML::Node& node, Value& out, int depth, std::string& pointer) {
    if (++nodes_ > kMaxNodes) {
      return Fail(node, pointer, "the document has more than " + std::to_string(kMaxNodes) +
                                     " nodes (YAML aliases expanded)");
    }
    if (depth > kMaxDepth) return Fail(node, pointer, "nesting deeper than " + std::to_string(kMaxDepth) + " levels");
    const YAML::Mark ym = node.Mark();
    out.mark = ym.line >= 0 ? Mark{static_cast<uint32_t>(ym.line) + 1, static_cast<uint32_t>(ym.column) + 1} : Mark{};
    const std::string& tag = node.Tag();
    if (!tag.empty() && tag[0] == '!' && tag != "!") {
      // A short-form intrinsic: the node becomes {"<long form>": <node without its tag>}.
      std::string_view long_form;
      for (const auto& [short_form, name] : kShortForms) {
        if (tag == short_form) long_form = name;
      }
      if (long_form.empty()) {
        return Fail(node, pointer, "unknown YAML tag " + tag,
                    "CloudFormation's short forms are !Ref, !Sub, !GetAtt, !Join, !Select, !Split, !If, !Equals, "
                    "!And, !Or, !Not, !FindInMap, !GetAZs, !Base64, !Condition");
      }
      Value inner;
      if (!ConvertUntagged(node, inner, depth, pointer)) return false;
      inner.key = std::string(long_form);
      out.kind = Value::Kind::kMap;
      out.children.push_back(std::move(inner));
      return true;
    }
    return ConvertUntagged(node, out, depth, pointer);
  }

  const Diagnostic& error() const { return *error_; }

 private:
  bool ConvertUntagged(const YAML::Node& node, Value& out, int depth, std::string& pointer) {
    const YAML::Mark ym = node.Mark();
    out.mark = ym.line >= 0 ? Mark{static_cast<uint32_t>(ym.line) + 1, static_cast<uint32_t>(ym.column) + 1} : Mark{};
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        out.kind = Value::Kind::kNull;
        return true;
      case YAML::NodeType::Scalar: {
        const std::string& tag = node.Tag();
        // "!" marks a quoted scalar; "?" a plain one; yaml.org tags (!!str, !!int) decide themselves.
        out.kind = (tag == "!" || tag == "tag:yaml.org,2002:str") ? Value::Kind::kString : Value::Kind::kPlain;
        out.text = node.Scalar();
        return true;
      }
      case YAML::NodeType::Sequence: {
        out.kind = Value::Kind::kSequence;
        size_t i = 0;
        for (const YAML::Node& item : node) {
          const size_t len = pointer.size();
          pointer += "/" + std::to_string(i++);
          Value v;
          if (!Convert(item, v, depth + 1, pointer)) return false;
          pointer.resize(len);
          out.children.push_back(std::move(v));
        }
        return true;
      }
      case YAML::NodeType::Map: {
        out.kind = Value::Kind::kMap;
        for (const auto& kv : node) {
          const YAML::Node& k = kv.first;
          if (!k.IsScalar()) return Fail(k, pointer, "a map key must be a string");
          const size_t len = pointer.size();
          pointer += "/" + PointerSegment(k.Scalar());
          Value v;
          if (!Convert(kv.second, v, depth + 1, pointer)) return false;
          pointer.resize(len);
          v.key = k.Scalar();
          const YAML::Mark km = k.Mark();
          if (km.line >= 0) v.key_mark = {static_cast<uint32_t>(km.line) + 1, static_cast<uint32_t>(km.column) + 1};
          out.children.push_back(std::move(v));
        }
        return true;
      }
    }
    return Fail(node, pointer, "unsupported YAML node");
  }

  bool Fail(const YAML::Node& node, const std::string& pointer, std::string message, std::string hint = {}) {
    const YAML::Mark ym = node.Mark();
    Mark m = ym.line >= 0 ? Mark{static_cast<uint32_t>(ym.line) + 1, static_cast<uint32_t>(ym.column) + 1} : Mark{};
    error_ = LoadError(path_, m, pointer, std::move(message), std::move(hint));
    return false;
  }

  const std::string& path_;
  size_t nodes_ = 0;
  std::optional<Diagnostic> error_;
};

Result<Value> ParseYaml(std::string_view text, const std::string& path) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    YamlConverter conv(path);
    Value out;
    std::string pointer;
    if (!conv.Convert(root, out, 0, pointer)) return conv.error();
    return out;
  } catch (const YAML::Exception& e) {
    Mark m = e.mark.line >= 0 ? Mark{static_cast<uint32_t>(e.mark.line) + 1, static_cast<uint32_t>(e.mark.column) + 1}
                              : Mark{};
    std::string msg = e.msg.empty() ? std::string(e.what()) : e.msg;
    return LoadError(path, m, "", "not valid YAML: " + msg);
  } catch (const std::exception& e) {
    return LoadError(path, {}, "", std::string("cannot read the YAML: ") + e.what());
  }
}

// Builds a Value from nlohmann's SAX events; containers are kept on an explicit stack (no recursion).
class JsonBuilder : public nlohmann::json::json_sax_t {
 public:
  bool null() override { return Add(Value{}); }
  bool boolean(bool b) override { return Add(Value::Plain(b ? "true" : "false")); }
  bool number_integer(number_integer_t n) override { return Add(Value::Plain(std::to_string(n))); }
  bool number_unsigned(number_unsigned_t n) override { return Add(Value::Plain(std::to_string(n))); }
  bool number_float(number_float_t, const string_t& s) override { return Add(Value::Plain(s)); }
  bool string(string_t& s) override { return Add(Value::String(std::move(s))); }
  bool binary(binary_t&) override { return Add(Value::String("")); }
  bool start_object(std::size_t) override { return Open(Value::Kind::kMap); }
  bool key(string_t& k) override {
    key_ = std::move(k);
    return true;
  }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(Value::Kind::kSequence); }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
    error_position_ = position;
    std::string what = ex.what();
    size_t syntax = what.find("syntax error");
    error_message_ = syntax == std::string::npos ? what : what.substr(syntax);
    return false;
  }

  std::optional<std::string> limit_error;
  std::string error_message_;
  size_t error_position_ = 0;
  Value root;

 private:
  bool Count() {
    if (++nodes_ > kMaxNodes) {
      limit_error = "the document has more than " + std::to_string(kMaxNodes) + " nodes";
      return false;
    }
    return true;
  }
  bool Add(Value v) {
    if (!Count()) return false;
    if (stack_.empty()) {
      root = std::move(v);
      return true;
    }
    Value& top = stack_.back();
    if (top.kind == Value::Kind::kMap) v.key = std::move(key_);
    top.children.push_back(std::move(v));
    return true;
  }
  bool Open(Value::Kind kind) {
    if (!Count()) return false;
    if (static_cast<int>(stack_.size()) >= kMaxDepth) {
      limit_error = "nesting deeper than " + std::to_string(kMaxDepth) + " levels";
      return false;
    }
    Value v;
    v.kind = kind;
    if (!stack_.empty() && stack_.back().kind == Value::Kind::kMap) v.key = std::move(key_);
    stack_.push_back(std::move(v));
    return true;
  }
  bool Close() {
    Value v = std::move(stack_.back());
    stack_.pop_back();
    if (stack_.empty()) {
      root = std::move(v);
    } else {
      stack_.back().children.push_back(std::move(v));
    }
    return true;
  }

  std::vector<Value> stack_;
  std::string key_;
  size_t nodes_ = 0;
};

Result<Value> ParseJson(std::string_view text, const std::string& path) {
  JsonBuilder builder;
  bool ok = false;
  try {
    ok = nlohmann::json::sax_parse(text.begin(), text.end(), &builder);
  } catch (const std::exception& e) {
    return LoadError(path, {}, "", std::string("not valid JSON: ") + e.what());
  }
  if (ok) return std::move(builder.root);
  if (builder.limit_error) return LoadError(path, {}, "", *builder.limit_error);
  size_t at = builder.error_position_ > 0 ? builder.error_position_ - 1 : 0;
  return LoadError(path, LineColumnOf(text, at), "", "not valid JSON: " + builder.error_message_);
}

bool LooksLikeJson(std::string_view text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' || c == '[';
  }
  return false;
}

bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

void AppendJson(const Value& v, std::string& out) {
  switch (v.kind) {
    case Value::Kind::kNull:
    case Value::Kind::kNoValue:
      out += "null";
      return;
    case Value::Kind::kString:
      out += JsonQuote(v.text);
      return;
    case Value::Kind::kPlain: {
      const std::string& t = v.text;
      if (t == "true" || t == "True" || t == "TRUE") {
        out += "true";
      } else if (t == "false" || t == "False" || t == "FALSE") {
        out += "false";
      } else if (t == "null" || t == "Null" || t == "NULL" || t == "~") {
        out += "null";
      } else if (IsJsonNumber(t)) {
        out += t;
      } else {
        out += JsonQuote(t);
      }
      return;
    }
    case Value::Kind::kSequence: {
      out += '[';
      bool first = true;
      for (const Value& c : v.children) {
        if (c.kind == Value::Kind::kNoValue) continue;
        if (!first) out += ',';
        first = false;
        AppendJson(c, out);
      }
      out += ']';
      return;
    }
    case Value::Kind::kMap: {
      out += '{';
      bool first = true;
      for (const Value& c : v.children) {
        if (c.kind == Value::Kind::kNoValue) continue;
        if (!first) out += ',';
        first = false;
        out += JsonQuote(c.key);
        out += ':';
        AppendJson(c, out);
      }
      out += '}';
      return;
    }
  }
}

}  // namespace

std::string JsonQuote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return out;
}

std::string ToCompactJson(const Value& v) {
  std::string out;
  AppendJson(v, out);
  return out;
}

Result<Value> ParseJsonValue(std::string_view text, const std::string& path) { return ParseJson(text, path); }

Result<Document> ParseDocument(std::string_view text, const std::string& path, Syntax syntax) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 byte order mark
  if (text.size() > kMaxFileBytes) {
    return LoadError(path, {}, "", "larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB");
  }
  const bool json_name = path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  if (syntax == Syntax::kAuto && json_name) syntax = Syntax::kJson;
  if (syntax == Syntax::kAuto && LooksLikeJson(text)) {
    // Looks like JSON: read it as JSON; if that fails it may be a YAML flow collection ({Resources: ...}),
    // and if YAML fails too, the JSON error is the one that helps.
    Result<Value> json = ParseJson(text, path);
    if (json.ok()) return Document{path, std::move(json).value()};
    Result<Value> yaml = ParseYaml(text, path);
    if (yaml.ok()) return Document{path, std::move(yaml).value()};
    return json.error();
  }
  Result<Value> root = syntax == Syntax::kJson ? ParseJson(text, path) : ParseYaml(text, path);
  if (!root.ok()) return root.error();
  return Document{path, std::move(root).value()};
}

Result<Document> ReadDocument(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return LoadError(path, {}, "", "cannot open the file");
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxFileBytes) {
      return LoadError(path, {}, "", "larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB");
    }
  }
  if (in.bad()) return LoadError(path, {}, "", "cannot read the file");
  return ParseDocument(text, path);
}

}  // namespace trailwatch::engine::cfn
