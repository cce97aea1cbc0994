// eval.cc: the JMESPath evaluator and its built-in functions, with Python's jmespath 1.0 semantics and error
// texts; Python's renderings of values. See jmespath.h.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "tools/jmespath/internal.h"

namespace trailwatch::jmespath {
namespace {

using K = Node::K;

// ---- Python's values ---------------------------------------------------------------------------------------
bool IsActualNumber(const Json& v) { return v.is_number(); }  // nlohmann keeps booleans apart from numbers

// An &expression is a value too (Python's _Expression): a JSON "binary" holding the node's address, which no
// JSON document can contain.
Json ExprefValue(const Node* node) {
  std::vector<std::uint8_t> bytes(sizeof node);
  std::memcpy(bytes.data(), &node, sizeof node);
  return Json::binary(std::move(bytes));
}
const Node* ExprefOf(const Json& v) {
  if (!v.is_binary() || v.get_binary().size() != sizeof(const Node*)) return nullptr;
  const Node* node = nullptr;
  std::memcpy(&node, v.get_binary().data(), sizeof node);
  return node;
}
bool HasExpref(const Json& v) {
  if (v.is_binary()) return true;
  if (v.is_array() || v.is_object()) {
    for (const Json& e : v) {
      if (HasExpref(e)) return true;
    }
  }
  return false;
}

bool IsFalse(const Json& v) {
  return v.is_null() || (v.is_boolean() && !v.get<bool>()) || (v.is_string() && v.get_ref<const std::string&>().empty()) ||
         (v.is_array() && v.empty()) || (v.is_object() && v.empty());
}

// Numbers and booleans as Python compares them (bool is an int there).
int CompareNumeric(const Json& a, const Json& b) {
  auto as_int = [](const Json& v, __int128* out) {
    if (v.is_boolean()) {
      *out = v.get<bool>() ? 1 : 0;
      return true;
    }
    if (v.is_number_unsigned()) {
      *out = static_cast<__int128>(v.get<uint64_t>());
      return true;
    }
    if (v.is_number_integer()) {
      *out = static_cast<__int128>(v.get<int64_t>());
      return true;
    }
    return false;
  };
  __int128 x = 0, y = 0;
  if (as_int(a, &x) && as_int(b, &y)) return x < y ? -1 : x > y ? 1 : 0;
  const double da = a.is_boolean() ? (a.get<bool>() ? 1.0 : 0.0) : a.get<double>();
  const double db = b.is_boolean() ? (b.get<bool>() ? 1.0 : 0.0) : b.get<double>();
  if (da < db) return -1;
  if (da > db) return 1;
  return da == db ? 0 : 2;  // 2: unordered (NaN)
}

bool PyEqual(const Json& a, const Json& b) {
  const bool na = a.is_number() || a.is_boolean(), nb = b.is_number() || b.is_boolean();
  if (na || nb) return na && nb && CompareNumeric(a, b) == 0;
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Json::value_t::null: return true;
    case Json::value_t::string: return a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
    case Json::value_t::array:
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (!PyEqual(a[i], b[i])) return false;
      }
      return true;
    case Json::value_t::object:
      if (a.size() != b.size()) return false;
      for (auto it = a.begin(); it != a.end(); ++it) {
        const auto other = b.find(it.key());
        if (other == b.end() || !PyEqual(it.value(), *other)) return false;
      }
      return true;
    default: return false;  // two &expressions are two objects: never equal
  }
}

// jmespath's _equals: Python's ==, except that true and false never equal the numbers 1 and 0.
bool Equals(const Json& a, const Json& b) {
  if ((a.is_boolean() && b.is_number()) || (a.is_number() && b.is_boolean())) return false;
  return PyEqual(a, b);
}

[[noreturn]] void TypeError(const std::string& message) { throw Error{"TypeError", message, 0}; }

// Python's a < b (or >, <=, >=) on numbers and strings; a TypeError across them.
bool PyLess(const Json& a, const Json& b, const char* op = "<") {
  if (a.is_string() && b.is_string()) return a.get_ref<const std::string&>() < b.get_ref<const std::string&>();
  if (a.is_number() && b.is_number()) return CompareNumeric(a, b) == -1;
  TypeError(std::string("'") + op + "' not supported between instances of '" + PythonTypeName(a) + "' and '" +
            PythonTypeName(b) + "'");
}

// Python's a > b, as max() and max_by() ask it.
bool PyGreater(const Json& a, const Json& b) {
  if ((a.is_string() && b.is_string()) || (a.is_number() && b.is_number())) return PyLess(b, a);
  TypeError("'>' not supported between instances of '" + PythonTypeName(a) + "' and '" + PythonTypeName(b) + "'");
}

// ---- functions ---------------------------------------------------------------------------------------------
struct Arg {
  Json value;
  const Node* expref = nullptr;  // an &expression argument
};

struct ArgSpec {
  std::vector<std::string> types;  // jmespath types ("number", "array-string", "expref"); empty: any
  bool variadic = false;
};

std::string TypesList(const std::vector<std::string>& types) {
  std::string out = "[";
  for (size_t i = 0; i < types.size(); ++i) out += (i ? ", '" : "'") + types[i] + "'";
  return out + "]";
}

std::string JmespathTypeOf(const Arg& a) {
  const Json& v = a.value;
  if (a.expref || v.is_binary()) return "expref";
  if (v.is_string()) return "string";
  if (v.is_boolean()) return "boolean";
  if (v.is_array()) return "array";
  if (v.is_object()) return "object";
  if (v.is_number()) return "number";
  return "null";
}

std::string PythonTypeOf(const Arg& a) { return PythonTypeName(a.value); }
std::string StrOf(const Arg& a) { return PythonStr(a.value); }

[[noreturn]] void JmespathTypeError(const std::string& function, const std::string& value, const std::string& actual,
                                    const std::vector<std::string>& expected) {
  throw Error{"JMESPathTypeError",
              "In function " + function + "(), invalid type for value: " + value + ", expected one of: " +
                  TypesList(expected) + ", received: \"" + actual + "\"",
              0};
}

// The Python type names a jmespath type stands for (REVERSE_TYPES_MAP).
bool PythonTypeIs(const std::string& python_type, const std::string& jmespath_type) {
  if (jmespath_type == "boolean") return python_type == "bool";
  if (jmespath_type == "array") return python_type == "list";
  if (jmespath_type == "object") return python_type == "dict";
  if (jmespath_type == "null") return python_type == "NoneType";
  if (jmespath_type == "string") return python_type == "str";
  if (jmespath_type == "number") return python_type == "float" || python_type == "int";
  if (jmespath_type == "expref") return python_type == "_Expression";
  return false;
}

void CheckType(const std::string& function, const Arg& a, const std::vector<std::string>& types) {
  const std::string actual = PythonTypeOf(a);
  std::vector<std::string> subtypes;
  bool allowed = false;
  for (const std::string& t : types) {
    const size_t dash = t.find('-');
    const std::string base = t.substr(0, dash);
    if (dash != std::string::npos) subtypes.push_back(t.substr(dash + 1));
    allowed = allowed || PythonTypeIs(actual, base);
  }
  if (!allowed) JmespathTypeError(function, StrOf(a), JmespathTypeOf(a), types);
  if (subtypes.empty()) return;
  const Json& array = a.value;
  if (subtypes.size() == 1) {
    for (const Json& e : array) {
      if (!PythonTypeIs(PythonTypeName(e), subtypes[0])) JmespathTypeError(function, PythonStr(e), PythonTypeName(e), types);
    }
    return;
  }
  if (array.empty()) return;
  const std::string first = PythonTypeName(array[0]);
  std::string chosen;
  for (const std::string& s : subtypes) {
    if (PythonTypeIs(first, s)) {
      chosen = s;
      break;
    }
  }
  if (chosen.empty()) JmespathTypeError(function, PythonStr(array[0]), first, types);
  for (const Json& e : array) {
    if (!PythonTypeIs(PythonTypeName(e), chosen)) JmespathTypeError(function, PythonStr(e), PythonTypeName(e), types);
  }
}

const std::vector<std::pair<std::string, std::vector<ArgSpec>>>& Signatures() {
  static const std::vector<std::pair<std::string, std::vector<ArgSpec>>> table = {
      {"abs", {{{"number"}}}},
      {"avg", {{{"array-number"}}}},
      {"ceil", {{{"number"}}}},
      {"contains", {{{"array", "string"}}, {{}}}},
      {"ends_with", {{{"string"}}, {{"string"}}}},
      {"floor", {{{"number"}}}},
      {"join", {{{"string"}}, {{"array-string"}}}},
      {"keys", {{{"object"}}}},
      {"length", {{{"string", "array", "object"}}}},
      {"map", {{{"expref"}}, {{"array"}}}},
      {"max", {{{"array-number", "array-string"}}}},
      {"max_by", {{{"array"}}, {{"expref"}}}},
      {"merge", {{{"object"}, true}}},
      {"min", {{{"array-number", "array-string"}}}},
      {"min_by", {{{"array"}}, {{"expref"}}}},
      {"not_null", {{{}, true}}},
      {"reverse", {{{"array", "string"}}}},
      {"sort", {{{"array-string", "array-number"}}}},
      {"sort_by", {{{"array"}}, {{"expref"}}}},
      {"starts_with", {{{"string"}}, {{"string"}}}},
      {"sum", {{{"array-number"}}}},
      {"to_array", {{{}}}},
      {"to_number", {{{}}}},
      {"to_string", {{{}}}},
      {"type", {{{}}}},
      {"values", {{{"object"}}}},
  };
  return table;
}

std::string Plural(size_t n) { return n == 1 ? "argument" : "arguments"; }

Json Integer(double d) {
  if (std::isnan(d)) throw Error{"ValueError", "cannot convert float NaN to integer", 0};
  if (std::isinf(d)) throw Error{"OverflowError", "cannot convert float infinity to integer", 0};
  if (d >= -9.2e18 && d <= 9.2e18) return Json(static_cast<int64_t>(d));
  return Json(d);
}

// Python's int(text) and float(text) for to_number().
std::optional<Json> PythonNumber(std::string text) {
  auto trim = [](std::string& s) {
    const char* ws = " \t\n\r\f\v";
    const size_t b = s.find_first_not_of(ws);
    if (b == std::string::npos) {
      s.clear();
      return;
    }
    s = s.substr(b, s.find_last_not_of(ws) - b + 1);
  };
  trim(text);
  static const std::regex int_re("[+-]?[0-9](_?[0-9])*");
  static const std::regex float_re(
      "[+-]?(([0-9](_?[0-9])*)?\\.[0-9](_?[0-9])*|[0-9](_?[0-9])*\\.?)([eE][+-]?[0-9](_?[0-9])*)?");
  static const std::regex special_re("[+-]?(inf|infinity|nan)", std::regex::icase);
  auto digits = [](const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c != '_') out += c;
    }
    return out;
  };
  if (std::regex_match(text, int_re)) {
    const std::string d = digits(text);
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(d.c_str(), &end, 10);
    if (errno == 0) return Json(static_cast<int64_t>(v));
    return Json(std::strtod(d.c_str(), nullptr));
  }
  if (std::regex_match(text, float_re) || std::regex_match(text, special_re)) {
    return Json(std::strtod(digits(text).c_str(), nullptr));
  }
  return std::nullopt;
}

Json CallFunction(const std::string& name, std::vector<Arg>& args) {
  const auto& table = Signatures();
  const auto it = std::find_if(table.begin(), table.end(), [&](const auto& e) { return e.first == name; });
  if (it == table.end()) throw Error{"UnknownFunctionError", "Unknown function: " + name + "()", 0};
  const std::vector<ArgSpec>& sig = it->second;
  if (!sig.empty() && sig.back().variadic) {
    if (args.size() < sig.size()) {
      throw Error{"VariadictArityError", "Expected at least " + std::to_string(sig.size()) + " " + Plural(sig.size()) +
                                             " for function " + name + "(), received " + std::to_string(args.size()),
                  0};
    }
  } else if (args.size() != sig.size()) {
    throw Error{"ArityError", "Expected " + std::to_string(sig.size()) + " " + Plural(sig.size()) + " for function " +
                                  name + "(), received " + std::to_string(args.size()),
                0};
  }
  for (size_t i = 0; i < sig.size(); ++i) {
    if (!sig[i].types.empty()) CheckType(name, args[i], sig[i].types);
  }
  // merge() checks its later arguments too (Python would fail on them without a JMESPath message).
  if (name == "merge") {
    for (size_t i = 1; i < args.size(); ++i) CheckType(name, args[i], {"object"});
  }
  const Json& a0 = args[0].value;
  if (name == "abs") {
    if (a0.is_number_float()) return std::fabs(a0.get<double>());
    if (a0.is_number_unsigned()) return a0;
    const int64_t v = a0.get<int64_t>();
    return v == INT64_MIN ? Json(9223372036854775808.0) : Json(v < 0 ? -v : v);
  }
  if (name == "avg") {
    if (a0.empty()) return nullptr;
    double sum = 0;
    for (const Json& e : a0) sum += e.get<double>();
    return sum / static_cast<double>(a0.size());
  }
  if (name == "ceil" || name == "floor") {
    if (a0.is_number_integer()) return a0;
    const double d = a0.get<double>();
    return Integer(name == "ceil" ? std::ceil(d) : std::floor(d));
  }
  if (name == "contains") {
    const Json& search = args[1].value;
    if (a0.is_string()) {
      if (!search.is_string()) {
        return false;  // Python raises "'in <string>' requires string as left operand"; the specification: false
      }
      return a0.get_ref<const std::string&>().find(search.get_ref<const std::string&>()) != std::string::npos;
    }
    for (const Json& e : a0) {
      if (PyEqual(e, search)) return true;
    }
    return false;
  }
  if (name == "ends_with" || name == "starts_with") {
    const std::string& s = a0.get_ref<const std::string&>();
    const std::string& x = args[1].value.get_ref<const std::string&>();
    if (x.size() > s.size()) return false;
    return name == "ends_with" ? s.compare(s.size() - x.size(), x.size(), x) == 0 : s.compare(0, x.size(), x) == 0;
  }
  if (name == "join") {
    std::string out;
    const std::string& sep = a0.get_ref<const std::string&>();
    bool first = true;
    for (const Json& e : args[1].value) {
      if (!first) out += sep;
      out += e.get_ref<const std::string&>();
      first = false;
    }
    return out;
  }
  if (name == "keys" || name == "values") {
    Json out = Json::array();
    for (auto e = a0.begin(); e != a0.end(); ++e) out.push_back(name == "keys" ? Json(e.key()) : e.value());
    return out;
  }
  if (name == "length") return a0.is_string() ? CodePoints(a0.get_ref<const std::string&>()) : a0.size();
  if (name == "map") {
    Json out = Json::array();
    for (const Json& e : args[1].value) out.push_back(Evaluate(*args[0].expref, e));
    return out;
  }
  if (name == "max" || name == "min") {
    if (a0.empty()) return nullptr;
    size_t best = 0;
    for (size_t i = 1; i < a0.size(); ++i) {
      if (name == "max" ? PyGreater(a0[i], a0[best]) : PyLess(a0[i], a0[best])) best = i;
    }
    return a0[best];
  }
  if (name == "max_by" || name == "min_by" || name == "sort_by") {
    const Node& expr = *args[1].expref;
    Json array = a0;
    if (array.empty()) return name == "sort_by" ? array : Json();
    std::vector<std::string> allowed = {"number", "string"};
    if (name == "sort_by") {
      const Json first = Evaluate(expr, array[0]);
      const std::string t = JmespathTypeOf(Arg{first});
      if (t != "number" && t != "string") JmespathTypeError("sort_by", PythonStr(array[0]), t, {"string", "number"});
      allowed = {t};
    }
    std::vector<Json> keys;
    size_t best = 0;
    for (size_t i = 0; i < array.size(); ++i) {
      Json key = Evaluate(expr, array[i]);
      const std::string t = JmespathTypeOf(Arg{key});
      if (std::find(allowed.begin(), allowed.end(), t) == allowed.end()) {
        JmespathTypeError(name, PythonStr(key), t, allowed);
      }
      keys.push_back(std::move(key));
      if (name == "max_by" && i > 0 && PyGreater(keys[i], keys[best])) best = i;
      if (name == "min_by" && i > 0 && PyLess(keys[i], keys[best])) best = i;
    }
    if (name != "sort_by") return array[best];
    std::vector<size_t> order(array.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return PyLess(keys[x], keys[y]); });
    Json out = Json::array();
    for (size_t i : order) out.push_back(array[i]);
    return out;
  }
  if (name == "merge") {
    Json out = Json::object();
    for (const Arg& a : args) {
      for (auto e = a.value.begin(); e != a.value.end(); ++e) out[e.key()] = e.value();
    }
    return out;
  }
  if (name == "not_null") {
    for (const Arg& a : args) {
      if (!a.value.is_null()) return a.value;
    }
    return nullptr;
  }
  if (name == "reverse") {
    if (a0.is_array()) {
      Json out = Json::array();
      for (size_t i = a0.size(); i-- > 0;) out.push_back(a0[i]);
      return out;
    }
    const std::string& s = a0.get_ref<const std::string&>();
    std::vector<std::string> chars;
    for (size_t i = 0; i < s.size();) {
      size_t j = i + 1;
      while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
      chars.push_back(s.substr(i, j - i));
      i = j;
    }
    std::string out;
    for (size_t i = chars.size(); i-- > 0;) out += chars[i];
    return out;
  }
  if (name == "sort") {
    std::vector<Json> items(a0.begin(), a0.end());
    std::stable_sort(items.begin(), items.end(), [](const Json& x, const Json& y) { return PyLess(x, y); });
    return Json(items);
  }
  if (name == "sum") {
    bool floating = false;
    __int128 isum = 0;
    double dsum = 0;
    for (const Json& e : a0) {
      if (e.is_number_float()) floating = true;
      dsum += e.get<double>();
      if (!e.is_number_float()) isum += e.is_number_unsigned() ? static_cast<__int128>(e.get<uint64_t>()) : e.get<int64_t>();
    }
    if (floating) return dsum;
    if (isum >= INT64_MIN && isum <= INT64_MAX) return static_cast<int64_t>(isum);
    return static_cast<double>(isum);
  }
  if (args[0].expref) {
    // type(), to_number() and to_string() of an &expression, as Python answers them.
    if (name == "type") return nullptr;
    if (name == "to_number") {
      TypeError("int() argument must be a string, a bytes-like object or a real number, not '_Expression'");
    }
    if (name == "to_string") return PythonJsonDumps(Json(StrOf(args[0])));
  }
  if (name == "to_array") return a0.is_array() ? a0 : Json::array({a0});
  if (name == "to_string") return a0.is_string() ? a0 : Json(PythonJsonDumps(a0));
  if (name == "to_number") {
    if (a0.is_number()) return a0;
    if (!a0.is_string()) return nullptr;
    const auto n = PythonNumber(a0.get<std::string>());
    return n ? *n : Json();
  }
  if (name == "type") return JmespathTypeOf(args[0]);
  throw Error{"UnknownFunctionError", "Unknown function: " + name + "()", 0};
}

// ---- evaluation --------------------------------------------------------------------------------------------
Json Slice(const Json& list, const Node& n) {
  const int64_t len = static_cast<int64_t>(list.size());
  const int64_t step = n.slice[2].value_or(1);
  if (step == 0) throw Error{"ValueError", "slice step cannot be zero", 0};
  const int64_t lower = step > 0 ? 0 : -1, upper = step > 0 ? len : len - 1;
  auto bound = [&](const std::optional<int64_t>& v, int64_t dflt) {
    if (!v) return dflt;
    __int128 x = *v;
    if (x < 0) {
      x += len;
      if (x < lower) x = lower;
    } else if (x > upper) {
      x = upper;
    }
    return static_cast<int64_t>(x);
  };
  const int64_t start = bound(n.slice[0], step > 0 ? lower : upper);
  const int64_t stop = bound(n.slice[1], step > 0 ? upper : lower);
  Json out = Json::array();
  if (step > 0) {
    for (__int128 i = start; i < stop; i += step) out.push_back(list[static_cast<size_t>(i)]);
  } else {
    for (__int128 i = start; i > stop; i += step) out.push_back(list[static_cast<size_t>(i)]);
  }
  return out;
}

}  // namespace

Json Evaluate(const Node& n, const Json& value) {
  switch (n.kind) {
    case K::kField: {
      if (!value.is_object()) return nullptr;
      const auto it = value.find(n.name);
      return it == value.end() ? Json() : *it;
    }
    case K::kSubexpression:
    case K::kIndexExpression:
    case K::kPipe: {
      Json result = value;
      for (const Node& c : n.children) result = Evaluate(c, result);
      return result;
    }
    case K::kIndex: {
      if (!value.is_array()) return nullptr;
      const int64_t len = static_cast<int64_t>(value.size());
      const int64_t i = n.index < 0 ? n.index + len : n.index;
      if (i < 0 || i >= len) return nullptr;
      return value[static_cast<size_t>(i)];
    }
    case K::kSlice:
      if (!value.is_array()) return nullptr;
      return Slice(value, n);
    case K::kProjection: {
      const Json base = Evaluate(n.children[0], value);
      if (!base.is_array()) return nullptr;
      Json out = Json::array();
      for (const Json& e : base) {
        Json r = Evaluate(n.children[1], e);
        if (!r.is_null()) out.push_back(std::move(r));
      }
      return out;
    }
    case K::kValueProjection: {
      const Json base = Evaluate(n.children[0], value);
      if (!base.is_object()) return nullptr;
      Json out = Json::array();
      for (const auto& e : base.items()) {
        Json r = Evaluate(n.children[1], e.value());
        if (!r.is_null()) out.push_back(std::move(r));
      }
      return out;
    }
    case K::kFilterProjection: {
      const Json base = Evaluate(n.children[0], value);
      if (!base.is_array()) return nullptr;
      Json out = Json::array();
      for (const Json& e : base) {
        if (IsFalse(Evaluate(n.children[2], e))) continue;
        Json r = Evaluate(n.children[1], e);
        if (!r.is_null()) out.push_back(std::move(r));
      }
      return out;
    }
    case K::kFlatten: {
      const Json base = Evaluate(n.children[0], value);
      if (!base.is_array()) return nullptr;
      Json out = Json::array();
      for (const Json& e : base) {
        if (e.is_array()) {
          for (const Json& x : e) out.push_back(x);
        } else {
          out.push_back(e);
        }
      }
      return out;
    }
    case K::kIdentity:
    case K::kCurrent: return value;
    case K::kLiteral: return n.literal;
    case K::kMultiList: {
      if (value.is_null()) return nullptr;
      Json out = Json::array();
      for (const Node& c : n.children) out.push_back(Evaluate(c, value));
      return out;
    }
    case K::kMultiHash: {
      if (value.is_null()) return nullptr;
      Json out = Json::object();
      for (const Node& c : n.children) out[c.name] = Evaluate(c.children[0], value);
      return out;
    }
    case K::kKeyVal: return Evaluate(n.children[0], value);
    case K::kOr: {
      Json left = Evaluate(n.children[0], value);
      return IsFalse(left) ? Evaluate(n.children[1], value) : left;
    }
    case K::kAnd: {
      Json left = Evaluate(n.children[0], value);
      return IsFalse(left) ? left : Evaluate(n.children[1], value);
    }
    case K::kNot: {
      const Json v = Evaluate(n.children[0], value);
      if (IsActualNumber(v)) return false;  // `!0` is false: numbers are never false
      return IsFalse(v);
    }
    case K::kComparator: {
      const Json l = Evaluate(n.children[0], value);
      const Json r = Evaluate(n.children[1], value);
      if (n.name == "eq") return Equals(l, r);
      if (n.name == "ne") return !Equals(l, r);
      const bool lc = IsActualNumber(l) || l.is_string(), rc = IsActualNumber(r) || r.is_string();
      if (!lc || !rc) return nullptr;
      if (l.is_number() && r.is_number()) {
        const int c = CompareNumeric(l, r);
        if (c == 2) return false;
        if (n.name == "lt") return c < 0;
        if (n.name == "lte") return c <= 0;
        if (n.name == "gt") return c > 0;
        return c >= 0;
      }
      const char* op = n.name == "lt" ? "<" : n.name == "lte" ? "<=" : n.name == "gt" ? ">" : ">=";
      if (!(l.is_string() && r.is_string())) PyLess(l, r, op);  // throws Python's TypeError
      const std::string& a = l.get_ref<const std::string&>();
      const std::string& b = r.get_ref<const std::string&>();
      if (n.name == "lt") return a < b;
      if (n.name == "lte") return a <= b;
      if (n.name == "gt") return a > b;
      return a >= b;
    }
    case K::kFunction: {
      std::vector<Arg> args;
      for (const Node& c : n.children) {
        Arg a;
        a.value = Evaluate(c, value);
        a.expref = ExprefOf(a.value);
        args.push_back(std::move(a));
      }
      return CallFunction(n.name, args);
    }
    case K::kExpref: return ExprefValue(&n.children[0]);
  }
  return nullptr;
}

// ---- Python's renderings -----------------------------------------------------------------------------------
size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string ReplaceAll(std::string s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

bool ParsePythonJson(const std::string& text, Json* out) {
  std::string t = text;
  const char* ws = " \t\n\r";
  const size_t b = t.find_first_not_of(ws);
  if (b == std::string::npos) return false;
  t = t.substr(b, t.find_last_not_of(ws) - b + 1);
  if (t == "NaN") {
    *out = std::nan("");
    return true;
  }
  if (t == "Infinity" || t == "-Infinity") {
    *out = t[0] == '-' ? -HUGE_VAL : HUGE_VAL;
    return true;
  }
  Json v = Json::parse(text, nullptr, false);
  if (v.is_discarded()) {
    // nlohmann refuses a number beyond a double's range, which Python reads as an infinity.
    static const std::regex number("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    if (!std::regex_match(t, number)) return false;
    *out = std::strtod(t.c_str(), nullptr);
    return true;
  }
  *out = std::move(v);
  return true;
}

namespace {

std::string FloatRepr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
  // The shortest digits that read back, laid out as Python's repr(): fixed for exponents -4..15.
  char buf[40];
  int precision = 1;
  for (; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  const std::string e(buf);
  const size_t epos = e.find('e');
  const int exp = std::atoi(e.c_str() + epos + 1);
  std::string digits;
  for (size_t i = 0; i < epos; ++i) {
    if (e[i] >= '0' && e[i] <= '9') digits += e[i];
  }
  const std::string sign = d < 0 || (d == 0 && std::signbit(d)) ? "-" : "";
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  if (exp >= -4 && exp < 16) {
    std::string out;
    if (exp < 0) {
      out = "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
    } else if (static_cast<size_t>(exp) + 1 >= digits.size()) {
      out = digits + std::string(static_cast<size_t>(exp) + 1 - digits.size(), '0') + ".0";
    } else {
      out = digits.substr(0, static_cast<size_t>(exp) + 1) + "." + digits.substr(static_cast<size_t>(exp) + 1);
    }
    return sign + out;
  }
  std::string mant = digits.substr(0, 1);
  if (digits.size() > 1) mant += "." + digits.substr(1);
  char ebuf[16];
  std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
  return sign + mant + ebuf;
}

std::string StringRepr(const std::string& s) {
  const bool has_single = s.find('\'') != std::string::npos, has_double = s.find('"') != std::string::npos;
  const char q = has_single && !has_double ? '"' : '\'';
  std::string out(1, q);
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\\') {
      out += "\\\\";
    } else if (c == static_cast<unsigned char>(q)) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02x", c);
      out += b;
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0xA0) {
      char b[8];  // C1 controls and U+00A0 are not printable in Python
      std::snprintf(b, sizeof b, "\\x%02x", static_cast<unsigned char>(s[i + 1]));
      out += b;
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + q;
}

}  // namespace

std::string PythonRepr(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return "None";
    case Json::value_t::boolean: return v.get<bool>() ? "True" : "False";
    case Json::value_t::number_integer: return std::to_string(v.get<int64_t>());
    case Json::value_t::number_unsigned: return std::to_string(v.get<uint64_t>());
    case Json::value_t::number_float: return FloatRepr(v.get<double>());
    case Json::value_t::string: return StringRepr(v.get_ref<const std::string&>());
    case Json::value_t::array: {
      std::string out = "[";
      for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + PythonRepr(v[i]);
      return out + "]";
    }
    case Json::value_t::object: {
      std::string out = "{";
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        out += (first ? "" : ", ") + StringRepr(it.key()) + ": " + PythonRepr(it.value());
        first = false;
      }
      return out + "}";
    }
    case Json::value_t::binary: return "<jmespath.visitor._Expression object>";
    default: return "None";
  }
}

std::string PythonStr(const Json& v) { return v.is_string() ? v.get<std::string>() : PythonRepr(v); }

std::string PythonTypeName(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return "NoneType";
    case Json::value_t::boolean: return "bool";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "int";
    case Json::value_t::number_float: return "float";
    case Json::value_t::string: return "str";
    case Json::value_t::array: return "list";
    case Json::value_t::object: return "dict";
    case Json::value_t::binary: return "_Expression";
    default: return "NoneType";
  }
}

std::string PythonJsonDumps(const Json& v, bool spaced) {
  const char* comma = spaced ? ", " : ",";
  const char* colon = spaced ? ": " : ":";
  switch (v.type()) {
    case Json::value_t::number_float: {
      const double d = v.get<double>();
      if (std::isnan(d)) return "NaN";
      if (std::isinf(d)) return d < 0 ? "-Infinity" : "Infinity";
      return FloatRepr(d);
    }
    case Json::value_t::string:
      // nlohmann's ASCII output escapes as json.dumps' default does: \" \\ \b \f \n \r \t, other controls
      // and everything from DEL up as lowercase \uXXXX (surrogate pairs beyond the BMP).
      return v.dump(-1, ' ', /*ensure_ascii=*/true, Json::error_handler_t::replace);
    case Json::value_t::array: {
      std::string out = "[";
      for (size_t i = 0; i < v.size(); ++i) out += (i ? comma : "") + PythonJsonDumps(v[i], spaced);
      return out + "]";
    }
    case Json::value_t::object: {
      std::string out = "{";
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        out += (first ? "" : comma) + PythonJsonDumps(Json(it.key())) + colon + PythonJsonDumps(it.value(), spaced);
        first = false;
      }
      return out + "}";
    }
    case Json::value_t::binary: return PythonJsonDumps(Json(PythonRepr(v)));
    default: return v.dump();
  }
}

// ---- Expression ------------------------------------------------------------------------------------------
Result<Expression> Expression::Compile(std::string_view text) {
  Expression e;
  e.text_ = std::string(text);
  try {
    e.root_ = std::make_shared<const Node>(ParseExpression(e.text_));
  } catch (const Error& err) {
    Diagnostic d;
    d.exception = err.exception;
    d.aws_message = err.message;
    d.message = err.message;
    d.span.offset = static_cast<uint32_t>(err.column);
    return d;
  }
  return e;
}

Result<Json> Expression::Search(const Json& document) const {
  try {
    Json result = Evaluate(*root_, document);
    if (HasExpref(result)) throw Error{"TypeError", "Object of type _Expression is not JSON serializable", 0};
    return result;
  } catch (const Error& err) {
    Diagnostic d;
    d.exception = err.exception;
    d.aws_message = err.message;
    d.message = err.message;
    return d;
  }
}

std::string DumpNode(const Node& n, int indent) {
  static const char* names[] = {"field", "subexpression", "index_expression", "index", "slice", "projection",
                                "value_projection", "filter_projection", "flatten", "identity", "current",
                                "literal", "multi_select_list", "multi_select_dict", "key_val_pair", "or_expression",
                                "and_expression", "not_expression", "comparator", "pipe", "function_expression",
                                "expref"};
  std::string out(static_cast<size_t>(indent) * 2, ' ');
  out += names[static_cast<int>(n.kind)];
  if (!n.name.empty()) out += " " + n.name;
  if (n.kind == K::kLiteral) out += " " + n.literal.dump();
  if (n.kind == K::kIndex) out += " " + std::to_string(n.index);
  if (n.kind == K::kSlice) {
    for (int i = 0; i < 3; ++i) out += std::string(i ? ":" : " ") + (n.slice[i] ? std::to_string(*n.slice[i]) : "");
  }
  out += "\n";
  for (const Node& c : n.children) out += DumpNode(c, indent + 1);
  return out;
}

std::string Expression::Dump() const { return root_ ? DumpNode(*root_, 0) : ""; }

}  // namespace trailwatch::jmespath
