// regex.h: CloudWatch Logs' regular-expression dialect (%...%), validated and translated to RE2 syntax.
//
// Contract: TranslateCwlRegex() accepts exactly the dialect of the AWS user guide page "Regular expressions
// (regex) syntax": alphanumerics, the symbols : _ # = @ / ; , - and space, the operators ^ $ ? [ ] { } | \ * + .,
// the classes \d \D \s \S \w \W, \xhh, and {m,n} with either bound omitted. Parentheses (even escaped) and
// other symbols are rejected as AWS rejects them. The result is an RE2 pattern with the same meaning.
#pragma once

#include <string>
#include <string_view>

#include "patterns/common/diagnostic.h"

namespace trailwatch::filter {

// `body` is the text between the two % signs; `body_offset` is its byte offset in the whole pattern, used
// for the span of any diagnostic.
Result<std::string> TranslateCwlRegex(std::string_view body, uint32_t body_offset);

// Compiles an RE2 translation to check that RE2 accepts it (repetition limits, memory). Returns an empty
// string when it does, else RE2's complaint.
std::string Re2Problem(const std::string& re2_pattern);

}  // namespace trailwatch::filter
