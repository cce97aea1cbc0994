// matcher.cc: see matcher.h.
#include "engine/event/matcher.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

#include "patterns/event/casefold.h"
#include "patterns/event/values.h"

namespace trailwatch::engine {

namespace {
constexpr int kMaxDepth = 1000;
constexpr uint64_t kMaxSearchSteps = 2'000'000;

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

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}
}  // namespace

EventMatcher::EventMatcher(std::shared_ptr<const event::CompiledRuleSet> set, bool fast_paths)
    : set_(std::move(set)) {
  if (!fast_paths || !EventPrefilter::Available()) return;
  auto prefilter = std::make_unique<EventPrefilter>(*set_);
  if (!prefilter->enabled()) return;
  prefilter_ = std::move(prefilter);
  // Each sub-rule's trie nodes: the nodes of its fields' paths and their ancestors.
  const auto& nodes = set_->nodes_;
  std::vector<uint32_t> parent(nodes.size(), 0), path_node(set_->paths_.size(), 0);
  for (uint32_t n = 0; n < nodes.size(); ++n) {
    for (const auto& [seg, child] : nodes[n].children.entries()) parent[child] = n;
    if (nodes[n].path >= 0) path_node[static_cast<size_t>(nodes[n].path)] = n;
  }
  std::vector<uint32_t> mine;
  for (const event::RuleSetRule& rule : set_->rules_) {
    rule_node_begin_.push_back(static_cast<uint32_t>(rule_nodes_.size()));
    mine.clear();
    for (const event::RuleSetField& f : rule.fields) {
      for (uint32_t n = path_node[f.path]; n != 0; n = parent[n]) mine.push_back(n);
    }
    std::sort(mine.begin(), mine.end());
    mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
    rule_nodes_.insert(rule_nodes_.end(), mine.begin(), mine.end());
  }
  rule_node_begin_.push_back(static_cast<uint32_t>(rule_nodes_.size()));
}

EventMatcher::~EventMatcher() = default;
EventMatcher::EventMatcher(EventMatcher&&) noexcept = default;
EventMatcher& EventMatcher::operator=(EventMatcher&&) noexcept = default;

std::string EventMatcher::DumpPrefilter() const {
  return prefilter_ ? prefilter_->Dump() : std::string("prefilter: off\n");
}

size_t EventMatcher::MatchCount(const EventScratch& s) const {
  size_t n = 0;
  for (uint8_t m : s.matched_) n += m;
  return n;
}

void EventMatcher::AddLeaf(const Leaf& leaf, EventScratch& s) const {
  const uint32_t index = static_cast<uint32_t>(s.leaves_.size());
  s.leaves_.push_back(leaf);
  Leaf& l = s.leaves_.back();
  l.mem_begin = static_cast<uint32_t>(s.membership_.size());
  l.mem_count = static_cast<uint32_t>(s.mem_stack_.size());
  s.membership_.insert(s.membership_.end(), s.mem_stack_.begin(), s.mem_stack_.end());
  if (l.mem_count > 0) s.has_arrays_ = true;
  if (s.path_stamp_[l.path] != s.stamp_) {
    s.path_stamp_[l.path] = s.stamp_;
    s.path_head_[l.path] = -1;
  }
  l.next_in_path = s.path_head_[l.path];
  s.path_head_[l.path] = static_cast<int32_t>(index);
  TestLeaf(index, s);
}

bool EventMatcher::Visit(simdjson::ondemand::value value, uint32_t node, EventScratch& s, int depth) const {
  if (depth > kMaxDepth) return false;
  const event::RuleSetTrieNode& nd = set_->nodes_[node];
  simdjson::ondemand::json_type type;
  if (value.type().get(type)) return false;
  Leaf leaf;
  switch (type) {
    case simdjson::ondemand::json_type::object: {
      if (nd.children.empty()) return true;
      simdjson::ondemand::object object;
      if (value.get_object().get(object)) return false;
      return WalkObject(object, node, s, depth + 1);
    }
    case simdjson::ondemand::json_type::array: {
      if (nd.children.empty() && nd.path < 0) return true;
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
      if (raw.size() >= 2 && raw.back() == '"' &&
          std::memchr(raw.data() + 1, '\\', raw.size() - 2) == nullptr) {
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
  leaf.path = static_cast<uint32_t>(nd.path);
  AddLeaf(leaf, s);
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
    if (s.restricted_ && s.node_stamp_[n] != s.stamp_) continue;
    simdjson::ondemand::value value;
    if (field.value().get(value)) return false;
    if (!Visit(value, n, s, depth + 1)) return false;
  }
  return true;
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
  std::string_view folded;
  switch (l.type) {
    case LeafType::kString: {
      if (const std::vector<uint32_t>* atoms = p.exact_strings.Find(l.text)) {
        for (uint32_t a : *atoms) Hit(a, li, s);
      }
      if (p.needs_folding) {
        event::FoldCase(l.text, &s.fold_);
        folded = s.fold_;
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
        if (LeafMatches(*set_->atoms_[a].matcher, l, {})) Hit(a, li, s);
      }
      break;
  }
  for (uint32_t a : p.scan_atoms) {
    if (LeafMatches(*set_->atoms_[a].matcher, l, folded)) Hit(a, li, s);
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
  const event::CompiledRuleSet& set = *set_;
  // Stamped arrays only grow, so a scratch can alternate between matchers without reallocating: an entry
  // equal to the current stamp was written during this Evaluate().
  if (++s.stamp_ == 0) {
    std::fill(s.path_stamp_.begin(), s.path_stamp_.end(), 0);
    std::fill(s.atom_stamp_.begin(), s.atom_stamp_.end(), 0);
    std::fill(s.rule_stamp_.begin(), s.rule_stamp_.end(), 0);
    std::fill(s.node_stamp_.begin(), s.node_stamp_.end(), 0);
    s.stamp_ = 1;
  }
  if (s.path_stamp_.size() < set.paths_.size()) {
    s.path_stamp_.resize(set.paths_.size(), 0);
    s.path_head_.resize(set.paths_.size(), -1);
  }
  if (s.atom_stamp_.size() < set.atoms_.size()) {
    s.atom_stamp_.resize(set.atoms_.size(), 0);
    s.atom_head_.resize(set.atoms_.size(), -1);
  }
  if (s.rule_stamp_.size() < set.rules_.size()) s.rule_stamp_.resize(set.rules_.size(), 0);
  s.matched_.assign(set.pattern_count(), 0);
  s.leaves_.clear();
  s.membership_.clear();
  s.mem_stack_.clear();
  s.hits_.clear();
  s.hit_atoms_.clear();
  s.candidates_.clear();
  s.next_array_ = 0;
  s.has_arrays_ = false;
  s.restricted_ = false;

  // An event is one JSON object: nothing but whitespace may follow its closing brace.
  if (TrimRight(json).empty() || TrimRight(json).back() != '}') return false;

  // Fast path: only the sub-rules whose necessary literals occur are examined, and only their keys walked.
  const std::vector<uint32_t>* possible = nullptr;
  if (prefilter_ != nullptr && prefilter_->Scan(json, s.prefilter_)) {
    possible = &prefilter_->Possible(s.prefilter_);
    if (possible->empty()) return true;  // no sub-rule can match: nothing to parse
    if (possible->size() < set.rules_.size()) {
      if (s.node_stamp_.size() < set.nodes_.size()) s.node_stamp_.resize(set.nodes_.size(), 0);
      for (uint32_t r : *possible) {
        for (uint32_t k = rule_node_begin_[r]; k < rule_node_begin_[r + 1]; ++k) s.node_stamp_[rule_nodes_[k]] = s.stamp_;
      }
      s.restricted_ = true;
    }
  }

  s.padded_.assign(json);
  s.padded_.append(simdjson::SIMDJSON_PADDING, '\0');
  s.end_ = s.padded_.data() + json.size();
  simdjson::ondemand::document doc;
  if (s.parser_.iterate(s.padded_.data(), json.size(), s.padded_.size()).get(doc)) return false;
  simdjson::ondemand::object root;
  if (doc.get_object().get(root)) return false;
  if (!WalkObject(root, 0, s, 0)) {
    s.leaves_.clear();
    return false;
  }
  if (possible != nullptr) {
    s.candidates_.assign(possible->begin(), possible->end());
  } else {
    for (uint32_t a : s.hit_atoms_) {
      for (uint32_t r : set.anchored_[a]) {
        if (s.rule_stamp_[r] != s.stamp_) {
          s.rule_stamp_[r] = s.stamp_;
          s.candidates_.push_back(r);
        }
      }
    }
    for (uint32_t r : set.always_) s.candidates_.push_back(r);
  }
  for (uint32_t r : s.candidates_) {
    const event::RuleSetRule& rule = set.rules_[r];
    if (s.matched_[rule.pattern]) continue;
    if (EvalRule(rule, s)) s.matched_[rule.pattern] = 1;
  }
  return true;
}

}  // namespace trailwatch::engine
