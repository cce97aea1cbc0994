// cloudtrail.cc: see cloudtrail.h.
#include "engine/event/cloudtrail.h"

#include <simdjson.h>

#include <cstdint>
#include <cstdio>
#include <cstring>

namespace trailwatch::engine {

namespace {

// SHA-1 (FIPS 180-4), enough for name-based UUIDs.
// One 64-byte block into the state.
void Sha1Block(const uint8_t* p, uint32_t h[5]) {
  auto rol = [](uint32_t x, int n) { return (x << n) | (x >> (32 - n)); };
  uint32_t w[80];
  for (int i = 0; i < 16; ++i) {
    w[i] = (uint32_t{p[4 * i]} << 24) | (uint32_t{p[4 * i + 1]} << 16) | (uint32_t{p[4 * i + 2]} << 8) | p[4 * i + 3];
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

// SHA-1 (FIPS 180-4) of data[0..len): full blocks straight from the input, the padded tail on the stack.
void Sha1(const uint8_t* data, size_t len, uint8_t out[20]) {
  uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  const uint64_t bits = static_cast<uint64_t>(len) * 8;
  size_t done = 0;
  for (; len - done >= 64; done += 64) Sha1Block(data + done, h);
  uint8_t tail[128] = {};
  const size_t rest = len - done;
  std::memcpy(tail, data + done, rest);
  tail[rest] = 0x80;
  const size_t tail_len = rest + 9 <= 64 ? 64 : 128;
  for (int i = 0; i < 8; ++i) tail[tail_len - 1 - i] = static_cast<uint8_t>(bits >> (8 * i));
  for (size_t b = 0; b < tail_len; b += 64) Sha1Block(tail + b, h);
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

// The string at `key`, into `out` (its capacity reused), or empty.
void Take(simdjson::dom::object o, const char* key, std::string* out) {
  std::string_view v;
  if (o[key].get_string().get(v)) {
    out->clear();
  } else {
    out->assign(v);
  }
}

const char* DetailType(const CloudTrailFacts& f) {
  if (f.event_type == "AwsConsoleSignIn") return "AWS Console Sign In via CloudTrail";
  if (f.event_type == "AwsConsoleAction") return "AWS Console Action via CloudTrail";
  if (f.event_type == "AwsServiceEvent") return "AWS Service Event via CloudTrail";
  if (f.event_type == "AwsCloudTrailInsight" || f.event_category == "Insight") return "AWS Insight via CloudTrail";
  return "AWS API Call via CloudTrail";
}

// The version-5 UUID of `name` into out[0..36], with `scratch` for the hashed bytes.
void UuidInto(std::string_view name, std::string* scratch, char out[37]);

// The facts of a parsed record into `out`, reusing its strings.
bool FactsOf(simdjson::dom::element root, CloudTrailFacts* out, std::string* error) {
  simdjson::dom::object o;
  if (root.get_object().get(o)) {
    *error = "a CloudTrail record must be a JSON object";
    return false;
  }
  Take(o, "eventID", &out->event_id);
  Take(o, "eventName", &out->event_name);
  Take(o, "eventSource", &out->event_source);
  Take(o, "eventType", &out->event_type);
  Take(o, "eventCategory", &out->event_category);
  Take(o, "eventTime", &out->event_time);
  Take(o, "awsRegion", &out->aws_region);
  Take(o, "recipientAccountId", &out->account);
  if (out->account.empty()) {
    simdjson::dom::object ui;
    if (!o["userIdentity"].get_object().get(ui)) Take(ui, "accountId", &out->account);
  }
  out->read_only = -1;
  out->management = -1;
  bool b;
  if (!o["readOnly"].get_bool().get(b)) out->read_only = b ? 1 : 0;
  if (!o["managementEvent"].get_bool().get(b)) out->management = b ? 1 : 0;
  return true;
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
  CloudTrailReader reader;
  *out = CloudTrailFacts{};
  return reader.Read(record_json, out, error);
}

std::string DetailTypeFor(const CloudTrailFacts& f) { return DetailType(f); }

std::string SourceFor(const CloudTrailFacts& f) {
  std::string_view s = f.event_source;
  const size_t dot = s.find('.');
  if (dot != std::string_view::npos) s = s.substr(0, dot);
  return "aws." + std::string(s);
}

namespace {

void UuidInto(std::string_view name, std::string* data, char out[37]) {
  static constexpr uint8_t kUrlNamespace[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                                0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
  data->assign(reinterpret_cast<const char*>(kUrlNamespace), 16);
  data->append(name);
  uint8_t hash[20];
  Sha1(reinterpret_cast<const uint8_t*>(data->data()), data->size(), hash);
  hash[6] = static_cast<uint8_t>((hash[6] & 0x0f) | 0x50);
  hash[8] = static_cast<uint8_t>((hash[8] & 0x3f) | 0x80);
  std::snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", hash[0], hash[1],
                hash[2], hash[3], hash[4], hash[5], hash[6], hash[7], hash[8], hash[9], hash[10], hash[11], hash[12],
                hash[13], hash[14], hash[15]);
}

}  // namespace

std::string NameBasedUuid(std::string_view name) {
  std::string data;
  char out[37];
  UuidInto(name, &data, out);
  return out;
}

bool WrapCloudTrailRecord(std::string_view record_json, std::string* event_json, std::string* error) {
  CloudTrailReader reader;
  CloudTrailFacts f;
  if (!reader.Read(record_json, &f, error)) return false;
  reader.Wrap(record_json, f, event_json);
  return true;
}

struct CloudTrailReader::Impl {
  simdjson::dom::parser parser;
  std::string padded;   // the record, followed by simdjson's padding
  std::string id_name;  // "trailwatch:cloudtrail:<eventID>"
  std::string hashed;   // what the UUID hashes
};

CloudTrailReader::CloudTrailReader() : impl_(std::make_unique<Impl>()) {}
CloudTrailReader::~CloudTrailReader() = default;

bool CloudTrailReader::Read(std::string_view record_json, CloudTrailFacts* out, std::string* error) {
  std::string& padded = impl_->padded;
  padded.assign(record_json);
  padded.append(simdjson::SIMDJSON_PADDING, '\0');
  simdjson::dom::element root;
  if (auto e = impl_->parser.parse(padded.data(), record_json.size(), false).get(root)) {
    *error = simdjson::error_message(e);
    return false;
  }
  return FactsOf(root, out, error);
}

void CloudTrailReader::Wrap(std::string_view record_json, const CloudTrailFacts& f, std::string* event_json) {
  std::string& id_name = impl_->id_name;
  id_name.assign("trailwatch:cloudtrail:");
  if (f.event_id.empty()) {
    id_name.append(Trim(record_json));
  } else {
    id_name.append(f.event_id);
  }
  char uuid[37];
  UuidInto(id_name, &impl_->hashed, uuid);
  std::string& out = *event_json;
  out.clear();
  out += "{\"version\":\"0\",\"id\":";
  AppendJsonString(std::string_view(uuid, 36), &out);
  out += ",\"detail-type\":";
  AppendJsonString(DetailType(f), &out);
  out += ",\"source\":";
  std::string_view source = f.event_source;
  if (const size_t dot = source.find('.'); dot != std::string_view::npos) source = source.substr(0, dot);
  // SourceFor(f) ("aws." + the first label of eventSource) without building it: the label, quoted, with
  // "aws." put after its opening quote.
  const size_t at = out.size();
  AppendJsonString(source, &out);
  out.insert(at + 1, "aws.");
  out += ",\"account\":";
  AppendJsonString(f.account, &out);
  out += ",\"time\":";
  AppendJsonString(f.event_time, &out);
  out += ",\"region\":";
  AppendJsonString(f.aws_region, &out);
  out += ",\"resources\":[],\"detail\":";
  out += Trim(record_json);
  out += "}";
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
