// document.cc: JSON (nlohmann SAX) into the loader's Value tree, the choice between JSON and YAML
// (yaml.cc), the Budget's helpers, compact JSON out. Only entry points: those of document.h. No
// exception escapes: nlohmann's are caught here, yaml-cpp's in yaml.cc.
#include "engine/setup/cloudformation/document.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <vector>

#include "engine/setup/cloudformation/yaml.h"
#include "patterns/common/json_number.h"

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

size_t CopyBytes(const Value& v, size_t cap) {
  size_t total = kNodeBytes + v.text.size();
  for (const Value& c : v.children) {
    if (total > cap) break;
    total += c.key.size() + CopyBytes(c, cap - std::min(cap, total));
  }
  return total;
}

Diagnostic BudgetError(std::string_view path, Mark mark, std::string pointer) {
  return LoadError(path, mark, std::move(pointer),
                   "the document expands to more than " + std::to_string(kMaxExpandedBytes >> 20) +
                       " MiB (YAML aliases expanded, intrinsic functions evaluated in each Region, JSON texts)",
                   "each YAML alias is a copy of its anchor's value, each intrinsic function result a new value, "
                   "and each Region has its own copy of a resource's properties");
}

namespace {

// 1-based line and column (in code points) of a byte offset: where JSON errors are.
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

// Builds a Value from nlohmann's SAX events; containers are kept on an explicit stack (no recursion). Every
// node is counted, its depth checked (root = 0) and charged to the Budget before it is made.
class JsonBuilder : public nlohmann::json::json_sax_t {
 public:
  explicit JsonBuilder(Budget& budget) : budget_(budget) {}

  bool null() override { return Add(Value{}); }
  bool boolean(bool b) override { return Add(Value::Plain(b ? "true" : "false")); }
  bool number_integer(number_integer_t n) override { return Add(Value::Plain(std::to_string(n))); }
  bool number_unsigned(number_unsigned_t n) override { return Add(Value::Plain(std::to_string(n))); }
  bool number_float(number_float_t, const string_t& s) override { return Add(Value::Plain(s)); }
  bool string(string_t& s) override { return Add(Value::String(std::move(s))); }
  bool binary(binary_t&) override { return Add(Value::String("")); }
  bool start_object(std::size_t) override { return Open(Value::Kind::kMap); }
  bool key(string_t& k) override {
    if (!budget_.Take(k.size())) return Limit(Kind::kBudget);
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

  // A limit that stopped the parse.
  enum class Kind { kNone, kNodes, kDepth, kBudget };
  Kind limit = Kind::kNone;
  std::string limit_pointer;  // of the node that would have gone over
  std::string error_message_;
  size_t error_position_ = 0;
  Value root;

 private:
  // The pointer of the node about to be added.
  std::string PointerOfNext() const {
    std::string out;
    for (size_t i = 0; i < stack_.size(); ++i) {
      const Value& parent = stack_[i];
      const bool last = i + 1 == stack_.size();
      if (parent.kind == Value::Kind::kMap) {
        out += "/" + PointerSegment(last ? key_ : stack_[i + 1].key);
      } else {
        out += "/" + std::to_string(parent.children.size());
      }
    }
    return out;
  }
  bool Limit(Kind kind) {
    limit = kind;
    limit_pointer = PointerOfNext();
    return false;
  }
  // The checks for a node of `text_bytes` about to be added at the top of the stack.
  bool Check(size_t text_bytes) {
    if (++nodes_ > kMaxNodes) return Limit(Kind::kNodes);
    if (static_cast<int>(stack_.size()) > kMaxDepth) return Limit(Kind::kDepth);
    if (!budget_.Take(kNodeBytes + text_bytes)) return Limit(Kind::kBudget);
    return true;
  }
  bool Add(Value v) {
    if (!Check(v.text.size())) return false;
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
    if (!Check(0)) return false;
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

  Budget& budget_;
  std::vector<Value> stack_;
  std::string key_;
  size_t nodes_ = 0;
};

// Where the first JSON value nested deeper than kMaxDepth starts (root = 0), for the nesting error: the
// SAX events carry no position. The text is valid JSON up to there (nlohmann read it).
Mark JsonDepthMark(std::string_view t) {
  std::vector<char> open;  // at most kMaxDepth + 1 deep: the scan stops at the first value deeper
  bool expect_key = false;
  size_t i = 0;
  auto skip_string = [&] {
    for (++i; i < t.size() && t[i] != '"'; ++i) {
      if (t[i] == '\\') ++i;
    }
    ++i;
  };
  while (i < t.size()) {
    const char c = t[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ':') {
      ++i;
    } else if (c == ',') {
      expect_key = !open.empty() && open.back() == '{';
      ++i;
    } else if (c == ']' || c == '}') {
      if (!open.empty()) open.pop_back();
      expect_key = false;
      ++i;
    } else if (c == '"' && expect_key) {
      skip_string();
      expect_key = false;
    } else if (static_cast<int>(open.size()) > kMaxDepth) {
      return LineColumnOf(t, i);
    } else if (c == '[' || c == '{') {
      open.push_back(c);
      expect_key = c == '{';
      ++i;
    } else if (c == '"') {
      skip_string();
    } else {
      while (i < t.size() && std::string_view(" \t\r\n,:]}").find(t[i]) == std::string_view::npos) ++i;
    }
  }
  return {};
}

struct JsonRead {
  Result<Value> value;
  bool limit;  // stopped by a limit (no YAML reading could do better)
};

JsonRead ParseJson(std::string_view text, const std::string& path, Budget& budget) {
  JsonBuilder builder(budget);
  bool ok = false;
  try {
    ok = nlohmann::json::sax_parse(text.begin(), text.end(), &builder);
  } catch (const std::exception& e) {
    return {LoadError(path, {}, "", std::string("not valid JSON: ") + e.what()), false};
  }
  if (ok) return {std::move(builder.root), false};
  switch (builder.limit) {
    case JsonBuilder::Kind::kNodes:
      return {LoadError(path, {}, builder.limit_pointer,
                        "the document has more than " + std::to_string(kMaxNodes) + " nodes"),
              true};
    case JsonBuilder::Kind::kDepth:
      return {LoadError(path, JsonDepthMark(text), builder.limit_pointer,
                        "nesting deeper than " + std::to_string(kMaxDepth) + " levels"),
              true};
    case JsonBuilder::Kind::kBudget:
      return {BudgetError(path, {}, builder.limit_pointer), true};
    case JsonBuilder::Kind::kNone:
      break;
  }
  size_t at = builder.error_position_ > 0 ? builder.error_position_ - 1 : 0;
  return {LoadError(path, LineColumnOf(text, at), "", "not valid JSON: " + builder.error_message_), false};
}

bool LooksLikeJson(std::string_view text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' || c == '[';
  }
  return false;
}

// The JSON writer, over a sink that appends (StringSink) or only counts (CountSink): one code for the text
// and its size, so a Budget can be charged the exact size first.
struct StringSink {
  std::string& out;
  void Put(char c) { out += c; }
  void Put(std::string_view s) { out.append(s); }
};
struct CountSink {
  size_t n = 0;
  void Put(char) { ++n; }
  void Put(std::string_view s) { n += s.size(); }
};

template <class Sink>
void WriteQuoted(std::string_view s, Sink& out) {
  out.Put('"');
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out.Put("\\\""); break;
      case '\\': out.Put("\\\\"); break;
      case '\b': out.Put("\\b"); break;
      case '\f': out.Put("\\f"); break;
      case '\n': out.Put("\\n"); break;
      case '\r': out.Put("\\r"); break;
      case '\t': out.Put("\\t"); break;
      default:
        if (c < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out.Put("\\u00");
          out.Put(kHex[c >> 4]);
          out.Put(kHex[c & 15]);
        } else {
          out.Put(ch);
        }
    }
  }
  out.Put('"');
}

template <class Sink>
void WriteJson(const Value& v, Sink& out) {
  switch (v.kind) {
    case Value::Kind::kNull:
    case Value::Kind::kNoValue:
      out.Put("null");
      return;
    case Value::Kind::kString:
      WriteQuoted(v.text, out);
      return;
    case Value::Kind::kPlain: {
      const std::string& t = v.text;
      if (t == "true" || t == "True" || t == "TRUE") {
        out.Put("true");
      } else if (t == "false" || t == "False" || t == "FALSE") {
        out.Put("false");
      } else if (t == "null" || t == "Null" || t == "NULL" || t == "~") {
        out.Put("null");
      } else if (IsJsonNumber(t)) {
        out.Put(t);
      } else {
        WriteQuoted(t, out);
      }
      return;
    }
    case Value::Kind::kSequence:
    case Value::Kind::kMap: {
      const bool map = v.kind == Value::Kind::kMap;
      out.Put(map ? '{' : '[');
      bool first = true;
      for (const Value& c : v.children) {
        if (c.kind == Value::Kind::kNoValue) continue;
        if (!first) out.Put(',');
        first = false;
        if (map) {
          WriteQuoted(c.key, out);
          out.Put(':');
        }
        WriteJson(c, out);
      }
      out.Put(map ? '}' : ']');
      return;
    }
  }
}

}  // namespace

std::string JsonQuote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  StringSink sink{out};
  WriteQuoted(s, sink);
  return out;
}

size_t CompactJsonSize(const Value& v) {
  CountSink sink;
  WriteJson(v, sink);
  return sink.n;
}

std::string ToCompactJson(const Value& v) {
  std::string out;
  out.reserve(CompactJsonSize(v));
  StringSink sink{out};
  WriteJson(v, sink);
  return out;
}

Result<Value> ParseJsonValue(std::string_view text, const std::string& path, Budget& budget) {
  return ParseJson(text, path, budget).value;
}

Result<Document> ParseDocument(std::string_view text, const std::string& path, Syntax syntax) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 byte order mark
  if (text.size() > kMaxFileBytes) {
    return LoadError(path, {}, "", "larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB");
  }
  const bool json_name = path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  if (syntax == Syntax::kAuto && json_name) syntax = Syntax::kJson;
  if (syntax == Syntax::kAuto && LooksLikeJson(text)) {
    // Looks like JSON: read it as JSON; if that fails it may be a YAML flow collection ({Resources: ...}),
    // and if YAML fails too, the JSON error is the one that helps. A limit is final: YAML reads JSON text
    // to the same tree, so it would stop there too.
    Budget json_budget;
    JsonRead json = ParseJson(text, path, json_budget);
    if (json.value.ok()) return Document{path, std::move(json.value).value(), json_budget};
    if (json.limit) return json.value.error();
    Budget yaml_budget;
    bool yaml_limit = false;
    Result<Value> yaml = ReadYaml(text, path, yaml_budget, &yaml_limit);
    if (yaml.ok()) return Document{path, std::move(yaml).value(), yaml_budget};
    return yaml_limit ? yaml.error() : json.value.error();  // a YAML limit: it was YAML up to there
  }
  Budget budget;
  Result<Value> root =
      syntax == Syntax::kJson ? ParseJson(text, path, budget).value : ReadYaml(text, path, budget);
  if (!root.ok()) return root.error();
  return Document{path, std::move(root).value(), budget};
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
