// matcher.cc: see matcher.h.
#include "engine/event/matcher.h"

#include <algorithm>
#include <array>
#include <cstring>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

#include "patterns/event/casefold.h"
#include "patterns/event/lexer.h"
#include "patterns/event/values.h"

namespace trailwatch::engine {

// Every path a pattern can name is walkable: the parser reads at most JsonLexer::kMaxDepth nested containers,
// the innermost being a value list, so a pattern names at most kMaxDepth - 1 nested objects.
static_assert(EventMatcher::kMaxDepth >= event::JsonLexer::kMaxDepth - 1);

namespace {
constexpr uint64_t kMaxSearchSteps = 2'000'000;

// Whether the JSON text nests more than `limit` containers anywhere (brackets inside strings do not count).
// The plain walk's check; the fast walk counts as it walks and skips.
bool NestsDeeperThan(std::string_view json, int limit) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > limit) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

constexpr size_t kUnterminated = ~size_t{0};

// The length of the raw key at `key` (up to its closing quote or first backslash, whichever comes first);
// sets *dotted when a '.' comes before. kUnterminated when neither occurs before `end`. The buffer is padded
// (SIMDJSON_PADDING bytes after `end`), so reading 16 bytes from any position before `end` is safe.
size_t KeyLength(const char* key, const char* end, bool* dotted) {
  size_t off = 0;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), dot = _mm_set1_epi8('.');
  while (key + off < end) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(key + off));
    const uint32_t stop = static_cast<uint32_t>(
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash))));
    const uint32_t dots = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, dot)));
    if (stop != 0) {
      const uint32_t at = static_cast<uint32_t>(__builtin_ctz(stop));
      if (key + off + at >= end) return kUnterminated;
      *dotted = *dotted || (dots & ((1u << at) - 1)) != 0;
      return off + at;
    }
    *dotted = *dotted || dots != 0;
    off += 16;
  }
  return kUnterminated;
#else
  for (; key + off < end; ++off) {
    if (key[off] == '"' || key[off] == '\\') return off;
    *dotted = *dotted || key[off] == '.';
  }
  return kUnterminated;
#endif
}

// Whether s[0, n) holds a backslash. Like KeyLength(), may read up to 15 bytes past the end (padding).
bool HasBackslash(const char* s, size_t n) {
#if defined(__SSE2__)
  const __m128i backslash = _mm_set1_epi8('\\');
  for (size_t off = 0; off < n; off += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + off));
    uint32_t hit = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, backslash)));
    if (n - off < 16) hit &= (1u << (n - off)) - 1;
    if (hit != 0) return true;
  }
  return false;
#else
  return std::memchr(s, '\\', n) != nullptr;
#endif
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}
}  // namespace

EventMatcher::EventMatcher(std::shared_ptr<const event::CompiledRuleSet> set, bool fast_paths)
    : set_(std::move(set)) {
  fast_ = fast_paths;
  if (!fast_) return;
  const event::CompiledRuleSet& rs = *set_;
  const auto& nodes = rs.nodes_;
  std::vector<uint32_t> parent(nodes.size(), 0);
  path_node_.assign(rs.paths_.size(), 0);
  for (uint32_t n = 0; n < nodes.size(); ++n) {
    for (const auto& [seg, child] : nodes[n].children.entries()) parent[child] = n;
    if (nodes[n].path >= 0) path_node_[static_cast<size_t>(nodes[n].path)] = n;
  }
  // Each sub-rule's trie nodes: the nodes of its fields' paths and their ancestors.
  std::vector<uint32_t> mine;
  for (const event::RuleSetRule& rule : rs.rules_) {
    rule_node_begin_.push_back(static_cast<uint32_t>(rule_nodes_.size()));
    mine.clear();
    for (const event::RuleSetField& f : rule.fields) {
      for (uint32_t n = path_node_[f.path]; n != 0; n = parent[n]) mine.push_back(n);
    }
    std::sort(mine.begin(), mine.end());
    mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
    rule_nodes_.insert(rule_nodes_.end(), mine.begin(), mine.end());
  }
  rule_node_begin_.push_back(static_cast<uint32_t>(rule_nodes_.size()));

  // Preorder numbering (iterative): node n's subtree is the preorder range [pre_[n], end_[n]).
  pre_.assign(nodes.size(), 0);
  end_.assign(nodes.size(), 0);
  {
    uint32_t next = 0;
    std::vector<std::pair<uint32_t, bool>> stack{{0, false}};
    while (!stack.empty()) {
      auto [n, done] = stack.back();
      stack.pop_back();
      if (done) {
        end_[n] = next;
        continue;
      }
      pre_[n] = next++;
      stack.push_back({n, true});
      for (const auto& [seg, child] : nodes[n].children.entries()) stack.push_back({child, false});
    }
  }
  // The node sets speculation marks: per atom (the sub-rules anchored on it), per anchor path, always.
  auto append_union = [&](const std::vector<uint32_t>& rules) {
    mine.clear();
    for (uint32_t r : rules) mine.insert(mine.end(), rule_nodes_.begin() + rule_node_begin_[r], rule_nodes_.begin() + rule_node_begin_[r + 1]);
    std::sort(mine.begin(), mine.end());
    mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
    spec_nodes_.insert(spec_nodes_.end(), mine.begin(), mine.end());
  };
  std::vector<std::vector<uint32_t>> by_path(rs.paths_.size());
  for (uint32_t a = 0; a < rs.atoms_.size(); ++a) {
    atom_nodes_begin_.push_back(static_cast<uint32_t>(spec_nodes_.size()));
    append_union(rs.anchored_[a]);
    by_path[rs.atoms_[a].path].insert(by_path[rs.atoms_[a].path].end(), rs.anchored_[a].begin(), rs.anchored_[a].end());
  }
  atom_nodes_begin_.push_back(static_cast<uint32_t>(spec_nodes_.size()));
  for (uint32_t p = 0; p < rs.paths_.size(); ++p) {
    if (by_path[p].empty()) continue;
    const uint32_t begin = static_cast<uint32_t>(spec_nodes_.size());
    append_union(by_path[p]);
    anchor_paths_.push_back({p, begin, static_cast<uint32_t>(spec_nodes_.size())});
  }
  always_begin_ = static_cast<uint32_t>(spec_nodes_.size());
  append_union(rs.always_);
  always_end_ = static_cast<uint32_t>(spec_nodes_.size());
}

EventMatcher::~EventMatcher() = default;
EventMatcher::EventMatcher(EventMatcher&&) noexcept = default;
EventMatcher& EventMatcher::operator=(EventMatcher&&) noexcept = default;

size_t EventMatcher::MatchCount(const EventScratch& s) const { return s.match_count_; }

// A new leaf at `path`, linked into its path's list and its array membership recorded; the caller sets its
// value, then tests it (TestLeaf).
Leaf& EventMatcher::NewLeaf(uint32_t path, EventScratch& s) const {
  const uint32_t index = static_cast<uint32_t>(s.leaves_.size());
  Leaf& l = s.leaves_.emplace_back();
  l.path = path;
  l.mem_begin = static_cast<uint32_t>(s.membership_.size());
  l.mem_count = static_cast<uint32_t>(s.mem_stack_.size());
  if (l.mem_count > 0) {
    s.membership_.insert(s.membership_.end(), s.mem_stack_.begin(), s.mem_stack_.end());
    s.has_arrays_ = true;
  }
  if (s.path_stamp_[path] != s.stamp_) {
    s.path_stamp_[path] = s.stamp_;
    s.path_head_[path] = -1;
  }
  l.next_in_path = s.path_head_[path];
  s.path_head_[path] = static_cast<int32_t>(index);
  return l;
}

// `depth` counts the containers around `value` (1 for a member of the root object).
bool EventMatcher::Visit(simdjson::ondemand::value& value, uint32_t node, EventScratch& s, int depth) const {
  const event::RuleSetTrieNode& nd = set_->nodes_[node];
  simdjson::ondemand::json_type type;
  if (value.type().get(type)) return false;
  Leaf leaf;
  switch (type) {
    case simdjson::ondemand::json_type::object: {
      if (nd.children.empty()) return true;
      if (depth + 1 > kMaxDepth) return TooDeep(s);
      simdjson::ondemand::object object;
      if (value.get_object().get(object)) return false;
      return WalkObject(object, node, s, depth + 1);
    }
    case simdjson::ondemand::json_type::array: {
      if (nd.children.empty() && nd.path < 0) return true;
      if (depth + 1 > kMaxDepth) return TooDeep(s);
      simdjson::ondemand::array array;
      if (value.get_array().get(array)) return false;
      const uint32_t id = s.next_array_++;
      uint32_t index = 0;
      for (auto element : array) {
        simdjson::ondemand::value v;
        if (std::move(element).get(v)) return false;
        s.mem_stack_.push_back({id, index++});
        const bool ok = Visit(v, node, s, depth + 1);
        s.mem_stack_.pop_back();
        if (!ok) return false;
      }
      return true;
    }
    case simdjson::ondemand::json_type::string: {
      if (nd.path < 0) return true;
      // The raw token is the quoted string and any spaces after it: without a backslash its bytes are the
      // decoded value (stage 1 has validated the UTF-8 and rejected raw control characters).
      const std::string_view raw = TrimRight(value.raw_json_token());
      std::string_view text;
      if (raw.size() >= 2 && raw.back() == '"' && !HasBackslash(raw.data() + 1, raw.size() - 2)) {
        text = raw.substr(1, raw.size() - 2);
      } else if (value.get_string().get(text)) {
        return false;
      }
      leaf.type = LeafType::kString;
      leaf.text = text;
      break;
    }
    case simdjson::ondemand::json_type::number: {
      if (nd.path < 0) return true;
      leaf.type = LeafType::kNumber;
      leaf.text = TrimRight(value.raw_json_token());
      if (set_->paths_[static_cast<size_t>(nd.path)].needs_number) {
        leaf.exact = event::ExactDouble(leaf.text, &leaf.number);
      }
      break;
    }
    case simdjson::ondemand::json_type::boolean: {
      if (nd.path < 0) return true;
      bool b;
      if (value.get_bool().get(b)) return false;
      leaf.type = b ? LeafType::kTrue : LeafType::kFalse;
      break;
    }
    case simdjson::ondemand::json_type::null: {
      if (nd.path < 0) return true;
      bool is_null = false;
      if (value.is_null().get(is_null) || !is_null) return false;
      leaf.type = LeafType::kNull;
      break;
    }
    default:
      return false;
  }
  Leaf& l = NewLeaf(static_cast<uint32_t>(nd.path), s);
  l.type = leaf.type;
  l.text = leaf.text;
  l.exact = leaf.exact;
  l.number = leaf.number;
  TestLeaf(static_cast<uint32_t>(s.leaves_.size() - 1), s);
  return true;
}

// The trie node a dotted `key` (decoded) leads to from `*node`, segment by segment.
bool EventMatcher::NodeFor(std::string_view key, uint32_t* node) const {
  const auto& nodes = set_->nodes_;
  uint32_t n = *node;
  size_t start = 0;
  while (true) {
    const size_t dot = key.find('.', start);
    const std::string_view seg = key.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    const uint32_t* child = nodes[n].children.Find(seg);
    if (child == nullptr) return false;
    n = *child;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  *node = n;
  return true;
}

// `depth` counts the containers around the members, `object` included.
bool EventMatcher::WalkObject(simdjson::ondemand::object object, uint32_t node, EventScratch& s, int depth) const {
  for (auto field : object) {
    // The raw key: up to its closing quote; with a backslash it is decoded instead.
    simdjson::ondemand::raw_json_string raw_key;
    if (field.key().get(raw_key)) return false;
    const char* const key = raw_key.raw();
    bool dotted = false;
    const size_t len = KeyLength(key, s.end_, &dotted);
    if (len == kUnterminated) return false;
    std::string_view k(key, len);
    if (key[len] == '\\') {
      if (field.unescaped_key().get(k)) return false;
      dotted = k.find('.') != std::string_view::npos;
    }
    uint32_t n = node;
    if (!dotted) {
      const uint32_t* child = set_->nodes_[node].children.Find(k);
      if (child == nullptr) continue;
      n = *child;
    } else if (!NodeFor(k, &n)) {
      continue;
    }
    simdjson::ondemand::value value;
    if (field.value().get(value)) return false;
    if (!Visit(value, n, s, depth)) return false;
  }
  return true;
}

// ---- fast walk -------------------------------------------------------------------------------------------
// Tokens are stage 1's structural indexes: the positions of { } [ ] : , and of the first byte of every
// string and scalar. A value's raw text runs from its token to the next token (spaces trimmed).

namespace {

// Bracket depth change per structural character.
constexpr std::array<int8_t, 256> kDepth = [] {
  std::array<int8_t, 256> t{};
  t['{'] = t['['] = 1;
  t['}'] = t[']'] = -1;
  return t;
}();

// Skips the value at token *i: a scalar or string is one token, an object or array runs to the token that
// brings the depth back. False when the brackets do not balance or the token cannot start a value, and when
// the value nests more than `room` containers (then *too_deep is set).
bool SkipValue(const char* buf, const uint32_t* index, uint32_t tokens, uint32_t* i, int room, bool* too_deep) {
  const char c = buf[index[*i]];
  if (c == '{' || c == '[') {
    int depth = 1;
    if (depth > room) {
      *too_deep = true;
      return false;
    }
    uint32_t k = *i + 1;
    while (k < tokens) {
      depth += kDepth[static_cast<uint8_t>(buf[index[k]])];
      ++k;
      if (depth > room) {
        *too_deep = true;
        return false;
      }
      if (depth == 0) {
        *i = k;
        return true;
      }
    }
    return false;
  }
  if (c == '}' || c == ']' || c == ',' || c == ':') return false;
  ++*i;
  return true;
}

}  // namespace

// `depth` counts the containers around the members, the object at *i included.
bool EventMatcher::FastWalkObject(uint32_t* i, uint32_t node, EventScratch& s, int depth) const {
  const char* const buf = s.padded_.data();
  const uint32_t* const index = s.index_;
  const uint32_t tokens = s.tokens_;
  uint32_t k = *i + 1;  // past '{'
  if (k >= tokens) return false;
  if (buf[index[k]] == '}') {
    *i = k + 1;
    return true;
  }
  while (true) {
    // "key" : value
    if (k + 2 >= tokens || buf[index[k]] != '"' || buf[index[k + 1]] != ':') return false;
    const char* const key = buf + index[k] + 1;
    bool dotted = false;
    const size_t len = KeyLength(key, s.end_, &dotted);
    if (len == kUnterminated || key + len >= buf + index[k + 1]) return false;
    std::string_view kv(key, len);
    if (key[len] == '\\') {
      uint8_t* const start = s.strings_next_;
      uint8_t* const stop = s.stage1_->parse_string(reinterpret_cast<const uint8_t*>(key), start);
      if (stop == nullptr) return false;
      s.strings_next_ = stop;
      kv = std::string_view(reinterpret_cast<const char*>(start), static_cast<size_t>(stop - start));
      dotted = kv.find('.') != std::string_view::npos;
    }
    k += 2;
    uint32_t n = node;
    bool named;
    if (!dotted) {
      const event::RuleSetTrieNode& nd = set_->nodes_[node];
      const uint32_t* child =
          (nd.key_filter & event::RuleSetTrieNode::KeyFilterBit(kv)) != 0 ? nd.children.Find(kv) : nullptr;
      named = child != nullptr;
      if (named) n = *child;
    } else {
      named = NodeFor(kv, &n);
    }
    if (named && s.restricted_ && s.node_stamp_[n] != s.stamp_) named = false;
    if (!named) {
      if (!SkipValue(buf, index, tokens, &k, kMaxDepth - depth, &s.too_deep_)) return false;
    } else if (!s.restricted_ && s.speculate_ && !set_->nodes_[n].children.empty()) {
      // An object (or array of them) to enter: only for the sub-rules still alive.
      if (!Speculate(n, s)) {
        if (!SkipValue(buf, index, tokens, &k, kMaxDepth - depth, &s.too_deep_)) return false;
      } else {
        s.restricted_ = true;
        const bool ok = FastVisit(&k, n, s, depth);
        s.restricted_ = false;
        if (!ok) return false;
      }
    } else if (!FastVisit(&k, n, s, depth)) {
      return false;
    }
    if (k >= tokens) return false;
    const char c = buf[index[k]];
    ++k;
    if (c == '}') {
      *i = k;
      return true;
    }
    if (c != ',') return false;
  }
}

// `depth` counts the containers around the value at *i.
bool EventMatcher::FastVisit(uint32_t* i, uint32_t node, EventScratch& s, int depth) const {
  const event::RuleSetTrieNode& nd = set_->nodes_[node];
  const char* const buf = s.padded_.data();
  const uint32_t* const index = s.index_;
  const uint32_t tokens = s.tokens_;
  const uint32_t k = *i;
  const char c = buf[index[k]];
  if (c == '{') {
    if (nd.children.empty()) return SkipValue(buf, index, tokens, i, kMaxDepth - depth, &s.too_deep_);
    if (depth + 1 > kMaxDepth) return TooDeep(s);
    return FastWalkObject(i, node, s, depth + 1);
  }
  if (c == '[') {
    if (nd.children.empty() && nd.path < 0) return SkipValue(buf, index, tokens, i, kMaxDepth - depth, &s.too_deep_);
    if (depth + 1 > kMaxDepth) return TooDeep(s);
    uint32_t e = k + 1;
    if (e >= tokens) return false;
    if (buf[index[e]] == ']') {
      *i = e + 1;
      return true;
    }
    const uint32_t id = s.next_array_++;
    uint32_t element = 0;
    while (true) {
      s.mem_stack_.push_back({id, element++});
      const bool ok = FastVisit(&e, node, s, depth + 1);
      s.mem_stack_.pop_back();
      if (!ok || e >= tokens) return false;
      const char sep = buf[index[e]];
      ++e;
      if (sep == ']') {
        *i = e;
        return true;
      }
      if (sep != ',') return false;
    }
  }
  // A string or scalar (what On-Demand would type): its raw text runs to the next token (the root object's
  // '}' always follows).
  if (c != '"' && c != 't' && c != 'f' && c != 'n' && c != '-' && !(c >= '0' && c <= '9')) return false;
  if (k + 1 >= tokens) return false;
  *i = k + 1;
  if (nd.path < 0) return true;
  const std::string_view raw = TrimRight(std::string_view(buf + index[k], index[k + 1] - index[k]));
  LeafType type;
  std::string_view text;
  if (c == '"') {
    if (raw.size() < 2 || raw.back() != '"') return false;
    if (!HasBackslash(raw.data() + 1, raw.size() - 2)) {
      text = raw.substr(1, raw.size() - 2);
    } else {
      uint8_t* const start = s.strings_next_;
      uint8_t* const stop = s.stage1_->parse_string(reinterpret_cast<const uint8_t*>(raw.data() + 1), start);
      if (stop == nullptr) return false;
      s.strings_next_ = stop;
      text = std::string_view(reinterpret_cast<const char*>(start), static_cast<size_t>(stop - start));
    }
    type = LeafType::kString;
  } else if (c == 't' || c == 'f' || c == 'n') {
    if (raw == "true") type = LeafType::kTrue;
    else if (raw == "false") type = LeafType::kFalse;
    else if (raw == "null") type = LeafType::kNull;
    else return false;
  } else {
    type = LeafType::kNumber;
    text = raw;
  }
  const uint32_t path = static_cast<uint32_t>(nd.path);
  Leaf& l = NewLeaf(path, s);
  l.type = type;
  l.text = text;
  if (type == LeafType::kNumber && set_->paths_[path].needs_number) l.exact = event::ExactDouble(text, &l.number);
  TestLeaf(static_cast<uint32_t>(s.leaves_.size() - 1), s);
  return true;
}

void EventMatcher::MarkUnder(uint32_t node, uint32_t begin, uint32_t end, EventScratch& s) const {
  const uint32_t lo = pre_[node], hi = end_[node];
  for (uint32_t k = begin; k < end; ++k) {
    const uint32_t m = spec_nodes_[k];
    if (pre_[m] >= lo && pre_[m] < hi) s.node_stamp_[m] = s.stamp_;
  }
}

// Marks the nodes under `node` that the sub-rules still alive need, and says whether `node` is one of them.
// A sub-rule is out when its anchor path lies outside `node`, already has leaves, and none of its anchor
// atoms fired; the path is then recorded as closed, and a later first hit on it (a duplicate key after
// `node`) makes Revived() true and the event is evaluated again without speculation.
bool EventMatcher::Speculate(uint32_t node, EventScratch& s) const {
  const uint32_t lo = pre_[node], hi = end_[node];
  for (const AnchorPath& g : anchor_paths_) {
    const uint32_t pn = path_node_[g.path];
    if ((pre_[pn] >= lo && pre_[pn] < hi) || s.path_stamp_[g.path] != s.stamp_) {
      MarkUnder(node, g.begin, g.end, s);
      continue;
    }
    if (s.closed_stamp_[g.path] != s.stamp_) {
      s.closed_stamp_[g.path] = s.stamp_;
      s.closed_at_[g.path] = static_cast<uint32_t>(s.hit_atoms_.size());
      s.closed_any_ = true;
    }
    for (uint32_t a : set_->paths_[g.path].atoms) {
      if (s.atom_stamp_[a] == s.stamp_) MarkUnder(node, atom_nodes_begin_[a], atom_nodes_begin_[a + 1], s);
    }
  }
  MarkUnder(node, always_begin_, always_end_, s);
  return s.node_stamp_[node] == s.stamp_;
}

bool EventMatcher::Revived(const EventScratch& s) const {
  if (!s.closed_any_) return false;
  for (size_t i = 0; i < s.hit_atoms_.size(); ++i) {
    const uint32_t p = set_->atoms_[s.hit_atoms_[i]].path;
    if (s.closed_stamp_[p] == s.stamp_ && i >= s.closed_at_[p]) return true;
  }
  return false;
}

void EventMatcher::Hit(uint32_t atom, uint32_t leaf, EventScratch& s) const {
  if (s.atom_stamp_[atom] != s.stamp_) {
    s.atom_stamp_[atom] = s.stamp_;
    s.atom_head_[atom] = -1;
    s.hit_atoms_.push_back(atom);
  }
  const int32_t head = s.atom_head_[atom];
  if (head >= 0 && s.hits_[head].first == leaf) return;
  s.hits_.push_back({leaf, head});
  s.atom_head_[atom] = static_cast<int32_t>(s.hits_.size() - 1);
}

void EventMatcher::TestLeaf(uint32_t li, EventScratch& s) const {
  const Leaf& l = s.leaves_[li];
  const event::RuleSetPath& p = set_->paths_[l.path];
  LeafContext context;
  switch (l.type) {
    case LeafType::kString: {
      if (const std::vector<uint32_t>* atoms = p.exact_strings.Find(l.text)) {
        for (uint32_t a : *atoms) Hit(a, li, s);
      }
      for (uint32_t n : p.prefix_lengths) {
        if (n > l.text.size()) break;
        if (const std::vector<uint32_t>* atoms = p.prefixes.Find(l.text.substr(0, n))) {
          for (uint32_t a : *atoms) Hit(a, li, s);
        }
      }
      for (uint32_t n : p.suffix_lengths) {
        if (n > l.text.size()) break;
        if (const std::vector<uint32_t>* atoms = p.suffixes.Find(l.text.substr(l.text.size() - n))) {
          for (uint32_t a : *atoms) Hit(a, li, s);
        }
      }
      if (p.needs_folding) {
        event::FoldCase(l.text, &s.fold_);
        context.folded = s.fold_;
        if (const std::vector<uint32_t>* atoms = p.folded_strings.Find(context.folded)) {
          for (uint32_t a : *atoms) Hit(a, li, s);
        }
      }
      break;
    }
    case LeafType::kNumber: {
      if (const std::vector<uint32_t>* atoms = p.number_texts.Find(l.text)) {
        for (uint32_t a : *atoms) Hit(a, li, s);
      }
      if (l.exact && !p.number_values.empty()) {
        const double v = l.number == 0 ? 0.0 : l.number;
        auto it = std::lower_bound(p.number_values.begin(), p.number_values.end(), v,
                                   [](const auto& e, double x) { return e.first < x; });
        if (it != p.number_values.end() && it->first == v) {
          for (uint32_t a : it->second) Hit(a, li, s);
        }
      }
      break;
    }
    default:
      for (uint32_t a : p.literal_atoms) {
        if (LeafMatches(*set_->atoms_[a].matcher, l, context)) Hit(a, li, s);
      }
      break;
  }
  for (uint32_t a : p.scan_atoms) {
    if (LeafMatches(*set_->atoms_[a].matcher, l, context)) Hit(a, li, s);
  }
}

bool EventMatcher::Consistent(const Leaf& a, const Leaf& b, const EventScratch& s) const {
  const uint32_t n = std::min(a.mem_count, b.mem_count);
  for (uint32_t i = 0; i < n; ++i) {
    const auto& x = s.membership_[a.mem_begin + i];
    const auto& y = s.membership_[b.mem_begin + i];
    if (x.first != y.first) return true;  // the paths parted before this array: no array in common below
    if (x.second != y.second) return false;
  }
  return true;
}

bool EventMatcher::ConsistentWithChosen(uint32_t leaf, const event::RuleSetRule& rule, size_t upto,
                                        EventScratch& s) const {
  (void)rule;
  const Leaf& l = s.leaves_[leaf];
  for (size_t k = 0; k < upto; ++k) {
    const int32_t c = s.choice_[s.order_[k]];
    if (c >= 0 && !Consistent(l, s.leaves_[c], s)) return false;
  }
  return true;
}

bool EventMatcher::Search(const event::RuleSetRule& rule, size_t k, EventScratch& s) const {
  if (++s.steps_ > kMaxSearchSteps) return false;
  const size_t nf = rule.fields.size();
  if (k == nf) {
    // Every field decided: an absent field must have no leaf consistent with the chosen ones.
    for (size_t fi = 0; fi < nf; ++fi) {
      if (s.choice_[fi] >= 0) continue;
      const uint32_t path = rule.fields[fi].path;
      if (s.path_stamp_[path] != s.stamp_) continue;
      for (int32_t li = s.path_head_[path]; li >= 0; li = s.leaves_[li].next_in_path) {
        if (ConsistentWithChosen(static_cast<uint32_t>(li), rule, nf, s)) return false;
      }
    }
    return true;
  }
  const uint32_t fi = s.order_[k];
  for (uint32_t li : s.field_leaves_[fi]) {
    if (!ConsistentWithChosen(li, rule, k, s)) continue;
    s.choice_[fi] = static_cast<int32_t>(li);
    if (Search(rule, k + 1, s)) return true;
  }
  if (rule.fields[fi].absent_ok) {
    s.choice_[fi] = -1;
    if (Search(rule, k + 1, s)) return true;
  }
  return false;
}

bool EventMatcher::EvalRule(const event::RuleSetRule& rule, EventScratch& s) const {
  const size_t nf = rule.fields.size();
  // Quick rejection: a field that needs a value and none of whose atoms fired.
  for (const event::RuleSetField& f : rule.fields) {
    if (f.absent_ok) continue;
    bool fired = false;
    for (uint32_t a : f.atoms) {
      if (s.atom_stamp_[a] == s.stamp_) {
        fired = true;
        break;
      }
    }
    if (!fired) return false;
  }
  if (s.field_leaves_.size() < nf) s.field_leaves_.resize(nf);
  if (s.choice_.size() < nf) s.choice_.resize(nf);
  bool any_arrays = false;
  for (size_t fi = 0; fi < nf; ++fi) {
    const event::RuleSetField& f = rule.fields[fi];
    std::vector<uint32_t>& leaves = s.field_leaves_[fi];
    leaves.clear();
    for (uint32_t a : f.atoms) {
      if (s.atom_stamp_[a] != s.stamp_) continue;
      for (int32_t h = s.atom_head_[a]; h >= 0; h = s.hits_[h].second) leaves.push_back(s.hits_[h].first);
    }
    if (f.atoms.size() > 1) {
      std::sort(leaves.begin(), leaves.end());
      leaves.erase(std::unique(leaves.begin(), leaves.end()), leaves.end());
    }
    const bool path_has_leaves = s.path_stamp_[f.path] == s.stamp_;
    if (leaves.empty() && !(f.absent_ok)) return false;
    if (!s.has_arrays_ && leaves.empty() && path_has_leaves) return false;  // absent needs no leaf at all
    for (uint32_t li : leaves) any_arrays = any_arrays || s.leaves_[li].mem_count > 0;
    if (f.absent_ok && path_has_leaves && s.has_arrays_) any_arrays = true;
  }
  if (!any_arrays) return true;
  // Array consistency: search an assignment, fields with the fewest candidates first.
  s.order_.resize(nf);
  for (size_t fi = 0; fi < nf; ++fi) s.order_[fi] = static_cast<uint32_t>(fi);
  std::sort(s.order_.begin(), s.order_.end(), [&](uint32_t a, uint32_t b) {
    const bool ra = !rule.fields[a].absent_ok, rb = !rule.fields[b].absent_ok;
    if (ra != rb) return ra;
    return s.field_leaves_[a].size() < s.field_leaves_[b].size();
  });
  for (size_t fi = 0; fi < nf; ++fi) s.choice_[fi] = -1;
  s.steps_ = 0;
  return Search(rule, 0, s);
}

bool EventMatcher::Evaluate(std::string_view json, EventScratch& s) const {
  Outcome outcome = EvaluateOnce(json, s, fast_);
  if (outcome == Outcome::kRedo) outcome = EvaluateOnce(json, s, false);
  s.status_ = outcome == Outcome::kOk ? EventStatus::kEvaluated
              : s.too_deep_           ? EventStatus::kTooDeep
                                      : EventStatus::kInvalid;
  return s.status_ == EventStatus::kEvaluated;
}

bool EventMatcher::TooDeep(EventScratch& s) {
  s.too_deep_ = true;
  return false;
}

const char* EventStatusName(EventStatus status) {
  switch (status) {
    case EventStatus::kEvaluated: return "evaluated";
    case EventStatus::kInvalid: return "invalid";
    case EventStatus::kTooDeep: return "too-deep";
  }
  return "?";
}

void EventMatcher::Reset(EventScratch& s) const {
  const event::CompiledRuleSet& set = *set_;
  // Stamped arrays only grow, so a scratch can alternate between matchers without reallocating: an entry
  // equal to the current stamp was written during this Evaluate().
  if (++s.stamp_ == 0) {
    std::fill(s.path_stamp_.begin(), s.path_stamp_.end(), 0);
    std::fill(s.atom_stamp_.begin(), s.atom_stamp_.end(), 0);
    std::fill(s.rule_stamp_.begin(), s.rule_stamp_.end(), 0);
    std::fill(s.node_stamp_.begin(), s.node_stamp_.end(), 0);
    std::fill(s.closed_stamp_.begin(), s.closed_stamp_.end(), 0);
    s.stamp_ = 1;
  }
  if (s.path_stamp_.size() < set.paths_.size()) {
    s.path_stamp_.resize(set.paths_.size(), 0);
    s.path_head_.resize(set.paths_.size(), -1);
    s.closed_stamp_.resize(set.paths_.size(), 0);
    s.closed_at_.resize(set.paths_.size(), 0);
  }
  if (s.node_stamp_.size() < set.nodes_.size()) s.node_stamp_.resize(set.nodes_.size(), 0);
  if (s.atom_stamp_.size() < set.atoms_.size()) {
    s.atom_stamp_.resize(set.atoms_.size(), 0);
    s.atom_head_.resize(set.atoms_.size(), -1);
  }
  if (s.rule_stamp_.size() < set.rules_.size()) s.rule_stamp_.resize(set.rules_.size(), 0);
  s.matched_.assign(set.pattern_count(), 0);
  s.match_count_ = 0;
  s.leaves_.clear();
  s.membership_.clear();
  s.mem_stack_.clear();
  s.hits_.clear();
  s.hit_atoms_.clear();
  s.candidates_.clear();
  s.next_array_ = 0;
  s.has_arrays_ = false;
  s.restricted_ = false;
  s.speculate_ = false;
  s.closed_any_ = false;
  s.too_deep_ = false;
}

// Runs stage 1 over s.padded_ (the event and its padding): the structural index the fast walk reads.
bool EventMatcher::Stage1(std::string_view json, EventScratch& s) const {
  if (!s.stage1_ || s.stage1_capacity_ < json.size()) {
    const size_t capacity = std::max<size_t>(json.size(), 4096);
    if (!s.stage1_) {
      if (simdjson::get_active_implementation()->create_dom_parser_implementation(capacity, 64, s.stage1_) !=
          simdjson::SUCCESS) {
        s.stage1_.reset();
        return false;
      }
    } else if (s.stage1_->set_capacity(capacity) != simdjson::SUCCESS) {
      s.stage1_.reset();
      s.stage1_capacity_ = 0;
      return false;
    }
    s.stage1_capacity_ = capacity;
  }
  if (s.strings_capacity_ < json.size() + simdjson::SIMDJSON_PADDING) {
    s.strings_capacity_ = json.size() + simdjson::SIMDJSON_PADDING;
    s.strings_ = std::make_unique<uint8_t[]>(s.strings_capacity_);
  }
  s.strings_next_ = s.strings_.get();
  if (s.stage1_->stage1(reinterpret_cast<const uint8_t*>(s.padded_.data()), json.size(),
                        simdjson::stage1_mode::regular) != simdjson::SUCCESS) {
    return false;
  }
  s.index_ = s.stage1_->structural_indexes.get();
  s.tokens_ = s.stage1_->n_structural_indexes;
  return true;
}

EventMatcher::Outcome EventMatcher::EvaluateOnce(std::string_view json, EventScratch& s, bool fast) const {
  Reset(s);
  // An event is one JSON object: nothing but whitespace may follow its closing brace.
  if (TrimRight(json).empty() || TrimRight(json).back() != '}') return Outcome::kInvalid;
  s.padded_.assign(json);
  s.padded_.append(simdjson::SIMDJSON_PADDING, '\0');
  s.end_ = s.padded_.data() + json.size();
  if (fast) {
    if (!Stage1(json, s)) return Outcome::kInvalid;
    s.speculate_ = true;
    uint32_t i = 0;
    if (s.tokens_ == 0 || s.padded_[s.index_[0]] != '{' || !FastWalkObject(&i, 0, s, 1) || i != s.tokens_) {
      s.leaves_.clear();
      return Outcome::kInvalid;
    }
    if (Revived(s)) return Outcome::kRedo;
  } else {
    simdjson::ondemand::document doc;
    if (s.parser_.iterate(s.padded_.data(), json.size(), s.padded_.size()).get(doc)) return Outcome::kInvalid;
    simdjson::ondemand::object root;
    if (doc.get_object().get(root)) return Outcome::kInvalid;
    // On-Demand skips what no pattern names without counting its depth: the limit is checked over the text.
    if (NestsDeeperThan(json, kMaxDepth)) {
      s.too_deep_ = true;
      return Outcome::kInvalid;
    }
    const char* rest = nullptr;  // nothing may follow the object: the document must be exhausted
    if (!WalkObject(root, 0, s, 1) || doc.current_location().get(rest) != simdjson::OUT_OF_BOUNDS) {
      s.leaves_.clear();
      return Outcome::kInvalid;
    }
  }
  Decide(s);
  return Outcome::kOk;
}

// Examines the sub-rules whose anchor fired, and the always-examined ones.
void EventMatcher::Decide(EventScratch& s) const {
  const event::CompiledRuleSet& set = *set_;
  for (uint32_t a : s.hit_atoms_) {
    for (uint32_t r : set.anchored_[a]) {
      if (s.rule_stamp_[r] != s.stamp_) {
        s.rule_stamp_[r] = s.stamp_;
        s.candidates_.push_back(r);
      }
    }
  }
  for (uint32_t r : set.always_) s.candidates_.push_back(r);
  for (uint32_t r : s.candidates_) {
    const event::RuleSetRule& rule = set.rules_[r];
    if (s.matched_[rule.pattern]) continue;
    if (EvalRule(rule, s)) {
      s.matched_[rule.pattern] = 1;
      ++s.match_count_;
    }
  }
}

}  // namespace trailwatch::engine
