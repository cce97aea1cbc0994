// intrinsics.cc: evaluation of CloudFormation intrinsic functions, charged to the Scope's Budget. Only
// entry points: Evaluate(), EvaluateCondition(), IsIntrinsic().
#include "engine/setup/cloudformation/intrinsics.h"

#include <charconv>
#include <string_view>
#include <vector>

namespace trailwatch::engine::cfn {

bool IsIntrinsic(const Value& v) {
  if (v.kind != Value::Kind::kMap || v.children.size() != 1) return false;
  const std::string& k = v.children[0].key;
  return k == "Ref" || k == "Condition" || k.compare(0, 4, "Fn::") == 0;
}

namespace {

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < in.size()) {
    uint32_t n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

class Evaluator {
 public:
  Evaluator(Scope& scope, const std::string& pointer) : scope_(scope), ptr_(pointer) {}

  Result<Value> Eval(const Value& v, int depth) {
    if (depth > 2 * kMaxDepth) return Fail(v, "intrinsic functions nested too deeply");
    if (IsIntrinsic(v)) return Call(v, depth);
    if (!Take(kNodeBytes + v.text.size() + v.key.size())) return OverBudget(v);
    if (v.kind != Value::Kind::kMap && v.kind != Value::Kind::kSequence) return v;
    Value out;
    out.kind = v.kind;
    out.key = v.key;
    out.mark = v.mark;
    size_t i = 0;
    for (const Value& c : v.children) {
      const size_t len = Push(v.kind == Value::Kind::kMap ? PointerSegment(c.key) : std::to_string(i));
      ++i;
      Result<Value> r = Eval(c, depth + 1);
      ptr_.resize(len);
      if (!r.ok()) return r;
      if (r->kind == Value::Kind::kNoValue) continue;
      r->key = c.key;
      out.children.push_back(std::move(r).value());
    }
    return out;
  }

  Result<bool> Condition(const Value& v, int depth) {
    if (depth > 2 * kMaxDepth) return Fail(v, "condition functions nested too deeply");
    if (!IsIntrinsic(v)) {
      // A literal: CloudFormation accepts "true"/"false" where a condition is expected.
      if (v.IsScalar() && (v.text == "true" || v.text == "false")) return v.text == "true";
      return Fail(v, "expected a condition function (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition)");
    }
    const Value& arg = v.children[0];
    const std::string& fn = arg.key;
    const size_t len = Push(PointerSegment(fn));
    Result<bool> r = ConditionCall(fn, arg, v, depth);
    ptr_.resize(len);
    return r;
  }

 private:
  size_t Push(const std::string& segment) {
    const size_t len = ptr_.size();
    ptr_ += '/';
    ptr_ += segment;
    return len;
  }

  Diagnostic Fail(const Value& at, std::string message, std::string hint = {}) {
    return LoadError(scope_.path(), at.mark, ptr_, std::move(message), std::move(hint));
  }

  // Charges the Budget for what is about to be made; false (then return OverBudget()) when it is spent.
  bool Take(size_t bytes) { return scope_.budget().Take(bytes); }
  Diagnostic OverBudget(const Value& at) { return BudgetError(scope_.path(), at.mark, ptr_); }

  // The argument evaluated, then required to be a scalar (its text).
  Result<std::string> ScalarArg(const Value& arg, int depth, std::string_view fn, std::string_view what) {
    Result<Value> r = Eval(arg, depth + 1);
    if (!r.ok()) return r.error();
    if (!r->IsScalar()) return Fail(arg, std::string(fn) + ": " + std::string(what) + " must be a string");
    return std::move(r->text);
  }

  Result<Value> ListArg(const Value& arg, int depth, std::string_view fn, std::string_view what) {
    Result<Value> r = Eval(arg, depth + 1);
    if (!r.ok()) return r;
    if (!r->IsSequence()) return Fail(arg, std::string(fn) + ": " + std::string(what) + " must be a list");
    return r;
  }

  Result<Value> Call(const Value& v, int depth) {
    const Value& arg = v.children[0];
    const std::string& fn = arg.key;
    const size_t len = Push(PointerSegment(fn));
    Result<Value> r = CallInner(fn, arg, v, depth);
    ptr_.resize(len);
    if (r.ok() && r->mark.line == 0) r->mark = v.mark;
    return r;
  }

  Result<Value> CallInner(const std::string& fn, const Value& arg, const Value& call, int depth) {
    if (fn == "Ref") {
      Result<std::string> name = ScalarArg(arg, depth, "Ref", "the name");
      if (!name.ok()) return name.error();
      return scope_.Ref(*name, call, ptr_);
    }
    if (fn == "Fn::GetAtt") return GetAtt(arg, call, depth);
    if (fn == "Fn::Sub") return Sub(arg, call, depth);
    if (fn == "Fn::Join") return Join(arg, depth);
    if (fn == "Fn::Select") return Select(arg, depth);
    if (fn == "Fn::Split") return Split(arg, depth);
    if (fn == "Fn::If") return If(arg, depth);
    if (fn == "Fn::FindInMap") return FindInMap(arg, depth);
    if (fn == "Fn::GetAZs") {
      Result<std::string> region = ScalarArg(arg, depth, fn, "the Region");
      if (!region.ok()) return region.error();
      std::string r = region->empty() ? scope_.region() : *region;
      if (!Take(4 * kNodeBytes + 3 * (r.size() + 1))) return OverBudget(arg);
      Value out;
      out.kind = Value::Kind::kSequence;
      for (const char* az : {"a", "b", "c"}) out.children.push_back(Value::String(r + az, arg.mark));
      return out;
    }
    if (fn == "Fn::Base64") {
      Result<std::string> s = ScalarArg(arg, depth, fn, "the argument");
      if (!s.ok()) return s.error();
      if (!Take(kNodeBytes + (s->size() + 2) / 3 * 4)) return OverBudget(arg);
      return Value::String(Base64(*s), arg.mark);
    }
    if (fn == "Fn::Length") {
      Result<Value> list = ListArg(arg, depth, fn, "the argument");
      if (!list.ok()) return list;
      if (!Take(kNodeBytes + 20)) return OverBudget(arg);
      return Value::Plain(std::to_string(list->children.size()), arg.mark);
    }
    if (fn == "Fn::ToJsonString") {
      Result<Value> r = Eval(arg, depth + 1);
      if (!r.ok()) return r;
      if (!r->IsMap() && !r->IsSequence()) return Fail(arg, "Fn::ToJsonString: the argument must be a map or a list");
      if (!Take(kNodeBytes + CompactJsonSize(*r))) return OverBudget(arg);
      return Value::String(ToCompactJson(*r), arg.mark);
    }
    if (fn == "Fn::Equals" || fn == "Fn::And" || fn == "Fn::Or" || fn == "Fn::Not" || fn == "Condition") {
      Result<bool> b = ConditionCall(fn, arg, call, depth);
      if (!b.ok()) return b.error();
      if (!Take(kNodeBytes + 5)) return OverBudget(call);
      return Value::Plain(*b ? "true" : "false", call.mark);
    }
    if (fn == "Fn::ImportValue" || fn == "Fn::Cidr" || fn == "Fn::Transform" || fn.compare(0, 11, "Fn::ForEach") == 0) {
      return Fail(call, fn + " cannot be evaluated offline",
                  fn == "Fn::ImportValue" ? "replace it with the exported value (a Parameter with that Default works)"
                                          : "");
    }
    return Fail(call, "unknown intrinsic function " + fn,
                "the functions are Ref, Fn::Sub, Fn::GetAtt, Fn::Join, Fn::Select, Fn::Split, Fn::If, Fn::Equals, "
                "Fn::And, Fn::Or, Fn::Not, Fn::FindInMap, Fn::GetAZs, Fn::Base64");
  }

  Result<Value> GetAtt(const Value& arg, const Value& call, int depth) {
    std::string resource, attribute;
    if (arg.IsScalar()) {
      size_t dot = arg.text.find('.');
      if (dot == std::string::npos || dot == 0 || dot + 1 == arg.text.size()) {
        return Fail(arg, "Fn::GetAtt: expected Resource.Attribute, got `" + arg.text + "`");
      }
      resource = arg.text.substr(0, dot);
      attribute = arg.text.substr(dot + 1);
    } else if (arg.IsSequence() && arg.children.size() == 2) {
      Result<std::string> r = ScalarArg(arg.children[0], depth, "Fn::GetAtt", "the resource name");
      if (!r.ok()) return r.error();
      Result<std::string> a = ScalarArg(arg.children[1], depth, "Fn::GetAtt", "the attribute name");
      if (!a.ok()) return a.error();
      resource = std::move(*r);
      attribute = std::move(*a);
    } else {
      return Fail(arg, "Fn::GetAtt: expected [Resource, Attribute] or \"Resource.Attribute\"");
    }
    return scope_.GetAtt(resource, attribute, call, ptr_);
  }

  Result<Value> Sub(const Value& arg, const Value& call, int depth) {
    const Value* text = &arg;
    const Value* vars = nullptr;
    if (arg.IsSequence()) {
      if (arg.children.size() != 2 || !arg.children[0].IsScalar() || !arg.children[1].IsMap()) {
        return Fail(arg, "Fn::Sub: expected a string or [string, {Name: value, ...}]");
      }
      text = &arg.children[0];
      vars = &arg.children[1];
    } else if (!arg.IsScalar()) {
      return Fail(arg, "Fn::Sub: expected a string or [string, {Name: value, ...}]");
    }
    const std::string& s = text->text;
    if (!Take(kNodeBytes)) return OverBudget(call);
    std::string out;
    // Appends to the result, charged first.
    auto append = [&](std::string_view piece) {
      if (!Take(piece.size())) return false;
      out.append(piece);
      return true;
    };
    size_t i = 0;
    while (i < s.size()) {
      size_t open = s.find("${", i);
      if (open == std::string::npos) {
        if (!append(std::string_view(s).substr(i))) return OverBudget(call);
        break;
      }
      if (!append(std::string_view(s).substr(i, open - i))) return OverBudget(call);
      size_t close = s.find('}', open + 2);
      if (close == std::string::npos) {
        if (!append(std::string_view(s).substr(open))) return OverBudget(call);  // no closing brace: literal
        break;
      }
      std::string_view name = std::string_view(s).substr(open + 2, close - open - 2);
      i = close + 1;
      if (!name.empty() && name[0] == '!') {  // ${!Literal} is the text ${Literal}
        if (!append("${") || !append(name.substr(1)) || !append("}")) return OverBudget(call);
        continue;
      }
      if (name.empty()) return Fail(*text, "Fn::Sub: empty variable ${}");
      Result<Value> value = Var(std::string(name), vars, call, depth);
      if (!value.ok()) return value;
      if (!value->IsScalar()) {
        return Fail(*text, "Fn::Sub: ${" + std::string(name) +
                               "} is not a string (a list or map cannot be substituted)");
      }
      if (!append(value->text)) return OverBudget(call);
    }
    return Value::String(std::move(out), call.mark);
  }

  Result<Value> Var(const std::string& name, const Value* vars, const Value& call, int depth) {
    if (vars != nullptr) {
      if (const Value* v = vars->Find(name)) {
        const size_t len = Push("1/" + PointerSegment(name));
        Result<Value> r = Eval(*v, depth + 1);
        ptr_.resize(len);
        return r;
      }
    }
    size_t dot = name.find('.');
    if (dot != std::string::npos && scope_.IsResource(name.substr(0, dot))) {
      return scope_.GetAtt(name.substr(0, dot), name.substr(dot + 1), call, ptr_);
    }
    return scope_.Ref(name, call, ptr_);
  }

  Result<Value> Join(const Value& arg, int depth) {
    if (!arg.IsSequence() || arg.children.size() != 2) return Fail(arg, "Fn::Join: expected [delimiter, [values]]");
    Result<std::string> delim = ScalarArg(arg.children[0], depth, "Fn::Join", "the delimiter");
    if (!delim.ok()) return delim.error();
    Result<Value> list = ListArg(arg.children[1], depth, "Fn::Join", "the second argument");
    if (!list.ok()) return list;
    size_t size = 0;
    for (const Value& item : list->children) {
      if (!item.IsScalar()) return Fail(arg.children[1], "Fn::Join: every value joined must be a string");
      size += item.text.size() + delim->size();
    }
    if (!Take(kNodeBytes + size)) return OverBudget(arg);
    std::string out;
    out.reserve(size);
    bool first = true;
    for (const Value& item : list->children) {
      if (!first) out += *delim;
      first = false;
      out += item.text;
    }
    return Value::String(std::move(out), arg.mark);
  }

  Result<Value> Select(const Value& arg, int depth) {
    if (!arg.IsSequence() || arg.children.size() != 2) return Fail(arg, "Fn::Select: expected [index, [values]]");
    Result<std::string> index = ScalarArg(arg.children[0], depth, "Fn::Select", "the index");
    if (!index.ok()) return index.error();
    size_t n = 0;
    auto [p, ec] = std::from_chars(index->data(), index->data() + index->size(), n);
    if (ec != std::errc() || p != index->data() + index->size()) {
      return Fail(arg.children[0], "Fn::Select: the index `" + *index + "` is not a non-negative integer");
    }
    Result<Value> list = ListArg(arg.children[1], depth, "Fn::Select", "the second argument");
    if (!list.ok()) return list;
    if (n >= list->children.size()) {
      return Fail(arg, "Fn::Select: index " + *index + " is out of range (the list has " +
                           std::to_string(list->children.size()) + " values)");
    }
    Value out = std::move(list->children[n]);
    out.key.clear();
    return out;
  }

  Result<Value> Split(const Value& arg, int depth) {
    if (!arg.IsSequence() || arg.children.size() != 2) return Fail(arg, "Fn::Split: expected [delimiter, string]");
    Result<std::string> delim = ScalarArg(arg.children[0], depth, "Fn::Split", "the delimiter");
    if (!delim.ok()) return delim.error();
    if (delim->empty()) return Fail(arg.children[0], "Fn::Split: the delimiter is empty");
    Result<std::string> source = ScalarArg(arg.children[1], depth, "Fn::Split", "the string");
    if (!source.ok()) return source.error();
    if (!Take(kNodeBytes)) return OverBudget(arg);
    Value out;
    out.kind = Value::Kind::kSequence;
    out.mark = arg.mark;
    size_t start = 0;
    while (true) {
      size_t at = source->find(*delim, start);
      const size_t length = (at == std::string::npos ? source->size() : at) - start;
      if (!Take(kNodeBytes + length)) return OverBudget(arg);
      out.children.push_back(Value::String(source->substr(start, length), arg.mark));
      if (at == std::string::npos) break;
      start = at + delim->size();
    }
    return out;
  }

  Result<Value> If(const Value& arg, int depth) {
    if (!arg.IsSequence() || arg.children.size() != 3 || !arg.children[0].IsScalar()) {
      return Fail(arg, "Fn::If: expected [condition name, value if true, value if false]");
    }
    Result<bool> cond = scope_.Condition(arg.children[0].text, arg.children[0], ptr_ + "/0");
    if (!cond.ok()) return cond.error();
    const size_t len = Push(*cond ? "1" : "2");
    Result<Value> r = Eval(arg.children[*cond ? 1 : 2], depth + 1);
    ptr_.resize(len);
    return r;
  }

  Result<Value> FindInMap(const Value& arg, int depth) {
    if (!arg.IsSequence() || arg.children.size() < 3) {
      return Fail(arg, "Fn::FindInMap: expected [MapName, TopLevelKey, SecondLevelKey]");
    }
    std::string keys[3];
    for (int i = 0; i < 3; ++i) {
      Result<std::string> k = ScalarArg(arg.children[i], depth, "Fn::FindInMap", "every key");
      if (!k.ok()) return k.error();
      keys[i] = std::move(*k);
    }
    const Value* node = scope_.Mappings();
    for (const std::string& k : keys) {
      node = node != nullptr ? node->Find(k) : nullptr;
      if (node == nullptr) {
        return Fail(arg, "Fn::FindInMap: Mappings has no " + keys[0] + "/" + keys[1] + "/" + keys[2]);
      }
    }
    Result<Value> r = Eval(*node, depth + 1);
    if (r.ok()) r->key.clear();
    return r;
  }

  Result<bool> ConditionCall(const std::string& fn, const Value& arg, const Value& call, int depth) {
    if (fn == "Condition") {
      if (!arg.IsScalar()) return Fail(arg, "Condition: expected a condition name");
      return scope_.Condition(arg.text, call, ptr_);
    }
    if (fn == "Fn::Equals") {
      if (!arg.IsSequence() || arg.children.size() != 2) return Fail(arg, "Fn::Equals: expected [value, value]");
      Result<Value> a = Eval(arg.children[0], depth + 1);
      if (!a.ok()) return a.error();
      Result<Value> b = Eval(arg.children[1], depth + 1);
      if (!b.ok()) return b.error();
      return SameAsStrings(*a, *b);
    }
    if (fn == "Fn::Not") {
      if (!arg.IsSequence() || arg.children.size() != 1) return Fail(arg, "Fn::Not: expected [condition]");
      Result<bool> r = Condition(arg.children[0], depth + 1);
      if (!r.ok()) return r;
      return !*r;
    }
    if (fn == "Fn::And" || fn == "Fn::Or") {
      if (!arg.IsSequence() || arg.children.size() < 2 || arg.children.size() > 10) {
        return Fail(arg, fn + ": expected a list of 2 to 10 conditions");
      }
      const bool is_and = fn == "Fn::And";
      for (const Value& c : arg.children) {  // every operand is evaluated, so errors are not hidden
        Result<bool> r = Condition(c, depth + 1);
        if (!r.ok()) return r;
        if (*r != is_and) return !is_and;
      }
      return is_and;
    }
    Result<Value> v = Call(call, depth);
    if (!v.ok()) return v.error();
    if (v->IsScalar() && (v->text == "true" || v->text == "false")) return v->text == "true";
    return Fail(call, fn + " is not a condition function");
  }

  // Fn::Equals compares values as strings: 1 equals "1" (CloudFormation compares the strings), null is
  // AWS::NoValue; lists and maps compare item by item (keys in order), AWS::NoValue items left out. The
  // same as comparing the compact JSON of both with every scalar made a string, without making anything.
  static bool SameAsStrings(const Value& a, const Value& b) {
    const bool a_null = a.kind == Value::Kind::kNull || a.kind == Value::Kind::kNoValue;
    const bool b_null = b.kind == Value::Kind::kNull || b.kind == Value::Kind::kNoValue;
    if (a_null || b_null) return a_null && b_null;
    if (a.IsScalar() || b.IsScalar()) return a.IsScalar() && b.IsScalar() && a.text == b.text;
    if (a.kind != b.kind) return false;
    auto next = [](const std::vector<Value>& v, size_t i) {
      while (i < v.size() && v[i].kind == Value::Kind::kNoValue) ++i;
      return i;
    };
    size_t i = next(a.children, 0), j = next(b.children, 0);
    for (; i < a.children.size() && j < b.children.size();
         i = next(a.children, i + 1), j = next(b.children, j + 1)) {
      const Value& x = a.children[i];
      const Value& y = b.children[j];
      if (a.kind == Value::Kind::kMap && x.key != y.key) return false;
      if (!SameAsStrings(x, y)) return false;
    }
    return i == a.children.size() && j == b.children.size();
  }

  Scope& scope_;
  std::string ptr_;
};

}  // namespace

Result<Value> Evaluate(const Value& v, Scope& scope, const std::string& pointer) {
  Evaluator e(scope, pointer);
  return e.Eval(v, 0);
}

Result<bool> EvaluateCondition(const Value& v, Scope& scope, const std::string& pointer) {
  Evaluator e(scope, pointer);
  return e.Condition(v, 0);
}

}  // namespace trailwatch::engine::cfn
