// eventbridge_rules.cc: the EventBridge macro benchmark (bench/macro.sh) — 16 CloudTrail-style rules
// (bench/rules16.json) compiled into one set and matched against every event of an NDJSON file of
// EventBridge events (the corpus generator's eventbridge.ndjson), on one thread.
//
// Contract: `eventbridge_rules RULES.json EVENTS.ndjson [EXPECTED.json]` loads the rules (a JSON array of
// {"id", "pattern"}), compiles them with trailwatch's event-pattern compiler, maps the events file, evaluates
// every line with one EventMatcher and one scratch, and counts matches per rule. With EXPECTED.json (the
// generator's), each rule's count must equal expected["rules"][id]: a benchmark that gives a wrong answer
// fails. Prints one line per rule, then
//   events=<n> bytes=<n> seconds=<s> events_per_s=<x> mb_per_s=<x>   (seconds: the matching loop)
// Exit 0; 1 when a count differs from the expected one; 2 on a usage, I/O or pattern error.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/event/matcher.h"
#include "engine/fast_paths.h"
#include "patterns/event/compile.h"
#include "patterns/event/parser.h"

namespace {

bool ReadJson(const char* path, nlohmann::json* out) {
  std::ifstream in(path);
  if (!in) return false;
  *out = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  return !out->is_discarded();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: eventbridge_rules RULES.json EVENTS.ndjson [EXPECTED.json]\n");
    return 2;
  }
  nlohmann::json rules, expected;
  if (!ReadJson(argv[1], &rules) || !rules.is_array()) {
    std::fprintf(stderr, "eventbridge_rules: %s is not a JSON array of rules\n", argv[1]);
    return 2;
  }
  if (argc == 4 && (!ReadJson(argv[3], &expected) || !expected.contains("rules"))) {
    std::fprintf(stderr, "eventbridge_rules: %s has no \"rules\"\n", argv[3]);
    return 2;
  }
  std::vector<std::string> ids;
  std::vector<std::shared_ptr<const trailwatch::event::EventPattern>> patterns;
  for (const auto& r : rules) {
    if (!r.is_object() || !r.contains("id") || !r.contains("pattern") || !r["id"].is_string()) {
      std::fprintf(stderr, "eventbridge_rules: each rule needs an id and a pattern\n");
      return 2;
    }
    const std::string text = r["pattern"].dump();
    auto p = trailwatch::event::ParseEventPattern(text);
    if (!p.ok()) {
      std::fprintf(stderr, "eventbridge_rules: rule %s: %s\n", r["id"].get<std::string>().c_str(),
                   p.error().message.c_str());
      return 2;
    }
    ids.push_back(r["id"].get<std::string>());
    patterns.push_back(std::make_shared<const trailwatch::event::EventPattern>(std::move(p).value()));
  }
  trailwatch::engine::EventMatcher matcher(trailwatch::event::CompileRuleSet(patterns),
                                           trailwatch::engine::FastPathEnabled(trailwatch::engine::FastPath::kWalk));
  trailwatch::engine::EventScratch scratch;

  const int fd = open(argv[2], O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    std::fprintf(stderr, "eventbridge_rules: cannot open %s\n", argv[2]);
    return 2;
  }
  const size_t size = static_cast<size_t>(st.st_size);
  const char* data = "";
  void* map = nullptr;
  if (size > 0) {
    map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (map == MAP_FAILED) {
      std::fprintf(stderr, "eventbridge_rules: cannot map %s\n", argv[2]);
      return 2;
    }
    madvise(map, size, MADV_SEQUENTIAL);
    data = static_cast<const char*>(map);
  }
  close(fd);

  std::vector<uint64_t> counts(patterns.size(), 0);
  uint64_t events = 0;
  const auto start = std::chrono::steady_clock::now();
  const char* p = data;
  const char* end = data + size;
  while (p < end) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    const char* line_end = nl != nullptr ? nl : end;
    if (line_end > p) {
      ++events;
      if (matcher.Evaluate(std::string_view(p, static_cast<size_t>(line_end - p)), scratch)) {
        for (size_t i = 0; i < counts.size(); ++i) counts[i] += matcher.Matched(i, scratch);
      }
    }
    p = line_end + 1;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (map != nullptr) munmap(map, size);

  int status = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    std::printf("rule %-30s %llu", ids[i].c_str(), static_cast<unsigned long long>(counts[i]));
    if (argc == 4) {
      const auto& want = expected["rules"][ids[i]];
      if (!want.is_number_unsigned() || want.get<uint64_t>() != counts[i]) {
        std::printf("  EXPECTED %s", want.dump().c_str());
        status = 1;
      }
    }
    std::printf("\n");
  }
  std::printf("events=%llu bytes=%zu seconds=%.3f events_per_s=%.0f mb_per_s=%.1f\n",
              static_cast<unsigned long long>(events), size, seconds, static_cast<double>(events) / seconds,
              static_cast<double>(size) / 1e6 / seconds);
  return status;
}
