// fuzz_util.h: what the fuzz targets share — splitting one input into a pattern and the messages to test it
// on, and the check that stops a target when two paths disagree.
//
// Input layout (so that corpora stay readable and editable): the first line is the pattern, every following
// line one message or event (a line may hold "\n" as the two characters backslash-n, turned into a line
// break, so multi-line messages can be fuzzed too).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace trailwatch::fuzz {

inline constexpr size_t kMaxInput = 1 << 14;  // bigger inputs teach nothing the small ones do not

struct Split {
  std::string pattern;
  std::vector<std::string> messages;
};

inline Split SplitInput(const uint8_t* data, size_t size) {
  Split s;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nl = in.find('\n');
  s.pattern = std::string(in.substr(0, nl));
  while (nl != std::string_view::npos) {
    const size_t start = nl + 1;
    nl = in.find('\n', start);
    std::string m(in.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
    for (size_t p = m.find("\\n"); p != std::string::npos; p = m.find("\\n", p + 1)) m.replace(p, 2, "\n");
    s.messages.push_back(std::move(m));
  }
  return s;
}

// Stops the process with a message naming the disagreement (libFuzzer then saves the input).
[[noreturn]] inline void Disagree(const char* what, std::string_view pattern, std::string_view message) {
  std::fprintf(stderr, "fuzz: %s\npattern: %.*s\nmessage: %.*s\n", what, static_cast<int>(pattern.size()),
               pattern.data(), static_cast<int>(message.size()), message.data());
  std::abort();
}

}  // namespace trailwatch::fuzz
