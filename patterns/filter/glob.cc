// glob.cc: construction and matching of Glob. No allocation in Matches().
#include "patterns/filter/glob.h"

namespace trailwatch::filter {

Glob Glob::Literal(std::string text) {
  Glob g;
  g.parts_.push_back(std::move(text));
  return g;
}

Glob Glob::Json(std::string_view text) {
  Glob g;
  size_t b = 0, e = text.size();
  while (b < e && text[b] == '*') ++b;
  g.star_start_ = b > 0;
  if (b == e) {  // only stars
    g.star_start_ = true;
    return g;
  }
  while (e > b && text[e - 1] == '*') --e;
  g.star_end_ = e < text.size();
  g.parts_.emplace_back(text.substr(b, e - b));
  return g;
}

Glob Glob::Delimited(std::string_view text) {
  Glob g;
  if (text.find('*') == std::string_view::npos) return Literal(std::string(text));
  g.star_start_ = !text.empty() && text.front() == '*';
  g.star_end_ = !text.empty() && text.back() == '*';
  size_t i = 0;
  while (i < text.size()) {
    size_t star = text.find('*', i);
    if (star == std::string_view::npos) star = text.size();
    if (star > i) g.parts_.emplace_back(text.substr(i, star - i));
    i = star + 1;
  }
  if (g.parts_.empty()) g.star_end_ = false;  // "**" == "*"
  return g;
}

bool Glob::Matches(std::string_view s) const {
  if (parts_.empty()) return star_start_ || s.empty();
  if (!star_start_ && !star_end_ && parts_.size() == 1) return s == parts_[0];
  size_t first = 0, last = parts_.size();
  size_t begin = 0, end = s.size();
  if (!star_start_) {
    if (!s.starts_with(parts_[0])) return false;
    begin = parts_[0].size();
    first = 1;
  }
  if (!star_end_ && last > first) {
    const std::string& p = parts_[last - 1];
    if (end - begin < p.size() || s.substr(end - p.size()) != p) return false;
    end -= p.size();
    --last;
  }
  for (size_t i = first; i < last; ++i) {
    size_t at = s.substr(0, end).find(parts_[i], begin);
    if (at == std::string_view::npos) return false;
    begin = at + parts_[i].size();
  }
  return begin <= end;
}

std::string Glob::ToString() const {
  std::string out = star_start_ ? "*" : "";
  for (size_t i = 0; i < parts_.size(); ++i) {
    if (i > 0) out += '*';
    out += parts_[i];
  }
  if (star_end_) out += '*';
  return out;
}

}  // namespace trailwatch::filter
