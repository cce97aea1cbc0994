// utf8.h: strict UTF-8 validation of pattern text. AWS's APIs accept only UTF-8 requests (and parse them with
// Jackson's UTF-8 reader), so a pattern holding other bytes never reaches AWS's pattern compilers; both
// compilers here reject it first, in Jackson's words.
//
// Contract: pure, no allocation beyond the message. Well-formed means RFC 3629: no overlong forms, no
// surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no cut-off sequence.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace trailwatch {

// Returns false when `text` is well-formed; otherwise true, with *offset the first offending byte and
// *message Jackson's words for it ("Invalid UTF-8 start byte 0xff": a byte that cannot begin a character;
// "Invalid UTF-8 middle byte 0x41": a byte that cannot continue the character begun before it; "Unexpected
// end-of-input in a UTF-8 character").
bool FindInvalidUtf8(std::string_view text, uint32_t* offset, std::string* message);

// The length of the well-formed character at text[at] (1 to 4), or 0 with *bad the index within it of the
// first byte that is wrong (0: the first byte cannot start a character; past the end of `text`: cut off).
size_t WellFormedUtf8At(std::string_view text, size_t at, int* bad);

}  // namespace trailwatch
