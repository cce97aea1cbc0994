// utf8.cc: FindInvalidUtf8() (see utf8.h).
#include "patterns/common/utf8.h"

#include <cstdio>

namespace trailwatch {

// The length of the well-formed UTF-8 character at text[at] (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF), or 0 with *bad the index within it of the first byte that is wrong (0: the first
// byte cannot start a character; past the end of `text`: the character is cut off).
size_t WellFormedUtf8At(std::string_view text, size_t at, int* bad) {
  const unsigned char c = static_cast<unsigned char>(text[at]);
  *bad = 0;
  if (c < 0x80) return 1;
  // The length, and the range the second byte must fall in (the table of RFC 3629 §4).
  int n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c == 0xE0) n = 3, lo = 0xA0;
  else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) n = 3;
  else if (c == 0xED) n = 3, hi = 0x9F;
  else if (c == 0xF0) n = 4, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) n = 4;
  else if (c == 0xF4) n = 4, hi = 0x8F;
  if (n == 0) return 0;
  for (int k = 1; k < n; ++k) {
    if (at + k >= text.size()) {
      *bad = k;
      return 0;
    }
    const unsigned char d = static_cast<unsigned char>(text[at + k]);
    if (d < (k == 1 ? lo : 0x80) || d > (k == 1 ? hi : 0xBF)) {
      *bad = k;
      return 0;
    }
  }
  return static_cast<size_t>(n);
}

bool FindInvalidUtf8(std::string_view text, uint32_t* offset, std::string* message) {
  for (size_t i = 0; i < text.size();) {
    int bad = 0;
    const size_t n = WellFormedUtf8At(text, i, &bad);
    if (n > 0) {
      i += n;
      continue;
    }
    char buf[64];
    if (bad == 0) {
      std::snprintf(buf, sizeof buf, "Invalid UTF-8 start byte 0x%x", static_cast<unsigned char>(text[i]));
    } else if (i + bad >= text.size()) {
      std::snprintf(buf, sizeof buf, "Unexpected end-of-input in a UTF-8 character");
      bad = 0;
    } else {
      std::snprintf(buf, sizeof buf, "Invalid UTF-8 middle byte 0x%x", static_cast<unsigned char>(text[i + bad]));
    }
    *offset = static_cast<uint32_t>(i + bad);
    *message = buf;
    return true;
  }
  return false;
}

}  // namespace trailwatch
