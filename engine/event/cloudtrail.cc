// cloudtrail.cc: see cloudtrail.h.
#include "engine/event/cloudtrail.h"

#include <simdjson.h>

#include <cstdint>
#include <cstdio>
#include <cstring>

namespace trailwatch::engine {

namespace {

// SHA-1 (FIPS 180-4), enough for name-based UUIDs.
void Sha1(const uint8_t* data, size_t len, uint8_t out[20]) {
  uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  auto rol = [](uint32_t x, int n) { return (x << n) | (x >> (32 - n)); };
  const uint64_t bits = static_cast<uint64_t>(len) * 8;
  size_t total = ((len + 8) / 64 + 1) * 64;
  std::string msg(reinterpret_cast<const char*>(data), len);
  msg.push_back(static_cast<char>(0x80));
  msg.resize(total - 8, '\0');
  for (int i = 7; i >= 0; --i) msg.push_back(static_cast<char>((bits >> (i * 8)) & 0xff));
  for (size_t chunk = 0; chunk < msg.size(); chunk += 64) {
    uint32_t w[80];
    for (int i = 0; i < 16; ++i) {
      const auto* p = reinterpret_cast<const uint8_t*>(msg.data() + chunk + 4 * i);
      w[i] = (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
    }
    for (int i = 16; i < 80; ++i) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; ++i) {
      uint32_t f, k;
      if (i < 20) f = (b & c) | (~b & d), k = 0x5A827999;
      else if (i < 40) f = b ^ c ^ d, k = 0x6ED9EBA1;
      else if (i < 60) f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
      else f = b ^ c ^ d, k = 0xCA62C1D6;
      const uint32_t t = rol(a, 5) + f + e + k + w[i];
      e = d;
      d = c;
      c = rol(b, 30);
      b = a;
      a = t;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
  }
  for (int i = 0; i < 5; ++i) {
    out[4 * i] = static_cast<uint8_t>(h[i] >> 24);
    out[4 * i + 1] = static_cast<uint8_t>(h[i] >> 16);
    out[4 * i + 2] = static_cast<uint8_t>(h[i] >> 8);
    out[4 * i + 3] = static_cast<uint8_t>(h[i]);
  }
}

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          *out += buf;
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

std::string_view Trim(std::string_view s) {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

std::string GetString(simdjson::dom::object o, const char* key) {
  std::string_view v;
  if (o[key].get_string().get(v)) return {};
  return std::string(v);
}

}  // namespace

bool ParseRuleState(std::string_view text, RuleState* out) {
  if (text == "DISABLED") *out = RuleState::kDisabled;
  else if (text == "ENABLED") *out = RuleState::kEnabled;
  else if (text == "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS") *out = RuleState::kEnabledWithAllCloudTrailManagementEvents;
  else return false;
  return true;
}

const char* RuleStateName(RuleState s) {
  switch (s) {
    case RuleState::kDisabled: return "DISABLED";
    case RuleState::kEnabled: return "ENABLED";
    case RuleState::kEnabledWithAllCloudTrailManagementEvents: return "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";
  }
  return "?";
}

bool ReadCloudTrailFacts(std::string_view record_json, CloudTrailFacts* out, std::string* error) {
  *out = CloudTrailFacts{};
  simdjson::dom::parser parser;
  simdjson::padded_string padded(record_json);
  simdjson::dom::element root;
  if (auto e = parser.parse(padded).get(root)) {
    *error = simdjson::error_message(e);
    return false;
  }
  simdjson::dom::object o;
  if (root.get_object().get(o)) {
    *error = "a CloudTrail record must be a JSON object";
    return false;
  }
  out->event_id = GetString(o, "eventID");
  out->event_name = GetString(o, "eventName");
  out->event_source = GetString(o, "eventSource");
  out->event_type = GetString(o, "eventType");
  out->event_category = GetString(o, "eventCategory");
  out->event_time = GetString(o, "eventTime");
  out->aws_region = GetString(o, "awsRegion");
  out->account = GetString(o, "recipientAccountId");
  if (out->account.empty()) {
    simdjson::dom::object ui;
    if (!o["userIdentity"].get_object().get(ui)) out->account = GetString(ui, "accountId");
  }
  bool b;
  if (!o["readOnly"].get_bool().get(b)) out->read_only = b ? 1 : 0;
  if (!o["managementEvent"].get_bool().get(b)) out->management = b ? 1 : 0;
  return true;
}

std::string DetailTypeFor(const CloudTrailFacts& f) {
  if (f.event_type == "AwsConsoleSignIn") return "AWS Console Sign In via CloudTrail";
  if (f.event_type == "AwsConsoleAction") return "AWS Console Action via CloudTrail";
  if (f.event_type == "AwsServiceEvent") return "AWS Service Event via CloudTrail";
  if (f.event_type == "AwsCloudTrailInsight" || f.event_category == "Insight") return "AWS Insight via CloudTrail";
  return "AWS API Call via CloudTrail";
}

std::string SourceFor(const CloudTrailFacts& f) {
  std::string_view s = f.event_source;
  const size_t dot = s.find('.');
  if (dot != std::string_view::npos) s = s.substr(0, dot);
  return "aws." + std::string(s);
}

std::string NameBasedUuid(std::string_view name) {
  static constexpr uint8_t kUrlNamespace[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                                0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
  std::string data(reinterpret_cast<const char*>(kUrlNamespace), 16);
  data.append(name);
  uint8_t hash[20];
  Sha1(reinterpret_cast<const uint8_t*>(data.data()), data.size(), hash);
  hash[6] = static_cast<uint8_t>((hash[6] & 0x0f) | 0x50);
  hash[8] = static_cast<uint8_t>((hash[8] & 0x3f) | 0x80);
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", hash[0],
                hash[1], hash[2], hash[3], hash[4], hash[5], hash[6], hash[7], hash[8], hash[9], hash[10], hash[11],
                hash[12], hash[13], hash[14], hash[15]);
  return out;
}

bool WrapCloudTrailRecord(std::string_view record_json, std::string* event_json, std::string* error) {
  CloudTrailFacts f;
  if (!ReadCloudTrailFacts(record_json, &f, error)) return false;
  const std::string id_name = "trailwatch:cloudtrail:" + (f.event_id.empty() ? std::string(Trim(record_json)) : f.event_id);
  std::string& out = *event_json;
  out.clear();
  out += "{\"version\":\"0\",\"id\":";
  AppendJsonString(NameBasedUuid(id_name), &out);
  out += ",\"detail-type\":";
  AppendJsonString(DetailTypeFor(f), &out);
  out += ",\"source\":";
  AppendJsonString(SourceFor(f), &out);
  out += ",\"account\":";
  AppendJsonString(f.account, &out);
  out += ",\"time\":";
  AppendJsonString(f.event_time, &out);
  out += ",\"region\":";
  AppendJsonString(f.aws_region, &out);
  out += ",\"resources\":[],\"detail\":";
  out += Trim(record_json);
  out += "}";
  return true;
}

bool IsFilteredReadOnlyEvent(const CloudTrailFacts& f) {
  if (f.management == 0 || f.event_category == "Data") return false;  // data events: not management events
  const std::string_view n = f.event_name;
  const bool named = n.starts_with("Get") || n.starts_with("List") || n.starts_with("Describe");
  if (!named) return false;  // read-only calls named otherwise are delivered
  if (n == "GetFederationToken" || n == "GetSessionToken") return false;
  return f.read_only != 0;  // readOnly true, or unknown with a read-only name
}

bool DeliveredToRule(const CloudTrailFacts& f, RuleState state) {
  switch (state) {
    case RuleState::kDisabled: return false;
    case RuleState::kEnabled: return !IsFilteredReadOnlyEvent(f);
    case RuleState::kEnabledWithAllCloudTrailManagementEvents: return true;
  }
  return false;
}

}  // namespace trailwatch::engine
