// compile.h: many event patterns -> one immutable rule set whose field lookups and value tests are shared.
//
// Contract: CompileRuleSet() merges patterns the way event-ruler's and quamina's automata share work (ideas,
// not code): every path named by any pattern becomes one node of a segment trie (segments split on '.', so
// nested keys, dotted keys and any mix of the two reach the same node); identical value tests on the same path
// are one "atom" however many patterns use them; exact strings, case-folded strings (equals-ignore-case),
// prefixes and suffixes (one lookup per distinct length) and exactly-representable numbers on a path are
// indexed in tables (FlatStringMap: no std::hash, no allocation on lookup), so N patterns keyed on different
// values of `source` cost one lookup, not N comparisons; each trie node keeps a 64-bit filter of its children's
// (length, first byte, last byte), which rules most event keys out without a lookup; each sub-rule is indexed
// under one "anchor" field (a field that cannot match without one of its atoms matching: the most selective,
// then the shallowest, then the one with the fewest atoms), so only sub-rules whose anchor fired are examined.
// Rules made only of fields that can match by absence are always examined. The set is pure data:
// engine/event/matcher.h evaluates it over a simdjson parse of the event; threads share it. Entry point:
// CompileRuleSet().
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patterns/event/ast.h"

namespace trailwatch::event {

// A map from strings to V for the lookups the matcher does per event field and per leaf: open addressing over
// a cheap hash of the length and the first and last eight bytes (no std::hash, no allocation on lookup);
// every candidate is compared in full, so a collision costs a comparison, never a wrong answer. The keys are
// the pattern's (fixed once compiled); an event's text only probes.
template <class V>
class FlatStringMap {
 public:
  // The value for `key`, default-constructed when new.
  V& operator[](std::string_view key) {
    if (V* v = FindMutable(key)) return *v;
    if ((entries_.size() + 1) * 2 > slots_.size()) Rehash(slots_.empty() ? 8 : slots_.size() * 2);
    entries_.push_back({std::string(key), V{}});
    Place(static_cast<uint32_t>(entries_.size() - 1));
    return entries_.back().second;
  }
  const V* Find(std::string_view key) const {
    if (slots_.empty()) return nullptr;
    const uint64_t h = Hash(key);
    const uint32_t tag = static_cast<uint32_t>(h >> 32);
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot slot = slots_[i];
      if (slot.entry == kEmpty) return nullptr;
      if (slot.tag != tag) continue;
      const std::string& k = entries_[slot.entry].first;
      if (k.size() == key.size() && Equal(k.data(), key.data(), key.size())) return &entries_[slot.entry].second;
    }
  }
  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }
  const std::vector<std::pair<std::string, V>>& entries() const { return entries_; }

  // Byte equality of n bytes, inline for the short strings keys and values mostly are: whole words, then a
  // last word overlapping the previous one.
  static bool Equal(const char* a, const char* b, size_t n) {
    if (n >= 8) {
      if (n > 64) return std::memcmp(a, b, n) == 0;
      uint64_t x, y;
      for (size_t i = 0; i + 8 < n; i += 8) {
        std::memcpy(&x, a + i, 8);
        std::memcpy(&y, b + i, 8);
        if (x != y) return false;
      }
      std::memcpy(&x, a + n - 8, 8);
      std::memcpy(&y, b + n - 8, 8);
      return x == y;
    }
    if (n >= 4) {
      uint32_t x0, y0, x1, y1;
      std::memcpy(&x0, a, 4);
      std::memcpy(&y0, b, 4);
      std::memcpy(&x1, a + n - 4, 4);
      std::memcpy(&y1, b + n - 4, 4);
      return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    for (size_t i = 0; i < n; ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }

  static uint64_t Hash(std::string_view s) {
    const size_t n = s.size();
    uint64_t a = 0, b = 0;
    if (n >= 8) {
      std::memcpy(&a, s.data(), 8);
      std::memcpy(&b, s.data() + n - 8, 8);
    } else if (n >= 4) {
      uint32_t x, y;
      std::memcpy(&x, s.data(), 4);
      std::memcpy(&y, s.data() + n - 4, 4);
      a = x;
      b = y;
    } else if (n > 0) {
      a = static_cast<unsigned char>(s[0]) | static_cast<uint64_t>(static_cast<unsigned char>(s[n / 2])) << 8 |
          static_cast<uint64_t>(static_cast<unsigned char>(s[n - 1])) << 16;
    }
    uint64_t h = (a ^ 0x9E3779B97F4A7C15ull) * 0xBF58476D1CE4E5B9ull;
    h ^= (b + n) * 0x94D049BB133111EBull;
    return h ^ (h >> 31);
  }

 private:
  static constexpr uint32_t kEmpty = 0xFFFFFFFFu;
  struct Slot {
    uint32_t tag = 0;  // the hash's upper half: most mismatches never touch the entry
    uint32_t entry = kEmpty;
  };
  V* FindMutable(std::string_view key) { return const_cast<V*>(Find(key)); }
  void Place(uint32_t e) {
    const uint64_t h = Hash(entries_[e].first);
    const size_t mask = slots_.size() - 1;
    size_t i = h & mask;
    while (slots_[i].entry != kEmpty) i = (i + 1) & mask;
    slots_[i] = Slot{static_cast<uint32_t>(h >> 32), e};
  }
  void Rehash(size_t n) {
    slots_.assign(n, Slot{});
    for (uint32_t e = 0; e < entries_.size(); ++e) Place(e);
  }
  std::vector<std::pair<std::string, V>> entries_;
  std::vector<Slot> slots_;  // power of two, at most half full
};

struct RuleSetPath {
  std::string path;
  std::vector<uint32_t> atoms;  // every atom on this path
  FlatStringMap<std::vector<uint32_t>> exact_strings;  // value -> kExactString atoms
  FlatStringMap<std::vector<uint32_t>> number_texts;   // spelling -> kExactNumber atoms
  std::vector<std::pair<double, std::vector<uint32_t>>> number_values;  // value -> exact kExactNumber atoms, sorted
  FlatStringMap<std::vector<uint32_t>> folded_strings;  // folded value -> kEqualsIgnoreCase atoms
  // Prefixes and suffixes by text, and their distinct lengths (ascending): a leaf is looked up once per length.
  FlatStringMap<std::vector<uint32_t>> prefixes, suffixes;
  std::vector<uint32_t> prefix_lengths, suffix_lengths;
  std::vector<uint32_t> literal_atoms;  // kNull / kTrue / kFalse
  std::vector<uint32_t> scan_atoms;     // every other positive atom (tested one by one)
  std::vector<uint32_t> absent_atoms;   // kAbsent (matched by the absence of a consistent leaf)
  bool needs_folding = false;           // some atom compares case-folded text
  bool needs_number = false;            // some atom compares numbers by value
};

struct RuleSetAtom {
  uint32_t path = 0;
  const Matcher* matcher = nullptr;
};

struct RuleSetField {
  uint32_t path = 0;
  std::vector<uint32_t> atoms;  // positive atoms of the value list (deduplicated)
  bool absent_ok = false;       // the list holds {"exists": false}
};

struct RuleSetRule {
  uint32_t pattern = 0;
  std::vector<RuleSetField> fields;
};

struct RuleSetTrieNode {
  FlatStringMap<uint32_t> children;  // segment -> node
  int32_t path = -1;                 // RuleSetPath id when a pattern names this node
  uint64_t key_filter = 0;           // KeyFilterBit() of every child segment: a clear bit rules a key out

  static uint64_t KeyFilterBit(std::string_view seg) {
    if (seg.empty()) return 1;
    const unsigned h = static_cast<unsigned>(seg.size()) * 7u + static_cast<unsigned char>(seg.front()) * 3u +
                       static_cast<unsigned char>(seg.back());
    return uint64_t{1} << (h & 63);
  }
};

class CompiledRuleSet {
 public:
  size_t pattern_count() const { return patterns_.size(); }
  const EventPattern& pattern(size_t i) const { return *patterns_[i]; }

  std::vector<std::shared_ptr<const EventPattern>> patterns_;
  std::vector<RuleSetTrieNode> nodes_;  // [0] is the root
  std::vector<RuleSetPath> paths_;
  std::vector<RuleSetAtom> atoms_;
  std::vector<RuleSetRule> rules_;
  std::vector<std::vector<uint32_t>> anchored_;  // atom -> rules anchored on it
  std::vector<uint32_t> always_;                 // rules examined for every event
  std::string Dump() const;
};

std::shared_ptr<const CompiledRuleSet> CompileRuleSet(std::vector<std::shared_ptr<const EventPattern>> patterns);

// The canonical text of a matcher, used to deduplicate atoms (equal keys test the same thing).
std::string AtomKey(const Matcher& m);

}  // namespace trailwatch::event
