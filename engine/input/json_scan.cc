// json_scan.cc: structural JSON scans without a parser (see json_scan.h for the contract).
#include "engine/input/json_scan.h"

#include <simdjson.h>

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace trailwatch::engine::input {

namespace {

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;

inline uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Bytes equal to zero: exact for the lowest set bit (the first zero byte, little-endian).
inline uint64_t ZeroBytes(uint64_t v) { return (v - kOnes) & ~v & kHighs; }

// First '"' or '\\' in [p, end), or nullptr.
inline const char* FindQuoteOrBackslash(const char* p, const char* end) {
  while (end - p >= 8) {
    const uint64_t v = Load64(p);
    const uint64_t m = ZeroBytes(v ^ (kOnes * '"')) | ZeroBytes(v ^ (kOnes * '\\'));
    if (m != 0) return p + (__builtin_ctzll(m) >> 3);
    p += 8;
  }
  for (; p < end; ++p) {
    if (*p == '"' || *p == '\\') return p;
  }
  return nullptr;
}

inline bool IsOpenOrSep(char c) { return c == '{' || c == '[' || c == ',' || c == ':'; }
inline bool IsCloseOrSep(char c) { return c == '}' || c == ']' || c == ',' || c == ':'; }

// True when `raw` certainly has no whitespace outside strings. False means "maybe": a control byte or a
// space next to a bracket or separator (which may sit inside a string, e.g. "(KHTML, like Gecko)").
bool SurelyCompact(std::string_view raw) {
  const char* const begin = raw.data();
  const char* const end = begin + raw.size();
  const char* p = begin;
  auto space_ok = [&](const char* q) {
    if (*q != ' ') return false;  // '\n', '\r', '\t' or another control byte
    if (q > begin && IsOpenOrSep(q[-1])) return false;
    if (q + 1 < end && IsCloseOrSep(q[1])) return false;
    return true;
  };
#if defined(__SSE2__)
  const __m128i limit = _mm_set1_epi8(0x20);
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // Bytes <= 0x20 (unsigned): space and control bytes.
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(v, limit), v)));
    while (mask != 0) {
      if (!space_ok(p + __builtin_ctz(mask))) return false;
      mask &= mask - 1;
    }
    p += 16;
  }
#endif
  while (end - p >= 8) {
    const uint64_t v = Load64(p);
    // Bytes below 0x21 (space and control bytes); exact for the lowest one.
    const uint64_t m = (v - kOnes * 0x21) & ~v & kHighs;
    if (m == 0) {
      p += 8;
      continue;
    }
    const char* q = p + (__builtin_ctzll(m) >> 3);
    if (!space_ok(q)) return false;
    p = q + 1;
  }
  for (; p < end; ++p) {
    if (static_cast<unsigned char>(*p) <= 0x20 && !space_ok(p)) return false;
  }
  return true;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && std::memcmp(s.data(), prefix.data(), prefix.size()) == 0;
}

}  // namespace

std::string_view TrimJsonSpace(std::string_view s) {
  size_t b = 0;
  while (b < s.size() && IsJsonSpace(s[b])) ++b;
  size_t e = s.size();
  while (e > b && IsJsonSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::string_view TrimRightJsonSpace(std::string_view s) {
  size_t e = s.size();
  while (e > 0 && IsJsonSpace(s[e - 1])) --e;
  return s.substr(0, e);
}

const char* StructureScanner::Feed(const char* p, const char* end) {
  while (p < end) {
    if (in_string_) {
      if (escape_) {
        escape_ = false;
        ++p;
        continue;
      }
      const char* q = FindQuoteOrBackslash(p, end);
      if (q == nullptr) return nullptr;
      if (*q == '\\') {
        escape_ = true;
      } else {
        in_string_ = false;
      }
      p = q + 1;
      continue;
    }
    const char c = *p++;
    switch (c) {
      case '"':
        in_string_ = true;
        break;
      case '{':
      case '[':
        ++depth_;
        break;
      case '}':
      case ']':
        if (depth_ > 0) --depth_;
        if (depth_ == 0) return p;
        break;
      default:
        break;
    }
  }
  return nullptr;
}

size_t SkipJsonString(std::string_view s, size_t pos) {
  const char* p = s.data() + pos + 1;
  const char* const end = s.data() + s.size();
  while (p < end) {
    const char* q = FindQuoteOrBackslash(p, end);
    if (q == nullptr) return std::string_view::npos;
    if (*q == '"') return static_cast<size_t>(q + 1 - s.data());
    p = q + 2;  // skip the escaped byte
  }
  return std::string_view::npos;
}

size_t SkipJsonValue(std::string_view s, size_t pos) {
  if (pos >= s.size()) return std::string_view::npos;
  const char c = s[pos];
  if (c == '"') return SkipJsonString(s, pos);
  if (c == '{' || c == '[') {
    StructureScanner scanner;
    const char* e = scanner.Feed(s.data() + pos, s.data() + s.size());
    return e == nullptr ? std::string_view::npos : static_cast<size_t>(e - s.data());
  }
  size_t i = pos;
  while (i < s.size() && !IsCloseOrSep(s[i]) && !IsJsonSpace(s[i]) && s[i] != '{' && s[i] != '[' && s[i] != '"') ++i;
  return i == pos ? std::string_view::npos : i;
}

namespace {

void NoteKey(std::string_view key, std::string_view value, ObjectKeys& k) {
  bool known = true;
  switch (key.size()) {
    case 6:
      if (key == "events") k.events = value;
      else if (key == "Events") k.lookup_events = value;
      else if (key == "source") k.source = true;
      else if (key == "detail") k.detail = true;
      else known = false;
      break;
    case 7:
      if (key == "Records") k.records = value;
      else if (key == "awslogs") k.awslogs = value;
      else known = false;
      break;
    case 5:
      if (key == "owner") ++k.subscription_meta;
      else known = false;
      break;
    case 8:
      if (key == "logGroup") k.log_group = value;
      else known = false;
      break;
    case 9:
      if (key == "logEvents") k.log_events = value;
      else if (key == "logStream") k.log_stream = value;
      else if (key == "nextToken" || key == "NextToken") ++k.paging;
      else if (key == "eventName") k.event_name = true;
      else known = false;
      break;
    case 11:
      if (key == "messageType") k.message_type = value;
      else if (key == "eventSource") k.event_source = true;
      else if (key == "detail-type") k.detail_type = true;
      else if (key == "policyLevel") ++k.subscription_meta;
      else known = false;
      break;
    case 12:
      if (key == "eventVersion") k.event_version = true;
      else known = false;
      break;
    case 13:
      if (key == "digestEndTime") k.digest = true;
      else known = false;
      break;
    case 15:
      if (key == "digestStartTime") k.digest = true;
      else known = false;
      break;
    case 16:
      if (key == "nextForwardToken") ++k.paging;
      else known = false;
      break;
    case 17:
      if (key == "nextBackwardToken") ++k.paging;
      else known = false;
      break;
    case 18:
      if (key == "searchedLogStreams") ++k.paging;
      else known = false;
      break;
    case 19:
      if (key == "subscriptionFilters") ++k.subscription_meta;
      else known = false;
      break;
    case 26:
      if (key == "digestPublicKeyFingerprint") k.digest = true;
      else known = false;
      break;
    default:
      known = false;
  }
  if (!known) ++k.other;
}

}  // namespace

ObjectKeys ScanObjectKeys(std::string_view s) {
  ObjectKeys k;
  const size_t n = s.size();
  size_t i = 1;
  auto skip_ws = [&] {
    while (i < n && IsJsonSpace(s[i])) ++i;
  };
  auto fail = [&](size_t at) {
    k.ok = false;
    k.error_at = at > n ? n : at;
    return k;
  };
  if (n == 0 || s[0] != '{') return fail(0);
  skip_ws();
  if (i < n && s[i] == '}') {
    k.ok = true;
    return k;
  }
  for (;;) {
    skip_ws();
    if (i >= n || s[i] != '"') return fail(i);
    const size_t key_end = SkipJsonString(s, i);
    if (key_end == std::string_view::npos) return fail(i);
    const std::string_view key = s.substr(i + 1, key_end - i - 2);
    i = key_end;
    skip_ws();
    if (i >= n || s[i] != ':') return fail(i);
    ++i;
    skip_ws();
    const size_t value_end = SkipJsonValue(s, i);
    if (value_end == std::string_view::npos) {
      // An array cut off (a truncated payload or file): noted with what there is, so the elements before
      // the cut can still be read.
      if (i < n && s[i] == '[') NoteKey(key, s.substr(i), k);
      return fail(i);
    }
    NoteKey(key, s.substr(i, value_end - i), k);
    ++k.members;
    i = value_end;
    skip_ws();
    if (i >= n) return fail(i);
    if (s[i] == ',') {
      ++i;
      continue;
    }
    if (s[i] == '}') {
      k.ok = true;
      return k;
    }
    return fail(i);
  }
}

RecordShape ShapeFromKeys(const ObjectKeys& k) {
  if (k.detail_type && k.source && k.detail) return RecordShape::kEventBridgeEvent;
  if (k.event_version || (k.event_name && k.event_source)) return RecordShape::kCloudTrailRecord;
  return RecordShape::kJson;
}

RecordShape ClassifyJson(std::string_view s) {
  if (s.empty()) return RecordShape::kText;
  if (s[0] == '[') return RecordShape::kJson;
  if (s[0] != '{') return RecordShape::kText;
  if (StartsWith(s, "{\"eventVersion\":")) return RecordShape::kCloudTrailRecord;
  if (StartsWith(s, "{\"version\":\"0\",\"id\":\"") &&
      s.substr(0, 256).find("\"detail-type\":") != std::string_view::npos) {
    return RecordShape::kEventBridgeEvent;
  }
  const ObjectKeys k = ScanObjectKeys(s);
  if (!k.ok) return RecordShape::kText;
  return ShapeFromKeys(k);
}

bool IsCompactJson(std::string_view raw, std::string& scratch) {
  return CompactJson(raw, scratch).data() == raw.data();
}

std::string_view CompactJson(std::string_view raw, std::string& scratch) {
  if (SurelyCompact(raw)) return raw;
  if (scratch.size() < raw.size() + 128) scratch.resize(raw.size() + 128);
  size_t len = 0;
  if (simdjson::minify(raw.data(), raw.size(), scratch.data(), len) != simdjson::SUCCESS || len > raw.size()) {
    return raw;  // not minifiable (e.g. an unterminated string): deliver as is
  }
  if (len == raw.size()) return raw;  // the spaces were all inside strings
  return std::string_view(scratch.data(), len);
}

bool Base64Decode(std::string_view in, std::string& out) {
  static constexpr signed char kUnset = -1;
  static const auto table = [] {
    struct T {
      signed char v[256];
    } t{};
    for (auto& x : t.v) x = kUnset;
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i) t.v[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
    t.v[static_cast<unsigned char>('-')] = 62;  // URL-safe alphabet
    t.v[static_cast<unsigned char>('_')] = 63;
    return t;
  }();
  out.clear();
  out.reserve(in.size() / 4 * 3 + 3);
  uint32_t acc = 0;
  int bits = 0;
  size_t pad = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '\\' && i + 1 < in.size()) {  // JSON escapes inside a string value
      const char e = in[++i];
      if (e == 'n' || e == 'r') continue;
      if (e != '/') return false;
      c = '/';
    }
    if (c == '\n' || c == '\r') continue;
    if (c == '=') {
      ++pad;
      continue;
    }
    if (pad > 0) return false;  // data after padding
    const signed char v = table.v[static_cast<unsigned char>(c)];
    if (v == kUnset) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return pad <= 2 && bits < 6;
}

bool UnescapeJsonString(std::string_view quoted, std::string& out) {
  out.clear();
  if (quoted.size() < 2 || quoted.front() != '"' || quoted.back() != '"') return false;
  const std::string_view s = quoted.substr(1, quoted.size() - 2);
  out.reserve(s.size());
  auto hex4 = [&](size_t at, uint32_t& v) {
    if (at + 4 > s.size()) return false;
    v = 0;
    for (size_t j = at; j < at + 4; ++j) {
      const char h = s[j];
      v <<= 4;
      if (h >= '0' && h <= '9') v |= static_cast<uint32_t>(h - '0');
      else if (h >= 'a' && h <= 'f') v |= static_cast<uint32_t>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') v |= static_cast<uint32_t>(h - 'A' + 10);
      else return false;
    }
    return true;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"') return false;
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i >= s.size()) return false;
    switch (s[i]) {
      case '"': out.push_back('"'); break;
      case '\\': out.push_back('\\'); break;
      case '/': out.push_back('/'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        uint32_t cp = 0;
        if (!hex4(i + 1, cp)) return false;
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < s.size() && s[i + 1] == '\\' && s[i + 2] == 'u') {
          uint32_t lo = 0;
          if (hex4(i + 3, lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          }
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;  // lone surrogate
        if (cp < 0x80) {
          out.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
          out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
          out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
          out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
          out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
          out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
          out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
          out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
          out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
          out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

}  // namespace trailwatch::engine::input
