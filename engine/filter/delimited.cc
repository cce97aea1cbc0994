// delimited.cc: TokenizeFields() and BindFields(); the rules are in delimited.h.
#include "engine/filter/delimited.h"

namespace trailwatch::engine {

namespace {
bool IsSeparator(char c) { return c == ' ' || c == '\t'; }
}  // namespace

void TokenizeFields(std::string_view m, std::vector<EventField>* out) {
  out->clear();
  const uint32_t n = static_cast<uint32_t>(m.size());
  uint32_t i = 0;
  while (i < n && IsSeparator(m[i])) ++i;
  while (i < n) {
    EventField f;
    f.raw_begin = i;
    if (m[i] == '"' || m[i] == '[') {
      const char close = m[i] == '"' ? '"' : ']';
      f.begin = i + 1;
      uint32_t j = f.begin;
      while (j < n && m[j] != close) ++j;
      f.end = j;
      f.raw_end = j < n ? j + 1 : n;
    } else {
      uint32_t j = i;
      while (j < n && !IsSeparator(m[j])) ++j;
      f.begin = i;
      f.end = j;
      f.raw_end = j;
    }
    out->push_back(f);
    i = f.raw_end;
    while (i < n && IsSeparator(m[i])) ++i;
  }
}

bool BindFields(const filter::CompiledPattern& p, const std::vector<EventField>& fields, std::vector<BoundField>* out) {
  out->clear();
  const uint32_t e = static_cast<uint32_t>(fields.size());
  const uint32_t fixed = static_cast<uint32_t>(p.fixed_fields);
  if (p.fields.empty()) {  // [] : every field, as $1..$n
    for (uint32_t k = 0; k < e; ++k) out->push_back(BoundField{-1, k + 1, fields[k].begin, fields[k].end});
    return true;
  }
  if (e < fixed) return false;
  if (p.ellipsis < 0) {
    for (uint32_t k = 0; k < fixed; ++k) {
      BoundField b{static_cast<int>(k), k + 1, fields[k].begin, fields[k].end};
      if (k + 1 == fixed && e > fixed) {  // the last field absorbs the rest of the message
        b.begin = fields[k].raw_begin;
        b.end = fields[e - 1].raw_end;
      }
      out->push_back(b);
    }
    return true;
  }
  const uint32_t x = static_cast<uint32_t>(p.ellipsis);
  const uint32_t right = static_cast<uint32_t>(p.fields.size()) - x - 1;
  for (uint32_t k = 0; k < x; ++k) out->push_back(BoundField{static_cast<int>(k), k + 1, fields[k].begin, fields[k].end});
  for (uint32_t k = x; k < e - right; ++k) out->push_back(BoundField{-1, k + 1, fields[k].begin, fields[k].end});
  for (uint32_t r = 0; r < right; ++r) {
    const uint32_t k = e - right + r;
    out->push_back(BoundField{static_cast<int>(x + 1 + r), k + 1, fields[k].begin, fields[k].end});
  }
  return true;
}

}  // namespace trailwatch::engine
