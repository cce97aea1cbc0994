// filter_set.cc: FilterSet construction (the merged selector trie) and evaluation. See filter_set.h.
#include "engine/filter/filter_set.h"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "patterns/common/json_number.h"
#include "patterns/filter/number.h"

namespace trailwatch::engine {

using filter::CompareOp;
using filter::CompiledPattern;
using filter::JsonTest;
using filter::Matcher;
using filter::PatternKind;
using filter::SelectorStep;
using filter::ValueKind;
using filter::ValueRef;
namespace dom = simdjson::dom;

struct FilterSet::Node {
  std::vector<std::pair<std::string, uint32_t>> keys;  // sorted by key
  std::vector<std::pair<uint32_t, uint32_t>> indexes;  // sorted by index
  int32_t any_key = -1;
  int32_t any_index = -1;
  std::vector<uint32_t> atoms;  // global atom ids tested here (NOT EXISTS excluded: it is read from visited)
  std::string path;             // for dumps
};

namespace {

bool TestBit(const std::vector<uint64_t>& bits, uint32_t i) { return (bits[i >> 6] >> (i & 63)) & 1; }
void SetBit(std::vector<uint64_t>& bits, uint32_t i) { bits[i >> 6] |= uint64_t{1} << (i & 63); }

// Shortest text of a JSON number, as simdjson parsed it.
std::string_view NumberText(const dom::element& e, char* buf, size_t cap) {
  std::to_chars_result r{};
  switch (e.type()) {
    case dom::element_type::INT64: r = std::to_chars(buf, buf + cap, int64_t(e)); break;
    case dom::element_type::UINT64: r = std::to_chars(buf, buf + cap, uint64_t(e)); break;
    default: r = std::to_chars(buf, buf + cap, double(e)); break;
  }
  return std::string_view(buf, static_cast<size_t>(r.ptr - buf));
}

bool IsNumber(const dom::element& e) {
  auto t = e.type();
  return t == dom::element_type::INT64 || t == dom::element_type::UINT64 || t == dom::element_type::DOUBLE;
}

double NumberValue(const dom::element& e) {
  switch (e.type()) {
    case dom::element_type::INT64: return static_cast<double>(int64_t(e));
    case dom::element_type::UINT64: return static_cast<double>(uint64_t(e));
    default: return double(e);
  }
}

bool SearchMemmem(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return true;
  if (hay.size() < needle.size()) return false;  // (also keeps a null hay.data() away from memmem)
  return memmem(hay.data(), hay.size(), needle.data(), needle.size()) != nullptr;
}

}  // namespace

// simdjson refuses a document holding a number that fits neither 64-bit integers nor a finite double
// (e.g. a 30-digit id, 1e400), while AWS's parser reads it. Rewrites such numbers as strings of their own
// text, so the document parses and the value still compares as a number (a number literal compares with a
// string that is a number) or as text. Only called on that failure, so its allocation is off the hot path.
bool QuoteUnrepresentableNumbers(std::string_view in, std::string* out) {
  out->clear();
  bool changed = false;
  size_t i = 0;
  while (i < in.size()) {
    const char c = in[i];
    if (c == '"') {  // copy a string verbatim
      size_t j = i + 1;
      while (j < in.size() && in[j] != '"') j += in[j] == '\\' ? 2 : 1;
      j = std::min(j + 1, in.size());
      out->append(in.substr(i, j - i));
      i = j;
      continue;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      size_t j = i + 1;
      while (j < in.size() && (std::isdigit(static_cast<unsigned char>(in[j])) || in[j] == '.' || in[j] == 'e' ||
                               in[j] == 'E' || in[j] == '+' || in[j] == '-')) {
        ++j;
      }
      const std::string_view tok = in.substr(i, j - i);
      double d = 0;
      const bool integer = tok.find_first_of(".eE") == std::string_view::npos;
      const size_t digits = tok.size() - (tok[0] == '-');
      bool representable = integer ? digits <= 18 : (filter::ParseFilterNumber(tok, &d) && std::isfinite(d));
      if (integer && digits > 18) {
        // int64 / uint64 may still hold it
        int64_t v64;
        uint64_t u64;
        representable = std::from_chars(tok.data(), tok.data() + tok.size(), v64).ec == std::errc() ||
                        std::from_chars(tok.data(), tok.data() + tok.size(), u64).ec == std::errc();
      }
      // Only a real JSON number is quoted: anything else stays as it is and the parse fails on it (a
      // message that is not JSON must not become JSON here — found by fuzz_filter: "1e5+3").
      if (representable || !IsJsonNumber(tok)) {
        out->append(tok);
      } else {
        out->push_back('"');
        out->append(tok);
        out->push_back('"');
        changed = true;
      }
      i = j;
      continue;
    }
    out->push_back(c);
    ++i;
  }
  return changed;
}

bool CompareNumbers(CompareOp op, double a, double b) {
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

bool MatchText(const Matcher& m, std::string_view text) {
  switch (m.kind) {
    case ValueKind::kString: {
      const bool r = m.glob.Matches(text);
      return m.op == CompareOp::kNe ? !r : r;
    }
    case ValueKind::kRegex: {
      const bool r = RE2::PartialMatch(text, *m.re);
      return m.op == CompareOp::kNe ? !r : r;
    }
    case ValueKind::kNumber: {
      double v = 0;
      if (filter::ParseFilterNumber(text, &v)) return CompareNumbers(m.op, v, m.number);
      return m.op == CompareOp::kNe;  // a non-number differs from every number, and is not < or >
    }
  }
  return false;
}

bool MatchNumber(const Matcher& m, double value, std::string_view text) {
  if (m.kind == ValueKind::kNumber) return CompareNumbers(m.op, value, m.number);
  return MatchText(m, text);
}

// ---- construction ------------------------------------------------------------------------------------
FilterSet::FilterSet(std::vector<std::shared_ptr<const CompiledPattern>> patterns, bool fast_paths)
    : patterns_(std::move(patterns)) {
  if (fast_paths && LiteralPrefilter::Available()) {
    prefilter_ = std::make_unique<LiteralPrefilter>(patterns_);
    if (!prefilter_->enabled()) prefilter_.reset();
  }
  nodes_.emplace_back();
  nodes_[0].path = "$";
  atom_base_.resize(patterns_.size());
  selector_node_.resize(patterns_.size());
  for (size_t p = 0; p < patterns_.size(); ++p) {
    const CompiledPattern& cp = *patterns_[p];
    atom_base_[p] = static_cast<uint32_t>(atoms_.size());
    if (cp.kind == PatternKind::kDelimited) has_delimited_ = true;
    if (cp.kind != PatternKind::kJson) continue;
    has_json_ = true;
    max_stack_ = std::max<size_t>(max_stack_, cp.max_stack + 1);
    for (const filter::Selector& sel : cp.selectors) {
      uint32_t n = 0;
      for (const SelectorStep& st : sel.steps) {
        int32_t next = -1;
        switch (st.kind) {
          case SelectorStep::Kind::kKey:
            for (auto& [k, c] : nodes_[n].keys) {
              if (k == st.key) next = static_cast<int32_t>(c);
            }
            break;
          case SelectorStep::Kind::kIndex:
            for (auto& [k, c] : nodes_[n].indexes) {
              if (k == st.index) next = static_cast<int32_t>(c);
            }
            break;
          case SelectorStep::Kind::kAnyKey: next = nodes_[n].any_key; break;
          case SelectorStep::Kind::kAnyIndex: next = nodes_[n].any_index; break;
        }
        if (next < 0) {
          next = static_cast<int32_t>(nodes_.size());
          Node child;
          switch (st.kind) {
            case SelectorStep::Kind::kKey: child.path = nodes_[n].path + "." + st.key; break;
            case SelectorStep::Kind::kIndex: child.path = nodes_[n].path + "[" + std::to_string(st.index) + "]"; break;
            case SelectorStep::Kind::kAnyKey: child.path = nodes_[n].path + ".*"; break;
            case SelectorStep::Kind::kAnyIndex: child.path = nodes_[n].path + "[*]"; break;
          }
          nodes_.push_back(std::move(child));
          Node& parent = nodes_[n];
          switch (st.kind) {
            case SelectorStep::Kind::kKey: parent.keys.emplace_back(st.key, next); break;
            case SelectorStep::Kind::kIndex: parent.indexes.emplace_back(st.index, next); break;
            case SelectorStep::Kind::kAnyKey: parent.any_key = next; break;
            case SelectorStep::Kind::kAnyIndex: parent.any_index = next; break;
          }
        }
        n = static_cast<uint32_t>(next);
      }
      selector_node_[p].push_back(n);
    }
    for (const filter::JsonAtom& a : cp.atoms) {
      const uint32_t id = static_cast<uint32_t>(atoms_.size());
      const uint32_t node = selector_node_[p][a.selector];
      atoms_.push_back(&a);
      atom_node_.push_back(node);
      if (a.test != JsonTest::kNotExists) nodes_[node].atoms.push_back(id);
    }
  }
  for (Node& n : nodes_) {
    std::sort(n.keys.begin(), n.keys.end());
    std::sort(n.indexes.begin(), n.indexes.end());
  }
}

FilterSet::~FilterSet() = default;
FilterSet::FilterSet(FilterSet&&) noexcept = default;
FilterSet& FilterSet::operator=(FilterSet&&) noexcept = default;

FilterScratch::FilterScratch() = default;
FilterScratch::~FilterScratch() = default;

// ---- evaluation --------------------------------------------------------------------------------------
void FilterSet::Visit(const dom::element& e, uint32_t node_id, FilterScratch& s) const {
  const Node& node = nodes_[node_id];
  SetBit(s.visited_, node_id);
  s.value_[node_id] = e;
  if (!node.atoms.empty()) {
    const dom::element_type t = e.type();
    for (uint32_t id : node.atoms) {
      if (TestBit(s.atom_bits_, id)) continue;  // already true through another selected value
      const filter::JsonAtom& a = *atoms_[id];
      bool r = false;
      switch (a.test) {
        case JsonTest::kIsNull: r = t == dom::element_type::NULL_VALUE; break;
        case JsonTest::kIsTrue: r = t == dom::element_type::BOOL && bool(e); break;
        case JsonTest::kIsFalse: r = t == dom::element_type::BOOL && !bool(e); break;
        case JsonTest::kNotExists: break;
        case JsonTest::kCompare:
          if (t == dom::element_type::STRING) {
            r = MatchText(a.matcher, std::string_view(e));
          } else if (t == dom::element_type::INT64 || t == dom::element_type::UINT64 ||
                     t == dom::element_type::DOUBLE) {
            r = MatchNumber(a.matcher, NumberValue(e), NumberText(e, s.number_text_, sizeof s.number_text_));
          }
          break;
      }
      if (r) SetBit(s.atom_bits_, id);
    }
  }
  const dom::element_type t = e.type();
  if (t == dom::element_type::OBJECT && (!node.keys.empty() || node.any_key >= 0)) {
    const uint64_t stamp = ++s.stamp_;
    const dom::object obj(e);
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      const dom::key_value_pair kv = *it;
      if (node.any_key >= 0) {
        // $.* sees each key once, with its last value, like every other selector.
        bool later_duplicate = false;
        auto next = it;
        for (++next; next != obj.end() && !later_duplicate; ++next) later_duplicate = next.key() == kv.key;
        if (!later_duplicate) Visit(kv.value, static_cast<uint32_t>(node.any_key), s);
      }
      if (node.keys.empty()) continue;
      auto child = std::lower_bound(node.keys.begin(), node.keys.end(), kv.key,
                                    [](const std::pair<std::string, uint32_t>& a, std::string_view k) { return a.first < k; });
      if (child != node.keys.end() && child->first == kv.key) {
        s.slot_[child->second] = kv.value;  // a later duplicate key replaces an earlier one
        s.slot_stamp_[child->second] = stamp;
      }
    }
    for (const auto& [key, child] : node.keys) {
      if (s.slot_stamp_[child] == stamp) Visit(s.slot_[child], child, s);
    }
  } else if (t == dom::element_type::ARRAY && (!node.indexes.empty() || node.any_index >= 0)) {
    uint32_t i = 0;
    for (dom::element v : dom::array(e)) {
      if (node.any_index >= 0) Visit(v, static_cast<uint32_t>(node.any_index), s);
      for (const auto& [idx, child] : node.indexes) {
        if (idx == i) Visit(v, child, s);
      }
      ++i;
    }
  }
}

bool FilterSet::EvalJsonPattern(size_t i, FilterScratch& s) const {
  if (!s.json_ok_) return false;
  const CompiledPattern& cp = *patterns_[i];
  const uint32_t base = atom_base_[i];
  uint8_t* stack = s.stack_.data();
  size_t sp = 0;
  for (const filter::ExprOp& op : cp.program) {
    switch (op.kind) {
      case filter::ExprOp::Kind::kAtom: {
        const uint32_t id = base + op.arg;
        const filter::JsonAtom& a = *atoms_[id];
        stack[sp++] = a.test == JsonTest::kNotExists ? !TestBit(s.visited_, atom_node_[id]) : TestBit(s.atom_bits_, id);
        break;
      }
      case filter::ExprOp::Kind::kAnd: {
        uint8_t r = 1;
        for (uint32_t k = 0; k < op.arg; ++k) r &= stack[--sp];
        stack[sp++] = r;
        break;
      }
      case filter::ExprOp::Kind::kOr: {
        uint8_t r = 0;
        for (uint32_t k = 0; k < op.arg; ++k) r |= stack[--sp];
        stack[sp++] = r;
        break;
      }
    }
  }
  return sp == 1 && stack[0];
}

bool FilterSet::EvalDelimited(size_t i, FilterScratch& s) const {
  const CompiledPattern& cp = *patterns_[i];
  if (!s.fields_ready_) {
    TokenizeFields(s.message_, &s.fields_);
    s.fields_ready_ = true;
  }
  std::vector<BoundField>& bound = s.bound_[i];
  if (!BindFields(cp, s.fields_, &bound)) return false;
  for (const BoundField& b : bound) {
    if (b.pattern_field < 0) continue;
    const filter::CompiledField& f = cp.fields[static_cast<size_t>(b.pattern_field)];
    if (f.any_of.empty()) continue;
    const std::string_view text = s.message_.substr(b.begin, b.end - b.begin);
    bool any = false;
    for (const auto& conj : f.any_of) {
      bool all = true;
      for (const Matcher& m : conj) {
        if (!MatchText(m, text)) {
          all = false;
          break;
        }
      }
      if (all) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  return true;
}

std::string FilterScratch::json_error() const {
  if (json_error_ == simdjson::DEPTH_ERROR) {
    return "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
  }
  return std::string("not valid JSON: ") + simdjson::error_message(static_cast<simdjson::error_code>(json_error_));
}

void FilterSet::Evaluate(std::string_view message, FilterScratch& s) const {
  s.message_ = message;
  s.matched_.assign(patterns_.size(), 0);
  s.fields_ready_ = false;
  s.json_ok_ = false;
  s.json_error_ = 0;
  if (s.bound_.size() < patterns_.size()) s.bound_.resize(patterns_.size());
  const bool pre = prefilter_ != nullptr;
  bool need_json = has_json_;
  if (pre) {
    prefilter_->Scan(message, s.prefilter_);
    need_json = need_json && prefilter_->AnyJsonMayMatch(s.prefilter_);
  }
  if (need_json) {
    size_t b = 0;
    while (b < message.size() && (message[b] == ' ' || message[b] == '\t' || message[b] == '\n' || message[b] == '\r')) ++b;
    if (b < message.size() && (message[b] == '{' || message[b] == '[')) {
      s.padded_.assign(message.data(), message.size());
      s.padded_.append(simdjson::SIMDJSON_PADDING, '\0');
      auto doc = s.parser_.parse(s.padded_.data(), message.size(), false);
      if (doc.error() == simdjson::NUMBER_ERROR) {
        std::string rewritten;
        if (QuoteUnrepresentableNumbers(message, &rewritten)) {
          s.padded_ = std::move(rewritten);
          const size_t n = s.padded_.size();
          s.padded_.append(simdjson::SIMDJSON_PADDING, '\0');
          doc = s.parser_.parse(s.padded_.data(), n, false);
        }
      }
      if (!doc.error()) {
        s.root_ = doc.value_unsafe();
        s.json_ok_ = true;
      } else {
        s.json_error_ = doc.error();
      }
    }
    if (s.json_ok_) {
      const size_t words_atoms = (atoms_.size() + 63) / 64;
      const size_t words_nodes = (nodes_.size() + 63) / 64;
      s.atom_bits_.assign(words_atoms, 0);
      s.visited_.assign(words_nodes, 0);
      if (s.value_.size() < nodes_.size()) {
        s.value_.resize(nodes_.size());
        s.slot_.resize(nodes_.size());
        s.slot_stamp_.resize(nodes_.size(), 0);
      }
      if (s.stack_.size() < max_stack_ + 1) s.stack_.resize(max_stack_ + 1);
      Visit(s.root_, 0, s);
    }
  }
  for (size_t i = 0; i < patterns_.size(); ++i) {
    const CompiledPattern& cp = *patterns_[i];
    bool r = false;
    if (pre && cp.kind != PatternKind::kMatchAll) {
      if (prefilter_->HasTermProgram(i)) {
        s.matched_[i] = prefilter_->MayMatch(i, s.prefilter_);  // exact for terms
        continue;
      }
      if (!prefilter_->MayMatch(i, s.prefilter_)) {
        s.matched_[i] = 0;
        continue;
      }
    }
    switch (cp.kind) {
      case PatternKind::kMatchAll:
        r = true;
        break;
      case PatternKind::kTerms: {
        r = true;
        for (const std::string& t : cp.required) {
          if (!SearchMemmem(message, t)) { r = false; break; }
        }
        if (r) {
          for (const std::string& t : cp.excluded) {
            if (SearchMemmem(message, t)) { r = false; break; }
          }
        }
        if (r && !cp.any_of.empty()) {
          r = false;
          for (const std::string& t : cp.any_of) {
            if (SearchMemmem(message, t)) { r = true; break; }
          }
        }
        break;
      }
      case PatternKind::kRegex:
        r = RE2::PartialMatch(message, *cp.regex);
        break;
      case PatternKind::kJson:
        r = EvalJsonPattern(i, s);
        break;
      case PatternKind::kDelimited:
        r = EvalDelimited(i, s);
        break;
    }
    s.matched_[i] = r;
  }
}

void FilterSet::ExtractedValues(size_t i, const FilterScratch& s,
                                std::vector<std::pair<std::string, std::string>>* out) const {
  out->clear();
  const CompiledPattern& cp = *patterns_[i];
  if (cp.kind != PatternKind::kDelimited || !s.matched_[i]) return;
  for (const BoundField& b : s.bound_[i]) {
    std::string key;
    if (b.pattern_field >= 0 && cp.fields[static_cast<size_t>(b.pattern_field)].kind == filter::DelimitedField::Kind::kNamed) {
      key = "$" + cp.fields[static_cast<size_t>(b.pattern_field)].name;
    } else {
      key = "$" + std::to_string(b.position);
    }
    out->emplace_back(std::move(key), std::string(s.message_.substr(b.begin, b.end - b.begin)));
  }
}

const dom::element* FilterSet::ValueAt(size_t i, int selector, const FilterScratch& s) const {
  if (!s.json_ok_ || selector < 0) return nullptr;
  const uint32_t node = selector_node_[i][static_cast<size_t>(selector)];
  if (!TestBit(s.visited_, node)) return nullptr;
  return &s.value_[node];
}

std::optional<double> FilterSet::NumberOf(size_t i, const ValueRef& ref, FilterScratch& s) const {
  switch (ref.kind) {
    case ValueRef::Kind::kLiteral:
      return ref.literal;
    case ValueRef::Kind::kJsonSelector: {
      const dom::element* e = ValueAt(i, ref.selector_index, s);
      if (!e) return std::nullopt;
      if (IsNumber(*e)) return NumberValue(*e);
      double v = 0;
      if (e->type() == dom::element_type::STRING && filter::ParseFilterNumber(std::string_view(*e), &v)) return v;
      return std::nullopt;
    }
    case ValueRef::Kind::kFieldName:
    case ValueRef::Kind::kFieldIndex: {
      std::string text;
      if (!TextOf(i, ref, s, &text)) return std::nullopt;
      double v = 0;
      if (filter::ParseFilterNumber(text, &v)) return v;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

bool FilterSet::TextOf(size_t i, const ValueRef& ref, FilterScratch& s, std::string* out) const {
  switch (ref.kind) {
    case ValueRef::Kind::kLiteral:
      *out = ref.text;
      return true;
    case ValueRef::Kind::kJsonSelector: {
      const dom::element* e = ValueAt(i, ref.selector_index, s);
      if (!e) return false;
      if (e->type() == dom::element_type::STRING) {
        out->assign(std::string_view(*e));
        return true;
      }
      if (IsNumber(*e)) {
        out->assign(NumberText(*e, s.number_text_, sizeof s.number_text_));
        return true;
      }
      return false;
    }
    case ValueRef::Kind::kFieldName:
    case ValueRef::Kind::kFieldIndex: {
      const CompiledPattern& cp = *patterns_[i];
      if (cp.kind != PatternKind::kDelimited || !s.matched_[i]) return false;
      for (const BoundField& b : s.bound_[i]) {
        const bool named = b.pattern_field >= 0 &&
                           cp.fields[static_cast<size_t>(b.pattern_field)].kind == filter::DelimitedField::Kind::kNamed;
        const bool hit = ref.kind == ValueRef::Kind::kFieldName
                             ? named && "$" + cp.fields[static_cast<size_t>(b.pattern_field)].name == ref.name
                             : !named && b.position == ref.index;
        if (hit) {
          out->assign(s.message_.substr(b.begin, b.end - b.begin));
          return true;
        }
      }
      return false;
    }
  }
  return false;
}

std::string FilterSet::DumpPrefilter() const { return prefilter_ ? prefilter_->Dump() : std::string(); }

std::string FilterSet::DumpTrie() const {
  std::string out;
  for (size_t n = 0; n < nodes_.size(); ++n) {
    out += "n" + std::to_string(n) + " " + nodes_[n].path;
    if (!nodes_[n].atoms.empty()) {
      out += " atoms:";
      for (uint32_t a : nodes_[n].atoms) out += " " + std::to_string(a);
    }
    out += "\n";
  }
  return out;
}

}  // namespace trailwatch::engine
