// utf8.h: UTF-8 validation of pattern text. AWS's APIs accept only UTF-8 requests, so a pattern holding
// other bytes can never reach AWS's pattern compilers; the compilers here reject it first, naming the byte.
//
// Contract: pure functions, no allocation. Valid means well-formed UTF-8 as RFC 3629 defines it: no
// overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence.
#pragma once

#include <cstddef>
#include <string_view>

namespace trailwatch {

inline constexpr size_t kUtf8Valid = static_cast<size_t>(-1);

// The byte offset of the first byte that does not start a well-formed character, or kUtf8Valid.
size_t FirstInvalidUtf8(std::string_view s);

}  // namespace trailwatch
