// generator.cc: the corpus generator (see generator.h). Records are written byte by byte — no JSON library —
// in CloudTrail's key order; the catalog (catalog.h) supplies the background, the sign-in and security
// scenarios are built here; each record's choices feed the expected counts (expected.h).
#include "tools/corpus/generator.h"

#include <libdeflate.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string_view>
#include <system_error>
#include <vector>

#include "engine/event/cloudtrail.h"
#include "tools/corpus/catalog.h"
#include "tools/corpus/rng.h"

namespace trailwatch::corpus {

namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------------------
// Time

// Days since 1970-01-01 of a date (month 1-12, day 1-31), and back: std::chrono's civil calendar, as the
// engine's time parsing uses.
int64_t DaysFromCivil(int y, unsigned m, unsigned d) {
  using namespace std::chrono;
  return sys_days{year{y} / month{m} / day{d}}.time_since_epoch().count();
}

void CivilFromDays(int64_t z, int* y, int* m, int* d) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{days{z}}};
  *y = static_cast<int>(ymd.year());
  *m = static_cast<int>(static_cast<unsigned>(ymd.month()));
  *d = static_cast<int>(static_cast<unsigned>(ymd.day()));
}

// Appends the member `,"key":"value"` (value already JSON-escaped).
void AppendStringMember(std::string& s, std::string_view key, std::string_view value) {
  s += ",\"";
  s += key;
  s += "\":\"";
  s += value;
  s += '"';
}

// Appends the member `,"key":value` (value already JSON).
void AppendJsonMember(std::string& s, std::string_view key, std::string_view value) {
  s += ",\"";
  s += key;
  s += "\":";
  s += value;
}

void Put2(char* p, int v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}

// "YYYY-MM-DDTHH:MM:SS" (19 characters, no zone) into p.
void Format19(int64_t t, char* p) {
  int64_t days = t / 86400, secs = t % 86400;
  if (secs < 0) secs += 86400, --days;
  int y, m, d;
  CivilFromDays(days, &y, &m, &d);
  y = std::clamp(y, 0, 9999);
  Put2(p, y / 100);
  Put2(p + 2, y % 100);
  p[4] = '-';
  Put2(p + 5, m);
  p[7] = '-';
  Put2(p + 8, d);
  p[10] = 'T';
  Put2(p + 11, static_cast<int>(secs / 3600));
  p[13] = ':';
  Put2(p + 14, static_cast<int>(secs / 60 % 60));
  p[16] = ':';
  Put2(p + 17, static_cast<int>(secs % 60));
}

// ---------------------------------------------------------------------------------------------------------
// Text helpers

constexpr char kHexLower[] = "0123456789abcdef";
constexpr char kHexUpper[] = "0123456789ABCDEF";
constexpr char kUpperAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

void AppendRandom(std::string* out, Rng& rng, const char* alphabet, uint32_t alphabet_size, int n) {
  for (int i = 0; i < n; ++i) out->push_back(alphabet[rng.Below(alphabet_size)]);
}

void AppendUuid(std::string* out, Rng& rng, const char* hex) {
  const uint64_t a = rng.Next(), b = rng.Next();
  char buf[36];
  int k = 0;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) buf[k++] = '-';
    const uint64_t w = i < 16 ? a : b;
    int nibble = static_cast<int>((w >> (4 * (i % 16))) & 0xf);
    if (i == 12) nibble = 4;                      // version 4
    if (i == 16) nibble = 8 | (nibble & 3);       // variant 10xx
    buf[k++] = hex[nibble];
  }
  out->append(buf, 36);
}

// Appends `s` as the inside of a JSON string (quotes, backslashes and control characters escaped).
void AppendEscaped(std::string* out, std::string_view s) {
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
      out->append(buf);
    } else {
      out->push_back(c);
    }
  }
}

void AppendQuoted(std::string* out, std::string_view s) {
  out->push_back('"');
  AppendEscaped(out, s);
  out->push_back('"');
}

// ---------------------------------------------------------------------------------------------------------
// The account's people, roles, places

constexpr const char* kRegions[] = {"us-east-1",      "us-east-2",      "us-west-1",      "us-west-2",
                                    "ap-south-1",     "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
                                    "ap-southeast-1", "ap-southeast-2", "ca-central-1",   "eu-central-1",
                                    "eu-west-1",      "eu-west-2",      "eu-west-3",      "eu-north-1",
                                    "sa-east-1"};
constexpr int kRegionCount = 17;
// Where API activity happens (per mille): a home Region, a few busy ones, a long tail.
constexpr uint32_t kRegionWeights[kRegionCount] = {500, 40, 15, 120, 15, 30, 10, 5, 20, 20, 15, 60, 100, 25, 10, 10, 5};
// Sign-ins through the global endpoint with an account-alias cookie land in one of these (latency-based).
constexpr int kAliasCookieRegions[] = {1, 15, 9};  // us-east-2, eu-north-1, ap-southeast-2

constexpr const char* kGlobalSources[] = {"iam.amazonaws.com",        "organizations.amazonaws.com",
                                          "route53.amazonaws.com",    "cloudfront.amazonaws.com",
                                          "health.amazonaws.com",     "ce.amazonaws.com",
                                          "support.amazonaws.com",    "signin.amazonaws.com"};

struct UserSpec {
  const char* name;
  bool human;
  uint32_t weight;
};
constexpr UserSpec kUsers[] = {
    {"terraform-ci", false, 300}, {"github-actions", false, 160}, {"deploy-bot", false, 90},
    {"data-pipeline", false, 70}, {"backup-agent", false, 40},    {"monitoring", false, 30},
    {"alice.nguyen", true, 120},  {"bert-jan", true, 90},         {"carlos.mendes", true, 70},
    {"dana.kim", true, 50},       {"emma.schulz", true, 40},      {"farid.haddad", true, 30},
    {"grace.okafor", true, 25},   {"hiro.tanaka", true, 20},      {"ines.duarte", true, 15},
    {"jonas.berg", true, 10},
};

constexpr const char* kBrowsers[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
    "Safari/537.36",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 "
    "Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 "
    "Edg/124.0.0.0",
};

struct User {
  std::string name, principal_id, access_key, ip[2];
  bool human = false;
};

std::string PublicIp(Rng& rng, bool aws) {
  static constexpr int kAwsFirst[] = {3, 18, 34, 35, 44, 52, 54};
  static constexpr int kIspFirst[] = {24, 46, 62, 77, 81, 86, 92, 109, 145, 176, 185, 188, 195, 212, 217};
  const int first = aws ? kAwsFirst[rng.Below(7)] : kIspFirst[rng.Below(15)];
  char buf[20];
  std::snprintf(buf, sizeof buf, "%d.%u.%u.%u", first, rng.Below(256), rng.Below(256), 1 + rng.Below(254));
  return buf;
}

std::string PrivateIp(Rng& rng) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "10.%u.%u.%u", rng.Below(256), rng.Below(256), 1 + rng.Below(254));
  return buf;
}

// ---------------------------------------------------------------------------------------------------------
// One record being built: the fields in CloudTrail's order, and the facts the expected counts need.

struct Draft {
  const char* event_version = "1.08";
  std::string identity;
  int64_t time = 0;
  std::string_view source, name, region;
  std::string source_ip, user_agent;  // already JSON-escaped
  bool has_user_agent = true;
  bool has_error_code = false, has_error_message = false;
  std::string error_code, error_message;  // JSON-escaped
  std::string request, response, additional, resources, service_details, request_id, shared_event_id,
      vpc_endpoint;
  bool has_additional = false, has_resources = false, has_service_details = false, has_request_id = false,
       has_shared_event_id = false, has_vpc_endpoint = false;
  int read_only = 0;  // 0 false, 1 true, 2 absent
  const char* event_type = "AwsApiCall";
  const char* api_version = nullptr;
  uint8_t tls = 0;
  std::string host;
  bool console = false;
  // Facts for the predicates (kept alongside, not parsed back).
  std::string identity_type, user_name, console_login, mfa_used;
  bool has_invoked_by = false, has_mfa_used = false;

  void Reset() {
    event_version = "1.08";
    identity.clear();
    source_ip.clear();
    user_agent.clear();
    has_user_agent = true;
    has_error_code = has_error_message = false;
    error_code.clear();
    error_message.clear();
    request.assign("null");
    response.assign("null");
    additional.clear();
    resources.clear();
    service_details.clear();
    request_id.clear();
    shared_event_id.clear();
    vpc_endpoint.clear();
    has_additional = has_resources = has_service_details = has_request_id = has_shared_event_id =
        has_vpc_endpoint = false;
    read_only = 0;
    event_type = "AwsApiCall";
    api_version = nullptr;
    tls = 0;
    host.clear();
    console = false;
    identity_type.clear();
    user_name.clear();
    console_login.clear();
    mfa_used.clear();
    has_invoked_by = has_mfa_used = false;
  }
};

// ---------------------------------------------------------------------------------------------------------

class Generator {
 public:
  explicit Generator(const CorpusOptions& o) : o_(o), rng_(o.seed, 1), names_rng_(o.seed, 2), delivery_rng_(o.seed, 3) {}

  bool Run(CorpusSummary* summary, std::string* error);

 private:
  void Setup();
  uint64_t EstimateRecords();
  void Background(Draft* d);
  void FromTemplate(const CatalogEvent& e, const CatalogTemplate& t, Draft* d);
  void Identity(const CatalogTemplate& t, const User& u, Draft* d);
  void Injected(std::vector<Draft>* out, int64_t time);
  void SignIn(std::vector<Draft>* out, int64_t time);
  void RootUsage(Draft* d);
  void CisChange(Draft* d);
  int BackgroundRegion(std::string_view source);
  const User& PickUser(bool human);
  void Expand(std::string* out, const char* text, const Draft& d, bool escape);
  void Serialize(const Draft& d, std::string* out);
  void Facts(const Draft& d, RecordFacts* f);
  bool Emit(Draft& d, int64_t base_time);
  bool FlushWindow();
  bool WriteAll(std::FILE* f, const std::string& data, const char* what);

  const CorpusOptions& o_;
  Rng rng_, names_rng_, delivery_rng_;
  std::vector<User> users_;
  WeightedChoice user_pick_human_, user_pick_machine_;
  std::vector<uint32_t> human_index_, machine_index_;
  WeightedChoice background_, regions_;
  std::vector<const CatalogEvent*> watched_by_group_[10];
  std::vector<std::string> template_identity_type_;  // per template (kVerbatim): userIdentity.type
  std::vector<uint8_t> template_invoked_by_;
  std::string account_;
  char time_text_[20];  // the current record's time, 19 characters

  // Output
  std::FILE* ndjson_ = nullptr;
  std::FILE* eventbridge_ = nullptr;
  std::string line_, wrapped_, wrap_error_, ndjson_buf_, eventbridge_buf_;
  std::vector<std::string> window_files_;  // per Region: the records of the current window, comma-separated
  std::vector<uint32_t> window_counts_;
  int64_t window_ = -1;
  libdeflate_compressor* compressor_ = nullptr;
  std::string compressed_;
  CorpusSummary* summary_ = nullptr;
  std::string error_;
};

void Generator::Setup() {
  account_ = o_.account;
  Rng people(o_.seed, 4);
  std::vector<uint32_t> human_w, machine_w;
  for (const UserSpec& s : kUsers) {
    User u;
    u.name = s.name;
    u.human = s.human;
    u.principal_id = "AIDA";
    AppendRandom(&u.principal_id, people, kBase32, 32, 17);
    u.access_key = "AKIA";
    AppendRandom(&u.access_key, people, kBase32, 32, 16);
    u.ip[0] = s.human ? PublicIp(people, false) : PublicIp(people, true);
    u.ip[1] = s.human ? PublicIp(people, false) : PrivateIp(people);
    (s.human ? human_index_ : machine_index_).push_back(static_cast<uint32_t>(users_.size()));
    (s.human ? human_w : machine_w).push_back(s.weight);
    users_.push_back(std::move(u));
  }
  user_pick_human_ = WeightedChoice(human_w);
  user_pick_machine_ = WeightedChoice(machine_w);
  regions_ = WeightedChoice(kRegionWeights);

  std::vector<uint32_t> weights;
  for (const CatalogEvent& e : CatalogEvents()) weights.push_back(e.watched ? 0 : e.weight);
  background_ = WeightedChoice(weights);

  // The watched names by CIS control (CloudWatch.4, .5, .7-.14), for injected changes.
  static constexpr const char* kGroups[10][16] = {
      {"DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy", "PutRolePolicy",
       "PutUserPolicy", "CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion",
       "AttachRolePolicy", "DetachRolePolicy", "AttachUserPolicy", "DetachUserPolicy", "AttachGroupPolicy",
       "DetachGroupPolicy"},
      {"CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"},
      {"DisableKey", "ScheduleKeyDeletion"},
      {"PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle", "PutBucketReplication",
       "DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle", "DeleteBucketReplication"},
      {"StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel", "PutConfigurationRecorder"},
      {"AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
       "RevokeSecurityGroupEgress", "CreateSecurityGroup", "DeleteSecurityGroup"},
      {"CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl", "DeleteNetworkAclEntry",
       "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation"},
      {"CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway", "CreateInternetGateway",
       "DeleteInternetGateway", "DetachInternetGateway"},
      {"CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation", "DeleteRouteTable",
       "DeleteRoute", "DisassociateRouteTable"},
      {"CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection", "CreateVpcPeeringConnection",
       "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection", "AttachClassicLinkVpc", "DetachClassicLinkVpc",
       "DisableVpcClassicLink", "EnableVpcClassicLink"},
  };
  for (int g = 0; g < 10; ++g) {
    for (const char* n : kGroups[g]) {
      if (n == nullptr) break;
      if (const CatalogEvent* e = FindCatalogEvent(n)) watched_by_group_[g].push_back(e);
    }
  }

  for (const CatalogTemplate& t : CatalogTemplates()) {
    std::string type;
    bool invoked = t.invoked_by != nullptr;
    if (t.identity == IdentityKind::kVerbatim && t.identity_json != nullptr) {
      std::string_view j = t.identity_json;
      constexpr std::string_view kType = "{\"type\":\"";
      if (j.starts_with(kType)) {
        const size_t end = j.find('"', kType.size());
        type = std::string(j.substr(kType.size(), end - kType.size()));
      }
      // invokedBy at the top level of the identity (the verbatim identities nest no other invokedBy).
      invoked = j.find("\"invokedBy\":") != std::string_view::npos;
    } else {
      type = "IAMUser";
    }
    template_identity_type_.push_back(type);
    template_invoked_by_.push_back(invoked);
  }
}

const User& Generator::PickUser(bool human) {
  return human ? users_[human_index_[user_pick_human_.Pick(rng_)]]
               : users_[machine_index_[user_pick_machine_.Pick(rng_)]];
}

int Generator::BackgroundRegion(std::string_view source) {
  for (const char* g : kGlobalSources) {
    if (source == g) return 0;
  }
  return static_cast<int>(regions_.Pick(rng_));
}

void Generator::Expand(std::string* out, const char* text, const Draft& d, bool escape) {
  for (const char* p = text; *p != '\0'; ++p) {
    const char c = *p;
    switch (c) {
      case kMarkAccount: out->append(account_); break;
      case kMarkRegion: out->append(d.region); break;
      case kMarkUser: out->append(d.user_name.empty() ? std::string_view("admin") : std::string_view(d.user_name)); break;
      case kMarkTime: out->append(time_text_, 19); break;
      case kMarkUuid: AppendUuid(out, rng_, kHexLower); break;
      case kMarkUuidUpper: AppendUuid(out, rng_, kHexUpper); break;
      case kMarkHex:
      case kMarkDigit:
      case kMarkUpperHex:
      case kMarkUpperAlnum: {
        if (p[1] == '\0') return;
        const int n = static_cast<unsigned char>(*++p) - 0x20;
        if (c == kMarkHex) AppendRandom(out, rng_, kHexLower, 16, n);
        else if (c == kMarkDigit) AppendRandom(out, rng_, kHexLower, 10, n);
        else if (c == kMarkUpperHex) AppendRandom(out, rng_, kHexUpper, 16, n);
        else AppendRandom(out, rng_, kUpperAlnum, 36, n);
        break;
      }
      default:
        if (escape && (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20)) {
          AppendEscaped(out, std::string_view(p, 1));
        } else {
          out->push_back(c);
        }
    }
  }
}

void Generator::Identity(const CatalogTemplate& t, const User& u, Draft* d) {
  std::string& s = d->identity;
  if (t.identity == IdentityKind::kVerbatim) {
    d->user_name.clear();
    Expand(&s, t.identity_json != nullptr ? t.identity_json : "{}", *d, false);
    return;
  }
  d->user_name = u.name;
  s += R"({"type":"IAMUser","principalId":")";
  s += u.principal_id;
  s += R"(","arn":"arn:aws:iam::)";
  s += account_;
  s += ":user/";
  s += u.name;
  s += R"(","accountId":")";
  s += account_;
  s += '"';
  if (t.identity == IdentityKind::kIamKey) {
    AppendStringMember(s, "accessKeyId", u.access_key);
  } else if (t.identity != IdentityKind::kIamNoKey) {
    s += R"(,"accessKeyId":"ASIA)";
    AppendRandom(&s, rng_, kBase32, 32, 16);
    s += '"';
  }
  AppendStringMember(s, "userName", u.name);
  if (t.identity == IdentityKind::kIamSession || t.identity == IdentityKind::kIamSessionAttributes) {
    s += t.identity == IdentityKind::kIamSession
             ? R"(,"sessionContext":{"sessionIssuer":{},"webIdFederationData":{},"attributes":{"creationDate":")"
             : R"(,"sessionContext":{"attributes":{"creationDate":")";
    char created[20];
    Format19(d->time - rng_.Between(60, 7200), created);
    s.append(created, 19);
    s += R"(Z","mfaAuthenticated":")";
    s += t.mfa ? "true" : "false";
    s += R"("}})";
  }
  if (t.invoked_by != nullptr) {
    AppendStringMember(s, "invokedBy", t.invoked_by);
  }
  s += '}';
}

void Generator::FromTemplate(const CatalogEvent& e, const CatalogTemplate& t, Draft* d) {
  d->source = e.source;
  d->name = e.name;
  d->event_version = t.event_version;
  d->event_type = t.event_type;
  d->read_only = t.read_only;
  d->api_version = t.api_version;
  d->console = t.console;
  const size_t ti = static_cast<size_t>(&t - CatalogTemplates().data());
  d->identity_type = template_identity_type_[ti];
  d->has_invoked_by = template_invoked_by_[ti] != 0;
  const bool human = t.console || t.identity == IdentityKind::kIamSession ||
                     t.identity == IdentityKind::kIamSessionAttributes;
  const User& u = PickUser(human);
  Identity(t, u, d);
  if (t.source_ip != nullptr) {
    Expand(&d->source_ip, t.source_ip, *d, true);
  } else if (t.identity == IdentityKind::kVerbatim) {
    d->source_ip = rng_.Chance(0.5) ? PrivateIp(rng_) : PublicIp(rng_, true);
  } else {
    d->source_ip = u.ip[rng_.Below(4) == 0 ? 1 : 0];
  }
  d->has_user_agent = t.user_agent >= 0;
  if (d->has_user_agent) Expand(&d->user_agent, UserAgents()[t.user_agent], *d, true);

  // An error as often as the real records of this name had one, with their codes and messages.
  bool failed = false;
  if (e.error_weight > 0 && e.weight > 0 && rng_.Below(e.weight) < e.error_weight) {
    uint32_t total = 0;
    for (uint32_t i = e.error_begin; i < e.error_end; ++i) total += CatalogErrors()[i].weight;
    uint32_t r = rng_.Below(total);
    uint32_t i = e.error_begin;
    while (r >= CatalogErrors()[i].weight) r -= CatalogErrors()[i++].weight;
    const CatalogError& err = CatalogErrors()[i];
    d->has_error_code = true;
    AppendEscaped(&d->error_code, err.code);
    if (err.message != nullptr) {
      d->has_error_message = true;
      Expand(&d->error_message, err.message, *d, true);
    }
    failed = true;
  }
  d->request.clear();
  Expand(&d->request, t.request, *d, false);
  d->response.clear();
  if (failed) d->response = "null"; else Expand(&d->response, t.response, *d, false);
  if ((d->has_additional = t.additional != nullptr)) Expand(&d->additional, t.additional, *d, false);
  if ((d->has_resources = t.resources != nullptr)) Expand(&d->resources, t.resources, *d, false);
  if ((d->has_service_details = t.service_details != nullptr)) Expand(&d->service_details, t.service_details, *d, false);
  if ((d->has_request_id = t.request_id != nullptr)) Expand(&d->request_id, t.request_id, *d, true);
  if ((d->has_shared_event_id = t.shared_event_id != nullptr)) Expand(&d->shared_event_id, t.shared_event_id, *d, true);
  if ((d->has_vpc_endpoint = t.vpc_endpoint != nullptr)) Expand(&d->vpc_endpoint, t.vpc_endpoint, *d, true);
  d->tls = t.tls;
  if (t.host != nullptr) Expand(&d->host, t.host, *d, true);
}

void Generator::Background(Draft* d) {
  const CatalogEvent& e = CatalogEvents()[background_.Pick(rng_)];
  d->region = kRegions[BackgroundRegion(e.source)];
  const uint32_t n = e.template_end - e.template_begin;
  FromTemplate(e, CatalogTemplates()[e.template_begin + rng_.Below(n)], d);
}

void Generator::CisChange(Draft* d) {
  // Every watched group equally often: each CIS control sees a few changes per 10,000 records.
  const auto& group = watched_by_group_[rng_.Below(10)];
  const CatalogEvent& e = *group[rng_.Below(static_cast<uint32_t>(group.size()))];
  d->region = kRegions[BackgroundRegion(e.source)];
  const uint32_t n = e.template_end - e.template_begin;
  FromTemplate(e, CatalogTemplates()[e.template_begin + rng_.Below(n)], d);
}

void Generator::RootUsage(Draft* d) {
  // A root session in the console doing what the background does; a fifth of them invoked by AWS on the
  // root user's behalf (not "usage of the root user" for CloudWatch.1).
  Background(d);
  d->identity.clear();
  std::string& s = d->identity;
  s += R"({"type":"Root","principalId":")" + account_ + R"(","arn":"arn:aws:iam::)" + account_ +
       R"(:root","accountId":")" + account_ + R"(","accessKeyId":"ASIA)";
  AppendRandom(&s, rng_, kBase32, 32, 16);
  s += R"(","sessionContext":{"sessionIssuer":{},"webIdFederationData":{},"attributes":{"creationDate":")";
  char created[20];
  Format19(d->time - rng_.Between(60, 3600), created);
  s.append(created, 19);
  s += R"(Z","mfaAuthenticated":")";
  s += rng_.Chance(0.7) ? "true" : "false";
  s += R"("}})";
  d->has_invoked_by = rng_.Chance(0.2);
  if (d->has_invoked_by) s += R"(,"invokedBy":"AWS Internal")";
  s += '}';
  d->identity_type = "Root";
  d->user_name.clear();
  d->console = true;
  d->user_agent.clear();
  d->has_user_agent = true;
  AppendEscaped(&d->user_agent, d->has_invoked_by ? "AWS Internal" : kBrowsers[rng_.Below(5)]);
  if (!d->has_invoked_by) d->source_ip = PublicIp(rng_, false);
}

void Generator::SignIn(std::vector<Draft>* out, int64_t time) {
  enum Kind { kMfa, kNoMfa, kFailed, kUnknown, kRootSuccess, kRootFailure, kFederated };
  static constexpr uint32_t kWeights[] = {30, 15, 15, 12, 6, 4, 12};
  static const WeightedChoice kPick(kWeights);
  const Kind kind = static_cast<Kind>(kPick.Pick(rng_));
  out->emplace_back();
  Draft* d = &out->back();
  d->Reset();
  d->time = time;
  const User& u = PickUser(true);
  const bool root = kind == kRootSuccess || kind == kRootFailure;
  const bool success = kind == kMfa || kind == kNoMfa || kind == kRootSuccess || kind == kFederated;
  bool mfa = kind == kMfa || (kind == kRootSuccess && rng_.Chance(0.7)) || (kind == kFailed && rng_.Chance(0.5));
  if (kind == kFederated) mfa = false;

  // The Region CloudTrail records it in.
  int region = 0;
  bool global_endpoint = true;
  if (!root) {
    const uint32_t r = rng_.Below(4);
    if (r == 2) {
      region = kAliasCookieRegions[rng_.Below(3)];
    } else if (r == 3) {
      region = static_cast<int>(rng_.Below(kRegionCount));
      global_endpoint = false;
    }
  }
  d->region = kRegions[region];
  d->source = "signin.amazonaws.com";
  d->name = "ConsoleLogin";
  d->event_type = "AwsConsoleSignIn";
  d->read_only = 0;

  std::string& s = d->identity;
  if (root) {
    s = R"({"type":"Root","principalId":")" + account_ + R"(","arn":"arn:aws:iam::)" + account_ +
        R"(:root","accountId":")" + account_ + R"(","accessKeyId":""})";
    d->identity_type = "Root";
  } else if (kind == kUnknown) {
    s = R"({"type":"IAMUser","accountId":")" + account_ + R"(","accessKeyId":"","userName":"HIDDEN_DUE_TO_SECURITY_REASONS"})";
    d->identity_type = "IAMUser";
    d->user_name = "HIDDEN_DUE_TO_SECURITY_REASONS";
  } else if (kind == kFederated) {
    static constexpr const char* kPermissionSets[] = {"AdministratorAccess_4f2b8c1d9e7a6b53",
                                                      "ReadOnlyAccess_0c9d8e7f6a5b4c3d",
                                                      "PowerUserAccess_7e6d5c4b3a291807"};
    const std::string role = std::string("AWSReservedSSO_") + kPermissionSets[rng_.Below(3)];
    std::string session = u.name + "@example.com";
    s = R"({"type":"AssumedRole","principalId":"AROA)";
    uint64_t role_hash = 0xcbf29ce484222325ull;  // FNV-1a: the same role id on every platform
    for (char c : role) role_hash = (role_hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    Rng stable(role_hash, 9);
    std::string role_id;
    AppendRandom(&role_id, stable, kBase32, 32, 17);
    s += role_id + ":" + session + R"(","arn":"arn:aws:sts::)" + account_ + ":assumed-role/" + role + "/" + session +
         R"(","accountId":")" + account_ +
         R"(","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROA)" + role_id +
         R"(","arn":"arn:aws:iam::)" + account_ + ":role/aws-reserved/sso.amazonaws.com/" + role +
         R"(","accountId":")" + account_ + R"(","userName":")" + role +
         R"("},"webIdFederationData":{},"attributes":{"creationDate":")";
    d->identity_type = "AssumedRole";
    // creationDate is the sign-in time itself; filled in below once the time is known.
    s += '\x06';
    s += R"(Z","mfaAuthenticated":"false"}}})";
  } else {
    // Known IAM user: success has the ARN and no access key; failures have no ARN (AWS user guide examples).
    s = R"({"type":"IAMUser","principalId":")" + u.principal_id + '"';
    if (success) s += R"(,"arn":"arn:aws:iam::)" + account_ + ":user/" + u.name + '"';
    s += R"(,"accountId":")" + account_ + '"';
    if (!success) s += R"(,"accessKeyId":"")";
    s += R"(,"userName":")" + u.name + R"("})";
    d->identity_type = "IAMUser";
    d->user_name = u.name;
  }
  // Known users sign in from their own addresses; unknown names and a third of failures come from elsewhere.
  d->source_ip = (kind == kUnknown || (!success && rng_.Below(3) == 0)) ? PublicIp(rng_, false) : u.ip[0];
  AppendEscaped(&d->user_agent, kBrowsers[rng_.Below(5)]);
  if (!success) {
    d->has_error_message = true;
    d->error_message = kind == kUnknown ? "No username found in supplied account" : "Failed authentication";
  }
  d->console_login = success ? "Success" : "Failure";
  d->response = std::string(R"({"ConsoleLogin":")") + d->console_login + R"("})";
  d->has_additional = true;
  std::string& a = d->additional;
  a = "{";
  if (kind != kFederated) {
    a += R"("LoginTo":"https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_)";
    a += d->region;
    a += "_";
    AppendRandom(&a, rng_, kHexLower, 16, 16);
    a += R"(",)";
  }
  a += R"("MobileVersion":"No",)";
  if (mfa && success) {
    a += R"("MFAIdentifier":"arn:aws:iam::)" + account_ + (root ? ":mfa/root-account-mfa-device" : ":mfa/" + u.name) +
         R"(",)";
  }
  d->mfa_used = mfa ? "Yes" : "No";
  d->has_mfa_used = true;
  a += R"("MFAUsed":")" + d->mfa_used + R"("})";
  d->tls = 2;
  d->host = global_endpoint && region == 0 && rng_.Chance(0.5) ? "signin.aws.amazon.com"
                                                               : std::string(d->region) + ".signin.aws.amazon.com";

  // An MFA sign-in of an IAM user is often preceded by its CheckMfa event (same user, 5-20 s earlier).
  if (kind == kMfa && rng_.Chance(0.6)) {
    Draft check = *d;
    check.name = "CheckMfa";
    check.identity = R"({"type":"IAMUser","principalId":")" + u.principal_id + R"(","accountId":")" + account_ +
                     R"(","accessKeyId":"","userName":")" + u.name + R"("})";
    check.console_login.clear();
    check.has_mfa_used = false;
    check.mfa_used.clear();
    check.response = R"({"CheckMfa":"Success"})";
    check.additional = rng_.Chance(0.8) ? R"({"MfaType":"Virtual MFA"})" : R"({"MfaType":"U2F MFA"})";
    check.time = std::max(o_.start, time - rng_.Between(5, 20));
    out->insert(out->end() - 1, std::move(check));
  }
}

void Generator::Injected(std::vector<Draft>* out, int64_t time) {
  const uint32_t r = rng_.Below(100);
  if (r < 45) {
    SignIn(out, time);
    return;
  }
  out->emplace_back();
  Draft* d = &out->back();
  d->Reset();
  d->time = time;
  if (r < 53) RootUsage(d); else CisChange(d);
}

void Generator::Serialize(const Draft& d, std::string* out) {
  std::string& s = *out;
  s.clear();
  s += R"({"eventVersion":")";
  s += d.event_version;
  s += R"(","userIdentity":)";
  // The only marker left in an identity is the federated sign-in's creationDate.
  for (char c : d.identity) {
    if (c == kMarkTime) s.append(time_text_, 19); else s.push_back(c);
  }
  s += R"(,"eventTime":")";
  s.append(time_text_, 19);
  s += R"(Z","eventSource":")";
  s += d.source;
  s += R"(","eventName":")";
  s += d.name;
  s += R"(","awsRegion":")";
  s += d.region;
  s += R"(","sourceIPAddress":")";
  s += d.source_ip;
  s += '"';
  if (d.has_user_agent) {
    AppendStringMember(s, "userAgent", d.user_agent);
  }
  if (d.has_error_code) {
    AppendStringMember(s, "errorCode", d.error_code);
  }
  if (d.has_error_message) {
    AppendStringMember(s, "errorMessage", d.error_message);
  }
  AppendJsonMember(s, "requestParameters", d.request);
  AppendJsonMember(s, "responseElements", d.response);
  if (d.has_additional) {
    AppendJsonMember(s, "additionalEventData", d.additional);
  }
  if (d.has_request_id) {
    AppendStringMember(s, "requestID", d.request_id);
  }
  s += R"(,"eventID":")";
  AppendUuid(&s, rng_, kHexLower);
  s += '"';
  if (d.read_only != 2) s += d.read_only ? R"(,"readOnly":true)" : R"(,"readOnly":false)";
  if (d.has_resources) {
    AppendJsonMember(s, "resources", d.resources);
  }
  AppendStringMember(s, "eventType", d.event_type);
  if (d.api_version != nullptr) {
    AppendStringMember(s, "apiVersion", d.api_version);
  }
  s += R"(,"managementEvent":true,"recipientAccountId":")";
  s += account_;
  s += '"';
  if (d.has_shared_event_id) {
    AppendStringMember(s, "sharedEventID", d.shared_event_id);
  }
  if (d.has_service_details) {
    AppendJsonMember(s, "serviceEventDetails", d.service_details);
  }
  if (d.has_vpc_endpoint) {
    AppendStringMember(s, "vpcEndpointId", d.vpc_endpoint);
  }
  s += R"(,"eventCategory":"Management")";
  if (d.tls != 0) {
    static constexpr const char* kTls[] = {
        "", R"(,"tlsDetails":{"tlsVersion":"TLSv1.2","cipherSuite":"ECDHE-RSA-AES128-GCM-SHA256","clientProvidedHostHeader":")",
        R"(,"tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":")",
        R"(,"tlsDetails":{"tlsVersion":"TLSv1.2","cipherSuite":"ECDHE-RSA-AES128-SHA","clientProvidedHostHeader":")"};
    s += kTls[d.tls <= 3 ? d.tls : 1];
    s += d.host;
    s += R"("})";
  }
  if (d.console) s += R"(,"sessionCredentialFromConsole":"true")";
  s += '}';
}

void Generator::Facts(const Draft& d, RecordFacts* f) {
  f->event_name = d.name;
  f->event_source = d.source;
  f->event_type = d.event_type;
  f->identity_type = d.identity_type;
  f->has_invoked_by = d.has_invoked_by;
  f->user_name = d.user_name;
  f->has_error_code = d.has_error_code;
  f->error_code = d.error_code;
  f->has_error_message = d.has_error_message;
  f->error_message = d.error_message;
  f->console_login = d.console_login;
  f->has_mfa_used = d.has_mfa_used;
  f->mfa_used = d.mfa_used;
  f->source_ip = d.source_ip;
  f->read_only = d.read_only == 2 ? -1 : d.read_only;
}

bool Generator::WriteAll(std::FILE* f, const std::string& data, const char* what) {
  if (data.empty()) return true;
  if (std::fwrite(data.data(), 1, data.size(), f) != data.size()) {
    error_ = std::string("cannot write ") + what + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

bool Generator::FlushWindow() {
  if (window_ < 0) return true;
  const int64_t window_end = o_.start + (window_ + 1) * o_.delivery_minutes * 60;
  for (int r = 0; r < kRegionCount; ++r) {
    std::string& body = window_files_[r];
    if (body.empty()) continue;
    // Delivered 3-594 s after the window closes (as the real file names show), named by the delivery time.
    const int64_t delivered = window_end + delivery_rng_.Between(3, 594);
    char stamp[20];
    Format19(delivered, stamp);
    const std::string date(stamp, 10);
    std::string name = account_ + "_CloudTrail_" + kRegions[r] + "_" + date.substr(0, 4) + date.substr(5, 2) +
                       date.substr(8, 2) + "T" + std::string(stamp + 11, 2) + std::string(stamp + 14, 2) + "Z_";
    static constexpr char kAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    AppendRandom(&name, names_rng_, kAlnum, 62, 16);
    name += ".json.gz";
    const fs::path dir = fs::path(o_.out_dir) / "AWSLogs" / account_ / "CloudTrail" / kRegions[r] /
                         date.substr(0, 4) / date.substr(5, 2) / date.substr(8, 2);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
      error_ = "cannot create " + dir.string() + ": " + ec.message();
      return false;
    }
    std::string content;
    content.reserve(body.size() + 16);
    content += R"({"Records":[)";
    content += body;
    content += "]}";
    compressed_.resize(libdeflate_gzip_compress_bound(compressor_, content.size()));
    const size_t n = libdeflate_gzip_compress(compressor_, content.data(), content.size(), compressed_.data(),
                                              compressed_.size());
    if (n == 0) {
      error_ = "gzip compression failed";
      return false;
    }
    compressed_.resize(n);
    const fs::path file = dir / name;
    std::FILE* f = std::fopen(file.c_str(), "wb");
    if (f == nullptr) {
      error_ = "cannot write " + file.string() + ": " + std::strerror(errno);
      return false;
    }
    const bool ok = std::fwrite(compressed_.data(), 1, n, f) == n;
    if (std::fclose(f) != 0 || !ok) {
      error_ = "cannot write " + file.string();
      return false;
    }
    ++summary_->s3_files;
    summary_->s3_bytes += n;
    body.clear();
    window_counts_[r] = 0;
  }
  return true;
}

// Serializes one record (its time already chosen), writes it to every output, counts it; `base_time` (the
// record's slot in the timeline, before jitter) decides its S3 delivery window.
bool Generator::Emit(Draft& d, int64_t base_time) {
  Format19(d.time, time_text_);
  Serialize(d, &line_);
  RecordFacts facts;
  Facts(d, &facts);
  summary_->expected.Add(facts);
  if (summary_->expected.records == 1) summary_->first_time = d.time;
  summary_->first_time = std::min(summary_->first_time, d.time);
  summary_->last_time = std::max(summary_->last_time, d.time);
  summary_->ndjson_bytes += line_.size() + 1;
  if (ndjson_ != nullptr) {
    ndjson_buf_ += line_;
    ndjson_buf_ += '\n';
    if (ndjson_buf_.size() >= (4 << 20)) {
      if (!WriteAll(ndjson_, ndjson_buf_, "records.ndjson")) return false;
      ndjson_buf_.clear();
    }
  }
  if (eventbridge_ != nullptr) {
    if (!engine::WrapCloudTrailRecord(line_, &wrapped_, &wrap_error_)) {
      error_ = "internal error: a generated record does not wrap: " + wrap_error_;
      return false;
    }
    eventbridge_buf_ += wrapped_;
    eventbridge_buf_ += '\n';
    summary_->eventbridge_bytes += wrapped_.size() + 1;
    if (eventbridge_buf_.size() >= (4 << 20)) {
      if (!WriteAll(eventbridge_, eventbridge_buf_, "eventbridge.ndjson")) return false;
      eventbridge_buf_.clear();
    }
  }
  if (o_.write_s3) {
    const int64_t window = std::max<int64_t>(0, (base_time - o_.start) / (o_.delivery_minutes * 60));
    if (window != window_) {
      if (!FlushWindow()) return false;
      window_ = window;
    }
    int r = 0;
    while (r < kRegionCount && d.region != kRegions[r]) ++r;
    if (r == kRegionCount) r = 0;
    if (!window_files_[r].empty()) window_files_[r] += ',';
    window_files_[r] += line_;
    ++window_counts_[r];
  }
  return true;
}

uint64_t Generator::EstimateRecords() {
  if (o_.records > 0) return o_.records;
  // Measure the mean record size on a sample drawn from a separate stream, so the estimate does not
  // consume the records' random numbers.
  Rng saved = rng_;
  rng_ = Rng(o_.seed, 7);
  Draft d;
  uint64_t bytes = 0;
  constexpr int kSample = 4000;
  Format19(o_.start, time_text_);
  for (int i = 0; i < kSample; ++i) {
    d.Reset();
    d.time = o_.start;
    Background(&d);
    Serialize(d, &line_);
    bytes += line_.size() + 1;
  }
  rng_ = saved;
  const double mean = static_cast<double>(bytes) / kSample;
  return std::max<uint64_t>(1, static_cast<uint64_t>(static_cast<double>(o_.target_bytes) / mean));
}

// Output files are only replaced in a directory this generator wrote (its expected.json says so), so that an
// --out-dir pointing at real exports never loses them.
bool CheckOutDir(const fs::path& out, std::string* error) {
  std::error_code ec;
  bool ours = false;
  if (std::FILE* f = std::fopen((out / "expected.json").c_str(), "rb")) {
    char head[256] = {};
    const size_t n = std::fread(head, 1, sizeof head - 1, f);
    std::fclose(f);
    ours = std::string_view(head, n).find(R"("generator": "trailwatch generate-corpus")") != std::string_view::npos;
  }
  if (ours) return true;
  for (const char* name : {"AWSLogs", "records.ndjson", "eventbridge.ndjson", "expected.json", "rules16.json"}) {
    if (fs::exists(out / name, ec)) {
      *error = (out / name).string() + " exists and was not written by generate-corpus: choose another --out-dir";
      return false;
    }
  }
  return true;
}

bool Generator::Run(CorpusSummary* summary, std::string* error) {
  summary_ = summary;
  *summary = CorpusSummary{};
  Setup();
  std::error_code ec;
  fs::create_directories(o_.out_dir, ec);
  if (ec) {
    *error = "cannot create " + o_.out_dir + ": " + ec.message();
    return false;
  }
  const fs::path out(o_.out_dir);
  if (!CheckOutDir(out, error)) return false;
  struct Closer {
    void operator()(std::FILE* f) const { if (f != nullptr) std::fclose(f); }
  };
  std::unique_ptr<std::FILE, Closer> ndjson, eventbridge;
  if (o_.write_ndjson) {
    ndjson.reset(std::fopen((out / "records.ndjson").c_str(), "wb"));
    if (!ndjson) {
      *error = "cannot write " + (out / "records.ndjson").string() + ": " + std::strerror(errno);
      return false;
    }
    ndjson_ = ndjson.get();
  }
  if (o_.write_eventbridge) {
    eventbridge.reset(std::fopen((out / "eventbridge.ndjson").c_str(), "wb"));
    if (!eventbridge) {
      *error = "cannot write " + (out / "eventbridge.ndjson").string() + ": " + std::strerror(errno);
      return false;
    }
    eventbridge_ = eventbridge.get();
  }
  struct CompressorFree {
    void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
  };
  std::unique_ptr<libdeflate_compressor, CompressorFree> compressor;
  if (o_.write_s3) {
    fs::remove_all(out / "AWSLogs", ec);  // a stale layout would mix with this one
    compressor.reset(libdeflate_alloc_compressor(o_.gzip_level));
    if (!compressor) {
      *error = "cannot set up gzip level " + std::to_string(o_.gzip_level);
      return false;
    }
    compressor_ = compressor.get();
    window_files_.assign(kRegionCount, std::string());
    window_counts_.assign(kRegionCount, 0);
  }

  const uint64_t estimate = EstimateRecords();
  const uint64_t limit = o_.records > 0 ? o_.records : UINT64_MAX;
  const double step = static_cast<double>(o_.duration) / static_cast<double>(estimate);
  std::vector<Draft> pending;
  Draft background;
  uint64_t i = 0;
  const auto done = [&] {
    return i >= limit || (o_.records == 0 && summary->ndjson_bytes >= o_.target_bytes);
  };
  while (!done()) {
    const int64_t base = o_.start + static_cast<int64_t>(static_cast<double>(i) * step);
    if (rng_.Chance(o_.match_rate)) {
      const int64_t t = std::max(o_.start, base + rng_.Between(-20, 20));
      Format19(t, time_text_);
      pending.clear();
      Injected(&pending, t);
      for (Draft& d : pending) {
        if (done()) break;
        if (pending.size() > 1 && &d == &pending.front() && i + 1 >= limit) continue;  // no CheckMfa without its sign-in
        if (!Emit(d, o_.start + static_cast<int64_t>(static_cast<double>(i) * step))) {
          *error = error_;
          return false;
        }
        ++i;
      }
      continue;
    }
    background.Reset();
    background.time = std::max(o_.start, base + rng_.Between(-20, 20));
    Format19(background.time, time_text_);
    Background(&background);
    if (!Emit(background, base)) {
      *error = error_;
      return false;
    }
    ++i;
  }
  if (o_.write_s3 && !FlushWindow()) {
    *error = error_;
    return false;
  }
  if ((ndjson_ != nullptr && !WriteAll(ndjson_, ndjson_buf_, "records.ndjson")) ||
      (eventbridge_ != nullptr && !WriteAll(eventbridge_, eventbridge_buf_, "eventbridge.ndjson"))) {
    *error = error_;
    return false;
  }
  if ((ndjson && std::fflush(ndjson.get()) != 0) || (eventbridge && std::fflush(eventbridge.get()) != 0)) {
    *error = std::string("cannot write output: ") + std::strerror(errno);
    return false;
  }
  return true;
}

}  // namespace

bool GenerateCorpus(const CorpusOptions& options, CorpusSummary* summary, std::string* error) {
  if (options.out_dir.empty()) {
    *error = "no output directory";
    return false;
  }
  if (options.records == 0 && options.target_bytes == 0) {
    *error = "give a size or a number of records";
    return false;
  }
  if (options.account.size() != 12 ||
      !std::all_of(options.account.begin(), options.account.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    *error = "the account must be 12 digits";
    return false;
  }
  if (options.duration <= 0 || options.delivery_minutes <= 0) {
    *error = "the duration and the delivery window must be positive";
    return false;
  }
  if (!(options.match_rate >= 0 && options.match_rate <= 1)) {
    *error = "the match rate must be between 0 and 1";
    return false;
  }
  if (options.gzip_level < 1 || options.gzip_level > 12) {
    *error = "the gzip level must be between 1 and 12";
    return false;
  }
  Generator g(options);
  return g.Run(summary, error);
}

std::string ExpectedJson(const CorpusOptions& o, const CorpusSummary& s) {
  std::string j = "{\n";
  char buf[256];
  const auto field = [&](const char* key, const std::string& value, bool quote) {
    j += "  \"";
    j += key;
    j += "\": ";
    if (quote) AppendQuoted(&j, value); else j += value;
    j += ",\n";
  };
  field("generator", "trailwatch generate-corpus", true);
  field("seed", std::to_string(o.seed), false);
  field("account", o.account, true);
  field("start", FormatTime(o.start), true);
  field("duration_seconds", std::to_string(o.duration), false);
  std::snprintf(buf, sizeof buf, "%.6g", o.match_rate);
  field("match_rate", buf, false);
  field("first_event_time", FormatTime(s.first_time), true);
  field("last_event_time", FormatTime(s.last_time), true);
  field("records", std::to_string(s.expected.records), false);
  field("ndjson_bytes", std::to_string(s.ndjson_bytes), false);
  if (o.write_eventbridge) field("eventbridge_bytes", std::to_string(s.eventbridge_bytes), false);
  if (o.write_s3) {
    field("s3_files", std::to_string(s.s3_files), false);
    field("s3_bytes", std::to_string(s.s3_bytes), false);
  }
  std::snprintf(buf, sizeof buf,
                "{\"success\": %llu, \"failure\": %llu, \"unknown_user\": %llu, \"root\": %llu, \"check_mfa\": %llu}",
                static_cast<unsigned long long>(s.expected.console_success),
                static_cast<unsigned long long>(s.expected.console_failure),
                static_cast<unsigned long long>(s.expected.console_unknown_user),
                static_cast<unsigned long long>(s.expected.console_root),
                static_cast<unsigned long long>(s.expected.check_mfa));
  field("sign_ins", buf, false);
  j += "  \"filters\": {\n";
  for (int i = 0; i < kFilterCount; ++i) {
    std::snprintf(buf, sizeof buf, "    \"%s\": {\"records\": %llu, \"eventbridge\": %llu}%s\n", FilterId(i),
                  static_cast<unsigned long long>(s.expected.filter_records[i]),
                  static_cast<unsigned long long>(s.expected.filter_wrapped[i]), i + 1 < kFilterCount ? "," : "");
    j += buf;
  }
  j += "  },\n  \"rules\": {\n";
  for (int i = 0; i < kRuleCount; ++i) {
    std::snprintf(buf, sizeof buf, "    \"%s\": %llu%s\n", RuleId(i),
                  static_cast<unsigned long long>(s.expected.rules[i]), i + 1 < kRuleCount ? "," : "");
    j += buf;
  }
  j += "  }\n}\n";
  return j;
}

bool ParseSize(const std::string& text, uint64_t* bytes) {
  size_t pos = 0;
  while (pos < text.size() && (std::isdigit(static_cast<unsigned char>(text[pos])) || text[pos] == '.')) ++pos;
  if (pos == 0) return false;
  double value;
  try {
    value = std::stod(text.substr(0, pos));
  } catch (...) {
    return false;
  }
  std::string unit = text.substr(pos);
  for (char& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  double scale;
  if (unit.empty() || unit == "B") scale = 1;
  else if (unit == "K" || unit == "KB" || unit == "KIB") scale = 1024.0;
  else if (unit == "M" || unit == "MB" || unit == "MIB") scale = 1024.0 * 1024;
  else if (unit == "G" || unit == "GB" || unit == "GIB") scale = 1024.0 * 1024 * 1024;
  else return false;
  const double b = value * scale;
  if (!(b >= 1) || b > 1e15) return false;
  *bytes = static_cast<uint64_t>(b);
  return true;
}

bool ParseDuration(const std::string& text, int64_t* seconds) {
  size_t pos = 0;
  while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
  if (pos == 0 || pos > 9) return false;
  const int64_t n = std::stoll(text.substr(0, pos));
  const std::string unit = text.substr(pos);
  int64_t scale;
  if (unit.empty() || unit == "s") scale = 1;
  else if (unit == "m" || unit == "min") scale = 60;
  else if (unit == "h") scale = 3600;
  else if (unit == "d") scale = 86400;
  else return false;
  if (n <= 0) return false;
  *seconds = n * scale;
  return true;
}

bool ParseTime(const std::string& text, int64_t* unix_seconds) {
  int y, mo, d, h = 0, mi = 0, s = 0;
  char tail = 0;
  const int n = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &tail);
  if (n == 3) {
    if (text.size() != 10) return false;
  } else if (n != 7 || tail != 'Z' || text.size() != 20) {
    return false;
  }
  if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59 || h < 0 ||
      mi < 0 || s < 0) {
    return false;
  }
  *unix_seconds = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + s;
  return true;
}

std::string FormatTime(int64_t unix_seconds) {
  char buf[20];
  Format19(unix_seconds, buf);
  return std::string(buf, 19) + "Z";
}

}  // namespace trailwatch::corpus
