// bench_event.cc: EventBridge event patterns — matching 1, 16 and 256 rules per event with one shared compiled
// set (one simdjson parse per event), against the same rules as separate single-rule sets (one parse each).
// Two rule sets: realistic CloudTrail rules (MakeRules: the CIS-style security rules, then per-team rules)
// and synthetic rules mixing every operator (MakeMixedRules). TRAILWATCH_NO_FAST_PATHS=walk measures the
// plain walk (simdjson On-Demand) instead of the structural-index walk.
// Events: the 1,000 invictus CloudTrail records wrapped as EventBridge delivers them. Reports events/s
// (SetItemsProcessed). Each benchmark first checks its match count against the reference interpreter and
// calls SkipWithError on disagreement, so a fast wrong answer cannot pass.
#include <benchmark/benchmark.h>

#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/event/cloudtrail.h"
#include "engine/fast_paths.h"
#include "engine/event/matcher.h"
#include "engine/event/reference.h"
#include "patterns/event/compile.h"
#include "patterns/event/parser.h"

namespace {

using trailwatch::engine::EventMatcher;
using trailwatch::engine::FastPath;
using trailwatch::engine::FastPathEnabled;
using trailwatch::engine::EventScratch;
using trailwatch::event::EventPattern;

struct Corpus {
  std::vector<std::string> events;
  std::vector<std::string> sources, names;
};

const Corpus& GetCorpus() {
  static const Corpus corpus = [] {
    Corpus c;
    std::ifstream in(std::string(TW_SOURCE_DIR) + "/tests/data/cloudtrail/records.ndjson");
    std::string line, wrapped, error;
    std::set<std::string> sources, names;
    while (std::getline(in, line)) {
      if (line.empty() || !trailwatch::engine::WrapCloudTrailRecord(line, &wrapped, &error)) continue;
      c.events.push_back(wrapped);
      trailwatch::engine::CloudTrailFacts f;
      if (trailwatch::engine::ReadCloudTrailFacts(line, &f, &error)) {
        sources.insert(trailwatch::engine::SourceFor(f));
        names.insert(f.event_name);
      }
    }
    c.sources.assign(sources.begin(), sources.end());
    c.names.assign(names.begin(), names.end());
    return c;
  }();
  return corpus;
}

// The 16 CloudTrail security rules a team deploys (the story's forwarding rule first, then the EventBridge
// forms of the CIS AWS Foundations monitoring controls and a credential-access rule): source + eventName lists,
// error-code prefixes/suffixes, root use with exists:false and anything-but, a console sign-in without MFA.
const char* const kSecurityRules[] = {
    R"({"source":["aws.signin"],"detail-type":["AWS Console Sign In via CloudTrail"]})",
    R"({"source":["aws.signin"],"detail":{"eventName":["ConsoleLogin"],"errorMessage":["Failed authentication"]}})",
    R"({"detail-type":["AWS Console Sign In via CloudTrail"],"detail":{"additionalEventData":{"MFAUsed":["No"]},"responseElements":{"ConsoleLogin":["Success"]}}})",
    R"({"detail":{"userIdentity":{"type":["Root"],"invokedBy":[{"exists":false}]},"eventType":[{"anything-but":"AwsServiceEvent"}]}})",
    R"({"detail":{"errorCode":[{"suffix":"UnauthorizedOperation"},{"prefix":"AccessDenied"}]}})",
    R"({"source":["aws.iam"],"detail":{"eventName":["DeleteGroupPolicy","DeleteRolePolicy","DeleteUserPolicy","PutGroupPolicy","PutRolePolicy","PutUserPolicy","CreatePolicy","DeletePolicy","CreatePolicyVersion","DeletePolicyVersion","SetDefaultPolicyVersion","AttachRolePolicy","DetachRolePolicy","AttachUserPolicy","DetachUserPolicy","AttachGroupPolicy","DetachGroupPolicy"]}})",
    R"({"source":["aws.iam"],"detail":{"eventName":["CreateUser","DeleteUser","CreateAccessKey","UpdateAccessKey","DeleteAccessKey","CreateLoginProfile","UpdateLoginProfile","CreateRole","UpdateAssumeRolePolicy","AddUserToGroup"]}})",
    R"({"source":["aws.cloudtrail"],"detail":{"eventName":["CreateTrail","UpdateTrail","DeleteTrail","StartLogging","StopLogging","PutEventSelectors"]}})",
    R"({"source":["aws.kms"],"detail":{"eventName":["DisableKey","ScheduleKeyDeletion"]}})",
    R"({"source":["aws.s3"],"detail":{"eventName":["PutBucketAcl","PutBucketPolicy","PutBucketCors","PutBucketLifecycle","PutBucketReplication","DeleteBucketPolicy","DeleteBucketCors","DeleteBucketLifecycle","DeleteBucketReplication","PutBucketPublicAccessBlock","DeleteBucketPublicAccessBlock"]}})",
    R"({"source":["aws.config"],"detail":{"eventName":["StopConfigurationRecorder","DeleteDeliveryChannel","PutDeliveryChannel","PutConfigurationRecorder"]}})",
    R"({"source":["aws.ec2"],"detail":{"eventName":["AuthorizeSecurityGroupIngress","AuthorizeSecurityGroupEgress","RevokeSecurityGroupIngress","RevokeSecurityGroupEgress","CreateSecurityGroup","DeleteSecurityGroup"]}})",
    R"({"source":["aws.ec2"],"detail":{"eventName":["CreateNetworkAcl","CreateNetworkAclEntry","DeleteNetworkAcl","DeleteNetworkAclEntry","ReplaceNetworkAclEntry","ReplaceNetworkAclAssociation","CreateCustomerGateway","DeleteCustomerGateway","AttachInternetGateway","CreateInternetGateway","DeleteInternetGateway","DetachInternetGateway"]}})",
    R"({"source":["aws.ec2"],"detail":{"eventName":["CreateRoute","CreateRouteTable","ReplaceRoute","ReplaceRouteTableAssociation","DeleteRouteTable","DeleteRoute","DisassociateRouteTable","CreateVpc","DeleteVpc","ModifyVpcAttribute","AcceptVpcPeeringConnection","CreateVpcPeeringConnection","DeleteVpcPeeringConnection","RejectVpcPeeringConnection","AttachClassicLinkVpc","DetachClassicLinkVpc","DisableVpcClassicLink","EnableVpcClassicLink"]}})",
    R"({"source":["aws.organizations"],"detail":{"eventName":["AcceptHandshake","AttachPolicy","CreateAccount","CreatePolicy","DeclineHandshake","DeleteOrganization","DeleteOrganizationalUnit","DeletePolicy","DetachPolicy","DisablePolicyType","EnablePolicyType","InviteAccountToOrganization","LeaveOrganization","MoveAccount","RemoveAccountFromOrganization","UpdatePolicy"]}})",
    R"({"source":["aws.ec2","aws.ssm","aws.secretsmanager"],"detail":{"eventName":["GetPasswordData","SendCommand","StartSession","GetSecretValue"],"userIdentity":{"type":["IAMUser","AssumedRole"]}}})",
};

// Services and API calls for the per-team rules beyond the 16 (real API names; some occur in the corpus).
struct Service {
  const char* name;
  const char* calls[4];
};
const Service kServices[] = {
    {"iam", {"CreateRole", "PutRolePolicy", "CreateInstanceProfile", "DeleteRole"}},
    {"ec2", {"RunInstances", "CreateSubnet", "AllocateAddress", "CreateNatGateway"}},
    {"s3", {"CreateBucket", "PutBucketTagging", "DeleteBucket", "PutBucketEncryption"}},
    {"ssm", {"PutParameter", "DeleteParameter", "SendCommand", "UpdateInstanceInformation"}},
    {"secretsmanager", {"CreateSecret", "PutSecretValue", "DeleteSecret", "RotateSecret"}},
    {"kms", {"CreateKey", "PutKeyPolicy", "CreateGrant", "RetireGrant"}},
    {"sts", {"AssumeRole", "GetFederationToken", "AssumeRoleWithSAML", "GetSessionToken"}},
    {"cloudtrail", {"StopLogging", "DeleteTrail", "UpdateTrail", "PutInsightSelectors"}},
    {"logs", {"CreateLogGroup", "DeleteLogGroup", "PutRetentionPolicy", "DeleteSubscriptionFilter"}},
    {"lambda", {"CreateFunction20150331", "UpdateFunctionCode20150331v2", "AddPermission20150331v2", "DeleteFunction20150331"}},
    {"rds", {"CreateDBInstance", "ModifyDBInstance", "DeleteDBInstance", "CreateDBSnapshot"}},
    {"dynamodb", {"CreateTable", "DeleteTable", "UpdateTable", "CreateBackup"}},
    {"sns", {"CreateTopic", "DeleteTopic", "Subscribe", "SetTopicAttributes"}},
    {"sqs", {"CreateQueue", "DeleteQueue", "SetQueueAttributes", "AddPermission"}},
    {"cloudformation", {"CreateStack", "UpdateStack", "DeleteStack", "CreateChangeSet"}},
    {"ecr", {"CreateRepository", "DeleteRepository", "SetRepositoryPolicy", "PutImage"}},
    {"eks", {"CreateCluster", "DeleteCluster", "UpdateClusterConfig", "CreateNodegroup"}},
    {"guardduty", {"DeleteDetector", "UpdateDetector", "DisassociateFromMasterAccount", "StopMonitoringMembers"}},
    {"securityhub", {"DisableSecurityHub", "BatchDisableStandards", "DeleteInsight", "UpdateStandardsControl"}},
    {"organizations", {"LeaveOrganization", "CreateAccount", "MoveAccount", "AttachPolicy"}},
    {"route53", {"ChangeResourceRecordSets", "CreateHostedZone", "DeleteHostedZone", "AssociateVPCWithHostedZone"}},
    {"elasticloadbalancing", {"CreateLoadBalancer", "DeleteLoadBalancer", "CreateListener", "ModifyListener"}},
    {"config", {"PutConfigRule", "DeleteConfigRule", "StopConfigurationRecorder", "PutDeliveryChannel"}},
    {"health", {"DescribeEventAggregates", "DescribeEvents", "DescribeAffectedEntities", "DescribeEventDetails"}},
};
const char* const kRegions[] = {"us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-east-1",
                                "ap-southeast-2", "sa-east-1"};
const char* const kUsers[] = {"bert-jan", "benjamin", "alice", "ci-deployer", "breakglass"};
const char* const kVerbs[] = {"Create", "Delete", "Put", "Update", "Attach", "Detach", "Modify", "Revoke",
                              "Authorize", "Disable", "Stop"};

// N realistic CloudTrail rules: the 16 security rules, then per-team rules over 24 services: call lists,
// write-only verbs by prefix, per-user and per-region scoping, error watchers, calls from outside the private
// ranges. Every rule is of a kind published in AWS samples, the CIS controls or Security Hub integrations.
std::vector<std::string> MakeRules(int n) {
  std::vector<std::string> rules;
  for (const char* r : kSecurityRules) {
    if (static_cast<int>(rules.size()) == n) return rules;
    rules.push_back(r);
  }
  for (int i = 0; static_cast<int>(rules.size()) < n; ++i) {
    const Service& sv = kServices[i % std::size(kServices)];
    const std::string src = std::string("aws.") + sv.name;
    const std::string host = std::string(sv.name) + ".amazonaws.com";
    const std::string c0 = sv.calls[i % 4], c1 = sv.calls[(i + 1) % 4];
    const std::string region = kRegions[(i / 3) % std::size(kRegions)];
    const std::string user = kUsers[(i / 5) % std::size(kUsers)];
    const std::string verb = kVerbs[(i / 2) % std::size(kVerbs)];
    const std::string account = i % 7 == 0 ? "123837392027" : std::to_string(100000000000LL + 7919LL * i);
    switch ((i / std::size(kServices)) % 8) {
      case 0: rules.push_back(R"({"source":[")" + src + R"("],"detail":{"eventName":[")" + c0 + R"(",")" + c1 + R"("]}})"); break;
      case 1: rules.push_back(R"({"source":[")" + src + R"("],"detail-type":["AWS API Call via CloudTrail"],"detail":{"readOnly":[false],"eventName":[{"prefix":")" + verb + R"("}]}})"); break;
      case 2: rules.push_back(R"({"account":[")" + account + R"("],"source":[")" + src + R"("],"detail":{"eventName":[")" + c0 + R"("]}})"); break;
      case 3: rules.push_back(R"({"detail":{"eventSource":[")" + host + R"("],"userIdentity":{"arn":[{"prefix":"arn:aws:iam::123837392027:user/)" + user + R"("}]}}})"); break;
      case 4: rules.push_back(R"({"source":[")" + src + R"("],"region":[")" + region + R"("],"detail":{"errorCode":[{"exists":true}]}})"); break;
      case 5: rules.push_back(R"({"detail":{"eventSource":[")" + host + R"("],"eventName":[")" + c1 + R"("],"sourceIPAddress":[{"anything-but":{"prefix":["10.","172.16.","192.168."]}}]}})"); break;
      case 6: rules.push_back(R"({"source":[")" + src + R"("],"detail":{"userIdentity":{"type":["AssumedRole"]},"eventName":[")" + c0 + R"(",")" + c1 + R"("]}})"); break;
      default: rules.push_back(R"({"source":[")" + src + R"("],"detail":{"eventName":[")" + c0 + R"("],"errorCode":["AccessDenied","Client.UnauthorizedOperation"]}})"); break;
    }
  }
  return rules;
}

// N synthetic rules mixing every operator (the set the table's first version measured): source + detail-type
// + eventName lists, prefixes, anything-but, CIDR, exists, $or, equals-ignore-case, wildcards, numeric.
std::vector<std::string> MakeMixedRules(int n) {
  const Corpus& c = GetCorpus();
  std::vector<std::string> rules;
  rules.push_back(R"({"source":["aws.signin"],"detail-type":["AWS Console Sign In via CloudTrail"]})");
  for (int i = 1; i < n; ++i) {
    const std::string src = c.sources[i % c.sources.size()];
    const std::string name = c.names[(i * 7) % c.names.size()];
    const std::string name2 = c.names[(i * 13 + 5) % c.names.size()];
    switch (i % 8) {
      case 0: rules.push_back(R"({"source":[")" + src + R"("],"detail":{"eventName":[")" + name + R"(",")" + name2 + R"("]}})"); break;
      case 1: rules.push_back(R"({"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventName":[{"prefix":")" + name.substr(0, 6) + R"("}]}})"); break;
      case 2: rules.push_back(R"({"source":[")" + src + R"("],"detail":{"errorCode":[{"exists":true}],"userIdentity":{"type":[{"anything-but":"AWSService"}]}}})"); break;
      case 3: rules.push_back(R"({"detail":{"sourceIPAddress":[{"cidr":"10.)" + std::to_string(i % 256) + R"(.0.0/16"}],"eventName":[")" + name + R"("]}})"); break;
      case 4: rules.push_back(R"({"source":[")" + src + R"("],"$or":[{"detail":{"readOnly":[false]}},{"detail":{"errorCode":[{"prefix":"Access"}]}}]})"); break;
      case 5: rules.push_back(R"({"detail":{"eventName":[{"equals-ignore-case":")" + name + R"("}],"userIdentity":{"invokedBy":[{"exists":false}]}}})"); break;
      case 6: rules.push_back(R"({"account":["123837392027"],"detail":{"eventSource":[{"wildcard":"*)" + src.substr(4, 2) + R"(*.amazonaws.com"}],"eventName":[")" + name2 + R"("]}})"); break;
      default: rules.push_back(R"({"source":[")" + src + R"("],"detail":{"requestParameters":{"maxResults":[{"numeric":[">",)" + std::to_string(i % 50) + R"(]}]}}})"); break;
    }
  }
  return rules;
}

std::vector<std::shared_ptr<const EventPattern>> Parse(const std::vector<std::string>& rules) {
  std::vector<std::shared_ptr<const EventPattern>> out;
  for (const std::string& r : rules) {
    auto p = trailwatch::event::ParseEventPattern(r);
    if (p.ok()) out.push_back(std::make_shared<const EventPattern>(std::move(p).value()));
  }
  return out;
}

size_t ReferenceCount(const std::vector<std::shared_ptr<const EventPattern>>& patterns) {
  size_t n = 0;
  for (const std::string& e : GetCorpus().events) {
    trailwatch::event::JsonValue ev;
    std::string error;
    if (!trailwatch::event::ParseJsonValue(e, &ev, &error)) continue;
    for (const auto& p : patterns) n += trailwatch::engine::ReferenceMatches(*p, ev);
  }
  return n;
}

// All rules in one compiled set: one parse per event serves every rule.
void MatchAll(benchmark::State& state, const std::vector<std::string>& rules) {
  const auto patterns = Parse(rules);
  if (patterns.size() != rules.size()) {
    state.SkipWithError("a benchmark rule does not parse");
    return;
  }
  EventMatcher matcher(trailwatch::event::CompileRuleSet(patterns), FastPathEnabled(FastPath::kWalk));
  EventScratch scratch;
  const auto& events = GetCorpus().events;
  size_t expected = ReferenceCount(patterns), got = 0;
  for (const std::string& e : events) {
    matcher.Evaluate(e, scratch);
    got += matcher.MatchCount(scratch);
  }
  if (got != expected) {
    state.SkipWithError("match count differs from the reference interpreter");
    return;
  }
  size_t bytes = 0;
  for (const std::string& e : events) bytes += e.size();
  for (auto _ : state) {
    size_t matches = 0;
    for (const std::string& e : events) {
      matcher.Evaluate(e, scratch);
      matches += matcher.MatchCount(scratch);
    }
    benchmark::DoNotOptimize(matches);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * events.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["matches/event"] = static_cast<double>(expected) / static_cast<double>(events.size());
}

// Realistic CloudTrail rules (MakeRules).
void BM_MatchRules(benchmark::State& state) { MatchAll(state, MakeRules(static_cast<int>(state.range(0)))); }
BENCHMARK(BM_MatchRules)->Arg(1)->Arg(16)->Arg(256)->Unit(benchmark::kMillisecond);

// Synthetic rules mixing every operator (MakeMixedRules).
void BM_MatchMixedRules(benchmark::State& state) {
  MatchAll(state, MakeMixedRules(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_MatchMixedRules)->Arg(16)->Arg(256)->Unit(benchmark::kMillisecond);

// The same rules, each in its own set: what N rules would cost without sharing (N parses per event).
void BM_MatchRulesSeparately(benchmark::State& state) {
  const auto patterns = Parse(MakeRules(static_cast<int>(state.range(0))));
  std::vector<EventMatcher> matchers;
  for (const auto& p : patterns) matchers.emplace_back(trailwatch::event::CompileRuleSet({p}));
  EventScratch scratch;
  const auto& events = GetCorpus().events;
  size_t expected = ReferenceCount(patterns), got = 0;
  for (const std::string& e : events) {
    for (const EventMatcher& m : matchers) {
      m.Evaluate(e, scratch);
      got += m.MatchCount(scratch);
    }
  }
  if (got != expected) {
    state.SkipWithError("match count differs from the reference interpreter");
    return;
  }
  for (auto _ : state) {
    size_t matches = 0;
    for (const std::string& e : events) {
      for (const EventMatcher& m : matchers) {
        m.Evaluate(e, scratch);
        matches += m.MatchCount(scratch);
      }
    }
    benchmark::DoNotOptimize(matches);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * events.size()));
}
BENCHMARK(BM_MatchRulesSeparately)->Arg(16)->Arg(256)->Unit(benchmark::kMillisecond);

// Pattern compilation (parse + validate + compile into a set), per pattern.
void BM_CompileRules(benchmark::State& state) {
  const auto rules = MakeRules(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto patterns = Parse(rules);
    auto set = trailwatch::event::CompileRuleSet(patterns);
    benchmark::DoNotOptimize(set);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rules.size()));
}
BENCHMARK(BM_CompileRules)->Arg(256)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
