// casefold.h: Unicode full case folding for `equals-ignore-case` and its prefix/suffix/anything-but forms.
//
// Contract: FoldCase() writes the full case folding (Unicode CaseFolding.txt, status C+F, via ICU) of a UTF-8
// string: "Σ", "σ" and "ς" fold alike, "ß" folds to "ss" (so it equals "SS"). ASCII input takes a fast path
// with no allocation beyond `out`'s capacity. Invalid UTF-8 is folded byte-wise (ASCII letters only).
#pragma once

#include <string>
#include <string_view>

namespace trailwatch::event {

void FoldCase(std::string_view in, std::string* out);
inline std::string FoldCase(std::string_view in) {
  std::string out;
  FoldCase(in, &out);
  return out;
}

}  // namespace trailwatch::event
