// expected.cc: the benchmark filters' and rules' predicates over the generator's choices (see expected.h).
#include "tools/corpus/expected.h"

#include <span>

namespace trailwatch::corpus {

namespace {

using Names = std::span<const std::string_view>;

// The eventName lists of the CIS controls (Security Hub CloudWatch.4, .5, .7-.14).
constexpr std::string_view kIamPolicyChanges[] = {
    "DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy", "PutRolePolicy", "PutUserPolicy",
    "CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion", "AttachRolePolicy",
    "DetachRolePolicy", "AttachUserPolicy", "DetachUserPolicy", "AttachGroupPolicy", "DetachGroupPolicy"};
constexpr std::string_view kTrailChanges[] = {"CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"};
constexpr std::string_view kKeyChanges[] = {"DisableKey", "ScheduleKeyDeletion"};
constexpr std::string_view kBucketPolicyChanges[] = {"PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle",
                                        "PutBucketReplication", "DeleteBucketPolicy", "DeleteBucketCors",
                                        "DeleteBucketLifecycle", "DeleteBucketReplication"};
constexpr std::string_view kConfigChanges[] = {"StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel",
                                  "PutConfigurationRecorder"};
constexpr std::string_view kSecurityGroupChanges[] = {"AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
                                         "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress",
                                         "CreateSecurityGroup", "DeleteSecurityGroup"};
constexpr std::string_view kNaclChanges[] = {"CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl",
                                "DeleteNetworkAclEntry", "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation"};
constexpr std::string_view kGatewayChanges[] = {"CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway",
                                   "CreateInternetGateway", "DeleteInternetGateway", "DetachInternetGateway"};
constexpr std::string_view kRouteTableChanges[] = {"CreateRoute", "CreateRouteTable", "ReplaceRoute",
                                      "ReplaceRouteTableAssociation", "DeleteRouteTable", "DeleteRoute",
                                      "DisassociateRouteTable"};
constexpr std::string_view kVpcChanges[] = {"CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection",
                               "CreateVpcPeeringConnection", "DeleteVpcPeeringConnection",
                               "RejectVpcPeeringConnection", "AttachClassicLinkVpc", "DetachClassicLinkVpc",
                               "DisableVpcClassicLink", "EnableVpcClassicLink"};

bool In(std::string_view name, Names names) {
  for (std::string_view n : names) {
    if (n == name) return true;
  }
  return false;
}

bool IsConsoleLogin(const RecordFacts& f) { return f.event_name == "ConsoleLogin"; }
bool ConsoleSuccess(const RecordFacts& f) { return IsConsoleLogin(f) && f.console_login == "Success"; }
bool ConsoleFailedAuthentication(const RecordFacts& f) {
  return IsConsoleLogin(f) && f.has_error_message && f.error_message == "Failed authentication";
}

constexpr const char* kFilterIds[kFilterCount] = {
    "CloudWatch.1", "CloudWatch.2",  "CloudWatch.3",  "CloudWatch.4",  "CloudWatch.5",       "CloudWatch.6",
    "CloudWatch.7", "CloudWatch.8",  "CloudWatch.9",  "CloudWatch.10", "CloudWatch.11",      "CloudWatch.12",
    "CloudWatch.13", "CloudWatch.14", "ConsoleLoginSuccess", "ConsoleLoginFailure"};

constexpr const char* kRuleIds[kRuleCount] = {
    "story-forward-console-login", "root-activity",        "unauthorized-api-calls", "console-login-without-mfa",
    "iam-policy-changes",          "cloudtrail-changes",   "console-sign-in-failures", "kms-key-disable-or-deletion",
    "s3-bucket-policy-changes",    "config-changes",       "security-group-changes", "nacl-changes",
    "network-gateway-changes",     "route-table-changes",  "vpc-changes",            "role-errors-outside-vpc"};

std::string NameList(Names names) {
  std::string out = "[";
  for (std::string_view n : names) {
    if (out.size() > 1) out += ',';
    out += '"';
    out += n;
    out += '"';
  }
  return out + "]";
}

std::string RulePattern(int i) {
  const auto by_source = [](const char* source, Names names) {
    return std::string(R"({"source":[")") + source + R"("],"detail":{"eventName":)" + NameList(names) + "}}";
  };
  switch (i) {
    case 0: return R"({"source":["aws.signin"],"detail-type":["AWS Console Sign In via CloudTrail"]})";
    case 1:
      return R"({"detail":{"userIdentity":{"type":["Root"],"invokedBy":[{"exists":false}]},)"
             R"("eventType":[{"anything-but":"AwsServiceEvent"}]}})";
    case 2: return R"({"detail":{"errorCode":[{"suffix":"UnauthorizedOperation"},{"prefix":"AccessDenied"}]}})";
    case 3:
      return R"({"source":["aws.signin"],"detail":{"eventName":["ConsoleLogin"],"userIdentity":{"type":["IAMUser"]},)"
             R"("responseElements":{"ConsoleLogin":["Success"]},"additionalEventData":{"MFAUsed":[{"anything-but":"Yes"}]}}})";
    case 4: return by_source("aws.iam", kIamPolicyChanges);
    case 5:
      return R"({"source":["aws.cloudtrail"],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventName":)" +
             NameList(kTrailChanges) + "}}";
    case 6:
      return R"({"source":["aws.signin"],"$or":[{"detail":{"errorMessage":["Failed authentication"]}},)"
             R"({"detail":{"userIdentity":{"userName":["HIDDEN_DUE_TO_SECURITY_REASONS"]}}}]})";
    case 7: return by_source("aws.kms", kKeyChanges);
    case 8: return by_source("aws.s3", kBucketPolicyChanges);
    case 9: return by_source("aws.config", kConfigChanges);
    case 10:
      return R"({"source":["aws.ec2"],"detail":{"eventName":[{"prefix":"AuthorizeSecurityGroup"},)"
             R"({"prefix":"RevokeSecurityGroup"},"CreateSecurityGroup","DeleteSecurityGroup"]}})";
    case 11: return R"({"source":["aws.ec2"],"detail":{"eventName":[{"wildcard":"*NetworkAcl*"}],"readOnly":[false]}})";
    case 12: return by_source("aws.ec2", kGatewayChanges);
    case 13: return by_source("aws.ec2", kRouteTableChanges);
    case 14: return by_source("aws.ec2", kVpcChanges);
    default:
      return R"({"detail-type":["AWS API Call via CloudTrail"],"detail":{"userIdentity":{"type":["AssumedRole"]},)"
             R"("errorCode":[{"exists":true}],"sourceIPAddress":[{"anything-but":{"prefix":"10."}}]}})";
  }
}

}  // namespace

const char* FilterId(int i) { return kFilterIds[i]; }
const char* RuleId(int i) { return kRuleIds[i]; }

std::string RulesJson() {
  std::string out = "[\n";
  for (int i = 0; i < kRuleCount; ++i) {
    out += R"(  {"id": ")";
    out += kRuleIds[i];
    out += R"(", "pattern": )";
    out += RulePattern(i);
    out += i + 1 < kRuleCount ? "},\n" : "}\n";
  }
  return out + "]\n";
}

std::string_view DetailTypeOf(std::string_view event_type) {
  if (event_type == "AwsConsoleSignIn") return "AWS Console Sign In via CloudTrail";
  if (event_type == "AwsConsoleAction") return "AWS Console Action via CloudTrail";
  if (event_type == "AwsServiceEvent") return "AWS Service Event via CloudTrail";
  if (event_type == "AwsCloudTrailInsight") return "AWS Insight via CloudTrail";
  return "AWS API Call via CloudTrail";
}

std::string_view SourceLabelOf(std::string_view event_source) {
  return event_source.substr(0, event_source.find('.'));
}

bool FilterMatchesRecord(int filter, const RecordFacts& f) {
  const std::string_view n = f.event_name;
  switch (filter) {
    case 0:  // root usage: type Root, not invoked by a service, not a service event
      return f.identity_type == "Root" && !f.has_invoked_by && f.event_type != "AwsServiceEvent";
    case 1:  // unauthorized API calls
      return f.has_error_code &&
             (f.error_code.ends_with("UnauthorizedOperation") || f.error_code.starts_with("AccessDenied"));
    case 2:  // console sign-in without MFA (IAM users; MFAUsed present and not "Yes")
      return IsConsoleLogin(f) && f.has_mfa_used && f.mfa_used != "Yes" && f.identity_type == "IAMUser" &&
             f.console_login == "Success";
    case 3: return In(n, kIamPolicyChanges);
    case 4: return In(n, kTrailChanges);
    case 5: return ConsoleFailedAuthentication(f);
    case 6: return f.event_source == "kms.amazonaws.com" && In(n, kKeyChanges);
    case 7: return f.event_source == "s3.amazonaws.com" && In(n, kBucketPolicyChanges);
    case 8: return f.event_source == "config.amazonaws.com" && In(n, kConfigChanges);
    case 9: return In(n, kSecurityGroupChanges);
    case 10: return In(n, kNaclChanges);
    case 11: return In(n, kGatewayChanges);
    case 12: return In(n, kRouteTableChanges);
    case 13: return In(n, kVpcChanges);
    case 14: return ConsoleSuccess(f);
    case 15: return ConsoleFailedAuthentication(f);
    default: return false;
  }
}

bool FilterMatchesWrapped(int filter, const RecordFacts& f) {
  // Only the $.detail halves of the story's filters reach into an EventBridge event.
  if (filter == 14) return ConsoleSuccess(f);
  if (filter == 15) return ConsoleFailedAuthentication(f);
  return false;
}

bool RuleMatches(int rule, const RecordFacts& f) {
  const std::string_view source = SourceLabelOf(f.event_source);
  const std::string_view detail_type = DetailTypeOf(f.event_type);
  const std::string_view n = f.event_name;
  switch (rule) {
    case 0: return source == "signin" && detail_type == "AWS Console Sign In via CloudTrail";
    case 1: return f.identity_type == "Root" && !f.has_invoked_by && f.event_type != "AwsServiceEvent";
    case 2:
      return f.has_error_code &&
             (f.error_code.ends_with("UnauthorizedOperation") || f.error_code.starts_with("AccessDenied"));
    case 3:
      return source == "signin" && IsConsoleLogin(f) && f.identity_type == "IAMUser" &&
             f.console_login == "Success" && f.has_mfa_used && f.mfa_used != "Yes";
    case 4: return source == "iam" && In(n, kIamPolicyChanges);
    case 5: return source == "cloudtrail" && detail_type == "AWS API Call via CloudTrail" && In(n, kTrailChanges);
    case 6:
      return source == "signin" && ((f.has_error_message && f.error_message == "Failed authentication") ||
                                    f.user_name == "HIDDEN_DUE_TO_SECURITY_REASONS");
    case 7: return source == "kms" && In(n, kKeyChanges);
    case 8: return source == "s3" && In(n, kBucketPolicyChanges);
    case 9: return source == "config" && In(n, kConfigChanges);
    case 10:
      return source == "ec2" && (n.starts_with("AuthorizeSecurityGroup") || n.starts_with("RevokeSecurityGroup") ||
                                 n == "CreateSecurityGroup" || n == "DeleteSecurityGroup");
    case 11: return source == "ec2" && n.find("NetworkAcl") != std::string_view::npos && f.read_only == 0;
    case 12: return source == "ec2" && In(n, kGatewayChanges);
    case 13: return source == "ec2" && In(n, kRouteTableChanges);
    case 14: return source == "ec2" && In(n, kVpcChanges);
    case 15:
      return detail_type == "AWS API Call via CloudTrail" && f.identity_type == "AssumedRole" && f.has_error_code &&
             !f.source_ip.starts_with("10.");
    default: return false;
  }
}

void ExpectedCounts::Add(const RecordFacts& f) {
  ++records;
  for (int i = 0; i < kFilterCount; ++i) {
    filter_records[i] += FilterMatchesRecord(i, f);
    filter_wrapped[i] += FilterMatchesWrapped(i, f);
  }
  for (int i = 0; i < kRuleCount; ++i) rules[i] += RuleMatches(i, f);
  if (IsConsoleLogin(f)) {
    if (f.console_login == "Success") ++console_success; else ++console_failure;
    if (f.user_name == "HIDDEN_DUE_TO_SECURITY_REASONS") ++console_unknown_user;
    if (f.identity_type == "Root") ++console_root;
  } else if (f.event_name == "CheckMfa") {
    ++check_mfa;
  }
}

}  // namespace trailwatch::corpus
