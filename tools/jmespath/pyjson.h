// pyjson.h: Python's json.loads() error texts, which the AWS CLI prints for a JSON parameter that does not
// parse ("Error parsing parameter '--log-event-messages': Invalid JSON: Expecting value: line 1 column 2
// (char 1)").
//
// Contract: PythonJsonError(text) is empty when Python's json module (CPython 3.11, as Debian's awscli runs)
// reads `text` (NaN, Infinity and -Infinity included), else its message, word for word: "Expecting value",
// "Expecting ',' delimiter", "Expecting ':' delimiter", "Expecting property name enclosed in double quotes",
// "Unterminated string starting at", "Invalid control character at", "Invalid \escape", "Invalid \uXXXX
// escape", "Extra data" — then ": line L column C (char N)", positions in code points as Python counts them.
// Pure; no allocation beyond the message.
#pragma once

#include <string>
#include <string_view>

namespace trailwatch::jmespath {

std::string PythonJsonError(std::string_view text);

}  // namespace trailwatch::jmespath
