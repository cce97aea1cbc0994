// fields.cc: the watched fields of the misspelled-field and absent-field findings. See fields.h.
#include "engine/routing/fields.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "patterns/common/nearest.h"

namespace trailwatch::engine {
namespace {

namespace dom = simdjson::dom;
using Step = filter::SelectorStep;

bool IsIdentifier(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '-' || c == '@' || c == ':';
    if (!ok) return false;
  }
  return true;
}

// `"key"` when JSON writes the key as its own bytes (no character it must escape), else "".
std::string Literal(const Step& s) {
  if (s.kind != Step::Kind::kKey) return "";
  for (unsigned char c : s.key) {
    if (c < 0x20 || c == '"' || c == '\\') return "";
  }
  return "\"" + s.key + "\"";
}

bool SameSteps(const std::vector<Step>& a, const std::vector<Step>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].kind != b[i].kind || a[i].key != b[i].key || a[i].index != b[i].index) return false;
  }
  return true;
}

void Add(const filter::Selector& sel, bool not_exists, size_t filter, std::vector<WatchedField>* fields) {
  if (sel.steps.empty()) return;
  for (WatchedField& f : *fields) {
    if (!SameSteps(f.steps, sel.steps)) continue;
    if (f.filters.empty() || f.filters.back() != filter) f.filters.push_back(filter);
    f.only_not_exists = f.only_not_exists && not_exists;
    return;
  }
  WatchedField f;
  f.steps = sel.steps;
  f.path = FieldPath(f.steps, f.steps.size());
  for (const Step& s : f.steps) f.literals.push_back(Literal(s));
  f.filters.push_back(filter);
  f.only_not_exists = not_exists;
  fields->push_back(std::move(f));
}

void Walk(const dom::element& e, const WatchedField& f, uint32_t i, FieldWalk* out) {
  if (out->present) return;
  if (i == f.steps.size()) {
    out->present = true;
    return;
  }
  if (i > out->depth) {
    out->depth = i;
    out->near.clear();
  }
  const Step& s = f.steps[i];
  const dom::element_type t = e.type();
  switch (s.kind) {
    case Step::Kind::kKey: {
      if (t != dom::element_type::OBJECT) return;
      dom::element child;
      bool found = false;
      for (const dom::key_value_pair kv : dom::object(e)) {
        if (kv.key == s.key) {
          child = kv.value;  // the last of duplicate keys wins
          found = true;
        } else if (i == out->depth && IsNearName(s.key, kv.key)) {
          out->near.emplace(kv.key);
        }
      }
      if (found) Walk(child, f, i + 1, out);  // deeper: Walk() starts that depth's names afresh
      return;
    }
    case Step::Kind::kIndex: {
      if (t != dom::element_type::ARRAY) return;
      uint32_t k = 0;
      for (const dom::element v : dom::array(e)) {
        if (k++ == s.index) {
          Walk(v, f, i + 1, out);
          return;
        }
      }
      return;
    }
    case Step::Kind::kAnyKey: {
      if (t != dom::element_type::OBJECT) return;
      const dom::object obj(e);
      for (auto it = obj.begin(); it != obj.end() && !out->present; ++it) {
        // `.*` sees each key once, with its last value (as FilterSet::Visit).
        bool later_duplicate = false;
        auto next = it;
        for (++next; next != obj.end() && !later_duplicate; ++next) later_duplicate = next.key() == it.key();
        if (!later_duplicate) Walk(it.value(), f, i + 1, out);
      }
      return;
    }
    case Step::Kind::kAnyIndex:
      if (t != dom::element_type::ARRAY) return;
      for (const dom::element v : dom::array(e)) {
        Walk(v, f, i + 1, out);
        if (out->present) return;
      }
      return;
  }
}

}  // namespace

std::string FieldPath(const std::vector<filter::SelectorStep>& steps, size_t count) {
  std::string out = "$";
  for (size_t i = 0; i < count && i < steps.size(); ++i) {
    const Step& s = steps[i];
    switch (s.kind) {
      case Step::Kind::kKey: out += IsIdentifier(s.key) ? "." + s.key : "['" + s.key + "']"; break;
      case Step::Kind::kIndex: out += "[" + std::to_string(s.index) + "]"; break;
      case Step::Kind::kAnyKey: out += ".*"; break;
      case Step::Kind::kAnyIndex: out += "[*]"; break;
    }
  }
  return out;
}

std::string FieldPathWithKey(const std::vector<filter::SelectorStep>& steps, size_t depth, std::string_view key,
                             bool rest) {
  std::vector<Step> changed(steps.begin(), steps.begin() + static_cast<std::ptrdiff_t>(std::min(depth, steps.size())));
  Step k;
  k.key = std::string(key);
  changed.push_back(std::move(k));
  if (rest) {
    for (size_t i = depth + 1; i < steps.size(); ++i) changed.push_back(steps[i]);
  }
  return FieldPath(changed, changed.size());
}

void AddWatchedFields(const filter::CompiledMetricFilter& mf, size_t filter, std::vector<WatchedField>* fields) {
  const filter::CompiledPattern& p = *mf.pattern;
  if (p.kind == filter::PatternKind::kJson) {
    std::vector<bool> read(p.selectors.size(), false);  // read by a test other than NOT EXISTS
    for (const filter::JsonAtom& a : p.atoms) {
      if (a.selector < read.size() && a.test != filter::JsonTest::kNotExists) read[a.selector] = true;
    }
    for (size_t i = 0; i < p.selectors.size(); ++i) Add(p.selectors[i], !read[i], filter, fields);
  }
  if (mf.value.kind == filter::ValueRef::Kind::kJsonSelector) Add(mf.value.selector, false, filter, fields);
  for (const auto& [key, ref] : mf.dimensions) {
    if (ref.kind == filter::ValueRef::Kind::kJsonSelector) Add(ref.selector, false, filter, fields);
  }
}

bool LooksLikeJsonDocument(std::string_view m) {
  size_t b = 0;
  while (b < m.size() && (m[b] == ' ' || m[b] == '\t' || m[b] == '\n' || m[b] == '\r')) ++b;
  return b < m.size() && (m[b] == '{' || m[b] == '[');
}

bool HasKeyEscapes(std::string_view m) {
  const char* p = m.data();
  const char* end = m.data() + m.size();
  while (p < end) {
    const void* at = std::memchr(p, '\\', static_cast<size_t>(end - p));
    if (at == nullptr) return false;
    const char* q = static_cast<const char*>(at);
    if (q + 1 < end && (q[1] == 'u' || q[1] == '/')) return true;
    p = q + 2;  // the escaped character is not itself an escape's backslash
  }
  return false;
}

bool ContainsLiteral(std::string_view hay, std::string_view lit) {
  const size_t n = lit.size();
  if (n == 0) return true;
  if (hay.size() < n) return false;
#if defined(__SSE2__)
  if (n >= 4) {
    // The characters just inside the quotes: a quote pair at the literal's distance is everywhere in JSON.
    const size_t a = 1, b = n - 2;
    const __m128i va = _mm_set1_epi8(lit[a]), vb = _mm_set1_epi8(lit[b]);
    const char* h = hay.data();
    size_t i = 0;
    for (; i + b + 16 <= hay.size(); i += 16) {
      const __m128i ha = _mm_loadu_si128(reinterpret_cast<const __m128i*>(h + i + a));
      const __m128i hb = _mm_loadu_si128(reinterpret_cast<const __m128i*>(h + i + b));
      unsigned mask = static_cast<unsigned>(
          _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(ha, va), _mm_cmpeq_epi8(hb, vb))));
      while (mask != 0) {
        const size_t at = i + static_cast<size_t>(__builtin_ctz(mask));
        if (at + n <= hay.size() && std::memcmp(h + at, lit.data(), n) == 0) return true;
        mask &= mask - 1;
      }
    }
    // The last positions (fewer than 16 left).
    const std::string_view rest = hay.substr(i);
    return rest.size() >= n && memmem(rest.data(), rest.size(), lit.data(), n) != nullptr;
  }
#endif
  return memmem(hay.data(), hay.size(), lit.data(), n) != nullptr;
}

std::vector<std::string> IndexLiterals(std::vector<WatchedField>* fields) {
  std::vector<std::string> out;
  for (WatchedField& f : *fields) {
    f.literal_ids.clear();
    for (const std::string& lit : f.literals) {
      int32_t id = -1;
      if (!lit.empty()) {
        for (size_t k = 0; k < out.size() && id < 0; ++k) {
          if (out[k] == lit) id = static_cast<int32_t>(k);
        }
        if (id < 0) {
          out.push_back(lit);
          id = static_cast<int32_t>(out.size() - 1);
        }
      }
      f.literal_ids.push_back(id);
    }
  }
  return out;
}

bool MayHave(std::string_view m, const WatchedField& f, size_t step, bool escapes, int8_t* memo) {
  if (escapes || step >= f.literals.size()) return true;
  const int32_t id = step < f.literal_ids.size() ? f.literal_ids[step] : -1;
  if (id < 0) return f.literals[step].empty() || ContainsLiteral(m, f.literals[step]);
  if (memo[id] == 0) memo[id] = ContainsLiteral(m, f.literals[step]) ? 1 : -1;
  return memo[id] > 0;
}

bool SampledForFields(std::string_view m, const InputRecord& r) {
  if (r.line <= 8 && r.index < 8) return true;
  uint64_t h = m.size() * 0x9E3779B97F4A7C15ull;
  for (size_t k = 1; k <= 7 && !m.empty(); ++k) {
    h ^= static_cast<unsigned char>(m[m.size() * k / 8]);
    h *= 0x100000001B3ull;
  }
  h ^= h >> 29;
  return (h & 31) == 0;
}

void WalkField(const simdjson::dom::element& root, const WatchedField& field, FieldWalk* out) {
  out->present = false;
  out->depth = 0;
  out->near.clear();
  Walk(root, field, 0, out);
  if (out->present) out->near.clear();
}

}  // namespace trailwatch::engine
