// casefold.cc: see casefold.h.
#include "patterns/event/casefold.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace trailwatch::event {

namespace {
bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}
bool IsValidUtf8(std::string_view s) {
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, n, c);
    if (c < 0) return false;
  }
  return true;
}
void AsciiFold(std::string_view in, std::string* out) {
  out->resize(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    (*out)[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
}
}  // namespace

void FoldCase(std::string_view in, std::string* out) {
  if (IsAscii(in) || !IsValidUtf8(in)) {
    AsciiFold(in, out);
    return;
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(in.data(), static_cast<int32_t>(in.size())));
  u.foldCase(U_FOLD_CASE_DEFAULT);
  out->clear();
  u.toUTF8String(*out);
}

}  // namespace trailwatch::event
