// cloudtrail.h: a CloudTrail record as EventBridge delivers it, and which rules get to see it.
//
// Contract:
// - ReadCloudTrailFacts() pulls from a record the fields EventBridge's envelope and delivery depend on.
// - WrapCloudTrailRecord() builds the EventBridge event for a record, field order as AWS prints it:
//   {"version":"0","id":<UUID v5 of "trailwatch:cloudtrail:<eventID>" in the URL namespace, so replays are
//   reproducible>,"detail-type":<from eventType: "AWS API Call via CloudTrail", "AWS Console Sign In via
//   CloudTrail", "AWS Console Action via CloudTrail", "AWS Service Event via CloudTrail", "AWS Insight via
//   CloudTrail">,"source":"aws.<eventSource's first label>","account":<recipientAccountId, else
//   userIdentity.accountId>,"time":<eventTime>,"region":<awsRegion>,"resources":[],"detail":<the record,
//   byte for byte>}.
// - DeliveredToRule(): rule-state semantics (EventBridge user guide, "read-only management events"): a
//   DISABLED rule sees nothing; an ENABLED rule sees every CloudTrail event except read-only management events
//   whose name starts with Get, List or Describe (STS GetFederationToken and GetSessionToken are delivered; a
//   read-only call named otherwise is delivered); ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS sees all.
//   Apply it before pattern matching. A record without `readOnly` counts as read-only when its name says so.
// Errors are values (false + message); nothing throws.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace trailwatch::engine {

struct CloudTrailFacts {
  std::string event_id;
  std::string event_name;
  std::string event_source;
  std::string event_type;
  std::string event_category;
  std::string event_time;
  std::string aws_region;
  std::string account;      // recipientAccountId, else userIdentity.accountId
  int read_only = -1;       // -1 unknown, 0 false, 1 true
  int management = -1;      // managementEvent: -1 unknown
};

enum class RuleState { kDisabled, kEnabled, kEnabledWithAllCloudTrailManagementEvents };

bool ParseRuleState(std::string_view text, RuleState* out);
const char* RuleStateName(RuleState s);

// False when the record is not a JSON object.
bool ReadCloudTrailFacts(std::string_view record_json, CloudTrailFacts* out, std::string* error);

std::string DetailTypeFor(const CloudTrailFacts& f);
std::string SourceFor(const CloudTrailFacts& f);
// RFC 4122 version-5 UUID (SHA-1, URL namespace) of `name`.
std::string NameBasedUuid(std::string_view name);

bool WrapCloudTrailRecord(std::string_view record_json, std::string* event_json, std::string* error);

// ReadCloudTrailFacts() and WrapCloudTrailRecord() for a stream of records: one parser and reused buffers,
// so that once warm a record costs one parse and no allocation (unless it is larger than any before). Read()
// then Wrap() of the same record parses it once. One reader per thread.
class CloudTrailReader {
 public:
  CloudTrailReader();
  ~CloudTrailReader();
  CloudTrailReader(const CloudTrailReader&) = delete;
  CloudTrailReader& operator=(const CloudTrailReader&) = delete;

  bool Read(std::string_view record_json, CloudTrailFacts* out, std::string* error);
  // The EventBridge event of a record whose facts Read() returned (exactly WrapCloudTrailRecord()'s).
  void Wrap(std::string_view record_json, const CloudTrailFacts& facts, std::string* event_json);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

bool IsFilteredReadOnlyEvent(const CloudTrailFacts& f);
bool DeliveredToRule(const CloudTrailFacts& f, RuleState state);

}  // namespace trailwatch::engine
