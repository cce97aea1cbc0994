// glob.h: the '*' wildcard of filter-pattern values, compiled once into literal parts.
//
// Contract: Glob::Json() builds the JSON-pattern reading (a '*' wildcard only at the start and/or end of
// the value; a '*' inside, as in Ev*ent, is literal — AWS user guide), Glob::Delimited() the space-delimited
// reading ('*' anywhere, e.g. request_id="*-*"). Matches() is allocation-free.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace trailwatch::filter {

class Glob {
 public:
  static Glob Literal(std::string text);
  static Glob Json(std::string_view text);
  static Glob Delimited(std::string_view text);

  bool Matches(std::string_view s) const;
  bool IsAny() const { return star_start_ && parts_.empty(); }  // "*": any value
  bool HasWildcard() const { return star_start_ || star_end_ || parts_.size() > 1; }
  // The literal parts, which any match must contain (used for prefiltering and dumps).
  const std::vector<std::string>& parts() const { return parts_; }
  bool star_start() const { return star_start_; }
  bool star_end() const { return star_end_; }
  std::string ToString() const;  // e.g. *Unauthorized, Access*, "" for the empty literal

 private:
  std::vector<std::string> parts_;  // literal text between wildcards; none for "*"
  bool star_start_ = false;
  bool star_end_ = false;
};

}  // namespace trailwatch::filter
