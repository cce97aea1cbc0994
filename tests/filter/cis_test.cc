// cis_test.cc: the CIS / Security Hub metric filters (tests/data/cis.json, as published) all compile and
// behave as their titles say on real CloudTrail records: for each filter, the records it matches are
// exactly those that an independent C++ predicate written from the title selects.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <set>

#include "engine/filter/filter_set.h"
#include "patterns/filter/compile.h"

namespace trailwatch::engine {
namespace {

using Json = nlohmann::json;

std::vector<std::string> LoadRecords() {
  std::vector<std::string> out;
  auto ndjson = [&](const std::string& path) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty()) out.push_back(line);
    }
  };
  const std::string dir = TW_TEST_DATA_DIR "/cloudtrail/";
  ndjson(dir + "records.ndjson");
  ndjson(dir + "consolelogin/records.ndjson");
  for (const char* f : {"aws.initial-access.console-login-without-mfa.json", "aws.defense-evasion.cloudtrail-stop.json",
                        "aws.defense-evasion.cloudtrail-delete.json", "aws.persistence.iam-create-admin-user.json",
                        "aws.exfiltration.ec2-security-group-open-port-22-ingress.json",
                        "aws.defense-evasion.organizations-leave.json"}) {
    std::ifstream in(dir + "stratus/" + f);
    Json arr = Json::parse(in);
    for (const Json& r : arr) out.push_back(r.dump());
  }
  return out;
}

std::string Str(const Json& r, const std::vector<std::string>& path) {
  const Json* j = &r;
  for (const std::string& k : path) {
    if (!j->is_object() || !j->contains(k)) return "\x01missing";
    j = &(*j)[k];
  }
  return j->is_string() ? j->get<std::string>() : "\x01not-a-string";
}

bool In(const std::string& s, std::set<std::string> names) { return names.count(s) > 0; }

TEST(CisFiltersTest, CompileAndBehaveAsTheirTitlesSay) {
  std::ifstream in(TW_TEST_DATA_DIR "/cis.json");
  const Json cis = Json::parse(in);
  std::map<std::string, std::function<bool(const Json&)>> predicates = {
      {"CloudWatch.1",
       [](const Json& r) {
         return Str(r, {"userIdentity", "type"}) == "Root" && Str(r, {"userIdentity", "invokedBy"}) == "\x01missing" &&
                Str(r, {"eventType"}) != "AwsServiceEvent" && Str(r, {"eventType"}) != "\x01missing";
       }},
      {"CloudWatch.2",
       [](const Json& r) {
         const std::string e = Str(r, {"errorCode"});
         return e.ends_with("UnauthorizedOperation") || e.starts_with("AccessDenied");
       }},
      {"CloudWatch.3",
       [](const Json& r) {
         const std::string mfa = Str(r, {"additionalEventData", "MFAUsed"});
         return Str(r, {"eventName"}) == "ConsoleLogin" && mfa != "Yes" && mfa != "\x01missing" &&
                Str(r, {"userIdentity", "type"}) == "IAMUser" && Str(r, {"responseElements", "ConsoleLogin"}) == "Success";
       }},
      {"CloudWatch.4",
       [](const Json& r) {
         return In(Str(r, {"eventName"}),
                   {"DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy", "PutRolePolicy",
                    "PutUserPolicy", "CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion",
                    "AttachRolePolicy", "DetachRolePolicy", "AttachUserPolicy", "DetachUserPolicy", "AttachGroupPolicy",
                    "DetachGroupPolicy"});
       }},
      {"CloudWatch.5",
       [](const Json& r) {
         return In(Str(r, {"eventName"}), {"CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"});
       }},
      {"CloudWatch.6",
       [](const Json& r) {
         return Str(r, {"eventName"}) == "ConsoleLogin" && Str(r, {"errorMessage"}) == "Failed authentication";
       }},
      {"CloudWatch.7",
       [](const Json& r) {
         return Str(r, {"eventSource"}) == "kms.amazonaws.com" &&
                In(Str(r, {"eventName"}), {"DisableKey", "ScheduleKeyDeletion"});
       }},
      {"CloudWatch.8",
       [](const Json& r) {
         return Str(r, {"eventSource"}) == "s3.amazonaws.com" &&
                In(Str(r, {"eventName"}), {"PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle",
                                           "PutBucketReplication", "DeleteBucketPolicy", "DeleteBucketCors",
                                           "DeleteBucketLifecycle", "DeleteBucketReplication"});
       }},
      {"CloudWatch.9",
       [](const Json& r) {
         return Str(r, {"eventSource"}) == "config.amazonaws.com" &&
                In(Str(r, {"eventName"}), {"StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel",
                                           "PutConfigurationRecorder"});
       }},
      {"CloudWatch.10",
       [](const Json& r) {
         return In(Str(r, {"eventName"}), {"AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
                                           "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress",
                                           "CreateSecurityGroup", "DeleteSecurityGroup"});
       }},
      {"CloudWatch.11",
       [](const Json& r) {
         return In(Str(r, {"eventName"}), {"CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl",
                                           "DeleteNetworkAclEntry", "ReplaceNetworkAclEntry",
                                           "ReplaceNetworkAclAssociation"});
       }},
      {"CloudWatch.12",
       [](const Json& r) {
         return In(Str(r, {"eventName"}), {"CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway",
                                           "CreateInternetGateway", "DeleteInternetGateway", "DetachInternetGateway"});
       }},
      {"CloudWatch.13",
       [](const Json& r) {
         return In(Str(r, {"eventName"}), {"CreateRoute", "CreateRouteTable", "ReplaceRoute",
                                           "ReplaceRouteTableAssociation", "DeleteRouteTable", "DeleteRoute",
                                           "DisassociateRouteTable"});
       }},
      {"CloudWatch.14",
       [](const Json& r) {
         return In(Str(r, {"eventName"}),
                   {"CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection",
                    "CreateVpcPeeringConnection", "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection",
                    "AttachClassicLinkVpc", "DetachClassicLinkVpc", "DisableVpcClassicLink", "EnableVpcClassicLink"});
       }},
      {"CIS-1.4+-4.15",
       [](const Json& r) {
         return Str(r, {"eventSource"}) == "organizations.amazonaws.com" &&
                In(Str(r, {"eventName"}),
                   {"AcceptHandshake", "AttachPolicy", "CreateAccount", "CreateOrganizationalUnit", "CreatePolicy",
                    "DeclineHandshake", "DeleteOrganization", "DeleteOrganizationalUnit", "DeletePolicy",
                    "DetachPolicy", "DisablePolicyType", "EnablePolicyType", "InviteAccountToOrganization",
                    "LeaveOrganization", "MoveAccount", "RemoveAccountFromOrganization", "UpdatePolicy",
                    "UpdateOrganizationalUnit"});
       }},
  };
  predicates["LZA-root-usage"] = predicates["CloudWatch.1"];
  // CIS v1.4+ 4.1: && binds tighter, so: unauthorized || (AccessDenied* && not delivery.logs && not HeadBucket).
  predicates["CIS-1.4+-4.1"] = [](const Json& r) {
    const std::string e = Str(r, {"errorCode"});
    const std::string ip = Str(r, {"sourceIPAddress"});
    const std::string name = Str(r, {"eventName"});
    return e.ends_with("UnauthorizedOperation") ||
           (e.starts_with("AccessDenied") && ip != "delivery.logs.amazonaws.com" && ip != "\x01missing" &&
            name != "HeadBucket" && name != "\x01missing");
  };
  // The double-quoted CIS v1.3 text: an OR with bare != alternatives matches nearly everything.
  predicates["CIS-1.3-4.1-double-quoted"] = [](const Json& r) {
    const std::string e = Str(r, {"errorCode"});
    const std::string ip = Str(r, {"sourceIPAddress"});
    const std::string name = Str(r, {"eventName"});
    return e.ends_with("UnauthorizedOperation") || e.starts_with("AccessDenied") ||
           (ip != "delivery.logs.amazonaws.com" && ip != "\x01missing") || (name != "HeadBucket" && name != "\x01missing");
  };

  const std::vector<std::string> records = LoadRecords();
  ASSERT_GT(records.size(), 1000u);
  std::vector<std::shared_ptr<const filter::CompiledPattern>> compiled;
  std::vector<std::string> ids;
  for (const Json& c : cis) {
    const std::string id = c["id"];
    const std::string pattern = c["pattern"];
    auto r = filter::CompileFilterPattern(pattern);
    if (id == "CIS-1.3-4.1-as-published") {
      // Single quotes are not string delimiters: AWS rejects the text as quoted by the audit.
      ASSERT_FALSE(r.ok());
      EXPECT_NE(r.error().hint.find("double quotes"), std::string::npos);
      continue;
    }
    ASSERT_TRUE(r.ok()) << id << ": " << r.error().message;
    ASSERT_TRUE(predicates.count(id)) << "no title predicate for " << id;
    compiled.push_back(r.value());
    ids.push_back(id);
  }
  FilterSet set(compiled);
  FilterScratch scratch;
  std::map<std::string, int> counts;
  for (const std::string& rec : records) {
    const Json r = Json::parse(rec);
    set.Evaluate(rec, scratch);
    for (size_t i = 0; i < ids.size(); ++i) {
      const bool expected = predicates[ids[i]](r);
      ASSERT_EQ(set.Matched(i, scratch), expected) << ids[i] << " on " << rec.substr(0, 300);
      counts[ids[i]] += expected;
    }
  }
  // The real data exercises the filters (counts known from the recordings).
  EXPECT_EQ(counts["CloudWatch.6"], 4);   // consolelogin fixture: 4 "Failed authentication"
  EXPECT_EQ(counts["CloudWatch.3"], 5);   // 4 synthetic IAM-user successes without MFA + 1 Stratus sign-in
  EXPECT_GT(counts["CloudWatch.2"], 10);  // invictus: AccessDenied / Client.UnauthorizedOperation
  EXPECT_GT(counts["CloudWatch.5"], 0);   // Stratus cloudtrail-stop / delete
  EXPECT_GT(counts["CloudWatch.4"], 0);   // Stratus iam-create-admin-user attaches a policy
  EXPECT_GT(counts["CloudWatch.10"], 0);  // Stratus opens port 22
  EXPECT_GT(counts["CloudWatch.1"], 0);   // the synthetic root sign-ins
  EXPECT_GT(counts["CIS-1.3-4.1-double-quoted"], static_cast<int>(records.size()) * 9 / 10);
}

}  // namespace
}  // namespace trailwatch::engine
