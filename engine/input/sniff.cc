// sniff.cc: path rules, binary detection and text line formats (see sniff.h for the contract).
#include "engine/input/sniff.h"

#include <chrono>
#include <cstring>

namespace trailwatch::engine::input {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Parses exactly n digits at s[pos].
bool Digits(std::string_view s, size_t pos, size_t n, int& value) {
  if (pos + n > s.size()) return false;
  value = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!IsDigit(s[i])) return false;
    value = value * 10 + (s[i] - '0');
  }
  return true;
}

// Skips ANSI SGR sequences ("\x1b[...m") at s[pos].
size_t SkipAnsi(std::string_view s, size_t pos) {
  while (pos + 1 < s.size() && s[pos] == '\x1b' && s[pos + 1] == '[') {
    size_t i = pos + 2;
    while (i < s.size() && (IsDigit(s[i]) || s[i] == ';')) ++i;
    if (i >= s.size() || s[i] != 'm') break;
    pos = i + 1;
  }
  return pos;
}

bool HasComponent(std::string_view path, std::string_view name) {
  size_t at = 0;
  while ((at = path.find(name, at)) != std::string_view::npos) {
    const bool starts = at == 0 || path[at - 1] == '/';
    const size_t end = at + name.size();
    const bool ends = end == path.size() || path[end] == '/';
    if (starts && ends) return true;
    at = end;
  }
  return false;
}

std::string_view Basename(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

const char* SkipReasonForPath(std::string_view path) {
  if (HasComponent(path, "CloudTrail-Digest") || Basename(path).find("_CloudTrail-Digest_") != std::string_view::npos) {
    return "CloudTrail digest file (integrity hashes, no events)";
  }
  if (HasComponent(path, "CloudTrail-Insight")) return "CloudTrail Insights file (not delivered to CloudWatch Logs)";
  if (HasComponent(path, "CloudTrail-Lake")) return "CloudTrail Lake query result (CSV, not records)";
  if (Basename(path) == "aws-logs-write-test") return "CloudWatch Logs export permission marker";
  return nullptr;
}

const char* BinaryReason(std::string_view head) {
  if (head.size() >= 4 && std::memcmp(head.data(), "PK\x03\x04", 4) == 0) return "zip archive (unzip it first)";
  if (head.size() >= 3 && std::memcmp(head.data(), "BZh", 3) == 0 && head.size() >= 4 && IsDigit(head[3])) {
    return "bzip2 data (decompress it first)";
  }
  if (head.size() >= 4 && std::memcmp(head.data(), "\x28\xb5\x2f\xfd", 4) == 0) return "zstd data (decompress it first)";
  // A JSON input (its first non-blank byte, after a byte-order mark, is '{' or '['): a NUL byte in it only
  // breaks the line or document that holds it, which is reported there; the rest is read.
  size_t i = head.size() >= 3 && std::memcmp(head.data(), "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  while (i < head.size() && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) ++i;
  if (i < head.size() && (head[i] == '{' || head[i] == '[')) return nullptr;
  const std::string_view probe = head.substr(0, 4096);
  if (probe.find('\0') != std::string_view::npos) return "binary data (a NUL byte in the first 4 KB of a text file)";
  return nullptr;
}

size_t ParseIsoTimestamp(std::string_view s, int64_t& epoch_ms) {
  int year, month, day, hour, minute, second;
  if (!Digits(s, 0, 4, year) || s.size() < 19 || s[4] != '-' || !Digits(s, 5, 2, month) || s[7] != '-' ||
      !Digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != ' ') || !Digits(s, 11, 2, hour) || s[13] != ':' ||
      !Digits(s, 14, 2, minute) || s[16] != ':' || !Digits(s, 17, 2, second)) {
    return 0;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return 0;
  size_t i = 19;
  int64_t millis = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    const size_t start = i;
    while (i < s.size() && IsDigit(s[i])) {
      if (i - start < 3) millis = millis * 10 + (s[i] - '0');
      ++i;
    }
    if (i == start) return 0;
    for (size_t k = i - start; k < 3; ++k) millis *= 10;
  }
  int64_t offset_min = 0;
  if (i < s.size() && s[i] == 'Z') {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int oh, om;
    if (!Digits(s, i + 1, 2, oh) || i + 3 >= s.size() || s[i + 3] != ':' || !Digits(s, i + 4, 2, om)) return 0;
    offset_min = (oh * 60 + om) * (s[i] == '-' ? -1 : 1);
    i += 6;
  } else {
    return 0;  // a zone is required: without one the instant is unknown
  }
  // (month 1-12 and day 1-31 checked above: std::chrono counts a day past the month's end into the next.)
  const int64_t days = std::chrono::sys_days{std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(month)} /
                                             std::chrono::day{static_cast<unsigned>(day)}}
                           .time_since_epoch()
                           .count();
  const int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_min * 60;
  epoch_ms = secs * 1000 + millis;
  return i;
}

bool ParseExportLine(std::string_view line, int64_t& epoch_ms, std::string_view& message) {
  if (line.size() < 21 || !IsDigit(line[0])) return false;
  const size_t n = ParseIsoTimestamp(line, epoch_ms);
  if (n == 0 || line[n - 1] != 'Z' || n >= line.size() || line[n] != ' ') return false;
  message = line.substr(n + 1);
  return true;
}

bool ParseTailLine(std::string_view line, int64_t& epoch_ms, std::string_view& stream, std::string_view& message) {
  size_t i = SkipAnsi(line, 0);
  if (i >= line.size() || !IsDigit(line[i])) return false;
  const size_t n = ParseIsoTimestamp(line.substr(i), epoch_ms);
  if (n == 0 || line[i + n - 1] == 'Z') return false;  // "Z" is the export format; tail prints +00:00
  i = SkipAnsi(line, i + n);
  if (i >= line.size() || line[i] != ' ') return false;
  i = SkipAnsi(line, i + 1);
  const size_t stream_start = i;
  while (i < line.size() && line[i] != ' ' && line[i] != '\x1b') ++i;
  if (i == stream_start) return false;
  stream = line.substr(stream_start, i - stream_start);
  i = SkipAnsi(line, i);
  if (i >= line.size() || line[i] != ' ') {
    if (i == line.size()) {  // empty message
      message = line.substr(i);
      return true;
    }
    return false;
  }
  message = line.substr(i + 1);
  return true;
}

bool LooksLikeBase64Gzip(std::string_view line) {
  if (line.size() < 24 || line.compare(0, 4, "H4sI") != 0) return false;
  for (char c : line.substr(0, 256)) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || IsDigit(c) || c == '+' || c == '/' ||
                    c == '=' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string_view ExportStreamFromPath(std::string_view path) {
  const std::string_view base = Basename(path);
  // 000000.gz, 000001.gz, ... (six digits) or the same without .gz once decompressed by the user.
  if (base.size() < 6) return {};
  for (size_t i = 0; i < 6; ++i) {
    if (!IsDigit(base[i])) return {};
  }
  if (base.size() != 6 && base.substr(6) != ".gz") return {};
  const std::string_view dir = path.substr(0, path.size() - base.size());
  if (dir.size() < 2) return {};
  return Basename(dir.substr(0, dir.size() - 1));
}

}  // namespace trailwatch::engine::input
