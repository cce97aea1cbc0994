// yaml.cc: the AWS CLI's --output yaml (ruamel's SafeRepresenter and libyaml's emitter, ported rule for rule)
// and --cli-input-yaml (yaml-cpp's parser, then ruamel's VersionedResolver and SafeConstructor). See yaml.h.
#include "tools/aws_output/yaml.h"

#include <yaml-cpp/anchor.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "tools/jmespath/jmespath.h"

namespace trailwatch::awsout {
namespace {

using Json = nlohmann::ordered_json;

// ---- UTF-8
// -------------------------------------------------------------------------------------------------

// `s` with every byte that does not start a valid UTF-8 sequence (overlong forms, surrogates and values past
// U+10FFFF included) replaced by U+FFFD, as nothing downstream may see invalid UTF-8.
std::string ValidUtf8(std::string_view s) {
  auto valid_at = [&](size_t i) -> size_t {  // length of the valid sequence at i, or 0
    const auto b = [&](size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0u; };
    const unsigned c = b(i);
    if (c < 0x80) return 1;
    auto cont = [&](size_t k) { return (b(k) & 0xC0u) == 0x80u; };
    if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
      if (!cont(i + 1) || !cont(i + 2)) return 0;
      if (c == 0xE0 && b(i + 1) < 0xA0) return 0;
      if (c == 0xED && b(i + 1) >= 0xA0) return 0;
      return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
      if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
      if (c == 0xF0 && b(i + 1) < 0x90) return 0;
      if (c == 0xF4 && b(i + 1) >= 0x90) return 0;
      return 4;
    }
    return 0;
  };
  size_t i = 0;
  for (; i < s.size(); i += valid_at(i)) {
    if (valid_at(i) == 0) break;
  }
  if (i == s.size()) return std::string(s);
  std::string out(s.substr(0, i));
  while (i < s.size()) {
    const size_t n = valid_at(i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

// yaml-cpp 0.7 decodes the escapes \N and \_ to the lone bytes 0x85 and 0xA0, not to U+0085 and U+00A0:
// in a scalar it returns (from valid input) no other invalid UTF-8, so those bytes are turned back.
std::string FixYamlCppEscapes(const std::string& s) {
  if (ValidUtf8(s) == s) return s;
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80             ? 1
                       : (c & 0xE0) == 0xC0 ? 2
                       : (c & 0xF0) == 0xE0 ? 3
                       : (c & 0xF8) == 0xF0 ? 4
                                            : 0;
    if (len > 0 && i + len <= s.size()) {
      const std::string_view one(s.data() + i, len);
      if (ValidUtf8(one) == one) {
        out.append(one);
        i += len;
        continue;
      }
    }
    if (c == 0x85 || c == 0xA0) {
      out += '\xC2';
      out += static_cast<char>(c);
    } else {
      out += "\xEF\xBF\xBD";
    }
    ++i;
  }
  return out;
}

// ---- the implicit resolvers (ruamel/yaml/resolver.py)
// ------------------------------------------------------

enum class Implicit { kStr, kNull, kBool, kInt, kFloat, kTimestamp, kMerge, kValue, kYaml };

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A tiny cursor for the hand-written regular expressions below.
struct Cur {
  std::string_view s;
  size_t i = 0;
  bool End() const { return i == s.size(); }
  bool Eat(char c) {
    if (i < s.size() && s[i] == c) return ++i, true;
    return false;
  }
  bool EatOneOf(std::string_view set) {
    if (i < s.size() && set.find(s[i]) != std::string_view::npos) return ++i, true;
    return false;
  }
  size_t EatMany(std::string_view set) {
    size_t n = 0;
    while (EatOneOf(set)) ++n;
    return n;
  }
};

constexpr std::string_view kDigits = "0123456789";
constexpr std::string_view kDigitsU = "0123456789_";

// [eE][-+]?[0-9]+  (sign_required: [eE][-+][0-9]+)
bool Exponent(Cur& c, bool sign_required) {
  if (!c.EatOneOf("eE")) return false;
  if (!c.EatOneOf("-+") && sign_required) return false;
  return c.EatMany(kDigits) > 0;
}

bool MatchFloat(std::string_view v, bool yaml11) {
  // [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
  {
    Cur c{v};
    c.EatOneOf("-+");
    if (c.EatOneOf(kDigits)) {
      c.EatMany(kDigitsU);
      if (c.Eat('.')) {
        c.EatMany(kDigitsU);
        if (c.End()) return true;
        if (Exponent(c, false) && c.End()) return true;
      }
    }
  }
  // [-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
  {
    Cur c{v};
    c.EatOneOf("-+");
    if (c.EatOneOf(kDigits)) {
      c.EatMany(kDigitsU);
      if (Exponent(c, false) && c.End()) return true;
    }
  }
  // 1.2: [-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?    1.1: \.[0-9_]+(?:[eE][-+][0-9]+)?
  {
    Cur c{v};
    if (!yaml11) c.EatOneOf("-+");
    if (c.Eat('.') && c.EatMany(kDigitsU) > 0) {
      if (c.End()) return true;
      if (Exponent(c, true) && c.End()) return true;
    }
  }
  // 1.1: [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
  if (yaml11) {
    Cur c{v};
    c.EatOneOf("-+");
    if (c.EatOneOf(kDigits)) {
      c.EatMany(kDigitsU);
      size_t groups = 0;
      while (c.Eat(':')) {
        // [0-5]?[0-9]: one digit, or [0-5] then a digit
        if (c.i < v.size() && v[c.i] >= '0' && v[c.i] <= '5' && c.i + 1 < v.size() && IsDigit(v[c.i + 1])) {
          c.i += 2;
        } else if (!c.EatOneOf(kDigits)) {
          groups = 0;
          break;
        }
        ++groups;
      }
      if (groups > 0 && c.Eat('.')) {
        c.EatMany(kDigitsU);
        if (c.End()) return true;
      }
    }
  }
  // [-+]?\.(?:inf|Inf|INF)   \.(?:nan|NaN|NAN)
  {
    std::string_view w = v;
    if (!w.empty() && (w[0] == '-' || w[0] == '+')) w.remove_prefix(1);
    if (w == ".inf" || w == ".Inf" || w == ".INF") return true;
  }
  return v == ".nan" || v == ".NaN" || v == ".NAN";
}

bool MatchInt(std::string_view v, bool yaml11) {
  auto body = [](std::string_view w) {
    if (!w.empty() && (w[0] == '-' || w[0] == '+')) w.remove_prefix(1);
    return w;
  };
  const std::string_view w = body(v);
  auto all_of = [](std::string_view t, std::string_view set) {
    return !t.empty() && t.find_first_not_of(set) == std::string_view::npos;
  };
  if (w.starts_with("0b") && all_of(w.substr(2), "01_")) return true;
  if (w.starts_with("0x") && all_of(w.substr(2), "0123456789abcdefABCDEF_")) return true;
  if (!yaml11) {
    if (w.starts_with("0o") && all_of(w.substr(2), "01234567_")) return true;
    if (w.starts_with("0") && all_of(w.substr(1), "01234567_")) return true;
    return all_of(w, kDigitsU);
  }
  if (w.starts_with("0") && all_of(w.substr(1), "01234567_")) return true;
  if (all_of(w, "01234567_")) return true;  // 0?[0-7_]+ without the 0
  if (w == "0") return true;
  if (!w.empty() && w[0] >= '1' && w[0] <= '9' && (w.size() == 1 || all_of(w.substr(1), kDigitsU)))
    return true;
  // [-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
  if (!w.empty() && w[0] >= '1' && w[0] <= '9') {
    Cur c{w, 1};
    c.EatMany(kDigitsU);
    size_t groups = 0;
    while (c.Eat(':')) {
      if (c.i < w.size() && w[c.i] >= '0' && w[c.i] <= '5' && c.i + 1 < w.size() && IsDigit(w[c.i + 1])) {
        c.i += 2;
      } else if (!c.EatOneOf(kDigits)) {
        return false;
      }
      ++groups;
    }
    return groups > 0 && c.End();
  }
  return false;
}

// The groups of ruamel's timestamp_regexp (util.py); the resolver's regexp accepts the same texts.
struct TimestampParts {
  std::string_view year, month, day, hour, minute, second, fraction, tz_sign, tz_hour, tz_minute;
  bool has_time = false;
};

std::optional<TimestampParts> MatchTimestamp(std::string_view v) {
  TimestampParts p;
  Cur c{v};
  auto digits = [&](size_t min, size_t max) -> std::string_view {
    const size_t start = c.i;
    while (c.i < v.size() && c.i - start < max && IsDigit(v[c.i])) ++c.i;
    if (c.i - start < min) return {};
    return v.substr(start, c.i - start);
  };
  // The date alone: [0-9]{4}-[0-9]{2}-[0-9]{2} (the resolver); the constructor's regexp also takes 1-digit
  // months and days, but only with a time.
  p.year = digits(4, 4);
  if (p.year.empty() || !c.Eat('-')) return std::nullopt;
  p.month = digits(1, 2);
  if (p.month.empty() || !c.Eat('-')) return std::nullopt;
  p.day = digits(1, 2);
  if (p.day.empty()) return std::nullopt;
  if (c.End()) {
    if (p.month.size() != 2 || p.day.size() != 2) return std::nullopt;
    return p;
  }
  if (!c.EatOneOf("Tt")) {
    if (c.EatMany(" \t") == 0) return std::nullopt;
  }
  p.has_time = true;
  p.hour = digits(1, 2);
  if (p.hour.empty() || !c.Eat(':')) return std::nullopt;
  p.minute = digits(2, 2);
  if (p.minute.empty() || !c.Eat(':')) return std::nullopt;
  p.second = digits(2, 2);
  if (p.second.empty()) return std::nullopt;
  if (c.Eat('.')) {
    const size_t start = c.i;
    c.EatMany(kDigits);
    p.fraction = v.substr(start, c.i - start);
  }
  if (c.End()) return p;
  c.EatMany(" \t");
  if (c.Eat('Z')) return c.End() ? std::optional(p) : std::nullopt;
  if (c.i < v.size() && (v[c.i] == '-' || v[c.i] == '+')) {
    p.tz_sign = v.substr(c.i++, 1);
    p.tz_hour = digits(1, 2);
    if (p.tz_hour.empty()) return std::nullopt;
    if (c.Eat(':')) {
      p.tz_minute = digits(2, 2);
      if (p.tz_minute.empty()) return std::nullopt;
    }
    return c.End() ? std::optional(p) : std::nullopt;
  }
  return std::nullopt;
}

// BaseResolver.resolve(ScalarNode, value, (True, False)): the first implicit resolver (in resolver.py's
// order, for the version) whose regexp matches. Python's `$` also matches before one final "\n".
Implicit Resolve(std::string_view value, bool yaml11) {
  std::string_view v = value;
  if (!v.empty() && v.back() == '\n') v.remove_suffix(1);
  if (v == "true" || v == "True" || v == "TRUE" || v == "false" || v == "False" || v == "FALSE") {
    return Implicit::kBool;
  }
  if (yaml11) {
    static constexpr std::string_view k11[] = {"y",  "Y",  "yes", "Yes", "YES", "n",   "N",   "no",
                                               "No", "NO", "on",  "On",  "ON",  "off", "Off", "OFF"};
    for (std::string_view b : k11) {
      if (v == b) return Implicit::kBool;
    }
  }
  if (MatchFloat(v, yaml11)) return Implicit::kFloat;
  // The resolvers are looked up by the first character: the int regexp also matches "_1", which is no
  // int (its first characters are -+0123456789).
  if (!v.empty() && v[0] != '_' && MatchInt(v, yaml11)) return Implicit::kInt;
  if (v == "<<") return Implicit::kMerge;
  if (v == "~" || v == "null" || v == "Null" || v == "NULL" || value.empty()) return Implicit::kNull;
  if (MatchTimestamp(v)) return Implicit::kTimestamp;
  if (v == "=") return Implicit::kValue;
  if (v == "!" || v == "&" || v == "*") return Implicit::kYaml;
  return Implicit::kStr;
}

// ---- Python's renderings
// -----------------------------------------------------------------------------------

std::string FloatRepr(double d) { return jmespath::PythonRepr(Json(d)); }

// json.dump(value, ensure_ascii=False) of a scalar.
std::string JsonDumpScalar(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case Json::value_t::number_integer: return std::to_string(v.get<int64_t>());
    case Json::value_t::number_unsigned: return std::to_string(v.get<uint64_t>());
    case Json::value_t::number_float: {
      const double d = v.get<double>();
      if (std::isnan(d)) return "NaN";
      if (std::isinf(d)) return d < 0 ? "-Infinity" : "Infinity";
      return FloatRepr(d);
    }
    // nlohmann's serializer without ensure_ascii escapes exactly json's set: '"', '\\', \b \f \n \r \t and
    // the other C0 controls as lowercase \u00xx; the text is made valid UTF-8 first, so nothing is replaced
    case Json::value_t::string: return Json(ValidUtf8(v.get_ref<const std::string&>())).dump();
    default: return "null";
  }
}

// ---- libyaml's emitter (src/emitter.c), for the events ruamel's CEmitter sends ----------------------------

enum class Ev { kSequenceStart, kSequenceEnd, kMappingStart, kMappingEnd, kScalar };

struct Event {
  Ev type;
  std::string value;            // scalars: the text (valid UTF-8)
  std::string tag;              // scalars: the full tag
  bool plain_implicit = true;   // tag == resolve(value, (True, False))
  bool quoted_implicit = true;  // tag == resolve(value, (False, True)), i.e. the tag is str
};

enum class Style { kPlain, kSingle, kDouble };

enum class State {
  kDocumentContent,
  kDocumentEnd,
  kFlowSequenceFirstItem,
  kFlowSequenceItem,
  kFlowMappingFirstKey,
  kFlowMappingKey,
  kFlowMappingSimpleValue,
  kFlowMappingValue,
  kBlockSequenceFirstItem,
  kBlockSequenceItem,
  kBlockMappingFirstKey,
  kBlockMappingKey,
  kBlockMappingSimpleValue,
  kBlockMappingValue,
  kEnd,
};

// The character macros of yaml_private.h, on a string with an implicit NUL past its end.
struct Text {
  const std::string& s;
  unsigned char At(size_t i) const { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0; }
  size_t Width(size_t i) const {
    const unsigned c = At(i);
    return (c & 0x80) == 0x00   ? 1
           : (c & 0xE0) == 0xC0 ? 2
           : (c & 0xF0) == 0xE0 ? 3
           : (c & 0xF8) == 0xF0 ? 4
                                : 1;
  }
  bool IsPrintable(size_t i) const {
    const unsigned c = At(i), c1 = At(i + 1), c2 = At(i + 2);
    return c == 0x0A || (c >= 0x20 && c <= 0x7E) || (c == 0xC2 && c1 >= 0xA0) || (c > 0xC2 && c < 0xED) ||
           (c == 0xED && c1 < 0xA0) || c == 0xEE ||
           (c == 0xEF && !(c1 == 0xBB && c2 == 0xBF) && !(c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF)));
  }
  bool IsSpace(size_t i) const { return At(i) == ' '; }
  bool IsBlank(size_t i) const { return At(i) == ' ' || At(i) == '\t'; }
  bool IsBreak(size_t i) const {
    const unsigned c = At(i);
    return c == '\r' || c == '\n' || (c == 0xC2 && At(i + 1) == 0x85) ||
           (c == 0xE2 && At(i + 1) == 0x80 && (At(i + 2) == 0xA8 || At(i + 2) == 0xA9));
  }
  bool IsZ(size_t i) const { return At(i) == 0; }
  bool IsBlankZ(size_t i) const { return IsBlank(i) || IsBreak(i) || IsZ(i); }
  bool IsBom(size_t i) const { return At(i) == 0xEF && At(i + 1) == 0xBB && At(i + 2) == 0xBF; }
};

class Emitter {
 public:
  explicit Emitter(const std::vector<Event>& events) : events_(events) {}

  std::string Run() {
    // STREAM-START and an implicit DOCUMENT-START write nothing (UTF-8, no directives, no `---`).
    state_ = State::kDocumentContent;
    for (head_ = 0; head_ < events_.size(); ++head_) {
      Analyze(events_[head_]);
      Dispatch(events_[head_]);
    }
    // DOCUMENT-END (implicit), STREAM-END.
    WriteIndent();
    return std::move(out_);
  }

 private:
  static constexpr int kBestIndent = 2;
  static constexpr int kBestWidth = 80;

  // ---- output ----
  void Put(char c) {
    out_ += c;
    ++column_;
  }
  void PutBreak() {
    out_ += '\n';
    column_ = 0;
  }
  // WRITE: one character of `s` at `i` (advancing i).
  void Write(const Text& t, size_t& i) {
    const size_t w = t.Width(i);
    out_.append(t.s, i, w);
    i += w;
    ++column_;
  }
  // WRITE_BREAK
  void WriteBreak(const Text& t, size_t& i) {
    if (t.At(i) == '\n') {
      PutBreak();
      ++i;
    } else {
      const size_t w = t.Width(i);
      out_.append(t.s, i, w);
      i += w;
      column_ = 0;
    }
  }

  void WriteIndent() {
    const int indent = indent_ >= 0 ? indent_ : 0;
    if (!indention_ || column_ > indent || (column_ == indent && !whitespace_)) PutBreak();
    while (column_ < indent) Put(' ');
    whitespace_ = true;
    indention_ = true;
  }

  void WriteIndicator(std::string_view indicator, bool need_whitespace, bool is_whitespace,
                      bool is_indention) {
    if (need_whitespace && !whitespace_) Put(' ');
    for (char c : indicator) Put(c);
    whitespace_ = is_whitespace;
    indention_ = indention_ && is_indention;
  }

  void IncreaseIndent(bool flow, bool indentless) {
    indents_.push_back(indent_);
    if (indent_ < 0) {
      indent_ = flow ? kBestIndent : 0;
    } else if (!indentless) {
      indent_ += kBestIndent;
    }
  }

  int PopIndent() {
    const int v = indents_.back();
    indents_.pop_back();
    return v;
  }
  State PopState() {
    const State v = states_.back();
    states_.pop_back();
    return v;
  }

  // ---- analysis ----
  void Analyze(const Event& e) {
    tag_handle_.clear();
    tag_suffix_.clear();
    has_tag_ = false;
    scalar_ = nullptr;
    if (e.type != Ev::kScalar) return;
    if (!e.plain_implicit && !e.quoted_implicit) AnalyzeTag(e.tag);
    AnalyzeScalar(e.value);
  }

  void AnalyzeTag(const std::string& tag) {
    has_tag_ = true;
    static constexpr std::string_view kSecondary = "tag:yaml.org,2002:";
    if (tag.size() > kSecondary.size() && tag.starts_with(kSecondary)) {
      tag_handle_ = "!!";
      tag_suffix_ = tag.substr(kSecondary.size());
    } else if (tag.size() > 1 && tag[0] == '!') {
      tag_handle_ = "!";
      tag_suffix_ = tag.substr(1);
    } else {
      tag_suffix_ = tag;
    }
  }

  void AnalyzeScalar(const std::string& value) {
    scalar_ = &value;
    const Text t{value};
    if (value.empty()) {
      multiline_ = false;
      flow_plain_allowed_ = false;
      block_plain_allowed_ = true;
      single_quoted_allowed_ = true;
      block_allowed_ = false;
      return;
    }
    bool block_indicators = false, flow_indicators = false, line_breaks = false, special_characters = false;
    bool leading_space = false, leading_break = false, trailing_space = false, trailing_break = false;
    bool break_space = false, space_break = false;
    bool previous_space = false, previous_break = false;
    if ((t.At(0) == '-' && t.At(1) == '-' && t.At(2) == '-') ||
        (t.At(0) == '.' && t.At(1) == '.' && t.At(2) == '.')) {
      block_indicators = true;
      flow_indicators = true;
    }
    bool preceded_by_whitespace = true;
    bool followed_by_whitespace = t.IsBlankZ(t.Width(0));
    for (size_t i = 0; i < value.size();) {
      const unsigned char c = t.At(i);
      if (i == 0) {
        if (std::string_view("#,[]{}&*!|>'\"%@`").find(static_cast<char>(c)) != std::string_view::npos) {
          flow_indicators = true;
          block_indicators = true;
        }
        if (c == '?' || c == ':') {
          flow_indicators = true;
          if (followed_by_whitespace) block_indicators = true;
        }
        if (c == '-' && followed_by_whitespace) {
          flow_indicators = true;
          block_indicators = true;
        }
      } else {
        if (std::string_view(",?[]{}").find(static_cast<char>(c)) != std::string_view::npos)
          flow_indicators = true;
        if (c == ':') {
          flow_indicators = true;
          if (followed_by_whitespace) block_indicators = true;
        }
        if (c == '#' && preceded_by_whitespace) {
          flow_indicators = true;
          block_indicators = true;
        }
      }
      if (!t.IsPrintable(i)) special_characters = true;  // allow_unicode: non-ASCII printables are fine
      if (t.IsBreak(i)) line_breaks = true;
      const size_t w = t.Width(i);
      if (t.IsSpace(i)) {
        if (i == 0) leading_space = true;
        if (i + w == value.size()) trailing_space = true;
        if (previous_break) break_space = true;
        previous_space = true;
        previous_break = false;
      } else if (t.IsBreak(i)) {
        if (i == 0) leading_break = true;
        if (i + w == value.size()) trailing_break = true;
        if (previous_space) space_break = true;
        previous_space = false;
        previous_break = true;
      } else {
        previous_space = false;
        previous_break = false;
      }
      preceded_by_whitespace = t.IsBlankZ(i);
      i += w;
      if (i != value.size()) followed_by_whitespace = t.IsBlankZ(i + t.Width(i));
    }
    multiline_ = line_breaks;
    flow_plain_allowed_ = block_plain_allowed_ = single_quoted_allowed_ = block_allowed_ = true;
    if (leading_space || leading_break || trailing_space || trailing_break) {
      flow_plain_allowed_ = block_plain_allowed_ = false;
    }
    if (trailing_space) block_allowed_ = false;
    if (break_space) flow_plain_allowed_ = block_plain_allowed_ = single_quoted_allowed_ = false;
    if (space_break || special_characters) {
      flow_plain_allowed_ = block_plain_allowed_ = single_quoted_allowed_ = block_allowed_ = false;
    }
    if (line_breaks) flow_plain_allowed_ = block_plain_allowed_ = false;
    if (flow_indicators) flow_plain_allowed_ = false;
    if (block_indicators) block_plain_allowed_ = false;
  }

  bool CheckEmptySequence() const {
    return head_ + 1 < events_.size() && events_[head_].type == Ev::kSequenceStart &&
           events_[head_ + 1].type == Ev::kSequenceEnd;
  }
  bool CheckEmptyMapping() const {
    return head_ + 1 < events_.size() && events_[head_].type == Ev::kMappingStart &&
           events_[head_ + 1].type == Ev::kMappingEnd;
  }
  size_t TagLength() const { return tag_handle_.size() + tag_suffix_.size(); }

  bool CheckSimpleKey() const {
    const Event& e = events_[head_];
    size_t length = 0;
    switch (e.type) {
      case Ev::kScalar:
        if (multiline_) return false;
        length = TagLength() + scalar_->size();
        break;
      case Ev::kSequenceStart:
        if (!CheckEmptySequence()) return false;
        length = TagLength();
        break;
      case Ev::kMappingStart:
        if (!CheckEmptyMapping()) return false;
        length = TagLength();
        break;
      default: return false;
    }
    return length <= 128;
  }

  // ---- the state machine ----
  void Dispatch(const Event& e) {
    switch (state_) {
      case State::kDocumentContent:
        states_.push_back(State::kDocumentEnd);
        EmitNode(e, true, false, false, false);
        return;
      case State::kFlowSequenceFirstItem: return FlowSequenceItem(e, true);
      case State::kFlowSequenceItem: return FlowSequenceItem(e, false);
      case State::kFlowMappingFirstKey: return FlowMappingKey(e, true);
      case State::kFlowMappingKey: return FlowMappingKey(e, false);
      case State::kFlowMappingSimpleValue: return FlowMappingValue(e, true);
      case State::kFlowMappingValue: return FlowMappingValue(e, false);
      case State::kBlockSequenceFirstItem: return BlockSequenceItem(e, true);
      case State::kBlockSequenceItem: return BlockSequenceItem(e, false);
      case State::kBlockMappingFirstKey: return BlockMappingKey(e, true);
      case State::kBlockMappingKey: return BlockMappingKey(e, false);
      case State::kBlockMappingSimpleValue: return BlockMappingValue(e, true);
      case State::kBlockMappingValue: return BlockMappingValue(e, false);
      case State::kDocumentEnd:
      case State::kEnd: return;  // nothing follows the root node
    }
  }

  void FlowSequenceItem(const Event& e, bool first) {
    if (first) {
      WriteIndicator("[", true, true, false);
      IncreaseIndent(true, false);
      ++flow_level_;
    }
    if (e.type == Ev::kSequenceEnd) {
      --flow_level_;
      indent_ = PopIndent();
      WriteIndicator("]", false, false, false);
      state_ = PopState();
      return;
    }
    if (!first) WriteIndicator(",", false, false, false);
    if (column_ > kBestWidth) WriteIndent();
    states_.push_back(State::kFlowSequenceItem);
    EmitNode(e, false, true, false, false);
  }

  void FlowMappingKey(const Event& e, bool first) {
    if (first) {
      WriteIndicator("{", true, true, false);
      IncreaseIndent(true, false);
      ++flow_level_;
    }
    if (e.type == Ev::kMappingEnd) {
      --flow_level_;
      indent_ = PopIndent();
      WriteIndicator("}", false, false, false);
      state_ = PopState();
      return;
    }
    if (!first) WriteIndicator(",", false, false, false);
    if (column_ > kBestWidth) WriteIndent();
    if (CheckSimpleKey()) {
      states_.push_back(State::kFlowMappingSimpleValue);
      EmitNode(e, false, false, true, true);
    } else {
      WriteIndicator("?", true, false, false);
      states_.push_back(State::kFlowMappingValue);
      EmitNode(e, false, false, true, false);
    }
  }

  void FlowMappingValue(const Event& e, bool simple) {
    if (simple) {
      WriteIndicator(":", false, false, false);
    } else {
      if (column_ > kBestWidth) WriteIndent();
      WriteIndicator(":", true, false, false);
    }
    states_.push_back(State::kFlowMappingKey);
    EmitNode(e, false, false, true, false);
  }

  void BlockSequenceItem(const Event& e, bool first) {
    if (first) IncreaseIndent(false, mapping_context_ && !indention_);
    if (e.type == Ev::kSequenceEnd) {
      indent_ = PopIndent();
      state_ = PopState();
      return;
    }
    WriteIndent();
    WriteIndicator("-", true, false, true);
    states_.push_back(State::kBlockSequenceItem);
    EmitNode(e, false, true, false, false);
  }

  void BlockMappingKey(const Event& e, bool first) {
    if (first) IncreaseIndent(false, false);
    if (e.type == Ev::kMappingEnd) {
      indent_ = PopIndent();
      state_ = PopState();
      return;
    }
    WriteIndent();
    if (CheckSimpleKey()) {
      states_.push_back(State::kBlockMappingSimpleValue);
      EmitNode(e, false, false, true, true);
    } else {
      WriteIndicator("?", true, false, true);
      states_.push_back(State::kBlockMappingValue);
      EmitNode(e, false, false, true, false);
    }
  }

  void BlockMappingValue(const Event& e, bool simple) {
    if (simple) {
      WriteIndicator(":", false, false, false);
    } else {
      WriteIndent();
      WriteIndicator(":", true, false, true);
    }
    states_.push_back(State::kBlockMappingKey);
    EmitNode(e, false, false, true, false);
  }

  void EmitNode(const Event& e, bool root, bool sequence, bool mapping, bool simple_key) {
    root_context_ = root;
    sequence_context_ = sequence;
    mapping_context_ = mapping;
    simple_key_context_ = simple_key;
    switch (e.type) {
      case Ev::kScalar: return EmitScalar(e);
      case Ev::kSequenceStart:
        state_ = (flow_level_ || CheckEmptySequence()) ? State::kFlowSequenceFirstItem
                                                       : State::kBlockSequenceFirstItem;
        return;
      case Ev::kMappingStart:
        state_ =
            (flow_level_ || CheckEmptyMapping()) ? State::kFlowMappingFirstKey : State::kBlockMappingFirstKey;
        return;
      default: state_ = State::kEnd; return;  // an end where a node was expected: not from our events
    }
  }

  void EmitScalar(const Event& e) {
    SelectScalarStyle(e);
    ProcessTag();
    IncreaseIndent(true, false);
    switch (style_) {
      case Style::kPlain: WritePlain(*scalar_, !simple_key_context_); break;
      case Style::kSingle: WriteSingleQuoted(*scalar_, !simple_key_context_); break;
      case Style::kDouble: WriteDoubleQuoted(*scalar_, !simple_key_context_); break;
    }
    indent_ = PopIndent();
    state_ = PopState();
  }

  void SelectScalarStyle(const Event& e) {
    const bool no_tag = !has_tag_;
    Style style = Style::kPlain;
    if (simple_key_context_ && multiline_) style = Style::kDouble;
    if (style == Style::kPlain) {
      if ((flow_level_ && !flow_plain_allowed_) || (!flow_level_ && !block_plain_allowed_))
        style = Style::kSingle;
      if (scalar_->empty() && (flow_level_ || simple_key_context_)) style = Style::kSingle;
      if (no_tag && !e.plain_implicit) style = Style::kSingle;
    }
    if (style == Style::kSingle && !single_quoted_allowed_) style = Style::kDouble;
    if (no_tag && !e.quoted_implicit && style != Style::kPlain) {
      tag_handle_ = "!";
      has_tag_ = true;
    }
    style_ = style;
  }

  void ProcessTag() {
    if (!has_tag_) return;
    if (!tag_handle_.empty()) {
      if (!whitespace_) Put(' ');
      for (char c : tag_handle_) Put(c);
      whitespace_ = indention_ = false;
      if (!tag_suffix_.empty()) WriteTagContent(tag_suffix_);
    } else {
      WriteIndicator("!<", true, false, false);
      WriteTagContent(tag_suffix_);
      WriteIndicator(">", false, false, false);
    }
  }

  void WriteTagContent(const std::string& value) {
    const Text t{value};
    for (size_t i = 0; i < value.size();) {
      const unsigned char c = t.At(i);
      const bool alpha =
          (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '-';
      if (alpha ||
          std::string_view(";/?:@&=+$,_.~*'()[]").find(static_cast<char>(c)) != std::string_view::npos) {
        Write(t, i);
      } else {
        for (size_t w = t.Width(i); w > 0 && i < value.size(); --w) {
          const unsigned v = t.At(i++);
          Put('%');
          Put(static_cast<char>((v >> 4) + ((v >> 4) < 10 ? '0' : 'A' - 10)));
          Put(static_cast<char>((v & 0x0F) + ((v & 0x0F) < 10 ? '0' : 'A' - 10)));
        }
      }
    }
    whitespace_ = indention_ = false;
  }

  void WritePlain(const std::string& value, bool allow_breaks) {
    const Text t{value};
    bool spaces = false, breaks = false;
    if (!whitespace_ && (!value.empty() || flow_level_)) Put(' ');
    for (size_t i = 0; i < value.size();) {
      if (t.IsSpace(i)) {
        if (allow_breaks && !spaces && column_ > kBestWidth && !t.IsSpace(i + 1)) {
          WriteIndent();
          i += 1;
        } else {
          Write(t, i);
        }
        spaces = true;
      } else if (t.IsBreak(i)) {
        if (!breaks && t.At(i) == '\n') PutBreak();
        WriteBreak(t, i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) WriteIndent();
        Write(t, i);
        indention_ = false;
        spaces = breaks = false;
      }
    }
    whitespace_ = indention_ = false;
  }

  void WriteSingleQuoted(const std::string& value, bool allow_breaks) {
    const Text t{value};
    bool spaces = false, breaks = false;
    WriteIndicator("'", true, false, false);
    for (size_t i = 0; i < value.size();) {
      if (t.IsSpace(i)) {
        if (allow_breaks && !spaces && column_ > kBestWidth && i != 0 && i != value.size() - 1 &&
            !t.IsSpace(i + 1)) {
          WriteIndent();
          i += 1;
        } else {
          Write(t, i);
        }
        spaces = true;
      } else if (t.IsBreak(i)) {
        if (!breaks && t.At(i) == '\n') PutBreak();
        WriteBreak(t, i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) WriteIndent();
        if (t.At(i) == '\'') Put('\'');
        Write(t, i);
        indention_ = false;
        spaces = breaks = false;
      }
    }
    if (breaks) WriteIndent();
    WriteIndicator("'", false, false, false);
    whitespace_ = indention_ = false;
  }

  void WriteDoubleQuoted(const std::string& value, bool allow_breaks) {
    const Text t{value};
    bool spaces = false;
    WriteIndicator("\"", true, false, false);
    for (size_t i = 0; i < value.size();) {
      if (!t.IsPrintable(i) || t.IsBom(i) || t.IsBreak(i) || t.At(i) == '"' || t.At(i) == '\\') {
        unsigned octet = t.At(i);
        const unsigned width = (octet & 0x80) == 0x00   ? 1
                               : (octet & 0xE0) == 0xC0 ? 2
                               : (octet & 0xF0) == 0xE0 ? 3
                               : (octet & 0xF8) == 0xF0 ? 4
                                                        : 1;
        unsigned v = (octet & 0x80) == 0x00   ? octet & 0x7F
                     : (octet & 0xE0) == 0xC0 ? octet & 0x1F
                     : (octet & 0xF0) == 0xE0 ? octet & 0x0F
                     : (octet & 0xF8) == 0xF0 ? octet & 0x07
                                              : octet;
        for (unsigned k = 1; k < width; ++k) v = (v << 6) + (t.At(i + k) & 0x3F);
        i += width;
        Put('\\');
        switch (v) {
          case 0x00: Put('0'); break;
          case 0x07: Put('a'); break;
          case 0x08: Put('b'); break;
          case 0x09: Put('t'); break;
          case 0x0A: Put('n'); break;
          case 0x0B: Put('v'); break;
          case 0x0C: Put('f'); break;
          case 0x0D: Put('r'); break;
          case 0x1B: Put('e'); break;
          case 0x22: Put('"'); break;
          case 0x5C: Put('\\'); break;
          case 0x85: Put('N'); break;
          case 0xA0: Put('_'); break;
          case 0x2028: Put('L'); break;
          case 0x2029: Put('P'); break;
          default: {
            int digits;
            if (v <= 0xFF) {
              Put('x');
              digits = 2;
            } else if (v <= 0xFFFF) {
              Put('u');
              digits = 4;
            } else {
              Put('U');
              digits = 8;
            }
            for (int k = (digits - 1) * 4; k >= 0; k -= 4) {
              const unsigned d = (v >> k) & 0x0F;
              Put(static_cast<char>(d + (d < 10 ? '0' : 'A' - 10)));
            }
          }
        }
        spaces = false;
      } else if (t.IsSpace(i)) {
        if (allow_breaks && !spaces && column_ > kBestWidth && i != 0 && i != value.size() - 1) {
          WriteIndent();
          if (t.IsSpace(i + 1)) Put('\\');
          i += 1;
        } else {
          Write(t, i);
        }
        spaces = true;
      } else {
        Write(t, i);
        spaces = false;
      }
    }
    WriteIndicator("\"", false, false, false);
    whitespace_ = indention_ = false;
  }

  const std::vector<Event>& events_;
  size_t head_ = 0;
  std::string out_;
  State state_ = State::kDocumentContent;
  std::vector<State> states_;
  std::vector<int> indents_;
  int indent_ = -1;
  int flow_level_ = 0;
  bool root_context_ = false, sequence_context_ = false, mapping_context_ = false,
       simple_key_context_ = false;
  int column_ = 0;
  bool whitespace_ = true, indention_ = true;
  // the analysis of the head event
  std::string tag_handle_, tag_suffix_;
  bool has_tag_ = false;
  const std::string* scalar_ = nullptr;
  bool multiline_ = false, flow_plain_allowed_ = false, block_plain_allowed_ = false;
  bool single_quoted_allowed_ = false, block_allowed_ = false;
  Style style_ = Style::kPlain;
};

// ---- SafeRepresenter: JSON -> events
// -----------------------------------------------------------------------

Event ScalarEvent(std::string value, const char* tag_suffix) {
  Event e{Ev::kScalar, std::move(value), std::string("tag:yaml.org,2002:") + tag_suffix};
  const Implicit detected = Resolve(e.value, false);
  static constexpr std::pair<Implicit, std::string_view> kNames[] = {
      {Implicit::kStr, "str"},     {Implicit::kNull, "null"},   {Implicit::kBool, "bool"},
      {Implicit::kInt, "int"},     {Implicit::kFloat, "float"}, {Implicit::kTimestamp, "timestamp"},
      {Implicit::kMerge, "merge"}, {Implicit::kValue, "value"}, {Implicit::kYaml, "yaml"}};
  std::string_view detected_name = "str";
  for (const auto& [k, name] : kNames) {
    if (k == detected) detected_name = name;
  }
  e.plain_implicit = detected_name == tag_suffix;
  e.quoted_implicit = std::string_view(tag_suffix) == "str";
  return e;
}

Event RepresentScalar(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return ScalarEvent("null", "null");
    case Json::value_t::boolean: return ScalarEvent(v.get<bool>() ? "true" : "false", "bool");
    case Json::value_t::number_integer: return ScalarEvent(std::to_string(v.get<int64_t>()), "int");
    case Json::value_t::number_unsigned: return ScalarEvent(std::to_string(v.get<uint64_t>()), "int");
    case Json::value_t::number_float: {
      const double d = v.get<double>();
      if (std::isnan(d)) return ScalarEvent(".nan", "float");
      if (std::isinf(d)) return ScalarEvent(d > 0 ? ".inf" : "-.inf", "float");
      std::string r = FloatRepr(d);
      std::transform(r.begin(), r.end(), r.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; });
      return ScalarEvent(std::move(r), "float");
    }
    case Json::value_t::string: return ScalarEvent(ValidUtf8(v.get_ref<const std::string&>()), "str");
    default: return ScalarEvent("null", "null");  // binary and discarded values do not come from JSON text
  }
}

// The events ruamel sends for a collection (sorted mapping keys), built with an explicit stack.
std::vector<Event> Represent(const Json& root) {
  std::vector<Event> events;
  struct Frame {
    const Json* node;
    std::vector<std::pair<std::string, const Json*>> items;  // mappings: sorted (key, value)
    size_t next = 0;
  };
  std::vector<Frame> stack;
  auto open = [&](const Json& v) {
    if (v.is_object()) {
      events.push_back({Ev::kMappingStart, {}, {}});
      Frame f{&v, {}};
      f.items.reserve(v.size());
      for (auto it = v.begin(); it != v.end(); ++it) f.items.emplace_back(ValidUtf8(it.key()), &it.value());
      std::sort(f.items.begin(), f.items.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      stack.push_back(std::move(f));
    } else if (v.is_array()) {
      events.push_back({Ev::kSequenceStart, {}, {}});
      stack.push_back(Frame{&v, {}});
    } else {
      events.push_back(RepresentScalar(v));
    }
  };
  open(root);
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (f.node->is_object()) {
      if (f.next == f.items.size()) {
        events.push_back({Ev::kMappingEnd, {}, {}});
        stack.pop_back();
        continue;
      }
      auto& item = f.items[f.next++];
      const Json* value = item.second;
      events.push_back(ScalarEvent(std::move(item.first), "str"));
      open(*value);  // may invalidate f
    } else {
      if (f.next == f.node->size()) {
        events.push_back({Ev::kSequenceEnd, {}, {}});
        stack.pop_back();
        continue;
      }
      const Json& item = (*f.node)[f.next++];
      open(item);
    }
  }
  return events;
}

// ---- the loader: yaml-cpp's events -> nodes (ruamel's Composer)
// --------------------------------------------

constexpr int kMaxDepth = 1000;
constexpr size_t kMaxNodes = 1000000;

// A failure as ruamel would raise it: a YAMLError (Invalid YAML received) or another Python exception.
struct LoadError {
  std::string exception;  // "YAMLError", "ValueError", "TypeError", ...
  std::string text;       // Python's str(e) for non-YAML errors; our precise words for YAML errors
  YAML::Mark mark;
};

struct YNode {
  enum Kind { kScalar, kSequence, kMapping } kind = kScalar;
  std::string tag;          // "?" plain untagged, "!" non-plain untagged or explicit `!`, else the full tag
  std::string value;        // scalars
  bool null_plain = false;  // a plain null yaml-cpp reported without its text (`~`, `null`, empty)
  YAML::Mark mark;
  std::vector<size_t> items;                     // sequences
  std::vector<std::pair<size_t, size_t>> pairs;  // mappings (after flatten: merged pairs first)
  bool has_merge = false;
  bool flattened = false;
};

// Python's str.isspace() for ASCII, which int() and float() strip.
bool IsPySpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view StripPySpace(std::string_view s) {
  while (!s.empty() && IsPySpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsPySpace(s.back())) s.remove_suffix(1);
  return s;
}

class Builder : public YAML::EventHandler {
 public:
  Builder(std::string_view text, std::vector<YNode>& nodes) : text_(text), nodes_(nodes) {}

  std::optional<size_t> root;
  std::optional<LoadError> error;
  YAML::Mark document_mark = YAML::Mark::null_mark();

  void OnDocumentStart(const YAML::Mark& mark) override { document_mark = mark; }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    YNode n;
    n.mark = mark;
    // yaml-cpp drops the tag of a plain null (`!!str null`, `!!str` alone): read the properties back from
    // the text at the node's mark.
    RecoverTaggedNull(n);
    Add(std::move(n), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      if (!error) error = LoadError{"YAMLError", "found undefined alias", mark};
      return;
    }
    Attach(it->second);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    YNode n;
    n.mark = mark;
    n.tag = tag;
    // A quoted scalar is decoded again from the text with ruamel's rules for folding line breaks (yaml-cpp
    // loses breaks before the closing quote and takes U+0085/U+2028/U+2029 for ordinary characters).
    auto decoded = DecodeQuoted(mark);
    n.value = decoded ? std::move(*decoded) : FixYamlCppEscapes(value);
    Add(std::move(n), anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    YNode n;
    n.kind = YNode::kSequence;
    n.mark = mark;
    n.tag = tag;
    open_.push_back(Open{Add(std::move(n), anchor)});
  }
  void OnSequenceEnd() override {
    if (!open_.empty()) open_.pop_back();
  }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    YNode n;
    n.kind = YNode::kMapping;
    n.mark = mark;
    n.tag = tag;
    open_.push_back(Open{Add(std::move(n), anchor)});
  }
  void OnMapEnd() override {
    if (!open_.empty()) open_.pop_back();
  }

 private:
  size_t Add(YNode n, YAML::anchor_t anchor) {
    nodes_.push_back(std::move(n));
    const size_t index = nodes_.size() - 1;
    if (anchor != YAML::NullAnchor) anchors_[anchor] = index;
    Attach(index);
    return index;
  }

  void Attach(size_t index) {
    if (open_.empty()) {
      if (!root) root = index;
      return;
    }
    Open& o = open_.back();
    YNode& parent = nodes_[o.index];
    if (parent.kind == YNode::kSequence) {
      parent.items.push_back(index);
    } else if (!o.has_key) {
      o.key = index;
      o.has_key = true;
    } else {
      parent.pairs.emplace_back(o.key, index);
      o.has_key = false;
    }
  }

  // The length of the line break at i (ruamel's set: \r\n, \r, \n, U+0085, U+2028, U+2029), or 0.
  size_t BreakAt(size_t i) const {
    const std::string_view t = text_;
    if (i >= t.size()) return 0;
    if (t[i] == '\r') return i + 1 < t.size() && t[i + 1] == '\n' ? 2 : 1;
    if (t[i] == '\n') return 1;
    if (t.substr(i, 2) == "\xC2\x85") return 2;
    if (t.substr(i, 3) == "\xE2\x80\xA8" || t.substr(i, 3) == "\xE2\x80\xA9") return 3;
    return 0;
  }
  // scan_line_break: \r\n, \r, \n and U+0085 read as "\n"; U+2028 and U+2029 as themselves.
  std::string LineBreak(size_t i, size_t len) const {
    return len == 3 ? std::string(text_.substr(i, 3)) : std::string("\n");
  }

  // ruamel's Scanner.scan_flow_scalar on the text at `mark`, or nothing when it is no quoted scalar (or holds
  // what we do not decode: a surrogate escape). yaml-cpp has checked the syntax already.
  std::optional<std::string> DecodeQuoted(const YAML::Mark& mark) const {
    if (mark.pos < 0 || static_cast<size_t>(mark.pos) >= text_.size()) return std::nullopt;
    const std::string_view t = text_;
    size_t i = static_cast<size_t>(mark.pos);
    const char quote = t[i];
    if (quote != '\'' && quote != '"') return std::nullopt;
    const bool dbl = quote == '"';
    ++i;
    std::string out;
    auto breaks_after = [&](size_t& j, std::string& into) {
      while (true) {
        while (j < t.size() && (t[j] == ' ' || t[j] == '\t')) ++j;
        const size_t len = BreakAt(j);
        if (len == 0) return;
        into += LineBreak(j, len);
        j += len;
      }
    };
    while (i < t.size()) {
      const char c = t[i];
      if (c == quote && !(quote == '\'' && i + 1 < t.size() && t[i + 1] == '\'')) return out;
      if (!dbl && c == '\'') {  // '' inside single quotes
        out += '\'';
        i += 2;
      } else if (dbl && c == '\\') {
        if (i + 1 >= t.size()) return std::nullopt;
        const char e = t[i + 1];
        static const std::map<char, std::string> kEscapes = {{'0', std::string(1, '\0')},
                                                             {'a', "\a"},
                                                             {'b', "\b"},
                                                             {'t', "\t"},
                                                             {'\t', "\t"},
                                                             {'n', "\n"},
                                                             {'v', "\v"},
                                                             {'f', "\f"},
                                                             {'r', "\r"},
                                                             {'e', "\x1B"},
                                                             {' ', " "},
                                                             {'"', "\""},
                                                             {'/', "/"},
                                                             {'\\', "\\"},
                                                             {'N', "\xC2\x85"},
                                                             {'_', "\xC2\xA0"},
                                                             {'L', "\xE2\x80\xA8"},
                                                             {'P', "\xE2\x80\xA9"}};
        if (auto it = kEscapes.find(e); it != kEscapes.end()) {
          out += it->second;
          i += 2;
        } else if (e == 'x' || e == 'u' || e == 'U') {
          const size_t digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          if (i + 2 + digits > t.size()) return std::nullopt;
          uint32_t cp = 0;
          for (size_t k = 0; k < digits; ++k) {
            const char h = t[i + 2 + k];
            const int v = h >= '0' && h <= '9'   ? h - '0'
                          : h >= 'a' && h <= 'f' ? h - 'a' + 10
                          : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                                 : -1;
            if (v < 0) return std::nullopt;
            cp = cp * 16 + static_cast<uint32_t>(v);
          }
          if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return std::nullopt;
          if (cp < 0x80) {
            out += static_cast<char>(cp);
          } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          }
          i += 2 + digits;
        } else if (const size_t len = BreakAt(i + 1); len > 0) {  // an escaped line break: no folding
          i += 1 + len;
          breaks_after(i, out);
        } else {
          return std::nullopt;
        }
      } else if (c == ' ' || c == '\t' || BreakAt(i) > 0) {
        const size_t start = i;
        while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
        const size_t len = BreakAt(i);
        if (len == 0) {
          out.append(t.substr(start, i - start));
          continue;
        }
        const std::string line_break = LineBreak(i, len);
        i += len;
        std::string breaks;
        breaks_after(i, breaks);
        if (line_break != "\n")
          out += line_break;
        else if (breaks.empty())
          out += ' ';
        out += breaks;
      } else {
        out += c;
        ++i;
      }
    }
    return std::nullopt;  // no closing quote (yaml-cpp would have failed)
  }

  void RecoverTaggedNull(YNode& n) {
    n.tag = "?";
    n.null_plain = true;
    if (n.mark.pos < 0 || static_cast<size_t>(n.mark.pos) >= text_.size()) return;
    std::string_view rest = text_.substr(static_cast<size_t>(n.mark.pos));
    std::string tag;
    // properties: `!tag` and `&anchor`, in any order, separated by blanks
    for (int k = 0; k < 2 && !rest.empty() && (rest[0] == '!' || rest[0] == '&'); ++k) {
      size_t end = 0;
      while (end < rest.size() && rest[end] != ' ' && rest[end] != '\t' && rest[end] != '\n' &&
             rest[end] != '\r') {
        ++end;
      }
      if (rest[0] == '!') tag = std::string(rest.substr(0, end));
      rest.remove_prefix(end);
      while (!rest.empty() && (rest[0] == ' ' || rest[0] == '\t')) rest.remove_prefix(1);
    }
    if (tag.empty()) return;
    std::string value;
    for (std::string_view word : {"null", "Null", "NULL", "~"}) {
      if (rest.starts_with(word)) {
        const char after = rest.size() > word.size() ? rest[word.size()] : '\n';
        if (std::string_view(" \t\r\n,]}#").find(after) != std::string_view::npos) value = std::string(word);
      }
    }
    if (value.empty() && !rest.empty() &&
        std::string_view("\r\n,]}#").find(rest[0]) == std::string_view::npos) {
      return;  // the properties belong to a later node: this null had none
    }
    // Resolve the tag's handle as yaml-cpp does for the common handles.
    if (tag == "!") {
      n.tag = "!";
    } else if (tag.starts_with("!!")) {
      n.tag = "tag:yaml.org,2002:" + tag.substr(2);
    } else if (tag.starts_with("!<") && tag.ends_with(">")) {
      n.tag = tag.substr(2, tag.size() - 3);
    } else {
      n.tag = tag;
    }
    n.value = value;
    n.null_plain = false;
  }

  std::string_view text_;
  std::vector<YNode>& nodes_;
  std::map<YAML::anchor_t, size_t> anchors_;
  struct Open {
    size_t index;
    bool has_key = false;
    size_t key = 0;
  };
  std::vector<Open> open_;
};

// ---- SafeConstructor
// -----------------------------------------------------------------------------------------

constexpr std::string_view kTagPrefix = "tag:yaml.org,2002:";

// Python's int(s, base) on an ASCII string: whitespace, one sign, digits (underscores were removed).
std::optional<Json> PyInt(std::string_view s, int base, bool negative) {
  s = StripPySpace(s);
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    if (s[0] == '-') negative = !negative;
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  unsigned __int128 v = 0;
  double d = 0;
  bool overflow = false;
  for (char c : s) {
    int digit;
    if (c >= '0' && c <= '9')
      digit = c - '0';
    else if (c >= 'a' && c <= 'z')
      digit = c - 'a' + 10;
    else if (c >= 'A' && c <= 'Z')
      digit = c - 'A' + 10;
    else
      return std::nullopt;
    if (digit >= base) return std::nullopt;
    d = d * base + digit;
    if (!overflow) {
      v = v * static_cast<unsigned>(base) + static_cast<unsigned>(digit);
      if (v > (static_cast<unsigned __int128>(1) << 64)) overflow = true;
    }
  }
  if (!overflow) {
    if (!negative && v <= UINT64_MAX) {
      if (v <= static_cast<unsigned __int128>(INT64_MAX)) return Json(static_cast<int64_t>(v));
      return Json(static_cast<uint64_t>(v));
    }
    if (negative && v <= static_cast<unsigned __int128>(INT64_MAX) + 1) {
      return Json(static_cast<int64_t>(-static_cast<__int128>(v)));
    }
  }
  return Json(negative ? -d : d);  // beyond 64 bits: a double (see yaml.h)
}

// Python's float(s) for ASCII text: whitespace, sign, digits with optional '.', exponent; inf/infinity/nan.
std::optional<double> PyFloat(std::string_view s) {
  s = StripPySpace(s);
  std::string_view body = s;
  bool negative = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  std::string lower(body);
  for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  if (lower == "inf" || lower == "infinity") return negative ? -HUGE_VAL : HUGE_VAL;
  if (lower == "nan") return std::nan("");
  Cur c{lower};
  const size_t int_digits = c.EatMany(kDigits);
  size_t frac_digits = 0;
  if (c.Eat('.')) frac_digits = c.EatMany(kDigits);
  if (int_digits + frac_digits == 0) return std::nullopt;
  if (c.Eat('e')) {
    c.EatOneOf("+-");
    if (c.EatMany(kDigits) == 0) return std::nullopt;
  }
  if (!c.End()) return std::nullopt;
  const std::string text(s);
  return std::strtod(text.c_str(), nullptr);
}

std::string PyStrRepr(std::string_view s) { return jmespath::PythonRepr(Json(std::string(s))); }

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil) and back.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}
void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

int ToInt(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

// create_timestamp (ruamel/yaml/util.py), then isoformat(): a date, or a naive datetime moved to UTC.
std::variant<std::string, LoadError> Timestamp(const YNode& n) {
  std::string_view v = n.value;
  if (!v.empty() && v.back() == '\n') v.remove_suffix(1);
  const auto p = MatchTimestamp(v);
  // The constructor's regexp also accepts a date of 1-digit month or day alone.
  std::optional<TimestampParts> parts = p;
  if (!parts) {
    Cur c{v};
    TimestampParts q;
    auto take = [&](size_t min, size_t max) -> std::string_view {
      const size_t start = c.i;
      while (c.i < v.size() && c.i - start < max && IsDigit(v[c.i])) ++c.i;
      return c.i - start < min ? std::string_view() : v.substr(start, c.i - start);
    };
    q.year = take(4, 4);
    if (!q.year.empty() && c.Eat('-')) q.month = take(1, 2);
    if (!q.month.empty() && c.Eat('-')) q.day = take(1, 2);
    if (!q.day.empty() && c.End()) parts = q;
  }
  if (!parts) return LoadError{"YAMLError", "failed to construct timestamp from \"" + n.value + "\"", n.mark};
  const int64_t year = ToInt(parts->year);
  const unsigned month = static_cast<unsigned>(ToInt(parts->month)),
                 day = static_cast<unsigned>(ToInt(parts->day));
  if (year < 1) return LoadError{"ValueError", "year " + std::to_string(year) + " is out of range", n.mark};
  if (month < 1 || month > 12) return LoadError{"ValueError", "month must be in 1..12", n.mark};
  if (day < 1 || day > DaysInMonth(year, month)) {
    return LoadError{"ValueError", "day is out of range for month", n.mark};
  }
  char buf[64];
  if (!parts->has_time) {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(year), month, day);
    return std::string(buf);
  }
  const int hour = ToInt(parts->hour), minute = ToInt(parts->minute), second = ToInt(parts->second);
  constexpr int kMaxFrac = 999999;
  int frac = 0, fraction = 0;
  if (!parts->fraction.empty()) {
    std::string frac_s(parts->fraction.substr(0, 6));
    while (frac_s.size() < 6) frac_s += '0';
    frac = ToInt(frac_s);
    if (parts->fraction.size() > 6 && parts->fraction[6] > '4') frac += 1;
    fraction = frac > kMaxFrac ? 0 : frac;
  }
  if (hour > 23) return LoadError{"ValueError", "hour must be in 0..23", n.mark};
  if (minute > 59) return LoadError{"ValueError", "minute must be in 0..59", n.mark};
  if (second > 59) return LoadError{"ValueError", "second must be in 0..59", n.mark};
  int64_t delta = 0;  // seconds
  if (!parts->tz_sign.empty()) {
    delta = ToInt(parts->tz_hour) * 3600LL + (parts->tz_minute.empty() ? 0 : ToInt(parts->tz_minute)) * 60LL +
            (frac > kMaxFrac ? 1 : 0);
    if (parts->tz_sign == "-") delta = -delta;
  } else if (frac > kMaxFrac) {
    delta = -1;
  }
  int64_t seconds = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - delta;
  int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  int64_t rem = seconds - days * 86400;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  if (y < 1 || y > 9999) return LoadError{"OverflowError", "date value out of range", n.mark};
  const int hh = static_cast<int>(rem / 3600), mm = static_cast<int>(rem / 60 % 60),
            ss = static_cast<int>(rem % 60);
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(y), m, d, hh, mm, ss);
  std::string out = buf;
  if (fraction != 0) {
    std::snprintf(buf, sizeof buf, ".%06d", fraction);
    out += buf;
  }
  return out;
}

// binascii.a2b_base64(data) (base64.decodebytes), not strict: other characters are skipped.
std::variant<std::string, LoadError> Base64Decode(const YNode& n) {
  std::string out;
  int quad_pos = 0, pads = 0;
  unsigned left = 0;
  for (unsigned char ch : n.value) {
    if (ch >= 0x80) {
      return LoadError{"YAMLError", "failed to convert base64 data into ascii", n.mark};
    }
    if (ch == '=') {
      if (quad_pos >= 2 && quad_pos + ++pads >= 4) return out;
      continue;
    }
    int v;
    if (ch >= 'A' && ch <= 'Z')
      v = ch - 'A';
    else if (ch >= 'a' && ch <= 'z')
      v = ch - 'a' + 26;
    else if (ch >= '0' && ch <= '9')
      v = ch - '0' + 52;
    else if (ch == '+')
      v = 62;
    else if (ch == '/')
      v = 63;
    else
      continue;
    pads = 0;
    const auto u = static_cast<unsigned>(v);
    switch (quad_pos) {
      case 0:
        quad_pos = 1;
        left = u;
        break;
      case 1:
        quad_pos = 2;
        out += static_cast<char>((left << 2) | (u >> 4));
        left = u & 0x0F;
        break;
      case 2:
        quad_pos = 3;
        out += static_cast<char>((left << 4) | (u >> 2));
        left = u & 0x03;
        break;
      default:
        quad_pos = 0;
        out += static_cast<char>((left << 6) | u);
        left = 0;
        break;
    }
  }
  if (quad_pos == 1) {
    return LoadError{
        "YAMLError",
        "failed to decode base64 data: Invalid base64-encoded string: number of data characters (" +
            std::to_string(out.size() / 3 * 4 + 1) + ") cannot be 1 more than a multiple of 4",
        n.mark};
  }
  if (quad_pos != 0) return LoadError{"YAMLError", "failed to decode base64 data: Incorrect padding", n.mark};
  return out;
}

// Python's == between two constructed keys (scalars): numbers and booleans compare by value.
bool PyKeyEqual(const Json& a, const Json& b) {
  const bool an = a.is_number() || a.is_boolean(), bn = b.is_number() || b.is_boolean();
  if (an && bn) {
    auto as_double = [](const Json& v) {
      return v.is_boolean() ? (v.get<bool>() ? 1.0 : 0.0) : v.get<double>();
    };
    if ((a.is_number_integer() || a.is_boolean()) && (b.is_number_integer() || b.is_boolean())) {
      auto as_int = [](const Json& v) -> __int128 {
        if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
        if (v.is_number_unsigned()) return static_cast<__int128>(v.get<uint64_t>());
        return v.get<int64_t>();
      };
      return as_int(a) == as_int(b);
    }
    return as_double(a) == as_double(b);
  }
  if (a.type() != b.type()) return false;
  return a == b;
}

std::string PyStrOfKey(const Json& k) {  // str(key) in ruamel's duplicate-key message
  if (k.is_string()) return k.get<std::string>();
  if (k.is_null()) return "None";
  if (k.is_boolean()) return k.get<bool>() ? "True" : "False";
  return jmespath::PythonRepr(k);
}

class Constructor {
 public:
  Constructor(std::vector<YNode>& nodes, bool yaml11) : nodes_(nodes), yaml11_(yaml11) {
    cache_.resize(nodes.size());
    state_.resize(nodes.size(), 0);
  }

  std::variant<Json, LoadError> Build(size_t root) {
    Json out;
    if (auto e = Construct(root, 0, out)) return *e;
    return out;
  }

 private:
  using Err = std::optional<LoadError>;

  static Err Fail(std::string exception, std::string text, const YNode& n) {
    return LoadError{std::move(exception), std::move(text), n.mark};
  }

  static size_t CountNodes(const Json& v) {
    size_t n = 1;
    if (v.is_array() || v.is_object()) {
      for (const Json& e : v) n += CountNodes(e);
    }
    return n;
  }

  Err Construct(size_t index, int depth, Json& out) {
    if (depth > kMaxDepth) {
      return Fail("YAMLError", "nesting deeper than " + std::to_string(kMaxDepth) + " levels", nodes_[index]);
    }
    if (state_[index] == 2) {
      total_ += cache_[index].second;
      if (total_ > kMaxNodes) {
        return Fail("YAMLError", "aliases expand to more than " + std::to_string(kMaxNodes) + " nodes",
                    nodes_[index]);
      }
      out = cache_[index].first;
      return std::nullopt;
    }
    if (state_[index] == 1) {
      return Fail("YAMLError", "recursive alias: a collection that contains itself cannot be JSON",
                  nodes_[index]);
    }
    state_[index] = 1;
    const size_t before = total_;
    if (auto e = ConstructNew(index, depth, out)) return e;
    ++total_;
    if (total_ > kMaxNodes) {
      return Fail("YAMLError", "more than " + std::to_string(kMaxNodes) + " nodes", nodes_[index]);
    }
    state_[index] = 2;
    cache_[index] = {out, total_ - before};
    return std::nullopt;
  }

  // The tag ruamel's Composer gives the node.
  std::string TagOf(const YNode& n) const {
    if (n.tag == "?" || n.tag == "!") {
      if (n.kind == YNode::kSequence) return std::string(kTagPrefix) + "seq";
      if (n.kind == YNode::kMapping) return std::string(kTagPrefix) + "map";
      if (n.null_plain) return std::string(kTagPrefix) + "null";
      // untagged plain, or the non-specific `!` (which ruamel resolves as if plain); a quoted scalar is a str
      const bool explicit_bang = n.tag == "!" && n.mark.pos >= 0 && IsExplicitBang(n);
      if (n.tag == "!" && !explicit_bang) return std::string(kTagPrefix) + "str";
      static constexpr std::pair<Implicit, std::string_view> kNames[] = {
          {Implicit::kStr, "str"},     {Implicit::kNull, "null"},   {Implicit::kBool, "bool"},
          {Implicit::kInt, "int"},     {Implicit::kFloat, "float"}, {Implicit::kTimestamp, "timestamp"},
          {Implicit::kMerge, "merge"}, {Implicit::kValue, "value"}, {Implicit::kYaml, "yaml"}};
      const Implicit r = Resolve(n.value, yaml11_);
      for (const auto& [k, name] : kNames) {
        if (k == r) return std::string(kTagPrefix) + std::string(name);
      }
    }
    return n.tag;
  }

  bool IsExplicitBang(const YNode& n) const;

  Err ScalarOnly(const YNode& n) const {
    if (n.kind == YNode::kScalar) return std::nullopt;
    return Fail("YAMLError",
                std::string("expected a scalar node, but found ") +
                    (n.kind == YNode::kSequence ? "sequence" : "mapping"),
                n);
  }

  Err ConstructNew(size_t index, int depth, Json& out) {
    const std::string tag = TagOf(nodes_[index]);
    const YNode& n = nodes_[index];
    const std::string_view t = tag;
    if (t == "tag:yaml.org,2002:null") {
      if (auto e = ScalarOnly(n)) return e;
      out = nullptr;
      return std::nullopt;
    }
    if (t == "tag:yaml.org,2002:str") {
      if (auto e = ScalarOnly(n)) return e;
      out = n.value;
      return std::nullopt;
    }
    if (t == "tag:yaml.org,2002:bool") {
      if (auto e = ScalarOnly(n)) return e;
      std::string lower = n.value;
      for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
      static const std::map<std::string, bool, std::less<>> kValues = {
          {"yes", true},  {"no", false},    {"y", true},  {"n", false},
          {"true", true}, {"false", false}, {"on", true}, {"off", false}};
      auto it = kValues.find(lower);
      if (it == kValues.end()) return Fail("KeyError", PyStrRepr(lower), n);
      out = it->second;
      return std::nullopt;
    }
    if (t == "tag:yaml.org,2002:int") {
      if (auto e = ScalarOnly(n)) return e;
      return ConstructInt(n, out);
    }
    if (t == "tag:yaml.org,2002:float") {
      if (auto e = ScalarOnly(n)) return e;
      return ConstructFloat(n, out);
    }
    if (t == "tag:yaml.org,2002:timestamp") {
      if (auto e = ScalarOnly(n)) return e;
      auto r = Timestamp(n);
      if (auto* err = std::get_if<LoadError>(&r)) return *err;
      out = std::get<std::string>(r);
      return std::nullopt;
    }
    if (t == "tag:yaml.org,2002:binary") {
      if (auto e = ScalarOnly(n)) return e;
      auto r = Base64Decode(n);
      if (auto* err = std::get_if<LoadError>(&r)) return *err;
      std::string bytes = std::get<std::string>(r);
      if (ValidUtf8(bytes) != bytes) {
        return Fail("YAMLError", "!!binary data that is not UTF-8 text cannot be a JSON string", n);
      }
      out = std::move(bytes);
      return std::nullopt;
    }
    if (t == "tag:yaml.org,2002:seq") {
      if (n.kind != YNode::kSequence) {
        return Fail("YAMLError",
                    std::string("expected a sequence node, but found ") +
                        (n.kind == YNode::kScalar ? "scalar" : "mapping"),
                    n);
      }
      out = Json::array();
      const std::vector<size_t> items = n.items;
      for (size_t item : items) {
        Json v;
        if (auto e = Construct(item, depth + 1, v)) return e;
        out.push_back(std::move(v));
      }
      return std::nullopt;
    }
    if (t == "tag:yaml.org,2002:map" || t == "tag:yaml.org,2002:set") {
      if (n.kind != YNode::kMapping) {
        return Fail("YAMLError",
                    std::string("expected a mapping node, but found ") +
                        (n.kind == YNode::kScalar ? "scalar" : "sequence"),
                    n);
      }
      std::vector<std::pair<Json, Json>> entries;
      if (auto e = ConstructMapping(index, depth, entries)) return e;
      if (t == "tag:yaml.org,2002:set") {
        out = Json::array();
        for (auto& [k, v] : entries) out.push_back(std::move(k));
        return std::nullopt;
      }
      return ToObject(entries, nodes_[index], out);
    }
    if (t == "tag:yaml.org,2002:omap" || t == "tag:yaml.org,2002:pairs") {
      const bool omap = t == "tag:yaml.org,2002:omap";
      const std::string what = omap ? "while constructing an ordered map: " : "while constructing pairs: ";
      if (n.kind != YNode::kSequence) {
        return Fail(
            "YAMLError",
            what + "expected a sequence, but found " + (n.kind == YNode::kScalar ? "scalar" : "mapping"), n);
      }
      std::vector<std::pair<Json, Json>> entries;
      const std::vector<size_t> items = n.items;
      for (size_t item : items) {
        const YNode& sub = nodes_[item];
        if (sub.kind != YNode::kMapping) {
          return Fail("YAMLError",
                      what + "expected a mapping of length 1, but found " +
                          (sub.kind == YNode::kScalar ? "scalar" : "sequence"),
                      sub);
        }
        if (sub.pairs.size() != 1) {
          return Fail("YAMLError",
                      what + "expected a single mapping item, but found " + std::to_string(sub.pairs.size()) +
                          " items",
                      sub);
        }
        const auto [kn, vn] = sub.pairs[0];
        Json k, v;
        if (auto e = Construct(kn, depth + 1, k)) return e;
        if (omap) {
          for (const auto& entry : entries) {
            if (PyKeyEqual(entry.first, k)) return Fail("AssertionError", "", nodes_[kn]);
          }
        }
        if (auto e = Construct(vn, depth + 1, v)) return e;
        entries.emplace_back(std::move(k), std::move(v));
      }
      if (omap) return ToObject(entries, n, out);
      out = Json::array();
      for (auto& [k, v] : entries) out.push_back(Json::array({std::move(k), std::move(v)}));
      return std::nullopt;
    }
    return Fail("YAMLError", "could not determine a constructor for the tag " + PyStrRepr(tag), n);
  }

  Err ConstructInt(const YNode& n, Json& out) const {
    std::string s;
    for (char c : n.value) {
      if (c != '_') s += c;
    }
    if (s.empty()) return Fail("IndexError", "string index out of range", n);
    bool negative = false;
    if (s[0] == '-') negative = true;
    if (s[0] == '+' || s[0] == '-') s.erase(0, 1);
    std::optional<Json> v;
    int base = 10;
    std::string_view digits = s;
    if (s == "0") {
      out = 0;
      return std::nullopt;
    } else if (s.starts_with("0b")) {
      base = 2, digits.remove_prefix(2);
    } else if (s.starts_with("0x")) {
      base = 16, digits.remove_prefix(2);
    } else if (s.starts_with("0o")) {
      base = 8, digits.remove_prefix(2);
    } else if (yaml11_ && !s.empty() && s[0] == '0') {
      base = 8;
    } else if (yaml11_ && s.find(':') != std::string::npos) {
      double total = 0, place = 1;
      __int128 itotal = 0, iplace = 1;
      bool big = false;
      std::vector<std::string_view> parts;
      std::string_view rest = s;
      for (size_t pos; (pos = rest.find(':')) != std::string_view::npos; rest.remove_prefix(pos + 1)) {
        parts.push_back(rest.substr(0, pos));
      }
      parts.push_back(rest);
      for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
        auto part = PyInt(*it, 10, false);
        if (!part || !part->is_number_integer()) {
          return Fail("ValueError", "invalid literal for int() with base 10: " + PyStrRepr(*it), n);
        }
        const int64_t p = part->get<int64_t>();
        total += static_cast<double>(p) * place;
        itotal += static_cast<__int128>(p) * iplace;
        place *= 60;
        iplace *= 60;
        if (itotal > INT64_MAX || iplace > INT64_MAX) big = true;
      }
      if (big)
        out = negative ? -total : total;
      else
        out = static_cast<int64_t>(negative ? -itotal : itotal);
      return std::nullopt;
    }
    v = PyInt(digits, base, negative);
    if (!v) {
      return Fail("ValueError",
                  "invalid literal for int() with base " + std::to_string(base) + ": " + PyStrRepr(digits),
                  n);
    }
    out = *v;
    return std::nullopt;
  }

  Err ConstructFloat(const YNode& n, Json& out) const {
    std::string s;
    for (char c : n.value) {
      if (c != '_') s += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    }
    if (s.empty()) return Fail("IndexError", "string index out of range", n);
    double sign = 1;
    if (s[0] == '-') sign = -1;
    if (s[0] == '+' || s[0] == '-') s.erase(0, 1);
    if (s == ".inf") {
      out = sign * HUGE_VAL;
      return std::nullopt;
    }
    if (s == ".nan") {
      out = std::nan("");
      return std::nullopt;
    }
    if (yaml11_ && s.find(':') != std::string::npos) {
      double total = 0, place = 1;
      std::vector<std::string_view> parts;
      std::string_view rest = s;
      for (size_t pos; (pos = rest.find(':')) != std::string_view::npos; rest.remove_prefix(pos + 1)) {
        parts.push_back(rest.substr(0, pos));
      }
      parts.push_back(rest);
      for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
        auto part = PyFloat(*it);
        if (!part) return Fail("ValueError", "could not convert string to float: " + PyStrRepr(*it), n);
        total += *part * place;
        place *= 60;
      }
      out = sign * total;
      return std::nullopt;
    }
    auto v = PyFloat(s);
    if (!v) return Fail("ValueError", "could not convert string to float: " + PyStrRepr(s), n);
    out = sign * *v;
    return std::nullopt;
  }

  // SafeConstructor.flatten_mapping: `<<` keys merged (a mapping, or a list of mappings: earlier ones win),
  // `=` keys made strings. Mutates the node as ruamel does (so an aliased mapping is flattened once).
  Err Flatten(size_t index, int depth) {
    if (depth > kMaxDepth) return Fail("YAMLError", "merges nested too deep", nodes_[index]);
    if (nodes_[index].flattened) return std::nullopt;
    nodes_[index].flattened = true;
    std::vector<std::pair<size_t, size_t>> merge;
    std::vector<std::pair<size_t, size_t>> own;
    const std::vector<std::pair<size_t, size_t>> pairs = nodes_[index].pairs;
    for (const auto& [k, v] : pairs) {
      const std::string ktag = TagOf(nodes_[k]);
      if (ktag == "tag:yaml.org,2002:merge") {
        if (!merge.empty()) {
          return Fail("YAMLError",
                      "while constructing a mapping: found duplicate key \"" + nodes_[k].value + "\"",
                      nodes_[k]);
        }
        const YNode& vn = nodes_[v];
        if (vn.kind == YNode::kMapping) {
          if (auto e = Flatten(v, depth + 1)) return e;
          const auto& sub = nodes_[v].pairs;
          merge.insert(merge.end(), sub.begin(), sub.end());
        } else if (vn.kind == YNode::kSequence) {
          std::vector<std::vector<std::pair<size_t, size_t>>> submerge;
          const std::vector<size_t> items = vn.items;
          for (size_t item : items) {
            if (nodes_[item].kind != YNode::kMapping) {
              return Fail(
                  "YAMLError",
                  std::string("while constructing a mapping: expected a mapping for merging, but found ") +
                      (nodes_[item].kind == YNode::kScalar ? "scalar" : "sequence"),
                  nodes_[item]);
            }
            if (auto e = Flatten(item, depth + 1)) return e;
            submerge.push_back(nodes_[item].pairs);
          }
          for (auto it = submerge.rbegin(); it != submerge.rend(); ++it)
            merge.insert(merge.end(), it->begin(), it->end());
        } else {
          return Fail(
              "YAMLError",
              "while constructing a mapping: expected a mapping or list of mappings for merging, but found "
              "scalar",
              vn);
        }
      } else {
        if (ktag == "tag:yaml.org,2002:value") nodes_[k].tag = "tag:yaml.org,2002:str";
        own.emplace_back(k, v);
      }
    }
    YNode& node = nodes_[index];
    if (!merge.empty()) {
      node.has_merge = true;
      merge.insert(merge.end(), own.begin(), own.end());
      node.pairs = std::move(merge);
    } else {
      node.pairs = std::move(own);
    }
    return std::nullopt;
  }

  Err ConstructMapping(size_t index, int depth, std::vector<std::pair<Json, Json>>& entries) {
    if (auto e = Flatten(index, depth)) return e;
    const bool check = !nodes_[index].has_merge;
    const std::vector<std::pair<size_t, size_t>> pairs = nodes_[index].pairs;
    for (const auto& [kn, vn] : pairs) {
      Json k;
      if (auto e = Construct(kn, depth + 1, k)) return e;
      if (k.is_object())
        return Fail("YAMLError", "while constructing a mapping: found unhashable key", nodes_[kn]);
      Json v;
      if (auto e = Construct(vn, depth + 1, v)) return e;
      bool found = false;
      for (auto& entry : entries) {
        if (!k.is_array() && !entry.first.is_array() && PyKeyEqual(entry.first, k)) {
          if (check) {
            return Fail("YAMLError",
                        "while constructing a mapping: found duplicate key \"" + PyStrOfKey(k) + "\"",
                        nodes_[kn]);
          }
          entry.second = std::move(v);
          found = true;
          break;
        }
      }
      if (!found) entries.emplace_back(std::move(k), std::move(v));
    }
    return std::nullopt;
  }

  // json.dumps's rendering of keys: str as is; True/False/None as true/false/null; numbers as repr.
  Err ToObject(std::vector<std::pair<Json, Json>>& entries, const YNode& n, Json& out) const {
    out = Json::object();
    for (auto& [k, v] : entries) {
      std::string key;
      if (k.is_string())
        key = k.get<std::string>();
      else if (k.is_null())
        key = "null";
      else if (k.is_boolean())
        key = k.get<bool>() ? "true" : "false";
      else if (k.is_number_integer())
        key = k.dump();
      else if (k.is_number_float()) {
        const double d = k.get<double>();
        key = std::isnan(d) ? "NaN" : std::isinf(d) ? (d < 0 ? "-Infinity" : "Infinity") : FloatRepr(d);
      } else {
        return Fail("TypeError", "keys must be str, int, float, bool or None, not tuple", n);
      }
      out[key] = std::move(v);
    }
    return std::nullopt;
  }

  std::vector<YNode>& nodes_;
  bool yaml11_;
  std::vector<std::pair<Json, size_t>> cache_;
  std::vector<char> state_;  // 0 new, 1 being built, 2 built
  size_t total_ = 0;
  std::string_view text_;

 public:
  void SetText(std::string_view text) { text_ = text; }
};

bool Constructor::IsExplicitBang(const YNode& n) const {
  const auto pos = static_cast<size_t>(n.mark.pos);
  return pos + 1 < text_.size() && text_[pos] == '!' && (text_[pos + 1] == ' ' || text_[pos + 1] == '\t');
}

// `%YAML 1.1` before the document: ruamel then resolves with the 1.1 rules.
bool DeclaresYaml11(std::string_view text) {
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.starts_with("%YAML")) {
      std::string_view rest = line.substr(5);
      while (!rest.empty() && (rest[0] == ' ' || rest[0] == '\t')) rest.remove_prefix(1);
      return rest.starts_with("1.1") &&
             (rest.size() == 3 || rest[3] == ' ' || rest[3] == '\t' || rest[3] == '#');
    }
    const size_t first = line.find_first_not_of(" \t");
    if (!(first == std::string_view::npos || line[first] == '#' || line.starts_with("%"))) return false;
    if (eol == std::string_view::npos) break;
    text.remove_prefix(eol + 1);
  }
  return false;
}

Diagnostic ToDiagnostic(const LoadError& e, std::string_view text) {
  Diagnostic d;
  d.exception = e.exception;
  const bool yaml_error = e.exception == "YAMLError";
  d.aws_message = yaml_error ? std::string(kInvalidYamlMessage) : e.text;
  std::string where;
  if (e.mark.line >= 0) {
    where = " at line " + std::to_string(e.mark.line + 1) + ", column " + std::to_string(e.mark.column + 1);
  }
  d.message = (yaml_error ? e.text : e.exception + (e.text.empty() ? "" : ": " + e.text)) + where;
  if (e.mark.pos >= 0 && static_cast<size_t>(e.mark.pos) <= text.size()) {
    d.span = Span{static_cast<uint32_t>(e.mark.pos), 0};
  }
  d.pointer = "cli-input-yaml";
  return d;
}

}  // namespace

std::string FormatYaml(const Json& value) {
  if (!value.is_object() && !value.is_array()) return JsonDumpScalar(value) + "\n";
  const std::vector<Event> events = Represent(value);
  return Emitter(events).Run();
}

Result<Json> ParseCliInputYaml(std::string_view text) {
  const std::string input = ValidUtf8(text);
  std::vector<YNode> nodes;
  Builder builder(input, nodes);
  try {
    std::istringstream stream(input);
    YAML::Parser parser(stream);
    if (!parser.HandleNextDocument(builder)) return Json(nullptr);
    if (builder.error) return ToDiagnostic(*builder.error, input);
    Builder second(input, nodes);
    if (parser.HandleNextDocument(second)) {
      return ToDiagnostic(
          LoadError{"YAMLError", "expected a single document in the stream, but found another document",
                    second.document_mark},
          input);
    }
  } catch (const YAML::Exception& e) {
    return ToDiagnostic(LoadError{"YAMLError", e.msg, e.mark}, input);
  } catch (const std::exception& e) {
    return ToDiagnostic(LoadError{"YAMLError", e.what(), YAML::Mark::null_mark()}, input);
  }
  if (!builder.root) return Json(nullptr);
  try {
    Constructor constructor(nodes, DeclaresYaml11(input));
    constructor.SetText(input);
    auto r = constructor.Build(*builder.root);
    if (auto* e = std::get_if<LoadError>(&r)) return ToDiagnostic(*e, input);
    return std::get<Json>(std::move(r));
  } catch (const std::exception& e) {  // allocation failure, or a JSON operation we did not foresee
    return ToDiagnostic(LoadError{"YAMLError", e.what(), YAML::Mark::null_mark()}, input);
  }
}

}  // namespace trailwatch::awsout
